//! The admin page of hotline details, deadlines per step and holidays.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::{
    CsrfField, FlashNotice, StaffLayout, TextField, entered, error_line, field_error, load_page,
    use_lang,
};
use crate::server_fns::{
    AddHoliday, AddPublicHolidays, ConfirmSwaps, ImportHolidays, RemoveHoliday, SaveDeadlines,
    SaveHotline, get_feedback_settings,
};

/// `/admin/feedback-settings`: hotline details, deadlines and holidays.
#[component]
pub fn FeedbackSettingsPage() -> impl IntoView {
    let lang = use_lang();
    let f = lang.feedback_texts();
    let t = lang.texts();
    load_page(lang, get_feedback_settings(lang), move |page| {
        let flash = page.flash.clone();
        let csrf = page.viewer.csrf_token.clone();
        let data = page.data;
        let next_year = Some(entered(&flash, "holidays", "year"))
            .filter(|y| !y.is_empty())
            .unwrap_or_else(|| {
                use chrono::Datelike;
                (domain::working_days::vietnam_date(chrono::Utc::now()).year() + 1).to_string()
            });
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
        let hotline_field =
            |key: &'static str, label: &'static str, kind: &'static str, saved: &str| TextField {
                form: "hotline",
                name: key.to_owned(),
                key,
                id: format!("hotline-{key}"),
                label,
                hint: None,
                kind,
                rows: 6,
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
                    <tr data-day=h.day.clone()>
                        <td>{h.label.clone()}</td>
                        <td class="text">{h.name.clone()}</td>
                        <td>{if h.workday { t.holiday_kind_workday } else { t.holiday_kind_day_off }}</td>
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
                    <form method="post" action=AddPublicHolidays::url() class="inline-fields">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="holiday-year">{f.public_holidays_year}</label>
                            {error_line(field_error(&flash, "holidays", "year"), "holiday-year-error".to_owned())}
                            <input id="holiday-year" name="year" type="number" min="2000" max="2100" inputmode="numeric" required
                                value=next_year aria-describedby="holiday-year-error" />
                        </div>
                        <button type="submit" class="button">{f.add_public_holidays}</button>
                    </form>
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
                        <div class="field">
                            <label for="holiday-kind">{t.holiday_kind}</label>
                            <select id="holiday-kind" name="kind">
                                <option value="day-off">{t.holiday_kind_day_off}</option>
                                <option value="workday" selected=entered(&flash, "holidays", "kind") == "workday">{t.holiday_kind_workday}</option>
                            </select>
                        </div>
                        <button type="submit" class="button primary">{f.add_holiday}</button>
                    </form>
                    <h3 id="swaps">{t.swaps_heading}</h3>
                    {(!data.missing_swap_years.is_empty()).then(|| view! {
                        <p class="notice" role="status" data-testid="missing-swaps">{lang.missing_swaps(&data.missing_swap_years)}</p>
                    })}
                    <p>
                        {t.swaps_entered}" "
                        {if data.swap_years.is_empty() {
                            t.swaps_none_entered.to_owned()
                        } else {
                            data.swap_years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
                        }}
                    </p>
                    <FlashNotice lang flash=flash.clone() form="swaps".to_owned() />
                    <form method="post" action=ConfirmSwaps::url() class="inline-fields">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="swaps-year">{t.swaps_confirm_year}</label>
                            {error_line(field_error(&flash, "swaps", "year"), "swaps-year-error".to_owned())}
                            <input id="swaps-year" name="year" type="number" min="2000" max="2100" inputmode="numeric" required
                                value=data.missing_swap_years.first().map(i32::to_string).unwrap_or_default() aria-describedby="swaps-year-error" />
                        </div>
                        <button type="submit" class="button">{t.swaps_confirm_button}</button>
                    </form>
                    <FlashNotice lang flash=flash.clone() form="holidays-import".to_owned() />
                    <form method="post" enctype="multipart/form-data" action=ImportHolidays::url() class="inline-fields">
                        <CsrfField token=csrf.clone() />
                        <div class="field">
                            <label for="holidays-file">{t.holidays_import_label}</label>
                            <p class="hint" id="holidays-file-hint">{t.holidays_import_hint}</p>
                            {error_line(field_error(&flash, "holidays-import", "file"), "holidays-file-error".to_owned())}
                            <input id="holidays-file" name="file" type="file" accept=".ics,text/calendar" required aria-describedby="holidays-file-hint holidays-file-error" />
                        </div>
                        <button type="submit" class="button">{t.holidays_import_button}</button>
                    </form>
                    <p><a class="button" href="/api/v1/holidays.ics">{t.holidays_export}</a></p>
                    {data.holidays.is_empty().then(|| view! { <p>{f.no_holidays}</p> })}
                    <div class="table-wrap" tabindex="0">
                        <table class="data" id="holiday-table">
                            <caption class="visually-hidden">{f.holidays_heading}</caption>
                            <thead><tr><th scope="col">{f.holiday_day}</th><th scope="col">{f.holiday_name}</th><th scope="col">{t.holiday_kind}</th><th scope="col"><span class="visually-hidden">{f.remove_holiday}</span></th></tr></thead>
                            <tbody>{holidays}</tbody>
                        </table>
                    </div>
                </section>
            </StaffLayout>
        }
        .into_any()
    })
}
