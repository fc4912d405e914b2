use leptos::prelude::*;

use crate::components::{PublicLayout, respond_not_found, use_lang};

#[component]
pub fn NotFound() -> impl IntoView {
    respond_not_found();
    let lang = use_lang();
    let t = lang.texts();
    view! {
        <PublicLayout lang title=t.not_found_title>
            <h1>{t.not_found_title}</h1>
            <p>{lang.island_texts().not_found_body}</p>
            <p>
                <a href=format!("/?lang={}", lang.code())>{t.back_home}</a>
            </p>
        </PublicLayout>
    }
}
