//! Staff handling feedback: the list with filters and search, recording
//! an item from any channel, and one item with its history and actions.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{
    Column, CsrfField, DataTable, FlashNotice, StaffLayout, TextField, entered, error_line,
    error_summary, field_error, load_page, pager, select_field, use_lang,
};
use crate::server_fns::{
    ActOnFeedback, RecordFeedback, get_feedback_item, get_feedback_list, get_feedback_record_page,
    get_feedback_report,
};
use domain::i18n::Lang;
use domain::model::{
    Choice, Classification, FeedbackAction, FeedbackChannel, FeedbackDetail, FeedbackFilter,
    FeedbackReportRow, FeedbackStatus, FormFlash, TextPiece,
};

use super::{category_choices, department_choices, procedure_choices};

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
    load_page(lang, get_feedback_list(filter, lang), move |page| {
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
                {(!data.missing_swap_years.is_empty()).then(|| view! {
                    <p class="notice" role="status" data-testid="missing-swaps">{lang.missing_swaps(&data.missing_swap_years)}</p>
                })}
                <p class="actions">
                    {data.can_record.then(|| view! { <a class="button primary" href="/feedback/items/new">{f.record_link}</a> })}
                    <a class="button" href="/feedback/report">{f.report_link}</a>
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
                <DataTable caption=f.list_title id="feedback-table" caption_hidden=true columns=vec![Column::text(f.col_code), Column::text(f.col_received), Column::text(f.col_title), Column::text(f.filter_channel), Column::text(f.filter_status), Column::text(t.department_label), Column::text(f.col_due)]>
                    {rows}
                </DataTable>
                {pager(lang, "/feedback/items", &query, data.list.page, data.list.pages)}
            </StaffLayout>
        }
        .into_any()
    })
}

/// `/feedback/items/new`: staff record a call, letter, email or visit.
#[component]
pub fn FeedbackRecordPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    load_page(lang, get_feedback_record_page(lang), move |page| {
        let flash = page.flash.clone();
        let data = page.data;
        let form = "feedback-record";
        let value = |key: &str| entered(&flash, form, key);
        let field = |key: &'static str, label: &'static str, kind: &'static str| TextField {
            form,
            name: format!("feedback[{key}]"),
            key,
            id: format!("rec-{}", key.replace('_', "-")),
            label,
            hint: None,
            kind,
            rows: 6,
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
            {TextField { value: received_at, ..field("received_at", f.received_at_label, "datetime-local") }.view(&flash)}
            {TextField { hint: Some(f.transcript_hint), required: true, ..field("content", f.content_label, "textarea") }.view(&flash)}
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
    })
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

/// A text as the public will see it, the hidden parts highlighted.
fn pieces_view(pieces: &[TextPiece]) -> impl IntoView + use<> {
    pieces
        .iter()
        .map(|p| {
            if p.hidden {
                view! { <mark class="redacted" data-hidden="1">{p.text.clone()}</mark> }.into_any()
            } else {
                p.text.clone().into_any()
            }
        })
        .collect_view()
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
        TextField {
            form: &form,
            name: format!("fields[{key}]"),
            key,
            id: format!("{prefix}-{}", key.replace('_', "-")),
            label,
            hint,
            kind: "textarea",
            rows: 6,
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
            let duplicate = TextField {
                form: &form,
                name: "fields[duplicate_of]".to_owned(),
                key: "duplicate_of",
                id: format!("{prefix}-duplicate-of"),
                label: f.duplicate_of_label,
                hint: None,
                kind: "text",
                rows: 6,
                value: value(
                    "duplicate_of",
                    item.duplicate_of.clone().unwrap_or_default(),
                ),
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
            &value(
                "department",
                item.department
                    .as_ref()
                    .map(|d| d.code.clone())
                    .unwrap_or_default(),
            ),
        )
        .into_any(),
        FeedbackAction::Answer => text_field(
            "answer",
            f.answer_heading,
            None,
            true,
            item.answer.clone().unwrap_or_default(),
        )
        .into_any(),
        FeedbackAction::Publish => {
            let confirm_error = field_error(flash, &form, "confirm_public");
            view! {
                {text_field("public_summary", f.public_summary_label, Some(f.public_summary_hint), true, item.public_summary.clone().unwrap_or_else(|| item.suggested_summary.clone()))}
                <section class="public-check" aria-labelledby=format!("{prefix}-check-heading") data-testid="public-check">
                    <h4 id=format!("{prefix}-check-heading")>{f.public_check_heading}</h4>
                    <p class="hint">{f.public_check_hint}</p>
                    <p class="preview-label">{f.content_preview_label}</p>
                    <p class="preview">{pieces_view(&item.content_pieces)}</p>
                    <p class="preview-label">{f.answer_preview_label}</p>
                    <p class="preview">{pieces_view(&item.answer_pieces)}</p>
                </section>
                <div class="field checkbox">
                    <input type="checkbox" id=format!("{prefix}-confirm-public") name="fields[confirm_public]" value="1" required
                        aria-invalid=confirm_error.as_ref().map(|_| "true") aria-describedby=format!("{prefix}-confirm-public-error") />
                    <label for=format!("{prefix}-confirm-public")>{f.confirm_public_label}</label>
                    {error_line(confirm_error, format!("{prefix}-confirm-public-error"))}
                </div>
            }
            .into_any()
        }
        FeedbackAction::MarkPraise => view! { <p class="hint">{f.praise_hint}</p> }.into_any(),
        _ => ().into_any(),
    };
    let reason = match action {
        FeedbackAction::Return => {
            text_field("reason", f.reason_label, None, true, String::new()).into_any()
        }
        _ => text_field("reason", f.reason_optional, None, false, String::new()).into_any(),
    };
    let primary = !matches!(
        action,
        FeedbackAction::Return | FeedbackAction::Close | FeedbackAction::MarkPraise
    );
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
    let query = use_query_map().read_untracked();
    let reveal = query.get("contact").as_deref() == Some("1");
    let receipt = query.get("receipt");
    load_page(
        lang,
        get_feedback_item(id, lang, reveal, receipt),
        move |page| {
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
            view! {
            <StaffLayout lang viewer=page.viewer.clone() title=title.clone()>
                <p><a href="/feedback/items">{f.list_title}</a></p>
                <h1>{title}</h1>
                <FlashNotice lang flash=flash.clone() form="feedback-item".to_owned() />
                {data.sender_receipt.clone().map(|link| view! {
                    <div class="notice" role="status" data-testid="sender-receipt">
                        <p>{f.receipt_for_sender}</p>
                        <p><strong>{item.tracking_code.clone()}</strong></p>
                        <p><code class="secret">{link}</code></p>
                    </div>
                })}
                {item_facts(lang, &item)}
                <section aria-labelledby="content-heading">
                    <h2 id="content-heading">{f.content_heading}</h2>
                    {item.subject.clone().map(|s| view! { <p><strong>{s}</strong></p> })}
                    <p class="comment-text" data-testid="item-content">{item.content.clone()}</p>
                </section>
                <section aria-labelledby="sender-heading">
                    <h2 id="sender-heading">{f.sender_label}</h2>
                    {sender_contact(lang, &item)}
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
                <DataTable caption=f.history_heading id="history" columns=vec![Column::text(f.col_when), Column::text(f.col_who), Column::text(f.col_action), Column::text(f.col_change), Column::text(f.col_reason)]>
                    {history}
                </DataTable>
            </StaffLayout>
        }
        .into_any()
        },
    )
}

/// The sender's contact where the reader may see it; for a leader, a link
/// that opens it on purpose (and is logged); otherwise a note that it is hidden.
fn sender_contact(lang: Lang, item: &FeedbackDetail) -> impl IntoView + use<> {
    let f = lang.feedback_texts();
    match &item.sender {
        Some(sender) => view! {
            <dl class="facts" data-testid="sender-contact">
                <dt>{f.sender_name}</dt><dd>{sender.name.clone()}</dd>
                <dt>{f.sender_address}</dt><dd>{sender.address.clone()}</dd>
                <dt>{f.sender_phone}</dt><dd>{sender.phone.clone()}</dd>
                <dt>{f.sender_email}</dt><dd>{sender.email.clone()}</dd>
            </dl>
            <p class="hint">{f.contact_logged}</p>
        }
        .into_any(),
        None => view! {
            <p data-testid="contact-hidden">{f.contact_hidden}</p>
            {item.may_reveal_contact.then(|| view! {
                <p><a class="button" href=format!("/feedback/items/{}?contact=1", item.id)>{f.reveal_contact}</a></p>
            })}
        }
        .into_any(),
    }
}

/// `/feedback/report?year=&half=`: the six-monthly report on feedback,
/// printable on A4, with its XLSX.
#[component]
pub fn FeedbackReportPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let t = lang.texts();
    let query = use_query_map().read_untracked();
    let year = query.get("year").and_then(|y| y.trim().parse::<i32>().ok());
    let half = query.get("half").and_then(|h| h.trim().parse::<i16>().ok());
    load_page(lang, get_feedback_report(year, half, lang), move |page| {
        let data = page.data;
        let report = data.report.clone();
        let table = move |caption: &'static str, id: &'static str, rows: &[FeedbackReportRow]| {
            let body = rows
                .iter()
                .map(|r| {
                    view! {
                        <tr data-code=r.code.clone()>
                            <th scope="row">{r.label.clone()}</th>
                            <td class="num">{lang.count(r.received)}</td>
                            <td class="num">{lang.count(r.answered)}</td>
                            <td class="num">{lang.count(r.answered_on_time)}</td>
                            <td class="num">{lang.count(r.overdue)}</td>
                            <td class="num">{lang.count(r.published)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <DataTable caption=caption id=id columns=vec![Column::text(f.report_group), Column::num(f.panel_received), Column::num(f.col_answered), Column::num(f.panel_on_time), Column::num(f.panel_overdue), Column::num(f.report_published)]>
                    {body}
                </DataTable>
            }
        };
        let half_options = [(1i16, t.first_half), (2, t.second_half)]
            .into_iter()
            .map(|(value, label)| view! { <option value=value selected=value == report.half>{label}</option> })
            .collect_view();
        view! {
            <StaffLayout lang viewer=page.viewer.clone() title=f.report_title>
                <form method="get" class="filters card no-print" aria-label=f.report_title>
                    <div class="field">
                        <label for="report-year">{t.round_year_label}</label>
                        <input id="report-year" name="year" type="number" inputmode="numeric" value=report.year />
                    </div>
                    <div class="field">
                        <label for="report-half">{t.round_half_label}</label>
                        <select id="report-half" name="half">{half_options}</select>
                    </div>
                    <button type="submit" class="button">{f.report_show}</button>
                </form>
                <p class="actions no-print">
                    <a class="button" href=format!("/api/v1/feedback-report.xlsx?year={}&half={}", report.year, report.half)>{f.report_xlsx}</a>
                </p>
                <div class="report">
                    <div class="report-letterhead">
                        {data.logo.clone().map(|src| view! { <img class="report-logo" src=src alt="" /> })}
                        <p class="report-agency">{data.agency_name.clone()}</p>
                    </div>
                    <h1>{f.report_title}</h1>
                    <p class="lead" data-testid="report-period">{lang.period(report.year, report.half)} " (" {report.period.clone()} ")"</p>
                    <p class="muted">{format!("{}: {}", f.report_as_of, report.as_of)}</p>
                    {table(f.report_total, "report-total", std::slice::from_ref(&report.total))}
                    {table(f.report_by_channel, "report-by-channel", &report.by_channel)}
                    {table(f.report_by_classification, "report-by-classification", &report.by_classification)}
                    {table(f.panel_by_department, "report-by-department", &report.by_department)}
                    <p class="muted">{f.deadline_note}</p>
                </div>
            </StaffLayout>
        }
        .into_any()
    })
}
