//! Versioned questionnaires: instrument → elements → criteria, with stable
//! codes. The two default instruments of methodology.md §2 ship as data
//! files (`app/instruments/*.toml`) and are installed when missing.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Deserialize;

use crate::AppError;
use crate::entities::{criterion, element, instrument};
use crate::i18n::Lang;
use crate::model::{ElementKind, ProfileField, Scale, SurveyCriterion, SurveyElement};

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
    ("dvhcc.toml", include_str!("../../instruments/dvhcc.toml")),
    (
        "phoi-hop.toml",
        include_str!("../../instruments/phoi-hop.toml"),
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

// ---- Editing -------------------------------------------------------------
//
// Only drafts change. A version that a round has opened is frozen: editing
// it means making a new version (same code, next number) or a clone (a new
// code), both drafts with a copy of every element and criterion.

use crate::model::{InstrumentSummary, Problem, Violation};
use crate::services::audit::{self, Actor};
use sea_orm::{DatabaseTransaction, PaginatorTrait, QuerySelect};

/// The scale an element's criteria use follows from the element's kind.
pub fn scale_of(kind: ElementKind) -> Scale {
    match kind {
        ElementKind::Index | ElementKind::Overall => Scale::Satisfaction5,
        ElementKind::Perception => Scale::Frequency3,
        ElementKind::Expectation => Scale::Priority3,
    }
}

/// Codes are short and stable: a capital letter, then capitals or digits.
pub fn code_is_valid(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && code.len() <= 10
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Instrument codes: lowercase words joined by hyphens.
pub fn instrument_code_is_valid(code: &str) -> bool {
    (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
}

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

async fn require_draft(
    db: &impl ConnectionTrait,
    instrument_id: i32,
) -> Result<instrument::Model, AppError> {
    let found = instrument::Entity::find_by_id(instrument_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("instrument"))?;
    if found.status == "frozen" {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::InstrumentFrozen,
            message: format!(
                "Version {} of {} is used by an opened round and cannot change; make a new version.",
                found.version, found.code
            ),
        });
    }
    Ok(found)
}

/// Maps a unique-code violation to a message on the code field.
fn duplicate_code(err: sea_orm::DbErr) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::invalid("code", Problem::Duplicate)
        }
        _ => err.into(),
    }
}

/// What staff may change of an instrument's heading.
#[derive(Clone, Debug)]
pub struct InstrumentHeading {
    pub title_vi: String,
    pub title_en: String,
    pub audience: String,
    pub profile_fields: Vec<ProfileField>,
    pub asks_comment: bool,
}

pub async fn update_heading(
    db: &DatabaseConnection,
    actor: &Actor,
    instrument_id: i32,
    heading: InstrumentHeading,
) -> Result<(), AppError> {
    let found = require_draft(db, instrument_id).await?;
    if heading.title_vi.trim().is_empty() {
        return Err(AppError::invalid("title_vi", Problem::Required));
    }
    let before = serde_json::json!({"title_vi": found.title_vi, "title_en": found.title_en, "audience": found.audience, "profile_fields": found.profile_fields, "asks_comment": found.asks_comment});
    let mut active: instrument::ActiveModel = found.into();
    active.title_vi = Set(heading.title_vi.trim().to_owned());
    active.title_en = Set(heading.title_en.trim().to_owned());
    active.audience = Set(heading.audience.trim().to_owned());
    active.profile_fields = Set(ProfileField::join(&heading.profile_fields));
    active.asks_comment = Set(heading.asks_comment);
    let updated = active.update(db).await?;
    let after = serde_json::json!({"title_vi": updated.title_vi, "title_en": updated.title_en, "audience": updated.audience, "profile_fields": updated.profile_fields, "asks_comment": updated.asks_comment});
    audit::record(
        db,
        actor,
        "instrument.update",
        "instrument",
        Some(instrument_id.to_string()),
        Some(&before),
        Some(&after),
    )
    .await
}

/// An element or criterion as staff type it.
#[derive(Clone, Debug)]
pub struct ItemEdit {
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
}

fn check_item(item: &ItemEdit) -> Result<ItemEdit, AppError> {
    let mut violations = Vec::new();
    let code = item.code.trim().to_uppercase();
    if !code_is_valid(&code) {
        violations.push(Violation::new("code", Problem::InvalidValue));
    }
    if item.text_vi.trim().is_empty() {
        violations.push(Violation::new("text_vi", Problem::Required));
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    Ok(ItemEdit {
        code,
        text_vi: item.text_vi.trim().to_owned(),
        text_en: item.text_en.trim().to_owned(),
    })
}

pub async fn add_element(
    db: &DatabaseConnection,
    actor: &Actor,
    instrument_id: i32,
    kind: ElementKind,
    item: ItemEdit,
) -> Result<(), AppError> {
    require_draft(db, instrument_id).await?;
    let item = check_item(&item)?;
    let last: Option<i32> = element::Entity::find()
        .select_only()
        .column_as(element::Column::Position.max(), "position")
        .filter(element::Column::InstrumentId.eq(instrument_id))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    element::ActiveModel {
        instrument_id: Set(instrument_id),
        code: Set(item.code.clone()),
        kind: Set(kind),
        position: Set(last.unwrap_or(0) + 1),
        title_vi: Set(item.text_vi.clone()),
        title_en: Set(item.text_en.clone()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(duplicate_code)?;
    let after =
        serde_json::json!({"code": item.code, "kind": kind.code(), "title_vi": item.text_vi});
    audit::record(
        db,
        actor,
        "instrument.add_element",
        "instrument",
        Some(instrument_id.to_string()),
        None::<&()>,
        Some(&after),
    )
    .await
}

pub async fn update_element(
    db: &DatabaseConnection,
    actor: &Actor,
    element_id: i32,
    item: ItemEdit,
) -> Result<(), AppError> {
    let found = element::Entity::find_by_id(element_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("element"))?;
    require_draft(db, found.instrument_id).await?;
    let item = check_item(&item)?;
    let before = serde_json::json!({"code": found.code, "title_vi": found.title_vi, "title_en": found.title_en});
    let instrument_id = found.instrument_id;
    let mut active: element::ActiveModel = found.into();
    active.code = Set(item.code.clone());
    active.title_vi = Set(item.text_vi.clone());
    active.title_en = Set(item.text_en.clone());
    active.update(db).await.map_err(duplicate_code)?;
    let after =
        serde_json::json!({"code": item.code, "title_vi": item.text_vi, "title_en": item.text_en});
    audit::record(
        db,
        actor,
        "instrument.update_element",
        "instrument",
        Some(instrument_id.to_string()),
        Some(&before),
        Some(&after),
    )
    .await
}

pub async fn delete_element(
    db: &DatabaseConnection,
    actor: &Actor,
    element_id: i32,
) -> Result<(), AppError> {
    let found = element::Entity::find_by_id(element_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("element"))?;
    require_draft(db, found.instrument_id).await?;
    let txn = db.begin().await?;
    criterion::Entity::delete_many()
        .filter(criterion::Column::ElementId.eq(element_id))
        .exec(&txn)
        .await?;
    element::Entity::delete_by_id(element_id).exec(&txn).await?;
    let before = serde_json::json!({"code": found.code, "title_vi": found.title_vi});
    audit::record(
        &txn,
        actor,
        "instrument.delete_element",
        "instrument",
        Some(found.instrument_id.to_string()),
        Some(&before),
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn add_criterion(
    db: &DatabaseConnection,
    actor: &Actor,
    element_id: i32,
    item: ItemEdit,
) -> Result<(), AppError> {
    let parent = element::Entity::find_by_id(element_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("element"))?;
    require_draft(db, parent.instrument_id).await?;
    let item = check_item(&item)?;
    let kind = parent.kind;
    let last: Option<i32> = criterion::Entity::find()
        .select_only()
        .column_as(criterion::Column::Position.max(), "position")
        .filter(criterion::Column::ElementId.eq(element_id))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    criterion::ActiveModel {
        instrument_id: Set(parent.instrument_id),
        element_id: Set(element_id),
        code: Set(item.code.clone()),
        position: Set(last.unwrap_or(0) + 1),
        text_vi: Set(item.text_vi.clone()),
        text_en: Set(item.text_en.clone()),
        scale: Set(scale_of(kind)),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(duplicate_code)?;
    let after =
        serde_json::json!({"code": item.code, "element": parent.code, "text_vi": item.text_vi});
    audit::record(
        db,
        actor,
        "instrument.add_criterion",
        "instrument",
        Some(parent.instrument_id.to_string()),
        None::<&()>,
        Some(&after),
    )
    .await
}

pub async fn update_criterion(
    db: &DatabaseConnection,
    actor: &Actor,
    criterion_id: i32,
    item: ItemEdit,
) -> Result<(), AppError> {
    let found = criterion::Entity::find_by_id(criterion_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("criterion"))?;
    require_draft(db, found.instrument_id).await?;
    let item = check_item(&item)?;
    let before =
        serde_json::json!({"code": found.code, "text_vi": found.text_vi, "text_en": found.text_en});
    let instrument_id = found.instrument_id;
    let mut active: criterion::ActiveModel = found.into();
    active.code = Set(item.code.clone());
    active.text_vi = Set(item.text_vi.clone());
    active.text_en = Set(item.text_en.clone());
    active.update(db).await.map_err(duplicate_code)?;
    let after =
        serde_json::json!({"code": item.code, "text_vi": item.text_vi, "text_en": item.text_en});
    audit::record(
        db,
        actor,
        "instrument.update_criterion",
        "instrument",
        Some(instrument_id.to_string()),
        Some(&before),
        Some(&after),
    )
    .await
}

pub async fn delete_criterion(
    db: &DatabaseConnection,
    actor: &Actor,
    criterion_id: i32,
) -> Result<(), AppError> {
    let found = criterion::Entity::find_by_id(criterion_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("criterion"))?;
    require_draft(db, found.instrument_id).await?;
    criterion::Entity::delete_by_id(criterion_id)
        .exec(db)
        .await?;
    let before = serde_json::json!({"code": found.code, "text_vi": found.text_vi});
    audit::record(
        db,
        actor,
        "instrument.delete_criterion",
        "instrument",
        Some(found.instrument_id.to_string()),
        Some(&before),
        None::<&()>,
    )
    .await
}

/// Copies `source` into a new draft: the next version of the same code, or
/// version 1 of `new_code`.
pub async fn copy(
    db: &DatabaseConnection,
    actor: &Actor,
    source_id: i32,
    new_code: Option<&str>,
) -> Result<instrument::Model, AppError> {
    let source = load(db, source_id).await?;
    let code = match new_code.map(str::trim) {
        Some(code) if !instrument_code_is_valid(code) => {
            return Err(AppError::invalid("code", Problem::InvalidValue));
        }
        Some(code) => code.to_owned(),
        None => source.instrument.code.clone(),
    };
    let txn = db.begin().await?;
    let latest: Option<i32> = instrument::Entity::find()
        .select_only()
        .column_as(instrument::Column::Version.max(), "version")
        .filter(instrument::Column::Code.eq(&code))
        .into_tuple()
        .one(&txn)
        .await?
        .flatten();
    if new_code.is_some() && latest.is_some() {
        return Err(AppError::invalid("code", Problem::Duplicate));
    }
    let stored = instrument::ActiveModel {
        code: Set(code.clone()),
        version: Set(latest.unwrap_or(0) + 1),
        title_vi: Set(source.instrument.title_vi.clone()),
        title_en: Set(source.instrument.title_en.clone()),
        audience: Set(source.instrument.audience.clone()),
        status: Set("draft".to_owned()),
        created_at: Set(Utc::now()),
        profile_fields: Set(source.instrument.profile_fields.clone()),
        asks_comment: Set(source.instrument.asks_comment),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    copy_items(&txn, &source, stored.id).await?;
    let after = serde_json::json!({"code": stored.code, "version": stored.version, "from": format!("{}@{}", source.instrument.code, source.instrument.version)});
    audit::record(
        &txn,
        actor,
        "instrument.copy",
        "instrument",
        Some(stored.id.to_string()),
        None::<&()>,
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(stored)
}

async fn copy_items(
    txn: &DatabaseTransaction,
    source: &LoadedInstrument,
    instrument_id: i32,
) -> Result<(), AppError> {
    for (element_position, loaded) in (1..).zip(&source.elements) {
        let stored_element = element::ActiveModel {
            instrument_id: Set(instrument_id),
            code: Set(loaded.code.clone()),
            kind: Set(loaded.kind),
            position: Set(element_position),
            title_vi: Set(loaded.title_vi.clone()),
            title_en: Set(loaded.title_en.clone()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (position, c) in (1..).zip(&loaded.criteria) {
            criterion::ActiveModel {
                instrument_id: Set(instrument_id),
                element_id: Set(stored_element.id),
                code: Set(c.code.clone()),
                position: Set(position),
                text_vi: Set(c.text_vi.clone()),
                text_en: Set(c.text_en.clone()),
                scale: Set(c.scale),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}
