//! Message templates edited by an admin: a draft with a name the message
//! does not have, or without its link, is refused next to the field and
//! kept; a preview renders made-up data and stores nothing; a saved version
//! words the next acknowledgement delivered to a real SMTP server; older
//! versions and the built-in wording can be reopened; other roles cannot
//! see the pages.

use chrono::Utc;
use domain::model::Role;
use domain::services::outbox;
use hailong_tests::{Browser, Reply, TestApp};

use crate::outbox::{PUBLIC_URL, SmtpSink, send_feedback};

const EDITOR: &str = "/admin/messages/feedback-acknowledgement/vi";

fn draft(intent: &str, subject: &str, body: &str, sms: &str) -> Vec<(String, String)> {
    [
        ("kind", "feedback-acknowledgement"),
        ("lang", "vi"),
        ("subject", subject),
        ("body", body),
        ("sms", sms),
        ("intent", intent),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

async fn post(app: &TestApp, admin: &Browser, fields: &[(String, String)]) -> Reply {
    let reply = app
        .post_form_as(admin, "/sf/admin/messages/save", fields)
        .await;
    assert_eq!(reply.location(), EDITOR, "{}", reply.body);
    app.get_as(&admin.after(&reply), EDITOR).await
}

async fn versions(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM message_templates").await
}

const BODY: &str = "Kính gửi Quý doanh nghiệp,

Ban Quản lý đã nhận ý kiến ngày {{ received_on }} (mã {{ tracking_code }}).
- Hạn trả lời: {{ expected_answer_on }}
- Theo dõi: {{ tracking_link }}";

#[tokio::test]
async fn an_admin_edits_the_acknowledgement_and_the_next_one_sent_uses_it() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;

    // Other roles do not see the pages.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    assert_eq!(app.get_as(&staff, "/admin/messages").await.status, 403);
    assert_eq!(app.get_as(&staff, EDITOR).await.status, 403);

    let list = app.get_as(&admin, "/admin/messages").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body
            .contains(r#"data-testid="template-feedback-acknowledgement-vi""#)
    );
    assert!(list.body.contains("Mẫu có sẵn"));
    let page = app.get_as(&admin, EDITOR).await;
    assert!(
        page.body.contains("{{ tracking_link }}"),
        "the variables are listed"
    );
    assert!(
        page.body
            .contains("Đã nhận phản ánh, kiến nghị của Ông/Bà — mã tra cứu {{ tracking_code }}")
    );
    assert!(page.body.contains(r#"data-testid="preview-subject""#));
    assert_eq!(
        app.get_as(&admin, "/admin/messages/event-round-published/vi")
            .await
            .status,
        404
    );
    assert_eq!(
        app.get_as(&admin, "/admin/messages/feedback-acknowledgement/fr")
            .await
            .status,
        404
    );

    // A name the message does not have, and a body without its link: said
    // next to each field, what was typed stays, nothing is stored.
    let refused = post(
        &app,
        &admin,
        &draft(
            "save",
            "Mã {{ tracking_code }} của {{ sender_name }}",
            "Cảm ơn Ông/Bà, mã {{ tracking_code }}.",
            "Mã {{ tracking_code }}: {{ tracking_link }}",
        ),
    )
    .await;
    assert!(
        refused.body.contains(r#"id="template-subject-error""#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Không có biến {{ sender_name }}"));
    assert!(refused.body.contains(r#"id="template-body-error""#));
    assert!(refused.body.contains("Cần có biến {{ tracking_link }}"));
    assert!(!refused.body.contains(r#"id="template-sms-error""#));
    assert!(
        refused
            .body
            .contains("Cảm ơn Ông/Bà, mã {{ tracking_code }}.")
    );
    assert!(
        refused.body.contains("Chưa xem trước được")
            && !refused.body.contains(r#"data-testid="preview-subject""#),
        "a draft with errors has no preview"
    );
    assert_eq!(versions(&app).await, 0);

    // A preview renders made-up data and stores nothing.
    let subject = "Ban Quản lý đã nhận ý kiến — mã {{ tracking_code }}";
    let sms = "BQL da nhan y kien, ma {{ tracking_code }}: {{ tracking_link }}";
    let previewed = post(&app, &admin, &draft("preview", subject, BODY, sms)).await;
    assert!(
        previewed
            .body
            .contains("Ban Quản lý đã nhận ý kiến — mã PA-7K3M-Q9TX-W4HD"),
        "{}",
        previewed.body
    );
    assert!(previewed.body.contains("<li>Hạn trả lời: 24/12/2026</li>"));
    assert!(
        previewed.body.contains("1 tin"),
        "the text message's length in parts"
    );
    assert_eq!(versions(&app).await, 0);

    // Saved: version 1, in the audit log, on the list.
    let saved = post(&app, &admin, &draft("save", subject, BODY, sms)).await;
    assert!(
        saved.body.contains("Đã lưu phiên bản mới"),
        "{}",
        saved.body
    );
    assert_eq!(versions(&app).await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'message_template.save' AND entity_id = 'feedback-acknowledgement/vi/1'")
            .await,
        1
    );
    let list = app.get_as(&admin, "/admin/messages").await;
    assert!(list.body.contains("Phiên bản 1"), "{}", list.body);

    // The next acknowledgement is worded by it.
    let sink = SmtpSink::start().await;
    let code = send_feedback(&app, "ngoc.tran@chulai.example.vn").await;
    let pass = outbox::deliver_due(&app.db, Some(&sink.mailer()), Some(PUBLIC_URL), Utc::now())
        .await
        .unwrap();
    assert_eq!(pass.sent, 1);
    let mails = sink.messages();
    let mail = &mails[0];
    assert_eq!(
        mail.subject(),
        Some(format!("Ban Quản lý đã nhận ý kiến — mã {code}").as_str())
    );
    let text = mail.body_text(0).unwrap().into_owned();
    let html = mail.body_html(0).unwrap().into_owned();
    let link = format!("{PUBLIC_URL}/feedback/track?code={code}");
    assert!(text.contains(&format!("- Theo dõi: {link}")), "{text}");
    assert!(
        html.contains(&format!(
            r#"<li>Theo dõi: <a href="{link}">{link}</a></li>"#
        )),
        "{html}"
    );
    assert!(!text.contains("Trần Thị Bích Ngọc"), "nothing personal");

    // A second version; the first and the built-in wording can be reopened.
    post(
        &app,
        &admin,
        &draft("save", "Mã {{ tracking_code }}", BODY, sms),
    )
    .await;
    assert_eq!(versions(&app).await, 2);
    let page = app.get_as(&admin, EDITOR).await;
    assert!(page.body.contains(r#"data-testid="template-version-2""#));
    assert!(page.body.contains(r#"value="Mã {{ tracking_code }}""#));
    let first = app.get_as(&admin, &format!("{EDITOR}?from=1")).await;
    assert!(
        first.body.contains(&format!(r#"value="{subject}""#)),
        "{}",
        first.body
    );
    let builtin = app.get_as(&admin, &format!("{EDITOR}?from=0")).await;
    assert!(
        builtin
            .body
            .contains("Đã nhận phản ánh, kiến nghị của Ông/Bà — mã tra cứu {{ tracking_code }}")
    );
    assert_eq!(
        app.get_as(&admin, &format!("{EDITOR}?from=9")).await.status,
        404
    );
}
