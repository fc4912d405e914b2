//! Per-dossier rating: the public rating page and its form (no account,
//! works without JavaScript), and the staff page of the figures.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::PageError;
use domain::i18n::Lang;
use domain::model::{DossierFiguresPage, DossierRatingPage, StaffPage};

#[cfg(feature = "ssr")]
use {
    crate::ssr::auth::{request_auth, require},
    crate::ssr::cookies::request_lang,
    domain::model::{NewDossierRating, RatingLevel, RatingReason, RatingSource, Role},
    domain::services::dossiers::{self, figures, rating},
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
