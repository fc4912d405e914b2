//! Administration: users, API tokens, the audit log and personal data
//! (retention, a person's export and erasure). Admins only.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::PageError;

use domain::model::{
    AuditRow, OutboxPageData, PersonalDataPage, StaffPage, TokenRow, UsersPageData, WebhookRow,
};

#[cfg(feature = "ssr")]
use {
    crate::ssr::cookies::{request_lang, set_flash},
    domain::{
        AppError,
        i18n::local_time,
        model::{FormFlash, Problem, Role, Scope, WebhookEvent},
        services::{
            accounts::{self, NewUser, UserUpdate},
            audit, catalogue, outbox, retention, sessions, tokens, webhooks,
        },
    },
};

/// The end of a day typed as yyyy-mm-dd, Vietnam time; `None` for no day.
#[cfg(feature = "ssr")]
fn end_of_day(text: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ())?;
    let (_, end) = domain::working_days::day_bounds(day);
    Ok(Some(end))
}

/// The checked boxes of a `name[CODE]=on` group.
#[cfg(feature = "ssr")]
fn checked(boxes: Option<BTreeMap<String, String>>) -> Vec<String> {
    boxes.unwrap_or_default().into_keys().collect()
}

/// After a form: success leaves a notice; invalid input goes back with its
/// errors and what was entered; other failures are errors.
#[cfg(feature = "ssr")]
pub(crate) async fn finish_form(
    form: &str,
    back_to: &str,
    outcome: Result<Option<String>, domain::AppError>,
    values: BTreeMap<String, String>,
) -> Result<(), PageError> {
    use crate::ssr::cookies::{request_lang, set_flash};
    use domain::AppError;
    use domain::model::FormFlash;
    let flash = match outcome {
        Ok(notice) => FormFlash {
            form: form.to_owned(),
            notice,
            ..FormFlash::default()
        },
        Err(AppError::Invalid(violations)) => FormFlash {
            form: form.to_owned(),
            errors: violations
                .iter()
                .map(|v| v.to_field_error(request_lang()))
                .collect(),
            values,
            ..FormFlash::default()
        },
        Err(AppError::Conflict { code, message }) => FormFlash {
            form: form.to_owned(),
            errors: vec![domain::model::FieldError {
                field: "form".to_owned(),
                message: request_lang().conflict(code).map_or(message, str::to_owned),
            }],
            values,
            ..FormFlash::default()
        },
        Err(other) => return Err(other.into()),
    };
    set_flash(&flash).await?;
    leptos_axum::redirect(back_to);
    Ok(())
}

#[server(prefix = "/sf", endpoint = "admin/users")]
pub async fn get_users_page() -> Result<StaffPage<UsersPageData>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        let (departments, _) = catalogue::choices(&state.db, request_lang()).await?;
        let locked = sessions::locked_usernames(&state.db, chrono::Utc::now())
            .await?
            .into_iter()
            .map(|(name, until)| (name, local_time(until)))
            .collect();
        Ok(UsersPageData {
            users: accounts::list_users(&state.db).await?,
            departments,
            locked,
        })
    })
    .await
}

#[server(prefix = "/sf", endpoint = "admin/users/create")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    password: String,
    departments: Option<BTreeMap<String, String>>,
    can_triage: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let departments = checked(departments);
    let values: BTreeMap<String, String> = [
        ("username".to_owned(), username.clone()),
        ("display_name".to_owned(), display_name.clone()),
        ("role".to_owned(), role.clone()),
        ("departments".to_owned(), departments.join(",")),
    ]
    .into();
    let outcome = match Role::parse(&role) {
        None => Err(AppError::invalid("role", Problem::InvalidValue)),
        Some(role) => accounts::create_user(
            &state.db,
            &actor,
            NewUser {
                username,
                display_name,
                password,
                role,
                departments,
                can_triage: can_triage.is_some(),
            },
        )
        .await
        .map(|_| Some("user-created".to_owned())),
    };
    finish_form("user-create", "/admin/users", outcome, values).await
}

#[server(prefix = "/sf", endpoint = "admin/users/update")]
pub async fn update_user(
    id: i32,
    display_name: String,
    role: String,
    active: Option<String>,
    departments: Option<BTreeMap<String, String>>,
    can_triage: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = match Role::parse(&role) {
        None => Err(AppError::invalid("role", Problem::InvalidValue)),
        Some(role) => accounts::update_user(
            &state.db,
            &actor,
            id,
            UserUpdate {
                display_name,
                role,
                departments: checked(departments),
                active: active.is_some(),
                can_triage: can_triage.is_some(),
            },
        )
        .await
        .map(|_| Some("user-updated".to_owned())),
    };
    finish_form(
        &format!("user-{id}"),
        "/admin/users",
        outcome,
        BTreeMap::new(),
    )
    .await
}

/// Lifts the sign-in locks of a user (too many wrong passwords).
#[server(prefix = "/sf", endpoint = "admin/users/unlock")]
pub async fn unlock_user(id: i32, username: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = sessions::unlock(&state.db, &actor, &username)
        .await
        .map(|_| Some("user-unlocked".to_owned()));
    finish_form(
        &format!("user-{id}"),
        "/admin/users",
        outcome,
        BTreeMap::new(),
    )
    .await
}

#[server(prefix = "/sf", endpoint = "admin/users/password")]
pub async fn reset_user_password(id: i32, password: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = accounts::reset_password(&state.db, &actor, id, &password)
        .await
        .map(|()| Some("password-reset".to_owned()));
    finish_form(
        &format!("user-{id}"),
        "/admin/users",
        outcome,
        BTreeMap::new(),
    )
    .await
}

#[server(prefix = "/sf", endpoint = "admin/users/logout")]
pub async fn log_out_user(id: i32) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = accounts::log_out_everywhere(&state.db, &actor, id)
        .await
        .map(|_| Some("user-logged-out".to_owned()));
    finish_form(
        &format!("user-{id}"),
        "/admin/users",
        outcome,
        BTreeMap::new(),
    )
    .await
}

#[server(prefix = "/sf", endpoint = "admin/tokens")]
pub async fn get_tokens_page() -> Result<StaffPage<Vec<TokenRow>>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        Ok(tokens::list(&state.db)
            .await?
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                role: t.role,
                name: t.name,
                prefix: t.prefix,
                created_at: local_time(t.created_at),
                last_used_at: t.last_used_at.map(local_time),
                revoked: t.revoked_at.is_some(),
                scopes: Scope::parse_list(&t.scopes),
                expires_at: t.expires_at.map(local_time),
            })
            .collect())
    })
    .await
}

/// Creates a token with its role, scopes (`scopes[indices:read]=on` …) and
/// an optional last day; the next page shows it once.
#[server(prefix = "/sf", endpoint = "admin/tokens/create")]
pub async fn create_token(
    name: String,
    role: String,
    scopes: Option<BTreeMap<String, String>>,
    expires_on: Option<String>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let scopes = checked(scopes);
    let expires_on = expires_on.unwrap_or_default();
    let values: BTreeMap<String, String> = [
        ("name".to_owned(), name.clone()),
        ("role".to_owned(), role.clone()),
        ("scopes".to_owned(), scopes.join(",")),
        ("expires_on".to_owned(), expires_on.clone()),
    ]
    .into();
    let created = match (Role::parse(&role), end_of_day(&expires_on)) {
        (None, _) => Err(AppError::invalid("role", Problem::InvalidValue)),
        (_, Err(())) => Err(AppError::invalid("expires_on", Problem::InvalidValue)),
        (Some(role), Ok(expires_at)) => {
            let new = tokens::NewToken {
                name,
                role,
                scopes: scopes.iter().filter_map(|s| Scope::parse(s)).collect(),
                expires_at,
            };
            tokens::create(&state.db, &actor, new).await
        }
    };
    match created {
        Ok((_, token)) => {
            set_flash(&FormFlash {
                form: "token-create".to_owned(),
                notice: Some("token-created".to_owned()),
                secret: Some(token),
                ..FormFlash::default()
            })
            .await?;
            leptos_axum::redirect("/admin/tokens");
            Ok(())
        }
        Err(err) => finish_form("token-create", "/admin/tokens", Err(err), values).await,
    }
}

#[server(prefix = "/sf", endpoint = "admin/tokens/revoke")]
pub async fn revoke_token(id: i32) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = tokens::revoke(&state.db, &actor, id)
        .await
        .map(|()| Some("token-revoked".to_owned()));
    finish_form("token-list", "/admin/tokens", outcome, BTreeMap::new()).await
}

#[server(prefix = "/sf", endpoint = "admin/audit")]
pub async fn get_audit_page() -> Result<StaffPage<Vec<AuditRow>>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        Ok(audit::latest(&state.db, 500)
            .await?
            .into_iter()
            .map(|e| AuditRow {
                at: local_time(e.at),
                actor: e.actor,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                before: e.before,
                after: e.after,
                ip: e.ip,
            })
            .collect())
    })
    .await
}

/// The outbox: what waits or was given up, and why nothing goes out.
#[server(prefix = "/sf", endpoint = "admin/outbox")]
pub async fn get_outbox_page() -> Result<StaffPage<OutboxPageData>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        outbox::page(
            &state.db,
            state.mail_configured,
            state.sms_configured,
            state.public_url.as_deref(),
        )
        .await
    })
    .await
}

/// Queues a given-up message again.
#[server(prefix = "/sf", endpoint = "admin/outbox/resend")]
pub async fn resend_message(id: i32) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = outbox::resend(&state.db, &actor, id)
        .await
        .map(|()| Some("message-resent".to_owned()));
    finish_form("outbox", "/admin/outbox", outcome, BTreeMap::new()).await
}

/// Withdraws a waiting or given-up message.
#[server(prefix = "/sf", endpoint = "admin/outbox/cancel")]
pub async fn cancel_message(id: i32) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = outbox::cancel(&state.db, &actor, id)
        .await
        .map(|()| Some("message-cancelled".to_owned()));
    finish_form("outbox", "/admin/outbox", outcome, BTreeMap::new()).await
}

/// The webhooks: where events go, and how their deliveries stand.
#[server(prefix = "/sf", endpoint = "admin/webhooks")]
pub async fn get_webhooks_page() -> Result<StaffPage<Vec<WebhookRow>>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        webhooks::list(&state.db).await
    })
    .await
}

/// Adds a webhook for the ticked events (`events[feedback.recorded]=on` …);
/// the next page shows its secret once.
#[server(prefix = "/sf", endpoint = "admin/webhooks/create")]
pub async fn create_webhook(
    name: String,
    url: String,
    events: Option<BTreeMap<String, String>>,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let events = checked(events);
    let values: BTreeMap<String, String> = [
        ("name".to_owned(), name.clone()),
        ("url".to_owned(), url.clone()),
        ("events".to_owned(), events.join(",")),
    ]
    .into();
    let new = webhooks::NewWebhook {
        name,
        url,
        events: events
            .iter()
            .filter_map(|e| WebhookEvent::parse(e))
            .collect(),
    };
    match webhooks::create(&state.db, &actor, new).await {
        Ok((_, secret)) => {
            set_flash(&FormFlash {
                form: "webhook-create".to_owned(),
                notice: Some("webhook-created".to_owned()),
                secret: Some(secret),
                ..FormFlash::default()
            })
            .await?;
            leptos_axum::redirect("/admin/webhooks");
            Ok(())
        }
        Err(err) => finish_form("webhook-create", "/admin/webhooks", Err(err), values).await,
    }
}

/// Sends a webhook a signed test event at once and says how it answered.
#[server(prefix = "/sf", endpoint = "admin/webhooks/test")]
pub async fn test_webhook(id: i32) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let sender = outbox::WebhookSender::new().map_err(AppError::Internal)?;
    let outcome = match webhooks::send_test(&state.db, &actor, &sender, id).await {
        Ok(Ok(())) => Ok(Some("webhook-test-delivered".to_owned())),
        Ok(Err(reason)) => Err(AppError::Conflict {
            code: domain::model::Conflict::WebhookTestFailed,
            message: format!("{} {reason}", request_lang().webhook_texts().test_failed),
        }),
        Err(err) => Err(err),
    };
    finish_form("webhook-list", "/admin/webhooks", outcome, BTreeMap::new()).await
}

/// Stops a webhook; what waits for it is withdrawn.
#[server(prefix = "/sf", endpoint = "admin/webhooks/revoke")]
pub async fn revoke_webhook(id: i32) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = webhooks::revoke(&state.db, &actor, id)
        .await
        .map(|()| Some("webhook-revoked".to_owned()));
    finish_form("webhook-list", "/admin/webhooks", outcome, BTreeMap::new()).await
}

/// The personal-data page: retention periods and what the next purge erases.
#[server(prefix = "/sf", endpoint = "admin/personal-data")]
pub async fn get_personal_data_page() -> Result<StaffPage<PersonalDataPage>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        let due = retention::purge(&state.db, chrono::Utc::now(), true).await?;
        Ok(PersonalDataPage {
            retention: retention::periods(&state.db).await?,
            feedback_items_due: due.feedback_items,
            invitations_due: due.invitations,
        })
    })
    .await
}

/// Sets how long contacts are kept.
#[server(prefix = "/sf", endpoint = "admin/personal-data/retention")]
pub async fn save_retention(
    feedback_contact_days: String,
    invitation_contact_days: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = retention::set_periods(
        &state.db,
        &actor,
        &feedback_contact_days,
        &invitation_contact_days,
    )
    .await
    .map(|_| Some("retention-saved".to_owned()));
    let values = [
        ("feedback_contact_days".to_owned(), feedback_contact_days),
        (
            "invitation_contact_days".to_owned(),
            invitation_contact_days,
        ),
    ]
    .into();
    finish_form("retention", "/admin/personal-data", outcome, values).await
}

/// Erases the contacts of every record naming one person, on their request.
#[server(prefix = "/sf", endpoint = "admin/personal-data/erase")]
pub async fn erase_person(identifier: String, reason: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = retention::erase_person(&state.db, &actor, &identifier, &reason)
        .await
        .map(|_| Some("person-erased".to_owned()));
    // What identifies the person is not kept in the flash.
    let values = [("reason".to_owned(), reason)].into();
    finish_form("person", "/admin/personal-data", outcome, values).await
}
