//! Setting up the agency (admins): the checklist, the agency's profile, the
//! catalogue of departments and procedures, and the settings admins own.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::{
    CsrfField, FlashNotice, StaffLayout, TextField, entered, error_line, field_error, load_page,
    select_field, use_lang,
};
use crate::server_fns::{
    ImportCatalogue, RemoveLogo, SaveCatalogueEntry, SaveProfile, SaveQualityRules, SaveSettings,
    SetCatalogueEntryActive, UploadLogo, get_catalogue_page, get_profile_page, get_settings_page,
    get_setup_page,
};
use domain::i18n::Lang;
use domain::model::{CatalogueEntry, CatalogueKind, CataloguePlan, FormFlash};

/// `/admin/setup`: each step of setting up, ticked when the database shows it done.
#[component]
pub fn SetupPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_setup_page(), move |page| {
        let year = page.data.year;
        let items = page
            .data
            .items
            .iter()
            .map(|item| {
                let (title, hint) = lang.setup_step(item.step);
                let title = if item.step == domain::model::SetupStep::Holidays {
                    format!("{title} {year}")
                } else {
                    title.to_owned()
                };
                let state = if item.done { t.setup_done } else { t.setup_todo };
                view! {
                    <li class="setup-step" data-step=item.step.code() data-done=item.done.to_string()>
                        <span class=if item.done { "badge done" } else { "badge todo" }>{state}</span>
                        <a href=item.link.clone()>{title}</a>
                        <p class="hint">{hint}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.setup_title>
                <h1>{t.setup_title}</h1>
                <p class="lead">{t.setup_intro}</p>
                <ol class="setup-checklist">{items}</ol>
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/admin/profile`: the agency's names and contact details.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let f = lang.feedback_texts();
    load_page(lang, get_profile_page(), move |page| {
        let flash = page.flash.clone();
        let saved = page.data.profile.clone();
        let logo = page.data.logo.clone();
        let failed = flash
            .as_ref()
            .is_some_and(|fl| fl.form == "profile" && !fl.errors.is_empty());
        let value = |key: &str, stored: &str| {
            if failed {
                entered(&flash, "profile", key)
            } else {
                stored.to_owned()
            }
        };
        let field = |key: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     stored: &str,
                     required: bool| TextField {
            form: "profile",
            name: key.to_owned(),
            key,
            id: format!("profile-{key}"),
            label,
            hint: None,
            kind,
            rows: 6,
            value: value(key, stored),
            required,
            autocomplete: Some("off"),
        };
        let fields = view! {
            {field("name_vi", t.profile_name_vi, "text", &saved.name_vi, true).view(&flash)}
            {field("name_en", t.profile_name_en, "text", &saved.name_en, false).view(&flash)}
            {field("phone", f.hotline_phone, "tel", &saved.hotline.phone, false).view(&flash)}
            {field("hours", f.hotline_hours, "text", &saved.hotline.hours, false).view(&flash)}
            {field("address", f.hotline_address, "text", &saved.hotline.address, false).view(&flash)}
            {field("email", f.hotline_email, "email", &saved.hotline.email, false).view(&flash)}
            {TextField { hint: Some(t.profile_public_url_hint), ..field("public_url", t.profile_public_url, "url", &saved.public_url, false) }.view(&flash)}
        };
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.profile_title>
                <h1>{t.profile_title}</h1>
                <FlashNotice lang flash=flash.clone() form="profile".to_owned() />
                <form method="post" action=SaveProfile::url() class="narrow-form card">
                    <CsrfField token=page.viewer.csrf_token.clone() />
                    {fields}
                    <button type="submit" class="button primary">{t.save_button}</button>
                </form>
                <section class="card" id="logo" aria-labelledby="logo-heading">
                    <h2 id="logo-heading">{t.logo_heading}</h2>
                    <p class="hint" id="logo-hint">{t.logo_hint}</p>
                    <FlashNotice lang flash=flash.clone() form="logo".to_owned() />
                    {logo.clone().map(|src| view! { <p><img class="logo-preview" src=src alt=t.logo_alt /></p> })}
                    <form method="post" enctype="multipart/form-data" action=UploadLogo::url() class="narrow-form">
                        <CsrfField token=page.viewer.csrf_token.clone() />
                        <div class="field">
                            <label for="logo-file">{t.logo_file}</label>
                            {error_line(field_error(&flash, "logo", "logo"), "logo-file-error".to_owned())}
                            <input id="logo-file" name="file" type="file" accept=".png,.svg,image/png,image/svg+xml" required aria-describedby="logo-hint logo-file-error" />
                        </div>
                        <button type="submit" class="button primary">{t.logo_upload}</button>
                    </form>
                    {logo.map(|_| view! {
                        <form method="post" action=RemoveLogo::url() class="inline-form">
                            <CsrfField token=page.viewer.csrf_token.clone() />
                            <button type="submit" class="button">{t.logo_remove}</button>
                        </form>
                    })}
                </section>
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/admin/catalogue`: departments and procedures, a form for each kind,
/// and the file import with its preview.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_catalogue_page(), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let data = page.data.clone();
        let department_choices: Vec<(String, String)> = data
            .departments
            .iter()
            .filter(|d| d.active)
            .map(|d| (d.code.clone(), format!("{} — {}", d.code, d.name_vi)))
            .collect();
        let department_form =
            entry_form(lang, &flash, &csrf, CatalogueKind::Department, Vec::new());
        let procedure_form = entry_form(
            lang,
            &flash,
            &csrf,
            CatalogueKind::Procedure,
            department_choices,
        );
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.catalogue_title>
                <h1>{t.catalogue_title}</h1>
                <p class="lead">{t.catalogue_intro}</p>
                <p><a class="button" href="/api/v1/catalogue.csv">{t.catalogue_export}</a></p>
                <section class="card" id="catalogue-department" aria-labelledby="departments-heading">
                    <h2 id="departments-heading">{t.catalogue_departments}</h2>
                    {department_form}
                    {entry_table(lang, &csrf, CatalogueKind::Department, &data.departments)}
                </section>
                <section class="card" id="catalogue-procedure" aria-labelledby="procedures-heading">
                    <h2 id="procedures-heading">{t.catalogue_procedures}</h2>
                    {procedure_form}
                    {entry_table(lang, &csrf, CatalogueKind::Procedure, &data.procedures)}
                </section>
                <section class="card" id="import" aria-labelledby="import-heading">
                    <h2 id="import-heading">{t.catalogue_import}</h2>
                    <p class="hint">{t.catalogue_import_hint}</p>
                    {data.last_import.as_ref().map(|plan| import_outcome(lang, plan))}
                    <form method="post" enctype="multipart/form-data" action=ImportCatalogue::url() class="narrow-form">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="catalogue-file">{t.file_label}</label>
                            <input id="catalogue-file" name="file" type="file" accept=".csv,.xlsx" required />
                        </div>
                        <label class="option" for="catalogue-dry-run">
                            <input type="checkbox" id="catalogue-dry-run" name="dry_run" value="on" />
                            <span>{t.catalogue_dry_run}</span>
                        </label>
                        <button type="submit" class="button primary">{t.catalogue_import_button}</button>
                    </form>
                </section>
            </StaffLayout>
        }
        .into_any()
    })
}

/// The form that adds an entry of `kind`, or renames the one with its code.
fn entry_form(
    lang: Lang,
    flash: &Option<FormFlash>,
    csrf: &str,
    kind: CatalogueKind,
    departments: Vec<(String, String)>,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let form = format!("catalogue-{}", kind.code());
    let is_procedure = kind == CatalogueKind::Procedure;
    let field = |key: &'static str, label: &'static str, required: bool| {
        TextField {
            form: &form,
            name: key.to_owned(),
            key,
            id: format!("{form}-{key}"),
            label,
            hint: (key == "code").then_some(t.catalogue_save_hint),
            kind: "text",
            rows: 6,
            value: entered(flash, &form, key),
            required,
            autocomplete: Some("off"),
        }
        .view(flash)
    };
    let heading = if is_procedure {
        t.catalogue_add_procedure
    } else {
        t.catalogue_add_department
    };
    view! {
        <details class="subtle" open=flash.as_ref().is_some_and(|f| f.form == form)>
            <summary>{heading}</summary>
            <FlashNotice lang flash=flash.clone() form=form.clone() />
            <form method="post" action=SaveCatalogueEntry::url() class="narrow-form">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="kind" value=kind.code() />
                {field("code", t.catalogue_code, true)}
                {field("name_vi", t.catalogue_name_vi, true)}
                {field("name_en", t.catalogue_name_en, false)}
                {is_procedure.then(|| field("field", t.catalogue_field, false))}
                {is_procedure.then(|| select_field(
                    flash,
                    &form,
                    "department",
                    &format!("{form}-department"),
                    "department".to_owned(),
                    t.catalogue_department,
                    t.department_placeholder,
                    departments,
                    &entered(flash, &form, "department"),
                ))}
                <button type="submit" class="button primary">{t.save_button}</button>
            </form>
        </details>
    }
}

/// The entries of one kind, each with its retire or reactivate button.
fn entry_table(
    lang: Lang,
    csrf: &str,
    kind: CatalogueKind,
    entries: &[CatalogueEntry],
) -> impl IntoView + use<> {
    let t = lang.texts();
    let is_procedure = kind == CatalogueKind::Procedure;
    let rows = entries
        .iter()
        .map(|e| {
            let (label, next) = if e.active {
                (t.catalogue_retire, "0")
            } else {
                (t.catalogue_reactivate, "1")
            };
            view! {
                <tr data-code=e.code.clone()>
                    <td>{e.code.clone()}</td>
                    <td class="text">{e.name_vi.clone()}</td>
                    <td class="text">{e.name_en.clone()}</td>
                    {is_procedure.then(|| view! {
                        <td class="text">{e.field.clone()}</td>
                        <td>{e.department.clone()}</td>
                    })}
                    <td>{if e.active { t.catalogue_active } else { t.catalogue_retired }}</td>
                    <td>
                        <form method="post" action=SetCatalogueEntryActive::url() class="inline-form">
                            <CsrfField token=csrf.to_owned() />
                            <input type="hidden" name="kind" value=kind.code() />
                            <input type="hidden" name="code" value=e.code.clone() />
                            <input type="hidden" name="active" value=next />
                            <button type="submit" class="button small" aria-label=format!("{label} {}", e.code)>{label}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let caption = if is_procedure {
        t.catalogue_procedures
    } else {
        t.catalogue_departments
    };
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data" id=format!("catalogue-{}-table", kind.code())>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.catalogue_code}</th>
                        <th scope="col">{t.catalogue_name_vi}</th>
                        <th scope="col">{t.catalogue_name_en}</th>
                        {is_procedure.then(|| view! {
                            <th scope="col">{t.catalogue_field}</th>
                            <th scope="col">{t.catalogue_department}</th>
                        })}
                        <th scope="col">{t.catalogue_status}</th>
                        <th scope="col"><span class="visually-hidden">{t.catalogue_retire}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// What the last import did, would do, or why it stored nothing.
fn import_outcome(lang: Lang, plan: &CataloguePlan) -> impl IntoView + use<> {
    let t = lang.texts();
    let (class, summary) = if !plan.problems.is_empty() {
        ("form-failure", t.catalogue_refused)
    } else if plan.changes.is_empty() {
        ("notice", t.catalogue_no_changes)
    } else if plan.applied {
        ("notice", t.catalogue_applied)
    } else {
        ("notice", t.catalogue_preview)
    };
    let problems = plan
        .problems
        .iter()
        .map(|p| view! { <tr><td>{p.line}</td><td>{p.field.clone()}</td><td class="text">{p.message.clone()}</td></tr> })
        .collect_view();
    let changes = plan
        .changes
        .iter()
        .map(|c| {
            let name = match &c.before {
                Some(before) => format!("{before} → {}", c.name),
                None => c.name.clone(),
            };
            view! { <tr><td>{lang.catalogue_change(c.change)}</td><td>{c.code.clone()}</td><td class="text">{name}</td></tr> }
        })
        .collect_view();
    view! {
        <div data-testid="catalogue-import-outcome" data-applied=plan.applied.to_string()>
            <p class=class role="status">{summary}</p>
            {(!plan.problems.is_empty()).then(|| view! {
                <table class="data" id="catalogue-problems">
                    <thead><tr><th scope="col">{t.col_line}</th><th scope="col">{t.col_field}</th><th scope="col">{t.col_problem}</th></tr></thead>
                    <tbody>{problems}</tbody>
                </table>
            })}
            {(!plan.changes.is_empty()).then(|| view! {
                <table class="data" id="catalogue-changes">
                    <thead><tr><th scope="col">{t.catalogue_status}</th><th scope="col">{t.catalogue_code}</th><th scope="col">{t.catalogue_name_vi}</th></tr></thead>
                    <tbody>{changes}</tbody>
                </table>
            })}
        </div>
    }
}

/// `/admin/settings`: the target, the suppression threshold, the survey's
/// texts and the default instrument.
#[component]
pub fn SettingsAdminPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    load_page(lang, get_settings_page(), move |page| {
        let flash = page.flash.clone();
        let saved = page.data.values.clone();
        let failed = flash
            .as_ref()
            .is_some_and(|fl| fl.form == "settings" && !fl.errors.is_empty());
        let shown = |key: &str, stored: &str| {
            if failed {
                entered(&flash, "settings", key)
            } else {
                stored.to_owned()
            }
        };
        let field = |key: &'static str,
                     label: &'static str,
                     hint: Option<&'static str>,
                     kind: &'static str,
                     stored: &str| TextField {
            form: "settings",
            name: key.to_owned(),
            key,
            id: format!("settings-{key}"),
            label,
            hint,
            kind,
            rows: 6,
            value: shown(key, stored),
            required: matches!(key, "target_index" | "suppression_threshold"),
            autocomplete: Some("off"),
        };
        let instruments: Vec<(String, String)> = page
            .data
            .instruments
            .iter()
            .map(|i| {
                (
                    i.id.to_string(),
                    format!("{} v{} — {}", i.code, i.version, i.title),
                )
            })
            .collect();
        let chosen = shown("default_instrument", &saved.default_instrument);
        let element_fields = page
            .data
            .elements
            .iter()
            .map(|element| {
                let key = format!("targets[{}]", element.code);
                let id = format!("settings-target-{}", element.code);
                let stored = saved.element_targets.get(&element.code).cloned().unwrap_or_default();
                let error = field_error(&flash, "settings", &key);
                let value = if failed { entered(&flash, "settings", &key) } else { stored };
                view! {
                    <div class="field">
                        <label for=id.clone()>{element.label.clone()}</label>
                        {error_line(error, format!("{id}-error"))}
                        <input id=id.clone() name=key type="text" inputmode="decimal" value=value aria-describedby=format!("{id}-error") />
                    </div>
                }
            })
            .collect_view();
        let fields = view! {
            {field("target_index", t.settings_target, Some(t.settings_target_hint), "text", &saved.target_index).view(&flash)}
            {field("suppression_threshold", t.settings_threshold, Some(t.settings_threshold_hint), "number", &saved.suppression_threshold).view(&flash)}
            {field("intro_vi", t.settings_intro_vi, Some(t.settings_texts_hint), "textarea", &saved.intro_vi).view(&flash)}
            {field("intro_en", t.settings_intro_en, None, "textarea", &saved.intro_en).view(&flash)}
            {field("thanks_vi", t.settings_thanks_vi, None, "textarea", &saved.thanks_vi).view(&flash)}
            {field("thanks_en", t.settings_thanks_en, None, "textarea", &saved.thanks_en).view(&flash)}
            {select_field(&flash, "settings", "default_instrument", "settings-default_instrument", "default_instrument".to_owned(), t.settings_default_instrument, t.settings_no_default_instrument, instruments, &chosen)}
            <fieldset class="form-section">
                <legend>{t.settings_element_targets}</legend>
                <p class="hint">{t.settings_element_targets_hint}</p>
                {element_fields}
            </fieldset>
        };
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=t.settings_title>
                <h1>{t.settings_title}</h1>
                <FlashNotice lang flash=flash.clone() form="settings".to_owned() />
                <form method="post" action=SaveSettings::url() class="narrow-form card">
                    <CsrfField token=page.viewer.csrf_token.clone() />
                    {fields}
                    <button type="submit" class="button primary">{t.save_button}</button>
                </form>
                {quality_rules_form(lang, &page.data.quality_rules, &page.viewer.csrf_token, &flash)}
            </StaffLayout>
        }
        .into_any()
    })
}

/// The thresholds of the data-quality flags, one whole number each.
fn quality_rules_form(
    lang: Lang,
    rules: &domain::model::QualityRules,
    csrf: &str,
    flash: &Option<domain::model::FormFlash>,
) -> impl IntoView + use<> {
    const FORM: &str = "quality-rules";
    let q = lang.quality_texts();
    let failed = flash
        .as_ref()
        .is_some_and(|fl| fl.form == FORM && !fl.errors.is_empty());
    let inputs = rules
        .fields()
        .into_iter()
        .zip(q.rule_labels)
        .map(|((name, min, max, value), label)| {
            let key = format!("rules[{name}]");
            let id = format!("quality-rule-{}", name.replace('_', "-"));
            let error = field_error(flash, FORM, name);
            let shown = if failed {
                entered(flash, FORM, &key)
            } else {
                value.to_string()
            };
            view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    {error_line(error.clone(), format!("{id}-error"))}
                    <input id=id.clone() name=key type="number" min=min max=max value=shown required
                        aria-invalid=error.map(|_| "true") aria-describedby=format!("{id}-error") />
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="quality-rules" aria-labelledby="quality-rules-heading">
            <h2 id="quality-rules-heading">{q.rules_heading}</h2>
            <p class="hint">{q.rules_hint}</p>
            <FlashNotice lang flash=flash.clone() form=FORM.to_owned() />
            <form method="post" action=SaveQualityRules::url() class="narrow-form">
                <CsrfField token=csrf.to_owned() />
                {inputs}
                <button type="submit" class="button primary">{q.save_rules}</button>
            </form>
        </section>
    }
}
