//! Server functions about rounds.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::RoundSummary;

/// Rounds that take responses now, for the home page.
#[server(prefix = "/sf", endpoint = "rounds/open")]
pub async fn list_open_rounds(lang: Lang) -> Result<Vec<RoundSummary>, ServerFnError> {
    open_rounds(lang).await.map_err(super::server_error)
}

#[cfg(feature = "ssr")]
async fn open_rounds(lang: Lang) -> Result<Vec<RoundSummary>, crate::ssr::AppError> {
    use crate::ssr::AppState;
    use crate::ssr::services::rounds;

    let state = AppState::from_context()?;
    let open = rounds::list_open(&state.db, chrono::Utc::now()).await?;
    Ok(open.iter().map(|r| rounds::summary(r, lang)).collect())
}
