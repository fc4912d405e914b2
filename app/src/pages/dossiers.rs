//! Per-dossier rating: the public page behind a dossier's rating link
//! (`/r/{key}`, a plain form that works without JavaScript on a phone) and
//! the staff page of the figures (`/dossiers`); the counter kiosk's screen
//! (`/kiosk/{token}`) and the officers' page of the kiosks
//! (`/dossiers/kiosks`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, PublicLayout, StaffLayout, entered, error_line,
    field_error, load_page, respond_not_found, use_lang,
};
use crate::server_fns::{
    AddKiosk, HandOverDossier, KioskRate, RateDossier, RemoveKiosk, SetRatingDays,
    get_dossier_figures, get_kiosk_screen, get_kiosks, get_public_dossier_figures, get_rating_page,
};
use domain::i18n::Lang;
use domain::model::{
    DossierFigureRow, DossierFigures, DossierRatingPage, RatingLevel, RatingLinkState,
    RatingReason, Role,
};

const FORM: &str = "dossier-rating";

/// `/r/{key}`: the person rates the handling of one completed dossier.
#[component]
pub fn RateDossierPage() -> impl IntoView {
    let lang = use_lang();
    let key = use_params_map()
        .read_untracked()
        .get("key")
        .unwrap_or_default();
    let done = use_query_map().read_untracked().get("done").is_some();
    let d = lang.dossier_texts();
    load_page(lang, get_rating_page(key.clone(), lang), move |page| {
        let v = &page.view;
        if v.state == RatingLinkState::Unknown {
            respond_not_found();
        }
        let facts = (v.state != RatingLinkState::Unknown).then(|| {
            view! {
                <dl class="facts">
                    <dt>{d.procedure_label}</dt>
                    <dd>{v.procedure.clone()}</dd>
                    <dt>{d.department_label}</dt>
                    <dd>{v.department.clone()}</dd>
                    <dt>{d.completed_label}</dt>
                    <dd>{v.completed_on.clone()}</dd>
                </dl>
            }
        });
        let body = match v.state {
            RatingLinkState::Open => rating_form(lang, &key, &page).into_any(),
            RatingLinkState::Rated if done => view! {
                <div class="notice success" role="status" data-testid="rating-thanks">
                    <h2>{d.thanks_title}</h2>
                    <p>{d.thanks}</p>
                </div>
            }
            .into_any(),
            RatingLinkState::Rated => view! {
                <p class="notice" role="status" data-testid="rating-already">{d.already_rated}</p>
            }
            .into_any(),
            RatingLinkState::Expired => view! {
                <p class="notice" role="status" data-testid="rating-expired">{d.expired}</p>
            }
            .into_any(),
            RatingLinkState::Unknown => view! {
                <p class="form-failure" role="alert" data-testid="rating-unknown">{d.unknown}</p>
            }
            .into_any(),
        };
        view! {
            <PublicLayout lang title=d.rate_title agency_name=v.agency.clone()>
                <h1>{d.rate_title}</h1>
                {facts}
                {body}
            </PublicLayout>
        }
    })
}

/// The three levels as large radio buttons, the reasons, trips and a comment.
fn rating_form(lang: Lang, key: &str, page: &DossierRatingPage) -> impl IntoView + use<> {
    let d = lang.dossier_texts();
    let flash = &page.flash;
    let chosen_level = entered(flash, FORM, "level");
    let chosen_trips = entered(flash, FORM, "trips");
    let level_error = field_error(flash, FORM, "level");
    let trips_error = field_error(flash, FORM, "trips");
    let comment_error = field_error(flash, FORM, "comment");
    let levels = RatingLevel::ALL
        .iter()
        .map(|level| {
            let id = format!("level-{}", level.code());
            let label_for = id.clone();
            view! {
                <label class=format!("option rating-level rating-{}", level.value()) for=label_for>
                    <input type="radio" id=id name="level" value=level.code() required=true
                        checked=chosen_level == level.code() />
                    <span>{lang.rating_level(*level)}</span>
                </label>
            }
        })
        .collect_view();
    let reasons = RatingReason::ALL
        .iter()
        .map(|reason| {
            let id = format!("reason-{}", reason.code());
            let label_for = id.clone();
            view! {
                <label class="option" for=label_for>
                    <input type="checkbox" id=id name=format!("reasons[{}]", reason.code()) value="on" />
                    <span>{lang.rating_reason(*reason)}</span>
                </label>
            }
        })
        .collect_view();
    let trips = std::iter::once((String::new(), d.trips_unsaid.to_owned()))
        .chain((1..=4).map(|n| (n.to_string(), n.to_string())))
        .chain(std::iter::once(("5".to_owned(), d.trips_many.to_owned())))
        .map(|(value, label)| {
            let selected = value == chosen_trips;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <p class="lead">{d.rate_intro}</p>
        <form method="post" action=RateDossier::url() class="rating-form" data-testid="rating-form">
            <CsrfField token=page.csrf_token.clone() />
            <input type="hidden" name="key" value=key.to_owned() />
            <fieldset class="field" aria-describedby="level-error">
                <legend>{d.level_legend}</legend>
                {error_line(level_error, "level-error".to_owned())}
                <div class="options rating-levels">{levels}</div>
            </fieldset>
            <fieldset class="field">
                <legend>{d.reasons_legend}</legend>
                <div class="options">{reasons}</div>
            </fieldset>
            <div class="field">
                <label for="trips">{d.trips_label}</label>
                {error_line(trips_error, "trips-error".to_owned())}
                <select id="trips" name="trips" aria-describedby="trips-error">{trips}</select>
            </div>
            <div class="field">
                <label for="comment">{d.comment_label}</label>
                <p class="hint" id="comment-hint">{d.comment_hint}</p>
                {error_line(comment_error, "comment-error".to_owned())}
                <textarea id="comment" name="comment" rows="4" maxlength="2000"
                    aria-describedby="comment-hint comment-error">
                    {crate::components::escape_raw_text(&entered(flash, FORM, "comment"))}
                </textarea>
            </div>
            <p class="hint">{d.confidential}</p>
            <p class="hint">{format!("{} {}", d.open_until_label, page.view.open_until)}</p>
            <button type="submit" class="button primary">{d.send}</button>
        </form>
    }
}

/// The year and month chooser of a figures page posting to `action`; with
/// `whole_year`, the month may be left out for the whole year.
fn period_form(
    lang: Lang,
    action: &'static str,
    years: &[i32],
    shown: &DossierFigures,
    whole_year: bool,
) -> impl IntoView + use<> {
    let d = lang.dossier_texts();
    let year_options = years
        .iter()
        .map(|y| view! { <option value=y.to_string() selected=*y == shown.year>{y.to_string()}</option> })
        .collect_view();
    let whole_year = whole_year
        .then(|| view! { <option value="" selected=shown.month.is_none()>{d.whole_year}</option> });
    let month_options = (1..=12u32)
        .map(|m| view! { <option value=m.to_string() selected=shown.month == Some(m)>{format!("{m:02}")}</option> })
        .collect_view();
    view! {
        <form method="get" action=action class="filters">
            <div class="field">
                <label for="year">{d.year_label}</label>
                <select id="year" name="year">{year_options}</select>
            </div>
            <div class="field">
                <label for="month">{d.month_label}</label>
                <select id="month" name="month">{whole_year}{month_options}</select>
            </div>
            <input type="hidden" name="lang" value=lang.code() />
            <button type="submit" class="button">{d.show}</button>
        </form>
    }
}

/// One line of the figures table.
fn figure_row(lang: Lang, row: &DossierFigureRow) -> impl IntoView + use<> {
    let d = lang.dossier_texts();
    let share = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| lang.percent(v));
    let hidden = || d.suppressed.to_owned();
    let (satisfied, interval, levels, trips) = if row.suppressed {
        (hidden(), hidden(), hidden(), hidden())
    } else {
        (
            share(row.satisfied_share),
            row.satisfied_interval.map_or_else(
                || "—".to_owned(),
                |(low, high)| format!("{} – {}", lang.percent(low), lang.percent(high)),
            ),
            row.levels.map_or_else(String::new, |l| {
                format!(
                    "{} / {} / {}",
                    lang.count(l[0]),
                    lang.count(l[1]),
                    lang.count(l[2])
                )
            }),
            row.average_trips
                .map_or_else(|| "—".to_owned(), |t| lang.decimal(t)),
        )
    };
    view! {
        <tr data-key=row.key.clone()>
            <th scope="row">{row.label.clone()}</th>
            <td class="num">{lang.count(row.completed)}</td>
            <td class="num">{lang.count(row.rated)}</td>
            <td class="num">{share(row.rated_share)}</td>
            <td class="num" data-testid="satisfied-share">{satisfied}</td>
            <td class="num">{interval}</td>
            <td class="num">{levels}</td>
            <td class="num">{share(row.on_time_share)}</td>
            <td class="num">{trips}</td>
        </tr>
    }
}

fn figure_table(
    lang: Lang,
    caption: &'static str,
    id: &'static str,
    rows: &[DossierFigureRow],
) -> impl IntoView + use<> {
    let d = lang.dossier_texts();
    let columns = vec![
        Column::text(d.col_name),
        Column::num(d.col_completed),
        Column::num(d.col_rated),
        Column::num(d.col_rated_share),
        Column::num(d.col_satisfied_share),
        Column::num(d.col_interval),
        Column::num(d.col_levels),
        Column::num(d.col_on_time),
        Column::num(d.col_trips),
    ];
    let rows = rows.iter().map(|r| figure_row(lang, r)).collect_view();
    view! {
        <section>
            <h2>{caption}</h2>
            <DataTable caption=caption columns id=id caption_hidden=true>{rows}</DataTable>
        </section>
    }
}

/// `/dossiers?year=&month=`: the rating figures of completed dossiers.
#[component]
pub fn DossiersPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map().read_untracked();
    let year = query.get("year").and_then(|y| y.parse().ok());
    let month = query
        .get("month")
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m));
    let d = lang.dossier_texts();
    load_page(lang, get_dossier_figures(year, month, lang), move |page| {
        let f = page.data.figures.clone();
        let rating_days = page.data.rating_days;
        let filters = period_form(lang, "/dossiers", &page.data.years, &f, true);
        let period = match f.month {
            Some(m) => format!("year={}&month={m}", f.year),
            None => format!("year={}", f.year),
        };
        let csv = format!("/api/v1/dossiers/figures.csv?{period}");
        let xlsx = format!("/api/v1/dossiers/figures.xlsx?{period}");
        let content = if f.total.completed == 0 {
            view! { <p class="notice" role="status" data-testid="dossiers-none">{d.none_yet}</p> }
                .into_any()
        } else {
            let reasons = (!f.reasons.is_empty()).then(|| {
                let rows = f
                    .reasons
                    .iter()
                    .map(|r| view! {
                        <tr>
                            <th scope="row">{lang.rating_reason(r.reason)}</th>
                            <td class="num">{lang.count(r.total)}</td>
                            <td class="num">{lang.count(r.unsatisfied)}</td>
                        </tr>
                    })
                    .collect_view();
                view! {
                    <section>
                        <h2>{d.reasons_caption}</h2>
                        <DataTable caption=d.reasons_caption id="dossier-reasons" caption_hidden=true
                            columns=vec![Column::text(d.col_reason), Column::num(d.col_reason_total), Column::num(d.col_reason_unsatisfied)]>
                            {rows}
                        </DataTable>
                    </section>
                }
            });
            view! {
                {figure_table(lang, d.total_caption, "dossier-total", std::slice::from_ref(&f.total))}
                {figure_table(lang, d.by_department, "dossier-departments", &f.by_department)}
                {figure_table(lang, d.by_procedure, "dossier-procedures", &f.by_procedure)}
                {figure_table(lang, d.by_channel, "dossier-channels", &f.by_channel)}
                {figure_table(lang, d.by_month, "dossier-months", &f.by_month)}
                {reasons}
                <p class="actions">
                    <a class="button secondary" href=format!("/ratings?{period}")>{d.public_link}</a>
                    <a class="button" href=csv>{d.csv}</a>
                    <a class="button" href=xlsx>{d.xlsx}</a>
                </p>
            }
            .into_any()
        };
        let settings = (page.viewer.role == Role::Admin).then(|| {
            let error = field_error(
                &page.flash,
                "dossier-settings",
                domain::model::RATING_DAYS_SETTING,
            );
            view! {
                <form method="post" action=SetRatingDays::url() class="narrow-form card">
                    <CsrfField token=page.viewer.csrf_token.clone() />
                    <FlashNotice lang flash=page.flash.clone() form="dossier-settings".to_owned() />
                    <div class="field">
                        <label for="rating-days">{d.rating_days_label}</label>
                        {error_line(error, "rating-days-error".to_owned())}
                        <input id="rating-days" name="rating_days" type="number" min="1" max="365"
                            value=rating_days.to_string() aria-describedby="rating-days-error" />
                    </div>
                    <button type="submit" class="button">{d.rating_days_save}</button>
                </form>
            }
        });
        let suppressed_note = d.suppressed_note.replace("{n}", &f.threshold.to_string());
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=d.figures_title>
                <h1>{d.figures_title}</h1>
                <p>{d.figures_intro}</p>
                <p class="hint">{suppressed_note}</p>
                {filters}
                {content}
                {settings}
            </StaffLayout>
        }
    })
}

/// `/ratings?year=&month=`: the month's dossier figures for anyone, by
/// department and by procedure; figures over too few ratings are hidden.
#[component]
pub fn PublicDossierRatingsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map().read_untracked();
    let year = query.get("year").and_then(|y| y.parse().ok());
    let month = query.get("month").and_then(|m| m.parse().ok());
    let d = lang.dossier_texts();
    load_page(
        lang,
        get_public_dossier_figures(year, month, lang),
        move |page| {
            let f = page.figures;
            let filters = period_form(lang, "/ratings", &page.years, &f, false);
            let period = format!("{:02}/{}", f.month.unwrap_or(1), f.year);
            let content = if f.total.completed == 0 {
                view! { <p class="notice" role="status" data-testid="dossiers-none">{d.none_yet}</p> }
                .into_any()
            } else {
                view! {
                {figure_table(lang, d.total_caption, "dossier-total", std::slice::from_ref(&f.total))}
                {figure_table(lang, d.by_department, "dossier-departments", &f.by_department)}
                {figure_table(lang, d.by_procedure, "dossier-procedures", &f.by_procedure)}
            }
            .into_any()
            };
            let suppressed_note = d.suppressed_note.replace("{n}", &f.threshold.to_string());
            view! {
                <PublicLayout lang title=d.public_title>
                    <h1>{d.public_title}" — "<span data-testid="ratings-period">{period}</span></h1>
                    <p class="lead">{d.public_intro}</p>
                    <p class="hint">{d.figures_intro}" "{suppressed_note}</p>
                    {filters}
                    {content}
                </PublicLayout>
            }
        },
    )
}

/// `/kiosk/{token}`: the rating tablet at the one-stop counter. It shows the
/// dossier an officer handed over (procedure and department, nothing about
/// the person) with three large buttons, one tap each; otherwise it waits,
/// reloading itself every few seconds. Plain HTML: a cheap tablet's browser
/// needs no JavaScript for it.
#[component]
pub fn KioskScreenPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let done = use_query_map().read_untracked().get("done");
    let k = lang.kiosk_texts();
    load_page(lang, get_kiosk_screen(token.clone(), lang), move |page| {
        let Some(screen) = page.screen.clone() else {
            respond_not_found();
            return view! {
                <KioskLayout lang title=k.screen_title refresh=None>
                    <p class="form-failure" role="alert">{k.err_unknown_kiosk}</p>
                </KioskLayout>
            }
            .into_any();
        };
        let here = format!("/kiosk/{}?lang={}", token, lang.code());
        let notice = match done.as_deref() {
            Some("stored") => Some(view! {
                <p class="notice success kiosk-thanks" role="status" data-testid="kiosk-thanks">{k.thanks}</p>
            }
            .into_any()),
            Some(_) => Some(view! {
                <p class="notice" role="status" data-testid="kiosk-not-stored">{k.not_stored}</p>
            }
            .into_any()),
            None => None,
        };
        let (body, refresh) = match screen.waiting {
            // After a tap the thanks stays a moment, then the screen waits again.
            Some(_) if notice.is_some() => (kiosk_waiting(lang).into_any(), (5, here.clone())),
            Some(waiting) => {
                let buttons = RatingLevel::ALL
                    .iter()
                    .map(|level| {
                        view! {
                            <button type="submit" name="level" value=level.code()
                                class=format!("kiosk-level rating-{}", level.value())>
                                {lang.rating_level(*level)}
                            </button>
                        }
                    })
                    .collect_view();
                let form = view! {
                    <dl class="facts">
                        <dt>{lang.dossier_texts().procedure_label}</dt>
                        <dd data-testid="kiosk-procedure">{waiting.procedure.clone()}</dd>
                        <dt>{lang.dossier_texts().department_label}</dt>
                        <dd>{waiting.department.clone()}</dd>
                    </dl>
                    <form method="post" action=KioskRate::url() data-testid="kiosk-form">
                        <CsrfField token=page.csrf_token.clone() />
                        <input type="hidden" name="token" value=token.clone() />
                        <input type="hidden" name="handover" value=waiting.handover.to_string() />
                        <fieldset>
                            <legend class="kiosk-question">{k.question}</legend>
                            <div class="kiosk-levels">{buttons}</div>
                        </fieldset>
                    </form>
                    <p class="hint">{k.confidential}</p>
                };
                (form.into_any(), (waiting.seconds_left, here.clone()))
            }
            None => (kiosk_waiting(lang).into_any(), (5, here.clone())),
        };
        view! {
            <KioskLayout lang title=k.screen_title refresh=Some(refresh)>
                <p class="kiosk-agency">{screen.agency.clone()}</p>
                {notice}
                {body}
            </KioskLayout>
        }
        .into_any()
    })
}

fn kiosk_waiting(lang: Lang) -> impl IntoView + use<> {
    let k = lang.kiosk_texts();
    view! {
        <div class="kiosk-waiting" data-testid="kiosk-waiting">
            <p class="kiosk-question">{k.waiting}</p>
            <p class="hint">{k.waiting_hint}</p>
        </div>
    }
}

/// The kiosk's bare page: no links to wander off by, and a reload after
/// `refresh` (seconds, address).
#[component]
fn KioskLayout(
    lang: Lang,
    title: &'static str,
    refresh: Option<(i64, String)>,
    children: Children,
) -> impl IntoView {
    use leptos_meta::{Html, Meta, Title};
    view! {
        <Html {..} lang=lang.code() />
        <Title text=title />
        <Meta name="robots" content="noindex" />
        {refresh.map(|(seconds, url)| view! { <Meta http_equiv="refresh" content=format!("{seconds};url={url}") /> })}
        <main id="main" class="kiosk">
            <h1>{title}</h1>
            {children()}
        </main>
    }
}

/// `/dossiers/kiosks`: the counter kiosks, and the form an officer uses to
/// hand a dossier over to one of them.
#[component]
pub fn KiosksPage() -> impl IntoView {
    let lang = use_lang();
    let chosen = use_query_map().read_untracked().get("kiosk");
    let k = lang.kiosk_texts();
    load_page(lang, get_kiosks(), move |page| {
        let flash = page.flash.clone();
        let is_admin = page.viewer.role == Role::Admin;
        let token = page.viewer.csrf_token.clone();
        let kiosks = page.data.kiosks.clone();
        let chosen = {
            let entered_kiosk = entered(&flash, "kiosk-hand-over", "kiosk");
            if entered_kiosk.is_empty() {
                chosen.clone().unwrap_or_default()
            } else {
                entered_kiosk
            }
        };
        let hand_over = (!kiosks.is_empty()).then(|| {
            let code_error = field_error(&flash, "kiosk-hand-over", "code");
            let kiosk_error = field_error(&flash, "kiosk-hand-over", "kiosk");
            let options = kiosks
                .iter()
                .map(|kiosk| {
                    let id = kiosk.id.to_string();
                    let selected = id == chosen;
                    view! { <option value=id selected=selected>{kiosk.name.clone()}</option> }
                })
                .collect_view();
            view! {
                <form method="post" action=HandOverDossier::url() class="narrow-form card" data-testid="hand-over-form">
                    <h2>{k.hand_over_legend}</h2>
                    <CsrfField token=token.clone() />
                    <FlashNotice lang flash=flash.clone() form="kiosk-hand-over".to_owned() />
                    <div class="field">
                        <label for="kiosk">{k.kiosk_label}</label>
                        {error_line(kiosk_error, "kiosk-error".to_owned())}
                        <select id="kiosk" name="kiosk" aria-describedby="kiosk-error">{options}</select>
                    </div>
                    <div class="field">
                        <label for="code">{k.code_label}</label>
                        {error_line(code_error, "code-error".to_owned())}
                        <input id="code" name="code" type="text" required=true autocomplete="off"
                            value=entered(&flash, "kiosk-hand-over", "code") aria-describedby="code-error" />
                    </div>
                    <button type="submit" class="button primary">{k.hand_over}</button>
                </form>
            }
        });
        let rows = kiosks
            .iter()
            .map(|kiosk| {
                let state = kiosk.handed_at.as_ref().map_or_else(
                    || k.state_waiting.to_owned(),
                    |at| k.state_handed.replace("{time}", at),
                );
                let remove = is_admin.then(|| view! {
                    <form method="post" action=RemoveKiosk::url() class="inline-form">
                        <CsrfField token=token.clone() />
                        <input type="hidden" name="kiosk" value=kiosk.id.to_string() />
                        <button type="submit" class="button secondary">{k.remove}</button>
                    </form>
                });
                view! {
                    <tr data-kiosk=kiosk.id.to_string()>
                        <th scope="row">{kiosk.name.clone()}</th>
                        <td class="text"><a href=kiosk.address.clone() data-testid="kiosk-address">{kiosk.address.clone()}</a></td>
                        <td class="text">{state}</td>
                        <td class="text">{remove}</td>
                    </tr>
                }
            })
            .collect_view();
        let list = if kiosks.is_empty() {
            view! { <p class="notice" role="status">{k.none_yet}</p> }.into_any()
        } else {
            view! {
                <DataTable caption=k.page_title id="kiosks" caption_hidden=true
                    columns=vec![Column::text(k.col_kiosk), Column::text(k.col_address), Column::text(k.col_state), Column::text("")]>
                    {rows}
                </DataTable>
            }
            .into_any()
        };
        let add = is_admin.then(|| {
            let name_error = field_error(&flash, "kiosk-add", "name");
            view! {
                <form method="post" action=AddKiosk::url() class="narrow-form card">
                    <h2>{k.add_legend}</h2>
                    <CsrfField token=token.clone() />
                    <FlashNotice lang flash=flash.clone() form="kiosk-add".to_owned() />
                    <div class="field">
                        <label for="name">{k.name_label}</label>
                        {error_line(name_error, "name-error".to_owned())}
                        <input id="name" name="name" type="text" required=true maxlength="120"
                            value=entered(&flash, "kiosk-add", "name") aria-describedby="name-error" />
                    </div>
                    <button type="submit" class="button">{k.add}</button>
                </form>
            }
        });
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=k.page_title>
                <h1>{k.page_title}</h1>
                <p>{k.page_intro}</p>
                <FlashNotice lang flash=flash.clone() form="kiosk-list".to_owned() />
                {hand_over}
                {list}
                {add}
            </StaffLayout>
        }
    })
}
