//! Who is asking. The server's security layers resolve the session cookie
//! or API token once per request and store a [`RequestAuth`] in the
//! request; pages, server functions and JSON handlers read it and decide for
//! themselves. The rules of who sees personal data are here, in one place:
//! [`Principal::sees_item_of`] and [`Principal::sees_contacts_of`].

use crate::AppError;
use crate::model::{Role, Scope};

/// A signed-in user or an API token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The signed-in user; `None` for an API token, which never acts as the
    /// admin who created it.
    pub user_id: Option<i32>,
    pub token_id: Option<i32>,
    /// Shown in the audit log: the username, or "api-token:<name>".
    pub name: String,
    pub display_name: String,
    pub role: Role,
    /// Departments whose work a staff member handles.
    pub department_ids: Vec<i32>,
    /// A staff member who may also see and route feedback items that no
    /// department has yet (granted by an admin).
    pub can_triage: bool,
    /// What an API token may do; `None` for a signed-in user, whose role decides.
    pub scopes: Option<Vec<Scope>>,
}

impl Principal {
    pub fn has_role(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }

    /// A signed-in user may do what the role allows; a token only what its scopes name.
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.as_ref().is_none_or(|s| s.contains(&scope))
    }

    pub fn is_token(&self) -> bool {
        self.token_id.is_some()
    }

    /// Whether the record of a department (`None`: no department yet) is the
    /// caller's to see: every record for admins, leaders and tokens (the
    /// token's scopes decide which kinds); for staff, their departments' and,
    /// with the triage permission, the unassigned ones.
    pub fn sees_item_of(&self, department_id: Option<i32>) -> bool {
        match self.role {
            _ if self.is_token() => true,
            Role::Admin | Role::Leader => true,
            Role::Staff => match department_id {
                Some(id) => self.department_ids.contains(&id),
                None => self.can_triage,
            },
        }
    }

    /// Whether the contact fields of a record of `department_id` may be
    /// shown without a deliberate request: admins always, staff where the
    /// record is theirs, tokens with `personal-data:read`. Leaders see them
    /// only when they open one record on purpose ([`Self::may_reveal_contacts`]).
    pub fn sees_contacts_of(&self, department_id: Option<i32>) -> bool {
        if self.is_token() {
            return self.has_scope(Scope::PersonalData);
        }
        match self.role {
            Role::Admin => true,
            Role::Staff => self.sees_item_of(department_id),
            Role::Leader => false,
        }
    }

    /// Leaders may open the contact of one record on purpose; the opening is logged.
    pub fn may_reveal_contacts(&self) -> bool {
        !self.is_token() && self.role == Role::Leader
    }
}

/// The network an address belongs to, for budgets and throttles: an IPv4
/// address itself, an IPv6 address by its /64 (one subscriber's whole
/// network, which rotating addresses inside cannot escape).
pub fn network_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or_else(String::new, |v4| v4.to_string()),
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_owned(),
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

    /// As [`Self::require`], and a token must also hold `scope`.
    pub fn require_scoped(&self, roles: &[Role], scope: Scope) -> Result<Principal, AppError> {
        let principal = self.require(roles)?;
        if principal.has_scope(scope) {
            Ok(principal)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role, departments: &[i32], can_triage: bool) -> Principal {
        Principal {
            user_id: Some(1),
            token_id: None,
            name: "x".to_owned(),
            display_name: "x".to_owned(),
            role,
            department_ids: departments.to_vec(),
            can_triage,
            scopes: None,
        }
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_bit_network() {
        assert_eq!(network_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            network_key("2001:db8:1:2:ffff::9"),
            network_key("2001:db8:1:2::7")
        );
        assert_ne!(
            network_key("2001:db8:1:3::1"),
            network_key("2001:db8:1:2::1")
        );
        assert_eq!(network_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(network_key("203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn staff_see_their_departments_and_unassigned_items_only_with_triage() {
        let staff = person(Role::Staff, &[1], false);
        assert!(staff.sees_item_of(Some(1)) && staff.sees_contacts_of(Some(1)));
        assert!(!staff.sees_item_of(Some(2)) && !staff.sees_contacts_of(Some(2)));
        assert!(!staff.sees_item_of(None));
        let triage = person(Role::Staff, &[1], true);
        assert!(triage.sees_item_of(None) && triage.sees_contacts_of(None));
        assert!(!triage.sees_item_of(Some(2)));
    }

    #[test]
    fn leaders_see_texts_and_open_contacts_only_on_purpose() {
        let leader = person(Role::Leader, &[], false);
        assert!(leader.sees_item_of(Some(2)) && leader.sees_item_of(None));
        assert!(!leader.sees_contacts_of(Some(2)));
        assert!(leader.may_reveal_contacts());
        let admin = person(Role::Admin, &[], false);
        assert!(admin.sees_contacts_of(None) && !admin.may_reveal_contacts());
    }

    #[test]
    fn a_token_gets_contacts_only_with_the_personal_data_scope() {
        let mut token = person(Role::Admin, &[], false);
        token.user_id = None;
        token.token_id = Some(7);
        token.scopes = Some(vec![Scope::FeedbackRead]);
        assert!(token.sees_item_of(Some(3)));
        assert!(!token.sees_contacts_of(Some(3)));
        assert!(!token.has_scope(Scope::IndicesRead));
        assert!(!token.may_reveal_contacts());
        token.scopes = Some(vec![Scope::FeedbackRead, Scope::PersonalData]);
        assert!(token.sees_contacts_of(Some(3)));
    }
}
