//! The island: the form element with what changes while a person fills it
//! in. The questions come in as children, drawn on the server; the island
//! keeps their messages in step with its list of problems, counts the
//! answers, and sends the form with `fetch`.

use leptos::html::{Div, Form};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

use super::summary::ErrorSummary;
use crate::server_fns::SubmitSurvey;
use domain::i18n::Lang;
use domain::model::FieldError;

/// What the island needs from the page, sent to the browser with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormIsland {
    pub lang: Lang,
    pub slug: String,
    pub idempotency_key: String,
    pub csrf_token: String,
    /// The resume code of the saved draft this form continues, if any.
    pub draft_code: Option<String>,
    /// Staff typing in a paper or phone response (no "save for later").
    pub staff_entry: bool,
    /// The codes of the criteria that must be answered.
    pub required: Vec<String>,
    /// The problems found when the page was drawn.
    pub errors: Vec<FieldError>,
    /// What the error summary calls each field, by the field's path.
    pub labels: Vec<(String, String)>,
}

/// The problems shown on the form, by field.
pub(super) type Errors = RwSignal<Vec<FieldError>>;

#[island]
pub fn SurveyFormIsland(form: FormIsland, children: Children) -> impl IntoView {
    let FormIsland {
        lang,
        slug,
        idempotency_key,
        csrf_token,
        draft_code,
        staff_entry,
        required,
        errors,
        labels,
    } = form;
    let t = lang.island_texts();
    let total = required.len();
    let pending = RwSignal::new(false);
    let errors: Errors = RwSignal::new(errors);
    let failure = RwSignal::new(None::<String>);
    let csrf = RwSignal::new(csrf_token);
    // How many required questions are answered; known once the island runs.
    let answered = RwSignal::new(None::<usize>);
    let summary_ref = NodeRef::<Div>::new();
    let form_ref = NodeRef::<Form>::new();

    let required = StoredValue::new(required);
    #[cfg(feature = "hydrate")]
    {
        // The island wakes at the first touch or key, so a choice may be made
        // before it runs (or restored by the browser): count what the form holds.
        Effect::new(move |_| {
            if let Some(form) = form_ref.get() {
                answered.set(Some(browser::count_answered(&form, required)));
            }
        });
        // The messages beside the questions follow the list of problems.
        Effect::new(move |_| {
            if let Some(form) = form_ref.get() {
                errors.with(|list| browser::show_messages(&form, list));
            }
        });
    }
    // A changed answer forgets its problem and moves the progress.
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::changed(&ev, required, errors, answered, form_ref);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, required);
    };
    // Where JavaScript runs the form posts itself and shows what comes back
    // without a reload; the request is the one the plain form would send.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        super::submission::send(&ev, lang, pending, errors, failure, csrf, summary_ref);
    };

    view! {
        <form
            node_ref=form_ref
            class="survey-form"
            method="post"
            action=SubmitSurvey::url()
            on:submit=on_submit
            on:change=on_change
            on:input=on_change
            novalidate
        >
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="lang" value=lang.code() />
            <input type="hidden" name="idempotency_key" value=idempotency_key />
            <input type="hidden" name="csrf_token" value=move || csrf.get() />
            {draft_code.map(|code| view! { <input type="hidden" name="draft_code" value=code /> })}
            <ErrorSummary lang errors labels node_ref=summary_ref />
            <Progress lang answered total />
            <p class="required-note">{t.required_note}</p>
            {children()}
            {move || failure.get().map(|m| view! { <p class="form-failure" role="alert">{m}</p> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || if pending.get() { t.submitting } else { t.submit }}
                </button>
                {(!staff_entry)
                    .then(|| {
                        view! {
                            <button
                                type="submit"
                                name="intent"
                                value="save"
                                class="button"
                                disabled=move || pending.get()
                            >
                                {t.save_for_later}
                            </button>
                        }
                    })}
            </div>
        </form>
    }
}

/// How many required questions are answered: drawn only once the island
/// runs in the browser (without JavaScript it could not move).
#[component]
fn Progress(lang: Lang, answered: RwSignal<Option<usize>>, total: usize) -> impl IntoView {
    let t = lang.island_texts();
    move || {
        answered.get().map(|count| {
            view! {
                <div class="progress" aria-live="polite">
                    <label for="survey-progress">{t.progress_label}</label>
                    <progress id="survey-progress" max=total value=count></progress>
                    <span>{lang.answered_progress(count, total)}</span>
                </div>
            }
        })
    }
}

/// What the island does to the questions drawn on the server.
#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, FormData, HtmlFormElement};

    use super::Errors;
    use crate::components::survey_form::questions::criterion_input_name;
    use domain::model::{FieldError, SurveyField};

    pub fn count_answered(form: &HtmlFormElement, required: StoredValue<Vec<String>>) -> usize {
        FormData::new_with_form(form).map_or(0, |fields| {
            required.with_value(|codes| {
                codes
                    .iter()
                    .filter(|code| fields.has(&criterion_input_name(code)))
                    .count()
            })
        })
    }

    /// Writes each field's message in its paragraph, and empties the rest.
    pub fn show_messages(form: &HtmlFormElement, errors: &[FieldError]) {
        let Ok(paragraphs) = form.query_selector_all(".field-error") else {
            return;
        };
        for i in 0..paragraphs.length() {
            let Some(paragraph) = paragraphs.item(i) else {
                continue;
            };
            let id = paragraph
                .dyn_ref::<Element>()
                .map(Element::id)
                .unwrap_or_default();
            let message = errors.iter().find(|e| {
                SurveyField::parse(&e.field).is_some_and(|f| format!("{}-error", f.anchor()) == id)
            });
            paragraph.set_text_content(message.map(|e| e.message.as_str()));
        }
    }

    pub fn changed(
        ev: &leptos::ev::Event,
        required: StoredValue<Vec<String>>,
        errors: Errors,
        answered: RwSignal<Option<usize>>,
        form: NodeRef<leptos::html::Form>,
    ) {
        let name = ev
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|element| element.get_attribute("name"));
        if let Some(field) = name.as_deref().and_then(SurveyField::of_input) {
            // A procedure names its department: choosing one answers both.
            let also = (field == SurveyField::Procedure).then(|| SurveyField::Department.path());
            let path = field.path();
            let concerned = |e: &FieldError| e.field == path || Some(&e.field) == also.as_ref();
            if errors.with_untracked(|list| list.iter().any(concerned)) {
                errors.update(|list| list.retain(|e| !concerned(e)));
            }
        }
        if let Some(form) = form.get_untracked() {
            answered.set(Some(count_answered(&form, required)));
        }
    }
}
