//! Rendering a message from its template: the variables each kind offers
//! (built from the stored payload, never anything personal), the check an
//! admin's draft must pass, the e-mail's HTML made from its text, and the
//! length of a text message in SMS parts.
//!
//! Templates use MiniJinja (Jinja syntax) in strict mode: a name the kind
//! does not offer is an error when the draft is saved, not a blank in a
//! message. Lines holding only a `{% … %}` tag leave no blank line.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde_json::json;

use super::defaults;
use super::{
    AnswerNotice, DossierRatingNotice, LeadersDigest, RenderError, Rendered, SurveyInvitation,
    WorkAlert, escape, html_page, link_html,
};
use crate::i18n::Lang;
use crate::model::{
    MessageKind, MessageTemplate, Problem, TemplatePreview, TemplateVariableRow, Violation,
};

use super::Acknowledgement;

/// The kinds of message people receive, whose wording admins may edit (in
/// the order the list shows them).
pub const EDITABLE: [MessageKind; 9] = [
    MessageKind::SurveyInvitation,
    MessageKind::SurveyReminder,
    MessageKind::FeedbackAcknowledgement,
    MessageKind::FeedbackAnswer,
    MessageKind::DossierRatingLink,
    MessageKind::WorkAssigned,
    MessageKind::WorkDueSoon,
    MessageKind::WorkOverdue,
    MessageKind::LeadersDigest,
];

/// The longest template source of each part, in characters.
pub const SUBJECT_MAX: usize = 300;
pub const BODY_MAX: usize = 8000;
pub const SMS_MAX: usize = 1000;

/// A variable of one kind: its name and what it holds, in both languages.
struct Variable {
    name: &'static str,
    vi: &'static str,
    en: &'static str,
}

const fn var(name: &'static str, vi: &'static str, en: &'static str) -> Variable {
    Variable { name, vi, en }
}

const ACKNOWLEDGEMENT: &[Variable] = &[
    var(
        "tracking_code",
        "Mã tra cứu của phản ánh",
        "The item's tracking code",
    ),
    var(
        "received_on",
        "Ngày nhận (dd/mm/yyyy)",
        "The day it was received (dd/mm/yyyy)",
    ),
    var(
        "expected_answer_on",
        "Ngày dự kiến trả lời",
        "The day an answer is expected by",
    ),
    var(
        "tracking_link",
        "Trang theo dõi phản ánh",
        "The tracking page",
    ),
];

const ANSWER: &[Variable] = &[
    var(
        "tracking_code",
        "Mã tra cứu của phản ánh",
        "The item's tracking code",
    ),
    var(
        "published_on",
        "Ngày công bố trả lời",
        "The day the answer was published",
    ),
    var(
        "answer_link",
        "Trang đọc câu trả lời",
        "The page with the answer",
    ),
    var(
        "rating_link",
        "Đường dẫn riêng để đánh giá việc giải quyết (một lần)",
        "The private link to rate the handling (once)",
    ),
];

const DOSSIER: &[Variable] = &[
    var("agency", "Tên cơ quan", "The agency's name"),
    var("procedure", "Thủ tục của hồ sơ", "The dossier's procedure"),
    var(
        "completed_on",
        "Ngày giải quyết xong",
        "The day it was completed",
    ),
    var(
        "open_until",
        "Ngày cuối còn đánh giá được",
        "The last day the link works",
    ),
    var(
        "rating_link",
        "Đường dẫn riêng để đánh giá (một lần)",
        "The private link to rate it (once)",
    ),
];

const INVITATION: &[Variable] = &[
    var("agency", "Tên cơ quan", "The agency's name"),
    var("round_title", "Tên đợt khảo sát", "The round's title"),
    var(
        "survey_link",
        "Đường dẫn riêng tới phiếu khảo sát",
        "The personal link to the survey",
    ),
    var(
        "code",
        "Mã mời (dùng một lần)",
        "The invitation code (one use)",
    ),
    var(
        "closes_on",
        "Ngày khảo sát đóng; trống nếu chưa đặt",
        "The day the survey closes; empty when not set",
    ),
    var(
        "unsubscribe_link",
        "Trang từ chối nhận thư khảo sát",
        "The page to receive no more survey mail",
    ),
];

const WORK: &[Variable] = &[
    var(
        "tracking_code",
        "Mã tra cứu của phản ánh",
        "The item's tracking code",
    ),
    var(
        "department",
        "Đơn vị được giao (hoặc \"chưa giao đơn vị\")",
        "The department (or \"no department yet\")",
    ),
    var(
        "due_on",
        "Hạn của bước xử lý hiện tại",
        "The current step's deadline",
    ),
    var(
        "item_link",
        "Trang của phản ánh (cần đăng nhập)",
        "The item's page (sign-in needed)",
    ),
];

const DIGEST: &[Variable] = &[
    var("agency", "Tên cơ quan", "The agency's name"),
    var("week", "Tuần, ví dụ 2026-W49", "The week, e.g. 2026-W49"),
    var(
        "rounds",
        "Danh sách đợt đang mở; mỗi đợt có title, responses, index, link",
        "The open rounds; each has title, responses, index, link",
    ),
    var("open", "Số phản ánh đang xử lý", "Feedback items open"),
    var("overdue", "Số phản ánh quá hạn", "Feedback items overdue"),
    var(
        "departments",
        "Danh sách đơn vị; mỗi đơn vị có name, open, overdue",
        "The departments; each has name, open, overdue",
    ),
    var(
        "items_link",
        "Trang danh sách phản ánh",
        "The feedback list",
    ),
];

fn variables_of(kind: MessageKind) -> &'static [Variable] {
    match kind {
        MessageKind::FeedbackAcknowledgement => ACKNOWLEDGEMENT,
        MessageKind::FeedbackAnswer => ANSWER,
        MessageKind::DossierRatingLink => DOSSIER,
        MessageKind::SurveyInvitation | MessageKind::SurveyReminder => INVITATION,
        MessageKind::WorkAssigned | MessageKind::WorkDueSoon | MessageKind::WorkOverdue => WORK,
        MessageKind::LeadersDigest => DIGEST,
        MessageKind::FeedbackRecordedEvent
        | MessageKind::FeedbackAnsweredEvent
        | MessageKind::RoundPublishedEvent
        | MessageKind::DossierRatedEvent => &[],
    }
}

/// What the e-mail body and the text message must use: the link the
/// message exists to carry (and, for survey mail, the way out).
fn required(kind: MessageKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        MessageKind::FeedbackAcknowledgement => (&["tracking_link"], &["tracking_link"]),
        MessageKind::FeedbackAnswer | MessageKind::DossierRatingLink => {
            (&["rating_link"], &["rating_link"])
        }
        MessageKind::SurveyInvitation | MessageKind::SurveyReminder => {
            (&["survey_link", "unsubscribe_link"], &["survey_link"])
        }
        MessageKind::WorkAssigned | MessageKind::WorkDueSoon | MessageKind::WorkOverdue => {
            (&["item_link"], &["item_link"])
        }
        _ => (&[], &[]),
    }
}

/// The variables of `kind` as the editor lists them.
pub fn variables(kind: MessageKind, lang: Lang) -> Vec<TemplateVariableRow> {
    let (body, sms) = required(kind);
    variables_of(kind)
        .iter()
        .map(|v| TemplateVariableRow {
            name: v.name.to_owned(),
            meaning: lang.pick(v.vi, v.en).to_owned(),
            required: body.contains(&v.name) || sms.contains(&v.name),
        })
        .collect()
}

/// The templates in use: the admins' newest saved versions, and the
/// built-in wording for the rest.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    saved: HashMap<(MessageKind, Lang), MessageTemplate>,
}

impl Templates {
    /// Only the built-in wording.
    pub fn builtin() -> Self {
        Self::default()
    }

    /// Uses `template` for `kind` in `lang`.
    pub fn set(&mut self, kind: MessageKind, lang: Lang, template: MessageTemplate) {
        self.saved.insert((kind, lang), template);
    }

    /// The template of `kind` in `lang`; none for webhook events.
    pub fn get(&self, kind: MessageKind, lang: Lang) -> Option<Cow<'_, MessageTemplate>> {
        match self.saved.get(&(kind, lang)) {
            Some(saved) => Some(Cow::Borrowed(saved)),
            None => defaults::builtin(kind, lang).map(Cow::Owned),
        }
    }
}

fn environment<'source>() -> Environment<'source> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env
}

fn day(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// The variables of a message of `kind` from its stored `payload`.
fn context(
    kind: MessageKind,
    payload: &str,
    lang: Lang,
    base_url: &str,
) -> Result<Value, RenderError> {
    use super::payload_of;
    let vars = match kind {
        MessageKind::FeedbackAcknowledgement => {
            let ack: Acknowledgement = payload_of(payload)?;
            json!({
                "tracking_code": ack.tracking_code,
                "received_on": day(ack.received_on),
                "expected_answer_on": day(ack.expected_answer_on),
                "tracking_link": ack.link(base_url),
            })
        }
        MessageKind::FeedbackAnswer => {
            let notice: AnswerNotice = payload_of(payload)?;
            json!({
                "tracking_code": notice.tracking_code,
                "published_on": day(notice.published_on),
                "answer_link": notice.link(base_url),
                "rating_link": notice.rating_link(base_url),
            })
        }
        MessageKind::DossierRatingLink => {
            let notice: DossierRatingNotice = payload_of(payload)?;
            json!({
                "agency": notice.agency,
                "procedure": notice.procedure,
                "completed_on": day(notice.completed_on),
                "open_until": day(notice.open_until),
                "rating_link": notice.link(base_url),
            })
        }
        MessageKind::SurveyInvitation | MessageKind::SurveyReminder => {
            let invitation: SurveyInvitation = payload_of(payload)?;
            json!({
                "agency": invitation.agency,
                "round_title": invitation.round_title,
                "survey_link": invitation.link(base_url),
                "code": invitation.code,
                "closes_on": invitation.closes_on.map(day).unwrap_or_default(),
                "unsubscribe_link": invitation.unsubscribe_link(base_url),
            })
        }
        MessageKind::WorkAssigned | MessageKind::WorkDueSoon | MessageKind::WorkOverdue => {
            let alert: WorkAlert = payload_of(payload)?;
            json!({
                "tracking_code": alert.tracking_code,
                "department": alert.department.clone().unwrap_or_else(|| {
                    lang.pick("(chưa giao đơn vị)", "(no department yet)").to_owned()
                }),
                "due_on": alert.due_on.map_or_else(|| "—".to_owned(), day),
                "item_link": alert.link(base_url),
            })
        }
        MessageKind::LeadersDigest => {
            let digest: LeadersDigest = payload_of(payload)?;
            digest_context(&digest, lang, base_url)
        }
        MessageKind::FeedbackRecordedEvent
        | MessageKind::FeedbackAnsweredEvent
        | MessageKind::RoundPublishedEvent
        | MessageKind::DossierRatedEvent => return Err(super::not_for_people(kind)),
    };
    Ok(Value::from_serialize(&vars))
}

fn digest_context(digest: &LeadersDigest, lang: Lang, base_url: &str) -> serde_json::Value {
    let rounds: Vec<_> = digest
        .rounds
        .iter()
        .map(|round| {
            json!({
                "title": round.title,
                "responses": lang.count(round.responses),
                "index": round.overall.map_or_else(
                    || lang.pick("chưa đủ số phiếu", "too few responses yet").to_owned(),
                    |value| lang.decimal(value),
                ),
                "link": format!("{base_url}/rounds/{}", round.slug),
            })
        })
        .collect();
    let departments: Vec<_> = digest
        .departments
        .iter()
        .map(|department| {
            json!({
                "name": department.name.clone().unwrap_or_else(|| {
                    lang.pick("Chưa giao đơn vị", "Not assigned yet").to_owned()
                }),
                "open": lang.count(department.open),
                "overdue": lang.count(department.overdue),
            })
        })
        .collect();
    json!({
        "agency": digest.agency,
        "week": digest.week,
        "rounds": rounds,
        "open": lang.count(digest.open()),
        "overdue": lang.count(digest.overdue()),
        "departments": departments,
        "items_link": format!("{base_url}/feedback/items"),
    })
}

fn render_part(env: &Environment<'_>, source: &str, vars: &Value) -> Result<String, RenderError> {
    env.render_str(source, vars)
        .map_err(|e| RenderError::Template(e.to_string()))
}

/// The e-mail of `kind` from `template` and the stored `payload`.
pub fn render_mail(
    template: &MessageTemplate,
    kind: MessageKind,
    payload: &str,
    lang: Lang,
    base_url: &str,
) -> Result<Rendered, RenderError> {
    let vars = context(kind, payload, lang, base_url)?;
    let env = environment();
    let subject = one_line(&render_part(&env, &template.subject, &vars)?);
    let text = format!("{}\n", render_part(&env, &template.body, &vars)?.trim_end());
    let unsubscribe = match kind {
        MessageKind::SurveyInvitation | MessageKind::SurveyReminder => {
            let invitation: SurveyInvitation = super::payload_of(payload)?;
            Some(invitation.unsubscribe_link(base_url))
        }
        _ => None,
    };
    Ok(Rendered {
        html: text_to_html(&text, lang),
        subject,
        text,
        unsubscribe,
    })
}

/// The text message of `kind` from `template` and the stored `payload`.
pub fn render_text(
    template: &MessageTemplate,
    kind: MessageKind,
    payload: &str,
    lang: Lang,
    base_url: &str,
) -> Result<String, RenderError> {
    let vars = context(kind, payload, lang, base_url)?;
    Ok(render_part(&environment(), &template.sms, &vars)?
        .trim()
        .to_owned())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The HTML of an e-mail whose text is `text`: a blank line starts a
/// paragraph, lines starting with "- " make a list, web addresses become
/// links; everything else is escaped.
pub fn text_to_html(text: &str, lang: Lang) -> String {
    let mut body = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut lines: Vec<String> = Vec::new();
        let mut items: Vec<String> = Vec::new();
        for line in paragraph.lines().map(str::trim) {
            if let Some(item) = line.strip_prefix("- ") {
                if !lines.is_empty() {
                    body.push_str(&format!("<p>{}</p>", lines.join("<br>")));
                    lines.clear();
                }
                items.push(format!("<li>{}</li>", linked(item)));
            } else {
                if !items.is_empty() {
                    body.push_str(&format!("<ul>{}</ul>", items.concat()));
                    items.clear();
                }
                lines.push(linked(line));
            }
        }
        if !lines.is_empty() {
            body.push_str(&format!("<p>{}</p>", lines.join("<br>")));
        }
        if !items.is_empty() {
            body.push_str(&format!("<ul>{}</ul>", items.concat()));
        }
    }
    html_page(lang, &body)
}

/// `line` escaped, with each web address as a link (a full stop, comma or
/// closing bracket right after an address stays text).
fn linked(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let start = word.find("https://").or_else(|| word.find("http://"));
            match start {
                Some(start) => {
                    let (before, rest) = word.split_at(start);
                    let end = rest.trim_end_matches(['.', ',', ';', ')', '"']).len();
                    let (url, after) = rest.split_at(end);
                    format!("{}{}{}", escape(before), link_html(url), escape(after))
                }
                None => escape(word),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a text message counts: its length in SMS units, its parts, and
/// whether it needs Unicode. A message in the GSM alphabet (plain ASCII
/// here, with `^{}\[~]|` counting two) takes 160 units in one part and 153
/// a part when split; one with any other character (Vietnamese accents)
/// takes 70, and 67 a part when split.
pub fn sms_parts(text: &str) -> (usize, usize, bool) {
    let gsm = text
        .chars()
        .all(|c| (c.is_ascii_graphic() && c != '`') || c == ' ' || c == '\n' || c == '\r');
    let (units, single, part) = if gsm {
        let units = text
            .chars()
            .map(|c| if "^{}\\[~]|".contains(c) { 2 } else { 1 })
            .sum::<usize>();
        (units, 160, 153)
    } else {
        (text.encode_utf16().count(), 70, 67)
    };
    let parts = if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    (units, parts, !gsm)
}

/// A made-up payload of `kind`, for previews and for checking drafts.
pub fn sample_payload(kind: MessageKind) -> Option<String> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a real day");
    let value = match kind {
        MessageKind::FeedbackAcknowledgement => serde_json::to_value(Acknowledgement {
            tracking_code: "PA-7K3M-Q9TX-W4HD".to_owned(),
            received_on: date(2026, 12, 3),
            expected_answer_on: date(2026, 12, 24),
        }),
        MessageKind::FeedbackAnswer => serde_json::to_value(AnswerNotice {
            tracking_code: "PA-7K3M-Q9TX-W4HD".to_owned(),
            published_on: date(2026, 12, 20),
            rating_key: "DG-2345-6789-ABCD-EFGH".to_owned(),
        }),
        MessageKind::DossierRatingLink => serde_json::to_value(DossierRatingNotice {
            agency: "Ban Quản lý các Khu kinh tế".to_owned(),
            procedure: "Cấp giấy phép lao động cho người nước ngoài".to_owned(),
            completed_on: date(2026, 12, 3),
            open_until: date(2027, 1, 2),
            rating_key: "HS-2345-6789".to_owned(),
        }),
        MessageKind::SurveyInvitation | MessageKind::SurveyReminder => {
            serde_json::to_value(SurveyInvitation {
                agency: "Ban Quản lý các Khu kinh tế".to_owned(),
                round_title: "Khảo sát 6 tháng cuối năm 2026".to_owned(),
                slug: "2026-h2".to_owned(),
                code: "ABCD-EFGH".to_owned(),
                closes_on: Some(date(2026, 12, 31)),
            })
        }
        MessageKind::WorkAssigned | MessageKind::WorkDueSoon | MessageKind::WorkOverdue => {
            serde_json::to_value(WorkAlert {
                item_id: 42,
                tracking_code: "PA-7K3M-Q9TX-W4HD".to_owned(),
                department: Some("Phòng Quản lý doanh nghiệp".to_owned()),
                due_on: Some(date(2026, 12, 7)),
            })
        }
        MessageKind::LeadersDigest => serde_json::to_value(LeadersDigest {
            week: "2026-W49".to_owned(),
            agency: "Ban Quản lý các Khu kinh tế".to_owned(),
            rounds: vec![super::DigestRound {
                slug: "2026-h2".to_owned(),
                title: "Khảo sát 6 tháng cuối năm 2026".to_owned(),
                responses: 1234,
                overall: Some(86.25),
            }],
            departments: vec![
                super::DigestDepartment {
                    name: Some("Phòng Quản lý doanh nghiệp".to_owned()),
                    open: 5,
                    overdue: 2,
                },
                super::DigestDepartment {
                    name: None,
                    open: 1,
                    overdue: 0,
                },
            ],
        }),
        _ => return None,
    };
    Some(value.expect("a sample serialises").to_string())
}

/// What is wrong with `draft` as the template of `kind` in `lang`: each
/// part must be given, short enough, readable, use only the kind's
/// variables and the ones it cannot do without, and render with made-up
/// data. Empty when it may be saved.
pub fn check(kind: MessageKind, lang: Lang, draft: &MessageTemplate) -> Vec<Violation> {
    let env = environment();
    let offered: BTreeSet<&str> = variables_of(kind).iter().map(|v| v.name).collect();
    let (body_needs, sms_needs) = required(kind);
    let sample = sample_payload(kind).unwrap_or_default();
    let vars = context(kind, &sample, lang, "https://hailong.example.vn").ok();
    let parts: [(&str, &str, &[&str], usize); 3] = [
        ("subject", &draft.subject, &[], SUBJECT_MAX),
        ("body", &draft.body, body_needs, BODY_MAX),
        ("sms", &draft.sms, sms_needs, SMS_MAX),
    ];
    let mut violations = Vec::new();
    for (field, source, needs, max) in parts {
        if let Some(problem) = part_problem(&env, source, &offered, needs, max, vars.as_ref()) {
            violations.push(Violation::new(field, problem));
        }
    }
    if vars.is_none() {
        violations.push(Violation::new("form", Problem::InvalidValue));
    }
    violations
}

fn part_problem<'source>(
    env: &Environment<'source>,
    source: &'source str,
    offered: &BTreeSet<&str>,
    needs: &[&str],
    max: usize,
    vars: Option<&Value>,
) -> Option<Problem> {
    if source.trim().is_empty() {
        return Some(Problem::Required);
    }
    if source.chars().count() > max {
        return Some(Problem::TooLong { max });
    }
    let syntax = |e: minijinja::Error| Problem::TemplateSyntax {
        line: e.line().unwrap_or(1),
        detail: e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned),
    };
    let template = match env.template_from_str(source) {
        Ok(template) => template,
        Err(e) => return Some(syntax(e)),
    };
    let used = template.undeclared_variables(false);
    let mut unknown: Vec<&String> = used
        .iter()
        .filter(|n| !offered.contains(n.as_str()))
        .collect();
    unknown.sort();
    if let Some(name) = unknown.first() {
        return Some(Problem::UnknownVariable {
            name: (*name).clone(),
        });
    }
    if let Some(name) = needs.iter().find(|n| !used.contains(**n)) {
        return Some(Problem::MissingVariable {
            name: (*name).to_owned(),
        });
    }
    let vars = vars?;
    template.render(vars).err().map(syntax)
}

/// `draft` rendered with made-up data, links under `base_url`; none when
/// it cannot be rendered. The caller shows it only for a draft that passes
/// [`check`], which it has run already.
pub fn preview(
    kind: MessageKind,
    lang: Lang,
    draft: &MessageTemplate,
    base_url: &str,
) -> Option<TemplatePreview> {
    let sample = sample_payload(kind)?;
    let mail = render_mail(draft, kind, &sample, lang, base_url).ok()?;
    let sms = render_text(draft, kind, &sample, lang, base_url).ok()?;
    let (sms_units, sms_parts, sms_unicode) = sms_parts(&sms);
    // The preview shows the body, not the whole document.
    let html = mail
        .html
        .split_once("line-height:1.5\">")
        .and_then(|(_, rest)| rest.strip_suffix("</body></html>"))
        .unwrap_or_default()
        .to_owned();
    Some(TemplatePreview {
        subject: mail.subject,
        text: mail.text,
        html,
        sms,
        sms_units,
        sms_parts,
        sms_unicode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(kind: MessageKind, lang: Lang) -> MessageTemplate {
        defaults::builtin(kind, lang).unwrap()
    }

    #[test]
    fn every_builtin_template_passes_its_own_check() {
        for kind in EDITABLE {
            for lang in [Lang::Vi, Lang::En] {
                let template = builtin(kind, lang);
                assert_eq!(check(kind, lang, &template), vec![], "{kind} {lang:?}");
                assert!(preview(kind, lang, &template, "https://x").is_some());
            }
        }
    }

    #[test]
    fn a_draft_with_an_unknown_or_missing_variable_or_bad_syntax_is_refused() {
        let kind = MessageKind::FeedbackAcknowledgement;
        let mut draft = builtin(kind, Lang::Vi);
        draft.subject = "Mã {{ tracking_code }} của {{ full_name }}".to_owned();
        draft.body = "Cảm ơn Ông/Bà.".to_owned();
        draft.sms = "{% if tracking_code %}Mã {{ tracking_code }}".to_owned();
        let problems = check(kind, Lang::Vi, &draft);
        assert_eq!(
            problems[0],
            Violation::new(
                "subject",
                Problem::UnknownVariable {
                    name: "full_name".to_owned()
                }
            )
        );
        assert_eq!(
            problems[1],
            Violation::new(
                "body",
                Problem::MissingVariable {
                    name: "tracking_link".to_owned()
                }
            )
        );
        assert!(
            matches!(
                &problems[2].problem,
                Problem::TemplateSyntax { line: 1, .. }
            ),
            "{problems:?}"
        );
        draft.subject = " ".to_owned();
        assert_eq!(
            check(kind, Lang::Vi, &draft)[0],
            Violation::new("subject", Problem::Required)
        );
        assert!(preview(kind, Lang::Vi, &draft, "https://x").is_none());
    }

    #[test]
    fn an_edited_template_is_what_is_sent() {
        let kind = MessageKind::FeedbackAcknowledgement;
        let mut templates = Templates::builtin();
        templates.set(
            kind,
            Lang::Vi,
            MessageTemplate {
                subject: "Mã {{ tracking_code }}\n".to_owned(),
                body: "Xin chào,\n\n- Mã: {{ tracking_code }}\n- Hạn: {{ expected_answer_on }}\n\nXem {{ tracking_link }}.".to_owned(),
                sms: "Mã {{ tracking_code }}: {{ tracking_link }}".to_owned(),
            },
        );
        let payload = sample_payload(kind).unwrap();
        let template = templates.get(kind, Lang::Vi).unwrap();
        let mail = render_mail(&template, kind, &payload, Lang::Vi, "https://x").unwrap();
        assert_eq!(mail.subject, "Mã PA-7K3M-Q9TX-W4HD");
        assert!(mail.text.contains("- Hạn: 24/12/2026"));
        assert!(
            mail.html
                .contains("<ul><li>Mã: PA-7K3M-Q9TX-W4HD</li><li>Hạn: 24/12/2026</li></ul>")
        );
        assert!(mail.html.contains(
            "<p>Xem <a href=\"https://x/feedback/track?code=PA-7K3M-Q9TX-W4HD\">https://x/feedback/track?code=PA-7K3M-Q9TX-W4HD</a>.</p>"
        ));
        // English still uses the built-in wording.
        let en = templates.get(kind, Lang::En).unwrap();
        assert!(en.subject.starts_with("Your feedback has been received"));
    }

    #[test]
    fn text_is_escaped_in_the_html() {
        let html = text_to_html("<b>Ông & Bà</b>\nhttps://x/a?b=1&c=2", Lang::Vi);
        assert!(html.contains(
            "<p>&lt;b&gt;Ông &amp; Bà&lt;/b&gt;<br><a href=\"https://x/a?b=1&amp;c=2\">https://x/a?b=1&amp;c=2</a></p>"
        ), "{html}");
    }

    #[test]
    fn a_text_message_counts_in_sms_parts() {
        assert_eq!(sms_parts("Ma tra cuu PA-1"), (15, 1, false));
        assert_eq!(sms_parts(&"a".repeat(160)), (160, 1, false));
        assert_eq!(sms_parts(&"a".repeat(161)), (161, 2, false));
        assert_eq!(sms_parts("{x}"), (5, 1, false));
        assert_eq!(sms_parts("Mã tra cứu"), (10, 1, true));
        assert_eq!(sms_parts(&"ă".repeat(71)), (71, 2, true));
        assert_eq!(sms_parts(&"ă".repeat(135)), (135, 3, true));
    }

    #[test]
    fn the_invitation_leaves_out_the_closing_day_when_there_is_none() {
        let kind = MessageKind::SurveyInvitation;
        let payload = serde_json::to_string(&SurveyInvitation {
            agency: "BQL".to_owned(),
            round_title: "Đợt 1".to_owned(),
            slug: "d1".to_owned(),
            code: "ABCD".to_owned(),
            closes_on: None,
        })
        .unwrap();
        let mail = render_mail(
            &builtin(kind, Lang::Vi),
            kind,
            &payload,
            Lang::Vi,
            "https://x",
        )
        .unwrap();
        assert!(
            mail.text
                .contains("Mã mời (dùng một lần): ABCD\n\nKhông muốn nhận thư khảo sát nữa:\n"),
            "{}",
            mail.text
        );
        assert_eq!(
            mail.unsubscribe.as_deref(),
            Some("https://x/s/d1/unsubscribe?code=ABCD")
        );
    }
}
