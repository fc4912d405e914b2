//! The evidence pack of a published round, for the administrative-reform
//! (PAR) self-assessment: one ZIP with the approved report as an A4 PDF,
//! the approved index tables (XLSX), the charts (SVG and PNG), the
//! six-monthly feedback report (XLSX) and the permanent public links, with
//! a note of what each file is. Every figure is the approved one, read from
//! the published snapshot; only the driver analysis is computed when the
//! pack is made (the pair sums are kept per round, not in the snapshot).

mod report;

use std::io::{Cursor, Write};

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::AppError;
use crate::charts::{self, ElementBar, MatrixPoint};
use crate::error::Conflict;
use crate::i18n::Lang;
use crate::services::{drivers, exports, feedback, instruments, results, rounds};

pub const NOTE: &str = "doc-truoc.txt";
pub const REPORT_PDF: &str = "bao-cao-ket-qua.pdf";
pub const INDICES_XLSX: &str = "chi-so.xlsx";
pub const ELEMENT_CHART: &str = "bieu-do-chi-so-thanh-phan";
pub const DISTRIBUTION_CHART: &str = "bieu-do-phan-bo-muc-do";
/// Only when the round's driver analysis is shown.
pub const MATRIX_CHART: &str = "bieu-do-ma-tran-tac-dong";
pub const FEEDBACK_XLSX: &str = "phan-anh-kien-nghi-6-thang.xlsx";
pub const LINKS: &str = "lien-ket-cong-khai.txt";

/// PNG charts are drawn at twice their SVG size, sharp enough to print.
const PNG_SCALE: f32 = 2.0;

/// The pack of round `slug` as (file name, ZIP bytes); refused until the
/// round's results are published. `base_url` starts the public links.
#[tracing::instrument(skip_all)]
pub async fn pack(
    db: &DatabaseConnection,
    slug: &str,
    base_url: &str,
    today: NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    let round = rounds::require(db, slug).await?;
    let Some(public_id) = results::of_round(db, round.id).await? else {
        return Err(AppError::Conflict {
            code: Conflict::ResultsNotPublished,
            message: format!("The results of round {slug} are not published yet."),
        });
    };
    let published = results::find(db, &public_id)
        .await?
        .ok_or(AppError::NotFound("published results"))?;
    let lang = Lang::Vi;
    let report = &published.report;
    let instrument = instruments::load(db, round.instrument_id).await?;
    let analysis = drivers::of_round(
        db,
        &round,
        &instrument,
        report,
        published.target,
        &published.element_targets,
    )
    .await?;
    let drivers_shown = analysis.hidden.is_none().then_some(&analysis);
    let internal = AppError::Internal;
    let charts = report::Charts {
        elements: charts::element_bars(
            &ElementBar::of_report(report, published.target, &published.element_targets),
            published.target,
            lang,
        )
        .map_err(internal)?,
        distribution: charts::distribution_bars(&charts::distribution_rows(report), lang)
            .map_err(internal)?,
        matrix: drivers_shown
            .map(|analysis| {
                charts::importance_performance(
                    &MatrixPoint::of_analysis(analysis),
                    analysis.mean_weight,
                    published.target,
                    lang,
                )
            })
            .transpose()
            .map_err(internal)?,
    };
    let feedback_report = feedback::report(db, round.year, round.half, today, lang).await?;
    let base = base_url.trim_end_matches('/');
    let links = [
        (
            "Kết quả đã phê duyệt",
            format!("{base}/results/{public_id}"),
        ),
        (
            "Bạn nói — Chúng tôi làm — Đo lại",
            format!("{base}/results/{public_id}/actions"),
        ),
        (
            "Phiếu khảo sát trực tuyến",
            format!("{base}/s/{}", round.slug),
        ),
        ("Gửi phản ánh, kiến nghị", format!("{base}/feedback")),
        (
            "Trả lời phản ánh đã công bố",
            format!("{base}/feedback/answers"),
        ),
    ];
    let links_text: String = links
        .iter()
        .map(|(label, url)| format!("{label}: {url}\n"))
        .collect();
    let matrix_line = if charts.matrix.is_some() {
        format!(
            "- {MATRIX_CHART}.svg, .png: ma trận tầm quan trọng – kết quả thực hiện (phân tích yếu tố tác động, tính khi lập hồ sơ).\n"
        )
    } else {
        "- Chưa có ma trận yếu tố tác động: đợt chưa đủ phiếu trả lời đầy đủ hoặc không có câu hỏi hài lòng chung.\n".to_owned()
    };
    let note = format!(
        "Hồ sơ minh chứng — {agency}\n{title} ({period})\n\
         Phê duyệt: {approver}, {approved_at}. Công thức: {formula}.\n\
         Số phiếu được tính: {n}; phiếu đã loại: {excluded}.\n\n\
         Các tệp:\n\
         - {REPORT_PDF}: báo cáo kết quả đã phê duyệt (khổ A4, có biểu đồ), để in hoặc đính kèm.\n\
         - {INDICES_XLSX}: chỉ số thành phần, tiêu chí (đủ các số đếm), nhu cầu cải thiện, đã phê duyệt.\n\
         - {ELEMENT_CHART}.svg, .png: chỉ số thành phần và mục tiêu.\n\
         - {DISTRIBUTION_CHART}.svg, .png: phân bố năm mức trả lời của từng tiêu chí.\n\
         {matrix_line}\
         - {FEEDBACK_XLSX}: báo cáo phản ánh, kiến nghị của {period}.\n\
         - {LINKS}: các đường dẫn công khai, cố định.\n",
        agency = published.agency_name,
        title = published.title_vi,
        period = lang.period(published.year, published.half),
        approver = published.approved_by,
        approved_at = published.approved_at,
        formula = report.formula_version,
        n = report.n_responses,
        excluded = report.n_excluded,
    );
    let report_pdf =
        report::pdf(&published, drivers_shown, &charts, &links, lang).map_err(internal)?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (NOTE.to_owned(), note.into_bytes()),
        (REPORT_PDF.to_owned(), report_pdf),
        (
            INDICES_XLSX.to_owned(),
            exports::indices_xlsx(report, lang)?,
        ),
    ];
    let drawn = [
        (ELEMENT_CHART, Some(&charts.elements)),
        (DISTRIBUTION_CHART, Some(&charts.distribution)),
        (MATRIX_CHART, charts.matrix.as_ref()),
    ];
    for (name, svg) in drawn {
        let Some(svg) = svg else { continue };
        files.push((
            format!("{name}.png"),
            charts::png(svg, PNG_SCALE).map_err(internal)?,
        ));
        files.push((format!("{name}.svg"), svg.clone().into_bytes()));
    }
    files.push((
        FEEDBACK_XLSX.to_owned(),
        feedback::report_xlsx(&feedback_report, lang)?,
    ));
    files.push((LINKS.to_owned(), links_text.into_bytes()));

    let zip_error = |e: zip::result::ZipError| AppError::Internal(format!("evidence pack: {e}"));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(&bytes)
            .map_err(|e| AppError::Internal(format!("evidence pack: {e}")))?;
    }
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    Ok((format!("{}-ho-so-minh-chung.zip", round.slug), bytes))
}
