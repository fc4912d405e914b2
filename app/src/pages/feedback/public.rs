//! The public pages of feedback: the hotline and the form, tracking an
//! item by its code, and the published answers.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::components::{
    CsrfField, FlashNotice, PublicLayout, TextField, entered, error_line, error_summary,
    field_error, load_page, pager, select_field, use_lang,
};
use crate::server_fns::{
    RateFeedback, SendFeedback, get_feedback_form, get_published_answers, get_tracking,
};
use domain::i18n::Lang;
use domain::model::{HotlineInfo, PublicStatus, Scale};

use super::{category_choices, department_choices};

fn hotline_facts(lang: Lang, hotline: &HotlineInfo) -> impl IntoView + use<> {
    let f = lang.feedback_texts();
    if hotline.phone.is_empty() && hotline.address.is_empty() && hotline.email.is_empty() {
        return view! { <p>{f.hotline_not_set}</p> }.into_any();
    }
    let tel: String = hotline
        .phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let row = |label: &'static str, value: &str, link: Option<String>| {
        (!value.is_empty()).then(|| {
            let text = value.to_owned();
            view! {
                <dt>{label}</dt>
                <dd>{match link {
                    Some(href) => view! { <a href=href>{text}</a> }.into_any(),
                    None => text.into_any(),
                }}</dd>
            }
        })
    };
    view! {
        <dl class="facts hotline" data-testid="hotline">
            {row(f.hotline_phone, &hotline.phone, Some(format!("tel:{tel}")))}
            {row(f.hotline_address, &hotline.address, None)}
            {row(f.hotline_email, &hotline.email, Some(format!("mailto:{}", hotline.email)))}
            {row(f.hotline_hours, &hotline.hours, None)}
        </dl>
        {(!hotline.phone.is_empty()).then(|| view! { <p class="hint">{f.hotline_only_number}</p> })}
    }
    .into_any()
}

/// `/feedback`: the hotline and the feedback form, for anyone.
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    load_page(lang, get_feedback_form(lang), move |data| {
        let flash = data.flash.clone();
        let form = "feedback";
        let value = |key: &str| entered(&flash, form, key);
        let field = |key: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     autocomplete: Option<&'static str>| TextField {
            form,
            name: format!("feedback[{key}]"),
            key,
            id: format!("fb-{}", key.replace('_', "-")),
            label,
            hint: None,
            kind,
            rows: 6,
            value: value(key),
            required: false,
            autocomplete,
        };
        let consent = !value("consent_to_publish").is_empty();
        let content = TextField {
            hint: Some(f.content_hint),
            required: true,
            ..field("content", f.content_label, "textarea", None)
        }
        .view(&flash);
        let subject = field("subject", f.subject_label, "text", None).view(&flash);
        let category = select_field(
            &flash,
            form,
            "category",
            "fb-category",
            "feedback[category]".to_owned(),
            f.category_label,
            f.choose,
            category_choices(lang),
            &value("category"),
        );
        let department = select_field(
            &flash,
            form,
            "department",
            "fb-department",
            "feedback[department]".to_owned(),
            f.department_label,
            f.choose,
            department_choices(&data.departments),
            &value("department"),
        );
        let sender_name = field("sender_name", f.sender_name, "text", Some("name")).view(&flash);
        let sender_address = field(
            "sender_address",
            f.sender_address,
            "text",
            Some("street-address"),
        )
        .view(&flash);
        let sender_phone = field("sender_phone", f.sender_phone, "tel", Some("tel")).view(&flash);
        let sender_email =
            field("sender_email", f.sender_email, "email", Some("email")).view(&flash);
        let summary = error_summary(lang, &flash, form, "fb");
        view! {
            <PublicLayout lang title=f.page_title agency_name=data.agency_name.clone() logo=data.logo.clone() description=f.page_intro>
                <h1>{f.page_title}</h1>
                <p class="lead">{f.page_intro}</p>
                <section class="card" aria-labelledby="hotline-heading">
                    <h2 id="hotline-heading">{f.hotline_heading}</h2>
                    {hotline_facts(lang, &data.hotline)}
                </section>
                <p class="actions">
                    <a class="button" href="/feedback/track">{f.track_link}</a>
                    <a class="button" href="/feedback/answers">{f.answers_link}</a>
                </p>
                <section id="form" aria-labelledby="form-heading">
                    <h2 id="form-heading">{f.form_heading}</h2>
                    {summary}
                    <FlashNotice lang flash=flash.clone() form=form.to_owned() />
                    <form method="post" action=SendFeedback::url() class="narrow-form" novalidate>
                        <CsrfField token=data.csrf_token.clone() />
                        {content}
                        {subject}
                        {category}
                        {department}
                        <fieldset class="form-section">
                            <legend>{f.sender_heading}</legend>
                            <p class="hint">{f.sender_hint}</p>
                            {sender_name}
                            {sender_address}
                            {sender_phone}
                            {sender_email}
                        </fieldset>
                        <label class="option" for="fb-consent">
                            <input type="checkbox" id="fb-consent" name="feedback[consent_to_publish]" value="on" checked=consent />
                            <span>{f.consent_label}</span>
                        </label>
                        <p class="form-actions">
                            <button type="submit" class="button primary">{f.send_button}</button>
                        </p>
                    </form>
                </section>
            </PublicLayout>
        }
        .into_any()
    })
}

/// `/feedback/track?code=…`: the status and published answer of one item.
#[component]
pub fn TrackingPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let query = use_query_map().read_untracked();
    let code = query.get("code").unwrap_or_default();
    let key = query.get("key");
    load_page(lang, get_tracking(code, key), move |data| {
        let flash = data.flash.clone();
        let unknown = !data.code.is_empty() && data.item.is_none();
        let item = data.item.clone().map(|item| {
            let status = match (item.status, item.classification) {
                (PublicStatus::NotHandledHere, Some(c)) => {
                    format!("{} ({})", lang.public_status(item.status), lang.classification(c))
                }
                _ => lang.public_status(item.status).to_owned(),
            };
            let levels = lang.scale_levels(Scale::Satisfaction5);
            let rating_form = item.can_rate.then(|| {
                let choices = (1..=5)
                    .map(|value| {
                        let id = format!("rating-{value}");
                        let label_for = id.clone();
                        view! {
                            <label class="option" for=label_for>
                                <input type="radio" id=id name="rating" value=value.to_string() required />
                                <span>{format!("{value} · {}", levels[value - 1])}</span>
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <form method="post" action=RateFeedback::url() class="card">
                        <CsrfField token=data.csrf_token.clone() />
                        <input type="hidden" name="code" value=item.tracking_code.clone() />
                        <input type="hidden" name="key" value=data.rating_key.clone().unwrap_or_default() />
                        <fieldset class="question">
                            <legend>{f.rate_heading}</legend>
                            {error_line(field_error(&flash, "feedback-track", "rating"), "rating-error".to_owned())}
                            <div class="options">{choices}</div>
                        </fieldset>
                        <button type="submit" class="button primary">{f.rate_button}</button>
                    </form>
                }
            });
            let rating = item.rating.map(|r| {
                let label = usize::try_from(r).ok().and_then(|r| levels.get(r.wrapping_sub(1))).copied().unwrap_or_default();
                view! { <dt>{f.your_rating}</dt><dd>{format!("{r} · {label}")}</dd> }
            });
            view! {
                <section class="receipt" aria-labelledby="item-heading" data-testid="tracked-item">
                    <h2 id="item-heading">{f.tracking_code}</h2>
                    <p class="receipt-code" data-testid="tracking-code">{item.tracking_code.clone()}</p>
                    <dl class="facts">
                        <dt>{f.received_on}</dt><dd>{item.received_on.clone()}</dd>
                        <dt>{f.status}</dt><dd data-testid="public-status">{status}</dd>
                        {item.answered_on.clone().map(|d| view! { <dt>{f.answered_on}</dt><dd>{d}</dd> })}
                        {rating}
                    </dl>
                    {item.answer.clone().map(|a| view! {
                        <h3>{f.answer}</h3>
                        <p class="comment-text" data-testid="public-answer">{a}</p>
                    })}
                    {data.rating_key.clone().filter(|_| item.rating.is_none()).map(|key| view! {
                        <p class="hint" data-testid="rating-link">
                            {f.rating_link_hint} " "
                            <a href=crate::server_fns::tracking_link(&item.tracking_code, Some(&key))>{f.rating_link}</a>
                        </p>
                    })}
                </section>
                {rating_form}
            }
        });
        view! {
            <PublicLayout lang title=f.track_title>
                <h1>{f.track_title}</h1>
                <FlashNotice lang flash=flash.clone() form="feedback-track".to_owned() />
                <form method="get" action="/feedback/track" class="inline-fields" role="search">
                    <div class="field">
                        <label for="track-code">{f.tracking_code}</label>
                        <p class="hint" id="track-code-hint">{f.tracking_code_hint}</p>
                        <input id="track-code" name="code" value=data.code.clone() autocapitalize="characters" autocomplete="off" aria-describedby="track-code-hint" required />
                    </div>
                    <button type="submit" class="button primary">{f.track_button}</button>
                </form>
                {unknown.then(|| view! { <p class="form-failure" role="alert">{f.unknown_code}</p> })}
                {item}
                <p><a href="/feedback">{f.page_title}</a> " · " <a href="/feedback/answers">{f.answers_link}</a></p>
            </PublicLayout>
        }
        .into_any()
    })
}

/// `/feedback/answers`: published answers, personal data removed.
#[component]
pub fn AnswersPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let page_number = use_query_map()
        .read_untracked()
        .get("page")
        .unwrap_or_default();
    load_page(
        lang,
        get_published_answers(page_number, lang),
        move |data| {
            let answers = data
            .answers
            .iter()
            .map(|a| {
                view! {
                    <article class="card public-answer">
                        <dl class="facts">
                            <dt>{f.received_on}</dt><dd>{a.received_on.clone()}</dd>
                            <dt>{f.published_on}</dt><dd>{a.published_on.clone()}</dd>
                            {a.category.map(|c| view! { <dt>{f.category_label}</dt><dd>{lang.feedback_category(c)}</dd> })}
                            {a.department.clone().map(|d| view! { <dt>{f.department_label}</dt><dd>{d}</dd> })}
                        </dl>
                        <h2 class="h3">{f.question}</h2>
                        <p class="comment-text">{a.question.clone()}</p>
                        <h2 class="h3">{f.answer}</h2>
                        <p class="comment-text">{a.answer.clone()}</p>
                    </article>
                }
            })
            .collect_view();
            view! {
                <PublicLayout lang title=f.answers_title>
                    <h1>{f.answers_title}</h1>
                    <p class="lead">{f.answers_intro}</p>
                    {data.answers.is_empty().then(|| view! { <p>{f.no_answers}</p> })}
                    <div class="answer-list" data-testid="public-answers">{answers}</div>
                    {pager(lang, "/feedback/answers", "", data.page, data.pages)}
                    <p><a href="/feedback">{f.page_title}</a></p>
                </PublicLayout>
            }
            .into_any()
        },
    )
}
