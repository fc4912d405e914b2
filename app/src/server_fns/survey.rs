//! Server functions of the public survey: the form, its submission (or
//! saving it for later), the receipt; and the same form for staff typing in
//! paper and phone responses.

// `submit_survey` takes one argument per form field so that the plain HTML
// form (no JavaScript) posts to it with flat input names.
#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::PageError;

use domain::i18n::Lang;
use domain::model::{ReceiptData, StaffPage, SubmitOutcome, SurveyPageData};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{AppState, auth::require},
    domain::{
        AppError,
        model::{Problem, Role},
        public_codes::normalise,
        services::{drafts, imports, responses, rounds},
    },
};

/// What the survey page was asked for beyond the round.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SurveyRequest {
    /// A saved draft to continue.
    pub draft: Option<String>,
    /// Show the draft's problems (it came back from an invalid submission).
    pub check: bool,
    /// An invitation code from a personal link.
    pub code: Option<String>,
}

/// The form of a round, filled from a draft when one is named.
/// `None` when the round does not exist or is still a draft.
#[server(prefix = "/sf", endpoint = "survey/page")]
pub async fn get_survey_page(
    slug: String,
    lang: Lang,
    request: SurveyRequest,
) -> Result<Option<SurveyPageData>, PageError> {
    Ok(survey_page(slug, lang, request, false).await?)
}

/// The same form for staff typing in a paper or phone response.
#[server(prefix = "/sf", endpoint = "survey/entry-page")]
pub async fn get_entry_page(
    slug: String,
    lang: Lang,
) -> Result<StaffPage<SurveyPageData>, PageError> {
    super::staff_page(&[Role::Admin, Role::Staff], |_, _| async move {
        survey_page(slug, lang, SurveyRequest::default(), true)
            .await?
            .ok_or(domain::AppError::NotFound("round"))
    })
    .await
}

#[cfg(feature = "ssr")]
async fn survey_page(
    slug: String,
    lang: Lang,
    request: SurveyRequest,
    staff_entry: bool,
) -> Result<Option<SurveyPageData>, domain::AppError> {
    use crate::ssr::AppState;
    use domain::model::{RoundStatus, SurveyValues};
    use domain::services::{catalogue, drafts, instruments, responses, rounds, settings};

    let state = AppState::from_context()?;
    let db = &state.db;
    let Some(round) = rounds::by_slug(db, &slug).await? else {
        return Ok(None);
    };
    if rounds::status(&round) == RoundStatus::Draft {
        return Ok(None);
    }
    let instrument = instruments::load(db, round.instrument_id).await?;
    let scope = rounds::scope(db, &round).await?;
    let (departments, procedures) = catalogue::round_choices(db, &scope, lang).await?;
    if let Some(code) = request.code.as_deref().filter(|c| !c.trim().is_empty())
        && !staff_entry
    {
        // The invitee followed their personal link (the invitations page counts it).
        domain::services::invitations::mailing::mark_opened(db, round.id, code).await?;
    }
    let mut values = SurveyValues {
        invitation_code: request.code.clone().unwrap_or_default(),
        ..SurveyValues::default()
    };
    let mut errors = Vec::new();
    let mut draft_code = None;
    if let Some(code) = request.draft.as_deref().filter(|c| !c.trim().is_empty()) {
        match drafts::load(db, round.id, code).await? {
            Some(saved) => {
                if request.check {
                    let submission = form_submission(&saved, None);
                    errors = responses::check(
                        db,
                        &round,
                        &instrument,
                        submission,
                        responses::Completeness::AllRequired,
                    )
                    .await?
                    .iter()
                    .map(|v| v.to_field_error(lang))
                    .collect();
                }
                values = saved;
                draft_code = Some(domain::public_codes::normalise(code));
            }
            None => errors.push(domain::model::FieldError {
                field: "draft".to_owned(),
                message: lang.texts().err_unknown_draft.to_owned(),
            }),
        }
    }
    // When the form was first drawn, signed, for the completion time.
    let render_stamp = if staff_entry {
        String::new()
    } else {
        let key = domain::services::quality::signing_key(db).await?;
        let now = chrono::Utc::now();
        match domain::quality::verify_render(&key, &values.rendered, now) {
            Some(_) => values.rendered.clone(),
            None => domain::quality::sign_render(&key, now),
        }
    };
    let t = lang.island_texts();
    let closed_notice = match rounds::accepts_responses(&round, chrono::Utc::now()) {
        Ok(()) => None,
        Err(domain::AppError::Conflict {
            code: domain::error::Conflict::RoundNotOpen,
            ..
        }) => Some(t.round_not_open.to_owned()),
        Err(_) => Some(t.round_closed.to_owned()),
    };
    Ok(Some(SurveyPageData {
        lang,
        agency_name: settings::agency_name_in(db, lang).await?,
        logo: domain::services::logo::url(db).await?,
        round: rounds::summary(&round, lang),
        elements: instrument.survey_elements(lang),
        profile_fields: instrument.profile_fields(),
        asks_comment: instrument.instrument.asks_comment,
        departments,
        procedures,
        intro: settings::survey_texts(db, lang).await?.0,
        respondent_types: if scope.respondent_types.is_empty() {
            domain::model::RespondentType::ALL.to_vec()
        } else {
            scope.respondent_types.clone()
        },
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        render_stamp,
        csrf_token: crate::ssr::auth::request_auth().csrf_token,
        values,
        errors,
        closed_notice,
        draft_code,
        staff_entry,
    }))
}

/// Submits the survey form, or saves it for later when `intent` is "save".
/// Input names equal these argument names, so the same form posts here
/// without JavaScript: the browser is then redirected to the receipt (or the
/// page with the resume code), or back to the form, kept as a draft, with
/// the errors. `channel` and `submitted_on` come from staff typing in a
/// paper or phone form, and only staff may send them.
#[server(prefix = "/sf", endpoint = "survey/submit")]
pub async fn submit_survey(
    slug: String,
    lang: Option<String>,
    idempotency_key: Option<String>,
    respondent_type: Option<String>,
    department: Option<String>,
    procedure: Option<String>,
    submission_method: Option<String>,
    comment: Option<String>,
    answers: Option<BTreeMap<String, String>>,
    invitation_code: Option<String>,
    draft_code: Option<String>,
    intent: Option<String>,
    channel: Option<String>,
    submitted_on: Option<String>,
    rendered: Option<String>,
    // Checked by the security middleware before this runs; an argument so
    // that the island's request carries it too.
    csrf_token: Option<String>,
) -> Result<SubmitOutcome, PageError> {
    let _ = csrf_token;
    let lang = Lang::parse(lang.as_deref());
    let values = domain::model::SurveyValues {
        answers: answers.unwrap_or_default(),
        respondent_type: respondent_type.unwrap_or_default(),
        department: department.unwrap_or_default(),
        procedure: procedure.unwrap_or_default(),
        submission_method: submission_method.unwrap_or_default(),
        comment: comment.unwrap_or_default(),
        invitation_code: invitation_code.unwrap_or_default(),
        channel: channel.unwrap_or_default(),
        submitted_on: submitted_on.unwrap_or_default(),
        rendered: rendered.unwrap_or_default(),
    };
    let save = intent.as_deref() == Some("save");

    let state = AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    let staff_entry = !values.channel.trim().is_empty() || !values.submitted_on.trim().is_empty();
    if staff_entry {
        require(&[Role::Admin, Role::Staff])?;
    }
    let draft_code = draft_code.filter(|c| !c.trim().is_empty());
    let survey_url = format!("/s/{}?lang={}", round.slug, lang.code());

    if save {
        rounds::accepts_responses(&round, chrono::Utc::now())?;
        let code = drafts::save(&state.db, round.id, &values, draft_code.as_deref()).await?;
        let resume_url = format!("/s/{}/saved/{code}?lang={}", round.slug, lang.code());
        if super::is_plain_form_post() {
            leptos_axum::redirect(&resume_url);
        }
        return Ok(SubmitOutcome::Saved {
            resume_code: code,
            resume_url,
        });
    }

    let mut submission = form_submission(&values, idempotency_key);
    submission.draft_code = draft_code.clone();
    if !staff_entry {
        // Timed from the signed stamp, placed in its network by a keyed hash.
        let key = domain::services::quality::signing_key(&state.db).await?;
        submission.started_at =
            domain::quality::verify_render(&key, &values.rendered, chrono::Utc::now());
        submission.network_hash =
            domain::quality::network_hash(&key, &crate::ssr::auth::request_auth().client_ip);
    }
    if staff_entry {
        submission.channel = Some(values.channel.clone());
        if !values.submitted_on.trim().is_empty() {
            match imports::parse_submitted_at(values.submitted_on.trim()) {
                Some(at) => submission.submitted_at = Some(at),
                None => return Err(AppError::invalid("submitted_on", Problem::InvalidValue).into()),
            }
        }
    }
    match responses::submit(
        &state.db,
        &round,
        submission,
        responses::Completeness::AllRequired,
    )
    .await
    {
        Ok(receipt) => {
            let receipt_url = if staff_entry {
                format!("/rounds/{}/entry?entered={}", round.slug, receipt.code)
            } else {
                format!(
                    "/s/{}/receipt/{}?lang={}",
                    round.slug,
                    receipt.code,
                    lang.code()
                )
            };
            if super::is_plain_form_post() {
                leptos_axum::redirect(&receipt_url);
            }
            Ok(SubmitOutcome::Stored {
                receipt_code: receipt.code,
                receipt_url,
            })
        }
        Err(AppError::Invalid(violations)) => {
            if super::is_plain_form_post() {
                let code =
                    drafts::save(&state.db, round.id, &values, draft_code.as_deref()).await?;
                let back = if staff_entry {
                    format!("/rounds/{}/entry?draft={code}", round.slug)
                } else {
                    format!("{survey_url}&draft={code}&check=1")
                };
                leptos_axum::redirect(&format!("{back}#error-summary"));
            }
            Ok(SubmitOutcome::Invalid {
                errors: violations.iter().map(|v| v.to_field_error(lang)).collect(),
            })
        }
        Err(err @ AppError::Conflict { .. }) => {
            // The round closed meanwhile: the form page says so.
            if super::is_plain_form_post() {
                leptos_axum::redirect(&survey_url);
            }
            Err(err.into())
        }
        Err(err) => Err(err.into()),
    }
}

/// The receipt of a stored response; `None` when the code is unknown.
#[server(prefix = "/sf", endpoint = "survey/receipt")]
pub async fn get_receipt(
    slug: String,
    code: String,
    lang: Lang,
) -> Result<Option<ReceiptData>, PageError> {
    let state = AppState::from_context()?;
    let Some(round) = rounds::by_slug(&state.db, &slug).await? else {
        return Ok(None);
    };
    let Some(receipt) = responses::find_receipt(&state.db, round.id, &normalise(&code)).await?
    else {
        return Ok(None);
    };
    Ok(Some(ReceiptData {
        lang,
        round: rounds::summary(&round, lang),
        feedback_code: domain::services::feedback::tracking_code_of_response(
            &state.db,
            receipt.response_id,
        )
        .await?,
        receipt_code: receipt.code,
        submitted_at: domain::i18n::local_time(receipt.submitted_at),
        thanks: domain::services::settings::survey_texts(&state.db, lang)
            .await?
            .1,
    }))
}

/// The round of a saved draft, to show its resume code; `None` when unknown.
#[server(prefix = "/sf", endpoint = "survey/saved")]
pub async fn get_saved_draft(
    slug: String,
    code: String,
    lang: Lang,
) -> Result<Option<domain::model::RoundSummary>, PageError> {
    let state = AppState::from_context()?;
    let Some(round) = rounds::by_slug(&state.db, &slug).await? else {
        return Ok(None);
    };
    Ok(drafts::load(&state.db, round.id, &code)
        .await?
        .map(|_| rounds::summary(&round, lang)))
}

/// Reads the web form's text values: "1".."5" are levels, "na" is not applicable.
#[cfg(feature = "ssr")]
fn form_submission(
    values: &domain::model::SurveyValues,
    idempotency_key: Option<String>,
) -> domain::services::responses::Submission {
    use domain::model::NOT_APPLICABLE;
    use domain::services::responses::{AnswerInput, AnswerValue, Submission};

    let answers = values
        .answers
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(code, value)| AnswerInput {
            code: code.clone(),
            value: match value.trim() {
                NOT_APPLICABLE => AnswerValue::NotApplicable,
                level => level
                    .parse::<i64>()
                    .map_or(AnswerValue::Unreadable, AnswerValue::Level),
            },
        })
        .collect();
    Submission {
        answers,
        respondent_type: Some(values.respondent_type.clone()),
        department: Some(values.department.clone()),
        procedure: Some(values.procedure.clone()),
        submission_method: Some(values.submission_method.clone()),
        channel: Some("web".to_owned()),
        comment: Some(values.comment.clone()),
        idempotency_key,
        submitted_at: None,
        invitation_code: Some(values.invitation_code.clone()),
        ..Submission::default()
    }
}
