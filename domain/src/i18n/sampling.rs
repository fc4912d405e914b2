//! The wording of a round's sample drawn from dossiers, on its invitations
//! page, in both languages.

use super::Lang;

pub struct SamplingTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub caption: &'static str,
    pub col_department: &'static str,
    pub col_completed: &'static str,
    pub col_target: &'static str,
    pub col_reachable: &'static str,
    pub col_to_draw: &'static str,
    pub col_drawn: &'static str,
    pub without_contact: &'static str,
    pub recently_asked: &'static str,
    pub draw_button: &'static str,
    pub drawn_notice: &'static str,
    pub already_drawn: &'static str,
    pub counted_before_draw: &'static str,
    pub nothing_to_draw: &'static str,
}

pub const VI: SamplingTexts = SamplingTexts {
    heading: "Chọn mẫu từ hồ sơ đã giải quyết",
    intro: "Mẫu khảo sát được chọn ngẫu nhiên trong các hồ sơ đã giải quyết của 6 tháng, theo từng đơn vị; cỡ mẫu mỗi đơn vị tính theo công thức Yamane (sai số 5%). Không mời người đã đánh giá hồ sơ hoặc đã được mời khảo sát trong 90 ngày qua; mỗi người chỉ được mời một lần. Chỉ chọn được mẫu một lần cho mỗi đợt.",
    caption: "Cỡ mẫu theo đơn vị",
    col_department: "Đơn vị",
    col_completed: "Hồ sơ đã giải quyết",
    col_target: "Cỡ mẫu",
    col_reachable: "Người có thể mời",
    col_to_draw: "Sẽ chọn",
    col_drawn: "Đã chọn",
    without_contact: "Hồ sơ không còn thông tin liên hệ (không có hoặc đã xoá theo thời hạn lưu giữ):",
    recently_asked: "Người đã đánh giá hoặc được mời trong 90 ngày qua:",
    draw_button: "Chọn mẫu và tạo lời mời",
    drawn_notice: "Đã chọn mẫu và tạo lời mời cho các hồ sơ được chọn.",
    already_drawn: "Mẫu của đợt này đã được chọn.",
    counted_before_draw: "Số người có thể mời chỉ được tính trước khi chọn mẫu.",
    nothing_to_draw: "Chưa có hồ sơ nào đã giải quyết trong 6 tháng của đợt.",
};

pub const EN: SamplingTexts = SamplingTexts {
    heading: "Sample from completed dossiers",
    intro: "The survey sample is drawn at random among the dossiers completed in the half-year, department by department; each department's size follows Yamane's formula (5% margin). People who rated a dossier or were invited to a survey in the last 90 days are left out, and each person is invited once. A round's sample is drawn once.",
    caption: "Sample size by department",
    col_department: "Department",
    col_completed: "Dossiers completed",
    col_target: "Sample size",
    col_reachable: "People who may be invited",
    col_to_draw: "To draw",
    col_drawn: "Drawn",
    without_contact: "Dossiers whose contact is not held (none given, or erased when its period ended):",
    recently_asked: "People who rated or were invited in the last 90 days:",
    draw_button: "Draw the sample and create the invitations",
    drawn_notice: "The sample is drawn and its invitations are created.",
    already_drawn: "This round's sample was drawn already.",
    counted_before_draw: "Who may be invited is counted before the draw only.",
    nothing_to_draw: "No dossier was completed in the round's half-year yet.",
};

impl Lang {
    pub fn sampling_texts(self) -> &'static SamplingTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }
}
