//! Dossiers from the one-stop software and the rating of each completed
//! one: what the API takes, what the public rating page shows, and the
//! figures leadership reads.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// How a dossier ended.
    DossierResult {
        /// The result the person asked for (a licence, a certificate …).
        Granted => "granted",
        /// Refused, with the reasons in writing.
        Refused => "refused",
        /// Withdrawn by the person.
        Withdrawn => "withdrawn",
    }
}

codes! {
    /// The three levels of the per-dossier rating.
    RatingLevel {
        /// Không hài lòng.
        Unsatisfied => "khong-hai-long",
        /// Hài lòng.
        Satisfied => "hai-long",
        /// Rất hài lòng.
        VerySatisfied => "rat-hai-long",
    }
}

impl RatingLevel {
    /// 1, 2 or 3, as stored and tallied.
    pub fn value(self) -> i16 {
        match self {
            Self::Unsatisfied => 1,
            Self::Satisfied => 2,
            Self::VerySatisfied => 3,
        }
    }

    pub fn from_value(value: i16) -> Option<Self> {
        Self::ALL.iter().copied().find(|l| l.value() == value)
    }
}

codes! {
    /// What shaped a rating, as the person ticks it.
    RatingReason {
        WaitingTime => "waiting-time",
        StaffAttitude => "staff-attitude",
        Guidance => "guidance",
        Trips => "trips",
        OnTime => "on-time",
        Other => "other",
    }
}

codes! {
    /// Where a rating was given.
    RatingSource {
        /// The rating link (printed on the result slip as a QR code, or sent).
        Link => "link",
        /// The tablet at the one-stop counter.
        Kiosk => "kiosk",
    }
}

/// One dossier as the one-stop software sends it: an entry of `POST
/// /api/v1/dossiers`, or a row of an imported file (same names as columns).
/// Times are RFC 3339, or `2026-12-03 09:30` / `03/12/2026 09:30` in
/// Vietnam time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomingDossier {
    /// The one-stop software's code of the dossier; sending it again changes nothing.
    pub code: String,
    /// The procedure's code in the agency's catalogue.
    pub procedure: String,
    /// The department's code; the procedure's department when absent.
    #[serde(default)]
    pub department: Option<String>,
    /// `truc-tiep` (counter), `truc-tuyen` (online) or `buu-chinh` (post);
    /// `counter`, `online` and `post` are read too.
    pub channel: String,
    pub received_at: String,
    #[serde(default)]
    pub due_at: Option<String>,
    /// Absent while the dossier is being handled; send the dossier again when it completes.
    #[serde(default)]
    pub completed_at: Option<String>,
    /// `granted`, `refused` or `withdrawn`.
    #[serde(default)]
    pub result: Option<String>,
    /// To send the rating link; erased when the link expires.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

codes! {
    /// What a batch did with one dossier.
    DossierOutcome {
        Added => "added",
        /// Stored before without its completion, now completed.
        Completed => "completed",
        /// Stored before, still being handled, with another due date or result.
        Updated => "updated",
        /// Stored before exactly so.
        Unchanged => "unchanged",
    }
}

/// One dossier of a stored batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DossierReceipt {
    pub code: String,
    pub outcome: DossierOutcome,
    /// The rating link of a completed dossier, for the result slip (and its QR code).
    pub rating_url: Option<String>,
}

/// What a batch of dossiers did: all stored, or nothing and the problems by entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DossierBatch {
    pub stored: bool,
    pub dossiers: Vec<DossierReceipt>,
    /// By entry (1: the first) or, for a file, by line (the header is line 1).
    pub problems: Vec<RowProblem>,
}

codes! {
    /// Where a rating link stands.
    RatingLinkState {
        Open => "open",
        Rated => "rated",
        Expired => "expired",
        /// No dossier has this key.
        Unknown => "unknown",
    }
}

/// The public rating page of one dossier: nothing personal, only what the
/// person needs to recognise the dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierRatingView {
    pub state: RatingLinkState,
    pub agency: String,
    pub procedure: String,
    pub department: String,
    /// "dd/mm/yyyy".
    pub completed_on: String,
    /// The last day the link takes a rating, "dd/mm/yyyy".
    pub open_until: String,
}

/// A rating as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDossierRating {
    pub level: Option<RatingLevel>,
    pub reasons: Vec<RatingReason>,
    /// 1–5 (5: five or more); none when not said.
    pub trips: Option<i16>,
    pub comment: String,
}

/// One line of the dossier figures: a department, procedure, channel or
/// month. Rating figures are `None` below the suppression threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DossierFigureRow {
    /// The code (department, procedure, channel) or "yyyy-mm".
    pub key: String,
    pub label: String,
    pub completed: u64,
    pub rated: u64,
    /// Rated / completed, 0–100.
    pub rated_share: Option<f64>,
    /// Fewer ratings than the threshold: the rating figures are hidden.
    pub suppressed: bool,
    /// Hài lòng + rất hài lòng.
    pub satisfied: Option<u64>,
    /// Satisfied / rated, 0–100.
    pub satisfied_share: Option<f64>,
    /// Wilson's 95% interval of the satisfied share, 0–100.
    pub satisfied_interval: Option<(f64, f64)>,
    /// Ratings at each level: không hài lòng, hài lòng, rất hài lòng.
    pub levels: Option<[u64; 3]>,
    /// Completed dossiers that had a due date.
    pub with_due_date: u64,
    /// Completed by the due date / with a due date, 0–100.
    pub on_time_share: Option<f64>,
    /// Average trips among ratings that said.
    pub average_trips: Option<f64>,
}

/// How often a reason was ticked, overall and by the unsatisfied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReasonCount {
    pub reason: RatingReason,
    pub total: u64,
    pub unsatisfied: u64,
}

/// The dossier figures of a year (or one month of it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DossierFigures {
    pub year: i32,
    /// 1–12, or all the year.
    pub month: Option<u32>,
    /// Rating figures over fewer ratings than this are hidden.
    pub threshold: u64,
    pub total: DossierFigureRow,
    pub by_department: Vec<DossierFigureRow>,
    pub by_procedure: Vec<DossierFigureRow>,
    pub by_channel: Vec<DossierFigureRow>,
    pub by_month: Vec<DossierFigureRow>,
    /// Hidden (empty) when the ratings are fewer than the threshold.
    pub reasons: Vec<ReasonCount>,
}

/// The public rating page with what its form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierRatingPage {
    pub view: DossierRatingView,
    pub csrf_token: String,
    /// The form's last attempt, when it came back with a problem.
    pub flash: Option<FormFlash>,
}

/// The public monthly page of the dossier figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicDossierFigures {
    pub figures: DossierFigures,
    /// Years to choose from: this one and those with completed dossiers.
    pub years: Vec<i32>,
}

/// The staff page of the dossier figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DossierFiguresPage {
    pub figures: DossierFigures,
    /// Years to choose from: this one and those with completed dossiers.
    pub years: Vec<i32>,
    /// Days a rating link stays open after completion (admins change it here).
    pub rating_days: u32,
}

/// The setting (and the form field) of how many days a rating link stays open.
pub const RATING_DAYS_SETTING: &str = "dossier_rating_days";

/// A counter kiosk as the officers' page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskRow {
    pub id: i32,
    pub name: String,
    /// The address the tablet opens (`/kiosk/{token}`).
    pub address: String,
    /// When the dossier now waiting for its rating was handed over
    /// (Vietnam time, "HH:MM"); none when the kiosk waits for a dossier.
    pub handed_at: Option<String>,
}

/// What the tablet shows: the dossier waiting for its rating, by its
/// procedure and department only, or nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskScreen {
    pub agency: String,
    pub kiosk: String,
    pub waiting: Option<KioskDossier>,
}

/// The dossier on a kiosk's screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskDossier {
    /// Marks this hand-over: a tap sent for an earlier one stores nothing.
    pub handover: i64,
    pub procedure: String,
    pub department: String,
    /// Seconds until the kiosk clears the dossier and waits again.
    pub seconds_left: i64,
}

/// The tablet's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskScreenPage {
    /// None when no kiosk has this address.
    pub screen: Option<KioskScreen>,
    pub csrf_token: String,
}

/// The officers' page of the counter kiosks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KiosksPage {
    pub kiosks: Vec<KioskRow>,
}
