## Greeting, menu, commands

greeting = Xin chào! Mình là trợ lý chăm sóc khách hàng của { $company }. Mình có thể giúp bạn bảo lưu chi phí thi công (dời lịch), yêu cầu hoàn trả chi phí, ghi nhận khiếu nại, trả lời câu hỏi về chính sách và cho biết yêu cầu của bạn đang ở đâu.
menu = Bạn cần gì? Chọn một nút bên dưới, hoặc gõ bằng lời của bạn (ví dụ: "bảo lưu").
unknown-command = Mình chưa biết lệnh này.
not-understood = Xin lỗi, mình chưa hiểu ý bạn. Mình có thể giúp bảo lưu (dời lịch), hoàn tiền, khiếu nại, xem trạng thái yêu cầu, và trả lời câu hỏi về chính sách (ví dụ: "bảo lưu được bao lâu", "số hotline").
nothing-to-cancel = Hiện không có yêu cầu nào đang làm dở để hủy.
cancelled = Đã hủy yêu cầu đang làm dở. Thông tin chưa được gửi đi.
too-long-idle = Tin nhắn của bạn dài quá nên mình chưa đọc được. Bạn vui lòng nói ngắn gọn điều cần hỗ trợ.
contact-idle = Cảm ơn bạn đã gửi số điện thoại. Hiện mình chưa cần số này; nhân viên sẽ gọi từ hotline khi cần.
help =
    Các lệnh:
    /baoluu – bảo lưu chi phí thi công (dời lịch)
    /trangthai – xem các yêu cầu của bạn
    /huy – hủy yêu cầu đang làm dở
    /menu – về menu chính
    /language – đổi ngôn ngữ (Tiếng Việt / English)
    Khi đang trả lời, gõ "?" hoặc "tại sao" để biết vì sao mình cần thông tin đó. Hotline: { $hotline }.
language-choose = Chọn ngôn ngữ / Choose your language:
language-set = Đã chuyển sang Tiếng Việt.
button-stale = Nút này không còn dùng được nữa.
resumed = Mình tiếp tục yêu cầu bạn đang làm dở nhé.
use-buttons = Bạn vui lòng chọn một nút bên dưới.

cmd-start = Bắt đầu, menu chính
cmd-menu = Về menu chính
cmd-baoluu = Bảo lưu chi phí thi công (dời lịch)
cmd-trangthai = Xem trạng thái yêu cầu của bạn
cmd-huy = Hủy yêu cầu đang làm dở
cmd-language = Đổi ngôn ngữ / Change language
cmd-help = Hướng dẫn

btn-defer = 📅 Bảo lưu (dời lịch)
btn-status = 📋 Yêu cầu của tôi
btn-language = 🌐 Ngôn ngữ
btn-lang-vi = Tiếng Việt
btn-lang-en = English
btn-menu = Menu chính
btn-resume = ▶️ Tiếp tục yêu cầu đang làm
btn-no-schedule = Chưa có lịch
btn-no-confirmation = Không có giấy xác nhận
btn-confirm = ✅ Gửi yêu cầu
btn-edit = ✏️ Sửa một mục
btn-cancel = ❌ Hủy
btn-back = ↩️ Quay lại
btn-exception = 🙏 Xin công ty xem xét ngoại lệ
btn-exception-for = 🙏 Xin ngoại lệ cho { $request }
btn-handoff-yes = 👩‍💼 Chuyển nhân viên
btn-handoff-no = Thử lại
btn-staff-approve = ✅ Duyệt
btn-staff-reject = ❌ Từ chối

## Files and things the bot cannot read

media-sticker = Cảm ơn nhãn dán của bạn 😊 Mình chỉ đọc được chữ thôi.
media-voice = Mình chưa nghe được tin nhắn thoại. Bạn vui lòng gõ chữ giúp mình nhé.
media-file = Mình đã nhận tệp của bạn.
media-sticker-in-form = Mình chưa đọc được nhãn dán. Bạn vui lòng gõ câu trả lời.
media-voice-in-form = Mình chưa nghe được tin nhắn thoại, nhưng đã lưu lại để nhân viên nghe khi xem yêu cầu. Bạn vui lòng gõ câu trả lời.
media-file-in-form = Mình đã lưu tệp này để gửi kèm yêu cầu cho nhân viên. Câu hỏi hiện tại cần bạn gõ chữ.
media-kept = Mình đã lưu tệp này để gửi kèm yêu cầu cho nhân viên.
contact-in-form = Cảm ơn bạn, nhưng câu hỏi này cần bạn gõ câu trả lời.
unsupported-input = Mình chưa nhận được { $what } qua đây. Bạn vui lòng gõ câu trả lời bằng chữ, hoặc gửi ảnh hay tệp nếu cần; nội dung khác xin gọi hotline.
unsupported-location = vị trí
unsupported-venue = địa điểm
unsupported-poll = cuộc thăm dò
unsupported-dice = xúc xắc
unsupported-game = trò chơi
unsupported-other = loại tin nhắn này
too-long = Câu trả lời dài quá (tối đa { $max } ký tự). Bạn vui lòng viết ngắn gọn hơn.

## The deferral form

defer-intro = Bảo lưu chi phí thi công: mình sẽ hỏi từng thông tin một, rồi cho bạn xem lại trước khi gửi.
defer-intro-cancel = Gõ /huy để hủy bất cứ lúc nào, "?" để biết vì sao cần thông tin.
defer-from-message = Mình đã lấy { $count } thông tin từ tin nhắn của bạn, chỉ hỏi thêm phần còn thiếu; bạn sẽ xem lại tất cả trước khi gửi.
ask-invoice = Số hóa đơn đã thanh toán của bạn là gì? (ví dụ: HD-2026-0012)
ask-paid = Bạn đóng chi phí thi công ngày nào? (ví dụ: 06/10/2026)
ask-scheduled = Lịch thi công hiện tại của bạn là ngày nào? Nếu chưa có lịch, bấm "Chưa có lịch".
ask-reason = Vì sao bạn cần bảo lưu?
ask-reason-text = Bạn vui lòng kể ngắn gọn lý do bằng lời của bạn.
ask-confirmation = Bạn có giấy tờ xác nhận lý do không (giấy khám bệnh, quyết định công tác, giấy báo tử…)? Gửi ảnh hoặc tệp, hoặc bấm "Không có".
ask-new-date = Bạn muốn thi công vào ngày nào? Ngày mới phải sau lịch cũ và cách lịch cũ không quá { $max } ngày.
ask-new-date-unscheduled = Bạn muốn thi công vào ngày nào? Ngày mới phải sau hôm nay và cách hôm nay không quá { $max } ngày.
summary-header = Bạn xem lại yêu cầu bảo lưu:
summary-question = Thông tin đúng chưa?
pick-field = Bạn muốn sửa mục nào?
field-invoice = Số hóa đơn
field-paid = Ngày đóng phí
field-scheduled = Lịch thi công
field-reason = Lý do
field-confirmation = Giấy xác nhận
field-new-date = Ngày mới
new-date-again = Sau khi sửa, ngày thi công mới không còn hợp lệ, nên mình hỏi lại ngày mới nhé.
scheduled-again = Lịch thi công đang sớm hơn ngày đóng phí, nên mình hỏi lại lịch thi công nhé.

why-invoice = Hóa đơn là căn cứ để bảo lưu (mục 2(a) Chính sách khách hàng): số hóa đơn giúp nhân viên tìm đúng hợp đồng của bạn.
why-paid = Bảo lưu chỉ được yêu cầu trong thời hạn tính từ ngày đóng chi phí (mục 2 Chính sách khách hàng), nên mình cần ngày bạn đóng phí.
why-scheduled = Bạn cần báo trước lịch thi công ít nhất 7 ngày (mục 2(b)), và ngày mới được tính từ lịch cũ (mục 2(c)).
why-reason = Công ty chấp nhận bảo lưu vì công tác đột xuất, tai nạn, ốm đau hay hiếu lễ (mục 2 Chính sách khách hàng).
why-confirmation = Chính sách yêu cầu xác nhận lý do nếu có. Không có giấy tờ cũng không sao, nhân viên sẽ thấy điều đó.
why-new-date = Mỗi lần bảo lưu chỉ được dời tối đa 60 ngày (mục 2(c)), nên mình cần ngày bạn muốn thi công.
why-summary = Đây là bản tóm tắt để bạn kiểm tra trước khi gửi; bấm một nút bên dưới.

bad-invoice = Số hóa đơn chưa đúng dạng: cần 4–20 ký tự gồm chữ và số, có ít nhất một chữ số (ví dụ: HD-2026-0012).
bad-date = Mình chưa đọc được ngày này. Bạn ghi theo dạng ngày/tháng/năm, ví dụ 06/10/2026, hoặc "hôm nay", "ngày mai".
bad-date-no-such-day = Không có ngày { $day }/{ $month }/{ $year }. Bạn kiểm tra lại giúp mình nhé.
bad-date-year = Năm { $year } có vẻ chưa đúng. Bạn ghi lại ngày đầy đủ, ví dụ 06/10/2026.
bad-paid-future = Ngày đóng phí { $date } còn ở tương lai (hôm nay là { $today }). Bạn kiểm tra lại ngày đã thanh toán nhé.
bad-scheduled-before-paid = Lịch thi công { $date } lại sớm hơn ngày đóng phí { $paid }. Bạn kiểm tra lại giúp mình nhé.
bad-new-not-future = Ngày mới { $date } phải sau hôm nay ({ $today }).
bad-new-before-scheduled = Ngày mới { $date } phải sau lịch thi công hiện tại ({ $scheduled }).
bad-reason = Bạn chọn một lý do bằng các nút bên dưới, hoặc kể lý do bằng vài chữ.
reason-empty = Bạn vui lòng viết lý do bằng vài chữ.
bad-confirmation = Bạn gửi ảnh hoặc tệp giấy xác nhận, hoặc bấm "Không có" nếu không có giấy tờ.

handoff-offer = Có vẻ mục này khó trả lời qua tin nhắn. Bạn có muốn mình chuyển cho nhân viên chăm sóc khách hàng hỗ trợ không?
handoff-declined = Được ạ, mình hỏi lại nhé.
handoff-done = Mình đã chuyển cho nhân viên (mã { $request }), kèm những gì bạn đã gửi. Nhân viên sẽ gọi cho bạn từ hotline { $hotline } trong vòng { $hours } giờ làm việc, tức là trước { $deadline }.

reason-business_trip = Công tác đột xuất
reason-accident = Tai nạn
reason-illness = Ốm đau
reason-bereavement = Hiếu lễ
reason-economic_family = Kinh tế / gia đình
reason-other = Lý do khác
reason-unclear = Lý do cần nhân viên xem xét

line-invoice = • Số hóa đơn: { $invoice }
line-paid = • Ngày đóng phí: { $date }
line-scheduled = • Lịch thi công hiện tại: { $date }
line-scheduled-none = • Lịch thi công hiện tại: chưa có lịch
line-reason = • Lý do: { $reason }
line-reason-text = • Lý do: { $reason } – “{ $text }”
line-confirmation-attached = • Giấy xác nhận: có đính kèm
line-confirmation-none = • Giấy xác nhận: không có
line-new-date = • Ngày thi công mới: { $date }
line-attachments = • Tệp gửi kèm khác: { $count }

## Decisions, with the rule behind each

rule-SCOPE = mục 1 Chính sách khách hàng
rule-GROUNDS = mục 2 (đoạn 1) Chính sách khách hàng
rule-DEFER_WINDOW = mục 2 (đoạn 1) Chính sách khách hàng
rule-DEFER_REASONS = mục 2 (đoạn 2) Chính sách khách hàng
rule-KEEP_INVOICE = mục 2(a) Chính sách khách hàng
rule-NOTICE = mục 2(b) Chính sách khách hàng
rule-DEFER_MAX = mục 2(c) Chính sách khách hàng
rule-NO_REFUND = phần Lưu ý của Chính sách khách hàng
rule-COMPANY_POSTPONE = phần Lưu ý (dời lịch thi công) của Chính sách khách hàng
rule-REFUND_COMPANY_FAULT = phần Lưu ý (hoàn trả chi phí) của Chính sách khách hàng
rule-RECORDS = quy định lưu trữ hồ sơ, hình ảnh của Chính sách khách hàng
rule-AFTERCARE = quy định hỗ trợ sau thi công của Chính sách khách hàng
rule-COMPLAINT = quy trình giải quyết khiếu nại của Chính sách khách hàng
rule-CONTACT = thông tin liên hệ của Chính sách khách hàng

check-window-pass = ✔️ Đóng phí ngày { $paid }, cách đây { $days } ngày; { $rule } cho phép yêu cầu bảo lưu trong { $limit } ngày (đến hết { $last }).
check-window-fail = ✖️ Đóng phí ngày { $paid }, đã { $days } ngày trước, trong khi { $rule } chỉ cho phép yêu cầu bảo lưu trong { $limit } ngày kể từ ngày đóng phí (hạn cuối là { $last }).
check-notice-pass = ✔️ Lịch thi công { $scheduled } còn { $days } ngày; { $rule } yêu cầu báo trước ít nhất { $required } ngày.
check-notice-fail = ✖️ Lịch thi công { $scheduled } chỉ còn { $days } ngày, trong khi { $rule } yêu cầu báo trước ít nhất { $required } ngày.
check-notice-past = ✖️ Lịch thi công { $scheduled } đã qua { $days } ngày, trong khi { $rule } yêu cầu báo trước ít nhất { $required } ngày.
check-notice-none = ✔️ Chưa có lịch thi công nên không cần báo trước ({ $rule }).
check-reasons-pass = ✔️ Lý do "{ $reason }" thuộc các trường hợp được bảo lưu theo { $rule }.
check-reasons-review = ⚠️ Lý do "{ $reason }" được nêu trong chính sách nhưng không thuộc danh sách được bảo lưu ngay theo { $rule } (công tác đột xuất, tai nạn, ốm đau, hiếu lễ), nên cần nhân viên xem xét.
check-reasons-fail = ✖️ Lý do "{ $reason }" không thuộc các trường hợp được bảo lưu theo { $rule }: công tác đột xuất, tai nạn, ốm đau, hiếu lễ.
check-reasons-unclear = ⚠️ Lý do "{ $reason }" có thể thuộc các trường hợp được bảo lưu theo { $rule } (công tác đột xuất, tai nạn, ốm đau, hiếu lễ) nhưng mình chưa chắc, nên nhân viên sẽ xem xét; yêu cầu không bị từ chối vì lý do này.
check-max-pass = ✔️ Ngày mới cách lịch thi công { $from } là { $days } ngày; { $rule } cho phép tối đa { $limit } ngày (muộn nhất { $last }).
check-max-fail = ✖️ Ngày mới cách lịch thi công { $from } tới { $days } ngày, trong khi { $rule } chỉ cho phép bảo lưu tối đa { $limit } ngày (muộn nhất { $last }).
check-max-pass-today = ✔️ Ngày mới cách hôm nay { $days } ngày; { $rule } cho phép tối đa { $limit } ngày (muộn nhất { $last }).
check-max-fail-today = ✖️ Ngày mới cách hôm nay tới { $days } ngày, trong khi { $rule } chỉ cho phép bảo lưu tối đa { $limit } ngày (muộn nhất { $last }).
check-confirmation-attached = ✔️ Có giấy xác nhận đính kèm ({ $rule }).
check-confirmation-none = ℹ️ Không có giấy xác nhận ({ $rule }: "phải xác nhận nếu có").

decision-approved = ✅ Yêu cầu { $request } đã được chấp thuận. Ngày thi công mới của bạn: { $date }.
decision-rejected = ❌ Rất tiếc, yêu cầu { $request } chưa thể chấp thuận vì:
decision-review = 🕑 Yêu cầu { $request } đã được ghi nhận và cần nhân viên xem xét:
decision-awaiting = 🕑 Yêu cầu { $request } (ngày mới { $date }) đủ điều kiện theo chính sách và đang chờ nhân viên xác nhận.
defer-max-consequence = Lưu ý ({ $rule }): bạn cần đến thi công đúng ngày { $date }. Nếu không đến, coi như bạn đã tự hủy hợp đồng và công ty không giải quyết khiếu nại về sau. Nếu lịch thay đổi trong tương lai, bạn chấp nhận rủi ro đó.
keep-invoice = Bạn nhớ giữ hóa đơn đã thanh toán; đó là căn cứ bảo lưu ({ $rule }).
contact-hotline = Cần hỗ trợ thêm, gọi hotline { $hotline }.
exception-offer = Các ngoại lệ do công ty cân nhắc và quyết định ({ $rule }). Nếu hoàn cảnh của bạn đặc biệt, bạn có thể gửi yêu cầu để nhân viên xem xét.
staff-will-call = Nhân viên sẽ gọi cho bạn từ số hotline { $hotline } trong vòng { $hours } giờ làm việc, tức là trước { $deadline }.
exception-sent = Mình đã gửi yêu cầu xem xét ngoại lệ cho { $request } tới nhân viên. Nhân viên sẽ gọi cho bạn từ số hotline { $hotline } trong vòng { $hours } giờ làm việc, tức là trước { $deadline }.
exception-already = Yêu cầu { $request } đã được gửi để xem xét ngoại lệ rồi, bạn chờ nhân viên liên hệ nhé.

staff-approved = ✅ Nhân viên đã duyệt yêu cầu { $request }. Ngày thi công mới của bạn: { $date }.
staff-approved-plain = ✅ Nhân viên đã duyệt yêu cầu { $request }.
staff-rejected = Rất tiếc, sau khi xem xét, nhân viên đã không duyệt yêu cầu { $request }.

## /trangthai

status-none = Bạn chưa có yêu cầu nào.
status-header = Các yêu cầu của bạn:
status-line = • { $request } · { $kind } · gửi ngày { $created } · hóa đơn { $invoice } · { $status }
status-new-date = ↳ ngày thi công mới: { $date }
kind-deferral = bảo lưu
kind-handoff = chuyển nhân viên
status-approved = đã chấp thuận
status-rejected = không được chấp thuận
status-review = đang chờ nhân viên xem xét
status-exception = đang chờ xem xét ngoại lệ
status-staff_approved = nhân viên đã duyệt
status-staff_rejected = nhân viên không duyệt
status-handoff = đã chuyển nhân viên

## The staff group

card-title = 🗂 { $request } · { $kind } · { $status }
card-status-approved = ĐÃ CHẤP THUẬN (tự động) – cần xếp lịch
card-status-rejected = KHÔNG CHẤP THUẬN
card-status-review = CẦN DUYỆT
card-status-exception = XIN NGOẠI LỆ – CẦN DUYỆT
card-status-staff_approved = ĐÃ DUYỆT
card-status-staff_rejected = ĐÃ TỪ CHỐI
card-status-handoff = CẦN NHÂN VIÊN HỖ TRỢ
card-customer = Khách: { $name } · { $username } · { $via } { $id } · { $lang }
via-telegram = Telegram id
via-zalo = 💬 Zalo id
lang-vi = Tiếng Việt
lang-en = English
card-unreachable = ⚠️ { $via ->
        [zalo] Khách đã bỏ theo dõi Zalo OA
       *[other] Khách đã chặn bot
    }: hãy gọi điện.
card-outcome = Kết quả theo chính sách: { $outcome }
outcome-approved = chấp thuận
outcome-rejected = không chấp thuận
outcome-review = cần nhân viên xem xét
outcome-awaiting = đủ điều kiện, chờ nhân viên xác nhận
card-check-pass = [{ $rule_id }] { $line }
card-check-fail = [{ $rule_id }] { $line }
card-check-review = [{ $rule_id }] { $line }
card-full-text = Lời khách, đầy đủ ({ $request }):
    { $text }
card-unread = Khách đã gõ: "{ $text }"
card-decided = { $status } bởi { $by } lúc { $at }
card-attachment-confirmation = Giấy xác nhận của { $request }
card-attachment-other = Tệp khách gửi kèm { $request }
staff-customer-blocked = ⚠️ Khách { $name } ({ $username }, { $via } { $id }) đã chặn bot: tin nhắn không gửi được nữa. Hãy gọi điện cho khách.
staff-customer-unfollowed = ⚠️ Khách { $name } ({ $via } { $id }) đã bỏ theo dõi Zalo OA: tin nhắn không gửi được nữa. Hãy gọi điện cho khách.
staff-zalo-token-failed = ⚠️ Zalo: không làm mới được mã truy cập của Official Account ({ $error }). Tin nhắn cho khách Zalo đang chờ, không mất. Hãy lấy refresh token mới trong trang nhà phát triển Zalo, đặt vào ZALO_REFRESH_TOKEN rồi khởi động lại bot.
staff-zalo-file-not-carried = 📎 Khách { $name } ({ $via } { $id }) chưa nhận được { $kind ->
        [photo] ảnh
        [video] video
        [voice] tin nhắn thoại
       *[other] tệp
    }{ $file } qua Zalo: Zalo chỉ nhận ảnh JPG/PNG đến 1 MB và tệp PDF, DOC, DOCX đến 5 MB. Khách đã được báo là nhân viên sẽ gọi: hãy gọi cho khách và gửi bằng cách khác.
staff-call-instead = ☎️ Hãy gọi cho khách { $name } ({ $via } { $id }): tin nhắn này không gửi qua Zalo được nữa (quá khung trả lời miễn phí sau tin nhắn cuối của khách). Nội dung cần báo khách:
    { $text }
staff-not-allowed = Chỉ thành viên nhóm nhân viên mới được quyết định.
staff-bad-button = Nút này không hợp lệ.
staff-toast-approved = Đã duyệt { $request }.
staff-toast-rejected = Đã từ chối { $request }.
staff-toast-already = { $request } đã được quyết định bởi { $by }.
staff-toast-already-plain = Yêu cầu này đã được quyết định rồi.
staff-toast-duplicate = Đã ghi nhận.
staff-toast-error = Có lỗi khi ghi nhận, vui lòng thử lại.

## The terminal

shell-intro =
    cskh – trò chuyện thử trong terminal (dữ liệu lưu trong cơ sở dữ liệu như khi chạy thật).
    Gõ như khách hàng; gõ số [1], [2]… để bấm nút của bot; s1, s2… để bấm nút của nhóm nhân viên.
    /file TÊN-TỆP gửi một tệp (ví dụ /file giay-kham-benh.jpg); /quit để thoát.
shell-staff-title = nhóm nhân viên
shell-staff-name = Nhân viên (terminal)
shell-customer-name = Khách thử (terminal)
shell-no-such-button = Không có nút đó.

## Refunds (hoàn trả chi phí)

cmd-hoantien = Yêu cầu hoàn trả chi phí
cmd-chinhsach = Tóm tắt chính sách khách hàng
cmd-lienhe = Thông tin liên hệ, hotline
btn-refund = 💸 Hoàn tiền
btn-policy = 📜 Chính sách
btn-contact = ☎️ Liên hệ
kind-refund = hoàn trả
refund-intro = Yêu cầu hoàn trả chi phí: mình sẽ hỏi từng thông tin một, rồi cho bạn xem lại trước khi gửi.
ask-job-done = Công ty đã thi công cho bạn chưa?
btn-job-done = Đã thi công
btn-job-not-done = Chưa thi công
ask-refund-cause = Vì sao bạn muốn hoàn tiền?
btn-cause-company = Công ty thu phí nhưng chưa thi công
btn-cause-own = Lý do cá nhân của tôi
ask-postpone-notice = Công ty có báo cho bạn (qua email, fanpage hoặc số điện thoại đã đăng ký) về việc dời lịch thi công không?
btn-notice-yes = Có, đã báo dời lịch
btn-notice-no = Không được báo
ask-postpone-original = Lịch thi công ban đầu là ngày nào?
ask-postpone-new = Công ty báo dời sang ngày nào?
ask-refund-reason = Bạn kể ngắn gọn lý do muốn hoàn tiền bằng lời của bạn.
refund-summary-header = Bạn xem lại yêu cầu hoàn trả:
refund-field-invoice = Số hóa đơn
refund-field-paid = Ngày đóng phí
refund-field-done = Đã thi công chưa
refund-field-cause = Lý do hoàn tiền
refund-field-notice = Công ty báo dời lịch
refund-field-reason = Lời kể của bạn
line-job-done = • Đã thi công: rồi
line-job-not-done = • Đã thi công: chưa
line-cause-company = • Lý do: công ty thu phí nhưng chưa thi công
line-cause-own = • Lý do: lý do cá nhân
line-postponed = • Công ty đã báo dời lịch từ { $from } sang { $to }
line-not-postponed = • Công ty không báo dời lịch
line-refund-reason = • Lời khách: “{ $text }”
why-refund-paid = Công ty chỉ hoàn trả khi đã thu phí mà không thi công trong vòng 30 ngày (phần Lưu ý của Chính sách khách hàng), nên mình cần ngày bạn đóng phí.
why-job-done = Chính sách không hoàn trả chi phí cho công việc đã thi công; vấn đề chất lượng được giải quyết qua khiếu nại.
why-refund-cause = Công ty chỉ hoàn trả khi lỗi thuộc về công ty; các trường hợp khác do công ty cân nhắc (phần Lưu ý).
why-postpone = Công ty được dời lịch tối đa 2 tuần nếu có thông báo (phần Lưu ý), nên mình cần biết công ty có báo không và dời sang ngày nào.
bad-postpone-before = Ngày được dời tới { $date } phải sau lịch ban đầu { $original }.
refund-eligible = 🕑 Yêu cầu hoàn trả { $request } đủ điều kiện và đã được chuyển cho nhân viên xử lý:
refund-line-company-fault = ✔️ Đóng phí ngày { $paid }, đã { $days } ngày mà chưa thi công và không có thông báo dời lịch; theo { $rule }, công ty hoàn trả khi đã thu phí mà không thi công trong vòng { $limit } ngày và không thông báo.
refund-no-promise = Nhân viên sẽ gọi cho bạn từ số hotline { $hotline } trong vòng { $hours } giờ làm việc, tức là trước { $deadline }, để thống nhất việc hoàn trả. Số tiền và thời điểm hoàn trả do nhân viên xác nhận.
refund-refused = ✖️ Yêu cầu hoàn trả { $request }: không được hoàn trả chi phí. Theo chính sách:
refund-not-yet = ⏳ Yêu cầu hoàn trả { $request }: chưa thể hoàn trả lúc này, sớm nhất từ ngày { $first }. Theo chính sách:
refund-not-sent = Đây là kết quả theo đúng chính sách nên yêu cầu không được chuyển cho nhân viên; mình đã lưu lại để bạn xem bằng /trangthai.
btn-complaint-instead = 📣 Khiếu nại về chất lượng
refund-line-not-yet = ✖️ Đóng phí ngày { $paid }, mới { $days } ngày. Theo { $rule }, công ty chỉ hoàn trả khi đã qua { $limit } ngày mà chưa thi công và không thông báo; bạn có thể yêu cầu lại từ ngày { $first }.
refund-defer-instead = Nếu bạn cần dời lịch, bạn có thể bảo lưu chi phí thay vì hoàn tiền.
btn-defer-instead = 📅 Bảo lưu thay thế
refund-line-job-done = ✖️ Công việc đã thi công nên không được hoàn trả chi phí ({ $rule }).
refund-complaint-offer = Nếu bạn chưa hài lòng với chất lượng, bạn có thể khiếu nại: bấm "Khiếu nại về chất lượng" bên dưới, hoặc gọi hotline { $hotline } ({ $rule }).
refund-line-postpone-allowed = ✖️ Công ty đã báo dời lịch từ { $from } sang { $to } ({ $days } ngày); { $rule } cho phép công ty dời tối đa { $limit } ngày, nên không hoàn trả chi phí.
refund-review = 🕑 Yêu cầu hoàn trả { $request } đã được ghi nhận và cần nhân viên xem xét:
refund-line-postpone-too-long = ⚠️ Công ty đã báo dời lịch từ { $from } sang { $to } ({ $days } ngày), vượt quá { $limit } ngày mà { $rule } cho phép.
refund-line-own = ✖️ Công ty không hoàn trả chi phí khi lý do không thuộc lỗi của công ty ({ $rule }).
refund-defer-offer = Bạn vẫn có thể bảo lưu chi phí để thi công vào ngày khác, đến hết ngày { $last } ({ $rule }).
refund-defer-closed = Thời hạn yêu cầu bảo lưu đã hết vào ngày { $last } ({ $rule }).
refund-staff-approved = ✅ Nhân viên đã xác nhận yêu cầu hoàn trả { $request }. Nhân viên sẽ liên hệ với bạn từ số hotline { $hotline } để thống nhất việc hoàn trả.
defer-prefilled = Mình đã điền sẵn thông tin trên từ yêu cầu hoàn trả của bạn.
card-refund-outcome = [{ $rules }] { $line }
card-refund-eligible = Đủ điều kiện hoàn trả: { $days } ngày kể từ khi đóng phí, chưa thi công, không có thông báo dời lịch. Cần liên hệ khách để hoàn trả.
card-refund-not_yet = Chưa đủ điều kiện: mới { $days } ngày kể từ khi đóng phí; khách có thể yêu cầu lại từ { $first }.
card-refund-job_done = Không hoàn trả: công việc đã thi công.
card-refund-postponement_allowed = Không hoàn trả: công ty dời lịch { $days } ngày, trong giới hạn { $limit } ngày.
card-refund-postponement_too_long = Cần xem xét: công ty dời lịch { $days } ngày, quá giới hạn { $limit } ngày.
card-refund-own_reasons = Không hoàn trả: lý do cá nhân của khách (còn bảo lưu được: { $defer }).

## Policy and contact

policy-title = 📜 Chính sách khách hàng của { $company }, tóm tắt:
policy-defer = • Bảo lưu chi phí: trong vòng { $window } ngày kể từ ngày đóng phí ({ $rule }).
policy-reasons = • Lý do được bảo lưu: công tác đột xuất, tai nạn, ốm đau, hiếu lễ, có xác nhận nếu có ({ $rule }).
policy-invoice = • Giữ hóa đơn đã thanh toán làm căn cứ bảo lưu ({ $rule }).
policy-notice = • Báo trước lịch thi công ít nhất { $notice } ngày ({ $rule }).
policy-max = • Bảo lưu tối đa { $max } ngày; không đến đúng ngày đã bảo lưu là tự hủy hợp đồng ({ $rule }).
policy-no-refund = • Không hoàn trả chi phí khi nguyên nhân không thuộc lỗi của công ty; ngoại lệ do công ty quyết định ({ $rule }).
policy-postpone = • Công ty có thể dời lịch thi công tối đa { $days } ngày, có thông báo ({ $rule }).
policy-refund = • Hoàn trả khi công ty đã thu phí mà không thi công trong vòng { $days } ngày và không thông báo ({ $rule }).
policy-records = • Công ty lưu hồ sơ và hình ảnh trước/sau thi công; ảnh có thể được cắt, che để bảo mật ({ $rule }).
policy-aftercare = • Sau thi công, công ty theo dõi tình trạng qua kênh online và hướng dẫn bạn tự xử trí tại nhà ({ $rule }).
policy-complaint = • Khiếu nại: qua hotline { $hotline }, CSKH ghi nhận và thương lượng; nếu không được mới nhờ cơ quan pháp luật ({ $rule }).
contact-card =
    ☎️ { $company }
    Hotline: { $hotline } ({ $hotline_e164 })
    Email: { $email }
    Website: { $website }
    Địa chỉ: { $address }
    (theo { $rule })

## Answers to questions

answer-refund = Công ty chỉ hoàn trả chi phí khi đã thu phí mà không thi công trong vòng { $days } ngày và không thông báo cho bạn ({ $rule }). Với các lý do khác, công ty không hoàn trả; ngoại lệ do công ty quyết định ({ $rule_no }). Bạn có thể gửi yêu cầu để mình kiểm tra trường hợp của bạn, hoặc bảo lưu để thi công ngày khác.
answer-defer-length = Bạn được bảo lưu tối đa { $max } ngày so với lịch thi công ({ $rule }). Yêu cầu bảo lưu phải gửi trong vòng { $window } ngày kể từ ngày đóng phí ({ $rule_window }) và trước lịch thi công ít nhất { $notice } ngày ({ $rule_notice }).
answer-defer-window = Yêu cầu bảo lưu cần gửi trong vòng { $window } ngày kể từ ngày đóng phí ({ $rule }). Nếu bạn đóng phí chưa quá { $window } ngày, bấm "Bảo lưu" để gửi yêu cầu; nếu đã quá, bạn vẫn có thể gửi, công ty sẽ xem xét ngoại lệ.
answer-missed-date = Khi đã bảo lưu, bạn cần thi công đúng ngày đã hẹn. Nếu không đến, coi như bạn tự hủy hợp đồng và công ty không giải quyết khiếu nại về sau ({ $rule }). Nếu có việc đột xuất, hãy gọi ngay hotline { $hotline }.
answer-company-postpone = Công ty có thể dời lịch thi công tối đa { $days } ngày, và sẽ báo cho bạn qua email, fanpage hoặc số điện thoại bạn đã đăng ký ({ $rule }). Nếu bị dời lâu hơn, bạn có thể gửi yêu cầu hoàn trả để nhân viên xem xét.
answer-photos = Công ty lưu hồ sơ và hình ảnh trước, sau thi công. Một số ảnh có thể được cắt và che một phần để bảo mật thông tin của bạn, rồi dùng cho quảng cáo, báo cáo, truyền thông và đối chiếu hiệu quả ({ $rule }).
answer-complaint = Quy trình khiếu nại ({ $rule }): bước 1, bạn khiếu nại qua hotline { $hotline }; bước 2, bộ phận CSKH ghi nhận và giải quyết theo tính chất, mức độ sự việc, dựa trên tình trạng trước/sau thi công và bản cam kết bạn đã ký, ưu tiên thương lượng, hòa giải; bước 3, nếu thương lượng không thành mới nhờ cơ quan pháp luật.
answer-aftercare = Sau thi công, công ty theo dõi và cập nhật tình trạng của bạn qua các kênh online, và hướng dẫn bạn tự xử trí các vấn đề phát sinh tại nhà ({ $rule }). Nếu có vấn đề, bạn nhắn cho nhân viên để được hướng dẫn.
btn-ask-staff = 👩‍💼 Hỏi nhân viên
not-understood-offer = Nếu bạn cần hỏi điều khác, bấm "Hỏi nhân viên": mình sẽ chuyển nguyên văn tin nhắn của bạn cho nhân viên.
ask-staff-nothing = Bạn cứ gõ câu hỏi, rồi bấm "Hỏi nhân viên" để mình chuyển cho nhân viên.

## Complaints (khiếu nại): the customer

cmd-khieunai = Khiếu nại, phản ánh
btn-complaint = 📣 Khiếu nại
complaint-intro = Mình sẽ ghi nhận khiếu nại của bạn thành một hồ sơ để không bị thất lạc ({ $rule }, bước 1). Bạn cũng có thể gọi hotline { $hotline }.
ask-category = Khiếu nại của bạn về việc gì?
category-quality = Chất lượng dịch vụ
category-schedule = Lịch hẹn, chậm trễ
category-attitude = Thái độ nhân viên
category-billing = Chi phí, thanh toán
category-other = Việc khác
ask-description = Bạn kể lại sự việc bằng lời của bạn. Bạn có thể gửi kèm ảnh hoặc video.
bad-description = Bạn vui lòng mô tả sự việc bằng vài câu để nhân viên hiểu rõ.
media-kept-describe = Mình đã lưu ảnh/video. Bạn kể thêm bằng lời sự việc nhé.
ask-more-media = Mình đã ghi lại lời kể của bạn ({ $count } tệp đính kèm). Bạn có thể gửi thêm ảnh, video hoặc lời kể; xong thì bấm "Xong".
btn-media-done = ✅ Xong
ask-complaint-invoice = Số hóa đơn liên quan là gì? Nếu không có, bấm "Không có hóa đơn".
btn-no-invoice = Không có hóa đơn
ask-urgency = Mức độ cần xử lý?
btn-urgency-normal = Bình thường
btn-urgency-urgent = 🔴 Khẩn cấp
urgency-normal = bình thường
urgency-urgent = 🔴 KHẨN
ask-phone = Số điện thoại để nhân viên gọi lại cho bạn? Bấm nút chia sẻ số bên dưới, hoặc gõ số (ví dụ 0912 345 678).
btn-share-contact = 📱 Chia sẻ số điện thoại
zalo-file-not-carried = 📎 Nhân viên vừa gửi bạn { $kind ->
        [photo] một ảnh
        [video] một video
        [voice] một tin nhắn thoại
       *[other] một tệp
    }{ $file }, nhưng Zalo không nhận được loại tệp hoặc kích thước này. Nhân viên sẽ gọi cho bạn để gửi bằng cách khác.
ask-phone-typed = Số điện thoại để nhân viên gọi lại cho bạn? Bạn gõ số di động vào ô chat giúp mình nhé (ví dụ 0912 345 678).
bad-phone = Số "{ $phone }" chưa đúng dạng số di động Việt Nam (10 số, bắt đầu bằng 03, 05, 07, 08, 09, hoặc +84). Bạn kiểm tra lại giúp mình nhé.
ask-consent = Bạn đồng ý để nhân viên gọi cho bạn từ hotline { $hotline } đến số { $phone } không?
btn-consent-yes = Đồng ý
btn-consent-no = Không, chỉ nhắn tin
why-complaint = Nhân viên cần biết sự việc bằng chính lời của bạn để xử lý đúng (bước 2 của quy trình khiếu nại).
why-complaint-invoice = Số hóa đơn giúp nhân viên tìm đúng hợp đồng và bản cam kết bạn đã ký.
why-urgency = Khiếu nại khẩn cấp được gọi lại sớm hơn.
why-phone = Theo quy trình, nhân viên CSKH liên hệ lại với bạn qua hotline để thương lượng, giải quyết.
case-opened = ✅ Khiếu nại { $case } đã được ghi nhận ({ $rule }, bước 1).
case-call-urgent = Bước 2: nhân viên CSKH sẽ gọi cho bạn từ hotline { $hotline } trong vòng { $minutes } phút làm việc, tức là trước { $deadline }.
case-call-normal = Bước 2: nhân viên CSKH sẽ gọi cho bạn từ hotline { $hotline } trong vòng { $hours } giờ làm việc, tức là trước { $deadline }.
case-write-more = Trong lúc chờ, mọi tin nhắn, ảnh bạn gửi ở đây sẽ được chuyển vào hồ sơ khiếu nại.
case-message-added = Đã chuyển vào hồ sơ { $case }. Nhân viên sẽ trả lời bạn tại đây.
btn-close-case = Đóng khiếu nại
btn-close-case-for = Đóng khiếu nại { $case }
case-closed-by-customer = Đã đóng khiếu nại { $case }. Cảm ơn bạn.
case-already-open = Bạn đang có khiếu nại { $case } chưa xong. Bạn muốn bổ sung vào khiếu nại đó hay tạo khiếu nại mới?
btn-case-add = Bổ sung vào khiếu nại đang mở
btn-case-new = Tạo khiếu nại mới
case-claimed-customer = Khiếu nại { $case } đã được nhân viên CSKH tiếp nhận (bước 2). Nhân viên sẽ liên hệ bạn từ hotline { $hotline }.
case-resolved-customer = ✅ Khiếu nại { $case } đã được giải quyết.
case-reopened-customer = Khiếu nại { $case } đã được đánh dấu là đã giải quyết, nhưng mình thấy bạn vẫn cần hỗ trợ: mình đã mở lại khiếu nại và chuyển nguyên lời bạn cho nhân viên.
case-staff-reopened = 🔁 Khách nhắn tiếp sau khi { $case } đã được giải quyết: khiếu nại được mở lại (bước 2), cần gọi lại cho khách.
rating-ask = Bạn đánh giá việc hỗ trợ thế nào (1 đến 5 sao)?
rating-star = { $n } ⭐
rating-ask-comment = Cảm ơn bạn đã đánh giá { $stars } ⭐. Bạn có muốn góp ý thêm không? Gõ góp ý, hoặc bấm "Bỏ qua".
btn-rating-skip = Bỏ qua
rating-thanks = Cảm ơn bạn đã góp ý!
rating-already = Khiếu nại này đã được đánh giá rồi, cảm ơn bạn.
case-step3-customer = Khiếu nại { $case }: thương lượng, hòa giải chưa giải quyết được. Theo { $rule } (bước 3), vụ việc sẽ được nhờ đến cơ quan pháp luật để đảm bảo quyền lợi hợp pháp của các bên. Cần trao đổi thêm, gọi hotline { $hotline }.
case-closed-customer = Khiếu nại { $case } đã được đóng. Nếu cần hỗ trợ thêm, gọi hotline { $hotline } hoặc tạo khiếu nại mới.
case-from-company =
    💬 { $company } ({ $case }):
    { $text }
case-from-company-file = 📎 { $company }
status-case-line = • { $case } · khiếu nại · gửi ngày { $created } · bước { $step } · { $status }
case-status-open = mới nhận
case-status-claimed = đang xử lý
case-status-resolved = đã giải quyết
case-status-step3 = chuyển bước 3
case-status-closed = đã đóng

## Complaints: staff

case-topic-title = { $case } · { $name } · { $category } · { $mark }
case-card-title = 📣 { $case } · { $category } · { $urgency }
case-card-status = Bước { $step } · { $status }
case-card-claimed = Nhân viên xử lý: { $by } (từ { $at })
case-card-phone = ☎️ { $phone } · { $consent }
case-card-no-phone = ☎️ chưa có số điện thoại
consent-yes = đồng ý được gọi
consent-no = không muốn được gọi, chỉ nhắn tin
case-card-no-invoice = • Hóa đơn: không có
case-card-call = 📞 Gọi lần cuối: { $at } – { $outcome }
call-reached = đã nói chuyện với khách
call-no_answer = khách không nghe máy
case-card-rating = ⭐ Đánh giá: { $stars }/5 { $comment }
case-card-description =
    Lời khách:
    “{ $text }”
btn-case-claim = 🙋 Nhận xử lý
btn-case-reached = 📞 Đã gọi được
btn-case-no-answer = 📵 Không nghe máy
btn-case-resolve = ✅ Đã giải quyết
btn-case-step3 = ⚖️ Chuyển bước 3
btn-case-close = 🔒 Đóng
case-media-caption = { $case } · tệp của { $name }
case-from-customer =
    💬 { $case } · { $name }:
    { $text }
case-staff-closed-by-customer = 🔒 Khách đã tự đóng khiếu nại { $case }.
case-staff-rated = ⭐ Khách đánh giá { $case }: { $stars }/5.
case-staff-rating-comment = ⭐ Góp ý của khách cho { $case }: “{ $text }”
case-customer-blocked = ⚠️ { $case }: không gửi được cho khách ({ $via ->
        [zalo] khách đã bỏ theo dõi Zalo OA
       *[other] khách đã chặn bot
    }). Hãy gọi điện.
case-note-saved = 📝 Đã lưu ghi chú nội bộ vào { $case } (không gửi cho khách).
case-chatter-kept = 📝 Đã lưu vào hồ sơ { $case } như ghi chú nội bộ: khách không thấy tin này. Muốn gửi cho khách, hãy trả lời (reply) tin của khách, hoặc bắt đầu tin bằng { $prefix }.
case-closed-not-sent = { $case } đã đóng: tin nhắn không được gửi cho khách.
case-toast-done = { $case }: { $action }.
case-action-cl = đã nhận xử lý
case-action-cr = đã ghi nhận cuộc gọi
case-action-cn = đã ghi nhận khách không nghe máy
case-action-rs = đã giải quyết
case-action-s3 = đã chuyển bước 3
case-action-x = đã đóng
case-toast-claimed = { $case } đã được { $by } nhận xử lý.
case-toast-not-now = { $case } đang ở trạng thái "{ $status }": không làm được việc này.
cases-none = Không có khiếu nại nào đang mở.
cases-header = Khiếu nại đang mở (cũ nhất trước):
cases-line = • { $case } · { $days } ngày { $hours } giờ { $minutes } phút · bước { $step } · { $status } · { $by } · { $urgency }
case-usage = Cách dùng: /case KN-000123
case-not-found = Không tìm thấy khiếu nại "{ $case }".
case-history-header = Lịch sử:
case-history-line = • { $at } · { $who } · { $kind } { $text } (tệp: { $files })
actor-customer = khách
actor-bot = bot
actor-staff = { $name }
event-created = tạo khiếu nại
event-customer_message = khách nhắn
event-staff_message = nhân viên nhắn
event-note = ghi chú nội bộ
event-claimed = nhận xử lý
event-called_reached = gọi được
event-called_no_answer = gọi không nghe
event-resolved = đã giải quyết
event-step3 = chuyển bước 3
event-closed = đóng
event-rated = đánh giá
event-delivery_failed = không gửi được cho khách
event-reminded = nhắc gọi lại
event-reopened = mở lại
shell-no-such-command = Lệnh nhân viên không có. Dùng !/cases hoặc !/case KN-000001.
shell-staff-usage = Cách nhắn với vai nhân viên: !KN-000001 nội dung (hoặc !KN-000001 #note ghi chú nội bộ).

## Reminders

cmd-tatnhac = Tắt lời nhắc và hỏi thăm
cmd-batnhac = Bật lại lời nhắc và hỏi thăm
reminders-off = Đã tắt lời nhắc và tin hỏi thăm. Gõ /batnhac để bật lại.
reminders-on = Đã bật lại lời nhắc và tin hỏi thăm.
reminders-stop-hint = (Gõ /tatnhac nếu bạn không muốn nhận lời nhắc.)
remind-deferral = ⏰ Nhắc lịch: yêu cầu bảo lưu { $request }, ngày thi công mới của bạn là { $date } (còn { $days } ngày).
aftercare-checkin = 👋 Công ty hỏi thăm bạn sau thi công ({ $request }, ngày thứ { $days }): tình trạng của bạn thế nào?
btn-aftercare-ok = 👍 Tốt
btn-aftercare-bad = ⚠️ Có vấn đề
aftercare-glad = Rất vui khi nghe vậy! Cảm ơn bạn.
aftercare-guidance = Theo { $rule }, công ty hướng dẫn bạn tự xử trí các vấn đề phát sinh tại nhà: giữ vùng thi công sạch sẽ, khô ráo; không tự ý can thiệp; theo dõi thêm 1–2 ngày. Nếu tình trạng nặng hơn, hãy liên hệ ngay.
aftercare-complaint-offer = Nếu cần nhân viên xử lý, bạn có thể mở khiếu nại (số hóa đơn đã được điền sẵn) hoặc gọi hotline { $hotline }.
btn-staff-called = 📞 Đã gọi cho khách
btn-job-done-staff = ✅ Đã thi công xong
staff-toast-called = Đã ghi nhận cuộc gọi; ngừng nhắc gọi lại.
btn-request-no-answer = 📵 Không nghe máy
staff-toast-no-answer = Đã ghi nhận khách không nghe máy (lần { $missed }).
staff-toast-no-answer-plain = Đã ghi nhận khách không nghe máy; bot sẽ nhắc gọi lại.
staff-toast-job-done = { $request }: đã ghi nhận thi công xong.
staff-job-done = ✅ { $request }: { $by } ghi nhận đã thi công xong. Bot sẽ hỏi thăm khách theo lịch hỗ trợ sau thi công.
done-usage = Cách dùng: /done SỐ-HÓA-ĐƠN (ghi nhận đã thi công xong một yêu cầu bảo lưu đã duyệt).
done-not-found = Không có yêu cầu bảo lưu đã duyệt nào cho hóa đơn { $invoice }.
ping-case = ⏰ { $case } · { $name } · ☎️ { $phone } · { $urgency } · { $late ->
        [0] đến hạn gọi lại
       *[other] quá hạn gọi lại { $late } phút làm việc
    }
ping-case-missed = ⏰ { $case } · { $name } · ☎️ { $phone } · { $urgency } · khách không nghe máy { $missed } lần, { $late ->
        [0] đến hạn gọi lại lần nữa
       *[other] quá hạn gọi lại { $late } phút làm việc
    }
ping-case-gave-up = 📵 { $case } · { $name } · ☎️ { $phone } · khách không nghe máy { $missed } lần; bot ngừng nhắc gọi lại.
ping-request = ⏰ { $request } · { $name } ({ $username }) · chờ nhân viên, { $late ->
        [0] đến hạn gọi lại
       *[other] quá hạn gọi lại { $late } phút làm việc
    }
ping-request-missed = ⏰ { $request } · { $name } ({ $username }) · khách không nghe máy { $missed } lần, { $late ->
        [0] đến hạn gọi lại lần nữa
       *[other] quá hạn gọi lại { $late } phút làm việc
    }
ping-request-gave-up = 📵 { $request } · { $name } ({ $username }) · khách không nghe máy { $missed } lần; bot ngừng nhắc gọi lại.
ping-request-next = Vui lòng quyết định bước tiếp theo: gọi số khác, hoặc duyệt / từ chối yêu cầu để bot báo kết quả cho khách.
ping-request-next-supervisor = 📣 { $who }: vui lòng quyết định bước tiếp theo (gọi số khác, hoặc duyệt / từ chối yêu cầu để bot báo kết quả cho khách).
ping-digest = ⏰ { $count } khách đang chờ được gọi lại quá hạn:
ping-supervisor = 📣 { $who }: vui lòng phân công người gọi.
ping-gave-up-supervisor = 📣 { $who }: vui lòng quyết định bước tiếp theo (nhắn cho khách trong hồ sơ, gọi số khác, hoặc đóng khiếu nại).
ping-gave-up = Vui lòng quyết định bước tiếp theo: nhắn cho khách trong hồ sơ, gọi số khác, hoặc đóng khiếu nại.
digest-title = 📅 Lịch thi công hôm nay { $date } ({ $count } khách đã bảo lưu):
digest-line = • { $request } · { $name } · hóa đơn { $invoice }
staff-defer-passed = ⚠️ { $request } · { $name } · hóa đơn { $invoice }: ngày thi công đã bảo lưu { $date } đã qua mà chưa có ghi nhận đã thi công hay dời lịch. Bot không tự hủy gì; nhân viên kiểm tra giúp.
staff-remind-by-phone = ☎️ { $request } · { $name }: { $via ->
        [zalo] khách đã bỏ theo dõi Zalo OA
       *[other] khách đã chặn bot
    }, không nhận được lời nhắc ngày thi công { $date }. Hãy gọi điện nhắc khách.
staff-checkin-by-phone = ☎️ { $request } · { $name }: { $via ->
        [zalo] khách đã bỏ theo dõi Zalo OA
       *[other] khách đã chặn bot
    }, không nhận được tin hỏi thăm sau thi công. Hãy gọi điện hỏi thăm.
staff-aftercare-problem = ⚠️ { $request } · { $name } · hóa đơn { $invoice }: khách báo có vấn đề sau thi công.

## Invoice import and exports (the operator's terminal)

import-column-number = số hóa đơn
import-column-name = tên khách hàng
import-column-phone = số điện thoại
import-column-amount = số tiền
import-column-paid = ngày thanh toán
import-column-job = ngày thi công
import-column-status = trạng thái
import-missing-columns = Tệp thiếu cột: { $columns }. Dòng đầu tiên phải là tên các cột.
import-bad-row = dòng { $line }: { $why }
import-bad-invoice = số hóa đơn "{ $value }" không đúng dạng
import-missing-name = thiếu tên khách hàng
import-bad-date = { $column } "{ $value }" không đọc được (dd/mm/yyyy hoặc yyyy-mm-dd)
import-bad-amount = số tiền "{ $value }" không đọc được
import-bad-phone = số điện thoại "{ $value }" không phải số di động Việt Nam
import-bad-status = trạng thái "{ $value }" không rõ (paid / done / cancelled, hoặc đã thanh toán / đã thi công / đã hủy)
import-duplicate = hóa đơn { $number } đã có ở dòng { $first }
import-field-count = thiếu cột so với dòng tiêu đề
import-summary = Đã nhập: { $added } mới, { $updated } cập nhật, { $skipped } bỏ qua.
import-nothing = Chưa nhập gì vì có { $bad } dòng lỗi. Sửa các dòng trên, hoặc chạy lại với --skip-bad để nhập các dòng đúng.
export-bad-since = ngày không đọc được (dd/mm/yyyy hoặc yyyy-mm-dd)

## The invoice registry in conversations

registry-confirm = Theo danh sách hóa đơn của công ty, hóa đơn { $invoice }: ngày đóng phí { $paid }, lịch thi công { $job }. Đúng không?
registry-no-job-date = chưa có lịch
btn-registry-right = ✅ Đúng
btn-registry-wrong = ✏️ Không đúng, tôi nhập lại
why-registry = Mình lấy ngày từ danh sách hóa đơn công ty để bạn khỏi phải nhập; nếu sai, bấm "Không đúng" để nhập lại, nhân viên sẽ kiểm tra.
registry-filled = Theo danh sách hóa đơn, hóa đơn { $invoice } đóng phí ngày { $paid }.
invoice-job-done = Theo danh sách hóa đơn, công việc của hóa đơn { $invoice } đã thi công xong, nên không thể bảo lưu. Nếu có vấn đề về chất lượng, bạn có thể khiếu nại (/khieunai).
invoice-cancelled = Theo danh sách hóa đơn, hóa đơn { $invoice } đã bị hủy, nên không thể bảo lưu. Nếu thông tin này sai, gọi hotline hoặc chọn "Hỏi nhân viên".
line-registry-known = • Hóa đơn có trong danh sách của công ty ✔
line-registry-unknown = • Hóa đơn KHÔNG có trong danh sách của công ty
line-registry-disputed = • Hóa đơn có trong danh sách, nhưng khách báo ngày khác với danh sách
case-card-phone-verified = ✔ Số điện thoại khớp với hóa đơn

## /stats and /export

stats-week = 📊 Tuần này:
stats-month = 📊 Tháng này:
stats-no-requests = • Chưa có yêu cầu nào.
stats-requests = • { $kind } · { $outcome }: { $count }
stats-open-cases = • Khiếu nại đang mở: { $day } dưới 1 ngày, { $days } từ 1–3 ngày, { $older } trên 3 ngày
stats-callback = • Thời gian đến cuộc gọi đầu tiên (trung vị): { $minutes } phút
stats-callback-none = • Chưa có cuộc gọi lại nào được ghi nhận
stats-on-time = • Gọi lại đúng hạn: { $percent }%
stats-rating = • Đánh giá trung bình: { $rating }/5
stats-rating-none = • Chưa có đánh giá
export-caption = 📎 { $file } (UTF-8, mở được bằng Excel và LibreOffice)

stats-outcome-approved = chấp thuận
stats-outcome-rejected = không chấp thuận
stats-outcome-review = chờ nhân viên xem xét
stats-outcome-awaiting = chờ nhân viên xác nhận
stats-outcome-eligible = đủ điều kiện hoàn trả
stats-outcome-not_yet = chưa đủ 30 ngày
stats-outcome-job_done = đã thi công, không hoàn trả
stats-outcome-postponement_allowed = công ty dời lịch trong hạn
stats-outcome-postponement_too_long = công ty dời lịch quá hạn
stats-outcome-own_reasons = lý do cá nhân
stats-outcome-handoff = chuyển nhân viên
stats-outcome-exception = xin ngoại lệ
stats-outcome-staff_approved = nhân viên duyệt
stats-outcome-staff_rejected = nhân viên từ chối
stats-outcome-cancelled = đã hủy
stats-outcome-open = đang mở
stats-outcome-closed = đã đóng
rating-thanks-stars = Cảm ơn bạn đã đánh giá { $stars } ⭐.

# Thanks, "ok", goodbye or emoji with nothing else: a short friendly answer.
small-talk = Dạ, không có gì ạ! Khi cần bảo lưu, hoàn trả, khiếu nại hay hỏi chính sách, bạn cứ nhắn cho mình nhé.

## Charts (staff)
chart-title-weeks = 8 tuần gần nhất
chart-title-months = 8 tháng gần nhất
chart-panel-kinds = Yêu cầu và khiếu nại, theo loại
chart-panel-outcomes = Yêu cầu, theo kết quả
chart-panel-callbacks = Gọi lại khách: đúng hạn và trễ
chart-panel-ratings = Đánh giá trung bình (số lượt)
chart-kind-deferral = Bảo lưu
chart-kind-refund = Hoàn trả
chart-kind-handoff = Chuyển nhân viên
chart-kind-complaint = Khiếu nại
chart-outcome-granted = Chấp thuận
chart-outcome-refused = Không chấp thuận
chart-outcome-staff = Chờ nhân viên
chart-on-time = Đúng hạn
chart-late = Trễ hoặc chưa gọi
chart-caption-weeks = 📈 Biểu đồ { $count } tuần gần nhất (/stats thang: theo tháng)
chart-caption-months = 📈 Biểu đồ { $count } tháng gần nhất (/stats: theo tuần)

## Morning summary and health alerts (staff)
summary-title = 🌅 Tóm tắt ngày { $date }:
summary-requests = • Yêu cầu mới: { $total } (bảo lưu { $deferral }, hoàn trả { $refund }, chuyển nhân viên { $handoff }); chấp thuận { $granted }, không chấp thuận { $refused }, chờ nhân viên { $staff }
summary-cases = • Khiếu nại mới: { $total } (mới nhận { $open }, đang xử lý { $claimed }, đã giải quyết { $resolved }, bước 3 { $step3 }, đã đóng { $closed })
summary-callbacks = • Gọi lại khách hôm qua: { $on_time } đúng hạn, { $late } trễ. Hiện còn { $owed } khách chờ gọi lại, { $overdue } đã quá hạn
summary-oldest-header = • Khiếu nại mở lâu nhất:
summary-oldest-line =   { $case } · { $days } ngày { $hours } giờ · { $status } · { $by }
summary-oldest-none = • Không có khiếu nại nào đang mở
summary-ratings = • Đánh giá hôm qua: { $count } lượt, trung bình { $rating }/5
summary-ratings-none = • Hôm qua chưa có đánh giá nào
summary-jobs = • Lịch thi công hôm nay: { $count } khách đã bảo lưu
summary-health-title = 🤖 Tình trạng của bot:
summary-health-outbox = • Tin nhắn chưa gửi: { $count }, tin cũ nhất đã chờ { $minutes } phút
summary-health-outbox-empty = • Không có tin nhắn nào đang chờ gửi
summary-health-refused = • Tin nhắn bị Telegram từ chối: { $count }
summary-health-updates = • Tin đến xử lý lỗi và đã bỏ qua: { $count }
summary-health-restarts = • Số lần bot khởi động từ hôm qua: { $count }
health-outbox-stuck = ⚠️ Bot đang gửi tin chậm: tin nhắn cũ nhất đã chờ { $minutes } phút ({ $count } tin đang chờ gửi). Vui lòng kiểm tra kết nối tới Telegram và máy chủ của bot.
health-outbox-well = ✅ Bot đã gửi tin bình thường trở lại: không còn tin nào chờ quá { $limit } phút.
health-sends-failing = ⚠️ Bot gửi tin liên tục thất bại: { $failing } tin đã thử nhiều lần chưa được, { $refused } tin bị từ chối gần đây. Vui lòng kiểm tra token của bot và kết nối mạng.
health-sends-well = ✅ Bot đã gửi tin thành công trở lại.
health-db-back = ⚠️ Bot đã không kết nối được cơ sở dữ liệu từ { $from } đến { $to } (khoảng { $minutes } phút); nay đã kết nối lại.

## The staff web page
web-title = CSKH · Việc đang mở
web-loading = Đang tải…
web-refused = Không mở được trang: chỉ thành viên nhóm nhân viên mở được trang này, từ nút của bot (/dashboard). Vui lòng mở lại từ Telegram.
web-offline = Không kết nối được với bot. Vui lòng thử lại sau.
web-open = Đang mở
web-none = Không có việc nào khớp bộ lọc.
web-filter-status = Trạng thái
web-filter-kind = Loại
web-filter-who = Người xử lý
web-filter-late = Gọi lại
web-all = Tất cả
web-nobody = chưa ai nhận
web-number = Số
web-customer = Khách hàng
web-age = Đã chờ
web-step = Bước
web-who = Người xử lý
web-deadline = Hạn gọi lại
web-deadline-called = đã gọi
web-deadline-due = còn hạn
web-deadline-soon = sắp đến hạn
web-deadline-late = quá hạn
web-deadline-late-only = chỉ việc quá hạn
web-charts = Biểu đồ
web-chart-weeks = Biểu đồ 8 tuần gần nhất
web-chart-months = Biểu đồ 8 tháng gần nhất
web-back = Danh sách
web-history = Lịch sử
web-description = Khách mô tả
web-phone = Số điện thoại
web-invoice = Hóa đơn
web-category = Nội dung
web-urgent = khẩn cấp
web-viewer = Đang xem
web-case-not-found = Không tìm thấy khiếu nại
dashboard-button = 📋 Mở trang việc đang mở
dashboard-intro = Trang việc đang mở của CSKH: khiếu nại và yêu cầu đang chờ, hạn gọi lại, lịch sử từng khiếu nại và biểu đồ. Bấm nút dưới đây để mở.
dashboard-no-url = Trang việc đang mở chưa được bật: quản trị cần đặt địa chỉ công khai của bot (operations.public_url).

## Values read from the customer's words, shown back
pick-date-about = Mình hiểu là ngày { $date }, đúng không? Bấm để xác nhận, hoặc ghi lại ngày chính xác.
pick-value-about = Mình hiểu là { $value }, đúng không? Bấm để xác nhận, hoặc ghi lại.
pick-date-choose = Bạn nhắn nhiều ngày, mình không muốn đoán sai. Bạn chọn giúp mình ngày đúng, hoặc ghi lại:
pick-value-choose = Bạn nhắn nhiều số, mình không muốn đoán sai. Bạn chọn giúp mình số đúng, hoặc ghi lại:
btn-pick-date = 📅 { $date }
btn-pick-value = { $value }
btn-pick-other = ✏️ Ghi lại
dont-know-paid = Không sao ạ. Ngày đóng phí có ghi trên hóa đơn hoặc trong tin nhắn xác nhận thanh toán (ví dụ: 06/10/2026). Nếu vẫn không tìm thấy, nhân viên có thể tra giúp bạn theo số hóa đơn.
dont-know-scheduled = Không sao ạ. Lịch thi công có trong tin nhắn hẹn của công ty. Nếu chưa có lịch, bấm "Chưa có lịch"; nếu không tìm thấy, nhân viên có thể tra giúp bạn.
dont-know-new-date = Bạn cứ chọn một ngày dự kiến (ví dụ: 15/01/2027); nếu cần đổi, nhân viên sẽ trao đổi thêm với bạn.
dont-know-postpone = Không sao ạ. Ngày này có trong tin nhắn hoặc cuộc gọi báo dời lịch của công ty. Nếu không tìm thấy, nhân viên có thể tra giúp bạn.
dont-know-invoice = Không sao ạ. Số hóa đơn in trên hóa đơn giấy hoặc trong tin nhắn xác nhận thanh toán (ví dụ: HD-2026-0012). Nếu không tìm thấy, nhân viên có thể tra giúp bạn theo số điện thoại.
dont-know-phone = Nhân viên cần một số điện thoại để gọi lại cho bạn từ hotline. Bạn bấm nút chia sẻ số, hoặc ghi số di động của bạn (ví dụ: 0912 345 678).
dont-know-phone-typed = Nhân viên cần một số điện thoại để gọi lại cho bạn từ hotline. Bạn gõ số di động của bạn vào ô chat giúp mình nhé (ví dụ: 0912 345 678).
complaint-invoice-noted = Số hóa đơn: { $invoice }.

## Deep links (a printed invoice's QR code) and the printed sheet
link-greeting = Xin chào! Mình là trợ lý chăm sóc khách hàng của { $company }. Bạn đến từ mã QR của hóa đơn { $invoice }.
link-invoice-known = Theo danh sách hóa đơn của công ty: ngày đóng phí { $paid }, lịch thi công { $job }; { $status }.
link-invoice-known-nojob = Theo danh sách hóa đơn của công ty: ngày đóng phí { $paid }, chưa có lịch thi công; { $status }.
link-status-paid = chưa thi công
link-status-done = đã thi công xong
link-status-cancelled = đã hủy
link-choose = Bạn cần hỗ trợ gì cho hóa đơn này? Chọn một nút bên dưới, hoặc nhắn cho mình bằng lời của bạn.
qr-caption = Quét mã để hỏi về hóa đơn này: bảo lưu, hoàn trả, khiếu nại.
qr-sheet-title = Mã QR hóa đơn

## A case's topic that was deleted or closed
topic-renewed = Chủ đề cũ của hồ sơ { $case } { $fate }, nên mình đã mở chủ đề mới này (cùng tên). Các tin sau của hồ sơ sẽ vào đây; không tin nào bị mất.
topic-fate-deleted = đã bị xóa
topic-fate-closed = đã bị đóng
event-topic_renewed = mở chủ đề mới

## Telegram Business (the company's own account)
business-connected = 🔗 Tài khoản { $account } đã kết nối bot qua Telegram Business: khách nhắn vào tài khoản này sẽ được bot trả lời.
business-no-reply = ⚠️ Tài khoản { $account } đã kết nối bot nhưng chưa cho bot quyền trả lời tin nhắn: bot không trả lời khách ở đó. Hãy bật quyền trả lời trong Cài đặt › Telegram Business › Chatbot.
business-disconnected = ⛔ Tài khoản { $account } đã ngắt kết nối bot: bot không còn trả lời khách nhắn vào tài khoản này.
business-takeover = 🙋 Một người của công ty đang nhắn trực tiếp với { $customer } trong tài khoản công ty: bot tạm ngừng trả lời ở cuộc trò chuyện đó { $minutes } phút (tính từ tin nhắn gần nhất của người đó).
