//! Per-dossier rating: the public rating page and its form (no account,
//! works without JavaScript), and the staff page of the figures.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::PageError;
use domain::i18n::Lang;
use domain::model::{
    DossierFiguresPage, DossierRatingPage, KioskScreenPage, KiosksPage, PublicDossierFigures,
    StaffPage,
};

#[cfg(feature = "ssr")]
use {
    crate::ssr::auth::{request_auth, require},
    crate::ssr::cookies::request_lang,
    domain::model::{NewDossierRating, RatingLevel, RatingReason, RatingSource, Role},
    domain::services::dossiers::{self, figures, kiosk, rating},
};

/// The rating page of the link `key`; an unknown key answers 404 with the page's explanation.
#[server(prefix = "/sf", endpoint = "dossiers/rating-page")]
pub async fn get_rating_page(key: String, lang: Lang) -> Result<DossierRatingPage, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let view = rating::view(&state.db, &key, chrono::Utc::now(), lang).await?;
    Ok(DossierRatingPage {
        view,
        csrf_token: request_auth().csrf_token,
        flash: crate::ssr::cookies::take_flash().await,
    })
}

/// Rates the dossier of the link `key`, once. Input names equal these
/// argument names; reasons come as `reasons[waiting-time]=on`.
#[server(prefix = "/sf", endpoint = "dossiers/rate")]
pub async fn rate_dossier(
    key: String,
    level: Option<String>,
    reasons: Option<BTreeMap<String, String>>,
    trips: Option<String>,
    comment: Option<String>,
) -> Result<(), PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let lang = request_lang();
    let new = NewDossierRating {
        level: level.as_deref().and_then(RatingLevel::parse),
        reasons: reasons
            .unwrap_or_default()
            .keys()
            .filter_map(|code| RatingReason::parse(code))
            .collect(),
        trips: trips
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<i16>().unwrap_or(0)),
        comment: comment.clone().unwrap_or_default(),
    };
    // Only the characters of a key go back into the address.
    let safe_key: String = domain::public_codes::normalise(&key)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    let page = format!("/r/{safe_key}?lang={}", lang.code());
    match rating::rate(
        &state.db,
        &key,
        &new,
        RatingSource::Link,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(rating::RateOutcome::Stored) => {
            leptos_axum::redirect(&format!("{page}&done=1"));
            Ok(())
        }
        Ok(_) => {
            // Rated meanwhile, expired or unknown: the page says which.
            leptos_axum::redirect(&page);
            Ok(())
        }
        Err(refused) => {
            let values: BTreeMap<String, String> = [
                ("level".to_owned(), level.unwrap_or_default()),
                ("trips".to_owned(), trips.unwrap_or_default()),
                ("comment".to_owned(), comment.unwrap_or_default()),
            ]
            .into();
            crate::server_fns::admin::finish_form("dossier-rating", &page, Err(refused), values)
                .await
        }
    }
}

/// The dossier figures of `year` (this year when absent) or one `month`.
#[server(prefix = "/sf", endpoint = "dossiers/figures")]
pub async fn get_dossier_figures(
    year: Option<i32>,
    month: Option<u32>,
    lang: Lang,
) -> Result<StaffPage<DossierFiguresPage>, PageError> {
    super::staff_page(
        &[Role::Admin, Role::Leader, Role::Staff],
        |state, _| async move {
            let this_year =
                chrono::Datelike::year(&domain::working_days::vietnam_date(chrono::Utc::now()));
            let year = year
                .filter(|y| (2000..=2100).contains(y))
                .unwrap_or(this_year);
            let month = month.filter(|m| (1..=12).contains(m));
            Ok(DossierFiguresPage {
                figures: figures::figures(&state.db, year, month, lang).await?,
                years: figures::years(&state.db, this_year).await?,
                rating_days: dossiers::rating_days(&state.db).await?,
            })
        },
    )
    .await
}

/// The figures of one month (this month when absent) for anyone: nothing
/// personal is in them, and rating figures below the threshold are hidden.
#[server(prefix = "/sf", endpoint = "dossiers/public")]
pub async fn get_public_dossier_figures(
    year: Option<i32>,
    month: Option<u32>,
    lang: Lang,
) -> Result<PublicDossierFigures, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let today = domain::working_days::vietnam_date(chrono::Utc::now());
    let this_year = chrono::Datelike::year(&today);
    let year = year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(this_year);
    let month = month
        .filter(|m| (1..=12).contains(m))
        .unwrap_or_else(|| chrono::Datelike::month(&today));
    Ok(PublicDossierFigures {
        figures: figures::figures(&state.db, year, Some(month), lang).await?,
        years: figures::years(&state.db, this_year).await?,
    })
}

/// Sets how many days a rating link stays open after completion (admins).
#[server(prefix = "/sf", endpoint = "dossiers/rating-days")]
pub async fn set_rating_days(rating_days: String) -> Result<(), PageError> {
    let principal = require(&[Role::Admin])?;
    let state = crate::ssr::AppState::from_context()?;
    let actor = domain::services::audit::Actor::of(&principal, &request_auth().client_ip);
    let outcome = async {
        let days = dossiers::set_rating_days(&state.db, &rating_days).await?;
        domain::services::audit::record(
            &state.db,
            &actor,
            "dossiers.rating_days",
            "settings",
            Some(dossiers::RATING_DAYS.to_owned()),
            None::<&()>,
            Some(&days),
        )
        .await?;
        Ok(Some("rating-days-saved".to_owned()))
    }
    .await;
    crate::server_fns::admin::finish_form(
        "dossier-settings",
        "/dossiers",
        outcome,
        [(dossiers::RATING_DAYS.to_owned(), rating_days)].into(),
    )
    .await
}

/// The tablet's page of the kiosk whose address holds `token`.
#[server(prefix = "/sf", endpoint = "kiosk/screen")]
pub async fn get_kiosk_screen(token: String, lang: Lang) -> Result<KioskScreenPage, PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let screen = kiosk::screen(&state.db, &token, chrono::Utc::now(), lang).await?;
    Ok(KioskScreenPage {
        screen,
        csrf_token: request_auth().csrf_token,
    })
}

/// One tap on the kiosk: the rating of the dossier handed over as
/// `handover`. The tablet goes back to its screen, thanking the person
/// when the rating was stored.
#[server(prefix = "/sf", endpoint = "kiosk/rate")]
pub async fn kiosk_rate(token: String, handover: String, level: String) -> Result<(), PageError> {
    let state = crate::ssr::AppState::from_context()?;
    let safe_token: String = domain::public_codes::normalise(&token)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    let screen = format!("/kiosk/{safe_token}?lang={}", request_lang().code());
    let (Some(level), Ok(handover)) = (RatingLevel::parse(&level), handover.parse::<i64>()) else {
        leptos_axum::redirect(&format!("{screen}&done=not-stored"));
        return Ok(());
    };
    match kiosk::rate(&state.db, &token, handover, level, chrono::Utc::now()).await? {
        None => Err(PageError::from(domain::AppError::NotFound("kiosk"))),
        Some(outcome) => {
            let done = match outcome {
                kiosk::KioskOutcome::Stored => "stored",
                kiosk::KioskOutcome::NotStored => "not-stored",
            };
            leptos_axum::redirect(&format!("{screen}&done={done}"));
            Ok(())
        }
    }
}

/// The officers' page of the counter kiosks.
#[server(prefix = "/sf", endpoint = "kiosks")]
pub async fn get_kiosks() -> Result<StaffPage<KiosksPage>, PageError> {
    super::staff_page(&[Role::Admin, Role::Staff], |state, _| async move {
        let base = state.public_base_url().await?;
        Ok(KiosksPage {
            kiosks: kiosk::list(&state.db, Some(&base), chrono::Utc::now()).await?,
        })
    })
    .await
}

/// Adds a counter kiosk (admins).
#[server(prefix = "/sf", endpoint = "kiosks/add")]
pub async fn add_kiosk(name: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = async {
        let id = kiosk::add(&state.db, &name).await?;
        domain::services::audit::record(
            &state.db,
            &actor,
            "dossiers.kiosk_added",
            "counter_kiosk",
            Some(id.to_string()),
            None::<&()>,
            Some(&name.trim()),
        )
        .await?;
        Ok(Some("kiosk-added".to_owned()))
    }
    .await;
    crate::server_fns::admin::finish_form(
        "kiosk-add",
        "/dossiers/kiosks",
        outcome,
        [("name".to_owned(), name)].into(),
    )
    .await
}

/// Removes a counter kiosk (admins): its address stops working.
#[server(prefix = "/sf", endpoint = "kiosks/remove")]
pub async fn remove_kiosk(kiosk: i32) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin])?;
    let outcome = async {
        kiosk::remove(&state.db, kiosk).await?;
        domain::services::audit::record(
            &state.db,
            &actor,
            "dossiers.kiosk_removed",
            "counter_kiosk",
            Some(kiosk.to_string()),
            None::<&()>,
            None::<&()>,
        )
        .await?;
        Ok(Some("kiosk-removed".to_owned()))
    }
    .await;
    crate::server_fns::admin::finish_form(
        "kiosk-list",
        "/dossiers/kiosks",
        outcome,
        BTreeMap::new(),
    )
    .await
}

/// Hands the completed dossier `code` over to counter kiosk `kiosk`.
#[server(prefix = "/sf", endpoint = "kiosks/hand-over")]
pub async fn hand_over_dossier(kiosk: String, code: String) -> Result<(), PageError> {
    let (state, actor) = super::acting_as(&[Role::Admin, Role::Staff])?;
    let outcome = match kiosk.trim().parse::<i32>() {
        Ok(id) => kiosk::hand_over(&state.db, &actor, id, &code, chrono::Utc::now())
            .await
            .map(|()| Some("kiosk-handed-over".to_owned())),
        Err(_) => Err(domain::AppError::Invalid(vec![
            domain::model::Violation::new("kiosk", domain::model::Problem::UnknownKiosk),
        ])),
    };
    // The page keeps the kiosk chosen, for the next dossier at this counter.
    let back_to = match kiosk.trim().parse::<i32>() {
        Ok(id) => format!("/dossiers/kiosks?kiosk={id}"),
        Err(_) => "/dossiers/kiosks".to_owned(),
    };
    crate::server_fns::admin::finish_form(
        "kiosk-hand-over",
        &back_to,
        outcome,
        [("kiosk".to_owned(), kiosk), ("code".to_owned(), code)].into(),
    )
    .await
}
