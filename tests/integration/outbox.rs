//! The outbox against a real SMTP server on loopback (Python's aiosmtpd,
//! writing each message it accepts into a Maildir): a feedback sender's
//! acknowledgement is delivered once with a link that works; an unreachable
//! server leaves messages queued, retried, then dead and resendable; two
//! senders on one database never deliver one message twice.

use std::net::TcpListener;
use std::path::PathBuf;

use chrono::Utc;
use domain::model::MessageChannel;
use domain::services::audit::Actor;
use domain::services::outbox::{self, MailSettings, Mailer, Pass, Waiting};
use hailong_tests::TestApp;
use hailong_tests::aiosmtpd::Aiosmtpd;

pub(crate) const PUBLIC_URL: &str = "http://hailong.test";
const FROM: &str = "Ban Quản lý KKT <khaosat@bqlkkt.example.vn>";

/// The real SMTP server, for one test.
pub(crate) struct SmtpSink {
    server: Aiosmtpd,
    maildir: PathBuf,
}

impl SmtpSink {
    pub(crate) async fn start() -> Self {
        let maildir = std::env::temp_dir().join(format!("hailong-mail-{}", uuid::Uuid::new_v4()));
        Self {
            server: Aiosmtpd::start(maildir.clone()),
            maildir,
        }
    }

    pub(crate) fn mailer(&self) -> Mailer {
        mailer_to(self.server.port)
    }

    /// Every message the server accepted, as parsed mail.
    pub(crate) fn messages(&self) -> Vec<mail_parser::Message<'static>> {
        self.server
            .raw_messages()
            .iter()
            .map(|raw| {
                mail_parser::MessageParser::default()
                    .parse(raw)
                    .expect("a well-formed message")
                    .into_owned()
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn mailer_to(port: u16) -> Mailer {
    Mailer::new(&MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: FROM.to_owned(),
        reply_to: Some("Đường dây nóng <duongdaynong@bqlkkt.example.vn>".to_owned()),
    })
    .unwrap()
}

/// Sends a feedback item through the public API; returns its tracking code.
pub(crate) async fn send_feedback(app: &TestApp, email: &str) -> String {
    let sent = app
        .post_json(
            "/api/v1/feedback",
            &serde_json::json!({
                "content": "Đề nghị hướng dẫn rõ hơn thủ tục gia hạn giấy phép lao động.",
                "department": "QLDN",
                "sender": { "name": "Trần Thị Bích Ngọc", "phone": "0905765432", "email": email },
            }),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    sent.json()["tracking_code"].as_str().unwrap().to_owned()
}

async fn deliver(app: &TestApp, mailer: &Mailer, at: chrono::DateTime<Utc>) -> Pass {
    outbox::deliver_due(&app.db, Some(mailer), Some(PUBLIC_URL), at)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_feedback_sender_receives_the_acknowledgement_once_with_a_working_link() {
    let app = TestApp::with_open_round().await;
    let sink = SmtpSink::start().await;
    let code = send_feedback(&app, "ngoc.tran@chulai.example.vn").await;
    // Without an address nothing is queued.
    // Without an address, the phone gets a text message instead.
    send_feedback(&app, "").await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'email'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms'")
            .await,
        1
    );

    // Until a mail server and a public address are set, it waits and says why.
    let waiting = outbox::deliver_due(&app.db, None, Some(PUBLIC_URL), Utc::now())
        .await
        .unwrap();
    assert_eq!(waiting.waiting, Some(Waiting::NoMailServer));
    let waiting = outbox::deliver_due(&app.db, Some(&sink.mailer()), None, Utc::now())
        .await
        .unwrap();
    assert_eq!(waiting.waiting, Some(Waiting::NoPublicAddress));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued' AND attempts = 0")
            .await,
        2
    );

    let pass = deliver(&app, &sink.mailer(), Utc::now()).await;
    assert_eq!((pass.sent, pass.retrying, pass.dead), (1, 0, 0));
    // A second pass finds nothing more to send.
    assert_eq!(deliver(&app, &sink.mailer(), Utc::now()).await.sent, 0);

    let received = sink.messages();
    assert_eq!(received.len(), 1, "delivered exactly once");
    let mail = &received[0];
    let id = app
        .scalar("SELECT CAST(id AS BIGINT) FROM outbox_messages WHERE channel = 'email'")
        .await;
    assert_eq!(
        mail.message_id(),
        Some(format!("hailong-outbox-{id}@bqlkkt.example.vn").as_str())
    );
    assert_eq!(
        mail.subject(),
        Some(format!("Đã nhận phản ánh, kiến nghị của Ông/Bà — mã tra cứu {code}").as_str())
    );
    assert_eq!(
        mail.to()
            .and_then(|to| to.first())
            .and_then(|a| a.address()),
        Some("ngoc.tran@chulai.example.vn")
    );
    assert_eq!(
        mail.reply_to()
            .and_then(|to| to.first())
            .and_then(|a| a.address()),
        Some("duongdaynong@bqlkkt.example.vn")
    );
    let text = mail.body_text(0).unwrap().into_owned();
    let html = mail.body_html(0).unwrap().into_owned();
    assert!(text.contains(&format!("Mã tra cứu: {code}")), "{text}");
    assert!(text.contains("Dự kiến trả lời trước ngày"), "{text}");
    let link = format!("{PUBLIC_URL}/feedback/track?code={code}");
    assert!(text.contains(&link) && html.contains(&link));

    // The link opens the item's tracking page.
    let page = app.get(&link[PUBLIC_URL.len()..]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&code));

    // Delivered: the address is no longer kept in the outbox.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE status = 'sent' AND recipient IS NULL AND sent_at IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn an_unreachable_mail_server_leaves_messages_queued_retried_then_dead_and_resendable() {
    let app = TestApp::with_open_round().await;
    send_feedback(&app, "binh.pham@example.vn").await;
    let nowhere = mailer_to(free_port());

    let start = Utc::now();
    let pass = deliver(&app, &nowhere, start).await;
    assert_eq!((pass.sent, pass.retrying, pass.dead), (0, 1, 0));
    let error: String = last_error(&app).await;
    assert!(!error.is_empty());
    assert!(
        !error.contains("binh.pham"),
        "the reason does not name the recipient"
    );
    // Not due again before its wait is over.
    assert_eq!(deliver(&app, &nowhere, start).await, Pass::default());

    // Each later attempt at its due time; the eighth gives up.
    let mut attempts = 1;
    while attempts < domain::messages::MAX_ATTEMPTS {
        let due = next_attempt_at(&app).await;
        assert!(due > start);
        let pass = deliver(&app, &nowhere, due).await;
        attempts += 1;
        let expected = if attempts == domain::messages::MAX_ATTEMPTS {
            (0, 0, 1)
        } else {
            (0, 1, 0)
        };
        assert_eq!(
            (pass.sent, pass.retrying, pass.dead),
            expected,
            "attempt {attempts}"
        );
    }
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE status = 'dead' AND recipient IS NOT NULL"
        )
        .await,
        1
    );
    let far = start + chrono::Duration::days(30);
    assert_eq!(
        deliver(&app, &nowhere, far).await.sent,
        0,
        "a dead message stays dead"
    );

    // An admin queues it again once the server is back: it is delivered.
    let id = app
        .scalar("SELECT CAST(id AS BIGINT) FROM outbox_messages")
        .await as i32;
    let admin = Actor {
        user_id: None,
        name: "admin".to_owned(),
        ip: None,
    };
    outbox::resend(&app.db, &admin, id).await.unwrap();
    assert!(
        outbox::resend(&app.db, &admin, id).await.is_err(),
        "only a dead message is resent"
    );
    let sink = SmtpSink::start().await;
    assert_eq!(deliver(&app, &sink.mailer(), Utc::now()).await.sent, 1);
    assert_eq!(sink.messages().len(), 1);
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.resend'")
            .await
            == 1
    );
    // A delivered message cannot be cancelled.
    assert!(outbox::cancel(&app.db, &admin, id).await.is_err());
}

#[tokio::test]
async fn two_senders_on_one_database_never_deliver_one_message_twice() {
    let app = TestApp::with_open_round().await;
    let queue = |n: usize| {
        let db = app.db.clone();
        async move {
            for i in 0..n {
                let ack = domain::messages::Acknowledgement {
                    tracking_code: format!("PA-TEST-{i:04}"),
                    received_on: Utc::now().date_naive(),
                    expected_answer_on: Utc::now().date_naive(),
                };
                outbox::enqueue_email(
                    &db,
                    domain::model::MessageKind::FeedbackAcknowledgement,
                    &format!("doanh-nghiep-{i}@example.vn"),
                    &ack,
                    domain::i18n::Lang::Vi,
                    None,
                )
                .await
                .unwrap();
            }
        }
    };

    // Claims in small batches from two senders at once: each row once.
    queue(30).await;
    let now = Utc::now();
    let claimer = || {
        let db = app.db.clone();
        async move {
            let mut ids = Vec::new();
            loop {
                let batch = outbox::claim_due(&db, MessageChannel::Email, now, 3)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return ids;
                }
                ids.extend(batch.into_iter().map(|m| m.id));
                tokio::task::yield_now().await;
            }
        }
    };
    let (a, b) = tokio::join!(claimer(), claimer());
    let mut all: Vec<i32> = a.iter().chain(b.iter()).copied().collect();
    all.sort();
    all.dedup();
    assert_eq!(a.len() + b.len(), 30);
    assert_eq!(all.len(), 30, "no message claimed twice");
    // Held: a third sender finds nothing until the lease runs out.
    assert!(
        outbox::claim_due(&app.db, MessageChannel::Email, now, 50)
            .await
            .unwrap()
            .is_empty()
    );
    let after_lease = now + outbox::LEASE + chrono::Duration::seconds(1);
    assert_eq!(
        outbox::claim_due(&app.db, MessageChannel::Email, after_lease, 50)
            .await
            .unwrap()
            .len(),
        30
    );

    // Two senders delivering at once: every message arrives once.
    let sink = SmtpSink::start().await;
    let (first, second) = (sink.mailer(), sink.mailer());
    let later = after_lease + outbox::LEASE + chrono::Duration::seconds(1);
    let (x, y) = tokio::join!(
        outbox::deliver_due(&app.db, Some(&first), Some(PUBLIC_URL), later),
        outbox::deliver_due(&app.db, Some(&second), Some(PUBLIC_URL), later),
    );
    assert_eq!(x.unwrap().sent + y.unwrap().sent, 30);
    let mut ids: Vec<String> = sink
        .messages()
        .iter()
        .map(|m| m.message_id().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 30);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30, "no Message-ID twice");
}

#[tokio::test]
async fn erasing_a_senders_contacts_withdraws_the_messages_not_yet_delivered() {
    let app = TestApp::with_open_round().await;
    send_feedback(&app, "nguyen.van.an@example.vn").await;
    let admin = Actor {
        user_id: None,
        name: "admin".to_owned(),
        ip: None,
    };
    domain::services::retention::erase_person(
        &app.db,
        &admin,
        "nguyen.van.an@example.vn",
        "Người gửi yêu cầu xoá thông tin liên hệ",
    )
    .await
    .unwrap();
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE status = 'cancelled' AND recipient IS NULL"
        )
        .await,
        1
    );
    let sink = SmtpSink::start().await;
    assert_eq!(deliver(&app, &sink.mailer(), Utc::now()).await.sent, 0);
    assert!(sink.messages().is_empty());
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

async fn next_attempt_at(app: &TestApp) -> chrono::DateTime<Utc> {
    use sea_orm::EntityTrait;
    domain::entities::outbox_message::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .next_attempt_at
}

#[tokio::test]
async fn the_outbox_page_says_why_nothing_goes_out_and_resends_or_cancels_without_showing_who() {
    let app = TestApp::with_open_round().await;
    send_feedback(&app, "tran.van.minh@example.vn").await;
    send_feedback(&app, "le.thi.hoa@example.vn").await;
    let nowhere = mailer_to(free_port());
    let mut at = Utc::now();
    for _ in 0..domain::messages::MAX_ATTEMPTS {
        deliver(&app, &nowhere, at).await;
        at += chrono::Duration::hours(7);
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE status = 'dead'")
            .await,
        2
    );
    let ids: Vec<i64> = [
        app.scalar("SELECT MIN(CAST(id AS BIGINT)) FROM outbox_messages")
            .await,
        app.scalar("SELECT MAX(CAST(id AS BIGINT)) FROM outbox_messages")
            .await,
    ]
    .to_vec();

    let admin = app.sign_in(domain::model::Role::Admin, &[]).await;
    let page = app.get_as(&admin, "/admin/outbox").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"data-testid="outbox-waiting""#));
    assert!(page.body.contains("Chưa cấu hình máy chủ thư"));
    assert!(page.body.contains("Xác nhận đã nhận phản ánh"));
    assert!(page.body.contains("Gửi không được"));
    assert!(
        !page.body.contains("tran.van.minh") && !page.body.contains("le.thi.hoa"),
        "the page shows the why, not the who"
    );

    let resend = app
        .post_form_as(
            &admin,
            "/sf/admin/outbox/resend",
            &[("id".to_owned(), ids[0].to_string())],
        )
        .await;
    assert_eq!(resend.location(), "/admin/outbox");
    let cancel = app
        .post_form_as(
            &admin,
            "/sf/admin/outbox/cancel",
            &[("id".to_owned(), ids[1].to_string())],
        )
        .await;
    let page = app.get_as(&admin.after(&cancel), "/admin/outbox").await;
    assert!(page.body.contains("Đã huỷ thư."));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued' AND attempts = 0")
            .await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE status = 'cancelled' AND recipient IS NULL"
        )
        .await,
        1
    );
    // A second cancel of the same message is refused on the page, with the reason.
    let again = app
        .post_form_as(
            &admin,
            "/sf/admin/outbox/cancel",
            &[("id".to_owned(), ids[1].to_string())],
        )
        .await;
    let page = app.get_as(&admin.after(&again), "/admin/outbox").await;
    assert!(
        page.body.contains(r#"class="form-failure""#),
        "{}",
        page.body
    );

    // With the server back, the resent one is delivered.
    let sink = SmtpSink::start().await;
    assert_eq!(deliver(&app, &sink.mailer(), Utc::now()).await.sent, 1);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_feedback_sender_gets_the_published_answer_with_a_rating_link_that_works_once() {
    let app = TestApp::with_open_round().await;
    let sink = SmtpSink::start().await;
    let code = send_feedback(&app, "ngoc.tran@chulai.example.vn").await;
    assert_eq!(deliver(&app, &sink.mailer(), Utc::now()).await.sent, 1);

    // Staff take the item through to a published answer.
    let (_, admin) = app
        .token(
            "outbox-answer",
            domain::model::Role::Admin,
            domain::model::Scope::ALL,
        )
        .await;
    let id = app
        .scalar("SELECT CAST(id AS BIGINT) FROM feedback_items")
        .await;
    for body in [
        serde_json::json!({"action": "classify", "classification": "in-scope", "category": "procedures"}),
        serde_json::json!({"action": "assign", "department": "QLDN"}),
        serde_json::json!({"action": "start"}),
        serde_json::json!({"action": "answer", "answer": "Ban đã niêm yết thành phần hồ sơ gia hạn giấy phép lao động tại Bộ phận Một cửa và trên trang thông tin điện tử."}),
        serde_json::json!({"action": "approve"}),
        serde_json::json!({"action": "publish", "confirm_public": true}),
    ] {
        let reply = app
            .send(
                http::Request::post(format!("/api/v1/feedback-items/{id}/actions"))
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .header(http::header::AUTHORIZATION, format!("Bearer {admin}"))
                    .body(axum::body::Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, 200, "{body}: {}", reply.body);
    }
    assert_eq!(deliver(&app, &sink.mailer(), Utc::now()).await.sent, 1);
    let received = sink.messages();
    assert_eq!(received.len(), 2, "the acknowledgement, then the answer");
    let notice = received
        .iter()
        .find(|m| m.subject().unwrap().starts_with("Đã có trả lời"))
        .expect("the answer notice");
    assert!(notice.subject().unwrap().contains(&code));
    let text = notice.body_text(0).unwrap().into_owned();
    let prefix = format!("{PUBLIC_URL}/feedback/track?code={code}&key=");
    let start = text.find(&prefix).expect("the rating link") + PUBLIC_URL.len();
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let key = link.split("key=").nth(1).unwrap().to_owned();

    // The link opens the rating form; the rating counts once.
    let page = app.get(&link).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"id="rating-5""#), "{}", page.body);
    let path = format!("/api/v1/feedback/{code}/rating");
    let (five, one) = (
        serde_json::json!({"key": key, "rating": 5}),
        serde_json::json!({"key": key, "rating": 1}),
    );
    assert_eq!(app.post_json(&path, &five).await.status, 204);
    assert_eq!(
        app.post_json(&path, &one).await.status,
        409,
        "a rating link works once"
    );
    let page = app.get(&link).await;
    assert!(!page.body.contains(r#"id="rating-5""#));
}

#[tokio::test]
async fn the_mail_servers_rates_are_kept_in_all_and_per_domain() {
    let app = TestApp::with_open_round().await;
    let addresses = [
        "a1@kcn-a.example.vn",
        "a2@kcn-a.example.vn",
        "a3@KCN-A.example.vn",
        "a4@kcn-a.example.vn",
        "a5@kcn-a.example.vn",
        "b1@kcn-b.example.vn",
        "b2@kcn-b.example.vn",
    ];
    for (i, address) in addresses.iter().enumerate() {
        let ack = domain::messages::Acknowledgement {
            tracking_code: format!("PA-RATE-{i:04}"),
            received_on: Utc::now().date_naive(),
            expected_answer_on: Utc::now().date_naive(),
        };
        outbox::enqueue_email(
            &app.db,
            domain::model::MessageKind::FeedbackAcknowledgement,
            address,
            &ack,
            domain::i18n::Lang::Vi,
            None,
        )
        .await
        .unwrap();
    }
    let sink = SmtpSink::start().await;
    let mailer = sink.mailer().with_rates(outbox::SendRates {
        per_minute: 4,
        per_domain_per_minute: 2,
    });
    let start = Utc::now();
    // Two to each domain, four in all; the rest wait a minute, no attempt spent.
    let pass = deliver(&app, &mailer, start).await;
    assert_eq!((pass.sent, pass.postponed, pass.retrying), (4, 3, 0));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued' AND attempts = 0")
            .await,
        3
    );
    assert_eq!(deliver(&app, &mailer, start).await, Pass::default());
    let minute = chrono::Duration::seconds(61);
    let pass = deliver(&app, &mailer, start + minute).await;
    assert_eq!((pass.sent, pass.postponed), (2, 1));
    let pass = deliver(&app, &mailer, start + minute + minute).await;
    assert_eq!((pass.sent, pass.postponed), (1, 0));
    assert_eq!(sink.messages().len(), 7);
}
