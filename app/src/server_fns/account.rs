//! A signed-in user's own account: password, sessions and where work
//! alerts go.

use leptos::prelude::*;

use crate::error::PageError;

use domain::model::{AccountSettings, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{
        AppState,
        auth::{ANY_ROLE, request_auth, require},
        cookies::{
            SESSION_COOKIE, remove_cookie, request_lang, respond_with_cookie, set_cookie, set_flash,
        },
    },
    domain::{
        AppError,
        model::FormFlash,
        services::{accounts, audit::Actor, sessions},
    },
};

#[server(prefix = "/sf", endpoint = "account/page")]
pub async fn get_account_page() -> Result<StaffPage<AccountSettings>, PageError> {
    super::staff_page(crate::ssr::auth::ANY_ROLE, |state, principal| async move {
        let alert_email = match principal.user_id {
            Some(id) => accounts::alert_email(&state.db, id).await?,
            None => None,
        };
        Ok(AccountSettings { alert_email })
    })
    .await
}

/// Sets (or, empty, removes) the address of the caller's work alerts.
#[server(prefix = "/sf", endpoint = "account/alerts")]
pub async fn save_alert_email(alert_email: String) -> Result<(), PageError> {
    let principal = require(ANY_ROLE)?;
    let state = AppState::from_context()?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let outcome = accounts::set_alert_email(&state.db, &actor, &alert_email)
        .await
        .map(|()| Some("alerts-saved".to_owned()));
    let values = [("alert_email".to_owned(), alert_email)].into();
    super::admin::finish_form("alerts", "/account", outcome, values).await
}

/// Changes the caller's password; every other session of theirs ends.
#[server(prefix = "/sf", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), PageError> {
    let principal = require(ANY_ROLE)?;
    let state = AppState::from_context()?;
    let auth = request_auth();
    let actor = Actor::of(&principal, &auth.client_ip);
    match accounts::change_own_password(&state.db, &actor, &current_password, &new_password).await {
        Ok(()) => {
            // The old sessions ended; this browser gets a fresh one.
            if let Some(user_id) = principal.user_id {
                let token = sessions::open_for(&state.db, user_id, chrono::Utc::now()).await?;
                respond_with_cookie(set_cookie(SESSION_COOKIE, &token, auth.secure, None));
            }
            set_flash(&FormFlash {
                form: "password".to_owned(),
                notice: Some("password-changed".to_owned()),
                ..FormFlash::default()
            })
            .await?;
        }
        Err(AppError::Invalid(violations)) => {
            set_flash(&FormFlash {
                form: "password".to_owned(),
                errors: violations
                    .iter()
                    .map(|v| v.to_field_error(request_lang()))
                    .collect(),
                ..FormFlash::default()
            })
            .await?
        }
        Err(other) => return Err(other.into()),
    }
    leptos_axum::redirect("/account");
    Ok(())
}

/// Ends every session of the caller, this one included.
#[server(prefix = "/sf", endpoint = "account/logout-everywhere")]
pub async fn log_out_everywhere() -> Result<(), PageError> {
    let principal = require(ANY_ROLE)?;
    let state = AppState::from_context()?;
    let auth = request_auth();
    let user_id = principal.user_id.ok_or(AppError::Forbidden)?;
    accounts::log_out_everywhere(&state.db, &Actor::of(&principal, &auth.client_ip), user_id)
        .await?;
    respond_with_cookie(remove_cookie(SESSION_COOKIE, auth.secure));
    set_flash(&FormFlash {
        form: "login".to_owned(),
        notice: Some("logged-out-everywhere".to_owned()),
        ..FormFlash::default()
    })
    .await?;
    leptos_axum::redirect("/login");
    Ok(())
}
