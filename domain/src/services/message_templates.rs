//! Message templates (docs/operations.md, "Message templates"): admins
//! edit the wording of each message people receive, per kind and language.
//! Each save is a new numbered version, checked first (known variables
//! only, the message's link kept, rendered with made-up data); the newest
//! version is what the outbox renders, and older ones can be reopened.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::AppError;
use crate::entities::{message_template, user};
use crate::i18n::{Lang, local_time};
use crate::messages::Templates;
use crate::messages::templates::{self, EDITABLE};
use crate::model::{
    MessageKind, MessageTemplate, TemplateEditorPage, TemplateListRow, TemplateVersionRow,
};
use crate::services::audit::{self, Actor};

/// The language of a template from its code in an address ("vi", "en").
pub fn lang_of(code: &str) -> Option<Lang> {
    [Lang::Vi, Lang::En].into_iter().find(|l| l.code() == code)
}

fn editable(kind: MessageKind) -> Result<(), AppError> {
    if EDITABLE.contains(&kind) {
        Ok(())
    } else {
        Err(AppError::NotFound("message template"))
    }
}

/// The templates the outbox renders with: the newest saved version of each
/// kind and language, the built-in wording for the rest.
pub async fn in_use(db: &impl ConnectionTrait) -> Result<Templates, AppError> {
    let rows = message_template::Entity::find()
        .order_by_asc(message_template::Column::Version)
        .all(db)
        .await?;
    let mut templates = Templates::builtin();
    for row in rows {
        if let Some(lang) = lang_of(&row.lang) {
            templates.set(row.kind, lang, template_of(&row));
        }
    }
    Ok(templates)
}

fn template_of(row: &message_template::Model) -> MessageTemplate {
    MessageTemplate {
        subject: row.subject.clone(),
        body: row.body.clone(),
        sms: row.sms.clone(),
    }
}

/// The display names of the users who saved `rows`.
async fn savers(
    db: &impl ConnectionTrait,
    rows: &[message_template::Model],
) -> Result<HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = rows.iter().filter_map(|r| r.saved_by).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Every editable kind in both languages, with the version in use.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<TemplateListRow>, AppError> {
    let rows = message_template::Entity::find()
        .order_by_asc(message_template::Column::Version)
        .all(db)
        .await?;
    let names = savers(db, &rows).await?;
    let mut newest: HashMap<(MessageKind, String), &message_template::Model> = HashMap::new();
    for row in &rows {
        newest.insert((row.kind, row.lang.clone()), row);
    }
    let mut list = Vec::new();
    for kind in EDITABLE {
        for lang in [Lang::Vi, Lang::En] {
            let row = newest.get(&(kind, lang.code().to_owned()));
            list.push(TemplateListRow {
                kind,
                lang,
                version: row.map(|r| r.version),
                saved_at: row.map(|r| local_time(r.saved_at)),
                saved_by: row.and_then(|r| r.saved_by.and_then(|id| names.get(&id).cloned())),
            });
        }
    }
    Ok(list)
}

/// What the editor of `kind` in `lang` shows: `draft` when one comes back
/// from a preview or a refused save, else version `from` (0: the built-in
/// wording), else the version in use; with its check and preview (links
/// under `base_url`) and the saved versions. Problems are worded in `ui`.
pub async fn editor(
    db: &DatabaseConnection,
    kind: MessageKind,
    lang: Lang,
    from: Option<i32>,
    draft: Option<MessageTemplate>,
    base_url: &str,
    ui: Lang,
) -> Result<TemplateEditorPage, AppError> {
    editable(kind)?;
    let rows = message_template::Entity::find()
        .filter(message_template::Column::Kind.eq(kind))
        .filter(message_template::Column::Lang.eq(lang.code()))
        .order_by_desc(message_template::Column::Version)
        .all(db)
        .await?;
    let names = savers(db, &rows).await?;
    let in_use = rows.first().map(|r| r.version);
    let builtin = || {
        templates::Templates::builtin()
            .get(kind, lang)
            .map(|t| t.into_owned())
    };
    let (draft, opened_from) = match (draft, from) {
        (Some(draft), _) => (draft, None),
        (None, Some(0)) => (builtin().unwrap_or_default(), Some(0)),
        (None, Some(version)) => {
            let row = rows
                .iter()
                .find(|r| r.version == version)
                .ok_or(AppError::NotFound("message template version"))?;
            (template_of(row), Some(version))
        }
        (None, None) => match rows.first() {
            Some(row) => (template_of(row), Some(row.version)),
            None => (builtin().unwrap_or_default(), Some(0)),
        },
    };
    let violations = templates::check(kind, lang, &draft);
    let preview = if violations.is_empty() {
        templates::preview(kind, lang, &draft, base_url)
    } else {
        None
    };
    Ok(TemplateEditorPage {
        kind,
        lang,
        preview,
        problems: violations.iter().map(|v| v.to_field_error(ui)).collect(),
        draft,
        opened_from,
        in_use,
        variables: templates::variables(kind, ui),
        versions: rows
            .iter()
            .map(|r| TemplateVersionRow {
                version: r.version,
                saved_at: local_time(r.saved_at),
                saved_by: r.saved_by.and_then(|id| names.get(&id).cloned()),
            })
            .collect(),
    })
}

/// Saves `draft` as the newest version of `kind` in `lang`, once it passes
/// the check; returns its version number. In the audit log with its text
/// (a template holds nothing personal).
pub async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    kind: MessageKind,
    lang: Lang,
    draft: MessageTemplate,
) -> Result<i32, AppError> {
    editable(kind)?;
    let violations = templates::check(kind, lang, &draft);
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let txn = db.begin().await?;
    let newest: Option<i32> = message_template::Entity::find()
        .filter(message_template::Column::Kind.eq(kind))
        .filter(message_template::Column::Lang.eq(lang.code()))
        .select_only()
        .column_as(message_template::Column::Version.max(), "version")
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten();
    let version = newest.unwrap_or(0) + 1;
    message_template::ActiveModel {
        kind: Set(kind),
        lang: Set(lang.code().to_owned()),
        version: Set(version),
        subject: Set(draft.subject.clone()),
        body: Set(draft.body.clone()),
        sms: Set(draft.sms.clone()),
        saved_by: Set(actor.user_id),
        saved_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "message_template.save",
        "message_template",
        Some(format!("{kind}/{}/{version}", lang.code())),
        None::<&()>,
        Some(&draft),
    )
    .await?;
    txn.commit().await?;
    Ok(version)
}
