//! What the public sees: an item by its tracking code (status and published answer only), the
//! published answers without personal data, and the sender's rating of the handling.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};

use super::{PAGE_SIZE, department_codes, page_number, sender_of};
use crate::AppError;
use crate::entities::feedback_item;
use crate::feedback_rules::PublicStatus;
use crate::i18n::{Lang, day_text};
use crate::model::{Problem, PublicAnswer, PublicAnswersPage, PublicFeedbackView};
use crate::privacy::redact;
use crate::public_codes::{SECRET_GROUPS, normalise, random_code};
use crate::secrets::{constant_time_eq, sha256_hex};
use crate::working_days::vietnam_date;

/// Whether the item's answer has been published (it stays so once closed).
pub(super) fn answer_is_public(item: &feedback_item::Model) -> bool {
    item.published_at.is_some() && item.answer.is_some()
}

pub(super) async fn by_tracking_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<feedback_item::Model>, AppError> {
    let code = normalise(code);
    if code.is_empty() || code.len() > 40 {
        return Ok(None);
    }
    Ok(feedback_item::Entity::find()
        .filter(feedback_item::Column::TrackingCode.eq(code))
        .one(db)
        .await?)
}

/// Gives the sender of item `id` a new private rating key, the only way to
/// rate the handling: shown on the sender's receipt, written in the reply
/// or sent with the notice, never on a staff page. Only its SHA-256 is
/// kept; a new key replaces the previous one.
#[tracing::instrument(skip_all)]
pub async fn issue_rating_key(db: &impl ConnectionTrait, id: i32) -> Result<String, AppError> {
    let key = random_code("DG", SECRET_GROUPS);
    feedback_item::Entity::update_many()
        .col_expr(
            feedback_item::Column::RatingTokenHash,
            Expr::value(sha256_hex(&key)),
        )
        .filter(feedback_item::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(key)
}

/// Gives the sender of item `id` the private rating key that goes with the
/// notice of its published answer (the receipt's key keeps working); only
/// its SHA-256 is kept.
pub async fn issue_notice_rating_key(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<String, AppError> {
    let key = random_code("DG", SECRET_GROUPS);
    feedback_item::Entity::update_many()
        .col_expr(
            feedback_item::Column::NoticeRatingTokenHash,
            Expr::value(sha256_hex(&key)),
        )
        .filter(feedback_item::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(key)
}

/// Whether `key` is a private rating key of `item` (the receipt's or the
/// answer notice's).
pub fn holds_rating_key(item: &feedback_item::Model, key: Option<&str>) -> bool {
    let Some(key) = key.map(normalise).filter(|k| !k.is_empty()) else {
        return false;
    };
    let hash = sha256_hex(&key);
    [&item.rating_token_hash, &item.notice_rating_token_hash]
        .into_iter()
        .flatten()
        .any(|stored| constant_time_eq(stored, &hash))
}

/// What the holder of a tracking code may see: the status and the
/// published answer, with personal data removed. The rating is offered only
/// to the holder of the item's private rating key.
#[tracing::instrument(skip_all)]
pub async fn public_view(
    db: &DatabaseConnection,
    code: &str,
    rating_key: Option<&str>,
) -> Result<Option<PublicFeedbackView>, AppError> {
    let Some(item) = by_tracking_code(db, code).await? else {
        return Ok(None);
    };
    let holds_key = holds_rating_key(&item, rating_key);
    let public = answer_is_public(&item);
    let status = PublicStatus::of(item.status, item.classification, public);
    let sender = sender_of(&item);
    Ok(Some(PublicFeedbackView {
        tracking_code: item.tracking_code.clone(),
        status,
        received_on: day_text(vietnam_date(item.received_at)),
        classification: (status == PublicStatus::NotHandledHere)
            .then_some(item.classification)
            .flatten(),
        answer: public
            .then(|| item.answer.as_deref().map(|a| redact(a, &sender)))
            .flatten(),
        answered_on: public
            .then(|| item.published_at.map(|at| day_text(vietnam_date(at))))
            .flatten(),
        can_rate: public && holds_key && item.handling_rating.is_none(),
        holds_rating_key: holds_key,
        rating: item.handling_rating,
    }))
}

/// The sender's one answer to "how satisfied are you with the handling?"
/// (1–5), once the answer is published; only with the private rating key.
#[tracing::instrument(skip_all)]
pub async fn rate(
    db: &DatabaseConnection,
    code: &str,
    rating_key: &str,
    rating: &str,
) -> Result<(), AppError> {
    let value = rating
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|v| (1..=5).contains(v))
        .ok_or_else(|| {
            AppError::invalid(
                "rating",
                Problem::OutOfRange {
                    max: 5,
                    allows_not_applicable: false,
                },
            )
        })?;
    let item = by_tracking_code(db, code)
        .await?
        .ok_or(AppError::NotFound("feedback item"))?;
    if !holds_rating_key(&item, Some(rating_key)) {
        return Err(AppError::invalid("key", Problem::InvalidValue));
    }
    if !answer_is_public(&item) {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::FeedbackNotAnswered,
            message: "The handling can be rated once the answer is published.".to_owned(),
        });
    }
    let txn = db.begin().await?;
    let stored = feedback_item::Entity::update_many()
        .col_expr(feedback_item::Column::HandlingRating, Expr::value(value))
        .col_expr(feedback_item::Column::RatedAt, Expr::value(Utc::now()))
        .filter(feedback_item::Column::Id.eq(item.id))
        .filter(feedback_item::Column::HandlingRating.is_null())
        .exec(&txn)
        .await?;
    if stored.rows_affected == 0 {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::FeedbackAlreadyRated,
            message: "The handling of this item has been rated already.".to_owned(),
        });
    }
    // Only the rating changed, from none: the item as stored now, without it,
    // is where the tallies counted it.
    let rated = super::find(&txn, item.id).await?;
    let unrated = feedback_item::Model {
        handling_rating: None,
        ..rated.clone()
    };
    super::tallies::shift(&txn, Some(&unrated), Some(&rated)).await?;
    txn.commit().await?;
    Ok(())
}

/// Published answers whose senders agreed to publication, newest first,
/// with personal data removed.
#[tracing::instrument(skip_all)]
pub async fn published_answers(
    db: &DatabaseConnection,
    page: &str,
    lang: Lang,
) -> Result<PublicAnswersPage, AppError> {
    let paginator = feedback_item::Entity::find()
        .filter(feedback_item::Column::ConsentToPublish.eq(true))
        .filter(feedback_item::Column::PublishedAt.is_not_null())
        .filter(feedback_item::Column::Answer.is_not_null())
        .order_by_desc(feedback_item::Column::PublishedAt)
        .order_by_desc(feedback_item::Column::Id)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let page = page_number(page).min(counts.number_of_pages.max(1));
    let departments = department_codes(db).await?;
    let answers = paginator
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|item| {
            let sender = sender_of(&item);
            PublicAnswer {
                received_on: day_text(vietnam_date(item.received_at)),
                published_on: item
                    .published_at
                    .map(|at| day_text(vietnam_date(at)))
                    .unwrap_or_default(),
                category: item.category,
                department: item
                    .department_id
                    .and_then(|id| departments.get(&id))
                    .map(|d| lang.pick(&d.name_vi, &d.name_en).to_owned()),
                // Redacted again: a summary typed by staff gets the same net.
                question: redact(
                    item.public_summary.as_deref().unwrap_or(&item.content),
                    &sender,
                ),
                answer: redact(item.answer.as_deref().unwrap_or_default(), &sender),
            }
        })
        .collect();
    Ok(PublicAnswersPage {
        answers,
        page,
        pages: counts.number_of_pages.max(1),
        total: counts.number_of_items,
    })
}
