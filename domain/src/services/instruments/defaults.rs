//! The two default instruments, `dvhcc` for businesses and citizens and
//! `phoi-hop` for partner agencies, shipped as data files
//! (`domain/instruments/*.toml`) and installed when missing.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set, TransactionTrait};
use serde::Deserialize;

use super::find;
use crate::AppError;
use crate::entities::{criterion, element, instrument};
use crate::model::{ElementKind, ProfileField, Scale};

/// An instrument as written in a data file.
#[derive(Clone, Debug, Deserialize)]
pub struct InstrumentDefinition {
    pub code: String,
    pub version: i32,
    pub audience: String,
    pub title_vi: String,
    pub title_en: String,
    /// The profile questions asked; all of them when not given.
    #[serde(default = "all_profile_fields")]
    pub profile_fields: Vec<ProfileField>,
    #[serde(default = "yes")]
    pub asks_comment: bool,
    pub elements: Vec<ElementDefinition>,
}

fn all_profile_fields() -> Vec<ProfileField> {
    ProfileField::ALL.to_vec()
}

fn yes() -> bool {
    true
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
#[tracing::instrument(skip_all)]
pub async fn install_defaults(db: &DatabaseConnection) -> Result<(), AppError> {
    for definition in default_definitions()? {
        install(db, &definition).await?;
    }
    Ok(())
}

/// Stores `definition` as a draft instrument, unless that code and version exist already.
#[tracing::instrument(skip_all)]
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
        profile_fields: Set(ProfileField::join(&definition.profile_fields)),
        asks_comment: Set(definition.asks_comment),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (element_position, element_definition) in (1..).zip(&definition.elements) {
        let stored_element = element::ActiveModel {
            instrument_id: Set(stored.id),
            code: Set(element_definition.code.clone()),
            kind: Set(element_definition.kind),
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
                scale: Set(criterion_definition.scale),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(stored)
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
