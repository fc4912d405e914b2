//! The role matrix: every page, server function and API route, for every
//! kind of caller (anonymous, admin, leader, staff, staff of another
//! department), is allowed or denied as decided here. The lists come from
//! the application itself, so an endpoint without a decision fails.

use std::collections::BTreeMap;

use axum::body::Body;
use domain::model::{Role, RoundStatus};
use hailong_tests::{Browser, TestApp, form_urlencoded};
use http::{Request, header};
use leptos_axum::generate_route_list;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    Public,
    /// Any signed-in role.
    SignedIn,
    /// Staff and admins: those who build rounds and enter data.
    Managers,
    Admin,
    /// The people whose work a record of department QLDN is: admins,
    /// leaders and the staff of QLDN (staff of another department are told
    /// it does not exist).
    Department,
    /// Only someone not signed in: a sender rating the handling of their item.
    NotSignedIn,
    /// Leaders and admins: who plan and publish actions.
    Planners,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    Admin,
    Leader,
    Staff,
    StaffOfAnotherDepartment,
}

const CALLERS: [Caller; 5] = [
    Caller::Anonymous,
    Caller::Admin,
    Caller::Leader,
    Caller::Staff,
    Caller::StaffOfAnotherDepartment,
];

fn allowed(access: Access, caller: Caller) -> bool {
    match access {
        Access::Public => true,
        Access::SignedIn => caller != Caller::Anonymous,
        Access::Managers => matches!(
            caller,
            Caller::Admin | Caller::Staff | Caller::StaffOfAnotherDepartment
        ),
        Access::Admin => caller == Caller::Admin,
        Access::Department => matches!(caller, Caller::Admin | Caller::Leader | Caller::Staff),
        Access::NotSignedIn => caller == Caller::Anonymous,
        Access::Planners => matches!(caller, Caller::Admin | Caller::Leader),
    }
}

/// The decision for each page (by its route pattern).
fn page_access(path: &str) -> Option<Access> {
    Some(match path {
        "/"
        | "/s/{slug}"
        | "/s/{slug}/receipt/{code}"
        | "/s/{slug}/saved/{code}"
        | "/s/{slug}/unsubscribe"
        | "/login"
        | "/results/{id}"
        | "/results/{id}/actions"
        | "/feedback"
        | "/feedback/track"
        | "/feedback/answers"
        | "/ratings"
        | "/r/{key}"
        | "/kiosk/{token}" => Access::Public,
        "/dossiers" => Access::SignedIn,
        "/dossiers/kiosks" => Access::Managers,
        "/rounds/{slug}"
        | "/staff"
        | "/account"
        | "/rounds"
        | "/rounds/{slug}/manage"
        | "/rounds/{slug}/poster"
        | "/rounds/{slug}/invitations"
        | "/rounds/{slug}/imports/{job}"
        | "/rounds/{slug}/report"
        | "/rounds/{slug}/compare"
        | "/rounds/{slug}/actions"
        | "/rounds/{slug}/quality"
        | "/feedback/items"
        | "/feedback/report"
        | "/feedback/items/{id}" => Access::SignedIn,
        "/feedback/items/new" => Access::Managers,
        "/admin/feedback-settings" => Access::Admin,
        "/rounds/{slug}/entry" | "/instruments" | "/instruments/{id}" => Access::Managers,
        "/admin/users" | "/admin/tokens" | "/admin/audit" | "/admin/personal-data" => Access::Admin,
        "/admin/outbox" | "/admin/webhooks" => Access::Admin,
        "/admin/messages" | "/admin/messages/{kind}/{lang}" => Access::Admin,
        "/admin/setup" | "/admin/profile" | "/admin/catalogue" | "/admin/settings" => Access::Admin,
        _ => return None,
    })
}

/// The decision for each server function, with a valid request body.
fn server_fn_access(
    path: &str,
    victim: i32,
    token: i32,
) -> Option<(Access, Vec<(&'static str, String)>)> {
    let s = |v: &str| v.to_owned();
    let fields: Vec<(&'static str, String)>;
    let round_fields = || {
        vec![
            (
                "round[slug]",
                format!("r-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            ),
            ("round[title_vi]", s("Đợt thử")),
            ("round[year]", s("2027")),
            ("round[half]", s("1")),
            ("round[instrument_id]", s("1")),
        ]
    };
    let access = match path {
        "/sf/results/page" => {
            fields = vec![("public_id", s("KQ-AAAA-AAAA-AAAA")), ("lang", s("vi"))];
            Access::Public
        }
        "/sf/results/actions" => {
            fields = vec![("public_id", s("KQ-AAAA-AAAA-AAAA")), ("lang", s("vi"))];
            Access::Public
        }
        "/sf/quality/page" => {
            fields = vec![
                ("slug", s("test-round")),
                ("status", s("open")),
                ("lang", s("vi")),
            ];
            Access::SignedIn
        }
        // Every signed-in role decides on flags; staff only on their
        // departments' responses (nothing is ticked here).
        "/sf/quality/decide" => {
            fields = vec![("slug", s("test-round")), ("decision", s("confirm"))];
            Access::SignedIn
        }
        "/sf/actions/page" => {
            fields = vec![("slug", s("test-round")), ("lang", s("vi"))];
            Access::SignedIn
        }
        "/sf/actions/plan" => {
            fields = vec![
                ("slug", s("test-round")),
                ("criterion", s("A1")),
                ("what", s("Niêm yết quy trình")),
                ("owner_department", s("QLDN")),
                ("due_on", s("2027-03-31")),
            ];
            Access::Planners
        }
        // Progress is for the owner department's staff, leaders and admins.
        "/sf/actions/progress" => {
            fields = vec![
                ("id", victim.to_string()),
                ("status", s("in-progress")),
                ("progress_note", s("Đang làm")),
            ];
            Access::Department
        }
        "/sf/actions/publish" => {
            fields = vec![("id", victim.to_string()), ("published", s("true"))];
            Access::Planners
        }
        "/sf/results/list" => {
            fields = vec![("lang", s("vi"))];
            Access::Public
        }
        "/sf/indices/compare" => {
            fields = vec![
                ("slug", s("test-round")),
                ("other", s("closed-round")),
                ("lang", s("vi")),
            ];
            Access::SignedIn
        }
        "/sf/responses/exclude" => {
            fields = vec![
                ("slug", s("test-round")),
                ("receipt_code", s("HL-AAAA-AAAA")),
                ("reason", s("trùng")),
            ];
            Access::SignedIn
        }
        "/sf/survey/saved" => {
            fields = vec![
                ("slug", s("test-round")),
                ("code", s("NH-AAAA-AAAA-AAAA")),
                ("lang", s("vi")),
            ];
            Access::Public
        }
        "/sf/survey/entry-page" => {
            fields = vec![("slug", s("test-round")), ("lang", s("vi"))];
            Access::Managers
        }
        "/sf/rounds/list" => {
            fields = vec![];
            Access::SignedIn
        }
        "/sf/rounds/detail" | "/sf/rounds/invitations" | "/sf/rounds/poster" => {
            fields = vec![("slug", s("test-round")), ("lang", s("vi"))];
            Access::SignedIn
        }
        "/sf/rounds/invitations/progress" => {
            fields = vec![("slug", s("test-round"))];
            Access::SignedIn
        }
        "/sf/rounds/invitations/send" => {
            fields = vec![("slug", s("test-round"))];
            Access::Managers
        }
        "/sf/rounds/invitations/reminders" => {
            fields = vec![("slug", s("test-round")), ("reminder_days", s("7, 14"))];
            Access::Managers
        }
        "/sf/survey/unsubscribe-page" => {
            fields = vec![
                ("slug", s("test-round")),
                ("code", s("MOI-AAAA")),
                ("lang", s("vi")),
            ];
            Access::Public
        }
        "/sf/survey/unsubscribe" => {
            fields = vec![("slug", s("test-round")), ("code", s("MOI-AAAA"))];
            Access::Public
        }
        "/sf/admin/outbox" => {
            fields = vec![];
            Access::Admin
        }
        "/sf/dossiers/rating-page" => {
            fields = vec![("key", s("D-AAAA-AAAA-AAAA")), ("lang", s("vi"))];
            Access::Public
        }
        "/sf/dossiers/rate" => {
            fields = vec![("key", s("D-AAAA-AAAA-AAAA")), ("level", s("hai-long"))];
            Access::Public
        }
        "/sf/dossiers/figures" => {
            fields = vec![("lang", s("vi"))];
            Access::SignedIn
        }
        "/sf/dossiers/rating-days" => {
            fields = vec![("rating_days", s("30"))];
            Access::Admin
        }
        "/sf/kiosk/screen" => {
            fields = vec![("token", s("K-AAAA-AAAA-AAAA-AAAA")), ("lang", s("vi"))];
            Access::Public
        }
        "/sf/kiosk/rate" => {
            fields = vec![
                ("token", s("K-AAAA-AAAA-AAAA-AAAA")),
                ("handover", s("1")),
                ("level", s("hai-long")),
            ];
            Access::Public
        }
        "/sf/kiosks" => {
            fields = vec![];
            Access::Managers
        }
        "/sf/kiosks/add" => {
            fields = vec![("name", s("Quầy thử"))];
            Access::Admin
        }
        "/sf/kiosks/remove" => {
            fields = vec![("kiosk", s("999999"))];
            Access::Admin
        }
        "/sf/kiosks/hand-over" => {
            fields = vec![("kiosk", s("999999")), ("code", s("HS-NONE"))];
            Access::Managers
        }
        "/sf/admin/outbox/resend"
        | "/sf/admin/outbox/cancel"
        | "/sf/admin/webhooks/revoke"
        | "/sf/admin/webhooks/test" => {
            fields = vec![("id", s("999999"))];
            Access::Admin
        }
        "/sf/rounds/invitations/sample" => {
            fields = vec![("slug", s("test-round"))];
            Access::Managers
        }
        "/sf/account/alerts" => {
            fields = vec![("alert_email", s(""))];
            Access::SignedIn
        }
        "/sf/admin/webhooks" => {
            fields = vec![];
            Access::Admin
        }
        "/sf/admin/messages" => {
            fields = vec![];
            Access::Admin
        }
        "/sf/admin/messages/editor" => {
            fields = vec![("kind", s("feedback-acknowledgement")), ("lang", s("vi"))];
            Access::Admin
        }
        // A preview: checked and shown, nothing stored.
        "/sf/admin/messages/save" => {
            fields = vec![
                ("kind", s("feedback-acknowledgement")),
                ("lang", s("vi")),
                ("subject", s("Mã {{ tracking_code }}")),
                ("body", s("{{ tracking_link }}")),
                ("sms", s("{{ tracking_link }}")),
                ("intent", s("preview")),
            ];
            Access::Admin
        }
        "/sf/admin/webhooks/create" => {
            fields = vec![
                ("name", s("matrix")),
                ("url", s("https://motcua.example.vn/hook")),
                ("events[dossier.rated]", s("on")),
            ];
            Access::Admin
        }
        "/sf/rounds/imports/job" => {
            fields = vec![("slug", s("test-round")), ("job", s("NK-AAAA-AAAA-AAAA"))];
            Access::SignedIn
        }
        "/sf/rounds/create" => {
            fields = round_fields();
            Access::Managers
        }
        "/sf/rounds/update" => {
            fields = [vec![("original_slug", s("closed-round"))], round_fields()].concat();
            Access::Managers
        }
        "/sf/rounds/status" => {
            fields = vec![("slug", s("closed-round")), ("status", s("open"))];
            Access::Managers
        }
        "/sf/rounds/populations" => {
            fields = vec![
                ("slug", s("test-round")),
                ("dimension", s("respondent_type")),
                ("populations[doanh-nghiep]", s("800")),
            ];
            Access::Managers
        }
        "/sf/rounds/clone" => {
            fields = vec![
                ("slug", s("test-round")),
                (
                    "new_slug",
                    format!("c-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
                ),
                ("year", s("2027")),
                ("half", s("1")),
            ];
            Access::Managers
        }
        "/sf/rounds/invitations/import" | "/sf/rounds/responses/import" => {
            fields = vec![("slug", s("test-round"))];
            Access::Managers
        }
        "/sf/admin/catalogue/import" => {
            fields = vec![("dry_run", s("on"))];
            Access::Admin
        }
        "/sf/feedback/holidays/import"
        | "/sf/admin/profile/logo"
        | "/sf/admin/profile/logo/remove" => {
            fields = vec![];
            Access::Admin
        }
        "/sf/feedback/holidays/swaps" => {
            fields = vec![("year", s("2027"))];
            Access::Admin
        }
        "/sf/instruments/list" => {
            fields = vec![];
            Access::Managers
        }
        "/sf/instruments/detail" | "/sf/instruments/copy" => {
            fields = vec![("id", s("1"))];
            Access::Managers
        }
        "/sf/instruments/heading" => {
            fields = vec![
                ("id", s("1")),
                ("title_vi", s("Phiếu")),
                ("title_en", s("")),
                ("audience", s("businesses")),
            ];
            Access::Managers
        }
        "/sf/instruments/element/add" => {
            fields = vec![
                ("instrument_id", s("1")),
                ("kind", s("index")),
                ("code", s("Z")),
                ("title_vi", s("Z")),
                ("title_en", s("")),
            ];
            Access::Managers
        }
        "/sf/instruments/element/update" => {
            fields = vec![
                ("instrument_id", s("1")),
                ("element_id", s("1")),
                ("code", s("A")),
                ("title_vi", s("A")),
                ("title_en", s("")),
            ];
            Access::Managers
        }
        "/sf/instruments/criterion/add" => {
            fields = vec![
                ("instrument_id", s("1")),
                ("element_id", s("1")),
                ("code", s("A9")),
                ("text_vi", s("A9")),
                ("text_en", s("")),
            ];
            Access::Managers
        }
        "/sf/instruments/criterion/update" => {
            fields = vec![
                ("instrument_id", s("1")),
                ("criterion_id", s("1")),
                ("code", s("A1")),
                ("text_vi", s("A1")),
                ("text_en", s("")),
            ];
            Access::Managers
        }
        "/sf/rounds/open" | "/sf/auth/login-page" | "/sf/auth/viewer" | "/sf/auth/logout" => {
            fields = vec![("lang", s("vi"))];
            Access::Public
        }
        "/sf/survey/page" => {
            fields = vec![("slug", s("test-round")), ("lang", s("vi"))];
            Access::Public
        }
        "/sf/survey/receipt" => {
            fields = vec![
                ("slug", s("test-round")),
                ("code", s("HL-AAAA-AAAA")),
                ("lang", s("vi")),
            ];
            Access::Public
        }
        "/sf/survey/submit" => {
            fields = vec![
                ("slug", s("test-round")),
                ("respondent_type", s("doanh-nghiep")),
            ];
            Access::Public
        }
        "/sf/auth/login" => {
            fields = vec![("username", s("nobody")), ("password", s("wrong password"))];
            Access::Public
        }
        "/sf/indices/dashboard" => {
            fields = vec![
                ("slug", s("test-round")),
                ("lang", s("vi")),
                ("filter[department]", s("")),
            ];
            Access::SignedIn
        }
        "/sf/staff/home" | "/sf/account/page" | "/sf/account/logout-everywhere" => {
            fields = vec![];
            Access::SignedIn
        }
        "/sf/account/password" => {
            fields = vec![
                ("current_password", s("not the password")),
                ("new_password", s("short")),
            ];
            Access::SignedIn
        }
        "/sf/admin/users" | "/sf/admin/tokens" | "/sf/admin/audit" | "/sf/admin/personal-data" => {
            fields = vec![];
            Access::Admin
        }
        "/sf/setup/first-admin" => {
            fields = vec![];
            Access::Public
        }
        "/sf/admin/settings/quality" => {
            fields = vec![
                ("rules[speeder_median_divisor]", s("3")),
                ("rules[straight_line_min_answers]", s("10")),
                ("rules[burst_more_than]", s("5")),
                ("rules[burst_window_minutes]", s("10")),
            ];
            Access::Admin
        }
        "/sf/admin/settings/save" => {
            fields = vec![
                ("target_index", s("80")),
                ("suppression_threshold", s("10")),
                ("intro_vi", s("")),
                ("intro_en", s("")),
                ("thanks_vi", s("")),
                ("thanks_en", s("")),
                ("default_instrument", s("")),
            ];
            Access::Admin
        }
        "/sf/admin/setup" | "/sf/admin/profile" | "/sf/admin/catalogue" | "/sf/admin/settings" => {
            fields = vec![];
            Access::Admin
        }
        "/sf/admin/profile/save" => {
            fields = vec![
                ("name_vi", s("Ban Quản lý các Khu kinh tế")),
                ("name_en", s("")),
                ("phone", s("0235 3800 800")),
                ("hours", s("")),
                ("address", s("")),
                ("email", s("")),
                ("public_url", s("")),
            ];
            Access::Admin
        }
        "/sf/admin/catalogue/save" => {
            fields = vec![
                ("kind", s("department")),
                ("code", s("VP")),
                ("name_vi", s("Văn phòng")),
                ("name_en", s("Office")),
            ];
            Access::Admin
        }
        "/sf/admin/catalogue/active" => {
            fields = vec![
                ("kind", s("procedure")),
                ("code", s("DT-01")),
                ("active", s("1")),
            ];
            Access::Admin
        }
        "/sf/admin/personal-data/retention" => {
            fields = vec![
                ("feedback_contact_days", s("730")),
                ("invitation_contact_days", s("365")),
            ];
            Access::Admin
        }
        "/sf/admin/personal-data/erase" => {
            fields = vec![("identifier", s("0900 000 001")), ("reason", s("kiểm tra"))];
            Access::Admin
        }
        "/sf/admin/users/create" => {
            fields = vec![
                (
                    "username",
                    format!("made-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
                ),
                ("display_name", s("Made")),
                ("role", s("staff")),
                ("password", s("a long enough password")),
            ];
            Access::Admin
        }
        "/sf/admin/users/update" => {
            fields = vec![
                ("id", victim.to_string()),
                ("display_name", s("Victim")),
                ("role", s("staff")),
                ("active", s("on")),
            ];
            Access::Admin
        }
        "/sf/admin/users/password" => {
            fields = vec![
                ("id", victim.to_string()),
                ("password", s("another long password")),
            ];
            Access::Admin
        }
        "/sf/admin/users/logout" => {
            fields = vec![("id", victim.to_string())];
            Access::Admin
        }
        "/sf/admin/users/unlock" => {
            fields = vec![("id", victim.to_string()), ("username", s("nobody"))];
            Access::Admin
        }
        "/sf/admin/tokens/create" => {
            fields = vec![("name", s("matrix")), ("role", s("leader"))];
            Access::Admin
        }
        "/sf/admin/tokens/revoke" => {
            fields = vec![("id", token.to_string())];
            Access::Admin
        }
        "/sf/feedback/form" => {
            fields = vec![("lang", s("vi"))];
            Access::Public
        }
        "/sf/feedback/send" => {
            fields = vec![
                (
                    "feedback[content]",
                    s("Đề nghị rút ngắn thời gian trả kết quả."),
                ),
                ("feedback[sender_name]", s("Nguyễn Văn A")),
            ];
            Access::Public
        }
        "/sf/feedback/track" => {
            fields = vec![("code", s("PA-AAAA-AAAA-AAAA"))];
            Access::Public
        }
        "/sf/feedback/rate" => {
            fields = vec![
                ("code", s("PA-AAAA-AAAA-AAAA")),
                ("key", s("DG-AAAA-AAAA-AAAA-AAAA")),
                ("rating", s("5")),
            ];
            Access::NotSignedIn
        }
        "/sf/feedback/answers" => {
            fields = vec![("page", s("1")), ("lang", s("vi"))];
            Access::Public
        }
        "/sf/dossiers/public" => {
            fields = vec![("lang", s("vi"))];
            Access::Public
        }
        "/sf/feedback/list" => {
            fields = vec![("filter[status]", s("")), ("lang", s("vi"))];
            Access::SignedIn
        }
        "/sf/feedback/report" => {
            fields = vec![("year", s("2026")), ("half", s("2")), ("lang", s("vi"))];
            Access::SignedIn
        }
        "/sf/feedback/item" => {
            fields = vec![
                ("id", victim.to_string()),
                ("lang", s("vi")),
                ("reveal", s("false")),
            ];
            Access::Department
        }
        "/sf/feedback/new" => {
            fields = vec![("lang", s("vi"))];
            Access::Managers
        }
        "/sf/feedback/record" => {
            fields = vec![
                ("feedback[channel]", s("hotline")),
                (
                    "feedback[content]",
                    s("Người gọi phản ánh hồ sơ bị trả chậm."),
                ),
            ];
            Access::Managers
        }
        // Classification is for the item's staff, admins and leaders.
        "/sf/feedback/act" => {
            fields = vec![
                ("id", victim.to_string()),
                ("action", s("classify")),
                ("fields[classification]", s("in-scope")),
            ];
            Access::Department
        }
        "/sf/feedback/settings" => {
            fields = vec![("lang", s("vi"))];
            Access::Admin
        }
        "/sf/feedback/settings/hotline" => {
            fields = vec![
                ("phone", s("0235 3800 800")),
                ("address", s("")),
                ("email", s("")),
                ("hours", s("")),
            ];
            Access::Admin
        }
        "/sf/feedback/settings/deadlines" => {
            fields = vec![("days[classify]", s("3"))];
            Access::Admin
        }
        "/sf/feedback/holidays/add" => {
            fields = vec![("day", s("2027-01-01")), ("name", s("Tết Dương lịch"))];
            Access::Admin
        }
        "/sf/feedback/holidays/public" => {
            fields = vec![("year", s("2027"))];
            Access::Admin
        }
        "/sf/feedback/holidays/remove" => {
            fields = vec![("day", s("2027-01-01"))];
            Access::Admin
        }
        _ => return None,
    };
    Some((access, fields))
}

/// The decision for each JSON API route.
fn api_access(method: &str, path: &str) -> Option<Access> {
    Some(match (method, path) {
        ("get", "/healthz")
        | ("get", "/api/v1/rounds")
        | ("post", "/api/v1/rounds/{slug}/responses") => Access::Public,
        ("get", "/api/v1/rounds/{slug}/qr.svg") | ("get", "/api/v1/rounds/{slug}/qr.png") => {
            Access::Public
        }
        ("get", "/api/v1/instruments/{code}/{version}") => Access::Public,
        ("get", "/api/v1/rounds/{slug}/indices")
        | ("get", "/api/v1/rounds/{slug}/drivers")
        | ("get", "/api/v1/rounds/{slug}")
        | ("get", "/api/v1/rounds/{slug}/invitations")
        | ("get", "/api/v1/rounds/{slug}/invitations.csv")
        | ("get", "/api/v1/instruments")
        | ("get", "/api/v1/rounds/{a}/compare/{b}")
        | ("get", "/api/v1/rounds/{slug}/responses.csv")
        | ("get", "/api/v1/rounds/{slug}/responses.xlsx")
        | ("get", "/api/v1/rounds/{slug}/indices.xlsx")
        | ("get", "/api/v1/rounds/{slug}/evidence.zip") => Access::SignedIn,
        ("post", "/api/v1/rounds/{slug}/invitations") => Access::Managers,
        ("post", "/api/v1/feedback")
        | ("get", "/api/v1/feedback/{tracking_code}")
        | ("post", "/api/v1/feedback/{tracking_code}/rating")
        | ("get", "/api/v1/feedback-answers") => Access::Public,
        ("get", "/api/v1/feedback-items")
        | ("get", "/api/v1/feedback-items/{id}")
        | ("get", "/api/v1/feedback-summary")
        | ("get", "/api/v1/feedback-report")
        | ("get", "/api/v1/feedback-report.xlsx") => Access::SignedIn,
        // Recording is for staff and admins; classifying (the sample
        // action) also for leaders. Tokens are not bound to departments.
        ("post", "/api/v1/feedback-items") => Access::Managers,
        ("post", "/api/v1/feedback-items/{id}/actions") => Access::SignedIn,
        ("get", "/api/v1/catalogue")
        | ("get", "/api/v1/catalogue.csv")
        | ("get", "/api/v1/holidays.ics") => Access::Public,
        ("post", "/api/v1/catalogue") | ("post", "/api/v1/catalogue/import") => Access::Admin,
        ("get", "/api/v1/profile") => Access::Public,
        ("put", "/api/v1/profile")
        | ("post", "/api/v1/holidays/public")
        | ("post", "/api/v1/users") => Access::Admin,
        ("post", "/api/v1/rounds") | ("post", "/api/v1/rounds/{slug}/status") => Access::Managers,
        ("post", "/api/v1/dossiers") | ("get", "/api/v1/dossiers/{code}/rating-link") => {
            Access::Managers
        }
        ("get", "/api/v1/dossiers/figures")
        | ("get", "/api/v1/dossiers/figures.csv")
        | ("get", "/api/v1/dossiers/figures.xlsx") => Access::SignedIn,
        ("get", "/api/v1/ratings/{key}/qr.svg") => Access::Public,
        ("post", "/api/v1/kiosks/{id}/handover") => Access::Managers,
        ("get", "/api/v1/webhooks")
        | ("post", "/api/v1/webhooks")
        | ("delete", "/api/v1/webhooks/{id}") => Access::Admin,
        _ => return None,
    })
}

/// An action of the open round owned by department QLDN, stored directly
/// (planning one through the service needs a weak criterion).
async fn action_of_qldn(app: &TestApp) -> i32 {
    use sea_orm::{ActiveModelTrait, Set};
    let round = domain::services::rounds::require(&app.db, "test-round")
        .await
        .unwrap();
    let department = domain::services::catalogue::department_by_code(&app.db, "QLDN")
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    domain::entities::action::ActiveModel {
        round_id: Set(round.id),
        criterion_code: Set("A1".to_owned()),
        what: Set("Niêm yết quy trình".to_owned()),
        owner_department_id: Set(department.id),
        due_on: Set(chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()),
        expected_effect: Set(String::new()),
        status: Set(domain::model::ActionStatus::Planned),
        progress_note: Set(String::new()),
        published_at: Set(None),
        created_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

/// Denied means 401/403, or being sent to sign in.
fn was_allowed(status: http::StatusCode, location: &str) -> bool {
    !(status == 401 || status == 403 || location.starts_with("/login?next="))
}

/// For a record of another department, "not found" is the denial too.
fn was_allowed_to(access: Access, status: http::StatusCode, location: &str) -> bool {
    was_allowed(status, location) && !(access == Access::Department && status == 404)
}

struct Principals {
    users: BTreeMap<Caller, i32>,
    tokens: BTreeMap<Caller, String>,
}

async fn principals(app: &TestApp) -> Principals {
    let mut users = BTreeMap::new();
    let mut tokens = BTreeMap::new();
    for (caller, role, departments) in [
        (Caller::Admin, Role::Admin, vec![]),
        (Caller::Leader, Role::Leader, vec![]),
        (Caller::Staff, Role::Staff, vec!["QLDN"]),
        (Caller::StaffOfAnotherDepartment, Role::Staff, vec!["QLDT"]),
    ] {
        let user = domain::services::accounts::create_user(
            &app.db,
            &domain::services::audit::Actor::cli(),
            domain::services::accounts::NewUser {
                username: format!("matrix-{caller:?}").to_lowercase(),
                display_name: format!("{caller:?}"),
                password: "correct horse battery".to_owned(),
                role,
                departments: departments.into_iter().map(str::to_owned).collect(),
                can_triage: false,
            },
        )
        .await
        .unwrap();
        users.insert(caller, user.id);
        let (_, token) = app
            .token(&format!("{caller:?}"), role, domain::model::Scope::ALL)
            .await;
        tokens.insert(caller, token);
    }
    Principals { users, tokens }
}

/// A fresh browser for `caller` (sessions may be ended by the request before).
async fn browser(app: &TestApp, principals: &Principals, caller: Caller) -> Browser {
    match principals.users.get(&caller) {
        Some(user_id) => Browser::signed_in(
            domain::services::sessions::open_for(&app.db, *user_id, chrono::Utc::now())
                .await
                .unwrap(),
        ),
        None => Browser::anonymous(),
    }
}

#[tokio::test]
async fn every_endpoint_allows_exactly_the_roles_decided_for_it() {
    let app = TestApp::with_open_round().await;
    app.add_round("closed-round", RoundStatus::Closed).await;
    let principals = principals(&app).await;
    let mut failures = Vec::new();

    // Pages.
    let pages = generate_route_list(app::App);
    assert!(!pages.is_empty());
    for page in &pages {
        let pattern = page.path().to_owned();
        let Some(access) = page_access(&pattern) else {
            failures.push(format!("page {pattern} has no access decision"));
            continue;
        };
        let path = pattern
            .replace("{slug}", "test-round")
            .replace("{code}", "HL-AAAA-AAAA")
            .replace("{kind}", "feedback-acknowledgement")
            .replace("{lang}", "vi");
        for caller in CALLERS {
            let reply = app
                .get_as(&browser(&app, &principals, caller).await, &path)
                .await;
            if was_allowed(reply.status, &reply.location()) != allowed(access, caller) {
                failures.push(format!(
                    "page {path} as {caller:?}: {} {}",
                    reply.status,
                    reply.location()
                ));
            }
        }
    }

    // Server functions, as registered by the application.
    let mut server_fns: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    server_fns.sort();
    server_fns.dedup();
    assert!(
        server_fns.len() >= 20,
        "server functions are registered: {server_fns:?}"
    );
    for path in &server_fns {
        for caller in CALLERS {
            // Requests that change a user or a token get one of their own,
            // so that the callers stay as they are.
            let victim_id = if path.starts_with("/sf/admin/users/") {
                app.create_user(Role::Staff, &[]).await
            } else if path.starts_with("/sf/feedback/") {
                app.record_feedback_in("QLDN", "Phản ánh mẫu để kiểm tra quyền.")
                    .await
            } else if path.starts_with("/sf/actions/") {
                action_of_qldn(&app).await
            } else {
                0
            };
            let token_id = if path == "/sf/admin/tokens/revoke" {
                app.token("victim", Role::Leader, &[domain::model::Scope::IndicesRead])
                    .await
                    .0
            } else {
                0
            };
            let Some((access, fields)) = server_fn_access(path, victim_id, token_id) else {
                failures.push(format!("server function {path} has no access decision"));
                break;
            };
            let browser = browser(&app, &principals, caller).await;
            let reply = if path.ends_with("/import") || path.ends_with("/logo") {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_upload_as(&browser, path, &fields, "list.csv", b"name\nMatrix\n")
                    .await
            } else {
                let mut fields: Vec<(String, String)> =
                    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                fields.push(("csrf_token".to_owned(), browser.csrf.clone()));
                app.send(
                    Request::post(path.as_str())
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .header(header::ACCEPT, "text/html")
                        .header(header::COOKIE, browser.cookie_header())
                        .body(Body::from(form_urlencoded(&fields)))
                        .unwrap(),
                )
                .await
            };
            assert!(
                reply.status != 400,
                "{path}: the sample request is not valid: {}",
                reply.body
            );
            if was_allowed_to(access, reply.status, &reply.location()) != allowed(access, caller) {
                failures.push(format!(
                    "server function {path} as {caller:?}: {} {}",
                    reply.status,
                    reply.location()
                ));
            }
        }
    }

    // The JSON API, as its OpenAPI document lists it.
    let doc = app.get("/api/v1/openapi.json").await.json();
    for (pattern, operations) in doc["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let Some(access) = api_access(method, pattern) else {
                failures.push(format!("API {method} {pattern} has no access decision"));
                continue;
            };
            let path = pattern
                .replace("{slug}", "test-round")
                .replace("{code}", "dvhcc")
                .replace("{version}", "1")
                .replace("{a}", "test-round")
                .replace("{b}", "closed-round")
                .replace("{tracking_code}", "PA-AAAA-AAAA-AAAA");
            let path = if matches!(
                pattern.as_str(),
                "/api/v1/feedback-summary"
                    | "/api/v1/feedback-report"
                    | "/api/v1/feedback-report.xlsx"
            ) {
                format!("{path}?year=2026&half=2")
            } else {
                path
            };
            for caller in CALLERS {
                let item = app.record_feedback("Phản ánh mẫu cho API.").await;
                let path = path.replace("{id}", &item.to_string());
                let mut request = Request::builder()
                    .method(method.to_uppercase().as_str())
                    .uri(path.as_str())
                    .header(header::CONTENT_TYPE, "application/json");
                if let Some(token) = principals.tokens.get(&caller) {
                    request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                let body = if method == "post" && pattern.ends_with("/invitations") {
                    serde_json::json!({"invitations": [{"name": "Matrix"}]}).to_string()
                } else if method == "post" && pattern == "/api/v1/feedback" {
                    serde_json::json!({"content": "Đề nghị công khai thời hạn giải quyết."})
                        .to_string()
                } else if method == "post" && pattern == "/api/v1/feedback-items" {
                    serde_json::json!({"channel": "hotline", "feedback": {"content": "Người gọi hỏi về hồ sơ."}})
                        .to_string()
                } else if method == "post" && pattern.ends_with("/actions") {
                    serde_json::json!({"action": "classify", "classification": "in-scope"})
                        .to_string()
                } else if method == "post" && pattern == "/api/v1/catalogue" {
                    serde_json::json!({"entries": [], "dry_run": true}).to_string()
                } else if method == "put" && pattern == "/api/v1/profile" {
                    serde_json::json!({"name_vi": "Ban Quản lý"}).to_string()
                } else if pattern == "/api/v1/holidays/public" {
                    serde_json::json!({"year": 2027}).to_string()
                } else if pattern == "/api/v1/users" {
                    serde_json::json!({"username": "matrix-new", "display_name": "Mới", "role": "staff", "password": "a long enough password"}).to_string()
                } else if method == "post" && pattern == "/api/v1/rounds" {
                    serde_json::json!({"slug": "matrix-round", "title_vi": "Đợt", "year": 2027, "half": 1, "instrument": "dvhcc@1"}).to_string()
                } else if pattern.ends_with("/status") {
                    serde_json::json!({"status": "open"}).to_string()
                } else if method == "post" && pattern == "/api/v1/webhooks" {
                    serde_json::json!({"name": "Matrix", "url": "https://motcua.example.vn/hook", "events": ["round.published"]}).to_string()
                } else if method == "post" && pattern == "/api/v1/dossiers" {
                    serde_json::json!({"dossiers": []}).to_string()
                } else if method == "post" && pattern.ends_with("/rating") {
                    serde_json::json!({"rating": 5, "key": "DG-AAAA-AAAA-AAAA-AAAA"}).to_string()
                } else if method == "post" {
                    serde_json::json!({
                        "idempotency_key": uuid::Uuid::new_v4().to_string(),
                        "answers": {"A1": 5},
                        "respondent": {"type": "doanh-nghiep"}
                    })
                    .to_string()
                } else {
                    String::new()
                };
                let reply = app.send(request.body(Body::from(body)).unwrap()).await;
                if was_allowed(reply.status, "") != allowed(access, caller) {
                    failures.push(format!(
                        "API {method} {path} as {caller:?}: {}",
                        reply.status
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access decisions broken:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_matrix_would_notice_a_missing_check() {
    // The classification the matrix relies on: a denied caller is told so.
    let app = TestApp::with_open_round().await;
    let anonymous = app.get("/admin/users").await;
    assert!(!was_allowed(anonymous.status, &anonymous.location()));
    let staff = app.sign_in(Role::Staff, &["QLDN"]).await;
    let forbidden = app.get_as(&staff, "/admin/users").await;
    assert_eq!(forbidden.status, 403);
    assert!(!was_allowed(forbidden.status, &forbidden.location()));
    let admin = app.sign_in(Role::Admin, &[]).await;
    let allowed_reply = app.get_as(&admin, "/admin/users").await;
    assert!(was_allowed(allowed_reply.status, &allowed_reply.location()));
    assert_eq!(allowed_reply.status, 200);
}
