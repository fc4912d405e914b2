//! Message templates: the list, the editor with its preview, and saving a
//! new version. Admins only.

use leptos::prelude::*;

use crate::error::PageError;
use domain::model::{StaffPage, TemplateEditorPage, TemplateListRow};

#[cfg(feature = "ssr")]
use {
    crate::ssr::cookies::{request_lang, set_flash},
    domain::{
        AppError,
        i18n::Lang,
        model::{FormFlash, MessageKind, MessageTemplate, Role},
        services::message_templates,
    },
    std::collections::BTreeMap,
};

/// The kind and language named in an address, or not found.
#[cfg(feature = "ssr")]
fn named(kind: &str, lang: &str) -> Result<(MessageKind, Lang), AppError> {
    let not_found = || AppError::NotFound("message template");
    let kind = MessageKind::parse(kind).ok_or_else(not_found)?;
    let lang = message_templates::lang_of(lang).ok_or_else(not_found)?;
    Ok((kind, lang))
}

/// Every message people receive, in both languages, with the version in use.
#[server(prefix = "/sf", endpoint = "admin/messages")]
pub async fn get_templates_page() -> Result<StaffPage<Vec<TemplateListRow>>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        message_templates::list(&state.db).await
    })
    .await
}

/// The editor of one kind and language: the draft coming back from a
/// preview or a refused save, else version `from` (0: the built-in
/// wording), else the version in use.
#[server(prefix = "/sf", endpoint = "admin/messages/editor")]
pub async fn get_template_editor(
    kind: String,
    lang: String,
    from: Option<i32>,
) -> Result<StaffPage<TemplateEditorPage>, PageError> {
    super::staff_page_with_flash(&[Role::Admin], |state, _, flash| async move {
        let (kind, template_lang) = named(&kind, &lang)?;
        let draft = flash
            .filter(|f| f.form == "template" && !f.values.is_empty())
            .map(|f| MessageTemplate {
                subject: f.value("subject"),
                body: f.value("body"),
                sms: f.value("sms"),
            });
        let base_url = state.public_base_url().await?;
        message_templates::editor(
            &state.db,
            kind,
            template_lang,
            from,
            draft,
            &base_url,
            request_lang(),
        )
        .await
    })
    .await
}

/// Shows the draft's preview (`intent=preview`) or saves it as a new
/// version; either way the editor comes back with what was typed.
#[server(prefix = "/sf", endpoint = "admin/messages/save")]
pub async fn save_template(
    kind: String,
    lang: String,
    subject: String,
    body: String,
    sms: String,
    intent: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let (kind, template_lang) = named(&kind, &lang)?;
    let back = format!("/admin/messages/{kind}/{}", template_lang.code());
    let values: BTreeMap<String, String> = [
        ("subject".to_owned(), subject.clone()),
        ("body".to_owned(), body.clone()),
        ("sms".to_owned(), sms.clone()),
    ]
    .into();
    if intent.as_deref() == Some("preview") {
        // The editor checks and renders the draft it gets back.
        set_flash(&FormFlash {
            form: "template".to_owned(),
            notice: Some("template-previewed".to_owned()),
            values,
            ..FormFlash::default()
        })
        .await?;
        leptos_axum::redirect(&back);
        return Ok(());
    }
    let draft = MessageTemplate { subject, body, sms };
    let outcome = message_templates::save(&state.db, &actor, kind, template_lang, draft)
        .await
        .map(|_| Some("template-saved".to_owned()));
    super::admin::finish_form("template", &back, outcome, values).await
}
