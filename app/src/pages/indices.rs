use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::get_dashboard;
use crate::components::{StaffLayout, use_lang};
use crate::i18n::Lang;
use crate::model::{CriterionIndex, DashboardData};
use crate::pages::errors::page_error;

/// `/rounds/{slug}`: the round's indices as methodology.md §4 defines them,
/// the element chart and every number behind it.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let t = lang.texts();
    let page = Suspend::new(async move {
        match get_dashboard(slug, lang).await {
            Ok(page) => view! {
                <StaffLayout
                    lang
                    viewer=page.viewer
                    title=format!("{} · {}", t.dashboard_title, page.data.round.title)
                >
                    <Dashboard data=page.data />
                </StaffLayout>
            }
            .into_any(),
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

fn percent_or_dash(lang: Lang, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| lang.percent(v))
}

#[component]
fn Dashboard(data: DashboardData) -> impl IntoView {
    let lang = data.lang;
    let t = lang.texts();
    let report = data.report;
    let element_rows = report
        .elements
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <th scope="row">{e.code.clone()}</th>
                    <td>{lang.pick(&e.title_vi, &e.title_en).to_owned()}</td>
                    <td class="num" data-element=e.code.clone()>{percent_or_dash(lang, e.index)}</td>
                </tr>
            }
        })
        .collect_view();
    let criterion_rows = report
        .criteria
        .iter()
        .map(|c| criterion_row(c, lang))
        .collect_view();
    let overall_satisfaction = report.overall_satisfaction.clone();
    view! {
        <h1>{t.dashboard_title}</h1>
        <p class="lead">{data.round.title.clone()}</p>
        <p class="muted">{data.round.period.clone()}</p>
        <div class="tiles">
            <div class="tile">
                <p class="tile-label">{t.overall_index}</p>
                <p class="tile-value" data-testid="overall-index">
                    {percent_or_dash(lang, report.overall)}
                </p>
                <p class="tile-note">{t.overall_index_note}</p>
            </div>
            <div class="tile">
                <p class="tile-label">{t.responses}</p>
                <p class="tile-value" data-testid="n-responses">{lang.count(report.n_responses)}</p>
            </div>
            {overall_satisfaction
                .map(|o| {
                    view! {
                        <div class="tile">
                            <p class="tile-label">{t.overall_satisfaction}</p>
                            <p class="tile-value">{percent_or_dash(lang, o.figures.index)}</p>
                            <p class="tile-note">
                                {format!("n = {}", lang.count(o.figures.n_valid))}
                            </p>
                        </div>
                    }
                })}
        </div>

        <figure class="chart">
            <figcaption id="element-chart-caption">
                {t.element_chart_title} " — " {lang.target_line(data.target)}
            </figcaption>
            <div
                class="chart-svg"
                role="img"
                aria-labelledby="element-chart-caption"
                inner_html=data.element_chart_svg
            ></div>
        </figure>

        <div class="table-wrap">
            <table class="data" id="element-table">
                <caption>{t.element_table_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.col_code}</th>
                        <th scope="col">{t.col_element}</th>
                        <th scope="col" class="num">{t.col_index}</th>
                    </tr>
                </thead>
                <tbody>{element_rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="2">{t.overall_index}</th>
                        <td class="num">{percent_or_dash(lang, report.overall)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>

        <div class="table-wrap">
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
        <p class="muted">{format!("{}: {}", t.formula_version, report.formula_version)}</p>
    }
}

fn criterion_row(c: &CriterionIndex, lang: Lang) -> impl IntoView + use<> {
    let f = &c.figures;
    let interval = match (f.ci_low, f.ci_high) {
        (Some(low), Some(high)) => format!("{} – {}", lang.percent(low), lang.percent(high)),
        _ => "—".to_owned(),
    };
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
            <td class="num">{interval}</td>
            <td class="num">{percent_or_dash(lang, f.mean_score)}</td>
            <td class="num">{distribution}</td>
            <td class="num">{lang.count(f.n_not_applicable)}</td>
        </tr>
    }
}
