//! Work alerts by e-mail, delivered to a real SMTP server on loopback: an
//! officer gives an address on their own page, hears that an item was
//! assigned to their department (the staff of another department and those
//! without an address hear nothing), hears on the working day before the
//! step's deadline and once it has passed, each once however often the scan
//! runs; leaders get the weekly digest once a week.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::model::{Role, Scope};
use domain::services::outbox;
use domain::services::work_alerts::{self, Queued};
use hailong_tests::{Browser, TestApp};
use serde_json::json;

use crate::outbox::{PUBLIC_URL, SmtpSink};

const OFFICER: &str = "can.bo.qldn@bqlkkt.example.vn";
const OTHER: &str = "can.bo.qldt@bqlkkt.example.vn";
const LEADER: &str = "lanh.dao@bqlkkt.example.vn";

/// 08:00 in Vietnam on `day`.
fn morning(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap())
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn give_address(app: &TestApp, browser: &Browser, address: &str) {
    let reply = app
        .post_form_as(
            browser,
            "/sf/account/alerts",
            &[("alert_email".to_owned(), address.to_owned())],
        )
        .await;
    assert_eq!(reply.location(), "/account");
}

async fn act(app: &TestApp, id: i32, body: serde_json::Value) {
    let (_, admin) = app.token("alerts", Role::Admin, Scope::ALL).await;
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

async fn alerts(app: &TestApp, kind: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM outbox_messages WHERE kind = '{kind}'"
    ))
    .await
}

#[tokio::test]
async fn an_officer_hears_of_an_assigned_item_and_before_and_after_its_deadline_once() {
    let app = TestApp::with_open_round().await;
    let officer = app.sign_in(Role::Staff, &["QLDN"]).await;
    let without_address = app.sign_in(Role::Staff, &["QLDN"]).await;
    let other = app.sign_in(Role::Staff, &["QLDT"]).await;

    // A wrong address is named next to the field, what was typed stays, nothing is stored.
    let refused = app
        .post_form_as(
            &officer,
            "/sf/account/alerts",
            &[("alert_email".to_owned(), "khong-phai-email".to_owned())],
        )
        .await;
    let page = app.get_as(&officer.after(&refused), "/account").await;
    assert!(
        page.body.contains(r#"id="alert_email-error""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="khong-phai-email""#));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE alert_email IS NOT NULL")
            .await,
        0
    );
    give_address(&app, &officer, OFFICER).await;
    give_address(&app, &other, OTHER).await;
    let page = app.get_as(&officer, "/account").await;
    assert!(page.body.contains(&format!(r#"value="{OFFICER}""#)));
    let _ = without_address;

    let id = app
        .record_feedback("Đề nghị hướng dẫn rõ hồ sơ gia hạn giấy phép lao động.")
        .await;
    act(
        &app,
        id,
        json!({"action": "classify", "classification": "in-scope", "category": "procedures"}),
    )
    .await;
    assert_eq!(alerts(&app, "work-assigned").await, 0);
    act(&app, id, json!({"action": "assign", "department": "QLDN"})).await;
    assert_eq!(
        alerts(&app, "work-assigned").await,
        1,
        "to the one officer of QLDN with an address"
    );

    let sink = SmtpSink::start().await;
    let pass = outbox::deliver_due(&app.db, Some(&sink.mailer()), Some(PUBLIC_URL), Utc::now())
        .await
        .unwrap();
    assert_eq!(pass.sent, 1);
    let mails = sink.messages();
    let mail = &mails[0];
    let to = mail.to().and_then(|t| t.first()).and_then(|a| a.address());
    assert_eq!(to, Some(OFFICER));
    let code = app
        .scalar_text(&format!(
            "SELECT tracking_code FROM feedback_items WHERE id = {id}"
        ))
        .await;
    let subject = mail.subject().unwrap();
    assert_eq!(
        subject,
        format!("Phản ánh {code} được giao cho Phòng Quản lý doanh nghiệp")
    );
    let text = mail.body_text(0).unwrap().into_owned();
    assert!(
        text.contains(&format!("{PUBLIC_URL}/feedback/items/{id}")),
        "{text}"
    );
    for personal in ["Nguyễn Thị Mai", "0905", "Bắc Chu Lai", "gia hạn"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }

    // The answer's deadline, moved to a known Monday (8 March 2027).
    let monday = day(2027, 3, 8);
    app.execute(&format!(
        "UPDATE feedback_items SET due_on = '{monday}' WHERE id = {id}"
    ))
    .await;
    let friday = day(2027, 3, 5);
    // Before seven in the morning nothing is said; then once.
    let early = Utc.from_utc_datetime(&day(2027, 3, 4).and_hms_opt(23, 0, 0).unwrap());
    let nothing = work_alerts::queue_due(&app.db, early).await.unwrap();
    assert_eq!(nothing, Queued::default());
    let queued = work_alerts::queue_due(&app.db, morning(friday))
        .await
        .unwrap();
    assert_eq!((queued.due_soon, queued.overdue), (1, 0));
    let again = work_alerts::queue_due(&app.db, morning(friday))
        .await
        .unwrap();
    assert_eq!(again, Queued::default(), "once");
    // The weekend says nothing; Tuesday, it is overdue, once.
    let saturday = work_alerts::queue_due(&app.db, morning(day(2027, 3, 6)))
        .await
        .unwrap();
    assert_eq!(saturday, Queued::default());
    let tuesday = morning(day(2027, 3, 9));
    assert_eq!(
        work_alerts::queue_due(&app.db, tuesday)
            .await
            .unwrap()
            .overdue,
        1
    );
    assert_eq!(
        work_alerts::queue_due(&app.db, tuesday).await.unwrap(),
        Queued::default()
    );
    assert_eq!(alerts(&app, "work-due-soon").await, 1);
    assert_eq!(alerts(&app, "work-overdue").await, 1);

    let pass = outbox::deliver_due(&app.db, Some(&sink.mailer()), Some(PUBLIC_URL), tuesday)
        .await
        .unwrap();
    assert_eq!(pass.sent, 2);
    let subjects: Vec<String> = sink
        .messages()
        .iter()
        .map(|m| m.subject().unwrap().to_owned())
        .collect();
    assert!(subjects.contains(&format!("Phản ánh {code} đến hạn ngày 08/03/2027")));
    assert!(subjects.contains(&format!("Phản ánh {code} đã quá hạn (08/03/2027)")));
    assert!(
        sink.messages()
            .iter()
            .all(|m| { m.to().and_then(|t| t.first()).and_then(|a| a.address()) == Some(OFFICER) }),
        "never to the other department"
    );
    // Delivered, the outbox forgets the address.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox_messages WHERE recipient IS NOT NULL AND kind LIKE 'work-%'")
            .await,
        0
    );
}

#[tokio::test]
async fn leaders_receive_the_weekly_digest_once_a_week() {
    let app = TestApp::with_open_round().await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    give_address(&app, &leader, LEADER).await;
    // Two open items of QLDN, one past its deadline, and one without a department.
    let late = app
        .record_feedback_in("QLDN", "Đề nghị rút ngắn thời gian cấp giấy phép.")
        .await;
    app.record_feedback_in("QLDN", "Đề nghị bổ sung biểu mẫu điện tử.")
        .await;
    app.record_feedback("Đề nghị công khai số điện thoại đường dây nóng.")
        .await;
    app.execute(&format!(
        "UPDATE feedback_items SET due_on = '2027-03-01' WHERE id = {late}"
    ))
    .await;
    app.execute("UPDATE feedback_items SET due_on = '2027-03-20' WHERE due_on IS NULL OR due_on <> '2027-03-01'")
        .await;

    let monday = morning(day(2027, 3, 8));
    assert_eq!(
        work_alerts::queue_due(&app.db, monday)
            .await
            .unwrap()
            .digests,
        1
    );
    assert_eq!(
        work_alerts::queue_due(&app.db, monday)
            .await
            .unwrap()
            .digests,
        0
    );
    let wednesday = morning(day(2027, 3, 10));
    assert_eq!(
        work_alerts::queue_due(&app.db, wednesday)
            .await
            .unwrap()
            .digests,
        0,
        "once a week"
    );
    let next_monday = morning(day(2027, 3, 15));
    assert_eq!(
        work_alerts::queue_due(&app.db, next_monday)
            .await
            .unwrap()
            .digests,
        1
    );

    let sink = SmtpSink::start().await;
    let pass = outbox::deliver_due(&app.db, Some(&sink.mailer()), Some(PUBLIC_URL), next_monday)
        .await
        .unwrap();
    assert_eq!(pass.sent, 2);
    let mails = sink.messages();
    let first = mails
        .iter()
        .find(|m| m.subject().unwrap().ends_with("2027-W10"))
        .expect("the digest of week 10");
    let text = first.body_text(0).unwrap().into_owned();
    assert!(text.contains("Khảo sát thử nghiệm: 0 phiếu"), "{text}");
    assert!(text.contains("Đang xử lý: 3; quá hạn: 1."), "{text}");
    assert!(
        text.contains("- Phòng Quản lý doanh nghiệp: 2 đang xử lý, 1 quá hạn"),
        "{text}"
    );
    assert!(
        text.contains("- Chưa giao đơn vị: 1 đang xử lý, 0 quá hạn"),
        "{text}"
    );
    assert!(!text.contains("Nguyễn Thị Mai"));
}
