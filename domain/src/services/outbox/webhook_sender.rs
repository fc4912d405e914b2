//! Webhook deliveries: the event's stored body is POSTed to the webhook's
//! address as JSON with four headers: the event, the delivery's id (the
//! outbox row's, the same on every attempt, so a receiver can drop a
//! repeat), the time of the attempt and the signature over both
//! ([`crate::services::webhooks::signature`]). A 2xx reply is a delivery;
//! 408, 429, 5xx and network failures are tried again; other replies,
//! redirects included, are permanent.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{CONTENT_TYPE, HeaderValue};

use super::mail::Failure;
use crate::entities::webhook;
use crate::services::webhooks::{
    DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature,
};

/// The HTTP client of webhook deliveries.
#[derive(Clone, Debug)]
pub struct WebhookSender {
    client: reqwest::Client,
}

impl WebhookSender {
    pub fn new() -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("HaiLong-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { client })
    }

    /// POSTs `body`, the stored event named `event`, to `hook` as delivery
    /// `delivery_id`, signed at `now`.
    pub async fn send(
        &self,
        delivery_id: &str,
        event: &str,
        hook: &webhook::Model,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Failure> {
        let timestamp = now.timestamp();
        let reply = self
            .client
            .post(hook.url.as_str())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header(EVENT_HEADER, event)
            .header(DELIVERY_HEADER, delivery_id)
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature(&hook.secret, timestamp, body))
            .body(body.to_owned())
            .send()
            .await;
        super::http_outcome("the webhook", reply)
    }
}
