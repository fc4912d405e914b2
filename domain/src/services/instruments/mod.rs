//! Versioned questionnaires: instrument → elements → criteria, with stable
//! codes. This module loads an instrument for the form and the figures;
//! [`defaults`] installs the shipped ones, [`editing`] changes drafts.

mod defaults;
mod editing;

pub use defaults::*;
pub use editing::*;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::AppError;
use crate::entities::{criterion, element, instrument};
use crate::i18n::Lang;
use crate::model::{ElementKind, ProfileField, Scale, SurveyCriterion, SurveyElement};

use crate::model::InstrumentSummary;
use sea_orm::PaginatorTrait;

#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all)]
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
    pub id: i32,
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
    pub fn profile_fields(&self) -> Vec<ProfileField> {
        ProfileField::parse_list(&self.instrument.profile_fields)
    }

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

#[tracing::instrument(skip_all)]
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
        .order_by_asc(element::Column::Id)
        .all(db)
        .await?;
    let criteria = criterion::Entity::find()
        .filter(criterion::Column::InstrumentId.eq(instrument_id))
        .order_by_asc(criterion::Column::Position)
        .order_by_asc(criterion::Column::Id)
        .all(db)
        .await?;
    let elements = elements
        .into_iter()
        .map(|e| {
            let kind = e.kind;
            let element_criteria = criteria
                .iter()
                .filter(|c| c.element_id == e.id)
                .map(|c| {
                    let scale = c.scale;
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
                id: e.id,
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

#[tracing::instrument(skip_all)]
pub async fn list(db: &DatabaseConnection, lang: Lang) -> Result<Vec<InstrumentSummary>, AppError> {
    let instruments = instrument::Entity::find()
        .order_by_asc(instrument::Column::Code)
        .order_by_desc(instrument::Column::Version)
        .all(db)
        .await?;
    let mut summaries = Vec::with_capacity(instruments.len());
    for found in instruments {
        let criteria = criterion::Entity::find()
            .filter(criterion::Column::InstrumentId.eq(found.id))
            .count(db)
            .await?;
        summaries.push(InstrumentSummary {
            id: found.id,
            code: found.code.clone(),
            version: found.version,
            title: lang.pick(&found.title_vi, &found.title_en).to_owned(),
            frozen: found.status == "frozen",
            criteria: criteria as u32,
        });
    }
    Ok(summaries)
}
