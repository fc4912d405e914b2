//! The cookies of the platform: the session, the CSRF token and the one-time
//! form flash. All are HttpOnly, SameSite=Lax, whole-site, Secure behind TLS.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, SameSite};
use http::HeaderValue;
use http::header::{COOKIE, SET_COOKIE};

use crate::ssr::auth::request_auth;
use domain::model::FormFlash;

pub const SESSION_COOKIE: &str = "hl_session";
pub const CSRF_COOKIE: &str = "hl_csrf";
pub const FLASH_COOKIE: &str = "hl_flash";

/// A `Set-Cookie` value; `max_age` in seconds, `None` for a browser-session cookie.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut cookie = Cookie::build((name.to_owned(), value.to_owned()))
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

/// The value of a request cookie.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
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

/// Keeps `flash` for the next page (two minutes at most).
pub fn set_flash(flash: &FormFlash) {
    let json = serde_json::to_vec(flash).unwrap_or_default();
    let secure = request_auth().secure;
    respond_with_cookie(set_cookie(
        FLASH_COOKIE,
        &URL_SAFE_NO_PAD.encode(json),
        secure,
        Some(120),
    ));
}

/// The flash left by the previous request, removed as it is read.
pub fn take_flash() -> Option<FormFlash> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let value = cookie_value(&parts.headers, FLASH_COOKIE)?;
    respond_with_cookie(remove_cookie(FLASH_COOKIE, request_auth().secure));
    let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub const LANG_COOKIE: &str = "hl_lang";

/// The language the visitor chose last (the `hl_lang` cookie), Vietnamese by default.
pub fn request_lang() -> domain::i18n::Lang {
    let code = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| cookie_value(&parts.headers, LANG_COOKIE));
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
