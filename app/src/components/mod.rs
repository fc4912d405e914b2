//! Pieces shared by pages: the public and staff page frames, loading a
//! page's data, the form kit, the language switch, the survey form
//! island and the script that loads it.

mod form;
mod invitation_progress;
mod island_loader;
mod layout;
mod page;
mod staff;
mod survey_form;
mod table;

pub use form::*;
pub use invitation_progress::*;
pub use island_loader::*;
pub use layout::*;
pub use page::*;
pub use staff::*;
pub use survey_form::*;
pub use table::*;
