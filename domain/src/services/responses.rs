//! Storing a response: checked against the round's instrument and the
//! catalogue, then written in one transaction together with its answers and
//! the tallies that dashboards read. A repeated idempotency key returns the
//! first receipt and stores nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
    SqlErr, TransactionTrait,
};

use crate::AppError;
use crate::entities::{answer, breakdown_tally, response, response_tally, round, tally};
use crate::model::{
    Problem, ProfileField, RespondentType, SubmissionMethod, SurveyChannel, Violation,
};
use crate::public_codes::random_code;
use crate::services::instruments::LoadedInstrument;
use crate::services::{catalogue, instruments, rounds};

/// Longest comment accepted, in characters.
pub const COMMENT_MAX_CHARS: usize = 4000;
/// Longest idempotency key accepted, in characters.
pub const IDEMPOTENCY_KEY_MAX_CHARS: usize = 100;

/// One answer as the client sent it, before it is checked against the scale.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerValue {
    Level(i64),
    NotApplicable,
    /// Present but not a number or "not applicable".
    Unreadable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnswerInput {
    pub code: String,
    pub value: AnswerValue,
}

/// A response as received from the web form, the JSON API or staff entry.
/// Codes are raw text; [`submit`] checks them.
#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub answers: Vec<AnswerInput>,
    pub respondent_type: Option<String>,
    pub department: Option<String>,
    pub procedure: Option<String>,
    pub submission_method: Option<String>,
    /// web when not given.
    pub channel: Option<String>,
    pub comment: Option<String>,
    pub idempotency_key: Option<String>,
    /// Now when not given (staff give the date on a paper form).
    pub submitted_at: Option<DateTime<Utc>>,
    /// The one-use code of an invitation; it answers once.
    pub invitation_code: Option<String>,
    /// The saved draft this submission completes; it is deleted once stored.
    pub draft_code: Option<String>,
}

/// How complete a submission must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    /// Any subset of criteria (paper forms have blanks; API clients decide).
    Partial,
    /// Every criterion of the index and overall sections has a level or "not applicable".
    AllRequired,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub response_id: i32,
    pub code: String,
    pub submitted_at: DateTime<Utc>,
    /// True when an earlier submission with the same idempotency key is returned.
    pub replayed: bool,
}

/// A submission that passed every rule, in storage terms.
#[derive(Clone, Debug)]
struct ValidResponse {
    answers: Vec<(i32, Option<i16>)>,
    respondent_type: RespondentType,
    department_id: Option<i32>,
    procedure_id: Option<i32>,
    submission_method: Option<SubmissionMethod>,
    channel: SurveyChannel,
    comment: Option<String>,
    idempotency_key: Option<String>,
    submitted_at: DateTime<Utc>,
    invitation_id: Option<i32>,
}

/// Stores `submission` in `round`, or says precisely what is wrong with it.
pub async fn submit(
    db: &DatabaseConnection,
    round: &round::Model,
    submission: Submission,
    completeness: Completeness,
) -> Result<Receipt, AppError> {
    let idempotency_key = clean(submission.idempotency_key.as_deref());
    if let Some(key) = &idempotency_key
        && let Some(earlier) = find_by_idempotency_key(db, round.id, key).await?
    {
        return Ok(replay(earlier));
    }
    let now = Utc::now();
    rounds::accepts_responses(round, now)?;
    let instrument = instruments::load(db, round.instrument_id).await?;
    let draft_code = submission.draft_code.clone();
    let valid = validate(db, round.id, &instrument, submission, completeness, now).await?;

    let mut attempts_left = 3;
    loop {
        let receipt_code = random_code("HL", 2);
        match insert(db, round, &valid, &receipt_code).await {
            Ok(stored) => {
                if let Some(code) = &draft_code {
                    crate::services::drafts::delete(db, round.id, code).await?;
                }
                return Ok(Receipt {
                    response_id: stored.id,
                    code: stored.receipt_code,
                    submitted_at: stored.submitted_at,
                    replayed: false,
                });
            }
            Err(err) => match unique_violation(&err) {
                Some(constraint) if constraint.contains("idempotency_key") => {
                    // A concurrent submission with the same key won the race.
                    let key = valid.idempotency_key.as_deref().unwrap_or_default();
                    if let Some(earlier) = find_by_idempotency_key(db, round.id, key).await? {
                        return Ok(replay(earlier));
                    }
                    return Err(err);
                }
                Some(constraint) if constraint.contains("invitation_id") => {
                    return Err(AppError::invalid(
                        "invitation_code",
                        Problem::InvitationUsed,
                    ));
                }
                Some(constraint) if constraint.contains("receipt_code") && attempts_left > 1 => {
                    attempts_left -= 1;
                }
                _ => return Err(err),
            },
        }
    }
}

fn replay(earlier: response::Model) -> Receipt {
    Receipt {
        response_id: earlier.id,
        code: earlier.receipt_code,
        submitted_at: earlier.submitted_at,
        replayed: true,
    }
}

/// The message of a unique-constraint violation (it names the column or constraint).
fn unique_violation(err: &AppError) -> Option<String> {
    match err {
        AppError::Database(db_err) => match db_err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) => Some(message),
            _ => None,
        },
        _ => None,
    }
}

async fn find_by_idempotency_key(
    db: &DatabaseConnection,
    round_id: i32,
    key: &str,
) -> Result<Option<response::Model>, AppError> {
    Ok(response::Entity::find()
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// A response's receipt, for the receipt page.
pub async fn find_receipt(
    db: &DatabaseConnection,
    round_id: i32,
    receipt_code: &str,
) -> Result<Option<Receipt>, AppError> {
    Ok(response::Entity::find()
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::ReceiptCode.eq(receipt_code))
        .one(db)
        .await?
        .map(|r| Receipt {
            response_id: r.id,
            code: r.receipt_code,
            submitted_at: r.submitted_at,
            replayed: false,
        }))
}

fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The violations `submission` would meet, without storing anything
/// (a saved draft shows its errors again).
pub async fn check(
    db: &DatabaseConnection,
    round_id: i32,
    instrument: &LoadedInstrument,
    submission: Submission,
    completeness: Completeness,
) -> Result<Vec<Violation>, AppError> {
    match validate(
        db,
        round_id,
        instrument,
        submission,
        completeness,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Ok(Vec::new()),
        Err(AppError::Invalid(violations)) => Ok(violations),
        Err(other) => Err(other),
    }
}

/// Checks every rule and collects every violation, so that the respondent
/// sees all problems at once.
async fn validate(
    db: &DatabaseConnection,
    round_id: i32,
    instrument: &LoadedInstrument,
    submission: Submission,
    completeness: Completeness,
    now: DateTime<Utc>,
) -> Result<ValidResponse, AppError> {
    let mut violations = Vec::new();

    let mut answers = Vec::with_capacity(submission.answers.len());
    for input in &submission.answers {
        let field = format!("answers.{}", input.code);
        let Some((_, criterion)) = instrument.criterion(&input.code) else {
            violations.push(Violation::new(field, Problem::UnknownCriterion));
            continue;
        };
        let scale = criterion.scale;
        let out_of_range = Problem::OutOfRange {
            max: scale.max(),
            allows_not_applicable: scale.allows_not_applicable(),
        };
        match input.value {
            AnswerValue::Level(level) if (1..=i64::from(scale.max())).contains(&level) => {
                answers.push((criterion.id, Some(level as i16)));
            }
            AnswerValue::NotApplicable if scale.allows_not_applicable() => {
                answers.push((criterion.id, None));
            }
            _ => violations.push(Violation::new(field, out_of_range)),
        }
    }
    if completeness == Completeness::AllRequired {
        for (element, criterion) in instrument.criteria() {
            let answered = submission.answers.iter().any(|a| a.code == criterion.code);
            if element.kind.is_required() && !answered {
                violations.push(Violation::new(
                    format!("answers.{}", criterion.code),
                    Problem::AnswerRequired,
                ));
            }
        }
    }

    let respondent_type = match clean(submission.respondent_type.as_deref()) {
        None => {
            violations.push(Violation::new(
                "respondent.type",
                Problem::RespondentTypeRequired,
            ));
            None
        }
        Some(code) => {
            let parsed = RespondentType::parse(&code);
            if parsed.is_none() {
                violations.push(Violation::new("respondent.type", Problem::InvalidValue));
            }
            parsed
        }
    };

    let mut department = None;
    if let Some(code) = clean(submission.department.as_deref()) {
        department = catalogue::department_by_code(db, &code).await?;
        if department.is_none() {
            violations.push(Violation::new(
                "respondent.department",
                Problem::UnknownDepartment,
            ));
        }
    }
    let mut procedure = None;
    if let Some(code) = clean(submission.procedure.as_deref()) {
        procedure = catalogue::procedure_by_code(db, &code).await?;
        match (&procedure, &department) {
            (None, _) => violations.push(Violation::new(
                "respondent.procedure",
                Problem::UnknownProcedure,
            )),
            (Some(p), Some(d)) if p.department_id != d.id => violations.push(Violation::new(
                "respondent.procedure",
                Problem::ProcedureDepartmentMismatch,
            )),
            _ => {}
        }
    }
    // The procedure tells the department when the respondent did not.
    let department_id = department
        .as_ref()
        .map(|d| d.id)
        .or(procedure.as_ref().map(|p| p.department_id));
    let asks_where = instrument
        .profile_fields()
        .iter()
        .any(|f| matches!(f, ProfileField::Department | ProfileField::Procedure));
    if completeness == Completeness::AllRequired
        && asks_where
        && department_id.is_none()
        && clean(submission.department.as_deref()).is_none()
        && clean(submission.procedure.as_deref()).is_none()
    {
        violations.push(Violation::new(
            "respondent.department",
            Problem::DepartmentRequired,
        ));
    }

    let submission_method = match clean(submission.submission_method.as_deref()) {
        None => None,
        Some(code) => {
            let parsed = SubmissionMethod::parse(&code);
            if parsed.is_none() {
                violations.push(Violation::new(
                    "respondent.submission_method",
                    Problem::InvalidValue,
                ));
            }
            parsed
        }
    };
    let channel = match clean(submission.channel.as_deref()) {
        None => Some(SurveyChannel::Web),
        Some(code) => {
            let parsed = SurveyChannel::parse(&code);
            if parsed.is_none() {
                violations.push(Violation::new("respondent.channel", Problem::InvalidValue));
            }
            parsed
        }
    };

    let comment = clean(submission.comment.as_deref());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > COMMENT_MAX_CHARS)
    {
        violations.push(Violation::new(
            "comment",
            Problem::TooLong {
                max: COMMENT_MAX_CHARS,
            },
        ));
    }
    let idempotency_key = clean(submission.idempotency_key.as_deref());
    if idempotency_key
        .as_ref()
        .is_some_and(|k| k.chars().count() > IDEMPOTENCY_KEY_MAX_CHARS)
    {
        violations.push(Violation::new(
            "idempotency_key",
            Problem::TooLong {
                max: IDEMPOTENCY_KEY_MAX_CHARS,
            },
        ));
    }

    let mut invitation_id = None;
    if let Some(code) = clean(submission.invitation_code.as_deref()) {
        match crate::services::invitations::find(db, round_id, &code).await? {
            None => violations.push(Violation::new(
                "invitation_code",
                Problem::UnknownInvitation,
            )),
            Some(invitation) => {
                let used = response::Entity::find()
                    .filter(response::Column::InvitationId.eq(invitation.id))
                    .one(db)
                    .await?
                    .is_some();
                if used {
                    violations.push(Violation::new("invitation_code", Problem::InvitationUsed));
                }
                invitation_id = Some(invitation.id);
            }
        }
    }

    match (respondent_type, channel) {
        (Some(respondent_type), Some(channel)) if violations.is_empty() => Ok(ValidResponse {
            answers,
            respondent_type,
            department_id,
            procedure_id: procedure.map(|p| p.id),
            submission_method,
            channel,
            comment,
            idempotency_key,
            submitted_at: submission.submitted_at.unwrap_or(now),
            invitation_id,
        }),
        _ => Err(AppError::Invalid(violations)),
    }
}

/// Writes the response, its answers and the tallies in one transaction.
async fn insert(
    db: &DatabaseConnection,
    round: &round::Model,
    valid: &ValidResponse,
    receipt_code: &str,
) -> Result<response::Model, AppError> {
    let txn = db.begin().await?;
    let stored = insert_in(&txn, round, valid, receipt_code, None).await?;
    txn.commit().await?;
    Ok(stored)
}

/// Writes one response with its answers and tallies inside `txn`. The first
/// statement is a write, so SQLite takes the write lock at once.
async fn insert_in(
    txn: &impl sea_orm::ConnectionTrait,
    round: &round::Model,
    valid: &ValidResponse,
    receipt_code: &str,
    import_job_id: Option<i32>,
) -> Result<response::Model, AppError> {
    let stored = response::ActiveModel {
        round_id: Set(round.id),
        receipt_code: Set(receipt_code.to_owned()),
        idempotency_key: Set(valid.idempotency_key.clone()),
        invitation_id: Set(valid.invitation_id),
        respondent_type: Set(valid.respondent_type.code().to_owned()),
        department_id: Set(valid.department_id),
        procedure_id: Set(valid.procedure_id),
        submission_method: Set(valid.submission_method.map(|m| m.code().to_owned())),
        channel: Set(valid.channel.code().to_owned()),
        comment: Set(valid.comment.clone()),
        excluded: Set(false),
        submitted_at: Set(valid.submitted_at),
        created_at: Set(Utc::now()),
        import_job_id: Set(import_job_id),
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
    add_to_tallies(txn, &stored, &valid.answers, 1).await?;
    // The comment becomes a feedback item in the same transaction.
    crate::services::feedback::record_survey_comment(txn, &stored).await?;
    Ok(stored)
}

/// Stores already-checked submissions (of an import, when `import_job_id`
/// is given) in one transaction,
/// skipping those whose idempotency key is stored already (the same file
/// uploaded twice). Returns how many were stored now.
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
                round.id,
                instrument,
                submission,
                Completeness::Partial,
                now,
            )
            .await?,
        );
    }
    let txn = db.begin().await?;
    for one in &valid {
        insert_in(&txn, round, one, &random_code("HL", 2), import_job_id).await?;
    }
    txn.commit().await?;
    Ok(valid.len())
}

/// Removes every response an import stored, with their tallies (a failed import is undone).
pub async fn undo_import(db: &DatabaseConnection, import_job_id: i32) -> Result<(), AppError> {
    let stored = response::Entity::find()
        .filter(response::Column::ImportJobId.eq(import_job_id))
        .all(db)
        .await?;
    for one in stored {
        let txn = db.begin().await?;
        let answers: Vec<(i32, Option<i16>)> = answer::Entity::find()
            .filter(answer::Column::ResponseId.eq(one.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| (a.criterion_id, a.value))
            .collect();
        add_to_tallies(&txn, &one, &answers, -1).await?;
        answer::Entity::delete_many()
            .filter(answer::Column::ResponseId.eq(one.id))
            .exec(&txn)
            .await?;
        crate::services::feedback::remove_for_response(&txn, one.id).await?;
        response::Entity::delete_by_id(one.id).exec(&txn).await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Adds `delta` (1 for a new response, −1 for an excluded one) to the tallies
/// of `response`'s answers and to the response count of its dimensions.
/// Rows are written in criterion order so that concurrent PostgreSQL
/// transactions lock them in the same order and never deadlock.
pub async fn add_to_tallies(
    txn: &impl sea_orm::ConnectionTrait,
    response: &response::Model,
    answers: &[(i32, Option<i16>)],
    delta: i64,
) -> Result<(), DbErr> {
    let department_id = response.department_id.unwrap_or(0);
    let procedure_id = response.procedure_id.unwrap_or(0);
    let submission_method = response.submission_method.clone().unwrap_or_default();

    let mut sorted: Vec<_> = answers.to_vec();
    sorted.sort_unstable();
    if !sorted.is_empty() {
        tally::Entity::insert_many(
            sorted
                .iter()
                .map(|(criterion_id, value)| tally::ActiveModel {
                    round_id: Set(response.round_id),
                    criterion_id: Set(*criterion_id),
                    department_id: Set(department_id),
                    procedure_id: Set(procedure_id),
                    respondent_type: Set(response.respondent_type.clone()),
                    channel: Set(response.channel.clone()),
                    submission_method: Set(submission_method.clone()),
                    level: Set(value.unwrap_or(0)),
                    count: Set(delta),
                }),
        )
        .on_conflict(
            OnConflict::columns([
                tally::Column::RoundId,
                tally::Column::CriterionId,
                tally::Column::DepartmentId,
                tally::Column::ProcedureId,
                tally::Column::RespondentType,
                tally::Column::Channel,
                tally::Column::SubmissionMethod,
                tally::Column::Level,
            ])
            .value(
                tally::Column::Count,
                Expr::cust("tallies.count + excluded.count"),
            )
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;

        // The same answers summed along each dimension, in key order (for
        // the same lock order as above).
        let mut breakdowns = Vec::new();
        for (dimension, value) in crate::services::tallies::breakdown_values(
            department_id.into(),
            procedure_id.into(),
            &response.respondent_type,
            &response.channel,
        ) {
            for (criterion_id, level) in &sorted {
                breakdowns.push((dimension, value.clone(), *criterion_id, level.unwrap_or(0)));
            }
        }
        breakdowns.sort_unstable();
        breakdown_tally::Entity::insert_many(breakdowns.into_iter().map(
            |(dimension, value, criterion_id, level)| breakdown_tally::ActiveModel {
                round_id: Set(response.round_id),
                dimension: Set(dimension.to_owned()),
                value: Set(value),
                criterion_id: Set(criterion_id),
                level: Set(level),
                count: Set(delta),
            },
        ))
        .on_conflict(
            OnConflict::columns([
                breakdown_tally::Column::RoundId,
                breakdown_tally::Column::Dimension,
                breakdown_tally::Column::Value,
                breakdown_tally::Column::CriterionId,
                breakdown_tally::Column::Level,
            ])
            .value(
                breakdown_tally::Column::Count,
                Expr::cust("breakdown_tallies.count + excluded.count"),
            )
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    }

    response_tally::Entity::insert(response_tally::ActiveModel {
        round_id: Set(response.round_id),
        department_id: Set(department_id),
        procedure_id: Set(procedure_id),
        respondent_type: Set(response.respondent_type.clone()),
        channel: Set(response.channel.clone()),
        submission_method: Set(submission_method),
        count: Set(delta),
    })
    .on_conflict(
        OnConflict::columns([
            response_tally::Column::RoundId,
            response_tally::Column::DepartmentId,
            response_tally::Column::ProcedureId,
            response_tally::Column::RespondentType,
            response_tally::Column::Channel,
            response_tally::Column::SubmissionMethod,
        ])
        .value(
            response_tally::Column::Count,
            Expr::cust("response_tallies.count + excluded.count"),
        )
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Excludes a response from every figure (`excluded` true) or counts it
/// again, keeping the tallies in step in the same transaction.
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
    add_to_tallies(&txn, &found, &answers, if excluded { -1 } else { 1 }).await?;
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

/// The newest comments of a round (after `filter`), for the dashboard.
pub async fn recent_comments(
    db: &DatabaseConnection,
    round_id: i32,
    filter: &crate::services::indices::Filter,
    limit: u64,
) -> Result<Vec<response::Model>, AppError> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut query = response::Entity::find()
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
    Ok(query
        .order_by_desc(response::Column::SubmittedAt)
        .limit(limit)
        .all(db)
        .await?)
}
