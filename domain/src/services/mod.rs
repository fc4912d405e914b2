//! The rules of the domain. Server functions and the JSON API are thin
//! adapters over these functions; each rule lives here once.

pub mod accounts;
pub mod actions;
pub mod audit;
pub mod catalogue;
pub mod dossiers;
pub mod drafts;
pub mod drivers;
pub mod evidence;
pub mod exports;
pub mod feedback;
pub mod flashes;
pub mod holidays;
pub mod imports;
pub mod indices;
pub mod instruments;
pub mod invitations;
pub mod logo;
pub mod message_templates;
pub mod outbox;
pub mod pair_sums;
pub mod quality;
pub mod responses;
pub mod results;
pub mod retention;
pub mod rounds;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod tallies;
pub mod tokens;
pub mod webhooks;
pub mod weighting;
pub mod work_alerts;

/// Names `field` in `violations` when `value` is empty though `min` > 0,
/// shorter than `min` or longer than `max` characters.
pub(crate) fn check_length(
    violations: &mut Vec<crate::model::Violation>,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) {
    use crate::model::{Problem, Violation};
    let length = value.chars().count();
    if min > 0 && length == 0 {
        violations.push(Violation::new(field, Problem::Required));
    } else if length < min {
        violations.push(Violation::new(field, Problem::TooShort { min }));
    } else if length > max {
        violations.push(Violation::new(field, Problem::TooLong { max }));
    }
}
