//! What the public sees: an item by its tracking code (status and published answer only), the
//! published answers without personal data, and the sender's rating of the handling.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

use super::{PAGE_SIZE, department_codes, page_number, sender_of};
use crate::AppError;
use crate::entities::feedback_item;
use crate::feedback_rules::PublicStatus;
use crate::i18n::{Lang, day_text};
use crate::model::{Problem, PublicAnswer, PublicAnswersPage, PublicFeedbackView};
use crate::privacy::redact;
use crate::public_codes::normalise;
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

/// What the holder of a tracking code may see: the status and the
/// published answer, with personal data removed.
#[tracing::instrument(skip_all)]
pub async fn public_view(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Option<PublicFeedbackView>, AppError> {
    let Some(item) = by_tracking_code(db, code).await? else {
        return Ok(None);
    };
    let public = answer_is_public(&item);
    let status = PublicStatus::of(item.status, public);
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
        can_rate: public && item.handling_rating.is_none(),
        rating: item.handling_rating,
    }))
}

/// The sender's one answer to "how satisfied are you with the handling?"
/// (1–5), once the answer is published.
#[tracing::instrument(skip_all)]
pub async fn rate(db: &DatabaseConnection, code: &str, rating: &str) -> Result<(), AppError> {
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
    if !answer_is_public(&item) {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::FeedbackNotAnswered,
            message: "The handling can be rated once the answer is published.".to_owned(),
        });
    }
    let stored = feedback_item::Entity::update_many()
        .col_expr(feedback_item::Column::HandlingRating, Expr::value(value))
        .col_expr(feedback_item::Column::RatedAt, Expr::value(Utc::now()))
        .filter(feedback_item::Column::Id.eq(item.id))
        .filter(feedback_item::Column::HandlingRating.is_null())
        .exec(db)
        .await?;
    if stored.rows_affected == 0 {
        return Err(AppError::Conflict {
            code: crate::error::Conflict::FeedbackAlreadyRated,
            message: "The handling of this item has been rated already.".to_owned(),
        });
    }
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
