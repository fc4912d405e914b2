//! The database schema of Hài Lòng as ordered sea-orm migrations.
//!
//! Every migration must run on SQLite and on PostgreSQL. Foreign keys are
//! declared inside `CREATE TABLE` because SQLite cannot add them later.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_catalogue_and_instruments;
mod m20261128_000002_rounds_and_responses;
mod m20261128_000003_accounts_settings_feedback;
mod m20261128_000004_sessions_tokens_audit;
mod m20261128_000005_distribution_and_entry;
mod m20261128_000006_results_and_reading;
mod m20261128_000007_feedback_handling;
mod m20261130_000008_response_reading_indexes;
mod m20261130_000009_breakdown_tallies;
mod m20261202_000010_access_scopes;
mod m20261202_000011_exclusions_and_retention;
mod m20261202_000012_agency_setup;
mod m20261203_000013_pair_sums;
mod m20261203_000014_round_populations;
mod m20261204_000015_actions;
mod m20261204_000016_quality_flags;
mod m20261205_000017_feedback_tallies;
mod m20261206_000018_excluded_responses_index;
mod m20261207_000019_flagged_tallies;
mod m20261208_000020_outbox;
mod m20261209_000021_invitation_mail;
mod m20261210_000022_answer_notice_key;
mod m20261211_000023_outbox_send_rates;
mod m20261212_000024_dossiers;
mod m20261213_000025_counter_kiosks;
mod m20261214_000026_dossier_notices;
mod m20261215_000027_webhooks;
mod m20261216_000028_work_alerts;
mod m20261217_000029_sampled_invitations;
mod m20261218_000030_message_templates;
mod m20261219_000031_partial_response_indexes;
mod m20261220_000032_flag_tallies;
mod m20261221_000033_dossier_counts;
mod m20261222_000034_timed_responses_index;
mod m20261223_000035_breakdowns_within_department;
mod m20261224_000036_feedback_counts;
mod m20261225_000037_partial_outbox_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_catalogue_and_instruments::Migration),
            Box::new(m20261128_000002_rounds_and_responses::Migration),
            Box::new(m20261128_000003_accounts_settings_feedback::Migration),
            Box::new(m20261128_000004_sessions_tokens_audit::Migration),
            Box::new(m20261128_000005_distribution_and_entry::Migration),
            Box::new(m20261128_000006_results_and_reading::Migration),
            Box::new(m20261128_000007_feedback_handling::Migration),
            Box::new(m20261130_000008_response_reading_indexes::Migration),
            Box::new(m20261130_000009_breakdown_tallies::Migration),
            Box::new(m20261202_000010_access_scopes::Migration),
            Box::new(m20261202_000011_exclusions_and_retention::Migration),
            Box::new(m20261202_000012_agency_setup::Migration),
            Box::new(m20261203_000013_pair_sums::Migration),
            Box::new(m20261203_000014_round_populations::Migration),
            Box::new(m20261204_000015_actions::Migration),
            Box::new(m20261204_000016_quality_flags::Migration),
            Box::new(m20261205_000017_feedback_tallies::Migration),
            Box::new(m20261206_000018_excluded_responses_index::Migration),
            Box::new(m20261207_000019_flagged_tallies::Migration),
            Box::new(m20261208_000020_outbox::Migration),
            Box::new(m20261209_000021_invitation_mail::Migration),
            Box::new(m20261210_000022_answer_notice_key::Migration),
            Box::new(m20261211_000023_outbox_send_rates::Migration),
            Box::new(m20261212_000024_dossiers::Migration),
            Box::new(m20261213_000025_counter_kiosks::Migration),
            Box::new(m20261214_000026_dossier_notices::Migration),
            Box::new(m20261215_000027_webhooks::Migration),
            Box::new(m20261216_000028_work_alerts::Migration),
            Box::new(m20261217_000029_sampled_invitations::Migration),
            Box::new(m20261218_000030_message_templates::Migration),
            Box::new(m20261219_000031_partial_response_indexes::Migration),
            Box::new(m20261220_000032_flag_tallies::Migration),
            Box::new(m20261221_000033_dossier_counts::Migration),
            Box::new(m20261222_000034_timed_responses_index::Migration),
            Box::new(m20261223_000035_breakdowns_within_department::Migration),
            Box::new(m20261224_000036_feedback_counts::Migration),
            Box::new(m20261225_000037_partial_outbox_indexes::Migration),
        ]
    }
}
