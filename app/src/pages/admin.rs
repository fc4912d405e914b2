//! Administration pages: users, API tokens, the audit log, personal data.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, StaffLayout, entered, error_line, field_error,
    load_page, use_lang,
};
use crate::server_fns::{
    CancelMessage, CreateToken, CreateUser, ErasePerson, LogOutUser, ResendMessage,
    ResetUserPassword, RevokeToken, SaveRetention, UnlockUser, UpdateUser, get_audit_page,
    get_outbox_page, get_personal_data_page, get_tokens_page, get_users_page,
};
use domain::i18n::Lang;
use domain::model::{Choice, FormFlash, MessageStatus, Role, Scope, UserRow};

fn role_options(lang: Lang, selected: &str) -> impl IntoView + use<> {
    Role::ALL
        .iter()
        .copied()
        .map(|role| {
            view! {
                <option value=role.code() selected=selected == role.code()>
                    {lang.role(role)}
                </option>
            }
        })
        .collect_view()
}

/// A box per scope a token may be given, named `scopes[CODE]`.
fn scope_boxes(lang: Lang) -> impl IntoView + use<> {
    Scope::ALL
        .iter()
        .map(|scope| {
            let id = format!("scope-{}", scope.code().replace(':', "-"));
            let label_for = id.clone();
            view! {
                <label class="option" for=label_for>
                    <input type="checkbox" id=id name=format!("scopes[{}]", scope.code()) value="on" />
                    <span>{lang.scope(*scope)}</span>
                </label>
            }
        })
        .collect_view()
}

/// The permission to see and route feedback no department has yet.
fn triage_box(prefix: &str, lang: Lang, checked: bool) -> impl IntoView + use<> {
    let id = format!("{prefix}-triage");
    let label_for = id.clone();
    view! {
        <label class="option" for=label_for>
            <input type="checkbox" id=id name="can_triage" value="on" checked=checked />
            <span>{lang.texts().triage_label}</span>
        </label>
    }
}

/// Checkboxes `departments[CODE]`, ticked for `chosen`.
fn department_boxes(
    prefix: &str,
    departments: &[Choice],
    chosen: &[String],
) -> impl IntoView + use<> {
    departments
        .iter()
        .map(|d| {
            let id = format!("{prefix}-dep-{}", d.code);
            let label_for = id.clone();
            view! {
                <label class="option" for=label_for>
                    <input
                        type="checkbox"
                        id=id
                        name=format!("departments[{}]", d.code)
                        value="on"
                        checked=chosen.contains(&d.code)
                    />
                    <span>{format!("{} — {}", d.code, d.label)}</span>
                </label>
            }
        })
        .collect_view()
}

/// `/admin/users`
#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_users_page(), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let departments = page.data.departments.clone();
        let chosen: Vec<String> = entered(&flash, "user-create", "departments")
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        let users = page
            .data
            .users
            .iter()
            .map(|user| {
                let locked = page.data.locked.get(&user.username).cloned();
                user_card(lang, user, &departments, &flash, &csrf, locked)
            })
            .collect_view();
        let role_entered = entered(&flash, "user-create", "role");
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.users_title>
                <h1>{t.users_title}</h1>
                <section aria-labelledby="create-user-heading" class="card">
                    <h2 id="create-user-heading">{t.create_user_heading}</h2>
                    <FlashNotice lang flash=flash.clone() form="user-create".to_owned() />
                    <form method="post" action=CreateUser::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="new-username">{t.username_label}</label>
                            {error_line(
                                field_error(&flash, "user-create", "username"),
                                "new-username-error".to_owned(),
                            )}
                            <input
                                id="new-username"
                                name="username"
                                required
                                autocapitalize="none"
                                aria-describedby="new-username-error"
                                value=entered(&flash, "user-create", "username")
                            />
                        </div>
                        <div class="field">
                            <label for="new-display-name">{t.display_name_label}</label>
                            <input
                                id="new-display-name"
                                name="display_name"
                                value=entered(&flash, "user-create", "display_name")
                            />
                        </div>
                        <div class="field">
                            <label for="new-role">{t.role_label}</label>
                            {error_line(
                                field_error(&flash, "user-create", "role"),
                                "new-role-error".to_owned(),
                            )}
                            <select id="new-role" name="role" aria-describedby="new-role-error">
                                {role_options(
                                    lang,
                                    if role_entered.is_empty() { "staff" } else { &role_entered },
                                )}
                            </select>
                        </div>
                        <fieldset class="question">
                            <legend>{t.departments_label}</legend>
                            {error_line(
                                field_error(&flash, "user-create", "departments"),
                                "new-departments-error".to_owned(),
                            )}
                            <div class="options">
                                {department_boxes("new", &departments, &chosen)}
                            </div>
                        </fieldset>
                        {triage_box("new", lang, false)}
                        <div class="field">
                            <label for="new-password">{t.new_password_label}</label>
                            {error_line(
                                field_error(&flash, "user-create", "password"),
                                "new-password-error".to_owned(),
                            )}
                            <input
                                id="new-password"
                                name="password"
                                type="password"
                                autocomplete="new-password"
                                minlength="10"
                                required
                                aria-describedby="new-password-error"
                            />
                        </div>
                        <button type="submit" class="button primary">
                            {t.create_user_button}
                        </button>
                    </form>
                </section>
                <h2>{t.users_title}</h2>
                <div class="user-list">{users}</div>
            </StaffLayout>
        }
        .into_any()
    })
}

fn user_card(
    lang: Lang,
    user: &UserRow,
    departments: &[Choice],
    flash: &Option<FormFlash>,
    csrf: &str,
    locked_until: Option<String>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let form = format!("user-{}", user.id);
    let unlock = locked_until.map(|until| {
        view! {
            <form method="post" action=UnlockUser::url() class="notice" data-testid="locked">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="id" value=user.id />
                <input type="hidden" name="username" value=user.username.clone() />
                <p>{format!("{} {until}", t.sign_in_locked_until)}</p>
                <button type="submit" class="button">{t.unlock_button}</button>
            </form>
        }
    });
    let open = flash.as_ref().is_some_and(|f| f.form == form);
    let prefix = format!("u{}", user.id);
    let summary = format!(
        "{} — {} — {}{}",
        user.username,
        user.display_name,
        lang.role(user.role),
        if user.active {
            String::new()
        } else {
            format!(" ({} {})", t.col_active, t.no.to_lowercase())
        }
    );
    view! {
        <details class="card user-card" open=open id=format!("user-{}", user.id)>
            <summary>{summary}</summary>
            <FlashNotice lang flash=flash.clone() form=form.clone() />
            {unlock}
            <form method="post" action=UpdateUser::url() class="narrow-form">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="id" value=user.id />
                <div class="field">
                    <label for=format!("{prefix}-name")>{t.display_name_label}</label>
                    <input
                        id=format!("{prefix}-name")
                        name="display_name"
                        value=user.display_name.clone()
                    />
                </div>
                <div class="field">
                    <label for=format!("{prefix}-role")>{t.role_label}</label>
                    <select id=format!("{prefix}-role") name="role">
                        {role_options(lang, user.role.code())}
                    </select>
                </div>
                <fieldset class="question">
                    <legend>{t.departments_label}</legend>
                    <div class="options">{department_boxes(&prefix, departments, &user.departments)}</div>
                </fieldset>
                {triage_box(&prefix, lang, user.can_triage)}
                <label class="option" for=format!("{prefix}-active")>
                    <input
                        type="checkbox"
                        id=format!("{prefix}-active")
                        name="active"
                        value="on"
                        checked=user.active
                    />
                    <span>{t.active_label}</span>
                </label>
                <button type="submit" class="button primary">
                    {t.save_button}
                </button>
            </form>
            <form method="post" action=ResetUserPassword::url() class="narrow-form">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="id" value=user.id />
                <div class="field">
                    <label for=format!("{prefix}-password")>{t.new_password_label}</label>
                    {error_line(
                        field_error(flash, &form, "password"),
                        format!("{prefix}-password-error"),
                    )}
                    <input
                        id=format!("{prefix}-password")
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        minlength="10"
                        required
                        aria-describedby=format!("{prefix}-password-error")
                    />
                </div>
                <button type="submit" class="button">
                    {t.reset_password_button}
                </button>
            </form>
            <form method="post" action=LogOutUser::url()>
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="id" value=user.id />
                <button type="submit" class="button">
                    {t.logout_user_button}
                </button>
            </form>
        </details>
    }
}

/// `/admin/tokens`
#[component]
pub fn TokensPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_tokens_page(), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let secret = flash
            .as_ref()
            .filter(|f| f.form == "token-create")
            .and_then(|f| f.secret.clone());
        let rows = page
            .data
            .iter()
            .map(|token| {
                let revoke = (!token.revoked).then(|| {
                    view! {
                        <form method="post" action=RevokeToken::url() class="inline-form">
                            <CsrfField token=csrf.clone() />
                            <input type="hidden" name="id" value=token.id />
                            <button type="submit" class="button small">
                                {t.revoke_button}
                            </button>
                        </form>
                    }
                });
                view! {
                    <tr>
                        <td>{token.name.clone()}</td>
                        <td>
                            <code>{format!("{}…", token.prefix)}</code>
                        </td>
                        <td>{lang.role(token.role)}</td>
                        <td>{token.created_at.clone()}</td>
                        <td>{token.last_used_at.clone().unwrap_or_else(|| "—".to_owned())}</td>
                        <td>
                            {token.scopes.iter().map(|s| view! { <code>{s.code()}</code> " " }).collect_view()}
                            {token.expires_at.clone().map(|at| view! { <br /><span class="muted">{format!("{} {at}", t.token_expires_label)}</span> })}
                        </td>
                        <td>{if token.revoked { t.revoked } else { t.status_open }} {revoke}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.tokens_title>
                <h1>{t.tokens_title}</h1>
                <p>{t.tokens_intro}</p>
                <FlashNotice lang flash=flash.clone() form="token-create".to_owned() />
                <FlashNotice lang flash=flash.clone() form="token-list".to_owned() />
                {secret
                    .map(|token| {
                        view! {
                            <div class="notice" role="status">
                                <p>{t.token_shown_once}</p>
                                <p>
                                    <code class="secret" data-testid="new-token">
                                        {token}
                                    </code>
                                </p>
                            </div>
                        }
                    })}
                <form method="post" action=CreateToken::url() class="narrow-form card">
                    <CsrfField token=csrf.clone() />
                    <div class="field">
                        <label for="token-name">{t.token_name_label}</label>
                        {error_line(
                            field_error(&flash, "token-create", "name"),
                            "token-name-error".to_owned(),
                        )}
                        <input
                            id="token-name"
                            name="name"
                            required
                            aria-describedby="token-name-error"
                            value=entered(&flash, "token-create", "name")
                        />
                    </div>
                    <div class="field">
                        <label for="token-role">{t.role_label}</label>
                        <select id="token-role" name="role">
                            {role_options(lang, "leader")}
                        </select>
                    </div>
                    <fieldset class="question" id="token-scopes">
                        <legend>{t.token_scopes_label}</legend>
                        {error_line(
                            field_error(&flash, "token-create", "scopes"),
                            "token-scopes-error".to_owned(),
                        )}
                        <div class="options">{scope_boxes(lang)}</div>
                    </fieldset>
                    <div class="field">
                        <label for="token-expires">{t.token_expires_label}</label>
                        {error_line(
                            field_error(&flash, "token-create", "expires_on"),
                            "token-expires-error".to_owned(),
                        )}
                        <input id="token-expires" name="expires_on" type="date" aria-describedby="token-expires-error" />
                    </div>
                    <button type="submit" class="button primary">
                        {t.create_token_button}
                    </button>
                </form>
                <DataTable caption=t.tokens_title columns=vec![Column::text(t.token_name_label), Column::text(t.col_prefix), Column::text(t.col_role), Column::text(t.col_created), Column::text(t.col_last_used), Column::text(t.token_scopes_label), Column::text(t.col_status)]>
                    {rows}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/admin/audit`
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_audit_page(), move |page| {
        let rows = page
            .data
            .iter()
            .map(|entry| {
                let change = match (&entry.before, &entry.after) {
                    (None, None) => String::new(),
                    (before, after) => format!(
                        "{} → {}",
                        before.clone().unwrap_or_else(|| "—".to_owned()),
                        after.clone().unwrap_or_else(|| "—".to_owned())
                    ),
                };
                view! {
                    <tr>
                        <td>{entry.at.clone()}</td>
                        <td>{entry.actor.clone()}</td>
                        <td>
                            <code>{entry.action.clone()}</code>
                        </td>
                        <td>
                            {format!(
                                "{} {}",
                                entry.entity,
                                entry.entity_id.clone().unwrap_or_default(),
                            )}
                        </td>
                        <td class="change">{change}</td>
                        <td>{entry.ip.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer title=t.audit_title>
                <h1>{t.audit_title}</h1>
                <p>{t.audit_intro}</p>
                <DataTable caption=t.audit_title columns=vec![Column::text(t.col_time), Column::text(t.col_actor), Column::text(t.col_action), Column::text(t.col_entity), Column::text(t.col_change), Column::text(t.col_ip)]>
                    {rows}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
    })
}

/// The export of one person's data: a plain form post that answers a file.
pub const PERSON_EXPORT_PATH: &str = "/admin/personal-data/export";

/// `/admin/personal-data`: retention periods, what the next purge erases,
/// and a person's request (download everything, erase contacts).
#[component]
pub fn PersonalDataAdminPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_personal_data_page(), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let data = page.data.clone();
        let number_field = |field: &'static str,
                            id: &'static str,
                            label: &'static str,
                            current: u32| {
            let error = field_error(&flash, "retention", field);
            let typed = entered(&flash, "retention", field);
            let value = if typed.is_empty() {
                current.to_string()
            } else {
                typed
            };
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    {error_line(error.clone(), format!("{id}-error"))}
                    <input id=id name=field type="number" min="30" max="3650" required inputmode="numeric"
                        value=value aria-invalid=error.map(|_| "true") aria-describedby=format!("{id}-error") />
                </div>
            }
        };
        let retention_fields = view! {
            {number_field("feedback_contact_days", "retention-feedback", t.feedback_contact_days_label, data.retention.feedback_contact_days)}
            {number_field("invitation_contact_days", "retention-invitations", t.invitation_contact_days_label, data.retention.invitation_contact_days)}
        };
        let person_errors = (
            field_error(&flash, "person", "identifier"),
            field_error(&flash, "person", "reason"),
            entered(&flash, "person", "reason"),
        );
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.personal_data_title>
                <h1>{t.personal_data_title}</h1>
                <p>{t.personal_data_intro}</p>
                <section class="card" aria-labelledby="retention-heading">
                    <h2 id="retention-heading">{t.retention_heading}</h2>
                    <FlashNotice lang flash=flash.clone() form="retention".to_owned() />
                    <form method="post" action=SaveRetention::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        {retention_fields}
                        <button type="submit" class="button primary">{t.retention_save_button}</button>
                    </form>
                    <p data-testid="purge-due">
                        {format!(
                            "{}: {} {}, {} {}.",
                            t.purge_due_label,
                            lang.count(data.feedback_items_due),
                            t.purge_due_items,
                            lang.count(data.invitations_due),
                            t.purge_due_invitations,
                        )}
                    </p>
                </section>
                <section class="card" aria-labelledby="person-heading">
                    <h2 id="person-heading">{t.person_heading}</h2>
                    <p class="hint">{t.person_hint}</p>
                    <FlashNotice lang flash=flash.clone() form="person".to_owned() />
                    <form method="post" action=ErasePerson::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="person-identifier">{t.person_identifier_label}</label>
                            {error_line(person_errors.0, "person-identifier-error".to_owned())}
                            <input id="person-identifier" name="identifier" required autocomplete="off" aria-describedby="person-identifier-error" />
                        </div>
                        <div class="field">
                            <label for="person-reason">{t.person_reason_label}</label>
                            {error_line(person_errors.1, "person-reason-error".to_owned())}
                            <input id="person-reason" name="reason" required aria-describedby="person-reason-error"
                                value=person_errors.2 />
                        </div>
                        <button type="submit" formaction=PERSON_EXPORT_PATH class="button">{t.person_export_button}</button>
                        " "
                        <button type="submit" class="button danger">{t.person_erase_button}</button>
                    </form>
                </section>
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/admin/outbox`: what waits to be sent or was given up, why nothing goes
/// out when that is so, and resend or cancel for each message.
#[component]
pub fn OutboxAdminPage() -> impl IntoView {
    let lang = use_lang();
    let m = lang.mailing_texts();
    load_page(lang, get_outbox_page(), move |page| {
        let data = page.data.clone();
        let csrf = page.viewer.csrf_token.clone();
        let state = if !data.mail_configured {
            view! { <p class="notice warning" role="status" data-testid="outbox-waiting">{m.no_mail_server}</p> }.into_any()
        } else if !data.public_address_set {
            view! { <p class="notice warning" role="status" data-testid="outbox-waiting">{m.no_public_address}</p> }.into_any()
        } else {
            view! { <p class="notice" role="status">{m.all_clear}</p> }.into_any()
        };
        let no_sms = (!data.sms_configured)
            .then(|| view! { <p class="hint" data-testid="outbox-no-sms">{m.no_sms_gateway}</p> });
        let counts = data
            .counts
            .iter()
            .map(|c| {
                view! {
                    <tr>
                        <td>{lang.message_kind(c.kind)}</td>
                        <td>{lang.message_status(c.status)}</td>
                        <td class="num">{lang.count(c.count)}</td>
                    </tr>
                }
            })
            .collect_view();
        let rows = data
            .messages
            .iter()
            .map(|message| {
                let csrf = csrf.clone();
                let resend = (message.status == MessageStatus::Dead).then(|| {
                    let csrf = csrf.clone();
                    view! {
                        <form method="post" action=ResendMessage::url() class="inline-form">
                            <CsrfField token=csrf />
                            <input type="hidden" name="id" value=message.id />
                            <button type="submit" class="button small">{m.resend}</button>
                        </form>
                    }
                });
                view! {
                    <tr data-testid=format!("message-{}", message.id)>
                        <td class="num">{message.id}</td>
                        <td>{lang.message_kind(message.kind)}</td>
                        <td>{lang.message_status(message.status)}</td>
                        <td class="num">{message.attempts}</td>
                        <td>{message.created_at.clone()}</td>
                        <td>{message.next_attempt_at.clone()}</td>
                        <td>{message.last_error.clone().unwrap_or_default()}</td>
                        <td>
                            {resend}
                            <form method="post" action=CancelMessage::url() class="inline-form">
                                <CsrfField token=csrf />
                                <input type="hidden" name="id" value=message.id />
                                <button type="submit" class="button small">{m.cancel}</button>
                            </form>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=m.outbox_title>
                <h1>{m.outbox_title}</h1>
                <p>{m.outbox_intro}</p>
                {state}
                {no_sms}
                <FlashNotice lang flash=page.flash.clone() form="outbox".to_owned() />
                <DataTable caption=m.counts_caption columns=vec![Column::text(m.col_kind), Column::text(m.col_status), Column::num(m.col_count)]>
                    {counts}
                </DataTable>
                {if data.messages.is_empty() {
                    view! { <p class="muted">{m.nothing_waiting}</p> }.into_any()
                } else {
                    view! {
                        <DataTable caption=m.waiting_caption columns=vec![Column::num("#"), Column::text(m.col_kind), Column::text(m.col_status), Column::num(m.col_attempts), Column::text(m.col_created), Column::text(m.col_next_attempt), Column::text(m.col_last_error), Column::text(m.col_do)]>
                            {rows}
                        </DataTable>
                    }.into_any()
                }}
                {data.truncated.then(|| view! { <p class="hint">{m.truncated}</p> })}
            </StaffLayout>
        }
        .into_any()
    })
}
