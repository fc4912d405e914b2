//! Messages to people outside the browser, kept in the outbox until
//! delivered.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// How a message reaches its recipient.
    MessageChannel {
        Email => "email",
        Sms => "sms",
    }
}

codes! {
    /// What a message is for; each kind has its own wording
    /// (`crate::messages::render`).
    MessageKind {
        /// To the sender of a feedback item: it arrived, its tracking code
        /// and when an answer is expected.
        FeedbackAcknowledgement => "feedback-acknowledgement",
        /// To an invitee: the survey, their personal link and how to ask
        /// for no more survey mail.
        SurveyInvitation => "survey-invitation",
        /// To an invitee who has not answered, on the round's schedule.
        SurveyReminder => "survey-reminder",
        /// To the sender of a feedback item: its answer is published, with
        /// their private link to rate the handling.
        FeedbackAnswer => "feedback-answer",
        /// To the person whose dossier was completed: their private link
        /// to rate its handling, once.
        DossierRatingLink => "dossier-rating-link",
    }
}

codes! {
    /// `queued` until delivered (`sent`), given up after the last attempt
    /// (`dead`, an admin may queue it again) or withdrawn (`cancelled`).
    MessageStatus {
        Queued => "queued",
        Sent => "sent",
        Dead => "dead",
        Cancelled => "cancelled",
    }
}

/// How many messages of a kind are in a status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxCount {
    pub kind: MessageKind,
    pub status: MessageStatus,
    pub count: u64,
}

/// A message waiting or given up, as the outbox page lists it (never its
/// recipient or content: the why, not the who).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i32,
    pub kind: MessageKind,
    pub channel: MessageChannel,
    pub status: MessageStatus,
    pub attempts: i32,
    pub created_at: String,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
}

/// The admins' outbox page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPageData {
    /// Whether a mail server is set (`HAILONG_SMTP_URL`, `HAILONG_MAIL_FROM`).
    pub mail_configured: bool,
    /// Whether an SMS gateway is set (`HAILONG_SMS_WEBHOOK_URL`).
    pub sms_configured: bool,
    /// Whether links in messages can be written (a public address is set).
    pub public_address_set: bool,
    pub counts: Vec<OutboxCount>,
    /// Waiting and given-up messages, oldest due first.
    pub messages: Vec<OutboxRow>,
    /// More are waiting than the page lists.
    pub truncated: bool,
}
