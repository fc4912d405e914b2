//! Pages, one module per domain. Pages read their parameters, call a server
//! function and lay out the result; they hold no rules.

mod admin;
mod auth;
mod errors;
mod home;
mod indices;
mod not_found;
mod survey;

pub use admin::{AuditPage, TokensPage, UsersPage};
pub use auth::{AccountPage, LoginPage, StaffHomePage};
pub use home::HomePage;
pub use indices::DashboardPage;
pub use not_found::NotFound;
pub use survey::{ReceiptPage, SurveyPage};
