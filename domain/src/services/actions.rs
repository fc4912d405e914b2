//! Action plans (docs/methodology.md, "Analysis beyond the index"): for a
//! criterion below its target or significantly lower than in the previous
//! round, a leader records what will be done, by which department and by
//! when; the owner department reports progress; the next round on the same
//! questionnaire judges each action's criterion with Newcombe's interval;
//! published actions appear on the public page of the round's results.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::AppError;
use crate::analysis;
use crate::auth::Principal;
use crate::entities::{action, department, round};
use crate::i18n::{Lang, day_text, local_time};
use crate::model::{
    ActionRow, ActionStatus, ActionsPage, IndicesReport, MeasuredShare, Problem, PublicActionsPage,
    Remeasured, Role, Violation, WeakCriterion,
};
use crate::services::audit::{self, Actor};
use crate::services::{catalogue, check_length, indices, results, rounds, settings};

pub const WHAT_MAX: usize = 2000;
pub const EFFECT_MAX: usize = 1000;
pub const NOTE_MAX: usize = 2000;

/// Who plans and publishes actions.
pub const PLANNERS: &[Role] = &[Role::Leader, Role::Admin];

/// An action as the leader's form sends it.
#[derive(Clone, Debug, Default)]
pub struct NewAction {
    pub criterion_code: String,
    pub what: String,
    /// The owner department's code.
    pub owner_department: String,
    /// "YYYY-MM-DD", as a date field sends it.
    pub due_on: String,
    pub expected_effect: String,
}

/// The criteria of `report` an action may be planned for: below their
/// target (the element's, or the agency's), or significantly lower than in
/// `previous` (a two-proportion z-test).
pub fn weak_criteria(
    report: &IndicesReport,
    previous: Option<&IndicesReport>,
    target: f64,
    element_targets: &BTreeMap<String, f64>,
    lang: Lang,
) -> Vec<WeakCriterion> {
    let changes = previous.map(|before| indices::compare(before, report));
    report
        .criteria
        .iter()
        .filter_map(|c| {
            let target = settings::target_of(&c.element, element_targets, target);
            let below_target = c.figures.index.is_some_and(|index| index < target);
            let significant_fall = changes
                .as_ref()
                .and_then(|comparison| comparison.criteria.iter().find(|x| x.code == c.code))
                .filter(|x| x.significant)
                .and_then(|x| x.delta)
                .filter(|delta| *delta < 0.0);
            (below_target || significant_fall.is_some()).then(|| WeakCriterion {
                code: c.code.clone(),
                text: lang.pick(&c.text_vi, &c.text_en).to_owned(),
                index: c.figures.index,
                target,
                below_target,
                significant_fall,
            })
        })
        .collect()
}

/// The weak criteria of `round` from its whole-round `report` and the
/// previous round's.
pub async fn weak_criteria_of(
    db: &DatabaseConnection,
    round: &round::Model,
    report: &IndicesReport,
    lang: Lang,
) -> Result<Vec<WeakCriterion>, AppError> {
    let previous = match indices::previous(db, round).await? {
        Some(before) => Some(indices::report(db, &before, &indices::Filter::default()).await?),
        None => None,
    };
    Ok(weak_criteria(
        report,
        previous.as_ref(),
        settings::target_index(db).await?,
        &settings::element_targets(db).await?,
        lang,
    ))
}

/// Records an action of `round`'s plan. Each field in error is named;
/// nothing is stored then.
#[tracing::instrument(skip_all)]
pub async fn plan(
    db: &DatabaseConnection,
    actor: &Actor,
    round: &round::Model,
    new: &NewAction,
) -> Result<i32, AppError> {
    let report = indices::report(db, round, &indices::Filter::default()).await?;
    let weak = weak_criteria_of(db, round, &report, Lang::Vi).await?;
    let mut violations = Vec::new();
    if new.criterion_code.trim().is_empty() {
        violations.push(Violation::new("criterion", Problem::Required));
    } else if !weak.iter().any(|w| w.code == new.criterion_code) {
        violations.push(Violation::new("criterion", Problem::NotAWeakCriterion));
    }
    let what = new.what.trim();
    check_length(&mut violations, "what", what, 1, WHAT_MAX);
    let expected_effect = new.expected_effect.trim();
    check_length(
        &mut violations,
        "expected_effect",
        expected_effect,
        0,
        EFFECT_MAX,
    );
    let owner = if new.owner_department.trim().is_empty() {
        violations.push(Violation::new("owner_department", Problem::Required));
        None
    } else {
        match catalogue::department_by_code(db, new.owner_department.trim()).await? {
            Some(d) if d.active => Some(d),
            Some(_) => {
                violations.push(Violation::new(
                    "owner_department",
                    Problem::RetiredDepartment,
                ));
                None
            }
            None => {
                violations.push(Violation::new(
                    "owner_department",
                    Problem::UnknownDepartment,
                ));
                None
            }
        }
    };
    let due_on = parse_day(&mut violations, "due_on", &new.due_on);
    let (Some(owner), Some(due_on), true) = (owner, due_on, violations.is_empty()) else {
        return Err(AppError::Invalid(violations));
    };
    let now = Utc::now();
    let stored = action::ActiveModel {
        round_id: Set(round.id),
        criterion_code: Set(new.criterion_code.clone()),
        what: Set(what.to_owned()),
        owner_department_id: Set(owner.id),
        due_on: Set(due_on),
        expected_effect: Set(expected_effect.to_owned()),
        status: Set(ActionStatus::Planned),
        progress_note: Set(String::new()),
        published_at: Set(None),
        created_by_user_id: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let after = serde_json::json!({
        "round": round.slug,
        "criterion": stored.criterion_code,
        "owner_department": owner.code,
        "due_on": stored.due_on.to_string(),
    });
    audit::record(
        db,
        actor,
        "action.plan",
        "action",
        Some(stored.id.to_string()),
        None::<&()>,
        Some(&after),
    )
    .await?;
    Ok(stored.id)
}

/// Records where action `id` stands: leaders, admins and the staff of its
/// owner department.
#[tracing::instrument(skip_all)]
pub async fn report_progress(
    db: &DatabaseConnection,
    actor: &Actor,
    principal: &Principal,
    id: i32,
    status: &str,
    note: &str,
) -> Result<action::Model, AppError> {
    let found = require(db, id).await?;
    if !may_update(principal, &found) {
        return Err(AppError::Forbidden);
    }
    let mut violations = Vec::new();
    let status = ActionStatus::parse(status.trim());
    if status.is_none() {
        violations.push(Violation::new("status", Problem::InvalidValue));
    }
    let note = note.trim();
    check_length(&mut violations, "progress_note", note, 0, NOTE_MAX);
    let (Some(status), true) = (status, violations.is_empty()) else {
        return Err(AppError::Invalid(violations));
    };
    let before = serde_json::json!({"status": found.status, "progress_note": found.progress_note});
    let mut changed: action::ActiveModel = found.into();
    changed.status = Set(status);
    changed.progress_note = Set(note.to_owned());
    changed.updated_at = Set(Utc::now());
    let saved = changed.update(db).await?;
    let after = serde_json::json!({"status": saved.status, "progress_note": saved.progress_note});
    audit::record(
        db,
        actor,
        "action.progress",
        "action",
        Some(saved.id.to_string()),
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(saved)
}

/// Shows action `id` on the public page of its round's results, or takes it off.
#[tracing::instrument(skip_all)]
pub async fn set_published(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    published: bool,
) -> Result<action::Model, AppError> {
    let found = require(db, id).await?;
    if found.published_at.is_some() == published {
        return Ok(found);
    }
    let mut changed: action::ActiveModel = found.into();
    changed.published_at = Set(published.then(Utc::now));
    changed.updated_at = Set(Utc::now());
    let saved = changed.update(db).await?;
    audit::record(
        db,
        actor,
        if published {
            "action.publish"
        } else {
            "action.unpublish"
        },
        "action",
        Some(saved.id.to_string()),
        None::<&()>,
        None::<&()>,
    )
    .await?;
    Ok(saved)
}

pub async fn require(db: &DatabaseConnection, id: i32) -> Result<action::Model, AppError> {
    action::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("action"))
}

/// The round an action belongs to.
pub async fn round_of(
    db: &DatabaseConnection,
    found: &action::Model,
) -> Result<round::Model, AppError> {
    round::Entity::find_by_id(found.round_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("round"))
}

/// Leaders and admins update any action; staff those of their departments.
pub fn may_update(principal: &Principal, found: &action::Model) -> bool {
    principal.has_role(PLANNERS)
        || (principal.role == Role::Staff
            && principal
                .department_ids
                .contains(&found.owner_department_id))
}

/// The staff page of `round`'s action plan, with each action judged by the
/// next round's live figures when it has answers.
#[tracing::instrument(skip_all)]
pub async fn page(
    db: &DatabaseConnection,
    principal: &Principal,
    round: &round::Model,
    lang: Lang,
) -> Result<ActionsPage, AppError> {
    let filter = indices::Filter::default();
    let report = indices::report(db, round, &filter).await?;
    let next = indices::next(db, round).await?;
    let after = match &next {
        Some(next) => Some((
            lang.period(next.year, next.half),
            indices::report(db, next, &filter).await?,
        )),
        None => None,
    };
    let stored = of_round(db, round.id, false).await?;
    let names = department_names(db, lang).await?;
    let actions = stored
        .iter()
        .map(|a| {
            let mut row = row(a, &report, after.as_ref(), &names, lang);
            row.may_update = may_update(principal, a);
            row
        })
        .collect();
    Ok(ActionsPage {
        round: rounds::summary(round, lang),
        next_round: next.as_ref().map(|n| rounds::summary(n, lang)),
        weak_criteria: weak_criteria_of(db, round, &report, lang).await?,
        actions,
        departments: catalogue::choices(db, lang).await?.0,
        may_plan: principal.has_role(PLANNERS),
        published_id: results::of_round(db, round.id).await?,
    })
}

/// The public page of the published results `public_id`: their round's
/// published actions, each measured in the round's approved figures and,
/// once the next round's results are published too, judged by them.
/// Unapproved figures never reach it; neither do progress notes.
#[tracing::instrument(skip_all)]
pub async fn public_page(
    db: &DatabaseConnection,
    public_id: &str,
    lang: Lang,
) -> Result<Option<PublicActionsPage>, AppError> {
    let Some(published) = results::find(db, public_id).await? else {
        return Ok(None);
    };
    let round = rounds::require(db, &published.round_slug).await?;
    let mut after = None;
    if let Some(next) = indices::next(db, &round).await?
        && let Some(next_id) = results::of_round(db, next.id).await?
        && let Some(next_results) = results::find(db, &next_id).await?
    {
        after = Some((lang.period(next.year, next.half), next_results.report));
    }
    let names = department_names(db, lang).await?;
    let actions = of_round(db, round.id, true)
        .await?
        .iter()
        .map(|a| {
            let mut row = row(a, &published.report, after.as_ref(), &names, lang);
            row.progress_note = String::new();
            row
        })
        .collect();
    Ok(Some(PublicActionsPage {
        public_id: published.public_id,
        agency_name: settings::agency_name_in(db, lang).await?,
        title: lang
            .pick(&published.title_vi, &published.title_en)
            .to_owned(),
        period: lang.period(published.year, published.half),
        measured_again_in: after.map(|(period, _)| period),
        actions,
    }))
}

/// Whether `round` has published actions (the results page links to them).
pub async fn has_published(db: &DatabaseConnection, round_id: i32) -> Result<bool, AppError> {
    let published = action::Entity::find()
        .filter(action::Column::RoundId.eq(round_id))
        .filter(action::Column::PublishedAt.is_not_null())
        .count(db)
        .await?;
    Ok(published > 0)
}

async fn of_round(
    db: &DatabaseConnection,
    round_id: i32,
    published_only: bool,
) -> Result<Vec<action::Model>, AppError> {
    let mut query = action::Entity::find().filter(action::Column::RoundId.eq(round_id));
    if published_only {
        query = query.filter(action::Column::PublishedAt.is_not_null());
    }
    Ok(query
        .order_by_asc(action::Column::CriterionCode)
        .order_by_asc(action::Column::Id)
        .all(db)
        .await?)
}

async fn department_names(
    db: &DatabaseConnection,
    lang: Lang,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, lang.pick(&d.name_vi, &d.name_en).to_owned()))
        .collect())
}

/// One action with its criterion measured in `before` and, when given, in
/// the next round's `after` (period, report) with Newcombe's verdict.
fn row(
    stored: &action::Model,
    before: &IndicesReport,
    after: Option<&(String, IndicesReport)>,
    department_names: &HashMap<i32, String>,
    lang: Lang,
) -> ActionRow {
    let criterion = before
        .criteria
        .iter()
        .find(|c| c.code == stored.criterion_code);
    let before_share = share_of(before, &stored.criterion_code);
    let remeasured = after.and_then(|(period, report)| {
        let after_share = share_of(report, &stored.criterion_code);
        let change = analysis::change(
            (before_share.n_satisfied, before_share.n_valid),
            (after_share.n_satisfied, after_share.n_valid),
        )?;
        Some(Remeasured {
            period: period.clone(),
            share: after_share,
            difference: change.difference,
            ci_low: change.interval.0,
            ci_high: change.interval.1,
            verdict: change.verdict().into(),
        })
    });
    ActionRow {
        id: stored.id,
        criterion_code: stored.criterion_code.clone(),
        criterion_text: criterion
            .map(|c| lang.pick(&c.text_vi, &c.text_en).to_owned())
            .unwrap_or_default(),
        what: stored.what.clone(),
        owner_department: department_names
            .get(&stored.owner_department_id)
            .cloned()
            .unwrap_or_default(),
        due_on: day_text(stored.due_on),
        expected_effect: stored.expected_effect.clone(),
        status: stored.status,
        progress_note: stored.progress_note.clone(),
        published: stored.published_at.is_some(),
        updated_at: local_time(stored.updated_at),
        before: before_share,
        after: remeasured,
        may_update: false,
    }
}

fn share_of(report: &IndicesReport, code: &str) -> MeasuredShare {
    report.criteria.iter().find(|c| c.code == code).map_or(
        MeasuredShare {
            n_satisfied: 0,
            n_valid: 0,
            index: None,
        },
        |c| MeasuredShare {
            n_satisfied: c.figures.n_satisfied,
            n_valid: c.figures.n_valid,
            index: c.figures.index,
        },
    )
}

fn parse_day(violations: &mut Vec<Violation>, field: &str, text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        violations.push(Violation::new(field, Problem::Required));
        return None;
    }
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    if parsed.is_none() {
        violations.push(Violation::new(field, Problem::InvalidValue));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index_engine::{self, LevelCounts};
    use crate::model::CriterionIndex;

    fn report(criteria: &[(&str, &str, u64, u64)]) -> IndicesReport {
        IndicesReport {
            round: "r".to_owned(),
            formula_version: String::new(),
            n_responses: 0,
            n_excluded: 0,
            n_flagged: 0,
            flags: Vec::new(),
            overall: None,
            overall_ci_low: None,
            overall_ci_high: None,
            elements: Vec::new(),
            criteria: criteria
                .iter()
                .map(|(code, element, satisfied, valid)| {
                    let mut counts = LevelCounts::default();
                    counts.add(Some(5), *satisfied);
                    counts.add(Some(1), valid - satisfied);
                    CriterionIndex {
                        code: (*code).to_owned(),
                        element: (*element).to_owned(),
                        text_vi: format!("Tiêu chí {code}"),
                        text_en: String::new(),
                        figures: index_engine::criterion_figures(&counts),
                    }
                })
                .collect(),
            overall_satisfaction: None,
            expectations: Vec::new(),
            perceptions: Vec::new(),
            weighted: None,
            suppression_threshold: 5,
        }
    }

    #[test]
    fn weak_criteria_are_those_below_target_or_significantly_down() {
        // C1 above target and steady; C2 below the agency's target; C3 above
        // its element's lower target; C4 above target but fell from 95% to 82%.
        let before = report(&[
            ("C1", "E1", 90, 100),
            ("C2", "E1", 70, 100),
            ("C3", "E2", 72, 100),
            ("C4", "E1", 190, 200),
        ]);
        let now = report(&[
            ("C1", "E1", 91, 100),
            ("C2", "E1", 72, 100),
            ("C3", "E2", 71, 100),
            ("C4", "E1", 164, 200),
        ]);
        let targets = BTreeMap::from([("E2".to_owned(), 70.0)]);
        let weak = weak_criteria(&now, Some(&before), 80.0, &targets, Lang::Vi);
        let codes: Vec<&str> = weak.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["C2", "C4"]);
        assert!(weak[0].below_target && weak[0].significant_fall.is_none());
        assert!(!weak[1].below_target);
        assert_eq!(
            weak[1].significant_fall.map(index_engine::round2),
            Some(-13.0)
        );
        // Without a previous round only the targets count.
        let alone = weak_criteria(&now, None, 80.0, &targets, Lang::Vi);
        assert_eq!(alone.len(), 1);
    }

    #[test]
    fn an_action_is_judged_by_newcombe_in_the_next_round() {
        // The methodology's example: 48/80 → 56/70 moved, 40/50 → 44/50 not shown.
        let before = report(&[("C1", "E1", 48, 80), ("C2", "E1", 40, 50)]);
        let after = report(&[("C1", "E1", 56, 70), ("C2", "E1", 44, 50)]);
        let names = HashMap::from([(7, "Phòng A".to_owned())]);
        let action = |code: &str| action::Model {
            id: 1,
            round_id: 1,
            criterion_code: code.to_owned(),
            what: "Rút ngắn thời gian".to_owned(),
            owner_department_id: 7,
            due_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            expected_effect: String::new(),
            status: ActionStatus::Done,
            progress_note: String::new(),
            published_at: None,
            created_by_user_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let next = ("2027 H1".to_owned(), after);
        let moved = row(&action("C1"), &before, Some(&next), &names, Lang::Vi);
        let remeasured = moved.after.expect("measured again");
        assert_eq!(remeasured.verdict, crate::model::ActionVerdict::Moved);
        assert_eq!(index_engine::round2(remeasured.difference), 20.0);
        assert_eq!(index_engine::round2(remeasured.ci_low), 5.24);
        assert_eq!(index_engine::round2(remeasured.ci_high), 33.39);
        assert_eq!(moved.owner_department, "Phòng A");
        let steady = row(&action("C2"), &before, Some(&next), &names, Lang::Vi);
        let remeasured = steady.after.expect("measured again");
        assert_eq!(
            remeasured.verdict,
            crate::model::ActionVerdict::NotShownToMove
        );
        assert_eq!(index_engine::round2(remeasured.ci_low), -6.7);
        assert_eq!(index_engine::round2(remeasured.ci_high), 22.52);
        // Not yet measured again.
        assert!(
            row(&action("C1"), &before, None, &names, Lang::Vi)
                .after
                .is_none()
        );
    }
}
