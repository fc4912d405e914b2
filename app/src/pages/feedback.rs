//! Feedback and the hotline: the public page with the form, the tracking
//! page, the published answers; the staff list, recording and handling of
//! an item; the admin settings of hotline, deadlines and holidays. Every
//! form is a plain HTML form: it works without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    CsrfField, FlashNotice, PublicLayout, StaffLayout, entered, error_line, escape_raw_text,
    field_error, use_lang,
};
use crate::pages::errors::page_error;
use crate::server_fns::{
    ActOnFeedback, AddHoliday, RateFeedback, RecordFeedback, RemoveHoliday, SaveDeadlines,
    SaveHotline, SendFeedback, get_feedback_form, get_feedback_item, get_feedback_list,
    get_feedback_record_page, get_feedback_settings, get_published_answers, get_tracking,
};
use domain::i18n::Lang;
use domain::model::{
    Choice, Classification, FeedbackAction, FeedbackCategory, FeedbackChannel, FeedbackDetail,
    FeedbackFilter, FeedbackStatus, FormFlash, HotlineInfo, ProcedureChoice, PublicStatus, Scale,
};

/// One labelled text input (or textarea) with its error and hint.
struct Field<'a> {
    /// The form's id in the flash, e.g. "feedback".
    form: &'a str,
    /// The posted name, e.g. "feedback[content]".
    name: String,
    /// The field as violations name it, e.g. "content".
    key: &'a str,
    id: String,
    label: &'static str,
    hint: Option<&'static str>,
    kind: &'static str,
    value: String,
    required: bool,
    autocomplete: Option<&'static str>,
}

impl Field<'_> {
    fn view(self, flash: &Option<FormFlash>) -> impl IntoView + use<> {
        let error = field_error(flash, self.form, self.key);
        let invalid = error.is_some().then_some("true");
        let error_id = format!("{}-error", self.id);
        let hint_id = format!("{}-hint", self.id);
        let described = if self.hint.is_some() {
            format!("{error_id} {hint_id}")
        } else {
            error_id.clone()
        };
        let control = if self.kind == "textarea" {
            view! {
                <textarea id=self.id.clone() name=self.name rows="6" required=self.required aria-invalid=invalid aria-describedby=described>
                    {escape_raw_text(&self.value)}
                </textarea>
            }
            .into_any()
        } else {
            view! {
                <input id=self.id.clone() name=self.name type=self.kind value=self.value required=self.required autocomplete=self.autocomplete aria-invalid=invalid aria-describedby=described />
            }
            .into_any()
        };
        view! {
            <div class="field">
                <label for=self.id>{self.label}</label>
                {self.hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                {error_line(error, error_id)}
                {control}
            </div>
        }
    }
}

/// `<option>`s for `choices`, with `chosen` selected and a "choose" first.
fn options(
    choose: &'static str,
    choices: Vec<(String, String)>,
    chosen: &str,
) -> impl IntoView + use<> {
    let chosen = chosen.to_owned();
    view! {
        <option value="">{choose}</option>
        {choices
            .into_iter()
            .map(|(code, label)| {
                let selected = code == chosen;
                view! { <option value=code selected=selected>{label}</option> }
            })
            .collect_view()}
    }
}

fn department_choices(departments: &[Choice]) -> Vec<(String, String)> {
    departments
        .iter()
        .map(|d| (d.code.clone(), format!("{} — {}", d.code, d.label)))
        .collect()
}

fn category_choices(lang: Lang) -> Vec<(String, String)> {
    FeedbackCategory::ALL
        .iter()
        .map(|c| (c.code().to_owned(), lang.feedback_category(*c).to_owned()))
        .collect()
}

/// A select with its label and error.
#[allow(clippy::too_many_arguments)]
fn select_field(
    flash: &Option<FormFlash>,
    form: &str,
    key: &str,
    id: &str,
    name: String,
    label: &'static str,
    choose: &'static str,
    choices: Vec<(String, String)>,
    chosen: &str,
) -> impl IntoView + use<> {
    let error = field_error(flash, form, key);
    let invalid = error.is_some().then_some("true");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.to_owned()>{label}</label>
            {error_line(error, error_id.clone())}
            <select id=id.to_owned() name=name aria-invalid=invalid aria-describedby=error_id>
                {options(choose, choices, chosen)}
            </select>
        </div>
    }
}

/// The list of a form's errors at its top, linking to each field.
fn error_summary(
    lang: Lang,
    flash: &Option<FormFlash>,
    form: &str,
    prefix: &str,
) -> impl IntoView + use<> {
    let t = lang.texts();
    let errors: Vec<_> = flash
        .iter()
        .filter(|f| f.form == form)
        .flat_map(|f| f.errors.iter().filter(|e| e.field != "form").cloned())
        .collect();
    (!errors.is_empty()).then(|| {
        let items = errors
            .into_iter()
            .map(|e| {
                let href = format!("#{prefix}-{}", e.field.replace('_', "-"));
                view! { <li><a href=href>{e.message}</a></li> }
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
                <h2>{t.error_summary}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}

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
    let page = Suspend::new(async move {
        match get_feedback_form(lang).await {
            Ok(data) => {
                let flash = data.flash.clone();
                let form = "feedback";
                let value = |key: &str| entered(&flash, form, key);
                let field =
                    |key: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     autocomplete: Option<&'static str>| Field {
                        form,
                        name: format!("feedback[{key}]"),
                        key,
                        id: format!("fb-{}", key.replace('_', "-")),
                        label,
                        hint: None,
                        kind,
                        value: value(key),
                        required: false,
                        autocomplete,
                    };
                let consent = !value("consent_to_publish").is_empty();
                let content = Field {
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
                let sender_name =
                    field("sender_name", f.sender_name, "text", Some("name")).view(&flash);
                let sender_address = field(
                    "sender_address",
                    f.sender_address,
                    "text",
                    Some("street-address"),
                )
                .view(&flash);
                let sender_phone =
                    field("sender_phone", f.sender_phone, "tel", Some("tel")).view(&flash);
                let sender_email =
                    field("sender_email", f.sender_email, "email", Some("email")).view(&flash);
                let summary = error_summary(lang, &flash, form, "fb");
                view! {
                    <PublicLayout lang title=f.page_title agency_name=data.agency_name.clone()>
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
            }
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// `/feedback/track?code=…`: the status and published answer of one item.
#[component]
pub fn TrackingPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let code = use_query_map()
        .read_untracked()
        .get("code")
        .unwrap_or_default();
    let page = Suspend::new(async move {
        match get_tracking(code).await {
            Ok(data) => {
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
            }
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// Links to the previous and next page, keeping the other query parameters.
fn pager(lang: Lang, base: &str, query: &str, page: u64, pages: u64) -> impl IntoView + use<> {
    let f = lang.feedback_texts();
    let link = |to: u64| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("{base}?{query}{sep}page={to}")
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=f.page_of>
                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{f.previous_page}</a> })}
                <span>{format!("{} {page}/{pages}", f.page_of)}</span>
                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{f.next_page}</a> })}
            </nav>
        }
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
    let page = Suspend::new(async move {
        match get_published_answers(page_number, lang).await {
            Ok(data) => {
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
            }
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

fn filter_from_query() -> FeedbackFilter {
    let query = use_query_map().read_untracked();
    FeedbackFilter {
        status: query.get("status").unwrap_or_default(),
        department: query.get("department").unwrap_or_default(),
        channel: query.get("channel").unwrap_or_default(),
        overdue: query.get("overdue").unwrap_or_default(),
        q: query.get("q").unwrap_or_default(),
        page: query.get("page").unwrap_or_default(),
    }
}

/// The filter as a query string without the page, for the pager.
fn filter_query(filter: &FeedbackFilter) -> String {
    [
        ("status", &filter.status),
        ("department", &filter.department),
        ("channel", &filter.channel),
        ("overdue", &filter.overdue),
        ("q", &filter.q),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", query_encode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

fn query_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/feedback/items`: the staff list with filters and search.
#[component]
pub fn FeedbackListPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let t = lang.texts();
    let filter = filter_from_query();
    let page = Suspend::new(async move {
        match get_feedback_list(filter, lang).await {
            Ok(page) => {
                let data = page.data;
                let filter = data.filter.clone();
                let statuses = FeedbackStatus::ALL
                    .iter()
                    .map(|s| (s.code().to_owned(), lang.feedback_status(*s).to_owned()))
                    .collect();
                let channels = FeedbackChannel::ALL
                    .iter()
                    .map(|c| (c.code().to_owned(), lang.feedback_channel(*c).to_owned()))
                    .collect();
                let rows = data
                    .list
                    .rows
                    .iter()
                    .map(|row| {
                        view! {
                            <tr data-code=row.tracking_code.clone() class=if row.overdue { "overdue" } else { "" }>
                                <th scope="row"><a href=format!("/feedback/items/{}", row.id)>{row.tracking_code.clone()}</a></th>
                                <td>{row.received_at.clone()}</td>
                                <td class="text">
                                    {row.title.clone()}
                                    {(!row.eligible_for_reply).then(|| view! { <br /><span class="muted">{f.not_eligible}</span> })}
                                </td>
                                <td>{lang.feedback_channel(row.channel)}</td>
                                <td>{lang.feedback_status(row.status)}</td>
                                <td>{row.department.clone().unwrap_or_default()}</td>
                                <td>
                                    {row.due_on.clone().unwrap_or_default()}
                                    {row.overdue.then(|| view! { " " <strong class="badge overdue">{f.overdue}</strong> })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                let query = filter_query(&filter);
                view! {
                    <StaffLayout lang viewer=page.viewer.clone() title=f.list_title>
                        <h1>{f.list_title}</h1>
                        <p class="actions">
                            {data.can_record.then(|| view! { <a class="button primary" href="/feedback/items/new">{f.record_link}</a> })}
                        </p>
                        <form method="get" class="filters card" aria-label=t.filters_label>
                            {select_field(&None, "", "", "filter-status", "status".to_owned(), f.filter_status, t.all, statuses, &filter.status)}
                            {select_field(&None, "", "", "filter-department", "department".to_owned(), t.department_label, t.all, department_choices(&data.departments), &filter.department)}
                            {select_field(&None, "", "", "filter-channel", "channel".to_owned(), f.filter_channel, t.all, channels, &filter.channel)}
                            <div class="field">
                                <label for="filter-q">{f.search_label}</label>
                                <input id="filter-q" name="q" type="search" value=filter.q.clone() />
                            </div>
                            <label class="option" for="filter-overdue">
                                <input type="checkbox" id="filter-overdue" name="overdue" value="1" checked=filter.overdue == "1" />
                                <span>{f.filter_overdue}</span>
                            </label>
                            <div class="filter-actions">
                                <button type="submit" class="button primary">{t.apply_filters}</button>
                                <a href="/feedback/items">{t.clear_filters}</a>
                            </div>
                        </form>
                        <p data-testid="feedback-counts">
                            {format!("{}: {}", f.items_total, lang.count(data.list.total))}
                            " · "
                            <a href="/feedback/items?overdue=1">{format!("{}: {}", f.overdue_total, lang.count(data.list.overdue_total))}</a>
                        </p>
                        {data.list.rows.is_empty().then(|| view! { <p>{f.no_items}</p> })}
                        <div class="table-wrap" tabindex="0">
                            <table class="data" id="feedback-table">
                                <caption class="visually-hidden">{f.list_title}</caption>
                                <thead><tr>
                                    <th scope="col">{f.col_code}</th>
                                    <th scope="col">{f.col_received}</th>
                                    <th scope="col">{f.col_title}</th>
                                    <th scope="col">{f.filter_channel}</th>
                                    <th scope="col">{f.filter_status}</th>
                                    <th scope="col">{t.department_label}</th>
                                    <th scope="col">{f.col_due}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        {pager(lang, "/feedback/items", &query, data.list.page, data.list.pages)}
                    </StaffLayout>
                }
                .into_any()
            }
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// `/feedback/items/new`: staff record a call, letter, email or visit.
#[component]
pub fn FeedbackRecordPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let page = Suspend::new(async move {
        match get_feedback_record_page(lang).await {
            Ok(page) => {
                let flash = page.flash.clone();
                let data = page.data;
                let form = "feedback-record";
                let value = |key: &str| entered(&flash, form, key);
                let field = |key: &'static str, label: &'static str, kind: &'static str| Field {
                    form,
                    name: format!("feedback[{key}]"),
                    key,
                    id: format!("rec-{}", key.replace('_', "-")),
                    label,
                    hint: None,
                    kind,
                    value: value(key),
                    required: false,
                    autocomplete: Some("off"),
                };
                let channel = if flash.as_ref().is_some_and(|fl| fl.form == form) {
                    value("channel")
                } else {
                    FeedbackChannel::Hotline.code().to_owned()
                };
                let channels = FeedbackChannel::RECORDED_BY_STAFF
                    .iter()
                    .map(|c| (c.code().to_owned(), lang.feedback_channel(*c).to_owned()))
                    .collect();
                let received_at = if value("received_at").is_empty() {
                    data.now.clone()
                } else {
                    value("received_at")
                };
                let consent = !value("consent_to_publish").is_empty();
                let fields = view! {
                    {select_field(&flash, form, "channel", "rec-channel", "feedback[channel]".to_owned(), f.channel_label, f.choose, channels, &channel)}
                    {Field { value: received_at, ..field("received_at", f.received_at_label, "datetime-local") }.view(&flash)}
                    {Field { hint: Some(f.transcript_hint), required: true, ..field("content", f.content_label, "textarea") }.view(&flash)}
                    {field("subject", f.subject_label, "text").view(&flash)}
                    {select_field(&flash, form, "category", "rec-category", "feedback[category]".to_owned(), f.category_label, f.choose, category_choices(lang), &value("category"))}
                    {select_field(&flash, form, "department", "rec-department", "feedback[department]".to_owned(), f.department_label, f.choose, department_choices(&data.departments), &value("department"))}
                    {select_field(&flash, form, "procedure", "rec-procedure", "feedback[procedure]".to_owned(), f.procedure_label, f.choose, procedure_choices(&data.procedures), &value("procedure"))}
                };
                let sender_fields = view! {
                    {field("sender_name", f.sender_name, "text").view(&flash)}
                    {field("sender_address", f.sender_address, "text").view(&flash)}
                    {field("sender_phone", f.sender_phone, "tel").view(&flash)}
                    {field("sender_email", f.sender_email, "email").view(&flash)}
                };
                let summary = error_summary(lang, &flash, form, "rec");
                view! {
                    <StaffLayout lang viewer=page.viewer.clone() title=f.record_title>
                        <h1>{f.record_title}</h1>
                        {(!data.hotline.phone.is_empty()).then(|| view! {
                            <p class="hint">{format!("{}: {}", f.hotline_heading, data.hotline.phone)}</p>
                        })}
                        {summary}
                        <FlashNotice lang flash=flash.clone() form=form.to_owned() />
                        <form method="post" action=RecordFeedback::url() class="narrow-form" novalidate>
                            <CsrfField token=page.viewer.csrf_token.clone() />
                            {fields}
                            <fieldset class="form-section">
                                <legend>{f.sender_heading}</legend>
                                <p class="hint">{f.sender_hint}</p>
                                {sender_fields}
                            </fieldset>
                            <label class="option" for="rec-consent">
                                <input type="checkbox" id="rec-consent" name="feedback[consent_to_publish]" value="on" checked=consent />
                                <span>{f.consent_label}</span>
                            </label>
                            <p class="form-actions">
                                <button type="submit" class="button primary">{f.record_button}</button>
                            </p>
                        </form>
                    </StaffLayout>
                }
                .into_any()
            }
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

fn procedure_choices(procedures: &[ProcedureChoice]) -> Vec<(String, String)> {
    procedures
        .iter()
        .map(|p| (p.code.clone(), p.label.clone()))
        .collect()
}

/// The facts of an item, in a definition list.
fn item_facts(lang: Lang, item: &FeedbackDetail) -> impl IntoView + use<> {
    let f = lang.feedback_texts();
    let t = lang.texts();
    let yes_no = |v: bool| if v { t.yes } else { t.no };
    let fact = |label: &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{label}</dt><dd>{v}</dd> })
    };
    let due = item.due_on.clone().map(|d| {
        if item.overdue {
            format!("{d} — {}", f.overdue)
        } else {
            d
        }
    });
    let eligibility = if item.eligible_for_reply {
        t.yes.to_owned()
    } else {
        let missing: Vec<&str> = item
            .missing_for_reply
            .iter()
            .map(|m| match m.as_str() {
                "sender_name" => f.sender_name,
                "sender_address" => f.sender_address,
                "sender_phone" => f.sender_phone,
                _ => f.sender_email,
            })
            .collect();
        format!("{} ({}: {})", t.no, f.missing_label, missing.join(", "))
    };
    view! {
        <dl class="facts" data-testid="item-facts">
            {fact(f.status, Some(lang.feedback_status(item.status).to_owned()))}
            {fact(f.channel_label, Some(lang.feedback_channel(item.channel).to_owned()))}
            {fact(f.col_received, Some(item.received_at.clone()))}
            {fact(f.classification_label, item.classification.map(|c| lang.classification(c).to_owned()))}
            {fact(f.category_label, item.category.map(|c| lang.feedback_category(c).to_owned()))}
            {fact(f.duplicate_of_label, item.duplicate_of.clone())}
            {fact(t.department_label, item.department.as_ref().map(|d| format!("{} — {}", d.code, d.label)))}
            {fact(f.procedure_label, item.procedure.as_ref().map(|p| format!("{} — {}", p.code, p.label)))}
            {fact(f.due_label, due)}
            {fact(f.answer_due_label, item.answer_due_on.clone())}
            {fact(f.eligible_label, Some(eligibility))}
            {fact(f.consent_given, Some(yes_no(item.consent_to_publish).to_owned()))}
            {fact(f.survey_receipt, item.response_receipt.clone())}
            {fact(f.answered_at_label, item.answered_at.clone())}
            {fact(f.published_at_label, item.published_at.clone())}
            {fact(f.closed_at_label, item.closed_at.clone())}
            {fact(f.handling_rating, item.handling_rating.map(|r| format!("{r}/5")))}
        </dl>
    }
}

/// The form of one action, with the fields it needs.
fn action_form(
    lang: Lang,
    item: &FeedbackDetail,
    action: FeedbackAction,
    departments: &[Choice],
    flash: &Option<FormFlash>,
    csrf: &str,
) -> impl IntoView + use<> {
    let f = lang.feedback_texts();
    let form = format!("feedback-{}", action.code());
    let came_back = flash.as_ref().is_some_and(|fl| fl.form == form);
    let value = |key: &str, default: String| {
        if came_back {
            entered(flash, &form, key)
        } else {
            default
        }
    };
    let prefix = format!("act-{}", action.code());
    let text_field = |key: &'static str,
                      label: &'static str,
                      hint: Option<&'static str>,
                      required: bool,
                      default: String| {
        Field {
            form: &form,
            name: format!("fields[{key}]"),
            key,
            id: format!("{prefix}-{}", key.replace('_', "-")),
            label,
            hint,
            kind: "textarea",
            value: value(key, default),
            required,
            autocomplete: None,
        }
        .view(flash)
    };
    let fields = match action {
        FeedbackAction::Classify => {
            let classifications = Classification::ALL
                .iter()
                .map(|c| (c.code().to_owned(), lang.classification(*c).to_owned()))
                .collect();
            let duplicate = Field {
                form: &form,
                name: "fields[duplicate_of]".to_owned(),
                key: "duplicate_of",
                id: format!("{prefix}-duplicate-of"),
                label: f.duplicate_of_label,
                hint: None,
                kind: "text",
                value: value("duplicate_of", item.duplicate_of.clone().unwrap_or_default()),
                required: false,
                autocomplete: Some("off"),
            };
            view! {
                {select_field(flash, &form, "classification", &format!("{prefix}-classification"), "fields[classification]".to_owned(), f.classification_label, f.choose, classifications, &value("classification", item.classification.map(|c| c.code().to_owned()).unwrap_or_default()))}
                {select_field(flash, &form, "category", &format!("{prefix}-category"), "fields[category]".to_owned(), f.category_label, f.choose, category_choices(lang), &value("category", item.category.map(|c| c.code().to_owned()).unwrap_or_default()))}
                {duplicate.view(flash)}
            }
            .into_any()
        }
        FeedbackAction::Assign => select_field(
            flash,
            &form,
            "department",
            &format!("{prefix}-department"),
            "fields[department]".to_owned(),
            lang.texts().department_label,
            f.choose,
            department_choices(departments),
            &value("department", item.department.as_ref().map(|d| d.code.clone()).unwrap_or_default()),
        )
        .into_any(),
        FeedbackAction::Answer => text_field("answer", f.answer_heading, None, true, item.answer.clone().unwrap_or_default()).into_any(),
        FeedbackAction::Publish => view! {
            {text_field("public_summary", f.public_summary_label, Some(f.public_summary_hint), true, item.public_summary.clone().unwrap_or_else(|| item.suggested_summary.clone()))}
        }
        .into_any(),
        _ => ().into_any(),
    };
    let reason = match action {
        FeedbackAction::Return => {
            text_field("reason", f.reason_label, None, true, String::new()).into_any()
        }
        _ => text_field("reason", f.reason_optional, None, false, String::new()).into_any(),
    };
    let primary = !matches!(action, FeedbackAction::Return | FeedbackAction::Close);
    view! {
        <section class="card action" data-action=action.code() aria-labelledby=format!("{prefix}-heading")>
            <h3 id=format!("{prefix}-heading")>{lang.feedback_action(action)}</h3>
            <FlashNotice lang flash=flash.clone() form=form.clone() />
            <form method="post" action=ActOnFeedback::url() class="narrow-form">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="id" value=item.id />
                <input type="hidden" name="action" value=action.code() />
                {fields}
                {reason}
                <button type="submit" class=if primary { "button primary" } else { "button" }>{lang.feedback_action_button(action)}</button>
            </form>
        </section>
    }
}

/// `/feedback/items/{id}`: one item, its history and what the viewer may do.
#[component]
pub fn FeedbackItemPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<i32>().ok())
        .unwrap_or_default();
    let page = Suspend::new(async move {
        match get_feedback_item(id, lang).await {
            Ok(page) => {
                let flash = page.flash.clone();
                let csrf = page.viewer.csrf_token.clone();
                let data = page.data;
                let item = data.item.clone();
                let title = format!("{} {}", f.item_title, item.tracking_code);
                let actions = data
                    .actions
                    .iter()
                    .map(|a| action_form(lang, &item, *a, &data.departments, &flash, &csrf))
                    .collect_view();
                let history = item
                    .events
                    .iter()
                    .map(|e| {
                        let change = match e.from_status {
                            Some(from) => format!(
                                "{} → {}",
                                lang.feedback_status(from),
                                lang.feedback_status(e.to_status)
                            ),
                            None => lang.feedback_status(e.to_status).to_owned(),
                        };
                        view! {
                            <tr>
                                <td>{e.at.clone()}</td>
                                <td>{e.actor.clone()}</td>
                                <td>{lang.feedback_event(&e.action)}</td>
                                <td>{change}</td>
                                <td class="text">{e.reason.clone().unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let sender = item.sender.clone();
                view! {
                    <StaffLayout lang viewer=page.viewer.clone() title=title.clone()>
                        <p><a href="/feedback/items">{f.list_title}</a></p>
                        <h1>{title}</h1>
                        <FlashNotice lang flash=flash.clone() form="feedback-item".to_owned() />
                        {item_facts(lang, &item)}
                        <section aria-labelledby="content-heading">
                            <h2 id="content-heading">{f.content_heading}</h2>
                            {item.subject.clone().map(|s| view! { <p><strong>{s}</strong></p> })}
                            <p class="comment-text" data-testid="item-content">{item.content.clone()}</p>
                        </section>
                        <section aria-labelledby="sender-heading">
                            <h2 id="sender-heading">{f.sender_label}</h2>
                            <dl class="facts">
                                <dt>{f.sender_name}</dt><dd>{sender.name.clone()}</dd>
                                <dt>{f.sender_address}</dt><dd>{sender.address.clone()}</dd>
                                <dt>{f.sender_phone}</dt><dd>{sender.phone.clone()}</dd>
                                <dt>{f.sender_email}</dt><dd>{sender.email.clone()}</dd>
                            </dl>
                        </section>
                        {item.answer.clone().map(|a| view! {
                            <section aria-labelledby="answer-heading">
                                <h2 id="answer-heading">{f.answer_heading}</h2>
                                <p class="comment-text" data-testid="item-answer">{a}</p>
                            </section>
                        })}
                        {item.public_summary.clone().map(|s| view! {
                            <section aria-labelledby="summary-heading">
                                <h2 id="summary-heading">{f.public_summary_label}</h2>
                                <p class="comment-text">{s}</p>
                            </section>
                        })}
                        <section aria-labelledby="actions-heading">
                            <h2 id="actions-heading">{f.actions_heading}</h2>
                            <p class="hint">{f.deadline_note}</p>
                            {data.actions.is_empty().then(|| view! { <p>{f.no_actions}</p> })}
                            <div class="actions-list">{actions}</div>
                        </section>
                        <div class="table-wrap" tabindex="0">
                            <table class="data" id="history">
                                <caption>{f.history_heading}</caption>
                                <thead><tr>
                                    <th scope="col">{f.col_when}</th>
                                    <th scope="col">{f.col_who}</th>
                                    <th scope="col">{f.col_action}</th>
                                    <th scope="col">{f.col_change}</th>
                                    <th scope="col">{f.col_reason}</th>
                                </tr></thead>
                                <tbody>{history}</tbody>
                            </table>
                        </div>
                    </StaffLayout>
                }
                .into_any()
            }
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}

/// `/admin/feedback-settings`: hotline details, deadlines and holidays.
#[component]
pub fn FeedbackSettingsPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let page = Suspend::new(async move {
        match get_feedback_settings(lang).await {
            Ok(page) => {
                let flash = page.flash.clone();
                let csrf = page.viewer.csrf_token.clone();
                let data = page.data;
                let hotline_value = |key: &str, saved: &str| {
                    if flash
                        .as_ref()
                        .is_some_and(|fl| fl.form == "hotline" && !fl.errors.is_empty())
                    {
                        entered(&flash, "hotline", key)
                    } else {
                        saved.to_owned()
                    }
                };
                let hotline_field = |key: &'static str,
                                     label: &'static str,
                                     kind: &'static str,
                                     saved: &str| Field {
                    form: "hotline",
                    name: key.to_owned(),
                    key,
                    id: format!("hotline-{key}"),
                    label,
                    hint: None,
                    kind,
                    value: hotline_value(key, saved),
                    required: false,
                    autocomplete: Some("off"),
                };
                let hotline_fields = view! {
                    {hotline_field("phone", f.hotline_phone, "tel", &data.hotline.phone).view(&flash)}
                    {hotline_field("address", f.hotline_address, "text", &data.hotline.address).view(&flash)}
                    {hotline_field("email", f.hotline_email, "email", &data.hotline.email).view(&flash)}
                    {hotline_field("hours", f.hotline_hours, "text", &data.hotline.hours).view(&flash)}
                };
                let deadline_rows = data
                    .deadlines
                    .iter()
                    .map(|(step, days)| {
                        let key = format!("days[{}]", step.code());
                        let id = format!("deadline-{}", step.code());
                        let error = field_error(&flash, "deadlines", &key);
                        let shown = if error.is_some() { entered(&flash, "deadlines", &key) } else { days.to_string() };
                        view! {
                            <div class="field">
                                <label for=id.clone()>{format!("{} ({} {})", lang.deadline_step(*step), f.default_days, step.default_days())}</label>
                                {error_line(error, format!("{id}-error"))}
                                <input id=id.clone() name=key type="number" min="1" max="90" value=shown aria-describedby=format!("{id}-error") required />
                            </div>
                        }
                    })
                    .collect_view();
                let holidays = data
                    .holidays
                    .iter()
                    .map(|h| {
                        view! {
                            <tr>
                                <td>{h.label.clone()}</td>
                                <td class="text">{h.name.clone()}</td>
                                <td>
                                    <form method="post" action=RemoveHoliday::url() class="inline-form">
                                        <CsrfField token=csrf.clone() />
                                        <input type="hidden" name="day" value=h.day.clone() />
                                        <button type="submit" class="button small" aria-label=format!("{} {}", f.remove_holiday, h.label)>{f.remove_holiday}</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <StaffLayout lang viewer=page.viewer.clone() title=f.settings_title>
                        <h1>{f.settings_title}</h1>
                        <section class="card" aria-labelledby="hotline-settings">
                            <h2 id="hotline-settings">{f.hotline_heading}</h2>
                            <p class="hint">{f.settings_hotline_intro}</p>
                            <FlashNotice lang flash=flash.clone() form="hotline".to_owned() />
                            <form method="post" action=SaveHotline::url() class="narrow-form">
                                <CsrfField token=csrf.clone() />
                                {hotline_fields}
                                <button type="submit" class="button primary">{f.save_button}</button>
                            </form>
                        </section>
                        <section class="card" aria-labelledby="deadline-settings">
                            <h2 id="deadline-settings">{f.deadlines_heading}</h2>
                            <p class="hint">{f.deadlines_intro}</p>
                            <FlashNotice lang flash=flash.clone() form="deadlines".to_owned() />
                            <form method="post" action=SaveDeadlines::url() class="narrow-form">
                                <CsrfField token=csrf.clone() />
                                {deadline_rows}
                                <button type="submit" class="button primary">{f.save_button}</button>
                            </form>
                        </section>
                        <section class="card" id="holidays" aria-labelledby="holiday-settings">
                            <h2 id="holiday-settings">{f.holidays_heading}</h2>
                            <p class="hint">{f.holidays_intro}</p>
                            <FlashNotice lang flash=flash.clone() form="holidays".to_owned() />
                            <form method="post" action=AddHoliday::url() class="inline-fields">
                                <CsrfField token=csrf.clone() />
                                <div class="field">
                                    <label for="holiday-day">{f.holiday_day}</label>
                                    {error_line(field_error(&flash, "holidays", "day"), "holiday-day-error".to_owned())}
                                    <input id="holiday-day" name="day" type="date" value=entered(&flash, "holidays", "day") aria-describedby="holiday-day-error" required />
                                </div>
                                <div class="field">
                                    <label for="holiday-name">{f.holiday_name}</label>
                                    {error_line(field_error(&flash, "holidays", "name"), "holiday-name-error".to_owned())}
                                    <input id="holiday-name" name="name" value=entered(&flash, "holidays", "name") aria-describedby="holiday-name-error" required />
                                </div>
                                <button type="submit" class="button primary">{f.add_holiday}</button>
                            </form>
                            {data.holidays.is_empty().then(|| view! { <p>{f.no_holidays}</p> })}
                            <div class="table-wrap" tabindex="0">
                                <table class="data" id="holiday-table">
                                    <caption class="visually-hidden">{f.holidays_heading}</caption>
                                    <thead><tr><th scope="col">{f.holiday_day}</th><th scope="col">{f.holiday_name}</th><th scope="col"><span class="visually-hidden">{f.remove_holiday}</span></th></tr></thead>
                                    <tbody>{holidays}</tbody>
                                </table>
                            </div>
                        </section>
                    </StaffLayout>
                }
                .into_any()
            }
            Err(err) => page_error(lang, &err),
        }
    });
    view! { <Suspense>{page}</Suspense> }
}
