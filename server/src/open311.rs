//! Open311 GeoReport v2 over the feedback desk, so that civic apps and
//! portals that already speak it can file an item and follow it:
//!
//! - `GET /open311/v2/services.json|xml`: a service per feedback category;
//! - `POST /open311/v2/requests.json|xml` (form fields `service_code`,
//!   `description`, optional `address_string`, `lat`, `long`, `first_name`,
//!   `last_name`, `email`, `phone`): records an item as the web form does
//!   and answers with its tracking code as `service_request_id`;
//! - `GET /open311/v2/requests.json|xml?service_request_id=A,B` and
//!   `GET /open311/v2/requests/{code}.json|xml`: status `open` or
//!   `closed`, the published answer as `status_notes`, nothing personal.
//!
//! - `GET /open311/discovery.json|xml`: where the endpoint is, its formats
//!   and whom to contact, as GeoReport's discovery asks.
//!
//! Tracking codes are the holder's key to an item, so requests are only
//! looked up by code, never listed. Lookups and filings spend the same
//! rate-limit budgets as the JSON API's. Every refusal, whatever its cause,
//! is in GeoReport's error format of the format asked for.

use std::sync::Arc;

use app::ssr::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::AppError;
use domain::i18n::Lang;
use domain::model::{FeedbackCategory, SenderContact};
use domain::services::feedback::{self, NewFeedback, Open311Request, Open311Service, Recorder};
use serde::{Deserialize, Serialize};

use crate::security::rate_limits::{Budget, RateLimits, spend_or_refuse};

/// Paths of the Open311 interface start with this.
pub const OPEN311_PREFIX: &str = "/open311/";

/// The Open311 routes, each spending the budget of its kind of request.
pub fn router(limits: &Arc<RateLimits>) -> Router<AppState> {
    Router::new()
        .route("/open311/{document}", get(discovery))
        .route("/open311/v2/{document}", get(document).post(file_request))
        .route("/open311/v2/requests/{document}", get(one_request))
        .route_layer(from_fn_with_state(Arc::clone(limits), spend))
}

/// Filing spends the feedback budget, a lookup the tracking budget; the
/// service list and the discovery document are free.
async fn spend(State(limits): State<Arc<RateLimits>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/open311/v2/services") || !path.starts_with("/open311/v2/") {
        return next.run(request).await;
    }
    let budget = if request.method() == Method::POST {
        Budget::FeedbackSubmit
    } else {
        Budget::Tracking
    };
    if let Some(refused) = spend_or_refuse(&limits, budget, &request) {
        let format = split(path).map_or(Format::Json, |(_, format)| format);
        return in_georeport_format(format, refused);
    }
    next.run(request).await
}

/// A refusal made elsewhere (the rate limits, the JSON API's errors) as a
/// GeoReport error of `format`, its status and `Retry-After` kept; the
/// description says what the status means, never an internal detail.
fn in_georeport_format(format: Format, refused: Response) -> Response {
    let status = refused.status();
    let description = match status {
        StatusCode::TOO_MANY_REQUESTS => {
            "Quá nhiều yêu cầu; xin thử lại sau ít phút. Too many requests; try again in a few minutes."
        }
        StatusCode::NOT_FOUND => "Không tìm thấy. Not found.",
        StatusCode::PAYLOAD_TOO_LARGE => "Yêu cầu quá lớn. The request is too large.",
        s if s.is_server_error() => {
            "Hệ thống gặp lỗi; xin thử lại sau. The service failed; try again later."
        }
        _ => "Yêu cầu không được chấp nhận. The request was refused.",
    };
    let mut response = error(format, status, description);
    if let Some(wait) = refused.headers().get(header::RETRY_AFTER) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, wait.clone());
    }
    response
}

/// The date this interface last changed, as discovery's `changeset`.
const CHANGESET: &str = "2026-12-04T00:00:00Z";

/// GeoReport v2's specification, as discovery names it.
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

#[derive(Serialize)]
#[serde(rename = "discovery")]
struct Discovery {
    changeset: &'static str,
    contact: String,
    key_service: &'static str,
    endpoints: Endpoints,
}

#[derive(Serialize)]
struct Endpoints {
    endpoint: Vec<Endpoint>,
}

#[derive(Serialize)]
struct Endpoint {
    specification: &'static str,
    url: String,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: Formats,
}

#[derive(Serialize)]
struct Formats {
    format: Vec<&'static str>,
}

/// `GET /open311/discovery.{format}`: the endpoint under the site's public
/// address (the request's host when none is set), its formats, and the
/// agency's name and hotline as the contact.
async fn discovery(
    State(state): State<AppState>,
    Path(document): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Some(("discovery", format)) = split(&document) else {
        return not_found(Format::Json, "Use discovery.json or discovery.xml.");
    };
    let base = match &state.public_url {
        Some(url) => Some(url.clone()),
        None => match domain::services::settings::public_url(&state.db).await {
            Ok(url) => url,
            Err(err) => return app_error(format, err),
        },
    };
    let base = base.filter(|u| !u.is_empty()).unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    let contact = match (
        domain::services::settings::agency_name(&state.db).await,
        domain::services::settings::hotline(&state.db).await,
    ) {
        (Ok(name), Ok(hotline)) if !hotline.phone.is_empty() => {
            format!("{name} — {}", hotline.phone)
        }
        (Ok(name), Ok(_)) => name,
        (Err(err), _) | (_, Err(err)) => return app_error(format, err),
    };
    let endpoint = Endpoint {
        specification: SPECIFICATION,
        url: format!("{}/open311/v2", base.trim_end_matches('/')),
        changeset: CHANGESET,
        kind: "production",
        formats: Formats {
            format: vec!["application/json", "text/xml"],
        },
    };
    let json = serde_json::json!({
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": KEY_SERVICE,
        "endpoints": [{
            "specification": endpoint.specification,
            "url": endpoint.url,
            "changeset": endpoint.changeset,
            "type": endpoint.kind,
            "formats": endpoint.formats.format,
        }],
    });
    let xml = Discovery {
        changeset: CHANGESET,
        contact,
        key_service: KEY_SERVICE,
        endpoints: Endpoints {
            endpoint: vec![endpoint],
        },
    };
    reply(format, StatusCode::OK, &json, &xml)
}

/// How to get an API key: none is needed.
const KEY_SERVICE: &str = "Không cần khoá API. No API key is needed.";

/// The two formats of GeoReport v2, chosen by the path's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// `services.json` → (`services`, JSON); no or another extension → none.
fn split(document: &str) -> Option<(&str, Format)> {
    let (name, extension) = document.rsplit_once('.')?;
    let format = match extension {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((name, format))
}

#[derive(Debug, Default, Deserialize)]
struct LookupQuery {
    service_request_id: Option<String>,
    /// `en` for English names; Vietnamese otherwise.
    lang: Option<String>,
}

fn lang_of(code: Option<&str>) -> Lang {
    match code {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

#[derive(Serialize)]
#[serde(rename = "services")]
struct Services<'a> {
    service: &'a [Open311Service],
}

#[derive(Serialize)]
#[serde(rename = "service_requests")]
struct Requests<'a> {
    request: &'a [Open311Request],
}

/// The reply to a filed request.
#[derive(Serialize)]
struct Filed {
    service_request_id: String,
    service_notice: String,
}

#[derive(Serialize)]
#[serde(rename = "service_requests")]
struct FiledRequests<'a> {
    request: &'a [Filed],
}

#[derive(Serialize)]
struct ErrorEntry {
    code: u16,
    description: String,
}

#[derive(Serialize)]
#[serde(rename = "errors")]
struct Errors<'a> {
    error: &'a [ErrorEntry],
}

/// `GET /open311/v2/services.{format}` and `GET /open311/v2/requests.{format}`.
async fn document(
    State(state): State<AppState>,
    Path(document): Path<String>,
    Query(query): Query<LookupQuery>,
) -> Response {
    let Some((name, format)) = split(&document) else {
        return not_found(
            Format::Json,
            "Use services.json, services.xml, requests.json or requests.xml.",
        );
    };
    let lang = lang_of(query.lang.as_deref());
    match name {
        "services" => {
            let services = feedback::open311_services(lang);
            reply(
                format,
                StatusCode::OK,
                &services,
                &Services { service: &services },
            )
        }
        "requests" => {
            let codes = query.service_request_id.unwrap_or_default();
            if codes.trim().is_empty() {
                return error(
                    format,
                    StatusCode::BAD_REQUEST,
                    "service_request_id: nêu mã theo dõi (cách nhau bởi dấu phẩy); phản ánh không được liệt kê công khai. \
                     Name the tracking codes (comma-separated); items are never listed publicly.",
                );
            }
            lookup(&state, format, &codes, lang).await
        }
        _ => not_found(format, "Use services or requests."),
    }
}

/// `GET /open311/v2/requests/{code}.{format}`.
async fn one_request(
    State(state): State<AppState>,
    Path(document): Path<String>,
    Query(query): Query<LookupQuery>,
) -> Response {
    let Some((code, format)) = split(&document) else {
        return not_found(
            Format::Json,
            "Use requests/{service_request_id}.json or .xml.",
        );
    };
    lookup(&state, format, code, lang_of(query.lang.as_deref())).await
}

async fn lookup(state: &AppState, format: Format, codes: &str, lang: Lang) -> Response {
    match feedback::open311_requests(&state.db, codes, lang).await {
        Ok(found) if found.is_empty() => not_found(
            format,
            "Không có phản ánh nào mang mã theo dõi này. No item has this tracking code.",
        ),
        Ok(found) => reply(
            format,
            StatusCode::OK,
            &found,
            &Requests { request: &found },
        ),
        Err(err) => app_error(format, err),
    }
}

/// The form fields of a filed request that this desk uses; the others
/// (`jurisdiction_id`, `api_key`, `device_id`, `media_url`, attributes …)
/// are accepted and ignored.
#[derive(Debug, Default, Deserialize)]
struct FiledForm {
    service_code: Option<String>,
    description: Option<String>,
    address_string: Option<String>,
    lat: Option<String>,
    long: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl FiledForm {
    /// The item as the web form would record it: the place, when given,
    /// is added to the words, since the desk has no map.
    fn into_new(self) -> NewFeedback {
        let mut content = self.description.unwrap_or_default().trim().to_owned();
        let place = self.address_string.unwrap_or_default();
        if !place.trim().is_empty() {
            content.push_str(&format!("\n\nĐịa điểm: {}", place.trim()));
        }
        if let (Some(lat), Some(long)) = (&self.lat, &self.long)
            && !lat.trim().is_empty()
            && !long.trim().is_empty()
        {
            content.push_str(&format!("\n\nToạ độ: {}, {}", lat.trim(), long.trim()));
        }
        let name = [self.first_name, self.last_name]
            .into_iter()
            .flatten()
            .map(|part| part.trim().to_owned())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        NewFeedback {
            channel: "web".to_owned(),
            received_at: None,
            subject: String::new(),
            content,
            category: self.service_code.unwrap_or_default(),
            department: String::new(),
            procedure: String::new(),
            sender: SenderContact {
                name,
                address: String::new(),
                phone: self.phone.unwrap_or_default(),
                email: self.email.unwrap_or_default(),
            },
            consent_to_publish: false,
        }
    }
}

/// `POST /open311/v2/requests.{format}`: files an item.
async fn file_request(
    State(state): State<AppState>,
    Path(document): Path<String>,
    body: Bytes,
) -> Response {
    let Some(("requests", format)) = split(&document) else {
        return not_found(
            Format::Json,
            "Requests are filed at requests.json or requests.xml.",
        );
    };
    let form: FiledForm = match serde_urlencoded::from_bytes(&body) {
        Ok(form) => form,
        Err(err) => {
            return error(
                format,
                StatusCode::BAD_REQUEST,
                &format!("The body is not application/x-www-form-urlencoded: {err}"),
            );
        }
    };
    let code = form.service_code.as_deref().unwrap_or_default().trim();
    if code.is_empty() {
        return error(
            format,
            StatusCode::BAD_REQUEST,
            "service_code: bắt buộc. Required.",
        );
    }
    if FeedbackCategory::parse(code).is_none() {
        return not_found(
            format,
            "service_code: không có dịch vụ này; xem services.json. No such service; see services.json.",
        );
    }
    match feedback::record(&state.db, Recorder::Sender, form.into_new()).await {
        Ok(item) => {
            let filed = [Filed {
                service_notice: format!(
                    "Đã tiếp nhận. Giữ mã {code} để theo dõi tại /feedback/track. \
                     Received; keep the code {code} to follow the item.",
                    code = item.tracking_code
                ),
                service_request_id: item.tracking_code,
            }];
            reply(
                format,
                StatusCode::OK,
                &filed,
                &FiledRequests { request: &filed },
            )
        }
        Err(err) => app_error(format, err),
    }
}

/// A GeoReport document: the JSON array, or the XML with its root.
fn reply<J: Serialize, X: Serialize>(
    format: Format,
    status: StatusCode,
    json: &J,
    xml: &X,
) -> Response {
    match format {
        Format::Json => (status, axum::Json(json)).into_response(),
        Format::Xml => match quick_xml::se::to_string(xml) {
            Ok(body) => (
                status,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{body}"),
            )
                .into_response(),
            Err(err) => crate::api::ApiError(AppError::Internal(format!("Open311 XML: {err}")))
                .into_response(),
        },
    }
}

fn error(format: Format, status: StatusCode, description: &str) -> Response {
    let errors = [ErrorEntry {
        code: status.as_u16(),
        description: description.to_owned(),
    }];
    reply(format, status, &errors, &Errors { error: &errors })
}

fn not_found(format: Format, description: &str) -> Response {
    error(format, StatusCode::NOT_FOUND, description)
}

/// GeoReport's names for the fields the feedback rules name otherwise.
fn open311_field(field: &str) -> &str {
    match field {
        "content" => "description",
        "category" => "service_code",
        "sender_name" => "first_name",
        "sender_phone" => "phone",
        "sender_email" => "email",
        other => other,
    }
}

/// Invalid fields as GeoReport errors (one per field, in both languages);
/// anything else keeps the JSON API's error.
fn app_error(format: Format, err: AppError) -> Response {
    match err {
        AppError::Invalid(violations) => {
            let errors: Vec<ErrorEntry> = violations
                .iter()
                .map(|v| ErrorEntry {
                    code: StatusCode::BAD_REQUEST.as_u16(),
                    description: format!(
                        "{}: {} {}",
                        open311_field(&v.field),
                        v.message(Lang::Vi),
                        v.message(Lang::En)
                    ),
                })
                .collect();
            reply(
                format,
                StatusCode::BAD_REQUEST,
                &errors,
                &Errors { error: &errors },
            )
        }
        other => in_georeport_format(format, crate::api::ApiError(other).into_response()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(split("services.json"), Some(("services", Format::Json)));
        assert_eq!(
            split("PA-AB12-CD34.xml"),
            Some(("PA-AB12-CD34", Format::Xml))
        );
        assert_eq!(split("services"), None);
        assert_eq!(split("services.csv"), None);
    }

    #[test]
    fn the_place_and_the_name_are_kept_with_the_item() {
        let new = FiledForm {
            service_code: Some("infrastructure".into()),
            description: Some(" Đèn đường hỏng ".into()),
            address_string: Some("Đường số 3, KCN Tam Thăng".into()),
            lat: Some("15.55".into()),
            long: Some("108.50".into()),
            first_name: Some("An".into()),
            last_name: Some("Nguyễn".into()),
            ..FiledForm::default()
        }
        .into_new();
        assert_eq!(
            new.content,
            "Đèn đường hỏng\n\nĐịa điểm: Đường số 3, KCN Tam Thăng\n\nToạ độ: 15.55, 108.50"
        );
        assert_eq!(new.sender.name, "An Nguyễn");
        assert_eq!(new.category, "infrastructure");
        assert!(!new.consent_to_publish);
    }

    #[test]
    fn xml_documents_repeat_their_element() {
        let errors = [
            ErrorEntry {
                code: 400,
                description: "a & b".into(),
            },
            ErrorEntry {
                code: 400,
                description: "c".into(),
            },
        ];
        let xml = quick_xml::se::to_string(&Errors { error: &errors }).unwrap();
        assert_eq!(
            xml,
            "<errors><error><code>400</code><description>a &amp; b</description></error>\
             <error><code>400</code><description>c</description></error></errors>"
        );
    }
}
