//! What leadership reads: indices, breakdowns, trend, comparison and published results.

#[allow(unused_imports)]
use super::*;
use crate::i18n::Lang;
use crate::index_engine::CriterionFigures;
use serde::{Deserialize, Serialize};

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

/// The indices of a round as docs/methodology.md, “Formulas” defines them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IndicesReport {
    pub round: String,
    pub formula_version: String,
    /// Responses counted (excluded responses are not).
    pub n_responses: u64,
    /// Responses a leader left out of every figure (kept, and listed in the audit log).
    #[serde(default)]
    pub n_excluded: u64,
    /// Responses still counted with a data-quality flag waiting for a decision.
    #[serde(default)]
    pub n_flagged: u64,
    /// The round's data-quality flags by kind: waiting, confirmed (the
    /// response left the figures with the flag as reason), dismissed.
    #[serde(default)]
    pub flags: Vec<FlagTally>,
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
    /// How many met harassment or unofficial payments (the perception
    /// questions), with intervals; hidden below the suppression threshold.
    #[serde(default)]
    pub perceptions: Vec<PerceptionShare>,
    /// Figures weighted by the round's population counts, when asked for
    /// and entered: beside the official unweighted ones, never instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<WeightedIndices>,
    /// Figures over fewer valid answers than this are shown as suppressed in breakdowns.
    pub suppression_threshold: u64,
}

/// A request to leave a response out of the figures, waiting for a leader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingExclusion {
    pub receipt_code: String,
    pub reason: String,
    pub proposed_by: String,
    pub proposed_at: String,
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

codes! {
    /// What a round's population counts are given by: the strata of its
    /// weighted figures.
    StratumDimension {
        RespondentType => "respondent_type",
        Department => "department",
    }
}

/// One stratum's population (entered) and the responses from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StratumPopulation {
    /// The respondent type's or the department's code.
    pub code: String,
    pub label: String,
    pub population: u64,
    pub responses: u64,
}

/// A criterion's post-stratified index with Kish's effective n and the
/// Wilson interval on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WeightedCriterion {
    pub code: String,
    pub element: String,
    pub index: Option<f64>,
    pub effective_n: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WeightedElement {
    pub code: String,
    /// Mean of its weighted criterion indices.
    pub index: Option<f64>,
}

/// A round's indices weighted by population (post-stratification): the
/// same averages as the official index over weighted criterion indices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WeightedIndices {
    pub analysis_version: String,
    pub dimension: StratumDimension,
    pub strata: Vec<StratumPopulation>,
    /// Mean of the weighted element indices.
    pub overall: Option<f64>,
    pub elements: Vec<WeightedElement>,
    pub criteria: Vec<WeightedCriterion>,
}

/// A perception question (harassment, unofficial payments): the share of
/// valid answers that met it at least once ("a few times" or "many times").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PerceptionShare {
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
    pub n_valid: u64,
    /// Fewer valid answers than the suppression threshold: the share, its
    /// count and its interval are not shown.
    pub suppressed: bool,
    pub n_experienced: Option<u64>,
    /// Percent of valid answers.
    pub share: Option<f64>,
    /// 95% Wilson interval of the share.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

codes! {
    /// Where a criterion sits on the importance–performance matrix: its
    /// weight against the mean weight, its index against its target.
    Quadrant {
        /// Weighs more than the average criterion and is below target.
        FixFirst => "fix-first",
        /// Weighs more than the average and meets the target.
        KeepUp => "keep-up",
        /// Weighs less than the average and is below target.
        LowPriority => "low-priority",
        /// Weighs less than the average and meets the target.
        PossibleOverkill => "possible-overkill",
    }
}

/// Why a round's driver analysis shows no weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DriversHidden {
    /// Fewer complete responses than the minimum.
    TooFewResponses,
    /// An answer never varies, so a correlation has no value.
    NoVariation,
    /// The questionnaire has no overall question.
    NoOverallQuestion,
}

/// One index criterion in the driver analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DriverRow {
    pub code: String,
    pub element: String,
    pub text_vi: String,
    pub text_en: String,
    /// Pearson r with the overall question.
    pub r: f64,
    /// Responses behind that r (both answered validly).
    pub n_pairs: u64,
    /// Johnson's relative weight: share of R² in percent.
    pub weight: f64,
    pub raw_weight: f64,
    /// The criterion's index in the round, and the target it is held to.
    pub index: Option<f64>,
    pub target: f64,
    pub quadrant: Option<Quadrant>,
}

/// What drives overall satisfaction in a round (the whole round, always).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DriverAnalysis {
    pub analysis_version: String,
    /// Responses that answer the overall question and every index criterion validly.
    pub complete_responses: u64,
    /// Drivers are shown from this many complete responses on.
    pub minimum_responses: u64,
    /// Why no weights are shown, if none are.
    pub hidden: Option<DriversHidden>,
    /// Variance of the overall question the criteria explain together.
    pub r_squared: Option<f64>,
    /// The mean weight (100 / number of criteria), where the matrix splits.
    pub mean_weight: f64,
    /// By weight, heaviest first.
    pub criteria: Vec<DriverRow>,
}

impl DriverAnalysis {
    /// The criteria to fix first: heavier than average and below target.
    pub fn fix_first(&self) -> impl Iterator<Item = &DriverRow> {
        self.criteria
            .iter()
            .filter(|c| c.quadrant == Some(Quadrant::FixFirst))
    }
}

/// What the round dashboard (and its printable report) shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub lang: Lang,
    /// The agency's name and logo, heading the printed report.
    pub agency_name: String,
    pub logo: Option<String>,
    pub round: RoundSummary,
    pub report: IndicesReport,
    pub target: f64,
    /// Elements with a target of their own, by code.
    pub element_targets: std::collections::BTreeMap<String, f64>,
    /// Element bars with the target line, as SVG drawn on the server.
    pub element_chart_svg: String,
    /// The five-level distribution of each criterion, diverging stacked bars.
    pub distribution_chart_svg: String,
    /// The overall index over rounds with its interval band.
    pub trend_chart_svg: String,
    /// What drives overall satisfaction (whole round; none when filtered).
    pub drivers: Option<DriverAnalysis>,
    /// The importance–performance matrix, when the drivers are shown.
    pub drivers_chart_svg: String,
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
    /// Dossiers completed in the round's half-year and their ratings
    /// (department filter applied).
    pub dossiers: crate::model::DossierFigureRow,
    /// Requests to leave a response out, waiting for a leader.
    pub pending_exclusions: Vec<PendingExclusion>,
    /// The reader is a leader, who decides on exclusions.
    pub decides_exclusions: bool,
}

/// The comparison page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonData {
    pub base: RoundSummary,
    pub other: RoundSummary,
    pub comparison: Comparison,
}

/// What the comparison page shows: two rounds side by side, or, when it
/// was opened without a round to compare with and the round has no earlier
/// one on its questionnaire, that round alone with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ComparisonPage {
    Compared(Box<ComparisonData>),
    NoEarlierRound(RoundSummary),
}

/// The public page of published results, with its chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedPage {
    pub results: PublishedResults,
    pub element_chart_svg: String,
    /// Whether the round has published actions ("you said — we did").
    pub has_actions: bool,
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
    /// The logo as it is now (not part of the approved snapshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    pub report: IndicesReport,
    /// By respondent type and by department, suppressed where few answered.
    pub breakdowns: Vec<Breakdown>,
    pub target: f64,
    /// Elements with a target of their own when approved, by code.
    #[serde(default)]
    pub element_targets: std::collections::BTreeMap<String, f64>,
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
