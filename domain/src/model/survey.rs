//! The survey as a respondent meets it: the profile codes, the form, its values, the outcome of sending it and the receipt.

use std::collections::BTreeMap;

#[allow(unused_imports)]
use super::*;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

codes! {
    /// Who answered: the profile question "respondent type".
    RespondentType {
        Business => "doanh-nghiep",
        Individual => "ca-nhan",
        PartnerAgency => "co-quan-phoi-hop",
    }
}

codes! {
    /// How the respondent submitted the dossier of the procedure they used.
    SubmissionMethod {
        InPerson => "truc-tiep",
        Online => "truc-tuyen",
        Postal => "buu-chinh",
    }
}

codes! {
    /// How the answers reached the agency.
    SurveyChannel {
        Web => "web",
        Paper => "paper",
        Phone => "phone",
        Kiosk => "kiosk",
    }
}

codes! {
    /// A profile question an instrument may ask.
    ProfileField {
        RespondentType => "respondent_type",
        Department => "department",
        Procedure => "procedure",
        SubmissionMethod => "submission_method",
    }
}

impl ProfileField {
    /// Reads a comma-separated list, ignoring unknown names.
    pub fn parse_list(list: &str) -> Vec<Self> {
        list.split(',')
            .filter_map(|c| Self::parse(c.trim()))
            .collect()
    }

    pub fn join(fields: &[Self]) -> String {
        fields
            .iter()
            .map(|f| f.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The form value that means "not applicable / don't know".
pub const NOT_APPLICABLE: &str = "na";

/// One choice of a select or radio group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// A procedure in the catalogue, with the department that handles it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureChoice {
    pub code: String,
    pub label: String,
    pub department_code: String,
}

/// A question of the form, worded in the page's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyCriterion {
    pub code: String,
    pub text: String,
    pub scale: Scale,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyElement {
    pub code: String,
    pub title: String,
    pub kind: ElementKind,
    pub criteria: Vec<SurveyCriterion>,
}

/// What a respondent has entered so far, exactly as typed or chosen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyValues {
    /// Criterion code → "1".."5" or "na".
    pub answers: BTreeMap<String, String>,
    pub respondent_type: String,
    pub department: String,
    pub procedure: String,
    pub submission_method: String,
    pub comment: String,
    /// The one-use code of an invitation, when the respondent has one.
    #[serde(default)]
    pub invitation_code: String,
    /// Staff entry only: paper or phone, and the date on the form.
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub submitted_on: String,
    /// The stamp the server signed into the form when it first drew it
    /// (kept through a draft, so that correcting a mistake does not restart
    /// the completion time).
    #[serde(default)]
    pub rendered: String,
}

/// Everything the public survey page needs to render a round's form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyPageData {
    pub lang: Lang,
    pub agency_name: String,
    /// The address of the agency's logo, if it has one.
    #[serde(default)]
    pub logo: Option<String>,
    pub round: RoundSummary,
    pub elements: Vec<SurveyElement>,
    pub departments: Vec<Choice>,
    pub procedures: Vec<ProcedureChoice>,
    /// The introduction above the form (the agency's words or the platform's).
    pub intro: String,
    /// The kinds of respondent the round's audience admits.
    pub respondent_types: Vec<RespondentType>,
    /// Makes a retried submission of this form store nothing new.
    pub idempotency_key: String,
    /// When the form was first drawn, signed by the server (empty for staff entry).
    pub render_stamp: String,
    /// Proves the submission comes from this page.
    pub csrf_token: String,
    pub values: SurveyValues,
    pub errors: Vec<FieldError>,
    /// Set when the round takes no responses now; the form is then not shown.
    pub closed_notice: Option<String>,
    /// The profile questions this instrument asks.
    pub profile_fields: Vec<ProfileField>,
    pub asks_comment: bool,
    /// The resume code of the saved draft this form continues, if any.
    pub draft_code: Option<String>,
    /// Staff typing in a paper or phone response: channel and date are asked.
    pub staff_entry: bool,
}

/// The result of submitting the survey form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SubmitOutcome {
    Stored {
        receipt_code: String,
        receipt_url: String,
    },
    Invalid {
        errors: Vec<FieldError>,
    },
    /// Saved for later: the page that shows the resume code.
    Saved {
        resume_code: String,
        resume_url: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptData {
    pub lang: Lang,
    pub round: RoundSummary,
    pub receipt_code: String,
    /// Formatted in Vietnam time, e.g. "28/11/2026 19:05".
    pub submitted_at: String,
    /// The tracking code of the feedback item the comment became, if there was one.
    pub feedback_code: Option<String>,
    /// The thanks below the receipt (the agency's words or the platform's).
    pub thanks: String,
}

/// A field of a survey submission, as violations name it: one list that
/// the rules, the JSON API, the form's anchors and the error summary share.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SurveyField {
    /// The answer to the criterion with this code (`answers.A1`).
    Answer(String),
    RespondentType,
    Department,
    Procedure,
    SubmissionMethod,
    /// How a response typed in by staff reached the agency.
    Channel,
    /// The date written on a paper or phone response typed in by staff.
    SubmittedOn,
    Comment,
    InvitationCode,
    /// A saved draft's resume code.
    Draft,
    IdempotencyKey,
}

impl SurveyField {
    /// Every field but the answers, in the order a form shows them.
    pub const PROFILE: [Self; 10] = [
        Self::InvitationCode,
        Self::Channel,
        Self::SubmittedOn,
        Self::RespondentType,
        Self::Department,
        Self::Procedure,
        Self::SubmissionMethod,
        Self::Comment,
        Self::Draft,
        Self::IdempotencyKey,
    ];

    /// The path violations carry, e.g. `answers.A1` or `respondent.type`.
    pub fn path(&self) -> String {
        match self {
            Self::Answer(code) => format!("answers.{code}"),
            Self::RespondentType => "respondent.type".to_owned(),
            Self::Department => "respondent.department".to_owned(),
            Self::Procedure => "respondent.procedure".to_owned(),
            Self::SubmissionMethod => "respondent.submission_method".to_owned(),
            Self::Channel => "respondent.channel".to_owned(),
            Self::SubmittedOn => "submitted_on".to_owned(),
            Self::Comment => "comment".to_owned(),
            Self::InvitationCode => "invitation_code".to_owned(),
            Self::Draft => "draft".to_owned(),
            Self::IdempotencyKey => "idempotency_key".to_owned(),
        }
    }

    pub fn parse(path: &str) -> Option<Self> {
        if let Some(code) = path.strip_prefix("answers.") {
            return Some(Self::Answer(code.to_owned()));
        }
        Self::PROFILE.into_iter().find(|f| f.path() == path)
    }

    /// The field a form input posts, by the input's `name` (`answers[A1]`,
    /// `respondent_type`, …); `None` for inputs that are not fields.
    pub fn of_input(name: &str) -> Option<Self> {
        if let Some(code) = name
            .strip_prefix("answers[")
            .and_then(|rest| rest.strip_suffix(']'))
        {
            return Some(Self::Answer(code.to_owned()));
        }
        Some(match name {
            "respondent_type" => Self::RespondentType,
            "department" => Self::Department,
            "procedure" => Self::Procedure,
            "submission_method" => Self::SubmissionMethod,
            "channel" => Self::Channel,
            "submitted_on" => Self::SubmittedOn,
            "comment" => Self::Comment,
            "invitation_code" => Self::InvitationCode,
            _ => return None,
        })
    }

    /// The id of the element on the form that shows the message about this
    /// field (`q-A1`, `f-respondent-type`), for the error summary's links.
    pub fn anchor(&self) -> String {
        match self {
            Self::Answer(code) => format!("q-{code}"),
            Self::Channel => "f-channel".to_owned(),
            other => format!("f-{}", other.path().replace(['.', '_'], "-")),
        }
    }
}

impl From<SurveyField> for String {
    fn from(field: SurveyField) -> Self {
        field.path()
    }
}

#[cfg(test)]
mod tests {
    use super::SurveyField;

    #[test]
    fn every_input_of_the_form_names_its_field() {
        assert_eq!(
            SurveyField::of_input("answers[B3]"),
            Some(SurveyField::Answer("B3".to_owned()))
        );
        for field in SurveyField::PROFILE {
            let name = match &field {
                SurveyField::RespondentType => "respondent_type",
                SurveyField::Department => "department",
                SurveyField::Procedure => "procedure",
                SurveyField::SubmissionMethod => "submission_method",
                SurveyField::Channel => "channel",
                SurveyField::SubmittedOn => "submitted_on",
                SurveyField::Comment => "comment",
                SurveyField::InvitationCode => "invitation_code",
                SurveyField::Draft | SurveyField::IdempotencyKey | SurveyField::Answer(_) => {
                    continue;
                }
            };
            assert_eq!(SurveyField::of_input(name), Some(field));
        }
        for not_a_field in [
            "csrf_token",
            "slug",
            "lang",
            "intent",
            "answers[",
            "answers",
        ] {
            assert_eq!(SurveyField::of_input(not_a_field), None, "{not_a_field}");
        }
    }
}
