//! Server-only code: storage, the services that own the rules, and charts.
//! Compiled only with the `ssr` feature.

pub mod auth;
pub mod charts;
pub mod codes;
pub mod cookies;
pub mod db;
pub mod entities;
pub mod error;
pub mod privacy;
pub mod qr;
pub mod secrets;
pub mod security_headers;
pub mod services;
pub mod state;
pub mod tables;

pub use error::AppError;
pub use state::AppState;
