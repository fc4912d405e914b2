//! The list of problems at the top of the form, each linking to its field.

use std::collections::BTreeMap;

use leptos::html::Div;
use leptos::prelude::*;

use super::Errors;
use domain::i18n::Lang;
use domain::model::{SurveyField, SurveyPageData};

/// What the error summary calls each field.
pub fn field_labels(data: &SurveyPageData) -> BTreeMap<SurveyField, String> {
    let t = data.lang.texts();
    let mut labels: BTreeMap<SurveyField, String> = data
        .elements
        .iter()
        .flat_map(|e| &e.criteria)
        .map(|c| {
            (
                SurveyField::Answer(c.code.clone()),
                format!("{}. {}", c.code, c.text),
            )
        })
        .collect();
    for (field, label) in [
        (SurveyField::RespondentType, t.respondent_type_label),
        (SurveyField::Department, t.department_label),
        (SurveyField::Procedure, t.procedure_label),
        (SurveyField::SubmissionMethod, t.submission_method_label),
        (SurveyField::Comment, t.comment_label),
        (SurveyField::InvitationCode, t.invitation_code_label),
        (SurveyField::SubmittedOn, t.entry_date_label),
        (SurveyField::Channel, t.entry_channel_label),
        (SurveyField::Draft, t.resume_code_label),
    ] {
        labels.insert(field, label.to_owned());
    }
    labels
}

/// The summary, while there are problems; focused after a failed submission.
#[component]
pub fn ErrorSummary(
    lang: Lang,
    errors: Errors,
    labels: BTreeMap<SurveyField, String>,
    node_ref: NodeRef<Div>,
) -> impl IntoView {
    let t = lang.texts();
    let labels = StoredValue::new(labels);
    move || {
        let list = errors.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|e| {
                    let field = SurveyField::parse(&e.field);
                    let label = field
                        .as_ref()
                        .and_then(|f| labels.with_value(|l| l.get(f).cloned()))
                        .unwrap_or_else(|| e.field.clone());
                    let anchor = field.map_or_else(|| e.field.clone(), |f| f.anchor());
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
