//! Who is asking. The server's security middleware resolves the session
//! cookie or API token once per request and stores a [`RequestAuth`] in the
//! request; pages, server functions and JSON handlers read it and decide for
//! themselves.

use crate::AppError;
use crate::model::Role;

/// A signed-in user or an API token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The user, or the admin who created the token.
    pub user_id: Option<i32>,
    pub token_id: Option<i32>,
    /// Shown in the audit log: the username, or "api-token:<name>".
    pub name: String,
    pub display_name: String,
    pub role: Role,
    /// Departments whose work a staff member handles.
    pub department_ids: Vec<i32>,
}

impl Principal {
    pub fn has_role(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }
}

/// What the middleware learnt about a request.
#[derive(Clone, Debug, Default)]
pub struct RequestAuth {
    pub principal: Option<Principal>,
    /// The value forms must send back as `csrf_token` (or the `X-CSRF-Token` header).
    pub csrf_token: String,
    /// The caller's address (the peer, or the proxy's X-Forwarded-For when trusted).
    pub client_ip: String,
    /// The session cookie's token, when a session is open.
    pub session_token: Option<String>,
    /// The request was made over TLS (directly or behind a proxy): cookies get `Secure`.
    pub secure: bool,
}

/// Every role: any signed-in user.
pub const ANY_ROLE: &[Role] = &[Role::Admin, Role::Staff, Role::Leader];

impl RequestAuth {
    /// The principal, who must hold one of `roles`: 401 when there is none, 403 otherwise.
    pub fn require(&self, roles: &[Role]) -> Result<Principal, AppError> {
        match &self.principal {
            None => Err(AppError::Unauthorized),
            Some(principal) if principal.has_role(roles) => Ok(principal.clone()),
            Some(_) => Err(AppError::Forbidden),
        }
    }
}
