//! The words of the domain and the data that crosses between the server
//! and the pages, one file per capability: codes stored in the database
//! (typed from the form to the column) and what server functions return.

mod accounts;
mod actions;
mod distribution;
mod dossiers;
mod feedback;
mod indices;
mod instruments;
mod outbox;
mod problems;
mod quality;
mod rounds;
mod setup;
mod survey;
mod templates;

pub use accounts::*;
pub use actions::*;
pub use distribution::*;
pub use dossiers::*;
pub use feedback::*;
pub use indices::*;
pub use instruments::*;
pub use outbox::*;
pub use problems::*;
pub use quality::*;
pub use rounds::*;
pub use setup::*;
pub use survey::*;
pub use templates::*;
