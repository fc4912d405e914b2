//! Feedback handling (phản ánh, kiến nghị): [`record`]ing from every channel
//! with a tracking code, the status [`workflow`] with its history and
//! working-day deadlines, the staff [`queries`] with search, the [`public`]
//! views without personal data with the sender's rating, and the
//! leadership's [`panel`] and the six-monthly [`report()`]. The rules themselves (statuses, who may act,
//! deadlines) are pure, in [`crate::feedback_rules`].

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::AppError;
use crate::entities::{department, feedback_item};
use crate::model::{FeedbackCategory, Problem, SenderContact, Violation};

mod events;
pub mod open311;
mod panel;
mod public;
mod queries;
mod record;
mod report;
pub mod tallies;
mod workflow;

pub use open311::{
    Open311Request, Open311Service, requests as open311_requests, services as open311_services,
};
pub use panel::panel;
pub use public::{holds_rating_key, issue_rating_key, public_view, published_answers, rate};
pub use queries::{ContactRead, detail, list};
pub use record::{
    NewFeedback, Recorder, record, record_dossier_comment, record_survey_comment, reindex_search,
    remove_for_response, tracking_code_of_response,
};
pub use report::{report, report_xlsx};
pub use workflow::{ActionInput, act, actions_for, find};

pub const CONTENT_MIN: usize = 10;
pub const CONTENT_MAX: usize = 10_000;
pub const SUBJECT_MAX: usize = 200;
pub const NAME_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 300;
/// The longest email address the standards allow.
pub const EMAIL_MAX: usize = 254;
pub const ANSWER_MIN: usize = 10;
pub const REASON_MAX: usize = 2_000;
/// Items per page of the staff list and of the public list.
pub const PAGE_SIZE: u64 = 25;

// Helpers the parts share.

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

use super::check_length;

/// A category code typed in a form: empty is none, an unknown code is a violation.
fn parse_category(text: &str, violations: &mut Vec<Violation>) -> Option<FeedbackCategory> {
    let code = optional(text)?;
    let category = FeedbackCategory::parse(&code);
    if category.is_none() {
        violations.push(Violation::new("category", Problem::InvalidValue));
    }
    category
}

fn sender_of(item: &feedback_item::Model) -> SenderContact {
    SenderContact {
        name: item.sender_name.clone().unwrap_or_default(),
        address: item.sender_address.clone().unwrap_or_default(),
        phone: item.sender_phone.clone().unwrap_or_default(),
        email: item.sender_email.clone().unwrap_or_default(),
    }
}

fn page_number(text: &str) -> u64 {
    text.trim().parse::<u64>().unwrap_or(1).max(1)
}

async fn department_codes(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<i32, department::Model>, AppError> {
    Ok(department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect())
}
