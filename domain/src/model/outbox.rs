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
