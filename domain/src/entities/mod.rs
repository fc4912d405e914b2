//! sea-orm entities, one per table of `migrations/`. Relations are not
//! declared: services write their joins explicitly.

pub mod action;
pub mod agency_asset;
pub mod answer;
pub mod api_token;
pub mod audit_entry;
pub mod breakdown_tally;
pub mod complete_response;
pub mod criterion;
pub mod department;
pub mod element;
pub mod feedback_event;
pub mod feedback_item;
pub mod feedback_tally;
pub mod form_flash;
pub mod holiday;
pub mod import_job;
pub mod instrument;
pub mod invitation;
pub mod login_throttle;
pub mod outbox_message;
pub mod pair_sum;
pub mod procedure;
pub mod response;
pub mod response_draft;
pub mod response_flag;
pub mod response_tally;
pub mod result_snapshot;
pub mod round;
pub mod round_department;
pub mod round_population;
pub mod session;
pub mod setting;
pub mod tally;
pub mod user;
pub mod user_department;
