//! The frame of every public page: skip link, header with the language
//! switch, main landmark, footer.

use leptos::prelude::*;
use leptos_meta::{Html, Link, Meta, Title};
use leptos_router::hooks::{use_location, use_query_map};

use domain::i18n::Lang;

/// The page's language: `?lang=` when given (and then remembered in a
/// cookie), else the language chosen last, else Vietnamese.
pub fn use_lang() -> Lang {
    let query = use_query_map();
    let asked = query.read_untracked().get("lang");
    #[cfg(feature = "ssr")]
    {
        match asked {
            Some(code) => {
                let lang = Lang::parse(Some(&code));
                crate::ssr::cookies::remember_lang(lang);
                lang
            }
            None => crate::ssr::cookies::request_lang(),
        }
    }
    #[cfg(not(feature = "ssr"))]
    Lang::parse(asked.as_deref())
}

/// Escapes text for the elements whose content Leptos writes unescaped on
/// the server: `<textarea>` (tachys marks it as raw text) and `<title>`
/// (leptos_meta). Without this, "</textarea><script>…" typed into a form
/// would become markup. In the browser the text is used as it is.
pub fn escape_raw_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_owned()
    }
}

/// Answers 404 for the page being rendered on the server.
pub fn respond_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
}

#[component]
pub fn PublicLayout(
    lang: Lang,
    /// The page title, before the application's name.
    #[prop(into)]
    title: String,
    #[prop(optional, into)] agency_name: Option<String>,
    /// The agency's logo; decorative beside its name.
    #[prop(optional_no_strip)]
    logo: Option<String>,
    /// What search results and link previews say of the page.
    #[prop(optional, into)]
    description: Option<String>,
    children: Children,
) -> impl IntoView {
    let t = lang.texts();
    let full_title = format!("{title} · {}", t.app_name);
    let description = description.unwrap_or_else(|| t.meta_description.to_owned());
    // The page's own address (in its language), and an image for previews.
    #[cfg(feature = "ssr")]
    let base = crate::ssr::state::rendering_base_url();
    #[cfg(not(feature = "ssr"))]
    let base = String::new();
    let path = use_location().pathname.get_untracked();
    let canonical = match lang {
        Lang::Vi => format!("{base}{path}"),
        Lang::En => format!("{base}{path}?lang=en"),
    };
    // Previews want a raster image; the logo may be an SVG.
    let image = format!("{base}/share.png");
    let site_name = agency_name.clone().unwrap_or_else(|| t.app_name.to_owned());
    let locale = match lang {
        Lang::Vi => "vi_VN",
        Lang::En => "en_GB",
    };
    view! {
        <Html {..} lang=lang.code() />
        <Title text=escape_raw_text(&full_title) />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=canonical.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content=site_name />
        <Meta property="og:locale" content=locale />
        <Meta property="og:title" content=full_title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=canonical />
        <Meta property="og:image" content=image.clone() />
        <Meta name="twitter:card" content="summary" />
        <Meta name="twitter:title" content=full_title />
        <Meta name="twitter:description" content=description />
        <Meta name="twitter:image" content=image />
        <a class="skip-link" href="#main">
            {t.skip_to_content}
        </a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href=format!("/?lang={}", lang.code())>
                    {logo.map(|src| view! { <img class="brand-logo" src=src alt="" height="48" /> })}
                    <span class="brand-name">{t.app_name}</span>
                    {agency_name.map(|name| view! { <span class="brand-agency">{name}</span> })}
                </a>
                <LangSwitch lang />
            </div>
        </header>
        <main id="main" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container">
                <p>
                    {t.app_name} " · "
                    <a href="/feedback">{lang.feedback_texts().public_link}</a> " · "
                    <a href="/login">{t.staff_login_link}</a>
                </p>
            </div>
        </footer>
    }
}

/// A link to the same page in the other language.
#[component]
pub fn LangSwitch(lang: Lang) -> impl IntoView {
    let location = use_location();
    let other = lang.other();
    let mut query = location.query.get_untracked();
    query.replace("lang", other.code().to_owned());
    // The route's own path, never a path that could name another site
    // (`//evil.example/…` asked for on purpose).
    let path = crate::server_fns::local_path(&location.pathname.get_untracked())
        .unwrap_or_else(|| "/".to_owned());
    let href = format!("{path}{}", query.to_query_string());
    view! {
        <a class="lang-switch" href=href hreflang=other.code() lang=other.code()>
            {lang.texts().switch_language}
        </a>
    }
}
