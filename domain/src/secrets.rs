//! Random secrets and their stored form: tokens are shown once and kept
//! only as SHA-256, so a copy of the database opens nothing.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits as 64 lowercase hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Compares secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The CSRF token of a signed-in browser: derived from its session token,
/// so that a token planted in a cookie by someone else is worthless and a
/// new session brings a new one.
pub fn session_csrf_token(session_token: &str) -> String {
    sha256_hex(&format!("csrf\0{session_token}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
        assert!(!constant_time_eq("a", "ab"));
    }
}
