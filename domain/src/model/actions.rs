//! Action plans: what leadership decides to do about a weak criterion, its
//! progress, and the next round's verdict on it.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// Where an action stands, as the owner department reports it.
    ActionStatus {
        Planned => "planned",
        InProgress => "in-progress",
        Done => "done",
        Dropped => "dropped",
    }
}

codes! {
    /// What the next round shows about an action's criterion (Newcombe's
    /// interval of the change in the share of satisfied answers).
    ActionVerdict {
        /// The interval lies above 0.
        Moved => "moved",
        /// The interval holds 0.
        NotShownToMove => "not-shown-to-move",
        /// The interval lies below 0.
        Fell => "fell",
    }
}

#[cfg(feature = "server")]
impl From<crate::analysis::Verdict> for ActionVerdict {
    fn from(verdict: crate::analysis::Verdict) -> Self {
        match verdict {
            crate::analysis::Verdict::Moved => Self::Moved,
            crate::analysis::Verdict::NotShownToMove => Self::NotShownToMove,
            crate::analysis::Verdict::Fell => Self::Fell,
        }
    }
}

/// A criterion an action may be planned for: below its target, or
/// significantly lower than in the previous round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeakCriterion {
    pub code: String,
    pub text: String,
    pub index: Option<f64>,
    pub target: f64,
    pub below_target: bool,
    /// The fall since the previous round in points, when it is significant.
    pub significant_fall: Option<f64>,
}

/// A criterion's share of satisfied answers in one round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasuredShare {
    pub n_satisfied: u64,
    pub n_valid: u64,
    pub index: Option<f64>,
}

/// The next round's measurement of an action's criterion and its verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Remeasured {
    pub period: String,
    pub share: MeasuredShare,
    /// After − before, in points, with Newcombe's 95% interval.
    pub difference: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: ActionVerdict,
}

/// One action as the pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionRow {
    pub id: i32,
    pub criterion_code: String,
    pub criterion_text: String,
    pub what: String,
    pub owner_department: String,
    pub due_on: String,
    pub expected_effect: String,
    pub status: ActionStatus,
    /// Staff's note on the progress; never on the public page.
    pub progress_note: String,
    pub published: bool,
    pub updated_at: String,
    /// The criterion in the action's round.
    pub before: MeasuredShare,
    /// The criterion in the next round on the same questionnaire, once it has answers.
    pub after: Option<Remeasured>,
    /// Whether the viewer may report progress on it (leaders, admins, the owner department's staff).
    pub may_update: bool,
}

/// `/rounds/{slug}/actions`: the round's action plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionsPage {
    pub round: RoundSummary,
    /// The round that judges the actions, when there is one.
    pub next_round: Option<RoundSummary>,
    pub weak_criteria: Vec<WeakCriterion>,
    pub actions: Vec<ActionRow>,
    pub departments: Vec<Choice>,
    /// Leaders and admins plan and publish.
    pub may_plan: bool,
    /// The published results' permanent id, where the public page hangs.
    pub published_id: Option<String>,
}

/// `/results/{id}/actions`: "you said — we did — measured again".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicActionsPage {
    pub public_id: String,
    pub agency_name: String,
    pub title: String,
    pub period: String,
    /// The next round's period, once its results are published.
    pub measured_again_in: Option<String>,
    /// Published actions only; progress notes left out.
    pub actions: Vec<ActionRow>,
}
