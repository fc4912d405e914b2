//! The questions of the form: a criterion on its scale, the radio buttons
//! and messages of profile questions, and the free comment. Each names its
//! [`SurveyField`], the same the rules name in their violations. They are
//! drawn on the server only; the island fills and clears their messages.

use leptos::prelude::*;

use crate::components::escape_raw_text;
use domain::i18n::Lang;
use domain::model::{FieldError, NOT_APPLICABLE, SurveyCriterion, SurveyField};

/// One criterion: a fieldset of radio buttons on its scale.
pub fn question(
    criterion: &SurveyCriterion,
    required: bool,
    initial: Option<String>,
    lang: Lang,
    errors: &[FieldError],
) -> impl IntoView + use<> {
    let t = lang.texts();
    let field = SurveyField::Answer(criterion.code.clone());
    let anchor = field.anchor();
    let error_id = format!("{anchor}-error");
    let name = criterion_input_name(&criterion.code);
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
            {error_note(errors, &field)}
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

/// The name a criterion's radio buttons post under, `answers[A1]`.
pub fn criterion_input_name(code: &str) -> String {
    format!("answers[{code}]")
}

/// The paragraph for the message about a field, `{anchor}-error`: always
/// there (empty and hidden by the stylesheet without a message) so that
/// the island can fill it after a submission without a reload.
pub fn error_note(errors: &[FieldError], field: &SurveyField) -> impl IntoView + use<> {
    let path = field.path();
    let message = errors
        .iter()
        .find(|e| e.field == path)
        .map(|e| e.message.clone());
    view! { <p class="field-error" id=format!("{}-error", field.anchor())>{message}</p> }
}

/// Radio buttons for a profile question posted as `name`.
pub fn radio_group(
    name: &'static str,
    field: SurveyField,
    choices: Vec<(&'static str, &'static str)>,
    chosen: &str,
) -> impl IntoView + use<> {
    let anchor = field.anchor();
    choices
        .into_iter()
        .map(|(code, label)| {
            let id = format!("{anchor}-{code}");
            let label_for = id.clone();
            view! {
                <label class="option" for=label_for>
                    <input
                        type="radio"
                        id=id
                        name=name
                        value=code
                        checked=chosen == code
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view()
}

/// The free comment ("Ý kiến góp ý khác").
pub fn comment_field(initial: &str, lang: Lang, errors: &[FieldError]) -> impl IntoView + use<> {
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
                {error_note(errors, &SurveyField::Comment)}
                <textarea
                    id="f-comment"
                    name="comment"
                    rows="5"
                    maxlength="4000"
                    aria-describedby="f-comment-hint f-comment-error"
                >
                    {escape_raw_text(initial)}
                </textarea>
            </div>
        </section>
    }
}
