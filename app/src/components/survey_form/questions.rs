//! The questions of the form: a criterion on its scale, the radio buttons
//! and messages of profile questions, and the free comment. Each names its
//! [`SurveyField`], the same the rules name in their violations.

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::{Errors, clear_error, message_for};
use crate::components::escape_raw_text;
use domain::i18n::Lang;
use domain::model::{NOT_APPLICABLE, SurveyCriterion, SurveyField};

/// One criterion: a fieldset of radio buttons on its scale.
pub fn question(
    criterion: &SurveyCriterion,
    required: bool,
    initial: Option<String>,
    lang: Lang,
    errors: Errors,
    answered: RwSignal<BTreeSet<String>>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let field = SurveyField::Answer(criterion.code.clone());
    let anchor = field.anchor();
    let error_id = format!("{anchor}-error");
    let name = format!("answers[{}]", criterion.code);
    let levels = lang.scale_levels(criterion.scale);
    let mut choices: Vec<(String, String)> = (1..=criterion.scale.max())
        .map(|level| {
            (
                level.to_string(),
                format!("{level}. {}", levels[usize::from(level - 1)]),
            )
        })
        .collect();
    if criterion.scale.allows_not_applicable() {
        choices.push((NOT_APPLICABLE.to_owned(), t.not_applicable.to_owned()));
    }
    let options = choices
        .into_iter()
        .map(|(value, label)| {
            let input_id = format!("{anchor}-{value}");
            let label_for = input_id.clone();
            let checked = initial.as_deref() == Some(value.as_str());
            let code = criterion.code.clone();
            let field = field.clone();
            let class = if value == NOT_APPLICABLE {
                "option not-applicable"
            } else {
                "option"
            };
            view! {
                <label class=class for=label_for>
                    <input
                        type="radio"
                        id=input_id
                        name=name.clone()
                        value=value
                        checked=checked
                        on:change=move |_| {
                            answered.update(|a| { a.insert(code.clone()); });
                            clear_error(errors, &field);
                        }
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    let scale_class = format!("options scale-{}", criterion.scale.code());
    let described_by = error_id.clone();
    view! {
        <fieldset class="question" id=anchor aria-describedby=described_by>
            <legend>
                <span class="question-code">{format!("{}.", criterion.code)}</span>
                " "
                {criterion.text.clone()}
                {required.then(|| required_mark(lang))}
            </legend>
            {error_note(errors, &field, &error_id)}
            <div class=scale_class>{options}</div>
        </fieldset>
    }
}

/// The star of a required question, and its words for screen readers.
pub fn required_mark(lang: Lang) -> impl IntoView + use<> {
    view! {
        <span class="required" aria-hidden="true">
            " *"
        </span>
        <span class="visually-hidden">{format!(" {}", lang.texts().required_mark)}</span>
    }
}

/// A paragraph with the message about a field, while there is one.
pub fn error_note(errors: Errors, field: &SurveyField, id: &str) -> impl IntoView + use<> {
    let message = message_for(errors, field);
    let id = id.to_owned();
    move || message().map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
}

/// Radio buttons for a profile question posted as `name`.
pub fn radio_group(
    name: &'static str,
    field: SurveyField,
    choices: Vec<(&'static str, &'static str)>,
    chosen: &str,
    errors: Errors,
) -> impl IntoView + use<> {
    let anchor = field.anchor();
    choices
        .into_iter()
        .map(|(code, label)| {
            let id = format!("{anchor}-{code}");
            let label_for = id.clone();
            let field = field.clone();
            view! {
                <label class="option" for=label_for>
                    <input
                        type="radio"
                        id=id
                        name=name
                        value=code
                        checked=chosen == code
                        on:change=move |_| clear_error(errors, &field)
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view()
}

/// The free comment ("Ý kiến góp ý khác").
pub fn comment_field(initial: &str, lang: Lang, errors: Errors) -> impl IntoView + use<> {
    let t = lang.texts();
    view! {
        <section class="form-section" aria-labelledby="f-comment-label">
            <div class="field">
                <h2>
                    <label id="f-comment-label" for="f-comment">
                        {t.comment_label}
                    </label>
                </h2>
                <p class="hint" id="f-comment-hint">
                    {t.comment_hint}
                </p>
                {error_note(errors, &SurveyField::Comment, "f-comment-error")}
                <textarea
                    id="f-comment"
                    name="comment"
                    rows="5"
                    maxlength="4000"
                    aria-describedby="f-comment-hint f-comment-error"
                    on:input=move |_| clear_error(errors, &SurveyField::Comment)
                >
                    {escape_raw_text(initial)}
                </textarea>
            </div>
        </section>
    }
}
