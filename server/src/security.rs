//! The security middleware in front of every route: who is asking (session
//! cookie or API token), CSRF proof for every state-changing request, rate
//! limits on public submissions and sign-in, and hardened response headers.
//!
//! Rules:
//! - Pages and server functions authenticate by the session cookie.
//! - The JSON API (`/api/v1/`) authenticates by `Authorization: Bearer hl_…`;
//!   it reads the session cookie only for GET, so no cookie-borne request can
//!   change anything there, and those requests need no CSRF proof.
//! - Every other POST (server functions, forms posted without JavaScript)
//!   must carry the CSRF token of the `hl_csrf` cookie as the form field
//!   `csrf_token` or the header `X-CSRF-Token`, and an `Origin`, when sent,
//!   must be this site.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use app::ssr::AppState;
use domain::AppError;

use crate::api::ApiError;
use app::ssr::cookies::{CSRF_COOKIE, SESSION_COOKIE, cookie_value, remove_cookie, set_cookie};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::auth::RequestAuth;
use domain::secrets::{constant_time_eq, random_token};
use domain::services::{sessions, tokens};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Largest body of an ordinary request; uploads (multipart) may reach the upload limit.
pub use crate::{BODY_LIMIT_BYTES, UPLOAD_LIMIT_BYTES};
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the middleware treats the network around it.
#[derive(Clone, Debug, Default)]
pub struct SecurityConfig {
    /// Take the client address from the last `X-Forwarded-For` entry (behind one trusted proxy).
    pub trust_proxy: bool,
    /// Mark cookies `Secure` even without `X-Forwarded-Proto: https` (TLS terminated in front).
    pub secure_cookies: bool,
    /// Skip the per-address request budgets: for load tests from one
    /// address, or behind a gateway that limits rates itself.
    pub without_rate_limits: bool,
}

/// Per-address request budgets of this instance. Sign-in is also throttled
/// in the database (shared by all instances); these stop floods early.
pub struct RateLimits {
    survey_submit: DefaultKeyedRateLimiter<String>,
    api_submit: DefaultKeyedRateLimiter<String>,
    login: DefaultKeyedRateLimiter<String>,
    feedback_submit: DefaultKeyedRateLimiter<String>,
    tracking: DefaultKeyedRateLimiter<String>,
}

/// Requests per minute (and burst) per address.
pub const SURVEY_SUBMITS_PER_MINUTE: u32 = 30;
pub const API_SUBMITS_PER_MINUTE: u32 = 120;
pub const LOGINS_PER_MINUTE: u32 = 20;
/// Feedback sent through the public form or API.
pub const FEEDBACK_PER_MINUTE: u32 = 10;
/// Tracking-code lookups and ratings: enough for a person, too few to guess codes.
pub const TRACKING_PER_MINUTE: u32 = 30;

fn per_minute(n: u32) -> DefaultKeyedRateLimiter<String> {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(n).allow_burst(n))
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            survey_submit: per_minute(SURVEY_SUBMITS_PER_MINUTE),
            api_submit: per_minute(API_SUBMITS_PER_MINUTE),
            login: per_minute(LOGINS_PER_MINUTE),
            feedback_submit: per_minute(FEEDBACK_PER_MINUTE),
            tracking: per_minute(TRACKING_PER_MINUTE),
        }
    }
}

impl RateLimits {
    fn for_request(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
    ) -> Option<&DefaultKeyedRateLimiter<String>> {
        let api_tracking = path.starts_with("/api/v1/feedback/");
        let page_tracking = path == "/feedback/track" && query.is_some_and(|q| q.contains("code="));
        if method == Method::GET {
            return (api_tracking || page_tracking).then_some(&self.tracking);
        }
        if method != Method::POST {
            return None;
        }
        if path == "/sf/feedback/send" || path == "/api/v1/feedback" {
            Some(&self.feedback_submit)
        } else if api_tracking || path == "/sf/feedback/track" || path == "/sf/feedback/rate" {
            Some(&self.tracking)
        } else if path == "/sf/survey/submit" {
            Some(&self.survey_submit)
        } else if path == "/sf/auth/login" {
            Some(&self.login)
        } else if path.starts_with("/api/v1/rounds/") && path.ends_with("/responses") {
            Some(&self.api_submit)
        } else {
            None
        }
    }
}

#[derive(Clone)]
pub struct SecurityState {
    pub app: AppState,
    pub config: SecurityConfig,
    pub limits: Arc<RateLimits>,
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

fn client_ip(request: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return forwarded.trim().to_owned();
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn refusal(
    status: StatusCode,
    code: &str,
    message_vi: &str,
    message_en: &str,
    wants_html: bool,
) -> Response {
    if wants_html {
        let html = format!(
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{status}</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\
             <body><main><h1>{message_vi}</h1><p lang=\"en\">{message_en}</p>\
             <p><a href=\"/\">Trang chủ / Home</a></p></main></body></html>"
        );
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response()
    } else {
        let body =
            serde_json::json!({"error": {"code": code, "message": message_en, "fields": []}});
        (status, axum::Json(body)).into_response()
    }
}

/// The CSRF token presented by the request: the header, else the form field
/// (url-encoded or multipart; the body is read and put back). Bodies above
/// their limit are refused with 413.
async fn presented_csrf_token(request: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(token) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        let token = token.to_owned();
        return Ok((Some(token), request));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let boundary = multer::parse_boundary(&content_type).ok();
    let limit = if boundary.is_some() {
        UPLOAD_LIMIT_BYTES
    } else {
        BODY_LIMIT_BYTES
    };
    let (parts, body) = request.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => return Err(ApiError(AppError::TooLarge).into_response()),
    };
    let token = match boundary {
        Some(boundary) => multipart_field(bytes.clone(), boundary, CSRF_FIELD).await,
        None if content_type.starts_with("application/x-www-form-urlencoded") => {
            form_urlencoded::parse(&bytes)
                .find(|(key, _)| key == CSRF_FIELD)
                .map(|(_, value)| value.into_owned())
        }
        None => None,
    };
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// The text of the first multipart field named `name`.
async fn multipart_field(bytes: Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split("://").nth(1).unwrap_or_default();
    !host.is_empty() && origin_host == host
}

pub async fn security(
    State(state): State<SecurityState>,
    request: Request,
    next: Next,
) -> Response {
    let now = chrono::Utc::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let headers = request.headers().clone();
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let ip = client_ip(&request, state.config.trust_proxy);
    let secure = state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));

    let limiter = if state.config.without_rate_limits {
        None
    } else {
        state
            .limits
            .for_request(&method, &path, request.uri().query())
    };
    if let Some(limiter) = limiter {
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        if let Err(not_until) = limiter.check_key(&ip) {
            let wait = not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1);
            let mut response = refusal(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
                "Too many requests. Please try again in a few minutes.",
                wants_html,
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            return response;
        }
    }

    let db = &state.app.db;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    let session_cookie = cookie_value(&headers, SESSION_COOKIE);
    let cookies_count = !is_api(&path) || method == Method::GET || method == Method::HEAD;
    let mut clear_session_cookie = false;
    let mut session_token = None;
    let principal = if let Some(token) = bearer {
        match tokens::resolve(db, &token, now).await {
            Ok(Some(principal)) => Some(principal),
            Ok(None) => return ApiError(AppError::Unauthorized).into_response(),
            Err(err) => return ApiError(err).into_response(),
        }
    } else if let Some(token) = session_cookie.filter(|_| cookies_count) {
        match sessions::resolve(db, &token, now).await {
            Ok(Some(principal)) => {
                session_token = Some(token);
                Some(principal)
            }
            Ok(None) => {
                clear_session_cookie = true;
                None
            }
            Err(err) => return ApiError(err).into_response(),
        }
    } else {
        None
    };

    let existing_csrf = cookie_value(&headers, CSRF_COOKIE).filter(|v| v.len() == 64);
    let csrf_token = existing_csrf.clone().unwrap_or_else(random_token);
    let mut request = request;
    let changes_state = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let too_long = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|length| {
            let multipart = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("multipart/form-data"));
            length
                > if multipart {
                    UPLOAD_LIMIT_BYTES
                } else {
                    BODY_LIMIT_BYTES
                }
        });
    if too_long {
        return ApiError(AppError::TooLarge).into_response();
    }
    if changes_state && !is_api(&path) {
        if !same_origin(&headers) {
            return refusal(
                StatusCode::FORBIDDEN,
                "cross_origin",
                "Yêu cầu từ trang khác bị từ chối.",
                "Requests from other sites are refused.",
                wants_html,
            );
        }
        let (presented, rebuilt) = match presented_csrf_token(request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        request = rebuilt;
        let valid = existing_csrf.is_some()
            && presented.is_some_and(|token| constant_time_eq(&token, &csrf_token));
        if !valid {
            return refusal(
                StatusCode::FORBIDDEN,
                "csrf",
                "Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ. Vui lòng tải lại trang rồi thử lại.",
                "Your session expired or the request is not valid. Please reload the page and try again.",
                wants_html,
            );
        }
    }

    request.extensions_mut().insert(RequestAuth {
        principal,
        csrf_token: csrf_token.clone(),
        client_ip: ip,
        session_token,
        secure,
    });
    let mut response = next.run(request).await;
    let response_headers = response.headers_mut();
    let sets = |name: &str| {
        response_headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&format!("{name}="))))
    };
    let (sets_session, sets_csrf) = (sets(SESSION_COOKIE), sets(CSRF_COOKIE));
    if existing_csrf.is_none() && !sets_csrf {
        response_headers.append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &csrf_token, secure, None),
        );
    }
    if clear_session_cookie && !sets_session {
        response_headers.append(header::SET_COOKIE, remove_cookie(SESSION_COOKIE, secure));
    }
    response
}

/// Headers every response gets; pages set a stricter, nonce-based CSP themselves.
pub async fn hardened_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    response
}
