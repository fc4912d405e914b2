//! The evidence pack of a published round: refused before publication;
//! afterwards one ZIP whose PDF report renders in an independent reader
//! (poppler) with the approved figures, whose XLSX files open in a
//! spreadsheet library, whose charts are SVG and PNG, and whose public
//! links resolve.

use std::io::{Cursor, Read};
use std::process::Command;

use calamine::{DataType, Reader, Xlsx};
use domain::model::Role;
use domain::services::evidence;
use domain::services::responses::{AnswerInput, AnswerValue, Completeness, Submission};
use hailong_tests::TestApp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const CRITERIA: [&str; 18] = [
    "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1", "E2",
    "E3", "O1",
];

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
    // 40 complete responses, O1 following the A criteria: enough for the
    // driver analysis, so the pack carries the matrix too.
    let mut rng = StdRng::seed_from_u64(17);
    for _ in 0..40 {
        let mood: i64 = rng.random_range(-2..=2);
        let submission = Submission {
            answers: CRITERIA
                .iter()
                .map(|code| AnswerInput {
                    code: (*code).to_owned(),
                    value: AnswerValue::Level((3 + mood + rng.random_range(-1..=1)).clamp(1, 5)),
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
    for name in [
        evidence::NOTE,
        evidence::REPORT_PDF,
        evidence::INDICES_XLSX,
        "bieu-do-chi-so-thanh-phan.svg",
        "bieu-do-chi-so-thanh-phan.png",
        "bieu-do-phan-bo-muc-do.svg",
        "bieu-do-phan-bo-muc-do.png",
        "bieu-do-ma-tran-tac-dong.svg",
        "bieu-do-ma-tran-tac-dong.png",
        evidence::FEEDBACK_XLSX,
        evidence::LINKS,
    ] {
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
    assert!(a1.iter().any(|c| c.as_f64() == Some(40.0)), "{a1:?}");
    let mut feedback: Xlsx<_> =
        Xlsx::new(Cursor::new(read("phan-anh-kien-nghi-6-thang.xlsx"))).expect("XLSX opens");
    assert!(!feedback.sheet_names().is_empty());
    let _ = feedback.worksheet_range_at(0).expect("a sheet").unwrap();
    for chart in [
        "bieu-do-chi-so-thanh-phan",
        "bieu-do-phan-bo-muc-do",
        "bieu-do-ma-tran-tac-dong",
    ] {
        let svg = String::from_utf8(read(&format!("{chart}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{chart}");
        let png = image::load_from_memory(&read(&format!("{chart}.png")))
            .unwrap_or_else(|e| panic!("{chart}.png decodes: {e}"))
            .to_luma8();
        assert!(
            png.width() >= 1000,
            "{chart}.png is drawn at twice the SVG's size"
        );
        assert!(
            dark_share(&png) > 0.005,
            "{chart}.png has its bars and text drawn"
        );
    }
    assert_report_renders(&read(evidence::REPORT_PDF));
    let note = String::from_utf8(read("doc-truoc.txt")).unwrap();
    assert!(note.contains("Số phiếu được tính: 40"), "{note}");

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

/// The share of a picture's pixels that are darker than light grey.
fn dark_share(picture: &image::GrayImage) -> f64 {
    let dark = picture.pixels().filter(|p| p.0[0] < 160).count();
    dark as f64 / (picture.width() * picture.height()) as f64
}

/// The report opens in poppler: A4 pages, the approved figures as text (the
/// embedded font maps back to Vietnamese letters), and the first page and
/// a chart page drawn with ink on them.
fn assert_report_renders(pdf: &[u8]) {
    let dir = std::env::temp_dir().join(format!("hailong-pdf-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.pdf");
    std::fs::write(&file, pdf).unwrap();
    let run = |program: &str, args: &[&str]| {
        let output = Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} (poppler-utils, scripts/tools.sh): {e}"));
        assert!(
            output.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let path = file.to_str().unwrap();
    let info = run("pdfinfo", &[path]);
    assert!(info.contains("595.28 x 841.89 pts (A4)"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    assert!(pages >= 3, "{info}");
    let text = run("pdftotext", &[path, "-"]);
    for expected in [
        "BÁO CÁO KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG",
        "Chỉ số hài lòng chung",
        "Số phiếu được tính: 40",
        "Yếu tố tác động đến mức độ hài lòng chung",
        "Ma trận tầm quan trọng",
        "/results/",
        &format!("Trang 1/{pages}"),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} in the report's text:\n{text}"
        );
    }
    let prefix = dir.join("page");
    run(
        "pdftoppm",
        &["-r", "40", "-png", path, prefix.to_str().unwrap()],
    );
    let mut rendered: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    rendered.sort();
    assert_eq!(rendered.len(), pages);
    for page in &rendered {
        let picture = image::open(page).unwrap().to_luma8();
        assert!(
            dark_share(&picture) > 0.002,
            "{} has ink on it",
            page.display()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
