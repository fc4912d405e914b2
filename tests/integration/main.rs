//! Integration tests: the real router and services on a fresh database per
//! test (SQLite, or PostgreSQL when TEST_DATABASE_URL is set).

mod access;
mod actions;
mod analysis;
mod api_indices;
mod api_responses;
mod distribution;
mod dossier_sampling;
mod dossiers;
mod evidence;
mod feedback;
mod invitation_mail;
mod leadership;
mod message_templates;
mod open311;
mod outbox;
mod personal_data;
mod platform;
mod quality;
mod receiver;
mod reliability;
mod retention;
mod rounds;
mod security;
mod setup;
mod sms;
mod storage;
mod survey_form;
mod uploads;
mod webhooks;
mod work_alerts;
