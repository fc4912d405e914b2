//! The profile questions: where the response comes from (an invitation
//! code, or for staff the channel and date of a paper form), who the
//! respondent is, which department and procedure, how they submitted.

use leptos::prelude::*;

use super::questions::{error_note, radio_group, required_mark};
use domain::i18n::Lang;
use domain::model::{
    FieldError, ProfileField, RespondentType, SubmissionMethod, SurveyChannel, SurveyField,
    SurveyPageData, SurveyValues,
};

/// The profile questions the instrument asks.
pub fn profile_section(data: &SurveyPageData) -> impl IntoView + use<> {
    let errors = data.errors.as_slice();
    let lang = data.lang;
    let values = &data.values;
    let asks = |field: ProfileField| data.profile_fields.contains(&field);
    let source = if data.staff_entry {
        entry_source(values, lang, errors).into_any()
    } else {
        invitation_field(&values.invitation_code, lang, errors).into_any()
    };
    view! {
        <section class="form-section" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{lang.texts().profile_heading}</h2>
            {source}
            {respondent_type_question(lang, &data.respondent_types, &values.respondent_type, errors)}
            {asks(ProfileField::Department).then(|| department_select(data, errors))}
            {asks(ProfileField::Procedure).then(|| procedure_select(data, errors))}
            {asks(ProfileField::SubmissionMethod)
                .then(|| submission_method_question(lang, &values.submission_method, errors))}
        </section>
    }
}

fn respondent_type_question(
    lang: Lang,
    kinds: &[RespondentType],
    chosen: &str,
    errors: &[FieldError],
) -> impl IntoView + use<> {
    let types = kinds
        .iter()
        .map(|kind| (kind.code(), lang.respondent_type(*kind)))
        .collect();
    view! {
        <fieldset class="question" id="f-respondent-type" aria-describedby="f-respondent-type-error">
            <legend>{lang.texts().respondent_type_label}{required_mark(lang)}</legend>
            {error_note(errors, &SurveyField::RespondentType)}
            <div class="options">
                {radio_group("respondent_type", SurveyField::RespondentType, types, chosen)}
            </div>
        </fieldset>
    }
}

fn department_select(data: &SurveyPageData, errors: &[FieldError]) -> impl IntoView + use<> {
    let t = data.lang.texts();
    let chosen = &data.values.department;
    let options = data
        .departments
        .iter()
        .map(|d| view! { <option value=d.code.clone() selected=*chosen == d.code>{d.label.clone()}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for="f-respondent-department">
                {t.department_label}
                <span class="required" aria-hidden="true">
                    " *"
                </span>
            </label>
            {error_note(errors, &SurveyField::Department)}
            <select
                id="f-respondent-department"
                name="department"
                aria-describedby="f-respondent-department-error"
            >
                <option value="" selected=chosen.is_empty()>
                    {t.department_placeholder}
                </option>
                {options}
            </select>
        </div>
    }
}

/// Procedures grouped under their departments.
fn procedure_select(data: &SurveyPageData, errors: &[FieldError]) -> impl IntoView + use<> {
    let t = data.lang.texts();
    let chosen = &data.values.procedure;
    let groups = data
        .departments
        .iter()
        .filter(|d| data.procedures.iter().any(|p| p.department_code == d.code))
        .map(|d| {
            let options = data
                .procedures
                .iter()
                .filter(|p| p.department_code == d.code)
                .map(|p| view! { <option value=p.code.clone() selected=*chosen == p.code>{p.label.clone()}</option> })
                .collect_view();
            view! { <optgroup label=d.label.clone()>{options}</optgroup> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for="f-respondent-procedure">{t.procedure_label}</label>
            <p class="hint" id="f-respondent-procedure-hint">
                {t.procedure_hint}
            </p>
            {error_note(errors, &SurveyField::Procedure)}
            <select
                id="f-respondent-procedure"
                name="procedure"
                aria-describedby="f-respondent-procedure-hint f-respondent-procedure-error"
            >
                <option value="" selected=chosen.is_empty()>
                    {t.procedure_placeholder}
                </option>
                {groups}
            </select>
        </div>
    }
}

fn submission_method_question(
    lang: Lang,
    chosen: &str,
    errors: &[FieldError],
) -> impl IntoView + use<> {
    let methods = SubmissionMethod::ALL
        .iter()
        .map(|m| (m.code(), lang.submission_method(*m)))
        .collect();
    view! {
        <fieldset
            class="question"
            id="f-respondent-submission-method"
            aria-describedby="f-respondent-submission-method-error"
        >
            <legend>{lang.texts().submission_method_label}</legend>
            {error_note(errors, &SurveyField::SubmissionMethod)}
            <div class="options">
                {radio_group("submission_method", SurveyField::SubmissionMethod, methods, chosen)}
            </div>
        </fieldset>
    }
}

/// The one-use code of an invitation (filled in from a personal link).
fn invitation_field(code: &str, lang: Lang, errors: &[FieldError]) -> impl IntoView + use<> {
    let t = lang.texts();
    view! {
        <div class="field">
            <label for="f-invitation-code">{t.invitation_code_label}</label>
            {error_note(errors, &SurveyField::InvitationCode)}
            <input
                id="f-invitation-code"
                name="invitation_code"
                type="text"
                autocomplete="off"
                autocapitalize="characters"
                value=code.to_owned()
                aria-describedby="f-invitation-code-error"
            />
        </div>
    }
}

/// Staff entry: where the response came from and the date written on it.
fn entry_source(values: &SurveyValues, lang: Lang, errors: &[FieldError]) -> impl IntoView + use<> {
    let t = lang.texts();
    let channels: Vec<(&'static str, &'static str)> = [
        SurveyChannel::Paper,
        SurveyChannel::Phone,
        SurveyChannel::Kiosk,
    ]
    .into_iter()
    .map(|c| (c.code(), lang.channel(c)))
    .collect();
    let chosen = if values.channel.is_empty() {
        SurveyChannel::Paper.code()
    } else {
        values.channel.as_str()
    };
    view! {
        <fieldset class="question" id="f-channel" aria-describedby="f-channel-error">
            <legend>{t.entry_channel_label}</legend>
            {error_note(errors, &SurveyField::Channel)}
            <div class="options">{radio_group("channel", SurveyField::Channel, channels, chosen)}</div>
        </fieldset>
        <div class="field">
            <label for="f-submitted-on">{t.entry_date_label}</label>
            {error_note(errors, &SurveyField::SubmittedOn)}
            <input
                id="f-submitted-on"
                name="submitted_on"
                type="date"
                value=values.submitted_on.clone()
                aria-describedby="f-submitted-on-error"
            />
        </div>
    }
}
