//! Pieces shared by pages: the public and staff page frames, loading a
//! page's data, the form kit, the language switch, and the survey form
//! island.

mod form;
mod layout;
mod page;
mod staff;
mod survey_form;
mod table;

pub use form::*;
pub use layout::*;
pub use page::*;
pub use staff::*;
pub use survey_form::*;
pub use table::*;
