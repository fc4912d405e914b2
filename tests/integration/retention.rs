//! The personal-data lifecycle: contacts kept only for their retention
//! period, then erased by the purge (a dry run counts first) while the
//! anonymous content and figures stay; an admin exports and erases one
//! person's data on request; every step is in the audit log.

use domain::model::Role;
use hailong_tests::TestApp;
use sea_orm::ConnectionTrait;

async fn invite(app: &TestApp, code: &str, phone: &str) {
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO invitations (round_id, code, name, tax_code, email, phone, created_at) \
             SELECT id, '{code}', 'Công ty TNHH Mai Linh', '4000123456', 'mai@example.vn', '{phone}', \
             created_at FROM rounds WHERE slug = 'test-round'"
        ))
        .await
        .unwrap();
}

async fn text(app: &TestApp, sql: &str) -> Option<String> {
    app.db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap()
}

#[tokio::test]
async fn contacts_past_their_period_are_erased_and_the_content_stays() {
    let app = TestApp::with_open_round().await;
    let old = app
        .record_feedback("Hồ sơ cấp phép xây dựng bị trả chậm ba ngày.")
        .await;
    let recent = app.record_feedback("Đề nghị bổ sung bãi đỗ xe.").await;
    invite(&app, "MOI-OLD", "0905 000 111").await;
    // The first item closed three years ago, the second yesterday; the round closed two years ago.
    app.db
        .execute_unprepared(&format!(
            "UPDATE feedback_items SET status = 'closed', closed_at = '2023-06-01 00:00:00+00:00' WHERE id = {old}"
        ))
        .await
        .unwrap();
    app.db
        .execute_unprepared(&format!(
            "UPDATE feedback_items SET status = 'closed', closed_at = CURRENT_TIMESTAMP WHERE id = {recent}"
        ))
        .await
        .unwrap();
    app.db
        .execute_unprepared(
            "UPDATE rounds SET closes_at = '2024-06-30 00:00:00+00:00' WHERE slug = 'test-round'",
        )
        .await
        .unwrap();

    let now = chrono::Utc::now();
    let dry = domain::services::retention::purge(&app.db, now, true)
        .await
        .unwrap();
    assert_eq!((dry.feedback_items, dry.invitations), (1, 1));
    assert!(
        text(
            &app,
            &format!("SELECT sender_phone FROM feedback_items WHERE id = {old}")
        )
        .await
        .is_some(),
        "a dry run changes nothing"
    );
    // The admin page says what the next purge erases.
    let admin = app.sign_in(Role::Admin, &[]).await;
    let page = app.get_as(&admin, "/admin/personal-data").await;
    assert_eq!(page.status, 200);
    let due = hailong_tests::element_text(&page.body, r#"data-testid="purge-due""#).unwrap();
    assert!(due.contains(": 1 ") && due.contains(", 1 "), "{due}");

    let purged = domain::services::retention::purge(&app.db, now, false)
        .await
        .unwrap();
    assert_eq!((purged.feedback_items, purged.invitations), (1, 1));
    for column in [
        "sender_name",
        "sender_phone",
        "sender_address",
        "contact_text",
    ] {
        assert!(
            text(
                &app,
                &format!("SELECT {column} FROM feedback_items WHERE id = {old}")
            )
            .await
            .is_none(),
            "{column} erased"
        );
    }
    assert_eq!(
        text(
            &app,
            &format!("SELECT content FROM feedback_items WHERE id = {old}")
        )
        .await,
        Some("Hồ sơ cấp phép xây dựng bị trả chậm ba ngày.".to_owned()),
        "the content stays"
    );
    assert!(
        text(
            &app,
            &format!("SELECT sender_phone FROM feedback_items WHERE id = {recent}")
        )
        .await
        .is_some(),
        "a recent item keeps its contacts"
    );
    assert!(
        text(&app, "SELECT phone FROM invitations WHERE code = 'MOI-OLD'")
            .await
            .is_none()
    );
    assert_eq!(
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'personal_data.purge'"
        )
        .await,
        1
    );
    // Again: nothing left to erase.
    let again = domain::services::retention::purge(&app.db, now, false)
        .await
        .unwrap();
    assert_eq!((again.feedback_items, again.invitations), (0, 0));
}

#[tokio::test]
async fn admins_set_the_periods_within_bounds() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let form = |feedback: &str| {
        vec![
            ("feedback_contact_days".to_owned(), feedback.to_owned()),
            ("invitation_contact_days".to_owned(), "400".to_owned()),
        ]
    };
    let refused = app
        .post_form_as(&admin, "/sf/admin/personal-data/retention", &form("7"))
        .await;
    let page = app
        .get_as(&admin.after(&refused), "/admin/personal-data")
        .await;
    assert!(
        page.body.contains("từ 30 đến 3650"),
        "the limit is told beside the field"
    );
    app.post_form_as(&admin, "/sf/admin/personal-data/retention", &form("365"))
        .await;
    let periods = domain::services::retention::periods(&app.db).await.unwrap();
    assert_eq!(
        (
            periods.feedback_contact_days,
            periods.invitation_contact_days
        ),
        (365, 400)
    );
    // Only admins.
    let leader = app.sign_in(Role::Leader, &[]).await;
    let reply = app
        .post_form_as(&leader, "/sf/admin/personal-data/retention", &form("31"))
        .await;
    assert_eq!(reply.status, 403);
}

#[tokio::test]
async fn an_admin_exports_and_erases_one_persons_data_on_request() {
    let app = TestApp::with_open_round().await;
    let item = app.record_feedback("Phản ánh về thủ tục cấp phép.").await;
    let other = app.record_feedback("Phản ánh khác.").await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE feedback_items SET sender_phone = '0914 999 888', contact_text = NULL WHERE id = {other}"
        ))
        .await
        .unwrap();
    invite(&app, "MOI-MAI", "+84 905-123-456").await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let request = |identifier: &str, reason: &str| {
        vec![
            ("identifier".to_owned(), identifier.to_owned()),
            ("reason".to_owned(), reason.to_owned()),
        ]
    };
    // The same number written another way finds the item and the invitation.
    let export = app
        .post_form_as(
            &admin,
            "/admin/personal-data/export",
            &request("84905123456", "Đơn yêu cầu số 12/2026"),
        )
        .await;
    assert_eq!(export.status, 200, "{}", export.body);
    let data = export.json();
    assert_eq!(data["feedback_items"].as_array().unwrap().len(), 1);
    assert_eq!(data["feedback_items"][0]["name"], "Nguyễn Thị Mai");
    assert_eq!(data["invitations"][0]["code"], "MOI-MAI");
    assert!(!export.body.contains("0914 999 888"), "nobody else's data");
    // Without a reason, nothing is handed out.
    let no_reason = app
        .post_form_as(
            &admin,
            "/admin/personal-data/export",
            &request("0905123456", ""),
        )
        .await;
    assert_eq!(no_reason.status, 303, "back to the page with the message");
    // Staff cannot.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let refused = app
        .post_form_as(
            &staff,
            "/admin/personal-data/export",
            &request("0905123456", "x"),
        )
        .await;
    assert_eq!(refused.status, 403);

    app.post_form_as(
        &admin,
        "/sf/admin/personal-data/erase",
        &request("0905 123 456", "Đơn yêu cầu số 12/2026"),
    )
    .await;
    assert!(
        text(
            &app,
            &format!("SELECT sender_phone FROM feedback_items WHERE id = {item}")
        )
        .await
        .is_none()
    );
    assert!(
        text(
            &app,
            "SELECT tax_code FROM invitations WHERE code = 'MOI-MAI'"
        )
        .await
        .is_none()
    );
    assert_eq!(
        text(
            &app,
            &format!("SELECT sender_phone FROM feedback_items WHERE id = {other}")
        )
        .await,
        Some("0914 999 888".to_owned())
    );
    for action in ["personal_data.export", "personal_data.erase"] {
        let reason = text(
            &app,
            &format!("SELECT \"after\" FROM audit_log WHERE action = '{action}'"),
        )
        .await
        .unwrap_or_default();
        assert!(reason.contains("12/2026"), "{action} records why: {reason}");
    }
}
