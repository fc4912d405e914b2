//! Server-only code: storage, the services that own the rules, and charts.
//! Compiled only with the `ssr` feature.

pub mod charts;
pub mod codes;
pub mod db;
pub mod entities;
pub mod error;
pub mod services;
pub mod state;

pub use error::AppError;
pub use state::AppState;
