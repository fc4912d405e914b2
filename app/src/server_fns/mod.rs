//! Server functions, grouped by domain (the same names as the pages and the
//! services). Each one is thin: it checks who is asking, reads the input,
//! calls the services and shapes the result for a page; a failure keeps its
//! kind as a [`PageError`](crate::error::PageError). They are public
//! endpoints, so each decides itself who may call it.

pub mod account;
pub mod actions;
pub mod admin;
pub mod auth;
pub mod distribution;
pub mod dossiers;
pub mod feedback;
pub mod indices;
pub mod instruments;
pub mod quality;
pub mod rounds;
pub mod setup;
pub mod survey;
pub mod templates;

pub use account::*;
pub use actions::*;
pub use admin::*;
pub use auth::*;
pub use distribution::*;
pub use dossiers::*;
pub use feedback::*;
pub use indices::*;
pub use instruments::*;
pub use quality::*;
pub use rounds::*;
pub use setup::*;
pub use survey::*;
pub use templates::*;

/// A form post from a browser without JavaScript (it accepts HTML), as
/// opposed to a call from the island, which wants the outcome as data.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Sends the browser to sign in, coming back to the page it asked for.
#[cfg(feature = "ssr")]
pub fn redirect_to_login() {
    let back = leptos::prelude::use_context::<http::request::Parts>()
        .filter(|parts| parts.method == http::Method::GET)
        .map(|parts| {
            parts
                .uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default()
        })
        .unwrap_or_else(|| "/staff".to_owned());
    leptos_axum::redirect(&format!("/login?next={}", url_encode(&back)));
}

/// Percent-encodes a path for a query value (slashes kept, for readability).
#[cfg(feature = "ssr")]
pub(crate) fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A path inside this site to go to after signing in; anything else goes to `/staff`.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path)
        .unwrap_or_else(|| "/staff".to_owned())
}

/// `path` when it can only lead to a page of this site: it starts with one
/// slash, and holds no backslash, whitespace or control character (browsers
/// drop tabs and newlines from a URL, so `/\t/evil.example` would become
/// `//evil.example`, another site).
pub fn local_path(path: &str) -> Option<String> {
    let mut chars = path.chars();
    let starts_well = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    let clean = !path
        .chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    (starts_well && clean).then(|| path.to_owned())
}

/// The caller, who must hold one of `roles`, as the audit log names them,
/// with the state: what every server function that changes something needs.
#[cfg(feature = "ssr")]
pub fn acting_as(
    roles: &[domain::model::Role],
) -> Result<(crate::ssr::AppState, domain::services::audit::Actor), domain::AppError> {
    use crate::ssr::auth::{request_auth, require};
    let principal = require(roles)?;
    let state = crate::ssr::AppState::from_context()?;
    let actor = domain::services::audit::Actor::of(&principal, &request_auth().client_ip);
    Ok((state, actor))
}

/// Loads a staff page for a caller holding one of `roles`.
#[cfg(feature = "ssr")]
pub async fn staff_page<T, F>(
    roles: &[domain::model::Role],
    load: impl FnOnce(crate::ssr::AppState, crate::ssr::auth::Principal) -> F,
) -> Result<domain::model::StaffPage<T>, crate::error::PageError>
where
    F: std::future::Future<Output = Result<T, domain::AppError>>,
{
    staff_page_with_flash(roles, |state, principal, _| load(state, principal)).await
}

/// As [`staff_page`], for a page whose data depends on the last form's
/// outcome (a draft coming back to be previewed): `load` also gets it.
#[cfg(feature = "ssr")]
pub async fn staff_page_with_flash<T, F>(
    roles: &[domain::model::Role],
    load: impl FnOnce(
        crate::ssr::AppState,
        crate::ssr::auth::Principal,
        Option<domain::model::FormFlash>,
    ) -> F,
) -> Result<domain::model::StaffPage<T>, crate::error::PageError>
where
    F: std::future::Future<Output = Result<T, domain::AppError>>,
{
    use crate::ssr::auth::{request_auth, require};
    use domain::model::{StaffPage, Viewer};

    let principal = require(roles)?;
    let state = crate::ssr::AppState::from_context()?;
    let auth = request_auth();
    let viewer = Viewer {
        username: principal.name.clone(),
        display_name: principal.display_name.clone(),
        role: principal.role,
        csrf_token: auth.csrf_token,
    };
    let flash = crate::ssr::cookies::take_flash().await;
    let data = load(state, principal, flash.clone()).await?;
    Ok(StaffPage {
        viewer,
        flash,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/rounds/x?lang=en")), "/rounds/x?lang=en");
        assert_eq!(safe_next(Some("//evil.example")), "/staff");
        assert_eq!(safe_next(Some("https://evil.example")), "/staff");
        assert_eq!(safe_next(Some("/\\evil.example")), "/staff");
        assert_eq!(safe_next(None), "/staff");
        for attempt in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "/ /evil.example",
            "\\\\evil.example",
            "/x\\..\\..\\evil",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(attempt)), "/staff", "{attempt:?}");
        }
    }
}
