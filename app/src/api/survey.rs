//! Server functions of the public survey: the form, its submission and the receipt.

// `submit_survey` takes one argument per form field so that the plain HTML
// form (no JavaScript) posts to it with flat input names.
#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::{ReceiptData, SubmitOutcome, SurveyPageData};

/// The form of a round, filled from a draft when `draft` names one.
/// `None` when the round does not exist or is still a draft.
#[server(prefix = "/sf", endpoint = "survey/page")]
pub async fn get_survey_page(
    slug: String,
    lang: Lang,
    draft: Option<String>,
) -> Result<Option<SurveyPageData>, ServerFnError> {
    survey_page(slug, lang, draft)
        .await
        .map_err(super::server_error)
}

#[cfg(feature = "ssr")]
async fn survey_page(
    slug: String,
    lang: Lang,
    draft: Option<String>,
) -> Result<Option<SurveyPageData>, crate::ssr::AppError> {
    use crate::model::{RoundStatus, SurveyValues};
    use crate::ssr::AppState;
    use crate::ssr::services::{catalogue, drafts, instruments, responses, rounds, settings};

    let state = AppState::from_context()?;
    let db = &state.db;
    let Some(round) = rounds::by_slug(db, &slug).await? else {
        return Ok(None);
    };
    if rounds::status(&round) == RoundStatus::Draft {
        return Ok(None);
    }
    let instrument = instruments::load(db, round.instrument_id).await?;
    let (departments, procedures) = catalogue::choices(db, lang).await?;
    let mut values = SurveyValues::default();
    let mut errors = Vec::new();
    if let Some(code) = draft.as_deref().filter(|c| !c.trim().is_empty())
        && let Some(saved) = drafts::load(db, round.id, code).await?
    {
        let submission = form_submission(&saved, None);
        errors = responses::check(
            db,
            &instrument,
            submission,
            responses::Completeness::AllRequired,
        )
        .await?
        .iter()
        .map(|v| v.to_field_error(lang))
        .collect();
        values = saved;
    }
    let t = lang.texts();
    let closed_notice = match rounds::accepts_responses(&round, chrono::Utc::now()) {
        Ok(()) => None,
        Err(crate::ssr::AppError::Conflict {
            code: "round_not_open",
            ..
        }) => Some(t.round_not_open.to_owned()),
        Err(_) => Some(t.round_closed.to_owned()),
    };
    Ok(Some(SurveyPageData {
        lang,
        agency_name: settings::agency_name(db).await?,
        round: rounds::summary(&round, lang),
        elements: instrument.survey_elements(lang),
        departments,
        procedures,
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        csrf_token: crate::ssr::auth::request_auth().csrf_token,
        values,
        errors,
        closed_notice,
    }))
}

/// Submits the survey form. Input names equal these argument names, so the
/// same form posts here without JavaScript: the browser is then redirected
/// to the receipt, or back to the form (kept as a draft) with the errors.
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
    // Checked by the security middleware before this runs; an argument so
    // that the island's request carries it too.
    csrf_token: Option<String>,
) -> Result<SubmitOutcome, ServerFnError> {
    let _ = csrf_token;
    let lang = Lang::parse(lang.as_deref());
    let values = crate::model::SurveyValues {
        answers: answers.unwrap_or_default(),
        respondent_type: respondent_type.unwrap_or_default(),
        department: department.unwrap_or_default(),
        procedure: procedure.unwrap_or_default(),
        submission_method: submission_method.unwrap_or_default(),
        comment: comment.unwrap_or_default(),
    };
    submit_form(slug, lang, idempotency_key, values)
        .await
        .map_err(super::server_error)
}

#[cfg(feature = "ssr")]
async fn submit_form(
    slug: String,
    lang: Lang,
    idempotency_key: Option<String>,
    values: crate::model::SurveyValues,
) -> Result<SubmitOutcome, crate::ssr::AppError> {
    use crate::ssr::services::{drafts, responses, rounds};
    use crate::ssr::{AppError, AppState};

    let state = AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    let submission = form_submission(&values, idempotency_key);
    let survey_url = format!("/s/{}?lang={}", round.slug, lang.code());
    match responses::submit(
        &state.db,
        &round,
        submission,
        responses::Completeness::AllRequired,
    )
    .await
    {
        Ok(receipt) => {
            let receipt_url = format!(
                "/s/{}/receipt/{}?lang={}",
                round.slug,
                receipt.code,
                lang.code()
            );
            if is_plain_form_post() {
                leptos_axum::redirect(&receipt_url);
            }
            Ok(SubmitOutcome::Stored {
                receipt_code: receipt.code,
                receipt_url,
            })
        }
        Err(AppError::Invalid(violations)) => {
            if is_plain_form_post() {
                let code = drafts::save(&state.db, round.id, &values).await?;
                leptos_axum::redirect(&format!("{survey_url}&draft={code}#error-summary"));
            }
            Ok(SubmitOutcome::Invalid {
                errors: violations.iter().map(|v| v.to_field_error(lang)).collect(),
            })
        }
        Err(err @ AppError::Conflict { .. }) => {
            // The round closed meanwhile: the form page says so.
            if is_plain_form_post() {
                leptos_axum::redirect(&survey_url);
            }
            Err(err)
        }
        Err(err) => Err(err),
    }
}

/// The receipt of a stored response; `None` when the code is unknown.
#[server(prefix = "/sf", endpoint = "survey/receipt")]
pub async fn get_receipt(
    slug: String,
    code: String,
    lang: Lang,
) -> Result<Option<ReceiptData>, ServerFnError> {
    receipt(slug, code, lang).await.map_err(super::server_error)
}

#[cfg(feature = "ssr")]
async fn receipt(
    slug: String,
    code: String,
    lang: Lang,
) -> Result<Option<ReceiptData>, crate::ssr::AppError> {
    use crate::ssr::AppState;
    use crate::ssr::codes::normalise;
    use crate::ssr::services::{responses, rounds};

    let state = AppState::from_context()?;
    let Some(round) = rounds::by_slug(&state.db, &slug).await? else {
        return Ok(None);
    };
    let Some(receipt) = responses::find_receipt(&state.db, round.id, &normalise(&code)).await?
    else {
        return Ok(None);
    };
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    Ok(Some(ReceiptData {
        lang,
        round: rounds::summary(&round, lang),
        receipt_code: receipt.code,
        submitted_at: receipt
            .submitted_at
            .with_timezone(&vietnam)
            .format("%d/%m/%Y %H:%M")
            .to_string(),
    }))
}

/// A form post from a browser without JavaScript (it accepts HTML), as
/// opposed to a call from the island, which wants the outcome as data.
#[cfg(feature = "ssr")]
fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Reads the web form's text values: "1".."5" are levels, "na" is not applicable.
#[cfg(feature = "ssr")]
fn form_submission(
    values: &crate::model::SurveyValues,
    idempotency_key: Option<String>,
) -> crate::ssr::services::responses::Submission {
    use crate::model::NOT_APPLICABLE;
    use crate::ssr::services::responses::{AnswerInput, AnswerValue, Submission};

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
    }
}
