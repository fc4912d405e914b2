//! Taking a response out of every figure (and back), and reading comments.
//!
//! Staff ask for a response of their departments to be left out, with a
//! reason, while the round is still taking responses; a leader confirms (the
//! response then leaves every figure) or declines. A leader may also leave
//! a response out, or count it again, at once: the decision is theirs.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{answer, response, round};
use crate::error::Conflict;
use crate::model::{PendingExclusion, Problem, Role, RoundStatus, SenderContact};
use crate::privacy::redact;
use crate::services::audit::Actor;

/// What is decided about a response's place in the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExclusionStep {
    /// Ask for the response to be left out (staff); a leader's request is
    /// its own confirmation.
    Propose,
    /// Leave the proposed response out (leader).
    Confirm,
    /// Keep counting it and drop the proposal (leader).
    Decline,
    /// Count a left-out response again (leader).
    Restore,
}

/// Takes one [`ExclusionStep`] on the response `receipt_code` of `round`,
/// keeping the tallies in step in the same transaction.
#[tracing::instrument(skip_all)]
pub async fn decide_exclusion(
    db: &DatabaseConnection,
    principal: &Principal,
    round: &round::Model,
    receipt_code: &str,
    step: ExclusionStep,
    reason: &str,
    ip: &str,
) -> Result<(), AppError> {
    let code = crate::public_codes::normalise(receipt_code);
    let found = response::Entity::find()
        .filter(response::Column::RoundId.eq(round.id))
        .filter(response::Column::ReceiptCode.eq(&code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("receipt_code", Problem::InvalidValue))?;
    let reason = reason.trim();
    let leader = principal.role == Role::Leader;
    match step {
        ExclusionStep::Propose | ExclusionStep::Restore if reason.is_empty() => {
            return Err(AppError::invalid("reason", Problem::Required));
        }
        ExclusionStep::Propose if !leader => may_propose(principal, round, &found)?,
        ExclusionStep::Propose => {}
        _ if !leader => return Err(AppError::Forbidden),
        ExclusionStep::Confirm | ExclusionStep::Decline
            if found.exclusion_proposed_by.is_none() || found.excluded =>
        {
            return Err(AppError::Conflict {
                code: Conflict::ExclusionNotProposed,
                message: format!("No exclusion of {code} waits for a decision."),
            });
        }
        _ => {}
    }
    let excluded_after = match step {
        ExclusionStep::Propose => leader,
        ExclusionStep::Confirm => true,
        ExclusionStep::Decline | ExclusionStep::Restore => false,
    };
    let stored_reason = match step {
        ExclusionStep::Propose | ExclusionStep::Restore => reason.to_owned(),
        _ => found.exclusion_reason.clone().unwrap_or_default(),
    };
    if step == ExclusionStep::Propose && (found.excluded || found.exclusion_proposed_by.is_some()) {
        return Ok(());
    }
    if step == ExclusionStep::Restore && !found.excluded {
        return Ok(());
    }

    let txn = db.begin().await?;
    if excluded_after != found.excluded {
        let instrument = crate::services::instruments::load(&txn, round.instrument_id).await?;
        let mut pairs = crate::services::pair_sums::PairDeltas::new(
            round.id,
            crate::services::pair_sums::DriverCriteria::of(&instrument),
        );
        count_in_figures(&txn, &mut pairs, &found, !excluded_after).await?;
        pairs.write(&txn).await?;
    }
    let mut active: response::ActiveModel = found.into();
    active.excluded = Set(excluded_after);
    match step {
        ExclusionStep::Propose => {
            active.exclusion_reason = Set(Some(stored_reason.clone()));
            active.exclusion_proposed_by = Set(principal.user_id);
            active.exclusion_proposed_at = Set(Some(Utc::now()));
        }
        ExclusionStep::Confirm => {}
        ExclusionStep::Decline | ExclusionStep::Restore => {
            active.exclusion_reason = Set(None);
            active.exclusion_proposed_by = Set(None);
            active.exclusion_proposed_at = Set(None);
        }
    }
    active.update(&txn).await?;
    let action = match (step, leader) {
        (ExclusionStep::Propose, false) => "response.exclusion_proposed",
        (ExclusionStep::Propose, true) | (ExclusionStep::Confirm, _) => "response.exclude",
        (ExclusionStep::Decline, _) => "response.exclusion_declined",
        (ExclusionStep::Restore, _) => "response.restore",
    };
    let after = serde_json::json!({"receipt_code": code, "reason": stored_reason});
    crate::services::audit::record(
        &txn,
        &Actor::of(principal, ip),
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

/// Takes `found` out of every tally (`counted` false) or puts it back
/// (`counted` true), inside `txn`, and adds its pair sums to `pairs`,
/// which the caller writes once for all the responses it moves. The
/// caller sets `excluded`.
pub(crate) async fn count_in_figures(
    txn: &impl ConnectionTrait,
    pairs: &mut crate::services::pair_sums::PairDeltas,
    found: &response::Model,
    counted: bool,
) -> Result<(), AppError> {
    let answers: Vec<(i32, Option<i16>)> = answer::Entity::find()
        .filter(answer::Column::ResponseId.eq(found.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| (a.criterion_id, a.value))
        .collect();
    let delta = if counted { 1 } else { -1 };
    crate::services::tallies::add(txn, found, pairs, &answers, delta).await?;
    Ok(())
}

/// Staff ask only for responses of their departments, and only while the
/// round still takes responses.
pub(crate) fn may_propose(
    principal: &Principal,
    round: &round::Model,
    found: &response::Model,
) -> Result<(), AppError> {
    let own = principal.role == Role::Admin
        || found
            .department_id
            .is_some_and(|id| principal.department_ids.contains(&id));
    if !own {
        return Err(AppError::Forbidden);
    }
    if matches!(
        crate::services::rounds::status(round),
        RoundStatus::Closed | RoundStatus::Published
    ) {
        return Err(AppError::Conflict {
            code: Conflict::ExclusionAfterClose,
            message: format!(
                "Round {} is closed: only a leader may still leave a response out.",
                round.slug
            ),
        });
    }
    Ok(())
}

/// Exclusions that wait for a leader's decision, oldest first.
pub async fn pending_exclusions(
    db: &DatabaseConnection,
    round_id: i32,
) -> Result<Vec<PendingExclusion>, AppError> {
    // `exclusion_proposed_by IS NOT NULL` is the condition of the partial
    // index `ix_responses_exclusion_proposed`, which holds only these rows.
    let waiting = response::Entity::find()
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::ExclusionProposedBy.is_not_null())
        .filter(response::Column::Excluded.eq(false))
        .order_by_asc(response::Column::ExclusionProposedAt)
        .all(db)
        .await?;
    let mut pending = Vec::with_capacity(waiting.len());
    for r in waiting {
        let proposer = match r.exclusion_proposed_by {
            Some(id) => crate::entities::user::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|u| u.display_name),
            None => None,
        };
        pending.push(PendingExclusion {
            receipt_code: r.receipt_code,
            reason: r.exclusion_reason.unwrap_or_default(),
            proposed_by: proposer.unwrap_or_default(),
            proposed_at: r
                .exclusion_proposed_at
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
        });
    }
    Ok(pending)
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
    query = matching_filter(query, filter);
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

/// How many responses of the round (after `filter`) are left out of the figures.
pub async fn excluded_count(
    db: &impl ConnectionTrait,
    round_id: i32,
    filter: &crate::services::indices::Filter,
) -> Result<u64, AppError> {
    // `excluded` written literally, as the partial index `ix_responses_excluded`
    // says it: a bound `excluded = ?` cannot use that index.
    let query = response::Entity::find()
        .filter(response::Column::RoundId.eq(round_id))
        .filter(Expr::cust("responses.excluded"));
    Ok(matching_filter(query, filter).count(db).await?)
}

/// `query` restricted to the responses that `filter` names.
fn matching_filter(
    mut query: sea_orm::Select<response::Entity>,
    filter: &crate::services::indices::Filter,
) -> sea_orm::Select<response::Entity> {
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
    query
}
