//! Feedback and the hotline: the [`public`] pages (the form, tracking, the
//! published answers), the [`staff`] pages that record and handle items,
//! and the admin [`settings`] of hotline, deadlines and holidays. Every form
//! is a plain HTML form: it works without JavaScript.

mod public;
mod settings;
mod staff;

pub use public::{AnswersPage, FeedbackPage, TrackingPage};
pub use settings::FeedbackSettingsPage;
pub use staff::{FeedbackItemPage, FeedbackListPage, FeedbackRecordPage, FeedbackReportPage};

use domain::i18n::Lang;
use domain::model::{Choice, FeedbackCategory, ProcedureChoice};

pub(super) fn department_choices(departments: &[Choice]) -> Vec<(String, String)> {
    departments
        .iter()
        .map(|d| (d.code.clone(), format!("{} — {}", d.code, d.label)))
        .collect()
}

pub(super) fn category_choices(lang: Lang) -> Vec<(String, String)> {
    FeedbackCategory::ALL
        .iter()
        .map(|c| (c.code().to_owned(), lang.feedback_category(*c).to_owned()))
        .collect()
}

pub(super) fn procedure_choices(procedures: &[ProcedureChoice]) -> Vec<(String, String)> {
    procedures
        .iter()
        .map(|p| (p.code.clone(), p.label.clone()))
        .collect()
}
