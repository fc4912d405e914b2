//! The survey form: a plain form posting to the submit server function,
//! drawn on the server, inside a small island that makes it interactive
//! where JavaScript runs (progress, errors beside each question without a
//! reload, a message of its own for each kind of refusal).
//!
//! The questions ([`profile`], [`questions`]) are the island's children:
//! rendered on the server and never sent to the browser as code, so the
//! wasm holds only [`island`] (the form element, its summary of problems,
//! progress and buttons), [`summary`] and [`submission`].

mod island;
mod profile;
mod questions;
#[cfg(feature = "hydrate")]
mod submission;
mod summary;

use leptos::prelude::*;

use domain::model::{ElementKind, SurveyField, SurveyPageData};
pub use island::{FormIsland, SurveyFormIsland};
use profile::profile_section;
use questions::{comment_field, question};

/// The whole form for `data`: the island around the questions.
#[component]
pub fn SurveyForm(data: SurveyPageData) -> impl IntoView {
    let form = FormIsland {
        lang: data.lang,
        slug: data.round.slug.clone(),
        idempotency_key: data.idempotency_key.clone(),
        csrf_token: data.csrf_token.clone(),
        draft_code: data.draft_code.clone(),
        staff_entry: data.staff_entry,
        required: data
            .elements
            .iter()
            .filter(|e| e.kind.is_required())
            .flat_map(|e| e.criteria.iter().map(|c| c.code.clone()))
            .collect(),
        errors: data.errors.clone(),
        labels: field_labels(&data),
    };
    view! {
        <SurveyFormIsland form>
            {(!data.render_stamp.is_empty()).then(|| view! {
                <input type="hidden" name="rendered" value=data.render_stamp.clone() />
            })}
            {profile_section(&data)}
            {sections(&data)}
            {data.asks_comment.then(|| comment_field(&data.values.comment, data.lang, &data.errors))}
        </SurveyFormIsland>
    }
}

/// What the error summary calls each field, by the field's path.
fn field_labels(data: &SurveyPageData) -> Vec<(String, String)> {
    let t = data.lang.texts();
    let criteria = data.elements.iter().flat_map(|e| &e.criteria).map(|c| {
        (
            SurveyField::Answer(c.code.clone()).path(),
            format!("{}. {}", c.code, c.text),
        )
    });
    let profile = [
        (SurveyField::RespondentType, t.respondent_type_label),
        (SurveyField::Department, t.department_label),
        (SurveyField::Procedure, t.procedure_label),
        (SurveyField::SubmissionMethod, t.submission_method_label),
        (SurveyField::Comment, t.comment_label),
        (SurveyField::InvitationCode, t.invitation_code_label),
        (SurveyField::SubmittedOn, t.entry_date_label),
        (SurveyField::Channel, t.entry_channel_label),
        (SurveyField::Draft, t.resume_code_label),
    ]
    .into_iter()
    .map(|(field, label)| (field.path(), label.to_owned()));
    criteria.chain(profile).collect()
}

/// The instrument's sections, each with its questions.
fn sections(data: &SurveyPageData) -> impl IntoView + use<> {
    let lang = data.lang;
    let t = lang.texts();
    data.elements
        .iter()
        .map(|element| {
            let intro = match element.kind {
                ElementKind::Perception => Some(t.perception_intro),
                ElementKind::Expectation => Some(t.expectation_intro),
                ElementKind::Index | ElementKind::Overall => None,
            };
            let questions = element
                .criteria
                .iter()
                .map(|criterion| {
                    question(
                        criterion,
                        element.kind.is_required(),
                        data.values.answers.get(&criterion.code).cloned(),
                        lang,
                        &data.errors,
                    )
                })
                .collect_view();
            view! {
                <section class="form-section" aria-labelledby=format!("el-{}", element.code)>
                    <h2 id=format!("el-{}", element.code)>
                        {format!("{}. {}", element.code, element.title)}
                    </h2>
                    {intro.map(|text| view! { <p class="section-intro">{text}</p> })}
                    {questions}
                </section>
            }
        })
        .collect_view()
}
