//! The survey form: an island, so that it is interactive where JavaScript
//! runs (progress, errors beside each question without a reload, a message
//! of its own for each kind of refusal) and a plain form posting to the same
//! server function where it does not.
//!
//! [`profile`] and [`questions`] draw the fields, [`summary`] the list of
//! problems, [`submission`] sends the form from the browser.

mod profile;
mod questions;
#[cfg(feature = "hydrate")]
mod submission;
mod summary;

use std::collections::BTreeSet;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::server_fns::SubmitSurvey;
use domain::i18n::Lang;
use domain::model::{ElementKind, FieldError, SurveyField, SurveyPageData};
use profile::profile_section;
use questions::{comment_field, question};
use summary::{ErrorSummary, field_labels};

/// The problems shown on the form, by field.
type Errors = RwSignal<Vec<FieldError>>;

/// The message about `field`, if any, as a reactive closure.
fn message_for(
    errors: Errors,
    field: &SurveyField,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + use<> {
    let path = field.path();
    move || {
        errors.with(|list| {
            list.iter()
                .find(|e| e.field == path)
                .map(|e| e.message.clone())
        })
    }
}

/// Forgets the message about `field` once the respondent changes it.
fn clear_error(errors: Errors, field: &SurveyField) {
    let path = field.path();
    errors.update(|list| list.retain(|e| e.field != path));
}

#[island]
pub fn SurveyForm(data: SurveyPageData) -> impl IntoView {
    let lang = data.lang;
    let t = lang.texts();
    let pending = RwSignal::new(false);
    let errors: Errors = RwSignal::new(data.errors.clone());
    let failure = RwSignal::new(None::<String>);
    let csrf = RwSignal::new(data.csrf_token.clone());
    let summary_ref = NodeRef::<Div>::new();

    let required: Vec<String> = data
        .elements
        .iter()
        .filter(|e| e.kind.is_required())
        .flat_map(|e| e.criteria.iter().map(|c| c.code.clone()))
        .collect();
    let answered = RwSignal::new(
        data.values
            .answers
            .keys()
            .filter(|code| required.contains(code))
            .cloned()
            .collect::<BTreeSet<String>>(),
    );

    // Where JavaScript runs the form posts itself and shows what comes back
    // without a reload; the request is the one the plain form would send.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        send(&ev, lang, pending, errors, failure, csrf, summary_ref);
    };

    view! {
        <form
            class="survey-form"
            method="post"
            action=SubmitSurvey::url()
            on:submit=on_submit
            novalidate
        >
            <input type="hidden" name="slug" value=data.round.slug.clone() />
            <input type="hidden" name="lang" value=lang.code() />
            <input type="hidden" name="idempotency_key" value=data.idempotency_key.clone() />
            <input type="hidden" name="csrf_token" value=move || csrf.get() />
            {data
                .draft_code
                .clone()
                .map(|code| view! { <input type="hidden" name="draft_code" value=code /> })}
            <ErrorSummary lang errors labels=field_labels(&data) node_ref=summary_ref />
            <Progress lang answered total=required.len() />
            <p class="required-note">{t.required_note}</p>
            {profile_section(&data, errors)}
            {sections(&data, errors, answered)}
            {data.asks_comment.then(|| comment_field(&data.values.comment, lang, errors))}
            {move || failure.get().map(|m| view! { <p class="form-failure" role="alert">{m}</p> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || if pending.get() { t.submitting } else { t.submit }}
                </button>
                {(!data.staff_entry)
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
fn Progress(lang: Lang, answered: RwSignal<BTreeSet<String>>, total: usize) -> impl IntoView {
    let t = lang.texts();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    move || {
        hydrated.get().then(|| {
            let count = move || answered.with(BTreeSet::len);
            view! {
                <div class="progress" aria-live="polite">
                    <label for="survey-progress">{t.progress_label}</label>
                    <progress id="survey-progress" max=total value=count></progress>
                    <span>{move || lang.answered_progress(count(), total)}</span>
                </div>
            }
        })
    }
}

/// The instrument's sections, each with its questions.
fn sections(
    data: &SurveyPageData,
    errors: Errors,
    answered: RwSignal<BTreeSet<String>>,
) -> impl IntoView + use<> {
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
                        errors,
                        answered,
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

/// Sends the form and shows what comes back: the receipt (or resume) page,
/// the problems beside their fields, or a message for the kind of refusal.
#[cfg(feature = "hydrate")]
fn send(
    ev: &leptos::ev::SubmitEvent,
    lang: Lang,
    pending: RwSignal<bool>,
    errors: Errors,
    failure: RwSignal<Option<String>>,
    csrf: RwSignal<String>,
    summary_ref: NodeRef<Div>,
) {
    use crate::error::PageError;
    use domain::model::SubmitOutcome;

    if pending.get_untracked() {
        return;
    }
    let Some(body) = submission::form_body(ev) else {
        failure.set(Some(lang.texts().err_network.to_owned()));
        return;
    };
    failure.set(None);
    pending.set(true);
    leptos::task::spawn_local(async move {
        match submission::post(body).await {
            Ok(
                SubmitOutcome::Stored {
                    receipt_url: url, ..
                }
                | SubmitOutcome::Saved {
                    resume_url: url, ..
                },
            ) => {
                // Stays pending while the browser leaves the page.
                let _ = window().location().set_href(&url);
            }
            Ok(SubmitOutcome::Invalid { errors: found }) => {
                pending.set(false);
                errors.set(found);
                request_animation_frame(move || {
                    if let Some(summary) = summary_ref.get_untracked() {
                        let _ = summary.focus();
                    }
                });
            }
            Err(err) => {
                pending.set(false);
                if let PageError::FormExpired { csrf_token } = &err {
                    // The refusal set a fresh cookie: the next try carries its token.
                    csrf.set(csrf_token.clone());
                }
                failure.set(Some(err.message(lang)));
            }
        }
    });
}
