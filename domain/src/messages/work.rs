//! What work alerts to staff and the leaders' weekly digest carry: an item
//! by its tracking code, department and deadline (never its sender or
//! words), with the link to the item's page, which asks to sign in. Their
//! wording is in the templates (`defaults.rs`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::messages::{Templates, render, render_sms};
    use crate::model::MessageKind;

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
        let payload = serde_json::to_string(&sample()).unwrap();
        let kind = MessageKind::LeadersDigest;
        let mail = render(kind, &payload, Lang::Vi, "https://x", &Templates::builtin()).unwrap();
        assert_eq!(mail.subject, "Ban Quản lý KKT: tổng hợp tuần 2026-W49");
        assert!(
            mail.text.contains(
                "- Khảo sát 6 tháng cuối năm: 1.234 phiếu, chỉ số đến nay 86,25 — https://x/rounds/2026-h2\n"
            ),
            "{}",
            mail.text
        );
        assert!(
            mail.text.contains("Đang xử lý: 6; quá hạn: 2."),
            "{}",
            mail.text
        );
        assert!(
            mail.text
                .contains("- Chưa giao đơn vị: 1 đang xử lý, 0 quá hạn\n"),
            "{}",
            mail.text
        );
        assert!(
            mail.html
                .contains("<li>Phòng Quản lý doanh nghiệp: 5 đang xử lý, 2 quá hạn</li>"),
            "{}",
            mail.html
        );
        let empty = LeadersDigest {
            rounds: vec![],
            ..sample()
        };
        let payload = serde_json::to_string(&empty).unwrap();
        let mail = render(kind, &payload, Lang::En, "https://x", &Templates::builtin()).unwrap();
        assert!(
            mail.text
                .starts_with("Open surveys\nNo survey is open.\n\nFeedback\n"),
            "{}",
            mail.text
        );
        let sms = render_sms(kind, &payload, Lang::Vi, "https://x", &Templates::builtin()).unwrap();
        assert_eq!(
            sms,
            "Tuần 2026-W49: 6 phản ánh đang xử lý, 2 quá hạn. https://x/feedback/items"
        );
    }

    #[test]
    fn an_alert_names_the_item_its_deadline_and_its_page() {
        let item = WorkAlert {
            item_id: 42,
            tracking_code: "PA-ABCD-EFGH-JKLM-NPQR".to_owned(),
            department: Some("Phòng Quản lý doanh nghiệp".to_owned()),
            due_on: NaiveDate::from_ymd_opt(2026, 12, 7),
        };
        let payload = serde_json::to_string(&item).unwrap();
        let templates = Templates::builtin();
        let mail = render(
            MessageKind::WorkOverdue,
            &payload,
            Lang::Vi,
            "https://x",
            &templates,
        )
        .unwrap();
        assert_eq!(
            mail.subject,
            "Phản ánh PA-ABCD-EFGH-JKLM-NPQR đã quá hạn (07/12/2026)"
        );
        assert!(mail.text.contains("https://x/feedback/items/42"));
        let mail = render(
            MessageKind::WorkAssigned,
            &payload,
            Lang::En,
            "https://x",
            &templates,
        )
        .unwrap();
        assert!(
            mail.text.contains("Answer due: 07/12/2026."),
            "{}",
            mail.text
        );
    }
}
