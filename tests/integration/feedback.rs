//! Feedback and the hotline (docs/methodology.md, “Feedback”): the workflow refuses every
//! illegal move, handling is for the right people, deadlines count working
//! days with the holiday calendar, no personal data reaches a public page or
//! the public API, survey comments become items, lookups are rate-limited,
//! and the dashboard's panel counts what happened.

use axum::body::Body;
use domain::feedback_rules::{FeedbackAction, FeedbackStatus, next_status};
use domain::model::{Classification, Role};
use hailong_tests::{Reply, TestApp};
use http::{Request, header};
use sea_orm::ConnectionTrait;

/// An API token of `role`.
async fn token(app: &TestApp, role: Role) -> String {
    app.token(
        &format!("feedback-{}", role.code()),
        role,
        domain::model::Scope::ALL,
    )
    .await
    .1
}

/// A JSON API call, with a bearer token when one is given; a null body
/// sends none (as for a GET or a DELETE).
pub(crate) async fn api(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = if body.is_null() {
        Body::empty()
    } else {
        Body::from(body.to_string())
    };
    app.send(request.body(body).unwrap()).await
}

async fn act(app: &TestApp, token: &str, id: i64, body: serde_json::Value) -> Reply {
    api(
        app,
        Some(token),
        "POST",
        &format!("/api/v1/feedback-items/{id}/actions"),
        body,
    )
    .await
}

/// Every field any action needs, so that only the workflow decides.
fn full_action(action: FeedbackAction) -> serde_json::Value {
    serde_json::json!({
        "action": action.code(),
        "classification": "in-scope",
        "category": "procedures",
        "department": "QLDN",
        "answer": "Ban đã hướng dẫn lại thành phần hồ sơ theo quy định.",
        "reason": "Bổ sung căn cứ pháp lý.",
        "confirm_public": true,
    })
}

/// The actions that take a new item to `status` (classified in scope).
fn path_to(status: FeedbackStatus) -> Vec<FeedbackAction> {
    use FeedbackAction as A;
    let all = [
        A::Classify,
        A::Assign,
        A::Start,
        A::Answer,
        A::Approve,
        A::Publish,
        A::Close,
    ];
    let steps = FeedbackStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap();
    all[..steps].to_vec()
}

async fn new_item(app: &TestApp, admin: &str) -> i64 {
    let reply = api(
        app,
        Some(admin),
        "POST",
        "/api/v1/feedback-items",
        serde_json::json!({
            "channel": "hotline",
            "feedback": {
                "content": "Người gọi phản ánh hồ sơ cấp giấy phép lao động bị trả chậm.",
                "sender": {"name": "Nguyễn Văn An", "address": "KCN Tam Thăng", "phone": "0905111222"}
            }
        }),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()["id"].as_i64().unwrap()
}

/// The tracking code of item `id`, as the staff API shows it.
async fn tracking_code(app: &TestApp, admin: &str, id: i64) -> String {
    api(
        app,
        Some(admin),
        "GET",
        &format!("/api/v1/feedback-items/{id}"),
        serde_json::Value::Null,
    )
    .await
    .json()["tracking_code"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn status_of(app: &TestApp, admin: &str, id: i64) -> (String, usize) {
    let detail = api(
        app,
        Some(admin),
        "GET",
        &format!("/api/v1/feedback-items/{id}"),
        serde_json::Value::Null,
    )
    .await
    .json();
    (
        detail["status"].as_str().unwrap().to_owned(),
        detail["events"].as_array().unwrap().len(),
    )
}

#[tokio::test]
async fn every_illegal_transition_is_refused_and_every_legal_one_taken() {
    let app = TestApp::with_open_round().await;
    let admin = token(&app, Role::Admin).await;
    let mut checked = 0;
    for from in FeedbackStatus::ALL {
        for action in FeedbackAction::ALL {
            let id = new_item(&app, &admin).await;
            for step in path_to(*from) {
                let reply = act(&app, &admin, id, full_action(step)).await;
                assert_eq!(
                    reply.status, 200,
                    "{step:?} on the way to {from:?}: {}",
                    reply.body
                );
            }
            let (before, events_before) = status_of(&app, &admin, id).await;
            assert_eq!(before, from.code());
            let reply = act(&app, &admin, id, full_action(*action)).await;
            let (after, events_after) = status_of(&app, &admin, id).await;
            match next_status(*from, *action, Some(Classification::InScope)) {
                Ok(to) => {
                    assert_eq!(reply.status, 200, "{from:?} {action:?}: {}", reply.body);
                    assert_eq!(after, to.code());
                    assert_eq!(
                        events_after,
                        events_before + 1,
                        "the move is in the history"
                    );
                }
                Err(_) => {
                    assert_eq!(
                        reply.status, 409,
                        "{from:?} {action:?} must be refused: {}",
                        reply.body
                    );
                    assert!(
                        reply.json()["error"]["message"]
                            .as_str()
                            .unwrap()
                            .contains(action.code())
                    );
                    assert_eq!(
                        (after, events_after),
                        (before, events_before),
                        "nothing changed"
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        FeedbackStatus::ALL.len() * FeedbackAction::ALL.len()
    );

    // Out of scope: never assigned, closed at once with the reason kept.
    let id = new_item(&app, &admin).await;
    let classify =
        serde_json::json!({"action": "classify", "classification": "complaint-denunciation"});
    assert_eq!(act(&app, &admin, id, classify).await.status, 200);
    assert_eq!(
        act(&app, &admin, id, full_action(FeedbackAction::Assign))
            .await
            .status,
        409
    );
    let close = serde_json::json!({"action": "close", "reason": "Chuyển Thanh tra tỉnh."});
    let closed = act(&app, &admin, id, close).await.json();
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["events"][2]["reason"], "Chuyển Thanh tra tỉnh.");
    // In scope: not closed before an answer.
    let id = new_item(&app, &admin).await;
    act(&app, &admin, id, full_action(FeedbackAction::Classify)).await;
    let refused = act(&app, &admin, id, serde_json::json!({"action": "close"})).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.json()["error"]["code"], "feedback_needs_answer");
}

#[tokio::test]
async fn handling_belongs_to_the_department_and_approval_to_leaders() {
    let app = TestApp::with_open_round().await;
    let admin = token(&app, Role::Admin).await;
    let id = new_item(&app, &admin).await;
    act(&app, &admin, id, full_action(FeedbackAction::Classify)).await;
    act(&app, &admin, id, full_action(FeedbackAction::Assign)).await;

    let qldn = app.sign_in(Role::Staff, &["QLDN"]).await;
    let qldt = app.sign_in(Role::Staff, &["QLDT"]).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let form = |action: &str, extra: &[(&str, &str)]| {
        let mut fields = vec![
            ("id".to_owned(), id.to_string()),
            ("action".to_owned(), action.to_owned()),
        ];
        fields.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        fields
    };
    // Another department does not even see it; a leader may not start it.
    let reply = app
        .post_form_as(&qldt, "/sf/feedback/act", &form("start", &[]))
        .await;
    assert_eq!(reply.status, 404, "{}", reply.body);
    let reply = app
        .post_form_as(&leader, "/sf/feedback/act", &form("start", &[]))
        .await;
    assert_eq!(reply.status, 403, "{}", reply.body);
    let reply = app
        .post_form_as(&qldn, "/sf/feedback/act", &form("start", &[]))
        .await;
    assert_eq!(reply.status, 302);
    assert_eq!(reply.location(), format!("/feedback/items/{id}"));
    // A too-short answer comes back with the error next to the field and the text kept.
    let short = app
        .post_form_as(
            &qldn,
            "/sf/feedback/act",
            &form("answer", &[("fields[answer]", "Ok")]),
        )
        .await;
    let page = app
        .get_as(&qldn.after(&short), &format!("/feedback/items/{id}"))
        .await;
    assert!(
        page.body.contains("act-answer-answer-error"),
        "error beside the field"
    );
    assert_eq!(status_of(&app, &admin, id).await.0, "in-progress");
    let answered = app
        .post_form_as(
            &qldn,
            "/sf/feedback/act",
            &form(
                "answer",
                &[(
                    "fields[answer]",
                    "Ban đã rút ngắn thời gian xử lý xuống 5 ngày làm việc.",
                )],
            ),
        )
        .await;
    assert_eq!(answered.status, 302);
    // Staff do not approve their own answers.
    assert_eq!(
        app.post_form_as(&qldn, "/sf/feedback/act", &form("approve", &[]))
            .await
            .status,
        403
    );
    // Returned for rework: a reason is required, and kept.
    let no_reason = app
        .post_form_as(&leader, "/sf/feedback/act", &form("return", &[]))
        .await;
    let page = app
        .get_as(&leader.after(&no_reason), &format!("/feedback/items/{id}"))
        .await;
    assert!(page.body.contains("act-return-reason-error"));
    app.post_form_as(
        &leader,
        "/sf/feedback/act",
        &form("return", &[("fields[reason]", "Nêu rõ căn cứ pháp lý.")]),
    )
    .await;
    let detail = api(
        &app,
        Some(&admin),
        "GET",
        &format!("/api/v1/feedback-items/{id}"),
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(detail["status"], "in-progress");
    let events = detail["events"].as_array().unwrap();
    let last = events.last().unwrap();
    assert_eq!(last["action"], "return");
    assert_eq!(last["reason"], "Nêu rõ căn cứ pháp lý.");
    assert_eq!(last["from_status"], "answered");
    assert!(last["actor"].as_str().unwrap().starts_with("leader-"));
    // The item page shows the viewer only what they may do.
    let page = app
        .get_as(&qldn, &format!("/feedback/items/{id}"))
        .await
        .body;
    assert!(page.contains(r#"data-action="answer""#) && !page.contains(r#"data-action="approve""#));
    let page = app
        .get_as(&qldt, &format!("/feedback/items/{id}"))
        .await
        .body;
    assert!(!page.contains(r#"data-action="answer""#));
}

/// Items received on `day` (a Vietnamese date) are due on the returned date.
async fn due_on(app: &TestApp, admin: &str, received_at: &str) -> String {
    let reply = api(
        app,
        Some(admin),
        "POST",
        "/api/v1/feedback-items",
        serde_json::json!({"channel": "letter", "received_at": received_at, "feedback": {"content": "Văn bản đề nghị hướng dẫn thủ tục."}}),
    )
    .await;
    let id = reply.json()["id"].as_i64().unwrap();
    let detail = api(
        app,
        Some(admin),
        "GET",
        &format!("/api/v1/feedback-items/{id}"),
        serde_json::Value::Null,
    )
    .await
    .json();
    detail["due_on"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_years_public_holidays_are_generated_and_deadlines_skip_tet() {
    let app = TestApp::with_open_round().await;
    let admin_token = token(&app, Role::Admin).await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let year = |y: &str| vec![("year".to_owned(), y.to_owned())];
    for bad in ["hai nghìn", "1990"] {
        let reply = app
            .post_form_as(&admin, "/sf/feedback/holidays/public", &year(bad))
            .await;
        let page = app
            .get_as(&admin.after(&reply), "/admin/feedback-settings")
            .await
            .body;
        assert!(page.contains("holiday-year-error"), "{bad}");
    }
    assert_eq!(app.count("holidays").await, 0);
    let reply = app
        .post_form_as(&admin, "/sf/feedback/holidays/public", &year("2027"))
        .await;
    assert_eq!(reply.status, 302);
    // Tết 2027 (5–9 February and two substitute days), the Hùng Kings' day
    // on 16 April, 1 May's substitute on Monday 3 May.
    for day in [
        "2027-02-05",
        "2027-02-09",
        "2027-02-11",
        "2027-04-16",
        "2027-05-03",
    ] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM holidays WHERE day = '{day}'"
            ))
            .await,
            1,
            "{day}"
        );
    }
    // Tết 2026 (Tuesday 17 February): 16–20 February off. A letter of
    // Thursday 12/2/2026 with 3 working days to classify: 13, 23, 24 February.
    app.post_form_as(&admin, "/sf/feedback/holidays/public", &year("2026"))
        .await;
    assert_eq!(
        due_on(&app, &admin_token, "2026-02-12T03:00:00Z").await,
        "24/02/2026"
    );
    // Again: nothing doubles.
    let before = app.count("holidays").await;
    app.post_form_as(&admin, "/sf/feedback/holidays/public", &year("2027"))
        .await;
    assert_eq!(app.count("holidays").await, before);
}

#[tokio::test]
async fn deadlines_count_working_days_skipping_weekends_and_the_holiday_calendar() {
    let app = TestApp::with_open_round().await;
    let admin_token = token(&app, Role::Admin).await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let add = |day: &str, name: &str| {
        vec![
            ("day".to_owned(), day.to_owned()),
            ("name".to_owned(), name.to_owned()),
        ]
    };
    for (day, name) in [
        ("2026-04-30", "Giải phóng miền Nam"),
        ("2026-05-01", "Quốc tế Lao động"),
        ("2026-01-01", "Tết Dương lịch"),
    ] {
        let reply = app
            .post_form_as(&admin, "/sf/feedback/holidays/add", &add(day, name))
            .await;
        assert_eq!(reply.status, 302, "{}", reply.body);
    }
    // A bad date comes back with a message, and nothing is stored.
    let bad = app
        .post_form_as(&admin, "/sf/feedback/holidays/add", &add("30/04/2026", "x"))
        .await;
    let page = app
        .get_as(&admin.after(&bad), "/admin/feedback-settings")
        .await
        .body;
    assert!(page.contains("holiday-day-error"));
    assert_eq!(app.count("holidays").await, 3);

    // Wednesday 29/4/2026 (01:00 Vietnam time), 3 working days to classify: 4, 5, 6 May.
    assert_eq!(
        due_on(&app, &admin_token, "2026-04-28T18:00:00Z").await,
        "06/05/2026"
    );
    // Wednesday 31/12/2025: 2 (Fri), 5 (Mon), 6 (Tue) January across the year end and 1/1.
    assert_eq!(
        due_on(&app, &admin_token, "2025-12-31T03:00:00Z").await,
        "06/01/2026"
    );
    // Friday 20/11/2026: Mon 23, Tue 24, Wed 25.
    assert_eq!(
        due_on(&app, &admin_token, "2026-11-20T03:00:00Z").await,
        "25/11/2026"
    );

    // Deadlines are settings: 5 days to classify.
    let days = vec![("days[classify]".to_owned(), "5".to_owned())];
    assert_eq!(
        app.post_form_as(&admin, "/sf/feedback/settings/deadlines", &days)
            .await
            .status,
        302
    );
    assert_eq!(
        due_on(&app, &admin_token, "2026-04-28T18:00:00Z").await,
        "08/05/2026"
    );
    let zero = vec![("days[classify]".to_owned(), "0".to_owned())];
    let refused = app
        .post_form_as(&admin, "/sf/feedback/settings/deadlines", &zero)
        .await;
    let page = app
        .get_as(&admin.after(&refused), "/admin/feedback-settings")
        .await
        .body;
    assert!(page.contains("deadline-classify-error"));

    // Items past their deadline are flagged and filtered.
    let overdue = api(
        &app,
        Some(&admin_token),
        "GET",
        "/api/v1/feedback-items?overdue=1",
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(
        overdue["total"], 4,
        "the four letters received before today are overdue"
    );
    assert!(
        overdue["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["overdue"] == true)
    );
    let fresh = new_item(&app, &admin_token).await;
    let all = api(
        &app,
        Some(&admin_token),
        "GET",
        "/api/v1/feedback-items",
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(all["total"], 5);
    assert_eq!(all["overdue_total"], 4);
    let fresh_row = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == fresh)
        .unwrap()
        .clone();
    assert_eq!(fresh_row["overdue"], false);
    // Filters by status and channel, and unknown values are named.
    let letters = api(
        &app,
        Some(&admin_token),
        "GET",
        "/api/v1/feedback-items?channel=letter&status=received",
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(letters["total"], 4);
    let unknown = api(
        &app,
        Some(&admin_token),
        "GET",
        "/api/v1/feedback-items?status=lost",
        serde_json::Value::Null,
    )
    .await;
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.json()["error"]["fields"][0]["field"], "status");
}

#[tokio::test]
async fn search_ignores_case_and_diacritics() {
    let app = TestApp::with_open_round().await;
    app.record_feedback("Hồ sơ cấp Giấy phép lao động cho chuyên gia nước ngoài bị trả lại.")
        .await;
    app.record_feedback("Đường nội bộ khu công nghiệp ngập nước khi mưa lớn.")
        .await;
    let staff = app.sign_in_triage(&["QLDN"]).await;
    for (query, found) in [
        ("giay PHEP", 1),
        ("ngap nuoc", 1),
        ("Mai", 2),
        ("xay dung", 0),
    ] {
        let page = app
            .get_as(
                &staff,
                &format!("/feedback/items?q={}", query.replace(' ', "%20")),
            )
            .await
            .body;
        assert_eq!(page.matches("data-code=\"PA-").count(), found, "{query}");
    }
}

#[tokio::test]
async fn no_personal_data_reaches_a_public_page_or_the_public_api() {
    let app = TestApp::with_open_round().await;
    let admin = token(&app, Role::Admin).await;
    let secrets = [
        "Trần Thị Bích Ngọc",
        "Bích Ngọc",
        "Lô 7, đường số 3, KCN Tam Thăng",
        "0905 765 432",
        "0905765432",
        "ngoc.tran@chulai.example.vn",
        "049190001234",
    ];
    let sent = api(
        &app,
        None,
        "POST",
        "/api/v1/feedback",
        serde_json::json!({
            "content": "Tôi là Trần Thị Bích Ngọc, CCCD 049190001234, gọi 0905765432 hoặc ngoc.tran@chulai.example.vn. Hồ sơ gia hạn giấy phép lao động nộp ngày 12/3/2026 chưa có kết quả.",
            "category": "procedures",
            "department": "QLDN",
            "sender": {
                "name": "Trần Thị Bích Ngọc",
                "address": "Lô 7, đường số 3, KCN Tam Thăng",
                "phone": "0905 765 432",
                "email": "ngoc.tran@chulai.example.vn"
            },
            "consent_to_publish": true
        }),
    )
    .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let receipt = sent.json();
    assert_eq!(receipt["eligible_for_reply"], true);
    let code = receipt["tracking_code"].as_str().unwrap().to_owned();
    let id = receipt["id"].as_i64().unwrap();
    assert!(code.starts_with("PA-") && code.len() == "PA-XXXX-XXXX-XXXX-XXXX".len());

    // Before an answer: the status, nothing else.
    let tracked = api(
        &app,
        None,
        "GET",
        &format!("/api/v1/feedback/{}", code.to_lowercase()),
        serde_json::Value::Null,
    )
    .await;
    assert_eq!(tracked.status, 200);
    assert_eq!(tracked.json()["status"], "received");
    assert!(tracked.json()["answer"].is_null());
    assert_eq!(
        api(
            &app,
            None,
            "GET",
            "/api/v1/feedback/PA-AAAA-AAAA-AAAA",
            serde_json::Value::Null
        )
        .await
        .status,
        404
    );

    for step in [
        FeedbackAction::Classify,
        FeedbackAction::Assign,
        FeedbackAction::Start,
    ] {
        act(&app, &admin, id, full_action(step)).await;
    }
    act(&app, &admin, id, serde_json::json!({"action": "answer", "answer": "Kính gửi bà Trần Thị Bích Ngọc (0905 765 432): hồ sơ đã có kết quả ngày 20/3/2026; bà nhận tại Bộ phận Một cửa."})).await;
    act(&app, &admin, id, serde_json::json!({"action": "approve"})).await;
    // Not without the leader's word that they read what goes public.
    let unconfirmed = act(&app, &admin, id, serde_json::json!({"action": "publish"})).await;
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    assert!(unconfirmed.body.contains("confirm_public"));
    let published = act(
        &app,
        &admin,
        id,
        serde_json::json!({"action": "publish", "confirm_public": true}),
    )
    .await;
    assert_eq!(published.status, 200);
    // Staff still see everything.
    assert!(published.body.contains("0905 765 432"));

    // An item whose sender did not agree never appears in the public list.
    let private = app
        .record_feedback("Nội dung riêng không được công khai trong danh sách.")
        .await;
    for step in path_to(FeedbackStatus::Published) {
        act(&app, &admin, private.into(), full_action(step)).await;
    }

    let public = [
        app.get("/feedback/answers").await,
        app.get(&format!("/feedback/track?code={code}")).await,
        app.get("/feedback").await,
        api(
            &app,
            None,
            "GET",
            &format!("/api/v1/feedback/{code}"),
            serde_json::Value::Null,
        )
        .await,
        api(
            &app,
            None,
            "GET",
            "/api/v1/feedback-answers",
            serde_json::Value::Null,
        )
        .await,
    ];
    for reply in &public {
        assert_eq!(reply.status, 200);
        for secret in secrets {
            assert!(
                !reply.body.contains(secret),
                "{secret} leaked: {}",
                reply.body
            );
        }
        assert!(
            !reply.body.contains("Nội dung riêng"),
            "an item without consent is listed"
        );
    }
    let answers = public[4].json();
    assert_eq!(answers["total"], 1);
    let answer = &answers["answers"][0];
    assert!(answer["question"].as_str().unwrap().contains("12/3/2026"));
    assert!(answer["answer"].as_str().unwrap().contains("20/3/2026"));
    assert!(answer.get("tracking_code").is_none());
    let tracked = public[3].json();
    assert_eq!(tracked["status"], "answered");
    assert!(
        tracked["answer"]
            .as_str()
            .unwrap()
            .contains("Bộ phận Một cửa")
    );
    assert!(public[1].body.contains("data-testid=\"public-answer\""));
    // The tracking code itself is never listed publicly.
    assert!(!public[0].body.contains(&code) && !public[4].body.contains(&code));
}

#[tokio::test]
async fn the_sender_rates_the_handling_once_after_publication() {
    let app = TestApp::with_open_round().await;
    let admin = token(&app, Role::Admin).await;
    let id = app
        .record_feedback("Đề nghị bổ sung ghế chờ tại Bộ phận Một cửa.")
        .await;
    let code = tracking_code(&app, &admin, id.into()).await;
    let key = domain::services::feedback::issue_rating_key(&app.db, id)
        .await
        .unwrap();
    let rate = |rating: &str| {
        vec![
            ("code".to_owned(), code.clone()),
            ("key".to_owned(), key.clone()),
            ("rating".to_owned(), rating.to_owned()),
        ]
    };
    let browser = hailong_tests::Browser::anonymous();
    let early = app
        .post_form_as(&browser, "/sf/feedback/rate", &rate("5"))
        .await;
    let page = app
        .get_as(
            &browser.after(&early),
            &format!("/feedback/track?code={code}"),
        )
        .await
        .body;
    assert!(
        page.contains("Chỉ đánh giá được sau khi câu trả lời được công khai."),
        "{page}"
    );
    for step in path_to(FeedbackStatus::Published) {
        act(&app, &admin, id.into(), full_action(step)).await;
    }
    let page = app.get(&format!("/feedback/track?code={code}")).await.body;
    assert!(
        !page.contains("name=\"rating\""),
        "the tracking code alone, which staff see, does not rate"
    );
    let page = app
        .get(&format!("/feedback/track?code={code}&key={key}"))
        .await
        .body;
    assert!(
        page.contains("name=\"rating\""),
        "the sender's link asks the question"
    );
    let guessed = app
        .post_form_as(
            &browser,
            "/sf/feedback/rate",
            &[
                ("code".to_owned(), code.clone()),
                ("key".to_owned(), "DG-2222-2222-2222-2222".to_owned()),
                ("rating".to_owned(), "1".to_owned()),
            ],
        )
        .await;
    assert_eq!(guessed.status, 302);
    // Staff, signed in, cannot rate even with the key.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let by_staff = app
        .post_form_as(&staff, "/sf/feedback/rate", &rate("5"))
        .await;
    assert_eq!(by_staff.status, 403);
    let out_of_range = app
        .post_form_as(&browser, "/sf/feedback/rate", &rate("9"))
        .await;
    assert_eq!(out_of_range.status, 302);
    let rated = app
        .post_form_as(&browser, "/sf/feedback/rate", &rate("4"))
        .await;
    let page = app
        .get_as(
            &browser.after(&rated),
            &format!("/feedback/track?code={code}"),
        )
        .await
        .body;
    assert!(page.contains("Cảm ơn bạn đã đánh giá"));
    assert!(!page.contains("name=\"rating\""), "asked once");
    let again = api(
        &app,
        None,
        "POST",
        &format!("/api/v1/feedback/{code}/rating"),
        serde_json::json!({"rating": 1, "key": key}),
    )
    .await;
    assert_eq!(again.status, 409);
    assert_eq!(
        app.scalar(&format!(
            "SELECT CAST(handling_rating AS BIGINT) FROM feedback_items WHERE id = {id}"
        ))
        .await,
        4
    );
}

#[tokio::test]
async fn a_comment_that_only_praises_is_closed_in_one_step_and_counted_apart() {
    let app = TestApp::with_open_round().await;
    let submit = |comment: &str| {
        serde_json::json!({
            "idempotency_key": uuid::Uuid::new_v4().to_string(),
            "answers": {"A1": 5},
            "respondent": {"type": "doanh-nghiep", "procedure": "LD-01"},
            "comment": comment,
        })
    };
    for comment in [
        "Cán bộ bộ phận một cửa rất nhiệt tình, xin cảm ơn Ban.",
        "Đề nghị rút ngắn thời gian cấp giấy phép lao động.",
    ] {
        let reply = app
            .post_json("/api/v1/rounds/test-round/responses", &submit(comment))
            .await;
        assert_eq!(reply.status, 201);
    }
    let admin = token(&app, Role::Admin).await;
    let list = api(
        &app,
        Some(&admin),
        "GET",
        "/api/v1/feedback-items?channel=survey",
        serde_json::Value::Null,
    )
    .await
    .json();
    let rows = list["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    let mut praise_id = None;
    let mut request_id = None;
    for id in &ids {
        let detail = api(
            &app,
            Some(&admin),
            "GET",
            &format!("/api/v1/feedback-items/{id}"),
            serde_json::Value::Null,
        )
        .await
        .json();
        if detail["content"].as_str().unwrap().contains("cảm ơn") {
            praise_id = Some(*id);
        } else {
            request_id = Some(*id);
        }
    }
    let (praise, request) = (praise_id.unwrap(), request_id.unwrap());

    // The officer of the department marks it in one action, from its page.
    let qldn = app.sign_in(Role::Staff, &["QLDN"]).await;
    let page = app
        .get_as(&qldn, &format!("/feedback/items/{praise}"))
        .await
        .body;
    assert!(
        page.contains(r#"data-action="mark-praise""#),
        "the action is offered"
    );
    let reply = app
        .post_form_as(
            &qldn,
            "/sf/feedback/act",
            &[
                ("id".to_owned(), praise.to_string()),
                ("action".to_owned(), "mark-praise".to_owned()),
            ],
        )
        .await;
    assert_eq!(reply.status, 302, "{}", reply.body);
    let detail = api(
        &app,
        Some(&admin),
        "GET",
        &format!("/api/v1/feedback-items/{praise}"),
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(detail["status"], "closed");
    assert_eq!(detail["classification"], "praise");
    assert!(detail["due_on"].is_null(), "no deadline runs: {detail}");
    // Its sender, tracking it, sees it received, not "not handled here".
    let tracked = api(
        &app,
        None,
        "GET",
        &format!(
            "/api/v1/feedback/{}",
            detail["tracking_code"].as_str().unwrap()
        ),
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(tracked["status"], "received", "{tracked}");
    // Once closed it cannot be marked again, and it is never overdue.
    let again = act(
        &app,
        &admin,
        praise,
        serde_json::json!({"action": "mark-praise"}),
    )
    .await;
    assert_eq!(again.status, 409);
    // Even with every deadline long past, only the open item is overdue.
    app.db
        .execute_unprepared("UPDATE feedback_items SET due_on = '2020-01-06'")
        .await
        .unwrap();
    let overdue = api(
        &app,
        Some(&admin),
        "GET",
        "/api/v1/feedback-items?overdue=1",
        serde_json::Value::Null,
    )
    .await
    .json();
    let overdue_ids: Vec<i64> = overdue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(overdue_ids, vec![request], "{overdue}");

    // The request is classified in scope: negative feedback, apart from praise.
    act(&app, &admin, request, full_action(FeedbackAction::Classify)).await;
    let summary = api(
        &app,
        Some(&admin),
        "GET",
        "/api/v1/feedback-summary?year=2026&half=2",
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(summary["received"], 2);
    assert_eq!(summary["praise"], 1);
    assert_eq!(summary["in_scope"], 1);
    let qldn_row = summary["by_department"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "QLDN")
        .unwrap();
    assert_eq!(
        (qldn_row["negative"].as_u64(), qldn_row["praise"].as_u64()),
        (Some(1), Some(1))
    );
    let leader = app.sign_in(Role::Leader, &[]).await;
    let page = app.get_as(&leader, "/rounds/test-round").await.body;
    assert_eq!(
        hailong_tests::element_text(&page, r#"data-testid="feedback-praise""#).as_deref(),
        Some("Lời khen: 1")
    );
}

#[tokio::test]
async fn every_survey_comment_becomes_a_linked_feedback_item() {
    let app = TestApp::with_open_round().await;
    let submit = |comment: Option<&str>| {
        serde_json::json!({
            "idempotency_key": uuid::Uuid::new_v4().to_string(),
            "answers": {"A1": 4},
            "respondent": {"type": "doanh-nghiep", "procedure": "LD-01"},
            "comment": comment,
        })
    };
    let with_comment = app
        .post_json(
            "/api/v1/rounds/test-round/responses",
            &submit(Some("  Mong được trả kết quả qua bưu điện.  ")),
        )
        .await;
    assert_eq!(with_comment.status, 201);
    app.post_json("/api/v1/rounds/test-round/responses", &submit(None))
        .await;
    app.post_json("/api/v1/rounds/test-round/responses", &submit(Some("   ")))
        .await;
    assert_eq!(
        app.count("feedback_items").await,
        1,
        "only the non-empty comment"
    );
    let receipt = with_comment.json()["receipt_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = token(&app, Role::Admin).await;
    let list = api(
        &app,
        Some(&admin),
        "GET",
        "/api/v1/feedback-items?channel=survey",
        serde_json::Value::Null,
    )
    .await
    .json();
    let id = list["rows"][0]["id"].as_i64().unwrap();
    let detail = api(
        &app,
        Some(&admin),
        "GET",
        &format!("/api/v1/feedback-items/{id}"),
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(detail["content"], "Mong được trả kết quả qua bưu điện.");
    assert_eq!(detail["response_receipt"], receipt.as_str());
    assert_eq!(detail["department"]["code"], "QLDN", "from the procedure");
    assert_eq!(detail["eligible_for_reply"], false);
    assert_eq!(detail["consent_to_publish"], false);
    // The receipt tells the respondent how to follow the comment.
    let page = app
        .get(&format!("/s/test-round/receipt/{receipt}"))
        .await
        .body;
    let tracking = detail["tracking_code"].as_str().unwrap();
    assert!(page.contains("data-testid=\"comment-feedback\"") && page.contains(tracking));
    // A replayed submission stores no second item.
    let replay = serde_json::json!({
        "idempotency_key": "same-key",
        "answers": {"A1": 4},
        "respondent": {"type": "doanh-nghiep"},
        "comment": "Góp ý lần hai.",
    });
    app.post_json("/api/v1/rounds/test-round/responses", &replay)
        .await;
    app.post_json("/api/v1/rounds/test-round/responses", &replay)
        .await;
    assert_eq!(app.count("feedback_items").await, 2);
}

#[tokio::test]
async fn the_public_form_works_without_javascript_and_keeps_what_was_typed() {
    let app = TestApp::with_open_round().await;
    let browser = hailong_tests::Browser::anonymous();
    let fields = |content: &str, email: &str| {
        vec![
            ("feedback[content]".to_owned(), content.to_owned()),
            (
                "feedback[sender_name]".to_owned(),
                "Phạm Văn Bình <b>".to_owned(),
            ),
            ("feedback[sender_email]".to_owned(), email.to_owned()),
            ("feedback[consent_to_publish]".to_owned(), "on".to_owned()),
        ]
    };
    let refused = app
        .post_form_as(
            &browser,
            "/sf/feedback/send",
            &fields("Ngắn", "khong-phai-email"),
        )
        .await;
    assert_eq!(refused.status, 302);
    assert_eq!(refused.location(), "/feedback#form");
    let page = app.get_as(&browser.after(&refused), "/feedback").await.body;
    assert!(page.contains("id=\"fb-content-error\""));
    assert!(page.contains("id=\"fb-sender-email-error\""));
    assert!(
        page.contains("Phạm Văn Bình &lt;b&gt;"),
        "what was typed comes back, escaped"
    );
    assert!(
        page.contains("href=\"#fb-content\""),
        "the summary links to the field"
    );
    assert_eq!(app.count("feedback_items").await, 0);

    let sent = app
        .post_form_as(
            &browser,
            "/sf/feedback/send",
            &fields(
                "<script>alert('x')</script> Đề nghị công khai lịch tiếp doanh nghiệp.",
                "",
            ),
        )
        .await;
    assert_eq!(sent.status, 302);
    let location = sent.location();
    assert!(
        location.starts_with("/feedback/track?code=PA-"),
        "{location}"
    );
    let page = app.get_as(&browser.after(&sent), &location).await.body;
    assert!(
        page.contains("Vì thiếu thông tin liên hệ"),
        "told it cannot be answered directly"
    );
    let code = location["/feedback/track?code=".len()..]
        .split('&')
        .next()
        .unwrap();
    assert!(page.contains(code));
    assert!(
        location.contains("&key=DG-"),
        "the sender's receipt carries their private rating key"
    );
    // Staff see the text escaped.
    let staff = app.sign_in_triage(&["QLDN"]).await;
    let id = app
        .scalar("SELECT CAST(MAX(id) AS BIGINT) FROM feedback_items")
        .await;
    let page = app
        .get_as(&staff, &format!("/feedback/items/{id}"))
        .await
        .body;
    assert!(page.contains("&lt;script&gt;alert(") && !page.contains("<script>alert("));
}

#[tokio::test]
async fn tracking_lookups_are_rate_limited() {
    let app = TestApp::with_open_round().await;
    let mut statuses = Vec::new();
    for _ in 0..31 {
        statuses.push(
            api(
                &app,
                None,
                "GET",
                "/api/v1/feedback/PA-AAAA-AAAA-AAAA",
                serde_json::Value::Null,
            )
            .await
            .status,
        );
    }
    assert!(statuses[..30].iter().all(|s| *s == 404), "{statuses:?}");
    let limited = api(
        &app,
        None,
        "GET",
        "/api/v1/feedback/PA-BBBB-BBBB-BBBB",
        serde_json::Value::Null,
    )
    .await;
    assert_eq!(limited.status, 429);
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
    // The tracking page shares the budget.
    assert_eq!(
        app.get("/feedback/track?code=PA-AAAA-AAAA-AAAA")
            .await
            .status,
        429
    );
}

#[tokio::test]
async fn the_dashboard_shows_the_feedback_panel_next_to_the_index() {
    let app = TestApp::with_open_round().await;
    let admin = token(&app, Role::Admin).await;
    // Two items this half-year: one answered on time and rated 5, one waiting.
    let answered = new_item(&app, &admin).await;
    for step in path_to(FeedbackStatus::Published) {
        act(&app, &admin, answered, full_action(step)).await;
    }
    let code = tracking_code(&app, &admin, answered).await;
    let key = domain::services::feedback::issue_rating_key(&app.db, answered as i32)
        .await
        .unwrap();
    api(
        &app,
        None,
        "POST",
        &format!("/api/v1/feedback/{code}/rating"),
        serde_json::json!({"rating": 5, "key": key}),
    )
    .await;
    new_item(&app, &admin).await;

    let summary = api(
        &app,
        Some(&admin),
        "GET",
        "/api/v1/feedback-summary?year=2026&half=2",
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(summary["received"], 2);
    assert_eq!(summary["in_scope"], 1);
    assert_eq!(summary["answered"], 1);
    assert_eq!(summary["answered_on_time"], 1);
    assert_eq!(summary["ratings"], 1);
    assert_eq!(summary["rating_satisfied_share"], 100.0);
    let other_half = api(
        &app,
        Some(&admin),
        "GET",
        "/api/v1/feedback-summary?year=2026&half=1",
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(other_half["received"], 0);

    let leader = app.sign_in(Role::Leader, &[]).await;
    let page = app.get_as(&leader, "/rounds/test-round").await.body;
    assert!(page.contains("data-testid=\"feedback-panel\""));
    assert_eq!(
        hailong_tests::element_text(&page, "data-testid=\"feedback-received\"").as_deref(),
        Some("2")
    );
    assert_eq!(
        hailong_tests::element_text(&page, "data-testid=\"feedback-on-time\"").as_deref(),
        Some("100,00%")
    );
    assert!(page.contains("1/1 đã trả lời"));
    assert_eq!(
        hailong_tests::element_text(&page, "data-testid=\"feedback-satisfaction\"").as_deref(),
        Some("100,00%")
    );
    // The department filter applies to the panel too.
    let page = app
        .get_as(&leader, "/rounds/test-round?department=QLDT")
        .await
        .body;
    assert_eq!(
        hailong_tests::element_text(&page, "data-testid=\"feedback-received\"").as_deref(),
        Some("0")
    );
}

#[tokio::test]
async fn the_half_year_report_counts_by_channel_classification_and_department() {
    let app = TestApp::with_open_round().await;
    let admin = token(&app, Role::Admin).await;
    // Three hotline items and a survey comment this half-year: one answered
    // and published, one classified out of scope, one waiting past its deadline.
    let published = new_item(&app, &admin).await;
    for step in path_to(FeedbackStatus::Published) {
        let reply = act(&app, &admin, published, full_action(step)).await;
        assert_eq!(reply.status, 200, "{step:?}: {}", reply.body);
    }
    let aside = new_item(&app, &admin).await;
    act(
        &app,
        &admin,
        aside,
        serde_json::json!({"action": "classify", "classification": "out-of-scope"}),
    )
    .await;
    let waiting = new_item(&app, &admin).await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE feedback_items SET due_on = '2020-01-06' WHERE id = {waiting}"
        ))
        .await
        .unwrap();
    let reply = app
        .post_json(
            "/api/v1/rounds/test-round/responses",
            &serde_json::json!({
                "idempotency_key": "report-comment",
                "answers": {"A1": 4},
                "respondent": {"type": "doanh-nghiep", "procedure": "LD-01"},
                "comment": "Đề nghị niêm yết thêm mẫu đơn tại bộ phận một cửa.",
            }),
        )
        .await;
    assert_eq!(reply.status, 201);

    let report_of = async |half: u8| {
        api(
            &app,
            Some(&admin),
            "GET",
            &format!("/api/v1/feedback-report?year=2026&half={half}"),
            serde_json::Value::Null,
        )
        .await
    };
    let report = report_of(2).await.json();
    let total = &report["total"];
    assert_eq!(total["received"], 4);
    assert_eq!(total["answered"], 1);
    assert_eq!(total["answered_on_time"], 1);
    assert_eq!(total["published"], 1);
    assert_eq!(total["overdue"], 1, "{report}");
    let row = |list: &str, code: &str| {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap_or_else(|| panic!("{list} {code}: {report}"))
            .clone()
    };
    assert_eq!(row("by_channel", "hotline")["received"], 3);
    assert_eq!(row("by_channel", "survey")["received"], 1);
    assert_eq!(
        row("by_channel", "letter")["received"],
        0,
        "every channel is listed"
    );
    assert_eq!(row("by_classification", "in-scope")["received"], 1);
    assert_eq!(row("by_classification", "out-of-scope")["received"], 1);
    assert_eq!(
        row("by_classification", "")["received"],
        2,
        "not classified yet"
    );
    assert_eq!(row("by_department", "QLDN")["published"], 1);
    // Nothing personal in the report.
    let text = report.to_string();
    assert!(!text.contains("Nguyễn Văn An") && !text.contains("0905111222"));
    // Another half-year holds none of them; a wrong half is refused.
    assert_eq!(report_of(1).await.json()["total"]["received"], 0);
    assert_eq!(report_of(3).await.status, 422);

    // The XLSX holds the same numbers, one sheet per breakdown.
    let leader = app.sign_in(Role::Leader, &[]).await;
    let bytes = app
        .get_bytes(&leader, "/api/v1/feedback-report.xlsx?year=2026&half=2")
        .await;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::{DataType, Reader};
    let sheet = book.worksheet_range("channel").unwrap();
    let hotline = sheet
        .rows()
        .find(|r| r.first().map(|c| c.to_string()).as_deref() == Some("Đường dây nóng"))
        .expect("the hotline row");
    assert_eq!(hotline[1].as_f64(), Some(3.0));
    let total_sheet = book.worksheet_range("total").unwrap();
    let totals: Vec<f64> = total_sheet
        .rows()
        .nth(3)
        .unwrap()
        .iter()
        .skip(1)
        .filter_map(|c| c.as_f64())
        .collect();
    assert_eq!(totals, vec![4.0, 1.0, 1.0, 1.0, 1.0]);

    // The printable page, from the feedback list.
    let list = app.get_as(&leader, "/feedback/items").await.body;
    assert!(list.contains(r#"href="/feedback/report""#));
    let page = app
        .get_as(&leader, "/feedback/report?year=2026&half=2")
        .await;
    assert_eq!(page.status, 200);
    let by_channel = page.body.split(r#"id="report-by-channel""#).nth(1).unwrap();
    let hotline_row = by_channel.split(r#"data-code="hotline""#).nth(1).unwrap();
    let hotline_row = &hotline_row[..hotline_row.find("</tr>").unwrap()];
    assert!(hotline_row.contains(">3<"), "{hotline_row}");
    assert!(
        page.body
            .contains("/api/v1/feedback-report.xlsx?year=2026&amp;half=2")
    );
}

/// The tallies match a recount from the items.
async fn assert_tallies_match(app: &TestApp, after: &str) {
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "after {after}: {:?}", check.differences);
}

#[tokio::test]
async fn the_feedback_tallies_follow_every_change_and_the_migration_counts_the_same() {
    use migrations::{Migrator, MigratorTrait};
    let app = TestApp::with_open_round().await;
    let admin = token(&app, Role::Admin).await;
    let mut items = Vec::new();
    for _ in 0..6 {
        items.push(new_item(&app, &admin).await);
    }
    assert_tallies_match(&app, "recording").await;
    // Each item a different way along the workflow.
    let targets = [
        FeedbackStatus::Received,
        FeedbackStatus::Classified,
        FeedbackStatus::Assigned,
        FeedbackStatus::Answered,
        FeedbackStatus::Published,
        FeedbackStatus::Closed,
    ];
    for (id, target) in items.iter().zip(targets) {
        for step in path_to(target) {
            let reply = act(&app, &admin, *id, full_action(step)).await;
            assert_eq!(reply.status, 200, "{step:?}: {}", reply.body);
            assert_tallies_match(&app, step.code()).await;
        }
    }
    let praise = app
        .record_feedback("Cán bộ Bộ phận Một cửa hướng dẫn rất tận tình, xin cảm ơn.")
        .await;
    let reply = act(
        &app,
        &admin,
        praise.into(),
        serde_json::json!({"action": "mark-praise"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_tallies_match(&app, "marking praise").await;

    // The sender of the published item rates the handling.
    let published = items[4];
    let code = tracking_code(&app, &admin, published).await;
    let key = domain::services::feedback::issue_rating_key(&app.db, published as i32)
        .await
        .unwrap();
    domain::services::feedback::rate(&app.db, &code, &key, "4")
        .await
        .unwrap();
    assert_tallies_match(&app, "rating").await;
    let summary = api(
        &app,
        Some(&admin),
        "GET",
        "/api/v1/feedback-summary?year=2026&half=2",
        serde_json::Value::Null,
    )
    .await
    .json();
    assert_eq!(summary["ratings"], 1, "{summary}");
    assert_eq!(summary["praise"], 1, "{summary}");

    // The queue's totals without filters come from the count of each
    // department: the same as counting the items each reader may see.
    let qldn: i64 = app
        .scalar("SELECT CAST(id AS BIGINT) FROM departments WHERE code = 'QLDN'")
        .await;
    let count_where = |condition: &str| {
        format!("SELECT CAST(COUNT(*) AS BIGINT) FROM feedback_items WHERE {condition}")
    };
    let reader = |role: Role, departments: Vec<i32>, can_triage: bool| domain::auth::Principal {
        user_id: None,
        token_id: None,
        name: "reader".to_owned(),
        display_name: "Reader".to_owned(),
        role,
        department_ids: departments,
        can_triage,
        scopes: None,
    };
    let total = |principal: domain::auth::Principal, department: &str| {
        let db = app.db.clone();
        let filter = domain::model::FeedbackFilter {
            department: department.to_owned(),
            ..Default::default()
        };
        async move {
            domain::services::feedback::list(&db, &principal, &filter)
                .await
                .unwrap()
                .total as i64
        }
    };
    let qldn_items = app
        .scalar(&count_where(&format!("department_id = {qldn}")))
        .await;
    let unassigned = app.scalar(&count_where("department_id IS NULL")).await;
    assert!(qldn_items > 0 && unassigned > 0);
    assert_eq!(total(reader(Role::Leader, vec![], false), "").await, 7);
    assert_eq!(
        total(reader(Role::Leader, vec![], false), "QLDN").await,
        qldn_items
    );
    let staff = || reader(Role::Staff, vec![qldn as i32], false);
    assert_eq!(total(staff(), "").await, qldn_items);
    let triage = reader(Role::Staff, vec![qldn as i32], true);
    assert_eq!(total(triage, "").await, qldn_items + unassigned);
    assert_eq!(
        app.scalar(&format!(
            "SELECT CAST(count AS BIGINT) FROM feedback_counts WHERE department_id = {qldn}"
        ))
        .await,
        qldn_items
    );

    // The migration's own count of the items already stored (each
    // backend's SQL) agrees with the rule every change follows.
    // Down to before migration 17 (feedback tallies) and up again.
    let after_16 = Migrator::migrations().len() as u32 - 16;
    let single = app.single_connection().await;
    Migrator::down(&single, Some(after_16)).await.unwrap();
    Migrator::up(&single, None).await.unwrap();
    single.close().await.unwrap();
    assert!(app.count("feedback_tallies").await > 0);
    assert_tallies_match(&app, "the migration's fill").await;
}
