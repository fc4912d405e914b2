//! Signing in, the staff home and one's own account.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, PublicLayout, StaffLayout, entered, error_line,
    field_error, load_page, use_lang,
};
use crate::server_fns::{
    ChangePassword, LogOutEverywhere, Login, SaveAlertEmail, get_account_page, get_login_page,
    get_staff_home,
};

/// `/login`
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    load_page(lang, get_login_page(), move |(csrf_token, flash)| {
        let error = field_error(&flash, "login", "password");
        let username = entered(&flash, "login", "username");
        view! {
            <PublicLayout lang title=t.login_title>
                <h1>{t.login_title}</h1>
                <FlashNotice lang flash=flash.clone() form="login".to_owned() />
                <form method="post" action=Login::url() class="narrow-form">
                    <CsrfField token=csrf_token />
                    <input type="hidden" name="next" value=next />
                    <div class="field">
                        <label for="username">{t.username_label}</label>
                        <input
                            id="username"
                            name="username"
                            type="text"
                            autocomplete="username"
                            autocapitalize="none"
                            spellcheck="false"
                            required
                            value=username
                        />
                    </div>
                    <div class="field">
                        <label for="password">{t.password_label}</label>
                        {error
                            .clone()
                            .map(|m| {
                                view! {
                                    <p class="field-error" id="password-error">
                                        {m}
                                    </p>
                                }
                            })}
                        <input
                            id="password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            required
                            aria-describedby="password-error"
                            aria-invalid=error.is_some().then_some("true")
                        />
                    </div>
                    <button type="submit" class="button primary">
                        {t.login_button}
                    </button>
                </form>
            </PublicLayout>
        }
        .into_any()
    })
}

/// `/staff`: the rounds, with links to their dashboards and forms.
#[component]
pub fn StaffHomePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_staff_home(), move |page| {
        let rows = page
            .data
            .into_iter()
            .map(|round| {
                view! {
                    <tr>
                        <td>{round.title.clone()}</td>
                        <td>{round.period.clone()}</td>
                        <td>{lang.round_status(round.status)}</td>
                        <td class="actions">
                            <a href=format!("/rounds/{}", round.slug)>{t.view_indices}</a>
                            <a href=format!("/s/{}", round.slug)>{t.take_survey}</a>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer title=t.staff_home_title>
                <h1>{t.staff_home_title}</h1>
                <DataTable caption=t.rounds_heading columns=vec![Column::text(t.col_round), Column::text(t.col_period), Column::text(t.col_status), Column::text(t.col_actions)]>
                    {rows}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/account`: change one's password, say where work alerts go, sign out
/// everywhere.
#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_account_page(), move |page| {
        let flash = page.flash.clone();
        let current_error = field_error(&flash, "password", "current_password");
        let new_error = field_error(&flash, "password", "new_password");
        let csrf = page.viewer.csrf_token.clone();
        let m = lang.mailing_texts();
        let alert_email = match flash.as_ref().filter(|f| f.form == "alerts") {
            Some(_) if field_error(&flash, "alerts", "alert_email").is_some() => {
                entered(&flash, "alerts", "alert_email")
            }
            _ => page.data.alert_email.clone().unwrap_or_default(),
        };
        view! {
            <StaffLayout lang viewer=page.viewer title=t.account_title>
                <h1>{t.account_title}</h1>
                <section aria-labelledby="password-heading">
                    <h2 id="password-heading">{t.change_password_heading}</h2>
                    <FlashNotice lang flash=flash.clone() form="password".to_owned() />
                    <form method="post" action=ChangePassword::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="current_password">{t.current_password_label}</label>
                            {current_error
                                .clone()
                                .map(|m| {
                                    view! {
                                        <p class="field-error" id="current_password-error">
                                            {m}
                                        </p>
                                    }
                                })}
                            <input
                                id="current_password"
                                name="current_password"
                                type="password"
                                autocomplete="current-password"
                                required
                                aria-describedby="current_password-error"
                            />
                        </div>
                        <div class="field">
                            <label for="new_password">{t.new_password_label}</label>
                            {new_error
                                .clone()
                                .map(|m| {
                                    view! {
                                        <p class="field-error" id="new_password-error">
                                            {m}
                                        </p>
                                    }
                                })}
                            <input
                                id="new_password"
                                name="new_password"
                                type="password"
                                autocomplete="new-password"
                                minlength="10"
                                required
                                aria-describedby="new_password-error"
                            />
                        </div>
                        <button type="submit" class="button primary">
                            {t.change_password_button}
                        </button>
                    </form>
                </section>
                <section aria-labelledby="alerts-heading">
                    <h2 id="alerts-heading">{m.alerts_heading}</h2>
                    <FlashNotice lang flash=flash.clone() form="alerts".to_owned() />
                    <form method="post" action=SaveAlertEmail::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="alert_email">{m.alert_email_label}</label>
                            <p class="hint" id="alert_email-hint">{m.alerts_hint}</p>
                            {error_line(
                                field_error(&flash, "alerts", "alert_email"),
                                "alert_email-error".to_owned(),
                            )}
                            <input
                                id="alert_email"
                                name="alert_email"
                                type="email"
                                autocomplete="email"
                                aria-describedby="alert_email-hint alert_email-error"
                                value=alert_email
                            />
                        </div>
                        <button type="submit" class="button primary">
                            {m.alerts_button}
                        </button>
                    </form>
                </section>
                <section aria-labelledby="sessions-heading">
                    <h2 id="sessions-heading">{t.sessions_heading}</h2>
                    <p>{t.logout_everywhere_hint}</p>
                    <form method="post" action=LogOutEverywhere::url()>
                        <CsrfField token=csrf />
                        <button type="submit" class="button">
                            {t.logout_everywhere_button}
                        </button>
                    </form>
                </section>
            </StaffLayout>
        }
        .into_any()
    })
}
