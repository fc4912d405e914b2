//! The wording of action plans and of the public "you said — we did —
//! measured again" page, in both languages.

use crate::model::{ActionStatus, ActionVerdict};

use super::Lang;
use super::feedback::position;

pub struct ActionTexts {
    pub page_title: &'static str,
    pub intro: &'static str,
    pub open_plan: &'static str,
    pub plan_for_criterion: &'static str,
    pub weak_heading: &'static str,
    pub weak_none: &'static str,
    pub below_target: &'static str,
    pub col_reason: &'static str,
    pub col_plan: &'static str,
    pub form_heading: &'static str,
    pub criterion_label: &'static str,
    pub choose: &'static str,
    pub what_label: &'static str,
    pub owner_label: &'static str,
    pub due_label: &'static str,
    pub effect_label: &'static str,
    pub effect_hint: &'static str,
    pub plan_button: &'static str,
    pub planners_only: &'static str,
    pub actions_heading: &'static str,
    pub actions_none: &'static str,
    pub col_what: &'static str,
    pub col_owner: &'static str,
    pub col_due: &'static str,
    pub col_status: &'static str,
    pub col_before: &'static str,
    pub col_after: &'static str,
    pub col_change: &'static str,
    pub col_verdict: &'static str,
    pub not_measured: &'static str,
    pub no_next_round: &'static str,
    pub verdict_note: &'static str,
    pub status_label: &'static str,
    pub progress_label: &'static str,
    pub update_button: &'static str,
    pub publish_button: &'static str,
    pub unpublish_button: &'static str,
    pub published_badge: &'static str,
    pub public_page_link: &'static str,
    pub publish_results_first: &'static str,
    pub err_not_weak: &'static str,
    pub notice_planned: &'static str,
    pub notice_updated: &'static str,
    pub notice_published: &'static str,
    pub notice_unpublished: &'static str,
    pub public_title: &'static str,
    pub public_none: &'static str,
    pub you_said: &'static str,
    pub we_did: &'static str,
    pub measured_again: &'static str,
    pub public_not_yet: &'static str,
    pub results_link: &'static str,
    pub points: &'static str,
    pub statuses: [&'static str; 4],
    pub verdicts: [&'static str; 3],
}

pub const VI: ActionTexts = ActionTexts {
    page_title: "Kế hoạch hành động",
    intro: "Hành động cải thiện cho các tiêu chí dưới mục tiêu hoặc giảm có ý nghĩa so với đợt trước. Đợt khảo sát sau trên cùng bộ câu hỏi đo lại từng tiêu chí và kết luận hành động đã tạo chuyển biến hay chưa.",
    open_plan: "Kế hoạch hành động",
    plan_for_criterion: "Lập kế hoạch",
    weak_heading: "Tiêu chí cần cải thiện",
    weak_none: "Không có tiêu chí nào dưới mục tiêu hoặc giảm có ý nghĩa so với đợt trước.",
    below_target: "Dưới mục tiêu",
    col_reason: "Lý do",
    col_plan: "Kế hoạch",
    form_heading: "Thêm hành động",
    criterion_label: "Tiêu chí",
    choose: "— Chọn —",
    what_label: "Việc sẽ làm",
    owner_label: "Đơn vị chủ trì",
    due_label: "Thời hạn hoàn thành",
    effect_label: "Kết quả mong đợi (không bắt buộc)",
    effect_hint: "Ví dụ: chỉ số của tiêu chí đạt 80% ở đợt khảo sát sau.",
    plan_button: "Ghi hành động",
    planners_only: "Lãnh đạo ghi và công bố hành động; đơn vị chủ trì cập nhật tình hình thực hiện.",
    actions_heading: "Các hành động đã ghi",
    actions_none: "Chưa có hành động nào.",
    col_what: "Việc sẽ làm",
    col_owner: "Đơn vị chủ trì",
    col_due: "Thời hạn",
    col_status: "Trạng thái",
    col_before: "Chỉ số đợt này",
    col_after: "Chỉ số đợt sau",
    col_change: "Thay đổi (khoảng tin cậy 95%)",
    col_verdict: "Kết luận",
    not_measured: "Chưa đo lại",
    no_next_round: "Chưa có đợt khảo sát sau trên cùng bộ câu hỏi: kết luận sẽ có khi đợt sau có câu trả lời.",
    verdict_note: "Kết luận theo khoảng tin cậy Newcombe của chênh lệch tỷ lệ hài lòng giữa hai đợt: \"đã chuyển biến\" khi cả khoảng lớn hơn 0, \"giảm\" khi cả khoảng nhỏ hơn 0, còn lại \"chưa thấy chuyển biến\".",
    status_label: "Trạng thái",
    progress_label: "Tình hình thực hiện",
    update_button: "Cập nhật",
    publish_button: "Công bố hành động",
    unpublish_button: "Thôi công bố",
    published_badge: "Đã công bố",
    public_page_link: "Trang công khai \"Bạn nói — Chúng tôi làm — Đo lại\"",
    publish_results_first: "Hành động đã công bố hiện trên trang công khai sau khi kết quả đợt này được phê duyệt và công bố.",
    err_not_weak: "Chỉ lập kế hoạch cho tiêu chí dưới mục tiêu hoặc giảm có ý nghĩa so với đợt trước.",
    notice_planned: "Đã ghi hành động.",
    notice_updated: "Đã cập nhật tình hình thực hiện.",
    notice_published: "Đã công bố hành động.",
    notice_unpublished: "Đã thôi công bố hành động.",
    public_title: "Bạn nói — Chúng tôi làm — Đo lại",
    public_none: "Chưa có hành động nào được công bố cho đợt khảo sát này.",
    you_said: "Bạn nói",
    we_did: "Chúng tôi làm",
    measured_again: "Đo lại",
    public_not_yet: "Sẽ đo lại khi kết quả đợt khảo sát sau được công bố.",
    results_link: "Những việc chúng tôi làm sau khảo sát này",
    points: "điểm",
    statuses: [
        "Đã lên kế hoạch",
        "Đang thực hiện",
        "Đã hoàn thành",
        "Đã dừng",
    ],
    verdicts: ["Đã chuyển biến", "Chưa thấy chuyển biến", "Giảm"],
};

pub const EN: ActionTexts = ActionTexts {
    page_title: "Action plan",
    intro: "Improvement actions for the criteria below their target or significantly lower than in the previous round. The next round on the same questionnaire measures each criterion again and concludes whether the action made a difference.",
    open_plan: "Action plan",
    plan_for_criterion: "Plan an action",
    weak_heading: "Criteria to improve",
    weak_none: "No criterion is below its target or significantly lower than in the previous round.",
    below_target: "Below target",
    col_reason: "Why",
    col_plan: "Plan",
    form_heading: "Add an action",
    criterion_label: "Criterion",
    choose: "— Choose —",
    what_label: "What will be done",
    owner_label: "Owner department",
    due_label: "Due date",
    effect_label: "Expected effect (optional)",
    effect_hint: "For example: the criterion's index reaches 80% in the next round.",
    plan_button: "Record the action",
    planners_only: "Leaders record and publish actions; the owner department reports progress.",
    actions_heading: "Actions recorded",
    actions_none: "No action yet.",
    col_what: "What will be done",
    col_owner: "Owner department",
    col_due: "Due",
    col_status: "Status",
    col_before: "Index this round",
    col_after: "Index next round",
    col_change: "Change (95% interval)",
    col_verdict: "Verdict",
    not_measured: "Not measured again yet",
    no_next_round: "There is no later round on the same questionnaire yet: the verdict comes once the next round has answers.",
    verdict_note: "The verdict follows Newcombe's interval of the change in the share of satisfied answers between the two rounds: \"moved\" when the whole interval is above 0, \"fell\" when it is below 0, otherwise \"not shown to move\".",
    status_label: "Status",
    progress_label: "Progress",
    update_button: "Update",
    publish_button: "Publish the action",
    unpublish_button: "Unpublish",
    published_badge: "Published",
    public_page_link: "Public page \"You said — we did — measured again\"",
    publish_results_first: "Published actions appear on the public page once this round's results are approved and published.",
    err_not_weak: "Actions are planned only for a criterion below its target or significantly lower than in the previous round.",
    notice_planned: "The action is recorded.",
    notice_updated: "The progress is updated.",
    notice_published: "The action is published.",
    notice_unpublished: "The action is no longer published.",
    public_title: "You said — we did — measured again",
    public_none: "No action has been published for this survey round yet.",
    you_said: "You said",
    we_did: "We did",
    measured_again: "Measured again",
    public_not_yet: "Measured again once the next round's results are published.",
    results_link: "What we did after this survey",
    points: "points",
    statuses: ["Planned", "In progress", "Done", "Dropped"],
    verdicts: ["Moved", "Not shown to move", "Fell"],
};

impl Lang {
    pub fn action_texts(self) -> &'static ActionTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }

    pub fn action_status(self, value: ActionStatus) -> &'static str {
        self.action_texts().statuses[position(ActionStatus::ALL, &value)]
    }

    pub fn action_verdict(self, value: ActionVerdict) -> &'static str {
        self.action_texts().verdicts[position(ActionVerdict::ALL, &value)]
    }

    /// "Significantly down (−13.00 points)".
    pub fn significant_fall(self, points: f64) -> String {
        match self {
            Self::Vi => format!("Giảm có ý nghĩa ({} điểm)", self.decimal(points)),
            Self::En => format!("Significantly down ({} points)", self.decimal(points)),
        }
    }

    /// "Measured again in 2027 H1".
    pub fn measured_in(self, period: &str) -> String {
        match self {
            Self::Vi => format!("Đo lại ở đợt {period}"),
            Self::En => format!("Measured again in {period}"),
        }
    }

    /// "From the survey of 2026 H2, Ban Quản lý … committed to the actions below."
    pub fn actions_public_intro(self, agency: &str, period: &str) -> String {
        match self {
            Self::Vi => format!(
                "Từ kết quả khảo sát {period}, {agency} đã cam kết các hành động dưới đây. Mỗi tiêu chí được đo lại ở đợt khảo sát sau; kết luận dựa trên khoảng tin cậy 95% của mức thay đổi."
            ),
            Self::En => format!(
                "From the survey of {period}, {agency} committed to the actions below. Each criterion is measured again in the next round; the verdict rests on the 95% interval of the change."
            ),
        }
    }

    /// The wording of an action plan's notice code.
    pub fn action_notice(self, code: &str) -> Option<&'static str> {
        let t = self.action_texts();
        Some(match code {
            "action-planned" => t.notice_planned,
            "action-updated" => t.notice_updated,
            "action-published" => t.notice_published,
            "action-unpublished" => t.notice_unpublished,
            other => return self.quality_notice(other),
        })
    }
}
