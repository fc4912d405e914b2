//! The feedback desk as Open311 GeoReport v2 clients see it: a service per
//! feedback category, and a service request per item, found by its tracking
//! code, with its status, the published answer as the status notes and
//! nothing personal. The wire format (JSON or XML) is the server's.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::public::answer_is_public;
use super::record::{ANSWER_STEPS, days_of};
use super::{department_codes, sender_of};
use crate::AppError;
use crate::entities::feedback_item;
use crate::feedback_rules::PublicStatus;
use crate::i18n::Lang;
use crate::model::{FeedbackCategory, FeedbackStatus, Problem, Violation};
use crate::privacy::redact;
use crate::public_codes::normalise;
use crate::working_days::{add_working_days, vietnam, vietnam_date};

/// The most tracking codes one lookup may name.
pub const MAX_CODES: usize = 100;

/// The working day ends at this hour, when an answer expected on a day is due.
const END_OF_WORKING_DAY: NaiveTime = NaiveTime::from_hms_opt(17, 0, 0).unwrap();

/// A service of the GeoReport v2 service list: one feedback category.
#[derive(Debug, Clone, Serialize)]
pub struct Open311Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// No extra attributes are asked for, so there is no service definition.
    pub metadata: bool,
    /// Items are recorded at once and get their tracking code in the reply.
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

/// A service request as GeoReport v2 shows it. The tracking code is the
/// request id; the sender's name, contact and words stay out, except the
/// redacted words of an item whose sender agreed to publication and whose
/// answer is public (as on the page of published answers).
#[derive(Debug, Clone, Serialize)]
pub struct Open311Request {
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_responsible: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_datetime: Option<String>,
}

/// The service list: every feedback category, named in `lang`.
pub fn services(lang: Lang) -> Vec<Open311Service> {
    FeedbackCategory::ALL
        .iter()
        .map(|category| Open311Service {
            service_code: category.code().to_owned(),
            service_name: lang.feedback_category(*category).to_owned(),
            description: format!(
                "{} / {}",
                Lang::Vi.feedback_category(*category),
                Lang::En.feedback_category(*category)
            ),
            metadata: false,
            kind: "realtime".to_owned(),
            keywords: String::new(),
            group: lang.pick("Phản ánh, kiến nghị", "Feedback").to_owned(),
        })
        .collect()
}

/// The requests of the tracking codes in `codes` (comma-separated, as
/// GeoReport's `service_request_id` parameter), in the order asked; unknown
/// codes are left out.
pub async fn requests(
    db: &impl ConnectionTrait,
    codes: &str,
    lang: Lang,
) -> Result<Vec<Open311Request>, AppError> {
    let codes: Vec<String> = codes
        .split(',')
        .map(normalise)
        .filter(|code| !code.is_empty() && code.len() <= 40)
        .collect();
    if codes.is_empty() {
        return Err(AppError::Invalid(vec![Violation::new(
            "service_request_id",
            Problem::Required,
        )]));
    }
    if codes.len() > MAX_CODES {
        return Err(AppError::Invalid(vec![Violation::new(
            "service_request_id",
            Problem::NumberOutOfRange {
                min: 1,
                max: MAX_CODES as u32,
            },
        )]));
    }
    let items = feedback_item::Entity::find()
        .filter(feedback_item::Column::TrackingCode.is_in(codes.clone()))
        .all(db)
        .await?;
    let departments = department_codes(db).await?;
    // Until its answer step has a deadline, an item's answer is expected
    // when the acknowledgement said: the settings and the calendar are read
    // once for the whole lookup.
    let received: Vec<NaiveDate> = items
        .iter()
        .filter(|item| item.answer_due_on.is_none())
        .map(|item| vietnam_date(item.received_at))
        .collect();
    let mut expected = BTreeMap::new();
    if let (Some(first), Some(last)) = (received.iter().min(), received.iter().max()) {
        let days = days_of(db, &ANSWER_STEPS).await?;
        let calendar = crate::services::holidays::calendar_between(db, *first, *last).await?;
        for item in &items {
            let day = vietnam_date(item.received_at);
            expected.insert(item.id, add_working_days(day, days, &calendar));
        }
    }
    for item in &items {
        if let Some(day) = item.answer_due_on {
            expected.insert(item.id, day);
        }
    }
    let view = |item: &feedback_item::Model| {
        let department = item
            .department_id
            .and_then(|id| departments.get(&id))
            .map(|d| lang.pick(&d.name_vi, &d.name_en).to_owned());
        request_of(item, department, expected.get(&item.id).copied(), lang)
    };
    Ok(codes
        .iter()
        .filter_map(|code| items.iter().find(|item| &item.tracking_code == code))
        .map(view)
        .collect())
}

/// What GeoReport shows of `item`, handled by `department`, its answer
/// expected on `expected_on`.
fn request_of(
    item: &feedback_item::Model,
    department: Option<String>,
    expected_on: Option<NaiveDate>,
    lang: Lang,
) -> Open311Request {
    let public = answer_is_public(item);
    let sender = sender_of(item);
    let status = PublicStatus::of(item.status, item.classification, public);
    let status_notes = match status {
        PublicStatus::Answered => item.answer.as_deref().map(|a| redact(a, &sender)),
        PublicStatus::NotHandledHere => item
            .classification
            .map(|c| lang.classification(c).to_owned()),
        PublicStatus::Received | PublicStatus::InProgress => None,
    };
    let closed = matches!(
        item.status,
        FeedbackStatus::Published | FeedbackStatus::Closed
    );
    let updated = [item.answered_at, item.published_at, item.closed_at]
        .into_iter()
        .flatten()
        .chain([item.received_at])
        .max()
        .unwrap_or(item.received_at);
    Open311Request {
        service_request_id: item.tracking_code.clone(),
        status: if closed { "closed" } else { "open" }.to_owned(),
        status_notes,
        service_name: item.category.map(|c| lang.feedback_category(c).to_owned()),
        service_code: item.category.map(|c| c.code().to_owned()),
        description: (public && item.consent_to_publish).then(|| {
            redact(
                item.public_summary.as_deref().unwrap_or(&item.content),
                &sender,
            )
        }),
        agency_responsible: department,
        requested_datetime: local_time(item.received_at),
        updated_datetime: local_time(updated),
        expected_datetime: (!closed)
            .then_some(expected_on)
            .flatten()
            .map(end_of_working_day),
    }
}

/// An instant in Vietnam's time, as ISO 8601 with its offset.
fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn end_of_working_day(day: NaiveDate) -> String {
    day.and_time(END_OF_WORKING_DAY)
        .and_local_timezone(vietnam())
        .single()
        .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expected_day_ends_at_five_in_vietnam() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
        assert_eq!(end_of_working_day(day), "2026-12-15T17:00:00+07:00");
    }

    #[test]
    fn times_are_shown_in_vietnam_with_the_offset() {
        let at = DateTime::parse_from_rfc3339("2026-12-04T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_time(at), "2026-12-05T03:30:00+07:00");
    }

    #[test]
    fn every_category_is_a_service() {
        let services = services(Lang::Vi);
        assert_eq!(services.len(), FeedbackCategory::ALL.len());
        assert_eq!(services[0].service_code, "procedures");
        assert_eq!(services[0].service_name, "Thủ tục hành chính");
        assert!(services.iter().all(|s| !s.metadata && s.kind == "realtime"));
    }
}
