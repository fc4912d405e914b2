//! The wording of the printed report in the evidence pack (PDF), in both
//! languages; its tables reuse the dashboard's column names.

use super::Lang;

pub struct EvidenceTexts {
    pub report_heading: &'static str,
    pub summary_heading: &'static str,
    pub elements_heading: &'static str,
    pub criteria_heading: &'static str,
    pub perceptions_heading: &'static str,
    pub links_heading: &'static str,
    pub drivers_snapshot_note: &'static str,
    pub figures_note: &'static str,
}

const VI: EvidenceTexts = EvidenceTexts {
    report_heading: "BÁO CÁO KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG",
    summary_heading: "Tóm tắt kết quả",
    elements_heading: "Chỉ số theo yếu tố",
    criteria_heading: "Chỉ số theo tiêu chí",
    perceptions_heading: "Cảm nhận tiêu cực và nội dung cần cải thiện",
    links_heading: "Đường dẫn công khai",
    drivers_snapshot_note: "Phân tích yếu tố tác động được tính từ các phiếu của đợt tại thời điểm lập hồ sơ này; phân tích đứng bên cạnh, không thay đổi số liệu đã phê duyệt.",
    figures_note: "Mọi số liệu trong báo cáo là số liệu đã phê duyệt và công bố. Chỉ số tiêu chí là tỷ lệ trả lời mức 4–5 trên số trả lời hợp lệ; chỉ số yếu tố là trung bình cộng các chỉ số tiêu chí của yếu tố; chỉ số hài lòng chung là trung bình cộng các chỉ số yếu tố.",
};

const EN: EvidenceTexts = EvidenceTexts {
    report_heading: "SATISFACTION SURVEY REPORT",
    summary_heading: "Summary",
    elements_heading: "Index by element",
    criteria_heading: "Index by criterion",
    perceptions_heading: "Negative experiences and areas to improve",
    links_heading: "Public links",
    drivers_snapshot_note: "The driver analysis is computed from the round's responses when this pack was made; it stands beside the approved figures and does not change them.",
    figures_note: "Every figure in this report is the approved, published one. A criterion's index is the share of valid answers at level 4–5; an element's index is the mean of its criteria's indices; the overall index is the mean of the element indices.",
};

impl Lang {
    pub fn evidence_texts(self) -> &'static EvidenceTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }

    /// The report's summary sentence on the responses counted.
    pub fn evidence_counts(self, counted: u64, excluded: u64) -> String {
        match self {
            Self::Vi => format!(
                "Số phiếu được tính: {}; số phiếu đã loại khỏi số liệu: {}.",
                self.count(counted),
                self.count(excluded)
            ),
            Self::En => format!(
                "Responses counted: {}; responses left out of the figures: {}.",
                self.count(counted),
                self.count(excluded)
            ),
        }
    }

    /// "Phê duyệt: …, lúc …; công thức …".
    pub fn evidence_approval(self, approver: &str, at: &str, formula: &str) -> String {
        match self {
            Self::Vi => format!("Phê duyệt: {approver}, lúc {at}. Công thức tính: {formula}."),
            Self::En => format!("Approved by {approver} at {at}. Formula: {formula}."),
        }
    }

    /// The footer of each page.
    pub fn evidence_page(self, page: usize, pages: usize) -> String {
        match self {
            Self::Vi => format!("Trang {page}/{pages}"),
            Self::En => format!("Page {page} of {pages}"),
        }
    }
}
