//! Data-quality flags (docs/methodology.md, "Data-quality flags"): raised
//! on a response in its own transaction (straight-lining, a burst from one
//! network prefix) or by a scan against the round's median completion time
//! (speeders); a flagged response is counted until a person confirms the
//! flag, which takes it out of every figure with the flag as its reason, or
//! dismisses it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{department, response, response_flag, round, setting};
use crate::i18n::{Lang, local_time};
use crate::model::{
    FlagKind, FlagRow, FlagStatus, FlagTally, QualityPage, QualityRules, Role, SurveyChannel,
};
use crate::quality;
use crate::services::audit::{self, Actor};
use crate::services::responses;
use crate::services::rounds;

pub mod flag_tallies;

/// The setting that holds the key of form stamps and network hashes,
/// created at first use and shared by every instance on the database.
const SIGNING_KEY: &str = "quality_signing_key";

/// The median is taken from this many timed web responses on; below it no
/// response is called a speeder.
pub const MIN_TIMED_RESPONSES: u64 = 10;

/// The review page lists at most this many flags at once.
pub const PAGE_LIMIT: u64 = 500;

/// Who decides on flags: leaders and admins, and staff for the responses
/// of their departments while the round takes responses.
pub const DECIDERS: &[Role] = &[Role::Admin, Role::Leader, Role::Staff];

/// The key of form stamps and network hashes.
pub async fn signing_key(db: &impl ConnectionTrait) -> Result<Vec<u8>, AppError> {
    if let Some(key) = crate::services::settings::get(db, SIGNING_KEY).await? {
        return Ok(key.into_bytes());
    }
    // Two instances may get here at once: the first insert wins, both read it.
    setting::Entity::insert(setting::ActiveModel {
        key: Set(SIGNING_KEY.to_owned()),
        value: Set(crate::secrets::random_token()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    crate::services::settings::get(db, SIGNING_KEY)
        .await?
        .map(String::into_bytes)
        .ok_or(AppError::NotFound("signing key"))
}

/// Raises the flags a response earns as it is stored, inside its
/// transaction: straight-lining over `levels` (its valid index answers),
/// and a burst when more responses of the round than the rules allow (by
/// default more than five within ten minutes) came from its network
/// prefix. Each response of a burst is flagged: the one that makes it a
/// burst flags those before it in the window, each later one itself (and,
/// near the crossing, the window again, for responses that arrived at the
/// same moment). The window is counted through its index, so a long burst
/// costs each submission the same.
pub(crate) async fn flag_new(
    txn: &impl ConnectionTrait,
    rules: &QualityRules,
    stored: &response::Model,
    levels: &[u8],
) -> Result<(), AppError> {
    if quality::is_straight_line(levels, rules) {
        insert_flags(
            txn,
            stored.round_id,
            &[stored.id],
            FlagKind::StraightLine,
            &format!("{} × {}", levels.len(), levels[0]),
        )
        .await?;
    }
    let Some(hash) = &stored.network_hash else {
        return Ok(());
    };
    let window = rules.burst_window_minutes;
    let since = stored.submitted_at - Duration::minutes(i64::from(window));
    let in_window = response::Entity::find()
        .filter(response::Column::RoundId.eq(stored.round_id))
        .filter(response::Column::NetworkHash.eq(hash.as_str()))
        .filter(response::Column::SubmittedAt.gte(since))
        .filter(response::Column::SubmittedAt.lte(stored.submitted_at));
    let count = in_window.clone().count(txn).await?;
    let limit = u64::from(rules.burst_more_than);
    if count <= limit {
        return Ok(());
    }
    let flagged: Vec<i32> = if count <= 2 * limit + 1 {
        in_window
            .select_only()
            .column(response::Column::Id)
            .into_tuple()
            .all(txn)
            .await?
    } else {
        vec![stored.id]
    };
    insert_flags(
        txn,
        stored.round_id,
        &flagged,
        FlagKind::Burst,
        &format!("{count} / {window} min"),
    )
    .await?;
    Ok(())
}

/// Flags `kind` on each of `response_ids` that does not carry it yet.
async fn insert_flags(
    db: &impl ConnectionTrait,
    round_id: i32,
    response_ids: &[i32],
    kind: FlagKind,
    detail: &str,
) -> Result<u64, AppError> {
    if response_ids.is_empty() {
        return Ok(0);
    }
    let already: HashSet<i32> = response_flag::Entity::find()
        .select_only()
        .column(response_flag::Column::ResponseId)
        .filter(response_flag::Column::ResponseId.is_in(response_ids.to_vec()))
        .filter(response_flag::Column::Kind.eq(kind))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let new: Vec<response_flag::ActiveModel> = response_ids
        .iter()
        .filter(|id| !already.contains(id))
        .map(|id| response_flag::ActiveModel {
            round_id: Set(round_id),
            response_id: Set(*id),
            kind: Set(kind),
            status: Set(FlagStatus::Open),
            detail: Set(detail.to_owned()),
            flagged_at: Set(now),
            ..Default::default()
        })
        .collect();
    let count = new.len() as u64;
    if count == 0 {
        return Ok(0);
    }
    let before = counted_with_open_flag(db, response_ids).await?;
    // The unique (response, kind) index keeps a concurrent duplicate out;
    // only the rows written are counted.
    let inserted = response_flag::Entity::insert_many(new)
        .on_conflict(
            OnConflict::columns([
                response_flag::Column::ResponseId,
                response_flag::Column::Kind,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    flag_tallies::add(
        db,
        (round_id, kind, FlagStatus::Open),
        i64::try_from(inserted).unwrap_or(i64::MAX),
    )
    .await?;
    let after = counted_with_open_flag(db, response_ids).await?;
    move_flagged(db, &before, &after).await?;
    Ok(count)
}

/// Those of `response_ids` counted in the figures (not excluded) with a
/// flag waiting for a decision; on PostgreSQL their rows stay locked to
/// the transaction, so that concurrent flag changes on one response count
/// it once.
async fn counted_with_open_flag(
    db: &impl ConnectionTrait,
    response_ids: &[i32],
) -> Result<HashMap<i32, response::Model>, AppError> {
    let mut ids = response_ids.to_vec();
    ids.sort_unstable();
    let locked = response::Entity::find()
        .filter(response::Column::Id.is_in(ids.clone()))
        .order_by_asc(response::Column::Id)
        .lock_exclusive()
        .all(db)
        .await?;
    let open: HashSet<i32> = response_flag::Entity::find()
        .select_only()
        .column(response_flag::Column::ResponseId)
        .filter(response_flag::Column::ResponseId.is_in(ids))
        .filter(response_flag::Column::Status.eq(FlagStatus::Open))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(locked
        .into_iter()
        .filter(|r| !r.excluded && open.contains(&r.id))
        .map(|r| (r.id, r))
        .collect())
}

/// Moves the responses that became (or stopped being) counted with an
/// open flag in their response tally.
async fn move_flagged(
    db: &impl ConnectionTrait,
    before: &HashMap<i32, response::Model>,
    after: &HashMap<i32, response::Model>,
) -> Result<(), AppError> {
    for (id, found) in after {
        if !before.contains_key(id) {
            crate::services::tallies::add_flagged(db, found, 1).await?;
        }
    }
    for (id, found) in before {
        if !after.contains_key(id) {
            crate::services::tallies::add_flagged(db, found, -1).await?;
        }
    }
    Ok(())
}

/// The web responses with a completion time, written as the condition of
/// the partial index that holds them (`ix_responses_timed_web`, migration
/// 34): a bound value would keep SQLite and PostgreSQL from using it.
fn timed_web() -> Expr {
    debug_assert_eq!(SurveyChannel::Web.code(), "web");
    Expr::cust("responses.channel = 'web' AND responses.completion_seconds IS NOT NULL")
}

/// The median completion time of the round's timed web responses, from
/// [`MIN_TIMED_RESPONSES`] of them on (counted and read through the partial
/// index of [`timed_web`] responses: the median itself is two rows,
/// whatever the round's size).
pub async fn median_seconds(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Option<i64>, AppError> {
    let timed = || {
        response::Entity::find()
            .filter(response::Column::RoundId.eq(round_id))
            .filter(timed_web())
    };
    let count = timed().count(db).await?;
    if count < MIN_TIMED_RESPONSES {
        return Ok(None);
    }
    let middle: Vec<Option<i32>> = timed()
        .select_only()
        .column(response::Column::CompletionSeconds)
        .order_by_asc(response::Column::CompletionSeconds)
        .offset((count - 1) / 2)
        .limit(2 - count % 2)
        .into_tuple()
        .all(db)
        .await?;
    let values: Vec<i64> = middle.into_iter().flatten().map(i64::from).collect();
    Ok((!values.is_empty()).then(|| values.iter().sum::<i64>() / values.len() as i64))
}

/// Flags the round's web responses completed in under its median time
/// divided by the rules' divisor (a third by default) that are not flagged
/// as speeders yet; returns how many were flagged now. Only those below the
/// threshold are read (through the index on (round, completion time)), and
/// the flags go in transactions of [`SCAN_CHUNK`] responses, so that a copy
/// of the database never holds a flag without its count in the tallies.
#[tracing::instrument(skip_all)]
pub async fn scan_speeders(db: &DatabaseConnection, round_id: i32) -> Result<u64, AppError> {
    let Some(median) = median_seconds(db, round_id).await? else {
        return Ok(0);
    };
    let rules = crate::services::settings::quality_rules(db).await?;
    // seconds × divisor < median  ⇔  seconds < ⌈median ÷ divisor⌉
    let divisor = i64::from(rules.speeder_median_divisor.max(1));
    let threshold = (median + divisor - 1) / divisor;
    let flagged_already = sea_orm::sea_query::Query::select()
        .column(response_flag::Column::ResponseId)
        .from(response_flag::Entity)
        .and_where(response_flag::Column::RoundId.eq(round_id))
        .and_where(response_flag::Column::Kind.eq(FlagKind::Speeder))
        .to_owned();
    let fast: Vec<(i32, Option<i32>)> = response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .column(response::Column::CompletionSeconds)
        .filter(response::Column::RoundId.eq(round_id))
        .filter(timed_web())
        .filter(response::Column::CompletionSeconds.lt(threshold))
        .filter(response::Column::Id.not_in_subquery(flagged_already))
        .into_tuple()
        .all(db)
        .await?;
    let speeders: Vec<(i32, i64)> = fast
        .into_iter()
        .filter_map(|(id, seconds)| Some((id, i64::from(seconds?))))
        .filter(|(_, seconds)| quality::is_speeder(*seconds, median, &rules))
        .collect();
    let mut flagged = 0;
    for chunk in speeders.chunks(SCAN_CHUNK) {
        let txn = db.begin().await?;
        crate::db::write_first(&txn).await?;
        for (id, seconds) in chunk {
            flagged += insert_flags(
                &txn,
                round_id,
                &[*id],
                FlagKind::Speeder,
                &format!("{seconds} s / {median} s"),
            )
            .await?;
        }
        txn.commit().await?;
    }
    Ok(flagged)
}

/// How many speeders one transaction of the scan flags.
const SCAN_CHUNK: usize = 200;

/// Scans every round that takes responses (the server's background task).
pub async fn scan_open_rounds(db: &DatabaseConnection) -> Result<u64, AppError> {
    let mut flagged = 0;
    for open in rounds::list_open(db, Utc::now()).await? {
        flagged += scan_speeders(db, open.id).await?;
    }
    Ok(flagged)
}

/// Removes the flags of a response about to be removed, with their
/// counts, in the caller's transaction.
pub(crate) async fn remove_for_response(
    txn: &impl ConnectionTrait,
    response_id: i32,
) -> Result<(), AppError> {
    let flags = response_flag::Entity::find()
        .filter(response_flag::Column::ResponseId.eq(response_id))
        .all(txn)
        .await?;
    if flags.is_empty() {
        return Ok(());
    }
    let mut removed: BTreeMap<flag_tallies::Key, i64> = BTreeMap::new();
    for flag in &flags {
        *removed
            .entry((flag.round_id, flag.kind, flag.status))
            .or_default() -= 1;
    }
    response_flag::Entity::delete_many()
        .filter(response_flag::Column::ResponseId.eq(response_id))
        .exec(txn)
        .await?;
    flag_tallies::add_all(txn, removed).await?;
    Ok(())
}

/// How many flags of each kind wait, were confirmed and were dismissed
/// (read from the flag tallies).
pub async fn tallies(db: &impl ConnectionTrait, round_id: i32) -> Result<Vec<FlagTally>, AppError> {
    let counts = flag_tallies::of_round(db, round_id).await?;
    let mut by_kind: BTreeMap<FlagKind, FlagTally> = FlagKind::ALL
        .iter()
        .map(|kind| {
            (
                *kind,
                FlagTally {
                    kind: *kind,
                    open: 0,
                    confirmed: 0,
                    dismissed: 0,
                },
            )
        })
        .collect();
    for (kind, status, n) in counts {
        let tally = by_kind.get_mut(&kind).expect("every kind is listed");
        let n = u64::try_from(n).unwrap_or(0);
        match status {
            FlagStatus::Open => tally.open += n,
            FlagStatus::Confirmed => tally.confirmed += n,
            FlagStatus::Dismissed => tally.dismissed += n,
        }
    }
    Ok(by_kind.into_values().collect())
}

/// The ids of the round's waiting flags of `kind` (a bulk decision).
pub async fn open_flags_of_kind(
    db: &impl ConnectionTrait,
    round_id: i32,
    kind: FlagKind,
) -> Result<Vec<i32>, AppError> {
    Ok(response_flag::Entity::find()
        .select_only()
        .column(response_flag::Column::Id)
        .filter(response_flag::Column::RoundId.eq(round_id))
        .filter(response_flag::Column::Kind.eq(kind))
        .filter(response_flag::Column::Status.eq(FlagStatus::Open))
        .into_tuple()
        .all(db)
        .await?)
}

/// The review page: the round's flags with `showing` status, newest first
/// (speeders scanned first, so that the list is current).
#[tracing::instrument(skip_all)]
pub async fn page(
    db: &DatabaseConnection,
    principal: &Principal,
    round: &round::Model,
    showing: FlagStatus,
    lang: Lang,
) -> Result<QualityPage, AppError> {
    scan_speeders(db, round.id).await?;
    let flags = response_flag::Entity::find()
        .filter(response_flag::Column::RoundId.eq(round.id))
        .filter(response_flag::Column::Status.eq(showing))
        .order_by_desc(response_flag::Column::Id)
        .limit(PAGE_LIMIT)
        .all(db)
        .await?;
    let ids: Vec<i32> = flags.iter().map(|f| f.response_id).collect();
    let flagged: HashMap<i32, response::Model> = response::Entity::find()
        .filter(response::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let departments: HashMap<i32, String> = department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.code))
        .collect();
    let rows: Vec<FlagRow> = flags
        .into_iter()
        .filter_map(|flag| {
            let found = flagged.get(&flag.response_id)?;
            Some(FlagRow {
                id: flag.id,
                receipt_code: found.receipt_code.clone(),
                kind: flag.kind,
                status: flag.status,
                detail: flag.detail,
                submitted_at: local_time(found.submitted_at),
                department: found
                    .department_id
                    .and_then(|id| departments.get(&id).cloned()),
                flagged_at: local_time(flag.flagged_at),
            })
        })
        .collect();
    let truncated = rows.len() as u64 >= PAGE_LIMIT;
    Ok(QualityPage {
        truncated,
        round: rounds::summary(round, lang),
        tallies: tallies(db, round.id).await?,
        median_seconds: median_seconds(db, round.id).await?,
        flags: rows,
        showing,
        rules: crate::services::settings::quality_rules(db).await?,
        may_decide: principal.has_role(DECIDERS),
    })
}

/// Confirms (`confirm`) or dismisses the open flags `flag_ids` of `round`
/// in one transaction. Confirming takes each flagged response out of every
/// figure, with the flag as its reason. Staff decide only on responses of
/// their departments, and only while the round takes responses. Returns
/// how many flags were decided.
#[tracing::instrument(skip_all)]
pub async fn decide(
    db: &DatabaseConnection,
    principal: &Principal,
    actor: &Actor,
    round: &round::Model,
    flag_ids: &[i32],
    confirm: bool,
) -> Result<u64, AppError> {
    if !principal.has_role(DECIDERS) {
        return Err(AppError::Forbidden);
    }
    if flag_ids.is_empty() {
        return Err(AppError::invalid(
            "form",
            crate::model::Problem::NothingChosen,
        ));
    }
    let txn = db.begin().await?;
    crate::db::write_first(&txn).await?;
    let flags = response_flag::Entity::find()
        .filter(response_flag::Column::RoundId.eq(round.id))
        .filter(response_flag::Column::Id.is_in(flag_ids.to_vec()))
        .filter(response_flag::Column::Status.eq(FlagStatus::Open))
        // Locked on PostgreSQL, so that a decision made at the same moment
        // waits and then finds these flags decided: each is counted once.
        .order_by_asc(response_flag::Column::Id)
        .lock_exclusive()
        .all(&txn)
        .await?;
    let now = Utc::now();
    let instrument = crate::services::instruments::load(&txn, round.instrument_id).await?;
    let mut pairs = crate::services::pair_sums::PairDeltas::new(
        round.id,
        crate::services::pair_sums::DriverCriteria::of(&instrument),
    );
    // Confirming takes a response out of the figures, its flagged count
    // with it (`count_in_figures`); dismissing may leave it with no flag
    // waiting, which the before/after comparison counts.
    let touched: Vec<i32> = flags.iter().map(|f| f.response_id).collect();
    let before = if confirm {
        HashMap::new()
    } else {
        counted_with_open_flag(&txn, &touched).await?
    };
    let mut decided = Vec::new();
    let decision = if confirm {
        FlagStatus::Confirmed
    } else {
        FlagStatus::Dismissed
    };
    let mut moved: BTreeMap<flag_tallies::Key, i64> = BTreeMap::new();
    for flag in flags {
        let Some(found) = response::Entity::find_by_id(flag.response_id)
            .one(&txn)
            .await?
        else {
            continue;
        };
        if principal.role == Role::Staff {
            responses::may_propose(principal, round, &found)?;
        }
        if confirm && !found.excluded {
            responses::count_in_figures(&txn, &mut pairs, &found, false).await?;
            let reason = format!("{}: {}", flag.kind.code(), flag.detail);
            let mut excluded: response::ActiveModel = found.clone().into();
            excluded.excluded = Set(true);
            excluded.exclusion_reason = Set(Some(reason));
            excluded.update(&txn).await?;
        }
        decided.push(serde_json::json!({
            "receipt_code": found.receipt_code,
            "kind": flag.kind,
        }));
        *moved
            .entry((round.id, flag.kind, FlagStatus::Open))
            .or_default() -= 1;
        *moved.entry((round.id, flag.kind, decision)).or_default() += 1;
        let mut changed: response_flag::ActiveModel = flag.into();
        changed.status = Set(decision);
        changed.decided_by_user_id = Set(actor.user_id);
        changed.decided_at = Set(Some(now));
        changed.update(&txn).await?;
    }
    flag_tallies::add_all(&txn, moved).await?;
    if !confirm {
        let after = counted_with_open_flag(&txn, &touched).await?;
        move_flagged(&txn, &before, &after).await?;
    }
    pairs.write(&txn).await?;
    let count = decided.len() as u64;
    if count > 0 {
        audit::record(
            &txn,
            actor,
            if confirm {
                "response.flag_confirm"
            } else {
                "response.flag_dismiss"
            },
            "round",
            Some(round.slug.clone()),
            None::<&()>,
            Some(&decided),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(count)
}
