//! Pages, one module per domain. Pages read their parameters, call a server
//! function and lay out the result; they hold no rules.

mod actions;
mod admin;
mod auth;
mod dossiers;
mod feedback;
mod home;
pub(crate) mod indices;
mod instruments;
mod not_found;
mod quality;
mod rounds;
mod sampling;
mod setup;
mod survey;
mod templates;
mod webhooks;

pub use actions::{ActionPlanPage, PublicActionsPage};
pub use admin::{
    AuditPage, OutboxAdminPage, PERSON_EXPORT_PATH, PersonalDataAdminPage, TokensPage, UsersPage,
};
pub use auth::{AccountPage, LoginPage, StaffHomePage};
pub use dossiers::{
    DossiersPage, KioskScreenPage, KiosksPage, PublicDossierRatingsPage, RateDossierPage,
};
pub use feedback::{
    AnswersPage, FeedbackItemPage, FeedbackListPage, FeedbackPage, FeedbackRecordPage,
    FeedbackReportPage, FeedbackSettingsPage, TrackingPage,
};
pub use home::HomePage;
pub use indices::{ComparePage, DashboardPage, ReportPage, ResultsPage};
pub use instruments::{InstrumentPage, InstrumentsPage};
pub use not_found::NotFound;
pub use quality::QualityReviewPage;
pub use rounds::{
    EntryPage, ImportJobPage, InvitationsPage, PosterPage, RoundManagePage, RoundsPage,
};
pub use setup::{CataloguePage, ProfilePage, SettingsAdminPage, SetupPage};
pub use survey::{ReceiptPage, SavedPage, SurveyPage, UnsubscribePage};
pub use templates::{MessageTemplatePage, MessageTemplatesPage};
pub use webhooks::WebhooksPage;

/// The tracking page's path: looking a code up there spends the tracking
/// budget of the rate limits (the route in [`crate::App`] is this path).
pub const TRACKING_PAGE: &str = "/feedback/track";
