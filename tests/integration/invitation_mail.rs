//! Invitations by e-mail against aiosmtpd on loopback: a round's 200
//! invitations each delivered once with a personal link that works;
//! reminders only to those who have not answered, withdrawn when the invitee
//! answers before delivery; an invitee who unsubscribes gets no more survey
//! mail, in this round or the next.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, Utc};
use domain::entities::invitation;
use domain::model::Role;
use domain::services::invitations::mailing;
use domain::services::outbox::{self, Pass};
use hailong_tests::{Browser, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::outbox::{PUBLIC_URL, SmtpSink};

fn invitation_csv(rows: &[String]) -> Vec<u8> {
    let mut text = String::from("name,tax_code,email,phone,department,procedure\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text.into_bytes()
}

/// Imports invitees with these addresses into `slug` (department QLDN).
async fn invite(app: &TestApp, admin: &Browser, slug: &str, emails: &[String]) {
    let rows: Vec<String> = emails
        .iter()
        .enumerate()
        .map(|(i, email)| format!("Công ty TNHH Số {i},,{email},,QLDN,"))
        .collect();
    let reply = app
        .post_upload_as(
            admin,
            "/sf/rounds/invitations/import",
            &[("slug", slug)],
            "moi.csv",
            &invitation_csv(&rows),
        )
        .await;
    assert_eq!(reply.location(), format!("/rounds/{slug}/invitations"));
}

/// The invitation codes of `slug` by address.
async fn codes(app: &TestApp, slug: &str) -> HashMap<String, String> {
    let round = domain::services::rounds::require(&app.db, slug)
        .await
        .unwrap();
    invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(round.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|i| Some((i.email?, i.code)))
        .collect()
}

async fn send_invitations(app: &TestApp, admin: &Browser, slug: &str) {
    send_invitations_in(app, admin, slug, "vi").await;
}

/// Sends with the language chosen for the messages.
async fn send_invitations_in(app: &TestApp, admin: &Browser, slug: &str, lang: &str) {
    let reply = app
        .post_form_as(
            admin,
            "/sf/rounds/invitations/send",
            &[
                ("slug".to_owned(), slug.to_owned()),
                ("mail_lang".to_owned(), lang.to_owned()),
            ],
        )
        .await;
    assert_eq!(reply.location(), format!("/rounds/{slug}/invitations"));
}

/// Delivers until nothing is due, a minute later each time the mail
/// server's rates held messages back; returns the sum of the passes.
async fn deliver_all(app: &TestApp, sink: &SmtpSink, mut at: chrono::DateTime<Utc>) -> Pass {
    let mut total = Pass::default();
    loop {
        let pass = outbox::deliver_due(&app.db, Some(&sink.mailer()), Some(PUBLIC_URL), at)
            .await
            .unwrap();
        assert_eq!(pass.waiting, None);
        if pass.sent + pass.retrying + pass.dead + pass.cancelled + pass.postponed == 0 {
            return total;
        }
        total.sent += pass.sent;
        total.retrying += pass.retrying;
        total.dead += pass.dead;
        total.cancelled += pass.cancelled;
        total.postponed += pass.postponed;
        if pass.postponed > 0 {
            at += Duration::seconds(61);
        }
    }
}

async fn answer(app: &TestApp, slug: &str, code: &str) {
    let reply = app
        .post_json(
            &format!("/api/v1/rounds/{slug}/responses"),
            &json!({
                "idempotency_key": format!("answer-{code}"),
                "invitation_code": code,
                "answers": {"A1": 4},
                "respondent": {"type": "doanh-nghiep"},
            }),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
}

async fn set_reminders(app: &TestApp, admin: &Browser, text: &str) -> hailong_tests::Reply {
    app.post_form_as(
        admin,
        "/sf/rounds/invitations/reminders",
        &[
            ("slug".to_owned(), "test-round".to_owned()),
            ("reminder_days".to_owned(), text.to_owned()),
        ],
    )
    .await
}

async fn progress(app: &TestApp, slug: &str) -> domain::model::InvitationProgress {
    let round = domain::services::rounds::require(&app.db, slug)
        .await
        .unwrap();
    mailing::progress(&app.db, round.id).await.unwrap()
}

fn recipient(mail: &mail_parser::Message) -> String {
    mail.to()
        .and_then(|to| to.first())
        .and_then(|a| a.address())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_rounds_200_invitations_are_each_delivered_once_with_a_working_personal_link() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let emails: Vec<String> = (0..200)
        .map(|i| format!("doanh-nghiep-{i:03}@kcn.example.vn"))
        .collect();
    invite(&app, &admin, "test-round", &emails).await;
    let page = app.get_as(&admin, "/rounds/test-round/invitations").await;
    assert!(page.body.contains(r#"data-testid="invitation-progress""#));
    assert!(page.body.contains("Gửi thư mời (200)"), "{}", page.body);

    // Sent twice (a double click): queued once.
    send_invitations(&app, &admin, "test-round").await;
    send_invitations(&app, &admin, "test-round").await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE kind = 'survey-invitation'")
            .await,
        200
    );
    assert_eq!(progress(&app, "test-round").await.to_send, 0);
    assert_eq!(progress(&app, "test-round").await.queued, 200);

    let sink = SmtpSink::start().await;
    // One domain takes 30 a minute by default: seven minutes of sending.
    let pass = deliver_all(&app, &sink, Utc::now()).await;
    assert_eq!((pass.sent, pass.retrying, pass.dead), (200, 0, 0));
    assert!(pass.postponed > 0, "the rates held some back");
    let received = sink.messages();
    assert_eq!(received.len(), 200, "each delivered exactly once");
    let ids: HashSet<String> = received
        .iter()
        .map(|m| m.message_id().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 200, "no Message-ID twice");
    let to: HashSet<String> = received.iter().map(recipient).collect();
    assert_eq!(to, emails.iter().cloned().collect());

    // Each mail carries its invitee's own link and a way to stop.
    let codes = codes(&app, "test-round").await;
    for mail in &received {
        let code = &codes[&recipient(mail)];
        let link = format!("{PUBLIC_URL}/s/test-round?code={code}");
        let text = mail.body_text(0).unwrap();
        assert!(text.contains(&link), "{text}");
        assert!(mail.body_html(0).unwrap().contains(&link));
        assert!(
            mail.subject()
                .unwrap()
                .starts_with("Mời Quý doanh nghiệp, Ông/Bà tham gia khảo sát")
        );
        let unsubscribe = mail.header_raw("List-Unsubscribe").unwrap();
        assert!(
            unsubscribe.contains(&format!("/s/test-round/unsubscribe?code={code}")),
            "{unsubscribe}"
        );
    }

    // The personal link opens the form with the code filled in, and counts.
    let mail = &received[17];
    let code = &codes[&recipient(mail)];
    let form = app.get(&format!("/s/test-round?code={code}")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&format!(r#"value="{code}""#)));
    answer(&app, "test-round", code).await;
    let now = progress(&app, "test-round").await;
    assert_eq!(
        (now.sent, now.opened, now.answered, now.queued, now.to_send),
        (200, 1, 1, 0, 0)
    );
    let page = app.get_as(&admin, "/rounds/test-round/invitations").await;
    assert!(page.body.contains("Không còn ai cần gửi thư mời."));
}

#[tokio::test]
async fn reminders_go_only_to_those_who_have_not_answered_and_stop_when_they_answer() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let emails: Vec<String> = ["an", "binh", "cuong"]
        .iter()
        .map(|n| format!("{n}@kcn.example.vn"))
        .collect();
    invite(&app, &admin, "test-round", &emails).await;

    // The schedule: a bad one is refused next to the field and changes nothing.
    let reply = set_reminders(&app, &admin, "14, 7").await;
    assert_eq!(reply.location(), "/rounds/test-round/invitations");
    let reply = set_reminders(&app, &admin, "7, bảy").await;
    let page = app
        .get_as(&admin.after(&reply), "/rounds/test-round/invitations")
        .await;
    assert!(
        page.body.contains(r#"id="reminder-days-error""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="7, bảy""#));
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    assert_eq!(round.reminder_days.as_deref(), Some("7,14"));

    send_invitations(&app, &admin, "test-round").await;
    let sink = SmtpSink::start().await;
    let start = Utc::now();
    assert_eq!(deliver_all(&app, &sink, start).await.sent, 3);
    let codes = codes(&app, "test-round").await;
    answer(&app, "test-round", &codes[&emails[0]]).await;

    // Nothing before the seventh day; then the two who have not answered, once.
    let reminders = |days: i64| {
        mailing::queue_reminders(&app.db, start + Duration::days(days) + Duration::minutes(1))
    };
    assert_eq!(reminders(6).await.unwrap(), 0);
    assert_eq!(reminders(7).await.unwrap(), 2);
    assert_eq!(reminders(8).await.unwrap(), 0);
    let at = start + Duration::days(8);
    assert_eq!(deliver_all(&app, &sink, at).await.sent, 2);
    let reminded: HashSet<String> = sink
        .messages()
        .iter()
        .filter(|m| m.subject().unwrap().starts_with("Nhắc lại"))
        .map(recipient)
        .collect();
    assert_eq!(reminded, emails[1..].iter().cloned().collect());

    // The second reminder is queued for Bình, who answers before it goes:
    // it is withdrawn, not sent.
    assert_eq!(reminders(14).await.unwrap(), 2);
    answer(&app, "test-round", &codes[&emails[1]]).await;
    let pass = deliver_all(&app, &sink, start + Duration::days(15)).await;
    assert_eq!((pass.sent, pass.cancelled), (1, 1));
    assert_eq!(sink.messages().len(), 6);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE status = 'cancelled' AND recipient IS NULL"
        )
        .await,
        1
    );
    assert_eq!(reminders(30).await.unwrap(), 0, "the schedule is done");
    assert_eq!(progress(&app, "test-round").await.reminded, 3);
}

#[tokio::test]
async fn an_invitee_who_unsubscribes_gets_no_more_survey_mail_in_any_round() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let emails = vec![
        "giam.doc@kcn.example.vn".to_owned(),
        "ke.toan@kcn.example.vn".to_owned(),
    ];
    invite(&app, &admin, "test-round", &emails).await;
    send_invitations_in(&app, &admin, "test-round", "en").await;
    let sink = SmtpSink::start().await;
    assert_eq!(deliver_all(&app, &sink, Utc::now()).await.sent, 2);
    assert!(
        sink.messages()
            .iter()
            .all(|m| m.subject().unwrap().starts_with("You are invited")),
        "the language chosen for the messages, not the page's"
    );
    let codes = codes(&app, "test-round").await;
    let code = &codes[&emails[0]];

    // The page behind the link asks first and shows nothing personal.
    let path = format!("/s/test-round/unsubscribe?code={code}");
    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ngừng nhận thư khảo sát"));
    assert!(!page.body.contains("giam.doc") && !page.body.contains("Công ty"));
    let reply = app
        .post_form(
            "/sf/survey/unsubscribe",
            &[
                ("slug".to_owned(), "test-round".to_owned()),
                ("code".to_owned(), code.clone()),
            ],
        )
        .await;
    assert!(
        reply
            .location()
            .starts_with("/s/test-round/unsubscribe?done=1")
    );
    let page = app.get(&path).await;
    assert!(page.body.contains(r#"data-testid="unsubscribed""#));
    let unknown = app.get("/s/test-round/unsubscribe?code=MOI-0000").await;
    assert!(unknown.body.contains("Đường dẫn không đúng"));

    // No reminder for them in this round.
    set_reminders(&app, &admin, "7, 14").await;
    let later = Utc::now() + Duration::days(8);
    assert_eq!(mailing::queue_reminders(&app.db, later).await.unwrap(), 1);

    // Nor an invitation of the next round, whatever the case of the address.
    app.add_round("second-round", domain::model::RoundStatus::Open)
        .await;
    invite(
        &app,
        &admin,
        "second-round",
        &["Giam.Doc@KCN.example.vn".to_owned()],
    )
    .await;
    let next = progress(&app, "second-round").await;
    assert_eq!((next.invitations, next.reachable, next.to_send), (1, 0, 0));
    send_invitations(&app, &admin, "second-round").await;
    assert_eq!(
        deliver_all(&app, &sink, later).await.sent,
        1,
        "the reminder only"
    );
    assert!(
        sink.messages()
            .iter()
            .all(|m| recipient(m) != "giam.doc@kcn.example.vn"
                || !m.subject().unwrap().starts_with("Nhắc lại")),
    );
    assert_eq!(sink.messages().len(), 3);
    // The address is kept only as a hash.
    assert_eq!(app.count("mail_suppressions").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM mail_suppressions WHERE address_hash LIKE '%@%'")
            .await,
        0
    );

    // Erasing the other invitee's contacts withdraws what waits for them.
    assert_eq!(
        mailing::queue_reminders(&app.db, Utc::now() + Duration::days(30))
            .await
            .unwrap(),
        1
    );
    domain::services::retention::erase_person(
        &app.db,
        &system(),
        &emails[1],
        "Người được mời yêu cầu xoá thông tin liên hệ",
    )
    .await
    .unwrap();
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued' OR recipient IS NOT NULL"
        )
        .await,
        0
    );
}

fn system() -> domain::services::audit::Actor {
    domain::services::audit::Actor {
        user_id: None,
        name: "admin".to_owned(),
        ip: None,
    }
}
