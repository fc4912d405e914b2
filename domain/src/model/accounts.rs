//! Who uses the platform: roles, accounts, tokens, the audit log, and the frame of every staff page.

use std::collections::BTreeMap;

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// What a staff account may do.
    Role {
        /// Users, departments, procedures, holidays, settings.
        Admin => "admin",
        /// Builds rounds, enters data, handles the feedback of their departments.
        Staff => "staff",
        /// Reads everything, approves and publishes results.
        Leader => "leader",
    }
}

/// A staff account as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// May see and route feedback that no department has yet.
    pub can_triage: bool,
    /// Department codes.
    pub departments: Vec<String>,
}

/// The caller's own account page: where their work alerts go.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub alert_email: Option<String>,
}

/// Who is signed in, as staff pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Sent back by every form as `csrf_token`.
    pub csrf_token: String,
}

/// The outcome of a form posted without JavaScript, carried to the next page
/// once: a notice, or the errors with what was entered (never passwords).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlash {
    /// Which form it is about, e.g. "user-create" or "user-12".
    pub form: String,
    /// A notice code shown after success, e.g. "user-created".
    pub notice: Option<String>,
    pub errors: Vec<FieldError>,
    pub values: BTreeMap<String, String>,
    /// A secret shown once (a new API token).
    pub secret: Option<String>,
}

impl FormFlash {
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }
}

/// A staff page: who is looking, the page's data, and the last form's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffPage<T> {
    pub viewer: Viewer,
    pub flash: Option<FormFlash>,
    pub data: T,
}

/// The users page: accounts and the departments they can be given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersPageData {
    /// Usernames whose sign-in is locked now, with when the lock ends.
    pub locked: BTreeMap<String, String>,
    pub users: Vec<UserRow>,
    pub departments: Vec<Choice>,
}

/// An API token as lists show it (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i32,
    pub name: String,
    pub prefix: String,
    pub role: Role,
    /// "dd/mm/yyyy hh:mm", Vietnam time.
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
    pub scopes: Vec<Scope>,
    /// "dd/mm/yyyy hh:mm" when it stops working, if it has a last day.
    pub expires_at: Option<String>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

codes! {
    /// What an API token may do, granted by the admin who creates it. A
    /// token without `personal-data:read` never receives a contact field.
    Scope {
        /// Indices, comparisons, the feedback summary.
        IndicesRead => "indices:read",
        /// Responses exports (comments with personal data removed).
        ResponsesRead => "responses:read",
        /// Submitting responses on a respondent's behalf.
        ResponsesWrite => "responses:write",
        /// Feedback items: their texts, statuses and history.
        FeedbackRead => "feedback:read",
        /// Recording feedback items and acting on them.
        FeedbackWrite => "feedback:write",
        /// Invitation lists of rounds.
        InvitationsRead => "invitations:read",
        /// Creating invitations.
        InvitationsWrite => "invitations:write",
        /// Setting up the agency: its profile, catalogue, holidays, settings and webhooks.
        SetupWrite => "setup:write",
        /// Creating rounds and moving them through their life (not publishing).
        RoundsWrite => "rounds:write",
        /// Sending dossiers from the one-stop software and reading their rating links.
        DossiersWrite => "dossiers:write",
        /// Creating user accounts (admin tokens only).
        UsersWrite => "users:write",
        /// Contact fields (names, phones, e-mails, addresses, tax codes,
        /// one-use codes) where the other scope allows the record.
        PersonalData => "personal-data:read",
    }
}

impl Scope {
    /// Reads a comma-separated list, ignoring unknown names.
    pub fn parse_list(list: &str) -> Vec<Self> {
        list.split(',')
            .filter_map(|c| Self::parse(c.trim()))
            .collect()
    }

    pub fn join(scopes: &[Self]) -> String {
        scopes
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// How many days past the end of the work each kind of contact is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionSettings {
    /// After a feedback item is closed.
    pub feedback_contact_days: u32,
    /// After a round's closing date.
    pub invitation_contact_days: u32,
}

/// The admin's personal-data page: the periods, and what is past them now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDataPage {
    pub retention: RetentionSettings,
    /// Feedback items whose contacts the next daily purge erases.
    pub feedback_items_due: u64,
    /// Invitations whose contacts the next daily purge erases.
    pub invitations_due: u64,
}
