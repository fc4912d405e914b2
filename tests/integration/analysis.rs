//! The driver analysis (docs/methodology.md, "Analysis beyond the index"):
//! the weights read from the pair sums kept in each response's transaction
//! equal the same formulas applied to the raw answers, on SQLite and
//! PostgreSQL; the sums follow exclusions, are checked by verify-tallies
//! and rebuilt from the raw answers; and the dashboard shows the matrix
//! with its numbers.

use domain::analysis::{self, PairSums};
use domain::model::Role;
use domain::services::responses::{AnswerInput, AnswerValue, Submission};
use hailong_tests::TestApp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ConnectionTrait;
use serde_json::Value;

const INDEX: [&str; 17] = [
    "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1", "E2",
    "E3",
];

/// One response: the 17 index answers and O1, `None` = not applicable.
type Answers = Vec<(&'static str, Option<i64>)>;

/// Random responses in which O1 follows the A and C criteria more than the
/// others, with some answers "not applicable".
fn generate(n: usize, seed: u64) -> Vec<Answers> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let mood: i64 = rng.random_range(-2..=2);
            let mut answers: Answers = INDEX
                .iter()
                .map(|code| {
                    let value = if rng.random_bool(0.04) {
                        None
                    } else {
                        Some((3 + mood + rng.random_range(-1..=1)).clamp(1, 5))
                    };
                    (*code, value)
                })
                .collect();
            let driven: i64 = answers
                .iter()
                .filter(|(code, _)| code.starts_with('A') || code.starts_with('C'))
                .filter_map(|(_, v)| *v)
                .sum::<i64>()
                / 7;
            let o1 = if rng.random_bool(0.03) {
                None
            } else {
                Some((driven + rng.random_range(-1..=1)).clamp(1, 5))
            };
            answers.push(("O1", o1));
            answers
        })
        .collect()
}

async fn store(app: &TestApp, data: &[Answers]) {
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let instrument = domain::services::instruments::load(&app.db, round.instrument_id)
        .await
        .unwrap();
    let submissions = data
        .iter()
        .map(|answers| Submission {
            answers: answers
                .iter()
                .map(|(code, v)| AnswerInput {
                    code: (*code).to_owned(),
                    value: v.map_or(AnswerValue::NotApplicable, AnswerValue::Level),
                })
                .collect(),
            respondent_type: Some("doanh-nghiep".to_owned()),
            department: Some("QLDN".to_owned()),
            channel: Some("web".to_owned()),
            ..Submission::default()
        })
        .collect();
    domain::services::responses::store_batch(&app.db, &round, &instrument, submissions, None)
        .await
        .unwrap();
}

/// The drivers computed straight from the raw answers: every pair's sums
/// counted again, then the same formulas.
fn drivers_from_raw(data: &[Answers]) -> analysis::Drivers {
    let value = |answers: &Answers, code: &str| {
        answers
            .iter()
            .find(|(c, _)| *c == code)
            .and_then(|(_, v)| v.map(|v| v as u8))
    };
    // The service orders the predictors by criterion id, which follows the
    // questionnaire's order for the default instrument.
    let pair = |a: &str, b: &str| PairSums::of(data.iter().map(|r| (value(r, a), value(r, b))));
    analysis::drivers(
        INDEX.len(),
        |i, j| pair(INDEX[i.min(j)], INDEX[i.max(j)]),
        |i| pair(INDEX[i], "O1"),
    )
    .unwrap()
}

fn row<'a>(drivers: &'a Value, code: &str) -> &'a Value {
    drivers["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {drivers}"))
}

#[tokio::test]
async fn drivers_from_the_kept_sums_equal_a_recount_from_the_raw_answers() {
    let app = TestApp::with_open_round().await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let drivers = || app.get_as(&leader, "/api/v1/rounds/test-round/drivers");

    // Below 30 complete responses the weights are hidden, and say why.
    let data = generate(400, 17);
    let complete = |rows: &[Answers]| {
        rows.iter()
            .filter(|r| r.iter().all(|(_, v)| v.is_some()))
            .count() as u64
    };
    let few: Vec<Answers> = data
        .iter()
        .filter(|r| r.iter().all(|(_, v)| v.is_some()))
        .take(29)
        .cloned()
        .collect();
    store(&app, &few).await;
    let hidden = drivers().await.json();
    assert_eq!(hidden["complete_responses"], 29);
    assert_eq!(hidden["hidden"], "too-few-responses");
    assert!(hidden["criteria"].as_array().unwrap().is_empty());
    let page = app.get_as(&leader, "/rounds/test-round").await.body;
    assert!(page.contains(r#"data-testid="drivers-hidden""#));

    store(&app, &data).await;
    let all: Vec<Answers> = few.iter().chain(&data).cloned().collect();
    let shown = drivers().await.json();
    assert_eq!(shown["complete_responses"], complete(&all));
    assert!(shown["hidden"].is_null(), "{shown}");
    assert_eq!(shown["analysis_version"], "sipas-analysis-v1");
    let expected = drivers_from_raw(&all);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(close(
        shown["r_squared"].as_f64().unwrap(),
        expected.weights.r_squared
    ));
    let mut total = 0.0;
    for (i, code) in INDEX.iter().enumerate() {
        let found = row(&shown, code);
        assert!(close(found["r"].as_f64().unwrap(), expected.r[i]), "{code}");
        assert!(
            close(
                found["weight"].as_f64().unwrap(),
                expected.weights.percent[i]
            ),
            "{code}"
        );
        let pairs = all
            .iter()
            .filter(|r| {
                r.iter().find(|(c, _)| c == code).unwrap().1.is_some()
                    && r.last().unwrap().1.is_some()
            })
            .count();
        assert_eq!(found["n_pairs"], pairs as u64, "{code}");
        total += found["weight"].as_f64().unwrap();
    }
    assert!(close(total, 100.0));
    // O1 follows the A and C criteria: they weigh most.
    let heaviest = shown["criteria"][0]["code"].as_str().unwrap();
    assert!(
        heaviest.starts_with('A') || heaviest.starts_with('C'),
        "{heaviest}"
    );

    // The sums match a recount; a tampered sum is found and repaired.
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
    assert_eq!(check.pair_sums, 17 * 16 / 2 + 17);
    app.db
        .execute_unprepared("UPDATE pair_sums SET sum_xy = sum_xy + 1 WHERE n > 0")
        .await
        .unwrap();
    app.db
        .execute_unprepared("UPDATE complete_responses SET count = count + 1")
        .await
        .unwrap();
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(
        check.differences.iter().any(|d| d.starts_with("pair sums"))
            && check
                .differences
                .iter()
                .any(|d| d.starts_with("complete responses")),
        "{:?}",
        check.differences
    );
    domain::services::tallies::rebuild(&app.db).await.unwrap();
    assert!(
        domain::services::tallies::verify(&app.db)
            .await
            .unwrap()
            .matches()
    );
    assert_eq!(drivers().await.json(), shown);
}

#[tokio::test]
async fn an_excluded_response_leaves_the_sums_and_the_dashboard_shows_the_matrix() {
    let app = TestApp::with_open_round().await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let data = generate(120, 5);
    store(&app, &data).await;
    let before = app
        .get_as(&leader, "/api/v1/rounds/test-round/drivers")
        .await
        .json();
    assert!(before["hidden"].is_null(), "{before}");

    // Leave out the first complete response: the weights become those of the others.
    let first_complete = data
        .iter()
        .position(|r| r.iter().all(|(_, v)| v.is_some()))
        .unwrap();
    let code: String = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT receipt_code FROM responses ORDER BY id LIMIT 1 OFFSET {first_complete}"
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    let exclude = vec![
        ("slug".to_owned(), "test-round".to_owned()),
        ("receipt_code".to_owned(), code),
        ("reason".to_owned(), "Phiếu thử".to_owned()),
        ("step".to_owned(), "propose".to_owned()),
    ];
    app.post_form_as(&leader, "/sf/responses/exclude", &exclude)
        .await;
    let after = app
        .get_as(&leader, "/api/v1/rounds/test-round/drivers")
        .await
        .json();
    assert_eq!(
        after["complete_responses"].as_u64().unwrap() + 1,
        before["complete_responses"].as_u64().unwrap()
    );
    let others: Vec<Answers> = data
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != first_complete)
        .map(|(_, r)| r.clone())
        .collect();
    let expected = drivers_from_raw(&others);
    assert!((after["r_squared"].as_f64().unwrap() - expected.weights.r_squared).abs() < 1e-9);
    assert!(
        domain::services::tallies::verify(&app.db)
            .await
            .unwrap()
            .matches()
    );

    // The dashboard: the matrix with every criterion named, the table of
    // its numbers, and the criteria to fix first.
    let page = app.get_as(&leader, "/rounds/test-round").await.body;
    let section = page.split(r#"data-testid="drivers""#).nth(1).unwrap();
    assert!(section.contains("<svg"));
    let t = domain::i18n::Lang::Vi.texts();
    for text in [t.quadrant_fix_first, t.quadrant_keep_up, "A1", "E3"] {
        assert!(section.contains(text), "{text}");
    }
    let table = section.split(r#"id="drivers-table""#).nth(1).unwrap();
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr data-criterion=").count(), 17);
    let heaviest = after["criteria"][0]["code"].as_str().unwrap();
    assert!(table.contains(&format!(r#"data-criterion="{heaviest}""#)));
    // A filtered dashboard says that drivers cover the whole round.
    let filtered = app
        .get_as(&leader, "/rounds/test-round?channel=web")
        .await
        .body;
    assert!(filtered.contains(t.drivers_whole_round));
}

/// The round's responses of the worked example of the methodology: A1
/// satisfied by 30 of 40 businesses, 45 of 50 individuals and 9 of 10
/// partner agencies; B1 satisfied by everyone.
async fn store_worked_example(app: &TestApp) {
    app.db
        .execute_unprepared(
            "UPDATE rounds SET audience = 'businesses,citizens,partner-agencies' WHERE slug = 'test-round'",
        )
        .await
        .unwrap();
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let instrument = domain::services::instruments::load(&app.db, round.instrument_id)
        .await
        .unwrap();
    let mut submissions = Vec::new();
    for (respondent_type, satisfied, total) in [
        ("doanh-nghiep", 30, 40),
        ("ca-nhan", 45, 50),
        ("co-quan-phoi-hop", 9, 10),
    ] {
        for i in 0..total {
            submissions.push(Submission {
                answers: vec![
                    AnswerInput {
                        code: "A1".to_owned(),
                        value: AnswerValue::Level(if i < satisfied { 4 } else { 2 }),
                    },
                    AnswerInput {
                        code: "B1".to_owned(),
                        value: AnswerValue::Level(5),
                    },
                ],
                respondent_type: Some(respondent_type.to_owned()),
                department: Some("QLDN".to_owned()),
                channel: Some("web".to_owned()),
                ..Submission::default()
            });
        }
    }
    domain::services::responses::store_batch(&app.db, &round, &instrument, submissions, None)
        .await
        .unwrap();
}

fn populations_form(dimension: &str, counts: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = vec![
        ("slug".to_owned(), "test-round".to_owned()),
        ("dimension".to_owned(), dimension.to_owned()),
    ];
    fields.extend(
        counts
            .iter()
            .map(|(code, n)| (format!("populations[{code}]"), (*n).to_owned())),
    );
    fields
}

#[tokio::test]
async fn weighted_indices_reproduce_the_worked_example_beside_the_official_ones() {
    let app = TestApp::with_open_round().await;
    store_worked_example(&app).await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let weighted = || app.get_as(&leader, "/api/v1/rounds/test-round/indices?weighted=true");

    // No population counts yet: no weighted figures, the official ones alone.
    let before = weighted().await.json();
    assert!(before.get("weighted").is_none(), "{before}");

    // A count that is not a whole number is named next to its field, what
    // was typed is kept, and nothing is stored.
    let bad = app
        .post_form_as(
            &staff,
            "/sf/rounds/populations",
            &populations_form(
                "respondent_type",
                &[
                    ("doanh-nghiep", "800"),
                    ("ca-nhan", "hai trăm"),
                    ("co-quan-phoi-hop", "100"),
                ],
            ),
        )
        .await;
    assert_eq!(bad.status, 302);
    assert_eq!(app.count("round_populations").await, 0);
    let page = app
        .get_as(&staff.after(&bad), "/rounds/test-round/manage")
        .await
        .body;
    let field = page
        .split(r#"id="populations-respondent_type-ca-nhan-error""#)
        .nth(1)
        .unwrap();
    assert!(
        field[..200].contains("0"),
        "the error names the range: {}",
        &field[..200]
    );
    assert!(
        page.contains(r#"value="hai trăm""#),
        "what was typed is kept"
    );
    // A leader reads the figures but does not enter counts.
    let refused = app
        .post_form_as(
            &leader,
            "/sf/rounds/populations",
            &populations_form("respondent_type", &[("doanh-nghiep", "800")]),
        )
        .await;
    assert_eq!(refused.status, 403);

    let saved = app
        .post_form_as(
            &staff,
            "/sf/rounds/populations",
            &populations_form(
                "respondent_type",
                &[
                    ("doanh-nghiep", "800"),
                    ("ca-nhan", "200"),
                    ("co-quan-phoi-hop", "100"),
                ],
            ),
        )
        .await;
    assert_eq!(saved.status, 302);
    assert_eq!(app.count("round_populations").await, 3);
    assert_eq!(
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'round.populations'"
        )
        .await,
        1
    );

    let report = weighted().await.json();
    let official_a1 = report["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "A1")
        .unwrap()
        .clone();
    assert_eq!(
        official_a1["index"].as_f64().unwrap(),
        84.0,
        "unweighted stays official"
    );
    let w = &report["weighted"];
    assert_eq!(w["dimension"], "respondent_type");
    assert_eq!(w["analysis_version"], "sipas-analysis-v1");
    let a1 = w["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "A1")
        .unwrap();
    let two = |v: &Value| (v.as_f64().unwrap() * 100.0).round() / 100.0;
    assert_eq!(two(&a1["index"]), 79.09);
    assert_eq!(two(&a1["effective_n"]), 67.98);
    assert_eq!((two(&a1["ci_low"]), two(&a1["ci_high"])), (68.0, 87.07));
    let strata = w["strata"].as_array().unwrap();
    assert_eq!(strata.len(), 3);
    let business = strata.iter().find(|s| s["code"] == "doanh-nghiep").unwrap();
    assert_eq!(
        (
            business["population"].as_u64(),
            business["responses"].as_u64()
        ),
        (Some(800), Some(40))
    );
    // Element A averages its weighted criteria with answers (A1 only), as the official index does.
    let element_a = w["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "A")
        .unwrap();
    assert_eq!(two(&element_a["index"]), 79.09);
    // Without `weighted`, no weighted figures; with a filter, a clear refusal.
    let plain = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert!(plain.get("weighted").is_none());
    let filtered = app
        .get_as(
            &leader,
            "/api/v1/rounds/test-round/indices?weighted=true&channel=web",
        )
        .await;
    assert_eq!(filtered.status, 422, "{}", filtered.body);
    assert!(filtered.body.contains("weighted"));

    // The dashboard shows both, labelled; the XLSX has a sheet of them.
    let page = app.get_as(&leader, "/rounds/test-round").await.body;
    let section = page.split(r#"data-testid="weighted""#).nth(1).unwrap();
    assert!(section.contains(domain::i18n::Lang::Vi.texts().weighted_heading));
    let row = section.split(r#"data-criterion="A1""#).nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("84,00") && row.contains("79,09") && row.contains("67,98"),
        "{row}"
    );
    let bytes = app
        .get_bytes(
            &leader,
            "/api/v1/rounds/test-round/indices.xlsx?weighted=true",
        )
        .await;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::{DataType, Reader};
    let sheet = book.worksheet_range("weighted").unwrap();
    let a1_row = sheet
        .rows()
        .find(|r| r.first().map(|c| c.to_string()) == Some("A1".to_owned()))
        .unwrap();
    assert_eq!((a1_row[2].as_f64().unwrap() * 100.0).round() / 100.0, 79.09);

    // Emptying every field stops weighting.
    app.post_form_as(
        &staff,
        "/sf/rounds/populations",
        &populations_form(
            "respondent_type",
            &[
                ("doanh-nghiep", ""),
                ("ca-nhan", ""),
                ("co-quan-phoi-hop", ""),
            ],
        ),
    )
    .await;
    assert_eq!(app.count("round_populations").await, 0);
    assert!(weighted().await.json().get("weighted").is_none());
}
