//! Server functions of the questionnaire editor. Staff and admins edit
//! drafts; a frozen version is copied into a new version or a clone.

use leptos::prelude::*;

use crate::error::PageError;

use domain::model::{InstrumentDetail, InstrumentSummary, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::cookies::request_lang,
    domain::{
        AppError,
        model::{CriterionDetail, ElementDetail, ElementKind, Problem, ProfileField},
        services::instruments::{self, InstrumentHeading, ItemEdit},
    },
};

#[cfg(feature = "ssr")]
const EDITORS: &[domain::model::Role] = &[domain::model::Role::Admin, domain::model::Role::Staff];

#[server(prefix = "/sf", endpoint = "instruments/list")]
pub async fn get_instruments_page() -> Result<StaffPage<Vec<InstrumentSummary>>, PageError> {
    super::staff_page(EDITORS, |state, _| async move {
        instruments::list(&state.db, request_lang()).await
    })
    .await
}

#[server(prefix = "/sf", endpoint = "instruments/detail")]
pub async fn get_instrument_page(id: i32) -> Result<StaffPage<InstrumentDetail>, PageError> {
    super::staff_page(EDITORS, |state, _| async move {
        let loaded = instruments::load(&state.db, id).await?;
        Ok(InstrumentDetail {
            id,
            code: loaded.instrument.code.clone(),
            version: loaded.instrument.version,
            title_vi: loaded.instrument.title_vi.clone(),
            title_en: loaded.instrument.title_en.clone(),
            audience: loaded.instrument.audience.clone(),
            frozen: loaded.instrument.status == "frozen",
            profile_fields: loaded.profile_fields(),
            asks_comment: loaded.instrument.asks_comment,
            elements: loaded
                .elements
                .iter()
                .map(|e| ElementDetail {
                    id: e.id,
                    code: e.code.clone(),
                    kind: e.kind,
                    title_vi: e.title_vi.clone(),
                    title_en: e.title_en.clone(),
                    criteria: e
                        .criteria
                        .iter()
                        .map(|c| CriterionDetail {
                            id: c.id,
                            code: c.code.clone(),
                            text_vi: c.text_vi.clone(),
                            text_en: c.text_en.clone(),
                        })
                        .collect(),
                })
                .collect(),
        })
    })
    .await
}

#[cfg(feature = "ssr")]
async fn back_to(
    instrument_id: i32,
    form: &str,
    outcome: Result<(), domain::AppError>,
    values: std::collections::BTreeMap<String, String>,
) -> Result<(), PageError> {
    super::admin::finish_form(
        form,
        &format!("/instruments/{instrument_id}"),
        outcome.map(|()| Some("instrument-saved".to_owned())),
        values,
    )
    .await
}

#[server(prefix = "/sf", endpoint = "instruments/heading")]
pub async fn update_instrument(
    id: i32,
    title_vi: String,
    title_en: String,
    audience: String,
    profile: Option<std::collections::BTreeMap<String, String>>,
    asks_comment: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(EDITORS)?;
    // The respondent type is always asked: tallies are kept by it.
    let mut profile_fields = vec![ProfileField::RespondentType];
    profile_fields.extend(
        profile
            .unwrap_or_default()
            .keys()
            .filter_map(|k| ProfileField::parse(k))
            .filter(|f| *f != ProfileField::RespondentType),
    );
    let outcome = instruments::update_heading(
        &state.db,
        &actor,
        id,
        InstrumentHeading {
            title_vi,
            title_en,
            audience,
            profile_fields,
            asks_comment: asks_comment.is_some(),
        },
    )
    .await;
    back_to(id, "heading", outcome, Default::default()).await
}

#[server(prefix = "/sf", endpoint = "instruments/element/add")]
pub async fn add_element(
    instrument_id: i32,
    kind: String,
    code: String,
    title_vi: String,
    title_en: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(EDITORS)?;
    let values = [
        ("code".to_owned(), code.clone()),
        ("text_vi".to_owned(), title_vi.clone()),
        ("text_en".to_owned(), title_en.clone()),
        ("kind".to_owned(), kind.clone()),
    ]
    .into();
    let outcome = match ElementKind::parse(&kind) {
        None => Err(AppError::invalid("kind", Problem::InvalidValue)),
        Some(kind) => {
            instruments::add_element(
                &state.db,
                &actor,
                instrument_id,
                kind,
                ItemEdit {
                    code,
                    text_vi: title_vi,
                    text_en: title_en,
                },
            )
            .await
        }
    };
    back_to(instrument_id, "element-new", outcome, values).await
}

#[server(prefix = "/sf", endpoint = "instruments/element/update")]
pub async fn update_element(
    instrument_id: i32,
    element_id: i32,
    code: String,
    title_vi: String,
    title_en: String,
    delete: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(EDITORS)?;
    let outcome = if delete.is_some() {
        instruments::delete_element(&state.db, &actor, element_id).await
    } else {
        instruments::update_element(
            &state.db,
            &actor,
            element_id,
            ItemEdit {
                code,
                text_vi: title_vi,
                text_en: title_en,
            },
        )
        .await
    };
    back_to(
        instrument_id,
        &format!("element-{element_id}"),
        outcome,
        Default::default(),
    )
    .await
}

#[server(prefix = "/sf", endpoint = "instruments/criterion/add")]
pub async fn add_criterion(
    instrument_id: i32,
    element_id: i32,
    code: String,
    text_vi: String,
    text_en: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(EDITORS)?;
    let values = [
        ("code".to_owned(), code.clone()),
        ("text_vi".to_owned(), text_vi.clone()),
        ("text_en".to_owned(), text_en.clone()),
    ]
    .into();
    let outcome = instruments::add_criterion(
        &state.db,
        &actor,
        element_id,
        ItemEdit {
            code,
            text_vi,
            text_en,
        },
    )
    .await;
    back_to(
        instrument_id,
        &format!("criterion-new-{element_id}"),
        outcome,
        values,
    )
    .await
}

#[server(prefix = "/sf", endpoint = "instruments/criterion/update")]
pub async fn update_criterion(
    instrument_id: i32,
    criterion_id: i32,
    code: String,
    text_vi: String,
    text_en: String,
    delete: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(EDITORS)?;
    let outcome = if delete.is_some() {
        instruments::delete_criterion(&state.db, &actor, criterion_id).await
    } else {
        instruments::update_criterion(
            &state.db,
            &actor,
            criterion_id,
            ItemEdit {
                code,
                text_vi,
                text_en,
            },
        )
        .await
    };
    back_to(
        instrument_id,
        &format!("criterion-{criterion_id}"),
        outcome,
        Default::default(),
    )
    .await
}

/// A new version of an instrument (empty `new_code`) or a clone under a new code.
#[server(prefix = "/sf", endpoint = "instruments/copy")]
pub async fn copy_instrument(id: i32, new_code: Option<String>) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(EDITORS)?;
    let new_code = new_code.filter(|c| !c.trim().is_empty());
    match instruments::copy(&state.db, &actor, id, new_code.as_deref()).await {
        Ok(copy) => {
            super::admin::finish_form(
                "heading",
                &format!("/instruments/{}", copy.id),
                Ok(Some("instrument-copied".to_owned())),
                Default::default(),
            )
            .await
        }
        Err(err) => {
            super::admin::finish_form(
                "copy",
                &format!("/instruments/{id}"),
                Err(err),
                [("new_code".to_owned(), new_code.unwrap_or_default())].into(),
            )
            .await
        }
    }
}
