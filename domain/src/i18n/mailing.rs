//! The wording of invitations by e-mail on staff pages and of the public
//! page that stops survey mail, in both languages.

use super::Lang;
use super::feedback::position;
use crate::model::{MessageKind, MessageStatus};

pub struct MailingTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub send_button: &'static str,
    pub mail_lang_label: &'static str,
    pub nothing_to_send: &'static str,
    pub queued_notice: &'static str,
    pub progress_caption: &'static str,
    pub col_stage: &'static str,
    pub col_count: &'static str,
    /// In the order of [`progress_counts`].
    pub stages: [&'static str; 10],
    pub refresh: &'static str,
    pub reminders_label: &'static str,
    pub reminders_hint: &'static str,
    pub reminders_button: &'static str,
    pub reminders_saved: &'static str,
    pub unsubscribe_title: &'static str,
    pub unsubscribe_explain: &'static str,
    pub unsubscribe_button: &'static str,
    pub unsubscribed: &'static str,
    pub unsubscribe_unknown: &'static str,
    pub survey_still_open: &'static str,
    pub outbox_title: &'static str,
    pub outbox_intro: &'static str,
    pub no_mail_server: &'static str,
    pub no_public_address: &'static str,
    pub no_sms_gateway: &'static str,
    pub all_clear: &'static str,
    pub counts_caption: &'static str,
    pub waiting_caption: &'static str,
    pub col_kind: &'static str,
    pub col_status: &'static str,
    pub col_attempts: &'static str,
    pub col_created: &'static str,
    pub col_next_attempt: &'static str,
    pub col_last_error: &'static str,
    pub col_do: &'static str,
    pub resend: &'static str,
    pub cancel: &'static str,
    pub nothing_waiting: &'static str,
    pub truncated: &'static str,
    pub message_resent: &'static str,
    pub message_cancelled: &'static str,
    /// In the order of `MessageKind::ALL`.
    pub kinds: [&'static str; 5],
    /// In the order of `MessageStatus::ALL`.
    pub statuses: [&'static str; 4],
}

/// The counts of a progress, in the order of [`MailingTexts::stages`].
pub fn progress_counts(p: &crate::model::InvitationProgress) -> [u64; 10] {
    [
        p.invitations,
        p.reachable,
        p.to_send,
        p.queued,
        p.sent,
        p.failed,
        p.opened,
        p.answered,
        p.reminded,
        p.unsubscribed,
    ]
}

pub const VI: MailingTexts = MailingTexts {
    heading: "Gửi thư mời qua e-mail",
    intro: "Mỗi người được mời có địa chỉ e-mail nhận một thư kèm đường dẫn riêng; người chỉ để lại số điện thoại nhận tin nhắn. Người đã trả lời, đã xin ngừng nhận thư hoặc đã được gửi thư mời sẽ không được gửi lại.",
    send_button: "Gửi thư mời",
    mail_lang_label: "Ngôn ngữ của thư",
    nothing_to_send: "Không còn ai cần gửi thư mời.",
    queued_notice: "Đã xếp hàng gửi thư mời:",
    progress_caption: "Tình hình gửi thư mời",
    col_stage: "Hạng mục",
    col_count: "Số người",
    stages: [
        "Người được mời",
        "Có e-mail nhận được thư",
        "Chưa gửi thư mời",
        "Thư đang chờ gửi",
        "Thư đã gửi",
        "Thư gửi không được",
        "Đã mở đường dẫn riêng",
        "Đã trả lời",
        "Thư nhắc đã gửi",
        "Xin ngừng nhận thư",
    ],
    refresh: "Cập nhật số liệu",
    reminders_label: "Nhắc người chưa trả lời sau (số ngày)",
    reminders_hint: "Ví dụ: 7, 14 — nhắc 7 và 14 ngày sau khi thư mời được gửi. Để trống nếu không nhắc. Tối đa 5 lần, mỗi lần từ 1 đến 90 ngày.",
    reminders_button: "Lưu lịch nhắc",
    reminders_saved: "Đã lưu lịch nhắc.",
    unsubscribe_title: "Ngừng nhận thư khảo sát",
    unsubscribe_explain: "Ông/Bà sẽ không nhận thêm thư mời hay thư nhắc khảo sát nào gửi tới địa chỉ e-mail đã nhận thư này.",
    unsubscribe_button: "Ngừng nhận thư khảo sát",
    unsubscribed: "Đã ghi nhận. Chúng tôi sẽ không gửi thêm thư khảo sát tới địa chỉ này.",
    unsubscribe_unknown: "Đường dẫn không đúng hoặc đã hết hiệu lực.",
    survey_still_open: "Ông/Bà vẫn có thể trả lời khảo sát theo đường dẫn riêng trong thư.",
    outbox_title: "Hộp thư đi",
    outbox_intro: "Mọi thư gửi tới doanh nghiệp, người dân và cán bộ đều qua đây: thư chờ gửi, thư đã gửi và thư gửi không được. Không hiển thị người nhận và nội dung thư.",
    no_mail_server: "Chưa cấu hình máy chủ thư (HAILONG_SMTP_URL và HAILONG_MAIL_FROM): thư được giữ lại trong hộp thư đi, chưa gửi đi.",
    no_public_address: "Chưa có địa chỉ công khai của trang (HAILONG_PUBLIC_URL hoặc địa chỉ trong hồ sơ cơ quan): thư có đường dẫn nên chưa gửi được.",
    no_sms_gateway: "Chưa cấu hình cổng SMS (HAILONG_SMS_WEBHOOK_URL): tin nhắn SMS được giữ lại, chưa gửi đi.",
    all_clear: "Máy chủ thư đã sẵn sàng; thư được gửi vài giây sau khi vào hàng đợi.",
    counts_caption: "Số thư theo loại và tình trạng",
    waiting_caption: "Thư đang chờ và thư gửi không được",
    col_kind: "Loại thư",
    col_status: "Tình trạng",
    col_attempts: "Số lần thử",
    col_created: "Tạo lúc",
    col_next_attempt: "Thử lại lúc",
    col_last_error: "Lỗi gần nhất",
    col_do: "Thao tác",
    resend: "Gửi lại",
    cancel: "Huỷ thư",
    nothing_waiting: "Không có thư nào đang chờ hay gửi không được.",
    truncated: "Chỉ hiển thị 200 thư đầu tiên.",
    message_resent: "Đã đưa thư vào hàng đợi gửi lại.",
    message_cancelled: "Đã huỷ thư.",
    kinds: [
        "Xác nhận đã nhận phản ánh",
        "Thư mời khảo sát",
        "Thư nhắc khảo sát",
        "Báo đã có trả lời phản ánh",
        "Mời đánh giá hồ sơ đã giải quyết",
    ],
    statuses: ["Đang chờ gửi", "Đã gửi", "Gửi không được", "Đã huỷ"],
};

pub const EN: MailingTexts = MailingTexts {
    heading: "Invitations by e-mail",
    intro: "Each invitee with an e-mail address receives one message with their personal link; one who left only a phone receives a text message. Those who answered, asked for no more mail or were already sent an invitation are not sent another.",
    send_button: "Send invitations",
    mail_lang_label: "Language of the message",
    nothing_to_send: "Nobody is left to invite.",
    queued_notice: "Invitations queued:",
    progress_caption: "Where the invitations stand",
    col_stage: "Stage",
    col_count: "People",
    stages: [
        "Invitees",
        "With an e-mail address that may be written to",
        "Invitation not sent yet",
        "Waiting to be sent",
        "Sent",
        "Could not be sent",
        "Followed their personal link",
        "Answered",
        "Reminders sent",
        "Asked for no more mail",
    ],
    refresh: "Refresh the figures",
    reminders_label: "Remind those who have not answered after (days)",
    reminders_hint: "For example 7, 14: reminders 7 and 14 days after the invitation was sent. Leave empty for none. At most 5, each from 1 to 90 days.",
    reminders_button: "Save the reminders",
    reminders_saved: "Reminders saved.",
    unsubscribe_title: "Stop survey e-mails",
    unsubscribe_explain: "You will receive no more survey invitations or reminders at the address this message came to.",
    unsubscribe_button: "Stop survey e-mails",
    unsubscribed: "Done. We will send no more survey e-mails to this address.",
    unsubscribe_unknown: "This link is not valid or no longer works.",
    survey_still_open: "You can still answer the survey through the personal link in the message.",
    outbox_title: "Outbox",
    outbox_intro: "Every message to businesses, citizens and staff goes through here: waiting, sent and given up. Recipients and contents are not shown.",
    no_mail_server: "No mail server is set (HAILONG_SMTP_URL and HAILONG_MAIL_FROM): messages are kept in the outbox and not sent.",
    no_public_address: "The site's public address is not set (HAILONG_PUBLIC_URL or the address in the agency's profile): messages carry links, so they wait.",
    no_sms_gateway: "No SMS gateway is set (HAILONG_SMS_WEBHOOK_URL): text messages are kept and not sent.",
    all_clear: "The mail server is ready; messages go out a few seconds after they are queued.",
    counts_caption: "Messages by kind and status",
    waiting_caption: "Messages waiting or given up",
    col_kind: "Kind",
    col_status: "Status",
    col_attempts: "Attempts",
    col_created: "Created",
    col_next_attempt: "Next attempt",
    col_last_error: "Last error",
    col_do: "Action",
    resend: "Send again",
    cancel: "Cancel",
    nothing_waiting: "No message is waiting or given up.",
    truncated: "Only the first 200 messages are listed.",
    message_resent: "The message is queued again.",
    message_cancelled: "The message is cancelled.",
    kinds: [
        "Feedback acknowledgement",
        "Survey invitation",
        "Survey reminder",
        "Feedback answered",
        "Dossier rating link",
    ],
    statuses: ["Waiting", "Sent", "Given up", "Cancelled"],
};

impl Lang {
    pub fn mailing_texts(self) -> &'static MailingTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }

    pub fn message_kind(self, kind: MessageKind) -> &'static str {
        self.mailing_texts().kinds[position(MessageKind::ALL, &kind)]
    }

    pub fn message_status(self, status: MessageStatus) -> &'static str {
        self.mailing_texts().statuses[position(MessageStatus::ALL, &status)]
    }
}
