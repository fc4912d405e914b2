//! Flag tallies: how many flags of each kind a round holds in each status.
//! Every flag raised, decided or removed moves its count in the change's
//! own transaction ([`add`]), so the figures read a few rows however many
//! flags a round holds. `hailong verify-tallies` recounts them from the
//! flags ([`verify`]) and `--repair` rewrites them ([`rebuild`]).

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set, Statement,
};

use crate::AppError;
use crate::entities::{flag_tally, response_flag};
use crate::model::{FlagKind, FlagStatus};

/// Where a flag counts: its round, kind and status.
pub(crate) type Key = (i32, FlagKind, FlagStatus);

fn row((round_id, kind, status): Key, count: i64) -> flag_tally::ActiveModel {
    flag_tally::ActiveModel {
        round_id: Set(round_id),
        kind: Set(kind),
        status: Set(status),
        count: Set(count),
    }
}

/// Adds `delta` flags to the count of `key`, in the caller's transaction.
pub(crate) async fn add(txn: &impl ConnectionTrait, key: Key, delta: i64) -> Result<(), DbErr> {
    use flag_tally::Column;
    if delta == 0 {
        return Ok(());
    }
    flag_tally::Entity::insert(row(key, delta))
        .on_conflict(
            OnConflict::columns([Column::RoundId, Column::Kind, Column::Status])
                .value(
                    Column::Count,
                    Expr::cust("flag_tallies.count + excluded.count"),
                )
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// Applies several changes in key order, so that concurrent PostgreSQL
/// transactions lock the rows in the same order.
pub(crate) async fn add_all(
    txn: &impl ConnectionTrait,
    changes: BTreeMap<Key, i64>,
) -> Result<(), DbErr> {
    for (key, delta) in changes {
        add(txn, key, delta).await?;
    }
    Ok(())
}

/// The stored counts of one round.
pub(crate) async fn of_round(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<(FlagKind, FlagStatus, i64)>, DbErr> {
    Ok(flag_tally::Entity::find()
        .filter(flag_tally::Column::RoundId.eq(round_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.kind, row.status, row.count))
        .collect())
}

/// The counts taken again from the flags.
async fn recount(db: &impl ConnectionTrait) -> Result<BTreeMap<Key, i64>, DbErr> {
    use response_flag::Column;
    let rows: Vec<(i32, FlagKind, FlagStatus, i64)> = response_flag::Entity::find()
        .select_only()
        .column(Column::RoundId)
        .column(Column::Kind)
        .column(Column::Status)
        .column_as(Column::Id.count(), "n")
        .group_by(Column::RoundId)
        .group_by(Column::Kind)
        .group_by(Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(round, kind, status, n)| ((round, kind, status), n))
        .collect())
}

async fn stored(db: &impl ConnectionTrait) -> Result<BTreeMap<Key, i64>, DbErr> {
    Ok(flag_tally::Entity::find()
        .filter(flag_tally::Column::Count.ne(0))
        .all(db)
        .await?
        .into_iter()
        .map(|row| ((row.round_id, row.kind, row.status), row.count))
        .collect())
}

/// The number of tallies counted from the flags, and one line per
/// difference from the stored ones.
pub async fn verify(db: &impl ConnectionTrait) -> Result<(usize, Vec<String>), AppError> {
    let counted = recount(db).await?;
    let stored = stored(db).await?;
    let keys: BTreeSet<&Key> = counted.keys().chain(stored.keys()).collect();
    let found = keys
        .into_iter()
        .filter_map(|key| {
            let c = counted.get(key).copied().unwrap_or(0);
            let s = stored.get(key).copied().unwrap_or(0);
            let (round, kind, status) = key;
            (c != s).then(|| {
                format!("flags of round {round}, {kind}, {status}: stored {s}, counted {c}")
            })
        })
        .collect();
    Ok((counted.len(), found))
}

/// Replaces the stored tallies by the recount, inside the caller's transaction.
pub async fn rebuild(txn: &impl ConnectionTrait) -> Result<(), AppError> {
    let counted = recount(txn).await?;
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_string(
        backend,
        "DELETE FROM flag_tallies".to_owned(),
    ))
    .await?;
    let rows: Vec<flag_tally::ActiveModel> = counted
        .into_iter()
        .map(|(key, count)| row(key, count))
        .collect();
    for chunk in rows.chunks(1000) {
        flag_tally::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
