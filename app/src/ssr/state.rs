//! What every request handler, page and server function shares.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The state inside a page or server function (provided by `leptos_routes_with_context`).
    pub fn from_context() -> Result<Self, crate::ssr::AppError> {
        use_context::<Self>()
            .ok_or_else(|| crate::ssr::AppError::Internal("AppState missing from context".into()))
    }
}
