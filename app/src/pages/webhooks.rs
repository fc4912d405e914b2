//! `/admin/webhooks`: the addresses that are told of events, the form that
//! adds one (its secret shown once) and the button that stops one.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, StaffLayout, entered, error_line, field_error,
    load_page, use_lang,
};
use crate::server_fns::{CreateWebhook, RevokeWebhook, TestWebhook, get_webhooks_page};
use domain::i18n::Lang;
use domain::model::{FormFlash, WebhookEvent, WebhookRow};

/// A box per event, ticked again when the form comes back with errors.
fn event_boxes(lang: Lang, flash: &Option<FormFlash>) -> impl IntoView + use<> {
    let ticked = entered(flash, "webhook-create", "events");
    WebhookEvent::ALL
        .iter()
        .map(|event| {
            let id = format!("event-{}", event.code().replace('.', "-"));
            let label_for = id.clone();
            let checked = ticked.split(',').any(|code| code == event.code());
            view! {
                <label class="option" for=label_for>
                    <input
                        type="checkbox"
                        id=id
                        name=format!("events[{}]", event.code())
                        value="on"
                        checked=checked
                    />
                    <span>{lang.webhook_event(*event)}</span>
                </label>
            }
        })
        .collect_view()
}

fn webhook_row(lang: Lang, hook: &WebhookRow, csrf: String) -> impl IntoView + use<> {
    let w = lang.webhook_texts();
    let stop = (!hook.revoked).then(|| {
        view! {
            <form method="post" action=TestWebhook::url() class="inline-form">
                <CsrfField token=csrf.clone() />
                <input type="hidden" name="id" value=hook.id />
                <button type="submit" class="button small">{w.test_button}</button>
            </form>
            <form method="post" action=RevokeWebhook::url() class="inline-form">
                <CsrfField token=csrf />
                <input type="hidden" name="id" value=hook.id />
                <button type="submit" class="button small">{w.revoke_button}</button>
            </form>
        }
    });
    let events = hook
        .events
        .iter()
        .map(|e| view! { <span>{lang.webhook_event(*e)}</span> <br /> })
        .collect_view();
    let deliveries = format!(
        "{} {}, {} {}, {} {}",
        lang.count(hook.delivered),
        w.delivered,
        lang.count(hook.waiting),
        w.waiting,
        lang.count(hook.given_up),
        w.given_up
    );
    view! {
        <tr data-testid=format!("webhook-{}", hook.id)>
            <td>{hook.name.clone()}</td>
            <td>
                <code>{hook.address.clone()}</code>
            </td>
            <td>{events}</td>
            <td>{hook.created_at.clone()}</td>
            <td>{deliveries}</td>
            <td>{if hook.revoked { w.revoked } else { w.active }} {stop}</td>
        </tr>
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let lang = use_lang();
    let w = lang.webhook_texts();
    load_page(lang, get_webhooks_page(), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let secret = flash
            .as_ref()
            .filter(|f| f.form == "webhook-create")
            .and_then(|f| f.secret.clone());
        let rows = page
            .data
            .iter()
            .map(|hook| webhook_row(lang, hook, csrf.clone()))
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=w.title>
                <h1>{w.title}</h1>
                <p>{w.intro}</p>
                <p class="hint">{w.signing}</p>
                <FlashNotice lang flash=flash.clone() form="webhook-create".to_owned() />
                <FlashNotice lang flash=flash.clone() form="webhook-list".to_owned() />
                {secret
                    .map(|secret| {
                        view! {
                            <div class="notice" role="status">
                                <p>{w.secret_shown_once}</p>
                                <p>
                                    <code class="secret" data-testid="new-webhook-secret">
                                        {secret}
                                    </code>
                                </p>
                            </div>
                        }
                    })}
                <form method="post" action=CreateWebhook::url() class="narrow-form card">
                    <CsrfField token=csrf.clone() />
                    <div class="field">
                        <label for="webhook-name">{w.name_label}</label>
                        {error_line(
                            field_error(&flash, "webhook-create", "name"),
                            "webhook-name-error".to_owned(),
                        )}
                        <input
                            id="webhook-name"
                            name="name"
                            required
                            maxlength="120"
                            aria-describedby="webhook-name-error"
                            value=entered(&flash, "webhook-create", "name")
                        />
                    </div>
                    <div class="field">
                        <label for="webhook-url">{w.url_label}</label>
                        <p class="hint" id="webhook-url-hint">{w.url_hint}</p>
                        {error_line(
                            field_error(&flash, "webhook-create", "url"),
                            "webhook-url-error".to_owned(),
                        )}
                        <input
                            id="webhook-url"
                            name="url"
                            type="url"
                            required
                            aria-describedby="webhook-url-hint webhook-url-error"
                            value=entered(&flash, "webhook-create", "url")
                        />
                    </div>
                    <fieldset class="question" id="webhook-events">
                        <legend>{w.events_label}</legend>
                        {error_line(
                            field_error(&flash, "webhook-create", "events"),
                            "webhook-events-error".to_owned(),
                        )}
                        <div class="options">{event_boxes(lang, &flash)}</div>
                    </fieldset>
                    <button type="submit" class="button primary">
                        {w.create_button}
                    </button>
                </form>
                {if page.data.is_empty() {
                    view! { <p class="muted">{w.none_yet}</p> }.into_any()
                } else {
                    view! {
                        <DataTable caption=w.caption columns=vec![Column::text(w.name_label), Column::text(w.col_address), Column::text(w.col_events), Column::text(w.col_created), Column::text(w.col_deliveries), Column::text(w.col_status)]>
                            {rows}
                        </DataTable>
                    }.into_any()
                }}
            </StaffLayout>
        }
        .into_any()
    })
}
