//! A round's survey sample drawn from the dossiers completed in its
//! half-year: each department's stratum sized by Yamane's formula, drawn
//! among distinct contacts held, leaving out those who rated or were
//! surveyed in the last 90 days, once per round, with nothing personal in
//! the audit log.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};
use domain::entities::invitation;
use domain::model::{NewDossierRating, RatingLevel, RatingSource, Role, RoundStatus, SamplePlan};
use domain::services::audit::Actor;
use domain::services::dossiers::{rating, sampling};
use domain::services::rounds;
use hailong_tests::TestApp;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::dossiers;

/// 1 December 2026, 08:00 in Vietnam: the draw's "now".
fn december() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap()
}

/// A stratum as compared: department, completed, target, who may be
/// invited, to draw, drawn.
type StratumRow<'a> = (&'a str, u64, u64, Option<u64>, Option<u64>, u64);

fn strata(plan: &SamplePlan) -> Vec<StratumRow<'_>> {
    plan.strata
        .iter()
        .map(|s| {
            (
                s.department.as_str(),
                s.completed,
                s.target,
                s.reachable,
                s.to_draw,
                s.drawn,
            )
        })
        .collect()
}

fn dossier(
    code: &str,
    procedure: &str,
    completed: &str,
    phone: Option<&str>,
    email: Option<&str>,
) -> Value {
    json!({
        "code": code,
        "procedure": procedure,
        "channel": "counter",
        "received_at": "2026-11-01 08:00",
        "due_at": "2026-11-20 17:00",
        "completed_at": completed,
        "result": "granted",
        "phone": phone,
        "email": email,
    })
}

#[tokio::test]
async fn the_sample_drawn_for_a_round_matches_its_strata_sizes() {
    let app = TestApp::with_open_round().await;
    let round = rounds::require(&app.db, "test-round").await.unwrap();
    assert_eq!((round.year, round.half), (2026, 2));
    let token = dossiers::sender_token(&app).await;

    // QLDN: 100 dossiers of the half-year, each with its own phone, and one
    // completed in the half-year before (outside the frame).
    let mut batch: Vec<Value> = (0..100)
        .map(|i| {
            let phone = format!("0905{i:06}");
            dossier(
                &format!("HS-N-{i:03}"),
                "LD-01",
                "2026-11-15 10:00",
                Some(&phone),
                None,
            )
        })
        .collect();
    let mut old = dossier(
        "HS-CU",
        "LD-01",
        "2026-11-15 10:00",
        Some("0905999999"),
        None,
    );
    old["received_at"] = json!("2026-06-01 08:00");
    old["due_at"] = json!("2026-06-20 17:00");
    old["completed_at"] = json!("2026-06-20 10:00");
    batch.push(old);
    // QLDT: six, one without a contact and two of the same person, whose
    // later-sent dossier HS-T-3 was completed first.
    for (code, completed, phone, email) in [
        ("HS-T-0", "2026-11-16 09:00", None, Some("a@dn.example.vn")),
        ("HS-T-1", "2026-11-16 09:00", None, Some("b@dn.example.vn")),
        ("HS-T-2", "2026-11-16 09:00", None, Some("c@dn.example.vn")),
        (
            "HS-T-3",
            "2026-11-12 09:00",
            Some("0914 000 003"),
            Some("C@dn.example.vn"),
        ),
        ("HS-T-4", "2026-11-16 09:00", None, None),
        ("HS-T-5", "2026-11-16 09:00", Some("0914 000 005"), None),
    ] {
        batch.push(dossier(code, "DT-01", completed, phone, email));
    }
    let reply = dossiers::post_dossiers(&app, &token, Value::Array(batch)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    // HS-N-000's holder rated it on 20 November; HS-N-001's was invited to
    // another round on 25 November (the phone written otherwise).
    let rated_key = reply.json()["dossiers"][0]["rating_url"]
        .as_str()
        .map(dossiers::key_of)
        .unwrap();
    let rated_on = Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap();
    let outcome = rating::rate(
        &app.db,
        &rated_key,
        &NewDossierRating {
            level: Some(RatingLevel::Satisfied),
            reasons: vec![],
            trips: None,
            comment: String::new(),
        },
        RatingSource::Link,
        rated_on,
    )
    .await
    .unwrap();
    assert_eq!(outcome, rating::RateOutcome::Stored);
    let other = app.add_round("other-round", RoundStatus::Closed).await;
    invitation::ActiveModel {
        round_id: Set(other.id),
        code: Set("MOI-KHAC-0001".to_owned()),
        name: Set("Công ty TNHH Minh Phát".to_owned()),
        phone: Set(Some("+84 905 000 001".to_owned())),
        created_at: Set(Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    let plan = sampling::plan(&app.db, &round, december()).await.unwrap();
    assert_eq!(
        strata(&plan),
        [
            // ⌈100 / (1 + 100 × 0.05²)⌉ = 80 of 98 reachable.
            ("Phòng Quản lý doanh nghiệp", 100, 80, Some(98), Some(80), 0),
            // ⌈6 / 1.015⌉ = 6, but only 4 distinct people may be invited.
            ("Phòng Quản lý đầu tư", 6, 6, Some(4), Some(4), 0),
        ]
    );
    assert_eq!(
        (plan.without_contact, plan.recently_asked, plan.drawn),
        (Some(1), Some(2), false)
    );

    // The invitations page shows the strata and the button to draw.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let page = app.get_as(&staff, "/rounds/test-round/invitations").await;
    assert!(page.body.contains(r#"data-testid="sample-from-dossiers""#));
    assert!(
        page.body.contains("Chọn mẫu và tạo lời mời (84)"),
        "{}",
        page.body
    );

    let drawn = sampling::draw(&app.db, &Actor::cli(), &round, december())
        .await
        .unwrap();
    assert_eq!(drawn, 84);
    let invited = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(round.id))
        .filter(invitation::Column::DossierId.is_not_null())
        .all(&app.db)
        .await
        .unwrap();
    let mut by_department: BTreeMap<i32, usize> = BTreeMap::new();
    for i in &invited {
        *by_department.entry(i.department_id.unwrap()).or_default() += 1;
    }
    let sizes: Vec<usize> = by_department.values().copied().collect();
    assert_eq!(sizes, [80, 4], "each stratum its size");
    let mut people = HashSet::new();
    for i in &invited {
        let person = i
            .email
            .clone()
            .map(|e| e.to_lowercase())
            .or_else(|| i.phone.clone())
            .unwrap();
        assert!(people.insert(person.clone()), "{person} invited twice");
        assert!(i.name.starts_with("Hồ sơ HS-"), "{}", i.name);
    }
    // A person with several dossiers is drawn by the one completed first.
    let twice: Vec<&str> = invited
        .iter()
        .filter(|i| {
            i.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case("c@dn.example.vn"))
        })
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(twice, ["Hồ sơ HS-T-3"]);
    for recently in ["0905000000", "0905000001", "0905999999"] {
        assert!(
            invited.iter().all(|i| i.phone.as_deref() != Some(recently)),
            "{recently} was rated, surveyed or outside the half-year"
        );
    }
    // Once drawn, the plan is counted in the database: the strata and what
    // was drawn of each, and nothing that needs the contacts.
    let plan = sampling::plan(&app.db, &round, december()).await.unwrap();
    assert!(plan.drawn);
    assert_eq!(
        strata(&plan),
        [
            ("Phòng Quản lý doanh nghiệp", 100, 80, None, None, 80),
            ("Phòng Quản lý đầu tư", 6, 6, None, None, 4),
        ]
    );
    assert_eq!((plan.without_contact, plan.recently_asked), (None, None));

    // Once per round: drawing again is refused and adds nothing, on the page too.
    assert!(matches!(
        sampling::draw(&app.db, &Actor::cli(), &round, december()).await,
        Err(domain::AppError::Conflict { .. })
    ));
    let again = app
        .post_form_as(
            &staff,
            "/sf/rounds/invitations/sample",
            &[("slug".to_owned(), "test-round".to_owned())],
        )
        .await;
    let page = app
        .get_as(&staff.after(&again), "/rounds/test-round/invitations")
        .await;
    assert!(
        page.body.contains("Mẫu của đợt này đã được chọn."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Số người có thể mời chỉ được tính trước khi chọn mẫu.")
    );
    assert!(!page.body.contains("Chọn mẫu và tạo lời mời ("));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM invitations WHERE dossier_id IS NOT NULL")
            .await,
        84
    );
    // The draw is accountable, and its record holds no contact.
    let audit = app
        .scalar_text("SELECT after FROM audit_log WHERE action = 'invitations.sample'")
        .await;
    assert!(audit.contains("\"drawn\":84"), "{audit}");
    assert!(!audit.contains("0905") && !audit.contains("@dn.example.vn"));
}
