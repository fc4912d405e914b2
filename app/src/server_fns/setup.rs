//! Setting up the agency: the setup checklist, the profile and logo, the
//! settings admins own and the catalogue of departments and procedures.
//! Admins only.
// A plain form posts one argument per field; the server macro also writes
// the client's copy of the function, which an item-level allow misses.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::PageError;

use domain::model::{CataloguePage, ProfilePage, SettingsPage, SetupChecklist, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::cookies::{request_lang, set_flash},
    domain::{
        model::{AgencyProfile, HotlineInfo, PlatformSettings},
        model::{CatalogueEntry, CataloguePlan, FieldError, FormFlash, Role},
        services::{catalogue::changes, settings, setup},
    },
};

/// Changes and problems shown after an import, at most this many.
#[cfg(feature = "ssr")]
const SHOWN: usize = 200;

/// Whether the database has no administrator yet (the home page then
/// explains how to create the first one).
#[server(prefix = "/sf", endpoint = "setup/first-admin")]
pub async fn first_admin_needed() -> Result<bool, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    Ok(setup::needs_first_admin(&state.db).await?)
}

#[server(prefix = "/sf", endpoint = "admin/setup")]
pub async fn get_setup_page() -> Result<StaffPage<SetupChecklist>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        setup::checklist(&state.db, chrono::Utc::now()).await
    })
    .await
}

#[server(prefix = "/sf", endpoint = "admin/profile")]
pub async fn get_profile_page() -> Result<StaffPage<ProfilePage>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        Ok(ProfilePage {
            profile: settings::profile(&state.db).await?,
            logo: domain::services::logo::url(&state.db).await?,
        })
    })
    .await
}

/// Saves the agency's names and contact details.
#[server(prefix = "/sf", endpoint = "admin/profile/save")]
pub async fn save_profile(
    name_vi: String,
    name_en: String,
    phone: String,
    hours: String,
    address: String,
    email: String,
    public_url: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let values = [
        ("name_vi", &name_vi),
        ("name_en", &name_en),
        ("phone", &phone),
        ("hours", &hours),
        ("address", &address),
        ("email", &email),
        ("public_url", &public_url),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    let profile = AgencyProfile {
        name_vi,
        name_en,
        hotline: HotlineInfo {
            phone,
            address,
            email,
            hours,
        },
        public_url,
    };
    let outcome = settings::save_profile(&state.db, &actor, profile)
        .await
        .map(|()| Some("profile-saved".to_owned()));
    super::admin::finish_form("profile", "/admin/profile", outcome, values).await
}

/// Replaces the agency's logo (PNG or SVG, checked and rewritten).
#[server(input = MultipartFormData, prefix = "/sf", endpoint = "admin/profile/logo")]
pub async fn upload_logo(data: MultipartData) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = match super::distribution::read_upload(data).await {
        Ok(upload) => domain::services::logo::save(&state.db, &actor, &upload.bytes)
            .await
            .map(|()| Some("logo-saved".to_owned())),
        Err(domain::AppError::Invalid(_)) => Err(domain::AppError::invalid(
            "logo",
            domain::model::Problem::Required,
        )),
        Err(other) => Err(other),
    };
    super::admin::finish_form("logo", "/admin/profile#logo", outcome, Default::default()).await
}

#[server(prefix = "/sf", endpoint = "admin/profile/logo/remove")]
pub async fn remove_logo() -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = domain::services::logo::remove(&state.db, &actor)
        .await
        .map(|()| Some("logo-removed".to_owned()));
    super::admin::finish_form("logo", "/admin/profile#logo", outcome, Default::default()).await
}

#[server(prefix = "/sf", endpoint = "admin/settings")]
pub async fn get_settings_page() -> Result<StaffPage<SettingsPage>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        Ok(SettingsPage {
            values: settings::platform(&state.db).await?,
            instruments: domain::services::instruments::list(&state.db, request_lang()).await?,
            elements: settings::index_elements(&state.db)
                .await?
                .into_iter()
                .map(|(code, title)| domain::model::Choice {
                    label: format!("{code} — {title}"),
                    code,
                })
                .collect(),
            quality_rules: settings::quality_rules(&state.db).await?,
        })
    })
    .await
}

/// The thresholds of the data-quality flags, each a whole number within
/// its bounds, all checked before any is stored.
#[server(prefix = "/sf", endpoint = "admin/settings/quality")]
pub async fn save_quality_rules(
    rules: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let typed = rules.unwrap_or_default();
    let outcome = settings::save_quality_rules(&state.db, &actor, &typed)
        .await
        .map(|()| Some("settings-saved".to_owned()));
    let values = typed
        .into_iter()
        .map(|(name, value)| (format!("rules[{name}]"), value))
        .collect();
    super::admin::finish_form(
        "quality-rules",
        "/admin/settings#quality-rules",
        outcome,
        values,
    )
    .await
}

/// The target, the suppression threshold, the survey's texts, the default
/// instrument and the elements' own targets, all checked before any is
/// stored. One argument per form field, as the plain form posts them.
#[server(prefix = "/sf", endpoint = "admin/settings/save")]
pub async fn save_settings(
    target_index: String,
    suppression_threshold: String,
    intro_vi: String,
    intro_en: String,
    thanks_vi: String,
    thanks_en: String,
    default_instrument: String,
    targets: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let element_targets = targets.unwrap_or_default();
    let new = PlatformSettings {
        element_targets,
        target_index,
        suppression_threshold,
        intro_vi,
        intro_en,
        thanks_vi,
        thanks_en,
        default_instrument,
    };
    let mut values: std::collections::BTreeMap<String, String> = [
        ("target_index", &new.target_index),
        ("suppression_threshold", &new.suppression_threshold),
        ("intro_vi", &new.intro_vi),
        ("intro_en", &new.intro_en),
        ("thanks_vi", &new.thanks_vi),
        ("thanks_en", &new.thanks_en),
        ("default_instrument", &new.default_instrument),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    for (code, value) in &new.element_targets {
        values.insert(format!("targets[{code}]"), value.clone());
    }
    let outcome = settings::save_platform(&state.db, &actor, new)
        .await
        .map(|()| Some("settings-saved".to_owned()));
    super::admin::finish_form("settings", "/admin/settings", outcome, values).await
}

#[server(prefix = "/sf", endpoint = "admin/catalogue")]
pub async fn get_catalogue_page() -> Result<StaffPage<CataloguePage>, PageError> {
    let mut page = super::staff_page(&[Role::Admin], |state, _| async move {
        let entries = changes::entries(&state.db).await?;
        let (departments, procedures) = entries
            .into_iter()
            .partition(|e| e.kind == domain::model::CatalogueKind::Department.code());
        Ok(CataloguePage {
            departments,
            procedures,
            last_import: None,
        })
    })
    .await?;
    // The outcome of an import travels in the flash.
    if let Some(flash) = page.flash.as_ref().filter(|f| f.form == "catalogue-import")
        && let Some(plan) = flash.values.get("plan")
    {
        page.data.last_import = serde_json::from_str(plan).ok();
    }
    Ok(page)
}

/// Adds an entry, or changes the one with this kind and code.
#[server(prefix = "/sf", endpoint = "admin/catalogue/save")]
pub async fn save_catalogue_entry(
    kind: String,
    code: String,
    name_vi: String,
    name_en: String,
    field: Option<String>,
    department: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let entry = CatalogueEntry {
        kind: kind.clone(),
        code,
        name_vi,
        name_en,
        field: field.unwrap_or_default(),
        department: department.unwrap_or_default(),
        active: true,
    };
    let values = [
        ("code".to_owned(), entry.code.clone()),
        ("name_vi".to_owned(), entry.name_vi.clone()),
        ("name_en".to_owned(), entry.name_en.clone()),
        ("field".to_owned(), entry.field.clone()),
        ("department".to_owned(), entry.department.clone()),
    ]
    .into();
    // A retired entry stays retired when its names change.
    let entry = match stored_entry(&state, &kind, entry.code.trim()).await? {
        Some(found) => CatalogueEntry {
            active: found.active,
            ..entry
        },
        None => entry,
    };
    apply_one(&state, &actor, entry, values).await
}

/// Retires an entry (kept for the history) or puts it back in use.
#[server(prefix = "/sf", endpoint = "admin/catalogue/active")]
pub async fn set_catalogue_entry_active(
    kind: String,
    code: String,
    active: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let entry = stored_entry(&state, &kind, &code)
        .await?
        .ok_or(domain::AppError::NotFound("catalogue entry"))?;
    let entry = CatalogueEntry {
        active: active == "1",
        ..entry
    };
    apply_one(&state, &actor, entry, Default::default()).await
}

/// The stored entry of this kind and code, if any.
#[cfg(feature = "ssr")]
async fn stored_entry(
    state: &crate::ssr::AppState,
    kind: &str,
    code: &str,
) -> Result<Option<CatalogueEntry>, domain::AppError> {
    Ok(changes::entries(&state.db)
        .await?
        .into_iter()
        .find(|e| e.kind == kind && e.code == code))
}

/// Stores one entry edited on the page, then back to its form.
#[cfg(feature = "ssr")]
async fn apply_one(
    state: &crate::ssr::AppState,
    actor: &domain::services::audit::Actor,
    entry: CatalogueEntry,
    values: std::collections::BTreeMap<String, String>,
) -> Result<(), PageError> {
    let form = format!("catalogue-{}", entry.kind);
    let plan = changes::apply(
        &state.db,
        actor,
        "page",
        vec![(1, entry)],
        false,
        request_lang(),
    )
    .await?;
    finish(&form, &plan, values).await
}

/// Imports a catalogue file, or only shows what it would change.
#[server(input = MultipartFormData, prefix = "/sf", endpoint = "admin/catalogue/import")]
pub async fn import_catalogue(data: MultipartData) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let upload = super::distribution::read_upload(data).await?;
    let dry_run = !upload.field("dry_run").is_empty();
    let plan = changes::import_file(
        &state.db,
        &actor,
        &upload.file_name,
        upload.bytes,
        dry_run,
        request_lang(),
    )
    .await?;
    let shown = CataloguePlan {
        changes: plan.changes.iter().take(SHOWN).cloned().collect(),
        problems: plan.problems.iter().take(SHOWN).cloned().collect(),
        applied: plan.applied,
    };
    set_flash(&FormFlash {
        form: "catalogue-import".to_owned(),
        values: [(
            "plan".to_owned(),
            serde_json::to_string(&shown).unwrap_or_default(),
        )]
        .into(),
        ..FormFlash::default()
    })
    .await?;
    leptos_axum::redirect("/admin/catalogue#import");
    Ok(())
}

/// Back to the catalogue page: a notice, or each problem next to its field.
#[cfg(feature = "ssr")]
async fn finish(
    form: &str,
    plan: &CataloguePlan,
    values: std::collections::BTreeMap<String, String>,
) -> Result<(), PageError> {
    let flash = if plan.problems.is_empty() {
        FormFlash {
            form: form.to_owned(),
            notice: Some("catalogue-saved".to_owned()),
            ..FormFlash::default()
        }
    } else {
        FormFlash {
            form: form.to_owned(),
            errors: plan
                .problems
                .iter()
                .map(|p| FieldError {
                    field: p.field.clone(),
                    message: p.message.clone(),
                })
                .collect(),
            values,
            ..FormFlash::default()
        }
    };
    set_flash(&flash).await?;
    leptos_axum::redirect(&format!("/admin/catalogue#{form}"));
    Ok(())
}
