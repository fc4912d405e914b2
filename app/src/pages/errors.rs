//! What a page shows when its data cannot be loaded.

use leptos::prelude::*;

use crate::components::PublicLayout;
use crate::error::PageError;
use crate::pages::NotFound;
use domain::i18n::Lang;

/// Not found, not allowed, or could not load: chosen by the kind of the
/// error. The status code is already on the response; a visitor who is not
/// signed in was sent to sign in.
pub fn page_error(lang: Lang, err: &PageError) -> AnyView {
    let t = lang.texts();
    let title = match err {
        PageError::NotFound { .. } => return view! { <NotFound /> }.into_any(),
        PageError::Forbidden => t.forbidden_title,
        _ => t.load_error,
    };
    let body = err.message(lang);
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
