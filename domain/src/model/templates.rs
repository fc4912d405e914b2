//! Message templates as the admins' pages show them: what a message of one
//! kind and language says, its saved versions, and a preview.

use serde::{Deserialize, Serialize};

use super::{FieldError, MessageKind};
use crate::i18n::Lang;

/// The wording of one kind of message in one language: the e-mail's
/// subject and body and the text message (SMS, Zalo), each a template with
/// `{{ variables }}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTemplate {
    pub subject: String,
    pub body: String,
    pub sms: String,
}

/// One kind and language on the templates' list: the version in use (none:
/// the built-in wording), when and by whom it was saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateListRow {
    pub kind: MessageKind,
    pub lang: Lang,
    pub version: Option<i32>,
    pub saved_at: Option<String>,
    pub saved_by: Option<String>,
}

/// A variable a template of one kind may use, and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVariableRow {
    pub name: String,
    pub meaning: String,
    /// Whether the template must use it (the message is useless without).
    pub required: bool,
}

/// A draft rendered with made-up data: the e-mail as sent and the text
/// message with its length in SMS units and parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePreview {
    pub subject: String,
    pub text: String,
    /// The e-mail's HTML body (everything in it escaped but the markup the
    /// platform adds: paragraphs, lists and links).
    pub html: String,
    pub sms: String,
    pub sms_units: usize,
    pub sms_parts: usize,
    /// Whether the text message needs Unicode (70 units a part, not 160).
    pub sms_unicode: bool,
}

/// A saved version of one kind and language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVersionRow {
    pub version: i32,
    pub saved_at: String,
    pub saved_by: Option<String>,
}

/// The editor of one kind and language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateEditorPage {
    pub kind: MessageKind,
    pub lang: Lang,
    /// What the form holds: the draft coming back from a preview or a
    /// refused save, the version asked for, or the one in use.
    pub draft: MessageTemplate,
    /// The saved version the draft was opened from (0: the built-in wording).
    pub opened_from: Option<i32>,
    /// The version in use; none: the built-in wording.
    pub in_use: Option<i32>,
    pub variables: Vec<TemplateVariableRow>,
    /// The draft with made-up data; none when the draft has errors.
    pub preview: Option<TemplatePreview>,
    /// What is wrong with the draft, field by field.
    pub problems: Vec<FieldError>,
    /// Newest first.
    pub versions: Vec<TemplateVersionRow>,
}
