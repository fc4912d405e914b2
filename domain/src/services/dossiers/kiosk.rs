//! Counter kiosks: a tablet at the one-stop counter on which the person
//! rates the dossier the officer has just handed over, with one tap.
//!
//! The officer hands a completed dossier over to a kiosk (from the staff
//! page or the one-stop software's API); the tablet's screen, which
//! reloads itself, then asks for the rating of that dossier, showing its
//! procedure and department and nothing about the person. A tap stores the
//! rating as the rating link would (once per dossier) and clears the
//! kiosk; so does a hand-over left unanswered for [`HANDOVER_MINUTES`].
//! The tablet's address holds a token derived from the kiosk and the
//! installation's signing key; only its hash is kept.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::rating::{self, RateOutcome};
use crate::AppError;
use crate::entities::{counter_kiosk, dossier};
use crate::i18n::Lang;
use crate::model::{
    KioskDossier, KioskRow, KioskScreen, NewDossierRating, Problem, RatingLevel, RatingLinkState,
    RatingSource, Violation,
};
use crate::public_codes::normalise;
use crate::secrets::{random_token, sha256_hex};
use crate::services::audit::{self, Actor};

/// How long a handed-over dossier waits on the kiosk for its rating.
pub const HANDOVER_MINUTES: i64 = 10;
/// The longest kiosk name.
pub const NAME_MAX: usize = 120;

/// What became of a tap on the kiosk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KioskOutcome {
    Stored,
    /// The tap was for a hand-over that is no longer on the kiosk (rated,
    /// cleared, replaced by another dossier or past its time).
    NotStored,
}

/// The token in the address of kiosk `id`: four groups of the public-code
/// alphabet from a keyed hash, e.g. `K-7F3K-9QXM-AB2C-4TNP`.
fn token_of(signing_key: &[u8], id: i32) -> String {
    let mac = crate::quality::mac(signing_key, &format!("counter-kiosk\0{id}"));
    crate::public_codes::code_from_bytes("K", 4, &mac)
}

/// The address the tablet of kiosk `token` opens.
pub fn kiosk_url(public_url: Option<&str>, token: &str) -> String {
    format!(
        "{}/kiosk/{token}",
        public_url.unwrap_or("").trim_end_matches('/')
    )
}

/// Adds a kiosk named `name`; its id.
pub async fn add(db: &DatabaseConnection, name: &str) -> Result<i32, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Invalid(vec![Violation::new(
            "name",
            Problem::Required,
        )]));
    }
    if name.chars().count() > NAME_MAX {
        return Err(AppError::Invalid(vec![Violation::new(
            "name",
            Problem::TooLong { max: NAME_MAX },
        )]));
    }
    let txn = db.begin().await?;
    let signing_key = crate::services::quality::signing_key(&txn).await?;
    // The token derives from the id, known once the row exists.
    let added = counter_kiosk::ActiveModel {
        name: Set(name.to_owned()),
        token_hash: Set(sha256_hex(&random_token())),
        dossier_id: Set(None),
        handed_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    counter_kiosk::ActiveModel {
        id: Set(added.id),
        token_hash: Set(sha256_hex(&token_of(&signing_key, added.id))),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    txn.commit().await?;
    Ok(added.id)
}

/// Removes kiosk `id`: its address stops working.
pub async fn remove(db: &DatabaseConnection, id: i32) -> Result<(), AppError> {
    let removed = counter_kiosk::Entity::delete_by_id(id).exec(db).await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound("kiosk"));
    }
    Ok(())
}

/// The kiosks by name, each with its address under `public_url`.
pub async fn list(
    db: &DatabaseConnection,
    public_url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<KioskRow>, AppError> {
    let signing_key = crate::services::quality::signing_key(db).await?;
    let kiosks = counter_kiosk::Entity::find()
        .order_by_asc(counter_kiosk::Column::Name)
        .order_by_asc(counter_kiosk::Column::Id)
        .all(db)
        .await?;
    Ok(kiosks
        .into_iter()
        .map(|k| KioskRow {
            id: k.id,
            address: kiosk_url(public_url, &token_of(&signing_key, k.id)),
            handed_at: waiting_since(&k, now).map(|at| {
                crate::i18n::local_time(at)
                    .rsplit(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            }),
            name: k.name,
        })
        .collect())
}

/// When the dossier on `kiosk` was handed over, if one still waits at `now`.
fn waiting_since(kiosk: &counter_kiosk::Model, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let at = kiosk.handed_at?;
    kiosk.dossier_id?;
    (now < at + Duration::minutes(HANDOVER_MINUTES)).then_some(at)
}

/// Puts the completed dossier `code` on kiosk `kiosk_id` for its rating,
/// in place of any dossier waiting there, recording in the audit log who
/// handed which dossier over. Refused, naming the field, for an unknown
/// kiosk or dossier, a dossier rated already or past its period.
pub async fn hand_over(
    db: &DatabaseConnection,
    actor: &Actor,
    kiosk_id: i32,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let refuse =
        |field: &str, problem| Err(AppError::Invalid(vec![Violation::new(field, problem)]));
    let txn = db.begin().await?;
    crate::db::write_first(&txn).await?;
    let Some(kiosk) = counter_kiosk::Entity::find_by_id(kiosk_id)
        .one(&txn)
        .await?
    else {
        return refuse("kiosk", Problem::UnknownKiosk);
    };
    let found = dossier::Entity::find()
        .filter(dossier::Column::Code.eq(code.trim()))
        .filter(dossier::Column::CompletedAt.is_not_null())
        .one(&txn)
        .await?;
    let Some(found) = found else {
        return refuse("code", Problem::UnknownDossier);
    };
    match rating::state_of(&txn, &found, now).await?.0 {
        RatingLinkState::Open => {}
        RatingLinkState::Rated => return refuse("code", Problem::DossierAlreadyRated),
        RatingLinkState::Expired => return refuse("code", Problem::RatingClosed),
        RatingLinkState::Unknown => return refuse("code", Problem::UnknownDossier),
    }
    counter_kiosk::ActiveModel {
        id: Set(kiosk.id),
        dossier_id: Set(Some(found.id)),
        // Whole microseconds, as both databases keep them: the screen's
        // mark of this hand-over reads back the same.
        handed_at: Set(Some(now.trunc_subsecs(6))),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "dossiers.kiosk_hand_over",
        "counter_kiosk",
        Some(kiosk.id.to_string()),
        None::<&()>,
        Some(&found.code),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The kiosk whose address holds `token`.
async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<counter_kiosk::Model>, AppError> {
    let token = normalise(token);
    if token.is_empty() || token.len() > 40 {
        return Ok(None);
    }
    Ok(counter_kiosk::Entity::find()
        .filter(counter_kiosk::Column::TokenHash.eq(sha256_hex(&token)))
        .one(db)
        .await?)
}

/// What the tablet of `token` shows at `now`; none for an unknown token.
pub async fn screen(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Option<KioskScreen>, AppError> {
    let Some(kiosk) = by_token(db, token).await? else {
        return Ok(None);
    };
    let agency = crate::services::settings::agency_name_in(db, lang).await?;
    let mut waiting = None;
    if let (Some(at), Some(dossier_id)) = (waiting_since(&kiosk, now), kiosk.dossier_id)
        && let Some(found) = dossier::Entity::find_by_id(dossier_id).one(db).await?
        && rating::state_of(db, &found, now).await?.0 == RatingLinkState::Open
    {
        let (procedure, department) = rating::names_of(db, &found, lang).await?;
        waiting = Some(KioskDossier {
            handover: at.timestamp_micros(),
            procedure,
            department,
            seconds_left: (at + Duration::minutes(HANDOVER_MINUTES) - now)
                .num_seconds()
                .max(1),
        });
    }
    Ok(Some(KioskScreen {
        agency,
        kiosk: kiosk.name,
        waiting,
    }))
}

/// Stores the tap `level` on the kiosk of `token` for the hand-over
/// marked `handover`, and clears the kiosk; none for an unknown token.
pub async fn rate(
    db: &DatabaseConnection,
    token: &str,
    handover: i64,
    level: RatingLevel,
    now: DateTime<Utc>,
) -> Result<Option<KioskOutcome>, AppError> {
    let txn = db.begin().await?;
    crate::db::write_first(&txn).await?;
    let Some(kiosk) = by_token(&txn, token).await? else {
        return Ok(None);
    };
    let current = waiting_since(&kiosk, now)
        .filter(|at| at.timestamp_micros() == handover)
        .and(kiosk.dossier_id);
    let Some(dossier_id) = current else {
        return Ok(Some(KioskOutcome::NotStored));
    };
    // Cleared whatever becomes of the tap: one hand-over, one rating.
    counter_kiosk::Entity::update_many()
        .col_expr(counter_kiosk::Column::DossierId, Expr::value(None::<i32>))
        .col_expr(
            counter_kiosk::Column::HandedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(counter_kiosk::Column::Id.eq(kiosk.id))
        .exec(&txn)
        .await?;
    let outcome = match dossier::Entity::find_by_id(dossier_id).one(&txn).await? {
        Some(found) => {
            let tap = NewDossierRating {
                level: Some(level),
                reasons: Vec::new(),
                trips: None,
                comment: String::new(),
            };
            rating::rate_found(&txn, &found, level, &tap, RatingSource::Kiosk, now).await?
        }
        None => RateOutcome::Unknown,
    };
    txn.commit().await?;
    Ok(Some(match outcome {
        RateOutcome::Stored => KioskOutcome::Stored,
        _ => KioskOutcome::NotStored,
    }))
}
