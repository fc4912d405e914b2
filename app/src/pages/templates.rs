//! `/admin/messages`: the wording of every message people receive, and
//! `/admin/messages/{kind}/{lang}`: the editor of one, with its variables,
//! a preview with made-up data and the saved versions.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, StaffLayout, TextField, load_page, use_lang,
};
use crate::server_fns::{SaveTemplate, get_template_editor, get_templates_page};
use domain::i18n::Lang;
use domain::model::{FormFlash, TemplateEditorPage, TemplateListRow, TemplatePreview};

fn language_name(ui: Lang, lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => ui.pick("Tiếng Việt", "Vietnamese"),
        Lang::En => ui.pick("Tiếng Anh", "English"),
    }
}

fn editor_path(row_kind: &str, lang: Lang) -> String {
    format!("/admin/messages/{row_kind}/{}", lang.code())
}

fn list_row(ui: Lang, row: &TemplateListRow) -> impl IntoView + use<> {
    let t = ui.template_texts();
    let in_use = match (row.version, &row.saved_at) {
        (Some(version), Some(at)) => format!(
            "{} {version}, {at}{}",
            t.version,
            row.saved_by
                .as_ref()
                .map(|by| format!(", {by}"))
                .unwrap_or_default()
        ),
        _ => t.builtin.to_owned(),
    };
    let href = editor_path(row.kind.code(), row.lang);
    let label = format!(
        "{} {} ({})",
        t.edit,
        ui.message_kind(row.kind),
        language_name(ui, row.lang)
    );
    view! {
        <tr data-testid=format!("template-{}-{}", row.kind.code(), row.lang.code())>
            <td>{ui.message_kind(row.kind)}</td>
            <td>{language_name(ui, row.lang)}</td>
            <td>{in_use}</td>
            <td>
                <a href=href aria-label=label>
                    {t.edit}
                </a>
            </td>
        </tr>
    }
}

#[component]
pub fn MessageTemplatesPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.template_texts();
    load_page(lang, get_templates_page(), move |page| {
        let rows = page
            .data
            .iter()
            .map(|row| list_row(lang, row))
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.title>
                <h1>{t.title}</h1>
                <p>{t.intro}</p>
                <DataTable
                    caption=t.caption
                    columns=vec![
                        Column::text(t.col_kind),
                        Column::text(t.col_lang),
                        Column::text(t.col_in_use),
                        Column::text(""),
                    ]
                >
                    {rows}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
    })
}

fn preview_view(ui: Lang, preview: Option<TemplatePreview>) -> impl IntoView {
    let t = ui.template_texts();
    match preview {
        None => view! { <p class="muted">{t.no_preview}</p> }.into_any(),
        Some(p) => {
            let length = format!(
                "{} ({})",
                ui.sms_length(p.sms_units, p.sms_parts),
                if p.sms_unicode { t.unicode } else { t.plain }
            );
            view! {
                <p class="hint">{t.preview_note}</p>
                <dl class="preview-mail">
                    <dt>{t.preview_subject}</dt>
                    <dd data-testid="preview-subject">{p.subject}</dd>
                </dl>
                <div class="card mail-preview" data-testid="preview-body" inner_html=p.html></div>
                <h3>{t.preview_sms}</h3>
                <p class="card" data-testid="preview-sms">{p.sms}</p>
                <p class="hint" data-testid="preview-sms-length">{length}</p>
            }
            .into_any()
        }
    }
}

fn variables_table(ui: Lang, page: &TemplateEditorPage) -> impl IntoView + use<> {
    let t = ui.template_texts();
    let rows = page
        .variables
        .iter()
        .map(|v| {
            let name = format!("{{{{ {} }}}}", v.name);
            let required = v
                .required
                .then(|| view! { <strong>{format!(" ({})", t.required)}</strong> });
            view! {
                <tr>
                    <td>
                        <code>{name}</code>
                    </td>
                    <td>{v.meaning.clone()} {required}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable
            caption=t.variables_caption
            columns=vec![Column::text(t.col_variable), Column::text(t.col_meaning)]
        >
            {rows}
        </DataTable>
    }
}

fn versions_table(ui: Lang, page: &TemplateEditorPage) -> impl IntoView + use<> {
    let t = ui.template_texts();
    let base = editor_path(page.kind.code(), page.lang);
    let builtin_link = view! {
        <p>
            <a href=format!("{base}?from=0")>{t.open_builtin}</a>
        </p>
    };
    if page.versions.is_empty() {
        return view! {
            <p class="muted">{t.no_versions}</p>
            {builtin_link}
        }
        .into_any();
    }
    let rows = page
        .versions
        .iter()
        .map(|v| {
            let in_use = (Some(v.version) == page.in_use).then(|| format!(" ({})", t.in_use));
            let href = format!("{base}?from={}", v.version);
            view! {
                <tr data-testid=format!("template-version-{}", v.version)>
                    <td>{v.version} {in_use}</td>
                    <td>{v.saved_at.clone()}</td>
                    <td>{v.saved_by.clone().unwrap_or_default()}</td>
                    <td>
                        <a href=href>{t.open_version}</a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable
            caption=t.versions_caption
            columns=vec![
                Column::text(t.col_version),
                Column::text(t.col_saved_at),
                Column::text(t.col_saved_by),
                Column::text(""),
            ]
        >
            {rows}
        </DataTable>
        {builtin_link}
    }
    .into_any()
}

#[component]
pub fn MessageTemplatePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.template_texts();
    let params = use_params_map().read_untracked();
    let kind = params.get("kind").unwrap_or_default();
    let template_lang = params.get("lang").unwrap_or_default();
    let from = use_query_map()
        .read_untracked()
        .get("from")
        .and_then(|f| f.parse().ok());
    load_page(
        lang,
        get_template_editor(kind, template_lang, from),
        move |page| {
            let data = page.data.clone();
            let flash = page.flash.clone();
            let csrf = page.viewer.csrf_token.clone();
            let title = format!(
                "{} — {} ({})",
                t.title,
                lang.message_kind(data.kind),
                language_name(lang, data.lang)
            );
            let opened = data.opened_from.map(|v| {
                let what = if v == 0 {
                    t.builtin.to_owned()
                } else {
                    format!("{} {v}", t.version)
                };
                view! { <p class="hint">{format!("{}: {what}", t.opened_from)}</p> }
            });
            // What is wrong with the draft, as the form fields read a form's problems.
            let checked = Some(FormFlash {
                form: "template".to_owned(),
                errors: data.problems.clone(),
                ..FormFlash::default()
            });
            let field = |key: &'static str, label, hint, kind, rows, value: &str| TextField {
                form: "template",
                name: key.to_owned(),
                key,
                id: format!("template-{key}"),
                label,
                hint,
                kind,
                rows,
                value: value.to_owned(),
                required: true,
                autocomplete: None,
            };
            let subject = field(
                "subject",
                t.subject_label,
                None,
                "text",
                1,
                &data.draft.subject,
            );
            let body = field(
                "body",
                t.body_label,
                Some(t.body_hint),
                "textarea",
                16,
                &data.draft.body,
            );
            let sms = field(
                "sms",
                t.sms_label,
                Some(t.sms_hint),
                "textarea",
                4,
                &data.draft.sms,
            );
            let rules = t
                .how_to_rules
                .iter()
                .map(|rule| view! { <li>{*rule}</li> })
                .collect_view();
            view! {
                <StaffLayout lang viewer=page.viewer.clone() title=title.clone()>
                    <p>
                        <a href="/admin/messages">{t.back}</a>
                    </p>
                    <h1>{title.clone()}</h1>
                    <FlashNotice lang flash=flash.clone() form="template".to_owned() />
                    <h2>{t.how_to}</h2>
                    <ul>{rules}</ul>
                    {variables_table(lang, &data)}
                    {opened}
                    <form method="post" action=SaveTemplate::url() class="card" id="template-form">
                        <CsrfField token=csrf.clone() />
                        <input type="hidden" name="kind" value=data.kind.code() />
                        <input type="hidden" name="lang" value=data.lang.code() />
                        {subject.view(&checked)}
                        {body.view(&checked)}
                        {sms.view(&checked)}
                        <div class="actions">
                            <button type="submit" class="button" name="intent" value="preview">
                                {t.preview_button}
                            </button>
                            <button type="submit" class="button primary" name="intent" value="save">
                                {t.save_button}
                            </button>
                        </div>
                    </form>
                    <section aria-labelledby="preview-heading">
                        <h2 id="preview-heading">{t.preview_title}</h2>
                        {preview_view(lang, data.preview.clone())}
                    </section>
                    <section aria-labelledby="versions-heading">
                        <h2 id="versions-heading">{t.versions_caption}</h2>
                        {versions_table(lang, &data)}
                    </section>
                </StaffLayout>
            }
            .into_any()
        },
    )
}
