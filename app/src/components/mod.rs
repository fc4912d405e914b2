//! Pieces shared by pages: the page frame, the language switch, and the
//! survey form island.

mod layout;
mod survey_form;

pub use layout::*;
pub use survey_form::*;
