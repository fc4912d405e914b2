//! The island's request, written against the browser's own `fetch` and
//! `FormData`: what the framework's server action would do, without the
//! query-string serializer and HTTP client it brings into the wasm bundle.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Headers, RequestInit, Response, UrlSearchParams};
use wasm_bindgen_futures::JsFuture;

use super::island::Errors;
use crate::error::PageError;
use crate::server_fns::SubmitSurvey;
use domain::i18n::Lang;
use domain::model::SubmitOutcome;

/// Sends the form and shows what comes back: the receipt (or resume) page,
/// the problems beside their fields, or a message for the kind of refusal.
pub fn send(
    ev: &leptos::ev::SubmitEvent,
    lang: Lang,
    pending: RwSignal<bool>,
    errors: Errors,
    failure: RwSignal<Option<String>>,
    csrf: RwSignal<String>,
    summary_ref: NodeRef<Div>,
) {
    if pending.get_untracked() {
        return;
    }
    let Some(body) = form_body(ev) else {
        failure.set(Some(lang.island_texts().err_network.to_owned()));
        return;
    };
    failure.set(None);
    pending.set(true);
    leptos::task::spawn_local(async move {
        match post(body).await {
            Ok(
                SubmitOutcome::Stored {
                    receipt_url: url, ..
                }
                | SubmitOutcome::Saved {
                    resume_url: url, ..
                },
            ) => {
                // Stays pending while the browser leaves the page.
                let _ = window().location().set_href(&url);
            }
            Ok(SubmitOutcome::Invalid { errors: found }) => {
                pending.set(false);
                errors.set(found);
                request_animation_frame(move || {
                    if let Some(summary) = summary_ref.get_untracked() {
                        let _ = summary.focus();
                    }
                });
            }
            Err(err) => {
                pending.set(false);
                if let PageError::FormExpired { csrf_token } = &err {
                    // The refusal set a fresh cookie: the next try carries its token.
                    csrf.set(csrf_token.clone());
                }
                failure.set(Some(err.island_message(lang)));
            }
        }
    });
}

/// The form's fields (with the button that submitted it) as the
/// url-encoded body a plain form post would carry.
pub fn form_body(ev: &leptos::ev::SubmitEvent) -> Option<UrlSearchParams> {
    let form_data = leptos::form::form_data_from_event(ev).ok()?;
    UrlSearchParams::new_with_str_sequence_sequence(&form_data).ok()
}

/// Posts `body` to the submit server function asking for JSON. A refusal
/// comes back as a [`PageError`] of its kind, from the server function or
/// from the security layers in front of it.
pub async fn post(body: UrlSearchParams) -> Result<SubmitOutcome, PageError> {
    let transport = |what: &str| PageError::Transport {
        message: what.to_owned(),
    };
    let headers = Headers::new().map_err(|_| transport("headers"))?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| transport("headers"))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body);
    let reply = JsFuture::from(window().fetch_with_str_and_init(SubmitSurvey::url(), &init))
        .await
        .map_err(|_| transport("network"))?;
    let reply: Response = reply.dyn_into().map_err(|_| transport("reply"))?;
    let text = match reply.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if reply.ok() {
        serde_json::from_str(&text).map_err(|_| transport("unreadable reply"))
    } else {
        Err(serde_json::from_str(&text)
            .unwrap_or_else(|_| transport(&format!("status {}", reply.status()))))
    }
}
