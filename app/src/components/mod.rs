//! Pieces shared by pages: the page frame, the language switch, and the
//! survey form island.

mod layout;
mod staff;
mod survey_form;

pub use layout::*;
pub use staff::*;
pub use survey_form::*;
