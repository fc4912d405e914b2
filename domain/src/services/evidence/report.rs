//! The approved report as an A4 PDF: the agency's header, the approved
//! figures (overall, elements, criteria, perceptions, areas to improve,
//! breakdowns) with their charts, the driver analysis when the round has
//! one, and the public links. Laying out only; the figures come in ready.

use crate::i18n::Lang;
use crate::model::{DriverAnalysis, PublishedResults};
use crate::pdf::{A4, Column};

/// The charts of the pack as SVG, drawn once for the PDF and the files.
pub struct Charts {
    pub elements: String,
    pub distribution: String,
    /// The importance–performance matrix, when the drivers are shown.
    pub matrix: Option<String>,
}

fn percent(lang: Lang, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| lang.percent(v))
}

fn interval(lang: Lang, low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!("{}–{}", lang.percent(low), lang.percent(high)),
        _ => "—".to_owned(),
    }
}

pub fn pdf(
    published: &PublishedResults,
    drivers: Option<&DriverAnalysis>,
    charts: &Charts,
    links: &[(&str, String)],
    lang: Lang,
) -> Result<Vec<u8>, String> {
    let t = lang.texts();
    let e = lang.evidence_texts();
    let report = &published.report;
    let title = lang.pick(&published.title_vi, &published.title_en);
    let period = lang.period(published.year, published.half);
    let mut doc = A4::new();

    doc.centred(&published.agency_name.to_uppercase(), 12.0, true);
    doc.centred(e.report_heading, 15.0, true);
    doc.centred(&format!("{title} — {period}"), 11.5, false);
    doc.note(&lang.evidence_approval(
        &published.approved_by,
        &published.approved_at,
        &report.formula_version,
    ));

    doc.heading(e.summary_heading);
    let mut overall = format!("{}: {}%", t.overall_index, percent(lang, report.overall));
    if report.overall_ci_low.is_some() {
        overall.push_str(&format!(
            " ({}: {}%)",
            t.col_interval,
            interval(lang, report.overall_ci_low, report.overall_ci_high)
        ));
    }
    overall.push_str(&format!(
        "; {}: {}%.",
        t.col_target.to_lowercase(),
        lang.percent(published.target)
    ));
    doc.paragraph(&overall);
    doc.paragraph(&lang.evidence_counts(report.n_responses, report.n_excluded));
    if let Some(o1) = &report.overall_satisfaction {
        doc.paragraph(&format!(
            "{}: {}% ({} {})",
            t.overall_satisfaction,
            percent(lang, o1.figures.index),
            lang.count(o1.figures.n_valid),
            t.col_n_valid.to_lowercase(),
        ));
    }
    doc.note(e.figures_note);

    doc.heading(e.elements_heading);
    let element_rows: Vec<Vec<String>> = report
        .elements
        .iter()
        .map(|element| {
            let target = crate::services::settings::target_of(
                &element.code,
                &published.element_targets,
                published.target,
            );
            vec![
                element.code.clone(),
                lang.pick(&element.title_vi, &element.title_en).to_owned(),
                percent(lang, element.index),
                lang.percent(target),
            ]
        })
        .collect();
    doc.table(
        None,
        &[
            Column::text(t.col_code, 0.6),
            Column::text(t.col_element, 4.0),
            Column::number(t.col_index, 1.3),
            Column::number(t.col_target, 1.1),
        ],
        &element_rows,
    );
    doc.chart(Some(t.element_chart_title), &charts.elements)?;

    doc.heading(e.criteria_heading);
    let criterion_rows: Vec<Vec<String>> = report
        .criteria
        .iter()
        .map(|c| {
            vec![
                c.code.clone(),
                lang.pick(&c.text_vi, &c.text_en).to_owned(),
                lang.count(c.figures.n_valid),
                percent(lang, c.figures.index),
                interval(lang, c.figures.ci_low, c.figures.ci_high),
            ]
        })
        .collect();
    doc.table(
        None,
        &[
            Column::text(t.col_code, 0.6),
            Column::text(t.col_criterion, 4.2),
            Column::number(t.col_n_valid, 1.0),
            Column::number(t.col_index, 1.0),
            Column::number(t.col_interval, 1.4),
        ],
        &criterion_rows,
    );
    doc.note(t.method_interval);
    doc.chart(Some(t.distribution_caption), &charts.distribution)?;
    let distribution_rows: Vec<Vec<String>> = report
        .criteria
        .iter()
        .map(|c| {
            std::iter::once(c.code.clone())
                .chain(c.figures.distribution.iter().map(|n| lang.count(*n)))
                .chain(std::iter::once(lang.count(c.figures.n_not_applicable)))
                .collect()
        })
        .collect();
    doc.table(
        Some(t.col_distribution),
        &[
            Column::text(t.col_code, 1.0),
            Column::number("1", 1.0),
            Column::number("2", 1.0),
            Column::number("3", 1.0),
            Column::number("4", 1.0),
            Column::number("5", 1.0),
            Column::number(t.col_not_applicable, 1.6),
        ],
        &distribution_rows,
    );

    if !report.perceptions.is_empty() || !report.expectations.is_empty() {
        doc.heading(e.perceptions_heading);
    }
    if !report.perceptions.is_empty() {
        let rows: Vec<Vec<String>> = report
            .perceptions
            .iter()
            .map(|p| {
                let text = lang.pick(&p.text_vi, &p.text_en).to_owned();
                if p.suppressed {
                    let hidden = format!("{} (n < {})", t.suppressed, report.suppression_threshold);
                    vec![
                        text,
                        lang.count(p.n_valid),
                        hidden,
                        String::new(),
                        String::new(),
                    ]
                } else {
                    vec![
                        text,
                        lang.count(p.n_valid),
                        p.n_experienced
                            .map_or_else(|| "—".to_owned(), |n| lang.count(n)),
                        percent(lang, p.share),
                        interval(lang, p.ci_low, p.ci_high),
                    ]
                }
            })
            .collect();
        doc.table(
            Some(t.perceptions_caption),
            &[
                Column::text(t.col_criterion, 3.6),
                Column::number(t.col_n_valid, 1.0),
                Column::number(t.col_n_met, 1.1),
                Column::number(t.col_share_met, 0.9),
                Column::number(t.col_interval, 1.4),
            ],
            &rows,
        );
        doc.note(t.perceptions_note);
    }
    if !report.expectations.is_empty() {
        let rows: Vec<Vec<String>> = report
            .expectations
            .iter()
            .map(|x| {
                vec![
                    lang.pick(&x.text_vi, &x.text_en).to_owned(),
                    lang.count(x.n_valid),
                    percent(lang, x.share),
                ]
            })
            .collect();
        doc.table(
            Some(t.expectations_caption),
            &[
                Column::text(t.col_area, 4.0),
                Column::number(t.col_n_valid, 1.0),
                Column::number(t.col_share_asking, 1.6),
            ],
            &rows,
        );
    }

    if !published.breakdowns.is_empty() {
        doc.heading(t.breakdowns_heading);
    }
    for breakdown in &published.breakdowns {
        let rows: Vec<Vec<String>> = breakdown
            .rows
            .iter()
            .map(|row| {
                let value = if row.suppressed {
                    format!("{} (n < {})", t.suppressed, report.suppression_threshold)
                } else {
                    percent(lang, row.overall)
                };
                vec![row.label.clone(), lang.count(row.n_responses), value]
            })
            .collect();
        doc.table(
            Some(lang.breakdown_caption(&breakdown.dimension)),
            &[
                Column::text(t.col_group, 3.5),
                Column::number(t.responses, 1.0),
                Column::number(t.overall_index, 1.6),
            ],
            &rows,
        );
    }

    if let (Some(analysis), Some(matrix)) = (drivers, &charts.matrix) {
        doc.heading(t.drivers_heading);
        doc.chart(Some(t.drivers_caption), matrix)?;
        let rows: Vec<Vec<String>> = analysis
            .criteria
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    lang.pick(&c.text_vi, &c.text_en).to_owned(),
                    lang.percent(c.weight),
                    percent(lang, c.index),
                    lang.quadrant(c.quadrant).to_owned(),
                ]
            })
            .collect();
        doc.table(
            Some(t.drivers_table_caption),
            &[
                Column::text(t.col_code, 0.6),
                Column::text(t.col_criterion, 3.4),
                Column::number(t.col_weight, 1.0),
                Column::number(t.col_index, 1.0),
                Column::text(t.col_quadrant, 1.5),
            ],
            &rows,
        );
        let fix_first: Vec<&str> = analysis.fix_first().map(|c| c.code.as_str()).collect();
        if fix_first.is_empty() {
            doc.paragraph(t.drivers_none_to_fix);
        } else {
            doc.paragraph(&format!(
                "{}: {}.",
                t.drivers_fix_first,
                fix_first.join(", ")
            ));
        }
        doc.note(t.drivers_note);
        doc.note(e.drivers_snapshot_note);
    }

    doc.heading(e.links_heading);
    for (label, url) in links {
        doc.paragraph(&format!("{label}: {url}"));
    }

    let document_title = format!("{} — {title} — {period}", e.report_heading);
    let agency = published.agency_name.clone();
    doc.finish(&document_title, lang.code(), |page, pages| {
        format!("{agency} · {}", lang.evidence_page(page, pages))
    })
}
