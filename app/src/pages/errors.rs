//! What a page shows when its data cannot be loaded.

use leptos::prelude::*;

use crate::api::NOT_ALLOWED;
use crate::components::PublicLayout;
use crate::pages::NotFound;
use domain::i18n::Lang;

/// Not allowed, not found, or could not load. The status code is already
/// on the response; a visitor who is not signed in was sent to sign in.
pub fn page_error(lang: Lang, err: &ServerFnError) -> AnyView {
    let t = lang.texts();
    let message = match err {
        ServerFnError::ServerError(message) => message.as_str(),
        _ => "",
    };
    if message.ends_with("not found") {
        return view! { <NotFound /> }.into_any();
    }
    let (title, body) = if message == NOT_ALLOWED {
        (t.forbidden_title, t.forbidden_body)
    } else {
        (t.load_error, t.load_error)
    };
    view! {
        <PublicLayout lang title=title>
            <h1>{title}</h1>
            <p class="form-failure" role="alert">
                {body}
            </p>
        </PublicLayout>
    }
    .into_any()
}
