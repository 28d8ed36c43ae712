//! Messages customers type and what they must be read as.

use super::*;
use Intent::*;
use Question::*;

const QUESTIONS: &[Question] = &[
    Hotline,
    Address,
    Email,
    Website,
    Contact,
    RefundPolicy,
    DeferLength,
    MissedDate,
    CompanyPostpone,
    Photos,
    ComplaintProcess,
    Aftercare,
    Policy,
];

#[test]
fn customer_messages_map_to_their_intent() {
    let cases: &[(&str, Intent)] = &[
        // Deferral
        ("Tôi muốn bảo lưu hợp đồng", Deferral),
        ("toi muon bao luu", Deferral),
        ("BAO LUU", Deferral),
        ("baoluu", Deferral),
        ("cho em đổi lịch thi công với ạ", Deferral),
        ("dời lịch sang tuần sau đc ko", Deferral),
        ("doi ngay thi cong dc k ad", Deferral),
        ("xin hoãn thi công 2 tuần", Deferral),
        ("em muốn hoãn lại ạ", Deferral),
        ("hoan lich thi cong giup em", Deferral),
        ("can i reschedule?", Deferral),
        ("I need to postpone", Deferral),
        ("chào shop, mình muốn đổi lịch", Deferral),
        ("bảo lưu hay hoàn tiền thì tốt hơn", Deferral),
        // Refund
        ("chào shop, tôi muốn hoàn tiền", Refund),
        ("hoan tien cho toi", Refund),
        ("Hoàn lại tiền cọc giúp em", Refund),
        ("tôi muốn lấy lại tiền", Refund),
        ("refund pls", Refund),
        ("I want my money back", Refund),
        ("hoàn tiền hay bảo lưu thì tốt hơn", Refund),
        // Complaint
        ("tôi muốn khiếu nại", Complaint),
        ("khieu nai nhan vien", Complaint),
        ("khiếu lại nhân viên lắp đặt", Complaint),
        ("dịch vụ tệ quá", Complaint),
        ("lam an te vl", Complaint),
        ("em muốn phản ánh về thái độ nhân viên", Complaint),
        ("I want to complain", Complaint),
        // Status
        ("kiểm tra trạng thái yêu cầu", Status),
        ("tinh trang yeu cau cua toi the nao roi", Status),
        ("status", Status),
        ("yêu cầu hoàn tiền của tôi đến đâu rồi", Status),
        ("check status giúp mình", Status),
        ("ho so cua em xu ly chua a", Status),
        // Menu
        ("menu", Menu),
        ("/start", Menu),
        ("quay lại", Menu),
        ("bắt đầu lại từ đầu", Menu),
        ("cho xem menu", Menu),
        // Cancel
        ("hủy", Cancel),
        ("huy yeu cau", Cancel),
        ("Huỷ giúp em yêu cầu bảo lưu", Cancel),
        ("thôi", Cancel),
        ("thôi khỏi", Cancel),
        ("cancel", Cancel),
        ("không cần nữa đâu", Cancel),
        // Why
        ("?", Why),
        ("??", Why),
        (" ? ? ", Why),
        ("tại sao phải cung cấp giấy tờ?", Why),
        ("sao phai gui anh", Why),
        ("vì sao vậy", Why),
        ("để làm j", Why),
        ("sao?", Why),
        ("why", Why),
        // Help
        ("giúp tôi với", Help),
        ("help", Help),
        ("hướng dẫn mình với", Help),
        ("lam sao de gui giay to", Help),
        ("lm ntn", Help),
        ("cần hỗ trợ", Help),
        // Greeting
        ("Xin chào", Greeting),
        ("chao shop", Greeting),
        ("hello", Greeting),
        ("hi ad", Greeting),
        ("alo alo", Greeting),
        // NoSchedule
        ("chưa có lịch", NoSchedule),
        ("chua co lich thi cong a", NoSchedule),
        ("bên em chưa xếp lịch", NoSchedule),
        ("chưa có", NoSchedule),
        ("chua bit", NoSchedule),
        ("not scheduled yet", NoSchedule),
        // NoneAvailable
        ("không có", NoneAvailable),
        ("ko co", NoneAvailable),
        ("k co a", NoneAvailable),
        ("dạ không có ạ", NoneAvailable),
        ("em không có giấy tờ gì cả", NoneAvailable),
        ("none", NoneAvailable),
        ("no document", NoneAvailable),
        // Yes
        ("có", Yes),
        ("co", Yes),
        ("Có ạ", Yes),
        ("ok", Yes),
        ("oke", Yes),
        ("OK nhé", Yes),
        ("ok cảm ơn shop", Yes),
        ("đúng rồi", Yes),
        ("dung r", Yes),
        ("vâng", Yes),
        ("dạ vâng", Yes),
        ("ừ", Yes),
        ("uh", Yes),
        ("yes", Yes),
        ("dc", Yes),
        ("đồng ý", Yes),
        ("xác nhận giúp em", Yes),
        // No
        ("không", No),
        ("khong", No),
        ("ko", No),
        ("k", No),
        ("hok", No),
        ("không ạ", No),
        ("dạ không", No),
        ("sai", No),
        ("sai rồi", No),
        ("no", No),
        ("chưa", No),
        ("ko dc", No),
        ("không đồng ý", No),
        ("không phải", No),
    ];
    assert!(cases.len() >= 60);
    for (input, expected) in cases {
        assert_eq!(detect_intent(input), Some(*expected), "input {input:?}");
    }
}

#[test]
fn unrelated_messages_have_no_intent() {
    for input in [
        "",
        "   ",
        "hôm nay trời đẹp",
        "HD-2026-0012",
        "06/08/2026",
        "tôi tên Lan",
        "tôi tên Huy",
        "email của tôi là lan@gmail.com",
        "abc",
        "0904718078",
        "cảm ơn",
        "thời gian thi công là bao lâu",
        "thoi gian thi cong bao lau",
        "có được không?",
        "cô ơi",
        "đợi lịch thi công",
        "tôi dùng dịch vụ 2 năm rồi",
    ] {
        assert_eq!(detect_intent(input), None, "input {input:?}");
    }
}

#[test]
fn customers_questions_map_to_what_they_ask() {
    let cases: &[(&str, Question)] = &[
        // Hotline
        ("số hotline là gì", Hotline),
        ("so hotline la gi", Hotline),
        ("hotline", Hotline),
        ("sdt cskh", Hotline),
        ("sđt cskh", Hotline),
        ("cho xin số điện thoại", Hotline),
        ("cho e xin sdt vs", Hotline),
        ("sdt?", Hotline),
        ("goi so nao", Hotline),
        ("gọi số nào để được hỗ trợ ạ", Hotline),
        ("số tổng đài bao nhiêu vậy shop", Hotline),
        ("số đt công ty là bao nhiêu", Hotline),
        ("what is your phone number", Hotline),
        // Address
        ("địa chỉ công ty ở đâu", Address),
        ("dia chi", Address),
        ("địa chỉ ạ", Address),
        ("địa chỉ?", Address),
        ("shop ở đâu", Address),
        ("shop o dau vay", Address),
        ("cty nằm ở đâu", Address),
        ("cho mình xin địa chỉ", Address),
        ("where are you located?", Address),
        // Email
        ("email là gì", Email),
        ("mail cong ty", Email),
        ("cho xin email", Email),
        ("email shop là gì vậy", Email),
        ("gmail của công ty", Email),
        ("what's your email?", Email),
        // Website
        ("trang web", Website),
        ("website", Website),
        ("web cty là gì", Website),
        ("trang web của shop là gì", Website),
        ("do you have a website?", Website),
        // Contact
        ("liên hệ thế nào", Contact),
        ("lien he", Contact),
        ("liên hệ với công ty bằng cách nào", Contact),
        ("làm sao để liên lạc với shop", Contact),
        ("thông tin liên hệ", Contact),
        ("how can I contact you", Contact),
        ("có fanpage không", Contact),
        // Policy
        ("chính sách", Policy),
        ("chinh sach la gi", Policy),
        ("điều khoản", Policy),
        ("cho xem chính sách khách hàng", Policy),
        ("quy định của công ty thế nào", Policy),
        ("chính sách bảo lưu ra sao", Policy),
        ("terms and conditions?", Policy),
        // RefundPolicy
        ("có được hoàn tiền không", RefundPolicy),
        ("co dc hoan tien ko", RefundPolicy),
        ("tiền có được trả lại không", RefundPolicy),
        ("can I get a refund?", RefundPolicy),
        // Was Refund: "when do I get my money back" asks when refunds
        // happen, which is what the refund policy answers.
        ("bao giờ được trả lại tiền vậy", RefundPolicy),
        ("khi nào thì được hoàn tiền", RefundPolicy),
        ("hoàn tiền thế nào", RefundPolicy),
        ("chính sách hoàn tiền", RefundPolicy),
        ("cho hỏi trường hợp nào được hoàn tiền", RefundPolicy),
        ("mình huỷ thì có được hoàn tiền k", RefundPolicy),
        ("em muốn hỏi về hoàn tiền", RefundPolicy),
        ("is a refund possible?", RefundPolicy),
        ("how do I get my money back", RefundPolicy),
        // DeferLength
        ("bảo lưu được bao lâu", DeferLength),
        ("bao luu toi da may ngay", DeferLength),
        ("được dời bao nhiêu ngày", DeferLength),
        ("dời lịch tối đa bao lâu vậy ad", DeferLength),
        ("thời gian bảo lưu là bao lâu", DeferLength),
        ("hoãn được bao lâu", DeferLength),
        ("bảo lưu tối đa mấy tháng", DeferLength),
        ("lùi lịch được tối đa không", DeferLength),
        ("how long can I postpone?", DeferLength),
        // MissedDate
        ("nếu tôi không đến đúng ngày thì sao", MissedDate),
        ("lỡ hẹn ngày thi công", MissedDate),
        ("lo hen thi sao ad", MissedDate),
        ("miss the date", MissedDate),
        ("không đến được vào ngày bảo lưu thì sao", MissedDate),
        ("nếu em đến trễ thì có sao không", MissedDate),
        ("quên lịch hẹn thì sao", MissedDate),
        ("what if I miss my appointment?", MissedDate),
        // CompanyPostpone
        ("công ty có được dời lịch của tôi không", CompanyPostpone),
        ("cty doi lich thi cong duoc ko", CompanyPostpone),
        ("bên mình hoãn lịch", CompanyPostpone),
        ("nếu shop hoãn lịch thì sao", CompanyPostpone),
        ("lịch bị dời thì sao", CompanyPostpone),
        ("em bị hoãn lịch 2 lần rồi", CompanyPostpone),
        ("công ty được hoãn tối đa bao lâu", CompanyPostpone),
        ("can the company postpone my appointment?", CompanyPostpone),
        // Photos
        ("hình ảnh của tôi dùng làm gì", Photos),
        ("ảnh trước sau có bị đăng không", Photos),
        ("anh truoc sau co bi dang len mang khong", Photos),
        ("my photos", Photos),
        ("shop có chụp ảnh em không", Photos),
        ("có dùng hình của tôi để quảng cáo không", Photos),
        ("will you post my photos?", Photos),
        // ComplaintProcess
        ("khiếu nại như thế nào", ComplaintProcess),
        ("quy trình khiếu nại", ComplaintProcess),
        ("how do I complain", ComplaintProcess),
        ("khieu nai o dau", ComplaintProcess),
        ("cho hỏi cách khiếu nại", ComplaintProcess),
        ("có được khiếu nại không", ComplaintProcess),
        ("khiếu nại bao lâu thì được giải quyết", ComplaintProcess),
        ("em muốn hỏi về khiếu nại", ComplaintProcess),
        // Aftercare
        ("sau khi thi công cần làm gì", Aftercare),
        ("chăm sóc sau thi công", Aftercare),
        ("bị sưng thì sao", Aftercare),
        ("bi sung co sao khong", Aftercare),
        ("aftercare", Aftercare),
        ("làm xong bị đau nhức có sao không", Aftercare),
        ("sau thi cong can kieng gi", Aftercare),
        ("ngứa quá có sao không ạ", Aftercare),
        (
            "tình trạng sau thi công như vậy có bình thường không",
            Aftercare,
        ),
        ("is swelling normal after the treatment?", Aftercare),
    ];
    assert!(cases.len() >= 60);
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(input, q)| detect_intent(input) != Some(Ask(*q)))
        .map(|(input, q)| format!("{input:?}: {:?}, not {q:?}", detect_intent(input)))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
    for q in QUESTIONS {
        assert!(cases.iter().any(|(_, c)| c == q), "no case for {q:?}");
    }
}

#[test]
fn a_question_about_a_request_is_not_the_request() {
    type Case = (&'static str, Intent);
    let pairs: &[(Case, Case)] = &[
        (
            ("có được hoàn tiền không", Ask(RefundPolicy)),
            ("tôi muốn hoàn tiền", Refund),
        ),
        (
            ("hoàn tiền được không?", Ask(RefundPolicy)),
            ("hoàn tiền cho tôi", Refund),
        ),
        (
            ("can I get a refund?", Ask(RefundPolicy)),
            ("I want a refund", Refund),
        ),
        (
            ("cho hỏi hoàn tiền thế nào", Ask(RefundPolicy)),
            ("làm thủ tục hoàn tiền", Refund),
        ),
        (
            // Words that only ask win over request wording.
            ("tôi muốn biết có được hoàn tiền không", Ask(RefundPolicy)),
            // A polite request stays a request.
            ("cho tôi hoàn tiền được không", Refund),
        ),
        (
            ("khiếu nại như thế nào", Ask(ComplaintProcess)),
            ("tôi muốn khiếu nại", Complaint),
        ),
        (
            ("how do I complain", Ask(ComplaintProcess)),
            ("I want to complain", Complaint),
        ),
        (
            ("quy trình khiếu nại ra sao", Ask(ComplaintProcess)),
            // Already complaining: take the complaint.
            ("dịch vụ tệ quá, khiếu nại ở đâu?", Complaint),
        ),
        (
            ("bảo lưu được bao lâu", Ask(DeferLength)),
            ("tôi muốn bảo lưu 2 tuần", Deferral),
        ),
        (
            ("bảo lưu tối đa?", Ask(DeferLength)),
            ("em muốn dời lịch tối đa 2 tháng", Deferral),
        ),
        (
            ("công ty có được dời lịch không", Ask(CompanyPostpone)),
            ("shop dời lịch giúp em", Deferral),
        ),
        (
            ("bên mình hoãn lịch của em à", Ask(CompanyPostpone)),
            // "shop" is who is greeted, not who postpones.
            ("chào shop dời lịch được không", Deferral),
        ),
        (
            ("nếu không đến ngày bảo lưu thì sao", Ask(MissedDate)),
            ("xin bảo lưu vì không đến được", Deferral),
        ),
    ];
    let wrong: Vec<String> = pairs
        .iter()
        .flat_map(|(q, r)| [q, r])
        .filter(|(input, expected)| detect_intent(input) != Some(*expected))
        .map(|(input, e)| format!("{input:?}: {:?}, not {e:?}", detect_intent(input)))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn mentioning_a_topic_without_asking_is_not_a_question() {
    let inputs = [
        "số điện thoại của tôi là 0904718078",
        "sdt em 0904718078",
        "địa chỉ nhà tôi ở Biên Hòa",
        "email của em: lan@gmail.com",
        "dia chi email cua toi la lan@gmail.com",
        "tôi sẽ liên hệ lại sau",
        "thợ không đến đúng ngày",
        "phải đợi bao lâu",
        "phai doi bao lau",
        "ảnh đẹp quá",
        "đi chơi ở đâu vui",
        "anh của tôi bị ốm",
        "em gửi hình ảnh giấy khám bệnh",
        "tôi đang làm ở công ty khác",
        "mấy giờ rồi",
        "bao giờ thì mưa",
    ];
    let wrong: Vec<String> = inputs
        .iter()
        .filter(|input| detect_intent(input).is_some())
        .map(|input| format!("{input:?}: {:?}", detect_intent(input)))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_question_has_phrases() {
    for q in QUESTIONS {
        assert!(
            super::tables::builtin()
                .intents
                .iter()
                .any(|(i, p)| *i == Ask(*q) && !p.is_empty()),
            "{q:?}"
        );
    }
}
