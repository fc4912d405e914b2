//! Server functions about rounds: the public list, and the staff pages that
//! create, change, open, close, clone and distribute them.

use leptos::prelude::*;

use crate::error::PageError;

use domain::i18n::Lang;
use domain::model::{PosterData, RoundDetail, RoundSummary, RoundsPageData, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{
        AppState,
        auth::{ANY_ROLE, request_auth, require},
        cookies::request_lang,
    },
    domain::{
        AppError,
        model::{
            PopulationField, PopulationsForm, Problem, Role, RoundFormValues, RoundRow,
            RoundStatus, StratumDimension, Violation,
        },
        qr,
        services::{audit::Actor, catalogue, instruments, rounds, settings, weighting},
    },
};

/// Rounds that take responses now, for the home page.
#[server(prefix = "/sf", endpoint = "rounds/open")]
pub async fn list_open_rounds(lang: Lang) -> Result<Vec<RoundSummary>, PageError> {
    let state = AppState::from_context()?;
    let open = rounds::list_open(&state.db, chrono::Utc::now()).await?;
    Ok(open.iter().map(|r| rounds::summary(r, lang)).collect())
}

/// Who may create and change rounds.
#[cfg(feature = "ssr")]
const MANAGERS: &[domain::model::Role] = &[domain::model::Role::Admin, domain::model::Role::Staff];

#[server(prefix = "/sf", endpoint = "rounds/list")]
pub async fn get_rounds_page() -> Result<StaffPage<RoundsPageData>, PageError> {
    super::staff_page(ANY_ROLE, |state, principal| async move {
        let lang = request_lang();
        let instrument_list = instruments::list(&state.db, lang).await?;
        let mut rows = Vec::new();
        for round in rounds::list_all(&state.db).await? {
            let instrument = instrument_list
                .iter()
                .find(|i| i.id == round.instrument_id)
                .map(|i| format!("{} v{}", i.code, i.version))
                .unwrap_or_default();
            rows.push(RoundRow {
                summary: rounds::summary(&round, lang),
                stats: rounds::stats(&state.db, &round).await?,
                instrument,
            });
        }
        Ok(RoundsPageData {
            rounds: rows,
            instruments: instrument_list,
            departments: catalogue::choices(&state.db, lang).await?.0,
            can_manage: principal.has_role(MANAGERS),
            default_instrument: settings::default_instrument(&state.db).await?,
            this_year: chrono::Datelike::year(&domain::working_days::vietnam_date(
                chrono::Utc::now(),
            )),
        })
    })
    .await
}

#[server(prefix = "/sf", endpoint = "rounds/detail")]
pub async fn get_round_page(slug: String) -> Result<StaffPage<RoundDetail>, PageError> {
    super::staff_page(ANY_ROLE, |state, principal| async move {
        let lang = request_lang();
        let round = rounds::require(&state.db, &slug).await?;
        let public_link = format!("{}/s/{}", state.public_base_url().await?, round.slug);
        let values = RoundFormValues {
            slug: round.slug.clone(),
            title_vi: round.title_vi.clone(),
            title_en: round.title_en.clone(),
            year: round.year.to_string(),
            half: round.half.to_string(),
            instrument_id: round.instrument_id.to_string(),
            audience: round
                .audience
                .split(',')
                .map(str::to_owned)
                .filter(|a| !a.is_empty())
                .collect(),
            departments: rounds::department_codes(&state.db, round.id).await?,
            opens_at: local_input(round.opens_at),
            closes_at: local_input(round.closes_at),
            dossiers_handled: round
                .dossiers_handled
                .map(|n| n.to_string())
                .unwrap_or_default(),
        };
        Ok(RoundDetail {
            summary: rounds::summary(&round, lang),
            stats: rounds::stats(&state.db, &round).await?,
            values,
            instruments: instruments::list(&state.db, lang).await?,
            departments: catalogue::choices(&state.db, lang).await?.0,
            qr_svg: qr::svg(&public_link, 240)?,
            public_link,
            can_manage: principal.has_role(MANAGERS),
            can_publish: principal.has_role(&[Role::Admin, Role::Leader]),
            populations: populations_form(&state.db, round.id, lang).await?,
        })
    })
    .await
}

/// The round's population counts, one field per stratum of each breakdown.
#[cfg(feature = "ssr")]
async fn populations_form(
    db: &sea_orm::DatabaseConnection,
    round_id: i32,
    lang: Lang,
) -> Result<PopulationsForm, AppError> {
    let entered = weighting::populations(db, round_id).await?;
    let fields = |dimension: StratumDimension, strata: Vec<(String, String)>| {
        strata
            .into_iter()
            .map(|(code, label)| PopulationField {
                value: entered
                    .as_ref()
                    .filter(|(d, _)| *d == dimension)
                    .and_then(|(_, counts)| counts.iter().find(|(c, _)| *c == code))
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_default(),
                code,
                label,
            })
            .collect()
    };
    Ok(PopulationsForm {
        dimension: entered.as_ref().map(|(d, _)| *d),
        respondent_types: fields(
            StratumDimension::RespondentType,
            weighting::strata_of(db, StratumDimension::RespondentType, lang).await?,
        ),
        departments: fields(
            StratumDimension::Department,
            weighting::strata_of(db, StratumDimension::Department, lang).await?,
        ),
    })
}

/// Replaces the round's population counts by those of one breakdown
/// (respondent types or departments); all fields blank stops weighting.
#[server(prefix = "/sf", endpoint = "rounds/populations")]
pub async fn save_round_populations(
    slug: String,
    dimension: String,
    populations: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), PageError> {
    let principal = require(MANAGERS)?;
    let state = crate::ssr::AppState::from_context()?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let populations = populations.unwrap_or_default();
    let form = format!("populations-{dimension}");
    let values = populations
        .iter()
        .map(|(code, value)| (format!("populations[{code}]"), value.clone()))
        .collect();
    let outcome = match StratumDimension::parse(&dimension) {
        None => Err(AppError::invalid("dimension", Problem::InvalidValue)),
        Some(dimension) => match rounds::require(&state.db, &slug).await {
            Ok(round) => weighting::save(&state.db, &actor, &round, dimension, &populations)
                .await
                .map(|_| Some("populations-saved".to_owned())),
            Err(err) => Err(err),
        },
    };
    super::admin::finish_form(&form, &format!("/rounds/{slug}/manage"), outcome, values).await
}

#[cfg(feature = "ssr")]
fn local_input(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    at.map(|a| {
        a.with_timezone(&vietnam)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    })
    .unwrap_or_default()
}

/// The fields of the round form, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoundFields {
    pub slug: String,
    pub title_vi: String,
    #[serde(default)]
    pub title_en: String,
    pub year: String,
    pub half: String,
    pub instrument_id: String,
    #[serde(default)]
    pub audience: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub departments: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub opens_at: String,
    #[serde(default)]
    pub closes_at: String,
    #[serde(default)]
    pub dossiers_handled: String,
}

#[cfg(feature = "ssr")]
pub(crate) fn parse_local(
    text: &str,
    field: &str,
    violations: &mut Vec<domain::model::Violation>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    if text.trim().is_empty() {
        return None;
    }
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600)?;
    match chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M") {
        Ok(local) => vietnam
            .from_local_datetime(&local)
            .single()
            .map(|a| a.with_timezone(&chrono::Utc)),
        Err(_) => {
            violations.push(domain::model::Violation::new(
                field,
                domain::model::Problem::InvalidValue,
            ));
            None
        }
    }
}

/// Reads the posted form into the service's terms; values that are not
/// numbers or dates become violations.
#[cfg(feature = "ssr")]
fn round_form(
    fields: &RoundFields,
) -> Result<domain::services::rounds::RoundForm, domain::AppError> {
    use domain::model::{Problem, Violation};
    let mut violations = Vec::new();
    let mut number = |text: &str, field: &str| -> Option<i64> {
        match text.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                violations.push(Violation::new(field, Problem::InvalidValue));
                None
            }
        }
    };
    let year = number(&fields.year, "year");
    let half = number(&fields.half, "half");
    let instrument_id = number(&fields.instrument_id, "instrument");
    let dossiers_handled = if fields.dossiers_handled.trim().is_empty() {
        None
    } else {
        number(&fields.dossiers_handled, "dossiers_handled")
    };
    let opens_at = parse_local(&fields.opens_at, "opens_at", &mut violations);
    let closes_at = parse_local(&fields.closes_at, "closes_at", &mut violations);
    if !violations.is_empty() {
        return Err(domain::AppError::Invalid(violations));
    }
    Ok(domain::services::rounds::RoundForm {
        slug: fields.slug.trim().to_lowercase(),
        title_vi: fields.title_vi.clone(),
        title_en: fields.title_en.clone(),
        year: year.unwrap_or_default() as i32,
        half: half.unwrap_or_default() as i16,
        instrument_id: instrument_id.unwrap_or_default() as i32,
        audience: fields
            .audience
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(","),
        department_codes: fields.departments.keys().cloned().collect(),
        opens_at,
        closes_at,
        dossiers_handled: dossiers_handled.map(|n| n as i32),
    })
}

#[cfg(feature = "ssr")]
fn fields_as_values(fields: &RoundFields) -> std::collections::BTreeMap<String, String> {
    serde_json::to_value(fields)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Object(map) => map.keys().cloned().collect::<Vec<_>>().join(","),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

#[server(prefix = "/sf", endpoint = "rounds/create")]
pub async fn create_round(round: RoundFields) -> Result<(), PageError> {
    let fields = round;

    let (state, actor) = super::acting_as(MANAGERS)?;
    let outcome = match round_form(&fields) {
        Ok(form) => rounds::create_from_form(&state.db, &actor, form)
            .await
            .map(|r| r.slug),
        Err(err) => Err(err),
    };
    match outcome {
        Ok(slug) => {
            super::admin::finish_form(
                "round",
                &format!("/rounds/{slug}/manage"),
                Ok(Some("round-saved".to_owned())),
                Default::default(),
            )
            .await
        }
        Err(err) => {
            super::admin::finish_form(
                "round-create",
                "/rounds",
                Err(err),
                fields_as_values(&fields),
            )
            .await
        }
    }
}

#[server(prefix = "/sf", endpoint = "rounds/update")]
pub async fn update_round(original_slug: String, round: RoundFields) -> Result<(), PageError> {
    let fields = round;

    let (state, actor) = super::acting_as(MANAGERS)?;
    let outcome = match round_form(&fields) {
        Ok(form) => rounds::update_from_form(&state.db, &actor, &original_slug, form)
            .await
            .map(|r| r.slug),
        Err(err) => Err(err),
    };
    match outcome {
        Ok(slug) => {
            super::admin::finish_form(
                "round",
                &format!("/rounds/{slug}/manage"),
                Ok(Some("round-saved".to_owned())),
                Default::default(),
            )
            .await
        }
        Err(err) => {
            super::admin::finish_form(
                "round",
                &format!("/rounds/{original_slug}/manage"),
                Err(err),
                fields_as_values(&fields),
            )
            .await
        }
    }
}

/// Opens, closes, reopens or publishes a round. Publishing is for leaders and admins.
#[server(prefix = "/sf", endpoint = "rounds/status")]
pub async fn set_round_status(slug: String, status: String) -> Result<(), PageError> {
    let to = RoundStatus::parse(&status)
        .ok_or_else(|| AppError::invalid("status", Problem::InvalidValue))?;
    let roles: &[Role] = if to == RoundStatus::Published {
        &[Role::Admin, Role::Leader]
    } else {
        MANAGERS
    };
    let principal = require(roles)?;
    let state = crate::ssr::AppState::from_context()?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let outcome = rounds::transition(&state.db, &actor, &slug, to)
        .await
        .map(|_| Some("round-status".to_owned()));
    super::admin::finish_form(
        "round",
        &format!("/rounds/{slug}/manage"),
        outcome,
        Default::default(),
    )
    .await
}

#[server(prefix = "/sf", endpoint = "rounds/clone")]
pub async fn clone_round(
    slug: String,
    new_slug: String,
    year: String,
    half: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(MANAGERS)?;
    let mut violations = Vec::new();
    let year_number = year
        .trim()
        .parse::<i32>()
        .map_err(|_| violations.push(Violation::new("year", Problem::InvalidValue)))
        .ok();
    let half_number = half
        .trim()
        .parse::<i16>()
        .map_err(|_| violations.push(Violation::new("half", Problem::InvalidValue)))
        .ok();
    let outcome = match (year_number, half_number) {
        (Some(y), Some(h)) => rounds::clone_round(
            &state.db,
            &actor,
            &slug,
            &new_slug.trim().to_lowercase(),
            y,
            h,
        )
        .await
        .map(|r| r.slug),
        _ => Err(AppError::Invalid(violations)),
    };
    let values = [
        ("new_slug".to_owned(), new_slug),
        ("year".to_owned(), year),
        ("half".to_owned(), half),
    ]
    .into();
    match outcome {
        Ok(new) => {
            super::admin::finish_form(
                "round",
                &format!("/rounds/{new}/manage"),
                Ok(Some("round-cloned".to_owned())),
                Default::default(),
            )
            .await
        }
        Err(err) => {
            super::admin::finish_form(
                "round-clone",
                &format!("/rounds/{slug}/manage"),
                Err(err),
                values,
            )
            .await
        }
    }
}

/// The printable poster with the round's QR code.
#[server(prefix = "/sf", endpoint = "rounds/poster")]
pub async fn get_poster(slug: String, lang: Lang) -> Result<StaffPage<PosterData>, PageError> {
    super::staff_page(ANY_ROLE, |state, _| async move {
        let round = rounds::require(&state.db, &slug).await?;
        let public_link = format!("{}/s/{}", state.public_base_url().await?, round.slug);
        Ok(PosterData {
            agency_name: settings::agency_name_in(&state.db, lang).await?,
            logo: domain::services::logo::url(&state.db).await?,
            round: rounds::summary(&round, lang),
            qr_svg: qr::svg(&public_link, 520)?,
            public_link,
        })
    })
    .await
}
