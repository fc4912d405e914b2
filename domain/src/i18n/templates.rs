//! The wording of the admins' message-template pages, in both languages.

use super::Lang;

pub struct TemplateTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub caption: &'static str,
    pub col_kind: &'static str,
    pub col_lang: &'static str,
    pub col_in_use: &'static str,
    pub builtin: &'static str,
    pub version: &'static str,
    pub edit: &'static str,
    pub back: &'static str,
    pub how_to: &'static str,
    pub how_to_rules: [&'static str; 4],
    pub variables_caption: &'static str,
    pub col_variable: &'static str,
    pub col_meaning: &'static str,
    pub required: &'static str,
    pub subject_label: &'static str,
    pub body_label: &'static str,
    pub body_hint: &'static str,
    pub sms_label: &'static str,
    pub sms_hint: &'static str,
    pub preview_button: &'static str,
    pub save_button: &'static str,
    pub preview_title: &'static str,
    pub preview_note: &'static str,
    pub preview_subject: &'static str,
    pub preview_sms: &'static str,
    pub no_preview: &'static str,
    pub saved: &'static str,
    pub previewed: &'static str,
    pub versions_caption: &'static str,
    pub col_version: &'static str,
    pub col_saved_at: &'static str,
    pub col_saved_by: &'static str,
    pub open_version: &'static str,
    pub open_builtin: &'static str,
    pub in_use: &'static str,
    pub no_versions: &'static str,
    pub opened_from: &'static str,
    pub unicode: &'static str,
    pub plain: &'static str,
}

pub const VI: TemplateTexts = TemplateTexts {
    title: "Mẫu thư và tin nhắn",
    intro: "Nội dung các thư điện tử và tin nhắn hệ thống gửi đi, bằng tiếng Việt và tiếng Anh. Mỗi lần lưu tạo một phiên bản mới; thư chưa gửi dùng phiên bản mới nhất. Chưa lưu phiên bản nào thì hệ thống dùng mẫu có sẵn.",
    caption: "Các mẫu",
    col_kind: "Loại thư",
    col_lang: "Ngôn ngữ",
    col_in_use: "Đang dùng",
    builtin: "Mẫu có sẵn",
    version: "Phiên bản",
    edit: "Sửa",
    back: "Tất cả các mẫu",
    how_to: "Cách viết",
    how_to_rules: [
        "Viết chữ thường; một dòng trống bắt đầu đoạn mới; dòng bắt đầu bằng \"- \" thành một mục danh sách; địa chỉ web thành đường dẫn bấm được trong thư.",
        "Chèn biến bằng {{ tên_biến }}, chỉ dùng các biến trong bảng dưới đây. Biến có đánh dấu \"bắt buộc\" phải có trong nội dung thư và trong tin nhắn.",
        "Điều kiện và danh sách viết như Jinja: {% if closes_on %}…{% endif %}, {% for round in rounds %}…{% endfor %}; dòng chỉ có lệnh {% … %} không để lại dòng trống.",
        "Bấm \"Xem trước\" để xem thư với dữ liệu mẫu trước khi lưu. Không có thông tin cá nhân nào trong biến: tên và địa chỉ người nhận không bao giờ được chèn vào thư.",
    ],
    variables_caption: "Biến dùng được",
    col_variable: "Biến",
    col_meaning: "Nội dung",
    required: "bắt buộc",
    subject_label: "Tiêu đề thư",
    body_label: "Nội dung thư",
    body_hint: "Phần văn bản của thư; phần HTML được tạo từ đây.",
    sms_label: "Tin nhắn (SMS, Zalo)",
    sms_hint: "Ngắn gọn, một đường dẫn. Tin có dấu tiếng Việt tính 70 ký tự một tin.",
    preview_button: "Xem trước",
    save_button: "Lưu phiên bản mới",
    preview_title: "Xem trước với dữ liệu mẫu",
    preview_note: "Dữ liệu trong bản xem trước là dữ liệu mẫu, không phải của một người thật.",
    preview_subject: "Tiêu đề",
    preview_sms: "Tin nhắn",
    no_preview: "Chưa xem trước được: hãy sửa các lỗi ở trên.",
    saved: "Đã lưu phiên bản mới; các thư chưa gửi sẽ dùng phiên bản này.",
    previewed: "Bản xem trước ở dưới; mẫu chưa được lưu.",
    versions_caption: "Các phiên bản đã lưu",
    col_version: "Phiên bản",
    col_saved_at: "Lưu lúc",
    col_saved_by: "Người lưu",
    open_version: "Mở phiên bản này",
    open_builtin: "Mở mẫu có sẵn",
    in_use: "đang dùng",
    no_versions: "Chưa lưu phiên bản nào: đang dùng mẫu có sẵn.",
    opened_from: "Biểu mẫu đang mở",
    unicode: "có dấu (Unicode)",
    plain: "không dấu",
};

pub const EN: TemplateTexts = TemplateTexts {
    title: "Message templates",
    intro: "What the e-mails and text messages the platform sends say, in Vietnamese and English. Each save makes a new version; messages not yet sent use the newest. Until a version is saved, the built-in wording is used.",
    caption: "Templates",
    col_kind: "Message",
    col_lang: "Language",
    col_in_use: "In use",
    builtin: "Built-in",
    version: "Version",
    edit: "Edit",
    back: "All templates",
    how_to: "How to write one",
    how_to_rules: [
        "Write plain text; a blank line starts a new paragraph; a line starting with \"- \" becomes a list item; web addresses become links in the e-mail.",
        "Insert a variable with {{ variable_name }}, only those in the table below. Variables marked \"required\" must be in the e-mail's body and in the text message.",
        "Conditions and lists are written as in Jinja: {% if closes_on %}…{% endif %}, {% for round in rounds %}…{% endfor %}; a line holding only a {% … %} tag leaves no blank line.",
        "Press \"Preview\" to see the message with made-up data before saving. No variable holds personal data: the recipient's name and address are never put into a message.",
    ],
    variables_caption: "Variables",
    col_variable: "Variable",
    col_meaning: "Holds",
    required: "required",
    subject_label: "E-mail subject",
    body_label: "E-mail body",
    body_hint: "The e-mail's text; its HTML is made from it.",
    sms_label: "Text message (SMS, Zalo)",
    sms_hint: "Short, with one link. A message with Vietnamese accents counts 70 characters a part.",
    preview_button: "Preview",
    save_button: "Save a new version",
    preview_title: "Preview with made-up data",
    preview_note: "The data in the preview is made up, not anyone's.",
    preview_subject: "Subject",
    preview_sms: "Text message",
    no_preview: "No preview yet: fix the errors above.",
    saved: "The new version is saved; messages not yet sent will use it.",
    previewed: "The preview is below; the template is not saved.",
    versions_caption: "Saved versions",
    col_version: "Version",
    col_saved_at: "Saved",
    col_saved_by: "By",
    open_version: "Open this version",
    open_builtin: "Open the built-in wording",
    in_use: "in use",
    no_versions: "No version saved: the built-in wording is in use.",
    opened_from: "The form holds",
    unicode: "with accents (Unicode)",
    plain: "plain",
};

impl Lang {
    pub fn template_texts(self) -> &'static TemplateTexts {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }

    /// A template that cannot be read or rendered, at `line`.
    pub fn template_syntax(self, line: usize, detail: &str) -> String {
        match self {
            Self::Vi => format!("Mẫu có lỗi ở dòng {line}: {detail}"),
            Self::En => format!("The template has an error on line {line}: {detail}"),
        }
    }

    pub fn unknown_variable(self, name: &str) -> String {
        match self {
            Self::Vi => format!("Không có biến {{{{ {name} }}}} cho loại thư này."),
            Self::En => format!("This message has no variable {{{{ {name} }}}}."),
        }
    }

    pub fn missing_variable(self, name: &str) -> String {
        match self {
            Self::Vi => format!("Cần có biến {{{{ {name} }}}}: thiếu nó thư không dùng được."),
            Self::En => {
                format!(
                    "The variable {{{{ {name} }}}} is needed: without it the message is useless."
                )
            }
        }
    }

    /// The SMS length: "95 units, 2 parts".
    pub fn sms_length(self, units: usize, parts: usize) -> String {
        match self {
            Self::Vi => format!("{units} ký tự, {parts} tin"),
            Self::En => format!("{units} characters, {parts} parts"),
        }
    }
}
