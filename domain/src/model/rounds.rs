//! Survey rounds: a round's life and what the round pages show.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// A round's life: draft → open → closed → published. `Scheduled` is
    /// never stored: an open round shows it before its `opens_at`
    /// (`services::rounds::status_at`).
    RoundStatus {
        Draft => "draft",
        Scheduled => "scheduled",
        Open => "open",
        Closed => "closed",
        Published => "published",
    }
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
    /// Responses ÷ invitations, in percent (docs/methodology.md, “Formulas”).
    pub response_rate: Option<f64>,
    /// Responses ÷ target sample, in percent.
    pub target_reached: Option<f64>,
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
    /// The instrument a new round starts from, as admins set it.
    pub default_instrument: Option<i32>,
    /// This year in Vietnam, the new round's default year.
    pub this_year: i32,
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
    /// The population counts the round's figures are weighted by.
    pub populations: PopulationsForm,
}

/// The population counts of a round as its form shows them: the breakdown
/// in use (if any), and one field per stratum of each breakdown with the
/// count entered ("" when none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PopulationsForm {
    pub dimension: Option<StratumDimension>,
    pub respondent_types: Vec<PopulationField>,
    pub departments: Vec<PopulationField>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PopulationField {
    pub code: String,
    pub label: String,
    pub value: String,
}

/// The printable A4 poster for the one-stop counter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PosterData {
    pub agency_name: String,
    /// The address of the agency's logo, if it has one.
    #[serde(default)]
    pub logo: Option<String>,
    pub round: RoundSummary,
    pub public_link: String,
    pub qr_svg: String,
}
