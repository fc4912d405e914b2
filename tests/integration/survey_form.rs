//! The public survey page and its form, as a browser without JavaScript and
//! the island see them.

use domain::model::RoundStatus;
use hailong_tests::{Browser, TestApp, form_urlencoded};
use http::{Request, header};

/// Every required question answered, as the form posts it.
fn complete_form(key: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("slug", "test-round"),
        ("lang", "vi"),
        ("idempotency_key", key),
        ("respondent_type", "doanh-nghiep"),
        ("department", "QLDN"),
        ("procedure", ""),
        ("submission_method", "truc-tiep"),
        ("comment", "Rất hài lòng <b>thật</b>"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for code in [
        "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D3", "E1",
        "E2", "E3", "O1",
    ] {
        fields.push((
            format!("answers[{code}]"),
            if code == "A4" { "na" } else { "4" }.to_owned(),
        ));
    }
    fields.push(("answers[P1]".to_owned(), "1".to_owned()));
    fields
}

#[tokio::test]
async fn the_survey_page_renders_every_question_in_vietnamese() {
    let app = TestApp::with_open_round().await;
    let page = app.get("/s/test-round").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<html lang="vi""#));
    assert!(page.body.contains(r#"action="/sf/survey/submit""#));
    let instruments = domain::services::instruments::default_definitions().unwrap();
    for element in &instruments[0].elements {
        assert!(
            page.body.contains(&element.title_vi),
            "element {}",
            element.code
        );
        for criterion in &element.criteria {
            assert!(
                page.body.contains(&criterion.vi),
                "criterion {}",
                criterion.code
            );
            assert!(
                page.body
                    .contains(&format!(r#"name="answers[{}]""#, criterion.code))
            );
        }
    }
    assert!(page.body.contains("Không áp dụng / không biết"));
    assert!(page.body.contains("Phòng Quản lý doanh nghiệp"));
    assert!(page.body.contains("LD-01"));
}

#[tokio::test]
async fn the_survey_page_switches_to_english() {
    let app = TestApp::with_open_round().await;
    let page = app.get("/s/test-round?lang=en").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<html lang="en""#));
    assert!(page.body.contains("Submit the survey"));
    assert!(page.body.contains("Very satisfied"));
    assert!(page.body.contains("Enterprise Management Division"));
    assert!(
        page.body.contains(r#"href="/s/test-round?lang=vi""#),
        "a link back to Vietnamese"
    );
}

#[tokio::test]
async fn unknown_draft_and_closed_rounds_show_no_form() {
    let app = TestApp::with_open_round().await;
    app.add_round("draft-round", RoundStatus::Draft).await;
    app.add_round("closed-round", RoundStatus::Closed).await;
    assert_eq!(app.get("/s/nope").await.status, 404);
    assert_eq!(app.get("/s/draft-round").await.status, 404);
    let closed = app.get("/s/closed-round").await;
    assert_eq!(closed.status, 200);
    assert!(closed.body.contains("đã kết thúc"));
    assert!(!closed.body.contains("<form"));
}

#[tokio::test]
async fn a_form_posted_without_javascript_is_stored_and_redirected_to_its_receipt() {
    let app = TestApp::with_open_round().await;
    let reply = app
        .post_form("/sf/survey/submit", &complete_form("form-key"))
        .await;
    assert_eq!(reply.status, 302, "{}", reply.body);
    let location = reply.location();
    assert!(
        location.starts_with("/s/test-round/receipt/HL-"),
        "{location}"
    );
    assert_eq!(app.count("responses").await, 1);
    assert_eq!(app.count("answers").await, 19);

    let receipt = app.get(&location).await;
    assert_eq!(receipt.status, 200);
    let code = location
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    assert!(receipt.body.contains(code));
    assert!(receipt.body.contains("Cảm ơn"));

    // The same form sent again (a double click, a retry) gives the same receipt.
    let again = app
        .post_form("/sf/survey/submit", &complete_form("form-key"))
        .await;
    assert_eq!(again.location(), location);
    assert_eq!(app.count("responses").await, 1);
}

#[tokio::test]
async fn an_incomplete_form_comes_back_with_errors_and_everything_entered() {
    let app = TestApp::with_open_round().await;
    let mut fields = complete_form("k2");
    fields.retain(|(name, _)| name != "answers[C2]" && name != "respondent_type");
    for (name, value) in &mut fields {
        if name == "answers[B1]" {
            *value = "2".to_owned();
        }
    }
    let reply = app.post_form("/sf/survey/submit", &fields).await;
    assert_eq!(reply.status, 302);
    let location = reply.location();
    assert!(
        location.starts_with("/s/test-round?lang=vi&draft=NH-"),
        "{location}"
    );
    assert_eq!(app.count("responses").await, 0);

    let page = app.get(location.split('#').next().unwrap()).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"id="error-summary""#));
    assert!(page.body.contains(r##"href="#q-C2""##));
    assert!(page.body.contains(r##"href="#f-respondent-type""##));
    assert!(page.body.contains("Vui lòng chọn một mức đánh giá"));
    // Chosen answers and the comment are still there, the comment escaped.
    assert!(
        page.body
            .contains(r#"id="q-A1-4" name="answers[A1]" value="4" checked"#),
        "A1 stays checked"
    );
    assert!(
        page.body
            .contains(r#"id="q-B1-2" name="answers[B1]" value="2" checked"#),
        "B1 stays checked"
    );
    assert!(
        page.body
            .contains("Rất hài lòng &lt;b&gt;thật&lt;/b&gt;</textarea>")
    );
    // Outside the island's quoted props attribute, no markup from the comment survives.
    let props_start = page
        .body
        .find(r#"data-props=""#)
        .expect("the island has props")
        + 12;
    let props_end = props_start + page.body[props_start..].find('"').unwrap();
    let without_props = format!("{}{}", &page.body[..props_start], &page.body[props_end..]);
    assert!(!without_props.contains("<b>thật</b>"));
}

#[tokio::test]
async fn the_island_gets_errors_and_receipts_as_data() {
    let app = TestApp::with_open_round().await;
    let island_post = |mut fields: Vec<(String, String)>| {
        let browser = Browser::anonymous();
        fields.push(("csrf_token".to_owned(), browser.csrf.clone()));
        app.send(
            Request::post("/sf/survey/submit")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, browser.cookie_header())
                .body(axum::body::Body::from(form_urlencoded(&fields)))
                .unwrap(),
        )
    };
    let mut incomplete = complete_form("k3");
    incomplete.retain(|(name, _)| name != "answers[O1]");
    let reply = island_post(incomplete).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["Invalid"]["errors"][0]["field"], "answers.O1");
    assert_eq!(
        app.count("response_drafts").await,
        0,
        "no draft without need"
    );

    let reply = island_post(complete_form("k3")).await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert!(
        body["Stored"]["receipt_url"]
            .as_str()
            .unwrap()
            .starts_with("/s/test-round/receipt/HL-")
    );
    assert_eq!(app.count("responses").await, 1);
}

#[tokio::test]
async fn text_typed_into_the_form_cannot_close_the_textarea_or_the_title() {
    let app = TestApp::with_open_round().await;
    let payload = "</textarea><script>alert(1)</script>";
    let mut fields = complete_form("xss");
    fields.retain(|(name, _)| name != "answers[O1]");
    for (name, value) in &mut fields {
        if name == "comment" {
            *value = payload.to_owned();
        }
    }
    let reply = app.post_form("/sf/survey/submit", &fields).await;
    let page = app.get(reply.location().split('#').next().unwrap()).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("<script>alert(1)</script>"),
        "the comment became markup"
    );
    assert!(
        page.body
            .contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>")
    );

    app.add_round("xss-round", RoundStatus::Open).await;
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db,
        "UPDATE rounds SET title_vi = '</title><script>alert(2)</script>' WHERE slug = 'xss-round'",
    )
    .await
    .unwrap();
    let page = app.get("/s/xss-round").await;
    assert!(
        !page.body.contains("<script>alert(2)</script>"),
        "the round title became markup"
    );
    assert!(
        page.body
            .contains("<title>&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
    );
}

#[tokio::test]
async fn public_pages_carry_a_description_a_canonical_address_and_a_preview_card() {
    let app = TestApp::with_open_round().await;
    let survey = app.get("/s/test-round").await.body;
    for expected in [
        r#"<meta name="description" content="Khảo sát thử nghiệm"#,
        r#"<link href="http://localhost/s/test-round" rel="canonical">"#,
        r#"<meta property="og:title" content="Khảo sát thử nghiệm · Hài Lòng""#,
        r#"<meta property="og:url" content="http://localhost/s/test-round""#,
        r#"<meta property="og:image" content="http://localhost/share.png""#,
        r#"<meta property="og:locale" content="vi_VN""#,
        r#"<meta name="twitter:card" content="summary""#,
        r#"<html lang="vi""#,
    ] {
        assert!(survey.contains(expected), "missing {expected}");
    }
    let english = app.get("/s/test-round?lang=en").await.body;
    assert!(
        english.contains(r#"<link href="http://localhost/s/test-round?lang=en" rel="canonical">"#)
    );
    assert!(english.contains(r#"<meta property="og:title" content="Test survey · Hài Lòng""#));
    for page in ["/", "/feedback", "/feedback/track", "/feedback/answers"] {
        let body = app.get(page).await.body;
        assert!(
            body.contains(r#"<meta name="description" content=""#),
            "{page}"
        );
        assert!(body.contains(r#"<meta property="og:image""#), "{page}");
    }
}

#[tokio::test]
async fn the_hashed_bundle_is_kept_for_a_year_and_pages_are_not_kept() {
    let app = TestApp::with_open_round().await;
    // A built site: the bundle under its hashed name, as build_site writes it.
    let site = std::env::temp_dir().join(format!("hailong-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/bundle.txt"), "hailong.0123456789abcdef\n").unwrap();
    std::fs::write(
        site.join("pkg/hailong.0123456789abcdef.js"),
        "export default 1;",
    )
    .unwrap();
    std::fs::write(site.join("share.png"), b"\x89PNG").unwrap();
    assert_eq!(
        server::bundle_name(&site).as_deref(),
        Some("hailong.0123456789abcdef")
    );
    let mut options = leptos::config::LeptosOptions::builder()
        .output_name("hailong.0123456789abcdef")
        .site_root(site.to_string_lossy().into_owned())
        .build();
    options.site_pkg_dir = "pkg".into();
    let router = server::router(
        app::ssr::AppState {
            db: app.db.clone(),
            leptos_options: options,
            public_url: None,
            mail_configured: false,
            sms_configured: false,
        },
        server::SecurityConfig::default(),
    );
    let get = |path: &str| Request::get(path).body(axum::body::Body::empty()).unwrap();
    let asset = hailong_tests::send(router.clone(), get("/pkg/hailong.0123456789abcdef.js")).await;
    assert_eq!(asset.status, 200);
    assert_eq!(
        asset.headers.get(header::CACHE_CONTROL).unwrap(),
        "public, max-age=31536000, immutable"
    );
    let missing =
        hailong_tests::send(router.clone(), get("/pkg/hailong.fedcba9876543210.js")).await;
    assert_eq!(
        missing.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    let page = hailong_tests::send(router.clone(), get("/s/test-round")).await;
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    // The page asks for the hashed files.
    assert!(
        page.body
            .contains(r#"data-bundle="/pkg/hailong.0123456789abcdef""#)
    );
    assert!(page.body.contains("/pkg/hailong.0123456789abcdef.css"));
    std::fs::remove_dir_all(site).ok();
}

#[tokio::test]
async fn only_pages_with_an_island_load_the_wasm() {
    let app = TestApp::with_open_round().await;
    let survey = app.get("/s/test-round").await.body;
    // The loader fetches the wasm after the page has loaded and hydrates at
    // the first interaction: nothing is preloaded ahead of the page itself.
    assert!(survey.contains(r#"<script type="module""#) && survey.contains("'.wasm'"));
    assert!(!survey.contains("modulepreload") && !survey.contains(r#"rel="preload""#));
    for page in [
        "/",
        "/feedback",
        "/feedback/track",
        "/feedback/answers",
        "/login",
    ] {
        let body = app.get(page).await.body;
        assert!(
            !body.contains("data-bundle") && !body.contains(".wasm"),
            "{page} loads no wasm"
        );
        assert!(
            body.contains(r#"rel="stylesheet""#),
            "{page} keeps its styles"
        );
    }
}
