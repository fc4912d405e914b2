//! Rounds and instruments as staff manage them: building a round, its
//! lifecycle and schedule, target sample and response rate, cloning, and
//! the questionnaire editor's freeze-then-version rule.

use domain::model::{Role, RoundStatus};
use hailong_tests::{Browser, TestApp};

fn round_fields(slug: &str, instrument_id: i32) -> Vec<(String, String)> {
    [
        ("round[slug]", slug.to_owned()),
        ("round[title_vi]", "Khảo sát năm 2027".to_owned()),
        ("round[title_en]", "Survey 2027".to_owned()),
        ("round[year]", "2027".to_owned()),
        ("round[half]", "1".to_owned()),
        ("round[instrument_id]", instrument_id.to_string()),
        ("round[audience][businesses]", "on".to_owned()),
        ("round[departments][QLDN]", "on".to_owned()),
        ("round[dossiers_handled]", "1200".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn dvhcc_id(app: &TestApp) -> i32 {
    domain::services::instruments::find(&app.db, "dvhcc", 1)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn staff(app: &TestApp) -> Browser {
    app.sign_in(Role::Staff, &["QLDN"]).await
}

#[tokio::test]
async fn staff_build_a_round_open_it_and_its_instrument_freezes() {
    let app = TestApp::empty().await;
    app.add_catalogue().await;
    let staff = staff(&app).await;
    let instrument = dvhcc_id(&app).await;

    let reply = app
        .post_form_as(
            &staff,
            "/sf/rounds/create",
            &round_fields("ks-2027-h1", instrument),
        )
        .await;
    assert_eq!(
        reply.location(),
        "/rounds/ks-2027-h1/manage",
        "{}",
        reply.body
    );
    let page = app.get_as(&staff, "/rounds/ks-2027-h1/manage").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Khảo sát năm 2027"));
    assert!(
        page.body.contains("Cỡ mẫu mục tiêu: 300"),
        "Yamane: N = 1200 gives 300"
    );
    assert!(
        page.body.contains("http://localhost/s/ks-2027-h1"),
        "the public link"
    );
    assert!(page.body.contains("<svg"), "the QR code");
    // A draft round has no public form yet.
    assert_eq!(app.get("/s/ks-2027-h1").await.status, 404);

    let open = app
        .post_form_as(
            &staff,
            "/sf/rounds/status",
            &[
                ("slug".to_owned(), "ks-2027-h1".to_owned()),
                ("status".to_owned(), "open".to_owned()),
            ],
        )
        .await;
    assert_eq!(open.location(), "/rounds/ks-2027-h1/manage");
    assert_eq!(app.get("/s/ks-2027-h1").await.status, 200);
    let frozen = app.scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM instruments WHERE id = {instrument} AND status = 'frozen'")).await;
    assert_eq!(frozen, 1, "opening the round froze the instrument version");

    // The frozen version refuses edits; a new version copies everything.
    let criterion = app.scalar(&format!("SELECT CAST(id AS BIGINT) FROM criteria WHERE instrument_id = {instrument} AND code = 'A1'")).await;
    app.post_form_as(
        &staff,
        "/sf/instruments/criterion/update",
        &[
            ("instrument_id".to_owned(), instrument.to_string()),
            ("criterion_id".to_owned(), criterion.to_string()),
            ("code".to_owned(), "A1".to_owned()),
            ("text_vi".to_owned(), "Sửa sau khi khóa".to_owned()),
            ("text_en".to_owned(), String::new()),
        ],
    )
    .await;
    assert_eq!(
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM criteria WHERE text_vi = 'Sửa sau khi khóa'"
        )
        .await,
        0
    );
    let copy = app
        .post_form_as(
            &staff,
            "/sf/instruments/copy",
            &[("id".to_owned(), instrument.to_string())],
        )
        .await;
    assert!(
        copy.location().starts_with("/instruments/"),
        "{}",
        copy.location()
    );
    let v2 = domain::services::instruments::find(&app.db, "dvhcc", 2)
        .await
        .unwrap()
        .expect("version 2 exists");
    assert_eq!(v2.status, "draft");
    assert_eq!(
        app.scalar(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM criteria WHERE instrument_id = {}",
            v2.id
        ))
        .await,
        27,
        "the new version has every criterion"
    );
    // The audit log tells who did what.
    for action in ["round.create", "round.status", "instrument.copy"] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
}

#[tokio::test]
async fn bad_round_input_comes_back_with_its_errors_and_values() {
    let app = TestApp::with_open_round().await;
    let staff = staff(&app).await;
    let mut fields = round_fields("Bad Slug!", dvhcc_id(&app).await);
    fields.retain(|(k, _)| k != "round[title_vi]");
    fields.push(("round[title_vi]".to_owned(), String::new()));
    fields.push(("round[opens_at]".to_owned(), "2027-02-01T08:00".to_owned()));
    fields.push(("round[closes_at]".to_owned(), "2027-01-01T08:00".to_owned()));
    let reply = app.post_form_as(&staff, "/sf/rounds/create", &fields).await;
    assert_eq!(reply.location(), "/rounds");
    let page = app.get_as(&staff.after(&reply), "/rounds").await;
    assert!(
        page.body.contains(r#"value="Bad Slug!""#),
        "what was typed stays"
    );
    for field in ["slug", "title_vi", "closes_at"] {
        assert!(
            page.body
                .contains(&format!(r#"id="round-create-{field}-error""#)),
            "{field} has its message"
        );
    }
    assert_eq!(app.count("rounds").await, 1, "nothing was created");
    // Taken slugs are refused by name.
    let taken = app
        .post_form_as(
            &staff,
            "/sf/rounds/create",
            &round_fields("test-round", dvhcc_id(&app).await),
        )
        .await;
    assert_eq!(taken.location(), "/rounds");
    assert_eq!(app.count("rounds").await, 1);
}

#[tokio::test]
async fn a_schedule_opens_and_closes_a_round_by_itself() {
    let app = TestApp::with_open_round().await;
    let later = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let earlier = (chrono::Utc::now() - chrono::Duration::days(3)).to_rfc3339();
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(&format!(
            "UPDATE rounds SET opens_at = '{later}' WHERE slug = 'test-round'"
        ))
        .await
        .unwrap();
    let page = app.get("/s/test-round").await;
    assert!(
        page.body.contains("chưa mở nhận phiếu")
            && !page.body.contains("<form class=\"survey-form\"")
    );
    let reply = app
        .post_json("/api/v1/rounds/test-round/responses", &serde_json::json!({"idempotency_key": "k", "answers": {"A1": 5}, "respondent": {"type": "ca-nhan"}}))
        .await;
    assert_eq!(reply.json()["error"]["code"], "round_not_open");

    app.db
        .execute_unprepared(&format!(
            "UPDATE rounds SET opens_at = NULL, closes_at = '{earlier}' WHERE slug = 'test-round'"
        ))
        .await
        .unwrap();
    assert!(app.get("/s/test-round").await.body.contains("đã kết thúc"));
    assert_eq!(
        app.get("/api/v1/rounds")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        0,
        "no longer listed as open"
    );
}

#[tokio::test]
async fn a_round_is_cloned_for_the_next_period_as_a_draft() {
    let app = TestApp::with_open_round().await;
    let staff = staff(&app).await;
    let reply = app
        .post_form_as(
            &staff,
            "/sf/rounds/clone",
            &[
                ("slug".to_owned(), "test-round".to_owned()),
                ("new_slug".to_owned(), "test-round-2027".to_owned()),
                ("year".to_owned(), "2027".to_owned()),
                ("half".to_owned(), "1".to_owned()),
            ],
        )
        .await;
    assert_eq!(reply.location(), "/rounds/test-round-2027/manage");
    let clone = domain::services::rounds::require(&app.db, "test-round-2027")
        .await
        .unwrap();
    assert_eq!(
        (clone.year, clone.half, clone.status),
        (2027, 1, RoundStatus::Draft)
    );
    assert_eq!(clone.dossiers_handled, Some(1200));
}

#[tokio::test]
async fn leaders_publish_but_do_not_manage_rounds() {
    let app = TestApp::with_open_round().await;
    app.add_round("closed-round", RoundStatus::Closed).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let staff = staff(&app).await;
    let to = |status: &str, slug: &str| {
        vec![
            ("slug".to_owned(), slug.to_owned()),
            ("status".to_owned(), status.to_owned()),
        ]
    };
    assert_eq!(
        app.post_form_as(&leader, "/sf/rounds/status", &to("closed", "test-round"))
            .await
            .status,
        403
    );
    assert_eq!(
        app.post_form_as(
            &staff,
            "/sf/rounds/status",
            &to("published", "closed-round")
        )
        .await
        .status,
        403
    );
    let published = app
        .post_form_as(
            &leader,
            "/sf/rounds/status",
            &to("published", "closed-round"),
        )
        .await;
    assert_eq!(published.location(), "/rounds/closed-round/manage");
    assert_eq!(
        domain::services::rounds::require(&app.db, "closed-round")
            .await
            .unwrap()
            .status,
        RoundStatus::Published
    );
    // Illegal moves are refused with a message, not stored.
    app.post_form_as(&staff, "/sf/rounds/status", &to("draft", "test-round"))
        .await;
    assert_eq!(
        domain::services::rounds::require(&app.db, "test-round")
            .await
            .unwrap()
            .status,
        RoundStatus::Open
    );
}

#[tokio::test]
async fn the_editor_changes_drafts_and_refuses_duplicate_codes() {
    let app = TestApp::with_open_round().await;
    let staff = staff(&app).await;
    let source = domain::services::instruments::find(&app.db, "phoi-hop", 1)
        .await
        .unwrap()
        .unwrap();
    let clone = app
        .post_form_as(
            &staff,
            "/sf/instruments/copy",
            &[
                ("id".to_owned(), source.id.to_string()),
                ("new_code".to_owned(), "phoi-hop-xd".to_owned()),
            ],
        )
        .await;
    let id: i32 = clone
        .location()
        .trim_start_matches("/instruments/")
        .parse()
        .expect("the clone's page");
    let add = [
        ("instrument_id".to_owned(), id.to_string()),
        ("kind".to_owned(), "index".to_owned()),
        ("code".to_owned(), "F".to_owned()),
        (
            "title_vi".to_owned(),
            "Giải quyết thủ tục xây dựng".to_owned(),
        ),
        ("title_en".to_owned(), "Construction procedures".to_owned()),
    ];
    app.post_form_as(&staff, "/sf/instruments/element/add", &add)
        .await;
    app.post_form_as(&staff, "/sf/instruments/element/add", &add)
        .await;
    assert_eq!(
        app.scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM elements WHERE instrument_id = {id} AND code = 'F'")).await,
        1,
        "a duplicate element code is refused"
    );
    let element = app
        .scalar(&format!(
            "SELECT CAST(id AS BIGINT) FROM elements WHERE instrument_id = {id} AND code = 'F'"
        ))
        .await;
    let criterion = |code: &str| {
        vec![
            ("instrument_id".to_owned(), id.to_string()),
            ("element_id".to_owned(), element.to_string()),
            ("code".to_owned(), code.to_owned()),
            (
                "text_vi".to_owned(),
                "Hồ sơ được giải quyết đúng hạn".to_owned(),
            ),
            ("text_en".to_owned(), String::new()),
        ]
    };
    app.post_form_as(&staff, "/sf/instruments/criterion/add", &criterion("f1"))
        .await;
    app.post_form_as(
        &staff,
        "/sf/instruments/criterion/add",
        &criterion("not a code"),
    )
    .await;
    let codes = app
        .scalar(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM criteria WHERE element_id = {element}"
        ))
        .await;
    assert_eq!(codes, 1, "only the valid code went in");
    assert_eq!(
        app.scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM criteria WHERE element_id = {element} AND code = 'F1' AND scale = 'satisfaction5'")).await,
        1,
        "codes are upper-cased and the scale follows the element"
    );
    // Profile questions: the partner-agency instrument asks respondent type and department only.
    let page = app.get_as(&staff, &format!("/instruments/{id}")).await;
    assert!(page.body.contains("Bản nháp: có thể sửa"));
    let instrument = app.get("/api/v1/instruments/phoi-hop-xd/1").await.json();
    assert_eq!(
        instrument["profile_fields"],
        serde_json::json!(["respondent_type", "department"])
    );
    assert_eq!(instrument["elements"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn a_published_round_is_frozen_and_its_results_keep_the_approved_title() {
    let app = TestApp::with_open_round().await;
    app.add_round("closed-round", RoundStatus::Closed).await;
    let round = domain::services::rounds::require(&app.db, "closed-round")
        .await
        .unwrap();
    let actor = domain::services::audit::Actor::cli();
    domain::services::results::publish(&app.db, &actor, "closed-round")
        .await
        .unwrap();
    let form = domain::services::rounds::RoundForm {
        slug: round.slug.clone(),
        title_vi: "Tên đã sửa sau khi công bố".to_owned(),
        title_en: String::new(),
        year: round.year,
        half: round.half,
        instrument_id: round.instrument_id,
        audience: round.audience.clone(),
        department_codes: Vec::new(),
        opens_at: round.opens_at,
        closes_at: round.closes_at,
        dossiers_handled: round.dossiers_handled,
    };
    let refused =
        domain::services::rounds::update_from_form(&app.db, &actor, "closed-round", form).await;
    assert!(
        matches!(
            refused,
            Err(domain::AppError::Conflict {
                code: domain::error::Conflict::RoundPublished,
                ..
            })
        ),
        "{refused:?}"
    );
    // Even a change behind the service's back leaves the cited results as approved.
    {
        use sea_orm::ConnectionTrait;
        app.db
            .execute_unprepared(
                "UPDATE rounds SET title_vi = 'Đổi tên lén' WHERE slug = 'closed-round'",
            )
            .await
            .unwrap();
    }
    let listed = domain::services::results::list(&app.db, domain::i18n::Lang::Vi)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title, round.title_vi);
}
