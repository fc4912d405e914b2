//! Personal data stays with those whose work needs it. A matrix of readers
//! (each role, staff of each department, with and without the triage
//! permission, API tokens with and without `personal-data:read`) against
//! feedback items of department QLDN, of QLDT and of none, read through the
//! item page, the staff list, a search by phone number and the JSON API.
//! The expected outcome of every cell is written out here, so a missing or
//! loosened rule fails the test; each contact shown leaves an audit entry.

use axum::body::Body;
use domain::model::{Role, Scope};
use hailong_tests::{Browser, TestApp};
use http::{Request, header};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reader {
    Admin,
    Leader,
    StaffQldn,
    StaffQldnTriage,
    StaffQldt,
    TokenFeedback,
    TokenFeedbackPersonal,
    TokenIndicesOnly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Qldn,
    Qldt,
    Unassigned,
}

/// What `reader` gets of an item: (sees the item, sees its contact).
fn expected(reader: Reader, item: Item) -> (bool, bool) {
    use Item::*;
    use Reader::*;
    match (reader, item) {
        (Admin, _) => (true, true),
        (Leader, _) => (true, false),
        (StaffQldn, Qldn) => (true, true),
        (StaffQldn, _) => (false, false),
        (StaffQldnTriage, Qldn | Unassigned) => (true, true),
        (StaffQldnTriage, Qldt) => (false, false),
        (StaffQldt, Qldt) => (true, true),
        (StaffQldt, _) => (false, false),
        (TokenFeedback, _) => (true, false),
        (TokenFeedbackPersonal, _) => (true, true),
        (TokenIndicesOnly, _) => (false, false),
    }
}

const READERS: [Reader; 8] = [
    Reader::Admin,
    Reader::Leader,
    Reader::StaffQldn,
    Reader::StaffQldnTriage,
    Reader::StaffQldt,
    Reader::TokenFeedback,
    Reader::TokenFeedbackPersonal,
    Reader::TokenIndicesOnly,
];

enum Credential {
    Session(Browser),
    Token(String),
}

async fn credential(app: &TestApp, reader: Reader) -> Credential {
    use Reader::*;
    let token = |scopes: &'static [Scope]| async move {
        Credential::Token(
            app.token(&format!("{reader:?}"), Role::Staff, scopes)
                .await
                .1,
        )
    };
    match reader {
        Admin => Credential::Session(app.sign_in(Role::Admin, &[]).await),
        Leader => Credential::Session(app.sign_in(Role::Leader, &[]).await),
        StaffQldn => Credential::Session(app.sign_in(Role::Staff, &["QLDN"]).await),
        StaffQldnTriage => Credential::Session(app.sign_in_triage(&["QLDN"]).await),
        StaffQldt => Credential::Session(app.sign_in(Role::Staff, &["QLDT"]).await),
        TokenFeedback => token(&[Scope::FeedbackRead]).await,
        TokenFeedbackPersonal => token(&[Scope::FeedbackRead, Scope::PersonalData]).await,
        TokenIndicesOnly => token(&[Scope::IndicesRead]).await,
    }
}

async fn api_get(app: &TestApp, token: &str, path: &str) -> hailong_tests::Reply {
    app.send(
        Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// The items, each with a sender whose phone number is its own.
async fn items(app: &TestApp) -> Vec<(Item, i32, String)> {
    let mut out = Vec::new();
    for (item, department, phone) in [
        (Item::Qldn, "QLDN", "0905111222"),
        (Item::Qldt, "QLDT", "0905333444"),
        (Item::Unassigned, "", "0905555666"),
    ] {
        use domain::services::feedback::{self, NewFeedback, Recorder};
        let system = domain::auth::Principal {
            user_id: None,
            token_id: None,
            name: "test".to_owned(),
            display_name: "Test".to_owned(),
            role: Role::Admin,
            department_ids: Vec::new(),
            can_triage: true,
            scopes: None,
        };
        let stored = feedback::record(
            &app.db,
            Recorder::Staff(&system, ""),
            NewFeedback {
                channel: "hotline".to_owned(),
                content: format!("Người gọi phản ánh hồ sơ bị trả chậm ({department})."),
                department: department.to_owned(),
                sender: domain::model::SenderContact {
                    name: "Trần Văn Bình".to_owned(),
                    address: "KCN Tam Thăng".to_owned(),
                    phone: phone.to_owned(),
                    email: String::new(),
                },
                ..NewFeedback::default()
            },
        )
        .await
        .expect("recorded");
        out.push((item, stored.id, phone.to_owned()));
    }
    out
}

async fn contact_reads(app: &TestApp) -> i64 {
    app.scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'feedback.contact.read'",
    )
    .await
}

#[tokio::test]
async fn feedback_contacts_are_seen_only_where_the_work_needs_them() {
    let app = TestApp::with_open_round().await;
    let items = items(&app).await;
    let mut failures = Vec::new();
    for reader in READERS {
        let credential = credential(&app, reader).await;
        for (item, id, phone) in &items {
            let (sees, contact) = expected(reader, *item);
            let before = contact_reads(&app).await;
            let (status, body, listed, found_by_phone) = match &credential {
                Credential::Session(browser) => {
                    let page = app.get_as(browser, &format!("/feedback/items/{id}")).await;
                    let list = app.get_as(browser, "/feedback/items").await.body;
                    let search = app
                        .get_as(browser, &format!("/feedback/items?q={phone}"))
                        .await
                        .body;
                    let code = tracking_code(&app, *id).await;
                    (
                        page.status.as_u16(),
                        page.body,
                        list.contains(&code),
                        search.contains(&code),
                    )
                }
                Credential::Token(token) => {
                    let reply = api_get(&app, token, &format!("/api/v1/feedback-items/{id}")).await;
                    let list = api_get(&app, token, "/api/v1/feedback-items").await.body;
                    let search = api_get(&app, token, &format!("/api/v1/feedback-items?q={phone}"))
                        .await
                        .body;
                    let code = tracking_code(&app, *id).await;
                    (
                        reply.status.as_u16(),
                        reply.body,
                        list.contains(&code),
                        search.contains(&code),
                    )
                }
            };
            let after = contact_reads(&app).await;
            let shown = body.contains(phone.as_str());
            let cell = format!("{reader:?} × {item:?}");
            if (status == 200) != sees {
                failures.push(format!(
                    "{cell}: status {status}, expected visible = {sees}"
                ));
            }
            if shown != contact {
                failures.push(format!(
                    "{cell}: contact shown = {shown}, expected {contact}"
                ));
            }
            if listed != sees && reader != Reader::TokenIndicesOnly {
                failures.push(format!("{cell}: listed = {listed}, expected {sees}"));
            }
            // A phone number finds the item only for those who may see the contact.
            if found_by_phone != contact && reader != Reader::TokenIndicesOnly {
                failures.push(format!(
                    "{cell}: found by phone = {found_by_phone}, expected {contact}"
                ));
            }
            if (after > before) != contact {
                failures.push(format!(
                    "{cell}: audit entries {before} → {after}, expected a read = {contact}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "personal data rules broken:\n{}",
        failures.join("\n")
    );
}

async fn tracking_code(app: &TestApp, id: i32) -> String {
    use sea_orm::EntityTrait;
    domain::entities::feedback_item::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .tracking_code
}

#[tokio::test]
async fn a_leader_opens_one_contact_on_purpose_and_the_log_names_the_leader() {
    let app = TestApp::with_open_round().await;
    let id = app
        .record_feedback_in("QLDT", "Doanh nghiệp phản ánh việc chậm cấp giấy phép.")
        .await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let hidden = app
        .get_as(&leader, &format!("/feedback/items/{id}"))
        .await
        .body;
    assert!(hidden.contains("data-testid=\"contact-hidden\""));
    assert!(!hidden.contains("0905 123 456"));
    assert!(hidden.contains(&format!("/feedback/items/{id}?contact=1")));
    let opened = app
        .get_as(&leader, &format!("/feedback/items/{id}?contact=1"))
        .await
        .body;
    assert!(opened.contains("0905 123 456"));
    let who = app
        .scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log \
             WHERE action = 'feedback.contact.read' AND actor LIKE 'leader-%' \
             AND after LIKE '%on purpose%'",
        )
        .await;
    assert_eq!(who, 1);
    // Staff of another department cannot open it at all.
    let other = app.sign_in(Role::Staff, &["QLDN"]).await;
    let refused = app
        .get_as(&other, &format!("/feedback/items/{id}?contact=1"))
        .await;
    assert_eq!(refused.status, 404);
}

#[tokio::test]
async fn invitation_contacts_follow_the_department_and_the_token_scope() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let csv = "name,tax_code,email,phone,department,procedure\n\
               Công ty A,0101234567,a@congty.vn,0912345678,QLDN,\n\
               Công ty B,0101234568,b@congty.vn,0912345679,QLDT,\n";
    app.post_upload_as(
        &admin,
        "/sf/rounds/invitations/import",
        &[("slug", "test-round")],
        "moi.csv",
        csv.as_bytes(),
    )
    .await;
    assert_eq!(app.count("invitations").await, 2);
    let names = |body: &str| (body.contains("0912345678"), body.contains("0912345679"));
    let path = "/api/v1/rounds/test-round/invitations";
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    assert_eq!(names(&app.get_as(&staff, path).await.body), (true, false));
    let leader = app.sign_in(Role::Leader, &[]).await;
    let leader_view = app.get_as(&leader, path).await.json();
    assert_eq!(leader_view.as_array().unwrap().len(), 2);
    assert_eq!(names(&leader_view.to_string()), (false, false));
    assert!(leader_view[0]["contact_hidden"].as_bool().unwrap());
    let (_, plain) = app
        .token("crm", Role::Staff, &[Scope::InvitationsRead])
        .await;
    assert_eq!(
        names(&api_get(&app, &plain, path).await.body),
        (false, false)
    );
    let (_, personal) = app
        .token(
            "crm-personal",
            Role::Staff,
            &[Scope::InvitationsRead, Scope::PersonalData],
        )
        .await;
    assert_eq!(
        names(&api_get(&app, &personal, path).await.body),
        (true, true)
    );
    let (_, no_scope) = app.token("stats", Role::Staff, &[Scope::IndicesRead]).await;
    assert_eq!(api_get(&app, &no_scope, path).await.status, 403);
    // The mail-merge file carries only the rows the reader may see.
    let merge = app
        .get_as(&staff, "/api/v1/rounds/test-round/invitations.csv")
        .await
        .body;
    assert!(merge.contains("0912345678") && !merge.contains("0912345679"));
    // The download is in the audit log, with why it was read.
    assert_eq!(
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log \
             WHERE action = 'invitation.contact.read' AND \"after\" LIKE '%mail-merge download%'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn exports_and_dashboard_comments_carry_no_contact_and_staff_get_their_departments() {
    let app = TestApp::with_open_round().await;
    for (department, comment) in [
        (
            "QLDN",
            "Hồ sơ chậm, gọi tôi 0912 345 678 hoặc a.nguyen@congty.vn",
        ),
        ("QLDT", "Cán bộ QLDT hướng dẫn rất nhiệt tình"),
    ] {
        let reply = app
            .post_json(
                "/api/v1/rounds/test-round/responses",
                &serde_json::json!({
                    "idempotency_key": uuid::Uuid::new_v4().to_string(),
                    "answers": {"A1": 4},
                    "respondent": {"type": "doanh-nghiep", "department": department},
                    "comment": comment,
                }),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    let leader = app.sign_in(Role::Leader, &[]).await;
    let all = app
        .get_as(&leader, "/api/v1/rounds/test-round/responses.csv")
        .await
        .body;
    assert!(all.contains("nhiệt tình") && all.contains("Hồ sơ chậm"));
    assert!(!all.contains("0912 345 678") && !all.contains("a.nguyen@congty.vn"));
    // Every field is quoted, whatever separator the reader's Excel uses.
    let row = all.lines().nth(1).unwrap();
    assert!(row.starts_with("\"HL-") && row.ends_with('"'), "{row}");
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let theirs = app
        .get_as(&staff, "/api/v1/rounds/test-round/responses.csv")
        .await
        .body;
    assert!(theirs.contains("Hồ sơ chậm") && !theirs.contains("nhiệt tình"));
    let dashboard = app.get_as(&staff, "/rounds/test-round").await.body;
    assert!(dashboard.contains("Hồ sơ chậm") && !dashboard.contains("nhiệt tình"));
    assert!(!dashboard.contains("0912 345 678"));
}

#[tokio::test]
async fn tokens_are_api_credentials_that_act_as_themselves_and_die_with_their_creator() {
    let app = TestApp::with_open_round().await;
    let admin_id = app.create_user(Role::Admin, &[]).await;
    let actor = domain::services::audit::Actor {
        user_id: Some(admin_id),
        name: "the-admin".to_owned(),
        ip: None,
    };
    let (_, token) = domain::services::tokens::create(
        &app.db,
        &actor,
        domain::services::tokens::NewToken {
            name: "cổng tỉnh".to_owned(),
            role: Role::Admin,
            scopes: Scope::ALL.to_vec(),
            expires_at: None,
        },
    )
    .await
    .unwrap();
    let indices = "/api/v1/rounds/test-round/indices";
    assert_eq!(api_get(&app, &token, indices).await.status, 200);
    // Not accepted outside the JSON API: a page sees nobody signed in.
    let page = api_get(&app, &token, "/admin/users").await;
    assert!(page.location().starts_with("/login"), "{}", page.status);
    // What a token does is logged as the token, not as its creator.
    let reply = app
        .send(
            Request::post("/api/v1/feedback-items")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    r#"{"channel":"hotline","feedback":{"content":"Người gọi hỏi về hồ sơ."}}"#,
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let as_creator = app
        .scalar(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log \
             WHERE actor_user_id = {admin_id} AND action <> 'token.create'"
        ))
        .await;
    assert_eq!(as_creator, 0);
    let as_token = app
        .scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE actor = 'api-token:cổng tỉnh'",
        )
        .await;
    assert!(as_token >= 1);
    // Demoting the admin who made it ends the token.
    domain::services::accounts::update_user(
        &app.db,
        &domain::services::audit::Actor::cli(),
        admin_id,
        domain::services::accounts::UserUpdate {
            display_name: String::new(),
            role: Role::Leader,
            departments: Vec::new(),
            active: true,
            can_triage: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(api_get(&app, &token, indices).await.status, 401);
}

#[tokio::test]
async fn an_expired_token_opens_nothing() {
    let app = TestApp::with_open_round().await;
    let (stored, token) = domain::services::tokens::create(
        &app.db,
        &domain::services::audit::Actor::cli(),
        domain::services::tokens::NewToken {
            name: "tạm".to_owned(),
            role: Role::Leader,
            scopes: vec![Scope::IndicesRead],
            expires_at: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        },
    )
    .await
    .unwrap();
    let indices = "/api/v1/rounds/test-round/indices";
    assert_eq!(api_get(&app, &token, indices).await.status, 200);
    {
        use sea_orm::{ActiveModelTrait, Set};
        let mut expired: domain::entities::api_token::ActiveModel = stored.into();
        expired.expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1)));
        expired.update(&app.db).await.unwrap();
    }
    assert_eq!(api_get(&app, &token, indices).await.status, 401);
}
