//! A JSON body extractor whose errors name the field where reading failed.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use domain::AppError;
use serde::de::DeserializeOwned;

pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = super::ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::Malformed {
                field: String::new(),
                message: "The body must be JSON, sent with Content-Type: application/json."
                    .to_owned(),
            }
            .into());
        }
        let _ = state;
        // The same limit the body-limit layer holds this request to: the
        // ordinary one, or a batch of dossiers' from a sender of dossiers.
        let limit = crate::security::body_limit::limit_of(&request);
        let bytes: Bytes = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|_| AppError::TooLarge)?;
        Ok(JsonBody(parse(&bytes)?))
    }
}

/// Parses `bytes` as `T`; on failure the error names the path of the field
/// (e.g. `respondent.type`) and what was wrong there. A body is read once
/// plainly, and only a body that fails is read again to find the path:
/// keeping the path of every value slows the reading of a large batch.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        AppError::Malformed {
            field: if path == "." { String::new() } else { path },
            message: inner.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        respondent: Inner,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        #[serde(rename = "type")]
        kind: String,
    }

    #[test]
    fn errors_name_the_field() {
        let err = parse::<Body>(br#"{"respondent": {"type": 5}}"#).unwrap_err();
        match err {
            AppError::Malformed { field, message } => {
                assert_eq!(field, "respondent.type");
                assert!(message.contains("invalid type"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_good_body_is_read() {
        let body = parse::<Body>(br#"{"respondent": {"type": "business"}}"#).unwrap();
        assert_eq!(body.respondent.kind, "business");
    }

    #[test]
    fn broken_json_is_malformed_at_the_root() {
        let err = parse::<Body>(b"{not json").unwrap_err();
        assert!(matches!(err, AppError::Malformed { .. }));
    }
}
