//! Server functions that get a round to respondents and their answers in:
//! invitation lists, staff entry of paper and phone responses, and imports
//! of response files.

use leptos::prelude::*;

use crate::error::PageError;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use domain::i18n::Lang;
use domain::model::{ImportJobView, InvitationProgress, InvitationsPageData, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{
        auth::{ANY_ROLE, request_auth, require},
        cookies::{request_lang, set_flash},
    },
    domain::{
        AppError,
        model::{FormFlash, Role},
        services::{audit::Actor, dossiers, imports, invitations, invitations::mailing, rounds},
    },
};

/// The file of an upload form, with its other fields by name (the CSRF
/// field among them, which the security middleware has checked already).
#[cfg(feature = "ssr")]
pub(crate) struct Upload {
    pub fields: std::collections::BTreeMap<String, String>,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[cfg(feature = "ssr")]
impl Upload {
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
pub(crate) async fn read_upload(data: MultipartData) -> Result<Upload, domain::AppError> {
    use domain::AppError;
    use domain::model::Problem;
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| AppError::Internal("multipart data missing on the server".to_owned()))?;
    let (mut fields, mut file_name, mut bytes) =
        (std::collections::BTreeMap::new(), String::new(), Vec::new());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::Malformed {
            field: String::new(),
            message: e.to_string(),
        })?
    {
        match field.name().map(str::to_owned) {
            Some(name) if name != "file" => {
                fields.insert(name, field.text().await.unwrap_or_default());
            }
            Some(_) => {
                file_name = field.file_name().unwrap_or("upload").to_owned();
                bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::Malformed {
                        field: "file".to_owned(),
                        message: e.to_string(),
                    })?
                    .to_vec();
            }
            _ => {}
        }
    }
    if bytes.is_empty() {
        return Err(AppError::invalid("file", Problem::Required));
    }
    Ok(Upload {
        fields,
        file_name,
        bytes,
    })
}

#[server(prefix = "/sf", endpoint = "rounds/invitations")]
pub async fn get_invitations_page(
    slug: String,
    lang: Lang,
) -> Result<StaffPage<InvitationsPageData>, PageError> {
    let mut page = super::staff_page(ANY_ROLE, |state, principal| async move {
        let round = rounds::require(&state.db, &slug).await?;
        let ip = request_auth().client_ip;
        Ok(InvitationsPageData {
            round: rounds::summary(&round, lang),
            invitations: invitations::list(&state.db, &principal, &ip, &round, "invitations page")
                .await?,
            base_url: state.public_base_url().await?,
            problems: Vec::new(),
            progress: mailing::progress(&state.db, round.id).await?,
            reminder_days: round.reminder_days.clone().unwrap_or_default(),
            may_send: principal.has_role(mailing::SENDERS),
            sample: dossiers::sampling::plan(&state.db, &round, chrono::Utc::now()).await?,
        })
    })
    .await?;
    // The problems of a refused import travel in the flash.
    if let Some(flash) = page.flash.as_ref().filter(|f| f.form == "invitations")
        && let Some(report) = flash.values.get("problems")
    {
        page.data.problems = serde_json::from_str(report).unwrap_or_default();
    }
    Ok(page)
}

/// Where the round's invitations by e-mail stand (the invitations page
/// polls it while messages wait). `csrf_token` is checked by the security
/// layer, as for every call from a page.
#[server(prefix = "/sf", endpoint = "rounds/invitations/progress")]
pub async fn get_invitation_progress(
    slug: String,
    csrf_token: Option<String>,
) -> Result<InvitationProgress, PageError> {
    let _ = csrf_token;
    require(ANY_ROLE)?;
    let state = crate::ssr::AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    Ok(mailing::progress(&state.db, round.id).await?)
}

/// Queues the round's invitation e-mails (those not sent yet) in
/// `mail_lang` (Vietnamese unless English is chosen); the page says how many.
#[server(prefix = "/sf", endpoint = "rounds/invitations/send")]
pub async fn send_invitations(slug: String, mail_lang: Option<String>) -> Result<(), PageError> {
    let principal = require(mailing::SENDERS)?;
    let state = crate::ssr::AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let back_to = format!("/rounds/{slug}/invitations");
    // The recipients' language, not the page's: Vietnamese unless chosen.
    let lang = Lang::parse(mail_lang.as_deref());
    match mailing::queue(&state.db, &principal, &actor, &round, lang).await {
        Ok(queued) => {
            set_flash(&FormFlash {
                form: "invitations-send".to_owned(),
                values: [("queued".to_owned(), queued.to_string())].into(),
                ..FormFlash::default()
            })
            .await?;
            leptos_axum::redirect(&back_to);
            Ok(())
        }
        Err(refused) => {
            crate::server_fns::admin::finish_form(
                "invitations-send",
                &back_to,
                Err(refused),
                Default::default(),
            )
            .await
        }
    }
}

/// The page behind the link in every survey e-mail; `None` for an unknown round.
#[server(prefix = "/sf", endpoint = "survey/unsubscribe-page")]
pub async fn get_unsubscribe_page(
    slug: String,
    code: String,
    lang: Lang,
) -> Result<Option<domain::model::UnsubscribePage>, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let Some(round) = rounds::by_slug(&state.db, &slug).await? else {
        return Ok(None);
    };
    let invitee = invitations::find(&state.db, round.id, &code).await?;
    Ok(Some(domain::model::UnsubscribePage {
        round: rounds::summary(&round, lang),
        agency_name: domain::services::settings::agency_name_in(&state.db, lang).await?,
        known: invitee.is_some(),
        unsubscribed: invitee.is_some_and(|i| i.unsubscribed_at.is_some()),
        csrf_token: request_auth().csrf_token,
    }))
}

/// The invitee of `code` asks for no more survey mail (the link in every
/// survey e-mail; no account).
#[server(prefix = "/sf", endpoint = "survey/unsubscribe")]
pub async fn unsubscribe(slug: String, code: String) -> Result<(), PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    mailing::unsubscribe(&state.db, &round, &code).await?;
    leptos_axum::redirect(&format!(
        "/s/{slug}/unsubscribe?done=1&lang={}",
        request_lang().code()
    ));
    Ok(())
}

/// Draws the round's sample from the dossiers completed in its half-year
/// and creates its invitations (once).
#[server(prefix = "/sf", endpoint = "rounds/invitations/sample")]
pub async fn draw_sample(slug: String) -> Result<(), PageError> {
    let principal = require(mailing::SENDERS)?;
    let state = crate::ssr::AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let outcome = dossiers::sampling::draw(&state.db, &actor, &round, chrono::Utc::now()).await;
    crate::server_fns::admin::finish_form(
        "invitations-sample",
        &format!("/rounds/{slug}/invitations"),
        outcome.map(|_| Some("sample-drawn".to_owned())),
        std::collections::BTreeMap::new(),
    )
    .await
}

/// Sets the round's reminder schedule ("7, 14": days after the invitation).
#[server(prefix = "/sf", endpoint = "rounds/invitations/reminders")]
pub async fn set_reminder_days(slug: String, reminder_days: String) -> Result<(), PageError> {
    let principal = require(mailing::SENDERS)?;
    let state = crate::ssr::AppState::from_context()?;
    let round = rounds::require(&state.db, &slug).await?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let outcome =
        mailing::set_reminder_days(&state.db, &principal, &actor, &round, &reminder_days).await;
    crate::server_fns::admin::finish_form(
        "invitations-reminders",
        &format!("/rounds/{slug}/invitations"),
        outcome.map(|_| Some("reminders-saved".to_owned())),
        [("reminder_days".to_owned(), reminder_days)].into(),
    )
    .await
}

/// A file refused as a whole (unreadable, or beyond a limit): a browser's
/// plain form shows why on its page; any other caller gets a 422 naming it.
#[cfg(feature = "ssr")]
fn refused_file(problems: &[domain::model::RowProblem]) -> Option<AppError> {
    let file = problems.iter().find(|p| p.field == "file" && p.line <= 1)?;
    (!super::is_plain_form_post()).then(|| {
        AppError::invalid(
            "file",
            domain::model::Problem::Malformed(file.message.clone()),
        )
    })
}

/// Imports an invitation list (CSV or XLSX); all rows or none.
#[server(input = MultipartFormData, prefix = "/sf", endpoint = "rounds/invitations/import")]
pub async fn import_invitations(data: MultipartData) -> Result<(), PageError> {
    let principal = require(&[Role::Admin, Role::Staff])?;
    let state = crate::ssr::AppState::from_context()?;
    let upload = read_upload(data).await?;
    let (slug, file_name, bytes) = (upload.field("slug"), upload.file_name, upload.bytes);
    let round = rounds::require(&state.db, &slug).await?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let outcome = invitations::import(
        &state.db,
        &actor,
        &round,
        &file_name,
        &bytes,
        request_lang(),
    )
    .await?;
    if let Some(refused) = refused_file(&outcome.problems) {
        return Err(refused.into());
    }
    let flash = if outcome.problems.is_empty() {
        FormFlash {
            form: "invitations".to_owned(),
            notice: Some("invitations-imported".to_owned()),
            values: [("stored".to_owned(), outcome.stored.to_string())].into(),
            ..FormFlash::default()
        }
    } else {
        // At most the first 200 problems travel (the flash is a cookie).
        let shown: Vec<_> = outcome.problems.iter().take(200).cloned().collect();
        FormFlash {
            form: "invitations".to_owned(),
            values: [
                (
                    "problems".to_owned(),
                    serde_json::to_string(&shown).unwrap_or_default(),
                ),
                ("total".to_owned(), outcome.problems.len().to_string()),
            ]
            .into(),
            ..FormFlash::default()
        }
    };
    set_flash(&flash).await?;
    leptos_axum::redirect(&format!("/rounds/{slug}/invitations"));
    Ok(())
}

/// Starts importing a file of paper and phone responses; the job's page shows its progress.
#[server(input = MultipartFormData, prefix = "/sf", endpoint = "rounds/responses/import")]
pub async fn import_responses(data: MultipartData) -> Result<String, PageError> {
    let principal = require(&[Role::Admin, Role::Staff])?;
    let state = crate::ssr::AppState::from_context()?;
    let upload = read_upload(data).await?;
    let (slug, file_name, bytes) = (upload.field("slug"), upload.file_name, upload.bytes);
    let round = rounds::require(&state.db, &slug).await?;
    rounds::accepts_responses(&round, chrono::Utc::now())?;
    let actor = Actor::of(&principal, &request_auth().client_ip);
    let (job, rows) = imports::create(
        &state.db,
        &actor,
        &round,
        &file_name,
        &bytes,
        request_lang(),
    )
    .await?;
    if let Some(refused) = refused_file(&imports::view(&job, &slug).problems) {
        return Err(refused.into());
    }
    let public_id = job.public_id.clone();
    if job.status == "pending" {
        let db = state.db.clone();
        tokio::spawn(async move {
            if let Err(err) = imports::run(&db, job, &round, rows, |_, _| {}).await {
                tracing::error!(error = %err, "import job could not record its outcome");
            }
        });
    }
    leptos_axum::redirect(&format!("/rounds/{slug}/imports/{public_id}"));
    Ok(public_id)
}

#[server(prefix = "/sf", endpoint = "rounds/imports/job")]
pub async fn get_import_page(
    slug: String,
    job: String,
) -> Result<StaffPage<ImportJobView>, PageError> {
    super::staff_page(ANY_ROLE, |state, _| async move {
        let round = rounds::require(&state.db, &slug).await?;
        let found = imports::find(&state.db, round.id, &job)
            .await?
            .ok_or(AppError::NotFound("import"))?;
        Ok(imports::view(&found, &round.slug))
    })
    .await
}
