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
    pub progress: InvitationProgress,
    /// The reminder schedule as shown: "7,14", empty for none.
    pub reminder_days: String,
    /// Whether the reader may send the round's invitations by e-mail.
    pub may_send: bool,
    /// The sample from the dossiers of the round's half-year.
    pub sample: SamplePlan,
}

/// One department's part of a round's sample drawn from dossiers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleStratum {
    pub department: String,
    /// Dossiers of the department completed in the round's half-year.
    pub completed: u64,
    /// Yamane's sample size for that many (e = 5%).
    pub target: u64,
    /// Distinct contacts that may be invited: held, and not rated or
    /// surveyed in the last 90 days. Counted before the draw only.
    pub reachable: Option<u64>,
    /// What a draw takes: the target, or every reachable contact if fewer.
    /// Counted before the draw only.
    pub to_draw: Option<u64>,
    /// Invitations drawn from the department's dossiers.
    pub drawn: u64,
}

/// A round's sample from the dossiers completed in its half-year, by
/// department (counts only). What concerns the contacts is counted before
/// the draw only: afterwards the drawn invitations are recent surveys
/// themselves, and the page reads no contact to show what was drawn.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamplePlan {
    /// The half-year, as shown (dd/mm/yyyy–dd/mm/yyyy).
    pub period: String,
    pub strata: Vec<SampleStratum>,
    /// Completed dossiers whose contact is not held (none given, or erased).
    pub without_contact: Option<u64>,
    /// Contacts left out: rated or surveyed in the last 90 days.
    pub recently_asked: Option<u64>,
    /// Whether the sample was drawn already (it is drawn once).
    pub drawn: bool,
}

/// Where a round's invitations by e-mail stand (counts only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationProgress {
    pub invitations: u64,
    /// Invitees with an e-mail address and no request to stop survey mail.
    pub reachable: u64,
    /// Invitation e-mails waiting to be delivered.
    pub queued: u64,
    pub sent: u64,
    /// Given up after the last attempt (the outbox page can resend them).
    pub failed: u64,
    /// Invitees who followed their personal link.
    pub opened: u64,
    pub answered: u64,
    pub unsubscribed: u64,
    /// Reminders delivered.
    pub reminded: u64,
    /// Reachable invitees not answered whose invitation is not queued or
    /// delivered yet: what "send" would queue now.
    pub to_send: u64,
}

/// The public page that stops survey mail (nothing personal on it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnsubscribePage {
    pub round: RoundSummary,
    pub agency_name: String,
    /// Whether the link's code belongs to an invitation of the round.
    pub known: bool,
    pub unsubscribed: bool,
    pub csrf_token: String,
}
