//! The pieces of a form that survives without JavaScript: labelled fields
//! with their hint and the message about them, selects, the summary of a
//! form's problems, and what a form left behind after a failed attempt (its
//! flash). Every staff and public form is built from these.

use leptos::prelude::*;

use crate::components::escape_raw_text;
use domain::i18n::Lang;
use domain::model::FormFlash;

/// The message about `field` of `form`, if the last attempt left one.
pub fn field_error(flash: &Option<FormFlash>, form: &str, field: &str) -> Option<String> {
    flash
        .as_ref()
        .filter(|f| f.form == form)
        .and_then(|f| f.error(field))
}

/// What was entered in `field` of `form` before it came back with errors.
pub fn entered(flash: &Option<FormFlash>, form: &str, field: &str) -> String {
    flash
        .as_ref()
        .filter(|f| f.form == form)
        .map(|f| f.value(field))
        .unwrap_or_default()
}

/// The message beside a field, with the id its input names in `aria-describedby`.
pub fn error_line(message: Option<String>, id: String) -> impl IntoView {
    message.map(|m| view! { <p class="field-error" id=id>{m}</p> })
}

/// One labelled text input (or textarea) with its error and hint.
pub struct TextField<'a> {
    /// The form's id in the flash, e.g. "feedback".
    pub form: &'a str,
    /// The posted name, e.g. "feedback[content]".
    pub name: String,
    /// The field as violations name it, e.g. "content".
    pub key: &'a str,
    pub id: String,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub kind: &'static str,
    /// The height of a textarea, in lines (inputs ignore it).
    pub rows: u32,
    pub value: String,
    pub required: bool,
    pub autocomplete: Option<&'static str>,
}

impl TextField<'_> {
    pub fn view(self, flash: &Option<FormFlash>) -> impl IntoView + use<> {
        let error = field_error(flash, self.form, self.key);
        let invalid = error.is_some().then_some("true");
        let error_id = format!("{}-error", self.id);
        let hint_id = format!("{}-hint", self.id);
        let described = if self.hint.is_some() {
            format!("{error_id} {hint_id}")
        } else {
            error_id.clone()
        };
        let control = if self.kind == "textarea" {
            view! {
                <textarea id=self.id.clone() name=self.name rows=self.rows required=self.required aria-invalid=invalid aria-describedby=described>
                    {escape_raw_text(&self.value)}
                </textarea>
            }
            .into_any()
        } else {
            view! {
                <input id=self.id.clone() name=self.name type=self.kind value=self.value required=self.required autocomplete=self.autocomplete aria-invalid=invalid aria-describedby=described />
            }
            .into_any()
        };
        view! {
            <div class="field">
                <label for=self.id>{self.label}</label>
                {self.hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                {error_line(error, error_id)}
                {control}
            </div>
        }
    }
}

/// `<option>`s for `choices`, with `chosen` selected and a "choose" first.
pub fn options(
    choose: &'static str,
    choices: Vec<(String, String)>,
    chosen: &str,
) -> impl IntoView + use<> {
    let chosen = chosen.to_owned();
    view! {
        <option value="">{choose}</option>
        {choices
            .into_iter()
            .map(|(code, label)| {
                let selected = code == chosen;
                view! { <option value=code selected=selected>{label}</option> }
            })
            .collect_view()}
    }
}

/// A select with its label and error.
#[allow(clippy::too_many_arguments)]
pub fn select_field(
    flash: &Option<FormFlash>,
    form: &str,
    key: &str,
    id: &str,
    name: String,
    label: &'static str,
    choose: &'static str,
    choices: Vec<(String, String)>,
    chosen: &str,
) -> impl IntoView + use<> {
    let error = field_error(flash, form, key);
    let invalid = error.is_some().then_some("true");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.to_owned()>{label}</label>
            {error_line(error, error_id.clone())}
            <select id=id.to_owned() name=name aria-invalid=invalid aria-describedby=error_id>
                {options(choose, choices, chosen)}
            </select>
        </div>
    }
}

/// The list of a form's errors at its top, linking to each field.
pub fn error_summary(
    lang: Lang,
    flash: &Option<FormFlash>,
    form: &str,
    prefix: &str,
) -> impl IntoView + use<> {
    let errors: Vec<_> = flash
        .iter()
        .filter(|f| f.form == form)
        .flat_map(|f| f.errors.iter().filter(|e| e.field != "form").cloned())
        .collect();
    (!errors.is_empty()).then(|| {
        let items = errors
            .into_iter()
            .map(|e| {
                let href = format!("#{prefix}-{}", e.field.replace('_', "-"));
                view! { <li><a href=href>{e.message}</a></li> }
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
                <h2>{lang.island_texts().error_summary}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}
