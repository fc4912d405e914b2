//! Server functions of the data-quality review: the flags of a round, and
//! confirming or dismissing them, one by one or in bulk.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::PageError;

use domain::i18n::Lang;
use domain::model::{QualityPage, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::auth::{ANY_ROLE, request_auth, require},
    domain::{
        AppError,
        model::{FlagKind, FlagStatus, Problem},
        services::{audit::Actor, quality, rounds},
    },
};

/// The flags of round `slug` with status `status` (waiting ones when
/// empty), for any signed-in user.
#[server(prefix = "/sf", endpoint = "quality/page")]
pub async fn get_quality_page(
    slug: String,
    status: String,
    lang: Lang,
) -> Result<StaffPage<QualityPage>, PageError> {
    super::staff_page(ANY_ROLE, |state, principal| async move {
        let showing = FlagStatus::parse(&status).unwrap_or(FlagStatus::Open);
        let round = rounds::require(&state.db, &slug).await?;
        quality::page(&state.db, &principal, &round, showing, lang).await
    })
    .await
}

/// Confirms (`decision` = "confirm") or dismisses ("dismiss") the flags
/// ticked in `flags` (flag id → "on"), or every waiting flag of `kind`.
#[server(prefix = "/sf", endpoint = "quality/decide")]
pub async fn decide_flags(
    slug: String,
    decision: String,
    #[server(default)] kind: String,
    flags: Option<BTreeMap<String, String>>,
) -> Result<(), PageError> {
    let principal = require(ANY_ROLE)?;
    let state = crate::ssr::AppState::from_context()?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let round = rounds::require(&state.db, &slug).await?;
    let confirm = match decision.as_str() {
        "confirm" => Some(true),
        "dismiss" => Some(false),
        _ => None,
    };
    let ids: Vec<i32> = if kind.is_empty() {
        flags
            .unwrap_or_default()
            .keys()
            .filter_map(|id| id.parse().ok())
            .collect()
    } else {
        match FlagKind::parse(&kind) {
            Some(kind) => quality::open_flags_of_kind(&state.db, round.id, kind).await?,
            None => Vec::new(),
        }
    };
    let outcome = match confirm {
        None => Err(AppError::invalid("decision", Problem::InvalidValue)),
        Some(confirm) => quality::decide(&state.db, &principal, &actor, &round, &ids, confirm)
            .await
            .map(|_| {
                Some(
                    if confirm {
                        "flags-confirmed"
                    } else {
                        "flags-dismissed"
                    }
                    .to_owned(),
                )
            }),
    };
    super::admin::finish_form(
        "flags",
        &format!("/rounds/{slug}/quality"),
        outcome,
        BTreeMap::new(),
    )
    .await
}
