//! An agency that starts from an empty database: the first-admin notice,
//! the setup checklist, the profile, the catalogue (one entry, a file, a
//! dry run, bad files), and rounds that apply their scope, audience and
//! schedule by themselves.

use axum::body::Body;
use domain::model::{Role, RoundStatus, Scope};
use hailong_tests::TestApp;
use http::{Request, header};
use sea_orm::ConnectionTrait;

async fn admin_token(app: &TestApp) -> String {
    app.token("setup", Role::Admin, &[Scope::SetupWrite])
        .await
        .1
}

async fn post_csv(app: &TestApp, token: &str, query: &str, csv: &str) -> hailong_tests::Reply {
    app.send(
        Request::post(format!("/api/v1/catalogue/import{query}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv.to_owned()))
            .unwrap(),
    )
    .await
}

async fn post_entries(app: &TestApp, token: &str, body: serde_json::Value) -> hailong_tests::Reply {
    app.send(
        Request::post("/api/v1/catalogue")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

const CATALOGUE: &str = "kind,code,name_vi,name_en,field,department,active
department,QLDN,Phòng Quản lý doanh nghiệp,Enterprise Management,,,1
department,QLDT,Phòng Quản lý đầu tư,Investment Management,,,1
procedure,1.001234.000.00.00.H12,Cấp giấy phép lao động,Work permit,Lao động,QLDN,1
procedure,2.000123,Cấp Giấy chứng nhận đăng ký đầu tư,Investment certificate,Đầu tư,QLDT,1
";

#[tokio::test]
async fn an_empty_database_explains_the_first_admin_and_the_checklist_ticks_itself() {
    let app = TestApp::empty().await;
    let home = app.get("/").await;
    assert!(
        home.body.contains("id=\"first-admin\"")
            && home
                .body
                .contains("hailong create-user --username admin --role admin"),
        "the home page explains how to create the first admin"
    );

    let admin = app.sign_in(Role::Admin, &[]).await;
    assert!(!app.get("/").await.body.contains("id=\"first-admin\""));
    let page = app.get_as(&admin, "/admin/setup").await;
    assert_eq!(page.status, 200);
    for step in [
        "profile",
        "departments",
        "procedures",
        "holidays",
        "users",
        "round",
    ] {
        assert!(
            page.body
                .contains(&format!("data-step=\"{step}\" data-done=\"false\"")),
            "{step} is still to do"
        );
    }

    let token = admin_token(&app).await;
    assert_eq!(post_csv(&app, &token, "", CATALOGUE).await.status, 200);
    let reply = app
        .post_form_as(
            &admin,
            "/sf/admin/profile/save",
            &[
                ("name_vi", "Ban Quản lý các Khu kinh tế tỉnh"),
                ("name_en", "Economic Zones Authority"),
                ("phone", "0235 3800 800"),
                ("hours", "7:30–17:00"),
                ("address", "Số 1 đường Hùng Vương"),
                ("email", "bqlkkt@example.gov.vn"),
                ("public_url", ""),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        )
        .await;
    assert_eq!(reply.location(), "/admin/profile", "{}", reply.body);
    let page = app.get_as(&admin, "/admin/setup").await;
    for step in ["profile", "departments", "procedures"] {
        assert!(
            page.body
                .contains(&format!("data-step=\"{step}\" data-done=\"true\"")),
            "{step} is done"
        );
    }
    assert!(
        page.body
            .contains("data-step=\"round\" data-done=\"false\"")
    );
}

#[tokio::test]
async fn the_profile_is_checked_and_shown_on_the_public_pages() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let fields = |name_vi: &str, email: &str, public_url: &str| {
        [
            ("public_url", public_url),
            ("name_vi", name_vi),
            ("name_en", "Economic Zones Authority"),
            ("phone", "0235 3800 800"),
            ("hours", ""),
            ("address", ""),
            ("email", email),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    };
    let refused = app
        .post_form_as(
            &admin,
            "/sf/admin/profile/save",
            &fields("", "not an address", "javascript:alert(1)"),
        )
        .await;
    assert_eq!(refused.location(), "/admin/profile");
    let page = app.get_as(&admin.after(&refused), "/admin/profile").await;
    assert!(
        page.body.contains("id=\"profile-name_vi-error\""),
        "the missing name is named: {}",
        page.body
    );
    assert!(
        page.body.contains("id=\"profile-email-error\""),
        "the bad e-mail is named"
    );
    assert!(
        page.body.contains("not an address"),
        "what was typed comes back"
    );
    assert!(page.body.contains("id=\"profile-public_url-error\""));

    app.post_form_as(
        &admin,
        "/sf/admin/profile/save",
        &fields(
            "Ban Quản lý các Khu kinh tế tỉnh Quảng Nam",
            "bql@example.gov.vn",
            "https://hailong.example.gov.vn/",
        ),
    )
    .await;
    // Links and QR codes sent out use the public address of the profile.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let poster = app.get_as(&staff, "/rounds/test-round/poster").await.body;
    assert!(
        poster.contains("https://hailong.example.gov.vn/s/test-round"),
        "the poster links to the public address"
    );
    // So do the API's QR codes' links and the invitation list for mail merge.
    let token = app
        .token(
            "invitations",
            Role::Admin,
            &[
                Scope::InvitationsWrite,
                Scope::InvitationsRead,
                Scope::PersonalData,
            ],
        )
        .await
        .1;
    let invited = call(
        &app,
        "POST",
        "/api/v1/rounds/test-round/invitations",
        &token,
        serde_json::json!({"invitations": [{"name": "Công ty TNHH Minh Phát"}]}),
    )
    .await;
    assert_eq!(invited.status, 201, "{}", invited.body);
    let list = call(
        &app,
        "GET",
        "/api/v1/rounds/test-round/invitations.csv",
        &token,
        serde_json::json!(null),
    )
    .await;
    assert!(
        list.body
            .contains("https://hailong.example.gov.vn/s/test-round?code="),
        "{}",
        list.body
    );
    assert!(
        app.get("/s/test-round")
            .await
            .body
            .contains("Ban Quản lý các Khu kinh tế tỉnh Quảng Nam")
    );
    assert!(
        app.get("/s/test-round?lang=en")
            .await
            .body
            .contains("Economic Zones Authority")
    );
    let entries = app
        .scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'settings.profile'")
        .await;
    assert_eq!(entries, 1, "the change is in the audit log");
}

#[tokio::test]
async fn a_catalogue_file_is_previewed_then_applied_whole_and_exported_in_the_same_format() {
    let app = TestApp::empty().await;
    let token = admin_token(&app).await;

    let preview = post_csv(&app, &token, "?dry_run=true", CATALOGUE).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let plan = preview.json();
    assert_eq!(plan["applied"], false);
    assert_eq!(plan["changes"].as_array().unwrap().len(), 4);
    assert_eq!(
        app.count("departments").await,
        0,
        "a dry run stores nothing"
    );

    let applied = post_csv(&app, &token, "", CATALOGUE).await.json();
    assert_eq!(applied["applied"], true);
    let listed = app.get("/api/v1/catalogue").await.json();
    assert_eq!(listed.as_array().unwrap().len(), 4);

    // Renaming and retiring, by a second file.
    let second = "kind,code,name_vi,name_en,field,department,active
procedure,2.000123,Cấp, điều chỉnh Giấy chứng nhận đăng ký đầu tư,Investment certificate,Đầu tư,QLDT,1
procedure,1.001234.000.00.00.H12,Cấp giấy phép lao động,Work permit,Lao động,QLDN,0
";
    let second = second.replace("Cấp, điều chỉnh", "\"Cấp, điều chỉnh");
    let second = second.replace(
        "đầu tư,Investment certificate",
        "đầu tư\",Investment certificate",
    );
    let plan = post_csv(&app, &token, "", &second).await.json();
    let changes: Vec<(String, String)> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_owned(),
                c["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            ("2.000123".to_owned(), "renamed".to_owned()),
            ("1.001234.000.00.00.H12".to_owned(), "retired".to_owned())
        ]
    );
    assert_eq!(
        plan["changes"][0]["before"],
        "Cấp Giấy chứng nhận đăng ký đầu tư"
    );

    let exported = app.get("/api/v1/catalogue.csv").await.body;
    let exported = exported.trim_start_matches('\u{feff}').to_owned();
    assert!(
        exported.starts_with(r#""kind","code","name_vi","name_en","field","department","active""#)
    );
    assert!(exported.contains(r#""procedure","1.001234.000.00.00.H12","Cấp giấy phép lao động","Work permit","Lao động","QLDN","0""#), "{exported}");
    // The export read back changes nothing.
    let again = post_csv(&app, &token, "?dry_run=true", &exported)
        .await
        .json();
    assert_eq!(again["changes"].as_array().unwrap().len(), 0, "{again}");
    assert_eq!(again["problems"].as_array().unwrap().len(), 0, "{again}");
}

#[tokio::test]
async fn bad_catalogue_files_are_refused_by_line_and_store_nothing() {
    let app = TestApp::empty().await;
    let token = admin_token(&app).await;
    let bad = "kind,code,name_vi,name_en,field,department,active
department,QLDN,Phòng Quản lý doanh nghiệp,,,,1
department,QLDN,Trùng mã,,,,1
procedure,1.001,Thủ tục,,,KHONGCO,1
procedure,1.002,Thủ tục khác,,,QLDN,có lẽ
";
    let reply = post_csv(&app, &token, "", bad).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let problems: Vec<(u64, String)> = reply.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            (3, "code".to_owned()),
            (4, "department".to_owned()),
            (5, "active".to_owned())
        ]
    );
    assert!(
        reply.json()["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("line 2")
    );
    assert_eq!(app.count("departments").await, 0, "nothing stored");
    assert_eq!(app.count("procedures").await, 0);

    let no_column = post_csv(&app, &token, "", "code,name\nQLDN,Phòng\n").await;
    assert_eq!(no_column.status, 422);
    assert!(
        no_column.json()["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("kind")
    );

    let not_a_table = app
        .send(
            Request::post("/api/v1/catalogue/import?file_name=danh-muc.xlsx")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from("this is not a workbook"))
                .unwrap(),
        )
        .await;
    assert_eq!(not_a_table.status, 422);
    assert_eq!(not_a_table.json()["problems"][0]["field"], "file");

    // One entry through the API, with its problem named.
    let reply = post_entries(
        &app,
        &token,
        serde_json::json!({"entries": [{"kind": "department", "code": "Phòng QLDN", "name_vi": "Phòng"}]}),
    )
    .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["problems"][0]["field"], "code");
    assert_eq!(app.count("departments").await, 0);
}

#[tokio::test]
async fn an_xlsx_catalogue_is_read_like_a_csv_one() {
    let app = TestApp::empty().await;
    let token = admin_token(&app).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, cells) in [
        ["kind", "code", "name_vi", "department"],
        ["department", "VP", "Văn phòng", ""],
        ["procedure", "3.000001", "Xác nhận hợp đồng", "VP"],
    ]
    .iter()
    .enumerate()
    {
        for (column, cell) in cells.iter().enumerate() {
            sheet.write(row as u32, column as u16, *cell).unwrap();
        }
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let reply = app
        .send(
            Request::post("/api/v1/catalogue/import?file_name=danh-muc.xlsx")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(bytes))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(app.count("procedures").await, 1);
}

#[tokio::test]
async fn admins_keep_the_catalogue_on_its_page() {
    let app = TestApp::empty().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let save = |kind: &str, code: &str, name: &str, department: &str| {
        [
            ("kind", kind),
            ("code", code),
            ("name_vi", name),
            ("name_en", ""),
            ("field", ""),
            ("department", department),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    };
    let reply = app
        .post_form_as(
            &admin,
            "/sf/admin/catalogue/save",
            &save("department", "VP", "Văn phòng", ""),
        )
        .await;
    assert_eq!(reply.location(), "/admin/catalogue#catalogue-department");
    let refused = app
        .post_form_as(
            &admin,
            "/sf/admin/catalogue/save",
            &save("procedure", "4.1", "Thủ tục", "KHONGCO"),
        )
        .await;
    assert_eq!(refused.location(), "/admin/catalogue#catalogue-procedure");
    let page = app.get_as(&admin.after(&refused), "/admin/catalogue").await;
    assert!(
        page.body
            .contains("id=\"catalogue-procedure-department-error\""),
        "{}",
        page.body
    );
    assert_eq!(app.count("procedures").await, 0);

    // The page's upload: a dry run shows the changes and stores nothing.
    let reply = app
        .post_upload_as(
            &admin,
            "/sf/admin/catalogue/import",
            &[("dry_run", "on")],
            "danh-muc.csv",
            CATALOGUE.as_bytes(),
        )
        .await;
    assert_eq!(
        reply.location(),
        "/admin/catalogue#import",
        "{}",
        reply.body
    );
    let page = app.get_as(&admin.after(&reply), "/admin/catalogue").await;
    assert!(page.body.contains("data-applied=\"false\""));
    assert!(page.body.contains("2.000123"));
    assert_eq!(app.count("procedures").await, 0);

    // Retiring from the page keeps the entry, marked.
    app.post_upload_as(
        &admin,
        "/sf/admin/catalogue/import",
        &[],
        "danh-muc.csv",
        CATALOGUE.as_bytes(),
    )
    .await;
    assert_eq!(app.count("procedures").await, 2);
    app.post_form_as(
        &admin,
        "/sf/admin/catalogue/active",
        &[("kind", "procedure"), ("code", "2.000123"), ("active", "0")]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
    )
    .await;
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM procedures WHERE active = false")
            .await,
        1
    );
}

fn response(kind: &str, department: Option<&str>, procedure: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "idempotency_key": uuid::Uuid::new_v4().to_string(),
        "answers": {"A1": 4, "A2": 5},
        "respondent": {"type": kind, "department": department, "procedure": procedure}
    })
}

fn fields_of(reply: &hailong_tests::Reply) -> Vec<String> {
    reply.json()["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_round_takes_only_its_departments_and_audience_on_every_path() {
    let app = TestApp::with_open_round().await;
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let qldn = domain::services::catalogue::department_by_code(&app.db, "QLDN")
        .await
        .unwrap()
        .unwrap();
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO round_departments (round_id, department_id) VALUES ({}, {}); \
             UPDATE rounds SET audience = 'businesses' WHERE id = {}",
            round.id, qldn.id, round.id
        ))
        .await
        .unwrap();
    let path = "/api/v1/rounds/test-round/responses";

    let ok = app
        .post_json(path, &response("doanh-nghiep", Some("QLDN"), Some("LD-01")))
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let other_department = app
        .post_json(path, &response("doanh-nghiep", Some("QLDT"), None))
        .await;
    assert_eq!(other_department.status, 422);
    assert!(
        fields_of(&other_department).contains(&"respondent.department".to_owned()),
        "{}",
        other_department.body
    );
    assert!(other_department.body.contains("does not survey"));
    let other_procedure = app
        .post_json(path, &response("doanh-nghiep", None, Some("DT-01")))
        .await;
    assert_eq!(other_procedure.status, 422);
    assert!(
        fields_of(&other_procedure).contains(&"respondent.procedure".to_owned()),
        "{}",
        other_procedure.body
    );
    let citizen = app
        .post_json(path, &response("ca-nhan", Some("QLDN"), None))
        .await;
    assert_eq!(citizen.status, 422);
    assert!(
        fields_of(&citizen).contains(&"respondent.type".to_owned()),
        "{}",
        citizen.body
    );

    // The form offers only what the round takes.
    let form = app.get("/s/test-round").await.body;
    assert!(form.contains("value=\"QLDN\"") && !form.contains("value=\"QLDT\""));
    assert!(form.contains("value=\"doanh-nghiep\"") && !form.contains("value=\"ca-nhan\""));

    // An import names the row outside the scope and stores nothing.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let csv = "respondent_type,channel,department,procedure,submitted_at,A1\ndoanh-nghiep,paper,QLDT,,2026-11-20,4\n";
    let before = app.count("responses").await;
    let reply = app
        .post_upload_as(
            &staff,
            "/sf/rounds/responses/import",
            &[("slug", "test-round")],
            "giay.csv",
            csv.as_bytes(),
        )
        .await;
    assert!(
        reply.status.is_redirection() || reply.status == 200,
        "{}",
        reply.body
    );
    assert_eq!(app.count("responses").await, before, "nothing stored");
    let problem = app
        .scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM import_jobs WHERE status = 'failed' AND report LIKE '%department%'")
        .await;
    assert_eq!(problem, 1, "the import names the department");
}

#[tokio::test]
async fn a_retired_procedure_is_refused_on_new_responses_and_kept_on_old_ones() {
    let app = TestApp::with_open_round().await;
    let path = "/api/v1/rounds/test-round/responses";
    assert_eq!(
        app.post_json(path, &response("doanh-nghiep", None, Some("LD-01")))
            .await
            .status,
        201
    );
    let token = admin_token(&app).await;
    let reply = post_entries(
        &app,
        &token,
        serde_json::json!({"entries": [{"kind": "procedure", "code": "LD-01", "name_vi": "Cấp giấy phép lao động cho người lao động nước ngoài", "name_en": "Work permit", "department": "QLDN", "active": false}]}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["changes"][0]["change"], "retired");
    let refused = app
        .post_json(path, &response("doanh-nghiep", None, Some("LD-01")))
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("retired"), "{}", refused.body);
    assert!(
        !app.get("/s/test-round")
            .await
            .body
            .contains("value=\"LD-01\"")
    );
    assert_eq!(
        app.count("responses").await,
        1,
        "the earlier response stays"
    );
}

async fn round_status(app: &TestApp, token: &str) -> String {
    let request = Request::get("/api/v1/rounds/scheduled")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await.json()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_round_opens_and_closes_at_its_times_and_is_closed_once() {
    let app = TestApp::empty().await;
    app.add_catalogue().await;
    let round = app.add_round("scheduled", RoundStatus::Draft).await;
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    app.db
        .execute_unprepared(&format!(
            "UPDATE rounds SET opens_at = '{}', closes_at = '{}' WHERE id = {}",
            later.to_rfc3339(),
            (later + chrono::Duration::days(30)).to_rfc3339(),
            round.id
        ))
        .await
        .unwrap();
    let round = domain::services::rounds::require(&app.db, "scheduled")
        .await
        .unwrap();
    let round = domain::services::rounds::set_status(&app.db, round, RoundStatus::Open)
        .await
        .unwrap();
    let token = app
        .token("reader", Role::Leader, &[Scope::IndicesRead])
        .await
        .1;
    assert_eq!(round_status(&app, &token).await, "scheduled");
    assert!(
        app.get("/s/scheduled")
            .await
            .body
            .contains("chưa mở nhận phiếu")
    );

    // Its opening time comes: open, with nobody acting.
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    app.db
        .execute_unprepared(&format!(
            "UPDATE rounds SET opens_at = '{}' WHERE id = {}",
            past.to_rfc3339(),
            round.id
        ))
        .await
        .unwrap();
    assert_eq!(round_status(&app, &token).await, "open");
    let reply = app
        .post_json(
            "/api/v1/rounds/scheduled/responses",
            &response("doanh-nghiep", Some("QLDN"), None),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);

    // Its closing time passes: closed everywhere at once, written once.
    app.db
        .execute_unprepared(&format!(
            "UPDATE rounds SET closes_at = '{}' WHERE id = {}",
            past.to_rfc3339(),
            round.id
        ))
        .await
        .unwrap();
    assert_eq!(round_status(&app, &token).await, "closed");
    let now = chrono::Utc::now();
    let (first, second) = tokio::join!(
        domain::services::rounds::close_due(&app.db, now),
        domain::services::rounds::close_due(&app.db, now)
    );
    let closed = first.unwrap().len() + second.unwrap().len();
    assert_eq!(closed, 1, "exactly one caller closes the round");
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM rounds WHERE status = 'closed'")
            .await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'round.status' AND actor = 'system'"
        )
        .await,
        1,
        "one audit entry"
    );

    // A draft whose closing time has passed cannot be opened either.
    let late = app.add_round("late", RoundStatus::Draft).await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE rounds SET closes_at = '{}' WHERE id = {}",
            past.to_rfc3339(),
            late.id
        ))
        .await
        .unwrap();
    let late = domain::services::rounds::require(&app.db, "late")
        .await
        .unwrap();
    let refused = domain::services::rounds::set_status(&app.db, late, RoundStatus::Open).await;
    assert!(
        matches!(
            refused,
            Err(domain::AppError::Conflict {
                code: domain::error::Conflict::ClosingTimePassed,
                ..
            })
        ),
        "{refused:?}"
    );

    // Reopening past its closing time would close it again at once: refused.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let reply = app
        .post_form_as(
            &staff,
            "/sf/rounds/status",
            &[("slug", "scheduled"), ("status", "open")].map(|(k, v)| (k.to_owned(), v.to_owned())),
        )
        .await;
    let page = app.get_as(&staff.after(&reply), &reply.location()).await;
    assert!(
        page.body.contains("dời thời điểm đóng"),
        "{}",
        reply.location()
    );
}

const SWAPS_2027: &str = "BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Bo Noi vu//Lich nghi 2027//VI\r
BEGIN:VEVENT\r
UID:swap-1@example.gov.vn\r
DTSTART;VALUE=DATE:20270104\r
DTEND;VALUE=DATE:20270105\r
SUMMARY:Nghỉ hoán đổi\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:swap-2@example.gov.vn\r
DTSTART;VALUE=DATE:20270109\r
SUMMARY:Làm bù cho ngày 4/1\r
CATEGORIES:WORKDAY\r
END:VEVENT\r
END:VCALENDAR\r
";

#[tokio::test]
async fn swap_days_come_from_icalendar_and_deadlines_follow_them() {
    use domain::working_days::add_working_days;
    let app = TestApp::empty().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    // Until the year's swaps are entered, the settings page names the year.
    domain::services::holidays::add_public(&app.db, &domain::services::audit::Actor::cli(), 2027)
        .await
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
    let missing = domain::services::holidays::years_missing_swaps(&app.db, today)
        .await
        .unwrap();
    assert_eq!(missing, vec![2027]);

    // A file that is not iCalendar stores nothing and says why.
    let before = app.count("holidays").await;
    let refused = app
        .post_upload_as(
            &admin,
            "/sf/feedback/holidays/import",
            &[],
            "lich.ics",
            b"not a calendar",
        )
        .await;
    let page = app
        .get_as(&admin.after(&refused), "/admin/feedback-settings")
        .await;
    assert!(
        page.body.contains("id=\"holidays-file-error\""),
        "{}",
        refused.location()
    );
    assert_eq!(app.count("holidays").await, before);

    let reply = app
        .post_upload_as(
            &admin,
            "/sf/feedback/holidays/import",
            &[],
            "lich.ics",
            SWAPS_2027.as_bytes(),
        )
        .await;
    assert_eq!(reply.location(), "/admin/feedback-settings#holidays");
    assert_eq!(app.count("holidays").await, before + 2);
    assert!(
        domain::services::holidays::years_missing_swaps(&app.db, today)
            .await
            .unwrap()
            .is_empty()
    );
    let new_years_eve = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let calendar = domain::services::holidays::calendar_from(&app.db, new_years_eve)
        .await
        .unwrap();
    // Friday 8/1/2027 + 1 working day: the make-up Saturday 9/1.
    assert_eq!(
        add_working_days(
            chrono::NaiveDate::from_ymd_opt(2027, 1, 8).unwrap(),
            1,
            &calendar
        ),
        chrono::NaiveDate::from_ymd_opt(2027, 1, 9).unwrap()
    );
    // Friday 1/1 is New Year's Day, Monday 4/1 the swap's day off: Tuesday 5/1.
    assert_eq!(
        add_working_days(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            1,
            &calendar
        ),
        chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()
    );

    // The export reads back as the same days.
    let exported = app.get("/api/v1/holidays.ics").await.body;
    assert!(exported.contains("CATEGORIES:WORKDAY"));
    let days = domain::services::holidays::read_ics(&exported).unwrap();
    assert_eq!(days.len() as i64, app.count("holidays").await);
    assert!(
        days.iter()
            .any(|(day, _, kind)| day.to_string() == "2027-01-09"
                && *kind == domain::model::HolidayKind::Workday)
    );
}

#[tokio::test]
async fn admins_own_the_target_threshold_survey_texts_and_default_instrument() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let instrument = domain::services::instruments::find(&app.db, "dvhcc", 1)
        .await
        .unwrap()
        .unwrap();
    let form = |target: &str, threshold: &str, instrument: &str, element_b: &str| {
        [
            ("targets[B]", element_b),
            ("target_index", target),
            ("suppression_threshold", threshold),
            (
                "intro_vi",
                "Ban Quản lý mong nhận ý kiến thẳng thắn của doanh nghiệp.",
            ),
            ("intro_en", ""),
            ("thanks_vi", "Xin cảm ơn doanh nghiệp đã góp ý."),
            ("thanks_en", ""),
            ("default_instrument", instrument),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    };
    let refused = app
        .post_form_as(
            &admin,
            "/sf/admin/settings/save",
            &form("120", "0", "999999", "cao"),
        )
        .await;
    let page = app.get_as(&admin.after(&refused), "/admin/settings").await;
    for field in [
        "target_index",
        "suppression_threshold",
        "default_instrument",
        "target-B",
    ] {
        assert!(
            page.body
                .contains(&format!("id=\"settings-{field}-error\"")),
            "{field} is named"
        );
    }
    assert_eq!(
        domain::services::settings::target_index(&app.db)
            .await
            .unwrap(),
        80.0,
        "nothing stored"
    );

    let id = instrument.id.to_string();
    let saved = app
        .post_form_as(
            &admin,
            "/sf/admin/settings/save",
            &form("85,5", "5", &id, "92"),
        )
        .await;
    assert_eq!(saved.location(), "/admin/settings");
    // Element B has its own target; the others the agency-wide one.
    let leader = app.sign_in(Role::Leader, &[]).await;
    let dashboard = app.get_as(&leader, "/rounds/test-round").await.body;
    let shown = dashboard
        .find("data-target=\"B\"")
        .map(|at| &dashboard[at..at + 40])
        .unwrap_or("none");
    assert!(shown.contains("92"), "B's own target is shown: {shown}");
    let shown_a = dashboard
        .find("data-target=\"A\"")
        .map(|at| &dashboard[at..at + 40])
        .unwrap_or("none");
    assert!(
        shown_a.contains("85,5"),
        "A has the agency-wide target: {shown_a}"
    );
    assert_eq!(
        domain::services::settings::target_index(&app.db)
            .await
            .unwrap(),
        85.5
    );
    assert_eq!(
        domain::services::settings::suppression_threshold(&app.db)
            .await
            .unwrap(),
        5
    );
    assert!(
        app.get("/s/test-round")
            .await
            .body
            .contains("Ban Quản lý mong nhận ý kiến thẳng thắn")
    );
    // English keeps the platform's words where the agency wrote none.
    assert!(
        !app.get("/s/test-round?lang=en")
            .await
            .body
            .contains("Ban Quản lý mong")
    );
    let reply = app
        .post_json(
            "/api/v1/rounds/test-round/responses",
            &response("doanh-nghiep", None, None),
        )
        .await;
    let code = reply.json()["receipt_code"].as_str().unwrap().to_owned();
    assert!(
        app.get(&format!("/s/test-round/receipt/{code}"))
            .await
            .body
            .contains("Xin cảm ơn doanh nghiệp đã góp ý.")
    );
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let rounds = app.get_as(&staff, "/rounds").await.body;
    assert!(
        rounds.contains(&format!("<option value=\"{id}\" selected")),
        "the default instrument is chosen for a new round"
    );
    assert_eq!(
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'settings.platform'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_logo_is_checked_rewritten_and_shown_on_the_public_pages() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.post_upload_as(&admin, "/sf/admin/profile/logo", &[], name, &bytes)
                .await
        }
    };
    // Not an image: refused with the reason, nothing stored.
    let refused = upload(b"%PDF-1.7 not a logo".to_vec(), "logo.pdf").await;
    let page = app.get_as(&admin.after(&refused), "/admin/profile").await;
    assert!(
        page.body.contains("id=\"logo-file-error\""),
        "{}",
        refused.location()
    );
    assert!(page.body.contains("not a PNG or SVG"));
    assert_eq!(app.count("agency_assets").await, 0);
    assert_eq!(app.get("/agency/logo").await.status, 404);

    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><script>alert(1)</script><rect width="120" height="40" fill="#1d4e89"/></svg>"##;
    let saved = upload(svg.to_vec(), "logo.svg").await;
    assert_eq!(saved.location(), "/admin/profile#logo");
    let logo = app.get("/agency/logo").await;
    assert_eq!(logo.status, 200);
    assert!(!logo.body.contains("script"), "{}", logo.body);
    assert!(logo.body.contains("#1d4e89"));
    let survey = app.get("/s/test-round").await.body;
    assert!(
        survey.contains("<img src=\"/agency/logo?v="),
        "the survey shows it"
    );
    assert!(app.get("/feedback").await.body.contains("/agency/logo?v="));
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> hailong_tests::Reply {
    app.send(
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn an_agency_is_set_up_through_the_json_api_alone() {
    let app = TestApp::empty().await;
    let token = app
        .token(
            "setup",
            Role::Admin,
            &[
                Scope::SetupWrite,
                Scope::UsersWrite,
                Scope::RoundsWrite,
                Scope::IndicesRead,
            ],
        )
        .await
        .1;

    let profile = call(
        &app,
        "PUT",
        "/api/v1/profile",
        &token,
        serde_json::json!({"name_vi": "Ban Quản lý các Khu kinh tế", "name_en": "Economic Zones Authority",
            "hotline": {"phone": "0235 3800 800", "address": "", "email": "bql@example.gov.vn", "hours": ""}}),
    )
    .await;
    assert_eq!(profile.status, 200, "{}", profile.body);
    assert_eq!(
        app.get("/api/v1/profile").await.json()["hotline"]["phone"],
        "0235 3800 800"
    );

    let entries = call(
        &app,
        "POST",
        "/api/v1/catalogue",
        &token,
        serde_json::json!({"entries": [
            {"kind": "department", "code": "QLDN", "name_vi": "Phòng Quản lý doanh nghiệp"},
            {"kind": "department", "code": "QLDT", "name_vi": "Phòng Quản lý đầu tư"},
            {"kind": "procedure", "code": "1.001234", "name_vi": "Cấp giấy phép lao động", "department": "QLDN"},
            {"kind": "procedure", "code": "2.000123", "name_vi": "Cấp Giấy chứng nhận đăng ký đầu tư", "department": "QLDT"}
        ]}),
    )
    .await;
    assert_eq!(entries.status, 200, "{}", entries.body);
    let imported = post_csv(
        &app,
        &token,
        "",
        "kind,code,name_vi,department\nprocedure,3.000001,Xác nhận hợp đồng,QLDN\n",
    )
    .await;
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert_eq!(app.count("procedures").await, 3);

    let holidays = call(
        &app,
        "POST",
        "/api/v1/holidays/public",
        &token,
        serde_json::json!({"year": 2027}),
    )
    .await;
    assert_eq!(holidays.status, 200, "{}", holidays.body);
    assert!(holidays.json()["added"].as_u64().unwrap() >= 11);

    let user = call(
        &app,
        "POST",
        "/api/v1/users",
        &token,
        serde_json::json!({"username": "motcua", "display_name": "Cán bộ Một cửa", "role": "staff",
            "password": "a long enough password", "departments": ["QLDN"]}),
    )
    .await;
    assert_eq!(user.status, 201, "{}", user.body);
    let bad_user = call(
        &app,
        "POST",
        "/api/v1/users",
        &token,
        serde_json::json!({"username": "x", "display_name": "", "role": "king", "password": "short"}),
    )
    .await;
    assert_eq!(bad_user.status, 422);

    let opens = chrono::Utc::now() + chrono::Duration::hours(1);
    let round = call(
        &app,
        "POST",
        "/api/v1/rounds",
        &token,
        serde_json::json!({"slug": "ks-2027-h1", "title_vi": "Khảo sát 2027", "year": 2027, "half": 1,
            "instrument": "dvhcc@1", "audience": ["businesses"], "departments": ["QLDN"],
            "opens_at": opens, "closes_at": opens + chrono::Duration::days(30), "dossiers_handled": 800}),
    )
    .await;
    assert_eq!(round.status, 201, "{}", round.body);
    assert_eq!(round.json()["status"], "draft");
    let opened = call(
        &app,
        "POST",
        "/api/v1/rounds/ks-2027-h1/status",
        &token,
        serde_json::json!({"status": "open"}),
    )
    .await;
    assert_eq!(opened.json()["status"], "scheduled", "{}", opened.body);
    let detail = call(
        &app,
        "GET",
        "/api/v1/rounds/ks-2027-h1",
        &token,
        serde_json::json!(null),
    )
    .await;
    assert_eq!(detail.json()["departments"], serde_json::json!(["QLDN"]));

    // Its time comes: open, taking only what its scope allows.
    app.db
        .execute_unprepared(
            "UPDATE rounds SET opens_at = '2026-01-01T00:00:00+00:00' WHERE slug = 'ks-2027-h1'",
        )
        .await
        .unwrap();
    let path = "/api/v1/rounds/ks-2027-h1/responses";
    assert_eq!(
        app.post_json(path, &response("doanh-nghiep", None, Some("1.001234")))
            .await
            .status,
        201
    );
    assert_eq!(
        app.post_json(path, &response("doanh-nghiep", None, Some("2.000123")))
            .await
            .status,
        422
    );

    let checklist = app
        .get_as(&app.sign_in(Role::Admin, &[]).await, "/admin/setup")
        .await;
    assert_eq!(
        checklist.body.matches("data-done=\"true\"").count(),
        6,
        "every step of the checklist is done"
    );

    // A token without the scope is refused, and nothing changes.
    let reader = app
        .token("reader", Role::Admin, &[Scope::IndicesRead])
        .await
        .1;
    let refused = call(
        &app,
        "POST",
        "/api/v1/holidays/public",
        &reader,
        serde_json::json!({"year": 2028}),
    )
    .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn renaming_a_department_leaves_published_results_as_approved() {
    let app = TestApp::with_open_round().await;
    let path = "/api/v1/rounds/test-round/responses";
    for _ in 0..3 {
        let reply = app
            .post_json(path, &response("doanh-nghiep", Some("QLDN"), None))
            .await;
        assert_eq!(reply.status, 201);
    }
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    domain::services::rounds::set_status(&app.db, round, RoundStatus::Closed)
        .await
        .unwrap();
    let public_id = domain::services::results::publish(
        &app.db,
        &domain::services::audit::Actor::cli(),
        "test-round",
    )
    .await
    .unwrap();
    let before = app.get(&format!("/results/{public_id}")).await.body;
    assert!(before.contains("Phòng Quản lý doanh nghiệp"));

    let token = admin_token(&app).await;
    let renamed = post_entries(
        &app,
        &token,
        serde_json::json!({"entries": [{"kind": "department", "code": "QLDN", "name_vi": "Phòng Doanh nghiệp và Lao động", "name_en": "Enterprise and Labour Division"}]}),
    )
    .await;
    assert_eq!(renamed.json()["changes"][0]["change"], "renamed");
    let after = app.get(&format!("/results/{public_id}")).await.body;
    assert!(after.contains("Phòng Quản lý doanh nghiệp"), "as approved");
    assert!(!after.contains("Phòng Doanh nghiệp và Lao động"));
    // Pages that are not frozen use the new name.
    let form = app.get("/feedback").await.body;
    assert!(form.contains("Phòng Doanh nghiệp và Lao động"));
}
