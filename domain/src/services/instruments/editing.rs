//! Editing questionnaires. Only drafts change. A version that a round has
//! opened is frozen: editing it means making a new version (same code, next
//! number) or a clone (a new code), both drafts with a copy of every
//! element and criterion.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use crate::AppError;
use crate::entities::{criterion, element, instrument};
use crate::model::{ElementKind, ProfileField, Scale};

use super::{LoadedInstrument, load};
use crate::model::{Problem, Violation};
use crate::services::audit::{self, Actor};
use sea_orm::{DatabaseTransaction, QuerySelect};

// ---- Editing -------------------------------------------------------------

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

#[tracing::instrument(skip_all)]
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

#[tracing::instrument(skip_all)]
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

#[tracing::instrument(skip_all)]
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

#[tracing::instrument(skip_all)]
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

#[tracing::instrument(skip_all)]
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

#[tracing::instrument(skip_all)]
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

#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all)]
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
