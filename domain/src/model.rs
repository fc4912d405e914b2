//! Domain words and the data that crosses between the server and the pages:
//! codes stored in the database, and what server functions return.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::i18n::Lang;
use crate::index_engine::CriterionFigures;

/// Who answered: the profile question "respondent type".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum RespondentType {
    #[serde(rename = "doanh-nghiep")]
    Business,
    #[serde(rename = "ca-nhan")]
    Individual,
    #[serde(rename = "co-quan-phoi-hop")]
    PartnerAgency,
}

impl RespondentType {
    pub const ALL: [Self; 3] = [Self::Business, Self::Individual, Self::PartnerAgency];

    pub fn code(self) -> &'static str {
        match self {
            Self::Business => "doanh-nghiep",
            Self::Individual => "ca-nhan",
            Self::PartnerAgency => "co-quan-phoi-hop",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// How the respondent submitted the dossier of the procedure they used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum SubmissionMethod {
    #[serde(rename = "truc-tiep")]
    InPerson,
    #[serde(rename = "truc-tuyen")]
    Online,
    #[serde(rename = "buu-chinh")]
    Postal,
}

impl SubmissionMethod {
    pub const ALL: [Self; 3] = [Self::InPerson, Self::Online, Self::Postal];

    pub fn code(self) -> &'static str {
        match self {
            Self::InPerson => "truc-tiep",
            Self::Online => "truc-tuyen",
            Self::Postal => "buu-chinh",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// How the answers reached the agency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SurveyChannel {
    #[default]
    Web,
    Paper,
    Phone,
    Kiosk,
}

impl SurveyChannel {
    pub const ALL: [Self; 4] = [Self::Web, Self::Paper, Self::Phone, Self::Kiosk];

    pub fn code(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Paper => "paper",
            Self::Phone => "phone",
            Self::Kiosk => "kiosk",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The section an element belongs to; only `Index` elements enter the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElementKind {
    Index,
    Overall,
    Perception,
    Expectation,
}

impl ElementKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Index => "index",
            Self::Overall => "overall",
            Self::Perception => "perception",
            Self::Expectation => "expectation",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Index,
            Self::Overall,
            Self::Perception,
            Self::Expectation,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// Whether the web form asks for an answer (or "not applicable") to every criterion.
    pub fn is_required(self) -> bool {
        matches!(self, Self::Index | Self::Overall)
    }
}

/// Answer scale of a criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    /// 1 Rất không hài lòng … 5 Rất hài lòng, plus not applicable.
    Satisfaction5,
    /// 1 Không · 2 Một vài lần · 3 Nhiều lần.
    Frequency3,
    /// 1 Rất nhiều · 2 Nhiều · 3 Ít.
    Priority3,
}

impl Scale {
    pub fn code(self) -> &'static str {
        match self {
            Self::Satisfaction5 => "satisfaction5",
            Self::Frequency3 => "frequency3",
            Self::Priority3 => "priority3",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Satisfaction5, Self::Frequency3, Self::Priority3]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn max(self) -> u8 {
        match self {
            Self::Satisfaction5 => 5,
            Self::Frequency3 | Self::Priority3 => 3,
        }
    }

    /// Only the satisfaction scale offers "not applicable / don't know".
    pub fn allows_not_applicable(self) -> bool {
        matches!(self, Self::Satisfaction5)
    }
}

/// A profile question an instrument may ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileField {
    RespondentType,
    Department,
    Procedure,
    SubmissionMethod,
}

impl ProfileField {
    pub const ALL: [Self; 4] = [
        Self::RespondentType,
        Self::Department,
        Self::Procedure,
        Self::SubmissionMethod,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::RespondentType => "respondent_type",
            Self::Department => "department",
            Self::Procedure => "procedure",
            Self::SubmissionMethod => "submission_method",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim())
    }

    /// Reads a comma-separated list, ignoring unknown names.
    pub fn parse_list(list: &str) -> Vec<Self> {
        list.split(',').filter_map(Self::parse).collect()
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

/// A round's life: draft → open → closed → published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RoundStatus {
    Draft,
    Open,
    Closed,
    Published,
}

impl RoundStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Draft, Self::Open, Self::Closed, Self::Published]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A message about one field of a form or request, in the user's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field as named in the form or JSON body, e.g. `answers.A1`.
    pub field: String,
    pub message: String,
}

/// A round as listed publicly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub slug: String,
    pub title: String,
    /// "2026 H2"
    pub period: String,
    pub status: RoundStatus,
}

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
}

/// Everything the public survey page needs to render a round's form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyPageData {
    pub lang: Lang,
    pub agency_name: String,
    pub round: RoundSummary,
    pub elements: Vec<SurveyElement>,
    pub departments: Vec<Choice>,
    pub procedures: Vec<ProcedureChoice>,
    /// Makes a retried submission of this form store nothing new.
    pub idempotency_key: String,
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
}

/// Figures of one criterion in a round (or a filtered part of it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CriterionIndex {
    pub code: String,
    pub element: String,
    pub text_vi: String,
    pub text_en: String,
    #[serde(flatten)]
    pub figures: CriterionFigures,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ElementIndex {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    /// Unweighted mean of its criterion indices that have a valid answer.
    pub index: Option<f64>,
}

/// The indices of a round as methodology.md §4 defines them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IndicesReport {
    pub round: String,
    pub formula_version: String,
    /// Responses counted (excluded responses are not).
    pub n_responses: u64,
    /// Unweighted mean of the element indices.
    pub overall: Option<f64>,
    /// Approximate 95% interval of the overall index (delta method).
    pub overall_ci_low: Option<f64>,
    pub overall_ci_high: Option<f64>,
    pub elements: Vec<ElementIndex>,
    pub criteria: Vec<CriterionIndex>,
    /// Overall satisfaction with the agency (O1), reported on its own.
    pub overall_satisfaction: Option<CriterionIndex>,
    /// Where to improve first, most asked for first.
    pub expectations: Vec<ExpectationIndex>,
    /// Figures over fewer valid answers than this are shown as suppressed in breakdowns.
    pub suppression_threshold: u64,
}

/// How many respondents ask for improvement in an area ("very much" or "much").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ExpectationIndex {
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
    pub n_valid: u64,
    /// Percent answering "very much" or "much".
    pub share: Option<f64>,
}

/// What the round dashboard (and its printable report) shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub lang: Lang,
    pub round: RoundSummary,
    pub report: IndicesReport,
    pub target: f64,
    /// Element bars with the target line, as SVG drawn on the server.
    pub element_chart_svg: String,
    /// The five-level distribution of each criterion, diverging stacked bars.
    pub distribution_chart_svg: String,
    /// The overall index over rounds with its interval band.
    pub trend_chart_svg: String,
    pub stats: RoundStats,
    /// The round before this one on the same questionnaire.
    pub previous: Option<TrendPoint>,
    pub breakdowns: Vec<Breakdown>,
    pub trend: Vec<TrendPoint>,
    pub comments: Vec<CommentRow>,
    pub filter: IndexFilter,
    pub departments: Vec<Choice>,
    pub procedures: Vec<ProcedureChoice>,
    /// Other rounds to compare with.
    pub other_rounds: Vec<RoundSummary>,
    /// The permanent link of the published results, once approved.
    pub published_id: Option<String>,
    /// Feedback received in the round's half-year (department filter applied).
    pub feedback: FeedbackPanel,
}

/// The comparison page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonData {
    pub base: RoundSummary,
    pub other: RoundSummary,
    pub comparison: Comparison,
}

/// The public page of published results, with its chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedPage {
    pub results: PublishedResults,
    pub element_chart_svg: String,
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
    UnknownDepartment,
    UnknownProcedure,
    ProcedureDepartmentMismatch,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    /// Another record already uses this value.
    Duplicate,
    /// No invitation of this round has this code.
    UnknownInvitation,
    /// A response was already stored with this invitation code.
    InvitationUsed,
    /// Not an email address.
    InvalidEmail,
    /// Not a Vietnamese phone number.
    InvalidPhone,
    /// A time after now.
    InTheFuture,
    /// No feedback item has this tracking code.
    UnknownTrackingCode,
    /// The body could not be read at all; the text says where.
    Malformed(String),
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
            Problem::UnknownDepartment => t.err_unknown_department.to_owned(),
            Problem::UnknownProcedure => t.err_unknown_procedure.to_owned(),
            Problem::ProcedureDepartmentMismatch => t.err_procedure_department.to_owned(),
            Problem::TooLong { max } => lang.too_long(*max),
            Problem::TooShort { min } => lang.too_short(*min),
            Problem::Duplicate => t.err_duplicate.to_owned(),
            Problem::UnknownInvitation => t.err_unknown_invitation.to_owned(),
            Problem::InvitationUsed => t.err_invitation_used.to_owned(),
            Problem::InvalidEmail => t.err_email.to_owned(),
            Problem::InvalidPhone => t.err_phone.to_owned(),
            Problem::InTheFuture => t.err_in_the_future.to_owned(),
            Problem::UnknownTrackingCode => t.err_unknown_tracking_code.to_owned(),
            Problem::Malformed(detail) => detail.clone(),
        }
    }

    pub fn to_field_error(&self, lang: Lang) -> FieldError {
        FieldError {
            field: self.field.clone(),
            message: self.message(lang),
        }
    }
}

/// What a staff account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Users, departments, procedures, holidays, settings.
    Admin,
    /// Builds rounds, enters data, handles the feedback of their departments.
    Staff,
    /// Reads everything, approves and publishes results.
    Leader,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Admin, Self::Staff, Self::Leader];

    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
            Self::Leader => "leader",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A staff account as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Department codes.
    pub departments: Vec<String>,
}

/// Who is signed in, as staff pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Sent back by every form as `csrf_token`.
    pub csrf_token: String,
}

/// The outcome of a form posted without JavaScript, carried to the next page
/// once: a notice, or the errors with what was entered (never passwords).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlash {
    /// Which form it is about, e.g. "user-create" or "user-12".
    pub form: String,
    /// A notice code shown after success, e.g. "user-created".
    pub notice: Option<String>,
    pub errors: Vec<FieldError>,
    pub values: BTreeMap<String, String>,
    /// A secret shown once (a new API token).
    pub secret: Option<String>,
}

impl FormFlash {
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }
}

/// A staff page: who is looking, the page's data, and the last form's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffPage<T> {
    pub viewer: Viewer,
    pub flash: Option<FormFlash>,
    pub data: T,
}

/// The users page: accounts and the departments they can be given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersPageData {
    pub users: Vec<UserRow>,
    pub departments: Vec<Choice>,
}

/// An API token as lists show it (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i32,
    pub name: String,
    pub prefix: String,
    pub role: Role,
    /// "dd/mm/yyyy hh:mm", Vietnam time.
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

/// An instrument version as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentSummary {
    pub id: i32,
    pub code: String,
    pub version: i32,
    pub title: String,
    /// Used by an opened round: it no longer changes.
    pub frozen: bool,
    pub criteria: u32,
}

/// How a round is doing against its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoundStats {
    pub responses: u64,
    pub invitations: u64,
    /// Invitations whose code has been used for a response.
    pub used_invitations: u64,
    /// Yamane's target sample for the dossiers handled (e = 5%).
    pub target: Option<u64>,
    /// Responses ÷ invitations, in percent (methodology.md §4).
    pub response_rate: Option<f64>,
    /// Responses ÷ target sample, in percent.
    pub target_reached: Option<f64>,
}

/// What is wrong with one row of an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RowProblem {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// An invitation as staff lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationRow {
    pub code: String,
    pub name: String,
    pub tax_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub procedure: Option<String>,
    /// A response has been stored with this code.
    pub used: bool,
    /// The personal link, relative to the site.
    pub link: String,
}

/// An import of paper or phone responses, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJobView {
    pub public_id: String,
    pub round_slug: String,
    pub file_name: String,
    /// pending | running | done | failed
    pub status: String,
    pub total_rows: u32,
    pub stored_rows: u32,
    pub problems: Vec<RowProblem>,
}

/// A round in the staff list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundRow {
    pub summary: RoundSummary,
    pub instrument: String,
    pub stats: RoundStats,
}

/// The rounds page: every round, and what a new one can be built from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundsPageData {
    pub rounds: Vec<RoundRow>,
    pub instruments: Vec<InstrumentSummary>,
    pub departments: Vec<Choice>,
    /// The caller may create and change rounds (staff and admins).
    pub can_manage: bool,
}

/// A round's settings as its form shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundFormValues {
    pub slug: String,
    pub title_vi: String,
    pub title_en: String,
    pub year: String,
    pub half: String,
    pub instrument_id: String,
    pub audience: Vec<String>,
    pub departments: Vec<String>,
    /// "YYYY-MM-DDTHH:MM", Vietnam time, as `<input type="datetime-local">` takes it.
    pub opens_at: String,
    pub closes_at: String,
    pub dossiers_handled: String,
}

/// One round for staff: settings, progress, distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundDetail {
    pub summary: RoundSummary,
    pub values: RoundFormValues,
    pub stats: RoundStats,
    pub instruments: Vec<InstrumentSummary>,
    pub departments: Vec<Choice>,
    /// The public form's full address.
    pub public_link: String,
    /// The QR code of `public_link`, as SVG.
    pub qr_svg: String,
    pub can_manage: bool,
    /// Leaders and admins publish results.
    pub can_publish: bool,
}

/// The printable A4 poster for the one-stop counter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PosterData {
    pub agency_name: String,
    pub round: RoundSummary,
    pub public_link: String,
    pub qr_svg: String,
}

/// A round's invitation list with the outcome of the last import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationsPageData {
    pub round: RoundSummary,
    pub invitations: Vec<InvitationRow>,
    pub base_url: String,
    pub problems: Vec<RowProblem>,
}

/// One instrument version with everything in it, for its edit page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstrumentDetail {
    pub id: i32,
    pub code: String,
    pub version: i32,
    pub title_vi: String,
    pub title_en: String,
    pub audience: String,
    pub frozen: bool,
    pub profile_fields: Vec<ProfileField>,
    pub asks_comment: bool,
    pub elements: Vec<ElementDetail>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElementDetail {
    pub id: i32,
    pub code: String,
    pub kind: ElementKind,
    pub title_vi: String,
    pub title_en: String,
    pub criteria: Vec<CriterionDetail>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionDetail {
    pub id: i32,
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
}

/// Which part of a round the figures cover; empty codes mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct IndexFilter {
    /// Department code, e.g. QLDN.
    #[serde(default)]
    pub department: String,
    /// Procedure code, e.g. LD-01.
    #[serde(default)]
    pub procedure: String,
    /// doanh-nghiep, ca-nhan or co-quan-phoi-hop.
    #[serde(default)]
    pub respondent_type: String,
    /// web, paper, phone or kiosk.
    #[serde(default)]
    pub channel: String,
}

impl IndexFilter {
    pub fn is_empty(&self) -> bool {
        self.department.is_empty()
            && self.procedure.is_empty()
            && self.respondent_type.is_empty()
            && self.channel.is_empty()
    }

    /// `?department=…&…` with only the set values (for links keeping the filter).
    pub fn query(&self) -> String {
        let parts: Vec<String> = [
            ("department", &self.department),
            ("procedure", &self.procedure),
            ("respondent_type", &self.respondent_type),
            ("channel", &self.channel),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// One row of a breakdown: a department, procedure, audience or channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    pub code: String,
    pub label: String,
    pub n_responses: u64,
    /// `None` when suppressed (fewer responses than the threshold) or without data.
    pub overall: Option<f64>,
    pub suppressed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Breakdown {
    /// department | procedure | respondent_type | channel
    pub dimension: String,
    pub rows: Vec<BreakdownRow>,
}

/// The overall index of one round in the trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    pub slug: String,
    pub period: String,
    pub n_responses: u64,
    pub overall: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// A comment left with a response, newest first on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRow {
    /// "dd/mm/yyyy hh:mm", Vietnam time.
    pub submitted_at: String,
    pub department: Option<String>,
    pub text: String,
}

/// The criterion change between two rounds, with a two-proportion z-test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CriterionChange {
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
    pub base: Option<f64>,
    pub other: Option<f64>,
    /// other − base, in points.
    pub delta: Option<f64>,
    pub z: Option<f64>,
    pub p_value: Option<f64>,
    /// p < 0.05
    pub significant: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IndexChange {
    pub code: String,
    pub base: Option<f64>,
    pub other: Option<f64>,
    pub delta: Option<f64>,
}

/// Round `other` against round `base`: criteria (matched by their stable
/// codes), elements and overall.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub base: String,
    pub other: String,
    pub formula_version: String,
    pub overall: IndexChange,
    pub elements: Vec<IndexChange>,
    pub criteria: Vec<CriterionChange>,
}

/// A round's results as a leader approved them: frozen, citable, public.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedResults {
    pub public_id: String,
    pub round_slug: String,
    pub title_vi: String,
    pub title_en: String,
    pub year: i32,
    pub half: i16,
    pub agency_name: String,
    pub report: IndicesReport,
    /// By respondent type and by department, suppressed where few answered.
    pub breakdowns: Vec<Breakdown>,
    pub target: f64,
    /// "dd/mm/yyyy hh:mm", Vietnam time.
    pub approved_at: String,
    pub approved_by: String,
}

/// A published result in the public list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedSummary {
    pub public_id: String,
    pub title: String,
    pub period: String,
    pub approved_at: String,
}

// ---------------------------------------------------------------------------
// Feedback (phản ánh, kiến nghị) and the hotline.

pub use crate::feedback_rules::{
    Classification, DeadlineStep, FeedbackAction, FeedbackCategory, FeedbackChannel,
    FeedbackStatus, PublicStatus, SenderContact,
};

/// The agency's published hotline; empty fields are not set up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HotlineInfo {
    pub phone: String,
    pub address: String,
    pub email: String,
    /// e.g. "7:30–11:30 và 13:30–17:00, thứ Hai đến thứ Sáu"
    pub hours: String,
}

/// The public page with the hotline and the feedback form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackFormData {
    pub agency_name: String,
    pub hotline: HotlineInfo,
    pub departments: Vec<Choice>,
    pub csrf_token: String,
    pub flash: Option<FormFlash>,
}

/// What the sender sees by the tracking code: the status and the published
/// answer, nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PublicFeedbackView {
    pub tracking_code: String,
    pub status: PublicStatus,
    /// "dd/mm/yyyy"
    pub received_on: String,
    /// Why an item closed without an answer here (routed out, out of scope, duplicate).
    pub classification: Option<Classification>,
    /// The published answer, with personal data removed.
    pub answer: Option<String>,
    pub answered_on: Option<String>,
    /// The sender may rate the handling now (once, after the answer is published).
    pub can_rate: bool,
    pub rating: Option<i16>,
}

/// The tracking page: the lookup form and, for a known code, the item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingPageData {
    pub code: String,
    pub item: Option<PublicFeedbackView>,
    pub csrf_token: String,
    pub flash: Option<FormFlash>,
}

/// A published answer as the public list shows it: no tracking code, no
/// sender, personal data removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PublicAnswer {
    pub received_on: String,
    pub published_on: String,
    pub category: Option<FeedbackCategory>,
    /// The department that answered, by name.
    pub department: Option<String>,
    pub question: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PublicAnswersPage {
    pub answers: Vec<PublicAnswer>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// Filters of the staff list, as query parameters (empty = any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct FeedbackFilter {
    /// A status code, e.g. in-progress.
    #[serde(default)]
    pub status: String,
    /// A department code, e.g. QLDN.
    #[serde(default)]
    pub department: String,
    /// A channel code, e.g. hotline.
    #[serde(default)]
    pub channel: String,
    /// "1": only items past their step's deadline.
    #[serde(default)]
    pub overdue: String,
    /// Words to find in the tracking code, subject, content, answer or sender.
    #[serde(default)]
    pub q: String,
    /// From 1.
    #[serde(default)]
    pub page: String,
}

/// One item in the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackRow {
    pub id: i32,
    pub tracking_code: String,
    pub channel: FeedbackChannel,
    pub status: FeedbackStatus,
    /// "dd/mm/yyyy hh:mm", Vietnam time.
    pub received_at: String,
    /// The subject, or the start of the content.
    pub title: String,
    /// Department code.
    pub department: Option<String>,
    /// "dd/mm/yyyy": when the current step is due.
    pub due_on: Option<String>,
    pub overdue: bool,
    pub eligible_for_reply: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackList {
    pub rows: Vec<FeedbackRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Open items past their deadline, whatever the filter.
    pub overdue_total: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackListData {
    pub filter: FeedbackFilter,
    pub list: FeedbackList,
    pub departments: Vec<Choice>,
    pub can_record: bool,
}

/// One change in an item's history: who, when, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackEventRow {
    /// "dd/mm/yyyy hh:mm"
    pub at: String,
    pub actor: String,
    /// "record" or a [`FeedbackAction`] code.
    pub action: String,
    pub from_status: Option<FeedbackStatus>,
    pub to_status: FeedbackStatus,
    pub reason: Option<String>,
}

/// Everything staff see of one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackDetail {
    pub id: i32,
    pub tracking_code: String,
    pub channel: FeedbackChannel,
    pub status: FeedbackStatus,
    pub classification: Option<Classification>,
    pub category: Option<FeedbackCategory>,
    /// The tracking code of the record this one duplicates.
    pub duplicate_of: Option<String>,
    pub subject: Option<String>,
    /// The sender's text, or the faithful transcript of a call.
    pub content: String,
    pub sender: SenderContact,
    pub eligible_for_reply: bool,
    /// Contact fields still missing for a reply.
    pub missing_for_reply: Vec<String>,
    pub consent_to_publish: bool,
    /// Department code and name.
    pub department: Option<Choice>,
    pub procedure: Option<Choice>,
    /// The receipt code of the survey response the comment came with.
    pub response_receipt: Option<String>,
    pub answer: Option<String>,
    /// The question as published (personal data removed).
    pub public_summary: Option<String>,
    /// What the public summary would be if staff write none.
    pub suggested_summary: String,
    pub received_at: String,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub answer_due_on: Option<String>,
    pub answered_at: Option<String>,
    pub published_at: Option<String>,
    pub closed_at: Option<String>,
    pub handling_rating: Option<i16>,
    pub events: Vec<FeedbackEventRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackItemData {
    pub item: FeedbackDetail,
    /// What the viewer may do now, in workflow order.
    pub actions: Vec<FeedbackAction>,
    pub departments: Vec<Choice>,
}

/// The staff form that records an item from any channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRecordData {
    pub departments: Vec<Choice>,
    pub procedures: Vec<ProcedureChoice>,
    pub hotline: HotlineInfo,
    /// "yyyy-mm-ddThh:mm", Vietnam time: the default receipt time.
    pub now: String,
}

/// Counts for one department or category in the feedback panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackPanelRow {
    pub code: String,
    pub label: String,
    pub received: u64,
    pub answered: u64,
    pub overdue: u64,
}

/// The leadership's view of feedback over a period (methodology.md §5–§6).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FeedbackPanel {
    /// "dd/mm/yyyy – dd/mm/yyyy"
    pub period: String,
    pub received: u64,
    pub in_scope: u64,
    /// Items with an answer (answered, reviewed, published or closed after an answer).
    pub answered: u64,
    /// Of those, answered by the answer deadline.
    pub answered_on_time: u64,
    /// Open items past their step's deadline now.
    pub overdue: u64,
    pub by_department: Vec<FeedbackPanelRow>,
    pub by_category: Vec<FeedbackPanelRow>,
    /// Senders who rated the handling, and their ratings.
    pub ratings: u64,
    pub rating_mean: Option<f64>,
    /// Percent of ratings of 4 or 5.
    pub rating_satisfied_share: Option<f64>,
}

/// The admin page of hotline details, deadlines and holidays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackSettingsData {
    pub hotline: HotlineInfo,
    /// Each step with its working days.
    pub deadlines: Vec<(DeadlineStep, u32)>,
    pub holidays: Vec<HolidayRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    /// "yyyy-mm-dd"
    pub day: String,
    /// "Thứ Sáu, 01/01/2027" in the page's language.
    pub label: String,
    pub name: String,
}

codes! {
    /// Why the state of things refuses a well-formed request: the stable
    /// `code` of a 409 answer.
    Conflict {
        RoundNotOpen => "round_not_open",
        RoundClosed => "round_closed",
        RoundNotClosed => "round_not_closed",
        RoundNotDraft => "round_not_draft",
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
    }
}
