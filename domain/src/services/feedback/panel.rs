//! The leadership's feedback panel over a period: received, in scope (negative), praise, answered
//! on time, overdue, by department and category.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::department_codes;
use crate::AppError;
use crate::entities::feedback_item;
use crate::feedback_rules::{Classification, FeedbackCategory, FeedbackStatus};
use crate::i18n::{Lang, day_text};
use crate::model::{FeedbackPanel, FeedbackPanelRow};
use crate::working_days::vietnam_date;

/// The leadership's panel over items received in [from, to), for one
/// department or all.
#[tracing::instrument(skip_all)]
pub async fn panel(
    db: &DatabaseConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    department_id: Option<i32>,
    lang: Lang,
) -> Result<FeedbackPanel, AppError> {
    let today = vietnam_date(Utc::now());
    let mut query = feedback_item::Entity::find()
        .filter(feedback_item::Column::ReceivedAt.gte(from))
        .filter(feedback_item::Column::ReceivedAt.lt(to));
    if let Some(id) = department_id {
        query = query.filter(feedback_item::Column::DepartmentId.eq(id));
    }
    // The counts come from a handful of columns, not the texts.
    let items: Vec<PanelItem> = query
        .select_only()
        .column(feedback_item::Column::Status)
        .column(feedback_item::Column::Classification)
        .column(feedback_item::Column::Category)
        .column(feedback_item::Column::DepartmentId)
        .column(feedback_item::Column::DueOn)
        .column(feedback_item::Column::AnswerDueOn)
        .column(feedback_item::Column::AnsweredAt)
        .column(feedback_item::Column::HandlingRating)
        .into_model::<PanelItem>()
        .all(db)
        .await?;
    let departments = department_codes(db).await?;
    let t = lang.feedback_texts();
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
    for item in &items {
        let status = FeedbackStatus::parse(&item.status);
        let overdue = status.is_some_and(FeedbackStatus::is_open)
            && item.due_on.is_some_and(|due| due < today);
        let answered = item.answered_at.is_some();
        let kind = Kind {
            negative: item.classification.as_deref() == Some(Classification::InScope.code()),
            praise: item.classification.as_deref() == Some(Classification::Praise.code()),
            answered,
            overdue,
        };
        panel.received += 1;
        panel.in_scope += u64::from(kind.negative);
        panel.praise += u64::from(kind.praise);
        panel.overdue += u64::from(overdue);
        if let Some(at) = item.answered_at {
            panel.answered += 1;
            panel.answered_on_time += u64::from(
                item.answer_due_on
                    .is_some_and(|due| vietnam_date(at) <= due),
            );
        }
        if let Some(rating) = item.handling_rating.and_then(|r| u64::try_from(r).ok()) {
            panel.ratings += 1;
            rating_sum += rating;
            rating_satisfied += u64::from(rating >= 4);
        }
        let (code, label) = match item.department_id.and_then(|id| departments.get(&id)) {
            Some(d) => (d.code.clone(), lang.pick(&d.name_vi, &d.name_en).to_owned()),
            None => (String::new(), t.not_assigned.to_owned()),
        };
        count_into(&mut by_department, code, label, kind);
        let (code, label) = match item.category {
            Some(c) => (c.code().to_owned(), lang.feedback_category(c).to_owned()),
            None => (String::new(), t.not_classified.to_owned()),
        };
        count_into(&mut by_category, code, label, kind);
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
struct PanelItem {
    status: String,
    classification: Option<String>,
    category: Option<FeedbackCategory>,
    department_id: Option<i32>,
    due_on: Option<NaiveDate>,
    answer_due_on: Option<NaiveDate>,
    answered_at: Option<DateTime<Utc>>,
    handling_rating: Option<i16>,
}

/// What one item counts as in the panel's rows.
#[derive(Clone, Copy, Debug)]
struct Kind {
    /// Classified in scope: criticism or a request to handle.
    negative: bool,
    praise: bool,
    answered: bool,
    overdue: bool,
}

fn count_into(
    rows: &mut BTreeMap<String, FeedbackPanelRow>,
    code: String,
    label: String,
    kind: Kind,
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
    row.received += 1;
    row.negative += u64::from(kind.negative);
    row.praise += u64::from(kind.praise);
    row.answered += u64::from(kind.answered);
    row.overdue += u64::from(kind.overdue);
}
