//! The wording of the data-quality review, in both languages.

use crate::model::{FlagKind, FlagStatus};

use super::Lang;
use super::feedback::position;

pub struct QualityTexts {
    pub page_title: &'static str,
    pub intro: &'static str,
    pub review_link: &'static str,
    pub tally_caption: &'static str,
    pub col_kind: &'static str,
    pub col_open: &'static str,
    pub col_confirmed: &'static str,
    pub col_dismissed: &'static str,
    pub col_select: &'static str,
    pub col_bulk: &'static str,
    pub col_receipt: &'static str,
    pub col_detail: &'static str,
    pub col_submitted: &'static str,
    pub col_department: &'static str,
    pub showing_label: &'static str,
    pub show_button: &'static str,
    pub none: &'static str,
    pub confirm_selected: &'static str,
    pub dismiss_selected: &'static str,
    pub confirm_all: &'static str,
    pub dismiss_all: &'static str,
    pub no_median: &'static str,
    pub list_limit: &'static str,
    pub notice_confirmed: &'static str,
    pub notice_dismissed: &'static str,
    pub err_nothing_chosen: &'static str,
    pub rules_heading: &'static str,
    pub rules_hint: &'static str,
    pub rule_labels: [&'static str; 4],
    pub save_rules: &'static str,
    pub kinds: [&'static str; 3],
    pub statuses: [&'static str; 3],
}

pub const VI: QualityTexts = QualityTexts {
    page_title: "Chất lượng dữ liệu",
    intro: "Phiếu bị gắn cờ khi hoàn thành nhanh hơn một phần ba thời gian trung vị của đợt (chỉ phiếu trực tuyến, tính từ lúc máy chủ gửi biểu mẫu), khi chọn cùng một mức cho mọi câu trả lời hợp lệ (từ 10 tiêu chí trở lên), hoặc khi có hơn 5 phiếu từ cùng một mạng trong 10 phút (chỉ lưu mã băm của mạng, không lưu địa chỉ). Phiếu bị gắn cờ vẫn được tính cho đến khi có người xác nhận; khi xác nhận, phiếu được loại khỏi mọi số liệu với lý do là cờ đó.",
    review_link: "Xem xét chất lượng dữ liệu",
    tally_caption: "Cờ theo loại",
    col_kind: "Loại cờ",
    col_open: "Chờ xem xét",
    col_confirmed: "Đã xác nhận (đã loại)",
    col_dismissed: "Đã bỏ qua",
    col_select: "Chọn",
    col_bulk: "Xử lý cả loại",
    col_receipt: "Mã phiếu",
    col_detail: "Chi tiết",
    col_submitted: "Thời điểm gửi",
    col_department: "Đơn vị",
    showing_label: "Trạng thái",
    show_button: "Xem",
    none: "Không có cờ nào ở trạng thái này.",
    confirm_selected: "Xác nhận các cờ đã chọn (loại phiếu)",
    dismiss_selected: "Bỏ qua các cờ đã chọn",
    confirm_all: "Xác nhận tất cả",
    dismiss_all: "Bỏ qua tất cả",
    no_median: "Chưa đủ 10 phiếu trực tuyến có thời gian hoàn thành để tính trung vị.",
    list_limit: "Danh sách hiện tối đa 500 cờ mới nhất; xử lý xong sẽ hiện tiếp.",
    notice_confirmed: "Đã xác nhận cờ; các phiếu đã được loại khỏi số liệu.",
    notice_dismissed: "Đã bỏ qua cờ; các phiếu vẫn được tính.",
    err_nothing_chosen: "Chưa chọn cờ nào: đánh dấu ít nhất một dòng.",
    rules_heading: "Quy tắc gắn cờ chất lượng dữ liệu",
    rules_hint: "Mặc định: nhanh hơn trung vị chia 3; cùng một mức trên ít nhất 10 câu; hơn 5 phiếu từ một mạng trong 10 phút. Thay đổi áp dụng cho các phiếu gửi sau đó và cho lần quét tiếp theo.",
    rule_labels: [
        "Phiếu nhanh hơn thời gian trung vị chia cho",
        "Số câu trả lời hợp lệ tối thiểu để xét chọn một mức",
        "Số phiếu từ cùng một mạng được phép (nhiều hơn là gắn cờ)",
        "Trong khoảng thời gian (phút)",
    ],
    save_rules: "Lưu quy tắc",
    kinds: [
        "Hoàn thành quá nhanh",
        "Chọn một mức cho mọi câu",
        "Nhiều phiếu từ cùng một mạng",
    ],
    statuses: ["Chờ xem xét", "Đã xác nhận (đã loại)", "Đã bỏ qua"],
};

pub const EN: QualityTexts = QualityTexts {
    page_title: "Data quality",
    intro: "A response is flagged when it was completed in under a third of the round's median time (web responses only, timed from when the server sent the form), when every valid answer has the same level (over at least 10 criteria), or when more than 5 responses came from one network within 10 minutes (only a hash of the network is kept, never the address). A flagged response is still counted until someone confirms the flag; once confirmed, it leaves every figure with the flag as its reason.",
    review_link: "Review data quality",
    tally_caption: "Flags by kind",
    col_kind: "Flag",
    col_open: "Waiting",
    col_confirmed: "Confirmed (excluded)",
    col_dismissed: "Dismissed",
    col_select: "Select",
    col_bulk: "The whole kind",
    col_receipt: "Receipt code",
    col_detail: "Detail",
    col_submitted: "Submitted",
    col_department: "Department",
    showing_label: "Status",
    show_button: "Show",
    none: "No flag has this status.",
    confirm_selected: "Confirm the selected flags (exclude)",
    dismiss_selected: "Dismiss the selected flags",
    confirm_all: "Confirm all",
    dismiss_all: "Dismiss all",
    no_median: "Fewer than 10 timed web responses: no median yet.",
    list_limit: "The list shows the newest 500 flags at most; more appear as these are decided.",
    notice_confirmed: "The flags are confirmed; the responses left the figures.",
    notice_dismissed: "The flags are dismissed; the responses are still counted.",
    err_nothing_chosen: "No flag is selected: tick at least one row.",
    rules_heading: "Data-quality flag rules",
    rules_hint: "Defaults: faster than the median divided by 3; one level over at least 10 answers; more than 5 responses from one network within 10 minutes. Changes apply to responses sent afterwards and to the next scan.",
    rule_labels: [
        "Faster than the median completion time divided by",
        "Valid answers needed before one level counts as straight-lining",
        "Responses allowed from one network (more are flagged)",
        "Within (minutes)",
    ],
    save_rules: "Save the rules",
    kinds: [
        "Completed too fast",
        "One level for every answer",
        "Many responses from one network",
    ],
    statuses: ["Waiting", "Confirmed (excluded)", "Dismissed"],
};

impl Lang {
    pub fn quality_texts(self) -> &'static QualityTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }

    pub fn flag_kind(self, value: FlagKind) -> &'static str {
        self.quality_texts().kinds[position(FlagKind::ALL, &value)]
    }

    pub fn flag_status(self, value: FlagStatus) -> &'static str {
        self.quality_texts().statuses[position(FlagStatus::ALL, &value)]
    }

    /// "Median completion time: 8 min 0 s".
    pub fn median_time(self, seconds: i64) -> String {
        let (minutes, rest) = (seconds / 60, seconds % 60);
        match self {
            Self::Vi => format!("Thời gian hoàn thành trung vị: {minutes} phút {rest} giây"),
            Self::En => format!("Median completion time: {minutes} min {rest} s"),
        }
    }

    /// The wording of a data-quality notice code.
    pub fn quality_notice(self, code: &str) -> Option<&'static str> {
        let t = self.quality_texts();
        Some(match code {
            "flags-confirmed" => t.notice_confirmed,
            "flags-dismissed" => t.notice_dismissed,
            _ => return None,
        })
    }
}
