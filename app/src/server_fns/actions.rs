//! Server functions of action plans: the staff page of a round's plan,
//! recording an action, reporting progress, publishing, and the public
//! "you said — we did — measured again" page.

use leptos::prelude::*;

use crate::error::PageError;

use domain::i18n::Lang;
use domain::model::{ActionsPage, PublicActionsPage, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{
        AppState,
        auth::{ANY_ROLE, request_auth, require},
    },
    domain::{
        AppError,
        model::Problem,
        services::{actions, audit::Actor, rounds},
    },
};

/// The action plan of round `slug`, for any signed-in user.
#[server(prefix = "/sf", endpoint = "actions/page")]
pub async fn get_actions_page(
    slug: String,
    lang: Lang,
) -> Result<StaffPage<ActionsPage>, PageError> {
    super::staff_page(ANY_ROLE, |state, principal| async move {
        let round = rounds::require(&state.db, &slug).await?;
        actions::page(&state.db, &principal, &round, lang).await
    })
    .await
}

/// Records an action of round `slug`'s plan (leaders and admins).
#[server(prefix = "/sf", endpoint = "actions/plan")]
pub async fn plan_action(
    slug: String,
    criterion: String,
    what: String,
    owner_department: String,
    due_on: String,
    #[server(default)] expected_effect: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(actions::PLANNERS)?;
    let new = actions::NewAction {
        criterion_code: criterion.clone(),
        what: what.clone(),
        owner_department: owner_department.clone(),
        due_on: due_on.clone(),
        expected_effect: expected_effect.clone(),
    };
    let outcome = match rounds::require(&state.db, &slug).await {
        Ok(round) => actions::plan(&state.db, &actor, &round, &new)
            .await
            .map(|_| Some("action-planned".to_owned())),
        Err(err) => Err(err),
    };
    let values = [
        ("criterion", criterion),
        ("what", what),
        ("owner_department", owner_department),
        ("due_on", due_on),
        ("expected_effect", expected_effect),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    super::admin::finish_form(
        "action-new",
        &format!("/rounds/{slug}/actions#action-new"),
        outcome,
        values,
    )
    .await
}

/// Reports where action `id` stands (leaders, admins, the owner department's staff).
#[server(prefix = "/sf", endpoint = "actions/progress")]
pub async fn update_action(
    id: i32,
    status: String,
    #[server(default)] progress_note: String,
) -> Result<(), PageError> {
    let principal = require(ANY_ROLE)?;
    let state = AppState::from_context()?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let found = actions::require(&state.db, id).await?;
    let round = actions::round_of(&state.db, &found).await?;
    let outcome =
        actions::report_progress(&state.db, &actor, &principal, id, &status, &progress_note)
            .await
            .map(|_| Some("action-updated".to_owned()));
    let values = [
        ("status".to_owned(), status),
        ("progress_note".to_owned(), progress_note),
    ]
    .into_iter()
    .collect();
    super::admin::finish_form(
        &format!("action-{id}"),
        &format!("/rounds/{}/actions#action-{id}", round.slug),
        outcome,
        values,
    )
    .await
}

/// Publishes action `id` on the public page of its round's results, or
/// takes it off (`published` = "false"); leaders and admins.
#[server(prefix = "/sf", endpoint = "actions/publish")]
pub async fn publish_action(id: i32, published: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(actions::PLANNERS)?;
    let found = actions::require(&state.db, id).await?;
    let round = actions::round_of(&state.db, &found).await?;
    let outcome = match published.as_str() {
        "true" => actions::set_published(&state.db, &actor, id, true)
            .await
            .map(|_| Some("action-published".to_owned())),
        "false" => actions::set_published(&state.db, &actor, id, false)
            .await
            .map(|_| Some("action-unpublished".to_owned())),
        _ => Err(AppError::invalid("published", Problem::InvalidValue)),
    };
    super::admin::finish_form(
        &format!("action-{id}"),
        &format!("/rounds/{}/actions#action-{id}", round.slug),
        outcome,
        Default::default(),
    )
    .await
}

/// The published actions of published results `public_id`: public.
#[server(prefix = "/sf", endpoint = "results/actions")]
pub async fn get_public_actions(
    public_id: String,
    lang: Lang,
) -> Result<Option<PublicActionsPage>, PageError> {
    let state = AppState::from_context()?;
    Ok(actions::public_page(
        &state.db,
        &domain::public_codes::normalise(&public_id),
        lang,
    )
    .await?)
}
