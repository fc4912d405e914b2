//! Storage cannot be filled anonymously: every body outside the upload
//! routes is held to the ordinary limit whatever its headers say, uploads
//! are taken only from signed-in staff, and survey drafts hold only what the
//! form can hold and are forgotten after thirty days.

use axum::body::Body;
use domain::model::Role;
use futures::StreamExt;
use hailong_tests::{Browser, TestApp, form_urlencoded};
use http::{Request, header};
use sea_orm::ConnectionTrait;

/// A body of `size` bytes sent in chunks, without a declared length.
fn chunked(size: usize) -> Body {
    let chunks = (0..size / 4096 + 1).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 4096]));
    Body::from_stream(futures::stream::iter(chunks))
}

#[tokio::test]
async fn a_chunked_body_over_the_ordinary_limit_is_refused_on_every_route() {
    let app = TestApp::with_open_round().await;
    let browser = Browser::anonymous();
    for path in [
        "/sf/survey/submit",
        "/sf/feedback/send",
        "/api/v1/rounds/test-round/responses",
    ] {
        let reply = app
            .send(
                Request::post(path)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, browser.cookie_header())
                    .body(chunked(server::BODY_LIMIT_BYTES + 10_000))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, 413, "{path}: {}", reply.body);
    }
    assert_eq!(app.count("responses").await, 0);
    assert_eq!(app.count("feedback_items").await, 0);
}

#[tokio::test]
async fn a_client_that_stops_sending_its_body_is_let_go() {
    let app = TestApp::with_open_round().await;
    let browser = Browser::anonymous();
    // One piece, then nothing: the connection would otherwise stay open for ever.
    let stalled = futures::stream::iter([Ok::<_, std::io::Error>(b"content=a".to_vec())])
        .chain(futures::stream::pending());
    let request = Request::post("/sf/feedback/send")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, browser.cookie_header())
        .body(Body::from_stream(stalled))
        .unwrap();
    // Virtual time: the 20-second wait passes at once.
    tokio::time::pause();
    let reply = app.send(request).await;
    tokio::time::resume();
    assert_eq!(reply.status, 408, "{}", reply.body);
    assert_eq!(app.count("feedback_items").await, 0);
}

#[tokio::test]
async fn uploads_are_taken_only_from_signed_in_staff_on_the_upload_routes() {
    let app = TestApp::with_open_round().await;
    let file = vec![b'x'; 1024 * 1024];
    let fields = [("slug", "test-round")];
    // Anonymous: a megabyte is over the ordinary limit, refused unread.
    let anonymous = app
        .post_upload_as(
            &Browser::anonymous(),
            "/sf/rounds/invitations/import",
            &fields,
            "list.csv",
            &file,
        )
        .await;
    assert_eq!(anonymous.status, 413);
    // A multipart body elsewhere is no upload either.
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let elsewhere = app
        .post_upload_as(&staff, "/sf/feedback/send", &fields, "list.csv", &file)
        .await;
    assert_eq!(elsewhere.status, 413);
    // Staff on the upload route: read, and judged on its content.
    let upload = app
        .post_upload_as(
            &staff,
            "/sf/rounds/invitations/import",
            &fields,
            "list.csv",
            &file,
        )
        .await;
    assert_ne!(upload.status, 413, "{}", upload.body);
}

fn draft_form(answers: &[(&str, &str)], comment: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        ("slug".to_owned(), "test-round".to_owned()),
        ("lang".to_owned(), "vi".to_owned()),
        ("intent".to_owned(), "save".to_owned()),
        ("comment".to_owned(), comment.to_owned()),
    ];
    for (code, value) in answers {
        fields.push((format!("answers[{code}]"), (*value).to_owned()));
    }
    fields
}

#[tokio::test]
async fn drafts_hold_only_what_the_form_can_hold_and_expire_after_thirty_days() {
    let app = TestApp::with_open_round().await;
    let browser = Browser::anonymous();
    let save = |fields: Vec<(String, String)>| {
        let mut fields = fields;
        fields.push(("csrf_token".to_owned(), browser.csrf.clone()));
        app.send(
            Request::post("/sf/survey/submit")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, browser.cookie_header())
                .body(Body::from(form_urlencoded(&fields)))
                .unwrap(),
        )
    };
    // Unknown criteria, values off the scale, an endless comment: refused, nothing kept.
    for fields in [
        draft_form(&[("ZZ9", "4")], ""),
        draft_form(&[("A1", "9")], ""),
        draft_form(&[("A1", "4")], &"x".repeat(2 * 4000 + 1)),
    ] {
        let reply = save(fields).await;
        assert_eq!(reply.status, 422, "{}", reply.body);
    }
    assert_eq!(app.count("response_drafts").await, 0);
    // A real draft is kept and can be resumed…
    let reply = save(draft_form(&[("A1", "4")], "Đang điền dở")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let code = reply.json()["Saved"]["resume_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let resumed = app.get(&format!("/s/test-round/saved/{code}")).await;
    assert!(resumed.body.contains(&code), "{}", resumed.status);
    // …for thirty days after it was last saved.
    app.db
        .execute_unprepared("UPDATE response_drafts SET updated_at = '2020-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    assert!(
        domain::services::drafts::load(&app.db, round.id, &code)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        domain::services::drafts::forget_expired(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(app.count("response_drafts").await, 0);
}

#[tokio::test]
async fn exports_are_written_whole_before_a_slow_client_reads_them() {
    let app = TestApp::with_open_round().await;
    let leader = app.sign_in(Role::Leader, &[]).await;
    for path in [
        "/api/v1/rounds/test-round/responses.csv",
        "/api/v1/rounds/test-round/responses.xlsx",
    ] {
        // The router answers without the body being read: a declared
        // length means the file was finished (and the connection given
        // back) before the first byte went out.
        let response = tower::ServiceExt::oneshot(
            app.router.clone(),
            Request::get(path)
                .header(header::COOKIE, leader.cookie_header())
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let length: u64 = response.headers()[header::CONTENT_LENGTH]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(length > 0);
        // Meanwhile the pool serves others, and nothing is held for the reader.
        drop(response);
        assert_eq!(app.get_as(&leader, "/staff").await.status, 200);
    }
}
