//! Open311 GeoReport v2: a client reads the service list, files a request,
//! follows its status to the published answer, in JSON and XML, with the
//! documents checked against the schema of GeoReport v2 and nothing
//! personal in any of them.

use axum::body::Body;
use domain::model::{Role, Scope};
use hailong_tests::{Reply, TestApp, form_urlencoded};
use http::{Request, header};

const NAME: &str = "Lê Thị Hồng Nhung";
const EMAIL: &str = "nhung.le@thanhha.example.vn";
const PHONE: &str = "0905123987";

async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Reply {
    let fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    app.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_urlencoded(&fields)))
            .unwrap(),
    )
    .await
}

async fn get(app: &TestApp, path: &str) -> Reply {
    app.send(Request::get(path).body(Body::empty()).unwrap())
        .await
}

fn content_type(reply: &Reply) -> String {
    reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// GeoReport v2's `service` element, as JSON.
fn assert_service_schema(service: &serde_json::Value) {
    for key in [
        "service_code",
        "service_name",
        "description",
        "keywords",
        "group",
    ] {
        assert!(service[key].is_string(), "{key} in {service}");
    }
    assert!(service["metadata"].is_boolean(), "{service}");
    assert!(
        ["realtime", "batch", "blackbox"].contains(&service["type"].as_str().unwrap()),
        "{service}"
    );
}

/// GeoReport v2's `request` element, as JSON: the id and status required,
/// the times ISO 8601 with an offset, no field GeoReport does not know.
fn assert_request_schema(request: &serde_json::Value) {
    const KNOWN: [&str; 16] = [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
    ];
    let object = request.as_object().expect("a request is an object");
    for key in object.keys() {
        assert!(KNOWN.contains(&key.as_str()), "unknown field {key}");
    }
    assert!(request["service_request_id"].is_string());
    assert!(["open", "closed"].contains(&request["status"].as_str().unwrap()));
    for key in [
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    ] {
        if let Some(at) = request.get(key) {
            chrono::DateTime::parse_from_rfc3339(at.as_str().unwrap())
                .unwrap_or_else(|e| panic!("{key} {at}: {e}"));
        }
    }
}

/// The children of the XML root, each as (name, [(child, text)]).
fn xml_entries(xml: &str, root: &str, entry: &str) -> Vec<Vec<(String, String)>> {
    let document = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    assert_eq!(document.root_element().tag_name().name(), root, "{xml}");
    document
        .root_element()
        .children()
        .filter(|n| n.is_element())
        .map(|node| {
            assert_eq!(node.tag_name().name(), entry, "{xml}");
            node.children()
                .filter(|n| n.is_element())
                .map(|field| {
                    (
                        field.tag_name().name().to_owned(),
                        field.text().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .collect()
}

fn field<'a>(entry: &'a [(String, String)], name: &str) -> Option<&'a str> {
    entry
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn assert_nothing_personal(reply: &Reply) {
    for secret in [NAME, "Hồng Nhung", EMAIL, PHONE, "0905 123 987"] {
        assert!(
            !reply.body.contains(secret),
            "{secret} leaked: {}",
            reply.body
        );
    }
}

async fn act(app: &TestApp, token: &str, id: i64, body: serde_json::Value) {
    let reply = app
        .send(
            Request::post(format!("/api/v1/feedback-items/{id}/actions"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 200, "{body}: {}", reply.body);
}

#[tokio::test]
async fn an_open311_client_files_a_request_and_follows_it_to_the_answer() {
    let app = TestApp::with_open_round().await;

    // The service list, in JSON and XML.
    let services = get(&app, "/open311/v2/services.json").await;
    assert_eq!(services.status, 200, "{}", services.body);
    assert!(content_type(&services).starts_with("application/json"));
    let list = services.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 7);
    list.iter().for_each(assert_service_schema);
    assert!(list.iter().any(|s| s["service_code"] == "infrastructure"));
    let services_xml = get(&app, "/open311/v2/services.xml?lang=en").await;
    assert_eq!(services_xml.status, 200);
    assert!(content_type(&services_xml).starts_with("text/xml"));
    let entries = xml_entries(&services_xml.body, "services", "service");
    assert_eq!(entries.len(), 7);
    assert!(
        entries
            .iter()
            .all(|e| field(e, "metadata") == Some("false"))
    );
    assert!(
        entries
            .iter()
            .any(|e| field(e, "service_code") == Some("labour")
                && field(e, "service_name") == Some("Labour"))
    );

    // Bad filings store nothing and say which field.
    let before = app.count("feedback_items").await;
    let missing = post_form(
        &app,
        "/open311/v2/requests.json",
        &[("description", "Đèn đường hỏng lâu ngày")],
    )
    .await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert_eq!(missing.json()[0]["code"], 400);
    assert!(
        missing.json()[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("service_code")
    );
    let unknown = post_form(
        &app,
        "/open311/v2/requests.xml",
        &[
            ("service_code", "potholes"),
            ("description", "Đèn đường hỏng lâu ngày"),
        ],
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let errors = xml_entries(&unknown.body, "errors", "error");
    assert_eq!(field(&errors[0], "code"), Some("404"));
    let short = post_form(
        &app,
        "/open311/v2/requests.json",
        &[
            ("service_code", "infrastructure"),
            ("description", "hỏng"),
            ("email", "not-an-address"),
        ],
    )
    .await;
    assert_eq!(short.status, 400, "{}", short.body);
    let described: Vec<String> = short
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["description"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        described.iter().any(|d| d.starts_with("description:")),
        "{described:?}"
    );
    assert!(
        described.iter().any(|d| d.starts_with("email:")),
        "{described:?}"
    );
    assert_eq!(app.count("feedback_items").await, before);

    // A client files a request with the fields GeoReport v2 defines.
    let filed = post_form(
        &app,
        "/open311/v2/requests.json",
        &[
            ("jurisdiction_id", "bqlkkt.example.gov.vn"),
            ("api_key", "any"),
            ("service_code", "infrastructure"),
            ("description", "Đèn chiếu sáng trên đường số 3 hỏng đã hai tuần, buổi tối xe tải ra vào rất nguy hiểm."),
            ("address_string", "Đường số 3, KCN Tam Thăng"),
            ("lat", "15.5561"),
            ("long", "108.5020"),
            ("first_name", "Hồng Nhung"),
            ("last_name", "Lê Thị"),
            ("email", EMAIL),
            ("phone", PHONE),
            ("device_id", "test-device"),
            ("media_url", "https://example.org/den.jpg"),
            ("attribute[pole]", "17"),
        ],
    )
    .await;
    assert_eq!(filed.status, 200, "{}", filed.body);
    let receipt = filed.json();
    let receipt = &receipt.as_array().unwrap()[0];
    let code = receipt["service_request_id"].as_str().unwrap().to_owned();
    assert!(code.starts_with("PA-"), "{code}");
    assert!(receipt["service_notice"].as_str().unwrap().contains(&code));
    assert_eq!(app.count("feedback_items").await, before + 1);
    let id = app
        .scalar(&format!(
            "SELECT CAST(id AS BIGINT) FROM feedback_items WHERE tracking_code = '{code}'"
        ))
        .await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM feedback_items WHERE id = {id} AND channel = 'web' \
             AND category = 'infrastructure' AND sender_email = '{EMAIL}' AND content LIKE '%Tam Thăng%'"
        ))
        .await,
        1
    );

    // Open, in both formats; looked up by its code only.
    let open = get(&app, &format!("/open311/v2/requests/{code}.json")).await;
    assert_eq!(open.status, 200, "{}", open.body);
    assert_nothing_personal(&open);
    let request = &open.json()[0];
    assert_request_schema(request);
    assert_eq!(request["service_request_id"], code.as_str());
    assert_eq!(request["status"], "open");
    assert_eq!(request["service_code"], "infrastructure");
    assert!(request.get("status_notes").is_none());
    assert!(
        request.get("description").is_none(),
        "the sender did not agree to publication"
    );
    // The day the acknowledgement promised, at the end of the working day.
    let promised = app
        .scalar_text("SELECT payload FROM outbox_messages WHERE kind = 'feedback-acknowledgement'")
        .await;
    let promised: serde_json::Value = serde_json::from_str(&promised).unwrap();
    assert_eq!(
        request["expected_datetime"],
        format!(
            "{}T17:00:00+07:00",
            promised["expected_answer_on"].as_str().unwrap()
        )
    );
    let open_xml = get(
        &app,
        &format!("/open311/v2/requests/{}.xml", code.to_lowercase()),
    )
    .await;
    assert_eq!(open_xml.status, 200, "{}", open_xml.body);
    assert_nothing_personal(&open_xml);
    let entries = xml_entries(&open_xml.body, "service_requests", "request");
    assert_eq!(
        field(&entries[0], "service_request_id"),
        Some(code.as_str())
    );
    assert_eq!(field(&entries[0], "status"), Some("open"));
    let unlisted = get(&app, "/open311/v2/requests.json").await;
    assert_eq!(unlisted.status, 400, "{}", unlisted.body);
    assert!(!unlisted.body.contains(&code));
    assert_eq!(
        get(&app, "/open311/v2/requests/PA-AAAA-BBBB-CCCC-DDDD.json")
            .await
            .status,
        404
    );

    // Staff handle it to a published answer that names the sender.
    let (_, token) = app.token("open311-admin", Role::Admin, Scope::ALL).await;
    for step in [
        serde_json::json!({"action": "classify", "classification": "in-scope", "category": "infrastructure"}),
        serde_json::json!({"action": "assign", "department": "QLDN"}),
        serde_json::json!({"action": "start"}),
        serde_json::json!({"action": "answer", "answer": format!("Kính gửi bà {NAME} ({PHONE}): Ban đã thay bóng đèn trên đường số 3 ngày 02/12/2026.")}),
        serde_json::json!({"action": "approve"}),
        serde_json::json!({"action": "publish", "confirm_public": true}),
    ] {
        act(&app, &token, id, step).await;
    }

    // Closed, with the answer as the status notes and the sender's name and phone removed.
    let answered = get(
        &app,
        &format!("/open311/v2/requests.json?service_request_id={code},PA-AAAA-BBBB-CCCC-DDDD"),
    )
    .await;
    assert_eq!(answered.status, 200, "{}", answered.body);
    assert_nothing_personal(&answered);
    let list = answered.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "the unknown code is left out");
    assert_request_schema(&list[0]);
    assert_eq!(list[0]["status"], "closed");
    let notes = list[0]["status_notes"].as_str().unwrap();
    assert!(notes.contains("thay bóng đèn trên đường số 3"), "{notes}");
    assert!(list[0]["agency_responsible"].is_string());
    assert!(list[0].get("expected_datetime").is_none());
    let answered_xml = get(
        &app,
        &format!("/open311/v2/requests.xml?service_request_id={code}"),
    )
    .await;
    assert_nothing_personal(&answered_xml);
    let entries = xml_entries(&answered_xml.body, "service_requests", "request");
    assert_eq!(field(&entries[0], "status"), Some("closed"));
    assert!(
        field(&entries[0], "status_notes")
            .unwrap()
            .contains("thay bóng đèn")
    );
}

#[tokio::test]
async fn discovery_names_the_endpoint_and_every_refusal_speaks_georeport() {
    let app = TestApp::with_open_round().await;
    let json = get(&app, "/open311/discovery.json").await;
    assert_eq!(json.status, 200, "{}", json.body);
    let document = json.json();
    assert_eq!(document["changeset"], document["endpoints"][0]["changeset"]);
    assert!(!document["contact"].as_str().unwrap().is_empty());
    let endpoint = &document["endpoints"][0];
    assert_eq!(
        endpoint["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert!(
        endpoint["url"].as_str().unwrap().ends_with("/open311/v2"),
        "{endpoint}"
    );
    assert_eq!(endpoint["type"], "production");
    assert_eq!(
        endpoint["formats"],
        serde_json::json!(["application/json", "text/xml"])
    );

    let xml = get(&app, "/open311/discovery.xml").await;
    assert_eq!(xml.status, 200);
    assert!(content_type(&xml).starts_with("text/xml"));
    let parsed = roxmltree::Document::parse(&xml.body).unwrap();
    let root = parsed.root_element();
    assert_eq!(root.tag_name().name(), "discovery");
    let url = root
        .descendants()
        .find(|n| n.has_tag_name("url"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(url, endpoint["url"].as_str().unwrap());
    let formats: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("format"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(formats, ["application/json", "text/xml"]);
    assert_eq!(get(&app, "/open311/other.json").await.status, 404);

    // Lookups over the budget are refused in the format asked for: here XML.
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(
            get(&app, "/open311/v2/requests/PA-AAAA-AAAA-AAAA.xml")
                .await
                .status,
        );
    }
    assert!(statuses.iter().all(|s| *s == 404), "{statuses:?}");
    let limited = get(&app, "/open311/v2/requests/PA-AAAA-AAAA-AAAA.xml").await;
    assert_eq!(limited.status, 429);
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
    assert!(
        content_type(&limited).starts_with("text/xml"),
        "{}",
        limited.body
    );
    let errors = xml_entries(&limited.body, "errors", "error");
    assert_eq!(field(&errors[0], "code"), Some("429"));
    assert!(
        field(&errors[0], "description")
            .unwrap()
            .contains("Too many requests")
    );
    let limited = get(&app, "/open311/v2/requests/PA-AAAA-AAAA-AAAA.json").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json()[0]["code"], 429);
}
