//! The survey form: an island, so that it is interactive where JavaScript
//! runs (progress, errors beside each question without a reload) and a
//! plain form posting to the same server function where it does not.

use std::collections::{BTreeMap, BTreeSet};

use leptos::html::Div;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::server_fns::SubmitSurvey;
use domain::i18n::Lang;
use domain::model::{
    ElementKind, FieldError, NOT_APPLICABLE, ProfileField, RespondentType, SubmissionMethod,
    SurveyChannel, SurveyCriterion, SurveyPageData, SurveyValues,
};

/// The id of the element that shows the message about `field`
/// (`answers.A1` → `q-A1`, `respondent.type` → `f-respondent-type`).
pub fn field_anchor(field: &str) -> String {
    match field.strip_prefix("answers.") {
        Some(code) => format!("q-{code}"),
        None => format!("f-{}", field.replace(['.', '_'], "-")),
    }
}

type Errors = RwSignal<Vec<FieldError>>;

/// The message about `field`, if any, as a reactive closure.
fn message_for(
    errors: Errors,
    field: String,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        errors.with(|list| {
            list.iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    }
}

/// Forgets the message about `field` once the respondent changes it.
fn clear_error(errors: Errors, field: &str) {
    errors.update(|list| list.retain(|e| e.field != field));
}

#[island]
pub fn SurveyForm(data: SurveyPageData) -> impl IntoView {
    let lang = data.lang;
    let t = lang.texts();
    let pending = RwSignal::new(false);
    let errors: Errors = RwSignal::new(data.errors.clone());
    let failure = RwSignal::new(None::<String>);
    let csrf = RwSignal::new(data.csrf_token.clone());
    let hydrated = RwSignal::new(false);
    let summary_ref = NodeRef::<Div>::new();

    let required: Vec<String> = data
        .elements
        .iter()
        .filter(|e| e.kind.is_required())
        .flat_map(|e| e.criteria.iter().map(|c| c.code.clone()))
        .collect();
    let total_required = required.len();
    let answered = RwSignal::new(
        data.values
            .answers
            .keys()
            .filter(|code| required.contains(code))
            .cloned()
            .collect::<BTreeSet<String>>(),
    );
    let labels = StoredValue::new(field_labels(&data));

    Effect::new(move |_| hydrated.set(true));
    // Where JavaScript runs the form posts itself and shows what comes back
    // without a reload; the request is the one the plain form would send.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use crate::error::PageError;
            use domain::model::SubmitOutcome;
            if pending.get_untracked() {
                return;
            }
            let Some(body) = submission::form_body(&ev) else {
                failure.set(Some(t.err_network.to_owned()));
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
    };

    let values = data.values.clone();
    let sections = data
        .elements
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
                        values.answers.get(&criterion.code).cloned(),
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
        .collect_view();

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

            {move || {
                let list = errors.get();
                (!list.is_empty())
                    .then(|| {
                        view! {
                            <div
                                class="error-summary"
                                id="error-summary"
                                role="alert"
                                tabindex="-1"
                                node_ref=summary_ref
                            >
                                <h2>{t.error_summary}</h2>
                                <ul>
                                    {list
                                        .into_iter()
                                        .map(|e| {
                                            let label = labels
                                                .with_value(|l| l.get(&e.field).cloned())
                                                .unwrap_or_else(|| e.field.clone());
                                            view! {
                                                <li>
                                                    <a href=format!(
                                                        "#{}",
                                                        field_anchor(&e.field),
                                                    )>{format!("{label}: {}", e.message)}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </div>
                        }
                    })
            }}

            {move || {
                hydrated
                    .get()
                    .then(|| {
                        let count = move || answered.with(BTreeSet::len);
                        view! {
                            <div class="progress" aria-live="polite">
                                <label for="survey-progress">{t.progress_label}</label>
                                <progress
                                    id="survey-progress"
                                    max=total_required
                                    value=count
                                ></progress>
                                <span>{move || lang.answered_progress(count(), total_required)}</span>
                            </div>
                        }
                    })
            }}

            <p class="required-note">{t.required_note}</p>
            {profile_section(&data, errors)}
            {sections}
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

/// The island's request, written against the browser's own `fetch` and
/// `FormData`: what the framework's server action would do, without the
/// query-string serializer and HTTP client it brings into the wasm bundle.
#[cfg(feature = "hydrate")]
mod submission {
    use leptos::prelude::window;
    use leptos::server_fn::ServerFn;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Headers, RequestInit, Response, UrlSearchParams};
    use wasm_bindgen_futures::JsFuture;

    use crate::error::PageError;
    use crate::server_fns::SubmitSurvey;
    use domain::model::SubmitOutcome;

    /// The form's fields (with the button that submitted it) as the
    /// url-encoded body a plain form post would carry.
    pub fn form_body(ev: &leptos::ev::SubmitEvent) -> Option<UrlSearchParams> {
        let form_data = leptos::form::form_data_from_event(ev).ok()?;
        UrlSearchParams::new_with_str_sequence_sequence(&form_data).ok()
    }

    /// Posts `body` to the submit server function asking for JSON. A
    /// refusal comes back as a [`PageError`] of its kind, from the server
    /// function or from the security middleware in front of it.
    pub async fn post(body: UrlSearchParams) -> Result<SubmitOutcome, PageError> {
        let transport = |what: &str| PageError::Transport {
            message: what.to_owned(),
        };
        let headers = Headers::new().map_err(|_| transport("headers"))?;
        headers
            .set("Accept", "application/json")
            .map_err(|_| transport("headers"))?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&body);
        let reply = JsFuture::from(window().fetch_with_str_and_init(SubmitSurvey::url(), &init))
            .await
            .map_err(|_| transport("network"))?;
        let reply: Response = reply.dyn_into().map_err(|_| transport("reply"))?;
        let text = match reply.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        if reply.ok() {
            serde_json::from_str(&text).map_err(|_| transport("unreadable reply"))
        } else {
            Err(serde_json::from_str(&text)
                .unwrap_or_else(|_| transport(&format!("status {}", reply.status()))))
        }
    }
}

/// Field name → what the error summary calls it.
fn field_labels(data: &SurveyPageData) -> BTreeMap<String, String> {
    let t = data.lang.texts();
    let mut labels: BTreeMap<String, String> = data
        .elements
        .iter()
        .flat_map(|e| &e.criteria)
        .map(|c| {
            (
                format!("answers.{}", c.code),
                format!("{}. {}", c.code, c.text),
            )
        })
        .collect();
    for (field, label) in [
        ("respondent.type", t.respondent_type_label),
        ("respondent.department", t.department_label),
        ("respondent.procedure", t.procedure_label),
        ("respondent.submission_method", t.submission_method_label),
        ("comment", t.comment_label),
        ("invitation_code", t.invitation_code_label),
        ("submitted_on", t.entry_date_label),
        ("channel", t.entry_channel_label),
        ("draft", t.resume_code_label),
    ] {
        labels.insert(field.to_owned(), label.to_owned());
    }
    labels
}

/// One criterion: a fieldset of radio buttons on its scale.
fn question(
    criterion: &SurveyCriterion,
    required: bool,
    initial: Option<String>,
    lang: Lang,
    errors: Errors,
    answered: RwSignal<BTreeSet<String>>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let field = format!("answers.{}", criterion.code);
    let anchor = field_anchor(&field);
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
    let message = message_for(errors, field.clone());
    let scale_class = format!("options scale-{}", criterion.scale.code());
    let described_by = error_id.clone();
    view! {
        <fieldset class="question" id=anchor aria-describedby=described_by>
            <legend>
                <span class="question-code">{format!("{}.", criterion.code)}</span>
                " "
                {criterion.text.clone()}
                {required
                    .then(|| {
                        view! {
                            <span class="required" aria-hidden="true">
                                " *"
                            </span>
                            <span class="visually-hidden">{format!(" {}", t.required_mark)}</span>
                        }
                    })}
            </legend>
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            <div class=scale_class>{options}</div>
        </fieldset>
    }
}

/// A paragraph with the message about a field, while there is one.
fn error_note(errors: Errors, field: &str, id: &str) -> impl IntoView + use<> {
    let message = message_for(errors, field.to_owned());
    let id = id.to_owned();
    move || message().map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
}

/// Radio buttons for a profile question.
fn radio_group(
    name: &'static str,
    field: &'static str,
    choices: Vec<(&'static str, &'static str)>,
    chosen: &str,
    errors: Errors,
) -> impl IntoView + use<> {
    let anchor = field_anchor(field);
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
                        on:change=move |_| clear_error(errors, field)
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view()
}

/// Who the respondent is, which department and procedure, how they
/// submitted: the profile questions the instrument asks.
fn profile_section(data: &SurveyPageData, errors: Errors) -> impl IntoView + use<> {
    let lang = data.lang;
    let t = lang.texts();
    let values = &data.values;
    let asks = |field: ProfileField| data.profile_fields.contains(&field);

    let source = if data.staff_entry {
        entry_source(values, lang, errors).into_any()
    } else {
        invitation_field(&values.invitation_code, lang, errors).into_any()
    };

    let types = RespondentType::ALL
        .into_iter()
        .map(|kind| (kind.code(), lang.respondent_type(kind)))
        .collect();
    let respondent = view! {
        <fieldset class="question" id="f-respondent-type" aria-describedby="f-respondent-type-error">
            <legend>
                {t.respondent_type_label}
                <span class="required" aria-hidden="true">
                    " *"
                </span>
                <span class="visually-hidden">{format!(" {}", t.required_mark)}</span>
            </legend>
            {error_note(errors, "respondent.type", "f-respondent-type-error")}
            <div class="options">
                {radio_group("respondent_type", "respondent.type", types, &values.respondent_type, errors)}
            </div>
        </fieldset>
    };

    let department = asks(ProfileField::Department).then(|| {
        let options = data
            .departments
            .iter()
            .map(|d| view! { <option value=d.code.clone() selected=values.department == d.code>{d.label.clone()}</option> })
            .collect_view();
        view! {
            <div class="field">
                <label for="f-respondent-department">
                    {t.department_label}
                    <span class="required" aria-hidden="true">
                        " *"
                    </span>
                </label>
                {error_note(errors, "respondent.department", "f-respondent-department-error")}
                <select
                    id="f-respondent-department"
                    name="department"
                    aria-describedby="f-respondent-department-error"
                    on:change=move |_| clear_error(errors, "respondent.department")
                >
                    <option value="" selected=values.department.is_empty()>
                        {t.department_placeholder}
                    </option>
                    {options}
                </select>
            </div>
        }
    });

    let procedure = asks(ProfileField::Procedure).then(|| {
        let groups = data
            .departments
            .iter()
            .filter(|d| data.procedures.iter().any(|p| p.department_code == d.code))
            .map(|d| {
                let options = data
                    .procedures
                    .iter()
                    .filter(|p| p.department_code == d.code)
                    .map(|p| view! { <option value=p.code.clone() selected=values.procedure == p.code>{p.label.clone()}</option> })
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
                {error_note(errors, "respondent.procedure", "f-respondent-procedure-error")}
                <select
                    id="f-respondent-procedure"
                    name="procedure"
                    aria-describedby="f-respondent-procedure-hint f-respondent-procedure-error"
                    on:change=move |_| {
                        clear_error(errors, "respondent.procedure");
                        clear_error(errors, "respondent.department");
                    }
                >
                    <option value="" selected=values.procedure.is_empty()>
                        {t.procedure_placeholder}
                    </option>
                    {groups}
                </select>
            </div>
        }
    });

    let method = asks(ProfileField::SubmissionMethod).then(|| {
        let methods = SubmissionMethod::ALL
            .into_iter()
            .map(|m| (m.code(), lang.submission_method(m)))
            .collect();
        view! {
            <fieldset
                class="question"
                id="f-respondent-submission-method"
                aria-describedby="f-respondent-submission-method-error"
            >
                <legend>{t.submission_method_label}</legend>
                {error_note(errors, "respondent.submission_method", "f-respondent-submission-method-error")}
                <div class="options">
                    {radio_group(
                        "submission_method",
                        "respondent.submission_method",
                        methods,
                        &values.submission_method,
                        errors,
                    )}
                </div>
            </fieldset>
        }
    });

    view! {
        <section class="form-section" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{t.profile_heading}</h2>
            {source}
            {respondent}
            {department}
            {procedure}
            {method}
        </section>
    }
}

/// The one-use code of an invitation (filled in from a personal link).
fn invitation_field(code: &str, lang: Lang, errors: Errors) -> impl IntoView + use<> {
    let t = lang.texts();
    view! {
        <div class="field">
            <label for="f-invitation-code">{t.invitation_code_label}</label>
            {error_note(errors, "invitation_code", "f-invitation-code-error")}
            <input
                id="f-invitation-code"
                name="invitation_code"
                type="text"
                autocomplete="off"
                autocapitalize="characters"
                value=code.to_owned()
                aria-describedby="f-invitation-code-error"
                on:input=move |_| clear_error(errors, "invitation_code")
            />
        </div>
    }
}

/// Staff entry: where the response came from and the date written on it.
fn entry_source(values: &SurveyValues, lang: Lang, errors: Errors) -> impl IntoView + use<> {
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
        "paper"
    } else {
        values.channel.as_str()
    };
    view! {
        <fieldset class="question" id="f-channel" aria-describedby="f-channel-error">
            <legend>{t.entry_channel_label}</legend>
            {error_note(errors, "respondent.channel", "f-channel-error")}
            <div class="options">{radio_group("channel", "respondent.channel", channels, chosen, errors)}</div>
        </fieldset>
        <div class="field">
            <label for="f-submitted-on">{t.entry_date_label}</label>
            {error_note(errors, "submitted_on", "f-submitted-on-error")}
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

fn comment_field(initial: &str, lang: Lang, errors: Errors) -> impl IntoView + use<> {
    let t = lang.texts();
    let message = message_for(errors, "comment".to_owned());
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
                {move || {
                    message()
                        .map(|m| {
                            view! {
                                <p class="field-error" id="f-comment-error">
                                    {m}
                                </p>
                            }
                        })
                }}
                <textarea
                    id="f-comment"
                    name="comment"
                    rows="5"
                    maxlength="4000"
                    aria-describedby="f-comment-hint f-comment-error"
                    on:input=move |_| clear_error(errors, "comment")
                >
                    {super::escape_raw_text(initial)}
                </textarea>
            </div>
        </section>
    }
}
