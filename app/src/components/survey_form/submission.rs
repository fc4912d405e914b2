//! The island's request, written against the browser's own `fetch` and
//! `FormData`: what the framework's server action would do, without the
//! query-string serializer and HTTP client it brings into the wasm bundle.

use leptos::prelude::window;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Headers, RequestInit, Response, UrlSearchParams};
use wasm_bindgen_futures::JsFuture;

use crate::error::PageError;
use crate::server_fns::SubmitSurvey;
use domain::model::SubmitOutcome;

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
