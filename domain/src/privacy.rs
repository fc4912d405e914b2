//! Personal data kept off public pages (docs/methodology.md, “Feedback”): the sender's own
//! name, address, phone and email wherever they appear in a text (however
//! it is accented, cased or spaced, and the given name alone after "anh",
//! "chị"…), any name after an honorific, and anything shaped like an email
//! address, a phone number or an identity number. The leader who publishes
//! sees what is hidden, highlighted, and confirms; this is the net under
//! their reading.
//! Also the plain form of text that search compares.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::feedback_rules::SenderContact;
use crate::model::TextPiece;

/// What replaces personal data in public text.
pub const REDACTED: &str = "[…]";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+").expect("the email pattern compiles")
});

/// Nine or more digits, possibly grouped by spaces, dots or dashes, with an
/// optional +84: phone numbers, identity card and tax numbers.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\d(?:[\s.\-]?\d){8,}").expect("the number pattern compiles"));

/// Words that come before a person's name in Vietnamese (and English)
/// text: "chị Ngọc", "anh Tuấn", "ông Nguyễn Văn A".
const HONORIFICS: [&str; 16] = [
    "anh", "chị", "em", "ông", "bà", "cô", "chú", "bác", "cháu", "bạn", "cậu", "dì", "mr", "mrs",
    "ms", "miss",
];

/// An honorific followed by one to three capitalised words: a name, whoever's.
static NAME_AFTER_HONORIFIC: LazyLock<Regex> = LazyLock::new(|| {
    let honorifics = HONORIFICS.join("|");
    Regex::new(&format!(
        r"(?i:\b(?:{honorifics})\.?)\s+(\p{{Lu}}[\p{{Ll}}\p{{M}}]*(?:\s+\p{{Lu}}[\p{{Ll}}\p{{M}}]*){{0,2}})"
    ))
    .expect("the honorific pattern compiles")
});

/// `text` with the sender's contact data and anything that looks like
/// contact data replaced by [`REDACTED`]. The text is compared in NFC, with
/// case, diacritics (so both tone placements, "Hoà" and "Hòa") and runs of
/// whitespace ignored; a name written only in part after an honorific
/// ("chị Ngọc") is removed too.
pub fn redact(text: &str, sender: &SenderContact) -> String {
    pieces(text, sender)
        .into_iter()
        .map(|p| {
            if p.hidden {
                REDACTED.to_owned()
            } else {
                p.text
            }
        })
        .collect()
}

/// `text` (in NFC) cut into kept and hidden pieces, for the leader who
/// checks what the public will see.
pub fn pieces(text: &str, sender: &SenderContact) -> Vec<TextPiece> {
    let text: String = text.nfc().collect();
    let mut hidden: Vec<Range<usize>> = Vec::new();
    let folded = Folded::of(&text);
    for known in [&sender.name, &sender.address, &sender.email, &sender.phone] {
        let needle = Folded::of(known.trim()).text;
        if needle.chars().count() >= 3 {
            hidden.extend(folded.find_words(&needle, 0));
        }
    }
    // The sender's given name, or its last two words, after an honorific.
    let name_words: Vec<String> = Folded::of(sender.name.trim())
        .text
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    for take in [1, 2] {
        if name_words.len() < take {
            continue;
        }
        let part = name_words[name_words.len() - take..].join(" ");
        for honorific in HONORIFICS {
            let honorific = Folded::of(honorific).text;
            let needle = format!("{honorific} {part}");
            hidden.extend(folded.find_words(&needle, honorific.len() + 1));
        }
    }
    for pattern in [&*EMAIL, &*NUMBER] {
        hidden.extend(pattern.find_iter(&text).map(|m| m.range()));
    }
    hidden.extend(
        NAME_AFTER_HONORIFIC
            .captures_iter(&text)
            .filter_map(|c| c.get(1))
            .map(|m| m.range()),
    );
    cut(&text, hidden)
}

/// `text` cut at the merged `hidden` ranges.
fn cut(text: &str, mut hidden: Vec<Range<usize>>) -> Vec<TextPiece> {
    hidden.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in hidden {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut pieces = Vec::new();
    let mut push = |range: Range<usize>, hidden: bool| {
        if !range.is_empty() {
            pieces.push(TextPiece {
                text: text[range].to_owned(),
                hidden,
            });
        }
    };
    let mut at = 0;
    for range in merged {
        push(at..range.start, false);
        at = range.end;
        push(range, true);
    }
    push(at..text.len(), false);
    pieces
}

/// A text folded for comparison (lower case, no diacritics, one space
/// between words), with, for each byte of the folded text, the byte range
/// of the original character it came from.
struct Folded {
    text: String,
    origin: Vec<Range<usize>>,
}

impl Folded {
    fn of(original: &str) -> Self {
        let mut text = String::new();
        let mut origin = Vec::new();
        for (at, ch) in original.char_indices() {
            let source = at..at + ch.len_utf8();
            let folded = if ch.is_whitespace() {
                if text.is_empty() || text.ends_with(' ') {
                    continue;
                }
                " ".to_owned()
            } else {
                deunicode::deunicode_char(ch).unwrap_or("").to_lowercase()
            };
            for _ in 0..folded.len() {
                origin.push(source.clone());
            }
            text.push_str(&folded);
        }
        Self { text, origin }
    }

    /// The original byte ranges where `needle` stands as whole words, each
    /// starting `skip` folded bytes into the match.
    fn find_words(&self, needle: &str, skip: usize) -> Vec<Range<usize>> {
        let bytes = self.text.as_bytes();
        let is_word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
        self.text
            .match_indices(needle)
            .filter(|(i, _)| {
                let starts_word = *i == 0 || !is_word(i - 1);
                starts_word && !is_word(i + needle.len())
            })
            .filter(|_| skip < needle.len())
            .map(|(i, _)| self.origin[i + skip].start..self.origin[i + needle.len() - 1].end)
            .collect()
    }
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
    fn names_are_found_however_they_are_accented_spaced_or_shortened() {
        let sender = SenderContact {
            name: "Nguyễn Thị Hoà".into(),
            ..SenderContact::default()
        };
        // Decomposed (NFD) input, the other tone placement, extra spaces,
        // and the given name alone after an honorific, in lower case.
        let nfd: String = "Nguyễn  Thị Hòa".nfd().collect();
        let text = format!(
            "Tôi là {nfd}. Cán bộ hẹn chị hoà quay lại; anh Tuấn ở bộ phận một cửa biết việc này."
        );
        let public = redact(&text, &sender);
        assert!(!plain(&public).contains("hoa"), "{public}");
        assert!(
            !public.contains("Tuấn"),
            "any name after an honorific: {public}"
        );
        assert!(
            public.contains("chị […]"),
            "the honorific stays readable: {public}"
        );
        assert!(public.contains("quay lại"), "{public}");
        // The pieces say what is hidden, for the leader's check.
        let pieces = pieces(&text, &sender);
        assert!(pieces.iter().any(|p| p.hidden && p.text == "hoà"));
        assert_eq!(
            pieces.iter().map(|p| p.text.as_str()).collect::<String>(),
            text.nfc().collect::<String>()
        );
    }

    #[test]
    fn words_that_merely_contain_a_name_are_kept() {
        let sender = SenderContact {
            name: "Lan".into(),
            ..SenderContact::default()
        };
        let text = "Thủ tục lan truyền nhanh; Ban quản lý xử lý.";
        assert_eq!(
            redact(text, &sender),
            "Thủ tục […] truyền nhanh; Ban quản lý xử lý."
        );
        assert_eq!(
            redact("Ban quản lý Khu kinh tế", &sender),
            "Ban quản lý Khu kinh tế"
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
