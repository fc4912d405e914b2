//! Tables of figures and lists: scrollable on a phone, captioned for screen
//! readers, numbers right-aligned; and the pager under a long list.

use leptos::prelude::*;

use domain::i18n::Lang;

/// A column heading; numeric columns are right-aligned.
pub struct Column {
    label: String,
    numeric: bool,
}

impl Column {
    pub fn text(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            numeric: false,
        }
    }

    pub fn num(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            numeric: true,
        }
    }
}

/// A data table whose rows are the children (`<tr>`s).
#[component]
pub fn DataTable(
    #[prop(into)] caption: String,
    columns: Vec<Column>,
    /// The table's id, for links and tests.
    #[prop(optional, into)]
    id: Option<String>,
    /// Keep the caption for screen readers only (a heading above says it).
    #[prop(optional)]
    caption_hidden: bool,
    children: Children,
) -> impl IntoView {
    let headings = columns
        .into_iter()
        .map(|c| {
            let class = c.numeric.then_some("num");
            view! { <th scope="col" class=class>{c.label}</th> }
        })
        .collect_view();
    let caption_class = caption_hidden.then_some("visually-hidden");
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data" id=id>
                <caption class=caption_class>{caption}</caption>
                <thead>
                    <tr>{headings}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// Links to the previous and next page, keeping the other query parameters.
pub fn pager(lang: Lang, base: &str, query: &str, page: u64, pages: u64) -> impl IntoView + use<> {
    let f = lang.feedback_texts();
    let link = |to: u64| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("{base}?{query}{sep}page={to}")
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=f.page_of>
                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{f.previous_page}</a> })}
                <span>{format!("{} {page}/{pages}", f.page_of)}</span>
                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{f.next_page}</a> })}
            </nav>
        }
    })
}
