//! The wording of the admins' webhooks page, in both languages.

use super::Lang;
use super::feedback::position;
use crate::model::WebhookEvent;

pub struct WebhookTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub signing: &'static str,
    pub name_label: &'static str,
    pub url_label: &'static str,
    pub url_hint: &'static str,
    pub events_label: &'static str,
    pub create_button: &'static str,
    pub created: &'static str,
    pub secret_shown_once: &'static str,
    pub revoke_button: &'static str,
    pub revoked_notice: &'static str,
    pub caption: &'static str,
    pub col_address: &'static str,
    pub col_events: &'static str,
    pub col_created: &'static str,
    pub col_deliveries: &'static str,
    pub col_status: &'static str,
    pub active: &'static str,
    pub revoked: &'static str,
    pub delivered: &'static str,
    pub waiting: &'static str,
    pub given_up: &'static str,
    pub none_yet: &'static str,
    pub err_not_a_web_address: &'static str,
    pub test_button: &'static str,
    pub test_delivered: &'static str,
    pub test_failed: &'static str,
    /// In the order of `WebhookEvent::ALL`.
    pub events: [&'static str; 4],
}

pub const VI: WebhookTexts = WebhookTexts {
    title: "Webhook",
    intro: "Báo cho hệ thống khác (phần mềm một cửa, cổng dịch vụ công, hệ thống theo dõi của tỉnh) mỗi khi có sự kiện: mỗi sự kiện được gửi tới địa chỉ đã đăng ký bằng một yêu cầu POST dạng JSON, gửi lại khi địa chỉ tạm thời không nhận được. Nội dung không có thông tin cá nhân; sự kiện đánh giá hồ sơ không kèm mức đánh giá.",
    signing: "Mỗi yêu cầu có các tiêu đề X-HaiLong-Event, X-HaiLong-Delivery, X-HaiLong-Timestamp và X-HaiLong-Signature = sha256=HMAC-SHA256(khoá bí mật, thời điểm + \".\" + nội dung). Hệ thống nhận kiểm tra chữ ký và bỏ qua mã gửi (Delivery) đã nhận.",
    name_label: "Tên",
    url_label: "Địa chỉ nhận (https://…)",
    url_hint: "Ví dụ: https://motcua.example.gov.vn/hailong/webhook",
    events_label: "Sự kiện cần báo",
    create_button: "Thêm webhook",
    created: "Đã thêm webhook.",
    secret_shown_once: "Khoá bí mật để kiểm tra chữ ký. Khoá chỉ hiển thị một lần: hãy sao chép ngay vào hệ thống nhận.",
    revoke_button: "Ngừng gửi",
    revoked_notice: "Đã ngừng webhook; các sự kiện đang chờ gửi tới địa chỉ này được huỷ.",
    caption: "Các webhook",
    col_address: "Địa chỉ",
    col_events: "Sự kiện",
    col_created: "Thêm lúc",
    col_deliveries: "Lượt gửi",
    col_status: "Tình trạng",
    active: "Đang gửi",
    revoked: "Đã ngừng",
    delivered: "đã gửi",
    waiting: "đang chờ",
    given_up: "gửi không được",
    none_yet: "Chưa có webhook nào.",
    err_not_a_web_address: "Địa chỉ phải là một địa chỉ web đầy đủ, bắt đầu bằng https:// (hoặc http://).",
    test_button: "Gửi thử",
    test_delivered: "Địa chỉ đã nhận sự kiện thử (webhook.test).",
    test_failed: "Gửi thử không được:",
    events: [
        "Phản ánh, kiến nghị được ghi nhận",
        "Trả lời phản ánh được công khai",
        "Kết quả đợt khảo sát được công bố",
        "Hồ sơ được đánh giá",
    ],
};

pub const EN: WebhookTexts = WebhookTexts {
    title: "Webhooks",
    intro: "Tell other systems (the one-stop software, the public-service portal, the province's monitoring) of each event as it happens: every event is POSTed as JSON to the registered address and sent again while the address cannot take it. Nothing personal is sent; a dossier's rating event does not carry the rating.",
    signing: "Each request carries X-HaiLong-Event, X-HaiLong-Delivery, X-HaiLong-Timestamp and X-HaiLong-Signature = sha256=HMAC-SHA256(secret, timestamp + \".\" + body). The receiver checks the signature and ignores a delivery id it has already seen.",
    name_label: "Name",
    url_label: "Address (https://…)",
    url_hint: "For example https://onestop.example.gov.vn/hailong/webhook",
    events_label: "Events to send",
    create_button: "Add the webhook",
    created: "The webhook is added.",
    secret_shown_once: "The secret to check signatures with. It is shown only this once: copy it into the receiving system now.",
    revoke_button: "Stop",
    revoked_notice: "The webhook is stopped; events waiting for it are withdrawn.",
    caption: "Webhooks",
    col_address: "Address",
    col_events: "Events",
    col_created: "Added",
    col_deliveries: "Deliveries",
    col_status: "Status",
    active: "Active",
    revoked: "Stopped",
    delivered: "delivered",
    waiting: "waiting",
    given_up: "given up",
    none_yet: "No webhook yet.",
    err_not_a_web_address: "The address must be a full web address starting with https:// (or http://).",
    test_button: "Send a test",
    test_delivered: "The address took the test event (webhook.test).",
    test_failed: "The test could not be delivered:",
    events: [
        "Feedback recorded",
        "Feedback answer published",
        "Round results published",
        "Dossier rated",
    ],
};

impl Lang {
    pub fn webhook_texts(self) -> &'static WebhookTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }

    pub fn webhook_event(self, event: WebhookEvent) -> &'static str {
        self.webhook_texts().events[position(WebhookEvent::ALL, &event)]
    }
}
