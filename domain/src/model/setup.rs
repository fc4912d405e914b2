//! Setting up an agency: its profile, its catalogue of departments and the
//! administrative procedures they handle, and the setup checklist.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// A day of the holiday calendar: off (a public holiday, a swap's extra
    /// day off), or a weekend day worked in a government swap.
    HolidayKind {
        DayOff => "day-off",
        Workday => "workday",
    }
}

codes! {
    /// What a catalogue entry is.
    CatalogueKind {
        Department => "department",
        Procedure => "procedure",
    }
}

codes! {
    /// How an import or an edit changes one entry.
    CatalogueChangeKind {
        Added => "added",
        /// Its names, field or department changed; its code never does.
        Renamed => "renamed",
        /// Kept for the history, refused on new records.
        Retired => "retired",
        Reactivated => "reactivated",
    }
}

/// One entry of the catalogue, as pages, the API and the file format show it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CatalogueEntry {
    /// `department` or `procedure`.
    pub kind: String,
    /// Stable: departments' own codes, procedures' codes of the national catalogue.
    pub code: String,
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    /// Procedures: the field (lĩnh vực) of the national catalogue.
    #[serde(default)]
    pub field: String,
    /// Procedures: the code of the department that handles it.
    #[serde(default)]
    pub department: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// One change an import or an edit makes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CatalogueChange {
    pub kind: CatalogueKind,
    pub code: String,
    pub change: CatalogueChangeKind,
    /// The Vietnamese name before the change (renamed entries).
    pub before: Option<String>,
    /// The Vietnamese name after it.
    pub name: String,
}

/// What an import would do (dry run) or did: every change, or every problem
/// by line; with any problem nothing is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CataloguePlan {
    pub changes: Vec<CatalogueChange>,
    pub problems: Vec<RowProblem>,
    /// The changes were stored (false for a dry run or when there are problems).
    pub applied: bool,
}

/// The admin's catalogue page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub departments: Vec<CatalogueEntry>,
    pub procedures: Vec<CatalogueEntry>,
    /// The outcome of the last import, shown once.
    pub last_import: Option<CataloguePlan>,
}

codes! {
    /// A step of setting up the agency, in the order the checklist shows.
    SetupStep {
        Profile => "profile",
        Departments => "departments",
        Procedures => "procedures",
        Holidays => "holidays",
        Users => "users",
        Round => "round",
    }
}

/// One step of the setup checklist: done when the database shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupItem {
    pub step: SetupStep,
    pub done: bool,
    /// The page where it is done.
    pub link: String,
}

/// The admin's setup checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupChecklist {
    pub items: Vec<SetupItem>,
    /// The calendar year whose public holidays the holidays step asks for
    /// (the year of sixty days from now).
    pub year: i32,
}

/// The agency's names and contact details, as the profile page edits them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AgencyProfile {
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    /// The published hotline and the agency's address and e-mail.
    #[serde(default)]
    pub hotline: HotlineInfo,
    /// The platform's address as the public reaches it (links and QR codes),
    /// e.g. https://hailong.example.gov.vn; empty: the address of each request.
    #[serde(default)]
    pub public_url: String,
}

/// The settings admins own, as the settings form shows them (text, so that
/// a rejected value comes back as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlatformSettings {
    /// The target index of the charts, in percent.
    pub target_index: String,
    /// Breakdown groups with fewer valid answers show no index.
    pub suppression_threshold: String,
    /// The survey's introduction; empty: the platform's own words.
    pub intro_vi: String,
    pub intro_en: String,
    /// The thanks after a response; empty: the platform's own words.
    pub thanks_vi: String,
    pub thanks_en: String,
    /// The instrument a new round starts from (its id); empty: none chosen.
    pub default_instrument: String,
    /// An element's own target by element code (empty: the agency-wide one).
    #[serde(default)]
    pub element_targets: std::collections::BTreeMap<String, String>,
}

/// The settings page: the values and the instruments to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsPage {
    pub values: PlatformSettings,
    pub instruments: Vec<InstrumentSummary>,
    /// The index elements of the questionnaires (code, title), each of
    /// which may have its own target.
    pub elements: Vec<Choice>,
    /// The thresholds of the data-quality flags.
    pub quality_rules: QualityRules,
}

/// The profile page: the profile and the address of the logo, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilePage {
    pub profile: AgencyProfile,
    pub logo: Option<String>,
}
