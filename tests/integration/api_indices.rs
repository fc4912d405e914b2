//! Indices from stored answers: the API and the dashboard give the figures
//! of docs/methodology.md, “Formulas”, computed again here from the raw answers; tallies
//! always equal a recount of the raw rows.

use domain::model::Role;
use hailong_tests::{TestApp, element_text};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// docs/methodology.md, “Formulas” worked example, element C (0 = not applicable).
const C1: [i64; 12] = [5, 4, 4, 3, 5, 2, 4, 0, 5, 4, 3, 4];
const C2: [i64; 12] = [4, 4, 3, 3, 5, 2, 4, 5, 5, 0, 3, 4];
const C3: [i64; 12] = [5, 5, 5, 4, 5, 3, 4, 4, 5, 4, 4, 4];

/// Answers of response `i` to the other criteria: a fixed, uneven pattern.
fn other_answer(code: &str, i: usize) -> i64 {
    let seed = code.bytes().map(usize::from).sum::<usize>() + 7 * i;
    [5, 4, 4, 3, 2, 5, 4, 1, 0, 4, 3][seed % 11]
}

const OTHER: [&str; 14] = [
    "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "D1", "D2", "D3", "E1", "E2", "E3",
];

fn responses() -> Vec<Vec<(String, i64)>> {
    (0..12)
        .map(|i| {
            let mut answers = vec![
                ("C1".to_owned(), C1[i]),
                ("C2".to_owned(), C2[i]),
                ("C3".to_owned(), C3[i]),
            ];
            answers.extend(
                OTHER
                    .iter()
                    .map(|code| ((*code).to_owned(), other_answer(code, i))),
            );
            answers
        })
        .collect()
}

async fn submit_all(app: &TestApp) {
    for (i, answers) in responses().into_iter().enumerate() {
        let answers: serde_json::Map<String, Value> = answers
            .into_iter()
            .map(|(code, v)| (code, if v == 0 { Value::Null } else { json!(v) }))
            .collect();
        let reply = app
            .post_json(
                "/api/v1/rounds/test-round/responses",
                &json!({
                    "idempotency_key": format!("r{i}"),
                    "answers": answers,
                    "respondent": {"type": if i % 3 == 0 { "ca-nhan" } else { "doanh-nghiep" }, "department": if i % 2 == 0 { "QLDN" } else { "QLDT" }}
                }),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
}

/// (valid, satisfied, index, mean score) of one criterion, straight from its answers.
fn expected_criterion(code: &str) -> (u64, u64, f64, f64) {
    let values: Vec<i64> = responses()
        .iter()
        .map(|r| r.iter().find(|(c, _)| c == code).unwrap().1)
        .filter(|v| *v > 0)
        .collect();
    let valid = values.len() as u64;
    let satisfied = values.iter().filter(|v| **v >= 4).count() as u64;
    let mean = values.iter().sum::<i64>() as f64 / valid as f64;
    (
        valid,
        satisfied,
        100.0 * satisfied as f64 / valid as f64,
        100.0 * (mean - 1.0) / 4.0,
    )
}

fn expected_elements() -> Vec<(char, f64)> {
    let mut codes: Vec<&str> = OTHER.to_vec();
    codes.extend(["C1", "C2", "C3"]);
    "ABCDE"
        .chars()
        .map(|element| {
            let indices: Vec<f64> = codes
                .iter()
                .filter(|c| c.starts_with(element))
                .map(|c| expected_criterion(c).2)
                .collect();
            (element, indices.iter().sum::<f64>() / indices.len() as f64)
        })
        .collect()
}

fn close(actual: &Value, expected: f64) -> bool {
    (actual.as_f64().unwrap() - expected).abs() < 1e-9
}

#[tokio::test]
async fn indices_follow_the_methodology_formulas() {
    let app = TestApp::with_open_round().await;
    submit_all(&app).await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let reply = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await;
    assert_eq!(reply.status, 200);
    let report = reply.json();
    assert_eq!(report["formula_version"], "sipas-mean-v1");
    assert_eq!(report["n_responses"], 12);

    // The worked example, to two decimals as the methodology prints it.
    let c1 = report["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "C1")
        .unwrap();
    assert_eq!(
        (c1["n_valid"].as_u64(), c1["n_satisfied"].as_u64()),
        (Some(11), Some(8))
    );
    let two = |v: &Value| (v.as_f64().unwrap() * 100.0).round() / 100.0;
    assert_eq!(two(&c1["index"]), 72.73);
    assert_eq!((two(&c1["ci_low"]), two(&c1["ci_high"])), (43.44, 90.25));
    assert_eq!(two(&c1["mean_score"]), 72.73);
    assert_eq!(c1["distribution"], json!([0, 1, 2, 5, 3]));
    let element_c = report["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "C")
        .unwrap();
    assert_eq!(two(&element_c["index"]), 76.01);

    // Every criterion and element, against the formulas computed here.
    for criterion in report["criteria"].as_array().unwrap() {
        let code = criterion["code"].as_str().unwrap();
        let (valid, satisfied, index, mean) = expected_criterion(code);
        assert_eq!(criterion["n_valid"].as_u64(), Some(valid), "{code}");
        assert_eq!(criterion["n_satisfied"].as_u64(), Some(satisfied), "{code}");
        assert!(close(&criterion["index"], index), "{code}");
        assert!(close(&criterion["mean_score"], mean), "{code}");
        let (low, high) = (
            criterion["ci_low"].as_f64().unwrap(),
            criterion["ci_high"].as_f64().unwrap(),
        );
        assert!(
            low <= index && index <= high,
            "{code}: interval must contain the index"
        );
    }
    let elements = expected_elements();
    for (code, index) in &elements {
        let element = report["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["code"] == code.to_string())
            .unwrap();
        assert!(close(&element["index"], *index), "element {code}");
    }
    let overall = elements.iter().map(|(_, i)| i).sum::<f64>() / elements.len() as f64;
    assert!(close(&report["overall"], overall));

    // The dashboard shows the same numbers, written the Vietnamese way.
    let page = app.get_as(&leader, "/rounds/test-round").await;
    assert_eq!(page.status, 200);
    let vi = |v: f64| format!("{v:.2}").replace('.', ",");
    assert_eq!(
        element_text(&page.body, r#"data-testid="overall-index""#),
        Some(vi(overall))
    );
    for (code, index) in &elements {
        let marker = format!(r#"data-element="{code}""#);
        assert_eq!(
            element_text(&page.body, &marker),
            Some(vi(*index)),
            "element {code} on the dashboard"
        );
    }
    assert!(page.body.contains("<svg"), "the element chart is drawn");
    assert!(
        page.body.contains("Mục tiêu 80,00%"),
        "with its target line"
    );
    assert_tallies_match_raw_answers(&app).await;
}

#[tokio::test]
async fn a_round_without_responses_has_no_figures_yet() {
    let app = TestApp::with_open_round().await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let report = app
        .get_as(&staff, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert_eq!(report["n_responses"], 0);
    assert!(report["overall"].is_null());
    assert!(
        report["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["index"].is_null() && c["n_valid"] == 0)
    );
    let page = app.get_as(&staff, "/rounds/test-round?lang=en").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        element_text(&page.body, r#"data-testid="overall-index""#).as_deref(),
        Some("—")
    );
}

#[tokio::test]
async fn unknown_rounds_have_no_indices() {
    let app = TestApp::with_open_round().await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    assert_eq!(
        app.get_as(&leader, "/api/v1/rounds/nope/indices")
            .await
            .status,
        404
    );
    assert_eq!(app.get_as(&leader, "/rounds/nope").await.status, 404);
}

type TallyRow = (i64, i64, i64, i64, String, String, String, i64, i64);

async fn rows(app: &TestApp, sql: &str) -> Vec<TallyRow> {
    let backend = app.db.get_database_backend();
    let result = app
        .db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap();
    result
        .iter()
        .map(|r| {
            (
                r.try_get_by_index(0).unwrap(),
                r.try_get_by_index(1).unwrap(),
                r.try_get_by_index(2).unwrap(),
                r.try_get_by_index(3).unwrap(),
                r.try_get_by_index(4).unwrap(),
                r.try_get_by_index(5).unwrap(),
                r.try_get_by_index(6).unwrap(),
                r.try_get_by_index(7).unwrap(),
                r.try_get_by_index(8).unwrap(),
            )
        })
        .collect()
}

/// Tallies must equal a GROUP BY over the raw answers, row for row.
pub async fn assert_tallies_match_raw_answers(app: &TestApp) {
    let recount = rows(
        app,
        "SELECT CAST(r.round_id AS BIGINT), CAST(a.criterion_id AS BIGINT), \
                CAST(COALESCE(r.department_id, 0) AS BIGINT), CAST(COALESCE(r.procedure_id, 0) AS BIGINT), \
                r.respondent_type, r.channel, COALESCE(r.submission_method, ''), \
                CAST(COALESCE(a.value, 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM answers a JOIN responses r ON r.id = a.response_id \
         WHERE r.excluded = false \
         GROUP BY r.round_id, a.criterion_id, COALESCE(r.department_id, 0), COALESCE(r.procedure_id, 0), \
                  r.respondent_type, r.channel, COALESCE(r.submission_method, ''), COALESCE(a.value, 0) \
         ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
    )
    .await;
    let tallies = rows(
        app,
        "SELECT CAST(round_id AS BIGINT), CAST(criterion_id AS BIGINT), CAST(department_id AS BIGINT), \
                CAST(procedure_id AS BIGINT), respondent_type, channel, submission_method, \
                CAST(level AS BIGINT), CAST(count AS BIGINT) \
         FROM tallies WHERE count <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
    )
    .await;
    assert!(!recount.is_empty(), "the recount must see answers");
    assert_eq!(tallies, recount, "tallies differ from the raw answers");
    let responses = app
        .scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM responses WHERE excluded = false")
        .await;
    let counted = app
        .scalar("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM response_tallies")
        .await;
    assert_eq!(
        responses, counted,
        "response tallies differ from the responses"
    );
}
