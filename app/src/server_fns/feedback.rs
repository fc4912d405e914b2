//! Server functions of feedback and the hotline: the public form, tracking
//! and list of answers; the staff list, recording, handling; the settings.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::PageError;

use domain::i18n::Lang;
use domain::model::{
    FeedbackFilter, FeedbackFormData, FeedbackItemData, FeedbackListData, FeedbackRecordData,
    FeedbackReportData, FeedbackSettingsData, PublicAnswersPage, StaffPage, TrackingPageData,
};

#[cfg(feature = "ssr")]
use {
    crate::ssr::{
        AppState,
        auth::{ANY_ROLE, request_auth, require},
        cookies::set_flash,
    },
    domain::{
        AppError,
        model::{DeadlineStep, FeedbackAction, FormFlash, HolidayRow, HotlineInfo, Problem, Role},
        public_codes::normalise,
        services::{
            catalogue,
            feedback::{self, Recorder},
            holidays, settings,
        },
    },
};

/// The fields of the public form and of the staff form, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeedbackFields {
    /// Staff form only: hotline, letter, email, in-person or web.
    #[serde(default)]
    pub channel: String,
    /// Staff form only: "yyyy-mm-ddThh:mm", Vietnam time.
    #[serde(default)]
    pub received_at: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub procedure: String,
    #[serde(default)]
    pub sender_name: String,
    #[serde(default)]
    pub sender_address: String,
    #[serde(default)]
    pub sender_phone: String,
    #[serde(default)]
    pub sender_email: String,
    /// A ticked box sends "on".
    #[serde(default)]
    pub consent_to_publish: Option<String>,
}

#[cfg(feature = "ssr")]
impl FeedbackFields {
    fn to_new(
        &self,
        channel: &str,
    ) -> Result<domain::services::feedback::NewFeedback, domain::AppError> {
        use domain::services::feedback::NewFeedback;
        let mut violations = Vec::new();
        let received_at =
            super::rounds::parse_local(&self.received_at, "received_at", &mut violations);
        if !violations.is_empty() {
            return Err(domain::AppError::Invalid(violations));
        }
        Ok(NewFeedback {
            channel: channel.to_owned(),
            received_at,
            subject: self.subject.clone(),
            content: self.content.clone(),
            category: self.category.clone(),
            department: self.department.clone(),
            procedure: self.procedure.clone(),
            sender: domain::model::SenderContact {
                name: self.sender_name.clone(),
                address: self.sender_address.clone(),
                phone: self.sender_phone.clone(),
                email: self.sender_email.clone(),
            },
            consent_to_publish: self.consent_to_publish.is_some(),
        })
    }

    /// What was typed, to show again beside the errors.
    fn values(&self) -> BTreeMap<String, String> {
        [
            ("channel", &self.channel),
            ("received_at", &self.received_at),
            ("subject", &self.subject),
            ("content", &self.content),
            ("category", &self.category),
            ("department", &self.department),
            ("procedure", &self.procedure),
            ("sender_name", &self.sender_name),
            ("sender_address", &self.sender_address),
            ("sender_phone", &self.sender_phone),
            ("sender_email", &self.sender_email),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .chain(
            self.consent_to_publish
                .as_ref()
                .map(|_| ("consent_to_publish".to_owned(), "on".to_owned())),
        )
        .collect()
    }
}

/// The public page: hotline details and the form.
#[server(prefix = "/sf", endpoint = "feedback/form")]
pub async fn get_feedback_form(lang: Lang) -> Result<FeedbackFormData, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    Ok(FeedbackFormData {
        agency_name: settings::agency_name_in(&state.db, lang).await?,
        logo: domain::services::logo::url(&state.db).await?,
        hotline: settings::hotline(&state.db).await?,
        departments: catalogue::choices(&state.db, lang).await?.0,
        csrf_token: crate::ssr::auth::request_auth().csrf_token,
        flash: crate::ssr::cookies::take_flash().await,
    })
}

/// A business or citizen sends feedback through the web form; the tracking
/// page then shows its code.
#[server(prefix = "/sf", endpoint = "feedback/send")]
pub async fn send_feedback(feedback: FeedbackFields) -> Result<String, PageError> {
    let fields = feedback;

    let state = crate::ssr::AppState::from_context()?;
    let outcome = match fields.to_new("web") {
        Ok(new) => feedback::record(&state.db, Recorder::Sender, new).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(item) => {
            let notice = if item.eligible_for_reply {
                "feedback-sent"
            } else {
                "feedback-sent-no-reply"
            };
            set_flash(&FormFlash {
                form: "feedback-track".to_owned(),
                notice: Some(notice.to_owned()),
                ..FormFlash::default()
            })
            .await?;
            // The sender's receipt: the tracking code and the private key
            // with which only they may rate the handling later.
            let key = feedback::issue_rating_key(&state.db, item.id).await?;
            leptos_axum::redirect(&tracking_link(&item.tracking_code, Some(&key)));
            Ok(item.tracking_code)
        }
        Err(err) => {
            super::admin::finish_form("feedback", "/feedback#form", Err(err), fields.values())
                .await?;
            Ok(String::new())
        }
    }
}

/// The tracking page of `code`, with the private rating `key` when the
/// sender follows their own link.
pub fn tracking_link(code: &str, key: Option<&str>) -> String {
    match key {
        Some(key) => format!("/feedback/track?code={code}&key={key}"),
        None => format!("/feedback/track?code={code}"),
    }
}

/// The tracking page: status and published answer of the item with `code`;
/// the rating form for the holder of the item's private rating `key`.
#[server(prefix = "/sf", endpoint = "feedback/track")]
pub async fn get_tracking(
    code: String,
    key: Option<String>,
) -> Result<TrackingPageData, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let mut item = if code.trim().is_empty() {
        None
    } else {
        feedback::public_view(&state.db, &code, key.as_deref()).await?
    };
    // Staff, signed in, never rate: the form is not offered to them.
    if request_auth().principal.is_some()
        && let Some(item) = item.as_mut()
    {
        item.can_rate = false;
    }
    let rating_key = key
        .filter(|_| item.as_ref().is_some_and(|i| i.holds_rating_key))
        .map(|k| domain::public_codes::normalise(&k));
    if item.is_none() && !code.trim().is_empty() {
        crate::components::respond_not_found();
    }
    Ok(TrackingPageData {
        code: domain::public_codes::normalise(&code),
        item,
        rating_key,
        csrf_token: crate::ssr::auth::request_auth().csrf_token,
        flash: crate::ssr::cookies::take_flash().await,
    })
}

/// The sender rates the handling (1–5) once the answer is published, with
/// the private key only they received. Staff, signed in, never rate.
#[server(prefix = "/sf", endpoint = "feedback/rate")]
pub async fn rate_feedback(
    code: String,
    key: Option<String>,
    rating: Option<String>,
) -> Result<(), PageError> {
    if request_auth().principal.is_some() {
        return Err(AppError::Forbidden.into());
    }
    let (key, rating) = (key.unwrap_or_default(), rating.unwrap_or_default());
    let state = crate::ssr::AppState::from_context()?;
    let outcome = feedback::rate(&state.db, &code, &key, &rating)
        .await
        .map(|()| Some("feedback-rated".to_owned()));
    let code = domain::public_codes::normalise(&code);
    let key = domain::public_codes::normalise(&key);
    super::admin::finish_form(
        "feedback-track",
        &tracking_link(&code, Some(&key)),
        outcome,
        Default::default(),
    )
    .await
}

/// Published answers, for anyone.
#[server(prefix = "/sf", endpoint = "feedback/answers")]
pub async fn get_published_answers(
    page: String,
    lang: Lang,
) -> Result<PublicAnswersPage, PageError> {
    let state = AppState::from_context()?;
    Ok(feedback::published_answers(&state.db, &page, lang).await?)
}

/// Who records items from other channels and handles them.
#[cfg(feature = "ssr")]
const RECORDERS: &[domain::model::Role] = &[domain::model::Role::Admin, domain::model::Role::Staff];

#[server(prefix = "/sf", endpoint = "feedback/list")]
pub async fn get_feedback_list(
    filter: FeedbackFilter,
    lang: Lang,
) -> Result<StaffPage<FeedbackListData>, PageError> {
    super::staff_page(ANY_ROLE, |state, principal| async move {
        Ok(FeedbackListData {
            missing_swap_years: domain::services::holidays::years_missing_swaps(
                &state.db,
                domain::working_days::vietnam_date(chrono::Utc::now()),
            )
            .await?,
            list: feedback::list(&state.db, &principal, &filter).await?,
            departments: catalogue::choices(&state.db, lang).await?.0,
            can_record: principal.has_role(RECORDERS),
            filter,
        })
    })
    .await
}

/// The six-monthly feedback report of `half` of `year` (the current
/// half-year when not given), for any signed-in user.
#[server(prefix = "/sf", endpoint = "feedback/report")]
pub async fn get_feedback_report(
    year: Option<i32>,
    half: Option<i16>,
    lang: Lang,
) -> Result<StaffPage<FeedbackReportData>, PageError> {
    super::staff_page(ANY_ROLE, |state, _| async move {
        let today = domain::working_days::vietnam_date(chrono::Utc::now());
        let year = year.unwrap_or(chrono::Datelike::year(&today));
        let half = half.unwrap_or(if chrono::Datelike::month(&today) <= 6 {
            1
        } else {
            2
        });
        if !(2000..=2200).contains(&year) {
            return Err(AppError::invalid("year", Problem::InvalidValue));
        }
        if !(1..=2).contains(&half) {
            return Err(AppError::invalid("half", Problem::InvalidValue));
        }
        Ok(FeedbackReportData {
            agency_name: settings::agency_name_in(&state.db, lang).await?,
            logo: domain::services::logo::url(&state.db).await?,
            report: feedback::report(&state.db, year, half, today, lang).await?,
        })
    })
    .await
}

#[server(prefix = "/sf", endpoint = "feedback/new")]
pub async fn get_feedback_record_page(
    lang: Lang,
) -> Result<StaffPage<FeedbackRecordData>, PageError> {
    super::staff_page(RECORDERS, |state, _| async move {
        let (departments, procedures) = catalogue::choices(&state.db, lang).await?;
        let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
        Ok(FeedbackRecordData {
            departments,
            procedures,
            hotline: settings::hotline(&state.db).await?,
            now: chrono::Utc::now()
                .with_timezone(&vietnam)
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        })
    })
    .await
}

/// Staff record an item that came by hotline, letter, email, in person or the web.
#[server(prefix = "/sf", endpoint = "feedback/record")]
pub async fn record_feedback(feedback: FeedbackFields) -> Result<(), PageError> {
    let fields = feedback;

    let principal = require(RECORDERS)?;
    let state = crate::ssr::AppState::from_context()?;
    let ip = request_auth().client_ip;
    let outcome = match fields.to_new(&fields.channel) {
        Ok(new) => feedback::record(&state.db, Recorder::Staff(&principal, &ip), new).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(item) => {
            let key = feedback::issue_rating_key(&state.db, item.id).await?;
            super::admin::finish_form(
                "feedback-item",
                &format!("/feedback/items/{}?receipt={key}", item.id),
                Ok(Some("feedback-recorded".to_owned())),
                Default::default(),
            )
            .await
        }
        Err(err) => {
            super::admin::finish_form(
                "feedback-record",
                "/feedback/items/new",
                Err(err),
                fields.values(),
            )
            .await
        }
    }
}

/// One item; `reveal` is a leader opening the sender's contact on purpose
/// (the audit log records it).
#[server(prefix = "/sf", endpoint = "feedback/item")]
pub async fn get_feedback_item(
    id: i32,
    lang: Lang,
    reveal: bool,
    receipt: Option<String>,
) -> Result<StaffPage<FeedbackItemData>, PageError> {
    super::staff_page(ANY_ROLE, |state, principal| async move {
        let ip = request_auth().client_ip;
        let item = feedback::detail(&state.db, &principal, &ip, id, lang, reveal).await?;
        let stored = feedback::find(&state.db, id).await?;
        // Only the recorder's own redirect carries the key, and only a
        // rating link for the sender is made of it (never a rating by staff).
        let sender_receipt = receipt
            .filter(|key| feedback::holds_rating_key(&stored, Some(key)))
            .map(|key| tracking_link(&stored.tracking_code, Some(&normalise(&key))));
        Ok(FeedbackItemData {
            actions: feedback::actions_for(&principal, &stored),
            sender_receipt,
            item,
            departments: catalogue::choices(&state.db, lang).await?.0,
        })
    })
    .await
}

/// The fields an action may need; each action reads its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionFields {
    #[serde(default)]
    pub classification: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub duplicate_of: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub public_summary: String,
    #[serde(default)]
    pub confirm_public: String,
}

#[cfg(feature = "ssr")]
impl From<ActionFields> for domain::services::feedback::ActionInput {
    fn from(f: ActionFields) -> Self {
        Self {
            classification: f.classification,
            category: f.category,
            duplicate_of: f.duplicate_of,
            department: f.department,
            answer: f.answer,
            reason: f.reason,
            public_summary: f.public_summary,
            confirm_public: f.confirm_public,
        }
    }
}

/// Classifies, assigns, starts, answers, approves, returns, publishes or closes an item.
#[server(prefix = "/sf", endpoint = "feedback/act")]
pub async fn act_on_feedback(
    id: i32,
    action: String,
    #[server(default)] fields: ActionFields,
) -> Result<(), PageError> {
    let principal = require(ANY_ROLE)?;
    let state = crate::ssr::AppState::from_context()?;
    let action = FeedbackAction::parse(&action)
        .ok_or_else(|| AppError::invalid("action", Problem::InvalidValue))?;
    let values: BTreeMap<String, String> = serde_json::to_value(&fields)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let outcome = feedback::act(
        &state.db,
        &principal,
        &request_auth().client_ip,
        id,
        action,
        fields.into(),
    )
    .await
    .map(|_| Some("feedback-updated".to_owned()));
    let form = if outcome.is_ok() {
        "feedback-item".to_owned()
    } else {
        format!("feedback-{}", action.code())
    };
    super::admin::finish_form(&form, &format!("/feedback/items/{id}"), outcome, values).await
}

#[server(prefix = "/sf", endpoint = "feedback/settings")]
pub async fn get_feedback_settings(
    lang: Lang,
) -> Result<StaffPage<FeedbackSettingsData>, PageError> {
    super::staff_page(&[Role::Admin], |state, _| async move {
        let mut deadlines = Vec::new();
        for step in DeadlineStep::ALL {
            deadlines.push((*step, settings::deadline_days(&state.db, *step).await?));
        }
        Ok(FeedbackSettingsData {
            hotline: settings::hotline(&state.db).await?,
            deadlines,
            holidays: holidays::all(&state.db)
                .await?
                .into_iter()
                .map(|h| HolidayRow {
                    day: h.day.format("%Y-%m-%d").to_string(),
                    label: lang.weekday_date(h.day),
                    name: h.name,
                    workday: h.kind == domain::model::HolidayKind::Workday,
                })
                .collect(),
            swap_years: holidays::swap_years(&state.db).await?.into_iter().collect(),
            missing_swap_years: holidays::years_missing_swaps(
                &state.db,
                domain::working_days::vietnam_date(chrono::Utc::now()),
            )
            .await?,
        })
    })
    .await
}

/// The hotline details the public page shows.
#[server(prefix = "/sf", endpoint = "feedback/settings/hotline")]
pub async fn save_hotline(
    phone: String,
    address: String,
    email: String,
    hours: String,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let values: BTreeMap<String, String> = [
        ("phone".to_owned(), phone.clone()),
        ("address".to_owned(), address.clone()),
        ("email".to_owned(), email.clone()),
        ("hours".to_owned(), hours.clone()),
    ]
    .into();
    let info = HotlineInfo {
        phone,
        address,
        email,
        hours,
    };
    let outcome = domain::services::settings::save_hotline(&state.db, &actor, info)
        .await
        .map(|()| Some("feedback-settings-saved".to_owned()));
    super::admin::finish_form("hotline", "/admin/feedback-settings", outcome, values).await
}

/// Working days per step, as `days[classify]=3` and so on.
#[server(prefix = "/sf", endpoint = "feedback/settings/deadlines")]
pub async fn save_deadlines(days: BTreeMap<String, String>) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = domain::services::settings::save_deadlines(&state.db, &actor, &days)
        .await
        .map(|()| Some("feedback-settings-saved".to_owned()));
    let values = days
        .into_iter()
        .map(|(k, v)| (format!("days[{k}]"), v))
        .collect();
    super::admin::finish_form("deadlines", "/admin/feedback-settings", outcome, values).await
}

/// Back to the holiday calendar of the settings page after one of its forms.
#[cfg(feature = "ssr")]
async fn back_to_holidays(
    form: &str,
    outcome: Result<Option<String>, AppError>,
    values: BTreeMap<String, String>,
) -> Result<(), PageError> {
    super::admin::finish_form(form, "/admin/feedback-settings#holidays", outcome, values).await
}

/// A year typed in a form, or the problem with it.
#[cfg(feature = "ssr")]
fn year_field(text: &str) -> Result<i32, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::invalid("year", Problem::InvalidValue))
}

#[server(prefix = "/sf", endpoint = "feedback/holidays/add")]
pub async fn add_holiday(day: String, name: String, kind: Option<String>) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let kind = kind.unwrap_or_else(|| domain::model::HolidayKind::DayOff.code().to_owned());
    let outcome = domain::services::holidays::add(&state.db, &actor, &day, &name, &kind)
        .await
        .map(|_| Some("holiday-added".to_owned()));
    let values = [
        ("day".to_owned(), day),
        ("name".to_owned(), name),
        ("kind".to_owned(), kind),
    ]
    .into();
    back_to_holidays("holidays", outcome, values).await
}

/// An admin confirms a year's swap days are all entered.
#[server(prefix = "/sf", endpoint = "feedback/holidays/swaps")]
pub async fn confirm_swaps(year: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = async {
        let year = year_field(&year)?;
        domain::services::holidays::confirm_swaps(&state.db, &actor, year)
            .await
            .map(|()| Some("swaps-confirmed".to_owned()))
    }
    .await;
    let values = [("year".to_owned(), year)].into();
    back_to_holidays("swaps", outcome, values).await
}

/// Reads an iCalendar file of days off and swap days, all or nothing.
#[server(input = leptos::server_fn::codec::MultipartFormData, prefix = "/sf", endpoint = "feedback/holidays/import")]
pub async fn import_holidays(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let upload = super::distribution::read_upload(data).await?;
    let outcome = match String::from_utf8(upload.bytes) {
        Ok(text) => domain::services::holidays::import_ics(&state.db, &actor, &text)
            .await
            .map(|_| Some("holidays-imported".to_owned())),
        Err(_) => Err(AppError::invalid(
            "file",
            Problem::Malformed("not a UTF-8 text file".to_owned()),
        )),
    };
    back_to_holidays("holidays-import", outcome, Default::default()).await
}

/// Puts a year's public holidays (Labour Code list, lunar ones computed)
/// with their substitute days in the calendar.
#[server(prefix = "/sf", endpoint = "feedback/holidays/public")]
pub async fn add_public_holidays(year: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = async {
        let year = year_field(&year)?;
        domain::services::holidays::add_public(&state.db, &actor, year)
            .await
            .map(|_| Some("public-holidays-added".to_owned()))
    }
    .await;
    let values = [("year".to_owned(), year)].into();
    back_to_holidays("holidays", outcome, values).await
}

#[server(prefix = "/sf", endpoint = "feedback/holidays/remove")]
pub async fn remove_holiday(day: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = domain::services::holidays::remove(&state.db, &actor, &day)
        .await
        .map(|()| Some("holiday-removed".to_owned()));
    back_to_holidays("holidays", outcome, Default::default()).await
}
