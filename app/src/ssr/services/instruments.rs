//! Versioned questionnaires: instrument → elements → criteria, with stable
//! codes. The two default instruments of methodology.md §2 ship as data
//! files (`app/instruments/*.toml`) and are installed when missing.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::model::{ElementKind, Scale, SurveyCriterion, SurveyElement};
use crate::ssr::AppError;
use crate::ssr::entities::{criterion, element, instrument};

/// An instrument as written in a data file.
#[derive(Clone, Debug, Deserialize)]
pub struct InstrumentDefinition {
    pub code: String,
    pub version: i32,
    pub audience: String,
    pub title_vi: String,
    pub title_en: String,
    pub elements: Vec<ElementDefinition>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ElementDefinition {
    pub code: String,
    pub kind: ElementKind,
    pub title_vi: String,
    pub title_en: String,
    pub criteria: Vec<CriterionDefinition>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct CriterionDefinition {
    pub code: String,
    pub scale: Scale,
    pub vi: String,
    pub en: String,
}

const DEFAULT_FILES: [(&str, &str); 2] = [
    (
        "dvhcc.toml",
        include_str!("../../../instruments/dvhcc.toml"),
    ),
    (
        "phoi-hop.toml",
        include_str!("../../../instruments/phoi-hop.toml"),
    ),
];

/// The instruments that ship with the platform.
pub fn default_definitions() -> Result<Vec<InstrumentDefinition>, AppError> {
    DEFAULT_FILES
        .iter()
        .map(|(name, text)| {
            toml::from_str(text)
                .map_err(|e| AppError::Internal(format!("instrument file {name}: {e}")))
        })
        .collect()
}

/// Installs every default instrument that is not in the database yet.
pub async fn install_defaults(db: &DatabaseConnection) -> Result<(), AppError> {
    for definition in default_definitions()? {
        install(db, &definition).await?;
    }
    Ok(())
}

/// Stores `definition` as a draft instrument, unless that code and version exist already.
pub async fn install(
    db: &DatabaseConnection,
    definition: &InstrumentDefinition,
) -> Result<instrument::Model, AppError> {
    if let Some(existing) = find(db, &definition.code, definition.version).await? {
        return Ok(existing);
    }
    let txn = db.begin().await?;
    let stored = instrument::ActiveModel {
        code: Set(definition.code.clone()),
        version: Set(definition.version),
        title_vi: Set(definition.title_vi.clone()),
        title_en: Set(definition.title_en.clone()),
        audience: Set(definition.audience.clone()),
        status: Set("draft".to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (element_position, element_definition) in (1..).zip(&definition.elements) {
        let stored_element = element::ActiveModel {
            instrument_id: Set(stored.id),
            code: Set(element_definition.code.clone()),
            kind: Set(element_definition.kind.code().to_owned()),
            position: Set(element_position),
            title_vi: Set(element_definition.title_vi.clone()),
            title_en: Set(element_definition.title_en.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (position, criterion_definition) in (1..).zip(&element_definition.criteria) {
            criterion::ActiveModel {
                instrument_id: Set(stored.id),
                element_id: Set(stored_element.id),
                code: Set(criterion_definition.code.clone()),
                position: Set(position),
                text_vi: Set(criterion_definition.vi.clone()),
                text_en: Set(criterion_definition.en.clone()),
                scale: Set(criterion_definition.scale.code().to_owned()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(stored)
}

pub async fn find(
    db: &impl ConnectionTrait,
    code: &str,
    version: i32,
) -> Result<Option<instrument::Model>, AppError> {
    Ok(instrument::Entity::find()
        .filter(instrument::Column::Code.eq(code))
        .filter(instrument::Column::Version.eq(version))
        .one(db)
        .await?)
}

/// Marks a version as used by an opened round: from now on it never changes.
pub async fn freeze(db: &impl ConnectionTrait, instrument_id: i32) -> Result<(), AppError> {
    let Some(found) = instrument::Entity::find_by_id(instrument_id)
        .one(db)
        .await?
    else {
        return Err(AppError::NotFound("instrument"));
    };
    if found.status != "frozen" {
        let mut active: instrument::ActiveModel = found.into();
        active.status = Set("frozen".to_owned());
        active.frozen_at = Set(Some(Utc::now()));
        active.update(db).await?;
    }
    Ok(())
}

/// A criterion with what the rules need to know about it.
#[derive(Clone, Debug)]
pub struct LoadedCriterion {
    pub id: i32,
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
    pub scale: Scale,
}

#[derive(Clone, Debug)]
pub struct LoadedElement {
    pub code: String,
    pub kind: ElementKind,
    pub title_vi: String,
    pub title_en: String,
    pub criteria: Vec<LoadedCriterion>,
}

/// One instrument version with its elements and criteria in order.
#[derive(Clone, Debug)]
pub struct LoadedInstrument {
    pub instrument: instrument::Model,
    pub elements: Vec<LoadedElement>,
}

impl LoadedInstrument {
    pub fn criteria(&self) -> impl Iterator<Item = (&LoadedElement, &LoadedCriterion)> {
        self.elements
            .iter()
            .flat_map(|e| e.criteria.iter().map(move |c| (e, c)))
    }

    pub fn criterion(&self, code: &str) -> Option<(&LoadedElement, &LoadedCriterion)> {
        self.criteria().find(|(_, c)| c.code == code)
    }

    /// The form's elements worded in `lang`.
    pub fn survey_elements(&self, lang: Lang) -> Vec<SurveyElement> {
        self.elements
            .iter()
            .map(|e| SurveyElement {
                code: e.code.clone(),
                title: lang.pick(&e.title_vi, &e.title_en).to_owned(),
                kind: e.kind,
                criteria: e
                    .criteria
                    .iter()
                    .map(|c| SurveyCriterion {
                        code: c.code.clone(),
                        text: lang.pick(&c.text_vi, &c.text_en).to_owned(),
                        scale: c.scale,
                    })
                    .collect(),
            })
            .collect()
    }
}

pub async fn load(
    db: &impl ConnectionTrait,
    instrument_id: i32,
) -> Result<LoadedInstrument, AppError> {
    let Some(found) = instrument::Entity::find_by_id(instrument_id)
        .one(db)
        .await?
    else {
        return Err(AppError::NotFound("instrument"));
    };
    let elements = element::Entity::find()
        .filter(element::Column::InstrumentId.eq(instrument_id))
        .order_by_asc(element::Column::Position)
        .all(db)
        .await?;
    let criteria = criterion::Entity::find()
        .filter(criterion::Column::InstrumentId.eq(instrument_id))
        .order_by_asc(criterion::Column::Position)
        .all(db)
        .await?;
    let elements = elements
        .into_iter()
        .map(|e| {
            let kind = ElementKind::parse(&e.kind).ok_or_else(|| {
                AppError::Internal(format!("element {} has unknown kind {}", e.code, e.kind))
            })?;
            let element_criteria = criteria
                .iter()
                .filter(|c| c.element_id == e.id)
                .map(|c| {
                    let scale = Scale::parse(&c.scale).ok_or_else(|| {
                        AppError::Internal(format!(
                            "criterion {} has unknown scale {}",
                            c.code, c.scale
                        ))
                    })?;
                    Ok(LoadedCriterion {
                        id: c.id,
                        code: c.code.clone(),
                        text_vi: c.text_vi.clone(),
                        text_en: c.text_en.clone(),
                        scale,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            Ok(LoadedElement {
                code: e.code,
                kind,
                title_vi: e.title_vi,
                title_en: e.title_en,
                criteria: element_criteria,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(LoadedInstrument {
        instrument: found,
        elements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_instruments_parse_with_unique_codes() {
        let definitions = default_definitions().expect("default instrument files parse");
        let codes: Vec<_> = definitions.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["dvhcc", "phoi-hop"]);
        for definition in &definitions {
            let mut seen = std::collections::HashSet::new();
            for element in &definition.elements {
                for criterion in &element.criteria {
                    assert!(
                        seen.insert(criterion.code.clone()),
                        "duplicate {}",
                        criterion.code
                    );
                }
            }
        }
    }

    #[test]
    fn dvhcc_matches_the_methodology() {
        let definitions = default_definitions().unwrap();
        let dvhcc = &definitions[0];
        let index_criteria: Vec<_> = dvhcc
            .elements
            .iter()
            .filter(|e| e.kind == ElementKind::Index)
            .flat_map(|e| e.criteria.iter().map(|c| c.code.as_str()))
            .collect();
        assert_eq!(
            index_criteria,
            [
                "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3",
                "E1", "E2", "E3"
            ]
        );
        let perception: Vec<_> = dvhcc
            .elements
            .iter()
            .filter(|e| e.kind == ElementKind::Perception)
            .flat_map(|e| e.criteria.iter().map(|c| c.scale))
            .collect();
        assert_eq!(perception, [Scale::Frequency3, Scale::Frequency3]);
        let expectations = dvhcc
            .elements
            .iter()
            .filter(|e| e.kind == ElementKind::Expectation)
            .flat_map(|e| &e.criteria)
            .count();
        assert_eq!(expectations, 7);
    }
}
