//! The words the survey form's island shows: its buttons and progress, and
//! the message for each kind of refusal. Kept apart from [`Texts`](super::Texts)
//! so that the browser's bundle carries these few sentences and not the whole
//! interface; pages use them too wherever they speak of the same things.

use super::Lang;

pub struct IslandTexts {
    pub required_note: &'static str,
    pub progress_label: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub save_for_later: &'static str,
    pub error_summary: &'static str,
    pub round_closed: &'static str,
    pub round_not_open: &'static str,
    pub signed_out: &'static str,
    pub form_expired: &'static str,
    pub cross_site: &'static str,
    pub forbidden_body: &'static str,
    pub too_large: &'static str,
    pub unavailable: &'static str,
    pub load_error: &'static str,
    pub err_network: &'static str,
    pub not_found_body: &'static str,
}

static VI: IslandTexts = IslandTexts {
    required_note: "Các câu có dấu * là bắt buộc.",
    progress_label: "Tiến độ trả lời",
    submit: "Gửi phiếu khảo sát",
    submitting: "Đang gửi…",
    save_for_later: "Lưu để làm tiếp sau",
    error_summary: "Phiếu chưa gửi được. Vui lòng kiểm tra các câu sau:",
    round_closed: "Đợt khảo sát này đã kết thúc, không nhận thêm phiếu.",
    round_not_open: "Đợt khảo sát này chưa mở nhận phiếu.",
    signed_out: "Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.",
    form_expired: "Trang đã để quá lâu nên phiếu chưa được gửi. Các câu trả lời vẫn còn trên trang: vui lòng bấm gửi lại.",
    cross_site: "Yêu cầu gửi từ trang khác bị từ chối.",
    forbidden_body: "Vai trò của bạn không được xem trang này.",
    too_large: "Nội dung gửi lên quá lớn.",
    unavailable: "Hệ thống đang tạm gián đoạn nên phiếu chưa được ghi nhận. Vui lòng thử lại sau ít phút.",
    load_error: "Không tải được dữ liệu. Vui lòng thử lại sau.",
    err_network: "Chưa gửi được phiếu. Vui lòng kiểm tra kết nối rồi bấm gửi lại; phiếu sẽ không bị ghi trùng.",
    not_found_body: "Đường dẫn không đúng hoặc đợt khảo sát không tồn tại.",
};

static EN: IslandTexts = IslandTexts {
    required_note: "Questions marked * are required.",
    progress_label: "Progress",
    submit: "Submit the survey",
    submitting: "Submitting…",
    save_for_later: "Save and continue later",
    error_summary: "The survey was not submitted yet. Please check these questions:",
    round_closed: "This survey round has ended and takes no more responses.",
    round_not_open: "This survey round is not open yet.",
    signed_out: "Your session has ended. Please sign in again.",
    form_expired: "This page was open for a long time, so the form was not sent. Your answers are still here: please submit again.",
    cross_site: "Requests from other sites are refused.",
    forbidden_body: "Your role does not allow this page.",
    too_large: "What was sent is too large.",
    unavailable: "The service is briefly unavailable, so nothing was recorded. Please try again in a few minutes.",
    load_error: "The data could not be loaded. Please try again later.",
    err_network: "The survey could not be sent. Please check your connection and submit again; it will not be recorded twice.",
    not_found_body: "The address is wrong or the survey round does not exist.",
};

impl Lang {
    /// The words of the survey form's island (see the module's documentation).
    pub fn island_texts(self) -> &'static IslandTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }
}
