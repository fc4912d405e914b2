//! Approval and publication: a leader approves a closed round's results,
//! which freezes them in a snapshot (every figure with its counts and the
//! formula version) behind a permanent public link. The database refuses any
//! change to a snapshot, and later responses never reach it.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::AppError;
use crate::entities::result_snapshot;
use crate::i18n::Lang;
use crate::model::{PublishedResults, PublishedSummary, RoundStatus, WebhookEvent};
use crate::public_codes::random_code;
use crate::services::audit::{self, Actor};
use crate::services::{indices, instruments, rounds, settings, webhooks};

/// Publishes the results of a closed round (once; publishing again returns the same link).
#[tracing::instrument(skip_all)]
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    slug: &str,
) -> Result<String, AppError> {
    let found = rounds::require(db, slug).await?;
    if let Some(existing) = of_round(db, found.id).await? {
        return Ok(existing);
    }
    if rounds::status(&found) != RoundStatus::Closed {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::RoundNotClosed,
            message: "Only a closed round's results can be approved and published.".to_owned(),
        });
    }
    let filter = indices::Filter::default();
    let report = indices::report(db, &found, &filter).await?;
    let instrument = instruments::load(db, found.instrument_id).await?;
    let mut breakdowns = Vec::new();
    for dimension in ["respondent_type", "department"] {
        breakdowns
            .push(indices::breakdown(db, &found, &instrument, dimension, &filter, Lang::Vi).await?);
    }
    let public_id = random_code("KQ", 3);
    let now = Utc::now();
    let results = PublishedResults {
        public_id: public_id.clone(),
        round_slug: found.slug.clone(),
        title_vi: found.title_vi.clone(),
        title_en: found.title_en.clone(),
        year: found.year,
        half: found.half,
        agency_name: settings::agency_name(db).await?,
        logo: None,
        report,
        breakdowns,
        target: settings::target_index(db).await?,
        element_targets: settings::element_targets(db).await?,
        approved_at: crate::i18n::local_time(now),
        approved_by: actor.name.clone(),
    };
    let data = serde_json::to_string(&results).map_err(|e| AppError::Internal(e.to_string()))?;
    let txn = db.begin().await?;
    result_snapshot::ActiveModel {
        round_id: Set(found.id),
        public_id: Set(public_id.clone()),
        formula_version: Set(results.report.formula_version.clone()),
        data: Set(data),
        approved_by_user_id: Set(actor.user_id),
        approved_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let published = rounds::set_status(&txn, found, RoundStatus::Published).await?;
    let event = WebhookEvent::RoundPublished;
    let data = webhooks::RoundData {
        slug: published.slug.clone(),
        title_vi: published.title_vi.clone(),
        title_en: published.title_en.clone(),
        year: published.year,
        half: published.half.into(),
        public_id: public_id.clone(),
        overall: results.report.overall,
        responses: results.report.n_responses,
    };
    let subscribers = webhooks::subscribers(&txn, event).await?;
    webhooks::enqueue(&txn, &subscribers, event, &data, now).await?;
    let after = serde_json::json!({"public_id": public_id, "overall": results.report.overall, "n_responses": results.report.n_responses});
    audit::record(
        &txn,
        actor,
        "round.publish",
        "round",
        Some(published.slug.clone()),
        None::<&()>,
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(public_id)
}

#[tracing::instrument(skip_all)]
pub async fn of_round(db: &DatabaseConnection, round_id: i32) -> Result<Option<String>, AppError> {
    Ok(result_snapshot::Entity::find()
        .filter(result_snapshot::Column::RoundId.eq(round_id))
        .one(db)
        .await?
        .map(|s| s.public_id))
}

#[tracing::instrument(skip_all)]
pub async fn find(
    db: &DatabaseConnection,
    public_id: &str,
) -> Result<Option<PublishedResults>, AppError> {
    let Some(snapshot) = result_snapshot::Entity::find()
        .filter(result_snapshot::Column::PublicId.eq(public_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let mut results: PublishedResults = serde_json::from_str(&snapshot.data)
        .map_err(|e| AppError::Internal(format!("snapshot {public_id}: {e}")))?;
    results.logo = crate::services::logo::url(db).await?;
    Ok(Some(results))
}

#[tracing::instrument(skip_all)]
pub async fn list(db: &DatabaseConnection, lang: Lang) -> Result<Vec<PublishedSummary>, AppError> {
    let snapshots = result_snapshot::Entity::find()
        .order_by_desc(result_snapshot::Column::ApprovedAt)
        .all(db)
        .await?;
    // Title and period as they were approved: the snapshot, not the round.
    let mut out = Vec::new();
    for snapshot in snapshots {
        let frozen: PublishedResults = serde_json::from_str(&snapshot.data)
            .map_err(|e| AppError::Internal(format!("snapshot {}: {e}", snapshot.public_id)))?;
        out.push(PublishedSummary {
            public_id: snapshot.public_id,
            title: lang.pick(&frozen.title_vi, &frozen.title_en).to_owned(),
            period: lang.period(frozen.year, frozen.half),
            approved_at: crate::i18n::local_time(snapshot.approved_at),
        });
    }
    Ok(out)
}
