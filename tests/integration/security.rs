//! Sessions, sign-in throttling, CSRF, cookies, headers, API tokens, rate
//! limits, the audit log and escaping of hostile text.

use axum::body::Body;
use domain::model::Role;
use hailong_tests::{Browser, Reply, TestApp, form_urlencoded};
use http::{Request, header};
use sea_orm::ConnectionTrait;

fn set_cookies(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn cookie_value(reply: &Reply, name: &str) -> Option<String> {
    set_cookies(reply).iter().find_map(|c| {
        c.strip_prefix(&format!("{name}="))
            .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
    })
}

async fn login(app: &TestApp, browser: &Browser, username: &str, password: &str) -> Reply {
    app.post_form_as(
        browser,
        "/sf/auth/login",
        &[
            ("username".to_owned(), username.to_owned()),
            ("password".to_owned(), password.to_owned()),
            ("next".to_owned(), "/staff".to_owned()),
        ],
    )
    .await
}

async fn create_named_user(app: &TestApp, username: &str, role: Role) -> i32 {
    domain::services::accounts::create_user(
        &app.db,
        &domain::services::audit::Actor::cli(),
        domain::services::accounts::NewUser {
            username: username.to_owned(),
            display_name: "Nguyễn Văn A".to_owned(),
            password: "correct horse battery".to_owned(),
            role,
            departments: vec![],
            can_triage: false,
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn signing_in_opens_a_new_session_and_never_reuses_a_planted_one() {
    let app = TestApp::with_open_round().await;
    let user_id = create_named_user(&app, "lan", Role::Leader).await;
    // A session token planted in the browser before sign-in (fixation attempt).
    let planted = domain::services::sessions::open_for(&app.db, user_id, chrono::Utc::now())
        .await
        .unwrap();
    let browser = Browser::signed_in(planted.clone());
    let reply = login(&app, &browser, "LAN", "correct horse battery").await;
    assert_eq!(reply.status, 302);
    assert_eq!(reply.location(), "/staff");
    let session = cookie_value(&reply, "__Host-hl_session").expect("a session cookie is set");
    assert_ne!(session, planted, "the session token changes at sign-in");
    let cookie = set_cookies(&reply)
        .into_iter()
        .find(|c| c.starts_with("__Host-hl_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(cookie.contains("Secure"), "Secure by default: {cookie}");

    // The planted session is gone; the new one works.
    let old = app.get_as(&browser, "/staff").await;
    assert!(old.location().starts_with("/login?next="), "{}", old.status);
    let signed_in = Browser::signed_in(session);
    let home = app.get_as(&signed_in, "/staff").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Nguyễn Văn A"));
    // The CSRF token is the session's now: the one of the cookie from before
    // sign-in (which someone else may have planted) no longer passes.
    assert!(home.body.contains(&signed_in.csrf));
    let with_old_token = Browser {
        csrf: browser.csrf.clone(),
        ..signed_in.clone()
    };
    let refused = app
        .post_form_as(&with_old_token, "/sf/account/logout-everywhere", &[])
        .await;
    assert_eq!(refused.status, 403);
    // Only the hash of the token is stored.
    assert_eq!(app.count("sessions").await, 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM sessions WHERE token_hash = '{}'",
            domain::secrets::sha256_hex(signed_in.session.as_deref().unwrap())
        ))
        .await,
        1
    );
}

async fn post_login(app: &TestApp, forwarded_https: bool, plain_names: bool) -> Reply {
    let browser = Browser::anonymous();
    let cookies = if plain_names {
        format!("hl_csrf={}", browser.csrf)
    } else {
        browser.cookie_header()
    };
    let fields = vec![
        ("username".to_owned(), "minh".to_owned()),
        ("password".to_owned(), "correct horse battery".to_owned()),
        ("csrf_token".to_owned(), browser.csrf.clone()),
    ];
    let mut request = Request::post("/sf/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookies);
    if forwarded_https {
        request = request.header("x-forwarded-proto", "https");
    }
    app.send(request.body(Body::from(form_urlencoded(&fields))).unwrap())
        .await
}

#[tokio::test]
async fn cookies_are_host_prefixed_and_secure_unless_development_asks_otherwise() {
    let mut app = TestApp::with_open_round().await;
    create_named_user(&app, "minh", Role::Staff).await;
    // By default: `__Host-` names, Secure, and HSTS.
    let reply = post_login(&app, false, false).await;
    let cookie = set_cookies(&reply)
        .into_iter()
        .find(|c| c.starts_with("__Host-hl_session="))
        .expect("a __Host- session cookie");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
    assert!(
        reply
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_some_and(|v| v.to_str().unwrap().contains("max-age=31536000"))
    );
    // The development flag: plain names, no Secure, no HSTS…
    app.router = app.router_with_security(server::SecurityConfig {
        insecure_cookies: true,
        ..server::SecurityConfig::default()
    });
    let reply = post_login(&app, false, true).await;
    let cookie = set_cookies(&reply)
        .into_iter()
        .find(|c| c.starts_with("hl_session="))
        .expect("a plain session cookie in development");
    assert!(!cookie.contains("Secure"));
    assert!(
        reply
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none()
    );
    // …unless the proxy says the request came over HTTPS.
    let reply = post_login(&app, true, false).await;
    assert!(
        set_cookies(&reply)
            .iter()
            .any(|c| c.starts_with("__Host-hl_session=") && c.contains("Secure"))
    );
}

#[tokio::test]
async fn form_state_and_new_secrets_stay_out_of_cookies_and_nothing_personal_is_cached() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let reply = app
        .post_form_as(
            &admin,
            "/sf/admin/tokens/create",
            &[
                ("name".to_owned(), "dong-bo".to_owned()),
                ("role".to_owned(), "staff".to_owned()),
                ("scopes[indices:read]".to_owned(), "on".to_owned()),
            ],
        )
        .await;
    let flash = cookie_value(&reply, "__Host-hl_flash").expect("a flash id");
    assert_eq!(flash.len(), 64, "the cookie carries an id only: {flash}");
    assert!(!flash.contains("hl_"), "no token in the cookie");
    // The page shows the new token once; the flash is gone after.
    let page = app.get_as(&admin.after(&reply), "/admin/tokens").await;
    assert!(
        page.body.contains("data-testid=\"new-token\""),
        "the new token is shown"
    );
    assert_eq!(
        app.count("form_flashes").await,
        0,
        "read once, then deleted"
    );
    let again = app.get_as(&admin.after(&reply), "/admin/tokens").await;
    assert!(!again.body.contains("data-testid=\"new-token\""));

    // Staff pages, exports and the API's answers are never cached.
    for path in [
        "/staff",
        "/api/v1/rounds/test-round/responses.csv",
        "/api/v1/rounds/test-round/indices",
        "/feedback",
    ] {
        let reply = app.get_as(&admin, path).await;
        assert_eq!(
            reply
                .headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap().to_owned()),
            Some("no-store".to_owned()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn wrong_passwords_are_throttled_per_account_and_per_address() {
    let app = TestApp::with_open_round().await;
    create_named_user(&app, "hoa", Role::Staff).await;
    let browser = Browser::anonymous();
    for _ in 0..domain::services::sessions::ACCOUNT_FAILURES {
        let reply = login(&app, &browser, "hoa", "wrong password").await;
        assert!(reply.location().starts_with("/login?failed=1"));
        assert!(cookie_value(&reply, "__Host-hl_session").is_none());
    }
    // Locked: even the right password is refused now, with a clear message.
    let reply = login(&app, &browser, "hoa", "correct horse battery").await;
    assert!(
        cookie_value(&reply, "__Host-hl_session").is_none(),
        "a locked account must not sign in"
    );
    let flash = cookie_value(&reply, "__Host-hl_flash").expect("the message travels to the page");
    let page = app
        .send(
            Request::get("/login")
                .header(
                    header::COOKIE,
                    format!("__Host-hl_csrf={}; __Host-hl_flash={flash}", browser.csrf),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        page.body.contains("Đăng nhập sai quá nhiều lần"),
        "the page says why"
    );

    // Per address: many usernames from one address lock the address.
    let app = TestApp::with_open_round().await;
    create_named_user(&app, "real", Role::Staff).await;
    for i in 0..domain::services::sessions::ADDRESS_FAILURES {
        login(&app, &browser, &format!("guess{i}"), "wrong password").await;
    }
    let reply = login(&app, &browser, "real", "correct horse battery").await;
    assert!(
        cookie_value(&reply, "__Host-hl_session").is_none(),
        "a locked address must not sign in"
    );
    // Every failure is in the audit log.
    assert!(
        app.scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'auth.login_failed'"
        )
        .await
            >= 20
    );
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old_or_everywhere() {
    let app = TestApp::with_open_round().await;
    let idle = app.sign_in(Role::Leader, &[]).await;
    app.db
        .execute_unprepared("UPDATE sessions SET last_seen_at = '2020-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    let reply = app.get_as(&idle, "/staff").await;
    assert!(
        reply.location().starts_with("/login?next=%2Fstaff")
            || reply.location().starts_with("/login?next=/staff"),
        "{}",
        reply.location()
    );
    assert!(
        set_cookies(&reply)
            .iter()
            .any(|c| c.starts_with("__Host-hl_session=;")
                || c.starts_with("__Host-hl_session=\"\"")
                || c.starts_with("__Host-hl_session=") && c.contains("Max-Age=0"))
    );

    let old = app.sign_in(Role::Leader, &[]).await;
    app.db
        .execute_unprepared("UPDATE sessions SET expires_at = '2020-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    assert!(
        app.get_as(&old, "/staff")
            .await
            .location()
            .starts_with("/login")
    );

    let user = app.create_user(Role::Staff, &[]).await;
    let mut browsers = Vec::new();
    for _ in 0..3 {
        browsers.push(Browser::signed_in(
            domain::services::sessions::open_for(&app.db, user, chrono::Utc::now())
                .await
                .unwrap(),
        ));
    }
    let reply = app
        .post_form_as(&browsers[0], "/sf/account/logout-everywhere", &[])
        .await;
    assert_eq!(reply.location(), "/login");
    for browser in &browsers {
        assert!(
            app.get_as(browser, "/staff")
                .await
                .location()
                .starts_with("/login")
        );
    }
}

#[tokio::test]
async fn state_changing_requests_without_csrf_proof_are_refused() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let fields = vec![
        ("username".to_owned(), "intruder".to_owned()),
        ("display_name".to_owned(), "X".to_owned()),
        ("role".to_owned(), "admin".to_owned()),
        ("password".to_owned(), "a long enough password".to_owned()),
    ];
    let post = |cookie: String, body: String, origin: Option<&'static str>| {
        let mut request = Request::post("/sf/admin/users/create")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "localhost")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, cookie);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        app.send(request.body(Body::from(body)).unwrap())
    };
    // No token at all.
    let reply = post(admin.cookie_header(), form_urlencoded(&fields), None).await;
    assert_eq!(reply.status, 403);
    assert!(
        reply.body.contains("Vui lòng tải lại trang"),
        "the refusal says what to do"
    );
    // A token that does not match the cookie.
    let mut forged = fields.clone();
    forged.push(("csrf_token".to_owned(), "f".repeat(64)));
    assert_eq!(
        post(admin.cookie_header(), form_urlencoded(&forged), None)
            .await
            .status,
        403
    );
    // A signed-in browser's token is its session's, not its cookie's: the
    // token of a CSRF cookie (which another site may have planted) fails…
    let mut with_cookie_token = fields.clone();
    with_cookie_token.push(("csrf_token".to_owned(), "c".repeat(64)));
    let session_only = format!("__Host-hl_session={}", admin.session.clone().unwrap());
    assert_eq!(
        post(
            format!("{session_only}; __Host-hl_csrf={}", "c".repeat(64)),
            form_urlencoded(&with_cookie_token),
            None
        )
        .await
        .status,
        403
    );
    // …only the session's own token passes (below).
    let mut with_token = fields.clone();
    with_token.push(("csrf_token".to_owned(), admin.csrf.clone()));
    // The right token but from another site's page.
    assert_eq!(
        post(
            admin.cookie_header(),
            form_urlencoded(&with_token),
            Some("https://evil.example")
        )
        .await
        .status,
        403
    );
    // Survey submissions and sign-in need it too.
    let reply = app
        .send(
            Request::post("/sf/survey/submit")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("slug=test-round&respondent_type=ca-nhan"))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 403);
    assert_eq!(app.count("users").await, 1, "nothing was created");

    // With proof, from this site, it goes through; the header works as well as the field.
    assert_eq!(
        post(
            admin.cookie_header(),
            form_urlencoded(&with_token),
            Some("http://localhost")
        )
        .await
        .status,
        302
    );
    assert_eq!(app.count("users").await, 2);
}

#[tokio::test]
async fn pages_carry_a_strict_content_security_policy_and_hardened_headers() {
    let app = TestApp::with_open_round().await;
    let page = app.get("/s/test-round").await;
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        page.body.contains(&format!(
            r#"<script type="module" nonce="{nonce}" data-bundle="#
        )),
        "the loader carries the nonce"
    );
    for reply in [
        &page,
        &app.get("/api/v1/rounds").await,
        &app.get("/healthz").await,
    ] {
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
        assert_eq!(reply.headers["x-frame-options"], "DENY");
        assert_eq!(reply.headers["referrer-policy"], "same-origin");
        assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    }
    // Each page gets its own nonce.
    let again = app.get("/s/test-round").await;
    assert_ne!(
        again.headers[header::CONTENT_SECURITY_POLICY],
        page.headers[header::CONTENT_SECURITY_POLICY]
    );
}

#[tokio::test]
async fn api_tokens_open_the_api_until_revoked() {
    let app = TestApp::with_open_round().await;
    let actor = domain::services::audit::Actor::cli();
    let (stored_id, token) = app
        .token(
            "Cổng dữ liệu tỉnh",
            Role::Leader,
            &[domain::model::Scope::IndicesRead],
        )
        .await;
    let get = |authorization: Option<String>| {
        let mut request = Request::get("/api/v1/rounds/test-round/indices");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        app.send(request.body(Body::empty()).unwrap())
    };
    assert_eq!(get(None).await.status, 401);
    assert_eq!(get(Some(format!("Bearer {token}"))).await.status, 200);
    assert_eq!(
        get(Some("Bearer hl_not-a-token".to_owned())).await.status,
        401
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM api_tokens WHERE token_hash = '{token}'"
        ))
        .await,
        0,
        "only the hash is stored"
    );
    domain::services::tokens::revoke(&app.db, &actor, stored_id)
        .await
        .unwrap();
    assert_eq!(get(Some(format!("Bearer {token}"))).await.status, 401);
    // The JSON API never honours the session cookie for changes, so it needs no CSRF proof.
    let staff = app.sign_in(Role::Staff, &[]).await;
    let reply = app
        .send(
            Request::post("/api/v1/rounds/test-round/responses")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, staff.cookie_header())
                .body(Body::from(
                    r#"{"idempotency_key":"k","answers":{"A1":5},"respondent":{"type":"ca-nhan"}}"#,
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, 201);
}

#[tokio::test]
async fn public_submissions_are_rate_limited_per_address() {
    let app = TestApp::with_open_round().await;
    let browser = Browser::anonymous();
    let statuses = submit_forms(
        &app,
        &browser,
        server::security::rate_limits::SURVEY_SUBMITS_PER_MINUTE + 5,
    )
    .await;
    assert!(
        statuses
            .iter()
            .take(server::security::rate_limits::SURVEY_SUBMITS_PER_MINUTE as usize)
            .all(|s| *s != 429)
    );
    let limited = app
        .post_form_as(
            &browser,
            "/sf/survey/submit",
            &[("slug".to_owned(), "test-round".to_owned())],
        )
        .await;
    assert_eq!(limited.status, 429);
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn rate_limits_can_be_switched_off_for_a_gateway_or_a_load_test() {
    let mut app = TestApp::with_open_round().await;
    app.router = app.router_with_security(server::SecurityConfig {
        without_rate_limits: true,
        ..Default::default()
    });
    let browser = Browser::anonymous();
    let statuses = submit_forms(
        &app,
        &browser,
        server::security::rate_limits::SURVEY_SUBMITS_PER_MINUTE + 5,
    )
    .await;
    for (i, status) in statuses.iter().enumerate() {
        assert_ne!(*status, 429, "submission {i} was limited");
    }
}

/// `n` survey form submissions from one browser, each with its own key; their statuses.
async fn submit_forms(app: &TestApp, browser: &Browser, n: u32) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..n {
        let reply = app
            .post_form_as(
                browser,
                "/sf/survey/submit",
                &[
                    ("slug".to_owned(), "test-round".to_owned()),
                    ("idempotency_key".to_owned(), format!("r{i}")),
                ],
            )
            .await;
        statuses.push(reply.status.as_u16());
    }
    statuses
}

#[tokio::test]
async fn admin_actions_are_audited_and_the_log_cannot_be_changed() {
    let app = TestApp::with_open_round().await;
    let admin = app.sign_in(Role::Admin, &[]).await;
    let victim = app.create_user(Role::Staff, &["QLDN"]).await;
    let reply = app
        .post_form_as(
            &admin,
            "/sf/admin/users/update",
            &[
                ("id".to_owned(), victim.to_string()),
                ("display_name".to_owned(), "Trần Thị B".to_owned()),
                ("role".to_owned(), "leader".to_owned()),
                ("departments[QLDT]".to_owned(), "on".to_owned()),
                ("active".to_owned(), "on".to_owned()),
            ],
        )
        .await;
    assert_eq!(reply.location(), "/admin/users");
    let entry = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT actor, before, after FROM audit_log WHERE action = 'user.update'".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    let actor: String = entry.try_get_by_index(0).unwrap();
    let before: String = entry.try_get_by_index(1).unwrap();
    let after: String = entry.try_get_by_index(2).unwrap();
    assert!(actor.starts_with("admin-"));
    assert!(before.contains(r#""role":"staff""#) && before.contains("QLDN"));
    assert!(
        after.contains(r#""role":"leader""#)
            && after.contains("QLDT")
            && after.contains("Trần Thị B")
    );
    assert!(!after.contains("argon2"), "no password hash in the log");

    let page = app.get_as(&admin, "/admin/audit").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("user.update"));

    assert!(
        app.db
            .execute_unprepared("UPDATE audit_log SET actor = 'someone else'")
            .await
            .is_err()
    );
    assert!(
        app.db
            .execute_unprepared("DELETE FROM audit_log")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn hostile_text_comes_out_escaped_in_pages_and_charts() {
    let app = TestApp::with_open_round().await;
    let payload = r#"<script>alert("x")</script><img src=x onerror=alert(1)>"#;
    let sql_text = payload.replace('\'', "''");
    app.db
        .execute_unprepared(&format!(
            "UPDATE criteria SET text_vi = '{sql_text}' WHERE code = 'A1';
             UPDATE elements SET title_vi = '{sql_text}' WHERE code = 'B';
             UPDATE departments SET name_vi = '{sql_text}' WHERE code = 'QLDN';
             UPDATE rounds SET title_vi = '{sql_text}' WHERE slug = 'test-round';"
        ))
        .await
        .unwrap();
    let reply = app
        .post_json(
            "/api/v1/rounds/test-round/responses",
            &serde_json::json!({"idempotency_key": "x", "answers": {"A1": 5, "B1": 4}, "respondent": {"type": "ca-nhan", "department": "QLDN"}, "comment": payload}),
        )
        .await;
    assert_eq!(reply.status, 201);
    let leader = app.sign_in(Role::Leader, &[]).await;
    // The comment became a feedback item: its pages escape it too.
    let item = app
        .scalar("SELECT CAST(MAX(id) AS BIGINT) FROM feedback_items")
        .await;
    for page in [
        app.get("/s/test-round").await,
        app.get_as(&leader, "/rounds/test-round").await,
        app.get_as(&leader, "/staff").await,
        app.get_as(&leader, "/feedback/items").await,
        app.get_as(&leader, &format!("/feedback/items/{item}"))
            .await,
    ] {
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("<script>alert"),
            "a script tag came through"
        );
        assert!(!page.body.contains("<img src=x"), "an img tag came through");
    }
    let dashboard = app.get_as(&leader, "/rounds/test-round").await;
    assert!(dashboard.body.contains("&lt;script&gt;alert"));
    assert!(dashboard.body.contains(r#"data-criterion="A1""#));
    // The chart labels are element codes; the SVG holds no raw markup from data.
    let svg_start = dashboard.body.find("<svg").unwrap();
    let svg =
        &dashboard.body[svg_start..dashboard.body[svg_start..].find("</svg>").unwrap() + svg_start];
    assert!(!svg.contains("<script") && !svg.contains("<img"));
}

#[tokio::test]
async fn concurrent_wrong_passwords_cannot_slip_past_the_limit() {
    use domain::services::sessions::{self, ACCOUNT_FAILURES, LoginError};
    let app = TestApp::with_open_round().await;
    create_named_user(&app, "lan", Role::Staff).await;
    let attempts: Vec<_> = (0..30)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move {
                sessions::login(
                    &db,
                    "lan",
                    "wrong password",
                    "203.0.113.7",
                    None,
                    chrono::Utc::now(),
                )
                .await
            })
        })
        .collect();
    let mut checked = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Err(LoginError::InvalidCredentials) => checked += 1,
            Err(LoginError::Throttled(_)) => {}
            Err(LoginError::Other(e)) => panic!("{e}"),
            Ok(_) => panic!("a wrong password signed in"),
        }
    }
    assert_eq!(
        checked, ACCOUNT_FAILURES,
        "only the allowed attempts reach the password"
    );
}

#[tokio::test]
async fn a_lock_grows_with_each_attempt_stays_with_its_address_and_an_admin_lifts_it() {
    use domain::services::sessions::{self, LOCK_DURATION, LoginError};
    let app = TestApp::with_open_round().await;
    create_named_user(&app, "minh", Role::Admin).await;
    let now = chrono::Utc::now();
    let attempt = |password: &'static str, ip: &'static str| {
        let db = app.db.clone();
        async move { sessions::login(&db, "minh", password, ip, None, now).await }
    };
    for _ in 0..domain::services::sessions::ACCOUNT_FAILURES {
        assert!(matches!(
            attempt("wrong password", "198.51.100.9").await,
            Err(LoginError::InvalidCredentials)
        ));
    }
    let mut waits = Vec::new();
    for _ in 0..3 {
        match attempt("correct horse battery", "198.51.100.9").await {
            Err(LoginError::Throttled(wait)) => waits.push(wait),
            _ => panic!("locked"),
        }
    }
    assert_eq!(waits, [LOCK_DURATION, LOCK_DURATION * 2, LOCK_DURATION * 4]);
    // The person at another address is not locked out by it.
    assert!(attempt("correct horse battery", "192.0.2.44").await.is_ok());
    // An admin lifts the lock from the users page.
    let admin = app.sign_in(Role::Admin, &[]).await;
    let page = app.get_as(&admin, "/admin/users").await.body;
    assert!(
        page.contains("data-testid=\"locked\""),
        "the page shows the lock"
    );
    let id = app
        .scalar("SELECT CAST(id AS BIGINT) FROM users WHERE username = 'minh'")
        .await;
    let reply = app
        .post_form_as(
            &admin,
            "/sf/admin/users/unlock",
            &[
                ("id".to_owned(), id.to_string()),
                ("username".to_owned(), "minh".to_owned()),
            ],
        )
        .await;
    assert_eq!(reply.status, 302, "{}", reply.body);
    assert!(
        attempt("correct horse battery", "198.51.100.9")
            .await
            .is_ok()
    );
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'auth.unlock'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_office_signing_in_from_one_address_is_not_locked_by_its_successes() {
    use domain::services::sessions;
    let app = TestApp::with_open_round().await;
    for i in 0..domain::services::sessions::ADDRESS_FAILURES + 5 {
        let name = format!("nv{i}");
        create_named_user(&app, &name, Role::Staff).await;
        let signed_in = sessions::login(
            &app.db,
            &name,
            "correct horse battery",
            "203.0.113.50",
            None,
            chrono::Utc::now(),
        )
        .await;
        assert!(signed_in.is_ok(), "{name}");
    }
}

/// A GET from `address`, as the trusted proxy reports it.
async fn get_from(app: &TestApp, address: &str, path: &str) -> u16 {
    app.send(
        Request::get(path)
            .header("x-forwarded-for", address)
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .status
    .as_u16()
}

#[tokio::test]
async fn budgets_follow_an_ipv6_network_and_cover_receipt_and_qr_lookups() {
    use server::security::rate_limits::LOOKUPS_PER_MINUTE;
    let mut app = TestApp::with_open_round().await;
    app.router = app.router_with_security(server::SecurityConfig {
        trust_proxy: true,
        ..Default::default()
    });
    // Every address of one IPv6 /64 spends the same budget of lookups.
    let receipt = "/s/test-round/receipt/HL-2222-2222-2222-2222";
    let mut statuses = Vec::new();
    for i in 0..LOOKUPS_PER_MINUTE + 1 {
        statuses.push(get_from(&app, &format!("2001:db8:7:7::{:x}", i + 1), receipt).await);
    }
    assert!(
        statuses[..LOOKUPS_PER_MINUTE as usize]
            .iter()
            .all(|s| *s != 429)
    );
    assert_eq!(statuses[LOOKUPS_PER_MINUTE as usize], 429);
    // Another network is not held back by it.
    assert_ne!(get_from(&app, "2001:db8:7:8::1", receipt).await, 429);
    // QR codes of a round spend the same kind of budget.
    let qr = "/api/v1/rounds/test-round/qr.svg";
    let statuses: Vec<u16> = futures::future::join_all(
        (0..LOOKUPS_PER_MINUTE + 1).map(|_| get_from(&app, "198.51.100.77", qr)),
    )
    .await;
    assert!(statuses.contains(&429), "{statuses:?}");
}
