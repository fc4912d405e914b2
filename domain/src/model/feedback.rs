//! Feedback and the hotline (phản ánh, kiến nghị): what the public and staff pages show. The codes and the workflow are in [`crate::feedback_rules`].

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

pub use crate::feedback_rules::{
    Classification, DeadlineStep, FeedbackAction, FeedbackCategory, FeedbackChannel,
    FeedbackStatus, PublicStatus, SenderContact,
};

/// The agency's published hotline; empty fields are not set up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HotlineInfo {
    pub phone: String,
    pub address: String,
    pub email: String,
    /// e.g. "7:30–11:30 và 13:30–17:00, thứ Hai đến thứ Sáu"
    pub hours: String,
}

/// The public page with the hotline and the feedback form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackFormData {
    pub agency_name: String,
    /// The address of the agency's logo, if it has one.
    #[serde(default)]
    pub logo: Option<String>,
    pub hotline: HotlineInfo,
    pub departments: Vec<Choice>,
    pub csrf_token: String,
    pub flash: Option<FormFlash>,
}

/// What the sender sees by the tracking code: the status and the published
/// answer, nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PublicFeedbackView {
    pub tracking_code: String,
    pub status: PublicStatus,
    /// "dd/mm/yyyy"
    pub received_on: String,
    /// Why an item closed without an answer here (routed out, out of scope, duplicate).
    pub classification: Option<Classification>,
    /// The published answer, with personal data removed.
    pub answer: Option<String>,
    pub answered_on: Option<String>,
    /// The sender may rate the handling now (once, after the answer is
    /// published, with the private rating key).
    pub can_rate: bool,
    /// The page was opened with the item's private rating key.
    pub holds_rating_key: bool,
    pub rating: Option<i16>,
}

/// The tracking page: the lookup form and, for a known code, the item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingPageData {
    pub code: String,
    pub item: Option<PublicFeedbackView>,
    /// The private rating key the page was opened with, when it is the item's.
    pub rating_key: Option<String>,
    pub csrf_token: String,
    pub flash: Option<FormFlash>,
}

/// A published answer as the public list shows it: no tracking code, no
/// sender, personal data removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PublicAnswer {
    pub received_on: String,
    pub published_on: String,
    pub category: Option<FeedbackCategory>,
    /// The department that answered, by name.
    pub department: Option<String>,
    pub question: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PublicAnswersPage {
    pub answers: Vec<PublicAnswer>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// Filters of the staff list, as query parameters (empty = any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct FeedbackFilter {
    /// A status code, e.g. in-progress.
    #[serde(default)]
    pub status: String,
    /// A department code, e.g. QLDN.
    #[serde(default)]
    pub department: String,
    /// A channel code, e.g. hotline.
    #[serde(default)]
    pub channel: String,
    /// "1": only items past their step's deadline.
    #[serde(default)]
    pub overdue: String,
    /// Words to find in the tracking code, subject, content, answer or sender.
    #[serde(default)]
    pub q: String,
    /// From 1.
    #[serde(default)]
    pub page: String,
}

/// One item in the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackRow {
    pub id: i32,
    pub tracking_code: String,
    pub channel: FeedbackChannel,
    pub status: FeedbackStatus,
    /// "dd/mm/yyyy hh:mm", Vietnam time.
    pub received_at: String,
    /// The subject, or the start of the content.
    pub title: String,
    /// Department code.
    pub department: Option<String>,
    /// "dd/mm/yyyy": when the current step is due.
    pub due_on: Option<String>,
    pub overdue: bool,
    pub eligible_for_reply: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackList {
    pub rows: Vec<FeedbackRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Open items past their deadline, whatever the filter.
    pub overdue_total: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackListData {
    /// Years deadlines may fall in whose swap days are not entered yet.
    pub missing_swap_years: Vec<i32>,
    pub filter: FeedbackFilter,
    pub list: FeedbackList,
    pub departments: Vec<Choice>,
    pub can_record: bool,
}

/// One change in an item's history: who, when, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackEventRow {
    /// "dd/mm/yyyy hh:mm"
    pub at: String,
    pub actor: String,
    /// "record" or a [`FeedbackAction`] code.
    pub action: String,
    pub from_status: Option<FeedbackStatus>,
    pub to_status: FeedbackStatus,
    pub reason: Option<String>,
}

/// One piece of a text as the public will see it: kept, or hidden.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TextPiece {
    pub text: String,
    /// Hidden from the public (shown, highlighted, to the leader who publishes).
    pub hidden: bool,
}

/// Everything staff see of one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackDetail {
    pub id: i32,
    pub tracking_code: String,
    pub channel: FeedbackChannel,
    pub status: FeedbackStatus,
    pub classification: Option<Classification>,
    pub category: Option<FeedbackCategory>,
    /// The tracking code of the record this one duplicates.
    pub duplicate_of: Option<String>,
    pub subject: Option<String>,
    /// The sender's text, or the faithful transcript of a call.
    pub content: String,
    /// The sender's contact, only for those who may see it (see
    /// `Principal::sees_contacts_of`); every read is in the audit log.
    pub sender: Option<SenderContact>,
    /// A leader may open the hidden contact on purpose (the opening is logged).
    pub may_reveal_contact: bool,
    pub eligible_for_reply: bool,
    /// Contact fields still missing for a reply.
    pub missing_for_reply: Vec<String>,
    pub consent_to_publish: bool,
    /// Department code and name.
    pub department: Option<Choice>,
    pub procedure: Option<Choice>,
    /// The receipt code of the survey response the comment came with.
    pub response_receipt: Option<String>,
    pub answer: Option<String>,
    /// The question as published (personal data removed).
    pub public_summary: Option<String>,
    /// What the public summary would be if staff write none.
    pub suggested_summary: String,
    /// The item's text and answer cut where the public version hides
    /// personal data, for the leader who publishes.
    pub content_pieces: Vec<TextPiece>,
    pub answer_pieces: Vec<TextPiece>,
    pub received_at: String,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub answer_due_on: Option<String>,
    pub answered_at: Option<String>,
    pub published_at: Option<String>,
    pub closed_at: Option<String>,
    pub handling_rating: Option<i16>,
    pub events: Vec<FeedbackEventRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackItemData {
    pub item: FeedbackDetail,
    /// Right after recording: the sender's private rating link, to hand
    /// over with the tracking code (shown once, never stored in clear).
    pub sender_receipt: Option<String>,
    /// What the viewer may do now, in workflow order.
    pub actions: Vec<FeedbackAction>,
    pub departments: Vec<Choice>,
}

/// The staff form that records an item from any channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRecordData {
    pub departments: Vec<Choice>,
    pub procedures: Vec<ProcedureChoice>,
    pub hotline: HotlineInfo,
    /// "yyyy-mm-ddThh:mm", Vietnam time: the default receipt time.
    pub now: String,
}

/// Counts for one department or category in the feedback panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackPanelRow {
    pub code: String,
    pub label: String,
    pub received: u64,
    /// Of those, classified in scope: criticism and requests to handle.
    #[serde(default)]
    pub negative: u64,
    /// Of those, marked as praise only.
    #[serde(default)]
    pub praise: u64,
    pub answered: u64,
    pub overdue: u64,
}

/// The leadership's view of feedback over a period (docs/methodology.md, “Feedback” and “What leadership sees”).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackPanel {
    /// "dd/mm/yyyy – dd/mm/yyyy"
    pub period: String,
    pub received: u64,
    pub in_scope: u64,
    /// Items marked as praise only: counted apart from the negative feedback.
    #[serde(default)]
    pub praise: u64,
    /// Items with an answer (answered, reviewed, published or closed after an answer).
    pub answered: u64,
    /// Of those, answered by the answer deadline.
    pub answered_on_time: u64,
    /// Open items past their step's deadline now.
    pub overdue: u64,
    pub by_department: Vec<FeedbackPanelRow>,
    pub by_category: Vec<FeedbackPanelRow>,
    /// Senders who rated the handling, and their ratings.
    pub ratings: u64,
    pub rating_mean: Option<f64>,
    /// Percent of ratings of 4 or 5.
    pub rating_satisfied_share: Option<f64>,
}

/// One line of the half-year feedback report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackReportRow {
    /// The channel's, classification's or department's code ("" = none yet).
    pub code: String,
    pub label: String,
    pub received: u64,
    /// Items with an answer.
    pub answered: u64,
    /// Of those, answered by the answer deadline.
    pub answered_on_time: u64,
    /// Open items past their step's deadline on the day of the report.
    pub overdue: u64,
    /// Items whose answer is published.
    pub published: u64,
}

/// The six-monthly report on feedback (phản ánh, kiến nghị): the items
/// received in a half-year, in total and by channel, classification and
/// department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackReport {
    pub year: i32,
    pub half: i16,
    /// "dd/mm/yyyy – dd/mm/yyyy"
    pub period: String,
    /// The day the figures were read ("dd/mm/yyyy"): overdue counts change with it.
    pub as_of: String,
    pub total: FeedbackReportRow,
    pub by_channel: Vec<FeedbackReportRow>,
    pub by_classification: Vec<FeedbackReportRow>,
    pub by_department: Vec<FeedbackReportRow>,
}

/// The printable page of the half-year feedback report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackReportData {
    pub agency_name: String,
    pub logo: Option<String>,
    pub report: FeedbackReport,
}

/// The admin page of hotline details, deadlines and holidays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackSettingsData {
    pub hotline: HotlineInfo,
    /// Each step with its working days.
    pub deadlines: Vec<(DeadlineStep, u32)>,
    pub holidays: Vec<HolidayRow>,
    /// Years whose swap days are entered.
    pub swap_years: Vec<i32>,
    /// Years deadlines may fall in whose swap days are not entered yet.
    pub missing_swap_years: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    /// "yyyy-mm-dd"
    pub day: String,
    /// "Thứ Sáu, 01/01/2027" in the page's language.
    pub label: String,
    pub name: String,
    /// A weekend day worked in a swap (otherwise a day off).
    pub workday: bool,
}
