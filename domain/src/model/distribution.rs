//! Reaching respondents: invitations and imports of paper and phone responses.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

/// What is wrong with one row of an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RowProblem {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// An invitation as staff lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationRow {
    pub code: String,
    pub name: String,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub procedure: Option<String>,
    /// A response has been stored with this code.
    pub used: bool,
    /// The personal link, relative to the site.
    pub link: String,
    /// The reader may not see this invitee's contact: name, tax code,
    /// e-mail, phone, code and link are left empty.
    pub contact_hidden: bool,
}

/// An import of paper or phone responses, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJobView {
    pub public_id: String,
    pub round_slug: String,
    pub file_name: String,
    /// pending | running | done | failed
    pub status: String,
    pub total_rows: u32,
    pub stored_rows: u32,
    pub problems: Vec<RowProblem>,
}

/// A round's invitation list with the outcome of the last import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationsPageData {
    pub round: RoundSummary,
    pub invitations: Vec<InvitationRow>,
    pub base_url: String,
    pub problems: Vec<RowProblem>,
}
