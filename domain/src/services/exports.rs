//! Exports: every response of a round as CSV or XLSX, written page by page
//! so that memory does not grow with the number of responses; and the
//! index tables as XLSX. Text that a spreadsheet would run as a formula is
//! neutralised.

use std::collections::HashMap;

use futures::Stream;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{answer, department, procedure, response, round};
use crate::i18n::Lang;
use crate::model::IndicesReport;
use crate::model::{Role, SenderContact};
use crate::privacy::redact;
use crate::services::instruments::{self, LoadedInstrument};
use crate::tables::neutralise_formula;

/// Responses read per query.
pub const PAGE: u64 = 2000;

const FIXED: [&str; 9] = [
    "receipt_code",
    "submitted_at",
    "respondent_type",
    "department",
    "procedure",
    "submission_method",
    "channel",
    "excluded",
    "comment",
];

/// Everything needed to turn stored rows into export rows.
pub struct ExportLayout {
    criteria: Vec<(i32, String)>,
    departments: HashMap<i32, String>,
    procedures: HashMap<i32, String>,
    /// The responses the reader may take: `None` for all of them.
    visible: Option<Condition>,
}

impl ExportLayout {
    /// The layout of `round`'s export for `principal`: staff take the
    /// responses of their departments (and, with the triage permission,
    /// those that name none); leaders, admins and tokens all of them.
    #[tracing::instrument(skip_all)]
    pub async fn load(
        db: &DatabaseConnection,
        round: &round::Model,
        principal: &Principal,
    ) -> Result<Self, AppError> {
        let instrument: LoadedInstrument = instruments::load(db, round.instrument_id).await?;
        Ok(Self {
            visible: responses_visible_to(principal),
            criteria: instrument
                .criteria()
                .map(|(_, c)| (c.id, c.code.clone()))
                .collect(),
            departments: department::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|d| (d.id, d.code))
                .collect(),
            procedures: procedure::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.code))
                .collect(),
        })
    }

    /// The header: fixed columns, the criterion codes, then the comment.
    pub fn header(&self) -> Vec<String> {
        let mut header: Vec<String> = FIXED[..8].iter().map(|s| (*s).to_owned()).collect();
        header.extend(self.criteria.iter().map(|(_, code)| code.clone()));
        header.push(FIXED[8].to_owned());
        header
    }

    /// One response as text cells; empty answer cells were not answered, "0" is not applicable.
    fn row(&self, r: &response::Model, answers: &HashMap<i32, Option<i16>>) -> Vec<String> {
        let mut cells = vec![
            r.receipt_code.clone(),
            r.submitted_at.to_rfc3339(),
            r.respondent_type.code().to_owned(),
            r.department_id
                .and_then(|id| self.departments.get(&id).cloned())
                .unwrap_or_default(),
            r.procedure_id
                .and_then(|id| self.procedures.get(&id).cloned())
                .unwrap_or_default(),
            r.submission_method.map_or("", |m| m.code()).to_owned(),
            r.channel.code().to_owned(),
            if r.excluded { "1" } else { "0" }.to_owned(),
        ];
        cells.extend(self.criteria.iter().map(|(id, _)| match answers.get(id) {
            None => String::new(),
            Some(None) => "0".to_owned(),
            Some(Some(v)) => v.to_string(),
        }));
        // Respondents sometimes write a phone number or an e-mail into the
        // comment: the export carries the opinion, not the contact.
        let comment = r.comment.as_deref().unwrap_or("");
        cells.push(neutralise_formula(&redact(
            comment,
            &SenderContact::default(),
        )));
        cells
    }
}

/// The responses a staff member may take (by department); `None` for all.
pub fn responses_visible_to(principal: &Principal) -> Option<Condition> {
    if principal.is_token() || principal.role != Role::Staff {
        return None;
    }
    let mut visible = Condition::any()
        .add(response::Column::DepartmentId.is_in(principal.department_ids.iter().copied()));
    if principal.can_triage {
        visible = visible.add(response::Column::DepartmentId.is_null());
    }
    Some(visible)
}

/// One page of responses after `after_id`, each with its answers.
async fn page(
    db: &impl ConnectionTrait,
    round_id: i32,
    after_id: i32,
    visible: &Option<Condition>,
) -> Result<Vec<(response::Model, HashMap<i32, Option<i16>>)>, AppError> {
    let mut query = response::Entity::find();
    if let Some(visible) = visible {
        query = query.filter(visible.clone());
    }
    let responses = query
        .filter(response::Column::RoundId.eq(round_id))
        .filter(response::Column::Id.gt(after_id))
        .order_by_asc(response::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    if responses.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = responses.iter().map(|r| r.id).collect();
    let mut by_response: HashMap<i32, HashMap<i32, Option<i16>>> = HashMap::new();
    for a in answer::Entity::find()
        .filter(answer::Column::ResponseId.is_in(ids))
        .all(db)
        .await?
    {
        by_response
            .entry(a.response_id)
            .or_default()
            .insert(a.criterion_id, a.value);
    }
    Ok(responses
        .into_iter()
        .map(|r| {
            let answers = by_response.remove(&r.id).unwrap_or_default();
            (r, answers)
        })
        .collect())
}

fn csv_line(cells: &[String]) -> Result<Vec<u8>, AppError> {
    let mut writer = crate::tables::csv_writer(Vec::new());
    writer
        .write_record(cells)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    writer
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The round's responses as CSV (UTF-8 with a byte-order mark for Excel),
/// produced a page at a time as the client reads. The pages are read in one
/// transaction: they all come from the same snapshot, and through the same
/// connection, so that one SQLite page cache (not one per pooled
/// connection) fills as the export goes through a large round.
pub fn csv_stream(
    db: DatabaseConnection,
    round: round::Model,
    layout: ExportLayout,
) -> impl Stream<Item = Result<Vec<u8>, AppError>> + Send {
    futures::stream::try_unfold(
        (db, None::<DatabaseTransaction>, round, layout, Some(0)),
        |(db, txn, round, layout, cursor)| async move {
            let Some(after) = cursor else {
                // Read only: ending the transaction by dropping it is a rollback.
                return Ok(None);
            };
            let txn = match txn {
                Some(txn) => txn,
                None => db.begin().await?,
            };
            let mut chunk = Vec::new();
            if after == 0 {
                chunk.extend_from_slice("\u{feff}".as_bytes());
                chunk.extend(csv_line(&layout.header())?);
            }
            let rows = page(&txn, round.id, after, &layout.visible).await?;
            let next = rows.last().map(|(r, _)| r.id);
            for (r, answers) in &rows {
                chunk.extend(csv_line(&layout.row(r, answers))?);
            }
            let cursor = if rows.len() as u64 == PAGE {
                next
            } else {
                None
            };
            Ok(Some((chunk, (db, Some(txn), round, layout, cursor))))
        },
    )
}

fn xlsx(err: XlsxError) -> AppError {
    AppError::Internal(format!("XLSX: {err}"))
}

/// Writes the round's responses as CSV to `file`, through one read
/// transaction that ends when the last row is written.
#[tracing::instrument(skip_all)]
pub async fn write_csv(
    db: &DatabaseConnection,
    round: round::Model,
    layout: ExportLayout,
    file: &mut std::fs::File,
) -> Result<(), AppError> {
    use futures::TryStreamExt;
    use std::io::Write;
    let mut chunks = std::pin::pin!(csv_stream(db.clone(), round, layout));
    while let Some(chunk) = chunks.try_next().await? {
        file.write_all(&chunk)
            .map_err(|e| AppError::Internal(format!("export file: {e}")))?;
    }
    file.flush()
        .map_err(|e| AppError::Internal(format!("export file: {e}")))
}

/// Writes the round's responses as XLSX to `file`; rows go to disk as they
/// are written (constant memory).
#[tracing::instrument(skip_all)]
pub async fn write_xlsx(
    db: &DatabaseConnection,
    round: &round::Model,
    layout: &ExportLayout,
    file: &mut std::fs::File,
) -> Result<(), AppError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(xlsx)?;
    sheet.set_name("responses").map_err(xlsx)?;
    for (col, name) in layout.header().iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, name, &bold)
            .map_err(xlsx)?;
    }
    // One snapshot and one connection for every page, as for the CSV.
    let txn = db.begin().await?;
    let mut row_number = 1u32;
    let mut after = 0;
    loop {
        let rows = page(&txn, round.id, after, &layout.visible).await?;
        let Some(last) = rows.last().map(|(r, _)| r.id) else {
            break;
        };
        for (r, answers) in &rows {
            for (col, cell) in layout.row(r, answers).iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let column = col as u16;
                match cell.parse::<i64>() {
                    Ok(number) if col >= 7 && !cell.starts_with('\'') => {
                        sheet.write_number(row_number, column, number as f64)
                    }
                    _ => sheet.write_string(row_number, column, cell),
                }
                .map_err(xlsx)?;
            }
            row_number += 1;
        }
        if (rows.len() as u64) < PAGE {
            break;
        }
        after = last;
    }
    workbook.save_to_writer(file).map_err(xlsx)
}

/// Exports being written at once, by anyone.
pub const EXPORTS_AT_ONCE: usize = 4;
/// Exports one user or token may have written at once.
pub const EXPORTS_PER_CALLER: usize = 2;

static EXPORT_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(EXPORTS_AT_ONCE);
static EXPORTS_BY_CALLER: std::sync::LazyLock<std::sync::Mutex<HashMap<String, usize>>> =
    std::sync::LazyLock::new(Default::default);

/// The right to write one export, held while it is written; dropping it
/// gives the slot back.
pub struct ExportPermit {
    _slot: tokio::sync::SemaphorePermit<'static>,
    caller: String,
}

impl Drop for ExportPermit {
    fn drop(&mut self) {
        let mut counts = EXPORTS_BY_CALLER.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = counts.get_mut(&self.caller) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.caller);
            }
        }
    }
}

/// A slot to write an export for `principal`, or [`AppError::Throttled`]
/// when they already have [`EXPORTS_PER_CALLER`] under way or
/// [`EXPORTS_AT_ONCE`] are being written.
pub fn export_permit(principal: &Principal) -> Result<ExportPermit, AppError> {
    let busy = || AppError::Throttled {
        retry_after_secs: 10,
    };
    let caller = match (principal.user_id, principal.token_id) {
        (Some(user), _) => format!("user:{user}"),
        (None, Some(token)) => format!("token:{token}"),
        (None, None) => principal.name.clone(),
    };
    let mut counts = EXPORTS_BY_CALLER.lock().unwrap_or_else(|e| e.into_inner());
    if counts.get(&caller).copied().unwrap_or(0) >= EXPORTS_PER_CALLER {
        return Err(busy());
    }
    let slot = EXPORT_SLOTS.try_acquire().map_err(|_| busy())?;
    *counts.entry(caller.clone()).or_default() += 1;
    Ok(ExportPermit {
        _slot: slot,
        caller,
    })
}

/// Writes `names` in `format` across `row` of `sheet`, from the first column.
pub(crate) fn write_header(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    names: &[&str],
    format: &Format,
) -> Result<(), AppError> {
    for (col, name) in names.iter().enumerate() {
        sheet
            .write_string_with_format(row, col as u16, *name, format)
            .map_err(xlsx)?;
    }
    Ok(())
}

/// Writes `value` in `format` at (`row`, `col`); a figure without a value
/// (no valid answer) leaves its cell empty.
fn write_figure(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: &Format,
) -> Result<(), AppError> {
    if let Some(value) = value {
        sheet
            .write_number_with_format(row, col, value, format)
            .map_err(xlsx)?;
    }
    Ok(())
}

/// The index tables of a report as XLSX: elements and overall, criteria with
/// every count, expectations.
pub fn indices_xlsx(report: &IndicesReport, lang: Lang) -> Result<Vec<u8>, AppError> {
    let t = lang.texts();
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.00");
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("elements").map_err(xlsx)?;
        write_header(sheet, 0, &[t.col_code, t.col_element, t.col_index], &bold)?;
        let mut row = 1;
        for e in &report.elements {
            sheet.write_string(row, 0, &e.code).map_err(xlsx)?;
            sheet
                .write_string(
                    row,
                    1,
                    neutralise_formula(lang.pick(&e.title_vi, &e.title_en)),
                )
                .map_err(xlsx)?;
            write_figure(sheet, row, 2, e.index, &percent)?;
            row += 1;
        }
        sheet
            .write_string_with_format(row, 1, t.overall_index, &bold)
            .map_err(xlsx)?;
        write_figure(sheet, row, 2, report.overall, &percent)?;
        sheet
            .write_string(
                row + 1,
                1,
                format!("{}: {}", t.formula_version, report.formula_version),
            )
            .map_err(xlsx)?;
        sheet
            .write_string(
                row + 2,
                1,
                format!("{}: {}", t.responses, report.n_responses),
            )
            .map_err(xlsx)?;
        sheet
            .write_string(
                row + 3,
                1,
                format!("{}: {}", t.excluded_responses, report.n_excluded),
            )
            .map_err(xlsx)?;
        sheet
            .write_string(
                row + 4,
                1,
                format!("{}: {}", t.flagged_responses, report.n_flagged),
            )
            .map_err(xlsx)?;
    }
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("criteria").map_err(xlsx)?;
        let header = [
            t.col_code,
            t.col_element,
            t.col_criterion,
            t.col_n_valid,
            t.col_n_satisfied,
            t.col_index,
            "ci_low",
            "ci_high",
            t.col_mean_score,
            "1",
            "2",
            "3",
            "4",
            "5",
            t.col_not_applicable,
        ];
        write_header(sheet, 0, &header, &bold)?;
        for (i, c) in report.criteria.iter().enumerate() {
            let row = i as u32 + 1;
            let f = &c.figures;
            sheet.write_string(row, 0, &c.code).map_err(xlsx)?;
            sheet.write_string(row, 1, &c.element).map_err(xlsx)?;
            sheet
                .write_string(
                    row,
                    2,
                    neutralise_formula(lang.pick(&c.text_vi, &c.text_en)),
                )
                .map_err(xlsx)?;
            sheet.write_number(row, 3, f.n_valid as f64).map_err(xlsx)?;
            sheet
                .write_number(row, 4, f.n_satisfied as f64)
                .map_err(xlsx)?;
            for (col, value) in [
                (5u16, f.index),
                (6, f.ci_low),
                (7, f.ci_high),
                (8, f.mean_score),
            ] {
                write_figure(sheet, row, col, value, &percent)?;
            }
            for (level, count) in f.distribution.iter().enumerate() {
                sheet
                    .write_number(row, 9 + level as u16, *count as f64)
                    .map_err(xlsx)?;
            }
            sheet
                .write_number(row, 14, f.n_not_applicable as f64)
                .map_err(xlsx)?;
        }
    }
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("expectations").map_err(xlsx)?;
        write_header(
            sheet,
            0,
            &[t.col_code, t.col_area, t.col_n_valid, t.col_share_asking],
            &bold,
        )?;
        for (i, e) in report.expectations.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, &e.code).map_err(xlsx)?;
            sheet
                .write_string(
                    row,
                    1,
                    neutralise_formula(lang.pick(&e.text_vi, &e.text_en)),
                )
                .map_err(xlsx)?;
            sheet.write_number(row, 2, e.n_valid as f64).map_err(xlsx)?;
            write_figure(sheet, row, 3, e.share, &percent)?;
        }
    }
    if let Some(weighted) = &report.weighted {
        let sheet = workbook.add_worksheet();
        sheet.set_name("weighted").map_err(xlsx)?;
        sheet
            .write_string_with_format(0, 0, t.weighted_heading, &bold)
            .map_err(xlsx)?;
        sheet
            .write_string(
                1,
                0,
                format!(
                    "{} · {}",
                    lang.stratum_dimension(weighted.dimension),
                    weighted.analysis_version
                ),
            )
            .map_err(xlsx)?;
        let header = [
            t.col_code,
            t.col_element,
            t.col_weighted_index,
            t.col_effective_n,
            "ci_low",
            "ci_high",
        ];
        write_header(sheet, 3, &header, &bold)?;
        let mut row = 4;
        for c in &weighted.criteria {
            sheet.write_string(row, 0, &c.code).map_err(xlsx)?;
            sheet.write_string(row, 1, &c.element).map_err(xlsx)?;
            for (col, value) in [
                (2u16, c.index),
                (3, c.effective_n),
                (4, c.ci_low),
                (5, c.ci_high),
            ] {
                write_figure(sheet, row, col, value, &percent)?;
            }
            row += 1;
        }
        for e in &weighted.elements {
            sheet.write_string(row, 0, &e.code).map_err(xlsx)?;
            write_figure(sheet, row, 2, e.index, &percent)?;
            row += 1;
        }
        sheet
            .write_string_with_format(row, 1, t.overall_index, &bold)
            .map_err(xlsx)?;
        write_figure(sheet, row, 2, weighted.overall, &percent)?;
        row += 2;
        write_header(
            sheet,
            row,
            &[t.col_stratum, t.col_population, t.responses],
            &bold,
        )?;
        for stratum in &weighted.strata {
            row += 1;
            sheet
                .write_string(row, 0, neutralise_formula(&stratum.label))
                .map_err(xlsx)?;
            sheet
                .write_number(row, 1, stratum.population as f64)
                .map_err(xlsx)?;
            sheet
                .write_number(row, 2, stratum.responses as f64)
                .map_err(xlsx)?;
        }
    }
    workbook.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn caller(user_id: i32) -> Principal {
        Principal {
            user_id: Some(user_id),
            token_id: None,
            name: format!("user{user_id}"),
            display_name: String::new(),
            role: Role::Leader,
            department_ids: vec![],
            can_triage: false,
            scopes: None,
        }
    }

    #[test]
    fn exports_are_bounded_per_caller_and_overall() {
        let first = export_permit(&caller(1)).unwrap();
        let second = export_permit(&caller(1)).unwrap();
        assert!(matches!(
            export_permit(&caller(1)),
            Err(AppError::Throttled { .. })
        ));
        let others: Vec<_> = (2..=3)
            .map(|id| export_permit(&caller(id)).unwrap())
            .collect();
        assert!(
            matches!(export_permit(&caller(9)), Err(AppError::Throttled { .. })),
            "four at once, no more"
        );
        drop(first);
        let again = export_permit(&caller(1)).expect("a slot given back is free again");
        drop((second, others, again));
        assert!(EXPORTS_BY_CALLER.lock().unwrap().is_empty());
    }
}
