//! The built-in wording of every message people receive, as templates
//! (subject, e-mail body, text message) in Vietnamese and English. An
//! admin's saved version replaces one; these stay the starting point and
//! what "open the built-in wording" brings back.

use crate::i18n::Lang;
use crate::model::{MessageKind, MessageTemplate};

/// The built-in template of `kind` in `lang`; none for webhook events,
/// which are sent as stored.
pub fn builtin(kind: MessageKind, lang: Lang) -> Option<MessageTemplate> {
    let (subject, body, sms) = match (kind, lang) {
        (MessageKind::FeedbackAcknowledgement, Lang::Vi) => (
            "Đã nhận phản ánh, kiến nghị của Ông/Bà — mã tra cứu {{ tracking_code }}",
            "Chúng tôi đã nhận phản ánh, kiến nghị của Ông/Bà ngày {{ received_on }}.
Mã tra cứu: {{ tracking_code }}
Dự kiến trả lời trước ngày {{ expected_answer_on }}.

Theo dõi tình trạng xử lý tại:
{{ tracking_link }}",
            "Đã nhận phản ánh của Ông/Bà. Mã tra cứu {{ tracking_code }}, dự kiến trả lời trước {{ expected_answer_on }}. Theo dõi: {{ tracking_link }}",
        ),
        (MessageKind::FeedbackAcknowledgement, Lang::En) => (
            "Your feedback has been received — tracking code {{ tracking_code }}",
            "We received your feedback on {{ received_on }}.
Tracking code: {{ tracking_code }}
An answer is expected by {{ expected_answer_on }}.

Follow its handling at:
{{ tracking_link }}",
            "Your feedback was received. Tracking code {{ tracking_code }}, answer expected by {{ expected_answer_on }}. Follow it: {{ tracking_link }}",
        ),
        (MessageKind::FeedbackAnswer, Lang::Vi) => (
            "Đã có trả lời phản ánh, kiến nghị mã {{ tracking_code }}",
            "Ngày {{ published_on }}, cơ quan đã công bố trả lời phản ánh, kiến nghị của Ông/Bà (mã tra cứu {{ tracking_code }}).

Xem câu trả lời:
{{ answer_link }}

Ông/Bà hài lòng với việc giải quyết đến mức nào? Đánh giá một lần theo đường dẫn riêng dưới đây (xin không chia sẻ cho người khác):
{{ rating_link }}",
            "Đã có trả lời phản ánh mã {{ tracking_code }}. Xem và đánh giá việc giải quyết (một lần): {{ rating_link }}",
        ),
        (MessageKind::FeedbackAnswer, Lang::En) => (
            "Your feedback {{ tracking_code }} has been answered",
            "On {{ published_on }} the agency published its answer to your feedback (tracking code {{ tracking_code }}).

Read the answer:
{{ answer_link }}

How satisfied are you with the handling? Rate it once through your private link below (please do not share it):
{{ rating_link }}",
            "Your feedback {{ tracking_code }} has been answered. Read it and rate the handling (once): {{ rating_link }}",
        ),
        (MessageKind::DossierRatingLink, Lang::Vi) => (
            "Mời Ông/Bà đánh giá việc giải quyết hồ sơ",
            "Ngày {{ completed_on }}, {{ agency }} đã giải quyết xong hồ sơ \"{{ procedure }}\" của Ông/Bà.

Ông/Bà hài lòng với việc giải quyết đến mức nào? Chỉ mất vài giây; đánh giá được giữ kín. Đường dẫn riêng dưới đây dùng được một lần, đến hết ngày {{ open_until }} (xin không chia sẻ cho người khác):
{{ rating_link }}",
            "{{ agency }} đã giải quyết xong hồ sơ của Ông/Bà. Mời đánh giá (một lần, đến {{ open_until }}): {{ rating_link }}",
        ),
        (MessageKind::DossierRatingLink, Lang::En) => (
            "Please rate how your dossier was handled",
            "On {{ completed_on }}, {{ agency }} completed your dossier \"{{ procedure }}\".

How satisfied are you with the handling? It takes a few seconds and your rating is confidential. The private link below works once, until {{ open_until }} (please do not share it):
{{ rating_link }}",
            "{{ agency }} has completed your dossier. Please rate it (once, until {{ open_until }}): {{ rating_link }}",
        ),
        (MessageKind::SurveyInvitation, Lang::Vi) => (
            "Mời Quý doanh nghiệp, Ông/Bà tham gia khảo sát — {{ round_title }}",
            INVITATION_VI,
            "{{ agency }} mời Quý vị tham gia khảo sát \"{{ round_title }}\": {{ survey_link }}",
        ),
        (MessageKind::SurveyInvitation, Lang::En) => (
            "You are invited to take part in a survey — {{ round_title }}",
            INVITATION_EN,
            "{{ agency }} invites you to the survey \"{{ round_title }}\": {{ survey_link }}",
        ),
        (MessageKind::SurveyReminder, Lang::Vi) => (
            "Nhắc lại: mời Quý doanh nghiệp, Ông/Bà tham gia khảo sát — {{ round_title }}",
            REMINDER_VI,
            "Nhắc lại: {{ agency }} mời Quý vị tham gia khảo sát \"{{ round_title }}\": {{ survey_link }}",
        ),
        (MessageKind::SurveyReminder, Lang::En) => (
            "Reminder: you are invited to take part in a survey — {{ round_title }}",
            REMINDER_EN,
            "Reminder: {{ agency }} invites you to the survey \"{{ round_title }}\": {{ survey_link }}",
        ),
        (MessageKind::WorkAssigned, Lang::Vi) => (
            "Phản ánh {{ tracking_code }} được giao cho {{ department }}",
            "Phản ánh, kiến nghị {{ tracking_code }} vừa được giao cho {{ department }}. Hạn trả lời: {{ due_on }}.

Mở phản ánh (cần đăng nhập):
{{ item_link }}",
            "Phản ánh, kiến nghị {{ tracking_code }} vừa được giao cho {{ department }}. Hạn trả lời: {{ due_on }}. {{ item_link }}",
        ),
        (MessageKind::WorkAssigned, Lang::En) => (
            "Feedback {{ tracking_code }} assigned to {{ department }}",
            "Feedback {{ tracking_code }} has been assigned to {{ department }}. Answer due: {{ due_on }}.

Open the item (sign-in needed):
{{ item_link }}",
            "Feedback {{ tracking_code }} has been assigned to {{ department }}. Answer due: {{ due_on }}. {{ item_link }}",
        ),
        (MessageKind::WorkDueSoon, Lang::Vi) => (
            "Phản ánh {{ tracking_code }} đến hạn ngày {{ due_on }}",
            "Bước xử lý hiện tại của phản ánh {{ tracking_code }} ({{ department }}) đến hạn vào ngày làm việc tới, {{ due_on }}.

Mở phản ánh (cần đăng nhập):
{{ item_link }}",
            "Bước xử lý hiện tại của phản ánh {{ tracking_code }} ({{ department }}) đến hạn vào ngày làm việc tới, {{ due_on }}. {{ item_link }}",
        ),
        (MessageKind::WorkDueSoon, Lang::En) => (
            "Feedback {{ tracking_code }} is due on {{ due_on }}",
            "The current step of feedback {{ tracking_code }} ({{ department }}) is due on the next working day, {{ due_on }}.

Open the item (sign-in needed):
{{ item_link }}",
            "The current step of feedback {{ tracking_code }} ({{ department }}) is due on the next working day, {{ due_on }}. {{ item_link }}",
        ),
        (MessageKind::WorkOverdue, Lang::Vi) => (
            "Phản ánh {{ tracking_code }} đã quá hạn ({{ due_on }})",
            "Bước xử lý hiện tại của phản ánh {{ tracking_code }} ({{ department }}) đã quá hạn từ ngày {{ due_on }}.

Mở phản ánh (cần đăng nhập):
{{ item_link }}",
            "Bước xử lý hiện tại của phản ánh {{ tracking_code }} ({{ department }}) đã quá hạn từ ngày {{ due_on }}. {{ item_link }}",
        ),
        (MessageKind::WorkOverdue, Lang::En) => (
            "Feedback {{ tracking_code }} is overdue ({{ due_on }})",
            "The current step of feedback {{ tracking_code }} ({{ department }}) was due on {{ due_on }}.

Open the item (sign-in needed):
{{ item_link }}",
            "The current step of feedback {{ tracking_code }} ({{ department }}) was due on {{ due_on }}. {{ item_link }}",
        ),
        (MessageKind::LeadersDigest, Lang::Vi) => (
            "{{ agency }}: tổng hợp tuần {{ week }}",
            DIGEST_VI,
            "Tuần {{ week }}: {{ open }} phản ánh đang xử lý, {{ overdue }} quá hạn. {{ items_link }}",
        ),
        (MessageKind::LeadersDigest, Lang::En) => (
            "{{ agency }}: weekly digest {{ week }}",
            DIGEST_EN,
            "Week {{ week }}: {{ open }} feedback items open, {{ overdue }} overdue. {{ items_link }}",
        ),
        (
            MessageKind::FeedbackRecordedEvent
            | MessageKind::FeedbackAnsweredEvent
            | MessageKind::RoundPublishedEvent
            | MessageKind::DossierRatedEvent,
            _,
        ) => return None,
    };
    Some(MessageTemplate {
        subject: subject.to_owned(),
        body: body.to_owned(),
        sms: sms.to_owned(),
    })
}

const INVITATION_VI: &str = "{{ agency }} trân trọng mời Quý doanh nghiệp, Ông/Bà đánh giá mức độ hài lòng trong cuộc khảo sát \"{{ round_title }}\". Ý kiến của Quý vị được giữ kín và chỉ dùng để cải thiện dịch vụ.

{{ survey_link }}

Mã mời (dùng một lần): {{ code }}
{% if closes_on %}
Khảo sát nhận ý kiến đến hết ngày {{ closes_on }}.
{% endif %}

Không muốn nhận thư khảo sát nữa:
{{ unsubscribe_link }}";

const INVITATION_EN: &str = "{{ agency }} invites you to rate its services in the survey \"{{ round_title }}\". Your answers are kept confidential and used only to improve the service.

{{ survey_link }}

Invitation code (one use): {{ code }}
{% if closes_on %}
The survey takes answers until {{ closes_on }}.
{% endif %}

To receive no more survey e-mails:
{{ unsubscribe_link }}";

const REMINDER_VI: &str = "{{ agency }} chưa nhận được ý kiến của Quý doanh nghiệp, Ông/Bà cho cuộc khảo sát \"{{ round_title }}\". Xin dành vài phút trả lời theo đường dẫn riêng dưới đây.

{{ survey_link }}

Mã mời (dùng một lần): {{ code }}
{% if closes_on %}
Khảo sát nhận ý kiến đến hết ngày {{ closes_on }}.
{% endif %}

Không muốn nhận thư khảo sát nữa:
{{ unsubscribe_link }}";

const REMINDER_EN: &str = "{{ agency }} has not yet received your answers to the survey \"{{ round_title }}\". Please take a few minutes to answer through your personal link below.

{{ survey_link }}

Invitation code (one use): {{ code }}
{% if closes_on %}
The survey takes answers until {{ closes_on }}.
{% endif %}

To receive no more survey e-mails:
{{ unsubscribe_link }}";

const DIGEST_VI: &str = "Khảo sát đang mở
{% for round in rounds %}
- {{ round.title }}: {{ round.responses }} phiếu, chỉ số đến nay {{ round.index }} — {{ round.link }}
{% else %}
Không có đợt khảo sát nào đang mở.
{% endfor %}

Phản ánh, kiến nghị
Đang xử lý: {{ open }}; quá hạn: {{ overdue }}.
{% for department in departments %}
- {{ department.name }}: {{ department.open }} đang xử lý, {{ department.overdue }} quá hạn
{% endfor %}

{{ items_link }}";

const DIGEST_EN: &str = "Open surveys
{% for round in rounds %}
- {{ round.title }}: {{ round.responses }} responses, index so far {{ round.index }} — {{ round.link }}
{% else %}
No survey is open.
{% endfor %}

Feedback
Open: {{ open }}; overdue: {{ overdue }}.
{% for department in departments %}
- {{ department.name }}: {{ department.open }} open, {{ department.overdue }} overdue
{% endfor %}

{{ items_link }}";
