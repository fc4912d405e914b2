//! The cookies of the platform: the session, the CSRF token of visitors
//! without a session, the id of a one-time form flash (whose content stays
//! in the database) and the chosen language. All are HttpOnly, SameSite=Lax
//! and whole-site; by default they are `Secure` and named with the
//! `__Host-` prefix, so that no other site or subdomain can set them. Only
//! an explicit development flag (`HAILONG_INSECURE_COOKIES=1`) turns that
//! off, for plain HTTP on one's own machine.

use cookie::{Cookie, SameSite};
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};

use crate::ssr::auth::request_auth;
use domain::model::FormFlash;

pub const SESSION_COOKIE: &str = "hl_session";
pub const CSRF_COOKIE: &str = "hl_csrf";
pub const FLASH_COOKIE: &str = "hl_flash";

/// The name a cookie goes by: `__Host-` prefixed when it is `Secure`.
pub fn cookie_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// A `Set-Cookie` value; `max_age` in seconds, `None` for a browser-session cookie.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut cookie = Cookie::build((cookie_name(name, secure), value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    if let Some(seconds) = max_age {
        cookie.set_max_age(cookie::time::Duration::seconds(seconds));
    }
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn remove_cookie(name: &str, secure: bool) -> HeaderValue {
    set_cookie(name, "", secure, Some(0))
}

/// The value of a request cookie (named as [`cookie_name`] says).
pub fn cookie_value(headers: &http::HeaderMap, name: &str, secure: bool) -> Option<String> {
    let name = cookie_name(name, secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// Adds a `Set-Cookie` to the response being built (page or server function).
pub fn respond_with_cookie(value: HeaderValue) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.append_header(SET_COOKIE, value);
    }
}

/// Keeps `flash` for the next page (two minutes at most): its content in
/// the database, only a random id in the cookie.
pub async fn set_flash(flash: &FormFlash) -> Result<(), domain::AppError> {
    let state = crate::ssr::AppState::from_context()?;
    respond_with_cookie(flash_cookie(&state.db, flash, request_auth().secure).await?);
    Ok(())
}

/// Stores `flash` and returns the `Set-Cookie` that carries its id (for a
/// handler outside Leptos; pages and server functions use [`set_flash`]).
pub async fn flash_cookie(
    db: &sea_orm::DatabaseConnection,
    flash: &FormFlash,
    secure: bool,
) -> Result<HeaderValue, domain::AppError> {
    let id = domain::services::flashes::keep(db, flash).await?;
    Ok(set_cookie(
        FLASH_COOKIE,
        &id,
        secure,
        Some(domain::services::flashes::LIFETIME_SECS),
    ))
}

/// The flash left by the previous request, removed as it is read.
pub async fn take_flash() -> Option<FormFlash> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let secure = request_auth().secure;
    let id = cookie_value(&parts.headers, FLASH_COOKIE, secure)?;
    respond_with_cookie(remove_cookie(FLASH_COOKIE, secure));
    let state = crate::ssr::AppState::from_context().ok()?;
    match domain::services::flashes::take(&state.db, &id).await {
        Ok(flash) => flash,
        Err(e) => {
            tracing::warn!("reading a form flash failed: {e}");
            None
        }
    }
}

pub const LANG_COOKIE: &str = "hl_lang";

/// The language the visitor chose last (the `hl_lang` cookie), Vietnamese by default.
pub fn request_lang() -> domain::i18n::Lang {
    let secure = request_auth().secure;
    let code = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| cookie_value(&parts.headers, LANG_COOKIE, secure));
    domain::i18n::Lang::parse(code.as_deref())
}

/// Remembers the chosen language for a year.
pub fn remember_lang(lang: domain::i18n::Lang) {
    respond_with_cookie(set_cookie(
        LANG_COOKIE,
        lang.code(),
        request_auth().secure,
        Some(365 * 24 * 3600),
    ));
}
