//! What every request handler, page and server function shares.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    /// The site's address as the public sees it (for QR codes and links
    /// sent out); when unset, taken from the request.
    pub public_url: Option<String>,
    /// Whether a mail server is set (`HAILONG_SMTP_URL` and
    /// `HAILONG_MAIL_FROM`); without one e-mails wait in the outbox and its
    /// page says why.
    pub mail_configured: bool,
    /// Whether an SMS gateway is set (`HAILONG_SMS_WEBHOOK_URL`).
    pub sms_configured: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The state inside a page or server function (provided by `leptos_routes_with_context`).
    pub fn from_context() -> Result<Self, domain::AppError> {
        use_context::<Self>()
            .ok_or_else(|| domain::AppError::Internal("AppState missing from context".into()))
    }
}

impl AppState {
    /// The site's public address for a page or server function: see
    /// [`Self::public_base_url_for`], with the current request's headers.
    pub async fn public_base_url(&self) -> Result<String, domain::AppError> {
        let parts = use_context::<http::request::Parts>();
        self.public_base_url_for(parts.as_ref().map(|p| &p.headers))
            .await
    }

    /// The site's public address without a trailing slash: the operator's
    /// (`HAILONG_PUBLIC_URL`), else the one in the agency's profile, else the
    /// scheme and host of the request with `headers`.
    pub async fn public_base_url_for(
        &self,
        headers: Option<&http::HeaderMap>,
    ) -> Result<String, domain::AppError> {
        if let Some(url) = &self.public_url {
            return Ok(url.trim_end_matches('/').to_owned());
        }
        if let Some(url) = domain::services::settings::public_url(&self.db).await? {
            return Ok(url.trim_end_matches('/').to_owned());
        }
        Ok(headers.map(base_url_of).unwrap_or_default())
    }
}

/// The site's address for the page being rendered, without asking the
/// database: `HAILONG_PUBLIC_URL`, else the request's scheme and host.
/// (Links sent out use [`AppState::public_base_url`], which also knows the
/// profile's address.)
pub fn rendering_base_url() -> String {
    if let Some(url) = use_context::<AppState>().and_then(|state| state.public_url) {
        return url.trim_end_matches('/').to_owned();
    }
    use_context::<http::request::Parts>()
        .map(|parts| base_url_of(&parts.headers))
        .unwrap_or_default()
}

/// `https://host` from a request's headers (X-Forwarded-Proto tells the scheme).
pub fn base_url_of(headers: &http::HeaderMap) -> String {
    let host = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("http");
    format!("{scheme}://{host}")
}
