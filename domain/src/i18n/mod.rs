//! Every word the interface shows, one file per language (`vi.rs`, `en.rs`),
//! with feedback handling's words in `feedback.rs` and the survey island's
//! few in `island.rs` (the only ones the browser's bundle carries).
//! Vietnamese is the default; components never hold their own wording.

use serde::{Deserialize, Serialize};

use crate::model::{RespondentType, Scale, SubmissionMethod, SurveyChannel};

mod actions;
mod dossiers;
mod en;
mod evidence;
mod feedback;
mod island;
mod mailing;
mod quality;
mod sampling;
mod templates;
mod vi;
mod webhooks;

pub use actions::ActionTexts;
pub use dossiers::{DossierTexts, KioskTexts};
pub use evidence::EvidenceTexts;
pub use feedback::FeedbackTexts;
pub use island::IslandTexts;
pub use mailing::{MailingTexts, progress_counts};
pub use quality::QualityTexts;
pub use sampling::SamplingTexts;
pub use templates::TemplateTexts;
pub use webhooks::WebhookTexts;

/// A moment as people in Vietnam read it (UTC+7): "dd/mm/yyyy HH:MM".
pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&crate::working_days::vietnam())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// A day as "dd/mm/yyyy".
pub fn day_text(day: chrono::NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "vi")]
    Vi,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// Anything but "en" is Vietnamese, the default.
    pub fn parse(code: Option<&str>) -> Self {
        match code {
            Some("en") => Self::En,
            _ => Self::Vi,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Vi => &vi::TEXTS,
            Self::En => &en::TEXTS,
        }
    }

    /// Picks the wording of a bilingual record.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Vi => vi,
            Self::En if en.is_empty() => vi,
            Self::En => en,
        }
    }

    /// A percentage with two decimals, written the way the language writes numbers.
    pub fn percent(self, value: f64) -> String {
        self.decimal(value)
    }

    /// A number with two decimals in the language's notation (0,56 / 0.56).
    pub fn decimal(self, value: f64) -> String {
        let text = format!("{value:.2}");
        match self {
            Self::Vi => text.replace('.', ","),
            Self::En => text,
        }
    }

    /// A count with the language's thousands separator.
    pub fn count(self, value: u64) -> String {
        let digits = value.to_string();
        let separator = match self {
            Self::Vi => '.',
            Self::En => ',',
        };
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }

    pub fn period(self, year: i32, half: i16) -> String {
        let t = self.texts();
        let part = if half == 1 {
            t.first_half
        } else {
            t.second_half
        };
        format!("{part} {year}")
    }

    /// "Thứ Sáu, 01/01/2027" or "Friday, 01/01/2027".
    pub fn weekday_date(self, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let index = day.weekday().num_days_from_monday() as usize;
        let names = match self {
            Self::Vi => [
                "Thứ Hai",
                "Thứ Ba",
                "Thứ Tư",
                "Thứ Năm",
                "Thứ Sáu",
                "Thứ Bảy",
                "Chủ nhật",
            ],
            Self::En => [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ],
        };
        format!("{}, {}", names[index], day.format("%d/%m/%Y"))
    }

    pub fn respondent_type(self, value: RespondentType) -> &'static str {
        let t = self.texts();
        match value {
            RespondentType::Business => t.respondent_business,
            RespondentType::Individual => t.respondent_individual,
            RespondentType::PartnerAgency => t.respondent_partner,
        }
    }

    pub fn submission_method(self, value: SubmissionMethod) -> &'static str {
        let t = self.texts();
        match value {
            SubmissionMethod::InPerson => t.method_in_person,
            SubmissionMethod::Online => t.method_online,
            SubmissionMethod::Postal => t.method_postal,
        }
    }

    pub fn channel(self, value: SurveyChannel) -> &'static str {
        let t = self.texts();
        match value {
            SurveyChannel::Web => t.channel_web,
            SurveyChannel::Paper => t.channel_paper,
            SurveyChannel::Phone => t.channel_phone,
            SurveyChannel::Kiosk => t.channel_kiosk,
        }
    }

    /// Labels of a scale's levels, from value 1 upwards.
    pub fn scale_levels(self, scale: Scale) -> &'static [&'static str] {
        let t = self.texts();
        match scale {
            Scale::Satisfaction5 => &t.satisfaction_levels,
            Scale::Frequency3 => &t.frequency_levels,
            Scale::Priority3 => &t.priority_levels,
        }
    }

    pub fn answered_progress(self, answered: usize, total: usize) -> String {
        match self {
            Self::Vi => format!("Đã trả lời {answered}/{total} câu bắt buộc"),
            Self::En => format!("{answered} of {total} required questions answered"),
        }
    }

    pub fn out_of_range(self, max: u8, allows_not_applicable: bool) -> String {
        match (self, allows_not_applicable) {
            (Self::Vi, true) => {
                format!("Phải là số nguyên từ 1 đến {max}, hoặc null nếu không áp dụng.")
            }
            (Self::Vi, false) => format!("Phải là số nguyên từ 1 đến {max}."),
            (Self::En, true) => {
                format!("Must be an integer from 1 to {max}, or null for not applicable.")
            }
            (Self::En, false) => format!("Must be an integer from 1 to {max}."),
        }
    }

    /// A request refused for coming too often, with the wait in words.
    pub fn rate_limited(self, retry_after_secs: u64) -> String {
        let minutes = retry_after_secs.div_ceil(60);
        match (self, retry_after_secs <= 90) {
            (Self::Vi, true) => format!(
                "Bạn đã gửi quá nhiều lần trong ít phút. Vui lòng chờ {retry_after_secs} giây rồi bấm gửi lại; phiếu chưa được ghi nhận."
            ),
            (Self::Vi, false) => format!(
                "Bạn đã gửi quá nhiều lần. Vui lòng chờ khoảng {minutes} phút rồi bấm gửi lại; phiếu chưa được ghi nhận."
            ),
            (Self::En, true) => format!(
                "Too many submissions in a few minutes. Please wait {retry_after_secs} seconds and submit again; nothing was recorded yet."
            ),
            (Self::En, false) => format!(
                "Too many submissions. Please wait about {minutes} minutes and submit again; nothing was recorded yet."
            ),
        }
    }

    /// The wording of a refusal for a conflict, where one is written.
    pub fn conflict(self, code: crate::model::Conflict) -> Option<&'static str> {
        use crate::model::Conflict;
        let t = self.texts();
        match code {
            Conflict::RoundNotOpen => Some(self.island_texts().round_not_open),
            Conflict::RoundClosed => Some(self.island_texts().round_closed),
            Conflict::ExclusionNotProposed => Some(t.conflict_exclusion_not_proposed),
            Conflict::ExclusionAfterClose => Some(t.conflict_exclusion_after_close),
            Conflict::ClosingTimePassed => Some(t.conflict_closing_time_passed),
            Conflict::ResultsNotPublished => Some(t.conflict_results_not_published),
            Conflict::SampleAlreadyDrawn => Some(self.sampling_texts().already_drawn),
            other => self.feedback_conflict(other),
        }
    }

    /// What an API token's scope allows, in words.
    pub fn scope(self, scope: crate::model::Scope) -> &'static str {
        use crate::model::Scope as S;
        match (self, scope) {
            (Self::Vi, S::IndicesRead) => "Đọc chỉ số và báo cáo tổng hợp (indices:read)",
            (Self::Vi, S::ResponsesRead) => {
                "Tải phiếu trả lời, không kèm thông tin liên hệ (responses:read)"
            }
            (Self::Vi, S::ResponsesWrite) => "Gửi phiếu thay người trả lời (responses:write)",
            (Self::Vi, S::FeedbackRead) => "Đọc phản ánh, kiến nghị (feedback:read)",
            (Self::Vi, S::FeedbackWrite) => "Ghi nhận và xử lý phản ánh (feedback:write)",
            (Self::Vi, S::InvitationsRead) => "Đọc danh sách mời (invitations:read)",
            (Self::Vi, S::InvitationsWrite) => "Thêm người được mời (invitations:write)",
            (Self::Vi, S::SetupWrite) => {
                "Thiết lập cơ quan: thông tin, danh mục, ngày nghỉ, cài đặt, webhook (setup:write)"
            }
            (Self::En, S::SetupWrite) => {
                "Set up the agency: profile, catalogue, holidays, settings, webhooks (setup:write)"
            }
            (Self::Vi, S::RoundsWrite) => "Tạo đợt khảo sát, mở và đóng đợt (rounds:write)",
            (Self::En, S::RoundsWrite) => "Create rounds, open and close them (rounds:write)",
            (Self::Vi, S::UsersWrite) => "Tạo tài khoản người dùng (users:write)",
            (Self::En, S::UsersWrite) => "Create user accounts (users:write)",
            (Self::Vi, S::DossiersWrite) => {
                "Gửi hồ sơ từ phần mềm một cửa, lấy đường dẫn đánh giá (dossiers:write)"
            }
            (Self::En, S::DossiersWrite) => {
                "Send dossiers from the one-stop software, get rating links (dossiers:write)"
            }
            (Self::Vi, S::PersonalData) => {
                "Xem thông tin cá nhân: họ tên, điện thoại, e-mail, địa chỉ, mã số thuế (personal-data:read)"
            }
            (Self::En, S::IndicesRead) => "Read indices and summaries (indices:read)",
            (Self::En, S::ResponsesRead) => "Download responses, without contacts (responses:read)",
            (Self::En, S::ResponsesWrite) => {
                "Submit responses on a respondent's behalf (responses:write)"
            }
            (Self::En, S::FeedbackRead) => "Read feedback items (feedback:read)",
            (Self::En, S::FeedbackWrite) => "Record and handle feedback (feedback:write)",
            (Self::En, S::InvitationsRead) => "Read invitation lists (invitations:read)",
            (Self::En, S::InvitationsWrite) => "Add invitations (invitations:write)",
            (Self::En, S::PersonalData) => {
                "See personal data: names, phones, e-mails, addresses, tax codes (personal-data:read)"
            }
        }
    }

    pub fn number_out_of_range(self, min: u32, max: u32) -> String {
        match self {
            Self::Vi => format!("Nhập một số nguyên từ {min} đến {max}."),
            Self::En => format!("Enter a whole number from {min} to {max}."),
        }
    }

    /// A file names the same entry twice.
    pub fn repeated_on_line(self, line: usize) -> String {
        match self {
            Self::Vi => format!("Mã này đã có ở dòng {line} của tệp."),
            Self::En => format!("This code is already on line {line} of the file."),
        }
    }

    /// Deadlines may fall in years whose swap days are not entered.
    pub fn missing_swaps(self, years: &[i32]) -> String {
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        match self {
            Self::Vi => format!(
                "Lịch làm việc năm {} chưa có ngày hoán đổi do Chính phủ công bố: hạn xử lý tính theo ngày làm việc có thể lệch. Quản trị viên nhập các ngày này (hoặc xác nhận năm không có) ở trang Cài đặt phản ánh.",
                years.join(", ")
            ),
            Self::En => format!(
                "The calendar of {} lacks the swap days the government announces: deadlines in working days may be off. Admins enter them (or confirm there are none) on the feedback settings page.",
                years.join(", ")
            ),
        }
    }

    /// A file lacks a column it needs.
    pub fn missing_column(self, column: &str) -> String {
        match self {
            Self::Vi => format!("Tệp thiếu cột “{column}”."),
            Self::En => format!("The file has no “{column}” column."),
        }
    }

    pub fn too_long(self, max: usize) -> String {
        match self {
            Self::Vi => format!("Tối đa {} ký tự.", self.count(max as u64)),
            Self::En => format!("At most {} characters.", self.count(max as u64)),
        }
    }

    pub fn too_short(self, min: usize) -> String {
        match self {
            Self::Vi => format!("Tối thiểu {min} ký tự."),
            Self::En => format!("At least {min} characters."),
        }
    }

    pub fn throttled(self, minutes: i64) -> String {
        match self {
            Self::Vi => {
                format!("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.")
            }
            Self::En => format!("Too many failed sign-ins. Please try again in {minutes} minutes."),
        }
    }

    pub fn role(self, role: crate::model::Role) -> &'static str {
        let t = self.texts();
        match role {
            crate::model::Role::Admin => t.role_admin,
            crate::model::Role::Staff => t.role_staff,
            crate::model::Role::Leader => t.role_leader,
        }
    }

    pub fn round_status(self, status: crate::model::RoundStatus) -> &'static str {
        let t = self.texts();
        match status {
            crate::model::RoundStatus::Draft => t.status_draft,
            crate::model::RoundStatus::Scheduled => t.status_scheduled,
            crate::model::RoundStatus::Open => t.status_open,
            crate::model::RoundStatus::Closed => t.status_closed,
            crate::model::RoundStatus::Published => t.status_published,
        }
    }

    /// A step of the setup checklist: its title and what it asks.
    pub fn setup_step(self, step: crate::model::SetupStep) -> (&'static str, &'static str) {
        use crate::model::SetupStep as S;
        let t = self.texts();
        match step {
            S::Profile => (t.setup_profile, t.setup_profile_hint),
            S::Departments => (t.setup_departments, t.setup_departments_hint),
            S::Procedures => (t.setup_procedures, t.setup_procedures_hint),
            S::Holidays => (t.setup_holidays, t.setup_holidays_hint),
            S::Users => (t.setup_users, t.setup_users_hint),
            S::Round => (t.setup_round, t.setup_round_hint),
        }
    }

    /// How an import or an edit changes a catalogue entry.
    pub fn catalogue_change(self, change: crate::model::CatalogueChangeKind) -> &'static str {
        use crate::model::CatalogueChangeKind as C;
        let t = self.texts();
        match change {
            C::Added => t.change_added,
            C::Renamed => t.change_renamed,
            C::Retired => t.change_retired,
            C::Reactivated => t.change_reactivated,
        }
    }

    /// The wording of a notice code left by a form.
    pub fn notice(self, code: &str) -> Option<&'static str> {
        let t = self.texts();
        Some(match code {
            "logged-out" => t.notice_logged_out,
            "logged-out-everywhere" => t.notice_logged_out_everywhere,
            "password-changed" => t.notice_password_changed,
            "user-created" => t.notice_user_created,
            "user-updated" => t.notice_user_updated,
            "user-unlocked" => t.notice_user_unlocked,
            "password-reset" => t.notice_password_reset,
            "user-logged-out" => t.notice_user_logged_out,
            "token-created" => t.notice_token_created,
            "token-revoked" => t.notice_token_revoked,
            "round-saved" => t.notice_round_saved,
            "reminders-saved" => self.mailing_texts().reminders_saved,
            "rating-days-saved" => self.dossier_texts().rating_days_saved,
            "kiosk-added" => self.kiosk_texts().added,
            "kiosk-removed" => self.kiosk_texts().removed,
            "kiosk-handed-over" => self.kiosk_texts().handed_over,
            "message-resent" => self.mailing_texts().message_resent,
            "message-cancelled" => self.mailing_texts().message_cancelled,
            "alerts-saved" => self.mailing_texts().alerts_saved,
            "sample-drawn" => self.sampling_texts().drawn_notice,
            "webhook-created" => self.webhook_texts().created,
            "template-saved" => self.template_texts().saved,
            "template-previewed" => self.template_texts().previewed,
            "webhook-revoked" => self.webhook_texts().revoked_notice,
            "webhook-test-delivered" => self.webhook_texts().test_delivered,
            "round-status" => t.notice_round_status,
            "round-cloned" => t.notice_round_cloned,
            "populations-saved" => t.populations_saved,
            "instrument-saved" => t.notice_instrument_saved,
            "instrument-copied" => t.notice_instrument_copied,
            "response-excluded" => t.notice_response_excluded,
            "response-restored" => t.notice_response_restored,
            "exclusion-proposed" => t.notice_exclusion_proposed,
            "exclusion-declined" => t.notice_exclusion_declined,
            "retention-saved" => t.notice_retention_saved,
            "person-erased" => t.notice_person_erased,
            "catalogue-saved" => t.notice_catalogue_saved,
            "profile-saved" => t.notice_profile_saved,
            "settings-saved" => t.notice_settings_saved,
            "logo-saved" => t.notice_logo_saved,
            "logo-removed" => t.notice_logo_removed,
            other => return self.feedback_notice(other),
        })
    }

    /// What a round's population counts are given by.
    pub fn stratum_dimension(self, value: crate::model::StratumDimension) -> &'static str {
        let t = self.texts();
        match value {
            crate::model::StratumDimension::RespondentType => t.populations_by_type,
            crate::model::StratumDimension::Department => t.populations_by_department,
        }
    }

    /// The caption of a breakdown by `dimension` (department, procedure,
    /// respondent_type or channel).
    pub fn breakdown_caption(self, dimension: &str) -> &'static str {
        let t = self.texts();
        match dimension {
            "department" => t.by_department,
            "procedure" => t.by_procedure,
            "respondent_type" => t.by_audience,
            _ => t.by_channel,
        }
    }

    /// Where a criterion sits on the importance–performance matrix.
    pub fn quadrant(self, quadrant: Option<crate::model::Quadrant>) -> &'static str {
        use crate::model::Quadrant;
        let t = self.texts();
        match quadrant {
            Some(Quadrant::FixFirst) => t.quadrant_fix_first,
            Some(Quadrant::KeepUp) => t.quadrant_keep_up,
            Some(Quadrant::LowPriority) => t.quadrant_low_priority,
            Some(Quadrant::PossibleOverkill) => t.quadrant_possible_overkill,
            None => "—",
        }
    }

    /// Why the driver analysis waits: `n` of the `min` complete responses it needs.
    pub fn drivers_too_few(self, min: u64, n: u64) -> String {
        match self {
            Self::Vi => format!(
                "Chưa đủ phiếu để phân tích: cần ít nhất {min} phiếu trả lời hợp lệ câu O1 và mọi tiêu chí, hiện có {n}."
            ),
            Self::En => format!(
                "Not enough responses yet: at least {min} must answer O1 and every criterion validly; {n} do."
            ),
        }
    }

    pub fn suppression_note(self, threshold: u64) -> String {
        match self {
            Self::Vi => format!(
                "Nhóm có ít hơn {threshold} phiếu không hiển thị chỉ số để bảo đảm độ tin cậy và ẩn danh."
            ),
            Self::En => format!(
                "Groups with fewer than {threshold} responses show no index, for reliability and anonymity."
            ),
        }
    }

    pub fn target_line(self, target: f64) -> String {
        match self {
            Self::Vi => format!("Mục tiêu {}%", self.percent(target)),
            Self::En => format!("Target {}%", self.percent(target)),
        }
    }
}

/// The interface's wording in one language.
pub struct Texts {
    pub app_name: &'static str,
    pub switch_language: &'static str,
    pub skip_to_content: &'static str,
    pub first_half: &'static str,
    pub second_half: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub open_rounds: &'static str,
    pub no_open_rounds: &'static str,
    pub take_survey: &'static str,
    pub view_indices: &'static str,

    pub survey_intro: &'static str,
    pub profile_heading: &'static str,
    pub respondent_type_label: &'static str,
    pub respondent_business: &'static str,
    pub respondent_individual: &'static str,
    pub respondent_partner: &'static str,
    pub department_label: &'static str,
    pub department_placeholder: &'static str,
    pub procedure_label: &'static str,
    pub procedure_placeholder: &'static str,
    pub procedure_hint: &'static str,
    pub submission_method_label: &'static str,
    pub method_in_person: &'static str,
    pub method_online: &'static str,
    pub method_postal: &'static str,
    pub channel_web: &'static str,
    pub channel_paper: &'static str,
    pub channel_phone: &'static str,
    pub channel_kiosk: &'static str,
    pub satisfaction_levels: [&'static str; 5],
    pub frequency_levels: [&'static str; 3],
    pub priority_levels: [&'static str; 3],
    pub not_applicable: &'static str,
    pub perception_intro: &'static str,
    pub expectation_intro: &'static str,
    pub comment_label: &'static str,
    pub comment_hint: &'static str,
    pub required_mark: &'static str,

    pub err_required: &'static str,
    pub err_answer_required: &'static str,
    pub err_choice_required: &'static str,
    pub err_respondent_type_required: &'static str,
    pub err_department_required: &'static str,
    pub err_invalid_value: &'static str,
    pub err_unknown_department: &'static str,
    pub err_unknown_procedure: &'static str,
    pub err_procedure_department: &'static str,
    pub err_retired_department: &'static str,
    pub err_retired_procedure: &'static str,
    pub err_department_outside_round: &'static str,
    pub err_respondent_type_outside_round: &'static str,
    pub err_unknown_criterion: &'static str,
    pub err_unknown_draft: &'static str,
    pub err_duplicate: &'static str,
    pub err_catalogue_code: &'static str,
    pub err_catalogue_kind: &'static str,
    pub err_catalogue_active: &'static str,
    pub err_procedure_needs_department: &'static str,
    pub err_procedure_department_retired: &'static str,
    pub err_department_has_procedures: &'static str,
    pub err_invitation_unusable: &'static str,
    pub err_missing_column: &'static str,
    pub err_unknown_column: &'static str,
    pub err_no_criteria_columns: &'static str,
    pub err_no_rows: &'static str,
    pub err_date: &'static str,
    pub err_tax_code: &'static str,
    pub err_email: &'static str,
    pub err_phone: &'static str,
    pub err_in_the_future: &'static str,
    pub err_unknown_tracking_code: &'static str,

    pub not_found_title: &'static str,
    pub back_home: &'static str,

    pub receipt_title: &'static str,
    pub receipt_code: &'static str,
    pub receipt_submitted_at: &'static str,
    pub receipt_note: &'static str,

    pub dashboard_title: &'static str,
    pub overall_index: &'static str,
    pub overall_index_note: &'static str,
    pub responses: &'static str,
    pub overall_satisfaction: &'static str,
    pub element_chart_title: &'static str,
    pub element_table_caption: &'static str,
    pub criteria_table_caption: &'static str,
    pub col_code: &'static str,
    pub col_element: &'static str,
    pub col_criterion: &'static str,
    pub col_index: &'static str,
    pub col_n_valid: &'static str,
    pub col_n_satisfied: &'static str,
    pub col_interval: &'static str,
    pub col_mean_score: &'static str,
    pub col_distribution: &'static str,
    pub col_not_applicable: &'static str,
    pub no_data: &'static str,
    pub formula_version: &'static str,
    pub report_title: &'static str,
    pub report_print_hint: &'static str,
    pub filters_label: &'static str,
    pub all: &'static str,
    pub apply_filters: &'static str,
    pub clear_filters: &'static str,
    pub filtered_note: &'static str,
    pub by_department: &'static str,
    pub by_procedure: &'static str,
    pub by_audience: &'static str,
    pub by_channel: &'static str,
    pub col_group: &'static str,
    pub suppressed: &'static str,
    pub trend_caption: &'static str,
    pub change_from_previous: &'static str,
    pub no_previous: &'static str,
    pub print_report: &'static str,
    pub export_csv: &'static str,
    pub export_xlsx: &'static str,
    pub export_indices: &'static str,
    pub distribution_caption: &'static str,
    pub distribution_legend: &'static str,
    pub breakdowns_heading: &'static str,
    pub expectations_caption: &'static str,
    pub col_area: &'static str,
    pub col_share_asking: &'static str,
    pub perceptions_caption: &'static str,
    pub col_n_met: &'static str,
    pub col_share_met: &'static str,
    pub perceptions_note: &'static str,
    pub drivers_heading: &'static str,
    pub drivers_weight_axis: &'static str,
    pub drivers_index_axis: &'static str,
    pub quadrant_fix_first: &'static str,
    pub quadrant_keep_up: &'static str,
    pub quadrant_low_priority: &'static str,
    pub quadrant_possible_overkill: &'static str,
    pub drivers_caption: &'static str,
    pub drivers_table_caption: &'static str,
    pub col_r: &'static str,
    pub col_pairs: &'static str,
    pub col_weight: &'static str,
    pub col_quadrant: &'static str,
    pub drivers_fix_first: &'static str,
    pub drivers_none_to_fix: &'static str,
    pub drivers_note: &'static str,
    pub drivers_no_variation: &'static str,
    pub drivers_no_overall: &'static str,
    pub drivers_whole_round: &'static str,
    pub weighted_heading: &'static str,
    pub col_weighted_index: &'static str,
    pub col_effective_n: &'static str,
    pub col_stratum: &'static str,
    pub col_population: &'static str,
    pub weighted_note: &'static str,
    pub weighted_whole_round: &'static str,
    pub populations_heading: &'static str,
    pub populations_hint: &'static str,
    pub populations_by_type: &'static str,
    pub populations_by_department: &'static str,
    pub populations_button: &'static str,
    pub populations_saved: &'static str,
    pub populations_current: &'static str,
    pub populations_none: &'static str,
    pub comments_heading: &'static str,
    pub compare_heading: &'static str,
    pub compare_with: &'static str,
    pub compare_button: &'static str,
    /// After the round's name, when it has no earlier round to compare with.
    pub compare_no_earlier_round: &'static str,
    pub compare_back_to_dashboard: &'static str,
    pub exclude_heading: &'static str,
    pub exclude_hint: &'static str,
    pub exclude_reason: &'static str,
    pub exclude_button: &'static str,
    pub restore_button: &'static str,
    pub propose_exclusion_button: &'static str,
    pub exclude_hint_staff: &'static str,
    pub pending_exclusions_heading: &'static str,
    pub no_pending_exclusions: &'static str,
    pub col_proposed_by: &'static str,
    pub col_proposed_at: &'static str,
    pub col_decision: &'static str,
    pub confirm_exclusion_button: &'static str,
    pub decline_exclusion_button: &'static str,
    pub excluded_responses: &'static str,
    pub flagged_responses: &'static str,
    pub notice_exclusion_proposed: &'static str,
    pub notice_exclusion_declined: &'static str,
    pub conflict_exclusion_not_proposed: &'static str,
    pub conflict_exclusion_after_close: &'static str,
    pub conflict_closing_time_passed: &'static str,
    pub conflict_results_not_published: &'static str,
    pub evidence_pack: &'static str,
    pub nav_personal_data: &'static str,
    pub personal_data_title: &'static str,
    pub personal_data_intro: &'static str,
    pub retention_heading: &'static str,
    pub feedback_contact_days_label: &'static str,
    pub invitation_contact_days_label: &'static str,
    pub retention_save_button: &'static str,
    pub purge_due_label: &'static str,
    pub purge_due_items: &'static str,
    pub purge_due_invitations: &'static str,
    pub person_heading: &'static str,
    pub person_hint: &'static str,
    pub person_identifier_label: &'static str,
    pub person_reason_label: &'static str,
    pub person_export_button: &'static str,
    pub person_erase_button: &'static str,
    pub notice_retention_saved: &'static str,
    pub notice_person_erased: &'static str,
    pub notice_catalogue_saved: &'static str,
    pub meta_description: &'static str,
    pub meta_survey: &'static str,
    pub profile_public_url: &'static str,
    pub profile_public_url_hint: &'static str,
    pub settings_element_targets: &'static str,
    pub settings_element_targets_hint: &'static str,
    pub col_target: &'static str,
    pub notice_logo_saved: &'static str,
    pub notice_logo_removed: &'static str,
    pub logo_heading: &'static str,
    pub logo_hint: &'static str,
    pub logo_file: &'static str,
    pub logo_upload: &'static str,
    pub logo_remove: &'static str,
    pub logo_alt: &'static str,
    pub notice_settings_saved: &'static str,
    pub nav_settings: &'static str,
    pub settings_title: &'static str,
    pub settings_target: &'static str,
    pub settings_target_hint: &'static str,
    pub settings_threshold: &'static str,
    pub settings_threshold_hint: &'static str,
    pub settings_intro_vi: &'static str,
    pub settings_intro_en: &'static str,
    pub settings_thanks_vi: &'static str,
    pub settings_thanks_en: &'static str,
    pub settings_texts_hint: &'static str,
    pub settings_default_instrument: &'static str,
    pub settings_no_default_instrument: &'static str,
    pub notice_swaps_confirmed: &'static str,
    pub notice_holidays_imported: &'static str,
    pub holiday_kind: &'static str,
    pub holiday_kind_day_off: &'static str,
    pub holiday_kind_workday: &'static str,
    pub swaps_heading: &'static str,
    pub swaps_entered: &'static str,
    pub swaps_none_entered: &'static str,
    pub swaps_confirm_year: &'static str,
    pub swaps_confirm_button: &'static str,
    pub holidays_import_label: &'static str,
    pub holidays_import_button: &'static str,
    pub holidays_import_hint: &'static str,
    pub holidays_export: &'static str,
    pub notice_profile_saved: &'static str,
    pub setup_title: &'static str,
    pub setup_intro: &'static str,
    pub setup_done: &'static str,
    pub setup_todo: &'static str,
    pub setup_profile: &'static str,
    pub setup_profile_hint: &'static str,
    pub setup_departments: &'static str,
    pub setup_departments_hint: &'static str,
    pub setup_procedures: &'static str,
    pub setup_procedures_hint: &'static str,
    pub setup_holidays: &'static str,
    pub setup_holidays_hint: &'static str,
    pub setup_users: &'static str,
    pub setup_users_hint: &'static str,
    pub setup_round: &'static str,
    pub setup_round_hint: &'static str,
    pub first_admin_title: &'static str,
    pub first_admin_intro: &'static str,
    pub profile_title: &'static str,
    pub profile_name_vi: &'static str,
    pub profile_name_en: &'static str,
    pub catalogue_title: &'static str,
    pub catalogue_intro: &'static str,
    pub catalogue_departments: &'static str,
    pub catalogue_procedures: &'static str,
    pub catalogue_code: &'static str,
    pub catalogue_name_vi: &'static str,
    pub catalogue_name_en: &'static str,
    pub catalogue_field: &'static str,
    pub catalogue_department: &'static str,
    pub catalogue_status: &'static str,
    pub catalogue_active: &'static str,
    pub catalogue_retired: &'static str,
    pub catalogue_retire: &'static str,
    pub catalogue_reactivate: &'static str,
    pub catalogue_add_department: &'static str,
    pub catalogue_add_procedure: &'static str,
    pub catalogue_save_hint: &'static str,
    pub catalogue_import: &'static str,
    pub catalogue_import_hint: &'static str,
    pub catalogue_dry_run: &'static str,
    pub catalogue_import_button: &'static str,
    pub catalogue_export: &'static str,
    pub catalogue_applied: &'static str,
    pub catalogue_preview: &'static str,
    pub catalogue_refused: &'static str,
    pub catalogue_no_changes: &'static str,
    pub change_added: &'static str,
    pub change_renamed: &'static str,
    pub change_retired: &'static str,
    pub change_reactivated: &'static str,
    pub nav_setup: &'static str,
    pub nav_catalogue: &'static str,
    pub method_heading: &'static str,
    pub method_criterion: &'static str,
    pub method_mean: &'static str,
    pub method_element: &'static str,
    pub method_interval: &'static str,
    pub method_na: &'static str,
    pub col_change: &'static str,
    pub col_significance: &'static str,
    pub significant: &'static str,
    pub significance_note: &'static str,
    pub published_results: &'static str,
    pub approved_by: &'static str,
    pub permanent_link: &'static str,
    pub published_at_link: &'static str,
    pub published_heading: &'static str,
    pub notice_response_excluded: &'static str,
    pub notice_response_restored: &'static str,
    pub not_given: &'static str,
    pub add_criterion: &'static str,
    pub add_element: &'static str,
    pub audience_businesses: &'static str,
    pub audience_citizens: &'static str,
    pub audience_partners: &'static str,
    pub clone_code_label: &'static str,
    pub clone_instrument_button: &'static str,
    pub clone_round_button: &'static str,
    pub clone_round_heading: &'static str,
    pub close_round_button: &'static str,
    pub unschedule_round_button: &'static str,
    pub col_criteria_count: &'static str,
    pub col_email: &'static str,
    pub col_field: &'static str,
    pub col_line: &'static str,
    pub col_phone: &'static str,
    pub col_problem: &'static str,
    pub col_progress: &'static str,
    pub col_tax_code: &'static str,
    pub col_used: &'static str,
    pub copy_instrument_heading: &'static str,
    pub create_round_heading: &'static str,
    pub criteria_heading: &'static str,
    pub delete_button: &'static str,
    pub delete_element_button: &'static str,
    pub distribution_heading: &'static str,
    pub download_invitations: &'static str,
    pub download_png: &'static str,
    pub download_svg: &'static str,
    pub element_kind_label: &'static str,
    pub file_label: &'static str,
    pub import_button: &'static str,
    pub import_done: &'static str,
    pub import_failed: &'static str,
    pub import_refused: &'static str,
    pub import_responses_format: &'static str,
    pub import_responses_heading: &'static str,
    pub import_running: &'static str,
    pub instrument_draft: &'static str,
    pub instrument_draft_note: &'static str,
    pub instrument_frozen: &'static str,
    pub instrument_frozen_note: &'static str,
    pub instrument_heading: &'static str,
    pub instruments_heading: &'static str,
    pub instruments_intro: &'static str,
    pub invitations_format: &'static str,
    pub invitations_heading: &'static str,
    pub invitations_imported: &'static str,
    pub invitations_sent: &'static str,
    pub kind_expectation: &'static str,
    pub kind_index: &'static str,
    pub kind_overall: &'static str,
    pub kind_perception: &'static str,
    pub new_version_button: &'static str,
    pub open_round_button: &'static str,
    pub personal_link: &'static str,
    pub poster_heading: &'static str,
    pub poster_note: &'static str,
    pub poster_print_hint: &'static str,
    pub poster_steps: &'static str,
    pub print_poster: &'static str,
    pub profile_questions_hint: &'static str,
    pub profile_questions_label: &'static str,
    pub public_link_label: &'static str,
    pub publish_round_button: &'static str,
    pub qr_alt: &'static str,
    pub reopen_round_button: &'static str,
    pub response_rate: &'static str,
    pub round_audience_label: &'static str,
    pub round_closes_label: &'static str,
    pub round_dossiers_hint: &'static str,
    pub round_dossiers_label: &'static str,
    pub round_half_label: &'static str,
    pub round_instrument_label: &'static str,
    pub round_opens_label: &'static str,
    pub round_schedule_hint: &'static str,
    pub round_settings_heading: &'static str,
    pub round_slug_hint: &'static str,
    pub round_slug_label: &'static str,
    pub round_title_en_label: &'static str,
    pub round_title_vi_label: &'static str,
    pub round_year_label: &'static str,
    pub target_reached: &'static str,
    pub target_sample: &'static str,
    pub wording_en: &'static str,
    pub wording_vi: &'static str,
    pub nav_rounds: &'static str,
    pub nav_instruments: &'static str,
    pub notice_round_saved: &'static str,
    pub notice_round_status: &'static str,
    pub notice_round_cloned: &'static str,
    pub notice_instrument_saved: &'static str,
    pub notice_instrument_copied: &'static str,
    pub resume_question: &'static str,
    pub resume_code_label: &'static str,
    pub resume_button: &'static str,
    pub saved_title: &'static str,
    pub saved_note: &'static str,
    pub resume_now: &'static str,
    pub invitation_code_label: &'static str,
    pub entry_title: &'static str,
    pub entry_channel_label: &'static str,
    pub entry_date_label: &'static str,
    pub entry_saved: &'static str,
    pub entry_next: &'static str,
    pub staff_login_link: &'static str,
    pub login_title: &'static str,
    pub username_label: &'static str,
    pub password_label: &'static str,
    pub login_button: &'static str,
    pub logout_button: &'static str,
    pub err_credentials: &'static str,
    pub notice_logged_out: &'static str,
    pub notice_logged_out_everywhere: &'static str,
    pub staff_home_title: &'static str,
    pub rounds_heading: &'static str,
    pub no_rounds: &'static str,
    pub col_round: &'static str,
    pub col_period: &'static str,
    pub col_status: &'static str,
    pub col_actions: &'static str,
    pub status_draft: &'static str,
    pub status_scheduled: &'static str,
    pub status_open: &'static str,
    pub status_closed: &'static str,
    pub status_published: &'static str,
    pub nav_home: &'static str,
    pub nav_users: &'static str,
    pub nav_tokens: &'static str,
    pub nav_audit: &'static str,
    pub nav_account: &'static str,
    pub main_navigation: &'static str,
    pub signed_in_as: &'static str,
    pub role_admin: &'static str,
    pub role_staff: &'static str,
    pub role_leader: &'static str,
    pub account_title: &'static str,
    pub change_password_heading: &'static str,
    pub current_password_label: &'static str,
    pub new_password_label: &'static str,
    pub change_password_button: &'static str,
    pub notice_password_changed: &'static str,
    pub sessions_heading: &'static str,
    pub logout_everywhere_hint: &'static str,
    pub logout_everywhere_button: &'static str,
    pub users_title: &'static str,
    pub create_user_heading: &'static str,
    pub display_name_label: &'static str,
    pub role_label: &'static str,
    pub departments_label: &'static str,
    pub active_label: &'static str,
    pub create_user_button: &'static str,
    pub save_button: &'static str,
    pub reset_password_button: &'static str,
    pub logout_user_button: &'static str,
    pub col_username: &'static str,
    pub col_name: &'static str,
    pub col_role: &'static str,
    pub col_departments: &'static str,
    pub col_active: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub notice_user_created: &'static str,
    pub notice_user_updated: &'static str,
    pub notice_password_reset: &'static str,
    pub notice_user_logged_out: &'static str,
    pub tokens_title: &'static str,
    pub tokens_intro: &'static str,
    pub token_name_label: &'static str,
    pub create_token_button: &'static str,
    pub revoke_button: &'static str,
    pub token_shown_once: &'static str,
    pub notice_token_created: &'static str,
    pub notice_token_revoked: &'static str,
    pub col_prefix: &'static str,
    pub col_created: &'static str,
    pub col_last_used: &'static str,
    pub revoked: &'static str,
    pub audit_title: &'static str,
    pub audit_intro: &'static str,
    pub col_time: &'static str,
    pub col_actor: &'static str,
    pub col_action: &'static str,
    pub col_entity: &'static str,
    pub col_delta: &'static str,
    pub col_ip: &'static str,
    pub forbidden_title: &'static str,
    pub err_staff_only: &'static str,
    pub err_no_answer: &'static str,
    pub notice_user_unlocked: &'static str,
    pub sign_in_locked_until: &'static str,
    pub unlock_button: &'static str,
    pub token_scopes_label: &'static str,
    pub token_expires_label: &'static str,
    pub invitation_contacts_hidden: &'static str,
    pub triage_label: &'static str,
    /// The same, on the page a browser without JavaScript is shown.
    pub form_expired_reload: &'static str,
}
