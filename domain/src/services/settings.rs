//! Settings that staff can change, with defaults that work out of the box.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::AppError;
use crate::entities::setting;

pub const AGENCY_NAME: &str = "agency_name";
pub const AGENCY_NAME_EN: &str = "agency_name_en";
pub const PUBLIC_URL: &str = "public_url";
pub const TARGET_INDEX: &str = "target_index";
pub const SUPPRESSION_THRESHOLD: &str = "suppression_threshold";

pub const DEFAULT_AGENCY_NAME: &str = "Ban Quản lý Khu kinh tế";
/// Target line of the element chart, in percent (docs/methodology.md, “What leadership sees”).
pub const DEFAULT_TARGET_INDEX: f64 = 80.0;
/// Figures over fewer valid answers are suppressed in breakdowns (docs/methodology.md, “Formulas”).
pub const DEFAULT_SUPPRESSION_THRESHOLD: u64 = 10;

#[tracing::instrument(skip_all)]
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, AppError> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|s| s.value))
}

#[tracing::instrument(skip_all)]
pub async fn set(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), AppError> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn agency_name(db: &impl ConnectionTrait) -> Result<String, AppError> {
    Ok(get(db, AGENCY_NAME)
        .await?
        .unwrap_or_else(|| DEFAULT_AGENCY_NAME.to_owned()))
}

/// The agency's name in `lang`: the English one falls back to Vietnamese.
#[tracing::instrument(skip_all)]
pub async fn agency_name_in(
    db: &impl ConnectionTrait,
    lang: crate::i18n::Lang,
) -> Result<String, AppError> {
    let vietnamese = agency_name(db).await?;
    Ok(match lang {
        crate::i18n::Lang::Vi => vietnamese,
        crate::i18n::Lang::En => get(db, AGENCY_NAME_EN)
            .await?
            .filter(|name| !name.is_empty())
            .unwrap_or(vietnamese),
    })
}

/// The agency's profile: its names, then its contact details (the hotline's).
#[tracing::instrument(skip_all)]
pub async fn profile(db: &impl ConnectionTrait) -> Result<crate::model::AgencyProfile, AppError> {
    Ok(crate::model::AgencyProfile {
        name_vi: get(db, AGENCY_NAME).await?.unwrap_or_default(),
        name_en: get(db, AGENCY_NAME_EN).await?.unwrap_or_default(),
        hotline: hotline(db).await?,
        public_url: get(db, PUBLIC_URL).await?.unwrap_or_default(),
    })
}

/// The public address set in the profile, if any.
#[tracing::instrument(skip_all)]
pub async fn public_url(db: &impl ConnectionTrait) -> Result<Option<String>, AppError> {
    Ok(get(db, PUBLIC_URL).await?.filter(|url| !url.is_empty()))
}

/// An address the public can open: http(s), a host, no spaces, at most 200 characters.
fn public_url_is_valid(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split('/').next().unwrap_or_default();
        !host.is_empty()
            && url.len() <= 200
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
            && !url.contains(['"', '<', '>', '\\'])
    })
}

/// Longest agency name, in characters.
pub const AGENCY_NAME_MAX: usize = 200;

/// Saves the agency's names and contact details after checking them all.
#[tracing::instrument(skip_all)]
pub async fn save_profile(
    db: &impl ConnectionTrait,
    actor: &crate::services::audit::Actor,
    profile: crate::model::AgencyProfile,
) -> Result<(), AppError> {
    use crate::model::{Problem, Violation};
    let name_vi = profile.name_vi.trim().to_owned();
    let name_en = profile.name_en.trim().to_owned();
    let mut violations = Vec::new();
    if name_vi.is_empty() {
        violations.push(Violation::new("name_vi", Problem::Required));
    }
    for (field, value) in [("name_vi", &name_vi), ("name_en", &name_en)] {
        if value.chars().count() > AGENCY_NAME_MAX {
            violations.push(Violation::new(
                field,
                Problem::TooLong {
                    max: AGENCY_NAME_MAX,
                },
            ));
        }
    }
    let public_url = profile.public_url.trim().trim_end_matches('/').to_owned();
    if !public_url.is_empty() && !public_url_is_valid(&public_url) {
        violations.push(Violation::new("public_url", Problem::InvalidValue));
    }
    if let Err(AppError::Invalid(hotline_violations)) = check_hotline(&profile.hotline) {
        violations.extend(hotline_violations);
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let before = serde_json::json!({"name_vi": get(db, AGENCY_NAME).await?, "name_en": get(db, AGENCY_NAME_EN).await?});
    set(db, AGENCY_NAME, &name_vi).await?;
    set(db, AGENCY_NAME_EN, &name_en).await?;
    set(db, PUBLIC_URL, &public_url).await?;
    crate::services::audit::record(
        db,
        actor,
        "settings.profile",
        "settings",
        None,
        Some(&before),
        Some(
            &serde_json::json!({"name_vi": name_vi, "name_en": name_en, "public_url": public_url}),
        ),
    )
    .await?;
    save_hotline(db, actor, profile.hotline).await
}

#[tracing::instrument(skip_all)]
pub async fn target_index(db: &impl ConnectionTrait) -> Result<f64, AppError> {
    Ok(get(db, TARGET_INDEX)
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|v: &f64| (0.0..=100.0).contains(v))
        .unwrap_or(DEFAULT_TARGET_INDEX))
}

#[tracing::instrument(skip_all)]
pub async fn suppression_threshold(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(get(db, SUPPRESSION_THRESHOLD)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SUPPRESSION_THRESHOLD))
}

pub const HOTLINE_PHONE: &str = "hotline_phone";
pub const HOTLINE_ADDRESS: &str = "hotline_address";
pub const HOTLINE_EMAIL: &str = "hotline_email";
pub const HOTLINE_HOURS: &str = "hotline_hours";

/// The published hotline: only this number counts as the hotline channel
/// (docs/methodology.md, “Feedback”). Empty fields are not set up yet.
#[tracing::instrument(skip_all)]
pub async fn hotline(db: &impl ConnectionTrait) -> Result<crate::model::HotlineInfo, AppError> {
    Ok(crate::model::HotlineInfo {
        phone: get(db, HOTLINE_PHONE).await?.unwrap_or_default(),
        address: get(db, HOTLINE_ADDRESS).await?.unwrap_or_default(),
        email: get(db, HOTLINE_EMAIL).await?.unwrap_or_default(),
        hours: get(db, HOTLINE_HOURS).await?.unwrap_or_default(),
    })
}

/// Working days given to `step` of feedback handling.
#[tracing::instrument(skip_all)]
pub async fn deadline_days(
    db: &impl ConnectionTrait,
    step: crate::feedback_rules::DeadlineStep,
) -> Result<u32, AppError> {
    Ok(get(db, &step.setting_key())
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|days: &u32| (1..=MAX_DEADLINE_DAYS).contains(days))
        .unwrap_or_else(|| step.default_days()))
}

/// The longest deadline a step may be given, in working days.
pub const MAX_DEADLINE_DAYS: u32 = 90;

/// Saves the hotline details after checking them.
#[tracing::instrument(skip_all)]
pub async fn save_hotline(
    db: &impl ConnectionTrait,
    actor: &crate::services::audit::Actor,
    info: crate::model::HotlineInfo,
) -> Result<(), AppError> {
    let info = check_hotline(&info)?;
    let before = hotline(db).await?;
    for (key, value) in [
        (HOTLINE_PHONE, &info.phone),
        (HOTLINE_ADDRESS, &info.address),
        (HOTLINE_EMAIL, &info.email),
        (HOTLINE_HOURS, &info.hours),
    ] {
        set(db, key, value).await?;
    }
    crate::services::audit::record(
        db,
        actor,
        "settings.hotline",
        "settings",
        None,
        Some(&before),
        Some(&info),
    )
    .await
}

/// The hotline details trimmed, or every problem with them.
fn check_hotline(info: &crate::model::HotlineInfo) -> Result<crate::model::HotlineInfo, AppError> {
    use crate::model::{Problem, Violation};
    let info = crate::model::HotlineInfo {
        phone: info.phone.trim().to_owned(),
        address: info.address.trim().to_owned(),
        email: info.email.trim().to_owned(),
        hours: info.hours.trim().to_owned(),
    };
    let mut violations = Vec::new();
    // Hotlines are also short numbers such as 1900 xxxx: digits, spaces, dots, dashes, a leading +.
    let phone_shape = info
        .phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+'));
    let digits = info.phone.chars().filter(char::is_ascii_digit).count();
    if !info.phone.is_empty() && (!phone_shape || !(4..=15).contains(&digits)) {
        violations.push(Violation::new("phone", Problem::InvalidPhone));
    }
    if !info.email.is_empty() && !crate::services::invitations::email_is_valid(&info.email) {
        violations.push(Violation::new("email", Problem::InvalidEmail));
    }
    for (field, value, max) in [("address", &info.address, 300), ("hours", &info.hours, 200)] {
        if value.chars().count() > max {
            violations.push(Violation::new(field, Problem::TooLong { max }));
        }
    }
    if violations.is_empty() {
        Ok(info)
    } else {
        Err(AppError::Invalid(violations))
    }
}

/// Saves the working days of each deadline step given in `days` (by step code).
#[tracing::instrument(skip_all)]
pub async fn save_deadlines(
    db: &impl ConnectionTrait,
    actor: &crate::services::audit::Actor,
    days: &std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::feedback_rules::DeadlineStep;
    use crate::model::{Problem, Violation};
    let mut violations = Vec::new();
    let mut parsed = Vec::new();
    for (code, value) in days {
        let field = format!("days[{code}]");
        let Some(step) = DeadlineStep::parse(code) else {
            violations.push(Violation::new(field, Problem::InvalidValue));
            continue;
        };
        match value.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_DEADLINE_DAYS).contains(&n) => parsed.push((step, n)),
            _ => violations.push(Violation::new(
                field,
                Problem::OutOfRange {
                    max: MAX_DEADLINE_DAYS as u8,
                    allows_not_applicable: false,
                },
            )),
        }
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    for (step, n) in &parsed {
        set(db, &step.setting_key(), &n.to_string()).await?;
    }
    let after: std::collections::BTreeMap<&str, u32> =
        parsed.iter().map(|(s, n)| (s.code(), *n)).collect();
    crate::services::audit::record(
        db,
        actor,
        "settings.deadlines",
        "settings",
        None,
        None::<&()>,
        Some(&after),
    )
    .await
}

pub const SURVEY_INTRO_VI: &str = "survey_intro_vi";
pub const SURVEY_INTRO_EN: &str = "survey_intro_en";
pub const SURVEY_THANKS_VI: &str = "survey_thanks_vi";
pub const SURVEY_THANKS_EN: &str = "survey_thanks_en";
pub const DEFAULT_INSTRUMENT: &str = "default_instrument";
/// An element's own target: this prefix and the element's code.
const ELEMENT_TARGET: &str = "target_index:";
/// Longest survey text, in characters.
pub const SURVEY_TEXT_MAX: usize = 1000;

/// The survey's introduction and thanks in `lang`: the agency's words, or
/// the platform's when it has none.
#[tracing::instrument(skip_all)]
pub async fn survey_texts(
    db: &impl ConnectionTrait,
    lang: crate::i18n::Lang,
) -> Result<(String, String), AppError> {
    let (intro_key, thanks_key) = match lang {
        crate::i18n::Lang::Vi => (SURVEY_INTRO_VI, SURVEY_THANKS_VI),
        crate::i18n::Lang::En => (SURVEY_INTRO_EN, SURVEY_THANKS_EN),
    };
    let own = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let t = lang.texts();
    Ok((
        own(get(db, intro_key).await?).unwrap_or_else(|| t.survey_intro.to_owned()),
        own(get(db, thanks_key).await?).unwrap_or_else(|| t.receipt_note.to_owned()),
    ))
}

/// The targets elements have of their own, by element code.
#[tracing::instrument(skip_all)]
pub async fn element_targets(
    db: &impl ConnectionTrait,
) -> Result<std::collections::BTreeMap<String, f64>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(setting::Entity::find()
        .filter(setting::Column::Key.starts_with(ELEMENT_TARGET))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            let code = s.key.strip_prefix(ELEMENT_TARGET)?.to_owned();
            let value: f64 = s.value.parse().ok()?;
            (0.0..=100.0).contains(&value).then_some((code, value))
        })
        .collect())
}

/// The target of each element code in `codes`: its own, or `default`.
pub fn target_of(code: &str, own: &std::collections::BTreeMap<String, f64>, default: f64) -> f64 {
    own.get(code).copied().unwrap_or(default)
}

/// The index elements of every questionnaire, by code (the first title met).
#[tracing::instrument(skip_all)]
pub async fn index_elements(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let mut out: Vec<(String, String)> = Vec::new();
    for element in crate::entities::element::Entity::find()
        .filter(crate::entities::element::Column::Kind.eq(crate::model::ElementKind::Index.code()))
        .order_by_asc(crate::entities::element::Column::Code)
        .all(db)
        .await?
    {
        if !out.iter().any(|(code, _)| *code == element.code) {
            out.push((element.code, element.title_vi));
        }
    }
    Ok(out)
}

/// A percentage from a form: "82,5" or "82.5", from 0 to 100.
fn parse_percent(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| (0.0..=100.0).contains(v))
}

/// The instrument new rounds start from, if an admin chose one.
#[tracing::instrument(skip_all)]
pub async fn default_instrument(db: &impl ConnectionTrait) -> Result<Option<i32>, AppError> {
    Ok(get(db, DEFAULT_INSTRUMENT)
        .await?
        .and_then(|v| v.parse().ok()))
}

/// The settings admins own, as stored.
#[tracing::instrument(skip_all)]
pub async fn platform(
    db: &impl ConnectionTrait,
) -> Result<crate::model::PlatformSettings, AppError> {
    let text = |value: Option<String>| value.unwrap_or_default();
    let element_targets = element_targets(db)
        .await?
        .into_iter()
        .map(|(code, value)| (code, value.to_string()))
        .collect();
    Ok(crate::model::PlatformSettings {
        element_targets,
        target_index: target_index(db).await?.to_string(),
        suppression_threshold: suppression_threshold(db).await?.to_string(),
        intro_vi: text(get(db, SURVEY_INTRO_VI).await?),
        intro_en: text(get(db, SURVEY_INTRO_EN).await?),
        thanks_vi: text(get(db, SURVEY_THANKS_VI).await?),
        thanks_en: text(get(db, SURVEY_THANKS_EN).await?),
        default_instrument: default_instrument(db)
            .await?
            .map(|id| id.to_string())
            .unwrap_or_default(),
    })
}

/// Checks every setting, then stores them all with one audit entry.
#[tracing::instrument(skip_all)]
pub async fn save_platform(
    db: &impl ConnectionTrait,
    actor: &crate::services::audit::Actor,
    new: crate::model::PlatformSettings,
) -> Result<(), AppError> {
    use crate::model::{Problem, Violation};
    let mut violations = Vec::new();
    let target = new.target_index.trim().replace(',', ".");
    if parse_percent(&target).is_none() {
        violations.push(Violation::new(
            "target_index",
            Problem::NumberOutOfRange { min: 0, max: 100 },
        ));
    }
    let known = index_elements(db).await?;
    let mut element_targets = Vec::new();
    for (code, value) in &new.element_targets {
        let value = value.trim();
        if !known.iter().any(|(known, _)| known == code) {
            violations.push(Violation::new(
                format!("targets[{code}]"),
                Problem::InvalidValue,
            ));
        } else if value.is_empty() {
            element_targets.push((code, String::new()));
        } else if let Some(percent) = parse_percent(value) {
            element_targets.push((code, percent.to_string()));
        } else {
            violations.push(Violation::new(
                format!("targets[{code}]"),
                Problem::NumberOutOfRange { min: 0, max: 100 },
            ));
        }
    }
    let threshold = new.suppression_threshold.trim();
    if !threshold
        .parse::<u64>()
        .is_ok_and(|v| (1..=1000).contains(&v))
    {
        violations.push(Violation::new(
            "suppression_threshold",
            Problem::NumberOutOfRange { min: 1, max: 1000 },
        ));
    }
    for (field, value) in [
        ("intro_vi", &new.intro_vi),
        ("intro_en", &new.intro_en),
        ("thanks_vi", &new.thanks_vi),
        ("thanks_en", &new.thanks_en),
    ] {
        if value.trim().chars().count() > SURVEY_TEXT_MAX {
            violations.push(Violation::new(
                field,
                Problem::TooLong {
                    max: SURVEY_TEXT_MAX,
                },
            ));
        }
    }
    let instrument = new.default_instrument.trim();
    if !instrument.is_empty() {
        let known = match instrument.parse::<i32>() {
            Ok(id) => crate::entities::instrument::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_some(),
            Err(_) => false,
        };
        if !known {
            violations.push(Violation::new("default_instrument", Problem::InvalidValue));
        }
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let before = platform(db).await?;
    for (key, value) in [
        (TARGET_INDEX, target.as_str()),
        (SUPPRESSION_THRESHOLD, threshold),
        (SURVEY_INTRO_VI, new.intro_vi.trim()),
        (SURVEY_INTRO_EN, new.intro_en.trim()),
        (SURVEY_THANKS_VI, new.thanks_vi.trim()),
        (SURVEY_THANKS_EN, new.thanks_en.trim()),
        (DEFAULT_INSTRUMENT, instrument),
    ] {
        set(db, key, value).await?;
    }
    for (code, value) in element_targets {
        let key = format!("{ELEMENT_TARGET}{code}");
        if value.is_empty() {
            setting::Entity::delete_by_id(key).exec(db).await?;
        } else {
            set(db, &key, &value).await?;
        }
    }
    let after = platform(db).await?;
    crate::services::audit::record(
        db,
        actor,
        "settings.platform",
        "settings",
        None,
        Some(&before),
        Some(&after),
    )
    .await
}

/// The settings of the data-quality rules, one row each, prefixed.
const QUALITY_RULE: &str = "quality_rule.";

/// The thresholds of the data-quality rules (the defaults where none is set).
#[tracing::instrument(skip_all)]
pub async fn quality_rules(
    db: &impl ConnectionTrait,
) -> Result<crate::model::QualityRules, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let stored: std::collections::HashMap<String, u32> = setting::Entity::find()
        .filter(setting::Column::Key.starts_with(QUALITY_RULE))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            let value = s.value.parse().ok()?;
            Some((s.key.trim_start_matches(QUALITY_RULE).to_owned(), value))
        })
        .collect();
    let defaults = crate::model::QualityRules::default();
    let pick = |name: &str, default: u32| stored.get(name).copied().unwrap_or(default);
    Ok(crate::model::QualityRules {
        speeder_median_divisor: pick("speeder_median_divisor", defaults.speeder_median_divisor),
        straight_line_min_answers: pick(
            "straight_line_min_answers",
            defaults.straight_line_min_answers,
        ),
        burst_more_than: pick("burst_more_than", defaults.burst_more_than),
        burst_window_minutes: pick("burst_window_minutes", defaults.burst_window_minutes),
    })
}

/// Stores the thresholds typed in `values` (field name → text); each one
/// that is not a whole number within its bounds is named and nothing is
/// stored then.
#[tracing::instrument(skip_all)]
pub async fn save_quality_rules(
    db: &impl ConnectionTrait,
    actor: &crate::services::audit::Actor,
    values: &std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::model::{Problem, Violation};
    let before = quality_rules(db).await?;
    let mut violations = Vec::new();
    let mut parsed = Vec::new();
    for (name, min, max, _) in before.fields() {
        let typed = values.get(name).map(|v| v.trim()).unwrap_or_default();
        match typed.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => parsed.push((name, n)),
            _ => violations.push(Violation::new(name, Problem::NumberOutOfRange { min, max })),
        }
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    for (name, value) in parsed {
        set(db, &format!("{QUALITY_RULE}{name}"), &value.to_string()).await?;
    }
    let after = quality_rules(db).await?;
    crate::services::audit::record(
        db,
        actor,
        "settings.quality_rules",
        "settings",
        None,
        Some(&before),
        Some(&after),
    )
    .await
}
