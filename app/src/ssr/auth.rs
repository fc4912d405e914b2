//! Who is asking, inside a page or server function: the [`RequestAuth`] the
//! security middleware stored in the request.

use domain::AppError;
pub use domain::auth::{ANY_ROLE, Principal, RequestAuth};
use domain::model::Role;

/// The current request's [`RequestAuth`] inside a page or server function.
pub fn request_auth() -> RequestAuth {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestAuth>().cloned())
        .unwrap_or_default()
}

/// The caller, who must hold one of `roles`: 401 when nobody is signed in, 403 otherwise.
pub fn require(roles: &[Role]) -> Result<Principal, AppError> {
    request_auth().require(roles)
}
