//! Signing in and out.

use leptos::prelude::*;

use crate::error::PageError;

use domain::model::{StaffPage, Viewer};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{
        AppState,
        auth::{ANY_ROLE, request_auth},
        cookies::{
            SESSION_COOKIE, remove_cookie, request_lang, respond_with_cookie, set_cookie, set_flash,
        },
    },
    domain::{
        model::{FieldError, FormFlash},
        services::{
            rounds,
            sessions::{self, LoginError},
        },
    },
};

/// The sign-in page's data: the CSRF token and the last attempt's outcome.
#[server(prefix = "/sf", endpoint = "auth/login-page")]
pub async fn get_login_page() -> Result<(String, Option<domain::model::FormFlash>), PageError> {
    use crate::ssr::auth::request_auth;
    use crate::ssr::cookies::take_flash;
    Ok((request_auth().csrf_token, take_flash().await))
}

/// Checks the password, opens a new session and goes on to `next`.
#[server(prefix = "/sf", endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), PageError> {
    let state = AppState::from_context()?;
    let auth = request_auth();
    let lang = request_lang();
    let t = lang.texts();
    let user_agent = use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    let next = super::safe_next(next.as_deref());
    let retry = async |message: String| -> Result<(), PageError> {
        set_flash(&FormFlash {
            form: "login".to_owned(),
            errors: vec![FieldError {
                field: "password".to_owned(),
                message,
            }],
            values: [("username".to_owned(), username.clone())].into(),
            ..FormFlash::default()
        })
        .await?;
        leptos_axum::redirect(&format!(
            "/login?failed=1&next={}",
            super::url_encode(&next)
        ));
        Ok(())
    };
    match sessions::login(
        &state.db,
        &username,
        &password,
        &auth.client_ip,
        user_agent.as_deref(),
        chrono::Utc::now(),
    )
    .await
    {
        Ok(opened) => {
            // Whatever session the browser presented before is ended: a new token each time.
            if let Some(old) = &auth.session_token {
                sessions::logout(&state.db, old).await?;
            }
            respond_with_cookie(set_cookie(SESSION_COOKIE, &opened.token, auth.secure, None));
            leptos_axum::redirect(&next);
            Ok(())
        }
        Err(LoginError::InvalidCredentials) => retry(t.err_credentials.to_owned()).await,
        Err(LoginError::Throttled(wait)) => retry(lang.throttled(wait.num_minutes() + 1)).await,
        Err(LoginError::Other(err)) => Err(err.into()),
    }
}

/// Ends the current session.
#[server(prefix = "/sf", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), PageError> {
    let state = AppState::from_context()?;
    let auth = request_auth();
    if let Some(token) = &auth.session_token {
        sessions::logout(&state.db, token).await?;
    }
    respond_with_cookie(remove_cookie(SESSION_COOKIE, auth.secure));
    set_flash(&FormFlash {
        form: "login".to_owned(),
        notice: Some("logged-out".to_owned()),
        ..FormFlash::default()
    })
    .await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// The staff home: every round, newest first.
#[server(prefix = "/sf", endpoint = "staff/home")]
pub async fn get_staff_home() -> Result<StaffPage<Vec<domain::model::RoundSummary>>, PageError> {
    super::staff_page(ANY_ROLE, |state, _| async move {
        let lang = request_lang();
        Ok(rounds::list_all(&state.db)
            .await?
            .iter()
            .map(|r| rounds::summary(r, lang))
            .collect())
    })
    .await
}

/// Whoever is signed in, for page headers; `None` for visitors.
#[server(prefix = "/sf", endpoint = "auth/viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, PageError> {
    use crate::ssr::auth::request_auth;
    let auth = request_auth();
    Ok(auth.principal.map(|p| Viewer {
        username: p.name,
        display_name: p.display_name,
        role: p.role,
        csrf_token: auth.csrf_token,
    }))
}
