//! Server functions of the leadership dashboard, the comparison of rounds,
//! the printable report and the published results.

use leptos::prelude::*;

use crate::error::PageError;

use domain::i18n::Lang;
use domain::model::{
    ComparisonPage, DashboardData, IndexFilter, PublishedPage, PublishedSummary, StaffPage,
};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{
        AppState,
        auth::{ANY_ROLE, request_auth, require},
    },
    domain::{
        AppError, charts,
        model::{CommentRow, ComparisonData, Role},
        services::{
            catalogue, drivers, feedback, indices, instruments, responses, results, rounds,
            settings, weighting,
        },
    },
};

/// Indices of a round (restricted by `filter`) with every chart, breakdown
/// and table of the dashboard, for any signed-in user.
#[server(prefix = "/sf", endpoint = "indices/dashboard")]
pub async fn get_dashboard(
    slug: String,
    lang: Lang,
    filter: IndexFilter,
) -> Result<StaffPage<DashboardData>, PageError> {
    let input = filter;
    super::staff_page(ANY_ROLE, |state, principal| async move {
        let db = &state.db;
        let round = rounds::require(db, &slug).await?;
        let filter = indices::resolve_filter(db, &input).await?;
        let instrument = instruments::load(db, round.instrument_id).await?;
        let mut report = indices::report_on(db, &round, &instrument, &filter).await?;
        // Weighted figures cover the whole round, like the drivers.
        if filter.is_whole_round() {
            report.weighted = weighting::weighted(db, &round, &instrument, lang).await?;
        }
        let target = settings::target_index(db).await?;
        let element_targets = settings::element_targets(db).await?;
        let mut breakdowns = Vec::new();
        for dimension in indices::DIMENSIONS {
            breakdowns
                .push(indices::breakdown(db, &round, &instrument, dimension, &filter, lang).await?);
        }
        let trend = indices::trend(db, &round, &report, &filter, lang).await?;
        let previous = trend.iter().rev().find(|p| p.slug != round.slug).cloned();
        let bars = charts::ElementBar::of_report(&report, target, &element_targets);
        let rows = charts::distribution_rows(&report);
        let departments_by_id: std::collections::HashMap<i32, String> =
            catalogue::active_departments(db)
                .await?
                .into_iter()
                .map(|d| (d.id, d.code))
                .collect();
        let comments = responses::recent_comments(db, &principal, round.id, &filter, 10)
            .await?
            .into_iter()
            .map(|r| CommentRow {
                submitted_at: domain::i18n::local_time(r.submitted_at),
                department: r
                    .department_id
                    .and_then(|id| departments_by_id.get(&id).cloned()),
                text: r.comment.unwrap_or_default(),
            })
            .collect();
        let (departments, procedures) = catalogue::choices(db, lang).await?;
        let other_rounds = rounds::list_all(db)
            .await?
            .iter()
            .filter(|r| r.id != round.id)
            .map(|r| rounds::summary(r, lang))
            .collect();
        let feedback_panel =
            feedback::panel(db, round.year, round.half, filter.department_id, lang).await?;
        // Drivers always cover the whole round: the pair sums are per round.
        let drivers = if filter.is_whole_round() {
            Some(
                drivers::of_round(db, &round, &instrument, &report, target, &element_targets)
                    .await?,
            )
        } else {
            None
        };
        let drivers_chart_svg = match &drivers {
            Some(analysis) if analysis.hidden.is_none() => charts::importance_performance(
                &charts::MatrixPoint::of_analysis(analysis),
                analysis.mean_weight,
                target,
                lang,
            )
            .map_err(AppError::Internal)?,
            _ => String::new(),
        };
        let dossiers = domain::services::dossiers::figures::half_year(
            db,
            round.year,
            round.half,
            filter.department_id,
            lang,
        )
        .await?;
        Ok(DashboardData {
            dossiers,
            drivers,
            drivers_chart_svg,
            feedback: feedback_panel,
            lang,
            agency_name: settings::agency_name_in(db, lang).await?,
            logo: domain::services::logo::url(db).await?,
            round: rounds::summary(&round, lang),
            element_chart_svg: charts::element_bars(&bars, target, lang)
                .map_err(AppError::Internal)?,
            distribution_chart_svg: charts::distribution_bars(&rows, lang)
                .map_err(AppError::Internal)?,
            trend_chart_svg: charts::trend_line(&trend, target, lang)
                .map_err(AppError::Internal)?,
            stats: rounds::stats(db, &round).await?,
            published_id: results::of_round(db, round.id).await?,
            pending_exclusions: responses::pending_exclusions(db, round.id).await?,
            decides_exclusions: principal.role == Role::Leader,
            report,
            target,
            element_targets,
            previous,
            breakdowns,
            trend,
            comments,
            filter: input,
            departments,
            procedures,
            other_rounds,
        })
    })
    .await
}

/// Round `other` against round `slug`, criterion by criterion. Without
/// `other`, the round before `slug` on the same questionnaire against it.
#[server(prefix = "/sf", endpoint = "indices/compare")]
pub async fn get_comparison(
    slug: String,
    other: String,
    lang: Lang,
) -> Result<StaffPage<ComparisonPage>, PageError> {
    super::staff_page(ANY_ROLE, |state, _| async move {
        let named = rounds::require(&state.db, &slug).await?;
        let (base, second) = if other.is_empty() {
            match indices::previous(&state.db, &named).await? {
                Some(earlier) => (earlier, named),
                None => {
                    return Ok(ComparisonPage::NoEarlierRound(rounds::summary(
                        &named, lang,
                    )));
                }
            }
        } else {
            let second = rounds::require(&state.db, &other).await?;
            (named, second)
        };
        let filter = indices::Filter::default();
        let comparison = indices::compare(
            &indices::report(&state.db, &base, &filter).await?,
            &indices::report(&state.db, &second, &filter).await?,
        );
        Ok(ComparisonPage::Compared(Box::new(ComparisonData {
            base: rounds::summary(&base, lang),
            other: rounds::summary(&second, lang),
            comparison,
        })))
    })
    .await
}

/// Published results: public, by their permanent id.
#[server(prefix = "/sf", endpoint = "results/page")]
pub async fn get_published(
    public_id: String,
    lang: Lang,
) -> Result<Option<PublishedPage>, PageError> {
    let state = AppState::from_context()?;
    let Some(found) =
        results::find(&state.db, &domain::public_codes::normalise(&public_id)).await?
    else {
        return Ok(None);
    };
    let bars = charts::ElementBar::of_report(&found.report, found.target, &found.element_targets);
    let round = rounds::require(&state.db, &found.round_slug).await?;
    Ok(Some(PublishedPage {
        has_actions: domain::services::actions::has_published(&state.db, round.id).await?,
        element_chart_svg: charts::element_bars(&bars, found.target, lang)
            .map_err(AppError::Internal)?,
        results: found,
    }))
}

/// Every published result, newest first, for the public home page.
#[server(prefix = "/sf", endpoint = "results/list")]
pub async fn list_published(lang: Lang) -> Result<Vec<PublishedSummary>, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    Ok(domain::services::results::list(&state.db, lang).await?)
}

/// A step on a response's place in the figures: staff ask (`propose`), a
/// leader confirms, declines, or counts a left-out response again.
#[server(prefix = "/sf", endpoint = "responses/exclude")]
pub async fn exclude_response(
    slug: String,
    receipt_code: String,
    reason: Option<String>,
    step: Option<String>,
) -> Result<(), PageError> {
    use domain::services::responses::ExclusionStep;
    let principal = require(&[Role::Admin, Role::Staff, Role::Leader])?;
    let state = crate::ssr::AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    let reason = reason.unwrap_or_default();
    let step = match step.as_deref() {
        Some("confirm") => ExclusionStep::Confirm,
        Some("decline") => ExclusionStep::Decline,
        Some("restore") => ExclusionStep::Restore,
        _ => ExclusionStep::Propose,
    };
    let outcome = responses::decide_exclusion(
        &state.db,
        &principal,
        &round,
        &receipt_code,
        step,
        &reason,
        &request_auth().client_ip,
    )
    .await
    .map(|()| {
        let notice = match step {
            ExclusionStep::Propose if principal.role != Role::Leader => "exclusion-proposed",
            ExclusionStep::Propose | ExclusionStep::Confirm => "response-excluded",
            ExclusionStep::Decline => "exclusion-declined",
            ExclusionStep::Restore => "response-restored",
        };
        Some(notice.to_owned())
    });
    let values = [
        ("receipt_code".to_owned(), receipt_code),
        ("reason".to_owned(), reason),
    ]
    .into();
    super::admin::finish_form(
        "exclude",
        &format!("/rounds/{slug}/dashboard"),
        outcome,
        values,
    )
    .await
}
