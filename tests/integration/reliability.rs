//! When storage refuses (a read-only database, a full disk) the platform
//! says so clearly and stores nothing partial; bad bytes and huge values get
//! a 4xx naming the field. (Crashes, SIGTERM, PostgreSQL restarts and
//! backups are tested on the real process in `server/tests/process.rs`.)

use axum::body::Body;
use hailong_tests::{TestApp, send};
use http::{Request, header};
use serde_json::{Value, json};

const RESPONSES: &str = "/api/v1/rounds/test-round/responses";

fn response(key: &str, comment: Option<String>) -> Value {
    json!({
        "idempotency_key": key,
        "answers": {"A1": 5, "A2": 4, "B1": 3, "C1": null},
        "respondent": {"type": "doanh-nghiep", "department": "QLDN"},
        "comment": comment,
    })
}

fn post(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// Responses, answers, counted answers and feedback items stored.
async fn stored(app: &TestApp) -> [i64; 4] {
    [
        app.count("responses").await,
        app.count("answers").await,
        app.scalar("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM tallies")
            .await,
        app.count("feedback_items").await,
    ]
}

#[tokio::test]
async fn a_read_only_database_refuses_clearly_and_stores_nothing() {
    let app = TestApp::with_open_round().await;
    assert_eq!(
        app.post_json(RESPONSES, &response("before", Some("Góp ý".into())))
            .await
            .status,
        201
    );
    let before = stored(&app).await;
    let read_only = app.read_only_router().await;

    let reply = send(
        read_only.clone(),
        post(RESPONSES, &response("refused", Some("Góp ý".into()))),
    )
    .await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.json()["error"]["code"], "storage_read_only");
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nothing was stored")
    );
    assert!(reply.headers.contains_key(header::RETRY_AFTER));
    let feedback = send(
        read_only.clone(),
        post(
            "/api/v1/feedback",
            &json!({"content": "Đề nghị công khai quy trình."}),
        ),
    )
    .await;
    assert_eq!(feedback.status, 503);
    // Reading still works.
    let health = send(
        read_only,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(health.status, 200);
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn a_full_disk_rolls_back_the_whole_response_and_says_so() {
    let app = TestApp::with_open_round().await;
    // What one whole response stores.
    let one = app
        .post_json(
            RESPONSES,
            &response("first", Some("Góp ý đầu tiên.".into())),
        )
        .await;
    assert_eq!(one.status, 201);
    let per_response = stored(&app).await;
    let Some(nearly_full) = app.nearly_full_router(12).await else {
        eprintln!("SQLite only: PostgreSQL's disk is not filled in a test");
        return;
    };
    let mut accepted = 0;
    let mut refusal = None;
    for n in 0..200 {
        // Long comments fill the pages quickly; each also becomes a feedback item.
        let comment = format!("{n} {}", "Ý kiến dài về thủ tục. ".repeat(150));
        let reply = send(
            nearly_full.clone(),
            post(RESPONSES, &response(&format!("k-{n}"), Some(comment))),
        )
        .await;
        match reply.status.as_u16() {
            201 => accepted += 1,
            _ => {
                refusal = Some(reply);
                break;
            }
        }
    }
    let refusal = refusal.expect("the disk filled up");
    assert_eq!(refusal.status, 503, "{}", refusal.body);
    assert_eq!(refusal.json()["error"]["code"], "storage_full");
    assert!(accepted > 0);
    // Only whole responses: each with its answers, its tallies and its feedback item.
    assert_eq!(per_response[1], 4);
    assert_eq!(stored(&app).await, per_response.map(|n| n * (accepted + 1)));
    let verify = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(verify.matches(), "{:?}", verify.differences);
}

#[tokio::test]
async fn a_write_kept_waiting_by_another_is_a_retryable_503_and_stores_nothing() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::with_open_round().await;
    let impatient = app.impatient_router().await;
    let before = stored(&app).await;
    // Another writer holds what storing a response needs.
    let holder = app.single_connection().await;
    let txn = holder.begin().await.unwrap();
    if app.backend == "sqlite" {
        domain::db::write_first(&txn).await.unwrap();
    } else {
        txn.execute_unprepared("LOCK TABLE responses IN EXCLUSIVE MODE")
            .await
            .unwrap();
    }
    let reply = send(impatient.clone(), post(RESPONSES, &response("kept", None))).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.json()["error"]["code"], "busy");
    assert_eq!(reply.headers[header::RETRY_AFTER], "1");
    txn.rollback().await.unwrap();
    assert_eq!(stored(&app).await, before);
    // Sent again once the other writer is done, the same response is stored.
    let again = send(impatient, post(RESPONSES, &response("kept", None))).await;
    assert_eq!(again.status, 201, "{}", again.body);
}

#[tokio::test]
async fn a_postgres_deadlock_is_a_busy_error_not_an_internal_one() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::empty().await;
    if app.backend != "postgres" {
        eprintln!("PostgreSQL only: SQLite has one writer at a time and no deadlocks");
        return;
    }
    app.db
        .execute_unprepared(
            "CREATE TABLE deadlock_probe (id INTEGER PRIMARY KEY); \
             INSERT INTO deadlock_probe VALUES (1), (2)",
        )
        .await
        .unwrap();
    let (first, second) = (app.single_connection().await, app.single_connection().await);
    let (a, b) = (first.begin().await.unwrap(), second.begin().await.unwrap());
    let lock = |id: i32| format!("UPDATE deadlock_probe SET id = id WHERE id = {id}");
    a.execute_unprepared(&lock(1)).await.unwrap();
    b.execute_unprepared(&lock(2)).await.unwrap();
    // Each now waits for the row the other holds: PostgreSQL ends one.
    let (two, one) = (lock(2), lock(1));
    let (left, right) = tokio::join!(a.execute_unprepared(&two), b.execute_unprepared(&one));
    let failed: Vec<_> = [left.err(), right.err()].into_iter().flatten().collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    let error = domain::AppError::from(failed.into_iter().next().unwrap());
    assert!(matches!(error, domain::AppError::Busy), "{error:?}");
    assert_eq!(error.status(), 503);
}

#[tokio::test]
async fn invalid_utf8_huge_strings_and_bad_scores_get_a_4xx_naming_the_field() {
    let app = TestApp::with_open_round().await;
    // Invalid UTF-8 inside the comment.
    let mut bytes = br#"{"idempotency_key":"u","answers":{"A1":5},"respondent":{"type":"doanh-nghiep"},"comment":""#.to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'"', b'}']);
    let reply = app
        .send(
            Request::post(RESPONSES)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(bytes))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.json()["error"]["fields"][0]["field"], "comment");

    // Huge strings where short ones belong.
    let huge = "x".repeat(100_000);
    let mut body = response("h", None);
    body["idempotency_key"] = json!(huge);
    body["respondent"]["type"] = json!(huge);
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let fields: Vec<String> = reply.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        fields.contains(&"idempotency_key".to_owned())
            && fields.contains(&"respondent.type".to_owned()),
        "{fields:?}"
    );
    let reply = app
        .post_json("/api/v1/feedback", &json!({"content": "Nội dung hợp lệ.", "subject": huge, "sender": {"email": format!("{huge}@x.vn")}}))
        .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let fields = reply.json()["error"]["fields"].to_string();
    assert!(
        fields.contains("subject") && fields.contains("sender_email"),
        "{fields}"
    );

    // Negative and non-numeric scores, and a non-numeric rating.
    let mut body = response("s", None);
    body["answers"] = json!({"A1": -3, "A2": "năm", "A3": 1e9});
    let reply = app.post_json(RESPONSES, &body).await;
    assert_eq!(reply.status, 422);
    let fields = reply.json()["error"]["fields"].to_string();
    assert!(
        fields.contains("answers.A1")
            && fields.contains("answers.A2")
            && fields.contains("answers.A3"),
        "{fields}"
    );
    let reply = app
        .post_json(
            "/api/v1/feedback/PA-AAAA-AAAA-AAAA/rating",
            &json!({"rating": "năm", "key": "DG-2222-2222-2222-2222"}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"]["fields"][0]["field"], "rating");
    assert_eq!(stored(&app).await, [0, 0, 0, 0]);
}
