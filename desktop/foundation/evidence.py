"""Which files may be evidence (minh chứng): documents of the kinds the app lists, by name and by
content. An evidence file is handed to the operating system to open, so a name that hides its
type (``…\u202efdp.exe``, ``bien-ban.pdf   .exe``), a device name (``CON.pdf``), a shortcut or a
program is refused when it arrives, and checked again before it is opened."""

from __future__ import annotations

import unicodedata

from desktop.foundation.messages import CchcError

# extension → the bytes such a file begins with
DOCUMENT_TYPES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "odt": (b"PK\x03\x04",), "ods": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
LISTED = ", ".join(f".{e}" for e in DOCUMENT_TYPES)
_DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}
MAX_NAME = 200


def evidence_problem(filename: str, data: bytes) -> str | None:
    """Why a file cannot be evidence, in Vietnamese, or None."""
    if not filename or len(filename) > MAX_NAME or "/" in filename or "\\" in filename:
        return "tên tệp không hợp lệ"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in filename):  # controls, direction marks (U+202E)
        return "tên tệp có ký tự ẩn hoặc ký tự đảo chiều chữ"
    if filename != filename.strip() or filename.endswith("."):
        return "tên tệp có dấu cách hoặc dấu chấm ở cuối"
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem:
        return f"tệp không có phần mở rộng; chỉ nhận {LISTED}"
    if stem.split(".")[0].strip().lower() in _DEVICES:
        return "tên tệp là tên thiết bị của Windows"
    if stem != stem.rstrip(" ."):
        return "tên tệp có dấu cách hoặc dấu chấm trước phần mở rộng"
    magic = DOCUMENT_TYPES.get(extension.lower())
    if magic is None:
        return f"loại tệp “.{extension[:10]}” không phải văn bản hay hình ảnh; chỉ nhận {LISTED}"
    if not data.startswith(magic):
        return f"nội dung không phải tệp .{extension.lower()} như tên tệp ghi"
    return None


def check_evidence(filename: str, data: bytes) -> None:
    problem = evidence_problem(filename, data)
    if problem:
        raise CchcError("EVID001", file=filename[:80], reason=problem)
