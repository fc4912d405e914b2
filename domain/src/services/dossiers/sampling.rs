//! A round's survey sample drawn from the dossiers completed in its
//! half-year: stratified by department, each stratum sized by Yamane's
//! formula (e = 5%) on its completed dossiers, drawn at random among the
//! distinct contacts held that were not rated or surveyed in the last 90
//! days. Reading the contacts for this is a purpose of their own: the draw
//! is in the audit log (counts, never a contact), and a round's sample is
//! drawn once.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::seq::SliceRandom;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Set, TransactionTrait,
};

use super::tallies;
use crate::AppError;
use crate::entities::{department, dossier, dossier_contact, dossier_rating, invitation, round};
use crate::index_engine::yamane_sample;
use crate::model::{SamplePlan, SampleStratum};
use crate::public_codes::{SECRET_GROUPS, random_code};
use crate::services::audit::{self, Actor};
use crate::services::outbox::Phone;
use crate::services::rounds::SAMPLE_MARGIN;
use crate::working_days::half_year_bounds;

/// A contact rated or surveyed this recently is not asked again.
pub const RECENT_DAYS: i64 = 90;

/// Invitations stored per statement when a sample is drawn.
const INSERT_CHUNK: usize = 500;

/// The first and last day of `round`'s half-year, as the page shows it.
fn half_year(round: &round::Model) -> (NaiveDate, NaiveDate) {
    let (first, last) = if round.half == 1 {
        ((1, 1), (6, 30))
    } else {
        ((7, 1), (12, 31))
    };
    let day = |(m, d): (u32, u32)| {
        NaiveDate::from_ymd_opt(round.year, m, d).expect("a half-year's bounds are dates")
    };
    (day(first), day(last))
}

/// The forms a contact is compared in: the e-mail in lower case, the phone
/// in its international form. A person is the same if either matches.
fn keys_of(phone: Option<&str>, email: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
        keys.push(format!("e:{}", email.to_lowercase()));
    }
    if let Some(phone) = phone.and_then(Phone::parse) {
        keys.push(format!("p:{}", phone.international));
    }
    keys
}

/// A completed dossier of the half-year whose contact is held (a phone,
/// an e-mail address or both): the columns a draw uses, read in one query.
#[derive(Debug, FromQueryResult)]
struct FrameRow {
    id: i32,
    code: String,
    department_id: i32,
    procedure_id: i32,
    phone: Option<String>,
    email: Option<String>,
}

/// A phone and an e-mail address, either of which may be missing.
#[derive(Debug, FromQueryResult)]
struct ContactRow {
    phone: Option<String>,
    email: Option<String>,
}

/// The frame of a draw: per department, the candidates (dossiers whose
/// contact may be invited, one per distinct contact), and what was left out.
struct Frame {
    candidates: BTreeMap<i32, Vec<FrameRow>>,
    without_contact: u64,
    recently_asked: u64,
}

/// The join of a dossier to its contact (a dossier has one at most).
fn with_contact() -> RelationDef {
    dossier::Entity::belongs_to(dossier_contact::Entity)
        .from(dossier::Column::Id)
        .to(dossier_contact::Column::DossierId)
        .into()
}

/// The join of a rating to the contact of its dossier.
fn rating_with_contact() -> RelationDef {
    dossier_rating::Entity::belongs_to(dossier_contact::Entity)
        .from(dossier_rating::Column::DossierId)
        .to(dossier_contact::Column::DossierId)
        .into()
}

/// The frame of `round`'s draw at `now`, given its `completed` dossiers by department.
async fn frame(
    db: &impl ConnectionTrait,
    round: &round::Model,
    completed: &BTreeMap<i32, u64>,
    now: DateTime<Utc>,
) -> Result<Frame, AppError> {
    let (from, to) = half_year_bounds(round.year, round.half);
    // Only the dossiers whose contact is held are read (a contact is kept
    // until its rating link closes), in the order they were completed: a
    // person with several dossiers is drawn by the first.
    let held = dossier::Entity::find()
        .select_only()
        .columns([
            dossier::Column::Id,
            dossier::Column::Code,
            dossier::Column::DepartmentId,
            dossier::Column::ProcedureId,
        ])
        .columns([
            dossier_contact::Column::Phone,
            dossier_contact::Column::Email,
        ])
        .join(JoinType::InnerJoin, with_contact())
        .filter(dossier::Column::CompletedAt.gte(from))
        .filter(dossier::Column::CompletedAt.lt(to))
        .order_by_asc(dossier::Column::CompletedAt)
        .order_by_asc(dossier::Column::Id)
        .into_model::<FrameRow>()
        .all(db)
        .await?;
    let asked = recently_asked(db, now).await?;
    let mut frame = Frame {
        without_contact: completed
            .values()
            .sum::<u64>()
            .saturating_sub(held.len() as u64),
        candidates: BTreeMap::new(),
        recently_asked: 0,
    };
    let mut taken: HashSet<String> = HashSet::new();
    for dossier in held {
        let keys = keys_of(dossier.phone.as_deref(), dossier.email.as_deref());
        if keys.is_empty() {
            frame.without_contact += 1;
            continue;
        }
        if keys.iter().any(|k| asked.contains(k)) {
            frame.recently_asked += 1;
            continue;
        }
        // One invitation per person, whatever their number of dossiers.
        if keys.iter().any(|k| taken.contains(k)) {
            continue;
        }
        taken.extend(keys);
        frame
            .candidates
            .entry(dossier.department_id)
            .or_default()
            .push(dossier);
    }
    Ok(frame)
}

/// The contacts rated (a dossier of theirs) or invited to a survey in the
/// last [`RECENT_DAYS`] days.
async fn recently_asked(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<HashSet<String>, AppError> {
    let since = now - Duration::days(RECENT_DAYS);
    let rated = dossier_rating::Entity::find()
        .select_only()
        .columns([
            dossier_contact::Column::Phone,
            dossier_contact::Column::Email,
        ])
        .join(JoinType::InnerJoin, rating_with_contact())
        .filter(dossier_rating::Column::RatedAt.gte(since))
        .into_model::<ContactRow>()
        .all(db)
        .await?;
    let invited = invitation::Entity::find()
        .select_only()
        .columns([invitation::Column::Phone, invitation::Column::Email])
        .filter(invitation::Column::CreatedAt.gte(since))
        .into_model::<ContactRow>()
        .all(db)
        .await?;
    Ok(rated
        .iter()
        .chain(&invited)
        .flat_map(|c| keys_of(c.phone.as_deref(), c.email.as_deref()))
        .collect())
}

/// How many invitations of `round` were drawn from dossiers, by department
/// (counted in the database: no invitation's contact is read).
async fn drawn(
    db: &impl ConnectionTrait,
    round: &round::Model,
) -> Result<BTreeMap<i32, u64>, AppError> {
    use sea_orm::sea_query::ExprTrait;
    let counts: Vec<(Option<i32>, i64)> = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::DepartmentId)
        .column_as(Expr::col(invitation::Column::Id).count(), "n")
        .filter(invitation::Column::RoundId.eq(round.id))
        .filter(invitation::Column::DossierId.is_not_null())
        .group_by(invitation::Column::DepartmentId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .map(|(department_id, n)| (department_id.unwrap_or(0), n as u64))
        .collect())
}

/// How many dossiers of `round`'s half-year were completed, by department,
/// from the tallies (no dossier or contact is read).
async fn completed(
    db: &impl ConnectionTrait,
    round: &round::Model,
) -> Result<BTreeMap<i32, u64>, AppError> {
    Ok(tallies::completed_by_department(db, round.year, round.half).await?)
}

/// The sample `round` would draw at `now`, or drew: by department. Before
/// the draw, the dossiers whose contact is held are read to count who may
/// be invited; once drawn, only counts are read.
#[tracing::instrument(skip_all)]
pub async fn plan(
    db: &DatabaseConnection,
    round: &round::Model,
    now: DateTime<Utc>,
) -> Result<SamplePlan, AppError> {
    let drawn = drawn(db, round).await?;
    let completed = completed(db, round).await?;
    let frame = if drawn.is_empty() {
        Some(frame(db, round, &completed, now).await?)
    } else {
        None
    };
    let names: BTreeMap<i32, String> = department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name_vi))
        .collect();
    let (first, last) = half_year(round);
    let strata = completed
        .iter()
        .map(|(department_id, completed)| {
            let target = yamane_sample(*completed, SAMPLE_MARGIN);
            let reachable = frame.as_ref().map(|frame| {
                frame
                    .candidates
                    .get(department_id)
                    .map_or(0, |c| c.len() as u64)
            });
            SampleStratum {
                department: names.get(department_id).cloned().unwrap_or_default(),
                completed: *completed,
                target,
                reachable,
                to_draw: reachable.map(|reachable| target.min(reachable)),
                drawn: drawn.get(department_id).copied().unwrap_or(0),
            }
        })
        .collect();
    Ok(SamplePlan {
        period: format!("{}–{}", first.format("%d/%m/%Y"), last.format("%d/%m/%Y")),
        strata,
        without_contact: frame.as_ref().map(|frame| frame.without_contact),
        recently_asked: frame.as_ref().map(|frame| frame.recently_asked),
        drawn: !drawn.is_empty(),
    })
}

/// Draws `round`'s sample: in each department, at random, as many distinct
/// contacts as its stratum asks (all when fewer may be invited), each an
/// invitation named after its dossier. Returns how many were drawn.
#[tracing::instrument(skip_all)]
pub async fn draw(
    db: &DatabaseConnection,
    actor: &Actor,
    round: &round::Model,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    if !drawn(db, round).await?.is_empty() {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::SampleAlreadyDrawn,
            message: "This round's sample was drawn already.".to_owned(),
        });
    }
    let completed = completed(db, round).await?;
    let frame = frame(db, round, &completed, now).await?;
    let mut chosen = Vec::new();
    let mut by_department = BTreeMap::new();
    for (department_id, mut candidates) in frame.candidates {
        let completed = completed.get(&department_id).copied().unwrap_or(0);
        let size = yamane_sample(completed, SAMPLE_MARGIN) as usize;
        candidates.shuffle(&mut rand::rng());
        candidates.truncate(size);
        by_department.insert(department_id, candidates.len());
        chosen.extend(candidates);
    }
    let txn = db.begin().await?;
    let rows: Vec<invitation::ActiveModel> = chosen
        .iter()
        .map(|candidate| invitation::ActiveModel {
            round_id: Set(round.id),
            code: Set(random_code("MOI", SECRET_GROUPS)),
            name: Set(format!("Hồ sơ {}", candidate.code)),
            email: Set(candidate.email.clone()),
            phone: Set(candidate.phone.clone()),
            department_id: Set(Some(candidate.department_id)),
            procedure_id: Set(Some(candidate.procedure_id)),
            dossier_id: Set(Some(candidate.id)),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    // Nine values a row: a chunk stays well under SQLite's bound per statement.
    for chunk in rows.chunks(INSERT_CHUNK) {
        invitation::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    audit::record(
        &txn,
        actor,
        "invitations.sample",
        "round",
        Some(round.slug.clone()),
        None::<&()>,
        Some(&serde_json::json!({
            "drawn": chosen.len(),
            "by_department": by_department,
            "without_contact": frame.without_contact,
            "recently_asked": frame.recently_asked,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(chosen.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_is_the_same_by_either_its_address_or_its_phone() {
        assert_eq!(
            keys_of(Some("0905 123 456"), Some(" Chu.Ho@Example.vn ")),
            ["e:chu.ho@example.vn", "p:+84905123456"]
        );
        assert_eq!(keys_of(Some("+84905123456"), None), ["p:+84905123456"]);
        assert!(keys_of(Some("not a phone"), Some("")).is_empty());
    }
}
