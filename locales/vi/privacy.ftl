# Personal data (Law 91/2025/QH15, Decree 356/2025/ND-CP). The company's lawyer should read
# these texts; the settings file can replace the notice and the full text (privacy.summary_vi,
# privacy.full_text_vi).

cmd-quyenriengtu = Quyền riêng tư: dữ liệu cá nhân được dùng thế nào
cmd-dulieu = Dữ liệu của tôi: xem, tải về, sửa
cmd-xoadulieu = Xóa dữ liệu của tôi

privacy-notice =
    🔒 Trước khi giúp bạn, { $company } cần bạn đồng ý cho lưu một số dữ liệu cá nhân:
    • Lưu gì: tên và tài khoản nhắn tin của bạn, số điện thoại, số hóa đơn, các ngày bạn cho biết, lý do (có thể có thông tin sức khỏe như ốm đau, tai nạn), lời bạn nhắn, ảnh và giấy tờ bạn gửi.
    • Để làm gì: xử lý yêu cầu bảo lưu, hoàn phí, khiếu nại của bạn, gọi lại cho bạn và nhắc lịch.
    • Ai xem: nhân viên chăm sóc khách hàng của { $company }; không bán, không chuyển cho bên khác.
    • Bao lâu: đến khi yêu cầu hoặc khiếu nại đóng, rồi thêm { $days } ngày; sau đó lời nhắn và ảnh được xóa.
    • Quyền của bạn: xem và tải dữ liệu (/dulieu), sửa, rút lại đồng ý, xóa dữ liệu (/xoadulieu); toàn văn: /quyenriengtu.
    • Liên hệ về dữ liệu cá nhân: { $contact }.
privacy-own-text = { $text }
privacy-url = Toàn văn: { $url }
privacy-notice-ask = Bạn có đồng ý không? Nếu chỉ muốn hỏi về chính sách, bạn cứ hỏi, không cần đồng ý.
privacy-notice-changed = Thông báo về dữ liệu cá nhân đã được cập nhật, mời bạn đọc lại và cho biết ý kiến.
privacy-waiting = Tin nhắn của bạn đang được giữ lại và sẽ được xử lý ngay khi bạn chọn "Đồng ý". Nếu chọn "Không đồng ý", tin nhắn sẽ bị xóa.
privacy-full =
    🔒 Quyền riêng tư và dữ liệu cá nhân – { $company } (phiên bản { $version })
    1. Bên xử lý dữ liệu: { $company }. Liên hệ về dữ liệu cá nhân: { $contact }; hotline { $hotline }.
    2. Dữ liệu được lưu: tên, tên tài khoản và mã tài khoản nhắn tin của bạn; số điện thoại; số hóa đơn, ngày đóng phí, ngày thi công; lý do bạn nêu, có thể gồm dữ liệu sức khỏe (ốm đau, tai nạn) là dữ liệu nhạy cảm; lời nhắn, ảnh, giấy tờ bạn gửi; kết quả xử lý và lịch sử cuộc trò chuyện.
    3. Mục đích: xử lý yêu cầu bảo lưu, hoàn trả chi phí, khiếu nại; gọi lại qua hotline; nhắc lịch và hỏi thăm sau thi công. Dữ liệu không được dùng cho mục đích khác khi chưa hỏi bạn.
    4. Ảnh trước/sau thi công dùng cho quảng cáo (đã cắt, che): chỉ khi bạn đồng ý riêng, mặc định là không; bạn đổi ý được bất cứ lúc nào trong /dulieu. Không đồng ý vẫn được phục vụ đầy đủ.
    5. Ai xem: nhân viên chăm sóc khách hàng của { $company }; mọi lần nhân viên xem hồ sơ đều được ghi lại. Không bán, không chuyển cho bên thứ ba, trừ khi pháp luật yêu cầu.
    6. Thời gian lưu: đến khi yêu cầu hoặc khiếu nại đóng, thêm { $days } ngày; sau đó lời nhắn, ảnh và giấy tờ được xóa; số yêu cầu, ngày và kết quả được giữ ở dạng không còn gắn với bạn.
    7. Quyền của bạn: được biết; đồng ý hoặc không; xem và tải dữ liệu (/dulieu); sửa tên (/suaten) và số điện thoại (/suasdt); rút lại đồng ý (/rutdongy); xóa dữ liệu (/xoadulieu); phản đối hoặc hạn chế xử lý qua liên hệ ở mục 1. Yêu cầu được xác nhận ngay; việc xóa hoàn tất trong thời hạn luật định.
    8. Rút lại đồng ý sẽ dừng mọi xử lý và lời nhắc, và dẫn đến xóa dữ liệu của bạn.
btn-privacy-agree = ✅ Đồng ý
btn-privacy-refuse = Không đồng ý
btn-privacy-changed-mind = Tôi đổi ý: Đồng ý
btn-my-data = Dữ liệu của tôi
privacy-agreed = Cảm ơn bạn đã đồng ý. Bạn xem lại hoặc thay đổi bất cứ lúc nào bằng /dulieu.
privacy-agreed-held = Mình tiếp tục với tin nhắn bạn đã gửi:
privacy-already-agreed = Bạn đã đồng ý rồi; mình vẫn đang phục vụ bạn bình thường.
privacy-refused =
    Bạn đã chọn không đồng ý. Mình không lưu tin nhắn nào của bạn, và tin nhắn vừa gửi đã được xóa.
    Bạn vẫn có thể gọi hotline { $hotline } để được hỗ trợ trực tiếp, hoặc hỏi mình về chính sách bất cứ lúc nào. Liên hệ về dữ liệu cá nhân: { $contact }.
    Nếu đổi ý, bấm nút bên dưới hoặc gõ /quyenriengtu.
privacy-photos-ask = Một câu hỏi riêng, không bắt buộc: bạn có cho phép công ty dùng ảnh trước/sau thi công của bạn (đã cắt, che để không nhận ra bạn) trong quảng cáo và báo cáo không? Mặc định là không; không đồng ý vẫn được phục vụ đầy đủ.
btn-photos-yes = Cho phép dùng ảnh
btn-photos-no = Không cho phép
privacy-photos-yes = Đã ghi nhận: bạn cho phép dùng ảnh (đã cắt, che) trong quảng cáo. Bạn đổi ý bất cứ lúc nào trong /dulieu.
privacy-photos-no = Đã ghi nhận: ảnh của bạn sẽ không được dùng trong quảng cáo.
privacy-menu =
    Dữ liệu của tôi: bạn có thể tải về mọi dữ liệu mình đang lưu, sửa tên hoặc số điện thoại, đổi ý về ảnh quảng cáo, rút lại đồng ý hoặc xóa dữ liệu.
    Ảnh dùng cho quảng cáo: { $photos }.
privacy-photos-on = đang cho phép
privacy-photos-off = không cho phép
btn-data-download = 📄 Tải dữ liệu của tôi
btn-data-correct = ✏️ Sửa tên / số điện thoại
btn-photos-on = Cho phép dùng ảnh quảng cáo
btn-photos-off = Không cho dùng ảnh quảng cáo
btn-data-withdraw = Rút lại đồng ý
btn-data-erase = 🗑 Xóa dữ liệu
privacy-correct-how =
    Để sửa tên, gõ: /suaten Tên đúng của bạn (ví dụ: /suaten Nguyễn Thị Hoa).
    Để sửa số điện thoại, gõ: /suasdt số mới (ví dụ: /suasdt 0912 345 678).
privacy-name-fixed = Đã sửa tên của bạn thành: { $name }.
privacy-phone-fixed = Đã sửa số điện thoại thành { $phone } (trên { $cases } hồ sơ khiếu nại). Hotline sẽ gọi số này.
privacy-phone-bad = Số này không giống số điện thoại Việt Nam (ví dụ 0912 345 678). Bạn gõ lại: /suasdt số mới.
privacy-data-file-text = 📄 Mọi dữ liệu mình đang lưu về bạn (bản đọc được).
privacy-data-file-json = 📄 Cùng dữ liệu đó, dạng JSON (để chuyển cho nơi khác).
privacy-nothing-kept = Mình không lưu dữ liệu nào về bạn.
privacy-withdraw-what = Rút lại đồng ý sẽ dừng mọi xử lý dữ liệu của bạn và mọi lời nhắc, rồi xóa dữ liệu như sau.
privacy-erase-what =
    Nếu xóa: tên, tên tài khoản, số điện thoại, lời nhắn, ảnh, giấy tờ và cuộc trò chuyện của bạn sẽ bị xóa.
    Được giữ lại, không còn gắn với bạn và ghi "đã xóa theo yêu cầu": số yêu cầu và khiếu nại, ngày, kết quả và điều khoản áp dụng (công ty phải lưu theo quy định).
    Việc này không hoàn tác được. Bạn chắc chắn chứ?
privacy-erase-open = Bạn đang có yêu cầu hoặc khiếu nại chưa xong ({ $open }): nhân viên sẽ được báo ngay, và việc xóa hoàn tất trong vòng { $days } ngày.
btn-erase-confirm = 🗑 Xóa dữ liệu của tôi
btn-withdraw-confirm = Rút lại đồng ý và xóa dữ liệu
btn-erase-keep = Không, giữ lại
privacy-erase-kept = Đã hủy: dữ liệu của bạn được giữ nguyên.
privacy-erase-unknown = Nút này không còn hiệu lực; không có gì bị xóa. Muốn xóa dữ liệu, bạn gõ /xoadulieu và xác nhận lại.
privacy-erased = ✅ Dữ liệu cá nhân của bạn đã được xóa. Nếu nhắn lại, bạn sẽ được hỏi ý kiến như khách hàng mới.
privacy-erase-scheduled = Đã ghi nhận yêu cầu xóa dữ liệu của bạn. Nhân viên đã được báo về { $open }; dữ liệu sẽ được xóa chậm nhất { $due }. Từ giờ mình không xử lý thêm dữ liệu nào của bạn.
privacy-erase-pending = Yêu cầu xóa dữ liệu của bạn đã được ghi nhận và sẽ hoàn tất chậm nhất { $due }. Trong lúc chờ, mình không xử lý thêm tin nhắn nào.
privacy-staff-erasure = 🗑 Khách #{ $customer } yêu cầu xóa dữ liệu cá nhân. Còn mở: { $open }. Hạn xóa: { $due }; xử lý xong trước hạn, hoặc dữ liệu sẽ tự xóa khi đến hạn.
privacy-staff-erasure-reminder = 🗑 Nhắc: dữ liệu của khách #{ $customer } phải xóa trước { $due }. Còn mở: { $open }.
privacy-staff-erased = 🗑 Đã xóa dữ liệu cá nhân của khách #{ $customer } theo yêu cầu ({ $open }: đã xóa theo yêu cầu).

data-file-title = Dữ liệu cá nhân được lưu về bạn
data-file-profile = Hồ sơ
data-file-name = Tên
data-file-username = Tài khoản
data-file-language = Ngôn ngữ
data-file-identity = Kênh
data-file-consents = Lịch sử đồng ý
data-file-requests = Yêu cầu
data-file-cases = Khiếu nại
data-file-files = Tệp bạn đã gửi
data-file-conversation = Cuộc trò chuyện đang dở
case-card-photos = Ảnh của khách: { $photos }
case-card-photos-yes = được dùng cho quảng cáo (đã cắt, che)
case-card-photos-no = không được dùng cho quảng cáo
privacy-purge-would = Sẽ xóa tệp và lời nhắn của { $n } hồ sơ đã đóng quá thời hạn lưu trữ (chưa xóa gì: --dry-run).
privacy-purge-done = Đã xóa tệp và lời nhắn của { $n } hồ sơ đã đóng quá thời hạn lưu trữ.
