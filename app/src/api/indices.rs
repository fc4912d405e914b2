//! Server functions of the leadership dashboard.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::DashboardData;

/// Indices of a round with the element chart; `None` when the round does not exist.
#[server(prefix = "/sf", endpoint = "indices/dashboard")]
pub async fn get_dashboard(
    slug: String,
    lang: Lang,
) -> Result<Option<DashboardData>, ServerFnError> {
    dashboard(slug, lang).await.map_err(super::server_error)
}

#[cfg(feature = "ssr")]
async fn dashboard(
    slug: String,
    lang: Lang,
) -> Result<Option<DashboardData>, crate::ssr::AppError> {
    use crate::ssr::services::{indices, rounds, settings};
    use crate::ssr::{AppError, AppState, charts};

    let state = AppState::from_context()?;
    let Some(round) = rounds::by_slug(&state.db, &slug).await? else {
        return Ok(None);
    };
    let report = indices::report(&state.db, &round, &indices::Filter::default()).await?;
    let target = settings::target_index(&state.db).await?;
    let bars: Vec<(String, Option<f64>)> = report
        .elements
        .iter()
        .map(|e| (e.code.clone(), e.index))
        .collect();
    let element_chart_svg =
        charts::element_bars(&bars, target, lang).map_err(AppError::Internal)?;
    Ok(Some(DashboardData {
        lang,
        round: rounds::summary(&round, lang),
        report,
        target,
        element_chart_svg,
    }))
}
