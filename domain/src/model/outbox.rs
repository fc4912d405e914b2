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
        /// An event POSTed to a webhook an admin added.
        Webhook => "webhook",
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
        /// To a webhook: a feedback item was recorded.
        FeedbackRecordedEvent => "event-feedback-recorded",
        /// To a webhook: a feedback item's answer was published.
        FeedbackAnsweredEvent => "event-feedback-answered",
        /// To a webhook: a round's results were published.
        RoundPublishedEvent => "event-round-published",
        /// To a webhook: a dossier was rated.
        DossierRatedEvent => "event-dossier-rated",
        /// To the staff of a department: an item was assigned to it.
        WorkAssigned => "work-assigned",
        /// To who must act: an item's step is due on the next working day.
        WorkDueSoon => "work-due-soon",
        /// To who must act: an item's step is past its deadline.
        WorkOverdue => "work-overdue",
        /// To leaders, weekly: responses, the index so far, open and overdue items.
        LeadersDigest => "leaders-digest",
    }
}

codes! {
    /// What a webhook may be told of; the code names the event in the
    /// delivery's body and its `X-HaiLong-Event` header.
    WebhookEvent {
        FeedbackRecorded => "feedback.recorded",
        FeedbackAnswered => "feedback.answered",
        RoundPublished => "round.published",
        DossierRated => "dossier.rated",
    }
}

impl WebhookEvent {
    /// The outbox kind of this event's deliveries.
    pub fn kind(self) -> MessageKind {
        match self {
            Self::FeedbackRecorded => MessageKind::FeedbackRecordedEvent,
            Self::FeedbackAnswered => MessageKind::FeedbackAnsweredEvent,
            Self::RoundPublished => MessageKind::RoundPublishedEvent,
            Self::DossierRated => MessageKind::DossierRatedEvent,
        }
    }

    /// The event an outbox kind delivers, if it is one.
    pub fn of_kind(kind: MessageKind) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.kind() == kind)
    }
}

/// A webhook as the admins' page lists it: never its secret, and its
/// address without the query (which may hold a key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookRow {
    pub id: i32,
    pub name: String,
    pub address: String,
    pub events: Vec<WebhookEvent>,
    /// When it was added, in Vietnam's time, as the page shows it.
    pub created_at: String,
    pub revoked: bool,
    pub delivered: u64,
    pub waiting: u64,
    pub given_up: u64,
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
