//! Data quality: the flags raised on responses and the review page.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// Why a response looks doubtful (docs/methodology.md, "Data-quality flags").
    FlagKind {
        /// Completed in under a third of the round's median time (web only).
        Speeder => "speeder",
        /// The same level for every valid answer, over at least ten criteria.
        StraightLine => "straight-line",
        /// More than five responses from one network prefix within ten minutes.
        Burst => "burst",
    }
}

codes! {
    /// A flag waits (`open`: the response is still counted) until a person
    /// confirms it (the response leaves every figure) or dismisses it.
    FlagStatus {
        Open => "open",
        Confirmed => "confirmed",
        Dismissed => "dismissed",
    }
}

/// How many flags of one kind wait and how many were confirmed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FlagTally {
    pub kind: FlagKind,
    pub open: u64,
    pub confirmed: u64,
    pub dismissed: u64,
}

/// One flag as the review page lists it: the response by its receipt code,
/// never by who sent it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlagRow {
    pub id: i32,
    pub receipt_code: String,
    pub kind: FlagKind,
    pub status: FlagStatus,
    pub detail: String,
    pub submitted_at: String,
    pub department: Option<String>,
    pub flagged_at: String,
}

/// `/rounds/{slug}/quality`: the flags of a round, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityPage {
    pub round: RoundSummary,
    pub tallies: Vec<FlagTally>,
    /// The median completion time of the round's web responses, in seconds.
    pub median_seconds: Option<i64>,
    pub flags: Vec<FlagRow>,
    /// Whether more flags have this status than the page lists.
    pub truncated: bool,
    /// The status shown (`open` unless asked otherwise).
    pub showing: FlagStatus,
    pub may_decide: bool,
}
