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
    pub rules: QualityRules,
    pub may_decide: bool,
}

/// The thresholds of the data-quality rules, as admins set them
/// (docs/methodology.md, "Data-quality flags": the defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityRules {
    /// A timed web response under the round's median divided by this is a speeder.
    pub speeder_median_divisor: u32,
    /// Straight-lining counts over at least this many valid answers.
    pub straight_line_min_answers: u32,
    /// More than this many responses from one network prefix ...
    pub burst_more_than: u32,
    /// ... within this many minutes is a burst.
    pub burst_window_minutes: u32,
}

impl Default for QualityRules {
    fn default() -> Self {
        Self {
            speeder_median_divisor: 3,
            straight_line_min_answers: 10,
            burst_more_than: 5,
            burst_window_minutes: 10,
        }
    }
}

impl QualityRules {
    /// Each rule's field name, bounds and value, in the order forms show them.
    pub fn fields(&self) -> [(&'static str, u32, u32, u32); 4] {
        [
            ("speeder_median_divisor", 2, 20, self.speeder_median_divisor),
            (
                "straight_line_min_answers",
                3,
                100,
                self.straight_line_min_answers,
            ),
            ("burst_more_than", 1, 1000, self.burst_more_than),
            ("burst_window_minutes", 1, 1440, self.burst_window_minutes),
        ]
    }
}
