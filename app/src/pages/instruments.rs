//! The questionnaire editor: instrument versions, and one version's
//! heading, elements and criteria. Frozen versions are read-only.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, StaffLayout, entered, field_error, load_page,
    use_lang,
};
use crate::server_fns::{
    AddCriterion, AddElement, CopyInstrument, UpdateCriterion, UpdateElement, UpdateInstrument,
    get_instrument_page, get_instruments_page,
};
use domain::i18n::Lang;
use domain::model::{ElementDetail, ElementKind, FormFlash, ProfileField};

/// `/instruments`
#[component]
pub fn InstrumentsPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_instruments_page(), move |page| {
        let rows = page.data.iter().map(|i| view! {
            <tr>
                <td><a href=format!("/instruments/{}", i.id)>{format!("{} v{}", i.code, i.version)}</a></td>
                <td>{i.title.clone()}</td>
                <td class="num">{i.criteria}</td>
                <td>{if i.frozen { t.instrument_frozen } else { t.instrument_draft }}</td>
            </tr>
        }).collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer title=t.instruments_heading>
                <h1>{t.instruments_heading}</h1>
                <p>{t.instruments_intro}</p>
                <DataTable caption=t.instruments_heading columns=vec![Column::text(t.col_code), Column::text(t.col_name), Column::num(t.col_criteria_count), Column::text(t.col_status)]>
                    {rows}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
    })
}

fn kind_label(lang: Lang, kind: ElementKind) -> &'static str {
    let t = lang.texts();
    match kind {
        ElementKind::Index => t.kind_index,
        ElementKind::Overall => t.kind_overall,
        ElementKind::Perception => t.kind_perception,
        ElementKind::Expectation => t.kind_expectation,
    }
}

/// The code and wording of an element or criterion, as one of its forms shows them.
struct ItemForm {
    /// Makes the field ids unique on the page.
    prefix: String,
    /// "title_vi" for elements, "text_vi" for criteria.
    text_name: &'static str,
    code: String,
    vi: String,
    en: String,
    /// The form's name in the flash.
    form: String,
    disabled: bool,
}

/// Code and wording fields of an element or criterion form.
fn item_fields(lang: Lang, item: ItemForm, flash: &Option<FormFlash>) -> impl IntoView + use<> {
    let t = lang.texts();
    let ItemForm {
        prefix,
        text_name,
        code,
        vi,
        en,
        form,
        disabled,
    } = item;
    let code_error = field_error(flash, &form, "code");
    let vi_error = field_error(flash, &form, "text_vi");
    let en_name = if text_name == "title_vi" {
        "title_en"
    } else {
        "text_en"
    };
    view! {
        <div class="field code-field">
            <label for=format!("{prefix}-code")>{t.col_code}</label>
            {code_error.map(|m| view! { <p class="field-error" id=format!("{prefix}-code-error")>{m}</p> })}
            <input id=format!("{prefix}-code") name="code" value=code required disabled=disabled aria-describedby=format!("{prefix}-code-error") />
        </div>
        <div class="field">
            <label for=format!("{prefix}-vi")>{t.wording_vi}</label>
            {vi_error.map(|m| view! { <p class="field-error" id=format!("{prefix}-vi-error")>{m}</p> })}
            <textarea id=format!("{prefix}-vi") name=text_name rows="2" required disabled=disabled aria-describedby=format!("{prefix}-vi-error")>{crate::components::escape_raw_text(&vi)}</textarea>
        </div>
        <div class="field">
            <label for=format!("{prefix}-en")>{t.wording_en}</label>
            <textarea id=format!("{prefix}-en") name=en_name rows="2" disabled=disabled>{crate::components::escape_raw_text(&en)}</textarea>
        </div>
    }
}

fn element_block(
    lang: Lang,
    instrument_id: i32,
    element: &ElementDetail,
    flash: &Option<FormFlash>,
    csrf: &str,
    frozen: bool,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let element_form = format!("element-{}", element.id);
    let criteria = element.criteria.iter().map(|c| {
        let form = format!("criterion-{}", c.id);
        view! {
            <form method="post" action=UpdateCriterion::url() class="criterion-form" id=format!("criterion-{}", c.id)>
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="instrument_id" value=instrument_id />
                <input type="hidden" name="criterion_id" value=c.id />
                <FlashNotice lang flash=flash.clone() form=form.clone() />
                {item_fields(lang, ItemForm { prefix: format!("c{}", c.id), text_name: "text_vi", code: c.code.clone(), vi: c.text_vi.clone(), en: c.text_en.clone(), form: form.clone(), disabled: frozen }, flash)}
                {(!frozen).then(|| view! {
                    <p class="actions">
                        <button type="submit" class="button small">{t.save_button}</button>
                        <button type="submit" name="delete" value="1" class="button small">{t.delete_button}</button>
                    </p>
                })}
            </form>
        }
    }).collect_view();
    let new_form = format!("criterion-new-{}", element.id);
    let add = (!frozen).then(|| view! {
        <details open=flash.as_ref().is_some_and(|f| f.form == new_form)>
            <summary>{t.add_criterion}</summary>
            <form method="post" action=AddCriterion::url()>
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="instrument_id" value=instrument_id />
                <input type="hidden" name="element_id" value=element.id />
                {item_fields(lang, ItemForm { prefix: format!("n{}", element.id), text_name: "text_vi", code: entered(flash, &new_form, "code"), vi: entered(flash, &new_form, "text_vi"), en: entered(flash, &new_form, "text_en"), form: new_form.clone(), disabled: false }, flash)}
                <button type="submit" class="button small">{t.add_criterion}</button>
            </form>
        </details>
    });
    view! {
        <section class="card element" aria-labelledby=format!("element-{}-title", element.id)>
            <h2 id=format!("element-{}-title", element.id)>{format!("{}. {} ({})", element.code, element.title_vi, kind_label(lang, element.kind))}</h2>
            <form method="post" action=UpdateElement::url()>
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="instrument_id" value=instrument_id />
                <input type="hidden" name="element_id" value=element.id />
                <FlashNotice lang flash=flash.clone() form=element_form.clone() />
                {item_fields(lang, ItemForm { prefix: format!("e{}", element.id), text_name: "title_vi", code: element.code.clone(), vi: element.title_vi.clone(), en: element.title_en.clone(), form: element_form.clone(), disabled: frozen }, flash)}
                {(!frozen).then(|| view! {
                    <p class="actions">
                        <button type="submit" class="button small">{t.save_button}</button>
                        <button type="submit" name="delete" value="1" class="button small">{t.delete_element_button}</button>
                    </p>
                })}
            </form>
            <h3>{t.criteria_heading}</h3>
            {criteria}
            {add}
        </section>
    }
}

/// `/instruments/{id}`
#[component]
pub fn InstrumentPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let id: i32 = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    load_page(lang, get_instrument_page(id), move |page| {
        let detail = page.data.clone();
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let frozen = detail.frozen;
        let elements = detail
            .elements
            .iter()
            .map(|e| element_block(lang, id, e, &flash, &csrf, frozen))
            .collect_view();
        let profile = [
            (ProfileField::Department, t.department_label),
            (ProfileField::Procedure, t.procedure_label),
            (ProfileField::SubmissionMethod, t.submission_method_label),
        ]
        .into_iter()
        .map(|(field, label)| {
            let box_id = format!("profile-{}", field.code());
            let label_for = box_id.clone();
            view! {
                <label class="option" for=label_for>
                    <input type="checkbox" id=box_id name=format!("profile[{}]", field.code()) value="on" checked=detail.profile_fields.contains(&field) disabled=frozen />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
        let kinds = [
            ElementKind::Index,
            ElementKind::Overall,
            ElementKind::Perception,
            ElementKind::Expectation,
        ]
        .into_iter()
        .map(|k| view! { <option value=k.code()>{kind_label(lang, k)}</option> })
        .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=format!("{} v{}", detail.code, detail.version)>
                <h1>{format!("{} v{}", detail.code, detail.version)}</h1>
                <p class="notice" role="status">{if frozen { t.instrument_frozen_note } else { t.instrument_draft_note }}</p>
                <FlashNotice lang flash=flash.clone() form="heading".to_owned() />
                <section class="card">
                    <h2>{t.instrument_heading}</h2>
                    <form method="post" action=UpdateInstrument::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <input type="hidden" name="id" value=id />
                        <div class="field">
                            <label for="i-title-vi">{t.round_title_vi_label}</label>
                            <input id="i-title-vi" name="title_vi" value=detail.title_vi.clone() required disabled=frozen />
                        </div>
                        <div class="field">
                            <label for="i-title-en">{t.round_title_en_label}</label>
                            <input id="i-title-en" name="title_en" value=detail.title_en.clone() disabled=frozen />
                        </div>
                        <input type="hidden" name="audience" value=detail.audience.clone() />
                        <fieldset class="question">
                            <legend>{t.profile_questions_label}</legend>
                            <p class="hint">{t.profile_questions_hint}</p>
                            <div class="options">{profile}</div>
                        </fieldset>
                        <label class="option" for="i-comment">
                            <input type="checkbox" id="i-comment" name="asks_comment" value="on" checked=detail.asks_comment disabled=frozen />
                            <span>{t.comment_label}</span>
                        </label>
                        {(!frozen).then(|| view! { <button type="submit" class="button primary">{t.save_button}</button> })}
                    </form>
                </section>
                <section class="card">
                    <h2>{t.copy_instrument_heading}</h2>
                    <FlashNotice lang flash=flash.clone() form="copy".to_owned() />
                    <form method="post" action=CopyInstrument::url() class="inline-form">
                        <CsrfField token=csrf.clone() />
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button">{t.new_version_button}</button>
                    </form>
                    <form method="post" action=CopyInstrument::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <input type="hidden" name="id" value=id />
                        <div class="field">
                            <label for="copy-code">{t.clone_code_label}</label>
                            {field_error(&flash, "copy", "code").map(|m| view! { <p class="field-error" id="copy-code-error">{m}</p> })}
                            <input id="copy-code" name="new_code" value=entered(&flash, "copy", "new_code") aria-describedby="copy-code-error" />
                        </div>
                        <button type="submit" class="button">{t.clone_instrument_button}</button>
                    </form>
                </section>
                {elements}
                {(!frozen).then(|| view! {
                    <section class="card">
                        <h2>{t.add_element}</h2>
                        <FlashNotice lang flash=flash.clone() form="element-new".to_owned() />
                        <form method="post" action=AddElement::url() class="narrow-form">
                            <CsrfField token=csrf.clone() />
                            <input type="hidden" name="instrument_id" value=id />
                            <div class="field">
                                <label for="new-kind">{t.element_kind_label}</label>
                                <select id="new-kind" name="kind">{kinds}</select>
                            </div>
                            {item_fields(lang, ItemForm { prefix: "new-element".to_owned(), text_name: "title_vi", code: entered(&flash, "element-new", "code"), vi: entered(&flash, "element-new", "text_vi"), en: entered(&flash, "element-new", "text_en"), form: "element-new".to_owned(), disabled: false }, &flash)}
                            <button type="submit" class="button">{t.add_element}</button>
                        </form>
                    </section>
                })}
            </StaffLayout>
        }
        .into_any()
    })
}
