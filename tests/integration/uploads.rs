//! Untrusted spreadsheets cannot take the server down. Each crafted file
//! below is a few kilobytes that, read naively, would make the server
//! allocate gigabytes; each is refused with a 422 that names the limit it
//! broke, nothing is stored, and the server goes on answering.

use std::io::Write;

use domain::model::Role;
use domain::tables::limits;
use hailong_tests::{Browser, TestApp};

/// A minimal XLSX file whose first worksheet and shared strings are the
/// given XML; `padding` bytes of blanks are added inside the worksheet.
fn xlsx(sheet_data: &str, shared_strings: &str, padding: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_owned(),
        ),
        ("xl/sharedStrings.xml", shared_strings.to_owned()),
    ];
    for (name, content) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    )
    .unwrap();
    let blanks = vec![b' '; 1024 * 1024];
    let mut left = padding;
    while left > 0 {
        let n = left.min(blanks.len());
        zip.write_all(&blanks[..n]).unwrap();
        left -= n;
    }
    zip.write_all(sheet_data.as_bytes()).unwrap();
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>name</t></si></sst>"#;

fn cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Uploads `file` as an invitation list from a script; the reply.
async fn upload(app: &TestApp, staff: &Browser, name: &str, file: &[u8]) -> hailong_tests::Reply {
    app.post_upload_accepting(
        staff,
        "/sf/rounds/invitations/import",
        &[("slug", "test-round")],
        name,
        file,
        "application/json",
    )
    .await
}

async fn refused_with(app: &TestApp, staff: &Browser, name: &str, file: &[u8], limit: &str) {
    let reply = upload(app, staff, name, file).await;
    assert_eq!(reply.status, 422, "{name}: {}", reply.body);
    assert!(
        reply.body.contains(limit),
        "{name}: the refusal names the limit {limit:?}: {}",
        reply.body
    );
    assert_eq!(app.count("invitations").await, 0, "{name}: nothing stored");
    // The server is still there.
    assert_eq!(app.get("/healthz").await.status, 200);
}

#[tokio::test]
async fn crafted_spreadsheets_are_refused_by_the_limit_they_break() {
    let app = TestApp::with_open_round().await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let rows = |cells: &str| format!(r#"<row r="1">{}</row>"#, cells);

    // A 1 kB file declaring four billion shared strings.
    let huge_strings = STRINGS.replace(r#"uniqueCount="1""#, r#"uniqueCount="4000000000""#);
    let file = xlsx(&rows(&cell("A1", "name")), &huge_strings, 0);
    assert!(file.len() < 4096);
    refused_with(&app, &staff, "strings.xlsx", &file, "500.000").await;

    // Two cells, at A1 and at the last cell of a sheet (XFD1048576).
    let corners = format!(
        r#"{}<row r="1048576">{}</row>"#,
        rows(&cell("A1", "name")),
        cell("XFD1048576", "x")
    );
    let file = xlsx(&corners, STRINGS, 0);
    refused_with(&app, &staff, "corners.xlsx", &file, "50.000").await;

    // A worksheet that unzips to more than the limit.
    let inflated = (limits::INFLATED_BYTES + 1024 * 1024) as usize;
    let file = xlsx(&rows(&cell("A1", "name")), STRINGS, inflated);
    assert!(file.len() < 1024 * 1024, "{}", file.len());
    refused_with(&app, &staff, "bomb.xlsx", &file, "64 MB").await;

    // The same caps on CSV: too many rows, too many columns.
    let mut long = String::from("name\n");
    for i in 0..=limits::ROWS {
        long.push_str(&format!("Công ty {i}\n"));
    }
    refused_with(&app, &staff, "long.csv", long.as_bytes(), "50.000").await;
    let wide = format!("{}\n", vec!["x"; limits::COLUMNS + 1].join(","));
    refused_with(&app, &staff, "wide.csv", wide.as_bytes(), "200").await;

    // A reasonable file still goes in.
    let reply = upload(
        &app,
        &staff,
        "ok.csv",
        "name,department\nCông ty A,QLDN\n".as_bytes(),
    )
    .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(app.count("invitations").await, 1);
}

#[tokio::test]
async fn a_browser_without_javascript_is_shown_the_limit_on_the_page() {
    let app = TestApp::with_open_round().await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let wide = format!("{}\n", vec!["x"; limits::COLUMNS + 1].join(","));
    let reply = app
        .post_upload_as(
            &staff,
            "/sf/rounds/invitations/import",
            &[("slug", "test-round")],
            "wide.csv",
            wide.as_bytes(),
        )
        .await;
    assert_eq!(reply.status, 302);
    let page = app
        .get_as(&staff.after(&reply), "/rounds/test-round/invitations")
        .await
        .body;
    assert!(page.contains("200"), "{page}");
    assert!(page.contains("cột"));
}
