//! Outgoing webhooks against a real HTTP receiver on loopback: an admin adds
//! one on its page (the secret shown once), each event it wants arrives
//! signed (checked here with an HMAC of our own), nothing personal and no
//! dossier's rating goes out, a busy receiver is retried with the same
//! delivery id, a refusal is given up, and a stopped webhook gets nothing.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::model::{
    NewDossierRating, RatingLevel, RatingReason, RatingSource, Role, RoundStatus, Scope,
    WebhookEvent,
};
use domain::services::audit::Actor;
use domain::services::dossiers::rating;
use domain::services::outbox::{self, Pass, WebhookSender};
use domain::services::webhooks::{self, NewWebhook};
use hailong_tests::TestApp;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::dossiers;
use crate::feedback::api;
use crate::receiver::{Received, Receiver};

async fn deliver(app: &TestApp, at: chrono::DateTime<Utc>) -> Pass {
    let sender = WebhookSender::new().unwrap();
    outbox::deliver_due_webhooks(&app.db, &sender, at)
        .await
        .unwrap()
}

/// Adds a webhook for `events` at `url` as the command line would; its secret.
async fn add(app: &TestApp, url: &str, events: &[WebhookEvent]) -> (i32, String) {
    let new = NewWebhook {
        name: "Phần mềm một cửa".to_owned(),
        url: url.to_owned(),
        events: events.to_vec(),
    };
    let (stored, secret) = webhooks::create(&app.db, &Actor::cli(), new).await.unwrap();
    (stored.id, secret)
}

/// Whether `request` carries a valid signature under `secret`, computed
/// here from the timestamp and body as a receiver would.
fn signed_with(request: &Received, secret: &str) -> bool {
    let timestamp = request.header("x-hailong-timestamp");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{}", request.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    request.header("x-hailong-signature") == format!("sha256={expected}")
}

async fn send_feedback(app: &TestApp) -> String {
    let sent = app
        .post_json(
            "/api/v1/feedback",
            &json!({
                "content": "Đề nghị công khai tiến độ giải quyết hồ sơ cấp giấy phép xây dựng.",
                "department": "QLDN",
                "category": "procedures",
                "sender": {
                    "name": "Phạm Thị Hồng Nhung",
                    "phone": "0912 345 678",
                    "email": "hong.nhung@doanhnghiep.example.vn",
                    "address": "Lô B3, KCN Tam Thăng"
                },
            }),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    sent.json()["tracking_code"].as_str().unwrap().to_owned()
}

async fn publish_answer(app: &TestApp) {
    let (_, admin) = app.token("webhook-answer", Role::Admin, Scope::ALL).await;
    let id = app
        .scalar("SELECT CAST(MIN(id) AS BIGINT) FROM feedback_items")
        .await;
    for body in [
        json!({"action": "classify", "classification": "in-scope", "category": "procedures"}),
        json!({"action": "assign", "department": "QLDN"}),
        json!({"action": "start"}),
        json!({"action": "answer", "answer": "Ban đã công khai tiến độ giải quyết từng hồ sơ trên trang thông tin điện tử; bà Phạm Thị Hồng Nhung có thể tra cứu bằng mã hồ sơ."}),
        json!({"action": "approve"}),
        json!({"action": "publish", "confirm_public": true}),
    ] {
        let path = format!("/api/v1/feedback-items/{id}/actions");
        let reply = api(app, Some(admin.as_str()), "POST", &path, body.clone()).await;
        assert_eq!(reply.status, 200, "{body}: {}", reply.body);
    }
}

/// A dossier completed yesterday, sent in by the one-stop software; its rating key.
async fn completed_dossier(app: &TestApp, code: &str) -> String {
    let token = dossiers::sender_token(app).await;
    let reply =
        dossiers::post_dossiers(app, &token, json!([dossiers::completed(code, "LD-01")])).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    dossiers::key_of(reply.json()["dossiers"][0]["rating_url"].as_str().unwrap())
}

fn body(request: &Received) -> Value {
    serde_json::from_str(&request.body).unwrap()
}

#[tokio::test]
async fn every_event_reaches_the_webhooks_that_want_it_signed_and_without_personal_data() {
    let app = TestApp::with_open_round().await;
    let receiver = Receiver::start(&[]).await;
    let (_, all_secret) = add(&app, &receiver.url, WebhookEvent::ALL).await;
    let (_, dossier_secret) = add(&app, &receiver.url, &[WebhookEvent::DossierRated]).await;
    let (stopped, _) = add(&app, &receiver.url, WebhookEvent::ALL).await;
    webhooks::revoke(&app.db, &Actor::cli(), stopped)
        .await
        .unwrap();

    // Four events: an item recorded, its answer published, a round's
    // results published, a dossier rated (with a comment, which becomes an
    // item of its own that is not announced).
    let code = send_feedback(&app).await;
    publish_answer(&app).await;
    app.add_round("closed-round", RoundStatus::Closed).await;
    let public_id = domain::services::results::publish(&app.db, &Actor::cli(), "closed-round")
        .await
        .unwrap();
    let key = completed_dossier(&app, "HS-2026-000123").await;
    let rated = NewDossierRating {
        level: Some(RatingLevel::Unsatisfied),
        reasons: vec![RatingReason::WaitingTime],
        trips: Some(3),
        comment: "Phải đi lại ba lần mới xong.".to_owned(),
    };
    let outcome = rating::rate(&app.db, &key, &rated, RatingSource::Link, Utc::now())
        .await
        .unwrap();
    assert_eq!(outcome, rating::RateOutcome::Stored);

    let pass = deliver(&app, Utc::now()).await;
    assert_eq!(
        (pass.sent, pass.retrying, pass.dead),
        (5, 0, 0),
        "four events to one webhook, one to the other, none to the stopped one"
    );
    let received = receiver.received();
    assert_eq!(received.len(), 5);
    let mut deliveries = std::collections::BTreeSet::new();
    for request in &received {
        assert_eq!(request.header("content-type"), "application/json");
        assert!(
            signed_with(request, &all_secret) || signed_with(request, &dossier_secret),
            "a valid signature: {request:?}"
        );
        assert!(!signed_with(request, "whsec_wrong"));
        assert_eq!(
            request.header("x-hailong-event"),
            body(request)["event"].as_str().unwrap()
        );
        assert!(deliveries.insert(request.header("x-hailong-delivery").to_owned()));
        for personal in [
            "Phạm Thị Hồng Nhung",
            "0912",
            "hong.nhung",
            "Tam Thăng",
            "0905",
            "giấy phép xây dựng",
            "ba lần",
        ] {
            assert!(
                !request.body.contains(personal),
                "{personal} went out: {}",
                request.body
            );
        }
    }
    let of = |event: &str| -> Vec<Value> {
        received
            .iter()
            .map(body)
            .filter(|b| b["event"] == event)
            .collect()
    };
    let recorded = of("feedback.recorded");
    assert_eq!(recorded.len(), 1, "the dossier's comment is not announced");
    assert_eq!(recorded[0]["data"]["tracking_code"], code.as_str());
    assert_eq!(recorded[0]["data"]["department"], "QLDN");
    assert_eq!(recorded[0]["data"]["status"], "received");
    assert_eq!(recorded[0]["data"]["answer"], Value::Null);
    let answered = of("feedback.answered");
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0]["data"]["tracking_code"], code.as_str());
    assert_eq!(answered[0]["data"]["status"], "published");
    let answer = answered[0]["data"]["answer"].as_str().unwrap();
    assert!(
        answer.starts_with("Ban đã công khai tiến độ"),
        "the published answer, redacted: {answer}"
    );
    let published = of("round.published");
    assert_eq!(published.len(), 1);
    assert_eq!(published[0]["data"]["slug"], "closed-round");
    assert_eq!(published[0]["data"]["public_id"], public_id.as_str());
    let rated = of("dossier.rated");
    assert_eq!(rated.len(), 2, "both webhooks want it");
    for event in &rated {
        assert_eq!(event["data"]["dossier_code"], "HS-2026-000123");
        assert_eq!(event["data"]["procedure"], "LD-01");
        let data = event["data"].as_object().unwrap();
        let keys: Vec<&str> = data.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["department", "dossier_code", "procedure", "rated_on"],
            "never the rating, its reasons or trips"
        );
    }

    // Delivered once: another pass sends nothing.
    assert_eq!(deliver(&app, Utc::now() + Duration::hours(1)).await.sent, 0);
    assert_eq!(receiver.received().len(), 5);
}

#[tokio::test]
async fn a_busy_receiver_is_retried_with_the_same_delivery_and_a_refusal_is_given_up() {
    let app = TestApp::with_open_round().await;
    let busy = Receiver::start(&[StatusCode::SERVICE_UNAVAILABLE]).await;
    let (_, secret) = add(&app, &busy.url, &[WebhookEvent::FeedbackRecorded]).await;
    send_feedback(&app).await;
    let now = Utc::now();
    let first = deliver(&app, now).await;
    assert_eq!((first.sent, first.retrying), (0, 1));
    assert!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE last_error LIKE '%503%' AND status = 'queued'"
        )
        .await
            == 1
    );
    // Not before its back-off; then delivered.
    assert_eq!(deliver(&app, now).await.sent, 0);
    let later = now + Duration::hours(1);
    assert_eq!(deliver(&app, later).await.sent, 1);
    let received = busy.received();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("x-hailong-delivery"),
        received[1].header("x-hailong-delivery"),
        "a repeat is recognisable"
    );
    assert_eq!(received[0].body, received[1].body);
    assert!(received.iter().all(|r| signed_with(r, &secret)));

    // A receiver that refuses is given up at once, with the reason.
    let refusing = Receiver::start(&[StatusCode::GONE]).await;
    let (refused, _) = add(&app, &refusing.url, &[WebhookEvent::FeedbackRecorded]).await;
    send_feedback(&app).await;
    let pass = deliver(&app, later).await;
    assert_eq!((pass.sent, pass.dead), (1, 1), "the busy one takes it now");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM outbox_messages WHERE webhook_id = {refused} AND status = 'dead' AND last_error LIKE '%410%'"
        ))
        .await,
        1
    );

    // Stopped, a webhook's waiting events are withdrawn and nothing more goes.
    let (stopping, _) = add(&app, &busy.url, &[WebhookEvent::FeedbackRecorded]).await;
    send_feedback(&app).await;
    webhooks::revoke(&app.db, &Actor::cli(), stopping)
        .await
        .unwrap();
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM outbox_messages WHERE webhook_id = {stopping} AND status = 'cancelled'"
        ))
        .await,
        1
    );
    let before = busy.received().len();
    let pass = deliver(&app, later).await;
    assert_eq!(
        pass.sent, 2,
        "the first webhook's copy and the refusing one's (it takes this one)"
    );
    assert_eq!(
        busy.received().len(),
        before + 1,
        "nothing for the stopped one"
    );
}

#[tokio::test]
async fn an_admin_adds_a_webhook_on_its_page_sees_the_secret_once_and_stops_it() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let page = app.get_as(&admin, "/admin/webhooks").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Chưa có webhook nào."));

    // Bad input: the errors are next to their fields and what was typed stays.
    let refused = app
        .post_form_as(
            &admin,
            "/sf/admin/webhooks/create",
            &[
                ("name".to_owned(), "Cổng dịch vụ công tỉnh".to_owned()),
                ("url".to_owned(), "motcua.example.vn/hook".to_owned()),
            ],
        )
        .await;
    assert_eq!(refused.location(), "/admin/webhooks");
    let page = app.get_as(&admin.after(&refused), "/admin/webhooks").await;
    assert!(
        page.body.contains(r#"id="webhook-url-error""#)
            && page.body.contains("bắt đầu bằng https://"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"id="webhook-events-error""#));
    assert!(page.body.contains(r#"value="Cổng dịch vụ công tỉnh""#));
    assert_eq!(app.count("webhooks").await, 0, "nothing stored");

    let created = app
        .post_form_as(
            &admin,
            "/sf/admin/webhooks/create",
            &[
                ("name".to_owned(), "Cổng dịch vụ công tỉnh".to_owned()),
                (
                    "url".to_owned(),
                    "https://dvc.example.gov.vn/hailong?api_key=khoa-rieng".to_owned(),
                ),
                ("events[feedback.answered]".to_owned(), "on".to_owned()),
                ("events[round.published]".to_owned(), "on".to_owned()),
            ],
        )
        .await;
    let page = app.get_as(&admin.after(&created), "/admin/webhooks").await;
    assert!(page.body.contains("Đã thêm webhook."));
    let secret = hailong_tests::element_text(&page.body, r#"data-testid="new-webhook-secret""#)
        .expect("the secret, shown once");
    assert!(secret.trim().starts_with("whsec_"), "{secret}");
    assert!(page.body.contains("https://dvc.example.gov.vn/hailong"));
    assert!(
        !page.body.contains("khoa-rieng"),
        "the address's query may hold a key: not shown"
    );
    assert!(page.body.contains("Kết quả đợt khảo sát được công bố"));
    let again = app.get_as(&admin, "/admin/webhooks").await;
    assert!(!again.body.contains(secret.trim()), "shown only once");

    let id = app
        .scalar("SELECT CAST(MAX(id) AS BIGINT) FROM webhooks")
        .await;
    let stopped = app
        .post_form_as(
            &admin,
            "/sf/admin/webhooks/revoke",
            &[("id".to_owned(), id.to_string())],
        )
        .await;
    let page = app.get_as(&admin.after(&stopped), "/admin/webhooks").await;
    assert!(page.body.contains("Đã ngừng webhook"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM webhooks WHERE revoked_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('webhook.create', 'webhook.revoke')"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_test_event_is_sent_at_once_and_the_page_says_how_the_address_answered() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let receiver = Receiver::start(&[]).await;
    let (ready, secret) = add(&app, &receiver.url, &[WebhookEvent::RoundPublished]).await;
    let sent = app
        .post_form_as(
            &admin,
            "/sf/admin/webhooks/test",
            &[("id".to_owned(), ready.to_string())],
        )
        .await;
    let page = app.get_as(&admin.after(&sent), "/admin/webhooks").await;
    assert!(
        page.body.contains("Địa chỉ đã nhận sự kiện thử"),
        "{}",
        page.body
    );
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("x-hailong-event"), "webhook.test");
    assert!(signed_with(&received[0], &secret));
    assert_eq!(body(&received[0])["event"], "webhook.test");
    assert_eq!(
        app.count("outbox_messages").await,
        0,
        "a test goes at once, not through the outbox"
    );

    let failing = Receiver::start(&[StatusCode::INTERNAL_SERVER_ERROR]).await;
    let (broken, _) = add(&app, &failing.url, &[WebhookEvent::RoundPublished]).await;
    let sent = app
        .post_form_as(
            &admin,
            "/sf/admin/webhooks/test",
            &[("id".to_owned(), broken.to_string())],
        )
        .await;
    let page = app.get_as(&admin.after(&sent), "/admin/webhooks").await;
    assert!(
        page.body
            .contains("Gửi thử không được: the webhook answered 500"),
        "{}",
        page.body
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.test'")
            .await,
        2
    );
}

#[tokio::test]
async fn an_admin_token_adds_lists_and_stops_webhooks_over_the_api() {
    let app = TestApp::with_open_round().await;
    let receiver = Receiver::start(&[]).await;
    let (_, admin) = app
        .token("webhooks-api", Role::Admin, &[Scope::SetupWrite])
        .await;
    let (_, reader) = app
        .token("webhooks-reader", Role::Admin, &[Scope::IndicesRead])
        .await;
    let (_, staff) = app.token("webhooks-staff", Role::Staff, Scope::ALL).await;
    let path = "/api/v1/webhooks";

    // Only an admin's token with setup:write may read or change them.
    for token in [&reader, &staff] {
        assert_eq!(
            api(&app, Some(token.as_str()), "GET", path, Value::Null)
                .await
                .status,
            403
        );
    }
    assert_eq!(
        api(&app, Some("hl_unknown"), "GET", path, Value::Null)
            .await
            .status,
        401
    );

    // Bad input: each field named, nothing stored.
    let refused = api(
        &app,
        Some(admin.as_str()),
        "POST",
        path,
        json!({"name": " ", "url": "motcua.example.vn/hook", "events": []}),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let refusal = refused.json();
    let mut fields: Vec<&str> = refusal["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["events", "name", "url"], "{}", refused.body);
    let unknown_event = api(
        &app,
        Some(admin.as_str()),
        "POST",
        path,
        json!({"name": "Cổng", "url": receiver.url, "events": ["dossier.deleted"]}),
    )
    .await;
    assert_eq!(unknown_event.status, 400, "{}", unknown_event.body);
    assert_eq!(app.count("webhooks").await, 0, "nothing stored");

    // Added: the secret comes back this once, the address without its query.
    let address = format!("{}?api_key=khoa-rieng", receiver.url);
    let created = api(
        &app,
        Some(admin.as_str()),
        "POST",
        path,
        json!({
            "name": "Phần mềm một cửa",
            "url": address,
            "events": ["feedback.recorded", "feedback.recorded"],
        }),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let created = created.json();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(created["events"], json!(["feedback.recorded"]));
    assert!(!created["address"].as_str().unwrap().contains("khoa-rieng"));
    let id = created["id"].as_i64().unwrap();

    let listed = api(&app, Some(admin.as_str()), "GET", path, Value::Null).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert!(!listed.body.contains(&secret), "the secret is not listed");
    assert!(!listed.body.contains("khoa-rieng"));
    let rows = listed.json();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["id"].as_i64(), Some(id));
    assert_eq!(rows[0]["revoked"], false);

    // It works: an event arrives signed with the secret the API gave.
    send_feedback(&app).await;
    assert_eq!(deliver(&app, Utc::now()).await.sent, 1);
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert!(signed_with(&received[0], &secret));

    // Stopped: nothing more arrives; stopping again changes nothing; an
    // unknown webhook is not found.
    let stop = format!("{path}/{id}");
    assert_eq!(
        api(&app, Some(staff.as_str()), "DELETE", &stop, Value::Null)
            .await
            .status,
        403
    );
    assert_eq!(
        api(&app, Some(admin.as_str()), "DELETE", &stop, Value::Null)
            .await
            .status,
        204
    );
    assert_eq!(
        api(&app, Some(admin.as_str()), "DELETE", &stop, Value::Null)
            .await
            .status,
        204
    );
    let unknown = api(
        &app,
        Some(admin.as_str()),
        "DELETE",
        &format!("{path}/{}", id + 100),
        Value::Null,
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let listed = api(&app, Some(admin.as_str()), "GET", path, Value::Null).await;
    assert_eq!(listed.json()[0]["revoked"], true);
    send_feedback(&app).await;
    assert_eq!(deliver(&app, Utc::now()).await.sent, 0);
    assert_eq!(receiver.received().len(), 1);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('webhook.create', 'webhook.revoke')"
        )
        .await,
        2,
        "the API's changes are in the audit log, the second stop is not"
    );
}
