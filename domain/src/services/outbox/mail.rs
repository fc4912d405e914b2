//! E-mail over SMTP with lettre: STARTTLS, TLS or (on loopback) plain,
//! with authentication, all from one URL (`HAILONG_SMTP_URL`, e.g.
//! `smtp://user:pass@mail.example.vn:587?tls=required` or
//! `smtps://user:pass@mail.example.vn`); multipart plain text and HTML,
//! Vietnamese subjects encoded by lettre.

use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::messages::Rendered;

/// What the operator sets for e-mail.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `HAILONG_SMTP_URL`.
    pub smtp_url: String,
    /// `HAILONG_MAIL_FROM`, e.g. `Ban Quản lý KKT <khaosat@bqlkkt.gov.vn>`.
    pub from: String,
    /// `HAILONG_MAIL_REPLY_TO`, optional.
    pub reply_to: Option<String>,
}

/// How many e-mails a minute go out: in all, and to one recipient domain
/// (providers and government mail servers throttle or refuse senders that
/// go faster). Each sender keeps to them from what the outbox shows went
/// out in the last minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendRates {
    /// `HAILONG_MAIL_PER_MINUTE`, 120 by default.
    pub per_minute: u32,
    /// `HAILONG_MAIL_PER_DOMAIN_PER_MINUTE`, 30 by default.
    pub per_domain_per_minute: u32,
}

impl Default for SendRates {
    fn default() -> Self {
        Self {
            per_minute: 120,
            per_domain_per_minute: 30,
        }
    }
}

/// A connection pool to the mail server and the sender's addresses.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    domain: String,
    rates: SendRates,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never printed.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// Why a message was not delivered; `permanent` when trying again cannot help.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub permanent: bool,
    pub reason: String,
}

impl Failure {
    pub fn permanent(reason: String) -> Self {
        Self {
            permanent: true,
            reason,
        }
    }

    /// The reason without the recipient's address (it is stored and shown
    /// to admins, who need the why, not the who).
    pub fn redacted(self, recipient: &str) -> Self {
        let recipient = recipient.trim();
        Self {
            reason: if recipient.is_empty() {
                self.reason
            } else {
                self.reason.replace(recipient, "[người nhận]")
            },
            ..self
        }
    }
}

impl Mailer {
    /// A mailer for `settings`; a URL or address that cannot be read is
    /// named in the error.
    pub fn new(settings: &MailSettings) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(|e| format!("HAILONG_SMTP_URL cannot be read: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("HAILONG_MAIL_FROM is not an address: {e}"))?;
        let reply_to = match settings.reply_to.as_deref().map(str::trim) {
            Some(address) if !address.is_empty() => Some(
                address
                    .parse()
                    .map_err(|e| format!("HAILONG_MAIL_REPLY_TO is not an address: {e}"))?,
            ),
            _ => None,
        };
        let domain = from.email.domain().to_owned();
        Ok(Self {
            transport,
            from,
            reply_to,
            domain,
            rates: SendRates::default(),
        })
    }

    /// The same mailer keeping to `rates`.
    pub fn with_rates(self, rates: SendRates) -> Self {
        Self { rates, ..self }
    }

    pub fn rates(&self) -> SendRates {
        self.rates
    }

    /// The domain of the from-address (the right side of Message-IDs).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Sends `rendered` to `recipient` with `message_id`.
    pub async fn send(
        &self,
        message_id: &str,
        recipient: &str,
        rendered: &Rendered,
    ) -> Result<(), Failure> {
        let to: Mailbox = recipient
            .trim()
            .parse()
            .map_err(|e| Failure::permanent(format!("not an e-mail address: {e}")))?;
        let mut builder = Message::builder()
            .message_id(Some(message_id.to_owned()))
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject.clone());
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        if let Some(url) = &rendered.unsubscribe {
            builder = builder.header(ListUnsubscribe(url.clone()));
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(
                rendered.text.clone(),
                rendered.html.clone(),
            ))
            .map_err(|e| Failure::permanent(format!("the message cannot be built: {e}")))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| Failure {
                permanent: e.is_permanent(),
                reason: e.to_string(),
            })
    }
}

/// `List-Unsubscribe` (RFC 2369): the page where the recipient stops survey
/// mail, which mail programs offer as a button.
#[derive(Clone, Debug)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned(),
        ))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}
