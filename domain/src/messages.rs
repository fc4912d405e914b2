//! What the outbox sends, as pure functions: each kind of message rendered
//! from its template (built in, or an admin's saved version) in Vietnamese
//! or English (plain text, HTML and text message), the retry schedule and
//! the Message-ID derived from the outbox row.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::{MessageKind, Problem};

mod defaults;
pub mod templates;
mod work;

pub use templates::Templates;
pub use work::{DigestDepartment, DigestRound, LeadersDigest, WorkAlert};

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

/// A round reminds at most this many times.
pub const MAX_REMINDERS: usize = 5;

/// A round's reminder schedule as typed ("7, 14"): days after the
/// invitation was delivered, each from 1 to 90, at most [`MAX_REMINDERS`];
/// returned sorted without repeats. Empty text: no reminders.
pub fn parse_reminder_days(text: &str) -> Result<Vec<u32>, Problem> {
    let mut days = Vec::new();
    for part in text.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()) {
        let day: u32 = part.trim().parse().map_err(|_| Problem::InvalidValue)?;
        if !(1..=90).contains(&day) {
            return Err(Problem::NumberOutOfRange { min: 1, max: 90 });
        }
        days.push(day);
    }
    days.sort_unstable();
    days.dedup();
    if days.len() > MAX_REMINDERS {
        return Err(Problem::NumberOutOfRange {
            min: 0,
            max: MAX_REMINDERS as u32,
        });
    }
    Ok(days)
}

/// The schedule as stored and shown: "7,14".
pub fn format_reminder_days(days: &[u32]) -> String {
    days.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// How many reminders of `days` are due at `now` for an invitation
/// delivered at `sent_at`.
pub fn reminders_due(days: &[u32], sent_at: DateTime<Utc>, now: DateTime<Utc>) -> usize {
    days.iter()
        .filter(|d| sent_at + Duration::days(i64::from(**d)) <= now)
        .count()
}

/// The Message-ID of outbox row `id`: the same on every attempt, so a
/// message delivered again after a crash is recognisable as a repeat.
pub fn message_id(id: i32, domain: &str) -> String {
    format!("<hailong-outbox-{id}@{domain}>")
}

/// The reference a text message carries to its gateway (the outbox row's,
/// the same on every attempt, so a gateway that deduplicates sees a repeat).
pub fn sms_reference(id: i32) -> String {
    format!("hailong-outbox-{id}")
}

/// What the acknowledgement of a feedback item says (no personal data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub tracking_code: String,
    pub received_on: NaiveDate,
    /// Received day plus the working days to classify, assign and answer.
    pub expected_answer_on: NaiveDate,
}

impl Acknowledgement {
    /// The tracking page.
    pub fn link(&self, base_url: &str) -> String {
        format!("{base_url}/feedback/track?code={}", self.tracking_code)
    }
}

/// What the notice of a published answer says: where to read it, and the
/// sender's private key to rate the handling (once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerNotice {
    pub tracking_code: String,
    pub published_on: NaiveDate,
    pub rating_key: String,
}

/// What the notice of a completed dossier says: the agency, the procedure
/// and the day (never the person or the dossier's code), until when the
/// link is open, and the private key to rate the handling once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DossierRatingNotice {
    pub agency: String,
    pub procedure: String,
    pub completed_on: NaiveDate,
    pub open_until: NaiveDate,
    pub rating_key: String,
}

impl DossierRatingNotice {
    /// The dossier's rating page.
    pub fn link(&self, base_url: &str) -> String {
        format!("{base_url}/r/{}", self.rating_key)
    }
}

impl AnswerNotice {
    /// The tracking page, where the answer is.
    pub fn link(&self, base_url: &str) -> String {
        format!("{base_url}/feedback/track?code={}", self.tracking_code)
    }

    /// The tracking page with the sender's rating key: the rating form.
    pub fn rating_link(&self, base_url: &str) -> String {
        format!(
            "{base_url}/feedback/track?code={}&key={}",
            self.tracking_code, self.rating_key
        )
    }
}

/// What a survey invitation or reminder says (no personal data: the code
/// is the invitation's one-use code, already in its personal link).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyInvitation {
    pub agency: String,
    pub round_title: String,
    pub slug: String,
    pub code: String,
    pub closes_on: Option<NaiveDate>,
}

impl SurveyInvitation {
    /// The personal link, under `base_url`.
    pub fn link(&self, base_url: &str) -> String {
        format!("{base_url}/s/{}?code={}", self.slug, self.code)
    }

    /// The page where the invitee asks for no more survey mail.
    pub fn unsubscribe_link(&self, base_url: &str) -> String {
        format!("{base_url}/s/{}/unsubscribe?code={}", self.slug, self.code)
    }
}

/// A message ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The page that stops further mail of this kind (`List-Unsubscribe`).
    pub unsubscribe: Option<String>,
}

/// Why a stored message cannot be rendered.
#[derive(Clone, Debug, PartialEq)]
pub enum RenderError {
    /// The payload does not match its kind (a bug or a damaged row).
    Payload(String),
    /// No public address is set, so the message's links cannot be written.
    NoPublicAddress,
    /// The template failed while rendering (saved templates are checked
    /// with made-up data, so this is a payload the check did not foresee).
    Template(String),
}

/// The message of `kind` from its stored `payload`, worded by its template
/// in `templates`, with links under `base_url` (the site's public address,
/// no trailing slash).
pub fn render(
    kind: MessageKind,
    payload: &str,
    lang: Lang,
    base_url: &str,
    templates: &Templates,
) -> Result<Rendered, RenderError> {
    if base_url.is_empty() {
        return Err(RenderError::NoPublicAddress);
    }
    let template = templates
        .get(kind, lang)
        .ok_or_else(|| not_for_people(kind))?;
    templates::render_mail(&template, kind, payload, lang, base_url)
}

/// The text message (SMS, Zalo) of `kind` from its stored `payload`, as
/// [`render`] does the e-mail.
pub fn render_sms(
    kind: MessageKind,
    payload: &str,
    lang: Lang,
    base_url: &str,
    templates: &Templates,
) -> Result<String, RenderError> {
    if base_url.is_empty() {
        return Err(RenderError::NoPublicAddress);
    }
    let template = templates
        .get(kind, lang)
        .ok_or_else(|| not_for_people(kind))?;
    templates::render_text(&template, kind, payload, lang, base_url)
}

/// The stored payload of a message, read as its kind's.
fn payload_of<T: serde::de::DeserializeOwned>(payload: &str) -> Result<T, RenderError> {
    serde_json::from_str(payload).map_err(|e| RenderError::Payload(e.to_string()))
}

/// A webhook event is sent as stored, never rendered for a person.
fn not_for_people(kind: MessageKind) -> RenderError {
    RenderError::Payload(format!("{kind} is an event for webhooks, not a message"))
}

/// A message's HTML: `body` (escaped already) in the page every message shares.
fn html_page(lang: Lang, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">{body}</body></html>",
        lang.code()
    )
}

/// A link whose text is its address.
fn link_html(url: &str) -> String {
    let url = escape(url);
    format!("<a href=\"{url}\">{url}</a>")
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

    fn mail_builtin(
        kind: MessageKind,
        payload: &str,
        lang: Lang,
        base_url: &str,
    ) -> Result<Rendered, RenderError> {
        render(kind, payload, lang, base_url, &Templates::builtin())
    }

    fn sms_builtin(
        kind: MessageKind,
        payload: &str,
        lang: Lang,
        base_url: &str,
    ) -> Result<String, RenderError> {
        render_sms(kind, payload, lang, base_url, &Templates::builtin())
    }

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
    fn a_reminder_schedule_is_days_after_the_invitation() {
        assert_eq!(parse_reminder_days("14, 7"), Ok(vec![7, 14]));
        assert_eq!(parse_reminder_days("7,7;14"), Ok(vec![7, 14]));
        assert_eq!(parse_reminder_days("  "), Ok(vec![]));
        assert_eq!(parse_reminder_days("7, bảy"), Err(Problem::InvalidValue));
        assert_eq!(
            parse_reminder_days("0"),
            Err(Problem::NumberOutOfRange { min: 1, max: 90 })
        );
        assert!(parse_reminder_days("1,2,3,4,5,6").is_err());
        assert_eq!(format_reminder_days(&[7, 14]), "7,14");
        let sent = DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let days = [7, 14];
        assert_eq!(reminders_due(&days, sent, sent + Duration::days(6)), 0);
        assert_eq!(reminders_due(&days, sent, sent + Duration::days(7)), 1);
        assert_eq!(reminders_due(&days, sent, sent + Duration::days(30)), 2);
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
        let vi = mail_builtin(
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
        let en = mail_builtin(
            MessageKind::FeedbackAcknowledgement,
            &ack(),
            Lang::En,
            "https://x",
        )
        .unwrap();
        assert!(en.text.contains("expected by 24/12/2026"));
    }

    #[test]
    fn an_invitation_carries_the_personal_link_the_deadline_and_the_way_out() {
        let payload = serde_json::to_string(&SurveyInvitation {
            agency: "Ban Quản lý các KKT".to_owned(),
            round_title: "Khảo sát 6 tháng cuối năm 2026".to_owned(),
            slug: "2026-h2".to_owned(),
            code: "ABCD-EFGH".to_owned(),
            closes_on: NaiveDate::from_ymd_opt(2026, 12, 31),
        })
        .unwrap();
        let vi = mail_builtin(
            MessageKind::SurveyInvitation,
            &payload,
            Lang::Vi,
            "https://hl.example.vn",
        )
        .unwrap();
        assert!(vi.subject.starts_with("Mời Quý doanh nghiệp"));
        assert!(
            vi.text
                .contains("https://hl.example.vn/s/2026-h2?code=ABCD-EFGH")
        );
        assert!(vi.text.contains("đến hết ngày 31/12/2026"));
        assert!(vi.html.contains("Khảo sát 6 tháng cuối năm 2026"));
        assert_eq!(
            vi.unsubscribe.as_deref(),
            Some("https://hl.example.vn/s/2026-h2/unsubscribe?code=ABCD-EFGH")
        );
        let reminder = mail_builtin(
            MessageKind::SurveyReminder,
            &payload,
            Lang::En,
            "https://hl.example.vn",
        )
        .unwrap();
        assert!(reminder.subject.starts_with("Reminder:"));
        assert!(reminder.text.contains("/s/2026-h2?code=ABCD-EFGH"));
    }

    #[test]
    fn a_text_message_is_short_with_its_one_link() {
        let sms = sms_builtin(
            MessageKind::FeedbackAcknowledgement,
            &ack(),
            Lang::Vi,
            "https://hl.example.vn",
        )
        .unwrap();
        assert_eq!(
            sms,
            "Đã nhận phản ánh của Ông/Bà. Mã tra cứu PA-ABCD-EFGH-JKLM, dự kiến trả lời trước 24/12/2026. Theo dõi: https://hl.example.vn/feedback/track?code=PA-ABCD-EFGH-JKLM"
        );
        assert_eq!(sms_reference(7), "hailong-outbox-7");
        assert_eq!(
            sms_builtin(MessageKind::FeedbackAcknowledgement, &ack(), Lang::Vi, ""),
            Err(RenderError::NoPublicAddress)
        );
    }

    #[test]
    fn the_dossier_notice_names_the_procedure_and_carries_the_rating_link() {
        let notice = serde_json::to_string(&DossierRatingNotice {
            agency: "Ban Quản lý KKT".to_owned(),
            procedure: "Cấp giấy phép lao động".to_owned(),
            completed_on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            open_until: NaiveDate::from_ymd_opt(2027, 1, 2).unwrap(),
            rating_key: "HS-2345-6789".to_owned(),
        })
        .unwrap();
        let link = "https://x/r/HS-2345-6789";
        for lang in [Lang::Vi, Lang::En] {
            let mail =
                mail_builtin(MessageKind::DossierRatingLink, &notice, lang, "https://x").unwrap();
            assert!(mail.text.contains("03/12/2026") && mail.text.contains("02/01/2027"));
            assert!(mail.text.contains("Cấp giấy phép lao động"));
            assert!(mail.text.contains(link) && mail.html.contains(link));
            let sms =
                sms_builtin(MessageKind::DossierRatingLink, &notice, lang, "https://x").unwrap();
            assert!(sms.ends_with(link), "{sms}");
        }
    }

    #[test]
    fn the_answer_notice_carries_the_private_rating_link() {
        let notice = serde_json::to_string(&AnswerNotice {
            tracking_code: "PA-ABCD-EFGH-JKLM".to_owned(),
            published_on: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
            rating_key: "DG-2345-6789-ABCD-EFGH".to_owned(),
        })
        .unwrap();
        let rating = "https://x/feedback/track?code=PA-ABCD-EFGH-JKLM&key=DG-2345-6789-ABCD-EFGH";
        let mail =
            mail_builtin(MessageKind::FeedbackAnswer, &notice, Lang::Vi, "https://x").unwrap();
        assert!(mail.text.contains("Ngày 20/12/2026"));
        assert!(mail.text.contains(rating) && mail.html.contains(&escape(rating)));
        let sms = sms_builtin(MessageKind::FeedbackAnswer, &notice, Lang::Vi, "https://x").unwrap();
        assert!(sms.ends_with(rating), "{sms}");
    }

    #[test]
    fn without_a_public_address_or_with_a_damaged_payload_nothing_is_rendered() {
        assert_eq!(
            mail_builtin(MessageKind::FeedbackAcknowledgement, &ack(), Lang::Vi, ""),
            Err(RenderError::NoPublicAddress)
        );
        assert!(matches!(
            mail_builtin(
                MessageKind::FeedbackAcknowledgement,
                "{}",
                Lang::Vi,
                "https://x"
            ),
            Err(RenderError::Payload(_))
        ));
    }
}
