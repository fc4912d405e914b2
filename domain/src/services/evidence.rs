//! The evidence pack of a published round, for the administrative-reform
//! (PAR) self-assessment: one ZIP with the approved index tables (XLSX),
//! the approved charts (SVG), the six-monthly feedback report (XLSX) and
//! the permanent public links, with a note of what each file is. Every
//! figure is the approved one, read from the published snapshot.

use std::io::{Cursor, Write};

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::AppError;
use crate::charts::{self, ElementBar};
use crate::error::Conflict;
use crate::i18n::Lang;
use crate::services::{exports, feedback, results, rounds};

/// The files of the pack, in the order the note lists them.
pub const FILES: [&str; 6] = [
    "doc-truoc.txt",
    "chi-so.xlsx",
    "bieu-do-chi-so-thanh-phan.svg",
    "bieu-do-phan-bo-muc-do.svg",
    "phan-anh-kien-nghi-6-thang.xlsx",
    "lien-ket-cong-khai.txt",
];

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
    let bars = ElementBar::of_report(report, published.target, &published.element_targets);
    let distribution = charts::distribution_rows(report);
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
    let note = format!(
        "Hồ sơ minh chứng — {agency}\n{title} ({period})\n\
         Phê duyệt: {approver}, {approved_at}. Công thức: {formula}.\n\
         Số phiếu được tính: {n}; phiếu đã loại: {excluded}.\n\n\
         Các tệp:\n\
         - chi-so.xlsx: chỉ số thành phần, tiêu chí (đủ các số đếm), nhu cầu cải thiện, đã phê duyệt.\n\
         - bieu-do-chi-so-thanh-phan.svg: chỉ số thành phần và mục tiêu.\n\
         - bieu-do-phan-bo-muc-do.svg: phân bố năm mức trả lời của từng tiêu chí.\n\
         - phan-anh-kien-nghi-6-thang.xlsx: báo cáo phản ánh, kiến nghị của {period}.\n\
         - lien-ket-cong-khai.txt: các đường dẫn công khai, cố định.\n",
        agency = published.agency_name,
        title = published.title_vi,
        period = lang.period(published.year, published.half),
        approver = published.approved_by,
        approved_at = published.approved_at,
        formula = report.formula_version,
        n = report.n_responses,
        excluded = report.n_excluded,
    );
    let files: [(&str, Vec<u8>); 6] = [
        (FILES[0], note.into_bytes()),
        (FILES[1], exports::indices_xlsx(report, lang)?),
        (
            FILES[2],
            charts::element_bars(&bars, published.target, lang)
                .map_err(AppError::Internal)?
                .into_bytes(),
        ),
        (
            FILES[3],
            charts::distribution_bars(&distribution, lang)
                .map_err(AppError::Internal)?
                .into_bytes(),
        ),
        (FILES[4], feedback::report_xlsx(&feedback_report, lang)?),
        (FILES[5], links_text.into_bytes()),
    ];
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
