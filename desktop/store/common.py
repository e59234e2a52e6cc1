"""What every service of the store shares: the time a row is stamped with, the blob table, and
SQLite's errors said in Vietnamese (the clerk reads them; the English goes to the log)."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import logging
import sqlite3
from pathlib import Path

from desktop.foundation.messages import CchcError

log = logging.getLogger(__name__)


def now() -> str:
    return dt.datetime.now().isoformat(timespec="milliseconds")


def text(value) -> str | None:
    return None if value is None else str(value)


def in_memory(path: Path) -> bool:
    return str(path) == ":memory:"


def login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def put_blob(conn, data: bytes) -> str:
    """Keep ``data`` once by its SHA-256 (evidence files and packages alike); returns the digest."""
    digest = hashlib.sha256(data).hexdigest()
    conn.execute("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)", (digest, len(data), data))
    return digest


_SQLITE_REASONS = (
    (("locked", "busy"), "cơ sở dữ liệu đang được một cửa sổ hoặc một lệnh khác ghi; hãy thử lại sau ít giây"),
    (("not a database", "file is encrypted"), "tệp không phải cơ sở dữ liệu"),
    (("malformed", "corrupt"), "cơ sở dữ liệu bị hỏng"),
    (("disk i/o",), "lỗi đọc ghi ổ đĩa"),
    (("unable to open",), "không mở được tệp"),
    (("too big", "string or blob too big"), "dữ liệu quá lớn"),
    (("constraint",), "dữ liệu trái ràng buộc của cơ sở dữ liệu"),
)


def sqlite_reason(error: sqlite3.Error) -> str:
    said = str(error).lower()
    log.info("sqlite: %s", error)
    return next((reason for words, reason in _SQLITE_REASONS if any(w in said for w in words)),
                "lỗi cơ sở dữ liệu (chi tiết ghi trong nhật ký)")


def write_error(error: sqlite3.Error, path: Path) -> CchcError:
    said = str(error).lower()
    if "full" in said:
        return CchcError("STORE004")
    if "readonly" in said or "read-only" in said or "unable to open" in said:
        return CchcError("STORE005", path=path)
    return CchcError("STORE011", reason=sqlite_reason(error))
