//! Random public codes: receipts, resume codes. Read aloud over the phone and
//! typed from paper, so the alphabet leaves out 0/O, 1/I/L and U.

use rand::Rng;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Groups of a code that opens something (a receipt, a saved draft, an
/// invitation, a feedback item, a rating): 30^16 ≈ 4.3 × 10^23 codes, about
/// 78 bits, so that guessing one is hopeless even without rate limits.
pub const SECRET_GROUPS: usize = 4;

/// `prefix` followed by `groups` groups of four characters, e.g. `HL-7F3K-9QXM`
/// (two groups: 30^8 ≈ 6.6 × 10^11 codes).
pub fn random_code(prefix: &str, groups: usize) -> String {
    let mut rng = rand::rng();
    let mut code = String::from(prefix);
    for _ in 0..groups {
        code.push('-');
        for _ in 0..4 {
            code.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
        }
    }
    code
}

/// `prefix` followed by `groups` groups of four characters taken from
/// `bytes` (a keyed hash), for codes that must be derived again later.
pub fn code_from_bytes(prefix: &str, groups: usize, bytes: &[u8]) -> String {
    assert!(bytes.len() >= groups * 4, "enough bytes for the code");
    let mut code = String::from(prefix);
    for group in bytes.chunks(4).take(groups) {
        code.push('-');
        for byte in group {
            code.push(char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]));
        }
    }
    code
}

/// Normalises a code typed by a person: trims, upper-cases, drops spaces.
pub fn normalise(code: &str) -> String {
    code.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_expected_shape() {
        let code = random_code("HL", SECRET_GROUPS);
        assert_eq!(code.len(), "HL-XXXX-XXXX-XXXX-XXXX".len());
        let bits = (SECRET_GROUPS * 4) as f64 * (ALPHABET.len() as f64).log2();
        assert!(bits >= 60.0, "{bits}");
        assert!(code.starts_with("HL-"));
        assert!(
            code[3..]
                .chars()
                .all(|c| c == '-' || ALPHABET.contains(&(c as u8)))
        );
    }

    #[test]
    fn derived_codes_follow_their_bytes() {
        let bytes: Vec<u8> = (0..12).collect();
        assert_eq!(code_from_bytes("D", 3, &bytes), "D-2345-6789-ABCD");
        assert_eq!(code_from_bytes("D", 3, &[255; 12]), "D-HHHH-HHHH-HHHH");
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise(" hl-7f3k- 9qxm "), "HL-7F3K-9QXM");
    }
}
