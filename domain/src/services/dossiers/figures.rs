//! The dossier figures of a year or a month, from the tallies: rated share,
//! satisfied share (hài lòng + rất hài lòng) with Wilson's interval,
//! on-time share and average trips, overall and by department, procedure,
//! channel and month. Rating figures over fewer ratings than the
//! suppression threshold are hidden, so that a small procedure does not
//! tell who rated it how.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, EntityTrait};

use super::tallies::{self, Counts, ReasonCounts, ReasonKey, Slice};
use crate::AppError;
use crate::entities::{department, procedure};
use crate::i18n::Lang;
use crate::index_engine::wilson_interval;
use crate::model::{DossierFigureRow, DossierFigures, RatingReason, ReasonCount, SubmissionMethod};

/// A stored count as shown. Stored counts never go below zero; a negative
/// one would be a tally to repair, shown as none rather than wrapped round.
fn shown_count(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or(0)
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// One line of figures; rating figures are hidden below `threshold` ratings.
pub fn row(key: String, label: String, counts: &Counts, threshold: u64) -> DossierFigureRow {
    let (completed, rated, with_due_date, on_time) = (
        shown_count(counts.completed),
        shown_count(counts.rated),
        shown_count(counts.with_due_date),
        shown_count(counts.on_time),
    );
    let levels = counts.levels.map(shown_count);
    let (trips_sum, trips_reported) = (
        shown_count(counts.trips_sum),
        shown_count(counts.trips_reported),
    );
    let suppressed = rated < threshold.max(1);
    let satisfied = levels[1] + levels[2];
    fn shown<T>(suppressed: bool, value: Option<T>) -> Option<T> {
        if suppressed { None } else { value }
    }
    DossierFigureRow {
        key,
        label,
        completed,
        rated,
        rated_share: share(rated, completed),
        suppressed,
        satisfied: shown(suppressed, Some(satisfied)),
        satisfied_share: shown(suppressed, share(satisfied, rated)),
        satisfied_interval: shown(suppressed, wilson_interval(satisfied, rated)),
        levels: shown(suppressed, Some(levels)),
        with_due_date,
        on_time_share: share(on_time, with_due_date),
        average_trips: shown(
            suppressed,
            (trips_reported > 0).then(|| trips_sum as f64 / trips_reported as f64),
        ),
    }
}

/// Adds each stored slice to the group `group_of` puts it in.
fn by<K: Ord>(rows: &[(Slice, Counts)], group_of: impl Fn(&Slice) -> K) -> BTreeMap<K, Counts> {
    let mut out: BTreeMap<K, Counts> = BTreeMap::new();
    for (slice, counts) in rows {
        out.entry(group_of(slice)).or_default().merge(counts);
    }
    out
}

/// How often each reason was ticked, unless the ratings are too few.
pub fn reasons(rows: &[(ReasonKey, ReasonCounts)], rated: u64, threshold: u64) -> Vec<ReasonCount> {
    if rated < threshold.max(1) {
        return Vec::new();
    }
    RatingReason::ALL
        .iter()
        .map(|reason| {
            let of_reason = rows.iter().filter(|(k, _)| k.reason == reason.code());
            ReasonCount {
                reason: *reason,
                total: of_reason.clone().map(|(_, c)| shown_count(c.ticked)).sum(),
                unsatisfied: of_reason.map(|(_, c)| shown_count(c.unsatisfied)).sum(),
            }
        })
        .collect()
}

/// The figures of `year` (or of one `month` of it).
#[tracing::instrument(skip_all)]
pub async fn figures(
    db: &impl ConnectionTrait,
    year: i32,
    month: Option<u32>,
    lang: Lang,
) -> Result<DossierFigures, AppError> {
    let threshold = crate::services::settings::suppression_threshold(db).await?;
    let (rows, reason_rows) = tallies::of_period(db, year, month).await?;
    let name = |vi: &str, en: &str| match lang {
        Lang::En if !en.is_empty() => en.to_owned(),
        _ => vi.to_owned(),
    };
    let departments: BTreeMap<i32, (String, String)> = department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, (d.code, name(&d.name_vi, &d.name_en))))
        .collect();
    let procedures: BTreeMap<i32, (String, String)> = procedure::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.code, name(&p.name_vi, &p.name_en))))
        .collect();
    let labelled = |slices: BTreeMap<i32, Counts>, names: &BTreeMap<i32, (String, String)>| {
        let mut out: Vec<DossierFigureRow> = slices
            .iter()
            .map(|(id, counts)| {
                let (code, label) = names.get(id).cloned().unwrap_or_default();
                row(code, label, counts, threshold)
            })
            .collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    };
    let total = by(&rows, |_| ()).remove(&()).unwrap_or_default();
    Ok(DossierFigures {
        year,
        month,
        threshold,
        total: row(
            String::new(),
            lang.dossier_texts().total_caption.to_owned(),
            &total,
            threshold,
        ),
        by_department: labelled(by(&rows, |k| k.department_id), &departments),
        by_procedure: labelled(by(&rows, |k| k.procedure_id), &procedures),
        by_channel: by(&rows, |k| k.channel.clone())
            .iter()
            .map(|(code, counts)| {
                let label = SubmissionMethod::parse(code)
                    .map_or_else(|| code.clone(), |m| lang.submission_method(m).to_owned());
                row(code.clone(), label, counts, threshold)
            })
            .collect(),
        by_month: by(&rows, |k| k.month)
            .iter()
            .map(|(m, counts)| {
                let key = format!("{year}-{m:02}");
                row(key.clone(), format!("{m:02}/{year}"), counts, threshold)
            })
            .collect(),
        reasons: reasons(&reason_rows, shown_count(total.rated), threshold),
    })
}

/// The total of half-year `half` (1: January–June, 2: July–December) of
/// `year`, of one department or all: the panel of a round's dashboard.
pub async fn half_year(
    db: &impl ConnectionTrait,
    year: i32,
    half: i16,
    department_id: Option<i32>,
    lang: Lang,
) -> Result<DossierFigureRow, AppError> {
    let threshold = crate::services::settings::suppression_threshold(db).await?;
    let (rows, _) = tallies::of_period(db, year, None).await?;
    let months = tallies::months_of_half(half);
    let rows: Vec<(Slice, Counts)> = rows
        .into_iter()
        .filter(|(slice, _)| months.contains(&slice.month))
        .filter(|(slice, _)| department_id.is_none_or(|id| slice.department_id == id))
        .collect();
    let total = by(&rows, |_| ()).remove(&()).unwrap_or_default();
    Ok(row(
        format!("{year}-H{half}"),
        lang.dossier_texts().total_caption.to_owned(),
        &total,
        threshold,
    ))
}

/// The years with completed dossiers and `this_year`, newest first.
pub async fn years(db: &impl ConnectionTrait, this_year: i32) -> Result<Vec<i32>, AppError> {
    let mut years = tallies::years(db).await?;
    if !years.contains(&this_year) {
        years.push(this_year);
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    Ok(years)
}

/// The columns of an export, after the slice (CSV) or on each sheet (XLSX).
const EXPORT_COLUMNS: [&str; 15] = [
    "key",
    "label",
    "completed",
    "rated",
    "rated_share",
    "satisfied",
    "satisfied_share",
    "interval_low",
    "interval_high",
    "unsatisfied",
    "satisfied_level",
    "very_satisfied",
    "with_due_date",
    "on_time_share",
    "average_trips",
];

/// One exported cell: text, a count, a share or average (with its
/// decimals), or nothing where a figure is hidden or has no base.
enum Cell {
    Text(String),
    Count(u64),
    Decimal(f64, usize),
    Empty,
}

impl Cell {
    fn share(value: Option<f64>) -> Self {
        value.map_or(Self::Empty, |v| Self::Decimal(v, 1))
    }

    fn to_text(&self) -> String {
        match self {
            Self::Text(text) => crate::tables::neutralise_formula(text),
            Self::Count(n) => n.to_string(),
            Self::Decimal(v, decimals) => format!("{v:.decimals$}"),
            Self::Empty => String::new(),
        }
    }
}

/// The cells of `r`, in the order of [`EXPORT_COLUMNS`].
fn export_cells(r: &DossierFigureRow) -> [Cell; 15] {
    let level = |i: usize| r.levels.map_or(Cell::Empty, |l| Cell::Count(l[i]));
    [
        Cell::Text(r.key.clone()),
        Cell::Text(r.label.clone()),
        Cell::Count(r.completed),
        Cell::Count(r.rated),
        Cell::share(r.rated_share),
        r.satisfied.map_or(Cell::Empty, Cell::Count),
        Cell::share(r.satisfied_share),
        Cell::share(r.satisfied_interval.map(|i| i.0)),
        Cell::share(r.satisfied_interval.map(|i| i.1)),
        level(0),
        level(1),
        level(2),
        Cell::Count(r.with_due_date),
        Cell::share(r.on_time_share),
        r.average_trips.map_or(Cell::Empty, |v| Cell::Decimal(v, 2)),
    ]
}

/// The slices of `figures` by code, with their title in `lang`.
fn export_slices(
    figures: &DossierFigures,
    lang: Lang,
) -> [(&'static str, &'static str, &[DossierFigureRow]); 5] {
    let t = lang.dossier_texts();
    [
        (
            "total",
            t.total_caption,
            std::slice::from_ref(&figures.total),
        ),
        (
            "department",
            t.by_department,
            figures.by_department.as_slice(),
        ),
        ("procedure", t.by_procedure, figures.by_procedure.as_slice()),
        ("channel", t.by_channel, figures.by_channel.as_slice()),
        ("month", t.by_month, figures.by_month.as_slice()),
    ]
}

/// The figures as a CSV file (UTF-8 with a byte-order mark): one line per
/// slice, hidden figures left empty.
pub fn to_csv(figures: &DossierFigures) -> Result<Vec<u8>, AppError> {
    let mut out = crate::tables::csv_writer("\u{feff}".as_bytes().to_vec());
    let failed = |e: csv::Error| AppError::Internal(format!("writing the dossier figures: {e}"));
    out.write_record(std::iter::once("slice").chain(EXPORT_COLUMNS))
        .map_err(failed)?;
    for (slice, _, rows) in export_slices(figures, Lang::Vi) {
        for r in rows {
            let cells = export_cells(r).map(|cell| cell.to_text());
            out.write_record(std::iter::once(slice.to_owned()).chain(cells))
                .map_err(failed)?;
        }
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(format!("writing the dossier figures: {e}")))
}

/// The figures as XLSX: a sheet per slice (named by its code), its title
/// and the period on the first line, the column codes of the CSV on the
/// third, numbers as numbers and hidden figures as empty cells.
pub fn to_xlsx(figures: &DossierFigures, lang: Lang) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let t = lang.dossier_texts();
    let period = match figures.month {
        Some(m) => format!("{m:02}/{}", figures.year),
        None => figures.year.to_string(),
    };
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let decimals = [
        Format::new().set_num_format("0.0"),
        Format::new().set_num_format("0.00"),
    ];
    for (slice, title, rows) in export_slices(figures, lang) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(slice).map_err(xlsx)?;
        sheet
            .write_string_with_format(
                0,
                0,
                format!("{} · {title} · {period}", t.figures_title),
                &bold,
            )
            .map_err(xlsx)?;
        crate::services::exports::write_header(sheet, 2, &EXPORT_COLUMNS, &bold)?;
        for (i, r) in rows.iter().enumerate() {
            let line = 3 + i as u32;
            for (col, cell) in export_cells(r).iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(text) => {
                        sheet
                            .write_string(line, col, crate::tables::neutralise_formula(text))
                            .map_err(xlsx)?;
                    }
                    Cell::Count(n) => {
                        sheet.write_number(line, col, *n as f64).map_err(xlsx)?;
                    }
                    Cell::Decimal(v, places) => {
                        let format = &decimals[usize::from(*places > 1)];
                        sheet
                            .write_number_with_format(line, col, *v, format)
                            .map_err(xlsx)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::services::dossiers::tallies::{Key, LATE, NO_DUE_DATE, ON_TIME};

    fn key(level: i16, on_time: i16, trips: i16) -> Key {
        Key {
            slice: Slice {
                year: 2026,
                month: 11,
                department_id: 1,
                procedure_id: 1,
                channel: "truc-tiep".to_owned(),
            },
            on_time,
            level,
            trips,
        }
    }

    #[test]
    fn counts_add_up_by_level_timeliness_and_trips() {
        let mut counts = Counts::default();
        counts.add(&key(0, ON_TIME, 0), 10);
        counts.add(&key(1, LATE, 3), 2);
        counts.add(&key(2, ON_TIME, 1), 5);
        counts.add(&key(3, NO_DUE_DATE, 0), 3);
        assert_eq!(counts.completed, 20);
        assert_eq!(counts.rated, 10);
        assert_eq!(counts.levels, [2, 5, 3]);
        assert_eq!(counts.with_due_date, 17);
        assert_eq!(counts.on_time, 15);
        assert_eq!((counts.trips_sum, counts.trips_reported), (11, 7));
        let r = row("X".into(), "X".into(), &counts, 5);
        assert!(!r.suppressed);
        assert_eq!(r.rated_share, Some(50.0));
        assert_eq!(r.satisfied, Some(8));
        assert_eq!(r.satisfied_share, Some(80.0));
        // Wilson, 8 of 10: 49.0–94.3.
        let (low, high) = r.satisfied_interval.unwrap();
        assert_eq!(
            (format!("{low:.1}"), format!("{high:.1}")),
            ("49.0".into(), "94.3".into())
        );
        assert_eq!(format!("{:.2}", r.on_time_share.unwrap()), "88.24");
        assert_eq!(format!("{:.2}", r.average_trips.unwrap()), "1.57");
    }

    #[test]
    fn rating_figures_below_the_threshold_are_hidden() {
        let mut counts = Counts::default();
        counts.add(&key(3, ON_TIME, 2), 4);
        counts.add(&key(0, LATE, 0), 6);
        let r = row("X".into(), "X".into(), &counts, 5);
        assert!(r.suppressed);
        assert_eq!(r.rated, 4);
        assert_eq!(r.completed, 10);
        assert_eq!(
            (
                r.satisfied,
                r.satisfied_share,
                r.satisfied_interval,
                r.levels,
                r.average_trips
            ),
            (None, None, None, None, None)
        );
        // Not about who rated: still shown.
        assert_eq!(r.on_time_share, Some(40.0));
        assert!(reasons(&[], 4, 5).is_empty());
    }
}
