//! The six-monthly report on feedback (phản ánh, kiến nghị): the items
//! received in a half-year, counted in total and by channel,
//! classification and department; with its XLSX.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::department_codes;
use crate::AppError;
use crate::entities::feedback_item;
use crate::feedback_rules::{Classification, FeedbackChannel, FeedbackStatus};
use crate::i18n::{Lang, day_text};
use crate::model::{FeedbackReport, FeedbackReportRow};
use crate::working_days::{half_year_bounds, vietnam_date};

#[derive(Debug, sea_orm::FromQueryResult)]
struct ReportItem {
    channel: FeedbackChannel,
    status: FeedbackStatus,
    classification: Option<Classification>,
    department_id: Option<i32>,
    due_on: Option<NaiveDate>,
    answer_due_on: Option<NaiveDate>,
    answered_at: Option<DateTime<Utc>>,
    published_at: Option<DateTime<Utc>>,
}

/// What one item adds to a row.
#[derive(Clone, Copy)]
struct Counts {
    answered: bool,
    on_time: bool,
    overdue: bool,
    published: bool,
}

fn add(row: &mut FeedbackReportRow, c: Counts) {
    row.received += 1;
    row.answered += u64::from(c.answered);
    row.answered_on_time += u64::from(c.on_time);
    row.overdue += u64::from(c.overdue);
    row.published += u64::from(c.published);
}

/// The report of the items received in `half` of `year`, overdue counted
/// as of `today` (Vietnam's date).
#[tracing::instrument(skip_all)]
pub async fn report(
    db: &DatabaseConnection,
    year: i32,
    half: i16,
    today: NaiveDate,
    lang: Lang,
) -> Result<FeedbackReport, AppError> {
    let (from, to) = half_year_bounds(year, half);
    let items: Vec<ReportItem> = feedback_item::Entity::find()
        .select_only()
        .column(feedback_item::Column::Channel)
        .column(feedback_item::Column::Status)
        .column(feedback_item::Column::Classification)
        .column(feedback_item::Column::DepartmentId)
        .column(feedback_item::Column::DueOn)
        .column(feedback_item::Column::AnswerDueOn)
        .column(feedback_item::Column::AnsweredAt)
        .column(feedback_item::Column::PublishedAt)
        .filter(feedback_item::Column::ReceivedAt.gte(from))
        .filter(feedback_item::Column::ReceivedAt.lt(to))
        .into_model::<ReportItem>()
        .all(db)
        .await?;
    let departments = department_codes(db).await?;
    let t = lang.feedback_texts();
    let labelled = |code: &str, label: &str| FeedbackReportRow {
        code: code.to_owned(),
        label: label.to_owned(),
        ..FeedbackReportRow::default()
    };
    // Every channel and classification is listed, with zeros where none came.
    let mut by_channel: BTreeMap<usize, FeedbackReportRow> = FeedbackChannel::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| (i, labelled(c.code(), lang.feedback_channel(*c))))
        .collect();
    let mut by_classification: BTreeMap<usize, FeedbackReportRow> = Classification::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| (i, labelled(c.code(), lang.classification(*c))))
        .collect();
    let unclassified = Classification::ALL.len();
    by_classification.insert(unclassified, labelled("", t.not_classified));
    let mut by_department: BTreeMap<String, FeedbackReportRow> = BTreeMap::new();
    let mut total = labelled("", t.report_total);
    for item in &items {
        let counts = Counts {
            answered: item.answered_at.is_some(),
            on_time: item
                .answered_at
                .zip(item.answer_due_on)
                .is_some_and(|(at, due)| vietnam_date(at) <= due),
            overdue: item.status.is_open() && item.due_on.is_some_and(|due| due < today),
            published: item.published_at.is_some(),
        };
        add(&mut total, counts);
        let channel = FeedbackChannel::ALL
            .iter()
            .position(|c| *c == item.channel)
            .unwrap_or_default();
        if let Some(row) = by_channel.get_mut(&channel) {
            add(row, counts);
        }
        let classification = item
            .classification
            .and_then(|c| Classification::ALL.iter().position(|k| *k == c))
            .unwrap_or(unclassified);
        if let Some(row) = by_classification.get_mut(&classification) {
            add(row, counts);
        }
        let (code, label) = match item.department_id.and_then(|id| departments.get(&id)) {
            Some(d) => (d.code.clone(), lang.pick(&d.name_vi, &d.name_en).to_owned()),
            None => (String::new(), t.not_assigned.to_owned()),
        };
        add(
            by_department
                .entry(code.clone())
                .or_insert_with(|| labelled(&code, &label)),
            counts,
        );
    }
    Ok(FeedbackReport {
        year,
        half,
        period: format!(
            "{} – {}",
            day_text(vietnam_date(from)),
            day_text(vietnam_date(to - chrono::Duration::seconds(1)))
        ),
        as_of: day_text(today),
        total,
        by_channel: by_channel.into_values().collect(),
        by_classification: by_classification.into_values().collect(),
        by_department: by_department.into_values().collect(),
    })
}

/// The report as XLSX: one sheet per breakdown, the total first.
pub fn report_xlsx(report: &FeedbackReport, lang: Lang) -> Result<Vec<u8>, AppError> {
    let t = lang.feedback_texts();
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let header = [
        t.report_group,
        t.panel_received,
        t.col_answered,
        t.panel_on_time,
        t.panel_overdue,
        t.report_published,
    ];
    for (name, title, rows) in [
        ("total", t.report_total, std::slice::from_ref(&report.total)),
        ("channel", t.report_by_channel, report.by_channel.as_slice()),
        (
            "classification",
            t.report_by_classification,
            report.by_classification.as_slice(),
        ),
        (
            "department",
            t.panel_by_department,
            report.by_department.as_slice(),
        ),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx)?;
        sheet
            .write_string_with_format(
                0,
                0,
                format!("{} · {} ({})", title, report.period, report.as_of),
                &bold,
            )
            .map_err(xlsx)?;
        crate::services::exports::write_header(sheet, 2, &header, &bold)?;
        for (i, row) in rows.iter().enumerate() {
            let r = 3 + i as u32;
            sheet
                .write_string(r, 0, crate::tables::neutralise_formula(&row.label))
                .map_err(xlsx)?;
            for (col, value) in [
                row.received,
                row.answered,
                row.answered_on_time,
                row.overdue,
                row.published,
            ]
            .into_iter()
            .enumerate()
            {
                sheet
                    .write_number(r, 1 + col as u16, value as f64)
                    .map_err(xlsx)?;
            }
        }
    }
    workbook.save_to_buffer().map_err(xlsx)
}
