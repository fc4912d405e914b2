//! The rules a submission must meet. Every rule is checked and every
//! violation collected, so that the respondent sees all problems at once;
//! each violation names its [`SurveyField`].

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{AnswerValue, COMMENT_MAX_CHARS, Completeness, IDEMPOTENCY_KEY_MAX_CHARS, Submission};
use crate::AppError;
use crate::entities::{department, procedure, response, round};
use crate::model::{
    Problem, ProfileField, RespondentType, SubmissionMethod, SurveyChannel, SurveyField, Violation,
};
use crate::services::catalogue;
use crate::services::instruments::LoadedInstrument;
use crate::services::rounds::{self, RoundScope};

/// A submission that passed every rule, in storage terms.
#[derive(Clone, Debug)]
pub(super) struct ValidResponse {
    pub answers: Vec<(i32, Option<i16>)>,
    pub respondent_type: RespondentType,
    pub department_id: Option<i32>,
    pub procedure_id: Option<i32>,
    pub submission_method: Option<SubmissionMethod>,
    pub channel: SurveyChannel,
    pub comment: Option<String>,
    pub idempotency_key: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub invitation_id: Option<i32>,
    /// When the web form was drawn (a verified stamp), for the completion time.
    pub started_at: Option<DateTime<Utc>>,
    pub network_hash: Option<String>,
    /// The valid levels of the index criteria, for the straight-lining check.
    pub index_levels: Vec<u8>,
}

/// Trimmed text, `None` when empty.
pub(super) fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Checks `submission` against every rule.
pub(super) async fn validate(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    submission: Submission,
    completeness: Completeness,
    now: DateTime<Utc>,
) -> Result<ValidResponse, AppError> {
    let mut violations = Vec::new();
    if submission.answers.is_empty() {
        violations.push(Violation::new("answers", Problem::NoAnswer));
    }
    let answers = check_answers(instrument, &submission, completeness, &mut violations);
    let scope = rounds::scope(db, round).await?;
    let respondent_type = check_respondent_type(&submission, &scope, &mut violations);
    let (department, procedure) = check_catalogue(
        db,
        instrument,
        &scope,
        &submission,
        completeness,
        &mut violations,
    )
    .await?;
    let submission_method = parse_code(
        &submission.submission_method,
        SurveyField::SubmissionMethod,
        SubmissionMethod::parse,
        &mut violations,
    );
    let channel = match clean(submission.channel.as_deref()) {
        None => Some(SurveyChannel::Web),
        Some(_) => parse_code(
            &submission.channel,
            SurveyField::Channel,
            SurveyChannel::parse,
            &mut violations,
        ),
    };
    let comment = check_length(
        &submission.comment,
        SurveyField::Comment,
        COMMENT_MAX_CHARS,
        &mut violations,
    );
    let idempotency_key = check_length(
        &submission.idempotency_key,
        SurveyField::IdempotencyKey,
        IDEMPOTENCY_KEY_MAX_CHARS,
        &mut violations,
    );
    let invitation_id = check_invitation(db, round.id, &submission, &mut violations).await?;

    let index_criteria: std::collections::HashSet<i32> = instrument
        .criteria()
        .filter(|(element, _)| element.kind == crate::model::ElementKind::Index)
        .map(|(_, criterion)| criterion.id)
        .collect();
    let index_levels = answers
        .iter()
        .filter(|(id, _)| index_criteria.contains(id))
        .filter_map(|(_, value)| value.and_then(|v| u8::try_from(v).ok()))
        .collect();
    match (respondent_type, channel) {
        (Some(respondent_type), Some(channel)) if violations.is_empty() => Ok(ValidResponse {
            index_levels,
            // Only a web response is timed and placed in a network.
            started_at: submission
                .started_at
                .filter(|_| channel == SurveyChannel::Web),
            network_hash: submission
                .network_hash
                .clone()
                .filter(|_| channel == SurveyChannel::Web),
            answers,
            respondent_type,
            // The procedure tells the department when the respondent did not.
            department_id: department
                .as_ref()
                .map(|d| d.id)
                .or(procedure.as_ref().map(|p| p.department_id)),
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

/// Each answer on its criterion's scale; with [`Completeness::AllRequired`],
/// every criterion of the index and overall sections answered.
fn check_answers(
    instrument: &LoadedInstrument,
    submission: &Submission,
    completeness: Completeness,
    violations: &mut Vec<Violation>,
) -> Vec<(i32, Option<i16>)> {
    let mut answers = Vec::with_capacity(submission.answers.len());
    for input in &submission.answers {
        let field = SurveyField::Answer(input.code.clone());
        let Some((_, criterion)) = instrument.criterion(&input.code) else {
            violations.push(Violation::new(field, Problem::UnknownCriterion));
            continue;
        };
        let scale = criterion.scale;
        match input.value {
            AnswerValue::Level(level) if (1..=i64::from(scale.max())).contains(&level) => {
                answers.push((criterion.id, Some(level as i16)));
            }
            AnswerValue::NotApplicable if scale.allows_not_applicable() => {
                answers.push((criterion.id, None));
            }
            _ => violations.push(Violation::new(
                field,
                Problem::OutOfRange {
                    max: scale.max(),
                    allows_not_applicable: scale.allows_not_applicable(),
                },
            )),
        }
    }
    if completeness == Completeness::AllRequired {
        for (element, criterion) in instrument.criteria() {
            let answered = submission.answers.iter().any(|a| a.code == criterion.code);
            if element.kind.is_required() && !answered {
                violations.push(Violation::new(
                    SurveyField::Answer(criterion.code.clone()),
                    Problem::AnswerRequired,
                ));
            }
        }
    }
    answers
}

/// A respondent type is required, and must be one the round's audience admits.
fn check_respondent_type(
    submission: &Submission,
    scope: &RoundScope,
    violations: &mut Vec<Violation>,
) -> Option<RespondentType> {
    if clean(submission.respondent_type.as_deref()).is_none() {
        violations.push(Violation::new(
            SurveyField::RespondentType,
            Problem::RespondentTypeRequired,
        ));
        return None;
    }
    let kind = parse_code(
        &submission.respondent_type,
        SurveyField::RespondentType,
        RespondentType::parse,
        violations,
    )?;
    if !scope.admits_respondent(kind) {
        violations.push(Violation::new(
            SurveyField::RespondentType,
            Problem::RespondentTypeOutsideRound,
        ));
    }
    Some(kind)
}

/// A code from a closed set: `None` when not given, a violation when unknown.
fn parse_code<T>(
    text: &Option<String>,
    field: SurveyField,
    parse: impl Fn(&str) -> Option<T>,
    violations: &mut Vec<Violation>,
) -> Option<T> {
    let code = clean(text.as_deref())?;
    let parsed = parse(&code);
    if parsed.is_none() {
        violations.push(Violation::new(field, Problem::InvalidValue));
    }
    parsed
}

/// Trimmed text of at most `max` characters.
fn check_length(
    text: &Option<String>,
    field: SurveyField,
    max: usize,
    violations: &mut Vec<Violation>,
) -> Option<String> {
    let text = clean(text.as_deref());
    if text.as_ref().is_some_and(|t| t.chars().count() > max) {
        violations.push(Violation::new(field, Problem::TooLong { max }));
    }
    text
}

/// The department and procedure from the agency's catalogue: both known and
/// not retired, the procedure of that department, both inside the round's
/// scope, and one of them given when the instrument asks where the service
/// was used.
async fn check_catalogue(
    db: &DatabaseConnection,
    instrument: &LoadedInstrument,
    scope: &RoundScope,
    submission: &Submission,
    completeness: Completeness,
    violations: &mut Vec<Violation>,
) -> Result<(Option<department::Model>, Option<procedure::Model>), AppError> {
    let department_code = clean(submission.department.as_deref());
    let procedure_code = clean(submission.procedure.as_deref());
    let mut department = None;
    if let Some(code) = &department_code {
        department = catalogue::department_by_code(db, code).await?;
        let problem = match &department {
            None => Some(Problem::UnknownDepartment),
            Some(d) if !d.active => Some(Problem::RetiredDepartment),
            Some(d) if !scope.admits_department(d.id) => Some(Problem::DepartmentOutsideRound),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            violations.push(Violation::new(SurveyField::Department, problem));
        }
    }
    let mut procedure = None;
    if let Some(code) = &procedure_code {
        procedure = catalogue::procedure_by_code(db, code).await?;
        match (&procedure, &department) {
            (None, _) => violations.push(Violation::new(
                SurveyField::Procedure,
                Problem::UnknownProcedure,
            )),
            (Some(p), Some(d)) if p.department_id != d.id => violations.push(Violation::new(
                SurveyField::Procedure,
                Problem::ProcedureDepartmentMismatch,
            )),
            (Some(p), _) if !p.active => violations.push(Violation::new(
                SurveyField::Procedure,
                Problem::RetiredProcedure,
            )),
            (Some(p), None) if !scope.admits_department(p.department_id) => violations.push(
                Violation::new(SurveyField::Procedure, Problem::DepartmentOutsideRound),
            ),
            _ => {}
        }
    }
    let asks_where = instrument
        .profile_fields()
        .iter()
        .any(|f| matches!(f, ProfileField::Department | ProfileField::Procedure));
    if completeness == Completeness::AllRequired
        && asks_where
        && department_code.is_none()
        && procedure_code.is_none()
    {
        violations.push(Violation::new(
            SurveyField::Department,
            Problem::DepartmentRequired,
        ));
    }
    Ok((department, procedure))
}

/// An invitation code of this round that has not answered yet.
async fn check_invitation(
    db: &DatabaseConnection,
    round_id: i32,
    submission: &Submission,
    violations: &mut Vec<Violation>,
) -> Result<Option<i32>, AppError> {
    let Some(code) = clean(submission.invitation_code.as_deref()) else {
        return Ok(None);
    };
    let Some(invitation) = crate::services::invitations::find(db, round_id, &code).await? else {
        violations.push(Violation::new(
            SurveyField::InvitationCode,
            Problem::InvitationUnusable,
        ));
        return Ok(None);
    };
    let used = response::Entity::find()
        .filter(response::Column::InvitationId.eq(invitation.id))
        .one(db)
        .await?
        .is_some();
    if used {
        violations.push(Violation::new(
            SurveyField::InvitationCode,
            Problem::InvitationUnusable,
        ));
    }
    Ok(Some(invitation.id))
}
