//! Health, the OpenAPI document, migrations and the demo seed.

use hailong_tests::TestApp;
use migrations::{Migrator, MigratorTrait};

#[tokio::test]
async fn health_reports_the_database_backend() {
    let app = TestApp::empty().await;
    let reply = app.get("/healthz").await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["status"], "ok");
    let expected = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => "postgres",
        _ => "sqlite",
    };
    assert_eq!(body["database"], expected);
    assert_eq!(app.backend, expected);
}

#[tokio::test]
async fn openapi_document_describes_the_api_from_the_code() {
    let app = TestApp::empty().await;
    let reply = app.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, 200);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/healthz",
        "/api/v1/rounds",
        "/api/v1/rounds/{slug}/responses",
        "/api/v1/rounds/{slug}/indices",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} is missing from the OpenAPI document"
        );
    }
    let request_schema = &doc["components"]["schemas"]["ResponseRequest"];
    assert!(
        request_schema["properties"]
            .get("idempotency_key")
            .is_some()
    );
    assert!(doc["components"]["schemas"].get("IndicesReport").is_some());
}

#[tokio::test]
async fn migrations_roll_back_and_apply_again() {
    let app = TestApp::empty().await;
    Migrator::down(&app.db, None)
        .await
        .expect("every migration rolls back");
    Migrator::up(&app.db, None)
        .await
        .expect("and applies again");
    domain::services::instruments::install_defaults(&app.db)
        .await
        .unwrap();
    assert_eq!(app.count("instruments").await, 2);
    assert_eq!(app.count("criteria").await, 18 + 9 + 11);
}

#[tokio::test]
async fn default_instruments_install_once() {
    let app = TestApp::empty().await;
    domain::services::instruments::install_defaults(&app.db)
        .await
        .unwrap();
    assert_eq!(app.count("instruments").await, 2);
    // dvhcc: 17 index criteria, O1, P1–P2, X1–X7; phoi-hop: 10 index criteria and O1.
    assert_eq!(
        app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM criteria c JOIN instruments i ON i.id = c.instrument_id WHERE i.code = 'dvhcc'")
            .await,
        27
    );
}

#[tokio::test]
async fn demo_seed_is_idempotent_and_its_tallies_match_the_answers() {
    let app = TestApp::empty().await;
    let first = domain::services::seed::seed_demo(&app.db).await.unwrap();
    assert_eq!(first.rounds_created.len(), 2);
    assert_eq!(first.responses_created, 600);
    let counts = (
        app.count("departments").await,
        app.count("procedures").await,
        app.count("responses").await,
        app.count("answers").await,
    );
    let second = domain::services::seed::seed_demo(&app.db).await.unwrap();
    assert!(second.rounds_created.is_empty());
    assert_eq!(
        counts,
        (
            app.count("departments").await,
            app.count("procedures").await,
            app.count("responses").await,
            app.count("answers").await
        )
    );
    assert_eq!(counts.0, 7);
    assert_eq!(counts.1, 13);
    crate::api_indices::assert_tallies_match_raw_answers(&app).await;
    // One open round is listed.
    let open = app.get("/api/v1/rounds").await.json();
    assert_eq!(open.as_array().unwrap().len(), 1);
}
