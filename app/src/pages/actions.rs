//! Action plans: the staff page of a round's plan (weak criteria, the form
//! a leader records an action with, progress and publication, the next
//! round's verdict), and the public "you said — we did — measured again"
//! page of published results.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, PublicLayout, StaffLayout, TextField, entered,
    error_summary, load_page, page_error, select_field, use_lang,
};
use crate::pages::NotFound;
use crate::pages::indices::{percent_or_dash, signed};
use crate::server_fns::{
    PlanAction, PublishAction, UpdateAction, get_actions_page, get_public_actions,
};
use domain::i18n::Lang;
use domain::model::{ActionRow, ActionStatus, ActionsPage, FormFlash, WeakCriterion};

/// `/rounds/{slug}/actions`; `?criterion=C1` preselects the form's criterion.
#[component]
pub fn ActionPlanPage() -> impl IntoView {
    let lang = use_lang();
    let a = lang.action_texts();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let asked = use_query_map()
        .read_untracked()
        .get("criterion")
        .unwrap_or_default();
    load_page(lang, get_actions_page(slug, lang), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let data = page.data;
        let title = format!("{} · {}", a.page_title, data.round.title);
        view! {
            <StaffLayout lang viewer=page.viewer title=title>
                <h1>{a.page_title}</h1>
                <p class="lead">{data.round.title.clone()}</p>
                <p class="muted">{format!("{} · {}", data.round.period, lang.round_status(data.round.status))}</p>
                <p>{a.intro}</p>
                <p class="actions no-print">
                    <a class="button" href=format!("/rounds/{}", data.round.slug)>{lang.texts().view_indices}</a>
                    {data.published_id.clone().map(|id| view! {
                        <a class="button" href=format!("/results/{id}/actions")>{a.public_page_link}</a>
                    })}
                </p>
                {weak_table(lang, &data.weak_criteria, &data.round.slug, data.may_plan)}
                {if data.may_plan {
                    plan_form(lang, &data, &csrf, &flash, &asked).into_any()
                } else {
                    view! { <p class="notice">{a.planners_only}</p> }.into_any()
                }}
                {actions_section(lang, &data, &csrf, &flash)}
            </StaffLayout>
        }
        .into_any()
    })
}

fn weak_table(
    lang: Lang,
    weak: &[WeakCriterion],
    slug: &str,
    may_plan: bool,
) -> impl IntoView + use<> {
    let a = lang.action_texts();
    let t = lang.texts();
    if weak.is_empty() {
        return view! {
            <section aria-labelledby="weak-heading">
                <h2 id="weak-heading">{a.weak_heading}</h2>
                <p class="muted">{a.weak_none}</p>
            </section>
        }
        .into_any();
    }
    let rows = weak
        .iter()
        .map(|w| {
            let mut reasons = Vec::new();
            if w.below_target {
                reasons.push(a.below_target.to_owned());
            }
            if let Some(fall) = w.significant_fall {
                reasons.push(lang.significant_fall(fall));
            }
            let plan_link = format!("/rounds/{slug}/actions?criterion={}#action-new", w.code);
            view! {
                <tr data-criterion=w.code.clone()>
                    <th scope="row">{w.code.clone()}</th>
                    <td class="text">{w.text.clone()}</td>
                    <td class="num">{percent_or_dash(lang, w.index)}</td>
                    <td class="num">{lang.percent(w.target)}</td>
                    <td>{reasons.join("; ")}</td>
                    <td>{may_plan.then(|| view! { <a href=plan_link>{a.plan_for_criterion}</a> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="weak-heading">
            <h2 id="weak-heading">{a.weak_heading}</h2>
            <DataTable caption=a.weak_heading caption_hidden=true id="weak-criteria" columns=vec![Column::text(t.col_code), Column::text(t.col_criterion), Column::num(t.col_index), Column::num(t.col_target), Column::text(a.col_reason), Column::text(a.col_plan)]>
                {rows}
            </DataTable>
        </section>
    }
    .into_any()
}

fn plan_form(
    lang: Lang,
    data: &ActionsPage,
    csrf: &str,
    flash: &Option<FormFlash>,
    asked: &str,
) -> impl IntoView + use<> {
    let a = lang.action_texts();
    const FORM: &str = "action-new";
    let failed = flash
        .as_ref()
        .is_some_and(|f| f.form == FORM && !f.errors.is_empty());
    let typed = |key: &str| entered(flash, FORM, key);
    let criterion = if failed {
        typed("criterion")
    } else {
        asked.to_owned()
    };
    let text_field = |key: &'static str,
                      label: &'static str,
                      hint: Option<&'static str>,
                      kind: &'static str,
                      required: bool| TextField {
        form: FORM,
        name: key.to_owned(),
        key,
        id: format!("action-new-{}", key.replace('_', "-")),
        label,
        hint,
        kind,
        rows: 6,
        value: if failed { typed(key) } else { String::new() },
        required,
        autocomplete: Some("off"),
    };
    let criteria = data
        .weak_criteria
        .iter()
        .map(|w| (w.code.clone(), format!("{} — {}", w.code, w.text)))
        .collect();
    let departments = data
        .departments
        .iter()
        .map(|d| (d.code.clone(), d.label.clone()))
        .collect();
    view! {
        <section class="card" id="action-new" aria-labelledby="action-new-heading">
            <h2 id="action-new-heading">{a.form_heading}</h2>
            <FlashNotice lang flash=flash.clone() form=FORM.to_owned() />
            {error_summary(lang, flash, FORM, "action-new")}
            <form method="post" action=PlanAction::url() class="narrow-form">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="slug" value=data.round.slug.clone() />
                {select_field(flash, FORM, "criterion", "action-new-criterion", "criterion".to_owned(), a.criterion_label, a.choose, criteria, &criterion)}
                {text_field("what", a.what_label, None, "textarea", true).view(flash)}
                {select_field(flash, FORM, "owner_department", "action-new-owner-department", "owner_department".to_owned(), a.owner_label, a.choose, departments, &if failed { typed("owner_department") } else { String::new() })}
                {text_field("due_on", a.due_label, None, "date", true).view(flash)}
                {text_field("expected_effect", a.effect_label, Some(a.effect_hint), "text", false).view(flash)}
                <button type="submit" class="button primary">{a.plan_button}</button>
            </form>
        </section>
    }
}

fn actions_section(
    lang: Lang,
    data: &ActionsPage,
    csrf: &str,
    flash: &Option<FormFlash>,
) -> impl IntoView + use<> {
    let a = lang.action_texts();
    let next = match &data.next_round {
        Some(next) => lang.measured_in(&next.period),
        None => a.no_next_round.to_owned(),
    };
    let cards = data
        .actions
        .iter()
        .map(|row| action_card(lang, row, data.may_plan, csrf, flash))
        .collect_view();
    view! {
        <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">{a.actions_heading}</h2>
            <p class="muted" data-testid="next-round">{next}</p>
            {data.actions.is_empty().then(|| view! { <p class="muted">{a.actions_none}</p> })}
            <ul class="action-list">{cards}</ul>
            {data.published_id.is_none().then(|| view! { <p class="muted">{a.publish_results_first}</p> })}
            <p class="muted">{a.verdict_note}</p>
        </section>
    }
}

fn action_card(
    lang: Lang,
    row: &ActionRow,
    may_plan: bool,
    csrf: &str,
    flash: &Option<FormFlash>,
) -> impl IntoView + use<> {
    let a = lang.action_texts();
    let form = format!("action-{}", row.id);
    let failed = flash
        .as_ref()
        .is_some_and(|f| f.form == form && !f.errors.is_empty());
    let status = if failed {
        entered(flash, &form, "status")
    } else {
        row.status.code().to_owned()
    };
    let note = if failed {
        entered(flash, &form, "progress_note")
    } else {
        row.progress_note.clone()
    };
    let statuses = ActionStatus::ALL
        .iter()
        .map(|s| (s.code().to_owned(), lang.action_status(*s).to_owned()))
        .collect();
    let progress = row.may_update.then(|| {
        view! {
            <form method="post" action=UpdateAction::url() class="narrow-form">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="id" value=row.id.to_string() />
                {select_field(flash, &form, "status", &format!("{form}-status"), "status".to_owned(), a.status_label, a.choose, statuses, &status)}
                {TextField {
                    form: &form,
                    name: "progress_note".to_owned(),
                    key: "progress_note",
                    id: format!("{form}-progress-note"),
                    label: a.progress_label,
                    hint: None,
                    kind: "textarea",
                    rows: 6,
                    value: note,
                    required: false,
                    autocomplete: Some("off"),
                }.view(flash)}
                <button type="submit" class="button">{a.update_button}</button>
            </form>
        }
    });
    let publish = may_plan.then(|| {
        let (value, label) = if row.published {
            ("false", a.unpublish_button)
        } else {
            ("true", a.publish_button)
        };
        view! {
            <form method="post" action=PublishAction::url() class="inline-form">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="id" value=row.id.to_string() />
                <input type="hidden" name="published" value=value />
                <button type="submit" class="button">{label}</button>
            </form>
        }
    });
    view! {
        <li class="card action" id=form.clone() data-criterion=row.criterion_code.clone()>
            <h3>{format!("{} — {}", row.criterion_code, row.criterion_text)}</h3>
            <FlashNotice lang flash=flash.clone() form=form.clone() />
            {error_summary(lang, flash, &form, &form)}
            {row.published.then(|| view! { <p class="badge done" data-testid="published">{a.published_badge}</p> })}
            <dl class="facts">
                <dt>{a.col_what}</dt><dd>{row.what.clone()}</dd>
                <dt>{a.col_owner}</dt><dd>{row.owner_department.clone()}</dd>
                <dt>{a.col_due}</dt><dd>{row.due_on.clone()}</dd>
                {(!row.expected_effect.is_empty()).then(|| view! { <dt>{a.effect_label}</dt><dd>{row.expected_effect.clone()}</dd> })}
                <dt>{a.col_status}</dt><dd data-testid="status">{lang.action_status(row.status)}</dd>
                {(!row.progress_note.is_empty()).then(|| view! { <dt>{a.progress_label}</dt><dd>{row.progress_note.clone()}</dd> })}
            </dl>
            {measurement_table(lang, row)}
            {progress}
            {publish}
        </li>
    }
}

/// The criterion before and after, the change with its interval, and the verdict.
fn measurement_table(lang: Lang, row: &ActionRow) -> impl IntoView + use<> {
    let a = lang.action_texts();
    let before = format!(
        "{} ({}/{})",
        percent_or_dash(lang, row.before.index),
        lang.count(row.before.n_satisfied),
        lang.count(row.before.n_valid)
    );
    let (after, change, verdict, code) = match &row.after {
        Some(m) => (
            format!(
                "{} ({}/{}) · {}",
                percent_or_dash(lang, m.share.index),
                lang.count(m.share.n_satisfied),
                lang.count(m.share.n_valid),
                m.period
            ),
            format!(
                "{} ({} – {})",
                signed(lang, m.difference),
                signed(lang, m.ci_low),
                signed(lang, m.ci_high)
            ),
            lang.action_verdict(m.verdict).to_owned(),
            Some(m.verdict.code()),
        ),
        None => (
            a.not_measured.to_owned(),
            "—".to_owned(),
            a.not_measured.to_owned(),
            None,
        ),
    };
    view! {
        <DataTable caption=format!("{} {}", a.col_verdict, row.criterion_code) caption_hidden=true columns=vec![Column::num(a.col_before), Column::num(a.col_after), Column::num(a.col_change), Column::text(a.col_verdict)]>
            <tr>
                <td class="num">{before}</td>
                <td class="num">{after}</td>
                <td class="num" data-testid="change">{change}</td>
                <td data-testid="verdict" data-verdict=code>{verdict}</td>
            </tr>
        </DataTable>
    }
}

/// `/results/{id}/actions`: the published actions of published results.
#[component]
pub fn PublicActionsPage() -> impl IntoView {
    let lang = use_lang();
    let a = lang.action_texts();
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    let page = Suspend::new(async move {
        match get_public_actions(id, lang).await {
            Ok(Some(data)) => {
                let items = data
                    .actions
                    .iter()
                    .map(|row| {
                        view! {
                            <li class="card action" data-criterion=row.criterion_code.clone()>
                                <h2>{format!("{}: {}", a.you_said, row.criterion_text)}</h2>
                                <dl class="facts">
                                    <dt>{a.col_before}</dt><dd data-testid="before">{percent_or_dash(lang, row.before.index)}</dd>
                                    <dt>{a.we_did}</dt><dd>{row.what.clone()}</dd>
                                    <dt>{a.col_owner}</dt><dd>{row.owner_department.clone()}</dd>
                                    <dt>{a.col_due}</dt><dd>{row.due_on.clone()}</dd>
                                    <dt>{a.col_status}</dt><dd>{lang.action_status(row.status)}</dd>
                                </dl>
                                <h3>{a.measured_again}</h3>
                                {match &row.after {
                                    Some(m) => view! {
                                        <p data-testid="verdict" data-verdict=m.verdict.code()>
                                            {format!(
                                                "{}: {} → {} ({} {}; {} – {}). {}",
                                                m.period,
                                                percent_or_dash(lang, row.before.index),
                                                percent_or_dash(lang, m.share.index),
                                                signed(lang, m.difference),
                                                a.points,
                                                signed(lang, m.ci_low),
                                                signed(lang, m.ci_high),
                                                lang.action_verdict(m.verdict),
                                            )}
                                        </p>
                                    }.into_any(),
                                    None => view! { <p class="muted" data-testid="verdict">{a.public_not_yet}</p> }.into_any(),
                                }}
                            </li>
                        }
                    })
                    .collect_view();
                let empty = data.actions.is_empty();
                view! {
                    <PublicLayout lang title=a.public_title agency_name=data.agency_name.clone()>
                        <article class="report">
                            <h1>{a.public_title}</h1>
                            <p class="lead">{format!("{} · {}", data.title, data.period)}</p>
                            <p>{lang.actions_public_intro(&data.agency_name, &data.period)}</p>
                            {empty.then(|| view! { <p class="muted">{a.public_none}</p> })}
                            <ul class="action-list">{items}</ul>
                            <p class="muted">{a.verdict_note}</p>
                            <p><a href=format!("/results/{}", data.public_id)>{lang.texts().published_results}</a></p>
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
