//! Hài Lòng: the Leptos application. Pages are rendered on the server;
//! only islands (`#[island]`) are hydrated in the browser, so every page works
//! without JavaScript and the public pages stay light on cheap phones.
#![recursion_limit = "512"]

pub mod components;
pub mod error;
pub mod pages;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::pages::{
    AccountPage, AuditPage, CataloguePage, ComparePage, DashboardPage, DossiersPage, EntryPage,
    HomePage, ImportJobPage, InstrumentPage, InstrumentsPage, InvitationsPage, KioskScreenPage,
    KiosksPage, LoginPage, MessageTemplatePage, MessageTemplatesPage, NotFound, OutboxAdminPage,
    PersonalDataAdminPage, PosterPage, ProfilePage, PublicDossierRatingsPage, RateDossierPage,
    ReceiptPage, ReportPage, ResultsPage, RoundManagePage, RoundsPage, SavedPage,
    SettingsAdminPage, SetupPage, StaffHomePage, SurveyPage, TokensPage, UnsubscribePage,
    UsersPage, WebhooksPage,
};
use crate::pages::{ActionPlanPage, PublicActionsPage, QualityReviewPage};
use crate::pages::{
    AnswersPage, FeedbackItemPage, FeedbackListPage, FeedbackPage, FeedbackRecordPage,
    FeedbackReportPage, FeedbackSettingsPage, TrackingPage,
};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::security_headers::set_content_security_policy();
    let stylesheet = format!("/pkg/{}.css", options.output_name);
    // Only pages with an island download and run the wasm.
    #[cfg(feature = "ssr")]
    let hydrates =
        use_context::<http::request::Parts>().is_some_and(|parts| has_island(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let hydrates = true;
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                {hydrates.then(|| view! { <components::IslandLoader options=options.clone() /> })}
                <link rel="stylesheet" id="leptos" href=stylesheet />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The pages that hold an island (the survey form): the public form
/// `/s/{slug}` and staff entry `/rounds/{slug}/entry`.
pub fn has_island(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(segments.as_slice(), ["s", slug] if !slug.is_empty())
        || matches!(segments.as_slice(), ["rounds", slug, "entry" | "invitations"] if !slug.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_survey_form_and_invitations_pages_hydrate() {
        assert!(super::has_island("/s/khao-sat-2026-h2"));
        assert!(super::has_island("/rounds/khao-sat-2026-h2/entry"));
        assert!(super::has_island("/rounds/khao-sat-2026-h2/invitations"));
        assert!(!super::has_island("/"));
        assert!(!super::has_island("/s/khao-sat-2026-h2/receipt/HL-1"));
        assert!(!super::has_island("/feedback"));
        assert!(!super::has_island("/rounds/khao-sat-2026-h2"));
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/s/:slug") view=SurveyPage ssr=SsrMode::Async />
                <Route
                    path=path!("/s/:slug/receipt/:code")
                    view=ReceiptPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/s/:slug/saved/:code") view=SavedPage ssr=SsrMode::Async />
                <Route path=path!("/s/:slug/unsubscribe") view=UnsubscribePage ssr=SsrMode::Async />
                <Route path=path!("/r/:key") view=RateDossierPage ssr=SsrMode::Async />
                <Route path=path!("/dossiers") view=DossiersPage ssr=SsrMode::Async />
                <Route path=path!("/ratings") view=PublicDossierRatingsPage ssr=SsrMode::Async />
                <Route path=path!("/dossiers/kiosks") view=KiosksPage ssr=SsrMode::Async />
                <Route path=path!("/kiosk/:token") view=KioskScreenPage ssr=SsrMode::Async />
                <Route path=path!("/rounds") view=RoundsPage ssr=SsrMode::Async />
                <Route path=path!("/rounds/:slug") view=DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/rounds/:slug/manage") view=RoundManagePage ssr=SsrMode::Async />
                <Route path=path!("/rounds/:slug/poster") view=PosterPage ssr=SsrMode::Async />
                <Route path=path!("/rounds/:slug/report") view=ReportPage ssr=SsrMode::Async />
                <Route path=path!("/rounds/:slug/compare") view=ComparePage ssr=SsrMode::Async />
                <Route path=path!("/rounds/:slug/actions") view=ActionPlanPage ssr=SsrMode::Async />
                <Route path=path!("/rounds/:slug/quality") view=QualityReviewPage ssr=SsrMode::Async />
                <Route path=path!("/results/:id") view=ResultsPage ssr=SsrMode::Async />
                <Route path=path!("/results/:id/actions") view=PublicActionsPage ssr=SsrMode::Async />
                <Route
                    path=path!("/rounds/:slug/invitations")
                    view=InvitationsPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/rounds/:slug/entry") view=EntryPage ssr=SsrMode::Async />
                <Route
                    path=path!("/rounds/:slug/imports/:job")
                    view=ImportJobPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/instruments") view=InstrumentsPage ssr=SsrMode::Async />
                <Route path=path!("/instruments/:id") view=InstrumentPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/admin/setup") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/admin/profile") view=ProfilePage ssr=SsrMode::Async />
                <Route path=path!("/admin/catalogue") view=CataloguePage ssr=SsrMode::Async />
                <Route path=path!("/admin/settings") view=SettingsAdminPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/tokens") view=TokensPage ssr=SsrMode::Async />
                <Route path=path!("/admin/personal-data") view=PersonalDataAdminPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/outbox") view=OutboxAdminPage ssr=SsrMode::Async />
                <Route path=path!("/admin/webhooks") view=WebhooksPage ssr=SsrMode::Async />
                <Route path=path!("/admin/messages") view=MessageTemplatesPage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/messages/:kind/:lang")
                    view=MessageTemplatePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/feedback-settings")
                    view=FeedbackSettingsPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/feedback") view=FeedbackPage ssr=SsrMode::Async />
                <Route path=path!("/feedback/track") view=TrackingPage ssr=SsrMode::Async />
                <Route path=path!("/feedback/answers") view=AnswersPage ssr=SsrMode::Async />
                <Route path=path!("/feedback/items") view=FeedbackListPage ssr=SsrMode::Async />
                <Route path=path!("/feedback/report") view=FeedbackReportPage ssr=SsrMode::Async />
                <Route
                    path=path!("/feedback/items/new")
                    view=FeedbackRecordPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/feedback/items/:id") view=FeedbackItemPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
