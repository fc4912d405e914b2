//! What can be wrong with a request: a field and its problem, and the typed code of a refusal.

#[allow(unused_imports)]
use super::*;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// A message about one field of a form or request, in the user's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field as named in the form or JSON body, e.g. `answers.A1`.
    pub field: String,
    pub message: String,
}

/// What is wrong with one field of a submission; worded per language by [`Violation::message`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// A required field is missing or empty.
    Required,
    /// A required criterion has neither a level nor "not applicable".
    AnswerRequired,
    /// A required single choice was not made.
    ChoiceRequired,
    RespondentTypeRequired,
    DepartmentRequired,
    /// Not one of the allowed codes.
    InvalidValue,
    /// Not an integer from 1 to `max` (or null where "not applicable" is allowed).
    OutOfRange {
        max: u8,
        allows_not_applicable: bool,
    },
    UnknownCriterion,
    /// A whole number outside `min..=max` (e.g. days of a retention period).
    NumberOutOfRange {
        min: u32,
        max: u32,
    },
    UnknownDepartment,
    UnknownProcedure,
    ProcedureDepartmentMismatch,
    /// A department or procedure retired from the catalogue: kept for the
    /// history, refused on new records.
    RetiredDepartment,
    RetiredProcedure,
    /// A department (or a procedure of one) outside the round's scope.
    DepartmentOutsideRound,
    /// A respondent type outside the round's audience.
    RespondentTypeOutsideRound,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    /// Another record already uses this value.
    Duplicate,
    /// No invitation of this round has this code, or a response was stored
    /// with it already: both answer alike, so that trying codes tells
    /// nobody which exist.
    InvitationUnusable,
    /// Not an email address.
    InvalidEmail,
    /// Not a Vietnamese phone number.
    InvalidPhone,
    /// A time after now.
    InTheFuture,
    /// Not a time in a format the files and the API take.
    UnreadableTime,
    /// A time of a dossier earlier than its reception.
    BeforeReceived,
    /// No feedback item has this tracking code.
    UnknownTrackingCode,
    /// No completed dossier has this code.
    UnknownDossier,
    /// The dossier has its rating already.
    DossierAlreadyRated,
    /// The rating period of the dossier is over.
    RatingClosed,
    /// No counter kiosk has this id.
    UnknownKiosk,
    /// Only staff typing in a paper, phone or kiosk response may set this.
    StaffOnly,
    /// Weighted figures cover the whole round; a filter cannot go with them.
    WeightedWholeRoundOnly,
    /// A response without a single answer.
    NoAnswer,
    /// An action is planned only for a criterion below its target or
    /// significantly lower than in the previous round.
    NotAWeakCriterion,
    /// A bulk action with nothing ticked.
    NothingChosen,
    /// Not a full http(s) address (a webhook's).
    NotAWebAddress,
    /// The body could not be read at all; the text says where.
    Malformed(String),
    /// A message template that cannot be read (Jinja syntax), or that fails
    /// when rendered with made-up data; `line` counts from 1.
    TemplateSyntax {
        line: usize,
        detail: String,
    },
    /// A template names a variable its kind of message does not have.
    UnknownVariable {
        name: String,
    },
    /// A template leaves out a variable its kind of message cannot do
    /// without (the link the message exists to carry).
    MissingVariable {
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub field: String,
    pub problem: Problem,
}

impl Violation {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        match &self.problem {
            Problem::Required => t.err_required.to_owned(),
            Problem::AnswerRequired => t.err_answer_required.to_owned(),
            Problem::ChoiceRequired => t.err_choice_required.to_owned(),
            Problem::RespondentTypeRequired => t.err_respondent_type_required.to_owned(),
            Problem::DepartmentRequired => t.err_department_required.to_owned(),
            Problem::InvalidValue => t.err_invalid_value.to_owned(),
            Problem::OutOfRange {
                max,
                allows_not_applicable,
            } => lang.out_of_range(*max, *allows_not_applicable),
            Problem::UnknownCriterion => t.err_unknown_criterion.to_owned(),
            Problem::NumberOutOfRange { min, max } => lang.number_out_of_range(*min, *max),
            Problem::UnknownDepartment => t.err_unknown_department.to_owned(),
            Problem::UnknownProcedure => t.err_unknown_procedure.to_owned(),
            Problem::ProcedureDepartmentMismatch => t.err_procedure_department.to_owned(),
            Problem::RetiredDepartment => t.err_retired_department.to_owned(),
            Problem::RetiredProcedure => t.err_retired_procedure.to_owned(),
            Problem::DepartmentOutsideRound => t.err_department_outside_round.to_owned(),
            Problem::RespondentTypeOutsideRound => t.err_respondent_type_outside_round.to_owned(),
            Problem::TooLong { max } => lang.too_long(*max),
            Problem::TooShort { min } => lang.too_short(*min),
            Problem::Duplicate => t.err_duplicate.to_owned(),
            Problem::InvitationUnusable => t.err_invitation_unusable.to_owned(),
            Problem::InvalidEmail => t.err_email.to_owned(),
            Problem::InvalidPhone => t.err_phone.to_owned(),
            Problem::InTheFuture => t.err_in_the_future.to_owned(),
            Problem::UnreadableTime => lang.dossier_texts().err_unreadable_time.to_owned(),
            Problem::BeforeReceived => lang.dossier_texts().err_before_received.to_owned(),
            Problem::UnknownTrackingCode => t.err_unknown_tracking_code.to_owned(),
            Problem::UnknownDossier => lang.kiosk_texts().err_unknown_dossier.to_owned(),
            Problem::DossierAlreadyRated => lang.kiosk_texts().err_already_rated.to_owned(),
            Problem::RatingClosed => lang.kiosk_texts().err_rating_closed.to_owned(),
            Problem::UnknownKiosk => lang.kiosk_texts().err_unknown_kiosk.to_owned(),
            Problem::StaffOnly => t.err_staff_only.to_owned(),
            Problem::WeightedWholeRoundOnly => t.weighted_whole_round.to_owned(),
            Problem::NoAnswer => t.err_no_answer.to_owned(),
            Problem::NotAWeakCriterion => lang.action_texts().err_not_weak.to_owned(),
            Problem::NothingChosen => lang.quality_texts().err_nothing_chosen.to_owned(),
            Problem::NotAWebAddress => lang.webhook_texts().err_not_a_web_address.to_owned(),
            Problem::Malformed(detail) => detail.clone(),
            Problem::TemplateSyntax { line, detail } => lang.template_syntax(*line, detail),
            Problem::UnknownVariable { name } => lang.unknown_variable(name),
            Problem::MissingVariable { name } => lang.missing_variable(name),
        }
    }

    pub fn to_field_error(&self, lang: Lang) -> FieldError {
        FieldError {
            field: self.field.clone(),
            message: self.message(lang),
        }
    }
}

codes! {
    /// Why the state of things refuses a well-formed request: the stable
    /// `code` of a 409 answer.
    Conflict {
        RoundNotOpen => "round_not_open",
        RoundClosed => "round_closed",
        RoundNotClosed => "round_not_closed",
        RoundNotDraft => "round_not_draft",
        RoundPublished => "round_published",
        IllegalTransition => "illegal_transition",
        InstrumentFrozen => "instrument_frozen",
        UsernameTaken => "username_taken",
        OwnAccount => "own_account",
        FeedbackTransition => "feedback_transition",
        FeedbackNotInScope => "feedback_not_in_scope",
        FeedbackNeedsAnswer => "feedback_needs_answer",
        FeedbackMoved => "feedback_moved",
        FeedbackNotAnswered => "feedback_not_answered",
        FeedbackAlreadyRated => "feedback_already_rated",
        ExclusionNotProposed => "exclusion_not_proposed",
        ExclusionAfterClose => "exclusion_after_close",
        ClosingTimePassed => "closing_time_passed",
        ResultsNotPublished => "results_not_published",
        MessageNotWaiting => "message_not_waiting",
        SampleAlreadyDrawn => "sample_already_drawn",
        WebhookTestFailed => "webhook_test_failed",
    }
}
