//! Server functions of the leadership dashboard.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::{DashboardData, StaffPage};

/// Indices of a round with the element chart, for any signed-in user.
#[server(prefix = "/sf", endpoint = "indices/dashboard")]
pub async fn get_dashboard(
    slug: String,
    lang: Lang,
) -> Result<StaffPage<DashboardData>, ServerFnError> {
    dashboard(slug, lang).await.map_err(super::server_error)
}

#[cfg(feature = "ssr")]
async fn dashboard(
    slug: String,
    lang: Lang,
) -> Result<StaffPage<DashboardData>, crate::ssr::AppError> {
    use crate::ssr::auth::ANY_ROLE;
    use crate::ssr::services::{indices, rounds, settings};
    use crate::ssr::{AppError, charts};

    super::staff_page(ANY_ROLE, |state, _| async move {
        let round = rounds::require(&state.db, &slug).await?;
        let report = indices::report(&state.db, &round, &indices::Filter::default()).await?;
        let target = settings::target_index(&state.db).await?;
        let bars: Vec<(String, Option<f64>)> = report
            .elements
            .iter()
            .map(|e| (e.code.clone(), e.index))
            .collect();
        let element_chart_svg =
            charts::element_bars(&bars, target, lang).map_err(AppError::Internal)?;
        Ok(DashboardData {
            lang,
            round: rounds::summary(&round, lang),
            report,
            target,
            element_chart_svg,
        })
    })
    .await
}
