//! Per-dossier rating: dossiers in from the one-stop software (all or
//! nothing, once per code), the rating link (once per dossier, whatever
//! races, without JavaScript), the counter kiosk, figures hidden below the
//! threshold, and the tallies against a recount.

use axum::body::Body;
use chrono::{Duration, Utc};
use domain::model::{NewDossierRating, RatingLevel, RatingReason, RatingSource, Role, Scope};
use domain::services::dossiers::{self, ingest, kiosk, rating};
use hailong_tests::{Browser, Reply, TestApp};
use http::{Request, header};
use serde_json::{Value, json};

pub(crate) async fn sender_token(app: &TestApp) -> String {
    app.token("one-stop", Role::Staff, &[Scope::DossiersWrite])
        .await
        .1
}

pub(crate) async fn post_dossiers(app: &TestApp, token: &str, dossiers: Value) -> Reply {
    post_raw(app, token, json!({ "dossiers": dossiers }).to_string()).await
}

/// Sends `body` as it is to the dossier route with `token`.
async fn post_raw(app: &TestApp, token: &str, body: String) -> Reply {
    app.send(
        Request::post("/api/v1/dossiers")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn vietnam(at: chrono::DateTime<Utc>) -> String {
    at.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A dossier of `procedure` received ten days ago and completed yesterday, on time.
pub(crate) fn completed(code: &str, procedure: &str) -> Value {
    let now = Utc::now();
    json!({
        "code": code,
        "procedure": procedure,
        "channel": "counter",
        "received_at": vietnam(now - Duration::days(10)),
        "due_at": vietnam(now + Duration::days(2)),
        "completed_at": vietnam(now - Duration::days(1)),
        "result": "granted",
        "phone": "0905 123 456"
    })
}

pub(crate) fn key_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_owned()
}

async fn assert_tallies_match(app: &TestApp) {
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
}

fn good(level: RatingLevel) -> NewDossierRating {
    NewDossierRating {
        level: Some(level),
        reasons: vec![RatingReason::StaffAttitude],
        trips: Some(1),
        comment: String::new(),
    }
}

#[tokio::test]
async fn a_batch_with_one_bad_row_stores_nothing_and_names_the_row() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let mut bad = completed("HS-2", "XX-99");
    bad["completed_at"] = json!(vietnam(Utc::now() - Duration::days(20)));
    let reply = post_dossiers(
        &app,
        &token,
        json!([completed("HS-1", "LD-01"), bad, completed("HS-3", "DT-01")]),
    )
    .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["stored"], false);
    let problems: Vec<(u64, String)> = body["problems"]
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
        vec![(2, "completed_at".to_owned()), (2, "procedure".to_owned())]
    );
    assert_eq!(app.count("dossiers").await, 0);
    assert_eq!(app.count("dossier_contacts").await, 0);
    assert_eq!(app.count("dossier_counts").await, 0);

    // Other kinds of bad entries, each named.
    let mut unreadable = completed("HS-4", "LD-01");
    unreadable["received_at"] = json!("hôm qua");
    let mut wrong_channel = completed("HS-5", "LD-01");
    wrong_channel["channel"] = json!("fax");
    let mut future = completed("HS-6", "LD-01");
    future["completed_at"] = json!(vietnam(Utc::now() + Duration::days(3)));
    let reply = post_dossiers(
        &app,
        &token,
        json!([
            unreadable,
            wrong_channel,
            future,
            completed("HS-7", "LD-01"),
            completed("HS-7", "LD-01")
        ]),
    )
    .await;
    assert_eq!(reply.status, 422);
    let fields: Vec<String> = reply.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}:{}", p["line"], p["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        ["1:received_at", "2:channel", "3:completed_at", "5:code"]
    );
    assert_eq!(app.count("dossiers").await, 0);

    // More than 1,000 entries are refused before anything is read.
    let many: Vec<Value> = (0..1001)
        .map(|i| completed(&format!("HS-{i}"), "LD-01"))
        .collect();
    let reply = post_dossiers(&app, &token, json!(many)).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(app.count("dossiers").await, 0);
}

#[tokio::test]
async fn the_same_batch_twice_is_stored_once_and_a_dossier_completes_later() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let mut open = completed("HS-OPEN", "LD-01");
    open.as_object_mut().unwrap().remove("completed_at");
    let batch = json!([completed("HS-1", "LD-01"), completed("HS-2", "DT-01"), open]);
    let first = post_dossiers(&app, &token, batch.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let second = post_dossiers(&app, &token, batch).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(app.count("dossiers").await, 3);
    let outcomes = |reply: &Reply| -> Vec<String> {
        reply.json()["dossiers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["outcome"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(outcomes(&first), ["added", "added", "added"]);
    assert_eq!(outcomes(&second), ["unchanged", "unchanged", "unchanged"]);
    // The same link both times; none for the dossier still being handled.
    assert_eq!(
        first.json()["dossiers"][0]["rating_url"],
        second.json()["dossiers"][0]["rating_url"]
    );
    assert!(first.json()["dossiers"][2]["rating_url"].is_null());
    // Only completed dossiers count, each once.
    assert_eq!(
        app.scalar("SELECT CAST(SUM(completed) AS BIGINT) FROM dossier_counts")
            .await,
        2
    );

    // Sent again with its completion, the open one completes and gets its link.
    let third = post_dossiers(&app, &token, json!([completed("HS-OPEN", "LD-01")])).await;
    assert_eq!(third.status, 200, "{}", third.body);
    assert_eq!(outcomes(&third), ["completed"]);
    assert!(
        third.json()["dossiers"][0]["rating_url"]
            .as_str()
            .unwrap()
            .contains("/r/D-")
    );
    assert_eq!(
        app.scalar("SELECT CAST(SUM(completed) AS BIGINT) FROM dossier_counts")
            .await,
        3
    );
    // A completed dossier does not change.
    let mut changed = completed("HS-1", "LD-01");
    changed["channel"] = json!("online");
    let refused = post_dossiers(&app, &token, json!([changed])).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json()["problems"][0]["field"], "channel");
    // The one-stop software can ask for the link again, and print its QR code.
    let link = app
        .send(
            Request::get("/api/v1/dossiers/HS-1/rating-link")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(link.status, 200, "{}", link.body);
    assert_eq!(
        link.json()["rating_url"],
        first.json()["dossiers"][0]["rating_url"]
    );
    let key = key_of(link.json()["rating_url"].as_str().unwrap());
    let qr = app.get(&format!("/api/v1/ratings/{key}/qr.svg")).await;
    assert_eq!(qr.status, 200);
    assert!(qr.body.contains("<svg"));
    assert_eq!(
        app.get("/api/v1/ratings/D-2222-2222-2222/qr.svg")
            .await
            .status,
        404
    );
    assert_tallies_match(&app).await;
}

#[tokio::test]
async fn the_same_batch_sent_twice_at_once_is_stored_once() {
    // The one-stop software may send a batch again while the first sending
    // is still being stored (its request timed out): both are answered, the
    // dossiers are stored once, counted once and notified once.
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let batch = json!(
        (0..300)
            .map(|i| completed(
                &format!("HS-{i:04}"),
                if i % 2 == 0 { "LD-01" } else { "DT-01" }
            ))
            .collect::<Vec<_>>()
    );
    let (first, second) = tokio::join!(
        post_dossiers(&app, &token, batch.clone()),
        post_dossiers(&app, &token, batch)
    );
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(app.count("dossiers").await, 300);
    assert_eq!(app.count("dossier_contacts").await, 300);
    assert_eq!(notices(&app, "sms").await, 300);
    assert_eq!(
        app.scalar("SELECT CAST(SUM(completed) AS BIGINT) FROM dossier_counts")
            .await,
        300
    );
    // Each dossier was added by one of the two sendings and left unchanged
    // by the other, with the same rating link in both answers.
    let (first, second) = (first.json(), second.json());
    for i in 0..300 {
        let (a, b) = (&first["dossiers"][i], &second["dossiers"][i]);
        let mut outcomes = [
            a["outcome"].as_str().unwrap(),
            b["outcome"].as_str().unwrap(),
        ];
        outcomes.sort();
        assert_eq!(outcomes, ["added", "unchanged"], "entry {i}");
        assert_eq!(a["rating_url"], b["rating_url"], "entry {i}");
    }
    assert_tallies_match(&app).await;
}

#[tokio::test]
async fn two_batches_of_the_same_codes_in_opposite_orders_are_both_stored() {
    // Two sendings of the same new dossiers, one in the reverse order of the
    // other, at once: on PostgreSQL each waits for the other's rows, so they
    // must take them in the same order or one of them is killed as a
    // deadlock. The same holds when both complete the same stored dossiers.
    // A full batch, three times over, so that the two overlap for certain.
    const SIZE: usize = 1_000;
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    for round in 0..3 {
        let code = |i: usize| format!("HS-{round}-{i:04}");
        let open = |i: usize| {
            let mut entry = completed(&code(i), "LD-01");
            entry["completed_at"] = Value::Null;
            entry
        };
        // Both orders at once; both must be stored.
        let both_ways = |forward: Vec<Value>| {
            let backward: Vec<Value> = forward.iter().rev().cloned().collect();
            let (app, token) = (&app, &token);
            async move {
                let (first, second) = tokio::join!(
                    post_dossiers(app, token, json!(forward)),
                    post_dossiers(app, token, json!(backward))
                );
                assert_eq!(first.status, 200, "round {round}: {}", first.body);
                assert_eq!(second.status, 200, "round {round}: {}", second.body);
                (first, second)
            }
        };
        both_ways((0..SIZE).map(open).collect()).await;
        let (first, second) =
            both_ways((0..SIZE).map(|i| completed(&code(i), "LD-01")).collect()).await;
        // Each dossier was completed by one sending and left unchanged by
        // the other; the receipts follow each request's own order.
        let (first, second) = (first.json(), second.json());
        for i in 0..SIZE {
            let (a, b) = (&first["dossiers"][i], &second["dossiers"][SIZE - 1 - i]);
            assert_eq!(a["code"], code(i));
            assert_eq!(a["code"], b["code"]);
            let mut outcomes = [
                a["outcome"].as_str().unwrap(),
                b["outcome"].as_str().unwrap(),
            ];
            outcomes.sort();
            assert_eq!(
                outcomes,
                ["completed", "unchanged"],
                "round {round}, entry {i}"
            );
        }
    }
    let all = 3 * SIZE as i64;
    assert_eq!(app.count("dossiers").await, all);
    assert_eq!(app.count("dossier_contacts").await, all);
    assert_eq!(notices(&app, "sms").await, all);
    assert_eq!(
        app.scalar("SELECT CAST(SUM(completed) AS BIGINT) FROM dossier_counts")
            .await,
        all
    );
    assert_tallies_match(&app).await;
}

#[tokio::test]
async fn a_full_batch_larger_than_an_ordinary_request_is_taken_from_a_dossier_sender_only() {
    // A full batch with e-mail addresses is over the 256 KB an ordinary
    // request may send; the dossier route takes up to 2 MB, and only from a
    // token that may send dossiers.
    let app = TestApp::with_open_round().await;
    let batch: Vec<Value> = (0..1_000)
        .map(|i| {
            let mut entry = completed(&format!("HS-BIG-{i:04}"), "LD-01");
            entry["phone"] = Value::Null;
            entry["email"] = json!(format!(
                "phong-hanh-chinh-tong-hop.cong-ty-co-phan-so-{i:04}@khu-kinh-te.example.vn"
            ));
            entry
        })
        .collect();
    let body = json!({ "dossiers": batch }).to_string();
    assert!(body.len() > 256 * 1024, "{} bytes", body.len());

    let reader = app
        .token("reports", Role::Staff, &[Scope::FeedbackRead])
        .await
        .1;
    let refused = post_raw(&app, &reader, body.clone()).await;
    assert_eq!(refused.status, 413, "{}", refused.body);
    assert_eq!(app.count("dossiers").await, 0);

    let sender = sender_token(&app).await;
    let taken = post_raw(&app, &sender, body.clone()).await;
    assert_eq!(taken.status, 200, "{}", taken.body);
    assert_eq!(app.count("dossiers").await, 1_000);
    assert_eq!(notices(&app, "email").await, 1_000);

    // Over 2 MB (the same batch, padded with spaces JSON allows) is
    // refused unread, even from the sender.
    let padded = format!("{body}{}", " ".repeat(2 * 1024 * 1024));
    let too_large = post_raw(&app, &sender, padded).await;
    assert_eq!(too_large.status, 413, "{}", too_large.body);
    assert_eq!(app.count("dossiers").await, 1_000);
}

#[tokio::test]
async fn two_concurrent_ratings_of_one_dossier_store_one() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let reply = post_dossiers(&app, &token, json!([completed("HS-1", "LD-01")])).await;
    let key = key_of(reply.json()["dossiers"][0]["rating_url"].as_str().unwrap());
    let now = Utc::now();
    let (first, second) = (
        good(RatingLevel::VerySatisfied),
        good(RatingLevel::Unsatisfied),
    );
    let (a, b) = tokio::join!(
        rating::rate(&app.db, &key, &first, RatingSource::Link, now),
        rating::rate(&app.db, &key, &second, RatingSource::Kiosk, now),
    );
    let mut outcomes = vec![a.unwrap(), b.unwrap()];
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(
        outcomes,
        [
            rating::RateOutcome::AlreadyRated,
            rating::RateOutcome::Stored
        ]
    );
    assert_eq!(app.count("dossier_ratings").await, 1);
    assert_eq!(
        app.scalar("SELECT CAST(SUM(rated) AS BIGINT) FROM dossier_counts")
            .await,
        1
    );
    assert_tallies_match(&app).await;
}

#[tokio::test]
async fn the_rating_page_works_without_javascript_and_shows_nothing_personal() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let reply = post_dossiers(&app, &token, json!([completed("HS-PRIVATE-1", "LD-01")])).await;
    let url = reply.json()["dossiers"][0]["rating_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = key_of(&url);
    let path = format!("/r/{key}");
    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"data-testid="rating-form""#));
    assert!(page.body.contains("Cấp giấy phép lao động"));
    assert!(!page.body.contains("HS-PRIVATE-1") && !page.body.contains("0905"));

    // No level: the form comes back with the message next to the field and the comment kept.
    let browser = Browser::anonymous();
    let fields = |level: &str| {
        vec![
            ("key".to_owned(), key.clone()),
            ("level".to_owned(), level.to_owned()),
            ("reasons[waiting-time]".to_owned(), "on".to_owned()),
            ("trips".to_owned(), "3".to_owned()),
            ("comment".to_owned(), "Phải chờ lâu ở quầy số 2.".to_owned()),
        ]
    };
    let refused = app
        .post_form_as(&browser, "/sf/dossiers/rate", &fields(""))
        .await;
    assert!(
        refused.location().starts_with(&path),
        "{}",
        refused.location()
    );
    let again = app
        .get_as(&browser.after(&refused), &refused.location())
        .await;
    assert!(again.body.contains(r#"id="level-error""#), "{}", again.body);
    assert!(again.body.contains("Phải chờ lâu ở quầy số 2."));
    assert_eq!(app.count("dossier_ratings").await, 0);

    let stored = app
        .post_form_as(&browser, "/sf/dossiers/rate", &fields("khong-hai-long"))
        .await;
    assert!(
        stored.location().contains("done=1"),
        "{}",
        stored.location()
    );
    let thanks = app.get(&stored.location()).await;
    assert!(thanks.body.contains(r#"data-testid="rating-thanks""#));
    // Once only: the link now says it was rated.
    let twice = app
        .post_form_as(&browser, "/sf/dossiers/rate", &fields("rat-hai-long"))
        .await;
    assert!(!twice.location().contains("done=1"));
    assert!(
        app.get(&path)
            .await
            .body
            .contains(r#"data-testid="rating-already""#)
    );
    assert_eq!(app.count("dossier_ratings").await, 1);
    assert_eq!(
        app.scalar("SELECT CAST(level AS BIGINT) FROM dossier_ratings")
            .await,
        1
    );
    // The comment became a feedback item of the dossier's procedure that does not name the dossier.
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM feedback_items WHERE channel = 'dossier-rating' AND content LIKE 'Phải chờ lâu%' AND response_id IS NULL")
            .await,
        1
    );
    // An unknown key is not found.
    let unknown = app.get("/r/D-2222-2222-2222").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains(r#"data-testid="rating-unknown""#));
    assert_tallies_match(&app).await;
}

#[tokio::test]
async fn a_rating_link_expires_after_the_period_set_by_admins() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let mut old = completed("HS-OLD", "LD-01");
    old["received_at"] = json!(vietnam(Utc::now() - Duration::days(40)));
    old["due_at"] = json!(vietnam(Utc::now() - Duration::days(30)));
    old["completed_at"] = json!(vietnam(Utc::now() - Duration::days(20)));
    let reply = post_dossiers(&app, &token, json!([old])).await;
    let key = key_of(reply.json()["dossiers"][0]["rating_url"].as_str().unwrap());
    // Thirty days by default: still open.
    assert!(
        app.get(&format!("/r/{key}"))
            .await
            .body
            .contains(r#"data-testid="rating-form""#)
    );
    // An admin shortens it to 14 days; a bad value changes nothing.
    let admin = app.sign_in(Role::Admin, &[]).await;
    let bad = app
        .post_form_as(
            &admin,
            "/sf/dossiers/rating-days",
            &[("rating_days".to_owned(), "0".to_owned())],
        )
        .await;
    let page = app.get_as(&admin.after(&bad), "/dossiers").await;
    assert!(
        page.body.contains(r#"id="rating-days-error""#),
        "{}",
        page.body
    );
    assert_eq!(dossiers::rating_days(&app.db).await.unwrap(), 30);
    app.post_form_as(
        &admin,
        "/sf/dossiers/rating-days",
        &[("rating_days".to_owned(), "14".to_owned())],
    )
    .await;
    assert_eq!(dossiers::rating_days(&app.db).await.unwrap(), 14);
    assert!(
        app.get(&format!("/r/{key}"))
            .await
            .body
            .contains(r#"data-testid="rating-expired""#)
    );
    let outcome = rating::rate(
        &app.db,
        &key,
        &good(RatingLevel::Satisfied),
        RatingSource::Link,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(outcome, rating::RateOutcome::Expired);
    assert_eq!(app.count("dossier_ratings").await, 0);
}

/// Stores 3 completed dossiers of LD-01 (QLDN) and 12 of DT-01 (QLDT),
/// their codes starting with `prefix`, and rates entry `i` at `level(i)`.
async fn rate_three_and_twelve(app: &TestApp, prefix: &str, level: impl Fn(usize) -> RatingLevel) {
    let token = sender_token(app).await;
    let batch: Vec<Value> = (0..3)
        .map(|i| completed(&format!("{prefix}LD-{i}"), "LD-01"))
        .chain((0..12).map(|i| completed(&format!("{prefix}DT-{i}"), "DT-01")))
        .collect();
    let reply = post_dossiers(app, &token, json!(batch)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    for (i, dossier) in reply.json()["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let key = key_of(dossier["rating_url"].as_str().unwrap());
        let outcome = rating::rate(
            &app.db,
            &key,
            &good(level(i)),
            RatingSource::Link,
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(outcome, rating::RateOutcome::Stored);
    }
}

#[tokio::test]
async fn no_rating_figure_below_the_threshold_is_shown() {
    let app = TestApp::with_open_round().await;
    // 3 dossiers of LD-01 (QLDN), 12 of DT-01 (QLDT): all rated, one in five unsatisfied.
    rate_three_and_twelve(&app, "", |i| {
        if i % 5 == 0 {
            RatingLevel::Unsatisfied
        } else {
            RatingLevel::Satisfied
        }
    })
    .await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    let figures = app.get_as(&leader, "/api/v1/dossiers/figures").await;
    assert_eq!(figures.status, 200, "{}", figures.body);
    let figures = figures.json();
    let procedure = |code: &str| {
        figures["by_procedure"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == code)
            .cloned()
            .unwrap()
    };
    let small = procedure("LD-01");
    assert_eq!(small["suppressed"], true);
    assert_eq!(small["rated"], 3);
    for hidden in [
        "satisfied",
        "satisfied_share",
        "satisfied_interval",
        "levels",
        "average_trips",
    ] {
        assert!(
            small[hidden].is_null(),
            "{hidden} of a procedure with 3 ratings"
        );
    }
    let large = procedure("DT-01");
    assert_eq!(large["suppressed"], false);
    // 12 ratings, two of them (batch entries 6 and 11) unsatisfied.
    assert_eq!(large["satisfied"], 10);
    assert_eq!(figures["total"]["completed"], 15);
    assert_eq!(figures["total"]["rated_share"], 100.0);
    assert_eq!(figures["total"]["on_time_share"], 100.0);
    // The page and the CSV hide the same figures.
    let page = app.get_as(&leader, "/dossiers").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ẩn (ít đánh giá)"));
    let csv =
        String::from_utf8(app.get_bytes(&leader, "/api/v1/dossiers/figures.csv").await).unwrap();
    // Every cell is quoted; no label here holds a comma.
    let ld = csv
        .lines()
        .find(|l| l.starts_with("\"procedure\",\"LD-01\""))
        .unwrap_or_else(|| panic!("{csv}"));
    let cells: Vec<&str> = ld.split(',').map(|c| c.trim_matches('"')).collect();
    assert_eq!(cells[4], "3", "{ld}");
    assert_eq!(cells[6], "", "satisfied hidden: {ld}");
    // So does the XLSX, whose numbers are numbers.
    let bytes = app
        .get_bytes(&leader, "/api/v1/dossiers/figures.xlsx")
        .await;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::{DataType, Reader};
    let sheet = book.worksheet_range("procedure").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .nth(2)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header[..6],
        [
            "key",
            "label",
            "completed",
            "rated",
            "rated_share",
            "satisfied"
        ]
    );
    let line = |code: &str| {
        sheet
            .rows()
            .find(|r| r.first().map(|c| c.to_string()).as_deref() == Some(code))
            .unwrap_or_else(|| panic!("{code} in the procedure sheet"))
            .to_vec()
    };
    let ld = line("LD-01");
    assert_eq!(ld[3].as_f64(), Some(3.0));
    assert!(ld[5].is_empty(), "satisfied hidden: {:?}", ld[5]);
    assert_eq!(line("DT-01")[5].as_f64(), Some(10.0));
    assert!(page.body.contains("/api/v1/dossiers/figures.xlsx?year="));
    assert_tallies_match(&app).await;
}

#[tokio::test]
async fn a_dossier_file_is_imported_all_or_nothing() {
    let app = TestApp::with_open_round().await;
    let actor = domain::services::audit::Actor::cli();
    let file = "code,procedure,channel,received_at,due_at,completed_at,result,phone\n\
                HS-A,LD-01,truc-tiep,2026-11-02 08:00,2026-11-10 17:00,2026-11-09 10:00,granted,0905123456\n\
                HS-B,LD-01,online,2026-11-03 08:00,,2026-11-04 10:00,refused,12345\n";
    let batch = ingest::import_file(
        &app.db,
        &actor,
        "dossiers.csv",
        file.as_bytes().to_vec(),
        "",
        domain::i18n::Lang::Vi,
    )
    .await
    .unwrap();
    assert!(!batch.stored);
    assert_eq!(batch.problems.len(), 1);
    assert_eq!(
        (batch.problems[0].line, batch.problems[0].field.as_str()),
        (3, "phone")
    );
    assert_eq!(app.count("dossiers").await, 0);
    let fixed = file.replace(",12345", ",");
    let batch = ingest::import_file(
        &app.db,
        &actor,
        "dossiers.csv",
        fixed.into_bytes(),
        "",
        domain::i18n::Lang::Vi,
    )
    .await
    .unwrap();
    assert!(batch.stored, "{:?}", batch.problems);
    assert_eq!(app.count("dossiers").await, 2);
    // The contact is kept apart, only where one was given.
    assert_eq!(app.count("dossier_contacts").await, 1);
    // November, on time for HS-A, no due date for HS-B.
    for (sum, expected) in [("completed", 2), ("with_due_date", 1), ("on_time", 1)] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT CAST(SUM({sum}) AS BIGINT) FROM dossier_counts WHERE year = 2026 AND month = 11"
            ))
            .await,
            expected,
            "{sum}"
        );
    }
    assert_tallies_match(&app).await;
}

#[tokio::test]
async fn a_dossier_contact_is_erased_when_its_rating_link_closes() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let mut old = completed("HS-OLD", "LD-01");
    old["received_at"] = json!(vietnam(Utc::now() - Duration::days(60)));
    old["due_at"] = json!(vietnam(Utc::now() - Duration::days(50)));
    old["completed_at"] = json!(vietnam(Utc::now() - Duration::days(40)));
    let reply = post_dossiers(&app, &token, json!([old, completed("HS-NEW", "LD-01")])).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(app.count("dossier_contacts").await, 2);
    let purged = domain::services::retention::purge(&app.db, Utc::now(), false)
        .await
        .unwrap();
    assert_eq!(purged.dossier_contacts, 1);
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM dossier_contacts c JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = 'HS-NEW'").await,
        1
    );
}

/// The value of `attr="…"` in the tag holding `marker` (or after it) in `html`.
fn attribute_after(html: &str, marker: &str, attr: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    let from = html[..at].rfind('<').unwrap_or(at);
    let rest = &html[from..];
    let start = rest.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    rest[start..][..rest[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_counter_kiosk_takes_one_tap_for_the_dossier_handed_over_and_resets() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let batch = json!([completed("HS-K-1", "LD-01"), completed("HS-K-2", "DT-01")]);
    assert_eq!(post_dossiers(&app, &token, batch).await.status, 200);

    // An admin adds the kiosk; a blank name is refused next to the field.
    let admin = app.sign_in(Role::Admin, &[]).await;
    let name = |n: &str| vec![("name".to_owned(), n.to_owned())];
    let blank = app
        .post_form_as(&admin, "/sf/kiosks/add", &name("  "))
        .await;
    let page = app.get_as(&admin.after(&blank), "/dossiers/kiosks").await;
    assert!(page.body.contains(r#"id="name-error""#), "{}", page.body);
    app.post_form_as(&admin, "/sf/kiosks/add", &name("Quầy số 1"))
        .await;
    assert_eq!(app.count("counter_kiosks").await, 1);

    // The officer's page lists it with the tablet's address.
    let officer = app.sign_in(Role::Staff, &["QLDN"]).await;
    let page = app.get_as(&officer, "/dossiers/kiosks").await;
    assert_eq!(page.status, 200);
    let address = attribute_after(&page.body, r#"data-testid="kiosk-address""#, "href");
    let kiosk_path = address[address.find("/kiosk/").unwrap()..].to_owned();
    let kiosk_id = attribute_after(&page.body, "<tr data-kiosk", "data-kiosk");
    // Officers cannot add kiosks.
    assert!(!page.body.contains(r#"id="name""#));

    // Waiting: the tablet reloads itself and shows no rating buttons.
    let screen = app.get(&kiosk_path).await;
    assert_eq!(screen.status, 200);
    assert!(screen.body.contains(r#"data-testid="kiosk-waiting""#));
    assert!(
        screen.body.contains(r#"http-equiv="refresh""#),
        "{}",
        screen.body
    );
    assert!(!screen.body.contains(r#"data-testid="kiosk-form""#));

    // An unknown code, then a good one, handed over from the officer's page.
    let hand = |code: &str| {
        vec![
            ("kiosk".to_owned(), kiosk_id.clone()),
            ("code".to_owned(), code.to_owned()),
        ]
    };
    let unknown = app
        .post_form_as(&officer, "/sf/kiosks/hand-over", &hand("HS-NONE"))
        .await;
    let page = app
        .get_as(&officer.after(&unknown), &unknown.location())
        .await;
    assert!(page.body.contains(r#"id="code-error""#), "{}", page.body);
    assert!(
        page.body
            .contains("Không có hồ sơ đã hoàn thành với mã này.")
    );
    app.post_form_as(&officer, "/sf/kiosks/hand-over", &hand("HS-K-1"))
        .await;

    // The tablet asks for the rating: the procedure, nothing about the person.
    let screen = app.get(&kiosk_path).await;
    assert!(
        screen.body.contains(r#"data-testid="kiosk-form""#),
        "{}",
        screen.body
    );
    assert!(screen.body.contains("Cấp giấy phép lao động"));
    assert!(!screen.body.contains("HS-K-1") && !screen.body.contains("0905"));
    let handover = attribute_after(&screen.body, r#"name="handover""#, "value");
    let tablet = Browser::anonymous();
    let tap = |level: &str| {
        vec![
            (
                "token".to_owned(),
                kiosk_path.trim_start_matches("/kiosk/").to_owned(),
            ),
            ("handover".to_owned(), handover.clone()),
            ("level".to_owned(), level.to_owned()),
        ]
    };
    let stored = app
        .post_form_as(&tablet, "/sf/kiosk/rate", &tap("rat-hai-long"))
        .await;
    assert!(
        stored.location().contains("done=stored"),
        "{}",
        stored.location()
    );
    let thanks = app.get(&stored.location()).await;
    assert!(thanks.body.contains(r#"data-testid="kiosk-thanks""#));
    assert!(thanks.body.contains(r#"data-testid="kiosk-waiting""#));
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM dossier_ratings WHERE source = 'kiosk' AND level = 3")
            .await,
        1
    );
    // A second tap (a double tap, or a stale screen) stores nothing.
    let twice = app
        .post_form_as(&tablet, "/sf/kiosk/rate", &tap("khong-hai-long"))
        .await;
    assert!(
        twice.location().contains("done=not-stored"),
        "{}",
        twice.location()
    );
    assert_eq!(app.count("dossier_ratings").await, 1);
    // A rated dossier cannot be handed over again.
    let rated = app
        .post_form_as(&officer, "/sf/kiosks/hand-over", &hand("HS-K-1"))
        .await;
    let page = app.get_as(&officer.after(&rated), &rated.location()).await;
    assert!(
        page.body.contains("Hồ sơ này đã được đánh giá."),
        "{}",
        page.body
    );

    // The one-stop software hands over through the API; left unanswered
    // for ten minutes, the kiosk clears it and a late tap stores nothing.
    let reply = app
        .send(
            Request::post(format!("/api/v1/kiosks/{kiosk_id}/handover"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(json!({ "code": "HS-K-2" }).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    // Each hand-over is accountable (the refused one left no entry).
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'dossiers.kiosk_hand_over' AND entity_id = '{kiosk_id}'"
        ))
        .await,
        2
    );
    let kiosk_token = kiosk_path.trim_start_matches("/kiosk/");
    let screen = kiosk::screen(&app.db, kiosk_token, Utc::now(), domain::i18n::Lang::Vi)
        .await
        .unwrap()
        .unwrap();
    let waiting = screen.waiting.expect("HS-K-2 waits for its rating");
    assert!(waiting.procedure.contains("đầu tư"));
    let later = Utc::now() + Duration::minutes(kiosk::HANDOVER_MINUTES) + Duration::seconds(1);
    let screen = kiosk::screen(&app.db, kiosk_token, later, domain::i18n::Lang::Vi)
        .await
        .unwrap()
        .unwrap();
    assert!(screen.waiting.is_none());
    let late = kiosk::rate(
        &app.db,
        kiosk_token,
        waiting.handover,
        RatingLevel::Satisfied,
        later,
    )
    .await
    .unwrap();
    assert_eq!(late, Some(kiosk::KioskOutcome::NotStored));
    assert_eq!(app.count("dossier_ratings").await, 1);

    // Removed, the kiosk's address no longer works.
    app.post_form_as(
        &admin,
        "/sf/kiosks/remove",
        &[("kiosk".to_owned(), kiosk_id.clone())],
    )
    .await;
    assert_eq!(app.get(&kiosk_path).await.status, 404);
    assert_tallies_match(&app).await;
}

/// The HTML of the table row whose start tag holds `marker`.
fn row_html<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    let end = at + html[at..].find("</tr>").unwrap();
    &html[at..end]
}

#[tokio::test]
async fn the_months_figures_are_public_and_the_dashboard_shows_the_half_year() {
    use chrono::Datelike;
    let app = TestApp::with_open_round().await;
    // Entries 0, 4, 8 and 12 unsatisfied: one of LD-01's three, three of DT-01's twelve.
    rate_three_and_twelve(&app, "HS-", |i| {
        if i % 4 == 0 {
            RatingLevel::Unsatisfied
        } else {
            RatingLevel::VerySatisfied
        }
    })
    .await;

    // The month's page, for anyone: DT-01 shown, LD-01 (3 ratings) hidden, nothing personal.
    let completed_on = domain::working_days::vietnam_date(Utc::now() - Duration::days(1));
    let (year, month) = (completed_on.year(), completed_on.month());
    let public = app
        .get(&format!("/ratings?year={year}&month={month}"))
        .await;
    assert_eq!(public.status, 200, "{}", public.body);
    assert!(
        public
            .body
            .contains("Kết quả đánh giá việc giải quyết hồ sơ")
    );
    assert_eq!(
        hailong_tests::element_text(&public.body, "data-testid=\"ratings-period\"").as_deref(),
        Some(format!("{month:02}/{year}").as_str())
    );
    let dt = row_html(&public.body, "data-key=\"DT-01\"");
    assert!(dt.contains("75,00"), "9 of 12 satisfied: {dt}");
    let ld = row_html(&public.body, "data-key=\"LD-01\"");
    assert!(ld.contains("Ẩn (ít đánh giá)"), "{ld}");
    assert!(!ld.contains("66,67"), "{ld}");
    for secret in ["0905 123 456", "0905123456", "HS-LD-", "HS-DT-"] {
        assert!(!public.body.contains(secret), "{secret} on the public page");
    }
    let empty = app.get("/ratings?year=2001&month=1").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("data-testid=\"dossiers-none\""));

    // The dashboard of a round of that half-year shows its dossiers beside the index.
    let instrument = domain::services::instruments::find(&app.db, "dvhcc", 1)
        .await
        .unwrap()
        .unwrap();
    let round = domain::services::rounds::create(
        &app.db,
        domain::services::rounds::NewRound {
            slug: "dossier-half".to_owned(),
            title_vi: "Khảo sát nửa năm".to_owned(),
            title_en: "Half-year survey".to_owned(),
            year,
            half: if month <= 6 { 1 } else { 2 },
            instrument_id: instrument.id,
            audience: "businesses,citizens".to_owned(),
            opens_at: None,
            closes_at: None,
            dossiers_handled: None,
        },
    )
    .await
    .unwrap();
    domain::services::rounds::set_status(&app.db, round, domain::model::RoundStatus::Open)
        .await
        .unwrap();
    let leader = app.sign_in(Role::Leader, &[]).await;
    let dashboard = app.get_as(&leader, "/rounds/dossier-half").await;
    assert_eq!(dashboard.status, 200, "{}", dashboard.body);
    let text = |html: &str, id: &str| {
        hailong_tests::element_text(html, &format!("data-testid=\"{id}\"")).unwrap_or_default()
    };
    assert_eq!(text(&dashboard.body, "dossier-completed"), "15");
    // 11 of 15 satisfied.
    assert_eq!(text(&dashboard.body, "dossier-satisfied"), "73,33%");
    let qldn = app
        .get_as(&leader, "/rounds/dossier-half?department=QLDN")
        .await;
    assert_eq!(text(&qldn.body, "dossier-completed"), "3");
    assert_eq!(text(&qldn.body, "dossier-satisfied"), "Ẩn (ít đánh giá)");
    assert_tallies_match(&app).await;
}

/// Rating-link notices queued on `channel`.
async fn notices(app: &TestApp, channel: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'dossier-rating-link' AND channel = '{channel}'"
    ))
    .await
}

#[tokio::test]
async fn a_completed_dossier_with_a_contact_is_sent_its_rating_link_once() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let mut by_mail = completed("HS-THU", "LD-01");
    by_mail["phone"] = Value::Null;
    by_mail["email"] = json!("chu.ho@doanhnghiep.example.vn");
    let by_phone = completed("HS-TIN", "LD-01");
    let mut no_contact = completed("HS-KHONG", "DT-01");
    no_contact["phone"] = Value::Null;
    let mut later = completed("HS-SAU", "DT-01");
    later["phone"] = Value::Null;
    later["email"] = json!("sau.nay@doanhnghiep.example.vn");
    let mut pending = later.clone();
    pending["completed_at"] = Value::Null;
    pending["result"] = Value::Null;
    let batch = json!([by_mail, by_phone, no_contact, pending]);
    let first = post_dossiers(&app, &token, batch.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    // The same batch again queues nothing more.
    assert_eq!(post_dossiers(&app, &token, batch).await.status, 200);
    assert_eq!(notices(&app, "email").await, 1);
    assert_eq!(notices(&app, "sms").await, 1);
    // Completed later: its notice goes then, once.
    let reply = post_dossiers(&app, &token, json!([later])).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(notices(&app, "email").await, 2);

    // Delivered over SMTP: the link in the mail opens the rating form, and rates once.
    let sink = crate::outbox::SmtpSink::start().await;
    let pass = domain::services::outbox::deliver_due(
        &app.db,
        Some(&sink.mailer()),
        Some(crate::outbox::PUBLIC_URL),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(pass.sent, 2);
    let mails = sink.messages();
    let mail = mails
        .iter()
        .find(|m| {
            m.to().and_then(|to| to.first()).and_then(|a| a.address())
                == Some("chu.ho@doanhnghiep.example.vn")
        })
        .expect("the notice of HS-THU");
    assert_eq!(
        mail.subject(),
        Some("Mời Ông/Bà đánh giá việc giải quyết hồ sơ")
    );
    let text = mail.body_text(0).unwrap().into_owned();
    assert!(text.contains("Cấp giấy phép lao động"), "{text}");
    assert!(
        !text.contains("HS-THU"),
        "the dossier's code stays out: {text}"
    );
    let link = text
        .lines()
        .find(|l| l.starts_with(crate::outbox::PUBLIC_URL))
        .unwrap_or_else(|| panic!("a link in {text}"));
    let key = key_of(link);
    let page = app.get(&format!("/r/{key}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-testid=\"rating-form\""));
    let rate = good(RatingLevel::Satisfied);
    let first = rating::rate(&app.db, &key, &rate, RatingSource::Link, Utc::now()).await;
    assert_eq!(first.unwrap(), rating::RateOutcome::Stored);
    let again = rating::rate(&app.db, &key, &rate, RatingSource::Link, Utc::now()).await;
    assert_eq!(again.unwrap(), rating::RateOutcome::AlreadyRated);
    // Delivered, the address is no longer kept with the message.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE channel = 'email' AND recipient IS NOT NULL"
        )
        .await,
        0
    );

    // The text message waits for a gateway; once the rating link has closed,
    // the retention purge withdraws it with the dossier's contact.
    domain::services::retention::purge(&app.db, Utc::now() + Duration::days(60), false)
        .await
        .unwrap();
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'dossier-rating-link' \
             AND channel = 'sms' AND status = 'cancelled' AND recipient IS NULL"
        )
        .await,
        1
    );
    assert_eq!(app.count("dossier_contacts").await, 0);
}

#[tokio::test]
async fn a_persons_erasure_withdraws_their_dossier_notice_not_yet_sent() {
    let app = TestApp::with_open_round().await;
    let token = sender_token(&app).await;
    let mut dossier = completed("HS-XOA", "LD-01");
    dossier["phone"] = json!("0905 777 888");
    let reply = post_dossiers(&app, &token, json!([dossier])).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(notices(&app, "sms").await, 1);
    domain::services::retention::erase_person(
        &app.db,
        &domain::services::audit::Actor::cli(),
        "0905777888",
        "Người nộp hồ sơ yêu cầu xoá số điện thoại",
    )
    .await
    .unwrap();
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'dossier-rating-link' \
             AND status = 'cancelled' AND recipient IS NULL"
        )
        .await,
        1
    );
    assert_eq!(app.count("dossier_contacts").await, 0);
}

#[tokio::test]
async fn the_dossier_counts_are_filled_from_the_tallies_they_replace() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;
    let app = TestApp::with_open_round().await;
    // Back to before migration 33: one row per timeliness, level and trips
    // (migration 24's shape), with rows as that shape held them, then up.
    let single = app.single_connection().await;
    let after_32 = Migrator::migrations().len() as u32 - 32;
    Migrator::down(&single, Some(after_32)).await.unwrap();
    single
        .execute_unprepared(
            "INSERT INTO dossier_tallies (year, month, department_id, procedure_id, channel, \
             on_time, level, trips, count) VALUES \
             (2026, 11, 1, 2, 'truc-tiep', 1, 3, 2, 5), \
             (2026, 11, 1, 2, 'truc-tiep', 0, 1, 0, 2), \
             (2026, 11, 1, 2, 'truc-tiep', 2, 0, 0, 4), \
             (2026, 12, 1, 2, 'truc-tuyen', 1, 0, 0, 1)",
        )
        .await
        .unwrap();
    single
        .execute_unprepared(
            "INSERT INTO dossier_reason_tallies (year, month, department_id, procedure_id, \
             reason, level, count) VALUES \
             (2026, 11, 1, 2, 'waiting-time', 1, 2), \
             (2026, 11, 1, 3, 'waiting-time', 3, 1), \
             (2026, 12, 1, 2, 'guidance', 2, 1)",
        )
        .await
        .unwrap();
    Migrator::up(&single, None).await.unwrap();
    single.close().await.unwrap();
    let counts = |month: i32| {
        format!(
            "SELECT CAST(completed AS BIGINT) || ' ' || CAST(rated AS BIGINT) || ' ' || \
             CAST(level_1 AS BIGINT) || ' ' || CAST(level_2 AS BIGINT) || ' ' || \
             CAST(level_3 AS BIGINT) || ' ' || CAST(with_due_date AS BIGINT) || ' ' || \
             CAST(on_time AS BIGINT) || ' ' || CAST(trips_reported AS BIGINT) || ' ' || \
             CAST(trips_sum AS BIGINT) FROM dossier_counts WHERE year = 2026 AND month = {month}"
        )
    };
    // 11 completed, 7 rated (2 not satisfied, 5 very satisfied), 7 with a
    // due date of which 5 on time, 5 said 2 trips each.
    assert_eq!(app.scalar_text(&counts(11)).await, "11 7 2 0 5 7 5 5 10");
    assert_eq!(app.scalar_text(&counts(12)).await, "1 0 0 0 0 1 1 0 0");
    assert_eq!(app.count("dossier_reason_counts").await, 2);
    assert_eq!(
        app.scalar_text(
            "SELECT CAST(count AS BIGINT) || ' ' || CAST(unsatisfied AS BIGINT) \
             FROM dossier_reason_counts WHERE month = 11 AND reason = 'waiting-time'"
        )
        .await,
        "3 2"
    );
}
