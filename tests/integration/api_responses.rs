//! `POST /api/v1/rounds/{slug}/responses`: storing responses, idempotency and
//! every kind of bad input.

use domain::model::RoundStatus;
use hailong_tests::{TestApp, json_request, send};
use serde_json::{Value, json};

const RESPONSES: &str = "/api/v1/rounds/test-round/responses";

fn valid_body(key: &str) -> Value {
    json!({
        "idempotency_key": key,
        "answers": {"A1": 5, "A2": 4, "A3": 3, "A4": null, "B1": 2, "O1": 4, "P1": 1, "X3": 1},
        "respondent": {"type": "doanh-nghiep", "procedure": "LD-01", "submission_method": "truc-tuyen"},
        "comment": "Cán bộ hướng dẫn tận tình."
    })
}

/// Rows in every table a response writes to.
async fn stored_rows(app: &TestApp) -> [i64; 4] {
    [
        app.count("responses").await,
        app.count("answers").await,
        app.count("tallies").await,
        app.count("response_tallies").await,
    ]
}

fn field_names(reply: &Value) -> Vec<String> {
    reply["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_valid_response_is_stored_with_its_answers_and_a_receipt() {
    let app = TestApp::with_open_round().await;
    let reply = app.post_json(RESPONSES, &valid_body("key-1")).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let body = reply.json();
    let code = body["receipt_code"].as_str().unwrap();
    assert!(
        code.starts_with("HL-") && code.len() == "HL-XXXX-XXXX-XXXX-XXXX".len(),
        "{code}"
    );
    assert_eq!(body["replayed"], false);
    assert_eq!(app.count("responses").await, 1);
    // One row per criterion answered; "not applicable" is stored as NULL.
    assert_eq!(app.count("answers").await, 8);
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM answers WHERE value IS NULL")
            .await,
        1
    );
    // The procedure LD-01 tells the department QLDN.
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM responses r JOIN departments d ON d.id = r.department_id WHERE d.code = 'QLDN'")
            .await,
        1
    );
}

#[tokio::test]
async fn submitting_twice_with_the_same_key_stores_one_response() {
    let app = TestApp::with_open_round().await;
    let first = app.post_json(RESPONSES, &valid_body("same-key")).await;
    let rows = stored_rows(&app).await;
    let second = app.post_json(RESPONSES, &valid_body("same-key")).await;
    assert_eq!(second.status, 201);
    assert_eq!(first.json()["receipt_code"], second.json()["receipt_code"]);
    assert_eq!(second.json()["replayed"], true);
    assert_eq!(second.headers["idempotent-replayed"], "true");
    assert_eq!(stored_rows(&app).await, rows);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_submits_with_one_key_store_one_response() {
    let mut app = TestApp::with_open_round().await;
    // The race is the database's; the address's budgets are tested apart.
    app.router = app.router_with_security(server::SecurityConfig {
        without_rate_limits: true,
        ..Default::default()
    });
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            tokio::spawn(send(
                app.router.clone(),
                json_request(RESPONSES, &valid_body("raced-key")),
            ))
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    let codes: std::collections::HashSet<String> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["receipt_code"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(codes.len(), 1, "every retry must get the same receipt");
    assert_eq!(app.count("responses").await, 1);
    assert_eq!(app.count("answers").await, 8);
    crate::api_indices::assert_tallies_match_raw_answers(&app).await;
}

#[tokio::test]
async fn an_unknown_criterion_is_refused_by_name_and_nothing_is_stored() {
    let app = TestApp::with_open_round().await;
    let mut body = valid_body("k");
    body["answers"]["Z9"] = json!(5);
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["error"]["code"], "invalid");
    assert_eq!(field_names(&reply.json()), ["answers.Z9"]);
    assert_eq!(stored_rows(&app).await, [0, 0, 0, 0]);
}

#[tokio::test]
async fn scores_outside_the_scale_are_refused_naming_each_field() {
    let app = TestApp::with_open_round().await;
    let mut body = valid_body("k");
    body["answers"] = json!({
        "A1": 6, "A2": 0, "A3": -1, "A4": "5", "B1": 4.5, "B2": true,
        "P1": 4, "P2": null, "C1": 5
    });
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let mut fields = field_names(&reply.json());
    fields.sort();
    assert_eq!(
        fields,
        [
            "answers.A1",
            "answers.A2",
            "answers.A3",
            "answers.A4",
            "answers.B1",
            "answers.B2",
            "answers.P1",
            "answers.P2"
        ]
    );
    let messages = reply.json()["error"]["fields"].to_string();
    assert!(messages.contains("from 1 to 5"), "{messages}");
    assert!(messages.contains("from 1 to 3"), "{messages}");
    assert_eq!(stored_rows(&app).await, [0, 0, 0, 0]);
}

#[tokio::test]
async fn bad_respondent_context_is_refused_naming_each_field() {
    let app = TestApp::with_open_round().await;
    let mut body = valid_body("k");
    body["respondent"] = json!({
        "type": "robot", "department": "NOPE", "procedure": "XX-99",
        "submission_method": "fax", "channel": "pigeon"
    });
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 422);
    let mut fields = field_names(&reply.json());
    fields.sort();
    assert_eq!(
        fields,
        [
            "respondent.channel",
            "respondent.department",
            "respondent.procedure",
            "respondent.submission_method",
            "respondent.type"
        ]
    );
    assert_eq!(stored_rows(&app).await, [0, 0, 0, 0]);
}

#[tokio::test]
async fn a_procedure_of_another_department_is_refused() {
    let app = TestApp::with_open_round().await;
    let mut body = valid_body("k");
    body["respondent"]["department"] = json!("QLDT");
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 422);
    assert_eq!(field_names(&reply.json()), ["respondent.procedure"]);
}

#[tokio::test]
async fn an_overlong_comment_and_an_empty_key_are_refused() {
    let app = TestApp::with_open_round().await;
    let mut body = valid_body("k");
    body["comment"] = json!("à".repeat(4001));
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 422);
    assert_eq!(field_names(&reply.json()), ["comment"]);

    let reply = app.post_json(RESPONSES, &valid_body("  ")).await;
    assert_eq!(reply.status, 422);
    assert_eq!(field_names(&reply.json()), ["idempotency_key"]);
    assert_eq!(stored_rows(&app).await, [0, 0, 0, 0]);
}

#[tokio::test]
async fn closed_draft_and_unknown_rounds_refuse_responses() {
    let app = TestApp::with_open_round().await;
    app.add_round("closed-round", RoundStatus::Closed).await;
    app.add_round("draft-round", RoundStatus::Draft).await;

    let closed = app
        .post_json("/api/v1/rounds/closed-round/responses", &valid_body("a"))
        .await;
    assert_eq!(closed.status, 409);
    assert_eq!(closed.json()["error"]["code"], "round_closed");

    let draft = app
        .post_json("/api/v1/rounds/draft-round/responses", &valid_body("b"))
        .await;
    assert_eq!(draft.status, 409);
    assert_eq!(draft.json()["error"]["code"], "round_not_open");

    let unknown = app
        .post_json("/api/v1/rounds/no-such-round/responses", &valid_body("c"))
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
    assert_eq!(stored_rows(&app).await, [0, 0, 0, 0]);
}

#[tokio::test]
async fn malformed_bodies_get_400_naming_the_field() {
    let app = TestApp::with_open_round().await;
    let send_raw = |body: &'static str, content_type: &'static str| {
        app.send(
            http::Request::post(RESPONSES)
                .header(http::header::CONTENT_TYPE, content_type)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
    };

    let broken = send_raw("{\"idempotency_key\": ", "application/json").await;
    assert_eq!(broken.status, 400);
    assert_eq!(broken.json()["error"]["code"], "malformed");

    let missing = app
        .post_json(
            RESPONSES,
            &json!({"idempotency_key": "k", "answers": {}, "respondent": {}}),
        )
        .await;
    assert_eq!(missing.status, 400);
    assert_eq!(field_names(&missing.json()), ["respondent"]);
    assert!(
        missing.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("type")
    );

    let mut unknown_field = valid_body("k");
    unknown_field["respondent"]["age"] = json!(40);
    let reply = app.post_json(RESPONSES, &unknown_field).await;
    assert_eq!(reply.status, 400);
    assert_eq!(field_names(&reply.json()), ["respondent.age"]);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field")
    );

    let wrong_type = send_raw("idempotency_key=k", "application/x-www-form-urlencoded").await;
    assert_eq!(wrong_type.status, 400);
    assert!(
        wrong_type.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );
    assert_eq!(stored_rows(&app).await, [0, 0, 0, 0]);
}

#[tokio::test]
async fn an_oversized_body_gets_413() {
    let app = TestApp::with_open_round().await;
    let mut body = valid_body("k");
    body["comment"] = json!("x".repeat(server::BODY_LIMIT_BYTES + 1));
    // Streamed, without a length announced: refused while reading.
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"]["code"], "too_large");
    // With its length announced: refused before reading.
    let text = body.to_string();
    let reply = app
        .send(
            http::Request::post(RESPONSES)
                .header(http::header::CONTENT_TYPE, "application/json")
                .header(http::header::CONTENT_LENGTH, text.len())
                .body(axum::body::Body::from(text))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 413);
    assert_eq!(stored_rows(&app).await, [0, 0, 0, 0]);
}

#[tokio::test]
async fn the_public_api_takes_web_responses_with_answers_and_limits_comments() {
    let app = TestApp::with_open_round().await;
    // Staff-only channels are refused to the public.
    let mut paper = valid_body("paper");
    paper["respondent"]["channel"] = json!("paper");
    let reply = app.post_json(RESPONSES, &paper).await;
    assert_eq!(reply.status, 422);
    assert_eq!(field_names(&reply.json()), ["respondent.channel"]);
    // A token that may write responses (staff typing in a paper form) may.
    let (_, token) = app
        .token(
            "entry",
            domain::model::Role::Staff,
            &[domain::model::Scope::ResponsesWrite],
        )
        .await;
    let mut request = json_request(RESPONSES, &paper);
    request.headers_mut().insert(
        http::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    assert_eq!(send(app.router.clone(), request).await.status, 201);
    // A response without a single answer is not stored.
    let mut empty = valid_body("empty");
    empty["answers"] = json!({});
    let reply = app.post_json(RESPONSES, &empty).await;
    assert_eq!(reply.status, 422);
    assert_eq!(field_names(&reply.json()), ["answers"]);
    // Comments become feedback items: they meet the feedback budget.
    let before = app.count("feedback_items").await;
    let mut limited = 0;
    for i in 0..server::security::rate_limits::FEEDBACK_PER_MINUTE + 3 {
        let reply = app
            .post_json(RESPONSES, &valid_body(&format!("c{i}")))
            .await;
        if reply.status == 429 {
            limited += 1;
            assert!(reply.headers.contains_key("retry-after"));
        }
    }
    assert!(limited >= 3, "{limited}");
    let stored = app.count("feedback_items").await - before;
    assert!(stored <= i64::from(server::security::rate_limits::FEEDBACK_PER_MINUTE));
    // A retry of a stored response is not refused.
    let again = app.post_json(RESPONSES, &valid_body("c0")).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.json()["replayed"], true);
}
