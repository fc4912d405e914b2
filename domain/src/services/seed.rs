//! Demo data for a first look: the departments and procedures of an
//! economic-zone management board, the previous half-year's round (closed)
//! and the current one (open), each with a few hundred plausible responses.
//! Running it again changes nothing.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::AppError;
use crate::auth::Principal;
use crate::model::RoundStatus;
use crate::model::{FeedbackAction, Role, SenderContact};
use crate::services::feedback::{self, ActionInput, NewFeedback, Recorder};
use crate::services::responses::{self, AnswerInput, AnswerValue, Completeness, Submission};
use crate::services::{catalogue, holidays, instruments, rounds, settings};
use sea_orm::DatabaseConnection;

/// (code, name vi, name en, how well the department serves: a shift of the mean answer)
const DEPARTMENTS: [(&str, &str, &str, f64); 7] = [
    ("VP", "Văn phòng", "Office (one-stop counter)", 0.35),
    (
        "KHTH",
        "Phòng Kế hoạch - Tổng hợp",
        "Planning and General Affairs Division",
        0.15,
    ),
    (
        "QLDN",
        "Phòng Quản lý doanh nghiệp",
        "Enterprise Management Division",
        0.25,
    ),
    (
        "QLDT",
        "Phòng Quản lý đầu tư",
        "Investment Management Division",
        0.4,
    ),
    (
        "QHXD",
        "Phòng Quản lý quy hoạch và xây dựng",
        "Planning and Construction Division",
        -0.25,
    ),
    (
        "TNMT",
        "Phòng Quản lý tài nguyên và môi trường",
        "Natural Resources and Environment Division",
        -0.05,
    ),
    (
        "BQLDA",
        "Ban Quản lý dự án hạ tầng khu kinh tế và các khu công nghiệp",
        "Infrastructure Project Management Unit",
        -0.1,
    ),
];

/// (code, name vi, name en, department code)
const PROCEDURES: [(&str, &str, &str, &str); 13] = [
    (
        "LD-01",
        "Cấp giấy phép lao động cho người lao động nước ngoài",
        "Work permit for a foreign worker",
        "QLDN",
    ),
    (
        "LD-02",
        "Cấp lại giấy phép lao động cho người lao động nước ngoài",
        "Reissue of a work permit",
        "QLDN",
    ),
    (
        "LD-03",
        "Gia hạn giấy phép lao động",
        "Extension of a work permit",
        "QLDN",
    ),
    (
        "LD-04",
        "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
        "Confirmation that a foreign worker needs no work permit",
        "QLDN",
    ),
    (
        "LD-05",
        "Đăng ký nội quy lao động",
        "Registration of labour rules",
        "QLDN",
    ),
    (
        "DT-01",
        "Cấp Giấy chứng nhận đăng ký đầu tư",
        "Investment registration certificate",
        "QLDT",
    ),
    (
        "DT-02",
        "Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
        "Amendment of an investment registration certificate",
        "QLDT",
    ),
    (
        "DT-03",
        "Chấm dứt hoạt động dự án đầu tư",
        "Termination of an investment project",
        "QLDT",
    ),
    (
        "XD-01",
        "Cấp giấy phép xây dựng",
        "Construction permit",
        "QHXD",
    ),
    (
        "XD-02",
        "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
        "Appraisal of construction design after the base design",
        "QHXD",
    ),
    (
        "XD-03",
        "Điều chỉnh quy hoạch chi tiết xây dựng",
        "Amendment of a detailed construction plan",
        "QHXD",
    ),
    (
        "MT-01",
        "Thẩm định báo cáo đánh giá tác động môi trường",
        "Appraisal of an environmental impact assessment",
        "TNMT",
    ),
    (
        "MT-02",
        "Cấp giấy phép môi trường",
        "Environmental permit",
        "TNMT",
    ),
];

const COMMENTS: [&str; 8] = [
    "Đề nghị bổ sung hướng dẫn nộp hồ sơ trực tuyến chi tiết hơn, có video minh họa.",
    "Cán bộ hướng dẫn nhiệt tình, tuy nhiên thời gian chờ trả kết quả còn dài.",
    "Khu vực chờ tại Bộ phận Một cửa còn chật, mong được bố trí thêm ghế ngồi.",
    "Nên gửi thông báo qua email khi hồ sơ có kết quả.",
    "Hồ sơ cấp giấy phép xây dựng bị yêu cầu bổ sung nhiều lần, mong hướng dẫn một lần đầy đủ.",
    "Rất hài lòng với thái độ phục vụ của công chức.",
    "Đề nghị công khai số điện thoại đường dây nóng rõ hơn trên cổng thông tin.",
    "Thủ tục gia hạn giấy phép lao động nhanh, đúng hẹn. Cảm ơn Ban.",
];

pub struct SeedReport {
    pub rounds_created: Vec<String>,
    pub responses_created: u64,
}

pub async fn seed_demo(db: &DatabaseConnection) -> Result<SeedReport, AppError> {
    instruments::install_defaults(db).await?;
    for (code, name_vi, name_en, _) in DEPARTMENTS {
        catalogue::upsert_department(db, code, name_vi, name_en).await?;
    }
    for (code, name_vi, name_en, department_code) in PROCEDURES {
        let department = catalogue::department_by_code(db, department_code)
            .await?
            .ok_or(AppError::NotFound("department"))?;
        catalogue::upsert_procedure(db, code, name_vi, name_en, department.id).await?;
    }

    let now = Utc::now();
    let (year, half) = half_year_of(now);
    let (previous_year, previous_half) = if half == 1 { (year - 1, 2) } else { (year, 1) };
    let mut report = SeedReport {
        rounds_created: Vec::new(),
        responses_created: 0,
    };
    for (round_year, round_half, responses, stays_open, shift) in [
        (previous_year, previous_half, 240, false, -0.15),
        (year, half, 360, true, 0.0),
    ] {
        let slug = format!("khao-sat-{round_year}-h{round_half}");
        if rounds::by_slug(db, &slug).await?.is_some() {
            continue;
        }
        let instrument = instruments::find(db, "dvhcc", 1)
            .await?
            .ok_or(AppError::NotFound("instrument"))?;
        let half_vi = if round_half == 1 {
            "6 tháng đầu năm"
        } else {
            "6 tháng cuối năm"
        };
        let half_en = if round_half == 1 {
            "first half of"
        } else {
            "second half of"
        };
        let round = rounds::create(
            db,
            rounds::NewRound {
                slug: slug.clone(),
                title_vi: format!(
                    "Khảo sát sự hài lòng của doanh nghiệp, người dân {half_vi} {round_year}"
                ),
                title_en: format!(
                    "Satisfaction survey of businesses and citizens, {half_en} {round_year}"
                ),
                year: round_year,
                half: round_half,
                instrument_id: instrument.id,
                audience: "businesses,citizens,partner-agencies".to_owned(),
                opens_at: None,
                closes_at: None,
                dossiers_handled: Some(1200),
            },
        )
        .await?;
        let round = rounds::set_status(db, round, RoundStatus::Open).await?;
        let loaded = instruments::load(db, instrument.id).await?;
        let period_start = half_start(round_year, round_half);
        let (next_year, next_half) = if round_half == 1 {
            (round_year, 2)
        } else {
            (round_year + 1, 1)
        };
        let period_end = half_start(next_year, next_half).min(now);
        let mut rng =
            StdRng::seed_from_u64(u64::try_from(round_year).unwrap_or(0) * 10 + round_half as u64);
        for i in 0..responses {
            let submission =
                demo_submission(&mut rng, &loaded, (period_start, period_end), shift, i);
            responses::submit(db, &round, submission, Completeness::AllRequired).await?;
            report.responses_created += 1;
        }
        if !stays_open {
            rounds::set_status(db, round, RoundStatus::Closed).await?;
        }
        report.rounds_created.push(slug);
    }
    for year in [year - 1, year, year + 1] {
        holidays::add_public(db, &crate::services::audit::Actor::cli(), year).await?;
    }
    if settings::get(db, settings::HOTLINE_PHONE).await?.is_none() {
        for (key, value) in DEMO_HOTLINE {
            settings::set(db, key, value).await?;
        }
    }
    seed_feedback(db, now).await?;
    Ok(report)
}

/// The demo hotline; a real agency enters its own on the settings page.
const DEMO_HOTLINE: [(&str, &str); 4] = [
    (settings::HOTLINE_PHONE, "0235 3800 800"),
    (
        settings::HOTLINE_ADDRESS,
        "Bộ phận Một cửa, Ban Quản lý Khu kinh tế (địa chỉ minh họa)",
    ),
    (settings::HOTLINE_EMAIL, "phananh@bqlkkt.example.vn"),
    (
        settings::HOTLINE_HOURS,
        "7:30–11:30 và 13:30–17:00, thứ Hai đến thứ Sáu",
    ),
];

/// A few items from other channels at different steps of handling, once.
async fn seed_feedback(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), AppError> {
    use crate::entities::feedback_item;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let recorded = feedback_item::Entity::find()
        .filter(feedback_item::Column::Channel.ne("survey"))
        .count(db)
        .await?;
    if recorded > 0 {
        return Ok(());
    }
    let system = Principal {
        user_id: None,
        token_id: None,
        name: "seed-demo".to_owned(),
        display_name: "Dữ liệu minh họa".to_owned(),
        role: Role::Admin,
        department_ids: Vec::new(),
        can_triage: true,
        scopes: None,
    };
    let staff = Recorder::Staff(&system, "");
    let sender = |name: &str, phone: &str| SenderContact {
        name: name.to_owned(),
        address: "KCN Tam Thăng".to_owned(),
        phone: phone.to_owned(),
        email: String::new(),
    };
    let new =
        |channel: &str, days_ago: i64, content: &str, sender: SenderContact, consent: bool| {
            NewFeedback {
                channel: channel.to_owned(),
                received_at: Some(now - chrono::Duration::days(days_ago)),
                content: content.to_owned(),
                sender,
                consent_to_publish: consent,
                ..NewFeedback::default()
            }
        };
    // A call today, waiting for classification.
    feedback::record(db, staff, new(
        "hotline",
        0,
        "Người gọi phản ánh: hồ sơ điều chỉnh Giấy chứng nhận đăng ký đầu tư nộp trực tuyến đã quá hạn trả kết quả 3 ngày nhưng chưa được thông báo lý do.",
        sender("Lê Văn Hùng", "0905 111 222"),
        false,
    ))
    .await?;
    // A letter received weeks ago and never classified: overdue.
    feedback::record(db, staff, new(
        "letter",
        21,
        "Công ty đề nghị Ban hướng dẫn thống nhất thành phần hồ sơ đăng ký nội quy lao động vì mỗi lần nộp được yêu cầu bổ sung khác nhau.",
        sender("Công ty TNHH Dệt may Tam Thăng", "0235 3111 222"),
        true,
    ))
    .await?;
    // An email answered, approved and published with the sender's consent.
    let published = feedback::record(db, staff, new(
        "email",
        10,
        "Đề nghị cho phép nộp bản scan hợp đồng lao động thay cho bản sao chứng thực khi xin cấp giấy phép lao động trực tuyến.",
        SenderContact {
            email: "nhansu@chulai-mech.example.vn".to_owned(),
            ..sender("Công ty CP Cơ khí Chu Lai", "0905 333 444")
        },
        true,
    ))
    .await?;
    let steps: [(FeedbackAction, ActionInput); 6] = [
        (FeedbackAction::Classify, ActionInput { classification: "in-scope".to_owned(), category: "procedures".to_owned(), ..ActionInput::default() }),
        (FeedbackAction::Assign, ActionInput { department: "QLDN".to_owned(), ..ActionInput::default() }),
        (FeedbackAction::Start, ActionInput::default()),
        (FeedbackAction::Answer, ActionInput { answer: "Hồ sơ nộp trực tuyến được dùng bản chụp từ bản chính hợp đồng lao động; bản chính được đối chiếu khi nhận kết quả. Ban đã cập nhật hướng dẫn trên Cổng dịch vụ công.".to_owned(), ..ActionInput::default() }),
        (FeedbackAction::Approve, ActionInput::default()),
        (FeedbackAction::Publish, ActionInput { confirm_public: "1".to_owned(), ..ActionInput::default() }),
    ];
    for (action, input) in steps {
        feedback::act(db, &system, "", published.id, action, input).await?;
    }
    // A complaint about a decision: recorded, classified and routed out.
    let complaint = feedback::record(db, staff, new(
        "in-person",
        5,
        "Ông khiếu nại quyết định xử phạt vi phạm hành chính trong lĩnh vực xây dựng tại khu công nghiệp.",
        sender("Trần Văn Minh", "0912 555 666"),
        false,
    ))
    .await?;
    feedback::act(
        db,
        &system,
        "",
        complaint.id,
        FeedbackAction::Classify,
        ActionInput {
            classification: "complaint-denunciation".to_owned(),
            ..ActionInput::default()
        },
    )
    .await?;
    feedback::act(
        db,
        &system,
        "",
        complaint.id,
        FeedbackAction::Close,
        ActionInput {
            reason: "Chuyển Thanh tra tỉnh theo quy định về khiếu nại.".to_owned(),
            ..ActionInput::default()
        },
    )
    .await?;
    Ok(())
}

fn half_year_of(now: DateTime<Utc>) -> (i32, i16) {
    (now.year(), if now.month() <= 6 { 1 } else { 2 })
}

fn half_start(year: i32, half: i16) -> DateTime<Utc> {
    let month = if half == 1 { 1 } else { 7 };
    Utc.with_ymd_and_hms(year, month, 1, 1, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// An approximately normal draw (sum of uniforms), mean 0 and deviation `sd`.
fn noise(rng: &mut StdRng, sd: f64) -> f64 {
    let sum: f64 = (0..6).map(|_| rng.random::<f64>()).sum();
    (sum - 3.0) * sd * std::f64::consts::SQRT_2
}

fn pick<'a, T>(rng: &mut StdRng, weighted: &'a [(T, f64)]) -> &'a T {
    let total: f64 = weighted.iter().map(|(_, w)| w).sum();
    let mut draw = rng.random::<f64>() * total;
    for (item, weight) in weighted {
        if draw < *weight {
            return item;
        }
        draw -= weight;
    }
    &weighted[weighted.len() - 1].0
}

fn demo_submission(
    rng: &mut StdRng,
    instrument: &instruments::LoadedInstrument,
    (period_start, period_end): (DateTime<Utc>, DateTime<Utc>),
    shift: f64,
    sequence: u32,
) -> Submission {
    let respondent_type = *pick(
        rng,
        &[
            ("doanh-nghiep", 0.7),
            ("ca-nhan", 0.2),
            ("co-quan-phoi-hop", 0.1),
        ],
    );
    let (procedure_code, _, _, department_code) = PROCEDURES[rng.random_range(0..PROCEDURES.len())];
    let (department_code, with_procedure) = if rng.random_bool(0.85) {
        (department_code, true)
    } else {
        (DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())].0, false)
    };
    let quality = DEPARTMENTS
        .iter()
        .find(|d| d.0 == department_code)
        .map_or(0.0, |d| d.3);
    let method = *pick(
        rng,
        &[("truc-tiep", 0.5), ("truc-tuyen", 0.4), ("buu-chinh", 0.1)],
    );
    let channel = *pick(rng, &[("web", 0.7), ("paper", 0.25), ("phone", 0.05)]);
    let mood = noise(rng, 0.55);

    let mut answers = Vec::new();
    let mut satisfaction_sum = 0.0;
    let mut satisfaction_n = 0.0;
    for (element, criterion) in instrument.criteria() {
        let value = match element.kind {
            crate::model::ElementKind::Index => {
                let offset = match criterion.code.as_str() {
                    "D1" | "B4" => -0.45,
                    code if code.starts_with('C') => 0.3,
                    code if code.starts_with('A') => 0.15,
                    code if code.starts_with('E') => -0.3,
                    _ => 0.0,
                };
                let not_applicable = match criterion.code.as_str() {
                    "A4" if method == "truc-tiep" => 0.3,
                    "E2" | "E3" => 0.25,
                    _ => 0.02,
                };
                if rng.random_bool(not_applicable) {
                    AnswerValue::NotApplicable
                } else {
                    let score = 3.85 + quality + offset + shift + mood + noise(rng, 0.55);
                    let level = score.round().clamp(1.0, 5.0);
                    satisfaction_sum += level;
                    satisfaction_n += 1.0;
                    AnswerValue::Level(level as i64)
                }
            }
            crate::model::ElementKind::Overall => {
                let mean = if satisfaction_n > 0.0 {
                    satisfaction_sum / satisfaction_n
                } else {
                    4.0
                };
                AnswerValue::Level((mean + noise(rng, 0.3)).round().clamp(1.0, 5.0) as i64)
            }
            crate::model::ElementKind::Perception => {
                AnswerValue::Level(*pick(rng, &[(1, 0.92), (2, 0.06), (3, 0.02)]))
            }
            crate::model::ElementKind::Expectation => {
                let weights = match criterion.code.as_str() {
                    "X3" | "X6" => [(1, 0.5), (2, 0.35), (3, 0.15)],
                    _ => [(1, 0.2), (2, 0.4), (3, 0.4)],
                };
                AnswerValue::Level(*pick(rng, &weights))
            }
        };
        answers.push(AnswerInput {
            code: criterion.code.clone(),
            value,
        });
    }

    let span = (period_end - period_start).num_seconds().max(1);
    let submitted_at = period_start + chrono::Duration::seconds(rng.random_range(0..span));
    // Web responses took 4 to 15 minutes; one in forty under a minute (a
    // speeder for the data-quality review). Drawn from the sequence, not
    // the random stream, so that the demo's answers stay as they were.
    let seconds = if sequence % 40 == 3 {
        45
    } else {
        240 + i64::from(sequence * 37 % 660)
    };
    Submission {
        answers,
        respondent_type: Some(respondent_type.to_owned()),
        department: (!with_procedure).then(|| department_code.to_owned()),
        procedure: with_procedure.then(|| procedure_code.to_owned()),
        submission_method: Some(method.to_owned()),
        channel: Some(channel.to_owned()),
        comment: rng
            .random_bool(0.08)
            .then(|| COMMENTS[rng.random_range(0..COMMENTS.len())].to_owned()),
        idempotency_key: Some(format!("seed-{}-{sequence}", period_start.format("%Y%m"))),
        submitted_at: Some(submitted_at),
        started_at: Some(submitted_at - chrono::Duration::seconds(seconds)),
        ..Submission::default()
    }
}
