//! The evidence pack of a published round: refused before publication;
//! afterwards one ZIP whose XLSX files open in a spreadsheet library, whose
//! charts are SVG with the approved figures, and whose public links resolve.

use std::io::{Cursor, Read};

use calamine::{DataType, Reader, Xlsx};
use domain::model::Role;
use domain::services::responses::{AnswerInput, AnswerValue, Completeness, Submission};
use hailong_tests::TestApp;

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_published_round_downloads_its_evidence_pack() {
    let app = TestApp::with_open_round().await;
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    for i in 0..30 {
        let submission = Submission {
            answers: ["A1", "B1", "C1", "D1", "E1"]
                .iter()
                .map(|code| AnswerInput {
                    code: (*code).to_owned(),
                    value: AnswerValue::Level(if i % 3 == 0 { 2 } else { 5 }),
                })
                .collect(),
            respondent_type: Some("doanh-nghiep".to_owned()),
            department: Some("QLDN".to_owned()),
            ..Submission::default()
        };
        domain::services::responses::submit(&app.db, &round, submission, Completeness::Partial)
            .await
            .unwrap();
    }
    let leader = app.sign_in(Role::Leader, &[]).await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let early = app
        .get_as(&leader, "/api/v1/rounds/test-round/evidence.zip")
        .await;
    assert_eq!(early.status, 409);
    assert_eq!(early.json()["error"]["code"], "results_not_published");

    app.post_form_as(
        &staff,
        "/sf/rounds/status",
        &fields(&[("slug", "test-round"), ("status", "closed")]),
    )
    .await;
    app.post_form_as(
        &leader,
        "/sf/rounds/status",
        &fields(&[("slug", "test-round"), ("status", "published")]),
    )
    .await;
    let dashboard = app.get_as(&leader, "/rounds/test-round").await;
    assert!(
        dashboard
            .body
            .contains("/api/v1/rounds/test-round/evidence.zip")
    );

    let bytes = app
        .get_bytes(&leader, "/api/v1/rounds/test-round/evidence.zip")
        .await;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP");
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.expect("a readable name").into_owned())
        .collect();
    for name in domain::services::evidence::FILES {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    let mut read = |name: &str| {
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        bytes
    };
    let mut indices: Xlsx<_> = Xlsx::new(Cursor::new(read("chi-so.xlsx"))).expect("XLSX opens");
    let criteria = indices.worksheet_range("criteria").expect("criteria sheet");
    let a1 = criteria
        .rows()
        .find(|row| row.first().is_some_and(|c| *c == "A1"))
        .expect("A1 row");
    assert!(a1.iter().any(|c| c.as_f64() == Some(30.0)), "{a1:?}");
    let mut feedback: Xlsx<_> =
        Xlsx::new(Cursor::new(read("phan-anh-kien-nghi-6-thang.xlsx"))).expect("XLSX opens");
    assert!(!feedback.sheet_names().is_empty());
    let _ = feedback.worksheet_range_at(0).expect("a sheet").unwrap();
    for chart in [
        "bieu-do-chi-so-thanh-phan.svg",
        "bieu-do-phan-bo-muc-do.svg",
    ] {
        let svg = String::from_utf8(read(chart)).unwrap();
        assert!(svg.contains("<svg"), "{chart}");
    }
    let note = String::from_utf8(read("doc-truoc.txt")).unwrap();
    assert!(note.contains("Số phiếu được tính: 30"), "{note}");

    // Every public link resolves, without signing in.
    let links = String::from_utf8(read("lien-ket-cong-khai.txt")).unwrap();
    let mut checked = 0;
    for line in links.lines() {
        let url = line.rsplit(": ").next().unwrap();
        let after_scheme = url.split_once("://").unwrap().1;
        let path = &after_scheme[after_scheme.find('/').unwrap()..];
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{url}");
        checked += 1;
    }
    assert_eq!(checked, 5);
}
