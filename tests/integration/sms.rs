//! Text messages through the generic HTTP adapter, against a real HTTP
//! receiver on loopback standing in for an SMS gateway: the body template is
//! filled and escaped, the operator's headers go along, a busy gateway is
//! retried, a refusal is given up at once, and without a gateway messages
//! wait and say why.

use axum::http::StatusCode;
use chrono::Utc;
use domain::services::outbox::{self, Pass, SmsGateway, SmsSettings, Waiting};
use hailong_tests::TestApp;

use crate::outbox::PUBLIC_URL;
use crate::receiver::Receiver;

/// The generic adapter pointed at `receiver`, with the operator's headers.
fn gateway_at(receiver: &Receiver, body: &str, content_type: &str) -> SmsGateway {
    SmsGateway::new(&SmsSettings {
        url: receiver.url.clone(),
        headers: "X-Api-Key: khoa-bi-mat\nX-Brandname: BQLKKT".to_owned(),
        body: body.to_owned(),
        content_type: content_type.to_owned(),
    })
    .unwrap()
}

/// A feedback item from someone who left a phone and no e-mail.
async fn send_feedback(app: &TestApp, phone: &str) -> String {
    let sent = app
        .post_json(
            "/api/v1/feedback",
            &serde_json::json!({
                "content": "Đề nghị niêm yết rõ thời gian trả kết quả tại bộ phận một cửa.",
                "department": "QLDN",
                "sender": { "name": "Võ Minh Tuấn", "phone": phone },
            }),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    sent.json()["tracking_code"].as_str().unwrap().to_owned()
}

async fn deliver(app: &TestApp, gateway: &SmsGateway, at: chrono::DateTime<Utc>) -> Pass {
    outbox::deliver_due_sms(&app.db, Some(gateway), Some(PUBLIC_URL), at)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_sender_without_e_mail_gets_the_acknowledgement_by_text_message_once() {
    let app = TestApp::with_open_round().await;
    let receiver = Receiver::start(&[]).await;
    let code = send_feedback(&app, "0905 123 456").await;

    // Without a gateway it waits and says why; e-mail has nothing to do.
    let waiting = outbox::deliver_due_sms(&app.db, None, Some(PUBLIC_URL), Utc::now())
        .await
        .unwrap();
    assert_eq!(waiting.waiting, Some(Waiting::NoSmsGateway));

    let gateway = gateway_at(&receiver, "", "application/json");
    let pass = deliver(&app, &gateway, Utc::now()).await;
    assert_eq!((pass.sent, pass.retrying, pass.dead), (1, 0, 0));
    assert_eq!(deliver(&app, &gateway, Utc::now()).await.sent, 0);

    let received = receiver.received();
    assert_eq!(received.len(), 1, "delivered exactly once");
    let request = &received[0];
    assert_eq!(request.headers["x-api-key"], "khoa-bi-mat");
    assert_eq!(request.headers["x-brandname"], "BQLKKT");
    assert_eq!(request.headers["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["to"], "+84905123456");
    let id = app
        .scalar("SELECT CAST(id AS BIGINT) FROM outbox_messages")
        .await;
    assert_eq!(body["id"], format!("hailong-outbox-{id}"));
    let text = body["text"].as_str().unwrap();
    assert!(text.contains(&format!("Mã tra cứu {code}")), "{text}");
    assert!(text.contains(&format!("{PUBLIC_URL}/feedback/track?code={code}")));
    // Delivered: the number is no longer kept in the outbox.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms' AND status = 'sent' AND recipient IS NULL"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_form_template_is_filled_and_escaped_for_a_form() {
    let app = TestApp::with_open_round().await;
    let receiver = Receiver::start(&[]).await;
    send_feedback(&app, "+84 236 3822 123").await;
    let gateway = gateway_at(
        &receiver,
        "phone={to_local}&message={text}&ref={id}",
        "application/x-www-form-urlencoded",
    );
    assert_eq!(deliver(&app, &gateway, Utc::now()).await.sent, 1);
    let request = &receiver.received()[0];
    let fields: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(request.body.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(fields["phone"], "02363822123");
    assert!(fields["message"].starts_with("Đã nhận phản ánh của Ông/Bà."));
    assert!(fields["ref"].starts_with("hailong-outbox-"));
}

#[tokio::test]
async fn a_busy_gateway_is_tried_again_and_a_refusal_is_given_up_at_once() {
    let app = TestApp::with_open_round().await;
    let receiver = Receiver::start(&[
        StatusCode::SERVICE_UNAVAILABLE,
        StatusCode::TOO_MANY_REQUESTS,
    ])
    .await;
    send_feedback(&app, "0912345678").await;
    let gateway = gateway_at(&receiver, "", "");
    let start = Utc::now();
    let first = deliver(&app, &gateway, start).await;
    assert_eq!((first.sent, first.retrying), (0, 1));
    let error = last_error(&app).await;
    assert!(error.contains("503"), "{error}");
    assert!(!error.contains("0912345678"));
    // Not before its wait; then again (429), then through.
    assert_eq!(deliver(&app, &gateway, start).await, Pass::default());
    let later = start + chrono::Duration::minutes(2);
    assert_eq!(deliver(&app, &gateway, later).await.retrying, 1);
    let later = later + chrono::Duration::minutes(5);
    assert_eq!(deliver(&app, &gateway, later).await.sent, 1);
    assert_eq!(receiver.received().len(), 3);

    // A gateway that refuses the request (400) is not asked again.
    let refusing = Receiver::start(&[StatusCode::BAD_REQUEST]).await;
    send_feedback(&app, "0987654321").await;
    let pass = deliver(&app, &gateway_at(&refusing, "", ""), Utc::now()).await;
    assert_eq!((pass.sent, pass.retrying, pass.dead), (0, 0, 1));
    assert_eq!(refusing.received().len(), 1);
}

#[test]
fn a_gateway_that_cannot_work_is_refused_with_the_reason() {
    let settings = |url: &str, headers: &str, body: &str, content_type: &str| SmsSettings {
        url: url.to_owned(),
        headers: headers.to_owned(),
        body: body.to_owned(),
        content_type: content_type.to_owned(),
    };
    let refused = |s: SmsSettings| SmsGateway::new(&s).unwrap_err();
    assert!(refused(settings("sms.example.vn", "", "", "")).contains("HAILONG_SMS_WEBHOOK_URL"));
    assert!(
        refused(settings("https://sms.example.vn", "X-Key", "", ""))
            .contains("HAILONG_SMS_WEBHOOK_HEADERS")
    );
    assert!(
        refused(settings(
            "https://sms.example.vn",
            "",
            r#"{"msg":"{text}"}"#,
            ""
        ))
        .contains("{to}")
    );
    assert!(
        refused(settings("https://sms.example.vn", "", "", "text/xml"))
            .contains("HAILONG_SMS_WEBHOOK_CONTENT_TYPE")
    );
    assert!(SmsGateway::new(&settings("https://sms.example.vn/api", "", "", "")).is_ok());
    assert_eq!(
        outbox::Phone::parse("0905.123.456").map(|p| p.international),
        Some("+84905123456".to_owned())
    );
    assert_eq!(outbox::Phone::parse("12345"), None);
}

async fn last_error(app: &TestApp) -> String {
    use sea_orm::EntityTrait;
    domain::entities::outbox_message::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .last_error
        .unwrap_or_default()
}

#[tokio::test]
async fn an_invitee_with_only_a_phone_is_invited_and_reminded_by_text_message() {
    use domain::model::Role;
    use domain::services::invitations::mailing;
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let list = "name,tax_code,email,phone,department,procedure\n\
                Công ty TNHH Thư,,thu@kcn.example.vn,,QLDN,\n\
                Hộ kinh doanh Tin,,,0905 111 222,QLDN,\n\
                Công ty CP Không liên hệ,,,,QLDN,\n";
    let imported = app
        .post_upload_as(
            &admin,
            "/sf/rounds/invitations/import",
            &[("slug", "test-round")],
            "moi.csv",
            list.as_bytes(),
        )
        .await;
    assert_eq!(imported.location(), "/rounds/test-round/invitations");
    for (field, value) in [("reminder_days", "7, 14"), ("mail_lang", "vi")] {
        let path = if field == "reminder_days" {
            "/sf/rounds/invitations/reminders"
        } else {
            "/sf/rounds/invitations/send"
        };
        let reply = app
            .post_form_as(
                &admin,
                path,
                &[
                    ("slug".to_owned(), "test-round".to_owned()),
                    (field.to_owned(), value.to_owned()),
                ],
            )
            .await;
        assert_eq!(reply.location(), "/rounds/test-round/invitations");
    }
    let queued = |channel: &str| {
        format!(
            "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'survey-invitation' AND channel = '{channel}'"
        )
    };
    assert_eq!(app.scalar(&queued("email")).await, 1);
    assert_eq!(app.scalar(&queued("sms")).await, 1);

    // The text message carries the invitee's personal link.
    let receiver = Receiver::start(&[]).await;
    let gateway = gateway_at(&receiver, "", "application/json");
    let start = Utc::now();
    assert_eq!(deliver(&app, &gateway, start).await.sent, 1);
    let code: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        domain::entities::invitation::Entity::find()
            .filter(domain::entities::invitation::Column::Phone.is_not_null())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .code
    };
    let body: serde_json::Value = serde_json::from_str(&receiver.received()[0].body).unwrap();
    assert_eq!(body["to"], "+84905111222");
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("{PUBLIC_URL}/s/test-round")) && text.contains(&code),
        "{text}"
    );

    // A week later the reminder goes by text message too (the e-mail
    // invitation was never delivered, so its invitee is not reminded yet).
    let week = start + chrono::Duration::days(7) + chrono::Duration::minutes(1);
    assert_eq!(mailing::queue_reminders(&app.db, week).await.unwrap(), 1);
    assert_eq!(deliver(&app, &gateway, week).await.sent, 1);
    let reminder: serde_json::Value = serde_json::from_str(&receiver.received()[1].body).unwrap();
    assert!(reminder["text"].as_str().unwrap().starts_with("Nhắc lại"));

    // Asking for no more survey messages stops the next reminder.
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    mailing::unsubscribe(&app.db, &round, &code).await.unwrap();
    let fortnight = start + chrono::Duration::days(14) + chrono::Duration::minutes(1);
    assert_eq!(
        mailing::queue_reminders(&app.db, fortnight).await.unwrap(),
        0
    );
}
