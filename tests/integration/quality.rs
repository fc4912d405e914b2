//! Data-quality flags (docs/methodology.md, "Data-quality flags"): the
//! survey form carries a stamp the server signed when it drew it, so that
//! the completion time cannot be faked; speeders, straight-liners and
//! bursts from one network prefix (kept as a keyed hash, never the address)
//! are flagged; staff confirm (the response leaves every figure, tallies
//! and pair sums included) or dismiss, one by one or a whole kind at once;
//! the figures say how many responses are flagged and excluded.

use axum::body::Body;
use chrono::{Duration, Utc};
use domain::model::Role;
use domain::services::responses::{AnswerInput, AnswerValue, Completeness, Submission};
use hailong_tests::{Browser, Reply, TestApp, form_urlencoded};
use http::{Request, header};

/// Every required question answered as the form posts it: `level` for
/// every index criterion (A4 "not applicable" unless all are the same).
fn form(key: &str, level: &str, straight: bool, rendered: Option<&str>) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("slug", "test-round"),
        ("lang", "vi"),
        ("idempotency_key", key),
        ("respondent_type", "doanh-nghiep"),
        ("department", "QLDN"),
        ("procedure", ""),
        ("submission_method", "truc-tuyen"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for code in [
        "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1",
        "E2", "E3", "O1",
    ] {
        let value = if code == "A4" && !straight {
            "na"
        } else if code == "B2" && !straight {
            "3"
        } else {
            level
        };
        fields.push((format!("answers[{code}]"), value.to_owned()));
    }
    if let Some(stamp) = rendered {
        fields.push(("rendered".to_owned(), stamp.to_owned()));
    }
    fields
}

/// Posts the survey form from `address`, as the trusted proxy reports it.
async fn post_from(app: &TestApp, address: &str, fields: &[(String, String)]) -> Reply {
    let browser = Browser::anonymous();
    let mut fields = fields.to_vec();
    fields.push(("csrf_token".to_owned(), browser.csrf.clone()));
    app.send(
        Request::post("/sf/survey/submit")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://localhost/s/test-round")
            .header(header::COOKIE, browser.cookie_header())
            .header("x-forwarded-for", address)
            .body(Body::from(form_urlencoded(&fields)))
            .unwrap(),
    )
    .await
}

fn stamp_of(page: &str) -> String {
    let marker = r#"name="rendered" value=""#;
    let start = page.find(marker).expect("the form carries a stamp") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

async fn trusting_proxy() -> TestApp {
    let mut app = TestApp::with_open_round().await;
    app.router = app.router_with_security(server::SecurityConfig {
        trust_proxy: true,
        ..Default::default()
    });
    app
}

async fn completion_of(app: &TestApp, key: &str) -> Option<i64> {
    let timed = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM responses WHERE idempotency_key = '{key}' AND completion_seconds IS NOT NULL"
        ))
        .await;
    if timed == 0 {
        return None;
    }
    Some(
        app.scalar(&format!(
            "SELECT CAST(completion_seconds AS BIGINT) FROM responses WHERE idempotency_key = '{key}'"
        ))
        .await,
    )
}

#[tokio::test]
async fn the_form_is_timed_only_by_the_stamp_the_server_signed() {
    let app = trusting_proxy().await;
    let page = app.get("/s/test-round").await;
    let stamp = stamp_of(&page.body);
    let (seconds, signature) = stamp.split_once('.').unwrap();
    assert!(
        seconds.parse::<i64>().is_ok() && signature.len() == 64,
        "{stamp}"
    );

    let reply = post_from(
        &app,
        "203.0.113.1",
        &form("genuine", "4", false, Some(&stamp)),
    )
    .await;
    assert_eq!(reply.status, 302, "{}", reply.body);
    let seconds = completion_of(&app, "genuine").await.expect("timed");
    assert!((0..30).contains(&seconds), "{seconds}");

    // A stamp moved back ten minutes keeps its signature, which then fails;
    // no stamp at all is not timed either.
    let (at, signature) = stamp.split_once('.').unwrap();
    let forged = format!("{}.{signature}", at.parse::<i64>().unwrap() - 600);
    post_from(
        &app,
        "203.0.113.2",
        &form("forged", "4", false, Some(&forged)),
    )
    .await;
    post_from(&app, "203.0.113.3", &form("unstamped", "4", false, None)).await;
    assert_eq!(app.count("responses").await, 3);
    assert_eq!(completion_of(&app, "forged").await, None);
    assert_eq!(completion_of(&app, "unstamped").await, None);

    // Staff typing in a paper form are not timed.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let entry = app.get_as(&staff, "/rounds/test-round/entry").await;
    assert_eq!(entry.status, 200);
    assert!(!entry.body.contains(r#"name="rendered""#));
}

/// A web response with `levels` on A1..E3 (and O1 = 4), opened `seconds` ago.
fn timed(levels: &[i64], seconds: i64, key: &str) -> Submission {
    let codes = [
        "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1",
        "E2", "E3",
    ];
    let mut answers: Vec<AnswerInput> = codes
        .iter()
        .zip(levels.iter().cycle())
        .map(|(code, level)| AnswerInput {
            code: (*code).to_owned(),
            value: AnswerValue::Level(*level),
        })
        .collect();
    answers.push(AnswerInput {
        code: "O1".to_owned(),
        value: AnswerValue::Level(4),
    });
    Submission {
        answers,
        respondent_type: Some("doanh-nghiep".to_owned()),
        department: Some("QLDN".to_owned()),
        channel: Some("web".to_owned()),
        idempotency_key: Some(key.to_owned()),
        started_at: Some(Utc::now() - Duration::seconds(seconds)),
        ..Submission::default()
    }
}

fn decide(flags: &[i64], decision: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        ("slug".to_owned(), "test-round".to_owned()),
        ("decision".to_owned(), decision.to_owned()),
    ];
    fields.extend(
        flags
            .iter()
            .map(|id| (format!("flags[{id}]"), "on".to_owned())),
    );
    fields
}

async fn flag_ids(app: &TestApp, kind: &str) -> Vec<i64> {
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM response_flags WHERE kind = '{kind}'"
        ))
        .await;
    let mut ids = Vec::new();
    for offset in 0..n {
        ids.push(
            app.scalar(&format!(
                "SELECT CAST(id AS BIGINT) FROM response_flags WHERE kind = '{kind}' ORDER BY id LIMIT 1 OFFSET {offset}"
            ))
            .await,
        );
    }
    ids
}

#[tokio::test]
async fn doubtful_responses_are_flagged_reviewed_and_confirmed_out_of_the_figures() {
    let app = trusting_proxy().await;
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let submit = |submission: Submission| {
        let db = app.db.clone();
        let round = round.clone();
        async move {
            domain::services::responses::submit(&db, &round, submission, Completeness::Partial)
                .await
                .unwrap()
        }
    };
    // Twelve responses of ten minutes, two of a minute and a half (under a
    // third of the median of ten minutes), one straight-liner.
    for i in 0..12 {
        submit(timed(&[4, 5, 3], 600, &format!("steady-{i}"))).await;
    }
    for i in 0..2 {
        submit(timed(&[4, 2], 90, &format!("fast-{i}"))).await;
    }
    submit(timed(&[5], 620, "straight")).await;
    assert_eq!(flag_ids(&app, "straight-line").await.len(), 1);

    // Five form posts from one /24 raise nothing; the sixth flags all six.
    // Another network's post is left alone.
    for i in 1..=5 {
        post_from(
            &app,
            &format!("198.51.100.{i}"),
            &form(&format!("net-{i}"), "4", false, None),
        )
        .await;
    }
    assert!(flag_ids(&app, "burst").await.is_empty());
    post_from(&app, "198.51.100.6", &form("net-6", "4", false, None)).await;
    post_from(&app, "198.51.101.9", &form("elsewhere", "4", false, None)).await;
    assert_eq!(flag_ids(&app, "burst").await.len(), 6);
    assert_eq!(app.count("responses").await, 22);
    // The network is kept as a keyed hash, never as the address.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM responses WHERE network_hash IS NOT NULL")
            .await,
        7
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(DISTINCT network_hash) FROM responses WHERE network_hash IS NOT NULL"
        )
        .await,
        2
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM responses WHERE network_hash LIKE '198.%' OR network_hash LIKE '%/24'")
            .await,
        0
    );

    // The review page scans for speeders against the median.
    let leader = app.sign_in(Role::Leader, &[]).await;
    let page = app.get_as(&leader, "/rounds/test-round/quality").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("10 phút 0 giây"),
        "the median is ten minutes"
    );
    let speeders = flag_ids(&app, "speeder").await;
    assert_eq!(speeders.len(), 2);
    for kind in ["speeder", "straight-line", "burst"] {
        assert!(page.body.contains(&format!(r#"data-kind="{kind}""#)));
    }
    let before = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert_eq!(before["n_responses"], 22);
    assert_eq!(before["n_flagged"], 9);
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
    // Migration 19 fills the flagged counts from the flags already stored.
    {
        use migrations::{Migrator, MigratorTrait};
        let after_18 = Migrator::migrations().len() as u32 - 18;
        let single = app.single_connection().await;
        Migrator::down(&single, Some(after_18)).await.unwrap();
        Migrator::up(&single, None).await.unwrap();
        single.close().await.unwrap();
        let check = domain::services::tallies::verify(&app.db).await.unwrap();
        assert!(check.matches(), "{:?}", check.differences);
        assert_eq!(
            app.scalar("SELECT CAST(SUM(flagged) AS BIGINT) FROM response_tallies")
                .await,
            9
        );
    }
    // Every flag is on a web response of QLDN: a slice keeps them or none.
    for (slice, flagged) in [("department=QLDN", 9), ("channel=paper", 0)] {
        let part = app
            .get_as(
                &leader,
                &format!("/api/v1/rounds/test-round/indices?{slice}"),
            )
            .await
            .json();
        assert_eq!(part["n_flagged"], flagged, "{slice}");
    }
    assert_eq!(before["n_excluded"], 0);
    let dashboard = app.get_as(&leader, "/rounds/test-round").await;
    assert!(
        dashboard
            .body
            .contains("Phiếu đang gắn cờ (vẫn được tính): 9")
    );

    // Staff of another department may not decide on them: nothing changes.
    let other = app.sign_in(Role::Staff, &["QLDT"]).await;
    let refused = app
        .post_form_as(&other, "/sf/quality/decide", &decide(&speeders, "confirm"))
        .await;
    assert_eq!(refused.status, 403);
    // Nothing ticked is said next to the form.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let reply = app
        .post_form_as(&staff, "/sf/quality/decide", &decide(&[], "confirm"))
        .await;
    let page = app
        .get_as(&staff.after(&reply), "/rounds/test-round/quality")
        .await;
    assert!(page.body.contains("Chưa chọn cờ nào"));

    // The department's officer confirms the speeders: they leave every figure.
    let reply = app
        .post_form_as(&staff, "/sf/quality/decide", &decide(&speeders, "confirm"))
        .await;
    assert_eq!(reply.status, 302);
    let after = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert_eq!(after["n_responses"], 20);
    assert_eq!(after["n_excluded"], 2);
    assert_eq!(after["n_flagged"], 7);
    let speeder = after["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "speeder")
        .unwrap();
    assert_eq!(
        (speeder["open"].as_u64(), speeder["confirmed"].as_u64()),
        (Some(0), Some(2))
    );
    let a1 = |report: &serde_json::Value| {
        report["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "A1")
            .unwrap()["n_valid"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(a1(&before) - a1(&after), 2);
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM responses WHERE excluded AND exclusion_reason LIKE 'speeder:%'"
        )
        .await,
        2
    );

    // A leader dismisses every burst flag at once: still counted.
    let mut bulk = decide(&[], "dismiss");
    bulk.push(("kind".to_owned(), "burst".to_owned()));
    let reply = app.post_form_as(&leader, "/sf/quality/decide", &bulk).await;
    assert_eq!(reply.status, 302);
    let last = app
        .get_as(&leader, "/api/v1/rounds/test-round/indices")
        .await
        .json();
    assert_eq!(last["n_flagged"], 1);
    // The flagged counts kept in the response tallies match a recount.
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
    assert_eq!(last["n_responses"], 20);
    let dismissed = app
        .get_as(&leader, "/rounds/test-round/quality?status=dismissed")
        .await;
    assert_eq!(dismissed.body.matches("data-receipt=").count(), 6);
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('response.flag_confirm', 'response.flag_dismiss')")
            .await
            == 2
    );
    // The flag counts beside every figure come from the flag tallies, which
    // followed each flag raised and decided; a drifted count is found by
    // the check and repaired by the rebuild.
    for tally in last["flags"].as_array().unwrap() {
        let kind = tally["kind"].as_str().unwrap();
        for status in ["open", "confirmed", "dismissed"] {
            let stored = app
                .scalar(&format!(
                    "SELECT COUNT(*) FROM response_flags WHERE kind = '{kind}' AND status = '{status}'"
                ))
                .await;
            assert_eq!(tally[status].as_i64(), Some(stored), "{kind} {status}");
        }
    }
    app.execute(
        "UPDATE flag_tallies SET count = count + 1 WHERE kind = 'burst' AND status = 'dismissed'",
    )
    .await;
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(
        check
            .differences
            .iter()
            .any(|d| d.contains("burst, dismissed")),
        "{:?}",
        check.differences
    );
    domain::services::tallies::rebuild(&app.db).await.unwrap();
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
}

#[tokio::test]
async fn admins_set_the_thresholds_and_a_bad_one_changes_nothing() {
    let app = trusting_proxy().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let rules = |more_than: &str, divisor: &str| {
        vec![
            (
                "rules[speeder_median_divisor]".to_owned(),
                divisor.to_owned(),
            ),
            (
                "rules[straight_line_min_answers]".to_owned(),
                "10".to_owned(),
            ),
            ("rules[burst_more_than]".to_owned(), more_than.to_owned()),
            ("rules[burst_window_minutes]".to_owned(), "10".to_owned()),
        ]
    };
    // A divisor of 1 would call every response a speeder: refused, named,
    // and the burst limit typed beside it is not stored either.
    let reply = app
        .post_form_as(&admin, "/sf/admin/settings/quality", &rules("2", "1"))
        .await;
    assert_eq!(reply.status, 302);
    let page = app.get_as(&admin.after(&reply), "/admin/settings").await;
    assert!(
        page.body
            .contains(r#"id="quality-rule-speeder-median-divisor-error""#)
    );
    assert!(page.body.contains("2 đến 20"), "the bounds are said");
    assert_eq!(
        domain::services::settings::quality_rules(&app.db)
            .await
            .unwrap(),
        domain::model::QualityRules::default()
    );

    let reply = app
        .post_form_as(&admin, "/sf/admin/settings/quality", &rules("2", "3"))
        .await;
    assert_eq!(reply.status, 302);
    assert_eq!(
        domain::services::settings::quality_rules(&app.db)
            .await
            .unwrap()
            .burst_more_than,
        2
    );
    // Now three responses from one network are a burst.
    for i in 1..=2 {
        post_from(
            &app,
            &format!("192.0.2.{i}"),
            &form(&format!("n-{i}"), "4", false, None),
        )
        .await;
    }
    assert!(flag_ids(&app, "burst").await.is_empty());
    post_from(&app, "192.0.2.3", &form("n-3", "4", false, None)).await;
    assert_eq!(flag_ids(&app, "burst").await.len(), 3);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.quality_rules'")
            .await,
        1
    );
}

#[tokio::test]
async fn every_post_of_a_long_burst_is_flagged() {
    let app = trusting_proxy().await;
    // The sixth post makes a burst and flags the five before it; each
    // later one flags itself (the window is counted, not read back).
    for i in 1..=14 {
        post_from(
            &app,
            &format!("203.0.113.{i}"),
            &form(&format!("long-{i}"), "4", false, None),
        )
        .await;
        let expected = if i <= 5 { 0 } else { i };
        assert_eq!(flag_ids(&app, "burst").await.len(), expected, "after {i}");
    }
}
