//! What leadership reads: on a generated dataset of thousands of responses,
//! the JSON API, the dashboard, the XLSX export and the published page give
//! the same figures, equal to docs/methodology.md, “Formulas” computed here from the raw
//! answers; filters, breakdowns with suppression, comparison with its
//! z-test, exclusion, tally verification, and publication that never changes.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use domain::i18n::Lang;
use domain::model::{Role, RoundStatus};
use domain::services::responses::{AnswerInput, AnswerValue, Submission};
use hailong_tests::{TestApp, element_text};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ConnectionTrait;

const INDEX: [&str; 17] = [
    "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1", "E2",
    "E3",
];

/// One generated response: department and the 17 index answers (None = not applicable).
#[derive(Clone, Debug)]
struct Generated {
    department: &'static str,
    channel: &'static str,
    answers: Vec<(&'static str, Option<i64>)>,
}

fn generate(n: usize, seed: u64) -> Vec<Generated> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            // QLDT is rare, so that its breakdown is suppressed.
            let department = if i % 400 == 7 { "QLDT" } else { "QLDN" };
            let channel = if rng.random_bool(0.3) { "paper" } else { "web" };
            let mood: i64 = rng.random_range(-1..=1);
            let answers = INDEX
                .iter()
                .map(|code| {
                    let value = if rng.random_bool(0.05) {
                        None
                    } else {
                        Some((rng.random_range(1..=5) + mood).clamp(1, 5))
                    };
                    (*code, value)
                })
                .collect();
            Generated {
                department,
                channel,
                answers,
            }
        })
        .collect()
}

async fn store(app: &TestApp, slug: &str, data: &[Generated]) {
    let round = domain::services::rounds::require(&app.db, slug)
        .await
        .unwrap();
    let instrument = domain::services::instruments::load(&app.db, round.instrument_id)
        .await
        .unwrap();
    for chunk in data.chunks(1000) {
        let submissions = chunk
            .iter()
            .map(|g| Submission {
                answers: g
                    .answers
                    .iter()
                    .map(|(code, v)| AnswerInput {
                        code: (*code).to_owned(),
                        value: v.map_or(AnswerValue::NotApplicable, AnswerValue::Level),
                    })
                    .collect(),
                respondent_type: Some("doanh-nghiep".to_owned()),
                department: Some(g.department.to_owned()),
                channel: Some(g.channel.to_owned()),
                comment: Some("=HYPERLINK(\"http://evil\")".to_owned()),
                ..Submission::default()
            })
            .collect();
        domain::services::responses::store_batch(&app.db, &round, &instrument, submissions, None)
            .await
            .unwrap();
    }
}

/// docs/methodology.md, “Formulas”, written again here: per criterion (valid, satisfied,
/// index), per element the mean, overall the mean of elements.
struct Expected {
    criteria: BTreeMap<&'static str, (u64, u64, f64)>,
    elements: BTreeMap<char, f64>,
    overall: f64,
}

fn expected(data: &[&Generated]) -> Expected {
    let mut criteria = BTreeMap::new();
    for code in INDEX {
        let values: Vec<i64> = data
            .iter()
            .filter_map(|g| {
                g.answers
                    .iter()
                    .find(|(c, _)| *c == code)
                    .and_then(|(_, v)| *v)
            })
            .collect();
        let valid = values.len() as u64;
        let satisfied = values.iter().filter(|v| **v >= 4).count() as u64;
        criteria.insert(
            code,
            (valid, satisfied, 100.0 * satisfied as f64 / valid as f64),
        );
    }
    let mut elements = BTreeMap::new();
    for element in ['A', 'B', 'C', 'D', 'E'] {
        let indices: Vec<f64> = criteria
            .iter()
            .filter(|(c, _)| c.starts_with(element))
            .map(|(_, v)| v.2)
            .collect();
        elements.insert(element, indices.iter().sum::<f64>() / indices.len() as f64);
    }
    let overall = elements.values().sum::<f64>() / elements.len() as f64;
    Expected {
        criteria,
        elements,
        overall,
    }
}

fn vi(value: f64) -> String {
    format!("{value:.2}").replace('.', ",")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[tokio::test]
async fn thousands_of_responses_give_the_same_figures_everywhere() {
    let app = TestApp::with_open_round().await;
    let data = generate(3000, 2026);
    store(&app, "test-round", &data).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let all: Vec<&Generated> = data.iter().collect();
    let want = expected(&all);

    // JSON API.
    let api = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert_eq!(api["n_responses"], 3000);
    assert!(close(api["overall"].as_f64().unwrap(), want.overall));
    for c in api["criteria"].as_array().unwrap() {
        let (valid, satisfied, index) = want.criteria[c["code"].as_str().unwrap()];
        assert_eq!(
            (
                c["n_valid"].as_u64().unwrap(),
                c["n_satisfied"].as_u64().unwrap()
            ),
            (valid, satisfied)
        );
        assert!(close(c["index"].as_f64().unwrap(), index));
    }
    let (low, high) = (
        api["overall_ci_low"].as_f64().unwrap(),
        api["overall_ci_high"].as_f64().unwrap(),
    );
    assert!(
        low < want.overall && want.overall < high && high - low < 5.0,
        "a narrow interval around the overall"
    );

    // The dashboard.
    let page = app.get_as(&leader, "/rounds/test-round").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        element_text(&page.body, r#"data-testid="overall-index""#),
        Some(vi(want.overall))
    );
    for (code, index) in &want.elements {
        assert_eq!(
            element_text(&page.body, &format!(r#"data-element="{code}""#)),
            Some(vi(*index))
        );
    }
    assert_eq!(
        page.body.matches("<svg").count(),
        3,
        "element, distribution and trend charts"
    );
    assert!(page.body.contains(r#"id="expectations-table""#));
    assert!(
        page.body.contains("=HYPERLINK"),
        "recent comments are shown, escaped as text"
    );

    // The XLSX of index tables.
    let xlsx = app
        .send(
            http::Request::get("/api/v1/rounds/test-round/indices.xlsx")
                .header(http::header::COOKIE, leader.cookie_header())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(xlsx.status, 200);
    let bytes = app
        .get_bytes(&leader, "/api/v1/rounds/test-round/indices.xlsx")
        .await;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let criteria = workbook.worksheet_range("criteria").unwrap();
    for row in criteria.rows().skip(1) {
        let code = row[0].to_string();
        let (valid, satisfied, index) = want.criteria[code.as_str()];
        assert_eq!(row[3], Data::Float(valid as f64));
        assert_eq!(row[4], Data::Float(satisfied as f64));
        assert!(
            matches!(row[5], Data::Float(v) if close(v, index)),
            "{code}"
        );
    }
    let elements = workbook.worksheet_range("elements").unwrap();
    let overall_row = elements
        .rows()
        .find(|r| r[1] == Data::String("Chỉ số hài lòng chung".to_owned()))
        .unwrap();
    assert!(matches!(overall_row[2], Data::Float(v) if close(v, want.overall)));

    // Filters apply to everything: the API and the page, for one department.
    let qldn: Vec<&Generated> = data.iter().filter(|g| g.department == "QLDN").collect();
    let want_qldn = expected(&qldn);
    let filtered = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices?department=QLDN")
        .await
        .json();
    assert_eq!(filtered["n_responses"], qldn.len());
    assert!(close(
        filtered["overall"].as_f64().unwrap(),
        want_qldn.overall
    ));
    let page = app
        .get_as(&leader, "/rounds/test-round?department=QLDN")
        .await;
    assert_eq!(
        element_text(&page.body, r#"data-testid="overall-index""#),
        Some(vi(want_qldn.overall))
    );
    assert_eq!(
        app.get_as(&leader, "/api/v1/rounds/test-round/indices?department=NOPE")
            .await
            .status,
        422
    );

    // Breakdowns: QLDT has fewer than 10 responses and is suppressed.
    let qldt = data.iter().filter(|g| g.department == "QLDT").count();
    assert!(qldt < 10);
    let page = app.get_as(&leader, "/rounds/test-round").await;
    let table_start = page.body.find(r#"data-dimension="department""#).unwrap();
    let table =
        &page.body[table_start..table_start + page.body[table_start..].find("</table>").unwrap()];
    assert!(
        table.contains(&vi(want_qldn.overall)),
        "QLDN's overall in the breakdown"
    );
    assert!(
        table.contains("Không hiển thị (n &lt; 10)") || table.contains("Không hiển thị (n < 10)"),
        "QLDT is suppressed: {table}"
    );

    // Tallies equal the raw answers; the exports hold every response, formulas neutralised.
    assert!(
        domain::services::tallies::verify(&app.db)
            .await
            .unwrap()
            .matches()
    );
    let csv = app
        .get_as(&leader, "/api/v1/rounds/test-round/responses.csv")
        .await;
    assert_eq!(csv.body.lines().count(), 3001);
    assert!(csv.body.contains("'=HYPERLINK(") && !csv.body.contains(",=HYPERLINK("));
    let bytes = app
        .get_bytes(&leader, "/api/v1/rounds/test-round/responses.xlsx")
        .await;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("responses").unwrap();
    assert_eq!(sheet.rows().count(), 3001);
    let comment_column = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|c| *c == Data::String("comment".to_owned()))
        .unwrap();
    assert!(
        sheet.rows().nth(1).unwrap()[comment_column]
            .to_string()
            .starts_with("'=")
    );

    // Publication freezes the figures.
    let staff = app.sign_in(Role::Staff, &[]).await;
    let to = |status: &str| {
        vec![
            ("slug".to_owned(), "test-round".to_owned()),
            ("status".to_owned(), status.to_owned()),
        ]
    };
    app.post_form_as(&staff, "/sf/rounds/status", &to("closed"))
        .await;
    app.post_form_as(&leader, "/sf/rounds/status", &to("published"))
        .await;
    let public_id: String = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT public_id FROM result_snapshots".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    let published = app.get(&format!("/results/{public_id}")).await;
    assert_eq!(published.status, 200);
    assert_eq!(
        element_text(&published.body, r#"data-testid="overall-index""#),
        Some(vi(want.overall))
    );
    assert_eq!(
        element_text(&published.body, r#"data-testid="n-responses""#).as_deref(),
        Some("3.000")
    );
    assert!(published.body.contains("sipas-mean-v1"));
    assert!(
        app.get("/")
            .await
            .body
            .contains(&format!("/results/{public_id}")),
        "listed on the home page"
    );

    // Late responses and exclusions change the live figures, never the published ones.
    store(&app, "test-round", &generate(50, 7)).await;
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    assert_eq!(round.status, RoundStatus::Published);
    let live = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert_eq!(live["n_responses"], 3050);
    let again = app.get(&format!("/results/{public_id}")).await;
    assert_eq!(main_content(&again.body), main_content(&published.body));
    assert!(main_content(&again.body).contains("3.000"));
    assert!(
        app.db
            .execute_unprepared("UPDATE result_snapshots SET data = '{}'")
            .await
            .is_err()
    );
    assert!(
        app.db
            .execute_unprepared("DELETE FROM result_snapshots")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn two_rounds_compare_with_the_z_test_of_the_methodology() {
    let app = TestApp::with_open_round().await;
    app.add_round("round-b", RoundStatus::Open).await;
    // A1: 60 of 100 satisfied in the first round, 75 of 100 in the second.
    let make = |satisfied: usize| -> Vec<Generated> {
        (0..100)
            .map(|i| Generated {
                department: "QLDN",
                channel: "web",
                answers: vec![
                    ("A1", Some(if i < satisfied { 5 } else { 2 })),
                    ("B1", Some(4)),
                ],
            })
            .collect()
    };
    store(&app, "test-round", &make(60)).await;
    store(&app, "round-b", &make(75)).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let comparison = app
        .get_as(&leader, "/api/v1/rounds/test-round/compare/round-b")
        .await
        .json();
    let a1 = comparison["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "A1")
        .unwrap();
    assert!(close(a1["delta"].as_f64().unwrap(), 15.0));
    assert_eq!((a1["z"].as_f64().unwrap() * 100.0).round() / 100.0, 2.26);
    assert_eq!(
        (a1["p_value"].as_f64().unwrap() * 1000.0).round() / 1000.0,
        0.024
    );
    assert_eq!(a1["significant"], true);
    let b1 = comparison["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "B1")
        .unwrap();
    assert_eq!(b1["significant"], false, "no change, no flag");
    let page = app
        .get_as(&leader, "/rounds/test-round/compare?with=round-b")
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(r#"data-criterion="A1" class="significant""#)
    );
    assert!(page.body.contains("0.024"));
}

#[tokio::test]
async fn the_comparison_opens_on_the_previous_round_when_no_other_is_named() {
    let app = TestApp::with_open_round().await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    // The only round of its questionnaire: nothing earlier, said in words.
    let alone = app.get_as(&leader, "/rounds/test-round/compare").await;
    assert_eq!(alone.status, 200);
    assert!(alone.body.contains(r#"data-testid="no-earlier-round""#));
    assert!(!alone.body.contains("comparison-table"));

    app.add_round("round-b", RoundStatus::Open).await;
    app.db
        .execute_unprepared("UPDATE rounds SET half = 1 WHERE slug = 'test-round'")
        .await
        .unwrap();
    let page = app.get_as(&leader, "/rounds/round-b/compare").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("comparison-table"));
    // The earlier round first, the named one second.
    let lead = element_text(&page.body, r#"data-testid="compared-rounds""#).unwrap();
    let (from, to) = lead.split_once('→').unwrap();
    assert!(from.contains(&Lang::Vi.period(2026, 1)), "{lead}");
    assert!(to.contains(&Lang::Vi.period(2026, 2)), "{lead}");
}

#[tokio::test]
async fn perception_questions_are_shares_with_intervals_and_hidden_below_the_threshold() {
    let app = TestApp::with_open_round().await;
    // P1 by 12 respondents: 8 never, 3 a few times, 1 many times (4 of 12
    // met it). P2 by 3 only: below the threshold of 10.
    let data: Vec<Generated> = (0..12)
        .map(|i| {
            let mut answers = vec![
                ("A1", Some(4)),
                (
                    "P1",
                    Some(if i < 8 {
                        1
                    } else if i < 11 {
                        2
                    } else {
                        3
                    }),
                ),
            ];
            if i < 3 {
                answers.push(("P2", Some(2)));
            }
            Generated {
                department: "QLDN",
                channel: "web",
                answers,
            }
        })
        .collect();
    store(&app, "test-round", &data).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let report = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    let perception = |code: &str| {
        report["perceptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()
            .clone()
    };
    let p1 = perception("P1");
    assert_eq!(p1["n_valid"], 12);
    assert_eq!(p1["n_experienced"], 4);
    assert!(close(p1["share"].as_f64().unwrap(), 100.0 / 3.0));
    let (low, high) = domain::index_engine::wilson_interval(4, 12).unwrap();
    assert!(close(p1["ci_low"].as_f64().unwrap(), low));
    assert!(close(p1["ci_high"].as_f64().unwrap(), high));
    assert_eq!(
        ((low * 100.0).round(), (high * 100.0).round()),
        (1381.0, 6094.0)
    );
    let p2 = perception("P2");
    assert_eq!(p2["n_valid"], 3);
    assert_eq!(p2["suppressed"], true);
    assert!(p2["share"].is_null() && p2["n_experienced"].is_null() && p2["ci_low"].is_null());

    for page in ["/rounds/test-round", "/rounds/test-round/report"] {
        let body = app.get_as(&leader, page).await.body;
        let table = body.split(r#"id="perceptions-table""#).nth(1).unwrap();
        let p1_row = table.split(r#"data-criterion="P1""#).nth(1).unwrap();
        let p1_row = &p1_row[..p1_row.find("</tr>").unwrap()];
        assert!(
            p1_row.contains("33,33") || p1_row.contains("33.33"),
            "{p1_row}"
        );
        let p2_row = table.split(r#"data-criterion="P2""#).nth(1).unwrap();
        let p2_row = &p2_row[..p2_row.find("</tr>").unwrap()];
        assert!(
            !p2_row.contains("66,67") && !p2_row.contains("100"),
            "{p2_row}"
        );
        assert!(p2_row.contains("Không hiển thị"), "{p2_row}");
    }
}

/// The receipt code of the first response of `department`.
async fn receipt_of(app: &TestApp, department: &str) -> String {
    app.db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT r.receipt_code FROM responses r JOIN departments d ON d.id = r.department_id \
                 WHERE d.code = '{department}' ORDER BY r.id LIMIT 1"
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap()
}

#[tokio::test]
async fn staff_ask_to_exclude_only_their_departments_responses_while_the_round_is_open() {
    let app = TestApp::with_open_round().await;
    store(&app, "test-round", &generate(401, 5)).await;
    let qldn_staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let ask = |code: &str, step: &str| {
        vec![
            ("slug".to_owned(), "test-round".to_owned()),
            ("receipt_code".to_owned(), code.to_owned()),
            ("reason".to_owned(), "Nghi trùng".to_owned()),
            ("step".to_owned(), step.to_owned()),
        ]
    };
    let pending = || {
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM responses WHERE exclusion_proposed_by IS NOT NULL",
        )
    };
    // Another department's response: refused.
    let other = receipt_of(&app, "QLDT").await;
    let refused = app
        .post_form_as(
            &qldn_staff,
            "/sf/responses/exclude",
            &ask(&other, "propose"),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(pending().await, 0);
    // Their own: asked, but staff cannot confirm it themselves.
    let own = receipt_of(&app, "QLDN").await;
    app.post_form_as(&qldn_staff, "/sf/responses/exclude", &ask(&own, "propose"))
        .await;
    assert_eq!(pending().await, 1);
    let self_confirm = app
        .post_form_as(&qldn_staff, "/sf/responses/exclude", &ask(&own, "confirm"))
        .await;
    assert_eq!(self_confirm.status, 403);
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM responses WHERE excluded")
            .await,
        0
    );
    // A leader declines: the request is gone and the response still counts.
    app.post_form_as(&leader, "/sf/responses/exclude", &ask(&own, "decline"))
        .await;
    assert_eq!(pending().await, 0);
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'response.exclusion_declined'")
            .await,
        1
    );
    // Once the round is closed, staff can no longer ask.
    app.db
        .execute_unprepared("UPDATE rounds SET status = 'closed' WHERE slug = 'test-round'")
        .await
        .unwrap();
    let closed = app
        .post_form_as(&qldn_staff, "/sf/responses/exclude", &ask(&own, "propose"))
        .await;
    let page = app
        .get_as(&qldn_staff.after(&closed), "/rounds/test-round")
        .await;
    assert!(
        page.body.contains("form-failure"),
        "the refusal is told on the page"
    );
    assert_eq!(pending().await, 0);
}

#[tokio::test]
async fn excluding_a_response_updates_the_tallies_and_the_check_finds_tampering() {
    let app = TestApp::with_open_round().await;
    store(&app, "test-round", &generate(40, 3)).await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let before = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    let code: String = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT receipt_code FROM responses ORDER BY id LIMIT 1".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    let exclude = |step: &str| {
        vec![
            ("slug".to_owned(), "test-round".to_owned()),
            ("receipt_code".to_owned(), code.to_lowercase()),
            ("reason".to_owned(), "Phiếu trùng".to_owned()),
            ("step".to_owned(), step.to_owned()),
        ]
    };
    let indices = || app.get_as(&leader, "/api/v1/rounds/test-round/indices");
    // Staff ask; the response still counts until a leader confirms.
    app.post_form_as(&staff, "/sf/responses/exclude", &exclude("propose"))
        .await;
    assert_eq!(indices().await.json()["n_responses"], 40);
    let dashboard = app.get_as(&leader, "/rounds/test-round").await;
    assert!(
        dashboard.body.contains("pending-exclusions"),
        "the leader sees the request"
    );
    app.post_form_as(&leader, "/sf/responses/exclude", &exclude("confirm"))
        .await;
    let after = indices().await.json();
    assert_eq!(after["n_responses"], 39);
    assert_eq!(
        after["n_excluded"], 1,
        "every figure says how many were left out"
    );
    // Filtered by department too: the excluded response's, and another.
    let department = app
        .scalar_text(
            "SELECT d.code FROM responses r JOIN departments d ON d.id = r.department_id WHERE r.excluded",
        )
        .await;
    let other = app
        .scalar_text(&format!(
            "SELECT code FROM departments WHERE code <> '{department}' ORDER BY code LIMIT 1"
        ))
        .await;
    for (code, excluded) in [(department, 1), (other, 0)] {
        let filtered = app
            .get_as(
                &leader,
                &format!("/api/v1/rounds/test-round/indices?department={code}"),
            )
            .await
            .json();
        assert_eq!(filtered["n_excluded"], excluded, "{code}");
    }
    assert!(
        domain::services::tallies::verify(&app.db)
            .await
            .unwrap()
            .matches()
    );
    app.post_form_as(&leader, "/sf/responses/exclude", &exclude("restore"))
        .await;
    let restored = indices().await.json();
    assert_eq!(restored, before);
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action LIKE 'response.%'")
            .await,
        3
    );

    app.db
        .execute_unprepared("UPDATE tallies SET count = count + 1 WHERE level = 5")
        .await
        .unwrap();
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(!check.matches());
    assert!(check.differences[0].contains("stored"));
    assert!(
        check.differences.iter().all(|d| d.starts_with("answers")),
        "{:?}",
        check.differences
    );
    // The sums by dimension are checked against the raw answers too.
    domain::services::tallies::rebuild(&app.db).await.unwrap();
    app.db
        .execute_unprepared(
            "UPDATE breakdown_tallies SET count = count + 1 WHERE dimension = 'channel' AND level = 4",
        )
        .await
        .unwrap();
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(!check.differences.is_empty());
    assert!(
        check
            .differences
            .iter()
            .all(|d| d.starts_with("breakdowns") && d.contains("\"channel\"")),
        "{:?}",
        check.differences
    );

    // Rebuilding from the raw answers repairs them, excluded responses still left out.
    domain::services::tallies::rebuild(&app.db).await.unwrap();
    assert!(
        domain::services::tallies::verify(&app.db)
            .await
            .unwrap()
            .matches()
    );
    let rebuilt = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert_eq!(rebuilt, before);
}

/// The `<main>` element of a page: everything a reader sees, without the
/// per-request nonce and tokens of the shell.
fn main_content(body: &str) -> &str {
    let start = body.find("<main").expect("page has <main>");
    let end = body.find("</main>").expect("page closes <main>");
    &body[start..end]
}

/// Unfiltered figures come from the breakdown tallies, filtered ones from
/// the full tallies: both give the same counts for the whole round and for
/// every value of every dimension.
#[tokio::test]
async fn breakdown_tallies_equal_the_full_tallies_summed() {
    use domain::services::indices;
    let app = TestApp::with_open_round().await;
    store(&app, "test-round", &generate(900, 11)).await;
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let whole = indices::Filter::default();

    let from_breakdowns = indices::level_counts(&app.db, round.id, &whole)
        .await
        .unwrap();
    let from_tallies = indices::level_counts_in_tallies(&app.db, round.id, &whole)
        .await
        .unwrap();
    assert_eq!(from_breakdowns.len(), 17);
    assert_eq!(from_breakdowns, from_tallies);

    for dimension in indices::DIMENSIONS {
        let from_breakdowns = indices::breakdown_counts(&app.db, round.id, dimension)
            .await
            .unwrap();
        let from_tallies =
            indices::breakdown_counts_in_tallies(&app.db, round.id, dimension, &whole)
                .await
                .unwrap();
        assert!(!from_breakdowns.is_empty(), "{dimension}");
        assert_eq!(from_breakdowns, from_tallies, "{dimension}");
    }
    // A filter on one dimension reads that value's breakdown tallies: the
    // same counts as the full tallies filtered.
    for dimension in indices::DIMENSIONS {
        let values = indices::breakdown_counts(&app.db, round.id, dimension)
            .await
            .unwrap();
        for value in values.keys() {
            let mut filter = indices::Filter::default();
            match dimension {
                "department" => filter.department_id = value.parse().ok(),
                "procedure" => filter.procedure_id = value.parse().ok(),
                "respondent_type" => filter.respondent_type = Some(value.clone()),
                _ => filter.channel = Some(value.clone()),
            }
            assert_eq!(filter.single_dimension(), Some((dimension, value.clone())));
            let from_breakdowns = indices::level_counts(&app.db, round.id, &filter)
                .await
                .unwrap();
            let from_tallies = indices::level_counts_in_tallies(&app.db, round.id, &filter)
                .await
                .unwrap();
            assert!(!from_breakdowns.is_empty(), "{dimension} {value}");
            assert_eq!(from_breakdowns, from_tallies, "{dimension} {value}");
        }
    }

    // Two departments and two channels were generated.
    for dimension in ["department", "channel"] {
        assert_eq!(
            indices::breakdown_counts(&app.db, round.id, dimension)
                .await
                .unwrap()
                .len(),
            2,
            "{dimension}"
        );
    }

    // Filtered by one department, the other dimensions' breakdowns come from
    // the breakdown tallies within that department: the same counts as the
    // department's full tallies summed.
    let departments = indices::breakdown_counts(&app.db, round.id, "department")
        .await
        .unwrap();
    for department in departments.keys() {
        let filter = indices::Filter {
            department_id: department.parse().ok(),
            ..indices::Filter::default()
        };
        for dimension in ["procedure", "respondent_type", "channel"] {
            let within = indices::breakdown_counts_for(&app.db, round.id, dimension, &filter)
                .await
                .unwrap();
            let from_tallies =
                indices::breakdown_counts_in_tallies(&app.db, round.id, dimension, &filter)
                    .await
                    .unwrap();
            assert!(!within.is_empty(), "{department} {dimension}");
            assert_eq!(within, from_tallies, "{department} {dimension}");
        }
    }
    // The large department's responses came on both channels.
    let (qldn, _) = departments
        .iter()
        .max_by_key(|(_, counts)| {
            counts
                .values()
                .map(|c| c.levels.iter().sum::<u64>())
                .sum::<u64>()
        })
        .expect("two departments");
    let filter = indices::Filter {
        department_id: qldn.parse().ok(),
        ..indices::Filter::default()
    };
    assert_eq!(
        indices::breakdown_counts_for(&app.db, round.id, "channel", &filter)
            .await
            .unwrap()
            .len(),
        2
    );
}

/// The migration that adds the breakdowns within each department fills them
/// from the tallies already stored: undone, its rows are gone; done again,
/// as many rows as the submissions wrote, and the recount agrees with them.
#[tokio::test]
async fn the_breakdowns_within_a_department_are_filled_by_their_migration() {
    use migrations::{Migrator, MigratorTrait};
    const WITHIN: &str =
        "SELECT COUNT(*) FROM breakdown_tallies WHERE dimension LIKE 'department:%'";
    let app = TestApp::with_open_round().await;
    store(&app, "test-round", &generate(120, 5)).await;
    let stored = app.scalar(WITHIN).await;
    assert!(stored > 0);

    // Back to before migration 35, counting from the end.
    let single = app.single_connection().await;
    let after_34 = Migrator::migrations().len() as u32 - 34;
    Migrator::down(&single, Some(after_34)).await.unwrap();
    assert_eq!(app.scalar(WITHIN).await, 0);
    Migrator::up(&single, None).await.unwrap();
    single.close().await.unwrap();
    assert_eq!(app.scalar(WITHIN).await, stored);
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
}
