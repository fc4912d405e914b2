//! The one error that pages, server functions and the survey island share.
//! It keeps the kind of failure from the service to the screen: a page or
//! the island matches on the kind (a closed round, a rate limit, a form that
//! expired …) and words it in the visitor's language, never by reading
//! message text. On the server, converting an [`AppError`](domain::AppError)
//! also puts the right status (and `Retry-After`) on the response and logs
//! what the visitor must not see, so `?` is all a server function needs.

use std::fmt;

use domain::i18n::Lang;
use domain::model::{Conflict, Violation};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a server function or a page could not do what was asked. Sent as
/// JSON (`{"kind": "rate_limited", "retry_after_secs": 42}`), also by the
/// security middleware when it refuses a request to a server function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageError {
    /// Fields break rules; each violation names its field. Only the island
    /// reads refusals back, and it words the problems of fields beside them
    /// from the outcome of the submission: the violations are not read back,
    /// which keeps every rule's wording and problem out of the wasm bundle.
    Invalid {
        #[serde(skip_deserializing)]
        violations: Vec<Violation>,
    },
    /// The thing asked for does not exist (or is not the caller's to see).
    NotFound { what: String },
    /// The round takes no responses: not open yet, or over.
    Closed { not_yet_open: bool },
    /// The state of things refuses the request. Not read back either: the
    /// survey form meets no conflict (a closed round comes as `Closed`), so
    /// the island reads such a reply as one it could not understand.
    #[serde(skip_deserializing)]
    Conflict { code: Conflict, message: String },
    /// Too many requests from this address; try again after this long.
    RateLimited { retry_after_secs: u64 },
    /// Nobody is signed in (the page was sent to sign in).
    SignedOut,
    /// The form's anti-forgery token is no longer valid (the browser lost
    /// its cookie, or the form is old). The refusal set a fresh cookie and
    /// carries the matching token, so sending the form again works.
    FormExpired { csrf_token: String },
    /// A state-changing request sent from another site.
    CrossSite,
    /// Signed in, but the role does not allow it.
    Forbidden,
    /// The request is larger than the server accepts.
    TooLarge,
    /// The database is away or refuses to write; nothing was stored.
    Unavailable { retry_after_secs: u64 },
    /// Something went wrong on the server; it has been logged.
    Internal,
    /// The request did not get through, or the reply could not be read.
    Transport { message: String },
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid { violations } => write!(f, "{} invalid field(s)", violations.len()),
            Self::NotFound { what } => write!(f, "{what} not found"),
            Self::Closed { not_yet_open: true } => f.write_str("the round is not open yet"),
            Self::Closed { .. } => f.write_str("the round is closed"),
            Self::Conflict { code, .. } => write!(f, "refused: {}", code.code()),
            Self::RateLimited { retry_after_secs } => {
                write!(f, "rate limited; retry in {retry_after_secs} s")
            }
            Self::SignedOut => f.write_str("sign-in required"),
            Self::FormExpired { .. } => f.write_str("the form expired"),
            Self::CrossSite => f.write_str("request from another site"),
            Self::Forbidden => f.write_str("not allowed"),
            Self::TooLarge => f.write_str("request too large"),
            Self::Unavailable { .. } => f.write_str("unavailable"),
            Self::Internal => f.write_str("internal error"),
            Self::Transport { message } => write!(f, "request failed: {message}"),
        }
    }
}

impl std::error::Error for PageError {}

impl FromServerFnError for PageError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport {
            message: value.to_string(),
        }
    }
}

impl PageError {
    /// What the visitor reads, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Invalid { violations } => violations
                .iter()
                .map(|v| v.message(lang))
                .collect::<Vec<_>>()
                .join(" "),
            Self::Conflict { code, message } => lang
                .conflict(*code)
                .map_or_else(|| message.clone(), str::to_owned),
            other => other.island_message(lang),
        }
    }

    /// The same from the island's few words alone, so that the browser's
    /// bundle does not carry the whole interface: problems with fields are
    /// named in general terms (the island shows them beside their fields).
    pub fn island_message(&self, lang: Lang) -> String {
        let t = lang.island_texts();
        match self {
            Self::Invalid { .. } => t.error_summary.to_owned(),
            Self::NotFound { .. } => t.not_found_body.to_owned(),
            Self::Closed { not_yet_open: true } => t.round_not_open.to_owned(),
            Self::Closed { .. } => t.round_closed.to_owned(),
            // Worded by `message` with the conflict's own words; the island
            // never reads a conflict (see the variant).
            Self::Conflict { message, .. } => message.clone(),
            Self::RateLimited { retry_after_secs } => lang.rate_limited(*retry_after_secs),
            Self::SignedOut => t.signed_out.to_owned(),
            Self::FormExpired { .. } => t.form_expired.to_owned(),
            Self::CrossSite => t.cross_site.to_owned(),
            Self::Forbidden => t.forbidden_body.to_owned(),
            Self::TooLarge => t.too_large.to_owned(),
            Self::Unavailable { .. } => t.unavailable.to_owned(),
            Self::Internal => t.load_error.to_owned(),
            Self::Transport { .. } => t.err_network.to_owned(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::AppError> for PageError {
    fn from(err: domain::AppError) -> Self {
        use domain::AppError;
        use domain::model::Problem;

        err.log();
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(err.status());
            if let Some(seconds) = err.retry_after_secs() {
                options.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
            }
        }
        let retry_after_secs = err.retry_after_secs().unwrap_or(5);
        match err {
            AppError::NotFound(what) => Self::NotFound {
                what: what.to_owned(),
            },
            AppError::Invalid(violations) => Self::Invalid { violations },
            AppError::Malformed { field, message } => Self::Invalid {
                violations: vec![Violation::new(field, Problem::Malformed(message))],
            },
            AppError::Unauthorized => {
                crate::server_fns::redirect_to_login();
                Self::SignedOut
            }
            AppError::Forbidden => Self::Forbidden,
            AppError::Throttled { retry_after_secs } => Self::RateLimited { retry_after_secs },
            AppError::TooLarge => Self::TooLarge,
            AppError::Conflict {
                code: Conflict::RoundNotOpen,
                ..
            } => Self::Closed { not_yet_open: true },
            AppError::Conflict {
                code: Conflict::RoundClosed,
                ..
            } => Self::Closed {
                not_yet_open: false,
            },
            AppError::Conflict { code, message } => Self::Conflict { code, message },
            AppError::Unavailable | AppError::StorageRefused(_) | AppError::Busy => {
                Self::Unavailable { retry_after_secs }
            }
            AppError::Database(_) | AppError::Internal(_) => Self::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_travels_as_json_and_comes_back_the_same() {
        for error in [
            PageError::RateLimited {
                retry_after_secs: 42,
            },
            PageError::Closed {
                not_yet_open: false,
            },
            PageError::FormExpired {
                csrf_token: "abc".to_owned(),
            },
        ] {
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<PageError>(&json).unwrap(), error);
        }
        // Written whole for API clients, read back without what the island
        // does not use: the violations, and conflicts altogether.
        let invalid = PageError::Invalid {
            violations: vec![Violation::new("comment", domain::model::Problem::Required)],
        };
        let json = serde_json::to_string(&invalid).unwrap();
        assert!(json.contains(r#""field":"comment""#), "{json}");
        assert_eq!(
            serde_json::from_str::<PageError>(&json).unwrap(),
            PageError::Invalid { violations: vec![] }
        );
        let conflict = PageError::Conflict {
            code: Conflict::FeedbackMoved,
            message: "reload".to_owned(),
        };
        let json = serde_json::to_string(&conflict).unwrap();
        assert!(json.contains(r#""code":"feedback_moved""#), "{json}");
        assert!(serde_json::from_str::<PageError>(&json).is_err());
        assert_eq!(
            serde_json::to_string(&PageError::RateLimited {
                retry_after_secs: 42
            })
            .unwrap(),
            r#"{"kind":"rate_limited","retry_after_secs":42}"#
        );
    }

    #[test]
    fn the_island_words_each_kind_as_the_pages_do() {
        for lang in [Lang::Vi, Lang::En] {
            for error in [
                PageError::Closed { not_yet_open: true },
                PageError::RateLimited {
                    retry_after_secs: 300,
                },
                PageError::FormExpired {
                    csrf_token: String::new(),
                },
                PageError::SignedOut,
                PageError::TooLarge,
                PageError::Internal,
            ] {
                assert_eq!(error.island_message(lang), error.message(lang));
            }
        }
    }

    #[test]
    fn each_kind_the_island_meets_has_its_own_message() {
        for lang in [Lang::Vi, Lang::En] {
            let messages = [
                PageError::Closed {
                    not_yet_open: false,
                }
                .island_message(lang),
                PageError::Closed { not_yet_open: true }.island_message(lang),
                PageError::RateLimited {
                    retry_after_secs: 30,
                }
                .island_message(lang),
                PageError::FormExpired {
                    csrf_token: String::new(),
                }
                .island_message(lang),
                PageError::Transport {
                    message: String::new(),
                }
                .island_message(lang),
                PageError::Unavailable {
                    retry_after_secs: 5,
                }
                .island_message(lang),
            ];
            for (i, a) in messages.iter().enumerate() {
                for b in &messages[i + 1..] {
                    assert_ne!(a, b);
                }
            }
        }
    }
}
