//! Getting a round to respondents and their answers in: QR codes and the
//! poster, invitation lists and one-use codes, save and resume, staff entry
//! of paper and phone forms, and imports of response files.

use domain::model::Role;
use hailong_tests::{Browser, TestApp, element_text, json_request, send};
use serde_json::json;

fn complete_form(key: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("slug", "test-round"),
        ("lang", "vi"),
        ("idempotency_key", key),
        ("respondent_type", "doanh-nghiep"),
        ("department", "QLDN"),
        ("procedure", ""),
        ("submission_method", "truc-tiep"),
        ("comment", ""),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for code in [
        "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1",
        "E2", "E3", "O1",
    ] {
        fields.push((format!("answers[{code}]"), "4".to_owned()));
    }
    fields
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_owned(), value.to_owned()));
}

#[tokio::test]
async fn the_public_link_comes_as_qr_codes_and_a_printable_poster() {
    let app = TestApp::with_open_round().await;
    let svg = app.get("/api/v1/rounds/test-round/qr.svg").await;
    assert_eq!(svg.status, 200);
    assert_eq!(svg.headers[http::header::CONTENT_TYPE], "image/svg+xml");
    assert!(svg.body.starts_with("<?xml") || svg.body.starts_with("<svg"));
    let png = app
        .send(
            http::Request::get("/api/v1/rounds/test-round/qr.png")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(png.headers[http::header::CONTENT_TYPE], "image/png");
    assert!(png.body.as_bytes().starts_with(b"\x89PNG") || png.body.starts_with("\u{FFFD}PNG"));
    assert_eq!(app.get("/api/v1/rounds/nope/qr.svg").await.status, 404);

    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let poster = app.get_as(&staff, "/rounds/test-round/poster").await;
    assert_eq!(poster.status, 200);
    assert!(poster.body.contains(r#"class="poster""#));
    assert!(poster.body.contains("http://localhost/s/test-round"));
    assert!(poster.body.matches("<svg").count() >= 1);
}

fn invitation_csv(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from("name,tax_code,email,phone,department,procedure\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text.into_bytes()
}

#[tokio::test]
async fn an_invitation_list_with_errors_stores_nothing_and_reports_each_row() {
    let app = TestApp::with_open_round().await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let file = invitation_csv(&[
        "Công ty TNHH Hòa Phát,0101234567,ketoan@hoaphat.vn,0912345678,QLDN,LD-01",
        ",0101234568,,,,",
        "Công ty B,12345,not-an-email,12,NOPE,XX-1",
    ]);
    let reply = app
        .post_upload_as(
            &staff,
            "/sf/rounds/invitations/import",
            &[("slug", "test-round")],
            "danh-sach.csv",
            &file,
        )
        .await;
    assert_eq!(reply.location(), "/rounds/test-round/invitations");
    assert_eq!(
        app.count("invitations").await,
        0,
        "an invalid file stores nothing"
    );
    let page = app
        .get_as(&staff.after(&reply), "/rounds/test-round/invitations")
        .await;
    assert!(page.body.contains(r#"id="import-problems""#));
    for field in [
        "name",
        "tax_code",
        "email",
        "phone",
        "department",
        "procedure",
    ] {
        assert!(
            page.body.contains(&format!("<code>{field}</code>")),
            "{field} is reported"
        );
    }
}

#[tokio::test]
async fn invitations_from_csv_and_xlsx_get_one_use_codes_that_answer_once() {
    let app = TestApp::with_open_round().await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let csv = invitation_csv(&[
        "Công ty A,0101234567,a@congty.vn,0912345678,,LD-01",
        "Bà Nguyễn Thị B,,,,QLDT,",
    ]);
    let reply = app
        .post_upload_as(
            &staff,
            "/sf/rounds/invitations/import",
            &[("slug", "test-round")],
            "a.csv",
            &csv,
        )
        .await;
    assert_eq!(reply.location(), "/rounds/test-round/invitations");

    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in [
        "name",
        "tax_code",
        "email",
        "phone",
        "department",
        "procedure",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "Công ty C").unwrap();
    sheet
        .write_number(1, 1, 102345678.0)
        .unwrap_or_else(|_| panic!());
    sheet.write_string(2, 0, "Công ty D").unwrap();
    sheet.write_string(2, 1, "0201234567-001").unwrap();
    sheet
        .write_string(2, 3, "+84 236 3822 123")
        .unwrap_or_else(|_| panic!());
    let xlsx = workbook.save_to_buffer().unwrap();
    let reply = app
        .post_upload_as(
            &staff,
            "/sf/rounds/invitations/import",
            &[("slug", "test-round")],
            "b.xlsx",
            &xlsx,
        )
        .await;
    assert_eq!(
        app.count("invitations").await,
        2,
        "the XLSX row with a 9-digit tax code refuses the whole file"
    );
    let page = app
        .get_as(&staff.after(&reply), "/rounds/test-round/invitations")
        .await;
    assert!(page.body.contains("<code>tax_code</code>"));
    sheet_fix_and_reimport(&app, &staff).await;
    assert_eq!(app.count("invitations").await, 4);

    let admin = app.sign_in(Role::Admin, &[]).await;
    let list = app
        .get_as(&admin, "/api/v1/rounds/test-round/invitations")
        .await
        .json();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    // Staff of QLDN see the invitations of QLDN only, with their contacts.
    let theirs = app
        .get_as(&staff, "/api/v1/rounds/test-round/invitations")
        .await
        .json();
    let theirs = theirs.as_array().unwrap();
    assert!(!theirs.is_empty() && theirs.len() < 4);
    assert!(
        theirs
            .iter()
            .all(|r| r["department"] == "QLDN" && r["contact_hidden"] == false)
    );
    assert_eq!(
        rows[0]["department"], "QLDN",
        "the procedure gives the department"
    );
    let code = rows[0]["code"].as_str().unwrap().to_owned();
    assert!(code.starts_with("MOI-"));
    assert_eq!(rows[0]["link"], format!("/s/test-round?code={code}"));

    // The personal link fills in the code.
    let form = app.get(&format!("/s/test-round?code={code}")).await;
    assert!(form.body.contains(&format!(r#"value="{code}""#)));

    // 50 submissions at once with one code: one is stored, the others are told why.
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let body = json!({"idempotency_key": format!("k{i}"), "invitation_code": code.to_lowercase(), "answers": {"A1": 5}, "respondent": {"type": "doanh-nghiep"}});
            tokio::spawn(send(app.router.clone(), json_request("/api/v1/rounds/test-round/responses", &body)))
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status.as_u16() {
            201 => stored += 1,
            422 => {
                let fields = reply.json()["error"]["fields"].clone();
                assert_eq!(fields[0]["field"], "invitation_code");
                assert!(
                    fields[0]["message"]
                        .as_str()
                        .unwrap()
                        .contains("already been used")
                );
            }
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert_eq!(stored, 1);
    assert_eq!(app.count("responses").await, 1);
    let list = app
        .get_as(&admin, "/api/v1/rounds/test-round/invitations")
        .await
        .json();
    assert_eq!(list[0]["used"], true);
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let stats = domain::services::rounds::stats(&app.db, &round)
        .await
        .unwrap();
    assert_eq!((stats.invitations, stats.used_invitations), (4, 1));
    // An unknown code is refused by name, and answers exactly as a used
    // one does: trying codes tells nobody which exist.
    let reply = app
        .post_json("/api/v1/rounds/test-round/responses", &json!({"idempotency_key": "x", "invitation_code": "MOI-2222-2222-2222-2222", "answers": {"A1": 5}, "respondent": {"type": "ca-nhan"}}))
        .await;
    assert_eq!(
        reply.json()["error"]["fields"][0]["field"],
        "invitation_code"
    );
    let used = app
        .post_json("/api/v1/rounds/test-round/responses", &json!({"idempotency_key": "y", "invitation_code": code, "answers": {"A1": 5}, "respondent": {"type": "ca-nhan"}}))
        .await;
    assert_eq!(used.status, reply.status);
    assert_eq!(used.json()["error"], reply.json()["error"]);
    // The CSV for mail merge has full links, and formulas are neutralised.
    let csv = app
        .get_as(&admin, "/api/v1/rounds/test-round/invitations.csv")
        .await;
    assert!(
        csv.body
            .contains(&format!("http://localhost/s/test-round?code={code}"))
    );
    assert!(csv.body.contains("'+84 236 3822 123"));
    // The response rate follows: 1 response / 4 invitations.
    let detail = app.get_as(&staff, "/api/v1/rounds/test-round").await.json();
    assert_eq!(detail["stats"]["invitations"], 4);
    assert_eq!(detail["stats"]["response_rate"], 25.0);
    assert_eq!(detail["stats"]["target"], 300);
}

async fn sheet_fix_and_reimport(app: &TestApp, staff: &Browser) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["name", "tax_code", "phone"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "Công ty C").unwrap();
    sheet.write_number(1, 1, 1023456789.0).unwrap();
    sheet.write_string(2, 0, "Công ty D").unwrap();
    sheet.write_string(2, 1, "0201234567-001").unwrap();
    sheet.write_string(2, 2, "+84 236 3822 123").unwrap();
    let xlsx = workbook.save_to_buffer().unwrap();
    let reply = app
        .post_upload_as(
            staff,
            "/sf/rounds/invitations/import",
            &[("slug", "test-round")],
            "c.xlsx",
            &xlsx,
        )
        .await;
    assert_eq!(reply.location(), "/rounds/test-round/invitations");
}

#[tokio::test]
async fn invitations_are_added_through_the_api_all_or_none() {
    let app = TestApp::with_open_round().await;
    let (_, token) = app
        .token("crm", Role::Staff, domain::model::Scope::ALL)
        .await;
    let post = |body: serde_json::Value| {
        let mut request = json_request("/api/v1/rounds/test-round/invitations", &body);
        request.headers_mut().insert(
            http::header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        app.send(request)
    };
    let bad = post(json!({"invitations": [{"name": "A"}, {"name": "", "email": "x"}]})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(app.count("invitations").await, 0);
    let good = post(json!({"invitations": [{"name": "Công ty A", "tax_code": "0101234567"}, {"name": "Công ty B"}]})).await;
    assert_eq!(good.status, 201, "{}", good.body);
    assert_eq!(good.json()["stored"], 2);
    assert_eq!(good.json()["invitations"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_form_saved_for_later_resumes_anywhere_and_submits_once() {
    let app = TestApp::with_open_round().await;
    let mut fields = complete_form("resume-key");
    fields.retain(|(k, _)| {
        !k.starts_with("answers[D") && !k.starts_with("answers[E") && k != "answers[O1]"
    });
    set(&mut fields, "comment", "Sẽ hoàn thành sau");
    set(&mut fields, "intent", "save");
    let reply = app.post_form("/sf/survey/submit", &fields).await;
    let saved_url = reply.location();
    assert!(
        saved_url.starts_with("/s/test-round/saved/NH-"),
        "{saved_url}"
    );
    assert_eq!(app.count("responses").await, 0, "saving is not submitting");
    let code = saved_url
        .trim_start_matches("/s/test-round/saved/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let saved = app.get(&saved_url).await;
    assert_eq!(
        element_text(&saved.body, r#"data-testid="resume-code""#).as_deref(),
        Some(code.as_str())
    );

    // Another device, with the code typed in lower case.
    let resumed = app
        .get(&format!("/s/test-round?draft={}", code.to_lowercase()))
        .await;
    assert!(
        resumed
            .body
            .contains(r#"id="q-A1-4" name="answers[A1]" value="4" checked"#)
    );
    assert!(resumed.body.contains("Sẽ hoàn thành sau"));
    assert!(
        !resumed.body.contains(r#"id="error-summary""#),
        "a saved draft is not an error"
    );
    assert!(
        resumed
            .body
            .contains(&format!(r#"name="draft_code" value="{code}""#))
    );

    // Saving again keeps the code; submitting completes it and retires the code.
    set(&mut fields, "draft_code", &code);
    assert_eq!(
        app.post_form("/sf/survey/submit", &fields).await.location(),
        saved_url
    );
    let mut complete = complete_form("resume-key");
    set(&mut complete, "draft_code", &code);
    let done = app.post_form("/sf/survey/submit", &complete).await;
    assert!(done.location().starts_with("/s/test-round/receipt/"));
    assert_eq!(app.count("responses").await, 1);
    assert_eq!(app.count("response_drafts").await, 0);
    let gone = app.get(&format!("/s/test-round?draft={code}")).await;
    assert!(gone.body.contains("Không tìm thấy phiếu đã lưu"));
}

#[tokio::test]
async fn staff_type_in_paper_and_phone_forms_with_their_channel_and_date() {
    let app = TestApp::with_open_round().await;
    let mut fields = complete_form("paper-1");
    set(&mut fields, "channel", "paper");
    set(&mut fields, "submitted_on", "2026-11-20");
    // A visitor cannot claim a paper form: sign in first.
    assert!(
        app.post_form("/sf/survey/submit", &fields)
            .await
            .location()
            .starts_with("/login?next=")
    );
    assert_eq!(app.count("responses").await, 0);

    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let page = app.get_as(&staff, "/rounds/test-round/entry").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(r#"name="channel""#) && page.body.contains(r#"name="submitted_on""#)
    );
    let reply = app.post_form_as(&staff, "/sf/survey/submit", &fields).await;
    assert!(
        reply
            .location()
            .starts_with("/rounds/test-round/entry?entered=HL-"),
        "{}",
        reply.location()
    );
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM responses WHERE channel = 'paper'")
            .await,
        1
    );
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let stored = domain::services::responses::find_receipt(
        &app.db,
        round.id,
        reply.location().split("entered=").nth(1).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        stored.submitted_at.to_rfc3339(),
        "2026-11-20T05:00:00+00:00",
        "noon, Vietnam time, on the form's date"
    );
    let leader = app.sign_in(Role::Leader, &[]).await;
    assert_eq!(
        app.get_as(&leader, "/rounds/test-round/entry").await.status,
        403,
        "leaders read, staff enter"
    );
}

fn responses_csv(rows: usize, bad_row: Option<usize>) -> Vec<u8> {
    let codes = [
        "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1",
        "E2", "E3", "O1",
    ];
    let mut text = format!(
        "respondent_type,channel,department,procedure,submitted_at,{},comment\n",
        codes.join(",")
    );
    for i in 0..rows {
        let values: Vec<String> = codes
            .iter()
            .enumerate()
            .map(|(j, _)| match (i + j) % 7 {
                0 => String::new(),
                k => ((k % 5) + 1).to_string(),
            })
            .collect();
        let kind = if Some(i) == bad_row {
            "robot"
        } else {
            "doanh-nghiep"
        };
        text.push_str(&format!(
            "{kind},paper,QLDN,,2026-11-{:02},{},\"Ý kiến {i}, có dấu phẩy\"\n",
            1 + i % 28,
            values.join(",")
        ));
    }
    text.into_bytes()
}

#[tokio::test]
async fn a_response_file_with_one_bad_row_stores_nothing_and_names_the_row() {
    let app = TestApp::with_open_round().await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let reply = app
        .post_upload_as(
            &staff,
            "/sf/rounds/responses/import",
            &[("slug", "test-round")],
            "giay.csv",
            &responses_csv(30, Some(17)),
        )
        .await;
    let job_page = reply.location();
    assert!(
        job_page.starts_with("/rounds/test-round/imports/NK-"),
        "{job_page}"
    );
    let page = app.get_as(&staff, &job_page).await;
    assert!(page.body.contains(r#"data-status="failed""#));
    assert!(
        page.body.contains("<td class=\"num\">19</td>"),
        "line 19 (row 17 after the header) is named"
    );
    assert!(page.body.contains("<code>type</code>"));
    assert_eq!(app.count("responses").await, 0);
}

#[tokio::test]
async fn a_valid_response_file_is_stored_in_chunks_with_progress_and_not_twice() {
    let app = TestApp::with_open_round().await;
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let file = responses_csv(450, None);
    let reply = app
        .post_upload_as(
            &staff,
            "/sf/rounds/responses/import",
            &[("slug", "test-round")],
            "giay.csv",
            &file,
        )
        .await;
    let job_page = reply.location();
    let mut status = String::new();
    for _ in 0..200 {
        let page = app.get_as(&staff, &job_page).await;
        status = element_text(&page.body, "data-status=").unwrap_or_default();
        if page.body.contains(r#"data-status="done""#) {
            break;
        }
        assert!(
            page.body.contains(r#"http-equiv="refresh""#),
            "a running import refreshes itself"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(status.contains("450/450"), "{status}");
    assert_eq!(app.count("responses").await, 450);
    assert_eq!(app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM responses WHERE channel = 'paper' AND comment LIKE 'Ý kiến %, có dấu phẩy'").await, 450);
    assert_eq!(app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM feedback_items WHERE channel = 'survey' AND response_id IS NOT NULL").await, 450);
    crate::api_indices::assert_tallies_match_raw_answers(&app).await;

    // The same file again stores nothing new.
    let again = app
        .post_upload_as(
            &staff,
            "/sf/rounds/responses/import",
            &[("slug", "test-round")],
            "giay.csv",
            &file,
        )
        .await;
    for _ in 0..200 {
        if app
            .get_as(&staff, &again.location())
            .await
            .body
            .contains(r#"data-status="done""#)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("responses").await, 450);
}

#[tokio::test]
async fn an_interrupted_import_is_undone() {
    let app = TestApp::with_open_round().await;
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    // The first row answers 4 to everything: it is flagged as it is stored.
    let csv = String::from_utf8(responses_csv(250, None)).unwrap();
    let (header, rest) = csv.split_once('\n').unwrap();
    let csv = format!(
        "{header}\ndoanh-nghiep,paper,QLDN,,2026-11-02,{},\n{rest}",
        ["4"; 18].join(",")
    );
    let (job, rows) = domain::services::imports::create(
        &app.db,
        &domain::services::audit::Actor::cli(),
        &round,
        "x.csv",
        csv.as_bytes(),
        domain::i18n::Lang::Vi,
    )
    .await
    .unwrap();
    // Store the first chunk only, as if the process died after it.
    let instrument = domain::services::instruments::load(&app.db, round.instrument_id)
        .await
        .unwrap();
    let first: Vec<_> = rows.into_iter().take(200).map(|(_, s)| s).collect();
    domain::services::responses::store_batch(&app.db, &round, &instrument, first, Some(job.id))
        .await
        .unwrap();
    assert_eq!(app.count("responses").await, 200);
    assert_eq!(
        app.count("feedback_items").await,
        199,
        "every comment became feedback"
    );
    assert_eq!(
        app.scalar("SELECT CAST(SUM(count) AS BIGINT) FROM flag_tallies WHERE kind = 'straight-line' AND status = 'open'")
            .await,
        1
    );
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(
            "UPDATE import_jobs SET status = 'running', updated_at = '2020-01-01 00:00:00+00:00'",
        )
        .await
        .unwrap();
    let found = domain::services::imports::find(&app.db, round.id, &job.public_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.status, "failed");
    assert_eq!(
        app.count("responses").await,
        0,
        "what the dead import stored is undone"
    );
    assert_eq!(
        app.count("feedback_items").await,
        0,
        "with the feedback of its comments"
    );
    assert_eq!(
        app.scalar("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM tallies")
            .await,
        0
    );
    assert_eq!(app.count("response_flags").await, 0, "with its flags");
    let check = domain::services::tallies::verify(&app.db).await.unwrap();
    assert!(check.matches(), "{:?}", check.differences);
}
