//! The frame of staff pages: navigation by role, who is signed in, sign-out;
//! the hidden anti-forgery field and the notice a form leaves behind.

use leptos::prelude::*;
use leptos_meta::{Html, Title};

use crate::components::{LangSwitch, escape_raw_text};
use crate::server_fns::Logout;
use domain::i18n::Lang;
use domain::model::{FormFlash, Role, Viewer};
use leptos::server_fn::ServerFn;

/// The hidden field that proves a form comes from this site.
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf_token" value=token /> }
}

/// The success notice or form-level error that `form` left behind.
#[component]
pub fn FlashNotice(lang: Lang, flash: Option<FormFlash>, form: String) -> impl IntoView {
    let flash = flash.filter(|f| f.form == form);
    let notice = flash
        .as_ref()
        .and_then(|f| f.notice.as_deref())
        .and_then(|code| lang.notice(code));
    let error = flash.as_ref().and_then(|f| f.error("form"));
    view! {
        {notice.map(|text| view! { <p class="notice success" role="status">{text}</p> })}
        {error.map(|text| view! { <p class="form-failure" role="alert">{text}</p> })}
    }
}

#[component]
pub fn StaffLayout(
    lang: Lang,
    viewer: Viewer,
    #[prop(into)] title: String,
    children: Children,
) -> impl IntoView {
    let t = lang.texts();
    let is_admin = viewer.role == Role::Admin;
    view! {
        <Html {..} lang=lang.code() />
        <Title text=escape_raw_text(&format!("{title} · {}", t.app_name)) />
        <a class="skip-link" href="#main">
            {t.skip_to_content}
        </a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/staff">
                    <span class="brand-name">{t.app_name}</span>
                    <span class="brand-agency">{t.staff_home_title}</span>
                </a>
                <LangSwitch lang />
            </div>
            <nav class="staff-nav" aria-label=t.main_navigation>
                <div class="container nav-row">
                    <a href="/staff">{t.nav_home}</a>
                    <a href="/rounds">{t.nav_rounds}</a>
                    {(viewer.role != Role::Leader).then(|| view! { <a href="/instruments">{t.nav_instruments}</a> })}
                    <a href="/feedback/items">{lang.feedback_texts().nav_feedback}</a>
                    <a href="/dossiers">{lang.dossier_texts().nav}</a>
                    {(viewer.role != Role::Leader).then(|| view! { <a href="/dossiers/kiosks">{lang.kiosk_texts().nav}</a> })}
                    {is_admin
                        .then(|| {
                            view! {
                                <a href="/admin/setup">{t.nav_setup}</a>
                                <a href="/admin/catalogue">{t.nav_catalogue}</a>
                                <a href="/admin/settings">{t.nav_settings}</a>
                                <a href="/admin/users">{t.nav_users}</a>
                                <a href="/admin/tokens">{t.nav_tokens}</a>
                                <a href="/admin/audit">{t.nav_audit}</a>
                                <a href="/admin/outbox">{lang.mailing_texts().outbox_title}</a>
                                <a href="/admin/webhooks">{lang.webhook_texts().title}</a>
                                <a href="/admin/messages">{lang.template_texts().title}</a>
                                <a href="/admin/personal-data">{t.nav_personal_data}</a>
                                <a href="/admin/feedback-settings">{lang.feedback_texts().nav_feedback_settings}</a>
                            }
                        })}
                    <a href="/account">{t.nav_account}</a>
                    <span class="signed-in">
                        {format!(
                            "{} {} ({})",
                            t.signed_in_as,
                            viewer.display_name,
                            lang.role(viewer.role),
                        )}
                    </span>
                    <form method="post" action=Logout::url() class="inline-form">
                        <CsrfField token=viewer.csrf_token.clone() />
                        <button type="submit" class="button small">
                            {t.logout_button}
                        </button>
                    </form>
                </div>
            </nav>
        </header>
        <main id="main" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container">
                <p>{t.app_name}</p>
            </div>
        </footer>
    }
}
