use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use leptos::server_fn::ServerFn;

use crate::components::{CsrfField, PublicLayout, SurveyForm, respond_not_found, use_lang};
use crate::pages::NotFound;
use crate::server_fns::{
    SurveyRequest, Unsubscribe, get_receipt, get_saved_draft, get_survey_page, get_unsubscribe_page,
};

/// `/s/{round-slug}`: the public survey form of a round.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let query = use_query_map().read_untracked();
    let request = SurveyRequest {
        draft: query.get("draft"),
        check: query.get("check").is_some(),
        code: query.get("code"),
    };
    let t = lang.texts();
    let resume_slug = slug.clone();
    let page = Suspend::new(async move {
        match get_survey_page(slug, lang, request).await {
            Ok(Some(data)) => view! {
                <PublicLayout lang title=data.round.title.clone() agency_name=data.agency_name.clone() logo=data.logo.clone()
                    description=format!("{} ({}). {}", data.round.title, data.round.period, t.meta_survey)>
                    <h1>{data.round.title.clone()}</h1>
                    <p class="muted">{data.round.period.clone()}</p>
                    {match data.closed_notice.clone() {
                        Some(notice) => view! { <p class="notice" role="status">{notice}</p> }.into_any(),
                        None => view! {
                            <p class="lead" data-testid="survey-intro">{data.intro.clone()}</p>
                            {(data.draft_code.is_none()).then(|| resume_box(lang, &resume_slug))}
                            <SurveyForm data />
                        }
                        .into_any(),
                    }}
                </PublicLayout>
            }
            .into_any(),
            Ok(None) => view! { <NotFound /> }.into_any(),
            Err(_) => {
                view! {
                    <PublicLayout lang title=lang.island_texts().load_error>
                        <p class="form-failure" role="alert">{lang.island_texts().load_error}</p>
                    </PublicLayout>
                }
                .into_any()
            }
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// `/s/{round-slug}/receipt/{code}`: thanks and the receipt code.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map().read_untracked();
    let slug = params.get("slug").unwrap_or_default();
    let code = params.get("code").unwrap_or_default();
    let t = lang.texts();
    let page = Suspend::new(async move {
        match get_receipt(slug, code, lang).await {
            Ok(Some(receipt)) => view! {
                <PublicLayout lang title=t.receipt_title>
                    <div class="receipt card" role="status">
                        <h1>{t.receipt_title}</h1>
                        <p class="muted">{receipt.round.title.clone()}</p>
                        <dl class="receipt-facts">
                            <dt>{t.receipt_code}</dt>
                            <dd class="receipt-code" data-testid="receipt-code">{receipt.receipt_code.clone()}</dd>
                            <dt>{t.receipt_submitted_at}</dt>
                            <dd>{receipt.submitted_at.clone()}</dd>
                        </dl>
                        <p data-testid="survey-thanks">{receipt.thanks.clone()}</p>
                        {receipt.feedback_code.clone().map(|code| view! {
                            <p data-testid="comment-feedback">
                                {lang.feedback_texts().comment_recorded} " "
                                <a href=format!("/feedback/track?code={code}")>{code.clone()}</a>
                            </p>
                        })}
                        <p>
                            <a href=format!("/?lang={}", lang.code())>{t.back_home}</a>
                        </p>
                    </div>
                </PublicLayout>
            }
            .into_any(),
            Ok(None) => {
                respond_not_found();
                view! { <NotFound /> }.into_any()
            }
            Err(_) => view! {
                <PublicLayout lang title=lang.island_texts().load_error>
                    <p class="form-failure" role="alert">{lang.island_texts().load_error}</p>
                </PublicLayout>
            }
            .into_any(),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// A plain GET form: a saved draft's code opens it again, with or without JavaScript.
fn resume_box(lang: domain::i18n::Lang, slug: &str) -> impl IntoView + use<> {
    let t = lang.texts();
    view! {
        <details class="resume-box">
            <summary>{t.resume_question}</summary>
            <form method="get" action=format!("/s/{slug}") class="inline-fields">
                <input type="hidden" name="lang" value=lang.code() />
                <label for="resume-code">{t.resume_code_label}</label>
                <input
                    id="resume-code"
                    name="draft"
                    type="text"
                    autocapitalize="characters"
                    autocomplete="off"
                    required
                />
                <button type="submit" class="button">
                    {t.resume_button}
                </button>
            </form>
        </details>
    }
}

/// `/s/{round-slug}/saved/{code}`: the resume code of a saved draft.
#[component]
pub fn SavedPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map().read_untracked();
    let slug = params.get("slug").unwrap_or_default();
    let code = params.get("code").unwrap_or_default();
    let t = lang.texts();
    let page = Suspend::new(async move {
        match get_saved_draft(slug.clone(), code.clone(), lang).await {
            Ok(Some(round)) => {
                let link = format!("/s/{slug}?draft={code}&lang={}", lang.code());
                view! {
                    <PublicLayout lang title=t.saved_title>
                        <div class="receipt card" role="status">
                            <h1>{t.saved_title}</h1>
                            <p class="muted">{round.title.clone()}</p>
                            <dl class="receipt-facts">
                                <dt>{t.resume_code_label}</dt>
                                <dd class="receipt-code" data-testid="resume-code">
                                    {code.clone()}
                                </dd>
                            </dl>
                            <p>{t.saved_note}</p>
                            <p>
                                <a class="button primary" href=link>
                                    {t.resume_now}
                                </a>
                            </p>
                        </div>
                    </PublicLayout>
                }
                .into_any()
            }
            Ok(None) => {
                respond_not_found();
                view! { <NotFound /> }.into_any()
            }
            Err(_) => view! {
                <PublicLayout lang title=lang.island_texts().load_error>
                    <p class="form-failure" role="alert">{lang.island_texts().load_error}</p>
                </PublicLayout>
            }
            .into_any(),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// `/s/{round-slug}/unsubscribe?code=…`: the invitee stops survey mail
/// (a plain form; nothing personal is shown).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let code = use_query_map()
        .read_untracked()
        .get("code")
        .unwrap_or_default();
    let m = lang.mailing_texts();
    let page = Suspend::new(async move {
        match get_unsubscribe_page(slug.clone(), code.clone(), lang).await {
            Ok(Some(data)) => view! {
                <PublicLayout lang title=m.unsubscribe_title agency_name=data.agency_name.clone()>
                    <h1>{m.unsubscribe_title}</h1>
                    <p class="muted">{data.round.title.clone()}</p>
                    {if !data.known {
                        view! { <p class="form-failure" role="alert">{m.unsubscribe_unknown}</p> }.into_any()
                    } else if data.unsubscribed {
                        view! {
                            <p class="notice success" role="status" data-testid="unsubscribed">{m.unsubscribed}</p>
                            <p>{m.survey_still_open}</p>
                        }
                        .into_any()
                    } else {
                        view! {
                            <form method="post" action=Unsubscribe::url() class="narrow-form card">
                                <CsrfField token=data.csrf_token.clone() />
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="code" value=code.clone() />
                                <p>{m.unsubscribe_explain}</p>
                                <button type="submit" class="button primary">{m.unsubscribe_button}</button>
                            </form>
                        }
                        .into_any()
                    }}
                </PublicLayout>
            }
            .into_any(),
            Ok(None) => {
                respond_not_found();
                view! { <NotFound /> }.into_any()
            }
            Err(_) => view! {
                <PublicLayout lang title=lang.island_texts().load_error>
                    <p class="form-failure" role="alert">{lang.island_texts().load_error}</p>
                </PublicLayout>
            }
            .into_any(),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}
