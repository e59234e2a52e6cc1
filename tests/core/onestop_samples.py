"""Sample one-stop exports of each shape, built by the tests themselves (issue 25 §2).

The figures are made up. The shapes are those the issue describes: a province's DichVuCong page
saved as ``.xls`` (an HTML document with an Office-HTML head, title rows, rowspan/colspan, figures
as text with "." thousands), and the same table as xlsx (with formulas), xls (BIFF) and CSV.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

HEAD = ["STT", "Lĩnh vực", "Tiếp nhận", "", "", "", "", "Đã xử lý", "", "", "Đang xử lý", "", "Bổ sung",
        "Trả lại/ Rút HS", "Tỷ lệ đúng hạn (%)"]
SUB = ["", "", "Tổng số", "Kỳ trước", "Trong kỳ", "Qua mạng", "Qua BCCI", "Trước hạn", "Đúng hạn", "Quá hạn",
       "Trong hạn", "Quá hạn", "", "", ""]
# lĩnh vực: (kỳ trước, trong kỳ, qua mạng, qua BCCI, trước hạn, đúng hạn, quá hạn, trong hạn, quá hạn, bổ sung, trả lại)
FIELDS = {
    "Hộ tịch": (14, 1586, 1562, 3, 900, 690, 0, 9, 1, 2, 0),
    "Chứng thực": (6, 260, 2, 0, 60, 200, 0, 6, 0, 0, 1),
    "Đất đai": (22, 32, 9, 1, 5, 24, 3, 20, 2, 1, 0),
    "Thi đua - Khen thưởng": (0, 12, 0, 0, 2, 10, 0, 0, 0, 0, 0),
    "Văn hóa cơ sở": (0, 3, 1, 0, 0, 3, 0, 0, 0, 0, 0),
    "Phổ biến giáo dục pháp luật": (0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0),
}


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def body_rows(fields: dict = FIELDS) -> list[list[str]]:
    rows = []
    for i, (name, f) in enumerate(fields.items(), 1):
        before, during, online, bcci, early, on_time, late, within, over, extra, returned = f
        rate = round((early + on_time) * 100 / max(1, early + on_time + late), 2)
        rows.append([str(i), name, thousands(before + during), thousands(before), thousands(during), thousands(online),
                     thousands(bcci), thousands(early), thousands(on_time), thousands(late), thousands(within),
                     thousands(over), str(extra), str(returned), str(rate).replace(".", ",")])
    return rows


def html_xls(path: Path, fields: dict = FIELDS, encoding: str = "utf-8", extra_head: str = "") -> Path:
    """The DichVuCong shape: HTML saved as .xls, title rows above, a two-row merged header."""
    cells = []
    cells.append('<tr><td colspan="15" style="font-weight:bold">THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ</td></tr>')
    cells.append('<tr><td colspan="15">Từ ngày 15/06/2025 đến ngày 14/09/2025 — Đơn vị: UBND xã Đông Khánh Sơn</td></tr>')
    cells.append("<tr>" + '<th rowspan="2">STT</th><th rowspan="2">Lĩnh vực</th><th colspan="5">Tiếp nhận</th>'
                 '<th colspan="3">Đã xử lý</th><th colspan="2">Đang xử lý</th><th rowspan="2">Bổ sung</th>'
                 '<th rowspan="2">Trả lại/<br>Rút HS</th><th rowspan="2">Tỷ lệ đúng hạn (%)</th></tr>')
    cells.append("<tr>" + "".join(f"<th>{t}</th>" for t in SUB[2:12]) + "</tr>")
    for row in body_rows(fields):
        cells.append("<tr>" + "".join(f"<td>{t}</td>" for t in row) + "</tr>")
    total = ["", "Tổng cộng"] + [thousands(sum(int(r[i].replace(".", "")) for r in body_rows(fields)))
                                for i in range(2, 14)] + [""]
    cells.append("<tr>" + "".join(f"<td><b>{t}</b></td>" for t in total) + "</tr>")
    page = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
            '<head><meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8">'
            f'<!--[if gte mso 9]><xml><x:ExcelWorkbook></x:ExcelWorkbook></xml><![endif]-->{extra_head}</head>'
            '<body><table border="1">' + "".join(cells) + "</table></body></html>")
    path.write_bytes(page.encode(encoding))
    return path


def grid(fields: dict = FIELDS) -> list[list[str]]:
    return [["THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"], [], HEAD, SUB] + body_rows(fields)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: the letter (â, ư, …) precomposed, its tone a combining mark."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(p for p in parts if p in TONES)
        out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES)) + tones)
    return "".join(out).encode("cp1258")


def csv_file(path: Path, fields: dict = FIELDS, encoding: str = "utf-8") -> Path:
    text = "\n".join(";".join(row) for row in grid(fields))
    path.write_bytes(windows_1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def xlsx_file(path: Path, fields: dict = FIELDS) -> Path:
    """The same table as a real workbook: merged headers, figures as numbers, the totals as formulas."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r, row in enumerate(grid(fields), 1):
        for c, text in enumerate(row, 1):
            if text == "":
                continue
            value = int(text.replace(".", "")) if r > 4 and 3 <= c <= 14 else text
            sheet.cell(row=r, column=c, value=value)
    for r in range(5, 5 + len(fields)):
        sheet.cell(row=r, column=3, value=f"=D{r}+E{r}")  # Tổng số = Kỳ trước + Trong kỳ
    sheet.merge_cells("C3:G3")
    sheet.merge_cells("H3:J3")
    sheet.merge_cells("K3:L3")
    last = 4 + len(fields)
    sheet.cell(row=last + 1, column=2, value="Tổng cộng")
    for c in "CDEFGHIJKL":
        sheet[f"{c}{last + 1}"] = f"=SUM({c}5:{c}{last})"
    book.save(path)
    return path


def xls_file(path: Path, fields: dict = FIELDS) -> Path:
    """The same table as an old .xls (BIFF) workbook."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Thong ke")
    for r, row in enumerate(grid(fields)):
        for c, text in enumerate(row):
            if text != "":
                sheet.write(r, c, int(text.replace(".", "")) if r > 3 and 2 <= c <= 13 else text)
    book.save(str(path))
    return path
