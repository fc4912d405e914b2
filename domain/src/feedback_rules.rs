//! The rules of feedback handling (phản ánh, kiến nghị; docs/methodology.md, “Feedback”):
//! channels, classifications, the status workflow with who may move an item
//! along it, and which contact data makes an item eligible for a reply.
//! Pure, shared by the server and the pages.

use serde::{Deserialize, Serialize};

use crate::model::Role;

codes! {
    /// How an item reached the agency.
    FeedbackChannel {
        Hotline => "hotline",
        Letter => "letter",
        Email => "email",
        Web => "web",
        InPerson => "in-person",
        Survey => "survey",
        /// The comment of a per-dossier rating.
        DossierRating => "dossier-rating",
    }
}

codes! {
    /// Where an item stands. The workflow: received → classified → assigned →
    /// in progress → answered → reviewed → published → closed.
    FeedbackStatus {
        Received => "received",
        Classified => "classified",
        Assigned => "assigned",
        InProgress => "in-progress",
        Answered => "answered",
        Reviewed => "reviewed",
        Published => "published",
        Closed => "closed",
    }
}

codes! {
    /// What an item is, decided when it is classified.
    Classification {
        /// Feedback on regulations or on how officials apply them: handled here.
        InScope => "in-scope",
        /// Complaints and denunciations follow other laws: recorded and routed out.
        ComplaintDenunciation => "complaint-denunciation",
        OutOfScope => "out-of-scope",
        /// The same matter as another record.
        Duplicate => "duplicate",
        /// Only praise: no request, no criticism; closed without a deadline.
        Praise => "praise",
    }
}

codes! {
    /// The subject area, for the leadership's breakdown.
    FeedbackCategory {
        Procedures => "procedures",
        Regulations => "regulations",
        Conduct => "conduct",
        Infrastructure => "infrastructure",
        Environment => "environment",
        Labour => "labour",
        Other => "other",
    }
}

codes! {
    /// What staff and leaders do to an item.
    FeedbackAction {
        Classify => "classify",
        Assign => "assign",
        Start => "start",
        Answer => "answer",
        Approve => "approve",
        Return => "return",
        Publish => "publish",
        Close => "close",
        /// Classifies an item that only praises and closes it, in one step.
        MarkPraise => "mark-praise",
    }
}

codes! {
    /// The steps that have a deadline, in working days (settings).
    DeadlineStep {
        /// From receipt to classification.
        Classify => "classify",
        /// From classification to assignment.
        Assign => "assign",
        /// From assignment to the answer.
        Answer => "answer",
        /// From the answer to its review.
        Review => "review",
        /// From a return for rework to the new answer.
        Rework => "rework",
        /// From the approval to publication.
        Publish => "publish",
    }
}

impl DeadlineStep {
    /// Working days given when no setting says otherwise.
    pub fn default_days(self) -> u32 {
        match self {
            Self::Classify => 3,
            Self::Assign => 2,
            Self::Answer => 10,
            Self::Review => 3,
            Self::Rework => 5,
            Self::Publish => 2,
        }
    }

    /// The settings key holding this step's working days.
    pub fn setting_key(self) -> String {
        format!("feedback_deadline_{}", self.code())
    }
}

impl FeedbackChannel {
    /// Channels where the sender writes electronically and so must give an email to get a reply.
    pub fn is_electronic(self) -> bool {
        matches!(self, Self::Email | Self::Web)
    }

    /// Channels staff record by hand (the web form and survey comments arrive by themselves).
    pub const RECORDED_BY_STAFF: &'static [Self] = &[
        Self::Hotline,
        Self::Letter,
        Self::Email,
        Self::InPerson,
        Self::Web,
    ];
}

impl FeedbackStatus {
    /// Statuses in which the item still waits for someone (it can be overdue).
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Published | Self::Closed)
    }
}

/// Why an action cannot be taken on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The action does not lead anywhere from the item's status.
    NotFromStatus,
    /// Only items classified in scope are assigned and handled.
    NotInScope,
    /// Items in scope go through handling; they are not closed unanswered.
    InScopeNeedsAnswer,
}

/// The status an item moves to when `action` is taken in `from`, given its
/// classification; or why it cannot be taken.
pub fn next_status(
    from: FeedbackStatus,
    action: FeedbackAction,
    classification: Option<Classification>,
) -> Result<FeedbackStatus, Refusal> {
    use FeedbackAction as A;
    use FeedbackStatus as S;
    let in_scope = classification == Some(Classification::InScope);
    match (from, action) {
        // A classification may be corrected until the item is assigned.
        (S::Received | S::Classified, A::Classify) => Ok(S::Classified),
        (S::Classified | S::Assigned, A::Assign) if in_scope => Ok(S::Assigned),
        (S::Classified, A::Assign) => Err(Refusal::NotInScope),
        (S::Assigned, A::Start) => Ok(S::InProgress),
        (S::InProgress, A::Answer) => Ok(S::Answered),
        (S::Answered, A::Approve) => Ok(S::Reviewed),
        (S::Answered, A::Return) => Ok(S::InProgress),
        (S::Reviewed, A::Publish) => Ok(S::Published),
        (S::Published, A::Close) => Ok(S::Closed),
        // Routed out, out of scope or a duplicate: closed once classified.
        (S::Classified, A::Close) if !in_scope => Ok(S::Closed),
        (S::Classified, A::Close) => Err(Refusal::InScopeNeedsAnswer),
        // Only praise: nothing to answer, so no deadline runs.
        (S::Received | S::Classified, A::MarkPraise) => Ok(S::Closed),
        _ => Err(Refusal::NotFromStatus),
    }
}

/// The actions that lead somewhere from `from`, in workflow order.
pub fn possible_actions(
    from: FeedbackStatus,
    classification: Option<Classification>,
) -> Vec<FeedbackAction> {
    FeedbackAction::ALL
        .iter()
        .copied()
        .filter(|a| next_status(from, *a, classification).is_ok())
        .collect()
}

/// Who may take `action`. Handling (start, answer) is also limited to the
/// staff of the item's department; see [`may_act`].
pub fn roles_for(action: FeedbackAction) -> &'static [Role] {
    match action {
        FeedbackAction::Classify => &[Role::Admin, Role::Staff, Role::Leader],
        FeedbackAction::Assign => &[Role::Admin, Role::Staff],
        FeedbackAction::Start | FeedbackAction::Answer => &[Role::Admin, Role::Staff],
        FeedbackAction::Approve | FeedbackAction::Return | FeedbackAction::Publish => {
            &[Role::Admin, Role::Leader]
        }
        FeedbackAction::Close | FeedbackAction::MarkPraise => {
            &[Role::Admin, Role::Staff, Role::Leader]
        }
    }
}

/// Whether someone with `role`, working in `own_departments`, may take
/// `action` on an item assigned to `item_department` and classified (after
/// the action) as `classification`. Setting an item aside — out of scope
/// or a duplicate — and closing such an item are a leader's decisions:
/// staff could otherwise bury the feedback that judges them.
pub fn may_act(
    action: FeedbackAction,
    role: Role,
    own_departments: &[i32],
    item_department: Option<i32>,
    classification: Option<Classification>,
) -> bool {
    if !roles_for(action).contains(&role) {
        return false;
    }
    let sets_aside = matches!(
        classification,
        Some(Classification::OutOfScope | Classification::Duplicate)
    ) && matches!(action, FeedbackAction::Classify | FeedbackAction::Close);
    if sets_aside && role == Role::Staff {
        return false;
    }
    let handling = matches!(action, FeedbackAction::Start | FeedbackAction::Answer);
    !(handling && role == Role::Staff)
        || item_department.is_some_and(|d| own_departments.contains(&d))
}

/// The deadline that applies while an item is in `status` (entered by
/// `action`), if any.
pub fn deadline_step(
    status: FeedbackStatus,
    entered_by: Option<FeedbackAction>,
) -> Option<DeadlineStep> {
    match status {
        FeedbackStatus::Received => Some(DeadlineStep::Classify),
        FeedbackStatus::Classified => Some(DeadlineStep::Assign),
        FeedbackStatus::Assigned => Some(DeadlineStep::Answer),
        FeedbackStatus::InProgress if entered_by == Some(FeedbackAction::Return) => {
            Some(DeadlineStep::Rework)
        }
        FeedbackStatus::InProgress => Some(DeadlineStep::Answer),
        FeedbackStatus::Answered => Some(DeadlineStep::Review),
        FeedbackStatus::Reviewed => Some(DeadlineStep::Publish),
        FeedbackStatus::Published | FeedbackStatus::Closed => None,
    }
}

/// The contact data the rules ask of a sender (docs/methodology.md, “Feedback”). Missing
/// data does not stop recording; it makes the item ineligible for a reply.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SenderContact {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

impl SenderContact {
    /// The fields still missing for a reply through `channel`.
    pub fn missing_for_reply(&self, channel: FeedbackChannel) -> Vec<&'static str> {
        let mut missing = Vec::new();
        for (field, value) in [
            ("sender_name", &self.name),
            ("sender_address", &self.address),
            ("sender_phone", &self.phone),
        ] {
            if value.trim().is_empty() {
                missing.push(field);
            }
        }
        if channel.is_electronic() && self.email.trim().is_empty() {
            missing.push("sender_email");
        }
        missing
    }

    pub fn eligible_for_reply(&self, channel: FeedbackChannel) -> bool {
        self.missing_for_reply(channel).is_empty()
    }
}

/// Where an item stands, as the sender sees it by the tracking code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PublicStatus {
    Received,
    InProgress,
    Answered,
    /// Closed without an answer here: routed out, out of scope or a duplicate.
    NotHandledHere,
}

impl PublicStatus {
    /// What the sender sees; praise, closed without an answer to give, is
    /// simply received.
    pub fn of(
        status: FeedbackStatus,
        classification: Option<Classification>,
        answered_publicly: bool,
    ) -> Self {
        match status {
            FeedbackStatus::Received | FeedbackStatus::Classified => Self::Received,
            FeedbackStatus::Published => Self::Answered,
            FeedbackStatus::Closed if answered_publicly => Self::Answered,
            FeedbackStatus::Closed if classification == Some(Classification::Praise) => {
                Self::Received
            }
            FeedbackStatus::Closed => Self::NotHandledHere,
            _ => Self::InProgress,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FeedbackAction as A;
    use FeedbackStatus as S;

    /// Every (status, action, classification) and where it leads, written
    /// out by hand from docs/methodology.md, “Feedback”.
    #[test]
    fn the_workflow_allows_exactly_the_documented_transitions() {
        let allowed = |from: S, action: A, class: Option<Classification>| -> Option<S> {
            let in_scope = class == Some(Classification::InScope);
            Some(match (from, action) {
                (S::Received, A::Classify) | (S::Classified, A::Classify) => S::Classified,
                (S::Classified, A::Assign) | (S::Assigned, A::Assign) if in_scope => S::Assigned,
                (S::Assigned, A::Start) => S::InProgress,
                (S::InProgress, A::Answer) => S::Answered,
                (S::Answered, A::Approve) => S::Reviewed,
                (S::Answered, A::Return) => S::InProgress,
                (S::Reviewed, A::Publish) => S::Published,
                (S::Published, A::Close) => S::Closed,
                (S::Classified, A::Close) if !in_scope => S::Closed,
                (S::Received, A::MarkPraise) | (S::Classified, A::MarkPraise) => S::Closed,
                _ => return None,
            })
        };
        let mut legal = 0;
        let classes = [None]
            .into_iter()
            .chain(Classification::ALL.iter().copied().map(Some));
        for class in classes {
            for from in S::ALL {
                for action in A::ALL {
                    let got = next_status(*from, *action, class).ok();
                    assert_eq!(
                        got,
                        allowed(*from, *action, class),
                        "{from:?} {action:?} {class:?}"
                    );
                    legal += usize::from(got.is_some());
                }
            }
        }
        assert!(legal > 20);
    }

    #[test]
    fn closed_and_published_items_only_close() {
        for action in A::ALL {
            assert!(next_status(S::Closed, *action, Some(Classification::InScope)).is_err());
        }
        assert_eq!(
            possible_actions(S::Published, Some(Classification::InScope)),
            vec![A::Close]
        );
        assert_eq!(
            next_status(S::Classified, A::Close, Some(Classification::InScope)),
            Err(Refusal::InScopeNeedsAnswer)
        );
        assert_eq!(
            next_status(S::Classified, A::Assign, Some(Classification::Duplicate)),
            Err(Refusal::NotInScope)
        );
    }

    #[test]
    fn praise_is_closed_in_one_step_without_a_deadline() {
        for from in [S::Received, S::Classified] {
            assert!(possible_actions(from, None).contains(&A::MarkPraise));
            assert_eq!(
                next_status(from, A::MarkPraise, Some(Classification::Praise)),
                Ok(S::Closed)
            );
        }
        assert!(next_status(S::Assigned, A::MarkPraise, Some(Classification::Praise)).is_err());
        assert_eq!(deadline_step(S::Closed, Some(A::MarkPraise)), None);
        assert!(may_act(
            A::MarkPraise,
            Role::Staff,
            &[3],
            Some(3),
            Some(Classification::Praise)
        ));
    }

    #[test]
    fn handling_is_for_the_staff_of_the_department() {
        let in_scope = Some(Classification::InScope);
        assert!(may_act(A::Answer, Role::Staff, &[3], Some(3), in_scope));
        assert!(!may_act(A::Answer, Role::Staff, &[2], Some(3), in_scope));
        assert!(!may_act(A::Start, Role::Staff, &[2], None, in_scope));
        assert!(may_act(A::Answer, Role::Admin, &[], Some(3), in_scope));
        assert!(!may_act(A::Answer, Role::Leader, &[3], Some(3), in_scope));
        assert!(may_act(A::Classify, Role::Staff, &[], None, in_scope));
        assert!(!may_act(A::Publish, Role::Staff, &[3], Some(3), in_scope));
        assert!(may_act(A::Publish, Role::Leader, &[], Some(3), in_scope));
    }

    #[test]
    fn setting_an_item_aside_is_a_leaders_decision() {
        for aside in [Classification::OutOfScope, Classification::Duplicate] {
            assert!(!may_act(
                A::Classify,
                Role::Staff,
                &[3],
                Some(3),
                Some(aside)
            ));
            assert!(!may_act(A::Close, Role::Staff, &[3], Some(3), Some(aside)));
            assert!(may_act(
                A::Classify,
                Role::Leader,
                &[],
                Some(3),
                Some(aside)
            ));
            assert!(may_act(A::Close, Role::Leader, &[], Some(3), Some(aside)));
            assert!(may_act(A::Classify, Role::Admin, &[], Some(3), Some(aside)));
        }
        let routed_out = Some(Classification::ComplaintDenunciation);
        assert!(may_act(A::Classify, Role::Staff, &[3], Some(3), routed_out));
        assert!(may_act(A::Close, Role::Staff, &[3], Some(3), routed_out));
    }

    #[test]
    fn a_reply_needs_name_address_phone_and_for_electronic_channels_email() {
        let mut sender = SenderContact {
            name: "Nguyễn Văn A".into(),
            address: "KCN Tam Thăng".into(),
            phone: "0905123456".into(),
            email: String::new(),
        };
        assert!(sender.eligible_for_reply(FeedbackChannel::Hotline));
        assert_eq!(
            sender.missing_for_reply(FeedbackChannel::Web),
            vec!["sender_email"]
        );
        sender.email = "a@example.vn".into();
        assert!(sender.eligible_for_reply(FeedbackChannel::Email));
        sender.phone = "  ".into();
        assert_eq!(
            sender.missing_for_reply(FeedbackChannel::Letter),
            vec!["sender_phone"]
        );
    }

    #[test]
    fn every_open_status_has_a_deadline() {
        for status in S::ALL {
            assert_eq!(
                deadline_step(*status, None).is_some(),
                status.is_open(),
                "{status:?}"
            );
        }
        assert_eq!(
            deadline_step(S::InProgress, Some(A::Return)),
            Some(DeadlineStep::Rework)
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.code()), Some(*s));
        }
        for c in FeedbackChannel::ALL {
            assert_eq!(FeedbackChannel::parse(c.code()), Some(*c));
        }
        assert_eq!(Classification::parse("nope"), None);
    }
}
