//! The invitations page's part that draws a round's sample from the
//! dossiers completed in its half-year: the size of each department's
//! stratum, who may be invited, and the button that draws (once).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::{Column, CsrfField, DataTable, FlashNotice};
use crate::server_fns::DrawSample;
use domain::i18n::Lang;
use domain::model::{FormFlash, SamplePlan};

pub fn sample_from_dossiers(
    lang: Lang,
    plan: &SamplePlan,
    may_draw: bool,
    flash: &Option<FormFlash>,
    csrf: &str,
    slug: &str,
) -> impl IntoView + use<> {
    let s = lang.sampling_texts();
    // Who may be invited is counted before the draw only.
    let counted = |n: Option<u64>| n.map_or_else(|| "—".to_owned(), |n| lang.count(n));
    let rows = plan
        .strata
        .iter()
        .map(|stratum| {
            view! {
                <tr>
                    <td>{stratum.department.clone()}</td>
                    <td class="num">{lang.count(stratum.completed)}</td>
                    <td class="num">{lang.count(stratum.target)}</td>
                    <td class="num">{counted(stratum.reachable)}</td>
                    <td class="num">{counted(stratum.to_draw)}</td>
                    <td class="num">{lang.count(stratum.drawn)}</td>
                </tr>
            }
        })
        .collect_view();
    let to_draw: u64 = plan.strata.iter().filter_map(|s| s.to_draw).sum();
    let button = (may_draw && !plan.drawn && to_draw > 0).then(|| {
        view! {
            <form method="post" action=DrawSample::url()>
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="slug" value=slug.to_owned() />
                <button type="submit" class="button primary">
                    {format!("{} ({})", s.draw_button, lang.count(to_draw))}
                </button>
            </form>
        }
    });
    view! {
        <section class="card" aria-labelledby="sample-heading" data-testid="sample-from-dossiers">
            <h2 id="sample-heading">{s.heading}</h2>
            <p>{s.intro}</p>
            <FlashNotice lang flash=flash.clone() form="invitations-sample".to_owned() />
            {if plan.strata.is_empty() {
                view! { <p class="muted">{s.nothing_to_draw}</p> }.into_any()
            } else {
                view! {
                    <DataTable caption=format!("{} ({})", s.caption, plan.period) columns=vec![Column::text(s.col_department), Column::num(s.col_completed), Column::num(s.col_target), Column::num(s.col_reachable), Column::num(s.col_to_draw), Column::num(s.col_drawn)]>
                        {rows}
                    </DataTable>
                    {plan.without_contact.zip(plan.recently_asked).map(|(without_contact, recently_asked)| view! {
                        <p class="hint">
                            {format!("{} {}. {} {}.", s.without_contact, lang.count(without_contact), s.recently_asked, lang.count(recently_asked))}
                        </p>
                    })}
                }.into_any()
            }}
            {plan.drawn.then(|| view! { <p class="muted">{format!("{} {}", s.already_drawn, s.counted_before_draw)}</p> })}
            {button}
        </section>
    }
}
