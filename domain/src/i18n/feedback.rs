//! The wording of feedback handling and the hotline, in both languages.

use crate::feedback_rules::{
    Classification, DeadlineStep, FeedbackAction, FeedbackCategory, FeedbackChannel,
    FeedbackStatus, PublicStatus,
};

use super::Lang;

pub struct FeedbackTexts {
    pub nav_feedback: &'static str,
    pub nav_feedback_settings: &'static str,
    pub public_link: &'static str,

    pub page_title: &'static str,
    pub page_intro: &'static str,
    pub hotline_heading: &'static str,
    pub hotline_phone: &'static str,
    pub hotline_address: &'static str,
    pub hotline_email: &'static str,
    pub hotline_hours: &'static str,
    pub hotline_not_set: &'static str,
    pub hotline_only_number: &'static str,
    pub form_heading: &'static str,
    pub subject_label: &'static str,
    pub content_label: &'static str,
    pub content_hint: &'static str,
    pub category_label: &'static str,
    pub choose: &'static str,
    pub department_label: &'static str,
    pub procedure_label: &'static str,
    pub sender_heading: &'static str,
    pub sender_hint: &'static str,
    pub sender_name: &'static str,
    pub sender_address: &'static str,
    pub sender_phone: &'static str,
    pub sender_email: &'static str,
    pub consent_label: &'static str,
    pub send_button: &'static str,
    pub track_link: &'static str,
    pub answers_link: &'static str,

    pub track_title: &'static str,
    pub tracking_code: &'static str,
    pub tracking_code_hint: &'static str,
    pub track_button: &'static str,
    pub unknown_code: &'static str,
    pub sent_notice: &'static str,
    pub sent_no_reply_notice: &'static str,
    pub received_on: &'static str,
    pub status: &'static str,
    pub answer: &'static str,
    pub answered_on: &'static str,
    pub rate_heading: &'static str,
    pub rate_button: &'static str,
    pub rated_notice: &'static str,
    pub your_rating: &'static str,
    pub comment_recorded: &'static str,

    pub answers_title: &'static str,
    pub answers_intro: &'static str,
    pub no_answers: &'static str,
    pub question: &'static str,
    pub published_on: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub page_of: &'static str,

    pub list_title: &'static str,
    pub record_link: &'static str,
    pub filter_status: &'static str,
    pub filter_channel: &'static str,
    pub filter_overdue: &'static str,
    pub search_label: &'static str,
    pub col_code: &'static str,
    pub col_received: &'static str,
    pub col_title: &'static str,
    pub col_due: &'static str,
    pub overdue: &'static str,
    pub overdue_total: &'static str,
    pub items_total: &'static str,
    pub no_items: &'static str,
    pub not_eligible: &'static str,

    pub record_title: &'static str,
    pub channel_label: &'static str,
    pub received_at_label: &'static str,
    pub transcript_hint: &'static str,
    pub record_button: &'static str,
    pub recorded_notice: &'static str,

    pub item_title: &'static str,
    pub classification_label: &'static str,
    pub duplicate_of_label: &'static str,
    pub due_label: &'static str,
    pub answer_due_label: &'static str,
    pub eligible_label: &'static str,
    pub missing_label: &'static str,
    pub consent_given: &'static str,
    pub survey_receipt: &'static str,
    pub content_heading: &'static str,
    pub answer_heading: &'static str,
    pub public_summary_label: &'static str,
    pub public_summary_hint: &'static str,
    pub public_check_heading: &'static str,
    pub public_check_hint: &'static str,
    pub content_preview_label: &'static str,
    pub answer_preview_label: &'static str,
    pub confirm_public_label: &'static str,
    pub history_heading: &'static str,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_action: &'static str,
    pub col_change: &'static str,
    pub col_reason: &'static str,
    pub actions_heading: &'static str,
    pub reason_label: &'static str,
    pub reason_optional: &'static str,
    pub no_actions: &'static str,
    /// Beside the praise action: when to use it.
    pub praise_hint: &'static str,
    pub deadline_note: &'static str,
    pub action_done_notice: &'static str,
    pub handling_rating: &'static str,
    pub answered_at_label: &'static str,
    pub published_at_label: &'static str,
    pub closed_at_label: &'static str,
    pub sender_label: &'static str,
    pub rating_link_hint: &'static str,
    pub rating_link: &'static str,
    pub receipt_for_sender: &'static str,
    pub contact_hidden: &'static str,
    pub contact_logged: &'static str,
    pub reveal_contact: &'static str,
    pub action_record: &'static str,

    pub settings_title: &'static str,
    pub settings_hotline_intro: &'static str,
    pub deadlines_heading: &'static str,
    pub deadlines_intro: &'static str,
    pub default_days: &'static str,
    pub save_button: &'static str,
    pub holidays_heading: &'static str,
    pub holidays_intro: &'static str,
    pub holiday_day: &'static str,
    pub holiday_name: &'static str,
    pub add_holiday: &'static str,
    pub public_holidays_year: &'static str,
    pub add_public_holidays: &'static str,
    pub public_holidays_added_notice: &'static str,
    pub remove_holiday: &'static str,
    pub no_holidays: &'static str,
    pub settings_saved_notice: &'static str,
    pub holiday_added_notice: &'static str,
    pub holiday_removed_notice: &'static str,

    pub panel_heading: &'static str,
    pub panel_note: &'static str,
    pub panel_received: &'static str,
    pub panel_in_scope: &'static str,
    pub panel_negative: &'static str,
    pub panel_praise: &'static str,
    pub panel_on_time: &'static str,
    pub panel_overdue: &'static str,
    pub panel_satisfaction: &'static str,
    pub panel_ratings: &'static str,
    pub panel_mean: &'static str,
    pub panel_by_department: &'static str,
    pub panel_by_category: &'static str,
    pub col_answered: &'static str,
    pub not_assigned: &'static str,
    pub not_classified: &'static str,
    pub report_title: &'static str,
    pub report_total: &'static str,
    pub report_group: &'static str,
    pub report_published: &'static str,
    pub report_by_channel: &'static str,
    pub report_by_classification: &'static str,
    pub report_as_of: &'static str,
    pub report_show: &'static str,
    pub report_xlsx: &'static str,
    pub report_print: &'static str,
    pub report_link: &'static str,

    pub conflict_transition: &'static str,
    pub conflict_not_in_scope: &'static str,
    pub conflict_needs_answer: &'static str,
    pub conflict_moved: &'static str,
    pub conflict_not_answered: &'static str,
    pub conflict_already_rated: &'static str,

    pub statuses: [&'static str; 8],
    pub channels: [&'static str; 7],
    pub classifications: [&'static str; 5],
    pub categories: [&'static str; 7],
    pub actions: [&'static str; 9],
    pub action_buttons: [&'static str; 9],
    pub steps: [&'static str; 6],
    pub public_statuses: [&'static str; 4],
}

pub const VI: FeedbackTexts = FeedbackTexts {
    nav_feedback: "Phản ánh, kiến nghị",
    nav_feedback_settings: "Cài đặt phản ánh",
    public_link: "Phản ánh, kiến nghị",

    page_title: "Phản ánh, kiến nghị",
    page_intro: "Doanh nghiệp và người dân gửi phản ánh, kiến nghị về quy định hành chính và việc giải quyết thủ tục hành chính của Ban. Khiếu nại, tố cáo được ghi nhận và chuyển cơ quan có thẩm quyền theo quy định.",
    hotline_heading: "Đường dây nóng",
    hotline_phone: "Số điện thoại",
    hotline_address: "Địa chỉ",
    hotline_email: "Thư điện tử",
    hotline_hours: "Thời gian tiếp nhận",
    hotline_not_set: "Ban chưa công bố thông tin đường dây nóng.",
    hotline_only_number: "Chỉ số điện thoại trên là đường dây nóng chính thức của Ban.",
    form_heading: "Gửi phản ánh, kiến nghị trực tuyến",
    subject_label: "Tiêu đề (không bắt buộc)",
    content_label: "Nội dung phản ánh, kiến nghị",
    content_hint: "Trình bày rõ sự việc, thời gian, thủ tục hoặc bộ phận liên quan; viết bằng tiếng Việt.",
    category_label: "Lĩnh vực",
    choose: "— Chọn —",
    department_label: "Phòng, ban liên quan (nếu biết)",
    procedure_label: "Thủ tục hành chính liên quan",
    sender_heading: "Thông tin người gửi",
    sender_hint: "Ban cần họ tên, địa chỉ, số điện thoại và thư điện tử để trả lời. Thiếu thông tin, phản ánh vẫn được ghi nhận nhưng không đủ điều kiện để trả lời trực tiếp.",
    sender_name: "Họ và tên",
    sender_address: "Địa chỉ",
    sender_phone: "Số điện thoại",
    sender_email: "Thư điện tử",
    consent_label: "Tôi đồng ý để Ban công khai nội dung phản ánh và câu trả lời (đã lược bỏ thông tin cá nhân).",
    send_button: "Gửi phản ánh",
    track_link: "Tra cứu kết quả xử lý",
    answers_link: "Các câu trả lời đã công khai",

    track_title: "Tra cứu phản ánh, kiến nghị",
    tracking_code: "Mã tra cứu",
    tracking_code_hint: "Mã có dạng PA-XXXX-XXXX-XXXX, được cấp khi Ban tiếp nhận phản ánh.",
    track_button: "Tra cứu",
    unknown_code: "Không tìm thấy phản ánh có mã tra cứu này. Vui lòng kiểm tra lại.",
    sent_notice: "Ban đã tiếp nhận phản ánh, kiến nghị của bạn. Hãy ghi lại mã tra cứu dưới đây để theo dõi kết quả.",
    sent_no_reply_notice: "Ban đã tiếp nhận phản ánh, kiến nghị của bạn. Vì thiếu thông tin liên hệ, Ban không trả lời trực tiếp được; hãy dùng mã tra cứu dưới đây để xem câu trả lời khi được công khai.",
    received_on: "Ngày tiếp nhận",
    status: "Tình trạng",
    answer: "Câu trả lời",
    answered_on: "Ngày công khai câu trả lời",
    rate_heading: "Bạn có hài lòng với việc giải quyết phản ánh này không?",
    rate_button: "Gửi đánh giá",
    rated_notice: "Cảm ơn bạn đã đánh giá việc giải quyết phản ánh.",
    your_rating: "Đánh giá của bạn",
    comment_recorded: "Ý kiến góp ý của bạn được ghi nhận như một phản ánh, kiến nghị. Mã tra cứu kết quả xử lý:",

    answers_title: "Trả lời phản ánh, kiến nghị đã công khai",
    answers_intro: "Chỉ công khai khi người gửi đồng ý; thông tin cá nhân đã được lược bỏ.",
    no_answers: "Chưa có câu trả lời nào được công khai.",
    question: "Nội dung phản ánh",
    published_on: "Ngày công khai",
    previous_page: "Trang trước",
    next_page: "Trang sau",
    page_of: "Trang",

    list_title: "Phản ánh, kiến nghị",
    record_link: "Ghi nhận phản ánh mới",
    filter_status: "Tình trạng",
    filter_channel: "Kênh tiếp nhận",
    filter_overdue: "Chỉ hiện phản ánh quá hạn",
    search_label: "Tìm theo mã, nội dung, người gửi",
    col_code: "Mã tra cứu",
    col_received: "Tiếp nhận",
    col_title: "Nội dung",
    col_due: "Hạn bước hiện tại",
    overdue: "Quá hạn",
    overdue_total: "Đang quá hạn",
    items_total: "Số phản ánh",
    no_items: "Không có phản ánh nào khớp bộ lọc.",
    not_eligible: "Không đủ điều kiện trả lời trực tiếp",

    record_title: "Ghi nhận phản ánh, kiến nghị",
    channel_label: "Kênh tiếp nhận",
    received_at_label: "Thời điểm tiếp nhận",
    transcript_hint: "Cuộc gọi đường dây nóng: ghi lại trung thực, đầy đủ nội dung người gọi trình bày.",
    record_button: "Ghi nhận",
    recorded_notice: "Đã ghi nhận phản ánh và cấp mã tra cứu.",

    item_title: "Phản ánh",
    classification_label: "Phân loại",
    duplicate_of_label: "Trùng với phản ánh có mã",
    due_label: "Hạn bước hiện tại",
    answer_due_label: "Hạn trả lời",
    eligible_label: "Đủ điều kiện trả lời trực tiếp",
    missing_label: "Còn thiếu",
    consent_given: "Đồng ý công khai",
    survey_receipt: "Từ phiếu khảo sát có mã",
    content_heading: "Nội dung",
    answer_heading: "Câu trả lời",
    public_summary_label: "Nội dung phản ánh sẽ công khai",
    public_summary_hint: "Đã tự động lược bỏ thông tin cá nhân; kiểm tra và sửa lại nếu cần.",
    public_check_heading: "Kiểm tra trước khi công khai",
    public_check_hint: "Phần tô sáng là thông tin cá nhân sẽ được ẩn (thay bằng […]) trên trang công khai. Nếu còn sót, hãy sửa nội dung công khai ở trên.",
    content_preview_label: "Nội dung phản ánh",
    answer_preview_label: "Câu trả lời",
    confirm_public_label: "Tôi đã đọc nội dung sẽ công khai và các phần được ẩn.",
    history_heading: "Lịch sử xử lý",
    col_when: "Thời điểm",
    col_who: "Người thực hiện",
    col_action: "Thao tác",
    col_change: "Tình trạng",
    col_reason: "Lý do, ghi chú",
    actions_heading: "Xử lý",
    reason_label: "Lý do",
    reason_optional: "Ghi chú (không bắt buộc)",
    no_actions: "Bạn không có thao tác nào với phản ánh này ở tình trạng hiện tại.",
    praise_hint: "Chỉ dùng khi ý kiến chỉ khen ngợi, không có đề nghị hay phê bình nào: phản ánh được kết thúc ngay, không tính thời hạn và được đếm riêng là lời khen.",
    deadline_note: "Thời hạn tính theo ngày làm việc, không kể thứ Bảy, Chủ nhật và ngày nghỉ lễ. Số ngày của từng bước là cài đặt do quản trị viên thay đổi.",
    action_done_notice: "Đã cập nhật phản ánh.",
    handling_rating: "Người gửi đánh giá việc giải quyết",
    answered_at_label: "Trả lời lúc",
    published_at_label: "Công khai lúc",
    closed_at_label: "Kết thúc lúc",
    sender_label: "Người gửi",
    rating_link_hint: "Đường dẫn này là riêng của bạn: giữ lại để đánh giá việc xử lý khi có câu trả lời. Người khác chỉ có mã tra cứu thì không đánh giá được.",
    rating_link: "Đường dẫn đánh giá riêng",
    receipt_for_sender: "Giao cho người phản ánh: mã tra cứu và đường dẫn đánh giá riêng của họ (trang phản ánh không hiện lại đường dẫn này).",
    contact_hidden: "Thông tin liên hệ của người gửi được ẩn: chỉ cán bộ xử lý phản ánh của đơn vị được xem.",
    contact_logged: "Mỗi lần xem thông tin liên hệ đều được ghi vào nhật ký hệ thống.",
    reveal_contact: "Xem thông tin liên hệ (được ghi nhật ký)",
    action_record: "Tiếp nhận",

    settings_title: "Cài đặt phản ánh, kiến nghị",
    settings_hotline_intro: "Thông tin đường dây nóng hiển thị trên trang công khai. Chỉ số điện thoại công bố ở đây được tính là kênh đường dây nóng.",
    deadlines_heading: "Thời hạn từng bước (ngày làm việc)",
    deadlines_intro: "Giá trị mặc định theo thực tiễn tiếp nhận, xử lý phản ánh; Ban điều chỉnh theo quy chế của mình.",
    default_days: "mặc định",
    save_button: "Lưu",
    holidays_heading: "Ngày nghỉ lễ",
    holidays_intro: "Các ngày này không tính vào thời hạn. Nút dưới đây thêm các ngày nghỉ lễ của một năm theo Bộ luật Lao động (Tết Dương lịch, 5 ngày Tết Nguyên đán tính theo âm lịch Việt Nam, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh và ngày liền kề) cùng ngày nghỉ bù; ngày hoán đổi do Chính phủ công bố hằng năm cần được nhập thêm.",
    holiday_day: "Ngày",
    holiday_name: "Tên ngày nghỉ",
    add_holiday: "Thêm ngày nghỉ",
    public_holidays_year: "Năm",
    add_public_holidays: "Thêm ngày nghỉ lễ của năm",
    public_holidays_added_notice: "Đã thêm các ngày nghỉ lễ của năm vào lịch.",
    remove_holiday: "Xóa",
    no_holidays: "Chưa có ngày nghỉ nào.",
    settings_saved_notice: "Đã lưu cài đặt.",
    holiday_added_notice: "Đã thêm ngày nghỉ.",
    holiday_removed_notice: "Đã xóa ngày nghỉ.",

    panel_heading: "Phản ánh, kiến nghị trong kỳ",
    panel_note: "Phản ánh tiếp nhận trong nửa năm của đợt khảo sát. Bộ lọc phòng, ban áp dụng cho phần này; các bộ lọc khác chỉ áp dụng cho phiếu khảo sát.",
    panel_received: "Đã tiếp nhận",
    panel_in_scope: "Thuộc phạm vi xử lý",
    panel_negative: "Phản ánh, kiến nghị cần xử lý",
    panel_praise: "Lời khen",
    panel_on_time: "Trả lời đúng hạn",
    panel_overdue: "Đang quá hạn",
    panel_satisfaction: "Hài lòng với việc giải quyết",
    panel_ratings: "Số đánh giá",
    panel_mean: "Điểm trung bình (1–5)",
    panel_by_department: "Phản ánh theo phòng, ban",
    panel_by_category: "Phản ánh theo lĩnh vực",
    col_answered: "Đã trả lời",
    not_assigned: "Chưa giao",
    not_classified: "Chưa phân loại",
    report_title: "Báo cáo 6 tháng về tiếp nhận, xử lý phản ánh, kiến nghị",
    report_total: "Tổng số",
    report_group: "Nhóm",
    report_published: "Đã công khai",
    report_by_channel: "Theo kênh tiếp nhận",
    report_by_classification: "Theo kết quả phân loại",
    report_as_of: "Số liệu quá hạn tính đến ngày",
    report_show: "Xem báo cáo",
    report_xlsx: "Tải báo cáo (XLSX)",
    report_print: "In báo cáo",
    report_link: "Báo cáo 6 tháng",

    conflict_transition: "Không thực hiện được thao tác này ở tình trạng hiện tại của phản ánh.",
    conflict_not_in_scope: "Chỉ phản ánh thuộc phạm vi xử lý mới được giao xử lý.",
    conflict_needs_answer: "Phản ánh thuộc phạm vi xử lý phải được trả lời trước khi kết thúc.",
    conflict_moved: "Phản ánh vừa được người khác cập nhật; vui lòng tải lại trang.",
    conflict_not_answered: "Chỉ đánh giá được sau khi câu trả lời được công khai.",
    conflict_already_rated: "Phản ánh này đã được đánh giá.",

    statuses: [
        "Mới tiếp nhận",
        "Đã phân loại",
        "Đã giao xử lý",
        "Đang xử lý",
        "Đã có dự thảo trả lời",
        "Đã duyệt",
        "Đã công khai trả lời",
        "Đã kết thúc",
    ],
    channels: [
        "Đường dây nóng",
        "Văn bản, thư",
        "Thư điện tử",
        "Trang thông tin điện tử",
        "Trực tiếp",
        "Ý kiến trong phiếu khảo sát",
        "Ý kiến khi đánh giá hồ sơ",
    ],
    classifications: [
        "Thuộc phạm vi xử lý",
        "Khiếu nại, tố cáo (chuyển cơ quan có thẩm quyền)",
        "Không thuộc phạm vi",
        "Trùng phản ánh khác",
        "Khen ngợi, không có yêu cầu",
    ],
    categories: [
        "Thủ tục hành chính",
        "Quy định, chính sách",
        "Thái độ, trách nhiệm của cán bộ",
        "Hạ tầng khu kinh tế, khu công nghiệp",
        "Môi trường",
        "Lao động",
        "Khác",
    ],
    actions: [
        "Phân loại",
        "Giao xử lý",
        "Bắt đầu xử lý",
        "Trả lời",
        "Duyệt trả lời",
        "Trả lại để xử lý lại",
        "Công khai trả lời",
        "Kết thúc",
        "Ghi nhận là lời khen",
    ],
    action_buttons: [
        "Lưu phân loại",
        "Giao xử lý",
        "Bắt đầu xử lý",
        "Lưu câu trả lời",
        "Duyệt câu trả lời",
        "Trả lại để xử lý lại",
        "Công khai câu trả lời",
        "Kết thúc phản ánh",
        "Ghi nhận lời khen và kết thúc",
    ],
    steps: [
        "Phân loại (từ khi tiếp nhận)",
        "Giao xử lý (từ khi phân loại)",
        "Trả lời (từ khi giao)",
        "Duyệt (từ khi có câu trả lời)",
        "Xử lý lại (từ khi bị trả lại)",
        "Công khai (từ khi duyệt)",
    ],
    public_statuses: [
        "Đã tiếp nhận",
        "Đang xử lý",
        "Đã có câu trả lời",
        "Không thuộc phạm vi xử lý của Ban",
    ],
};

pub const EN: FeedbackTexts = FeedbackTexts {
    nav_feedback: "Feedback",
    nav_feedback_settings: "Feedback settings",
    public_link: "Feedback and proposals",

    page_title: "Feedback and proposals",
    page_intro: "Businesses and citizens send feedback and proposals on administrative regulations and on how the board handles administrative procedures. Complaints and denunciations are recorded and passed to the competent authority as the law requires.",
    hotline_heading: "Hotline",
    hotline_phone: "Phone",
    hotline_address: "Address",
    hotline_email: "Email",
    hotline_hours: "Hours",
    hotline_not_set: "The board has not published its hotline yet.",
    hotline_only_number: "Only the number above is the board's official hotline.",
    form_heading: "Send feedback online",
    subject_label: "Subject (optional)",
    content_label: "Your feedback or proposal",
    content_hint: "Say clearly what happened, when, and which procedure or office it concerns.",
    category_label: "Area",
    choose: "— Choose —",
    department_label: "Department concerned (if known)",
    procedure_label: "Administrative procedure concerned",
    sender_heading: "About you",
    sender_hint: "The board needs your name, address, phone and email to answer you. Without them your feedback is still recorded, but it cannot be answered directly.",
    sender_name: "Full name",
    sender_address: "Address",
    sender_phone: "Phone",
    sender_email: "Email",
    consent_label: "I agree that the board publishes my feedback and its answer (with personal data removed).",
    send_button: "Send feedback",
    track_link: "Track your feedback",
    answers_link: "Published answers",

    track_title: "Track your feedback",
    tracking_code: "Tracking code",
    tracking_code_hint: "The code looks like PA-XXXX-XXXX-XXXX and was given when the board received your feedback.",
    track_button: "Look up",
    unknown_code: "No feedback has this tracking code. Please check it.",
    sent_notice: "The board has received your feedback. Keep the tracking code below to follow it.",
    sent_no_reply_notice: "The board has received your feedback. Without contact details it cannot answer you directly; use the tracking code below to read the answer once it is published.",
    received_on: "Received on",
    status: "Status",
    answer: "Answer",
    answered_on: "Answer published on",
    rate_heading: "Are you satisfied with how this feedback was handled?",
    rate_button: "Send rating",
    rated_notice: "Thank you for rating the handling of your feedback.",
    your_rating: "Your rating",
    comment_recorded: "Your comment is recorded as feedback to the board. Its tracking code:",

    answers_title: "Published answers to feedback",
    answers_intro: "Published only where the sender agreed; personal data has been removed.",
    no_answers: "No answer has been published yet.",
    question: "Feedback",
    published_on: "Published on",
    previous_page: "Previous page",
    next_page: "Next page",
    page_of: "Page",

    list_title: "Feedback",
    record_link: "Record new feedback",
    filter_status: "Status",
    filter_channel: "Channel",
    filter_overdue: "Only overdue items",
    search_label: "Search code, text, sender",
    col_code: "Tracking code",
    col_received: "Received",
    col_title: "Content",
    col_due: "Current step due",
    overdue: "Overdue",
    overdue_total: "Overdue now",
    items_total: "Items",
    no_items: "No feedback matches the filters.",
    not_eligible: "Not eligible for a direct reply",

    record_title: "Record feedback",
    channel_label: "Channel",
    received_at_label: "Received at",
    transcript_hint: "Hotline calls: write down faithfully and in full what the caller said.",
    record_button: "Record",
    recorded_notice: "The feedback is recorded and has a tracking code.",

    item_title: "Feedback",
    classification_label: "Classification",
    duplicate_of_label: "Duplicate of tracking code",
    due_label: "Current step due",
    answer_due_label: "Answer due",
    eligible_label: "Eligible for a direct reply",
    missing_label: "Missing",
    consent_given: "Agreed to publication",
    survey_receipt: "From the survey response",
    content_heading: "Content",
    answer_heading: "Answer",
    public_summary_label: "Feedback as it will be published",
    public_summary_hint: "Personal data has been removed automatically; check and edit it if needed.",
    public_check_heading: "Check before publishing",
    public_check_hint: "Highlighted parts are personal data the public page hides (shown as […]). If anything is left, edit the public wording above.",
    content_preview_label: "Feedback text",
    answer_preview_label: "Answer",
    confirm_public_label: "I have read the public wording and the hidden parts.",
    history_heading: "History",
    col_when: "When",
    col_who: "Who",
    col_action: "Action",
    col_change: "Status",
    col_reason: "Reason, note",
    actions_heading: "Handling",
    reason_label: "Reason",
    reason_optional: "Note (optional)",
    no_actions: "You have nothing to do on this item in its current status.",
    praise_hint: "Only when the item praises and asks or criticises nothing: it is closed at once, with no deadline, and counted apart as praise.",
    deadline_note: "Deadlines count working days, skipping Saturdays, Sundays and holidays. The days of each step are settings that admins change.",
    action_done_notice: "The item is updated.",
    handling_rating: "Sender's rating of the handling",
    answered_at_label: "Answered at",
    published_at_label: "Published at",
    closed_at_label: "Closed at",
    sender_label: "Sender",
    rating_link_hint: "This link is yours alone: keep it to rate the handling once there is an answer. The tracking code alone cannot rate.",
    rating_link: "Your private rating link",
    receipt_for_sender: "For the sender: the tracking code and their private rating link (the item's page does not show the link again).",
    contact_hidden: "The sender's contact is hidden: only the officers handling the item's department see it.",
    contact_logged: "Every reading of a contact is recorded in the audit log.",
    reveal_contact: "Show the contact (recorded in the audit log)",
    action_record: "Received",

    settings_title: "Feedback settings",
    settings_hotline_intro: "The hotline details shown on the public page. Only the number published here counts as the hotline channel.",
    deadlines_heading: "Deadline of each step (working days)",
    deadlines_intro: "Defaults follow common practice in handling feedback; the board adjusts them to its own rules.",
    default_days: "default",
    save_button: "Save",
    holidays_heading: "Holidays",
    holidays_intro: "These days do not count towards deadlines. The button below adds a year's public holidays under the Labour Code (New Year's Day, the five days of Tết from Vietnam's lunar calendar, the Hùng Kings' day, 30 April, 1 May, National Day and its adjacent day) with their substitute days; the swaps the government announces each year must be added too.",
    holiday_day: "Day",
    holiday_name: "Name",
    add_holiday: "Add holiday",
    public_holidays_year: "Year",
    add_public_holidays: "Add the year's public holidays",
    public_holidays_added_notice: "The year's public holidays are in the calendar.",
    remove_holiday: "Remove",
    no_holidays: "No holidays yet.",
    settings_saved_notice: "Settings saved.",
    holiday_added_notice: "Holiday added.",
    holiday_removed_notice: "Holiday removed.",

    panel_heading: "Feedback in the period",
    panel_note: "Feedback received in the round's half-year. The department filter applies here; the other filters apply to survey responses only.",
    panel_received: "Received",
    panel_in_scope: "In scope",
    panel_negative: "Criticism and requests to handle",
    panel_praise: "Praise",
    panel_on_time: "Answered on time",
    panel_overdue: "Overdue now",
    panel_satisfaction: "Satisfied with the handling",
    panel_ratings: "Ratings",
    panel_mean: "Mean rating (1–5)",
    panel_by_department: "Feedback by department",
    panel_by_category: "Feedback by area",
    col_answered: "Answered",
    not_assigned: "Not assigned",
    not_classified: "Not classified",
    report_title: "Six-monthly report on feedback received and handled",
    report_total: "Total",
    report_group: "Group",
    report_published: "Published",
    report_by_channel: "By channel",
    report_by_classification: "By classification",
    report_as_of: "Overdue items counted as of",
    report_show: "Show the report",
    report_xlsx: "Download the report (XLSX)",
    report_print: "Print the report",
    report_link: "Six-monthly report",

    conflict_transition: "This action cannot be taken in the item's current status.",
    conflict_not_in_scope: "Only items classified in scope are assigned for handling.",
    conflict_needs_answer: "An item in scope is answered before it is closed.",
    conflict_moved: "Someone else has just updated this item; please reload the page.",
    conflict_not_answered: "The handling can be rated once the answer is published.",
    conflict_already_rated: "This item has been rated already.",

    statuses: [
        "Received",
        "Classified",
        "Assigned",
        "In progress",
        "Answer drafted",
        "Approved",
        "Answer published",
        "Closed",
    ],
    channels: [
        "Hotline",
        "Letter",
        "Email",
        "Website",
        "In person",
        "Survey comment",
        "Dossier rating comment",
    ],
    classifications: [
        "In scope",
        "Complaint or denunciation (routed out)",
        "Out of scope",
        "Duplicate of another item",
        "Praise only, nothing asked",
    ],
    categories: [
        "Administrative procedures",
        "Regulations and policies",
        "Conduct of officials",
        "Zone infrastructure",
        "Environment",
        "Labour",
        "Other",
    ],
    actions: [
        "Classify",
        "Assign",
        "Start handling",
        "Answer",
        "Approve the answer",
        "Return for rework",
        "Publish the answer",
        "Close",
        "Mark as praise",
    ],
    action_buttons: [
        "Save classification",
        "Assign",
        "Start handling",
        "Save the answer",
        "Approve the answer",
        "Return for rework",
        "Publish the answer",
        "Close the item",
        "Mark as praise and close",
    ],
    steps: [
        "Classify (from receipt)",
        "Assign (from classification)",
        "Answer (from assignment)",
        "Review (from the answer)",
        "Rework (from a return)",
        "Publish (from approval)",
    ],
    public_statuses: [
        "Received",
        "Being handled",
        "Answered",
        "Not handled by the board",
    ],
};

/// The position of `value` in `all`, for the label arrays above.
pub(super) fn position<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}

impl Lang {
    pub fn feedback_texts(self) -> &'static FeedbackTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }

    pub fn feedback_status(self, value: FeedbackStatus) -> &'static str {
        self.feedback_texts().statuses[position(FeedbackStatus::ALL, &value)]
    }

    pub fn feedback_channel(self, value: FeedbackChannel) -> &'static str {
        self.feedback_texts().channels[position(FeedbackChannel::ALL, &value)]
    }

    pub fn classification(self, value: Classification) -> &'static str {
        self.feedback_texts().classifications[position(Classification::ALL, &value)]
    }

    pub fn feedback_category(self, value: FeedbackCategory) -> &'static str {
        self.feedback_texts().categories[position(FeedbackCategory::ALL, &value)]
    }

    pub fn feedback_action(self, value: FeedbackAction) -> &'static str {
        self.feedback_texts().actions[position(FeedbackAction::ALL, &value)]
    }

    pub fn feedback_action_button(self, value: FeedbackAction) -> &'static str {
        self.feedback_texts().action_buttons[position(FeedbackAction::ALL, &value)]
    }

    pub fn deadline_step(self, value: DeadlineStep) -> &'static str {
        self.feedback_texts().steps[position(DeadlineStep::ALL, &value)]
    }

    pub fn public_status(self, value: PublicStatus) -> &'static str {
        let index = match value {
            PublicStatus::Received => 0,
            PublicStatus::InProgress => 1,
            PublicStatus::Answered => 2,
            PublicStatus::NotHandledHere => 3,
        };
        self.feedback_texts().public_statuses[index]
    }

    /// The wording of a history event's action code ("record" or an action).
    pub fn feedback_event(self, code: &str) -> &'static str {
        FeedbackAction::parse(code)
            .map(|a| self.feedback_action(a))
            .unwrap_or(self.feedback_texts().action_record)
    }

    /// The wording of a feedback conflict code, for forms.
    pub fn feedback_conflict(self, code: crate::model::Conflict) -> Option<&'static str> {
        use crate::model::Conflict;
        let t = self.feedback_texts();
        Some(match code {
            Conflict::FeedbackTransition => t.conflict_transition,
            Conflict::FeedbackNotInScope => t.conflict_not_in_scope,
            Conflict::FeedbackNeedsAnswer => t.conflict_needs_answer,
            Conflict::FeedbackMoved => t.conflict_moved,
            Conflict::FeedbackNotAnswered => t.conflict_not_answered,
            Conflict::FeedbackAlreadyRated => t.conflict_already_rated,
            _ => return None,
        })
    }

    pub fn feedback_notice(self, code: &str) -> Option<&'static str> {
        let t = self.feedback_texts();
        Some(match code {
            "feedback-sent" => t.sent_notice,
            "feedback-sent-no-reply" => t.sent_no_reply_notice,
            "feedback-rated" => t.rated_notice,
            "feedback-recorded" => t.recorded_notice,
            "feedback-updated" => t.action_done_notice,
            "feedback-settings-saved" => t.settings_saved_notice,
            "holiday-added" => t.holiday_added_notice,
            "holiday-removed" => t.holiday_removed_notice,
            "swaps-confirmed" => self.texts().notice_swaps_confirmed,
            "holidays-imported" => self.texts().notice_holidays_imported,
            "public-holidays-added" => t.public_holidays_added_notice,
            other => return self.action_notice(other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_label_in_both_languages() {
        for lang in [Lang::Vi, Lang::En] {
            let labels: Vec<&str> = FeedbackStatus::ALL
                .iter()
                .map(|s| lang.feedback_status(*s))
                .collect();
            assert_eq!(
                labels.len(),
                labels
                    .iter()
                    .collect::<std::collections::BTreeSet<_>>()
                    .len()
            );
            assert_eq!(
                lang.feedback_texts().channels.len(),
                FeedbackChannel::ALL.len()
            );
            assert_eq!(
                lang.feedback_texts().classifications.len(),
                Classification::ALL.len()
            );
            assert_eq!(
                lang.feedback_texts().categories.len(),
                FeedbackCategory::ALL.len()
            );
            assert_eq!(
                lang.feedback_texts().actions.len(),
                FeedbackAction::ALL.len()
            );
            assert_eq!(lang.feedback_texts().steps.len(), DeadlineStep::ALL.len());
        }
        assert_eq!(
            Lang::Vi.feedback_status(FeedbackStatus::Closed),
            "Đã kết thúc"
        );
        assert_eq!(
            Lang::En.feedback_channel(FeedbackChannel::Survey),
            "Survey comment"
        );
    }
}
