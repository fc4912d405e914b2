//! The domain of Hài Lòng: what the platform knows and the rules it keeps,
//! apart from any web framework.
//!
//! Pure modules (no I/O; also built for the browser, where the survey island
//! uses them): the closed sets of [`codes`], the data the pages show
//! ([`model`]), the formulas ([`index_engine`]), working days
//! ([`working_days`]), the feedback workflow ([`feedback_rules`]) and all
//! wording in Vietnamese and English ([`i18n`]).
//!
//! With the `server` feature, also the storage ([`db`], [`entities`]), the
//! services that own the rules ([`services`]), the one error type
//! ([`error::AppError`]), who is asking ([`auth`]), the analysis formulas
//! beyond the index ([`analysis`], with linear algebra the browser does not
//! need), charts, PDF documents ([`pdf`]), QR codes, spreadsheets and
//! secrets.

#[macro_use]
mod codes;

pub mod feedback_rules;
pub mod i18n;
pub mod index_engine;
pub mod lunar;
pub mod model;
pub mod public_holidays;
pub mod working_days;

#[cfg(feature = "server")]
pub mod analysis;
#[cfg(feature = "server")]
pub mod auth;
#[cfg(feature = "server")]
pub mod charts;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod entities;
#[cfg(feature = "server")]
pub mod error;
#[cfg(feature = "server")]
pub mod fonts;
#[cfg(feature = "server")]
pub mod messages;
#[cfg(feature = "server")]
pub mod pdf;
#[cfg(feature = "server")]
pub mod privacy;
#[cfg(feature = "server")]
pub mod public_codes;
#[cfg(feature = "server")]
pub mod qr;
#[cfg(feature = "server")]
pub mod quality;
#[cfg(feature = "server")]
pub mod secrets;
#[cfg(feature = "server")]
pub mod services;
#[cfg(feature = "server")]
pub mod tables;

#[cfg(feature = "server")]
pub use error::AppError;
