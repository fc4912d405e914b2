use leptos::prelude::*;

use crate::components::{PublicLayout, use_lang};
use crate::server_fns::{first_admin_needed, list_open_rounds, list_published};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let f = lang.feedback_texts();
    let rounds = Suspend::new(async move {
        match list_open_rounds(lang).await {
            Ok(rounds) if rounds.is_empty() => view! { <p>{t.no_open_rounds}</p> }.into_any(),
            Ok(rounds) => view! {
                <ul class="round-list">
                    {rounds
                        .into_iter()
                        .map(|round| {
                            view! {
                                <li class="card">
                                    <h3>{round.title}</h3>
                                    <p class="muted">{round.period}</p>
                                    <p class="actions">
                                        <a
                                            class="button primary"
                                            href=format!("/s/{}?lang={}", round.slug, lang.code())
                                        >
                                            {t.take_survey}
                                        </a>
                                    </p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
            Err(_) => {
                view! { <p class="form-failure">{lang.island_texts().load_error}</p> }.into_any()
            }
        }
    });
    let published = Suspend::new(async move {
        let list = list_published(lang).await.unwrap_or_default();
        (!list.is_empty()).then(|| {
            view! {
                <h2>{t.published_heading}</h2>
                <ul class="round-list">
                    {list
                        .into_iter()
                        .map(|p| {
                            view! {
                                <li class="card">
                                    <h3>
                                        <a href=format!("/results/{}", p.public_id)>{p.title}</a>
                                    </h3>
                                    <p class="muted">{format!("{} · {}", p.period, p.approved_at)}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    });
    let first_admin = Suspend::new(async move {
        first_admin_needed().await.unwrap_or(false).then(|| {
            view! {
                <section class="card notice" id="first-admin" aria-labelledby="first-admin-heading">
                    <h2 id="first-admin-heading">{t.first_admin_title}</h2>
                    <p>{t.first_admin_intro}</p>
                    <pre tabindex="0"><code>"hailong create-user --username admin --role admin --name \"Quản trị viên\""</code></pre>
                    <p><a class="button primary" href="/login?next=/admin/setup">{t.login_title}</a></p>
                </section>
            }
        })
    });
    view! {
        <PublicLayout lang title=t.home_title description=t.home_intro>
            <Suspense>{first_admin}</Suspense>
            <h1>{t.home_title}</h1>
            <p class="lead">{t.home_intro}</p>
            <h2>{t.open_rounds}</h2>
            <Suspense>{rounds}</Suspense>
            <Suspense>{published}</Suspense>
            <section class="card" aria-labelledby="feedback-heading">
                <h2 id="feedback-heading">{f.page_title}</h2>
                <p>{f.page_intro}</p>
                <p class="actions">
                    <a class="button primary" href="/feedback">{f.send_button}</a>
                    <a class="button" href="/feedback/track">{f.track_link}</a>
                    <a class="button" href="/feedback/answers">{f.answers_link}</a>
                </p>
            </section>
        </PublicLayout>
    }
}
