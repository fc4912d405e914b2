//! Per-address request budgets of this instance: public submissions,
//! sign-in and tracking-code lookups. Sign-in is also throttled in the
//! database (shared by all instances); these stop floods early. Which
//! request spends which budget is named by the endpoints themselves: the
//! server functions' own paths here, and a route layer on each budgeted
//! route of the JSON API ([`limit_route`]).

use std::num::NonZeroU32;
use std::sync::Arc;

use app::error::PageError;
use app::server_fns::{
    GetReceipt, GetSavedDraft, GetTracking, Login, RateFeedback, SendFeedback, SubmitSurvey,
};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::server_fn::ServerFn;

use super::{client, refusal};

/// Requests per minute (and burst) per address.
pub const SURVEY_SUBMITS_PER_MINUTE: u32 = 30;
pub const API_SUBMITS_PER_MINUTE: u32 = 120;
pub const LOGINS_PER_MINUTE: u32 = 20;
/// Feedback sent through the public form or API.
pub const FEEDBACK_PER_MINUTE: u32 = 10;
/// Tracking-code lookups and ratings: enough for a person, too few to guess codes.
pub const TRACKING_PER_MINUTE: u32 = 30;
/// Receipts, saved drafts and QR codes looked up by their code or round.
pub const LOOKUPS_PER_MINUTE: u32 = 60;

/// The budgets a request can spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    SurveySubmit,
    ApiSubmit,
    Login,
    FeedbackSubmit,
    Tracking,
    Lookup,
}

pub struct RateLimits {
    enabled: bool,
    survey_submit: DefaultKeyedRateLimiter<String>,
    api_submit: DefaultKeyedRateLimiter<String>,
    login: DefaultKeyedRateLimiter<String>,
    feedback_submit: DefaultKeyedRateLimiter<String>,
    tracking: DefaultKeyedRateLimiter<String>,
    lookup: DefaultKeyedRateLimiter<String>,
}

fn per_minute(n: u32) -> DefaultKeyedRateLimiter<String> {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(n).allow_burst(n))
}

impl RateLimits {
    /// Fresh budgets; `enabled = false` lets every request through.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            survey_submit: per_minute(SURVEY_SUBMITS_PER_MINUTE),
            api_submit: per_minute(API_SUBMITS_PER_MINUTE),
            login: per_minute(LOGINS_PER_MINUTE),
            feedback_submit: per_minute(FEEDBACK_PER_MINUTE),
            tracking: per_minute(TRACKING_PER_MINUTE),
            lookup: per_minute(LOOKUPS_PER_MINUTE),
        }
    }

    fn limiter(&self, budget: Budget) -> &DefaultKeyedRateLimiter<String> {
        match budget {
            Budget::SurveySubmit => &self.survey_submit,
            Budget::ApiSubmit => &self.api_submit,
            Budget::Login => &self.login,
            Budget::FeedbackSubmit => &self.feedback_submit,
            Budget::Tracking => &self.tracking,
            Budget::Lookup => &self.lookup,
        }
    }

    /// Spends one request of `budget` for `key`; `Err` holds the seconds to wait.
    pub fn spend(&self, budget: Budget, key: &str) -> Result<(), u64> {
        if !self.enabled {
            return Ok(());
        }
        let limiter = self.limiter(budget);
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&key.to_owned()).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

/// The budget of a request to a page or server function, if any.
fn page_budget(method: &Method, path: &str, query: Option<&str>) -> Option<Budget> {
    if method == Method::GET {
        let looks_up_a_code =
            path == app::pages::TRACKING_PAGE && query.is_some_and(|q| q.contains("code="));
        if looks_up_a_code {
            return Some(Budget::Tracking);
        }
        return looks_up_a_survey_code(path, query).then_some(Budget::Lookup);
    }
    if method != Method::POST {
        return None;
    }
    if path == SendFeedback::PATH {
        Some(Budget::FeedbackSubmit)
    } else if path == GetTracking::PATH || path == RateFeedback::PATH {
        Some(Budget::Tracking)
    } else if path == SubmitSurvey::PATH {
        Some(Budget::SurveySubmit)
    } else if path == Login::PATH {
        Some(Budget::Login)
    } else if path == GetReceipt::PATH || path == GetSavedDraft::PATH {
        Some(Budget::Lookup)
    } else {
        None
    }
}

/// The survey's pages that open by a code: a receipt
/// (`/s/{slug}/receipt/{code}`), a saved draft (`/s/{slug}/saved/{code}`)
/// and the form resumed from one (`/s/{slug}?draft=…`).
fn looks_up_a_survey_code(path: &str, query: Option<&str>) -> bool {
    let Some(rest) = path.strip_prefix("/s/") else {
        return false;
    };
    let mut segments = rest.split('/');
    let _slug = segments.next();
    matches!(segments.next(), Some("receipt" | "saved"))
        || query.is_some_and(|q| q.contains("draft="))
}

pub(crate) fn spend_or_refuse(
    limits: &RateLimits,
    budget: Budget,
    request: &Request,
) -> Option<Response> {
    let client = client::of(request);
    let wait = limits.spend(budget, &client.network).err()?;
    Some(refusal::refuse(
        &client,
        request.uri().path(),
        StatusCode::TOO_MANY_REQUESTS,
        PageError::RateLimited {
            retry_after_secs: wait,
        },
    ))
}

/// The layer over every route: the budgets of pages and server functions.
/// Handlers that spend a budget by what the body says (a comment in a
/// response) find the budgets in the request's extensions.
pub async fn limit_pages(
    State(limits): State<Arc<RateLimits>>,
    mut request: Request,
    next: Next,
) -> Response {
    let budget = page_budget(
        request.method(),
        request.uri().path(),
        request.uri().query(),
    );
    if let Some(refused) = budget.and_then(|b| spend_or_refuse(&limits, b, &request)) {
        return refused;
    }
    request.extensions_mut().insert(limits);
    next.run(request).await
}

/// A route layer that spends `budget` on every request to the routes it
/// wraps: `route_layer(from_fn_with_state((limits, budget), limit_route))`.
pub async fn limit_route(
    State((limits, budget)): State<(Arc<RateLimits>, Budget)>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(refused) = spend_or_refuse(&limits, budget, &request) {
        return refused;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_public_server_function_spends_its_own_budget() {
        let post = Method::POST;
        assert_eq!(
            page_budget(&post, SubmitSurvey::PATH, None),
            Some(Budget::SurveySubmit)
        );
        assert_eq!(
            page_budget(&post, SendFeedback::PATH, None),
            Some(Budget::FeedbackSubmit)
        );
        assert_eq!(
            page_budget(&post, RateFeedback::PATH, None),
            Some(Budget::Tracking)
        );
        assert_eq!(page_budget(&post, Login::PATH, None), Some(Budget::Login));
        assert_eq!(
            page_budget(&Method::GET, app::pages::TRACKING_PAGE, Some("code=PA-1")),
            Some(Budget::Tracking)
        );
        assert_eq!(
            page_budget(&Method::GET, app::pages::TRACKING_PAGE, None),
            None
        );
    }
}
