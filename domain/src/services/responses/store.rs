//! Writing checked responses: one at a time in its own transaction, or a
//! whole import in one, each with its answers and tallies.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use super::validate::{ValidResponse, clean, validate};
use super::{Completeness, Submission};
use crate::AppError;
use crate::entities::{answer, response, round};
use crate::model::QualityRules;
use crate::public_codes::{SECRET_GROUPS, random_code};
use crate::services::instruments::LoadedInstrument;
use crate::services::pair_sums::{DriverCriteria, PairDeltas};

/// Writes the response, its answers and the tallies in one transaction.
pub(super) async fn insert(
    db: &DatabaseConnection,
    round: &round::Model,
    drivers: &DriverCriteria,
    valid: &ValidResponse,
    receipt_code: &str,
) -> Result<response::Model, AppError> {
    let rules = crate::services::settings::quality_rules(db).await?;
    let txn = db.begin().await?;
    let mut pairs = PairDeltas::new(round.id, drivers.clone());
    let stored = insert_in(&txn, round, &rules, &mut pairs, valid, receipt_code, None).await?;
    pairs.write(&txn).await?;
    txn.commit().await?;
    Ok(stored)
}

/// Writes one response with its answers and tallies inside `txn`. The first
/// statement is a write, so SQLite takes the write lock at once.
async fn insert_in(
    txn: &impl ConnectionTrait,
    round: &round::Model,
    rules: &QualityRules,
    pairs: &mut PairDeltas,
    valid: &ValidResponse,
    receipt_code: &str,
    import_job_id: Option<i32>,
) -> Result<response::Model, AppError> {
    let stored = response::ActiveModel {
        round_id: Set(round.id),
        receipt_code: Set(receipt_code.to_owned()),
        idempotency_key: Set(valid.idempotency_key.clone()),
        invitation_id: Set(valid.invitation_id),
        respondent_type: Set(valid.respondent_type),
        department_id: Set(valid.department_id),
        procedure_id: Set(valid.procedure_id),
        submission_method: Set(valid.submission_method),
        channel: Set(valid.channel),
        comment: Set(valid.comment.clone()),
        excluded: Set(false),
        submitted_at: Set(valid.submitted_at),
        created_at: Set(Utc::now()),
        import_job_id: Set(import_job_id),
        started_at: Set(valid.started_at),
        completion_seconds: Set(valid.started_at.and_then(|started| {
            i32::try_from((valid.submitted_at - started).num_seconds().max(0)).ok()
        })),
        network_hash: Set(valid.network_hash.clone()),
        ..Default::default()
    }
    .insert(txn)
    .await?;

    if !valid.answers.is_empty() {
        answer::Entity::insert_many(valid.answers.iter().map(|(criterion_id, value)| {
            answer::ActiveModel {
                response_id: Set(stored.id),
                criterion_id: Set(*criterion_id),
                value: Set(*value),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    crate::services::tallies::add(txn, &stored, pairs, &valid.answers, 1).await?;
    crate::services::quality::flag_new(txn, rules, &stored, &valid.index_levels).await?;
    // The comment becomes a feedback item in the same transaction.
    crate::services::feedback::record_survey_comment(txn, &stored).await?;
    Ok(stored)
}

/// Stores already-checked submissions (of an import, when `import_job_id`
/// is given) in one transaction,
/// skipping those whose idempotency key is stored already (the same file
/// uploaded twice). Returns how many were stored now.
#[tracing::instrument(skip_all)]
pub async fn store_batch(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    submissions: Vec<Submission>,
    import_job_id: Option<i32>,
) -> Result<usize, AppError> {
    let now = Utc::now();
    let keys: Vec<String> = submissions
        .iter()
        .filter_map(|s| clean(s.idempotency_key.as_deref()))
        .collect();
    let known: std::collections::HashSet<String> = response::Entity::find()
        .filter(response::Column::RoundId.eq(round.id))
        .filter(response::Column::IdempotencyKey.is_in(keys))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| r.idempotency_key)
        .collect();
    let mut valid = Vec::with_capacity(submissions.len());
    for submission in submissions {
        if clean(submission.idempotency_key.as_deref()).is_some_and(|k| known.contains(&k)) {
            continue;
        }
        valid.push(
            validate(
                db,
                round,
                instrument,
                submission,
                Completeness::Partial,
                now,
            )
            .await?,
        );
    }
    // The pair sums of the whole batch are written once, after its responses.
    let mut pairs = PairDeltas::new(round.id, DriverCriteria::of(instrument));
    let rules = crate::services::settings::quality_rules(db).await?;
    let txn = db.begin().await?;
    for one in &valid {
        insert_in(
            &txn,
            round,
            &rules,
            &mut pairs,
            one,
            &random_code("HL", SECRET_GROUPS),
            import_job_id,
        )
        .await?;
    }
    pairs.write(&txn).await?;
    txn.commit().await?;
    Ok(valid.len())
}

/// Removes every response an import stored, with their tallies (a failed import is undone).
#[tracing::instrument(skip_all)]
pub async fn undo_import(db: &DatabaseConnection, import_job_id: i32) -> Result<(), AppError> {
    let stored = response::Entity::find()
        .filter(response::Column::ImportJobId.eq(import_job_id))
        .all(db)
        .await?;
    let mut drivers_of_round = std::collections::HashMap::new();
    for one in stored {
        if let std::collections::hash_map::Entry::Vacant(slot) =
            drivers_of_round.entry(one.round_id)
        {
            let round = round::Entity::find_by_id(one.round_id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound("round"))?;
            let instrument = crate::services::instruments::load(db, round.instrument_id).await?;
            slot.insert(DriverCriteria::of(&instrument));
        }
        let drivers = &drivers_of_round[&one.round_id];
        let txn = db.begin().await?;
        let answers: Vec<(i32, Option<i16>)> = answer::Entity::find()
            .filter(answer::Column::ResponseId.eq(one.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| (a.criterion_id, a.value))
            .collect();
        let mut pairs = PairDeltas::new(one.round_id, drivers.clone());
        crate::services::tallies::add(&txn, &one, &mut pairs, &answers, -1).await?;
        pairs.write(&txn).await?;
        answer::Entity::delete_many()
            .filter(answer::Column::ResponseId.eq(one.id))
            .exec(&txn)
            .await?;
        crate::services::feedback::remove_for_response(&txn, one.id).await?;
        crate::services::quality::remove_for_response(&txn, one.id).await?;
        response::Entity::delete_by_id(one.id).exec(&txn).await?;
        txn.commit().await?;
    }
    Ok(())
}
