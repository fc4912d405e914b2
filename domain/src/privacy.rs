//! Personal data kept off public pages (docs/methodology.md, “Feedback”): the sender's own
//! name, address, phone and email wherever they appear in a text, and
//! anything shaped like an email address, a phone number or an identity
//! number. Staff may also rewrite the public wording; this is the net under it.
//! Also the plain form of text that search compares.

use std::sync::LazyLock;

use regex::Regex;

use crate::feedback_rules::SenderContact;

/// What replaces personal data in public text.
pub const REDACTED: &str = "[…]";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+").expect("the email pattern compiles")
});

/// Nine or more digits, possibly grouped by spaces, dots or dashes, with an
/// optional +84: phone numbers, identity card and tax numbers.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\d(?:[\s.\-]?\d){8,}").expect("the number pattern compiles"));

/// `text` with the sender's contact data and anything that looks like
/// contact data replaced by [`REDACTED`].
pub fn redact(text: &str, sender: &SenderContact) -> String {
    let mut out = text.to_owned();
    for known in [&sender.name, &sender.address, &sender.email, &sender.phone] {
        let known = known.trim();
        if known.chars().count() < 3 {
            continue;
        }
        let pattern = format!("(?i){}", regex::escape(known));
        if let Ok(found) = Regex::new(&pattern) {
            out = found.replace_all(&out, REDACTED).into_owned();
        }
    }
    let out = EMAIL.replace_all(&out, REDACTED);
    NUMBER.replace_all(&out, REDACTED).into_owned()
}

/// Lower case without diacritics ("Đường Nguyễn Huệ" → "duong nguyen hue"),
/// words separated by one space: what search compares.
pub fn plain(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sender() -> SenderContact {
        SenderContact {
            name: "Trần Thị Bích Ngọc".into(),
            address: "Lô 12, KCN Tam Thăng".into(),
            phone: "0905 123 456".into(),
            email: "ngoc.tran@chulai.vn".into(),
        }
    }

    #[test]
    fn the_senders_data_and_contact_shapes_are_removed() {
        let text = "Tôi là TRẦN THỊ BÍCH NGỌC, ở lô 12, KCN Tam Thăng; gọi 0905123456 hoặc \
                    +84 905 123 456, email ngoc.tran@chulai.vn, CCCD 049 190 001 234. \
                    Hồ sơ nộp ngày 12/3/2026 chưa được trả sau 15 ngày.";
        let public = redact(text, &sender());
        for secret in [
            "NGỌC",
            "Tam Thăng",
            "0905123456",
            "905 123 456",
            "chulai.vn",
            "001 234",
        ] {
            assert!(!public.contains(secret), "{secret} left in {public}");
        }
        assert!(
            public.contains("12/3/2026") && public.contains("15 ngày"),
            "{public}"
        );
    }

    #[test]
    fn text_without_personal_data_is_unchanged() {
        let text = "Đề nghị rút ngắn thời gian cấp giấy phép lao động xuống 5 ngày.";
        assert_eq!(redact(text, &SenderContact::default()), text);
    }

    #[test]
    fn search_text_ignores_case_and_diacritics() {
        assert_eq!(plain("  Đường   NGUYỄN Huệ "), "duong nguyen hue");
        assert!(plain("Giấy phép lao động").contains(&plain("giay PHEP")));
    }
}
