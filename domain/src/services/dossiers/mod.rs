//! Dossiers from the one-stop (một cửa) software and the rating of each
//! completed one. The one-stop software sends dossiers ([`ingest`]); each
//! completed dossier gets a rating link whose key is derived from the
//! dossier's code with the instance's secret, so the link can be printed
//! again at any time and only its SHA-256 is stored; the person rates it
//! once, without an account ([`rating`]); leadership reads the figures
//! from tallies kept in the same transactions ([`tallies`], [`figures`]).
//!
//! Confidentiality: a rating is stored against its dossier only so that a
//! dossier is rated once; no page, export or API joins a rating to its
//! dossier's code or contact, and the contact is erased when the link
//! expires.

pub mod figures;
pub mod ingest;
pub mod kiosk;
pub mod rating;
pub mod sampling;
pub(crate) mod tallies;

use sea_orm::ConnectionTrait;

use crate::AppError;

/// The longest dossier code taken.
pub const CODE_MAX: usize = 60;
/// The most dossiers one API call may carry.
pub const BATCH_MAX: usize = 1_000;
/// The setting with the days a rating link stays open after completion.
pub const RATING_DAYS: &str = crate::model::RATING_DAYS_SETTING;
pub const DEFAULT_RATING_DAYS: u32 = 30;
/// The range an admin may choose the rating period in.
pub const RATING_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=365;

/// One-stop codes look like `000.00.12.H12-261203-0001`: ASCII letters,
/// digits, dots, hyphens, underscores and slashes.
pub fn code_is_valid(code: &str) -> bool {
    (1..=CODE_MAX).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
}

/// How many days after completion a rating link takes a rating.
pub async fn rating_days(db: &impl ConnectionTrait) -> Result<u32, AppError> {
    Ok(crate::services::settings::get(db, RATING_DAYS)
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|days| RATING_DAYS_RANGE.contains(days))
        .unwrap_or(DEFAULT_RATING_DAYS))
}

/// Stores the rating period typed by an admin; a value outside
/// [`RATING_DAYS_RANGE`] is refused and nothing changes.
pub async fn set_rating_days(db: &impl ConnectionTrait, text: &str) -> Result<u32, AppError> {
    use crate::model::{Problem, Violation};
    let days = text
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|days| RATING_DAYS_RANGE.contains(days))
        .ok_or_else(|| {
            AppError::Invalid(vec![Violation::new(
                RATING_DAYS,
                Problem::NumberOutOfRange {
                    min: *RATING_DAYS_RANGE.start(),
                    max: *RATING_DAYS_RANGE.end(),
                },
            )])
        })?;
    crate::services::settings::set(db, RATING_DAYS, &days.to_string()).await?;
    Ok(days)
}

/// The rating key of dossier `code`: three groups of the public-code
/// alphabet from a keyed hash of the code, e.g. `D-7F3K-9QXM-AB2C`
/// (30^12 ≈ 5 × 10^17 keys).
pub fn rating_key(signing_key: &[u8], code: &str) -> String {
    let mac = crate::quality::mac(signing_key, &format!("dossier-rating\0{code}"));
    crate::public_codes::code_from_bytes("D", 3, &mac)
}

/// Where the rating page of `key` is, under the public address when one is set.
pub fn rating_url(public_url: Option<&str>, key: &str) -> String {
    format!("{}/r/{key}", public_url.unwrap_or("").trim_end_matches('/'))
}
