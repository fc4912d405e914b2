//! The invitations page's progress table as an island: drawn on the server
//! with the figures of the moment (a reload refreshes it without
//! JavaScript); in the browser it asks for the figures again every three
//! seconds while invitations wait to be sent, and stops once none waits.
//! It wakes as soon as the page is read (`data-wake="at-once"`), not at the
//! first touch: staff watch it without touching anything.

use leptos::prelude::*;

use crate::server_fns::get_invitation_progress;
use domain::i18n::{Lang, progress_counts};
use domain::model::InvitationProgress;

/// How often the browser asks for the figures while messages wait.
#[cfg(feature = "hydrate")]
const POLL_MS: u64 = 3000;

#[island]
pub fn InvitationProgressIsland(
    lang: Lang,
    slug: String,
    progress: InvitationProgress,
    /// Sent with each request, as every call from a page must.
    csrf_token: String,
) -> impl IntoView {
    let m = lang.mailing_texts();
    let progress = RwSignal::new(progress);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if progress.get_untracked().queued == 0 {
                    return;
                }
                let (slug, csrf_token) = (slug.clone(), csrf_token.clone());
                leptos::task::spawn_local(async move {
                    if let Ok(now) = get_invitation_progress(slug, Some(csrf_token)).await {
                        progress.set(now);
                    }
                });
            },
            std::time::Duration::from_millis(POLL_MS),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&slug, &csrf_token, get_invitation_progress);
    let rows = move || {
        m.stages
            .iter()
            .zip(progress_counts(&progress.get()))
            .map(|(stage, n)| {
                view! { <tr><th scope="row">{*stage}</th><td class="num">{lang.count(n)}</td></tr> }
            })
            .collect_view()
    };
    view! {
        <table class="data" data-testid="invitation-progress" data-wake="at-once" aria-live="polite">
            <caption>{m.progress_caption}</caption>
            <thead><tr><th scope="col">{m.col_stage}</th><th scope="col">{m.col_count}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
