//! What the outbox sends, as pure functions: the wording of each kind of
//! message in Vietnamese and English (plain text and HTML), the retry
//! schedule and the Message-ID derived from the outbox row.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::{MessageKind, Problem};

mod work;

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
            let ack: Acknowledgement = payload_of(payload)?;
            Ok(acknowledgement(&ack, lang, base_url))
        }
        MessageKind::SurveyInvitation | MessageKind::SurveyReminder => {
            let invitation: SurveyInvitation = payload_of(payload)?;
            let reminder = kind == MessageKind::SurveyReminder;
            Ok(survey_invitation(&invitation, reminder, lang, base_url))
        }
        MessageKind::FeedbackAnswer => {
            let notice: AnswerNotice = payload_of(payload)?;
            Ok(answer_notice(&notice, lang, base_url))
        }
        MessageKind::DossierRatingLink => {
            let notice: DossierRatingNotice = payload_of(payload)?;
            Ok(dossier_rating_notice(&notice, lang, base_url))
        }
        MessageKind::WorkAssigned | MessageKind::WorkDueSoon | MessageKind::WorkOverdue => {
            let alert: WorkAlert = payload_of(payload)?;
            Ok(work::alert(kind, &alert, lang, base_url))
        }
        MessageKind::LeadersDigest => {
            let digest: LeadersDigest = payload_of(payload)?;
            Ok(work::digest(&digest, lang, base_url))
        }
        MessageKind::FeedbackRecordedEvent
        | MessageKind::FeedbackAnsweredEvent
        | MessageKind::RoundPublishedEvent
        | MessageKind::DossierRatedEvent => Err(not_for_people(kind)),
    }
}

/// The stored payload of a message, read as its kind's.
fn payload_of<T: serde::de::DeserializeOwned>(payload: &str) -> Result<T, RenderError> {
    serde_json::from_str(payload).map_err(|e| RenderError::Payload(e.to_string()))
}

/// A webhook event is sent as stored, never rendered for a person.
fn not_for_people(kind: MessageKind) -> RenderError {
    RenderError::Payload(format!("{kind} is an event for webhooks, not a message"))
}

fn dossier_rating_notice(notice: &DossierRatingNotice, lang: Lang, base_url: &str) -> Rendered {
    let link = notice.link(base_url);
    let (day, until) = (
        notice.completed_on.format("%d/%m/%Y"),
        notice.open_until.format("%d/%m/%Y"),
    );
    let (agency, procedure) = (&notice.agency, &notice.procedure);
    let (subject, said, ask) = match lang {
        Lang::Vi => (
            "Mời Ông/Bà đánh giá việc giải quyết hồ sơ".to_owned(),
            format!("Ngày {day}, {agency} đã giải quyết xong hồ sơ \"{procedure}\" của Ông/Bà."),
            format!(
                "Ông/Bà hài lòng với việc giải quyết đến mức nào? Chỉ mất vài giây; đánh giá được giữ kín. Đường dẫn riêng dưới đây dùng được một lần, đến hết ngày {until} (xin không chia sẻ cho người khác):"
            ),
        ),
        Lang::En => (
            "Please rate how your dossier was handled".to_owned(),
            format!("On {day}, {agency} completed your dossier \"{procedure}\"."),
            format!(
                "How satisfied are you with the handling? It takes a few seconds and your rating is confidential. The private link below works once, until {until} (please do not share it):"
            ),
        ),
    };
    let text = format!("{said}\n\n{ask}\n{link}\n");
    let html = html_page(
        lang,
        &format!(
            "<p>{}</p><p>{}</p><p>{}</p>",
            escape(&said),
            escape(&ask),
            link_html(&link)
        ),
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: None,
    }
}

fn answer_notice(notice: &AnswerNotice, lang: Lang, base_url: &str) -> Rendered {
    let code = &notice.tracking_code;
    let (link, rating) = (notice.link(base_url), notice.rating_link(base_url));
    let day = notice.published_on.format("%d/%m/%Y");
    let (subject, said, read, rate) = match lang {
        Lang::Vi => (
            format!("Đã có trả lời phản ánh, kiến nghị mã {code}"),
            format!(
                "Ngày {day}, cơ quan đã công bố trả lời phản ánh, kiến nghị của Ông/Bà (mã tra cứu {code})."
            ),
            "Xem câu trả lời:",
            "Ông/Bà hài lòng với việc giải quyết đến mức nào? Đánh giá một lần theo đường dẫn riêng dưới đây (xin không chia sẻ cho người khác):",
        ),
        Lang::En => (
            format!("Your feedback {code} has been answered"),
            format!(
                "On {day} the agency published its answer to your feedback (tracking code {code})."
            ),
            "Read the answer:",
            "How satisfied are you with the handling? Rate it once through your private link below (please do not share it):",
        ),
    };
    let text = format!("{said}\n\n{read}\n{link}\n\n{rate}\n{rating}\n");
    let html = html_page(
        lang,
        &format!(
            "<p>{}</p><p>{} {}</p><p>{}</p><p>{}</p>",
            escape(&said),
            escape(read),
            link_html(&link),
            escape(rate),
            link_html(&rating)
        ),
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: None,
    }
}

/// The text message (SMS, Zalo) of `kind` from its stored `payload`: short,
/// plain, one link under `base_url`.
pub fn render_sms(
    kind: MessageKind,
    payload: &str,
    lang: Lang,
    base_url: &str,
) -> Result<String, RenderError> {
    if base_url.is_empty() {
        return Err(RenderError::NoPublicAddress);
    }
    Ok(match kind {
        MessageKind::FeedbackAcknowledgement => {
            let ack: Acknowledgement = payload_of(payload)?;
            let code = &ack.tracking_code;
            let link = format!("{base_url}/feedback/track?code={code}");
            let expected = ack.expected_answer_on.format("%d/%m/%Y");
            match lang {
                Lang::Vi => format!(
                    "Đã nhận phản ánh của Ông/Bà. Mã tra cứu {code}, dự kiến trả lời trước {expected}. Theo dõi: {link}"
                ),
                Lang::En => format!(
                    "Your feedback was received. Tracking code {code}, answer expected by {expected}. Follow it: {link}"
                ),
            }
        }
        MessageKind::FeedbackAnswer => {
            let notice: AnswerNotice = payload_of(payload)?;
            let (code, rating) = (&notice.tracking_code, notice.rating_link(base_url));
            match lang {
                Lang::Vi => format!(
                    "Đã có trả lời phản ánh mã {code}. Xem và đánh giá việc giải quyết (một lần): {rating}"
                ),
                Lang::En => format!(
                    "Your feedback {code} has been answered. Read it and rate the handling (once): {rating}"
                ),
            }
        }
        MessageKind::DossierRatingLink => {
            let notice: DossierRatingNotice = payload_of(payload)?;
            let (link, until) = (notice.link(base_url), notice.open_until.format("%d/%m/%Y"));
            match lang {
                Lang::Vi => format!(
                    "{} đã giải quyết xong hồ sơ của Ông/Bà. Mời đánh giá (một lần, đến {until}): {link}",
                    notice.agency
                ),
                Lang::En => format!(
                    "{} has completed your dossier. Please rate it (once, until {until}): {link}",
                    notice.agency
                ),
            }
        }
        MessageKind::FeedbackRecordedEvent
        | MessageKind::FeedbackAnsweredEvent
        | MessageKind::RoundPublishedEvent
        | MessageKind::DossierRatedEvent => return Err(not_for_people(kind)),
        MessageKind::WorkAssigned | MessageKind::WorkDueSoon | MessageKind::WorkOverdue => {
            let alert: WorkAlert = payload_of(payload)?;
            work::alert_sms(kind, &alert, lang, base_url)
        }
        MessageKind::LeadersDigest => {
            let digest: LeadersDigest = payload_of(payload)?;
            work::digest_sms(&digest, lang, base_url)
        }
        MessageKind::SurveyInvitation | MessageKind::SurveyReminder => {
            let invitation: SurveyInvitation = payload_of(payload)?;
            let link = invitation.link(base_url);
            let again = kind == MessageKind::SurveyReminder;
            match (lang, again) {
                (Lang::Vi, false) => format!(
                    "{} mời Quý vị tham gia khảo sát \"{}\": {link}",
                    invitation.agency, invitation.round_title
                ),
                (Lang::Vi, true) => format!(
                    "Nhắc lại: {} mời Quý vị tham gia khảo sát \"{}\": {link}",
                    invitation.agency, invitation.round_title
                ),
                (Lang::En, false) => format!(
                    "{} invites you to the survey \"{}\": {link}",
                    invitation.agency, invitation.round_title
                ),
                (Lang::En, true) => format!(
                    "Reminder: {} invites you to the survey \"{}\": {link}",
                    invitation.agency, invitation.round_title
                ),
            }
        }
    })
}

fn survey_invitation(
    invitation: &SurveyInvitation,
    reminder: bool,
    lang: Lang,
    base_url: &str,
) -> Rendered {
    let SurveyInvitation {
        agency,
        round_title,
        code,
        closes_on,
        ..
    } = invitation;
    let link = invitation.link(base_url);
    let unsubscribe = invitation.unsubscribe_link(base_url);
    let closes = closes_on.map(|d| d.format("%d/%m/%Y").to_string());
    let (subject, opening, deadline, code_line, stop) = match lang {
        Lang::Vi => (
            if reminder {
                format!("Nhắc lại: mời Quý doanh nghiệp, Ông/Bà tham gia khảo sát — {round_title}")
            } else {
                format!("Mời Quý doanh nghiệp, Ông/Bà tham gia khảo sát — {round_title}")
            },
            if reminder {
                format!(
                    "{agency} chưa nhận được ý kiến của Quý doanh nghiệp, Ông/Bà cho cuộc khảo sát \"{round_title}\". Xin dành vài phút trả lời theo đường dẫn riêng dưới đây."
                )
            } else {
                format!(
                    "{agency} trân trọng mời Quý doanh nghiệp, Ông/Bà đánh giá mức độ hài lòng trong cuộc khảo sát \"{round_title}\". Ý kiến của Quý vị được giữ kín và chỉ dùng để cải thiện dịch vụ."
                )
            },
            closes.map(|d| format!("Khảo sát nhận ý kiến đến hết ngày {d}.")),
            format!("Mã mời (dùng một lần): {code}"),
            "Không muốn nhận thư khảo sát nữa:".to_owned(),
        ),
        Lang::En => (
            if reminder {
                format!("Reminder: you are invited to take part in a survey — {round_title}")
            } else {
                format!("You are invited to take part in a survey — {round_title}")
            },
            if reminder {
                format!(
                    "{agency} has not yet received your answers to the survey \"{round_title}\". Please take a few minutes to answer through your personal link below."
                )
            } else {
                format!(
                    "{agency} invites you to rate its services in the survey \"{round_title}\". Your answers are kept confidential and used only to improve the service."
                )
            },
            closes.map(|d| format!("The survey takes answers until {d}.")),
            format!("Invitation code (one use): {code}"),
            "To receive no more survey e-mails:".to_owned(),
        ),
    };
    let deadline_text = deadline
        .as_ref()
        .map(|d| format!("{d}\n"))
        .unwrap_or_default();
    let text =
        format!("{opening}\n\n{link}\n\n{code_line}\n{deadline_text}\n{stop}\n{unsubscribe}\n");
    let deadline_html = deadline
        .as_ref()
        .map(|d| format!("<p>{}</p>", escape(d)))
        .unwrap_or_default();
    let html = html_page(
        lang,
        &format!(
            "<p>{}</p><p>{}</p><p><strong>{}</strong></p>{deadline_html}\
             <p style=\"font-size:14px\">{} {}</p>",
            escape(&opening),
            link_html(&link),
            escape(&code_line),
            escape(&stop),
            link_html(&unsubscribe)
        ),
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: Some(unsubscribe),
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
    let html = html_page(
        lang,
        &format!(
            "<p>{}</p><p><strong>{}</strong></p><p>{}</p><p>{} {}</p>",
            escape(&lines[0]),
            escape(&lines[1]),
            escape(&lines[2]),
            escape(&lines[3]),
            link_html(&link)
        ),
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: None,
    }
}

/// `text` safe inside HTML text and attribute values.
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
    fn an_invitation_carries_the_personal_link_the_deadline_and_the_way_out() {
        let payload = serde_json::to_string(&SurveyInvitation {
            agency: "Ban Quản lý các KKT".to_owned(),
            round_title: "Khảo sát 6 tháng cuối năm 2026".to_owned(),
            slug: "2026-h2".to_owned(),
            code: "ABCD-EFGH".to_owned(),
            closes_on: NaiveDate::from_ymd_opt(2026, 12, 31),
        })
        .unwrap();
        let vi = render(
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
        let reminder = render(
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
        let sms = render_sms(
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
            render_sms(MessageKind::FeedbackAcknowledgement, &ack(), Lang::Vi, ""),
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
            let mail = render(MessageKind::DossierRatingLink, &notice, lang, "https://x").unwrap();
            assert!(mail.text.contains("03/12/2026") && mail.text.contains("02/01/2027"));
            assert!(mail.text.contains("Cấp giấy phép lao động"));
            assert!(mail.text.contains(link) && mail.html.contains(link));
            let sms =
                render_sms(MessageKind::DossierRatingLink, &notice, lang, "https://x").unwrap();
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
        let mail = render(MessageKind::FeedbackAnswer, &notice, Lang::Vi, "https://x").unwrap();
        assert!(mail.text.contains("Ngày 20/12/2026"));
        assert!(mail.text.contains(rating) && mail.html.contains(&escape(rating)));
        let sms = render_sms(MessageKind::FeedbackAnswer, &notice, Lang::Vi, "https://x").unwrap();
        assert!(sms.ends_with(rating), "{sms}");
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
