"""Every user-facing message, in Vietnamese, under a stable code.

Code prefixes: NUM (number/cell input), FORM (form definitions), EXPR (rule
expressions), RULE (findings), STORE (database), JSON (interchange), EXPORT/XLSX/PDF (exports
and Excel import), SIGN (certificates and tokens), FLOW (report status), PKG (signed
packages), CONS (consolidation), CLI.
Tests and other programs match on codes; people read the text.
"""

from __future__ import annotations

import errno

MESSAGES: dict[str, str] = {
    # --- PAR index (Chỉ số CCHC) --------------------------------------------
    "PAR001": "{what}: điểm {actual} vượt điểm tối đa {maximum}.",
    "PAR002": "{what} ghi {actual} điểm nhưng các tiêu chí thành phần cộng lại {expected} điểm.",
    "PAR003": "Tổng điểm ghi {actual} nhưng các lĩnh vực cộng lại {expected} điểm.",
    "PAR004": "Chỉ số ghi {actual} nhưng {achieved}/{maximum} điểm cho chỉ số {expected}.",
    "PAR005": "Xếp loại ghi “{actual}” nhưng chỉ số {index} thuộc mức “{expected}”.",
    "PAR006": "{what} chưa được chấm điểm.",
    "PAR007": "{what} là tiêu chí bắt buộc; không đánh dấu “không áp dụng” được.",
    "PAR008": "{what}: điểm ghi {actual}, tính từ số liệu báo cáo được {expected} ({how}).",
    "PAR009": "{what} bị mất {lost} điểm nhưng chưa ghi nguyên nhân.",
    "PAR010": "Cột “{column}” không có trong bảng chấm điểm.",
    "PAR023": "Bảng chấm điểm số {report} không thẩm định bảng của đơn vị cấp dưới (bộ tiêu chí không khai báo "
    "“appraises:”).",
    "PAR024": "Chưa nhận bảng tự chấm điểm của đơn vị “{unit}” cho kỳ này: hãy tổng hợp gói đã ký của đơn vị trước.",
    "PAR025": "Nhận xét thẩm định dài quá {limit} ký tự.",
    "PAR026": "Đã ghi kết quả thẩm định tiêu chí {criterion} của đơn vị {unit}.",
    "PAR027": "Kết quả thẩm định không thay đổi.",
    "PAR028": "{what} không áp dụng theo bảng tự chấm điểm của đơn vị: chỉ ghi nhận xét, không chấm điểm thẩm định.",
    "PAR029": "Bảng của đơn vị chấm chung cả {whole}, không chấm riêng {what}: hãy thẩm định điểm của {whole}.",
    "PAR022": "Dòng “{row}” không có ô “{column}” (Chỉ số và Xếp loại chỉ ghi ở dòng Tổng cộng; điểm, áp dụng, "
    "nguyên nhân, trách nhiệm và giải trình ghi ở từng tiêu chí): ô này không được tính.",
    "PAR011": "Báo cáo {period}{number} gửi ngày {sent}, trễ hạn (hạn {deadline})",
    "PAR012": "{count} báo cáo gửi đúng hạn",
    "PAR013": "chưa tính được: chưa có báo cáo nào có ngày gửi trong năm ({undated} báo cáo chưa có ngày)",
    "PAR014": "chưa tính được: chưa có báo cáo năm {year} theo bộ “{form_set}”",
    "PAR015": "chưa tính được: báo cáo số {report} chưa có số liệu để tính tỷ lệ",
    "PAR016": "tỷ lệ {rate}% ({numerator}/{denominator}, báo cáo số {report})",
    "PAR017": "Không có tiêu chí “{criterion}” trong bộ tiêu chí.",
    "PAR018": "Báo cáo số {report} không phải bảng chấm điểm Chỉ số CCHC.",
    "PAR030": "{unit} ghi tổng điểm {actual}/{maximum} và chỉ số {index}, nhưng các lĩnh vực của đơn vị cộng lại "
              "{expected} điểm (chỉ số {computed}). Báo cáo in số đơn vị đã ghi; hãy đối chiếu với bảng của đơn vị.",
    # --- the report's body text (narrative) ----------------------------------
    "NAR001": "Mục “{section}”: không có số liệu nào tên “{name}”; xem danh sách số liệu chèn được.",
    "NAR002": "Mục “{section}”: số liệu “{name}” ({label}) chưa có trong phụ lục nên đang in “…”.",
    "NAR003": "Mục “{section}”: “{excerpt}” khác số liệu phụ lục: {label} là {expected}. "
    "Hãy sửa số, hoặc chèn số liệu “{name}” để luôn khớp phụ lục.",
    "NAR004": "Phần nội dung báo cáo trong tệp không đọc được: {reason}.",
    # --- cell input -------------------------------------------------------
    "NUM001": "Ô này cần một số, không phải “{text}”.",
    "NUM002": "“{text}” sai cách ghi số: dấu chấm (.) để phân cách hàng nghìn theo nhóm 3 chữ số "
    "(ví dụ 1.562), dấu phẩy (,) để ghi phần thập phân (ví dụ 93,66).",
    "NUM003": "Ô này chỉ nhận số nguyên, không có phần thập phân (“{text}”).",
    "NUM004": "Ô này không nhận số âm (“{text}”); chỉ các cột tăng/giảm mới được ghi dấu trừ.",
    "NUM005": "Giá trị {text} vượt quá giới hạn cho phép của ô ({limit}).",
    "NUM006": "Quá nhiều chữ số thập phân (“{text}”): tối đa {places} chữ số sau dấu phẩy.",
    "NUM007": "Ngày “{text}” không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/01/2020.",
    "NUM008": "Ô này chỉ nhận Có hoặc Không (“{text}”).",
    "NUM009": "“{text}” không nằm trong danh sách lựa chọn: {choices}.",
    "NUM010": "Ô này được tính tự động, không nhập trực tiếp.",
    "NUM011": "Nội dung quá dài ({length} ký tự; tối đa {limit}).",
    "NUM012": "“{text}”: sau số chỉ được ghi đơn vị tính của cột ({units}), ví dụ “23 nhiệm vụ”.",
    # --- form definitions -------------------------------------------------
    "FORM001": "{file}: không đọc được tệp ({reason}).",
    "FORM002": "{file}, dòng {line}: cú pháp YAML sai: {reason}.",
    "FORM026": "{file}, dòng {line}: ngày áp dụng “{value}” (valid_from) phải là một ngày ghi dạng năm-tháng-ngày, "
    "ví dụ 2026-01-01.",
    "FORM024": "{file}, dòng {line}: khóa gộp “<<” không được dùng trong định nghĩa biểu mẫu; hãy viết đủ các trường.",
    "FORM025": "{file}: tệp có quá nhiều mục (hơn {limit} khi mở các tham chiếu *); không đọc.",
    "FORM003": "{file}, dòng {line}: thiếu trường bắt buộc “{field}”{where}.",
    "FORM004": "{file}, dòng {line}: trường “{field}” phải là {expected}{where}.",
    "FORM005": "{file}, dòng {line}: trường “{field}” không được hỗ trợ{where}; các trường hợp lệ: {allowed}.",
    "FORM006": "{file}, dòng {line}: mã “{ident}” bị trùng{where}; mỗi mã chỉ được dùng một lần.",
    "FORM007": "{file}, dòng {line}: giá trị “{value}” của trường “{field}” không hợp lệ{where}; chọn một trong: {allowed}.",
    "FORM008": "{file}, dòng {line}: biểu thức “{expr}” sai: {reason}",
    "FORM009": "{file}, dòng {line}: tham chiếu tới “{ident}” không tồn tại{where}.",
    "FORM010": "{file}, dòng {line}: cột tính toán “{ident}” cần trường “expr”.",
    "FORM011": "{file}, dòng {line}: “{ident}” có kiểu lựa chọn nên cần danh sách “choices”.",
    "FORM012": "{file}: tệp biểu mẫu “{ref}” khai báo trong bộ biểu mẫu không tồn tại.",
    "FORM013": "{file}: bộ biểu mẫu “{ident}” phiên bản {version} đã được khai báo ở {other}.",
    "FORM014": "{file}, dòng {line}: biểu mẫu phải có đúng một cột mã dòng (kind: row_code) "
    "và một cột tên dòng (kind: row_label).",
    "FORM015": "{file}, dòng {line}: danh sách “{ident}” chưa được khai báo trong mục “lists” của bộ biểu mẫu.",
    "FORM016": "Thư mục biểu mẫu “{path}” không tồn tại.",
    "FORM017": "{file}: bị bỏ qua vì có lỗi; các biểu mẫu khác của bộ vẫn được nạp.",
    "FORM018": "{file}, dòng {line}: tiêu chí “{ident}” có điểm tối đa {maximum} nhưng các tiêu chí con cộng lại {total}.",
    "FORM019": "{file}, dòng {line}: mã “{ident}” phải bắt đầu bằng mã của mục cha “{parent}.”.",
    "FORM020": "{file}, dòng {line}: các mức (xếp loại hoặc thang điểm) phải xếp từ cao xuống thấp, "
    "không trùng nhau; thang xếp loại kết thúc ở mức từ 0 điểm.",
    "FORM021": "{file}, dòng {line}: mức {points} điểm của tiêu chí “{ident}” vượt điểm tối đa {maximum}.",
    "FORM023": "{file}, dòng {line}: thông điệp của quy tắc chỉ được dùng {{row}}, {{column}}, {{actual}}, "
    "{{expected}} (không định dạng, không thuộc tính): “{found}”.",
    "FORM022": "{file}, dòng {line}: chỉ số chính “{ident}”: {reason}.",
    # --- rule expressions -------------------------------------------------
    "EXPR001": "ký tự không hợp lệ “{char}” ở vị trí {pos}.",
    "EXPR002": "thiếu “{expected}” ở vị trí {pos}.",
    "EXPR003": "không hiểu “{token}” ở vị trí {pos}.",
    "EXPR004": "hàm “{name}” không tồn tại; các hàm có: {allowed}.",
    "EXPR005": "hàm “{name}” cần {expected} tham số, đang có {actual}.",
    "EXPR006": "“@” chỉ dùng được trong quy tắc áp dụng cho từng cột.",
    "EXPR007": "biểu thức quá dài hoặc lồng quá sâu.",
    "EXPR008": "phép chia cho 0.",
    "EXPR009": "tham số thứ {index} của hàm “{name}” phải là {expected}.",
    # --- findings ---------------------------------------------------------
    "RULE001": "Cột {column} phải bằng {formula}: đang ghi {actual}, tính ra {expected}.",
    "RULE002": "Dòng “{row}” phải bằng tổng {parts}: cột {column} đang ghi {actual}, tổng là {expected}.",
    "RULE003": "Cột {column} đang để trống nhưng các ô thành phần có số liệu (tổng {expected}).",
    "RULE004": "Quy tắc {rule}: cột {column} đang ghi {actual}, giá trị đúng là {expected}.",
    "RULE006": "Dòng “{row}”, cột {column}: tổng có số ({actual}) nhưng các dòng thành phần ({parts}) để "
    "trống. Hãy nhập các dòng thành phần, hoặc xóa tổng nếu không có số liệu.",
    "RULE005": "Quy tắc {rule} không tính được: {reason}",
    "RULE007": "Dòng “{row}” chưa đủ số liệu: chưa nhập {what}. Nếu không phát sinh, xác nhận ô trống là 0.",
    "RULE008": "Dòng “{row}”, cột {column} đang ghi {actual}; theo các tổng của biểu phải là {expected} "
    "(ô này làm {count} phép cộng không khớp).",
    "RULE009": "Cột {column} phải bằng {formula}: cột {column} tự tính được {actual}, còn {formula} là {expected}.",
    "RULE010": "Dòng “{row}” phải bằng tổng {parts}: cột {column} tự tính được {actual}, tổng là {expected}.",
    "RULE011": "Dòng “{row}” chưa nhập số liệu nào. Nếu không phát sinh, xác nhận ô trống là 0.",
    "RULE012": "Bộ biểu mẫu “{form_set}” phiên bản {version} không đọc được đầy đủ ({count} lỗi định nghĩa, đầu tiên: "
    "{first}): báo cáo không được kiểm tra, ký hay nộp theo một bộ biểu mẫu hỏng. Hãy sửa hoặc cài lại bộ biểu mẫu.",
    # --- the one-stop system's statistics (exchange/onestop.py) ---------------
    "STATS002": "Không đọc được tệp “{file}”: {reason}. Chưa có gì bị thay đổi.",
    "STATS003": "Không nhận tệp “{file}”: {reason}. Tệp thống kê chỉ cần bảng số liệu; chưa có gì bị thay đổi.",
    "STATS004": "Không nhận tệp “{file}”: {reason}. Chưa có gì bị thay đổi.",
    "STATS005": "Tệp “{file}” không có bảng thống kê nhận ra được (không thấy dòng tiêu đề như “Tiếp nhận”, "
    "“Đã giải quyết”, “Đang giải quyết” hay tên các cột của biểu). Chưa có gì bị thay đổi.",
    "STATS006": "Tệp “{file}”, dòng “{row}”, cột “{column}”: “{text}” không phải là số. Chưa có gì bị thay đổi.",
    "STATS007": "Tệp “{file}”, dòng “{row}”: cột {column} tính ra số âm ({value}); hãy kiểm tra cách ghép cột. "
    "Chưa có gì bị thay đổi.",
    "STATS010": "Tùy chọn {what} cần dạng TÊN=GIÁ_TRỊ, đang có “{item}”.",
    "STATS008": "Đã nhập {cells} ô từ “{file}” vào biểu {form} của báo cáo số {report}.",
    "STATS009": "Xem trước (chưa ghi): {cells} ô sẽ thay đổi trong biểu {form} của báo cáo số {report}.",
    # --- store ------------------------------------------------------------
    "STORE001": "Tệp dữ liệu “{path}” bị hỏng hoặc không phải cơ sở dữ liệu của CCHC Desktop ({reason}).",
    "STORE002": "Có bản sao lưu gần nhất còn tốt: “{backup}” ({when}). Chạy “cchc --db {path} restore” "
    "để khôi phục từ bản này.",
    "STORE003": "Không tìm thấy bản sao lưu nào còn tốt cho “{path}”.",
    "STORE004": "Không ghi được dữ liệu: ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại; "
    "chưa có gì bị thay đổi.",
    "STORE005": "Không ghi được dữ liệu vào “{path}”: thư mục hoặc tệp chỉ cho phép đọc. "
    "Hãy chọn thư mục khác hoặc cấp quyền ghi; chưa có gì bị thay đổi.",
    "STORE006": "Không mở được tệp dữ liệu “{path}” ({reason}).",
    "STORE007": "Tệp dữ liệu được tạo bởi phiên bản mới hơn (lược đồ {found}, phiên bản này hỗ trợ đến {supported}). "
    "Hãy cập nhật CCHC Desktop.",
    "STORE008": "Không tìm thấy báo cáo số {report}.",
    "STORE009": "Không tìm thấy đơn vị “{unit}”.",
    "STORE010": "Đã khôi phục “{path}” từ bản sao lưu “{backup}”.",
    "STORE011": "Không ghi được dữ liệu ({reason}); chưa có gì bị thay đổi.",
    "STORE012": "Báo cáo của {unit} kỳ {period} theo bộ biểu mẫu này đã có (số {report}).",
    "STORE013": "Không tìm thấy dòng “{row}” trong biểu {form}.",
    "STORE014": "Báo cáo số {report} không có biểu “{form}” (hoặc bộ biểu mẫu của báo cáo không có trong máy).",
    "STORE016": "Dòng “{row}” đã có trong biểu {form}.",
    "STORE018": "Mã đơn vị “{unit}” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số và các dấu . _ - "
    "(tối đa 64 ký tự), và một đơn vị không thể là cấp trên của chính nó.",
    "STORE019": "Tệp dữ liệu “{path}” không hỏng: khôi phục bản sao lưu “{backup}” sẽ bỏ mọi thay đổi từ đó "
    "đến nay. Nếu thật sự muốn, chạy lại với --force (tệp hiện tại được cất riêng, không bị xóa).",
    "STORE021": "Lần khôi phục “{path}” trước bị dừng giữa chừng: hãy chạy lại “cchc --db {path} restore --force”. "
    "Không có dữ liệu nào bị mất (bản cũ được giữ bên cạnh, tên có “.thay-” hoặc “.hong-”).",
    "STORE022": "Không có tệp dữ liệu “{path}”, nhưng bên cạnh có bản đã đặt ra ngoài “{aside}”: dữ liệu có thể nằm "
    "trong đó. Hãy chạy “cchc --db {path} restore” hoặc đổi tên tệp đó; không tạo cơ sở dữ liệu trống.",
    "STORE017": "Bộ biểu mẫu “{form_set}” phiên bản {version} không có trong máy; hãy cài bộ biểu mẫu này trước.",
    "STORE020": "Báo cáo số {report} đang ở trạng thái “{status}”: không xóa được. Hãy mở khóa để sửa trước "
    "(chữ ký bị hủy, lý do ghi vào nhật ký).",
    "STORE015": "Trạng thái “{status}” không hợp lệ; chọn một trong: {allowed}.",
    # --- interchange ------------------------------------------------------
    "JSON001": "Tệp “{file}” không phải JSON hợp lệ ({reason}).",
    "JSON002": "Tệp “{file}” không phải báo cáo CCHC (thiếu hoặc sai trường “{field}”).",
    "JSON003": "Tệp “{file}” dùng định dạng phiên bản {found}; phiên bản này đọc được: {supported}.",
    "JSON004": "Tệp “{file}”: bộ biểu mẫu “{form_set}” phiên bản {version} không có trong máy.",
    "JSON005": "Tệp “{file}”: biểu “{form}”, dòng “{row}”, cột “{column}”: {reason}",
    "JSON006": "Tệp “{file}”: biểu “{form}” không thuộc bộ biểu mẫu của báo cáo.",
    "JSON007": "Tệp “{file}”: tệp đính kèm “{name}” sai mã kiểm tra SHA-256.",
    "JSON010": "Tệp “{file}”: danh mục đơn vị hành chính không có đơn vị “{unit}” trực thuộc {parent}; không nhận "
    "đơn vị lạ vào danh sách đơn vị cấp dưới.",
    "JSON008": "Đã nhập báo cáo số {report}: {unit}, {period}.",
    "JSON009": "Tệp “{file}” ghi trạng thái “{status}” nhưng một tệp JSON không mang chữ ký số: báo cáo đã ký "
    "được nhận qua gói đã ký (.cchc, Nộp báo cáo → Tổng hợp). Hãy nhập tệp đã bỏ trạng thái đó.",
    # --- export, Excel import, PDF -------------------------------------------
    "EVID001": "Không nhận tệp minh chứng “{file}”: {reason}. Chưa có gì bị thay đổi.",
    "EXPORT001": "Không ghi được tệp “{file}” ({reason}).",
    "EXPORT002": "Đã xuất báo cáo số {report}: {files}.",
    "EXPORT003": "Không ghi đè lên “{file}”: đó là một cơ sở dữ liệu (hoặc tệp -wal, -shm đi kèm) đang giữ số liệu. "
    "Hãy chọn tên tệp khác; chưa có gì bị thay đổi.",
    "XLSX001": "Tệp “{file}” không phải bảng tính Excel đọc được ({reason}).",
    "XLSX002": "Tệp “{file}” không phải bảng tính xuất từ CCHC Desktop (không có trang “_cchc”); "
    "hãy xuất báo cáo ra Excel, sửa số liệu trong tệp đó rồi nhập lại.",
    "XLSX003": "Tệp “{file}” thuộc báo cáo khác: ô {cell} ({field}) ghi “{found}”, báo cáo này là “{expected}”.",
    "XLSX004": "Bố cục biểu đã bị thay đổi: trang “{sheet}”, ô {cell} cần là “{expected}” nhưng đang là “{found}”. "
    "Không nhập gì; hãy sửa lại đúng mẫu hoặc xuất lại tệp Excel.",
    "XLSX005": "Tệp “{file}” thiếu trang “{sheet}” của báo cáo; không nhập gì.",
    "XLSX006": "Ô {where}: {reason} Không nhập gì.",
    "XLSX011": "Tệp “{file}” không mang dấu kiểm số liệu của bản xuất (ô {cell} trống hoặc bị sửa): không biết tệp "
    "được xuất từ số liệu nào, nên không nhập đè lên số liệu hiện có. Hãy xuất lại tệp Excel từ phần mềm rồi nhập.",
    "XLSX010": "Báo cáo đã thay đổi từ khi xuất tệp “{file}” (có người nhập hoặc sửa số liệu sau đó); nhập tệp "
    "này sẽ ghi đè số liệu mới bằng số cũ nên không nhập. Hãy xuất lại tệp Excel rồi sửa trên tệp mới.",
    "XLSX009": "Ô {where} có công thức “{formula}” không phải của biểu mẫu; chương trình không tính được "
    "công thức lạ nên không nhận: hãy thay bằng giá trị (Dán đặc biệt → Chỉ giá trị) rồi nhập lại.",
    "XLSX008": "Đã nhập từ “{file}” vào báo cáo số {report}: {cells} ô thay đổi.",
    "DEMO001": "Tệp dữ liệu mẫu “{file}” không đọc được ({reason}).",
    # --- settings ---------------------------------------------------------
    "SET001": "Thiết lập “{field}” sai kiểu dữ liệu; chưa lưu gì.",
    "SET002": "Thiết lập “{field}” phải trong khoảng {low}–{high}; chưa lưu gì.",
    "SET003": "Cách ký “{value}” không hợp lệ; chọn một trong: {allowed}.",
    # --- periods and deadlines ----------------------------------------------
    "PERIOD001": "Số liệu từ {start} đến {end}; hạn nộp {deadline} (còn {days} ngày).",
    "PERIOD002": "Số liệu từ {start} đến {end}; hạn nộp {deadline}: sắp đến hạn, còn {days} ngày.",
    "PERIOD003": "Số liệu từ {start} đến {end}; hạn nộp {deadline}: đã quá hạn {days} ngày.",
    "PERIOD004": "Năm bắt đầu giai đoạn ({start}) phải trước năm kết thúc ({end}).",
    # --- the open report: entry, paste, undo, rows, evidence -------------------
    "CELL001": "Không dán được: ô dòng “{row}”, cột {column}: {reason} Chưa có ô nào thay đổi.",
    "CELL003": "Báo cáo đã ký hoặc đã nộp; không sửa được số liệu.",
    "CELL008": "{form} không có dòng “{row}”.",
    "CELL009": "Đã xác nhận {count} ô trống là “{value}” (không phát sinh) trong báo cáo số {report}.",
    "CELL011": "Tùy chọn --row cần có --form (biểu của dòng đó).",
    "CELL010": "Không có ô trống nào cần xác nhận trong báo cáo số {report}.",
    "INFO001": "Báo cáo đã ký hoặc đã nộp; không sửa được thông tin văn bản.",
    "INFO002": "“{field}” dài quá {limit} ký tự.",
    "INFO003": "Số liệu “từ ngày” ({start}) phải trước “đến hết ngày” ({end}).",
    "INFO004": "Hình thức ký “{value}” không hợp lệ; chọn một trong: {allowed}.",
    "INFO005": "Báo cáo số {report}: đã cập nhật {count} thông tin văn bản.",
    "INFO006": "Đã lưu thông tin văn bản của báo cáo số {report}.",
    "LOOK001": "Hình {what} lớn quá {limit} KB; hãy dùng ảnh nhỏ hơn.",
    "LOOK002": "Tệp hình {what} không phải ảnh PNG đọc được.",
    "LOOK003": "Hình {what} cần nền trong suốt (PNG có kênh alpha), để không che chữ của văn bản.",
    "LOOK004": "Hình {what} có kích thước {width}×{height} điểm ảnh, không dùng được.",
    "LOOK006": "Tệp hình “{file}” không đọc được ({reason}).",
    "LOOK007": "Đường kính con dấu {value} mm không hợp lệ; ghi từ {low} đến {high} mm.",
    "LOOK008": "Hình chữ ký: {signature}; hình con dấu: {seal} (đường kính {seal_mm} mm).",
    "CELL004": "Dòng “{row}” không phải dòng thêm được; chỉ xóa hoặc di chuyển được các dòng do người dùng thêm.",
    "CELL005": "Tệp minh chứng “{file}” không đọc được ({reason}).",
    "CELL007": "Khối dán lớn hơn phần còn lại của biểu: {cells} ô nằm ngoài biểu không được dán; "
    "phần nằm trong biểu đã được dán.",
    "CELL006": "Tệp minh chứng “{file}” quá lớn ({size} MB; tối đa {limit} MB).",
    "APP010": "Chưa chọn đơn vị của cơ sở dữ liệu: chọn ở Công cụ › Thiết lập… › “Chọn đơn vị từ danh mục…”, "
    "hoặc bấm nút dưới đây.",
    "APP011": "Chưa chọn đơn vị của cơ sở dữ liệu: chọn ở Công cụ › Thiết lập… › “Chọn đơn vị từ danh mục…” "
    "hoặc khi tạo báo cáo mới (Tệp › Báo cáo mới…).",
    "APP012": "Không mở được cửa sổ: máy thiếu thư viện hệ thống mà Qt cần ({libraries}). Trên Debian/Ubuntu, "
    "cài bằng: sudo apt install {packages}",
    "CARRY001": "Đã chuyển từ báo cáo {period}: {rows} dòng, {cells} ô số liệu kỳ trước.",
    "CARRY002": "Không có báo cáo kỳ trước ({period}) trong máy; báo cáo mới để trống.",
    # --- the window ---------------------------------------------------------
    "APP001": "Đã xảy ra lỗi không mong đợi ({reason}); dữ liệu đã nhập vẫn được giữ. "
    "Chi tiết đã ghi vào “{log}”; hãy gửi tệp này cho bộ phận hỗ trợ.",
    "APP002": "Tệp dữ liệu “{path}” bị hỏng. Khôi phục từ bản sao lưu “{backup}” ({when})? "
    "Tệp hỏng được giữ lại bên cạnh với đuôi “.hong-…”.",
    "APP003": "Tệp dữ liệu “{path}” bị hỏng và không có bản sao lưu nào còn tốt. "
    "Hãy liên hệ bộ phận hỗ trợ; tệp chưa bị thay đổi.",
    "APP004": "Đã tạo báo cáo số {report}: {unit}, {period}.",
    "APP005": "Đã lưu thiết lập.",
    # --- signing identity ---------------------------------------------------
    "SIGN001": "Không mở được chứng thư số “{file}”: mật khẩu không đúng, hoặc tệp không phải tệp PKCS#12 (.p12, .pfx).",
    "SIGN002": "Tệp “{file}” không chứa khóa bí mật kèm chứng thư số; không dùng để ký được.",
    "SIGN003": "Không đọc được tệp “{file}” ({reason}).",
    "SIGN004": "Mật khẩu bảo vệ khóa phải có ít nhất {minimum} ký tự.",
    "SIGN005": "Không tìm thấy thư viện PKCS#11 của thiết bị ký số tại “{library}”. "
    "Hãy kiểm tra đường dẫn trong Thiết lập (ví dụ C:\\vnpt-ca\\cryptoki.dll).",
    "SIGN006": "Không làm việc được với thiết bị ký số qua “{library}” ({reason}). "
    "Hãy cắm thiết bị (USB token) và thử lại.",
    "SIGN007": "Mã PIN của thiết bị ký số không đúng.",
    "SIGN008": "Thiết bị ký số đã bị khóa do nhập sai mã PIN nhiều lần; hãy liên hệ nhà cung cấp chứng thư số.",
    "SIGN009": "Trên thiết bị ký số không có chứng thư “{label}” kèm khóa bí mật.",
    "SIGN010": "Chứng thư số của “{subject}” đã hết hạn hoặc chưa có hiệu lực (hiệu lực từ {valid_from} đến {valid_to}).",
    "SIGN011": "Không ký được báo cáo ({reason}); báo cáo chưa bị thay đổi.",
    "CRL001": "Không đọc được danh sách thu hồi “{file}” ({reason}).",
    "CRL002": "Danh sách thu hồi “{file}” không do một CA tin cậy ký ({issuer}); hãy thêm chứng thư của CA đó "
              "trong Thiết lập › Chứng thư gốc tin cậy rồi nhập lại.",
    "CRL003": "Đã nhập danh sách thu hồi của “{issuer}” ngày {date} ({revoked} chứng thư bị thu hồi); "
              "từ nay các chữ ký do CA này cấp được đối chiếu với danh sách đó.",
    "CRL004": "Danh sách thu hồi của “{issuer}” đang dùng ra ngày {known}, mới hơn tệp được chọn (ngày {given}); "
              "không thay bằng danh sách cũ hơn.",
    "CRL005": "tệp lớn hơn {megabytes} MB",
    "CRL006": "không phải danh sách thu hồi chứng thư (CRL) dạng DER hoặc PEM",
    "CRL007": "Chưa nhập danh sách thu hồi nào: chữ ký được CA xác thực ghi “chưa kiểm tra được thu hồi (ngoại "
              "tuyến)”. Tải tệp CRL của CA ở máy có mạng rồi nhập bằng “cchc import-crl TỆP”.",
    "DEF001": "Không xuất được bảng định nghĩa: tệp “{file}” đọc không được ({reason}).",
    "DEF002": "Không xuất được bảng định nghĩa: tệp “{file}” có trường “{field}” mà bảng định nghĩa chưa có cột.",
    "DEF003": "Tệp “{file}” không phải bảng định nghĩa đọc được ({reason}); không nhập gì.",
    "DEF004": "Trang “{sheet}” lớn quá bảng định nghĩa nào ({reason}); không nhập gì.",
    "DEF005": "Ô {cell} có công thức “{formula}”: bảng định nghĩa chỉ chứa chữ và số, không dùng công thức; "
    "không nhập gì.",
    "DEF006": "{where}: {reason}",
    "DEF007": "Thiếu trang “{sheet}” của bảng định nghĩa.",
    "DEF008": "Bảng định nghĩa có {count} lỗi; không ghi gì:\n{problems}",
    "DEF009": "{where}: {reason}",
    "DEF015": "Thư mục “{folder}” không phải thư mục bộ biểu mẫu (không có set.yaml): không ghi đè, kể cả với "
    "--force. Hãy chọn thư mục trống.",
    "DEF014": "Không xuất được bảng định nghĩa: chữ của trang “{sheet}”, ô {cell} có ký tự {char} mà tệp Excel "
    "không chứa được; hãy sửa định nghĩa.",
    "DEF010": "Đã ghi bảng định nghĩa của bộ “{set}” ({forms} biểu) vào “{file}”.",
    "DEF011": "Đã dịch bảng định nghĩa “{file}” thành bộ “{set}” phiên bản {version} ({forms} biểu) trong “{folder}”.",
    "DEF012": "Thư mục “{folder}” đã có tệp; hãy chọn thư mục trống hoặc thêm --force để ghi đè.",
    "FSET001": "Bộ biểu mẫu “{folder}” còn lỗi, không phát hành được:\n{problems}",
    "FSET002": "Tệp “{name}” của bộ không phát hành được (tên chỉ gồm chữ không dấu, số, “-”, “_” và đuôi .yaml; "
    "mỗi tệp tối đa 2 MB; tối đa 100 tệp).",
    "FSET003": "Không ghi hoặc đọc được “{file}” ({reason}).",
    "FSET004": "Không nhận được bộ biểu mẫu: {reason}. Chưa cài gì.",
    "FSET005": "trường “{field}” của bản kê (manifest.json) thiếu hoặc sai",
    "FSET006": "tệp lớn hơn {megabytes} MB, không phải một gói bộ biểu mẫu",
    "FSET007": "tệp không đúng cấu trúc gói bộ biểu mẫu (manifest.json, manifest.p7s và các tệp files/…)",
    "FSET008": "gói có tệp “{name}” không ghi trong bản kê, hoặc thiếu tệp bản kê ghi",
    "FSET009": "tệp “{name}” khác với bản kê đã ký (đã bị sửa sau khi ký)",
    "FSET010": "thời điểm phát hành ghi trong bản kê không khớp thời điểm ký, hoặc ở tương lai",
    "FSET011": "Chưa chọn đơn vị của tệp dữ liệu (Thiết lập › Đơn vị): không biết cơ quan cấp trên nào được ban hành "
    "bộ biểu mẫu cho đơn vị.",
    "FSET012": "{unit} không có cơ quan cấp trên trong tệp dữ liệu: không nhận bộ biểu mẫu của ai được.",
    "FSET013": "Bộ biểu mẫu được ký bằng chứng thư “{subject}” không phải của cơ quan cấp trên (hoặc đã thu hồi). "
    "Hãy lấy tệp chứng thư của {parent} và đăng ký: cchc enrol-certificate --unit {parent_code} TỆP.cer. Chưa cài gì.",
    "FSET014": "Bộ “{set}” phiên bản {version} từ gói này đã được nhận và cài trước đây.",
    "FSET015": "Bộ “{name}” được ký bằng chứng thư “{subject}” chưa đăng ký cho cấp trên: gói được giữ lại, chưa cài. "
    "Hãy gọi cho {parent}, đối chiếu dấu vân tay {fingerprint}, rồi xác nhận: cchc forms confirm --package {sha} "
    "--fingerprint “20 chữ số đầu”.",
    "FSET016": "Không tìm thấy một gói bộ biểu mẫu đang giữ có mã bắt đầu bằng “{package}” (cần ít nhất 8 ký tự).",
    "FSET017": "Bộ biểu mẫu trong gói có lỗi, không cài:\n{problems}",
    "FSET018": "Bộ “{set}” phiên bản {version} {source} với nội dung khác. Một phiên bản đã ban hành không được đổi: "
    "cấp trên cần phát hành phiên bản mới. Chưa cài gì.",
    "FSET019": "Đã cài bộ “{name}” phiên bản {version} do {publisher} ban hành (ký bởi “{subject}”).",
    "FSET020": "Đã ghi gói bộ biểu mẫu “{name}” phiên bản {version} vào “{file}”.",
    "UPG001": "Báo cáo số {report} đã ký hoặc đã nộp: chỉ chuyển được bản nháp sang phiên bản mới của bộ biểu mẫu "
    "(hãy mở khóa trước nếu cần sửa).",
    "UPG002": "Báo cáo đã ở phiên bản {version} của bộ biểu mẫu.",
    "UPG003": "Máy này không có bộ “{set}” phiên bản {version} (có: {known}). Hãy nhận bộ biểu mẫu cấp trên phát hành trước.",
    "UPG004": "Chuyển báo cáo số {report} từ phiên bản {old} sang phiên bản {new} của bộ “{set}”: {moved} ô giữ "
    "nguyên, {dropped} ô không còn chỗ trong phiên bản mới.",
    "UPG005": "{form} / dòng “{row}” / {column}: {value}",
    "UPG006": "Chưa chuyển gì. Các ô trên sẽ bị bỏ (vẫn ghi trong nhật ký); chạy lại với --yes để chuyển.",
    "UPG008": "Máy này chỉ có phiên bản {version} của bộ “{set}”. Khi cấp trên ban hành phiên bản mới, hãy nhận "
    "bộ biểu mẫu (Tệp › Nhận bộ biểu mẫu của cấp trên) rồi chuyển báo cáo.",
    "UPG007": "Đã chuyển báo cáo số {report} sang phiên bản {new} của bộ “{set}”.",
    "TPL001": "Tệp “{file}” không phải bảng tính Excel đọc được ({reason}); không tạo gì.",
    "TPL002": "Trang “{sheet}” có {rows} dòng, {columns} cột: lớn quá một biểu mẫu (tối đa {max_rows} dòng, "
    "{max_columns} cột); không tạo gì.",
    "TPL003": "Trang “{sheet}” không có dòng tiêu đề cột nhận ra được (dòng có “STT” hoặc ít nhất ba ô tiêu đề); "
    "không tạo gì.",
    "TPL004": "--code chỉ dùng được khi bảng tính có một trang biểu mẫu.",
    "TPL005": "Đã tạo bản nháp bộ “{set}” ({forms} biểu) trong “{folder}”: {inferred} điều suy ra được, {todo} "
    "điều cần cán bộ hoàn thiện (xem “{notes}”).",
    "BLANK001": "Bộ “{set}” không có biểu “{form}”; các biểu của bộ: {forms}.",
    "BLANK002": "Bộ “{set}” không có biểu nào để in (mọi biểu của bộ là số liệu kèm nội dung, không in thành phụ lục).",
    "BLANK003": "Đã ghi {forms} biểu mẫu trống của bộ “{set}” vào “{file}”.",
    "BLANK004": "Không tìm thấy bộ biểu mẫu “{set}” (thư mục có set.yaml, hoặc mã bộ có sẵn).",
    "DUE001": "Không có báo cáo nào đến kỳ: đơn vị chưa có báo cáo nào để suy ra lịch nộp.",
    "CERT026": "“{identifier}” không phải mã số thuế hay mã quan hệ ngân sách (dạng MST:0101234567 hoặc MNS:1234567).",
    "CERT027": "Mã “{identifier}” đã được ghi cho {unit}; một mã chỉ thuộc một đơn vị.",
    "CERT028": "Đã ghi mã của {unit}: {identifiers}. Chứng thư do CA tin cậy cấp ghi một mã này (UID) tự gắn với đơn vị.",
    "RCPT001": "Gói số {submission} không ở trạng thái đã nhận; chỉ ra phiếu cho gói đã được nhận vào tổng hợp.",
    "RCPT002": "Trả lại cần lý do, ít nhất {minimum} ký tự (đơn vị cấp dưới đọc lý do này để sửa).",
    "RCPT003": "Phiếu không hợp lệ: trường “{field}” thiếu hoặc sai.",
    "RCPT004": "Không nhận được phiếu: {reason}.",
    "RCPT005": "Phiếu không nói về gói nào đã ký trong tệp dữ liệu này (có thể là phiếu của đơn vị khác).",
    "RCPT006": "Phiếu ghi {unit}, phiên bản {version}, không đúng với gói đã ký mà nó nêu.",
    "RCPT007": "Phiếu do “{issuer}” ra, không phải cơ quan cấp trên của đơn vị.",
    "RCPT008": "Phiếu được ký bằng chứng thư “{subject}” chưa được đăng ký cho {parent}. Hãy lấy tệp chứng thư của "
               "{parent} và đăng ký: cchc enrol-certificate --unit {parent_code} TỆP.cer.",
    "RCPT009": "Phiếu này đã được ghi nhận trước đây.",
    "RCPT010": "{unit} không có cơ quan cấp trên trong tệp dữ liệu; không ra phiếu được.",
    "RCPT011": "tệp lớn hơn {kilobytes} KB, không phải một phiếu",
    "RCPT012": "tệp không đúng cấu trúc phiếu (receipt.json và receipt.p7s)",
    "RCPT013": "thời điểm ra phiếu ({issued}) không hợp lý (khác thời điểm ký, ở tương lai, hoặc trước khi gói được ký)",
    "RCPT014": "Phiếu nói về phiên bản {version}; báo cáo nay đã ở phiên bản {now}, nên không đổi trạng thái.",
    "RCPT015": "{issuer} đã tiếp nhận ngày {date} (phiên bản {version}).",
    "RCPT016": "Bị {issuer} trả lại ngày {date} (phiên bản {version}): {reason}",
    "RCPT017": "Đã ghi phiếu {decision} vào “{file}”.",
    "SIGN015": "Chứng thư số của “{subject}” không dùng để ký văn bản (trường {usage} không cho phép); hãy dùng "
               "chứng thư ký số do CA cấp cho việc ký văn bản. Báo cáo chưa bị thay đổi.",
    "RCPT018": "Phiếu của {parent} được ký bằng chứng thư “{subject}” chưa đăng ký cho cơ quan này: phiếu được giữ "
               "lại, chưa thay đổi gì. Hãy gọi cho {parent}, đối chiếu dấu vân tay {fingerprint}, rồi xác nhận: "
               "cchc confirm-receipt --receipt {sha} --fingerprint “20 chữ số đầu”.",
    "RCPT019": "Phiếu này đang được giữ chờ xác nhận chứng thư của cấp trên.",
    "RCPT020": "Không tìm thấy một phiếu đang giữ có mã bắt đầu bằng “{receipt}” (cần ít nhất 8 ký tự).",
    "SIGN012": "Không đọc được thư viện thiết bị ký số {library} của {vendor} ({reason}). Thư viện 32 bit "
               "(trong SysWOW64) không dùng được với chương trình 64 bit; các thiết bị khác vẫn được liệt kê.",
    "SIGN013": "Không tìm thấy thiết bị ký số nào trên máy (đã tìm các thư viện của VNPT-CA, Viettel-CA, BkavCA, "
               "FPT-CA, Ban Cơ yếu…). Hãy cắm thiết bị, cài phần mềm của nhà cung cấp, hoặc chỉ đường dẫn thư viện.",
    "SIGN014": "Có {count} chứng thư trên các thiết bị ký số đang cắm; hãy chọn một ({choices}).",
    # --- workflow -------------------------------------------------------------
    "FLOW001": "Báo cáo còn {errors} lỗi; hãy sửa hết lỗi trước khi chuyển sang “Đã kiểm tra”.",
    "FLOW002": "Báo cáo có {warnings} cảnh báo; hãy xem và xác nhận đã xem các cảnh báo trước khi chuyển sang “Đã kiểm tra”.",
    "FLOW003": "Báo cáo đang ở trạng thái “{status}”; thao tác này cần trạng thái “{needed}”.",
    "FLOW004": "Hãy ghi lý do mở khóa (ít nhất {minimum} ký tự); lý do được lưu vào nhật ký.",
    "FLOW005": "Báo cáo đã chuyển sang “{status}”.",
    "FLOW006": "Đã mở khóa báo cáo; chữ ký cũ bị hủy, báo cáo sửa tiếp thành phiên bản {version}.",
    "FLOW007": "Chưa thể {action}: bản in còn {count} chỗ chưa điền: {places}. Hãy điền (Tệp › Thông tin văn bản, "
               "hoặc sửa ở biểu, ở nội dung báo cáo) rồi thử lại.",
    "PLH001": "họ và tên người ký chưa điền",
    "PLH002": "họ và tên người ký là “{text}”, chỗ để điền",
    "PLH003": "số văn bản “{text}” chưa đủ",
    "PLH004": "số văn bản chưa điền",
    "PLH005": "ngày văn bản chưa điền",
    "PLH006": "{where}: “{text}”",
    "PLH007": "ghi chú dưới {form}",
    "PLH008": "nội dung báo cáo, mục {section}",
    "PLH009": "nhận xét thẩm định của đơn vị {unit}, tiêu chí {criterion}",
    "PLH010": "{form}, dòng “{row}”, cột “{column}”",
    "PLH011": " và {count} chỗ khác",
    "PLH012": "chuyển sang “Đã kiểm tra”",
    "PLH013": "ký",
    # --- packages ---------------------------------------------------------------
    # --- why a received package is refused (desktop/submission/verify.py) -----
    "ARC001": "tên tệp không hợp lệ",
    "ARC002": "đường dẫn tuyệt đối",
    "ARC003": "đường dẫn ra ngoài gói",
    "ARC004": "gói quá lớn ({size} MB)",
    "ARC005": "gói có quá nhiều tệp ({count})",
    "ARC006": "tên tệp bị trùng trong gói",
    "ARC007": "liên kết hoặc thư mục không được phép trong gói",
    "ARC008": "tệp được mã hóa",
    "ARC009": "cách nén không được hỗ trợ",
    "ARC010": "tệp quá lớn ({size} MB)",
    "ARC011": "tỷ lệ nén bất thường (có thể là bom nén)",
    "ARC012": "tổng dung lượng giải nén quá lớn",
    "ARC013": "nội dung tệp đã bị thay đổi hoặc hỏng",
    "ARC014": "kích thước tệp không khớp với mục lục của gói",
    "ARC015": "thiếu tệp bắt buộc",
    "ARC016": "không đọc được nội dung",
    "ARC017": "không phải gói báo cáo CCHC",
    "ARC018": "phiên bản định dạng gói {found} không được hỗ trợ (phiên bản này đọc được {supported})",
    "ARC019": "danh sách tệp không hợp lệ",
    "ARC020": "thiếu thông tin “{key}”",
    "ARC021": "thiếu phiên bản báo cáo",
    "ARC022": "danh sách tệp có tên trùng",
    "ARC023": "tệp không thuộc định dạng gói",
    "ARC024": "thiếu tệp có trong bản kê",
    "ARC025": "tệp thừa, không có trong bản kê",
    "ARC026": "cấu trúc gói đã bị thay đổi sau khi ký",
    "ARC027": "cấu trúc gói đã bị thay đổi sau khi ký (mục lục của gói)",
    "ARC028": "trường “{field}” của bản kê sai kiểu, ngoài giới hạn hoặc không khớp với nội dung gói",
    "SIG101": "không đọc được chữ ký",
    "SIG102": "chữ ký không khớp nội dung",
    "SIG103": "thiếu thời điểm ký",
    "SIG104": "cần đúng một chữ ký, có {count}",
    "SIG105": "chữ ký không phủ toàn bộ tệp",
    "SIG106": "ký bằng chứng thư khác với bản kê",
    "SIG107": "không phải chứng thư của tổ chức cấp chứng thư (CA): chứng thư của một người ký không làm gốc tin "
              "cậy được",
    "SIG108": "lần ký đã thay đổi bản PDF ngoài việc thêm chữ ký: {what}",
    "SIG109": "bản PDF phải là bản in và đúng một lần ký nối sau nó",
    "SIG110": "lần ký xóa đối tượng của bản in",
    "SIG111": "không có chỗ ký trong bản in",
    "SIG112": "lần ký viết lại đối tượng số {number} của bản in",
    "SIG113": "trang ký phải có đúng một ô chữ ký và không có chú thích nào khác",
    "SIG114": "ô chữ ký nằm ngoài chỗ ký của bản in",
    "SIG115": "{count} trang",
    "SIG116": "chưa kiểm tra được thu hồi (ngoại tuyến)",
    "SIG120": "sau chữ ký của người ký, bản PDF bị thay đổi ngoài việc thêm chữ ký số của cơ quan",
    "SIG117": "đã đối chiếu danh sách thu hồi (CRL) ngày {date} của CA: chưa bị thu hồi",
    "SIG118": "đã đối chiếu danh sách thu hồi (CRL) ngày {date} của CA, nhưng danh sách đã quá hạn cập nhật "
              "({next}): chưa bị thu hồi tính đến ngày {date}",
    "SIG119": "chứng thư của người ký đã bị CA thu hồi (theo danh sách thu hồi ngày {date})",
    "TRUST003": "Thu hồi chứng thư không kiểm tra được khi ngoại tuyến: gói được CA xác thực vẫn ghi “chưa kiểm tra "
                "được thu hồi”.",
    "TRUST004": "Chứng thư được CA xác thực ({path}), {revocation}.",
    "TRUST005": "Chứng thư không được CA xác thực (không có đường tới chứng thư gốc tin cậy nào).",
    "TRUST006": "Máy ký ghi đã kiểm tra chứng thư trước khi ký ({at}): {found}",
    "TRUST001": "Chứng thư gốc có sẵn “{file}” của ứng dụng bị thiếu hoặc hỏng; hãy cài lại ứng dụng.",
    "TRUST002": "Chứng thư gốc có sẵn “{file}” không đúng dấu vân tay đã ghim (có {found}…, phải là {pinned}…): "
                "tệp đã bị thay đổi, ứng dụng không tin nó; hãy cài lại ứng dụng.",
    "DAT001": "không đọc được JSON.",
    "DAT002": "đơn vị, kỳ hoặc bộ biểu mẫu khác với bản kê.",
    "DAT003": "không phải tệp gói (ZIP)",
    "DAT004": "bảng tính (report.xlsx) không được tạo từ dữ liệu (data.json) của gói",
    "DAT005": "bản PDF (report.pdf) không được tạo từ dữ liệu (data.json) của gói",
    "DAT007": "báo cáo kèm theo của “{unit}” không phải của một đơn vị trực thuộc trong gói, cùng kỳ, mỗi đơn vị một "
              "báo cáo",
    "DAT006": "dữ liệu ghi phiên bản báo cáo {data}, bản kê ghi {manifest}",
    "PKG001": "Đã ký báo cáo và tạo gói nộp “{file}” ({size} KB).",
    "PKG002": "Không đọc được gói “{file}”: {reason}.",
    "PKG003": "Gói “{file}” bị từ chối: {reason}.",
    "PKG004": "Gói hợp lệ: {unit}, {period}, phiên bản {version}, ký bởi {signer} lúc {signed_at}.",
    "PKG005": "Tệp “{member}” trong gói đã bị thay đổi sau khi ký (mã băm không khớp).",
    "PKG006": "Chữ ký số trên “{member}” không hợp lệ ({reason}).",
    "PKG007": "Chứng thư số của người ký không thuộc danh sách gốc tin cậy: {note}.",
    "PKG008": "Chứng thư số không còn hiệu lực vào thời điểm ký ({signed_at}).",
    "PKG025": "Đơn vị nhận yêu cầu gói có cả chữ ký số của cơ quan (đóng dấu); gói này chỉ có chữ ký của người ký.",
    "PKG026": "Gói hợp lệ: {unit}, {period}, phiên bản {version}, ký bởi {person} lúc {signed_at}, đóng dấu (chữ ký "
              "số cơ quan) bởi {organisation} lúc {sealed_at}.",
    "PKG027": "Đã đóng dấu (chữ ký số của {organisation}) và ghi lại gói nộp “{file}” ({size} KB).",
    "PKG024": "Chứng thư số của “{subject}” đã bị CA thu hồi theo danh sách thu hồi ngày {date}; gói không được "
              "nhận, dù ghi ký lúc nào (thời điểm ký do người ký tự khai).",
    "PKG009": "Dữ liệu “data.json” không hợp lệ: {reason}",
    "PKG011": "Thời điểm ký {signed_at} ở sau đồng hồ của máy nhận: không có thật (đồng hồ máy ký sai, hoặc ghi "
    "giờ ký giả).",
    "PKG012": "Thời điểm ký {signed_at} ở trước khi kỳ báo cáo bắt đầu ({start}): không thể ký báo cáo của một kỳ "
    "chưa bắt đầu (ghi lùi ngày ký?).",
    "PKG013": "Thời điểm ký trên PDF ({pdf}) khác thời điểm ký bản kê ({manifest}).",
    "PKG014": "Các phần của gói không được tạo cùng nhau: {reason}.",
    "PKG015": "Chứng thư đã hết hiệu lực tính đến hôm nay, nhưng còn hiệu lực lúc ký: chữ ký vẫn hợp lệ (openssl, "
    "pdfsig kiểm tra theo ngày hôm nay nên báo “hết hạn”).",
    "PKG016": "nội dung gói không đọc được theo định dạng (chi tiết kỹ thuật ghi trong nhật ký)",
    "PKG017": "chứng thư của người ký không dùng để ký văn bản (trường {usage} không cho phép)",
    "PKG018": "bản PDF đã ký không in đúng dữ liệu của gói (data.json): {where}bản ký in “{shown}”, dữ liệu là "
              "“{printed}”",
    "PKG019": "bản PDF đã ký không phải bản in từ dữ liệu của gói (data.json): {reason}",
    "PKG020": "{form}, dòng “{row}”, cột “{column}”: ",
    "PKG021": "trang {page}, dòng “{line}”: ",
    "PKG022": "khác ở phần không phải chữ (phông chữ, hình hoặc vị trí){versions}",
    "PKG023": "; gói làm bằng phiên bản {sender} của phần mềm, máy nhận dùng phiên bản {receiver}: hãy dùng cùng "
              "một phiên bản",
    "PKG010": "Báo cáo trong gói có {errors} lỗi, {warnings} cảnh báo theo bộ biểu mẫu.",
    # --- consolidation ------------------------------------------------------------
    "CONS001": "Báo cáo số {report} không có biểu nào tổng hợp từ báo cáo của đơn vị cấp dưới.",
    "CONS002": "Gói của {unit} không thuộc đơn vị trực thuộc {parent}.",
    "CONS003": "Gói của {unit} là báo cáo {period}, không phải kỳ {expected}.",
    "CONS004": "Đã tổng hợp {units} đơn vị vào báo cáo số {report}: {filled} ô được điền.",
    "CONS005": "Phiên bản {version} không được CA xác thực nên không thay thế phiên bản {current} đã được CA "
    "xác thực; gói vẫn được lưu.",
    # --- who may sign for a unit (the register of child units' certificates) ------------------
    "CERT001": "Chờ xác nhận chứng thư: đây là lần đầu nhận gói của {unit} ký bằng chứng thư “{subject}”. Hãy gọi "
    "cho đơn vị, đối chiếu dấu vân tay {fingerprint} rồi xác nhận (hoặc nhập tệp chứng thư đơn vị gửi).",
    "CERT002": "Chờ xác nhận chứng thư: người ký đã thay đổi. Gói của {unit} ký bằng “{subject}” (dấu vân tay "
    "{fingerprint}), khác chứng thư đã đăng ký của đơn vị ({registered}). Hãy hỏi đơn vị trước khi xác nhận.",
    "CERT003": "Chờ xác nhận chứng thư: chứng thư “{subject}” đã đăng ký cho {other}, nay ký gói xưng là của "
    "{unit}. Một đơn vị không được ký thay đơn vị khác.",
    "CERT004": "Chờ xác nhận chứng thư: chứng thư do CA cấp cho “{subject}” ({identifiers}) không ghi mã của {unit}. "
    "Hãy đối chiếu dấu vân tay {fingerprint} với đơn vị rồi xác nhận.",
    "CERT010": "Không tìm thấy gói đã nhận số {submission}.",
    "CERT011": "Gói đã nhận số {submission} không ở trạng thái chờ xác nhận chứng thư.",
    "CERT012": "Chứng thư này đã đăng ký cho đơn vị {unit}; một chứng thư chỉ ký cho một đơn vị ({wanted}).",
    "CERT013": "Không có chứng thư đang đăng ký với dấu vân tay {fingerprint}.",
    "CERT014": "Dấu vân tay đã nhập ({typed}) không khớp chứng thư của gói ({fingerprint}); chưa xác nhận.",
    "CERT015": "Không đọc được tệp chứng thư “{file}”: cần tệp .cer, .crt, .pem (chứng thư, không có khóa bí mật).",
    "CERT016": "Đã đăng ký chứng thư “{subject}” (dấu vân tay {fingerprint}) cho {unit}.",
    "CERT017": "Đã xác nhận người ký và nhận gói số {submission} của {unit}.",
    "CERT018": "Đã từ chối gói số {submission} của {unit}; gói vẫn được lưu, không được tổng hợp.",
    "CERT019": "Hãy nhập ít nhất {digits} chữ số đầu của dấu vân tay để xác nhận đã đối chiếu với đơn vị.",
    "CERT020": "Chờ xác nhận chứng thư: chứng thư “{subject}” (dấu vân tay {fingerprint}) của {owner} đã bị thu hồi "
    "ngày {withdrawn_at} ({reason}); gói của {unit} ký bằng chứng thư này không được tổng hợp. Chỉ một lần đăng ký "
    "chứng thư mới (có ghi nhật ký) mới cho chứng thư ký lại.",
    "CERT021": "Chứng thư của gói này đã bị thu hồi ngày {withdrawn_at}: xác nhận không khôi phục được. Nếu đơn vị "
    "vẫn dùng chứng thư này, hãy đăng ký lại tệp chứng thư đơn vị gửi (enrol-certificate).",
    "CERT022": "Chứng thư này đã bị thu hồi ngày {withdrawn_at}: chỉ đăng ký lại được bằng tệp chứng thư đơn vị gửi.",
    "CERT023": "Đã thu hồi chứng thư; {set_aside} gói ký bằng chứng thư này từ {since} được đặt ra ngoài tổng hợp. "
    "Hãy tổng hợp lại báo cáo của cấp trên.",
    # --- figures against their own history ------------------------------------------
    "HIST001": "Số liệu khác thường so với các kỳ trước của chính đơn vị: {actual}; {last_period}: {last}; "
    "{count} kỳ gần nhất: {low}–{high}. Hãy kiểm tra lại (có thể gõ thừa, thiếu chữ số).",
    "HIST002": "(Các kỳ trước ngày 01/7/2025 là tổng của {units}.)",
    "HIST003": "Số liệu {actual} nằm ngoài khoảng bộ biểu mẫu cho phép ({low}–{high}).",
    # --- the directory of administrative units -------------------------------------
    "DIR001": "Không có đơn vị “{unit}” trong danh mục đơn vị hành chính; tìm mã bằng “cchc units --search TÊN”.",
    "DIR002": "Ngày “{text}” không hợp lệ; viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2025-07-01.",
    "DIR003": "Đã đặt đơn vị của tệp dữ liệu: {unit}; {units} đơn vị có trong tệp.",
    "DIR004": "Bộ biểu mẫu “{form_set}” không dùng cho {unit} (cấp {level}); các bộ dùng được: {usable}.",
    "DIR005": "Đã tạo báo cáo số {report}: {unit}, {period}, {form_set}.",
    "DIR006": "Đã xóa báo cáo số {report} (bản sao lưu trước khi xóa: {backup}).",
    "DIR007": "Hãy thêm --yes để xác nhận xóa báo cáo số {report} ({unit}, {period}).",
    "DIR008": "Ô “{cell}” không hợp lệ; viết DÒNG.CỘT=GIÁ_TRỊ, ví dụ ho_tich.nhan_truc_tuyen=12.",
    "DIR009": "Đã ghi {cells} ô vào báo cáo số {report}.",
    # --- carry-over into the first report of a merged unit -----------------------------
    "CARRY011": "Không tự chuyển số “kỳ trước chuyển sang” cho {unit} từ các đơn vị cũ ({period}): {reasons}. "
    "Hãy nhập các ô này theo biên bản bàn giao.",
    "CARRY012": "sáp nhập một phần: {units} (không biết phần nào thuộc đơn vị mới)",
    "CARRY013": "chưa có báo cáo kỳ trước trong máy: {units}",
    "CARRY014": "{form}, dòng “{row}”, cột “{column}”: {figures}.",
    "CARRY015": "Đã chuyển {cells} ô “kỳ trước chuyển sang” = tổng số đang giải quyết cuối kỳ trước của {units}.",
    # --- the command line's own words (argparse) -------------------------------------------
    "ARG001": "cách dùng: ",
    "ARG002": "tham số",
    "ARG003": "tùy chọn",
    "ARG004": "hiện hướng dẫn này rồi thoát",
    "ARG005": "hiện phiên bản rồi thoát",
    "ARG006": "thiếu các tham số bắt buộc: %s",
    "ARG007": "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "ARG008": "giá trị %(type)s không hợp lệ: %(value)r",
    "ARG009": "tham số không nhận ra: %s",
    "ARG010": "cần một giá trị",
    "ARG011": "tham số %(argument_name)s: %(message)s",
    "ARG012": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "ARG013": "cần ít nhất một giá trị",
    "ARG014": "không dùng cùng tham số %s",
    "ARG015": "cần một trong các tham số %s",
    "ARG016": "{prog}: lỗi: {message}\n",
    "ARG017": "cần %s giá trị",
    # --- cli --------------------------------------------------------------
    "CLI001": "Cửa sổ ứng dụng mở bằng lệnh “cchc-desktop”; “cchc --help” liệt kê các lệnh dòng lệnh.",
    "CLI002": "Đã tạo dữ liệu mẫu trong “{path}”: {reports} báo cáo.",
    "CLI003": "Không có lỗi.",
    "CLI004": "{errors} lỗi, {warnings} cảnh báo.",
    "CLI005": "Tất cả {sets} bộ biểu mẫu ({forms} biểu) đều hợp lệ.",
    "CLI006": "Đã xuất báo cáo số {report} ra “{file}”.",
    "CLI008": "Hãy chọn ít nhất một tệp để xuất: --xlsx TỆP, --pdf TỆP và/hoặc --docx TỆP.",
    "CLI009": "Tùy chọn {option} là bắt buộc khi dùng {needs}.",
    "CLI010": "Hãy chọn cách ký: --p12 TỆP --passphrase-file TỆP, --pkcs11-lib THƯ_VIỆN --pin-file TỆP, "
              "hoặc --token --pin-file TỆP (thiết bị ký số tìm thấy trên máy).",
    "CLI011": "Đã tạo chứng thư số tự ký cho {unit} trong “{file}” (không được CA xác thực).",
    "CLI012": "Đã ghi {count} gói đã ký vào “{folder}”.",
    "CLI014": "Đã đăng ký {count} chứng thư của các xã mẫu vào “{db}” (như văn thư nhận tệp chứng thư từ xã).",
    "CLI015": "Chưa đăng ký chứng thư nào.",
    "CLI018": "Chưa có tệp dữ liệu “{path}”. Đặt đơn vị: cchc setup --unit MÃ (tìm mã: cchc units --search TÊN); "
    "xem dữ liệu mẫu trong tệp riêng: cchc --db du-lieu-mau.db demo.",
    "CLI016": "Đã thu hồi chứng thư; các gói đã nhận vẫn được giữ.",
    "CLI017": "Không có gói nào chờ xác nhận chứng thư.",
    "CLI007": "Lỗi không mong đợi: {reason}. Chi tiết đã ghi vào “{log}”.",
}


def msg(code: str, **params: object) -> str:
    """The catalogue text for ``code`` with ``params`` filled in."""
    return MESSAGES[code].format(**params)


_OS_REASONS = {
    "ENOENT": "không tồn tại", "EACCES": "không có quyền truy cập", "EPERM": "không có quyền truy cập",
    "ENOSPC": "ổ đĩa đã đầy", "EDQUOT": "đã hết dung lượng được cấp", "EISDIR": "là một thư mục",
    "ENOTDIR": "đường dẫn không phải thư mục", "EROFS": "ổ đĩa chỉ cho phép đọc",
    "EBUSY": "tệp đang được chương trình khác dùng", "ETXTBSY": "tệp đang được chương trình khác dùng",
    "ENAMETOOLONG": "tên tệp quá dài", "EEXIST": "tệp đã có", "EIO": "lỗi đọc ghi ổ đĩa",
    "EMFILE": "mở quá nhiều tệp cùng lúc", "EINVAL": "tên hoặc đường dẫn không hợp lệ",
}


def os_reason(error: BaseException) -> str:
    """Why a file could not be read or written, in Vietnamese (the system's own words are English)."""
    name = errno.errorcode.get(getattr(error, "errno", None) or -1, "")
    if not name and getattr(error, "winerror", None) == 32:  # Windows: the file is open in another program
        name = "EBUSY"
    return _OS_REASONS.get(name, "lỗi đọc ghi tệp" + (f" ({name})" if name else ""))


class CchcError(Exception):
    """An expected failure with a catalogued Vietnamese message.

    Raised by the core for bad input, damaged files and the like; callers
    show ``str(error)`` and carry on: nothing has been changed.
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(msg(code, **params))
