//! Integration tests: the real router and services on a fresh database per
//! test (SQLite, or PostgreSQL when TEST_DATABASE_URL is set).

mod api_indices;
mod api_responses;
mod platform;
mod survey_form;
