//! The wording of work alerts to staff and of the leaders' weekly digest:
//! an item by its tracking code, department and deadline (never its sender
//! or words), with the link to the item's page, which asks to sign in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Rendered, escape, html_page, link_html};
use crate::i18n::Lang;
use crate::model::MessageKind;

/// What an alert about one feedback item says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkAlert {
    pub item_id: i32,
    pub tracking_code: String,
    /// The department's name, when the item has one.
    pub department: Option<String>,
    /// The current step's deadline.
    pub due_on: Option<NaiveDate>,
}

impl WorkAlert {
    /// The item's staff page.
    pub fn link(&self, base_url: &str) -> String {
        format!("{base_url}/feedback/items/{}", self.item_id)
    }
}

/// One open round in the digest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestRound {
    pub slug: String,
    pub title: String,
    pub responses: u64,
    /// The index so far; none below the suppression threshold.
    pub overall: Option<f64>,
}

/// Open and overdue items of one department (none: not yet assigned).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestDepartment {
    pub name: Option<String>,
    pub open: u64,
    pub overdue: u64,
}

/// What the leaders' weekly digest says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadersDigest {
    /// e.g. "2026-W49".
    pub week: String,
    pub agency: String,
    pub rounds: Vec<DigestRound>,
    pub departments: Vec<DigestDepartment>,
}

impl LeadersDigest {
    pub fn open(&self) -> u64 {
        self.departments.iter().map(|d| d.open).sum()
    }

    pub fn overdue(&self) -> u64 {
        self.departments.iter().map(|d| d.overdue).sum()
    }
}

fn day(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "—".to_owned(), |d| d.format("%d/%m/%Y").to_string())
}

/// The subject and the first sentence of an alert of `kind`.
fn alert_lines(kind: MessageKind, alert: &WorkAlert, lang: Lang) -> (String, String) {
    let code = &alert.tracking_code;
    let due = day(alert.due_on);
    let department = alert.department.clone().unwrap_or_else(|| {
        lang.pick("(chưa giao đơn vị)", "(no department yet)")
            .to_owned()
    });
    match (kind, lang) {
        (MessageKind::WorkAssigned, Lang::Vi) => (
            format!("Phản ánh {code} được giao cho {department}"),
            format!(
                "Phản ánh, kiến nghị {code} vừa được giao cho {department}. Hạn trả lời: {due}."
            ),
        ),
        (MessageKind::WorkAssigned, Lang::En) => (
            format!("Feedback {code} assigned to {department}"),
            format!("Feedback {code} has been assigned to {department}. Answer due: {due}."),
        ),
        (MessageKind::WorkDueSoon, Lang::Vi) => (
            format!("Phản ánh {code} đến hạn ngày {due}"),
            format!(
                "Bước xử lý hiện tại của phản ánh {code} ({department}) đến hạn vào ngày làm việc tới, {due}."
            ),
        ),
        (MessageKind::WorkDueSoon, Lang::En) => (
            format!("Feedback {code} is due on {due}"),
            format!(
                "The current step of feedback {code} ({department}) is due on the next working day, {due}."
            ),
        ),
        (_, Lang::Vi) => (
            format!("Phản ánh {code} đã quá hạn ({due})"),
            format!(
                "Bước xử lý hiện tại của phản ánh {code} ({department}) đã quá hạn từ ngày {due}."
            ),
        ),
        (_, Lang::En) => (
            format!("Feedback {code} is overdue ({due})"),
            format!("The current step of feedback {code} ({department}) was due on {due}."),
        ),
    }
}

/// The e-mail of an alert of `kind`.
pub(super) fn alert(kind: MessageKind, alert: &WorkAlert, lang: Lang, base_url: &str) -> Rendered {
    let (subject, said) = alert_lines(kind, alert, lang);
    let open = lang.pick(
        "Mở phản ánh (cần đăng nhập):",
        "Open the item (sign-in needed):",
    );
    let link = alert.link(base_url);
    let text = format!("{said}\n\n{open}\n{link}\n");
    let html = html_page(
        lang,
        &format!(
            "<p>{}</p><p>{} {}</p>",
            escape(&said),
            escape(open),
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

/// The text message of an alert of `kind`.
pub(super) fn alert_sms(
    kind: MessageKind,
    alert: &WorkAlert,
    lang: Lang,
    base_url: &str,
) -> String {
    let (_, said) = alert_lines(kind, alert, lang);
    format!("{said} {}", alert.link(base_url))
}

fn index_text(overall: Option<f64>, lang: Lang) -> String {
    overall.map_or_else(
        || {
            lang.pick("chưa đủ số phiếu", "too few responses yet")
                .to_owned()
        },
        |value| lang.decimal(value),
    )
}

/// The leaders' weekly digest as an e-mail.
pub(super) fn digest(digest: &LeadersDigest, lang: Lang, base_url: &str) -> Rendered {
    let week = &digest.week;
    let subject = match lang {
        Lang::Vi => format!("{}: tổng hợp tuần {week}", digest.agency),
        Lang::En => format!("{}: weekly digest {week}", digest.agency),
    };
    let mut text = String::new();
    let mut html = String::new();
    let rounds_heading = lang.pick("Khảo sát đang mở", "Open surveys");
    text.push_str(&format!("{rounds_heading}\n"));
    html.push_str(&format!("<h2>{}</h2>", escape(rounds_heading)));
    if digest.rounds.is_empty() {
        let none = lang.pick("Không có đợt khảo sát nào đang mở.", "No survey is open.");
        text.push_str(&format!("{none}\n"));
        html.push_str(&format!("<p>{}</p>", escape(none)));
    } else {
        html.push_str("<ul>");
        for round in &digest.rounds {
            let line = match lang {
                Lang::Vi => format!(
                    "{}: {} phiếu, chỉ số đến nay {} — {base_url}/rounds/{}",
                    round.title,
                    lang.count(round.responses),
                    index_text(round.overall, lang),
                    round.slug
                ),
                Lang::En => format!(
                    "{}: {} responses, index so far {} — {base_url}/rounds/{}",
                    round.title,
                    lang.count(round.responses),
                    index_text(round.overall, lang),
                    round.slug
                ),
            };
            text.push_str(&format!("- {line}\n"));
            html.push_str(&format!("<li>{}</li>", escape(&line)));
        }
        html.push_str("</ul>");
    }
    let feedback_heading = lang.pick("Phản ánh, kiến nghị", "Feedback");
    let totals = match lang {
        Lang::Vi => format!(
            "Đang xử lý: {}; quá hạn: {}.",
            lang.count(digest.open()),
            lang.count(digest.overdue())
        ),
        Lang::En => format!(
            "Open: {}; overdue: {}.",
            lang.count(digest.open()),
            lang.count(digest.overdue())
        ),
    };
    text.push_str(&format!("\n{feedback_heading}\n{totals}\n"));
    html.push_str(&format!(
        "<h2>{}</h2><p>{}</p>",
        escape(feedback_heading),
        escape(&totals)
    ));
    if !digest.departments.is_empty() {
        let (col_department, col_open, col_overdue) = match lang {
            Lang::Vi => ("Đơn vị", "Đang xử lý", "Quá hạn"),
            Lang::En => ("Department", "Open", "Overdue"),
        };
        html.push_str(&format!(
            "<table style=\"border-collapse:collapse\"><thead><tr><th scope=\"col\" style=\"text-align:left\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(col_department),
            escape(col_open),
            escape(col_overdue)
        ));
        for department in &digest.departments {
            let name = department
                .name
                .clone()
                .unwrap_or_else(|| lang.pick("Chưa giao đơn vị", "Not assigned yet").to_owned());
            text.push_str(&format!(
                "- {name}: {} {col_open}, {} {col_overdue}\n",
                lang.count(department.open),
                lang.count(department.overdue)
            ));
            html.push_str(&format!(
                "<tr><td>{}</td><td style=\"text-align:right\">{}</td><td style=\"text-align:right\">{}</td></tr>",
                escape(&name),
                lang.count(department.open),
                lang.count(department.overdue)
            ));
        }
        html.push_str("</tbody></table>");
    }
    let list = format!("{base_url}/feedback/items");
    text.push_str(&format!("\n{list}\n"));
    html.push_str(&format!("<p>{}</p>", link_html(&list)));
    Rendered {
        subject,
        text,
        html: html_page(lang, &html),
        unsubscribe: None,
    }
}

/// The digest as a text message: the totals and the link.
pub(super) fn digest_sms(digest: &LeadersDigest, lang: Lang, base_url: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "Tuần {}: {} phản ánh đang xử lý, {} quá hạn. {base_url}/feedback/items",
            digest.week,
            lang.count(digest.open()),
            lang.count(digest.overdue())
        ),
        Lang::En => format!(
            "Week {}: {} feedback items open, {} overdue. {base_url}/feedback/items",
            digest.week,
            lang.count(digest.open()),
            lang.count(digest.overdue())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> LeadersDigest {
        LeadersDigest {
            week: "2026-W49".to_owned(),
            agency: "Ban Quản lý KKT".to_owned(),
            rounds: vec![DigestRound {
                slug: "2026-h2".to_owned(),
                title: "Khảo sát 6 tháng cuối năm".to_owned(),
                responses: 1234,
                overall: Some(86.25),
            }],
            departments: vec![
                DigestDepartment {
                    name: Some("Phòng Quản lý doanh nghiệp".to_owned()),
                    open: 5,
                    overdue: 2,
                },
                DigestDepartment {
                    name: None,
                    open: 1,
                    overdue: 0,
                },
            ],
        }
    }

    #[test]
    fn the_digest_gives_the_totals_and_each_department() {
        let mail = digest(&sample(), Lang::Vi, "https://x");
        assert_eq!(mail.subject, "Ban Quản lý KKT: tổng hợp tuần 2026-W49");
        assert!(mail.text.contains("1.234 phiếu"), "{}", mail.text);
        assert!(
            mail.text.contains("Đang xử lý: 6; quá hạn: 2."),
            "{}",
            mail.text
        );
        assert!(
            mail.text
                .contains("- Chưa giao đơn vị: 1 Đang xử lý, 0 Quá hạn")
        );
        assert!(mail.html.contains("<th scope=\"col\">Quá hạn</th>"));
    }

    #[test]
    fn an_alert_names_the_item_its_deadline_and_its_page() {
        let item = WorkAlert {
            item_id: 42,
            tracking_code: "PA-ABCD-EFGH-JKLM-NPQR".to_owned(),
            department: Some("Phòng Quản lý doanh nghiệp".to_owned()),
            due_on: NaiveDate::from_ymd_opt(2026, 12, 7),
        };
        let mail = alert(MessageKind::WorkOverdue, &item, Lang::Vi, "https://x");
        assert_eq!(
            mail.subject,
            "Phản ánh PA-ABCD-EFGH-JKLM-NPQR đã quá hạn (07/12/2026)"
        );
        assert!(mail.text.contains("https://x/feedback/items/42"));
        let mail = alert(MessageKind::WorkAssigned, &item, Lang::En, "https://x");
        assert!(
            mail.text.contains("Answer due: 07/12/2026."),
            "{}",
            mail.text
        );
    }
}
