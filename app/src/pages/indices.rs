//! The leadership dashboard, its printable report, the comparison of two
//! rounds, and the public page of published results. Every chart comes
//! with its numbers in a table.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::page_error;
use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, PublicLayout, StaffLayout, entered, error_line,
    field_error, load_page, use_lang,
};
use crate::pages::NotFound;
use crate::server_fns::{ExcludeResponse, get_comparison, get_dashboard, get_published};
use domain::i18n::Lang;
use domain::model::{
    Breakdown, ComparisonData, ComparisonPage, CriterionIndex, DashboardData, DossierFigureRow,
    DriverAnalysis, DriversHidden, FeedbackPanel, FormFlash, IndexFilter, IndicesReport,
    RespondentType, SurveyChannel, TrendPoint, WeightedIndices,
};

pub(crate) fn percent_or_dash(lang: Lang, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| lang.percent(v))
}

fn interval_text(lang: Lang, low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!("{} – {}", lang.percent(low), lang.percent(high)),
        _ => "—".to_owned(),
    }
}

pub(crate) fn signed(lang: Lang, value: f64) -> String {
    let text = lang.percent(value.abs());
    if value > 0.0 {
        format!("+{text}")
    } else if value < 0.0 {
        format!("−{text}")
    } else {
        text
    }
}

fn filter_from_query() -> IndexFilter {
    let query = use_query_map().read_untracked();
    IndexFilter {
        department: query.get("department").unwrap_or_default(),
        procedure: query.get("procedure").unwrap_or_default(),
        respondent_type: query.get("respondent_type").unwrap_or_default(),
        channel: query.get("channel").unwrap_or_default(),
    }
}

/// `/rounds/{slug}`: the dashboard, restricted by `?department=…` and the like.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let filter = filter_from_query();
    let t = lang.texts();
    let page = Suspend::new(async move {
        match get_dashboard(slug, lang, filter).await {
            Ok(page) => view! {
                <StaffLayout lang viewer=page.viewer.clone() title=format!("{} · {}", t.dashboard_title, page.data.round.title)>
                    <Dashboard data=page.data csrf=page.viewer.csrf_token flash=page.flash printable=false />
                </StaffLayout>
            }
            .into_any(),
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// `/rounds/{slug}/report`: the same figures laid out for an A4 printout.
#[component]
pub fn ReportPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let filter = filter_from_query();
    let t = lang.texts();
    let page = Suspend::new(async move {
        match get_dashboard(slug, lang, filter).await {
            Ok(page) => view! {
                <StaffLayout lang viewer=page.viewer.clone() title=format!("{} · {}", t.report_title, page.data.round.title)>
                    <p class="no-print">{t.report_print_hint}</p>
                    <div class="report">
                        <div class="report-letterhead">
                            {page.data.logo.clone().map(|src| view! { <img class="report-logo" src=src alt="" /> })}
                            <p class="report-agency">{page.data.agency_name.clone()}</p>
                        </div>
                        <Dashboard data=page.data csrf=page.viewer.csrf_token flash=None printable=true />
                        <MethodNote lang />
                    </div>
                </StaffLayout>
            }
            .into_any(),
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

fn filter_form(lang: Lang, data: &DashboardData) -> impl IntoView + use<> {
    let t = lang.texts();
    let f = &data.filter;
    let option = |value: String, label: String, chosen: &str| {
        let selected = value == chosen;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let departments = data
        .departments
        .iter()
        .map(|d| option(d.code.clone(), d.label.clone(), &f.department))
        .collect_view();
    let procedures = data
        .procedures
        .iter()
        .map(|p| option(p.code.clone(), p.label.clone(), &f.procedure))
        .collect_view();
    let types = RespondentType::ALL
        .iter()
        .map(|r| {
            option(
                r.code().to_owned(),
                lang.respondent_type(*r).to_owned(),
                &f.respondent_type,
            )
        })
        .collect_view();
    let channels = SurveyChannel::ALL
        .iter()
        .map(|c| option(c.code().to_owned(), lang.channel(*c).to_owned(), &f.channel))
        .collect_view();
    view! {
        <form method="get" class="filters card no-print" aria-label=t.filters_label>
            <div class="field">
                <label for="filter-department">{t.department_label}</label>
                <select id="filter-department" name="department"><option value="">{t.all}</option>{departments}</select>
            </div>
            <div class="field">
                <label for="filter-procedure">{t.procedure_label}</label>
                <select id="filter-procedure" name="procedure"><option value="">{t.all}</option>{procedures}</select>
            </div>
            <div class="field">
                <label for="filter-type">{t.respondent_type_label}</label>
                <select id="filter-type" name="respondent_type"><option value="">{t.all}</option>{types}</select>
            </div>
            <div class="field">
                <label for="filter-channel">{t.entry_channel_label}</label>
                <select id="filter-channel" name="channel"><option value="">{t.all}</option>{channels}</select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button primary">{t.apply_filters}</button>
                <a href="?">{t.clear_filters}</a>
            </div>
        </form>
    }
}

fn breakdown_table(lang: Lang, breakdown: &Breakdown, threshold: u64) -> impl IntoView + use<> {
    let t = lang.texts();
    let caption = lang.breakdown_caption(&breakdown.dimension);
    let rows = breakdown
        .rows
        .iter()
        .map(|row| {
            let value = if row.suppressed {
                format!("{} (n < {threshold})", t.suppressed)
            } else {
                percent_or_dash(lang, row.overall)
            };
            view! {
                <tr>
                    <th scope="row">{row.label.clone()}</th>
                    <td class="num">{lang.count(row.n_responses)}</td>
                    <td class="num">{value}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data breakdown" data-dimension=breakdown.dimension.clone()>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{t.col_group}</th><th scope="col" class="num">{t.responses}</th><th scope="col" class="num">{t.overall_index}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn trend_table(lang: Lang, points: &[TrendPoint]) -> impl IntoView + use<> {
    let t = lang.texts();
    let rows = points
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.period.clone()}</th>
                    <td class="num">{lang.count(p.n_responses)}</td>
                    <td class="num">{percent_or_dash(lang, p.overall)}</td>
                    <td class="num">{interval_text(lang, p.ci_low, p.ci_high)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable caption=t.trend_caption id="trend-table" columns=vec![Column::text(t.col_period), Column::num(t.responses), Column::num(t.overall_index), Column::num(t.col_interval)]>
            {rows}
        </DataTable>
    }
}

/// The figures of a report: tiles, element chart and table, criteria.
fn report_body(
    lang: Lang,
    report: &IndicesReport,
    element_chart_svg: String,
    target: f64,
    element_targets: &std::collections::BTreeMap<String, f64>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let element_rows = report.elements.iter().map(|e| {
        let own = element_targets.get(&e.code).copied().unwrap_or(target);
        view! {
            <tr>
                <th scope="row">{e.code.clone()}</th>
                <td>{lang.pick(&e.title_vi, &e.title_en).to_owned()}</td>
                <td class="num" data-element=e.code.clone()>{percent_or_dash(lang, e.index)}</td>
                <td class="num" data-target=e.code.clone()>{lang.percent(own)}</td>
            </tr>
        }
    }).collect_view();
    let criterion_rows = report
        .criteria
        .iter()
        .map(|c| criterion_row(c, lang))
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption id="element-chart-caption">{t.element_chart_title} " — " {lang.target_line(target)}</figcaption>
            <div class="chart-svg" role="img" aria-labelledby="element-chart-caption" inner_html=element_chart_svg></div>
        </figure>
        <div class="table-wrap" tabindex="0">
            <table class="data" id="element-table">
                <caption>{t.element_table_caption}</caption>
                <thead><tr><th scope="col">{t.col_code}</th><th scope="col">{t.col_element}</th><th scope="col" class="num">{t.col_index}</th><th scope="col" class="num">{t.col_target}</th></tr></thead>
                <tbody>{element_rows}</tbody>
                <tfoot><tr><th scope="row" colspan="2">{t.overall_index}</th><td class="num">{percent_or_dash(lang, report.overall)}</td><td class="num">{lang.percent(target)}</td></tr></tfoot>
            </table>
        </div>
        <div class="table-wrap" tabindex="0">
            <table class="data" id="criteria-table">
                <caption>{t.criteria_table_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.col_code}</th>
                        <th scope="col">{t.col_criterion}</th>
                        <th scope="col" class="num">{t.col_n_valid}</th>
                        <th scope="col" class="num">{t.col_n_satisfied}</th>
                        <th scope="col" class="num">{t.col_index}</th>
                        <th scope="col" class="num">{t.col_interval}</th>
                        <th scope="col" class="num">{t.col_mean_score}</th>
                        <th scope="col" class="num">{t.col_distribution}</th>
                        <th scope="col" class="num">{t.col_not_applicable}</th>
                    </tr>
                </thead>
                <tbody>{criterion_rows}</tbody>
            </table>
        </div>
    }
}

/// Feedback over the round's half-year, next to the survey figures.
/// The dossiers completed in the round's half-year and their ratings.
/// Its key is `{year}-H{half}`; the link opens that year's figures.
fn dossier_panel(lang: Lang, row: &DossierFigureRow) -> impl IntoView + use<> {
    let d = lang.dossier_texts();
    let year = row.key.split('-').next().unwrap_or_default().to_owned();
    let share =
        |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{}%", lang.percent(v)));
    let (satisfied, interval) = if row.suppressed {
        (d.suppressed.to_owned(), d.suppressed.to_owned())
    } else {
        (
            share(row.satisfied_share),
            row.satisfied_interval.map_or_else(
                || "—".to_owned(),
                |(low, high)| format!("{}% – {}%", lang.percent(low), lang.percent(high)),
            ),
        )
    };
    view! {
        <section class="card" aria-labelledby="dossier-panel-heading" data-testid="dossier-panel">
            <h2 id="dossier-panel-heading">{d.panel_heading}</h2>
            <p class="muted">{d.panel_intro}</p>
            <dl class="facts">
                <dt>{d.col_completed}</dt><dd data-testid="dossier-completed">{lang.count(row.completed)}</dd>
                <dt>{d.col_rated}</dt><dd>{lang.count(row.rated)}" ("{share(row.rated_share)}")"</dd>
                <dt>{d.col_satisfied_share}</dt><dd data-testid="dossier-satisfied">{satisfied}</dd>
                <dt>{d.col_interval}</dt><dd>{interval}</dd>
                <dt>{d.col_on_time}</dt><dd>{share(row.on_time_share)}</dd>
            </dl>
            <p class="no-print"><a href=format!("/dossiers?year={year}")>{d.panel_more}</a></p>
        </section>
    }
}

fn feedback_panel(lang: Lang, panel: &FeedbackPanel) -> impl IntoView + use<> {
    let f = lang.feedback_texts();
    let on_time = if panel.answered == 0 {
        "—".to_owned()
    } else {
        format!(
            "{}%",
            lang.percent(100.0 * panel.answered_on_time as f64 / panel.answered as f64)
        )
    };
    let on_time_counts = format!(
        "{}/{} {}",
        lang.count(panel.answered_on_time),
        lang.count(panel.answered),
        f.col_answered.to_lowercase()
    );
    let satisfaction = panel.rating_satisfied_share.map_or_else(
        || "—".to_owned(),
        |share| format!("{}%", lang.percent(share)),
    );
    let table = |caption: &'static str,
                 rows: &[domain::model::FeedbackPanelRow],
                 id: &'static str| {
        let body = rows
            .iter()
            .map(|r| {
                view! {
                    <tr data-code=r.code.clone()>
                        <th scope="row">{r.label.clone()}</th>
                        <td class="num">{lang.count(r.received)}</td>
                        <td class="num">{lang.count(r.negative)}</td>
                        <td class="num">{lang.count(r.praise)}</td>
                        <td class="num">{lang.count(r.answered)}</td>
                        <td class="num">{lang.count(r.overdue)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <DataTable caption=caption id=id columns=vec![Column::text(lang.texts().col_group), Column::num(f.panel_received), Column::num(f.panel_negative), Column::num(f.panel_praise), Column::num(f.col_answered), Column::num(f.panel_overdue)]>
                {body}
            </DataTable>
        }
    };
    view! {
        <section class="feedback-panel" aria-labelledby="feedback-panel-heading" data-testid="feedback-panel">
            <h2 id="feedback-panel-heading">{f.panel_heading}</h2>
            <p class="muted">{format!("{} · {}", panel.period, f.panel_note)}</p>
            <div class="tiles">
                <div class="tile">
                    <p class="tile-label">{f.panel_received}</p>
                    <p class="tile-value" data-testid="feedback-received">{lang.count(panel.received)}</p>
                    <p class="tile-note">{format!("{}: {}", f.panel_in_scope, lang.count(panel.in_scope))}</p>
                    <p class="tile-note" data-testid="feedback-praise">{format!("{}: {}", f.panel_praise, lang.count(panel.praise))}</p>
                </div>
                <div class="tile">
                    <p class="tile-label">{f.panel_on_time}</p>
                    <p class="tile-value" data-testid="feedback-on-time">{on_time}</p>
                    <p class="tile-note">{on_time_counts}</p>
                </div>
                <div class="tile">
                    <p class="tile-label">{f.panel_overdue}</p>
                    <p class="tile-value" data-testid="feedback-overdue">{lang.count(panel.overdue)}</p>
                    <p class="tile-note"><a href="/feedback/items?overdue=1">{f.list_title}</a></p>
                </div>
                <div class="tile">
                    <p class="tile-label">{f.panel_satisfaction}</p>
                    <p class="tile-value" data-testid="feedback-satisfaction">{satisfaction}</p>
                    <p class="tile-note">{format!(
                        "{}: {} · {}: {}",
                        f.panel_ratings,
                        lang.count(panel.ratings),
                        f.panel_mean,
                        panel.rating_mean.map_or_else(|| "—".to_owned(), |m| lang.percent(m)),
                    )}</p>
                </div>
            </div>
            <div class="breakdowns">
                {table(f.panel_by_department, &panel.by_department, "feedback-by-department")}
                {table(f.panel_by_category, &panel.by_category, "feedback-by-category")}
            </div>
        </section>
    }
}

#[component]
fn Dashboard(
    data: DashboardData,
    csrf: String,
    flash: Option<FormFlash>,
    printable: bool,
) -> impl IntoView {
    let lang = data.lang;
    let t = lang.texts();
    let report = data.report.clone();
    let slug = data.round.slug.clone();
    let query = data.filter.query();
    let change = data.previous.as_ref().and_then(|p| {
        p.overall
            .zip(report.overall)
            .map(|(before, now)| (p.period.clone(), now - before))
    });
    let expectations = report
        .expectations
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <th scope="row">{e.code.clone()}</th>
                    <td>{lang.pick(&e.text_vi, &e.text_en).to_owned()}</td>
                    <td class="num">{lang.count(e.n_valid)}</td>
                    <td class="num">{percent_or_dash(lang, e.share)}</td>
                </tr>
            }
        })
        .collect_view();
    let perceptions = report
        .perceptions
        .iter()
        .map(|p| {
            let (met, share, interval) = if p.suppressed {
                (t.suppressed.to_owned(), t.suppressed.to_owned(), t.suppressed.to_owned())
            } else {
                (
                    p.n_experienced.map_or_else(|| "—".to_owned(), |n| lang.count(n)),
                    percent_or_dash(lang, p.share),
                    interval_text(lang, p.ci_low, p.ci_high),
                )
            };
            view! {
                <tr data-criterion=p.code.clone() class=if p.suppressed { "suppressed" } else { "" }>
                    <th scope="row">{p.code.clone()}</th>
                    <td class="text">{lang.pick(&p.text_vi, &p.text_en).to_owned()}</td>
                    <td class="num">{lang.count(p.n_valid)}</td>
                    <td class="num">{met}</td>
                    <td class="num">{share}</td>
                    <td class="num">{interval}</td>
                </tr>
            }
        })
        .collect_view();
    let has_perceptions = !report.perceptions.is_empty();
    let comments = data.comments.iter().map(|c| view! {
        <li>
            <p class="comment-text">{c.text.clone()}</p>
            <p class="muted">{format!("{}{}", c.submitted_at, c.department.clone().map(|d| format!(" · {d}")).unwrap_or_default())}</p>
        </li>
    }).collect_view();
    let threshold = report.suppression_threshold;
    let breakdowns = data
        .breakdowns
        .iter()
        .map(|b| breakdown_table(lang, b, threshold))
        .collect_view();
    let others = data.other_rounds.iter().map(|r| view! { <option value=r.slug.clone()>{format!("{} ({})", r.title, r.period)}</option> }).collect_view();
    view! {
        <h1>{t.dashboard_title}</h1>
        <p class="lead">{data.round.title.clone()}</p>
        <p class="muted">{format!("{} · {}", data.round.period, lang.round_status(data.round.status))}</p>
        {data.published_id.clone().map(|id| view! {
            <p class="notice success">{t.published_at_link} " " <a href=format!("/results/{id}")>{format!("/results/{id}")}</a></p>
            {(!printable).then(|| view! {
                <p class="actions no-print"><a class="button" href=format!("/api/v1/rounds/{slug}/evidence.zip")>{t.evidence_pack}</a></p>
            })}
        })}
        {(!printable).then(|| filter_form(lang, &data))}
        {(!data.filter.is_empty()).then(|| view! { <p class="notice" role="status">{t.filtered_note}</p> })}
        <div class="tiles">
            <div class="tile">
                <p class="tile-label">{t.overall_index}</p>
                <p class="tile-value" data-testid="overall-index">{percent_or_dash(lang, report.overall)}</p>
                <p class="tile-note">{format!("{}: {}", t.col_interval, interval_text(lang, report.overall_ci_low, report.overall_ci_high))}</p>
            </div>
            <div class="tile">
                <p class="tile-label">{t.responses}</p>
                <p class="tile-value" data-testid="n-responses">{lang.count(report.n_responses)}</p>
                <p class="tile-note" data-testid="n-excluded">{format!("{}: {}", t.excluded_responses, lang.count(report.n_excluded))}</p>
                <p class="tile-note" data-testid="n-flagged">{format!("{}: {}", t.flagged_responses, lang.count(report.n_flagged))}</p>
                <p class="tile-note">{data.stats.response_rate.map(|r| format!("{}: {}%", t.response_rate, lang.percent(r))).unwrap_or_default()}</p>
            </div>
            <div class="tile">
                <p class="tile-label">{t.change_from_previous}</p>
                <p class="tile-value" data-testid="change">{change.as_ref().map_or_else(|| "—".to_owned(), |(_, d)| signed(lang, *d))}</p>
                <p class="tile-note">{change.map(|(period, _)| period).unwrap_or_else(|| t.no_previous.to_owned())}</p>
            </div>
            {report.overall_satisfaction.clone().map(|o| view! {
                <div class="tile">
                    <p class="tile-label">{t.overall_satisfaction}</p>
                    <p class="tile-value">{percent_or_dash(lang, o.figures.index)}</p>
                    <p class="tile-note">{format!("n = {}", lang.count(o.figures.n_valid))}</p>
                </div>
            })}
        </div>
        {(!printable).then(|| view! {
            <p class="actions no-print">
                <a class="button" href=format!("/rounds/{slug}/report{query}")>{t.print_report}</a>
                <a class="button" href=format!("/rounds/{slug}/actions")>{lang.action_texts().open_plan}</a>
                <a class="button" href=format!("/rounds/{slug}/quality")>{lang.quality_texts().review_link}</a>
                <a class="button" href=format!("/api/v1/rounds/{slug}/responses.csv")>{t.export_csv}</a>
                <a class="button" href=format!("/api/v1/rounds/{slug}/responses.xlsx")>{t.export_xlsx}</a>
                <a class="button" href=format!("/api/v1/rounds/{slug}/indices.xlsx{}", if report.weighted.is_some() { "?weighted=true".to_owned() } else { query.clone() })>{t.export_indices}</a>
            </p>
        })}
        {report_body(lang, &report, data.element_chart_svg.clone(), data.target, &data.element_targets)}
        <figure class="chart">
            <figcaption id="distribution-caption">{t.distribution_caption}</figcaption>
            <div class="chart-svg" role="img" aria-labelledby="distribution-caption" inner_html=data.distribution_chart_svg.clone()></div>
            <p class="legend">{t.distribution_legend}</p>
        </figure>
        <figure class="chart">
            <figcaption id="trend-caption">{t.trend_caption}</figcaption>
            <div class="chart-svg" role="img" aria-labelledby="trend-caption" inner_html=data.trend_chart_svg.clone()></div>
        </figure>
        {trend_table(lang, &data.trend)}
        {drivers_section(lang, data.drivers.as_ref(), data.drivers_chart_svg.clone(), (!printable).then_some(slug.as_str()))}
        {report.weighted.as_ref().map(|w| weighted_section(lang, &report, w))}
        <h2>{t.breakdowns_heading}</h2>
        <p class="muted">{lang.suppression_note(threshold)}</p>
        <div class="breakdowns">{breakdowns}</div>
        <DataTable caption=t.expectations_caption id="expectations-table" columns=vec![Column::text(t.col_code), Column::text(t.col_area), Column::num(t.col_n_valid), Column::num(t.col_share_asking)]>
            {expectations}
        </DataTable>
        {has_perceptions.then(|| view! {
            <DataTable caption=t.perceptions_caption id="perceptions-table" columns=vec![Column::text(t.col_code), Column::text(t.col_criterion), Column::num(t.col_n_valid), Column::num(t.col_n_met), Column::num(t.col_share_met), Column::num(t.col_interval)]>
                {perceptions}
            </DataTable>
            <p class="muted">{t.perceptions_note}</p>
        })}
        {dossier_panel(lang, &data.dossiers)}
        {feedback_panel(lang, &data.feedback)}
        <section aria-labelledby="comments-heading">
            <h2 id="comments-heading">{t.comments_heading}</h2>
            <ul class="comments">{comments}</ul>
        </section>
        {(!printable).then(|| view! {
            <section class="card no-print">
                <h2>{t.compare_heading}</h2>
                <form method="get" action=format!("/rounds/{slug}/compare") class="inline-fields">
                    <label for="compare-with">{t.compare_with}</label>
                    <select id="compare-with" name="with">{others}</select>
                    <button type="submit" class="button">{t.compare_button}</button>
                </form>
            </section>
            {exclusion_section(lang, &data, &csrf, &flash)}
        })}
        <p class="muted">{format!("{}: {}", t.formula_version, report.formula_version)}</p>
    }
}

/// The indices weighted by population beside the official ones, clearly
/// labelled, with the strata they are weighted by.
fn weighted_section(
    lang: Lang,
    report: &IndicesReport,
    weighted: &WeightedIndices,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let official = |code: &str| {
        report
            .criteria
            .iter()
            .find(|c| c.code == code)
            .and_then(|c| c.figures.index)
    };
    let element_official = |code: &str| {
        report
            .elements
            .iter()
            .find(|e| e.code == code)
            .and_then(|e| e.index)
    };
    let elements = weighted
        .elements
        .iter()
        .map(|e| {
            view! {
                <tr data-element=e.code.clone()>
                    <th scope="row">{e.code.clone()}</th>
                    <td class="num">{percent_or_dash(lang, element_official(&e.code))}</td>
                    <td class="num">{percent_or_dash(lang, e.index)}</td>
                </tr>
            }
        })
        .collect_view();
    let criteria = weighted
        .criteria
        .iter()
        .map(|c| {
            view! {
                <tr data-criterion=c.code.clone()>
                    <th scope="row">{c.code.clone()}</th>
                    <td class="num">{percent_or_dash(lang, official(&c.code))}</td>
                    <td class="num">{percent_or_dash(lang, c.index)}</td>
                    <td class="num">{c.effective_n.map_or_else(|| "—".to_owned(), |n| lang.decimal(n))}</td>
                    <td class="num">{interval_text(lang, c.ci_low, c.ci_high)}</td>
                </tr>
            }
        })
        .collect_view();
    let strata = weighted
        .strata
        .iter()
        .map(|s| {
            view! {
                <tr data-code=s.code.clone()>
                    <th scope="row">{s.label.clone()}</th>
                    <td class="num">{lang.count(s.population)}</td>
                    <td class="num">{lang.count(s.responses)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="weighted" aria-labelledby="weighted-heading" data-testid="weighted">
            <h2 id="weighted-heading">{t.weighted_heading}</h2>
            <div class="tiles">
                <div class="tile">
                    <p class="tile-label">{t.overall_index}</p>
                    <p class="tile-value" data-testid="weighted-overall">{percent_or_dash(lang, weighted.overall)}</p>
                    <p class="tile-note">{format!("{}: {}", t.populations_current, lang.stratum_dimension(weighted.dimension))}</p>
                </div>
            </div>
            <DataTable caption=t.col_population id="weighted-strata" columns=vec![Column::text(t.col_stratum), Column::num(t.col_population), Column::num(t.responses)]>
                {strata}
            </DataTable>
            <DataTable caption=t.element_table_caption id="weighted-elements" columns=vec![Column::text(t.col_code), Column::num(t.col_index), Column::num(t.col_weighted_index)]>
                {elements}
            </DataTable>
            <DataTable caption=t.criteria_table_caption id="weighted-criteria" columns=vec![Column::text(t.col_code), Column::num(t.col_index), Column::num(t.col_weighted_index), Column::num(t.col_effective_n), Column::num(t.col_interval)]>
                {criteria}
            </DataTable>
            <p class="muted">{t.weighted_note}</p>
        </section>
    }
}

/// What drives overall satisfaction: the importance–performance matrix,
/// the criteria to fix first, and the weights table; or why none is shown.
fn drivers_section(
    lang: Lang,
    drivers: Option<&DriverAnalysis>,
    chart_svg: String,
    plan_links_of: Option<&str>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let a = lang.action_texts();
    let plan_links_of = plan_links_of.map(str::to_owned);
    let body = match drivers {
        None => view! { <p class="muted">{t.drivers_whole_round}</p> }.into_any(),
        Some(analysis) => match analysis.hidden {
            Some(reason) => {
                let why = match reason {
                    DriversHidden::TooFewResponses => lang
                        .drivers_too_few(analysis.minimum_responses, analysis.complete_responses),
                    DriversHidden::NoVariation => t.drivers_no_variation.to_owned(),
                    DriversHidden::NoOverallQuestion => t.drivers_no_overall.to_owned(),
                };
                view! { <p class="notice" data-testid="drivers-hidden">{why}</p> }.into_any()
            }
            None => {
                let fix_first: Vec<_> = analysis
                    .fix_first()
                    .map(|c| {
                        view! {
                            <li data-criterion=c.code.clone()>
                                <strong>{c.code.clone()}</strong>
                                {format!(
                                    " {} — {}: {} · {}: {}",
                                    lang.pick(&c.text_vi, &c.text_en),
                                    t.col_weight,
                                    lang.percent(c.weight),
                                    t.col_index,
                                    percent_or_dash(lang, c.index),
                                )}
                                {plan_links_of.as_ref().map(|slug| view! {
                                    " "
                                    <a class="no-print" href=format!("/rounds/{slug}/actions?criterion={}#action-new", c.code)>{a.plan_for_criterion}</a>
                                })}
                            </li>
                        }
                    })
                    .collect();
                let fix_first = if fix_first.is_empty() {
                    view! { <p class="muted">{t.drivers_none_to_fix}</p> }.into_any()
                } else {
                    view! { <ul class="fix-first">{fix_first}</ul> }.into_any()
                };
                let rows = analysis
                    .criteria
                    .iter()
                    .map(|c| {
                        view! {
                            <tr data-criterion=c.code.clone() data-quadrant=c.quadrant.map(|q| q.code())>
                                <th scope="row">{c.code.clone()}</th>
                                <td class="text">{lang.pick(&c.text_vi, &c.text_en).to_owned()}</td>
                                <td class="num">{lang.decimal(c.r)}</td>
                                <td class="num">{lang.count(c.n_pairs)}</td>
                                <td class="num">{lang.percent(c.weight)}</td>
                                <td class="num">{percent_or_dash(lang, c.index)}</td>
                                <td class="num">{lang.percent(c.target)}</td>
                                <td>{lang.quadrant(c.quadrant)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let summary = format!(
                    "R² = {} · n = {}",
                    lang.decimal(analysis.r_squared.unwrap_or_default()),
                    lang.count(analysis.complete_responses)
                );
                view! {
                    <figure class="chart">
                        <figcaption id="drivers-caption">{t.drivers_caption}</figcaption>
                        <div class="chart-svg" role="img" aria-labelledby="drivers-caption" inner_html=chart_svg></div>
                    </figure>
                    <p data-testid="drivers-summary">{summary}</p>
                    <h3>{t.drivers_fix_first}</h3>
                    {fix_first}
                    <DataTable caption=t.drivers_table_caption id="drivers-table" columns=vec![Column::text(t.col_code), Column::text(t.col_criterion), Column::num(t.col_r), Column::num(t.col_pairs), Column::num(t.col_weight), Column::num(t.col_index), Column::num(t.col_target), Column::text(t.col_quadrant)]>
                        {rows}
                    </DataTable>
                    <p class="muted">{t.drivers_note}</p>
                }
                .into_any()
            }
        },
    };
    view! {
        <section class="drivers" aria-labelledby="drivers-heading" data-testid="drivers">
            <h2 id="drivers-heading">{t.drivers_heading}</h2>
            {body}
        </section>
    }
}

/// Asking to leave a response out (staff) or deciding on it (leaders), and
/// the requests that wait for a leader.
fn exclusion_section(
    lang: Lang,
    data: &DashboardData,
    csrf: &str,
    flash: &Option<FormFlash>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let slug = data.round.slug.clone();
    let leader = data.decides_exclusions;
    let err = |field: &str| field_error(flash, "exclude", field);
    let pending = data
        .pending_exclusions
        .iter()
        .map(|p| {
            let decision = leader.then(|| {
                let (csrf, slug, code) = (csrf.to_owned(), slug.clone(), p.receipt_code.clone());
                view! {
                    <form method="post" action=ExcludeResponse::url() class="inline-fields">
                        <CsrfField token=csrf />
                        <input type="hidden" name="slug" value=slug />
                        <input type="hidden" name="receipt_code" value=code />
                        <button type="submit" name="step" value="confirm" class="button">{t.confirm_exclusion_button}</button>
                        <button type="submit" name="step" value="decline" class="button secondary">{t.decline_exclusion_button}</button>
                    </form>
                }
            });
            view! {
                <tr data-receipt=p.receipt_code.clone()>
                    <th scope="row"><code>{p.receipt_code.clone()}</code></th>
                    <td class="text">{p.reason.clone()}</td>
                    <td>{p.proposed_by.clone()}</td>
                    <td>{p.proposed_at.clone()}</td>
                    {leader.then(|| view! { <td>{decision}</td> })}
                </tr>
            }
        })
        .collect_view();
    let mut columns = vec![
        Column::text(t.receipt_code),
        Column::text(t.exclude_reason),
        Column::text(t.col_proposed_by),
        Column::text(t.col_proposed_at),
    ];
    if leader {
        columns.push(Column::text(t.col_decision));
    }
    let has_pending = !data.pending_exclusions.is_empty();
    view! {
        <section class="card no-print" aria-labelledby="exclude-heading">
            <h2 id="exclude-heading">{t.exclude_heading}</h2>
            <p class="hint">{if leader { t.exclude_hint } else { t.exclude_hint_staff }}</p>
            <FlashNotice lang flash=flash.clone() form="exclude".to_owned() />
            <form method="post" action=ExcludeResponse::url() class="inline-fields">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="slug" value=slug.clone() />
                <label for="exclude-code">{t.receipt_code}</label>
                <input id="exclude-code" name="receipt_code" required value=entered(flash, "exclude", "receipt_code")
                    aria-invalid=err("receipt_code").map(|_| "true") aria-describedby="exclude-code-error" />
                {error_line(err("receipt_code"), "exclude-code-error".to_owned())}
                <label for="exclude-reason">{t.exclude_reason}</label>
                <input id="exclude-reason" name="reason" value=entered(flash, "exclude", "reason")
                    aria-invalid=err("reason").map(|_| "true") aria-describedby="exclude-reason-error" />
                {error_line(err("reason"), "exclude-reason-error".to_owned())}
                {if leader {
                    view! {
                        <button type="submit" name="step" value="propose" class="button">{t.exclude_button}</button>
                        <button type="submit" name="step" value="restore" class="button secondary">{t.restore_button}</button>
                    }.into_any()
                } else {
                    view! { <button type="submit" name="step" value="propose" class="button">{t.propose_exclusion_button}</button> }.into_any()
                }}
            </form>
            <h3>{t.pending_exclusions_heading}</h3>
            {if has_pending {
                view! {
                    <DataTable caption=t.pending_exclusions_heading id="pending-exclusions" columns>
                        {pending}
                    </DataTable>
                }.into_any()
            } else {
                view! { <p class="muted">{t.no_pending_exclusions}</p> }.into_any()
            }}
        </section>
    }
}

fn criterion_row(c: &CriterionIndex, lang: Lang) -> impl IntoView + use<> {
    let f = &c.figures;
    let distribution = f
        .distribution
        .iter()
        .map(|n| lang.count(*n))
        .collect::<Vec<_>>()
        .join(" / ");
    view! {
        <tr data-criterion=c.code.clone()>
            <th scope="row">{c.code.clone()}</th>
            <td class="text">{lang.pick(&c.text_vi, &c.text_en).to_owned()}</td>
            <td class="num">{lang.count(f.n_valid)}</td>
            <td class="num">{lang.count(f.n_satisfied)}</td>
            <td class="num criterion-index">{percent_or_dash(lang, f.index)}</td>
            <td class="num">{interval_text(lang, f.ci_low, f.ci_high)}</td>
            <td class="num">{percent_or_dash(lang, f.mean_score)}</td>
            <td class="num">{distribution}</td>
            <td class="num">{lang.count(f.n_not_applicable)}</td>
        </tr>
    }
}

/// How the figures are computed, in words (docs/methodology.md, “Formulas”).
#[component]
fn MethodNote(lang: Lang) -> impl IntoView {
    let t = lang.texts();
    view! {
        <section class="method" aria-labelledby="method-heading">
            <h2 id="method-heading">{t.method_heading}</h2>
            <ul>
                <li>{t.method_criterion}</li>
                <li>{t.method_mean}</li>
                <li>{t.method_element}</li>
                <li>{t.method_interval}</li>
                <li>{t.method_na}</li>
            </ul>
        </section>
    }
}

/// `/rounds/{slug}/compare?with={other}`; without `with`, the round before
/// `slug` on the same questionnaire against it.
#[component]
pub fn ComparePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let other = use_query_map()
        .read_untracked()
        .get("with")
        .unwrap_or_default();
    load_page(lang, get_comparison(slug, other, lang), move |page| {
        let body = match page.data {
            ComparisonPage::Compared(data) => view! { <Comparison lang data=*data /> }.into_any(),
            ComparisonPage::NoEarlierRound(round) => view! {
                <h1>{t.compare_heading}</h1>
                <p class="lead" data-testid="no-earlier-round">
                    {format!("{} ({}): {}", round.title, round.period, t.compare_no_earlier_round)}
                </p>
                <p><a href=format!("/rounds/{}", round.slug)>{t.compare_back_to_dashboard}</a></p>
            }
            .into_any(),
        };
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.compare_heading>
                {body}
            </StaffLayout>
        }
        .into_any()
    })
}

/// Two rounds side by side: overall, elements, and criteria with their tests.
#[component]
fn Comparison(lang: Lang, data: ComparisonData) -> impl IntoView {
    let t = lang.texts();
    let c = data.comparison.clone();
    let change =
        move |delta: Option<f64>| delta.map_or_else(|| "—".to_owned(), |d| signed(lang, d));
    let elements = c.elements.iter().map(|e| view! {
        <tr><th scope="row">{e.code.clone()}</th><td class="num">{percent_or_dash(lang, e.base)}</td><td class="num">{percent_or_dash(lang, e.other)}</td><td class="num">{change(e.delta)}</td></tr>
    }).collect_view();
    let criteria = c.criteria.iter().map(|k| {
        let flag = if k.significant { t.significant } else { "" };
        view! {
            <tr data-criterion=k.code.clone() class=if k.significant { "significant" } else { "" }>
                <th scope="row">{k.code.clone()}</th>
                <td class="text">{lang.pick(&k.text_vi, &k.text_en).to_owned()}</td>
                <td class="num">{percent_or_dash(lang, k.base)}</td>
                <td class="num">{percent_or_dash(lang, k.other)}</td>
                <td class="num">{change(k.delta)}</td>
                <td class="num">{k.p_value.map(|p| format!("{p:.3}")).unwrap_or_else(|| "—".to_owned())}</td>
                <td>{flag}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <h1>{t.compare_heading}</h1>
        <p class="lead" data-testid="compared-rounds">{format!("{} ({}) → {} ({})", data.base.title, data.base.period, data.other.title, data.other.period)}</p>
        <div class="tiles">
            <div class="tile">
                <p class="tile-label">{t.overall_index}</p>
                <p class="tile-value" data-testid="overall-change">{change(c.overall.delta)}</p>
                <p class="tile-note">{format!("{} → {}", percent_or_dash(lang, c.overall.base), percent_or_dash(lang, c.overall.other))}</p>
            </div>
        </div>
        <DataTable caption=t.element_table_caption columns=vec![Column::text(t.col_code), Column::num(data.base.period.clone()), Column::num(data.other.period.clone()), Column::num(t.col_delta)]>
            {elements}
        </DataTable>
        <p class="muted">{t.significance_note}</p>
        <DataTable caption=t.criteria_table_caption id="comparison-table" columns=vec![Column::text(t.col_code), Column::text(t.col_criterion), Column::num(data.base.period.clone()), Column::num(data.other.period.clone()), Column::num(t.col_delta), Column::num("p"), Column::text(t.col_significance)]>
            {criteria}
        </DataTable>
    }
}

/// `/results/{id}`: a round's published results, citable by this permanent link.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    let page = Suspend::new(async move {
        match get_published(id, lang).await {
            Ok(Some(page)) => {
                let results = page.results.clone();
                let title = lang.pick(&results.title_vi, &results.title_en).to_owned();
                let report = results.report.clone();
                let threshold = report.suppression_threshold;
                let breakdowns = results
                    .breakdowns
                    .iter()
                    .map(|b| breakdown_table(lang, b, threshold))
                    .collect_view();
                view! {
                    <PublicLayout lang title=title.clone() agency_name=results.agency_name.clone() logo=results.logo.clone()>
                        <article class="report">
                            <p class="muted">{t.published_results}</p>
                            <h1>{title.clone()}</h1>
                            <p class="lead">{lang.period(results.year, results.half)}</p>
                            <dl class="facts">
                                <dt>{t.approved_by}</dt><dd>{format!("{} · {}", results.approved_by, results.approved_at)}</dd>
                                <dt>{t.permanent_link}</dt><dd><code>{format!("/results/{}", results.public_id)}</code></dd>
                                <dt>{t.formula_version}</dt><dd>{report.formula_version.clone()}</dd>
                            </dl>
                            <div class="tiles">
                                <div class="tile">
                                    <p class="tile-label">{t.overall_index}</p>
                                    <p class="tile-value" data-testid="overall-index">{percent_or_dash(lang, report.overall)}</p>
                                    <p class="tile-note">{format!("{}: {}", t.col_interval, interval_text(lang, report.overall_ci_low, report.overall_ci_high))}</p>
                                </div>
                                <div class="tile">
                                    <p class="tile-label">{t.responses}</p>
                                    <p class="tile-value" data-testid="n-responses">{lang.count(report.n_responses)}</p>
                                    <p class="tile-note" data-testid="n-excluded">{format!("{}: {}", t.excluded_responses, lang.count(report.n_excluded))}</p>
                                    <p class="tile-note" data-testid="n-flagged">{format!("{}: {}", t.flagged_responses, lang.count(report.n_flagged))}</p>
                                </div>
                            </div>
                            {report_body(lang, &report, page.element_chart_svg.clone(), results.target, &results.element_targets)}
                            <h2>{t.breakdowns_heading}</h2>
                            <p class="muted">{lang.suppression_note(threshold)}</p>
                            {breakdowns}
                            {page.has_actions.then(|| view! {
                                <p><a href=format!("/results/{}/actions", results.public_id)>{lang.action_texts().results_link}</a></p>
                            })}
                            <MethodNote lang />
                        </article>
                    </PublicLayout>
                }
                .into_any()
            }
            Ok(None) => view! { <NotFound /> }.into_any(),
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}
