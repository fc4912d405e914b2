//! Loading a page's data: the page waits for its server function, then
//! shows the data or, for a failure, the page the kind of error calls for.

use std::future::Future;

use leptos::prelude::*;

use crate::components::PublicLayout;
use crate::error::PageError;
use crate::pages::NotFound;
use domain::i18n::Lang;

/// Renders `render(data)` once `load` gives the data, or the error page.
pub fn load_page<T, V>(
    lang: Lang,
    load: impl Future<Output = Result<T, PageError>> + Send + 'static,
    render: impl FnOnce(T) -> V + Send + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    V: IntoView + 'static,
{
    let page = Suspend::new(async move {
        match load.await {
            Ok(data) => render(data).into_any(),
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// Not found, not allowed, or could not load: chosen by the kind of the
/// error. The status code is already on the response; a visitor who is not
/// signed in was sent to sign in.
pub fn page_error(lang: Lang, err: &PageError) -> AnyView {
    let t = lang.texts();
    let title = match err {
        PageError::NotFound { .. } => return view! { <NotFound /> }.into_any(),
        PageError::Forbidden => t.forbidden_title,
        _ => lang.island_texts().load_error,
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
