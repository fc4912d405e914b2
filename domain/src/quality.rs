//! Data-quality rules (docs/methodology.md, "Data-quality flags"), without
//! I/O: when a response is too fast, straight-lined or part of a burst; the
//! network prefix an address belongs to and its keyed hash; and the stamp
//! the server signs into the survey form when it draws it, so that a client
//! cannot pretend to have opened the form earlier than it did.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::QualityRules;

/// A form stamp older than this is not used for the completion time (a
/// person who left the page open for a week is not a speeder either way).
pub const STAMP_MAX_AGE_DAYS: i64 = 7;

type HmacSha256 = Hmac<Sha256>;

/// Whether `seconds` is under `median_seconds` divided by the rules'
/// divisor (a third by default).
pub fn is_speeder(seconds: i64, median_seconds: i64, rules: &QualityRules) -> bool {
    median_seconds > 0 && seconds * i64::from(rules.speeder_median_divisor) < median_seconds
}

/// Whether every valid answer (a level, "not applicable" left out) is the
/// same, over at least the rules' number (ten by default) of them.
pub fn is_straight_line(levels: &[u8], rules: &QualityRules) -> bool {
    levels.len() >= rules.straight_line_min_answers as usize
        && levels.windows(2).all(|w| w[0] == w[1])
}

/// The network an address belongs to for the burst rule: IPv4 /24, IPv6
/// /64 (an IPv4-mapped IPv6 address as IPv4); `None` for anything else.
pub fn network_prefix(ip: &str) -> Option<String> {
    match ip.trim().parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => Some(v4_prefix(v4)),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => Some(v4_prefix(v4)),
            None => {
                let s = v6.segments();
                Some(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
            }
        },
    }
}

fn v4_prefix(v4: std::net::Ipv4Addr) -> String {
    let o = v4.octets();
    format!("{}.{}.{}.0/24", o[0], o[1], o[2])
}

/// The stored form of a network prefix: HMAC-SHA-256 under the server's
/// key, 32 hex characters. Without the key nobody can tell which network
/// a hash stands for (there are only 2²⁴ IPv4 prefixes to try).
pub fn network_hash(key: &[u8], ip: &str) -> Option<String> {
    let prefix = network_prefix(ip)?;
    Some(hex::encode(mac(key, &format!("network\0{prefix}")))[..32].to_owned())
}

/// The stamp the survey form carries: when it was drawn (Unix seconds) and
/// the server's signature of that moment.
pub fn sign_render(key: &[u8], at: DateTime<Utc>) -> String {
    let seconds = at.timestamp();
    format!(
        "{seconds}.{}",
        hex::encode(mac(key, &format!("rendered\0{seconds}")))
    )
}

/// The moment a stamp signed by [`sign_render`] names, when its signature
/// holds and it lies between [`STAMP_MAX_AGE_DAYS`] ago and `now`.
pub fn verify_render(key: &[u8], stamp: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let (seconds, signature) = stamp.trim().split_once('.')?;
    let seconds: i64 = seconds.parse().ok()?;
    let expected = hex::encode(mac(key, &format!("rendered\0{seconds}")));
    if !crate::secrets::constant_time_eq(&expected, signature) {
        return None;
    }
    let at = DateTime::<Utc>::from_timestamp(seconds, 0)?;
    (at <= now && now - at <= Duration::days(STAMP_MAX_AGE_DAYS)).then_some(at)
}

pub(crate) fn mac(key: &[u8], message: &str) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeders_are_under_a_third_of_the_median() {
        let rules = QualityRules::default();
        assert!(is_speeder(159, 480, &rules));
        assert!(!is_speeder(160, 480, &rules));
        assert!(!is_speeder(10, 0, &rules));
        let wider = QualityRules {
            speeder_median_divisor: 2,
            ..rules
        };
        assert!(is_speeder(239, 480, &wider));
        assert!(!is_speeder(240, 480, &wider));
    }

    #[test]
    fn straight_lining_needs_ten_identical_valid_answers() {
        let rules = QualityRules::default();
        assert!(is_straight_line(&[5; 10], &rules));
        assert!(is_straight_line(&[3; 17], &rules));
        assert!(!is_straight_line(&[5; 9], &rules));
        let mut mixed = [4u8; 17];
        mixed[16] = 5;
        assert!(!is_straight_line(&mixed, &rules));
        let longer = QualityRules {
            straight_line_min_answers: 15,
            ..rules
        };
        assert!(!is_straight_line(&[5; 14], &longer));
    }

    #[test]
    fn prefixes_are_a_slash_24_or_a_slash_64() {
        assert_eq!(
            network_prefix("198.51.100.7").as_deref(),
            Some("198.51.100.0/24")
        );
        assert_eq!(
            network_prefix("::ffff:198.51.100.9").as_deref(),
            Some("198.51.100.0/24")
        );
        assert_eq!(
            network_prefix("2001:db8:7:7::42").as_deref(),
            Some("2001:db8:7:7::/64")
        );
        assert_eq!(network_prefix("unknown"), None);
        let key = b"key";
        assert_eq!(
            network_hash(key, "198.51.100.7"),
            network_hash(key, "198.51.100.200")
        );
        assert_ne!(
            network_hash(key, "198.51.100.7"),
            network_hash(key, "198.51.101.7")
        );
        assert_ne!(
            network_hash(key, "198.51.100.7"),
            network_hash(b"other key", "198.51.100.7")
        );
        assert_eq!(network_hash(key, "198.51.100.7").unwrap().len(), 32);
    }

    #[test]
    fn a_render_stamp_holds_only_as_signed_and_not_from_the_future() {
        let key = b"server key";
        let now = Utc::now();
        let drawn = now - Duration::minutes(8);
        let stamp = sign_render(key, drawn);
        assert_eq!(
            verify_render(key, &stamp, now).map(|t| t.timestamp()),
            Some(drawn.timestamp())
        );
        // An earlier moment with the same signature, another key, the future,
        // a stamp too old, or nonsense: none counts.
        let (_, signature) = stamp.split_once('.').unwrap();
        let forged = format!("{}.{signature}", drawn.timestamp() - 600);
        assert_eq!(verify_render(key, &forged, now), None);
        assert_eq!(verify_render(b"other", &stamp, now), None);
        assert_eq!(
            verify_render(key, &sign_render(key, now + Duration::minutes(5)), now),
            None
        );
        assert_eq!(
            verify_render(key, &sign_render(key, now - Duration::days(8)), now),
            None
        );
        assert_eq!(verify_render(key, "garbage", now), None);
    }
}
