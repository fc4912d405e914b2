//! Staff pages of rounds: the list, one round's settings and distribution,
//! the printable poster, invitations, staff entry and response imports.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, InvitationProgressIsland, StaffLayout, SurveyForm,
    TextField, entered, error_line, field_error, load_page, use_lang,
};
use crate::server_fns::{
    CloneRound, CreateRound, ImportInvitations, ImportResponses, SaveRoundPopulations,
    SendInvitations, SetReminderDays, SetRoundStatus, UpdateRound, get_entry_page, get_import_page,
    get_invitations_page, get_poster, get_round_page, get_rounds_page,
};
use domain::i18n::Lang;
use domain::model::{
    Choice, FormFlash, InstrumentSummary, PopulationField, PopulationsForm, RoundFormValues,
    RoundStats, RoundStatus, StratumDimension,
};

fn slug_param() -> String {
    use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default()
}

fn stats_line(lang: Lang, stats: &RoundStats) -> String {
    let t = lang.texts();
    let mut parts = vec![format!("{}: {}", t.responses, lang.count(stats.responses))];
    if let Some(target) = stats.target {
        parts.push(format!("{}: {}", t.target_sample, lang.count(target)));
    }
    if let Some(reached) = stats.target_reached {
        parts.push(format!("{}: {}%", t.target_reached, lang.percent(reached)));
    }
    if stats.invitations > 0 {
        parts.push(format!(
            "{}: {}",
            t.invitations_sent,
            lang.count(stats.invitations)
        ));
    }
    if let Some(rate) = stats.response_rate {
        parts.push(format!("{}: {}%", t.response_rate, lang.percent(rate)));
    }
    parts.join(" · ")
}

/// The round form, for creating (`original` empty) or changing a round.
fn round_form(
    lang: Lang,
    csrf: String,
    original: Option<String>,
    values: RoundFormValues,
    (instruments, departments): (&[InstrumentSummary], &[Choice]),
    flash: &Option<FormFlash>,
    form: &'static str,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let err = |field: &str| field_error(flash, form, field);
    let action = if original.is_some() {
        UpdateRound::url()
    } else {
        CreateRound::url()
    };
    let instrument_options = instruments
        .iter()
        .map(|i| {
            let id = i.id.to_string();
            let selected = values.instrument_id == id;
            view! {
                <option value=id selected=selected>
                    {format!("{} v{} — {}", i.code, i.version, i.title)}
                </option>
            }
        })
        .collect_view();
    let audiences = [
        ("businesses", t.audience_businesses),
        ("citizens", t.audience_citizens),
        ("partner-agencies", t.audience_partners),
    ]
    .into_iter()
    .map(|(code, label)| {
        let id = format!("{form}-aud-{code}");
        let label_for = id.clone();
        view! {
            <label class="option" for=label_for>
                <input type="checkbox" id=id name=format!("round[audience][{code}]") value="on" checked=values.audience.iter().any(|a| a == code) />
                <span>{label}</span>
            </label>
        }
    })
    .collect_view();
    let department_boxes = departments
        .iter()
        .map(|d| {
            let id = format!("{form}-dep-{}", d.code);
            let label_for = id.clone();
            view! {
                <label class="option" for=label_for>
                    <input type="checkbox" id=id name=format!("round[departments][{}]", d.code) value="on" checked=values.departments.contains(&d.code) />
                    <span>{format!("{} — {}", d.code, d.label)}</span>
                </label>
            }
        })
        .collect_view();
    let field = |name: &'static str,
                 label: &'static str,
                 value: String,
                 kind: &'static str,
                 hint: Option<&'static str>| {
        let id = format!("{form}-{name}");
        let error_id = format!("{id}-error");
        let message = err(name);
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                {error_line(message, error_id.clone())}
                <input id=id name=format!("round[{name}]") type=kind value=value aria-describedby=error_id />
            </div>
        }
    };
    let half = values.half.clone();
    view! {
        <form method="post" action=action class="narrow-form">
            <CsrfField token=csrf />
            {original.map(|slug| view! { <input type="hidden" name="original_slug" value=slug /> })}
            {field("slug", t.round_slug_label, values.slug.clone(), "text", Some(t.round_slug_hint))}
            {field("title_vi", t.round_title_vi_label, values.title_vi.clone(), "text", None)}
            {field("title_en", t.round_title_en_label, values.title_en.clone(), "text", None)}
            <div class="field-row">
                {field("year", t.round_year_label, values.year.clone(), "number", None)}
                <div class="field">
                    <label for=format!("{form}-half")>{t.round_half_label}</label>
                    <select id=format!("{form}-half") name="round[half]">
                        <option value="1" selected=half == "1">{t.first_half}</option>
                        <option value="2" selected=half != "1">{t.second_half}</option>
                    </select>
                </div>
            </div>
            <div class="field">
                <label for=format!("{form}-instrument")>{t.round_instrument_label}</label>
                {error_line(err("instrument"), format!("{form}-instrument-error"))}
                <select id=format!("{form}-instrument") name="round[instrument_id]">{instrument_options}</select>
            </div>
            <fieldset class="question">
                <legend>{t.round_audience_label}</legend>
                <div class="options">{audiences}</div>
            </fieldset>
            <fieldset class="question">
                <legend>{t.departments_label}</legend>
                {error_line(err("departments"), format!("{form}-departments-error"))}
                <div class="options">{department_boxes}</div>
            </fieldset>
            {field("opens_at", t.round_opens_label, values.opens_at.clone(), "datetime-local", Some(t.round_schedule_hint))}
            {field("closes_at", t.round_closes_label, values.closes_at.clone(), "datetime-local", None)}
            {field("dossiers_handled", t.round_dossiers_label, values.dossiers_handled.clone(), "number", Some(t.round_dossiers_hint))}
            <button type="submit" class="button primary">{t.save_button}</button>
        </form>
    }
}

/// `/rounds`
#[component]
pub fn RoundsPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_rounds_page(), move |page| {
        let flash = page.flash.clone();
        let rows = page
            .data
            .rounds
            .iter()
            .map(|row| {
                let slug = row.summary.slug.clone();
                view! {
                    <tr>
                        <td><a href=format!("/rounds/{slug}/manage")>{row.summary.title.clone()}</a></td>
                        <td>{row.summary.period.clone()}</td>
                        <td>{lang.round_status(row.summary.status)}</td>
                        <td>{row.instrument.clone()}</td>
                        <td>{stats_line(lang, &row.stats)}</td>
                        <td class="actions"><a href=format!("/rounds/{slug}")>{t.view_indices}</a></td>
                    </tr>
                }
            })
            .collect_view();
        let create = page.data.can_manage.then(|| {
            let values = RoundFormValues {
                slug: entered(&flash, "round-create", "slug"),
                title_vi: entered(&flash, "round-create", "title_vi"),
                title_en: entered(&flash, "round-create", "title_en"),
                year: Some(entered(&flash, "round-create", "year")).filter(|y| !y.is_empty()).unwrap_or_else(|| page.data.this_year.to_string()),
                half: entered(&flash, "round-create", "half"),
                instrument_id: Some(entered(&flash, "round-create", "instrument_id"))
                    .filter(|i| !i.is_empty())
                    .or_else(|| page.data.default_instrument.map(|id| id.to_string()))
                    .unwrap_or_default(),
                audience: entered(&flash, "round-create", "audience").split(',').map(str::to_owned).collect(),
                departments: entered(&flash, "round-create", "departments").split(',').map(str::to_owned).collect(),
                opens_at: entered(&flash, "round-create", "opens_at"),
                closes_at: entered(&flash, "round-create", "closes_at"),
                dossiers_handled: entered(&flash, "round-create", "dossiers_handled"),
            };
            view! {
                <details class="card" open=flash.as_ref().is_some_and(|f| f.form == "round-create")>
                    <summary>{t.create_round_heading}</summary>
                    <FlashNotice lang flash=flash.clone() form="round-create".to_owned() />
                    {round_form(lang, page.viewer.csrf_token.clone(), None, values, (&page.data.instruments, &page.data.departments), &flash, "round-create")}
                </details>
            }
        });
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.rounds_heading>
                <h1>{t.rounds_heading}</h1>
                {create}
                <DataTable caption=t.rounds_heading columns=vec![Column::text(t.col_round), Column::text(t.col_period), Column::text(t.col_status), Column::text(t.round_instrument_label), Column::text(t.col_progress), Column::text(t.col_actions)]>
                    {rows}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
    })
}

/// A button that moves the round to `to`.
fn status_button(
    csrf: &str,
    slug: &str,
    to: RoundStatus,
    label: &'static str,
    primary: bool,
) -> impl IntoView + use<> {
    view! {
        <form method="post" action=SetRoundStatus::url() class="inline-form">
            <CsrfField token=csrf.to_owned() />
            <input type="hidden" name="slug" value=slug.to_owned() />
            <input type="hidden" name="status" value=to.code() />
            <button type="submit" class=if primary { "button primary" } else { "button" }>{label}</button>
        </form>
    }
}

/// `/rounds/{slug}/manage`
#[component]
pub fn RoundManagePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let slug = slug_param();
    load_page(lang, get_round_page(slug), move |page| {
        let flash = page.flash.clone();
        let detail = page.data.clone();
        let csrf = page.viewer.csrf_token.clone();
        let slug = detail.summary.slug.clone();
        let status = detail.summary.status;
        let mut values = detail.values.clone();
        if flash
            .as_ref()
            .is_some_and(|f| f.form == "round" && !f.errors.is_empty())
        {
            for (field, value) in flash.as_ref().map(|f| f.values.clone()).unwrap_or_default() {
                match field.as_str() {
                    "slug" => values.slug = value,
                    "title_vi" => values.title_vi = value,
                    "title_en" => values.title_en = value,
                    "year" => values.year = value,
                    "opens_at" => values.opens_at = value,
                    "closes_at" => values.closes_at = value,
                    "dossiers_handled" => values.dossiers_handled = value,
                    _ => {}
                }
            }
        }
        let actions = detail.can_manage.then(|| {
            view! {
                {(status == RoundStatus::Draft).then(|| status_button(&csrf, &slug, RoundStatus::Open, t.open_round_button, true))}
                {(status == RoundStatus::Scheduled).then(|| status_button(&csrf, &slug, RoundStatus::Draft, t.unschedule_round_button, false))}
                {matches!(status, RoundStatus::Open | RoundStatus::Scheduled).then(|| status_button(&csrf, &slug, RoundStatus::Closed, t.close_round_button, false))}
                {(status == RoundStatus::Closed).then(|| status_button(&csrf, &slug, RoundStatus::Open, t.reopen_round_button, false))}
            }
        });
        let publish = (detail.can_publish && status == RoundStatus::Closed).then(|| {
            status_button(
                &csrf,
                &slug,
                RoundStatus::Published,
                t.publish_round_button,
                true,
            )
        });
        let clone_form = detail.can_manage.then(|| {
            view! {
                <details class="card" open=flash.as_ref().is_some_and(|f| f.form == "round-clone")>
                    <summary>{t.clone_round_heading}</summary>
                    <FlashNotice lang flash=flash.clone() form="round-clone".to_owned() />
                    <form method="post" action=CloneRound::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <input type="hidden" name="slug" value=slug.clone() />
                        <div class="field">
                            <label for="clone-slug">{t.round_slug_label}</label>
                            {error_line(field_error(&flash, "round-clone", "slug"), "clone-slug-error".to_owned())}
                            <input id="clone-slug" name="new_slug" value=entered(&flash, "round-clone", "new_slug") aria-describedby="clone-slug-error" required />
                        </div>
                        <div class="field-row">
                            <div class="field">
                                <label for="clone-year">{t.round_year_label}</label>
                                <input id="clone-year" name="year" type="number" value=entered(&flash, "round-clone", "year") required />
                            </div>
                            <div class="field">
                                <label for="clone-half">{t.round_half_label}</label>
                                <select id="clone-half" name="half">
                                    <option value="1">{t.first_half}</option>
                                    <option value="2">{t.second_half}</option>
                                </select>
                            </div>
                        </div>
                        <button type="submit" class="button">{t.clone_round_button}</button>
                    </form>
                </details>
            }
        });
        let settings = detail.can_manage.then(|| {
            view! {
                <details class="card" open=flash.as_ref().is_some_and(|f| f.form == "round" && !f.errors.is_empty())>
                    <summary>{t.round_settings_heading}</summary>
                    {round_form(lang, csrf.clone(), Some(slug.clone()), values, (&detail.instruments, &detail.departments), &flash, "round")}
                </details>
            }
        });
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=detail.summary.title.clone()>
                <h1>{detail.summary.title.clone()}</h1>
                <p class="muted">
                    {format!("{} · {}", detail.summary.period, lang.round_status(status))}
                </p>
                <FlashNotice lang flash=flash.clone() form="round".to_owned() />
                <p class="lead" data-testid="round-stats">{stats_line(lang, &detail.stats)}</p>
                <div class="actions">{actions} {publish}</div>
                <section class="card distribution" aria-labelledby="distribution-heading">
                    <h2 id="distribution-heading">{t.distribution_heading}</h2>
                    <p>
                        {t.public_link_label} " "
                        <a href=detail.public_link.clone() data-testid="public-link">{detail.public_link.clone()}</a>
                    </p>
                    <div class="qr" role="img" aria-label=t.qr_alt inner_html=detail.qr_svg.clone()></div>
                    <p class="actions">
                        <a class="button" href=format!("/api/v1/rounds/{slug}/qr.svg") download=format!("{slug}-qr.svg")>{t.download_svg}</a>
                        <a class="button" href=format!("/api/v1/rounds/{slug}/qr.png") download=format!("{slug}-qr.png")>{t.download_png}</a>
                        <a class="button" href=format!("/rounds/{slug}/poster")>{t.print_poster}</a>
                    </p>
                    <p class="actions">
                        <a href=format!("/rounds/{slug}/invitations")>{t.invitations_heading}</a>
                        <a href=format!("/rounds/{slug}/entry")>{t.entry_title}</a>
                        <a href=format!("/rounds/{slug}")>{t.view_indices}</a>
                    </p>
                </section>
                {settings}
                {detail.can_manage.then(|| populations_card(lang, &csrf, &slug, &detail.populations, &flash))}
                {clone_form}
            </StaffLayout>
        }
        .into_any()
    })
}

/// The population counts the round's figures are weighted by: one form per
/// breakdown (respondent types, departments), each field a whole number.
fn populations_card(
    lang: Lang,
    csrf: &str,
    slug: &str,
    form: &PopulationsForm,
    flash: &Option<FormFlash>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let current = match form.dimension {
        Some(dimension) => format!(
            "{}: {}",
            t.populations_current,
            lang.stratum_dimension(dimension)
        ),
        None => t.populations_none.to_owned(),
    };
    let open = flash
        .as_ref()
        .is_some_and(|f| f.form.starts_with("populations-"));
    let one_form = |dimension: StratumDimension, fields: &[PopulationField]| {
        let form_name = format!("populations-{}", dimension.code());
        let inputs = fields
            .iter()
            .map(|field| {
                let name = format!("populations[{}]", field.code);
                let id = format!("{form_name}-{}", field.code);
                let error = field_error(flash, &form_name, &name);
                let typed = flash
                    .as_ref()
                    .filter(|f| f.form == form_name)
                    .and_then(|f| f.values.get(&name).cloned())
                    .unwrap_or_else(|| field.value.clone());
                view! {
                    <div class="field">
                        <label for=id.clone()>{field.label.clone()}</label>
                        {error_line(error.clone(), format!("{id}-error"))}
                        <input id=id.clone() name=name type="text" inputmode="numeric" value=typed
                            aria-invalid=error.map(|_| "true") aria-describedby=format!("{id}-error") />
                    </div>
                }
            })
            .collect_view();
        view! {
            <form method="post" action=SaveRoundPopulations::url() class="narrow-form" data-dimension=dimension.code()>
                <h3>{lang.stratum_dimension(dimension)}</h3>
                <FlashNotice lang flash=flash.clone() form=form_name.clone() />
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="slug" value=slug.to_owned() />
                <input type="hidden" name="dimension" value=dimension.code() />
                {inputs}
                <button type="submit" class="button">{t.populations_button}</button>
            </form>
        }
    };
    view! {
        <details class="card" open=open data-testid="populations">
            <summary>{t.populations_heading}</summary>
            <p class="hint">{t.populations_hint}</p>
            <p data-testid="populations-current">{current}</p>
            {one_form(StratumDimension::RespondentType, &form.respondent_types)}
            {one_form(StratumDimension::Department, &form.departments)}
        </details>
    }
}

/// `/rounds/{slug}/poster`: one printed A4 page for the one-stop counter.
#[component]
pub fn PosterPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let slug = slug_param();
    load_page(lang, get_poster(slug, lang), move |page| {
        let poster = page.data;
        view! {
            <StaffLayout lang viewer=page.viewer title=t.print_poster>
                <p class="no-print">{t.poster_print_hint}</p>
                <article class="poster">
                    {poster.logo.clone().map(|src| view! { <img class="poster-logo" src=src alt="" /> })}
                    <p class="poster-agency">{poster.agency_name.clone()}</p>
                    <h1>{t.poster_heading}</h1>
                    <p class="poster-round">{poster.round.title.clone()}</p>
                    <div class="poster-qr" role="img" aria-label=t.qr_alt inner_html=poster.qr_svg.clone()></div>
                    <p class="poster-steps">{t.poster_steps}</p>
                    <p class="poster-link">{poster.public_link.clone()}</p>
                    <p class="poster-note">{t.poster_note}</p>
                </article>
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/rounds/{slug}/invitations`
#[component]
pub fn InvitationsPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let slug = slug_param();
    load_page(
        lang,
        get_invitations_page(slug.clone(), lang),
        move |page| {
            let data = page.data.clone();
            let flash = page.flash.clone();
            let stored = flash
                .as_ref()
                .filter(|f| f.form == "invitations")
                .and_then(|f| f.values.get("stored").cloned());
            let problems = data.problems.iter().map(|p| view! {
            <tr><td class="num">{p.line}</td><td><code>{p.field.clone()}</code></td><td>{p.message.clone()}</td></tr>
        }).collect_view();
            let rows = data
                .invitations
                .iter()
                .map(|i| {
                    view! {
                        <tr>
                            <td><code>{i.code.clone()}</code></td>
                            <td>{i.name.clone()}</td>
                            <td>{i.tax_code.clone().unwrap_or_default()}</td>
                            <td>{i.email.clone().unwrap_or_default()}</td>
                            <td>{i.phone.clone().unwrap_or_default()}</td>
                            <td>{i.department.clone().unwrap_or_default()}</td>
                            <td>{if i.used { t.yes } else { t.no }}</td>
                            <td>{(!i.contact_hidden).then(|| view! { <a href=i.link.clone()>{t.personal_link}</a> })}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.invitations_heading>
                <h1>{t.invitations_heading}</h1>
                <p class="muted">{data.round.title.clone()}</p>
                {stored.map(|n| view! { <p class="notice success" role="status">{format!("{} {n}", t.invitations_imported)}</p> })}
                {(!data.problems.is_empty()).then(|| view! {
                    <div class="error-summary" role="alert" id="import-problems">
                        <h2>{t.import_refused}</h2>
                        <table class="data">
                            <thead><tr><th scope="col">{t.col_line}</th><th scope="col">{t.col_field}</th><th scope="col">{t.col_problem}</th></tr></thead>
                            <tbody>{problems}</tbody>
                        </table>
                    </div>
                })}
                <form method="post" enctype="multipart/form-data" action=ImportInvitations::url() class="narrow-form card">
                    <CsrfField token=page.viewer.csrf_token.clone() />
                    <input type="hidden" name="slug" value=slug.clone() />
                    <p>{t.invitations_format}</p>
                    <div class="field">
                        <label for="invitation-file">{t.file_label}</label>
                        <input id="invitation-file" name="file" type="file" accept=".csv,.xlsx" required />
                    </div>
                    <button type="submit" class="button primary">{t.import_button}</button>
                </form>
                <p><a class="button" href=format!("/api/v1/rounds/{slug}/invitations.csv")>{t.download_invitations}</a></p>
                {super::sampling::sample_from_dossiers(lang, &data.sample, data.may_send, &flash, &page.viewer.csrf_token, &slug)}
                {invitations_by_email(lang, &data, &flash, &page.viewer.csrf_token, &slug)}
                {data.invitations.iter().any(|i| i.contact_hidden).then(|| view! { <p class="hint" data-testid="contacts-hidden">{t.invitation_contacts_hidden}</p> })}
                <DataTable id="invitation-list" caption=format!("{} ({})", t.invitations_heading, lang.count(data.invitations.len() as u64)) columns=vec![Column::text(t.col_code), Column::text(t.col_name), Column::text(t.col_tax_code), Column::text(t.col_email), Column::text(t.col_phone), Column::text(t.col_departments), Column::text(t.col_used), Column::text(t.personal_link)]>
                    {rows}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
        },
    )
}

/// The invitations page's e-mail part: where the invitations stand, the
/// button that queues those not sent yet, and the reminder schedule.
fn invitations_by_email(
    lang: Lang,
    data: &domain::model::InvitationsPageData,
    flash: &Option<FormFlash>,
    csrf: &str,
    slug: &str,
) -> impl IntoView + use<> {
    let m = lang.mailing_texts();
    let queued = flash
        .as_ref()
        .filter(|f| f.form == "invitations-send")
        .and_then(|f| f.values.get("queued").cloned());
    let reminders = TextField {
        form: "invitations-reminders",
        name: "reminder_days".to_owned(),
        key: "reminder_days",
        id: "reminder-days".to_owned(),
        label: m.reminders_label,
        hint: Some(m.reminders_hint),
        kind: "text",
        rows: 6,
        value: flash
            .as_ref()
            .filter(|f| f.form == "invitations-reminders" && !f.errors.is_empty())
            .map(|f| f.value("reminder_days"))
            .unwrap_or_else(|| data.reminder_days.clone()),
        required: false,
        autocomplete: Some("off"),
    };
    view! {
        <section class="card" aria-labelledby="invitations-email-heading" data-testid="invitations-email">
            <h2 id="invitations-email-heading">{m.heading}</h2>
            <p>{m.intro}</p>
            {queued.map(|n| view! { <p class="notice success" role="status" data-testid="invitations-queued">{format!("{} {n}", m.queued_notice)}</p> })}
            <FlashNotice lang flash=flash.clone() form="invitations-send".to_owned() />
            <InvitationProgressIsland lang slug=slug.to_owned() progress=data.progress.clone() csrf_token=csrf.to_owned() />
            <p><a href=format!("/rounds/{slug}/invitations")>{m.refresh}</a></p>
            {data.may_send.then(|| {
                let slug = slug.to_owned();
                let csrf = csrf.to_owned();
                let to_send = data.progress.to_send;
                view! {
                    {if to_send > 0 {
                        view! {
                            <form method="post" action=SendInvitations::url()>
                                <CsrfField token=csrf.clone() />
                                <input type="hidden" name="slug" value=slug.clone() />
                                <div class="field">
                                    <label for="mail-lang">{m.mail_lang_label}</label>
                                    <select id="mail-lang" name="mail_lang">
                                        <option value="vi" selected>"Tiếng Việt"</option>
                                        <option value="en">"English"</option>
                                    </select>
                                </div>
                                <button type="submit" class="button primary">{format!("{} ({})", m.send_button, lang.count(to_send))}</button>
                            </form>
                        }.into_any()
                    } else {
                        view! { <p class="muted">{m.nothing_to_send}</p> }.into_any()
                    }}
                    <form method="post" action=SetReminderDays::url() class="narrow-form">
                        <CsrfField token=csrf />
                        <input type="hidden" name="slug" value=slug />
                        <FlashNotice lang flash=flash.clone() form="invitations-reminders".to_owned() />
                        {reminders.view(flash)}
                        <button type="submit" class="button">{m.reminders_button}</button>
                    </form>
                }
            })}
        </section>
    }
}

/// `/rounds/{slug}/entry`: staff type in paper and phone responses, or import a file of them.
#[component]
pub fn EntryPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let slug = slug_param();
    let entered_code = use_query_map().read_untracked().get("entered");
    load_page(lang, get_entry_page(slug.clone(), lang), move |page| {
        let data = page.data.clone();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.entry_title>
                <h1>{t.entry_title}</h1>
                <p class="muted">{data.round.title.clone()}</p>
                {entered_code.map(|code| view! {
                    <p class="notice success" role="status" data-testid="entered">{format!("{}: {code}. {}", t.entry_saved, t.entry_next)}</p>
                })}
                <details class="card">
                    <summary>{t.import_responses_heading}</summary>
                    <p>{t.import_responses_format}</p>
                    <form method="post" enctype="multipart/form-data" action=ImportResponses::url() class="narrow-form">
                        <CsrfField token=page.viewer.csrf_token.clone() />
                        <input type="hidden" name="slug" value=slug.clone() />
                        <div class="field">
                            <label for="responses-file">{t.file_label}</label>
                            <input id="responses-file" name="file" type="file" accept=".csv,.xlsx" required />
                        </div>
                        <button type="submit" class="button primary">{t.import_button}</button>
                    </form>
                </details>
                {match data.closed_notice.clone() {
                    Some(notice) => view! { <p class="notice" role="status">{notice}</p> }.into_any(),
                    None => view! { <SurveyForm data /> }.into_any(),
                }}
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/rounds/{slug}/imports/{job}`: an import's progress, then its outcome.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let params = use_params_map().read_untracked();
    let slug = params.get("slug").unwrap_or_default();
    let job = params.get("job").unwrap_or_default();
    load_page(lang, get_import_page(slug, job), move |page| {
        let job = page.data.clone();
        let running = matches!(job.status.as_str(), "pending" | "running");
        let problems = job.problems.iter().map(|p| view! {
            <tr><td class="num">{p.line}</td><td><code>{p.field.clone()}</code></td><td>{p.message.clone()}</td></tr>
        }).collect_view();
        let status_text = match job.status.as_str() {
            "done" => t.import_done,
            "failed" => t.import_failed,
            _ => t.import_running,
        };
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.import_responses_heading>
                {running.then(|| view! { <Meta http_equiv="refresh" content="2" /> })}
                <h1>{t.import_responses_heading}</h1>
                <p class="muted">{job.file_name.clone()}</p>
                <p class="lead" role="status" data-testid="import-status" data-status=job.status.clone()>
                    {format!("{status_text} {}/{}", lang.count(u64::from(job.stored_rows)), lang.count(u64::from(job.total_rows)))}
                </p>
                <progress max=job.total_rows.max(1) value=job.stored_rows aria-label=t.import_responses_heading></progress>
                {(!job.problems.is_empty()).then(|| view! {
                    <div class="error-summary" role="alert">
                        <h2>{t.import_refused}</h2>
                        <table class="data">
                            <thead><tr><th scope="col">{t.col_line}</th><th scope="col">{t.col_field}</th><th scope="col">{t.col_problem}</th></tr></thead>
                            <tbody>{problems}</tbody>
                        </table>
                    </div>
                })}
                <p><a href=format!("/rounds/{}/entry", job.round_slug)>{t.entry_title}</a></p>
            </StaffLayout>
        }
        .into_any()
    })
}
