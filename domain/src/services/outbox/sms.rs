//! SMS (or Zalo, or any gateway that takes an HTTP request) through one
//! generic adapter: the operator sets the gateway's URL, its headers and a
//! body template (`HAILONG_SMS_WEBHOOK_URL`, `HAILONG_SMS_WEBHOOK_HEADERS`,
//! `HAILONG_SMS_WEBHOOK_BODY`, `HAILONG_SMS_WEBHOOK_CONTENT_TYPE`), so that
//! Vietnamese gateways, which all differ, need no code. The template names
//! `{to}` (+84…), `{to_local}` (0…), `{text}` and `{id}` (the outbox row's
//! message id, for the gateway's own deduplication); each value is escaped
//! for the body's content type. A 2xx reply is a delivery; 408, 429 and 5xx
//! replies and network failures are tried again; other 4xx are permanent.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use super::mail::Failure;

/// What the operator sets for SMS.
#[derive(Clone, Debug)]
pub struct SmsSettings {
    /// `HAILONG_SMS_WEBHOOK_URL`: where each message is POSTed.
    pub url: String,
    /// `HAILONG_SMS_WEBHOOK_HEADERS`: `Name: value` lines (an API key…).
    pub headers: String,
    /// `HAILONG_SMS_WEBHOOK_BODY`: the body with `{to}`, `{to_local}`,
    /// `{text}` and `{id}`; by default [`DEFAULT_BODY`].
    pub body: String,
    /// `HAILONG_SMS_WEBHOOK_CONTENT_TYPE`: `application/json` (the default)
    /// or `application/x-www-form-urlencoded`.
    pub content_type: String,
}

/// The body when none is set.
pub const DEFAULT_BODY: &str = r#"{"to":"{to}","text":"{text}","id":"{id}"}"#;

/// The HTTP client and the gateway's settings, checked.
#[derive(Clone)]
pub struct SmsGateway {
    client: reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    body: String,
    form: bool,
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL and headers may hold a key: never printed.
        f.debug_struct("SmsGateway")
            .field("host", &self.url.host_str())
            .finish()
    }
}

impl SmsGateway {
    /// A gateway for `settings`; what cannot be read is named in the error.
    pub fn new(settings: &SmsSettings) -> Result<Self, String> {
        let url = reqwest::Url::parse(settings.url.trim())
            .map_err(|e| format!("HAILONG_SMS_WEBHOOK_URL is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("HAILONG_SMS_WEBHOOK_URL must start with https:// (or http://)".to_owned());
        }
        let form = match settings.content_type.trim() {
            "" | "application/json" => false,
            "application/x-www-form-urlencoded" => true,
            other => {
                return Err(format!(
                    "HAILONG_SMS_WEBHOOK_CONTENT_TYPE is {other}: use application/json or application/x-www-form-urlencoded"
                ));
            }
        };
        let body = if settings.body.trim().is_empty() {
            DEFAULT_BODY.to_owned()
        } else {
            settings.body.clone()
        };
        if !body.contains("{text}") || !(body.contains("{to}") || body.contains("{to_local}")) {
            return Err(
                "HAILONG_SMS_WEBHOOK_BODY must name {text} and {to} (or {to_local})".to_owned(),
            );
        }
        let mut headers = parse_headers(&settings.headers)?;
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(if form {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            }),
        );
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            url,
            headers,
            body,
            form,
        })
    }

    /// Sends `text` to the phone `to` with the outbox's `message_id`.
    pub async fn send(&self, message_id: &str, to: &str, text: &str) -> Result<(), Failure> {
        let Some(number) = Phone::parse(to) else {
            return Err(Failure::permanent(
                "not a Vietnamese phone number".to_owned(),
            ));
        };
        let body = fill(&self.body, &number, text, message_id, self.form);
        let reply = self
            .client
            .post(self.url.clone())
            .headers(self.headers.clone())
            .body(body)
            .send()
            .await;
        super::http_outcome("the SMS gateway", reply)
    }
}

/// `Name: value` lines (blank lines skipped).
fn parse_headers(text: &str) -> Result<HeaderMap, String> {
    let mut headers = HeaderMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("HAILONG_SMS_WEBHOOK_HEADERS: \"{line}\" is not Name: value"))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
            format!(
                "HAILONG_SMS_WEBHOOK_HEADERS: \"{}\" is not a header name",
                name.trim()
            )
        })?;
        let value = HeaderValue::from_str(value.trim()).map_err(|_| {
            format!("HAILONG_SMS_WEBHOOK_HEADERS: the value of {name} cannot be sent")
        })?;
        headers.append(name, value);
    }
    Ok(headers)
}

/// A Vietnamese mobile or landline number in both forms gateways ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// +84905123456
    pub international: String,
    /// 0905123456
    pub local: String,
}

impl Phone {
    /// Reads "0905 123 456", "0905.123.456", "+84905123456" or "84905123456".
    pub fn parse(text: &str) -> Option<Self> {
        let digits: String = text
            .trim()
            .trim_start_matches('+')
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let national = digits
            .strip_prefix("84")
            .filter(|_| digits.len() >= 11)
            .or_else(|| digits.strip_prefix('0'))?;
        (9..=10).contains(&national.len()).then(|| Self {
            international: format!("+84{national}"),
            local: format!("0{national}"),
        })
    }
}

/// The request body: `template` with its placeholders filled, each value
/// escaped for JSON (inside a string) or for a form.
pub fn fill(template: &str, to: &Phone, text: &str, id: &str, form: bool) -> String {
    let escape = |value: &str| -> String {
        if form {
            url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
        } else {
            let quoted = serde_json::to_string(value).expect("a string serialises");
            quoted[1..quoted.len() - 1].to_owned()
        }
    };
    template
        .replace("{to_local}", &escape(&to.local))
        .replace("{to}", &escape(&to.international))
        .replace("{id}", &escape(id))
        .replace("{text}", &escape(text))
}
