//! The list of problems at the top of the form, each linking to its field.

use leptos::html::Div;
use leptos::prelude::*;

use super::island::Errors;
use domain::i18n::Lang;
use domain::model::SurveyField;

/// The summary, while there are problems; focused after a failed submission.
#[component]
pub fn ErrorSummary(
    lang: Lang,
    errors: Errors,
    labels: Vec<(String, String)>,
    node_ref: NodeRef<Div>,
) -> impl IntoView {
    let t = lang.island_texts();
    let labels = StoredValue::new(labels);
    move || {
        let list = errors.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|e| {
                    let label = labels
                        .with_value(|l| {
                            l.iter()
                                .find(|(path, _)| *path == e.field)
                                .map(|(_, label)| label.clone())
                        })
                        .unwrap_or_else(|| e.field.clone());
                    let anchor = SurveyField::parse(&e.field)
                        .map_or_else(|| e.field.clone(), |f| f.anchor());
                    view! {
                        <li>
                            <a href=format!("#{anchor}")>{format!("{label}: {}", e.message)}</a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div
                    class="error-summary"
                    id="error-summary"
                    role="alert"
                    tabindex="-1"
                    node_ref=node_ref
                >
                    <h2>{t.error_summary}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}
