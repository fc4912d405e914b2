//! Taking a response out of every figure (and back), and reading comments.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{answer, response, round};
use crate::model::Problem;
use crate::model::SenderContact;
use crate::privacy::redact;

/// Excludes a response from every figure (`excluded` true) or counts it
/// again, keeping the tallies in step in the same transaction.
#[tracing::instrument(skip_all)]
pub async fn set_excluded(
    db: &DatabaseConnection,
    actor: &crate::services::audit::Actor,
    round: &round::Model,
    receipt_code: &str,
    excluded: bool,
    reason: &str,
) -> Result<(), AppError> {
    let code = crate::public_codes::normalise(receipt_code);
    let found = response::Entity::find()
        .filter(response::Column::RoundId.eq(round.id))
        .filter(response::Column::ReceiptCode.eq(&code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("receipt_code", Problem::InvalidValue))?;
    if reason.trim().is_empty() {
        return Err(AppError::invalid("reason", Problem::Required));
    }
    if found.excluded == excluded {
        return Ok(());
    }
    let txn = db.begin().await?;
    let answers: Vec<(i32, Option<i16>)> = answer::Entity::find()
        .filter(answer::Column::ResponseId.eq(found.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.criterion_id, a.value))
        .collect();
    crate::services::tallies::add(&txn, &found, &answers, if excluded { -1 } else { 1 }).await?;
    let mut active: response::ActiveModel = found.into();
    active.excluded = Set(excluded);
    active.update(&txn).await?;
    let action = if excluded {
        "response.exclude"
    } else {
        "response.restore"
    };
    let after = serde_json::json!({"receipt_code": code, "reason": reason.trim()});
    crate::services::audit::record(
        &txn,
        actor,
        action,
        "response",
        Some(code.clone()),
        None::<&()>,
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The newest comments of a round (after `filter`) that `principal` may
/// read, for the dashboard, with contacts written into them removed.
#[tracing::instrument(skip_all)]
pub async fn recent_comments(
    db: &DatabaseConnection,
    principal: &Principal,
    round_id: i32,
    filter: &crate::services::indices::Filter,
    limit: u64,
) -> Result<Vec<response::Model>, AppError> {
    let mut query = response::Entity::find();
    if let Some(visible) = crate::services::exports::responses_visible_to(principal) {
        query = query.filter(visible);
    }
    query = query
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::Excluded.eq(false))
        .filter(response::Column::Comment.is_not_null());
    if let Some(id) = filter.department_id {
        query = query.filter(response::Column::DepartmentId.eq(id));
    }
    if let Some(id) = filter.procedure_id {
        query = query.filter(response::Column::ProcedureId.eq(id));
    }
    if let Some(code) = &filter.respondent_type {
        query = query.filter(response::Column::RespondentType.eq(code.as_str()));
    }
    if let Some(code) = &filter.channel {
        query = query.filter(response::Column::Channel.eq(code.as_str()));
    }
    let mut comments = query
        .order_by_desc(response::Column::SubmittedAt)
        .limit(limit)
        .all(db)
        .await?;
    for response in &mut comments {
        response.comment = response
            .comment
            .as_deref()
            .map(|c| redact(c, &SenderContact::default()));
    }
    Ok(comments)
}
