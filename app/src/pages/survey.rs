use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{get_receipt, get_survey_page};
use crate::components::{PublicLayout, SurveyForm, respond_not_found, use_lang};
use crate::pages::NotFound;

/// `/s/{round-slug}`: the public survey form of a round.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let draft = use_query_map().read_untracked().get("draft");
    let t = lang.texts();
    let page = Suspend::new(async move {
        match get_survey_page(slug, lang, draft).await {
            Ok(Some(data)) => view! {
                <PublicLayout lang title=data.round.title.clone() agency_name=data.agency_name.clone()>
                    <h1>{data.round.title.clone()}</h1>
                    <p class="muted">{data.round.period.clone()}</p>
                    {match data.closed_notice.clone() {
                        Some(notice) => view! { <p class="notice" role="status">{notice}</p> }.into_any(),
                        None => view! {
                            <p class="lead">{t.survey_intro}</p>
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
                    <PublicLayout lang title=t.load_error>
                        <p class="form-failure" role="alert">{t.load_error}</p>
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
                        <p>{t.receipt_note}</p>
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
                <PublicLayout lang title=t.load_error>
                    <p class="form-failure" role="alert">{t.load_error}</p>
                </PublicLayout>
            }
            .into_any(),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}
