//! The leadership's feedback panel over a half-year: received, in scope
//! (negative), praise, answered on time, overdue, by department and
//! category. Everything but "overdue" comes from the feedback tallies (a
//! bounded number of rows however many items there are); "overdue" moves
//! with the calendar and is counted from the open items past their
//! deadline, through the index on (status, deadline).

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::department_codes;
use super::queries::overdue_condition;
use super::tallies;
use crate::AppError;
use crate::entities::feedback_item;
use crate::feedback_rules::{Classification, FeedbackCategory};
use crate::i18n::{Lang, day_text};
use crate::model::{FeedbackPanel, FeedbackPanelRow};
use crate::working_days::{half_year_bounds, vietnam_date};

/// The leadership's panel over items received in the half-year, for one
/// department or all.
#[tracing::instrument(skip_all)]
pub async fn panel(
    db: &DatabaseConnection,
    year: i32,
    half: i16,
    department_id: Option<i32>,
    lang: Lang,
) -> Result<FeedbackPanel, AppError> {
    let today = vietnam_date(Utc::now());
    let (from, to) = half_year_bounds(year, half);
    let counted = tallies::of_half_year(db, year, half, department_id).await?;
    let mut overdue = feedback_item::Entity::find()
        .select_only()
        .column(feedback_item::Column::DepartmentId)
        .column(feedback_item::Column::Category)
        .column_as(Expr::col(feedback_item::Column::Id).count(), "n")
        .filter(overdue_condition(today))
        .filter(feedback_item::Column::ReceivedAt.gte(from))
        .filter(feedback_item::Column::ReceivedAt.lt(to));
    if let Some(id) = department_id {
        overdue = overdue.filter(feedback_item::Column::DepartmentId.eq(id));
    }
    let overdue: Vec<OverdueGroup> = overdue
        .group_by(feedback_item::Column::DepartmentId)
        .group_by(feedback_item::Column::Category)
        .into_model::<OverdueGroup>()
        .all(db)
        .await?;

    let departments = department_codes(db).await?;
    let t = lang.feedback_texts();
    let department_row = |id: i32| match departments.get(&id) {
        Some(d) => (d.code.clone(), lang.pick(&d.name_vi, &d.name_en).to_owned()),
        None => (String::new(), t.not_assigned.to_owned()),
    };
    let category_row = |code: &str| match FeedbackCategory::parse(code) {
        Some(c) => (c.code().to_owned(), lang.feedback_category(c).to_owned()),
        None => (String::new(), t.not_classified.to_owned()),
    };
    let mut by_department: BTreeMap<String, FeedbackPanelRow> = BTreeMap::new();
    let mut by_category: BTreeMap<String, FeedbackPanelRow> = BTreeMap::new();
    let mut panel = FeedbackPanel {
        period: format!(
            "{} – {}",
            day_text(vietnam_date(from)),
            day_text(vietnam_date(to - chrono::Duration::seconds(1)))
        ),
        received: 0,
        in_scope: 0,
        praise: 0,
        answered: 0,
        answered_on_time: 0,
        overdue: 0,
        by_department: Vec::new(),
        by_category: Vec::new(),
        ratings: 0,
        rating_mean: None,
        rating_satisfied_share: None,
    };
    let (mut rating_sum, mut rating_satisfied) = (0u64, 0u64);
    for (key, n) in &counted {
        let n = *n;
        let counts = Counts {
            received: n,
            negative: if key.classification == Classification::InScope.code() {
                n
            } else {
                0
            },
            praise: if key.classification == Classification::Praise.code() {
                n
            } else {
                0
            },
            answered: if key.answered { n } else { 0 },
            overdue: 0,
        };
        panel.received += counts.received;
        panel.in_scope += counts.negative;
        panel.praise += counts.praise;
        panel.answered += counts.answered;
        if key.answered && key.on_time {
            panel.answered_on_time += n;
        }
        if let Ok(rating @ 1..) = u64::try_from(key.rating) {
            panel.ratings += n;
            rating_sum += rating * n;
            if rating >= 4 {
                rating_satisfied += n;
            }
        }
        add_to(
            &mut by_department,
            department_row(key.department_id),
            counts,
        );
        add_to(&mut by_category, category_row(&key.category), counts);
    }
    for group in &overdue {
        let n = u64::try_from(group.n).unwrap_or(0);
        let counts = Counts {
            overdue: n,
            ..Counts::default()
        };
        panel.overdue += n;
        add_to(
            &mut by_department,
            department_row(group.department_id.unwrap_or(0)),
            counts,
        );
        let category = group.category.map_or("", |c| c.code());
        add_to(&mut by_category, category_row(category), counts);
    }
    if panel.ratings > 0 {
        let n = panel.ratings as f64;
        panel.rating_mean = Some(rating_sum as f64 / n);
        panel.rating_satisfied_share = Some(100.0 * rating_satisfied as f64 / n);
    }
    panel.by_department = by_department.into_values().collect();
    panel.by_category = by_category.into_values().collect();
    Ok(panel)
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct OverdueGroup {
    department_id: Option<i32>,
    category: Option<FeedbackCategory>,
    n: i64,
}

/// What some items add to a row of the panel.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    received: u64,
    /// Classified in scope: criticism or a request to handle.
    negative: u64,
    praise: u64,
    answered: u64,
    overdue: u64,
}

fn add_to(
    rows: &mut BTreeMap<String, FeedbackPanelRow>,
    (code, label): (String, String),
    counts: Counts,
) {
    let row = rows.entry(code.clone()).or_insert(FeedbackPanelRow {
        code,
        label,
        received: 0,
        negative: 0,
        praise: 0,
        answered: 0,
        overdue: 0,
    });
    row.received += counts.received;
    row.negative += counts.negative;
    row.praise += counts.praise;
    row.answered += counts.answered;
    row.overdue += counts.overdue;
}
