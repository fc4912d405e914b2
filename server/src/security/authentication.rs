//! Who is asking: an API token (`Authorization: Bearer hl_…`) or the
//! session cookie, resolved once into a [`RequestAuth`] that pages, server
//! functions and JSON handlers read. The JSON API reads the session cookie
//! only for GET and HEAD, so no cookie-borne request can change anything
//! there. A signed-in browser's CSRF token is derived from its session; a
//! browser without a session gets a CSRF cookie on the way back. A session
//! cookie that no longer opens a session is removed. Responses to signed-in
//! callers are never stored by a cache.

use app::ssr::cookies::{
    CSRF_COOKIE, SESSION_COOKIE, cookie_name, cookie_value, remove_cookie, set_cookie,
};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::AppError;
use domain::auth::{Principal, RequestAuth};
use domain::secrets::{random_token, session_csrf_token};
use domain::services::{sessions, tokens};
use sea_orm::DatabaseConnection;

use super::client;
use crate::api::{ApiError, is_api};

/// What the request presented, and what the response must do about its cookies.
enum Presented {
    Nobody,
    Principal {
        principal: Principal,
        session_token: Option<String>,
    },
    /// A session cookie that opens no session (expired, ended elsewhere).
    StaleSession,
}

pub async fn resolve(
    State(db): State<DatabaseConnection>,
    mut request: Request,
    next: Next,
) -> Response {
    let client = client::of(&request);
    let cookies_count =
        !is_api(request.uri().path()) || matches!(*request.method(), Method::GET | Method::HEAD);
    let api = is_api(request.uri().path());
    let presented = match presented(
        &db,
        request.headers().clone(),
        api,
        cookies_count,
        client.secure,
    )
    .await
    {
        Ok(presented) => presented,
        Err(err) => return ApiError(err).into_response(),
    };
    let existing_csrf =
        cookie_value(request.headers(), CSRF_COOKIE, client.secure).filter(|v| v.len() == 64);
    let (principal, session_token) = match &presented {
        Presented::Principal {
            principal,
            session_token,
        } => (Some(principal.clone()), session_token.clone()),
        Presented::Nobody | Presented::StaleSession => (None, None),
    };
    let csrf_token = match &session_token {
        Some(session) => session_csrf_token(session),
        None => existing_csrf.clone().unwrap_or_else(random_token),
    };
    let signed_in = principal.is_some();
    request.extensions_mut().insert(RequestAuth {
        principal,
        csrf_token: csrf_token.clone(),
        client_ip: client.ip.clone(),
        session_token,
        secure: client.secure,
    });

    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let sets = |name: &str| {
        headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&format!("{name}="))))
    };
    let (sets_session, sets_csrf) = (
        sets(&cookie_name(SESSION_COOKIE, client.secure)),
        sets(&cookie_name(CSRF_COOKIE, client.secure)),
    );
    if existing_csrf.is_none() && !sets_csrf {
        headers.append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &csrf_token, client.secure, None),
        );
    }
    if matches!(presented, Presented::StaleSession) && !sets_session {
        headers.append(
            header::SET_COOKIE,
            remove_cookie(SESSION_COOKIE, client.secure),
        );
    }
    if signed_in {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The token or session the request presents; a token that opens nothing
/// is a 401. Tokens count only under the JSON API (`api`); `cookies_count` is
/// false for requests that change state through the JSON API.
async fn presented(
    db: &DatabaseConnection,
    headers: HeaderMap,
    api: bool,
    cookies_count: bool,
    secure: bool,
) -> Result<Presented, AppError> {
    let now = chrono::Utc::now();
    // API tokens are credentials of the JSON API only: pages and server
    // functions never see one, so a token cannot act as a signed-in user.
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|_| api);
    if let Some(token) = bearer {
        return match tokens::resolve(db, token, now).await? {
            Some(principal) => Ok(Presented::Principal {
                principal,
                session_token: None,
            }),
            None => Err(AppError::Unauthorized),
        };
    }
    let Some(token) = cookie_value(&headers, SESSION_COOKIE, secure).filter(|_| cookies_count)
    else {
        return Ok(Presented::Nobody);
    };
    Ok(match sessions::resolve(db, &token, now).await? {
        Some(principal) => Presented::Principal {
            principal,
            session_token: Some(token),
        },
        None => Presented::StaleSession,
    })
}
