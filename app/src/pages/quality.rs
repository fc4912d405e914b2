//! The data-quality review of a round: the flags by kind, and the flagged
//! responses (by receipt code, never by who sent them) to confirm or
//! dismiss, ticked one by one or all of a kind at once.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, StaffLayout, load_page, use_lang,
};
use crate::server_fns::{DecideFlags, get_quality_page};
use domain::model::{FlagStatus, QualityPage};

/// `/rounds/{slug}/quality`; `?status=confirmed|dismissed` lists decided flags.
#[component]
pub fn QualityReviewPage() -> impl IntoView {
    let lang = use_lang();
    let q = lang.quality_texts();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let status = use_query_map()
        .read_untracked()
        .get("status")
        .unwrap_or_default();
    load_page(lang, get_quality_page(slug, status, lang), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let data: QualityPage = page.data;
        let slug = data.round.slug.clone();
        let waiting = data.showing == FlagStatus::Open;
        let decide = data.may_decide && waiting;
        let tally_rows = data
            .tallies
            .iter()
            .map(|tally| {
                let bulk = (decide && tally.open > 0).then(|| {
                    view! {
                        <form method="post" action=DecideFlags::url() class="inline-form">
                            <CsrfField token=csrf.clone() />
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="kind" value=tally.kind.code() />
                            <button type="submit" class="button small" name="decision" value="confirm">
                                {format!("{} ({})", q.confirm_all, lang.count(tally.open))}
                            </button>
                            " "
                            <button type="submit" class="button small" name="decision" value="dismiss">
                                {format!("{} ({})", q.dismiss_all, lang.count(tally.open))}
                            </button>
                        </form>
                    }
                });
                view! {
                    <tr data-kind=tally.kind.code()>
                        <th scope="row">{lang.flag_kind(tally.kind)}</th>
                        <td class="num" data-testid="open">{lang.count(tally.open)}</td>
                        <td class="num" data-testid="confirmed">{lang.count(tally.confirmed)}</td>
                        <td class="num" data-testid="dismissed">{lang.count(tally.dismissed)}</td>
                        <td>{bulk}</td>
                    </tr>
                }
            })
            .collect_view();
        let flag_rows = data
            .flags
            .iter()
            .map(|flag| {
                let id = format!("flag-{}", flag.id);
                let label = format!("{} {} {}", q.col_select, flag.receipt_code, lang.flag_kind(flag.kind));
                view! {
                    <tr data-receipt=flag.receipt_code.clone() data-kind=flag.kind.code()>
                        {decide.then(|| view! {
                            <td><input type="checkbox" id=id.clone() name=format!("flags[{}]", flag.id) value="on" aria-label=label.clone() /></td>
                        })}
                        <th scope="row"><code>{flag.receipt_code.clone()}</code></th>
                        <td>{lang.flag_kind(flag.kind)}</td>
                        <td>{flag.detail.clone()}</td>
                        <td>{flag.submitted_at.clone()}</td>
                        <td>{flag.department.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        let mut columns = Vec::new();
        if decide {
            columns.push(Column::text(q.col_select));
        }
        columns.extend([
            Column::text(q.col_receipt),
            Column::text(q.col_kind),
            Column::text(q.col_detail),
            Column::text(q.col_submitted),
            Column::text(q.col_department),
        ]);
        let statuses = FlagStatus::ALL
            .iter()
            .map(|s| view! { <option value=s.code() selected=*s == data.showing>{lang.flag_status(*s)}</option> })
            .collect_view();
        let empty = data.flags.is_empty();
        let full = data.truncated;
        let title = format!("{} · {}", q.page_title, data.round.title);
        view! {
            <StaffLayout lang viewer=page.viewer title=title>
                <h1>{q.page_title}</h1>
                <p class="lead">{data.round.title.clone()}</p>
                <p>{q.intro}</p>
                <p class="muted" data-testid="median">
                    {data.median_seconds.map_or_else(|| q.no_median.to_owned(), |s| lang.median_time(s))}
                </p>
                <FlashNotice lang flash=flash.clone() form="flags".to_owned() />
                <DataTable caption=q.tally_caption id="flag-tallies" columns=vec![Column::text(q.col_kind), Column::num(q.col_open), Column::num(q.col_confirmed), Column::num(q.col_dismissed), Column::text(q.col_bulk)]>
                    {tally_rows}
                </DataTable>
                <form method="get" class="inline-fields no-print">
                    <label for="flag-status">{q.showing_label}</label>
                    <select id="flag-status" name="status">{statuses}</select>
                    <button type="submit" class="button">{q.show_button}</button>
                </form>
                {if empty {
                    view! { <p class="muted" data-testid="no-flags">{q.none}</p> }.into_any()
                } else {
                    view! {
                        <form method="post" action=DecideFlags::url() id="flag-list">
                            <CsrfField token=csrf.clone() />
                            <input type="hidden" name="slug" value=slug.clone() />
                            <DataTable caption=lang.flag_status(data.showing) id="flags" columns=columns>
                                {flag_rows}
                            </DataTable>
                            {full.then(|| view! { <p class="muted">{q.list_limit}</p> })}
                            {decide.then(|| view! {
                                <p class="actions">
                                    <button type="submit" class="button primary" name="decision" value="confirm">{q.confirm_selected}</button>
                                    <button type="submit" class="button" name="decision" value="dismiss">{q.dismiss_selected}</button>
                                </p>
                            })}
                        </form>
                    }.into_any()
                }}
            </StaffLayout>
        }
        .into_any()
    })
}
