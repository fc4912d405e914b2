//! What the outbox sends, as pure functions: the wording of each kind of
//! message in Vietnamese and English (plain text and HTML), the retry
//! schedule and the Message-ID derived from the outbox row.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::MessageKind;

/// A message is given up (`dead`) after this many failed attempts.
pub const MAX_ATTEMPTS: i32 = 8;

/// The wait before attempt `attempts + 1`, after `attempts` failures: one
/// minute, doubled each time, at most six hours (1, 2, 4 … 64 minutes,
/// then 2 h, 4 h, 6 h).
pub fn backoff(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(10);
    Duration::minutes(1i64 << doublings).min(Duration::hours(6))
}

/// The Message-ID of outbox row `id`: the same on every attempt, so a
/// message delivered again after a crash is recognisable as a repeat.
pub fn message_id(id: i32, domain: &str) -> String {
    format!("<hailong-outbox-{id}@{domain}>")
}

/// What the acknowledgement of a feedback item says (no personal data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub tracking_code: String,
    pub received_on: NaiveDate,
    /// Received day plus the working days to classify, assign and answer.
    pub expected_answer_on: NaiveDate,
}

/// A message ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Why a stored message cannot be rendered.
#[derive(Clone, Debug, PartialEq)]
pub enum RenderError {
    /// The payload does not match its kind (a bug or a damaged row).
    Payload(String),
    /// No public address is set, so the message's links cannot be written.
    NoPublicAddress,
}

/// The message of `kind` from its stored `payload`, with links under
/// `base_url` (the site's public address, no trailing slash).
pub fn render(
    kind: MessageKind,
    payload: &str,
    lang: Lang,
    base_url: &str,
) -> Result<Rendered, RenderError> {
    if base_url.is_empty() {
        return Err(RenderError::NoPublicAddress);
    }
    match kind {
        MessageKind::FeedbackAcknowledgement => {
            let ack: Acknowledgement =
                serde_json::from_str(payload).map_err(|e| RenderError::Payload(e.to_string()))?;
            Ok(acknowledgement(&ack, lang, base_url))
        }
    }
}

fn acknowledgement(ack: &Acknowledgement, lang: Lang, base_url: &str) -> Rendered {
    let code = &ack.tracking_code;
    let link = format!("{base_url}/feedback/track?code={code}");
    let received = ack.received_on.format("%d/%m/%Y");
    let expected = ack.expected_answer_on.format("%d/%m/%Y");
    let (subject, lines) = match lang {
        Lang::Vi => (
            format!("Đã nhận phản ánh, kiến nghị của Ông/Bà — mã tra cứu {code}"),
            [
                format!("Chúng tôi đã nhận phản ánh, kiến nghị của Ông/Bà ngày {received}."),
                format!("Mã tra cứu: {code}"),
                format!("Dự kiến trả lời trước ngày {expected}."),
                "Theo dõi tình trạng xử lý tại:".to_owned(),
            ],
        ),
        Lang::En => (
            format!("Your feedback has been received — tracking code {code}"),
            [
                format!("We received your feedback on {received}."),
                format!("Tracking code: {code}"),
                format!("An answer is expected by {expected}."),
                "Follow its handling at:".to_owned(),
            ],
        ),
    };
    let text = format!(
        "{}\n{}\n{}\n\n{}\n{link}\n",
        lines[0], lines[1], lines[2], lines[3]
    );
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">\
         <p>{}</p><p><strong>{}</strong></p><p>{}</p><p>{} <a href=\"{}\">{}</a></p></body></html>",
        escape(&lines[0]),
        escape(&lines[1]),
        escape(&lines[2]),
        escape(&lines[3]),
        escape(&link),
        escape(&link),
        lang = lang.code(),
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// `text` safe inside HTML text and attribute values.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        let minutes: Vec<i64> = (1..=MAX_ATTEMPTS)
            .map(|a| backoff(a).num_minutes())
            .collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128]);
        assert_eq!(backoff(12), Duration::hours(6));
        assert_eq!(backoff(0), Duration::minutes(1));
    }

    #[test]
    fn the_message_id_follows_the_row() {
        assert_eq!(
            message_id(42, "bql.example.vn"),
            "<hailong-outbox-42@bql.example.vn>"
        );
        assert_eq!(message_id(42, "x"), message_id(42, "x"));
    }

    fn ack() -> String {
        serde_json::to_string(&Acknowledgement {
            tracking_code: "PA-ABCD-EFGH-JKLM".to_owned(),
            received_on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            expected_answer_on: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
        })
        .unwrap()
    }

    #[test]
    fn the_acknowledgement_gives_the_code_the_date_and_the_link() {
        let vi = render(
            MessageKind::FeedbackAcknowledgement,
            &ack(),
            Lang::Vi,
            "https://hl.example.vn",
        )
        .unwrap();
        assert!(vi.subject.contains("mã tra cứu PA-ABCD-EFGH-JKLM"));
        assert!(vi.text.contains("trước ngày 24/12/2026"));
        assert!(
            vi.text
                .contains("https://hl.example.vn/feedback/track?code=PA-ABCD-EFGH-JKLM")
        );
        assert!(vi.html.contains("lang=\"vi\""));
        let en = render(
            MessageKind::FeedbackAcknowledgement,
            &ack(),
            Lang::En,
            "https://x",
        )
        .unwrap();
        assert!(en.text.contains("expected by 24/12/2026"));
    }

    #[test]
    fn without_a_public_address_or_with_a_damaged_payload_nothing_is_rendered() {
        assert_eq!(
            render(MessageKind::FeedbackAcknowledgement, &ack(), Lang::Vi, ""),
            Err(RenderError::NoPublicAddress)
        );
        assert!(matches!(
            render(
                MessageKind::FeedbackAcknowledgement,
                "{}",
                Lang::Vi,
                "https://x"
            ),
            Err(RenderError::Payload(_))
        ));
    }
}
