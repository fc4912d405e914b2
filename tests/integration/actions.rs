//! Action plans (docs/methodology.md, "Analysis beyond the index"): a
//! leader plans an action only for a weak criterion, the owner department
//! reports progress, the next round's figures judge each action with
//! Newcombe's interval (the methodology's worked example), and the public
//! page shows published actions with approved figures only, never a
//! progress note.

use domain::model::{Role, RoundStatus};
use domain::services::responses::{AnswerInput, AnswerValue, Submission};
use hailong_tests::{Browser, TestApp};
use sea_orm::ConnectionTrait;

/// `n` responses answering A1, B1 and B2: the first `a1` satisfied on A1
/// (the rest dissatisfied); of the first 50, the first `b1` satisfied on
/// B1 and 45 satisfied on B2 (the others leave B1 and B2 blank).
async fn store(app: &TestApp, slug: &str, n: usize, a1: usize, b1: usize) {
    let round = domain::services::rounds::require(&app.db, slug)
        .await
        .unwrap();
    let instrument = domain::services::instruments::load(&app.db, round.instrument_id)
        .await
        .unwrap();
    let level = |satisfied: bool| AnswerValue::Level(if satisfied { 5 } else { 2 });
    let submissions = (0..n)
        .map(|i| {
            let mut answers = vec![AnswerInput {
                code: "A1".to_owned(),
                value: level(i < a1),
            }];
            if i < 50 {
                answers.push(AnswerInput {
                    code: "B1".to_owned(),
                    value: level(i < b1),
                });
                answers.push(AnswerInput {
                    code: "B2".to_owned(),
                    value: level(i < 45),
                });
            }
            Submission {
                answers,
                respondent_type: Some("doanh-nghiep".to_owned()),
                department: Some("QLDN".to_owned()),
                channel: Some("web".to_owned()),
                ..Submission::default()
            }
        })
        .collect();
    domain::services::responses::store_batch(&app.db, &round, &instrument, submissions, None)
        .await
        .unwrap();
}

fn plan(criterion: &str, what: &str, due_on: &str) -> Vec<(String, String)> {
    [
        ("slug", "test-round"),
        ("criterion", criterion),
        ("what", what),
        ("owner_department", "QLDN"),
        ("due_on", due_on),
        ("expected_effect", "Chỉ số đạt 80% ở đợt sau"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The id of the action planned for `criterion`.
async fn action_id(app: &TestApp, criterion: &str) -> i32 {
    i32::try_from(
        app.scalar(&format!(
            "SELECT CAST(id AS BIGINT) FROM actions WHERE criterion_code = '{criterion}'"
        ))
        .await,
    )
    .unwrap()
}

/// The HTML of the action card of `criterion` on a page.
fn card<'a>(body: &'a str, criterion: &str) -> &'a str {
    body.match_indices("<li ")
        .map(|(start, _)| {
            let end = start + body[start..].find("</li>").unwrap();
            &body[start..end]
        })
        .find(|card| {
            let opening = &card[..card.find('>').unwrap()];
            opening.contains(r#"class="card action""#)
                && opening.contains(&format!(r#"data-criterion="{criterion}""#))
        })
        .unwrap_or_else(|| panic!("no card of {criterion}"))
}

async fn publish_round(app: &TestApp, slug: &str, staff: &Browser, leader: &Browser) -> String {
    app.post_form_as(
        staff,
        "/sf/rounds/status",
        &fields(&[("slug", slug), ("status", "closed")]),
    )
    .await;
    app.post_form_as(
        leader,
        "/sf/rounds/status",
        &fields(&[("slug", slug), ("status", "published")]),
    )
    .await;
    let round = domain::services::rounds::require(&app.db, slug)
        .await
        .unwrap();
    domain::services::results::of_round(&app.db, round.id)
        .await
        .unwrap()
        .expect("published")
}

#[tokio::test]
async fn an_action_on_a_weak_criterion_is_judged_by_the_next_round_and_shown_in_public() {
    let app = TestApp::with_open_round().await;
    app.db
        .execute_unprepared("UPDATE rounds SET half = 1 WHERE slug = 'test-round'")
        .await
        .unwrap();
    // A1 48 of 80 (60%) and B1 35 of 50 (70%) are below the target of 80;
    // B2 45 of 50 (90%) is not.
    store(&app, "test-round", 80, 48, 35).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let other_staff = app.sign_in(Role::Staff, &["QLDT"]).await;

    let page = app.get_as(&leader, "/rounds/test-round/actions").await;
    assert_eq!(page.status, 200);
    let weak = &page.body[page.body.find(r#"id="weak-criteria""#).unwrap()..];
    let weak = &weak[..weak.find("</table>").unwrap()];
    assert!(weak.contains(r#"data-criterion="A1""#));
    assert!(weak.contains(r#"data-criterion="B1""#));
    assert!(!weak.contains(r#"data-criterion="B2""#));
    assert!(
        page.body
            .contains(r#"href="/rounds/test-round/actions?criterion=A1#action-new""#)
    );

    // Staff do not plan; a criterion that is not weak, a blank field and an
    // impossible date are each named, nothing is stored, the text typed stays.
    let refused = app
        .post_form_as(
            &staff,
            "/sf/actions/plan",
            &plan("A1", "Niêm yết", "2026-09-30"),
        )
        .await;
    assert_eq!(refused.status, 403);
    let reply = app
        .post_form_as(
            &leader,
            "/sf/actions/plan",
            &plan("B2", "Giữ vững", "2026-09-31"),
        )
        .await;
    assert_eq!(reply.status, 302);
    let page = app
        .get_as(&leader.after(&reply), "/rounds/test-round/actions")
        .await;
    assert!(
        page.body
            .contains("Chỉ lập kế hoạch cho tiêu chí dưới mục tiêu")
    );
    assert!(page.body.contains(r#"id="action-new-due-on-error""#));
    assert!(page.body.contains("Giữ vững"), "the text typed is kept");
    let reply = app
        .post_form_as(&leader, "/sf/actions/plan", &plan("A1", "  ", "2026-09-30"))
        .await;
    let page = app
        .get_as(&leader.after(&reply), "/rounds/test-round/actions")
        .await;
    assert!(page.body.contains("error-summary"));
    assert_eq!(app.count("actions").await, 0);

    for (criterion, what) in [
        ("A1", "Niêm yết quy trình tại bộ phận một cửa"),
        ("B1", "Tập huấn kỹ năng giao tiếp"),
    ] {
        let reply = app
            .post_form_as(
                &leader,
                "/sf/actions/plan",
                &plan(criterion, what, "2026-09-30"),
            )
            .await;
        assert_eq!(reply.status, 302);
    }
    assert_eq!(app.count("actions").await, 2);
    let a1 = action_id(&app, "A1").await;
    let b1 = action_id(&app, "B1").await;

    // Progress: the owner department's staff, not another department's.
    let progress = |id: i32, note: &str| {
        fields(&[
            ("id", &id.to_string()),
            ("status", "done"),
            ("progress_note", note),
        ])
    };
    let refused = app
        .post_form_as(&other_staff, "/sf/actions/progress", &progress(a1, "x"))
        .await;
    assert_eq!(refused.status, 403);
    let reply = app
        .post_form_as(
            &staff,
            "/sf/actions/progress",
            &progress(a1, "Ghi chú nội bộ: đã niêm yết"),
        )
        .await;
    assert_eq!(reply.status, 302);
    let bad = app
        .post_form_as(
            &staff,
            "/sf/actions/progress",
            &fields(&[("id", &a1.to_string()), ("status", "finished")]),
        )
        .await;
    assert_eq!(bad.status, 302);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM actions WHERE id = {a1} AND status = 'done'"
        ))
        .await,
        1,
        "a status that does not exist changes nothing"
    );

    // No later round yet: no verdict.
    let page = app.get_as(&staff, "/rounds/test-round/actions").await;
    assert!(card(&page.body, "A1").contains(r#"data-testid="verdict">"#));
    assert!(!page.body.contains("data-verdict="));

    // The next round: A1 56 of 70 (the methodology's example: +20.00,
    // interval 5.24 to 33.39, moved); B1 20 of 50 (fell).
    app.add_round("round-b", RoundStatus::Open).await;
    store(&app, "round-b", 70, 56, 20).await;
    let page = app.get_as(&staff, "/rounds/test-round/actions").await;
    let moved = card(&page.body, "A1");
    assert!(moved.contains(r#"data-verdict="moved""#), "{moved}");
    assert!(moved.contains("+20,00 (+5,24 – +33,39)"), "{moved}");
    assert!(card(&page.body, "B1").contains(r#"data-verdict="fell""#));

    // In public: only once the results are published, only published
    // actions, no progress note; the verdict once the next round's results
    // are published too.
    let public_id = publish_round(&app, "test-round", &staff, &leader).await;
    let results = app.get(&format!("/results/{public_id}")).await;
    assert!(
        !results
            .body
            .contains(&format!("/results/{public_id}/actions"))
    );
    let reply = app
        .post_form_as(
            &leader,
            "/sf/actions/publish",
            &fields(&[("id", &a1.to_string()), ("published", "true")]),
        )
        .await;
    assert_eq!(reply.status, 302);
    let refused = app
        .post_form_as(
            &staff,
            "/sf/actions/publish",
            &fields(&[("id", &b1.to_string()), ("published", "true")]),
        )
        .await;
    assert_eq!(refused.status, 403);
    let results = app.get(&format!("/results/{public_id}")).await;
    assert!(
        results
            .body
            .contains(&format!("/results/{public_id}/actions"))
    );
    let public = app.get(&format!("/results/{public_id}/actions")).await;
    assert_eq!(public.status, 200);
    assert!(
        public
            .body
            .contains("Niêm yết quy trình tại bộ phận một cửa")
    );
    assert!(
        !public.body.contains("Tập huấn kỹ năng giao tiếp"),
        "not published"
    );
    assert!(
        !public.body.contains("Ghi chú nội bộ"),
        "progress notes stay inside"
    );
    assert!(
        !public.body.contains("data-verdict="),
        "round-b is not approved yet"
    );
    assert!(public.body.contains(r#"data-testid="before">60,00<"#));

    publish_round(&app, "round-b", &staff, &leader).await;
    let public = app.get(&format!("/results/{public_id}/actions")).await;
    assert!(public.body.contains(r#"data-verdict="moved""#));
    assert!(public.body.contains("+20,00"));
    assert!(public.body.contains("+5,24 – +33,39"));

    // Taken off the public page again.
    app.post_form_as(
        &leader,
        "/sf/actions/publish",
        &fields(&[("id", &a1.to_string()), ("published", "false")]),
    )
    .await;
    let public = app.get(&format!("/results/{public_id}/actions")).await;
    assert!(
        !public
            .body
            .contains("Niêm yết quy trình tại bộ phận một cửa")
    );
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'action.%'")
            .await
            >= 5
    );
}
