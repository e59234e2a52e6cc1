"""The local SQLite store.

Durability: WAL journal with ``synchronous=FULL``, so a commit has reached the
disk before the call returns; every edit is its own transaction (a paste is
one transaction).  Writes go through ``_write()``: an explicit ``BEGIN
IMMEDIATE`` ... ``COMMIT``, rolled back whole on any error, which is then
turned into a catalogued message (full disk, read-only folder).

sqlite-utils builds and migrates the schema and serves reads; writes are
plain SQL inside ``_write()`` so that one transaction holds exactly one user
action and its audit rows, with ``BEGIN IMMEDIATE`` (a writer takes its lock up
front rather than failing half-way).  sqlite-utils' own helpers nest inside as
savepoints (v4 ``atomic()``), so they are safe to call there too.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
from collections import OrderedDict
from contextlib import contextmanager
from glob import escape as glob_escape
from pathlib import Path

import sqlite_utils

from desktop.foundation.files import owner_only
from desktop.foundation.messages import CchcError, msg
from desktop.foundation.periods import Period
from desktop.store import migrations
from desktop.store.records import Attachment, AuditEntry, Certificate, Report, Signature, Submission, Unit

log = logging.getLogger(__name__)
KEEP_DAILY = 7
KEEP_EVENT = 10
MIN_BACKUP_BYTES = 256 * 1024 * 1024  # backups together may take this much, or
BACKUP_SIZE_FACTOR = 3  # three times the database, whichever is more
RECENT = dt.timedelta(minutes=10)  # a backup this young serves the next import too
BACKUP_SUFFIX = ".db"
STATUSES = ("nhap", "da_kiem_tra", "da_ky", "da_nop")
STATUS_LABELS = {"nhap": "Nháp", "da_kiem_tra": "Đã kiểm tra", "da_ky": "Đã ký", "da_nop": "Đã nộp"}
LOCKED_STATUSES = ("da_ky", "da_nop")
# A unit code names files and folders (packages, exports): letters, digits and . _ - only, so that
# no code can be a path ("../../x", "C:\\x"); the first character is a letter or a digit.
UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")  # signed: figures change only after "Mở khóa để sửa"


class StoreDamaged(CchcError):
    """The database file cannot be used; ``backup`` is the latest good copy, if any."""

    def __init__(self, path: Path, reason: str, backup: Path | None) -> None:
        self.path, self.backup = path, backup
        super().__init__("STORE001", path=path, reason=reason)
        hint = (
            msg("STORE002", backup=backup.name, when=backup_time(backup), path=path)
            if backup
            else msg("STORE003", path=path)
        )
        self.args = (f"{self.args[0]} {hint}",)

    def __str__(self) -> str:
        return self.args[0]


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="milliseconds")


def backup_time(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%H:%M %d/%m/%Y")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _in_memory(path: Path) -> bool:
    return str(path) == ":memory:"


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-backups"


def list_backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{BACKUP_SUFFIX}"), key=lambda p: p.name, reverse=True)


def _is_good(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            return ok and conn.execute("SELECT count(*) FROM sqlite_master WHERE name='reports'").fetchone()[0] == 1
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def latest_good_backup(db_path: Path) -> Path | None:
    for candidate in list_backups(db_path):
        if _is_good(candidate):
            return candidate
    return None


RESTORING = ".restoring"


def _interrupted(path: Path) -> None:
    """A database path whose restore was killed midway, or whose file is gone while set-aside
    copies lie beside it: said, instead of opening (or creating) a database that is not the data."""
    if _in_memory(path):
        return
    if path.with_name(path.name + RESTORING).exists():
        raise CchcError("STORE021", path=path)
    if not path.exists():
        aside = sorted(path.parent.glob(f"{glob_escape(path.name)}.thay-*")) + \
            sorted(path.parent.glob(f"{glob_escape(path.name)}.hong-*"))
        aside = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
        if aside:
            raise CchcError("STORE022", path=path, aside=aside[-1].name)


def restore_latest(db_path: Path, *, force: bool = False) -> Path:
    """Replace a damaged database by its latest good backup. A healthy one is replaced only
    when ``force`` says the clerk confirmed it (what was typed after the backup goes with it).
    The file replaced is set aside with its -wal and -shm, which may hold committed data:
    never deleted, and opening the set-aside file reads them."""
    backup = latest_good_backup(db_path)
    if backup is None:
        raise CchcError("STORE003", path=db_path)
    if db_path.exists() and _is_good(db_path) and not force:
        raise CchcError("STORE019", path=db_path, backup=backup.name)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.{'hong' if not force else 'thay'}-{stamp}")
    for number in range(2, 1000):  # a second restore within the second: a name of its own
        if not any(aside.with_name(aside.name + s).exists() for s in ("", "-wal", "-shm")):
            break
        aside = db_path.with_name(f"{db_path.name}.{'hong' if not force else 'thay'}-{stamp}-{number}")
    # Killed at any step, no data is lost and the next open says what happened: the copy is made
    # first (its name says a restore is under way: Store.open refuses while it exists); the old
    # files get their set-aside names as links, so the database's name never points at nothing;
    # the old -wal leaves before the copy takes the name (a -wal beside another database would be
    # replayed into it).
    temporary = db_path.with_name(db_path.name + RESTORING)
    shutil.copyfile(backup, temporary)
    owner_only(temporary)  # as every other database: readable by its owner alone
    with temporary.open("rb+") as copied:  # on disk before it takes the database's name
        os.fsync(copied.fileno())
    for suffix in ("-wal", "-shm", ""):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            kept = aside.with_name(aside.name + suffix)
            try:
                os.link(side, kept)
            except OSError:  # a file system without hard links
                shutil.copy2(side, kept)
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(temporary, db_path)
    return backup


# SQLite's reasons in Vietnamese (the clerk reads them; the English goes to the log)
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
    text = str(error).lower()
    log.info("sqlite: %s", error)
    return next((said for words, said in _SQLITE_REASONS if any(w in text for w in words)),
                "lỗi cơ sở dữ liệu (chi tiết ghi trong nhật ký)")


def _write_error(error: sqlite3.Error, path: Path) -> CchcError:
    text = str(error).lower()
    if "full" in text:
        return CchcError("STORE004")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return CchcError("STORE005", path=path)
    return CchcError("STORE011", reason=sqlite_reason(error))


_scratch_template: dict[str, sqlite3.Connection] = {}  # Store.scratch's, one per process


class Store:
    """One database file: units, reports, cells, repeating rows, attachments, settings, audit."""

    def __init__(self, conn: sqlite3.Connection, path: Path, user: str | None = None) -> None:
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self.user = user or _login()
        self._depth = 0
        self._kept_cells: OrderedDict = OrderedDict()  # (report, revision) → cells, for cells_at

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, daily_backup: bool = True, read_only: bool = False,
             user: str | None = None) -> "Store":
        path = Path(path)
        _interrupted(path)
        is_new = not path.exists() or path.stat().st_size == 0
        if is_new and not read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                raise CchcError("STORE005", path=path) from None
        try:
            uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise CchcError("STORE006", path=path, reason=sqlite_reason(error)) from None
        try:
            if not is_new:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise sqlite3.DatabaseError(result)
            if not read_only:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            found = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            conn.close()
            if isinstance(error, sqlite3.OperationalError) and "readonly" in str(error).lower():
                raise CchcError("STORE005", path=path) from None
            raise StoreDamaged(path, error if isinstance(error, str) else sqlite_reason(error),
                               latest_good_backup(path)) from None
        if found > migrations.LATEST:
            conn.close()
            raise CchcError("STORE007", found=found, supported=migrations.LATEST)
        if is_new and not read_only and not _in_memory(path):
            owner_only(path)  # SQLite gives the -wal and -shm files the database's own mode
        store = cls(conn, path, user)
        if found < migrations.LATEST and not read_only:
            if not is_new and found > 0:
                store.backup("truoc-nang-cap")
            try:
                migrations.migrate(store.db, found)
            except sqlite3.Error as error:
                conn.close()
                raise _write_error(error, path) from None
        if daily_backup and not is_new and not read_only:
            store.daily_backup()
        return store

    @classmethod
    def scratch(cls, user: str) -> "Store":
        """An empty store in memory, as ``open(":memory:")`` makes one, copied from a migrated
        template kept for the process: the migrations' few hundred statements run once, not once
        per package a receiver verifies."""
        template = _scratch_template.get("conn")
        if template is None:
            template = _scratch_template["conn"] = cls.open(":memory:", daily_backup=False, user=user).conn
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        template.backup(conn)
        conn.execute("PRAGMA foreign_keys=ON")
        return cls(conn, Path(":memory:"), user)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _write(self):
        """One durable transaction; on any error nothing of it stays.

        Nested calls join the outer transaction, so an import made of many
        small writes is still all or nothing (``transaction()``).
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _write_error(error, self.path) from None
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _write_error(error, self.path) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    transaction = _write

    def _audit(self, conn, action: str, report_id=None, form=None, row=None, col=None, old=None, new=None) -> None:
        conn.execute(
            "INSERT INTO audit (at, user, report_id, action, form_code, row_id, col_id, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), self.user, report_id, action, form, row, col, old, new),
        )

    # --- backups ---------------------------------------------------------------

    def backup(self, reason: str) -> Path | None:
        """A consistent copy through SQLite's backup API, then rotation. A scratch store in memory
        (verifying a package, the demo communes) has nothing to keep: no folder is made for it."""
        if _in_memory(self.path):
            return None
        folder = backup_dir(self.path)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{self.path.stem}-{stamp}-{reason}{BACKUP_SUFFIX}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            destination = sqlite3.connect(target)
            try:
                owner_only(target)
                self.conn.backup(destination)
            finally:
                destination.close()
        except (OSError, sqlite3.Error) as error:
            if target.exists():
                target.unlink()
            if isinstance(error, sqlite3.Error):
                raise _write_error(error, target) from None
            raise CchcError("STORE004") if "space" in str(error).lower() else CchcError("STORE005", path=folder) from None
        self._rotate()
        return target

    def recent_backup(self, reason: str, within: dt.timedelta = RECENT) -> Path | None:
        """A backup before an import, unless one was made moments ago: importing documents one by
        one copied the whole database before each (quadratic, and 295 MB of copies of a 103 MB
        file after three imports). What was committed since that backup is in the database."""
        newest = next(iter(list_backups(self.path)), None)
        if newest is not None and dt.datetime.now().timestamp() - newest.stat().st_mtime < within.total_seconds():
            return None
        return self.backup(reason)

    def _rotate(self) -> None:
        daily = [p for p in list_backups(self.path) if p.stem.endswith("-hang-ngay")]
        events = [p for p in list_backups(self.path) if not p.stem.endswith("-hang-ngay")]
        for old in daily[KEEP_DAILY:] + events[KEEP_EVENT:]:
            old.unlink(missing_ok=True)
        # Bounded by size too: the oldest go first (events before dailies), the newest always stays.
        kept = [p for p in list_backups(self.path) if p.exists()]
        limit = max(MIN_BACKUP_BYTES, BACKUP_SIZE_FACTOR * _size(self.path))
        total = sum(_size(p) for p in kept)
        oldest_first = sorted(kept[1:], key=lambda p: (p.stem.endswith("-hang-ngay"), p.name))
        for old in oldest_first:
            if total <= limit:
                break
            total -= _size(old)
            old.unlink(missing_ok=True)

    def daily_backup(self) -> Path | None:
        today = dt.date.today().strftime("%Y%m%d")
        for existing in list_backups(self.path):
            if existing.stem.endswith("-hang-ngay") and f"-{today}-" in existing.name:
                return None
        try:
            return self.backup("hang-ngay")
        except CchcError:
            return None  # a read-only folder must not stop the clerk from reading

    # --- units -----------------------------------------------------------------

    def add_unit(self, code: str, name: str, level: str, parent: str | None = None, position: int = 0) -> None:
        if not isinstance(code, str) or not UNIT_CODE.fullmatch(code) or parent == code:
            raise CchcError("STORE018", unit=code)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO units (code, name, level, parent_code, position) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET name=excluded.name, level=excluded.level, "
                "parent_code=excluded.parent_code, position=excluded.position",
                (code, name, level, parent, position),
            )
            self._audit(conn, "unit", new=json.dumps([code, name, level, parent], ensure_ascii=False))

    # unit, children, report: plain SQL, asked for every report read, where sqlite-utils'
    # rows_where first lists the database's tables (twice) before it queries
    def unit(self, code: str) -> Unit:
        rows = self._records(Unit, "SELECT * FROM units WHERE code = ?", (code,))
        if not rows:
            raise CchcError("STORE009", unit=code)
        return rows[0]

    def children(self, code: str) -> list[Unit]:
        return self._records(Unit, "SELECT * FROM units WHERE parent_code = ? ORDER BY position, code", (code,))

    def units(self) -> list[Unit]:
        return [Unit.of(r) for r in self.db["units"].rows_where(order_by="position, code")]

    # --- reports ---------------------------------------------------------------

    def create_report(self, unit_code: str, period: Period, form_set_id: str, form_set_version: int,
                      **fields) -> int:
        self.unit(unit_code)
        existing = self.find_report(unit_code, period, form_set_id)
        if existing is not None:
            raise CchcError("STORE012", unit=unit_code, period=period.label, report=existing)
        now = _now()
        record = {
            "unit_code": unit_code, "period_type": period.type, "period_number": period.number,
            "year": period.year, "year_from": period.year_from, "form_set_id": form_set_id,
            "form_set_version": form_set_version, "status": "nhap", "created_at": now, "updated_at": now,
            "version": 1, "totals": "tinh",
        }
        record.update({k: v for k, v in fields.items() if k in REPORT_FIELDS})
        if record["totals"] not in TOTALS_MODES:
            raise ValueError(f"totals: {record['totals']!r}")
        _check_status(record["status"])
        columns = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        with self._write() as conn:
            cursor = conn.execute(f"INSERT INTO reports ({columns}) VALUES ({marks})", list(record.values()))
            report_id = cursor.lastrowid
            self._audit(conn, "create_report", report_id, new=json.dumps(record, ensure_ascii=False))
        return report_id

    def update_report(self, report_id: int, **fields) -> None:
        old = self.report(report_id)
        changes = {k: v for k, v in fields.items() if k in REPORT_FIELDS and getattr(old, k) != v}
        if not changes:
            return
        if "status" in changes:
            _check_status(changes["status"])
        assignments = ", ".join(f"{k} = ?" for k in changes)
        with self._write() as conn:
            conn.execute(f"UPDATE reports SET {assignments}, updated_at = ? WHERE id = ?",
                         [*changes.values(), _now(), report_id])
            for key, value in changes.items():
                self._audit(conn, "report_field", report_id, col=key, old=_text(getattr(old, key)), new=_text(value))

    def report(self, report_id: int) -> Report:
        rows = self._records(Report, "SELECT * FROM reports WHERE id = ?", (report_id,))
        if not rows:
            raise CchcError("STORE008", report=report_id)
        return rows[0]

    def reports_of(self, unit_code: str, form_set_id: str, period_type: str) -> list[Report]:
        """One unit's reports on one form set for one period type (its history), by SQL."""
        # plain SQL: asked once per report validated, where sqlite-utils' rows_where costs 0,5 ms
        return self._records(Report, "SELECT * FROM reports WHERE unit_code = ? AND form_set_id = ? "
                             "AND period_type = ? ORDER BY year, period_number", (unit_code, form_set_id, period_type))

    def _records(self, record, sql: str, args: tuple) -> list:
        cursor = self.conn.execute(sql, args)
        names = [c[0] for c in cursor.description]
        return [record.of(dict(zip(names, row))) for row in cursor]

    def reports(self, units=None) -> list[Report]:
        """Every report, or those of the ``units`` given (codes)."""
        if units is None:
            return [Report.of(r) for r in
                    self.db["reports"].rows_where(order_by="year, period_type, period_number, unit_code, id")]
        codes = sorted(set(units))
        found: list[Report] = []
        for start in range(0, len(codes), 500):  # SQLite's limit on bound parameters
            chunk = codes[start:start + 500]
            found += self._records(Report, f"SELECT * FROM reports WHERE unit_code IN ({','.join('?' * len(chunk))})",
                                   tuple(chunk))
        return sorted(found, key=lambda r: (r.year, r.period_type, r.period_number, r.unit_code, r.id))

    def reports_per_unit(self) -> dict[str, int]:
        """unit code → how many reports it has (the navigator's closed units)."""
        return dict(self.conn.execute("SELECT unit_code, COUNT(*) FROM reports GROUP BY unit_code"))

    def first_report_id(self) -> int | None:
        """The report a window opens when told none: the first in the order of ``reports()``."""
        found = self.conn.execute("SELECT id FROM reports ORDER BY year, period_type, period_number, unit_code, id "
                                  "LIMIT 1").fetchone()
        return found[0] if found else None

    def _editable(self, conn, report_id: int) -> None:
        """A signed report refuses changes; a checked one goes back to Nháp (its check is stale)."""
        found = conn.execute("SELECT status FROM reports WHERE id = ?", (report_id,)).fetchone()
        if found is None:
            raise CchcError("STORE008", report=report_id)
        if found[0] in LOCKED_STATUSES:
            raise CchcError("CELL003")
        if found[0] == "da_kiem_tra":
            conn.execute("UPDATE reports SET status = 'nhap' WHERE id = ?", (report_id,))
            self._audit(conn, "report_field", report_id, col="status", old="da_kiem_tra", new="nhap")

    def find_report(self, unit_code: str, period: Period, form_set_id: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM reports WHERE unit_code = ? AND period_type = ? AND year = ? "
            "AND period_number IS ? AND year_from IS ? AND form_set_id = ?",
            (unit_code, period.type, period.year, period.number, period.year_from, form_set_id),
        ).fetchone()
        return row[0] if row else None

    # --- cells -----------------------------------------------------------------

    def set_cell(self, report_id: int, form: str, row: str, col: str, value: str | None) -> str | None:
        """Store one cell (canonical text, None to clear); durable on return. Returns the old value."""
        return self.set_cells(report_id, [(form, row, col, value)])[0]

    def set_cells(self, report_id: int, changes: list[tuple[str, str, str, str | None]],
                  action: str = "cell") -> list[str | None]:
        """Several cells in one transaction (a paste, an import): all or nothing."""
        olds: list[str | None] = []
        with self._write() as conn:
            self._editable(conn, report_id)
            for form, row, col, value in changes:
                found = conn.execute(
                    "SELECT value FROM cells WHERE report_id=? AND form_code=? AND row_id=? AND col_id=?",
                    (report_id, form, row, col),
                ).fetchone()
                old = found[0] if found else None
                olds.append(old)
                if old == value:
                    continue
                if value is None:
                    conn.execute("DELETE FROM cells WHERE report_id=? AND form_code=? AND row_id=? AND col_id=?",
                                 (report_id, form, row, col))
                else:
                    conn.execute(
                        "INSERT INTO cells (report_id, form_code, row_id, col_id, value) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT(report_id, form_code, row_id, col_id) DO UPDATE SET value = excluded.value",
                        (report_id, form, row, col, value),
                    )
                self._audit(conn, action, report_id, form, row, col, old, value)
            conn.execute("UPDATE reports SET updated_at = ? WHERE id = ?", (_now(), report_id))
        return olds

    def set_narrative(self, report_id: int, section: str, text: str | None) -> str | None:
        """One section of the report's body text (None or blank to clear); durable on return. Returns the old text."""
        text = text if text and text.strip() else None
        with self._write() as conn:
            self._editable(conn, report_id)
            found = conn.execute("SELECT text FROM narrative WHERE report_id = ? AND section = ?",
                                 (report_id, section)).fetchone()
            old = found[0] if found else None
            if old == text:
                return old
            if text is None:
                conn.execute("DELETE FROM narrative WHERE report_id = ? AND section = ?", (report_id, section))
            else:
                conn.execute(
                    "INSERT INTO narrative (report_id, section, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(report_id, section) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at", (report_id, section, text, _now()))
            self._audit(conn, "narrative", report_id, row=section, old=old, new=text)
            conn.execute("UPDATE reports SET updated_at = ? WHERE id = ?", (_now(), report_id))
        return old

    def set_appraisal(self, report_id: int, unit_code: str, criterion: str, score: str | None,
                      comment: str | None) -> tuple[str | None, str | None]:
        """The appraised score and comment of one criterion of a child unit's sheet, kept with the
        receiving report ``report_id`` (None for both clears it); durable on return, audited.
        Returns the old (score, comment)."""
        comment = comment if comment and comment.strip() else None
        with self._write() as conn:
            self._editable(conn, report_id)
            found = conn.execute("SELECT score, comment FROM appraisals WHERE report_id = ? AND unit_code = ? "
                                 "AND criterion = ?", (report_id, unit_code, criterion)).fetchone()
            old = (found[0], found[1]) if found else (None, None)
            if old == (score, comment):
                return old
            if score is None and comment is None:
                conn.execute("DELETE FROM appraisals WHERE report_id = ? AND unit_code = ? AND criterion = ?",
                             (report_id, unit_code, criterion))
            else:
                conn.execute(
                    "INSERT INTO appraisals (report_id, unit_code, criterion, score, comment, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(report_id, unit_code, criterion) DO UPDATE SET "
                    "score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at",
                    (report_id, unit_code, criterion, score, comment, _now()))
            self._audit(conn, "appraisal", report_id, form=unit_code, row=criterion,
                        old=json.dumps(old, ensure_ascii=False), new=json.dumps([score, comment], ensure_ascii=False))
            conn.execute("UPDATE reports SET updated_at = ? WHERE id = ?", (_now(), report_id))
        return old

    def appraisals(self, report_id: int) -> dict[str, dict[str, tuple[str | None, str | None]]]:
        """The appraisal kept with ``report_id``: unit code -> criterion -> (score, comment)."""
        out: dict[str, dict[str, tuple[str | None, str | None]]] = {}
        rows = self.conn.execute("SELECT unit_code, criterion, score, comment FROM appraisals WHERE report_id = ?",
                                 (report_id,))
        for unit, criterion, score, comment in rows:
            out.setdefault(unit, {})[criterion] = (score, comment)
        return out

    def narrative(self, report_id: int) -> dict[str, str]:
        """The report's body text by section key."""
        rows = self.conn.execute("SELECT section, text FROM narrative WHERE report_id = ?", (report_id,))
        return {section: text for section, text in rows}

    def cells_at(self, report_id: int, revision: int) -> dict[str, dict[str, dict[str, str]]]:
        """``cells`` of a report as of its ``revision`` (from ``reports``), kept for a while: a unit's
        history is read by each of its later reports, and a revision never changes its cells.
        Callers must not change what they get."""
        key = (report_id, revision)
        found = self._kept_cells.get(key)
        if found is None:
            found = self._kept_cells[key] = self.cells(report_id)
            if len(self._kept_cells) > 4096:
                self._kept_cells.popitem(last=False)
        return found

    def cells(self, report_id: int) -> dict[str, dict[str, dict[str, str]]]:
        """All stored cells of a report: form -> row -> column -> canonical text."""
        out: dict[str, dict[str, dict[str, str]]] = {}
        for form, row, col, value in self.conn.execute(
            "SELECT form_code, row_id, col_id, value FROM cells WHERE report_id = ?", (report_id,)
        ):
            out.setdefault(form, {}).setdefault(row, {})[col] = value
        return out

    # --- repeating rows ----------------------------------------------------------

    def add_row(self, report_id: int, form: str, section: str, position: int | None = None,
                row_id: str | None = None) -> str:
        """A new clerk-added row in ``section``, at ``position`` (0-based) or at the end.

        ``row_id`` brings back a row that was deleted (undo) under its old id."""
        with self._write() as conn:
            self._editable(conn, report_id)
            ids = self._section_ids(conn, report_id, form, section)
            taken = "SELECT 1 FROM repeat_rows WHERE report_id=? AND form_code=? AND row_id=?"
            if row_id is not None and conn.execute(taken, (report_id, form, row_id)).fetchone():
                raise CchcError("STORE016", row=row_id, form=form)
            if row_id is None:
                serial = conn.execute(
                    "SELECT count(*) FROM audit WHERE report_id=? AND form_code=? AND action='add_row'",
                    (report_id, form),
                ).fetchone()[0]
                row_id = f"{section}#{serial + 1}"
                while conn.execute(taken, (report_id, form, row_id)).fetchone():
                    serial += 1
                    row_id = f"{section}#{serial + 1}"
            position = len(ids) if position is None else max(0, min(position, len(ids)))
            ids.insert(position, row_id)
            self._renumber(conn, report_id, form, section, ids, new=row_id)
            self._audit(conn, "add_row", report_id, form, row_id, new=str(position))
        return row_id

    @staticmethod
    def _section_ids(conn, report_id: int, form: str, section: str) -> list[str]:
        return [r[0] for r in conn.execute(
            "SELECT row_id FROM repeat_rows WHERE report_id=? AND form_code=? AND section=? ORDER BY position",
            (report_id, form, section))]

    def _section_of(self, conn, report_id: int, form: str, row_id: str) -> str:
        found = conn.execute("SELECT section FROM repeat_rows WHERE report_id=? AND form_code=? AND row_id=?",
                             (report_id, form, row_id)).fetchone()
        if not found:
            raise CchcError("STORE013", row=row_id, form=form)
        return found[0]

    def put_section_rows(self, report_id: int, form: str, section: str, ids: list[str]) -> None:
        """Rows of a section given whole (an import): they must be new to the report."""
        with self._write() as conn:
            self._editable(conn, report_id)
            for position, row_id in enumerate(ids):
                conn.execute("INSERT INTO repeat_rows (report_id, form_code, section, row_id, position) "
                             "VALUES (?, ?, ?, ?, ?)", (report_id, form, section, row_id, position))
                self._audit(conn, "add_row", report_id, form, row_id, new=str(position))

    def _renumber(self, conn, report_id, form, section, ids, new=None) -> None:
        for index, row_id in enumerate(ids):
            if row_id == new:
                conn.execute("INSERT INTO repeat_rows (report_id, form_code, section, row_id, position) "
                             "VALUES (?, ?, ?, ?, ?)", (report_id, form, section, row_id, index))
            else:
                conn.execute("UPDATE repeat_rows SET position=? WHERE report_id=? AND form_code=? AND row_id=?",
                             (index, report_id, form, row_id))

    def delete_row(self, report_id: int, form: str, row_id: str) -> None:
        with self._write() as conn:
            self._editable(conn, report_id)
            section = self._section_of(conn, report_id, form, row_id)
            for col, value in conn.execute(
                    "SELECT col_id, value FROM cells WHERE report_id=? AND form_code=? AND row_id=?",
                    (report_id, form, row_id)).fetchall():
                self._audit(conn, "cell", report_id, form, row_id, col, value, None)
            conn.execute("DELETE FROM cells WHERE report_id=? AND form_code=? AND row_id=?", (report_id, form, row_id))
            conn.execute("DELETE FROM repeat_rows WHERE report_id=? AND form_code=? AND row_id=?",
                         (report_id, form, row_id))
            ids = self._section_ids(conn, report_id, form, section)
            self._renumber(conn, report_id, form, section, ids)
            self._audit(conn, "delete_row", report_id, form, row_id)

    def move_row(self, report_id: int, form: str, row_id: str, position: int) -> None:
        with self._write() as conn:
            self._editable(conn, report_id)
            section = self._section_of(conn, report_id, form, row_id)
            ids = self._section_ids(conn, report_id, form, section)
            old = ids.index(row_id)
            ids.remove(row_id)
            ids.insert(max(0, min(position, len(ids))), row_id)
            self._renumber(conn, report_id, form, section, ids)
            self._audit(conn, "move_row", report_id, form, row_id, old=str(old), new=str(position))

    def repeat_rows(self, report_id: int) -> dict[str, dict[str, list[str]]]:
        """form -> section -> row ids in order."""
        out: dict[str, dict[str, list[str]]] = {}
        for form, section, row_id in self.conn.execute(
            "SELECT form_code, section, row_id FROM repeat_rows WHERE report_id=? ORDER BY position", (report_id,)
        ):
            out.setdefault(form, {}).setdefault(section, []).append(row_id)
        return out

    # --- attachments -----------------------------------------------------------

    def add_attachment(self, report_id: int, form: str, row: str, filename: str, data: bytes) -> str:
        """Keep a file (minh chứng) once by its SHA-256 and link it to a row."""
        with self._write() as conn:
            self._editable(conn, report_id)
            digest = self._put_blob(conn, data)
            conn.execute("INSERT INTO attachments (report_id, form_code, row_id, sha256, filename, added_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (report_id, form, row, digest, filename, _now()))
            self._audit(conn, "attach", report_id, form, row, new=f"{filename} {digest}")
        return digest

    def attachments(self, report_id: int) -> list[Attachment]:
        return [Attachment.of(r) for r in self.db["attachments"].rows_where("report_id = ?", [report_id], order_by="id")]

    def blob(self, digest: str) -> bytes:
        row = self.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
        if row is None:
            raise CchcError("STORE011", reason=f"thiếu tệp đính kèm {digest}")
        return bytes(row[0])

    def _put_blob(self, conn, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        conn.execute("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)", (digest, len(data), data))
        return digest

    # --- signatures (this unit's signed packages) -------------------------------

    def add_signature(self, report_id: int, *, signed_at: str, signer: str, cert_sha256: str,
                      ca_verified: bool, package: bytes, filename: str) -> int:
        """The signed package of the report's current version; the report becomes Đã ký (locked)."""
        with self._write() as conn:
            report = conn.execute("SELECT status, version FROM reports WHERE id = ?", (report_id,)).fetchone()
            if report is None:
                raise CchcError("STORE008", report=report_id)
            digest = self._put_blob(conn, package)
            cursor = conn.execute(
                "INSERT INTO signatures (report_id, version, signed_at, signer, cert_sha256, ca_verified, "
                "package_sha256, filename) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, report[1], signed_at, signer, cert_sha256, int(ca_verified), digest, filename))
            conn.execute("UPDATE reports SET status = 'da_ky', updated_at = ? WHERE id = ?", (_now(), report_id))
            self._audit(conn, "sign", report_id, old=report[0], new=f"phiên bản {report[1]}; {signer}; {digest}")
        return cursor.lastrowid

    def signatures(self, report_id: int) -> list[Signature]:
        return [Signature.of(r) for r in self.db["signatures"].rows_where("report_id = ?", [report_id], order_by="id")]

    def unlock(self, report_id: int, reason: str) -> int:
        """"Mở khóa để sửa": voids the signature, back to Nháp as version n+1; returns the new version."""
        with self._write() as conn:
            report = conn.execute("SELECT status, version FROM reports WHERE id = ?", (report_id,)).fetchone()
            if report is None:
                raise CchcError("STORE008", report=report_id)
            now = _now()
            conn.execute("UPDATE signatures SET voided_at = ?, void_reason = ? WHERE report_id = ? "
                         "AND voided_at IS NULL", (now, reason, report_id))
            conn.execute("UPDATE reports SET status = 'nhap', version = ?, updated_at = ? WHERE id = ?",
                         (report[1] + 1, now, report_id))
            self._audit(conn, "unlock", report_id, col="version", old=str(report[1]), new=reason)
        return report[1] + 1

    # --- submissions (packages received from child units) ------------------------

    def add_submission(self, record: dict, package: bytes, *, held_reason: str | None = None) -> tuple[int, str]:
        """Keep a verified package of a child unit. Returns (id, state): ``accepted`` when it is now
        the current one of its unit, period and form set, ``superseded`` when another stays current,
        ``held`` when ``held_reason`` says its signer awaits the clerk's confirmation (a held package
        is kept but counts for nothing). The same package twice is kept once; a held package
        received again without a reason (its signer since registered) is accepted then."""
        with self._write() as conn:
            digest = self._put_blob(conn, package)
            known = conn.execute("SELECT id, state FROM submissions WHERE package_sha256 = ?", (digest,)).fetchone()
            if known and not (known[1] == "held" and held_reason is None):
                return known[0], self._state_of(conn, known[0])
            if known:
                conn.execute("UPDATE submissions SET state = 'accepted', held_reason = NULL WHERE id = ?", (known[0],))
                self._audit(conn, "accept-held", new=f"{record['unit_code']} {digest}")
                return known[0], self._elect(conn, known[0])
            fields = dict(record, package_sha256=digest, received_at=_now(),
                          state="held" if held_reason else "accepted", held_reason=held_reason)
            columns = ", ".join(fields)
            cursor = conn.execute(f"INSERT INTO submissions ({columns}) VALUES ({', '.join('?' for _ in fields)})",
                                  list(fields.values()))
            new_id = cursor.lastrowid
            self._audit(conn, "receive", new=f"{record['unit_code']} phiên bản {record['report_version']} {digest}"
                        + (f" (giữ lại: {held_reason})" if held_reason else ""))
            if held_reason:
                return new_id, "held"
            return new_id, self._elect(conn, new_id)

    def _elect(self, conn, submission_id: int) -> str:
        """Among the accepted packages of this one's unit, period and form set, the current one:
        a CA-verified package before any other (an untrusted package never replaces a trusted
        one), then the highest report version, then the latest signed. Returns this one's state."""
        key = conn.execute("SELECT unit_code, period_type, year, period_number, year_from, form_set_id "
                           "FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        # a package signed by a since-withdrawn certificate ranks below the unit's current key's:
        # the new key's version 2 supersedes the lost token's version 100000
        rivals = conn.execute(
            "SELECT s.id, s.ca_verified, c.withdrawn_at IS NULL, s.report_version, s.signed_at FROM submissions s "
            "LEFT JOIN certificates c ON c.sha256 = s.certificate_sha256 WHERE s.unit_code = ? "
            "AND s.period_type = ? AND s.year = ? AND s.period_number IS ? AND s.year_from IS ? AND s.form_set_id = ? "
            "AND s.state = 'accepted'", key).fetchall()
        newest = max(rivals, key=lambda r: (r[1] or 0, r[2], r[3], r[4] or "", r[0]))[0]
        for rival in rivals:
            conn.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?",
                         (None if rival[0] == newest else newest, rival[0]))
        return self._state_of(conn, submission_id)

    @staticmethod
    def _state_of(conn, submission_id: int) -> str:
        state, superseded_by = conn.execute("SELECT state, superseded_by FROM submissions WHERE id = ?",
                                            (submission_id,)).fetchone()
        return "superseded" if state == "accepted" and superseded_by is not None else state

    def submissions(self, unit_codes: list[str] | None = None, *, current_only: bool = False,
                    state: str | None = "accepted") -> list[Submission]:
        """Received packages (by default the accepted ones; ``state=None``: all, held and refused too)."""
        where, args = [], []
        if unit_codes is not None:
            where.append(f"unit_code IN ({', '.join('?' for _ in unit_codes)})")
            args += unit_codes
        if state is not None:
            where.append("state = ?")
            args.append(state)
        if current_only:
            where.append("superseded_by IS NULL")
        return [Submission.of(r) for r in self.db["submissions"].rows_where(" AND ".join(where) or None, args,
                                                                           order_by="unit_code, year, id")]

    def submission(self, submission_id: int) -> Submission:
        found = self._records(Submission, "SELECT * FROM submissions WHERE id = ?", (submission_id,))
        if not found:
            raise CchcError("CERT010", submission=submission_id)
        return found[0]

    def decide_held(self, submission_id: int, accept: bool, reason: str = "") -> str:
        """The clerk's decision on a held package: accepted (then elected like any other) or refused
        (kept, as everything received is, but never counted). Returns its state after."""
        with self._write() as conn:
            row = conn.execute("SELECT state, unit_code FROM submissions WHERE id = ?", (submission_id,)).fetchone()
            if row is None:
                raise CchcError("CERT010", submission=submission_id)
            if row[0] != "held":
                raise CchcError("CERT011", submission=submission_id)
            if accept:
                conn.execute("UPDATE submissions SET state = 'accepted' WHERE id = ?", (submission_id,))
                state = self._elect(conn, submission_id)
            else:
                conn.execute("UPDATE submissions SET state = 'refused', held_reason = ? WHERE id = ?",
                             (reason or row[0], submission_id))
                state = "refused"
            self._audit(conn, "accept-held" if accept else "refuse-held", col=row[1], new=f"{submission_id} {reason}")
        return state

    # --- the navigator's counts, kept between starts ------------------------------------------

    def cached_counts(self, report_ids=None) -> dict[int, tuple[str, int, int, dict]]:
        """report id → (stamp, errors, warnings, {form: [errors, warnings]}) as last computed
        (of every report, or of ``report_ids``)."""
        sql = "SELECT report_id, stamp, errors, warnings, forms FROM report_counts"
        if report_ids is None:
            rows = list(self.conn.execute(sql))
        else:
            ids = sorted(set(report_ids))
            rows = []
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows += self.conn.execute(f"{sql} WHERE report_id IN ({','.join('?' * len(chunk))})", tuple(chunk))
        return {r[0]: (r[1], r[2], r[3], json.loads(r[4] or "{}")) for r in rows}

    def save_counts(self, rows: list[tuple[int, str, int, int, dict]]) -> None:
        """Derived data, not the clerk's: not audited, and a read-only or full disk only costs the
        next start its time (nothing is lost), so a failure here is not an error."""
        try:
            with self._write() as conn:
                conn.executemany("INSERT OR REPLACE INTO report_counts (report_id, stamp, errors, warnings, forms) "
                                 "VALUES (?, ?, ?, ?, ?)", [(r, s, e, w, json.dumps(f)) for r, s, e, w, f in rows])
        except CchcError:
            pass

    # --- deleting a report -----------------------------------------------------------------

    REPORT_TABLES = ("cells", "repeat_rows", "attachments", "signatures", "narrative", "appraisals", "report_counts")

    def delete_report(self, report_id: int) -> None:
        """Delete a report and everything kept with it, after a backup; audited. A signed or
        submitted report is refused until unlocked (its signature is a record of what was sent).
        Evidence files stay among the blobs: another report may share them."""
        report = self.report(report_id)
        if report.status in LOCKED_STATUSES:
            raise CchcError("STORE020", report=report_id, status=STATUS_LABELS[report.status])
        self.backup("truoc-xoa-bao-cao")
        with self._write() as conn:
            counts = {t: conn.execute(f"DELETE FROM {t} WHERE report_id = ?", (report_id,)).rowcount
                      for t in self.REPORT_TABLES}
            conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))
            self._audit(conn, "delete-report", report_id, old=json.dumps(
                {"unit": report.unit_code, "period": report.period.label, "form_set": report.form_set_id,
                 "version": report.version, **counts}, ensure_ascii=False))

    # --- the register of child units' signing certificates -------------------------------

    def add_certificate(self, record: dict) -> Certificate:
        """Register a child unit's certificate (``record``: the ``certificates`` fields but the dates
        of adding). A certificate is one unit's: registered for another unit, it is refused;
        registered before and withdrawn, it is registered again."""
        with self._write() as conn:
            unit = conn.execute("SELECT code FROM units WHERE code = ?", (record["unit_code"],)).fetchone()
            if unit is None:
                raise CchcError("STORE009", unit=record["unit_code"])
            known = conn.execute("SELECT unit_code, withdrawn_at, withdraw_reason FROM certificates WHERE sha256 = ?",
                                 (record["sha256"],)).fetchone()
            if known and known[0] != record["unit_code"] and known[1] is None:
                raise CchcError("CERT012", unit=known[0], wanted=record["unit_code"])
            if known and known[1] is not None and record["bound_by"] != "enrolled":
                # a withdrawal is undone only by the clerk enrolling the certificate file again
                raise CchcError("CERT022", withdrawn_at=known[1][:10])
            fields = dict(record, added_at=_now(), added_by=self.user, withdrawn_at=None, withdraw_reason=None)
            conn.execute(f"INSERT OR REPLACE INTO certificates ({', '.join(fields)}) "
                         f"VALUES ({', '.join('?' for _ in fields)})", list(fields.values()))
            again = f" (đăng ký lại sau khi thu hồi {known[1]}: {known[2]})" if known and known[1] else ""
            self._audit(conn, "certificate", col=record["unit_code"],
                        new=f"{record['bound_by']} {record['sha256']}{again}")
        return self.certificate(record["sha256"])

    def certificate(self, sha256: str) -> Certificate | None:
        row = self.db["certificates"].rows_where("sha256 = ?", [sha256])
        found = next(iter(row), None)
        return Certificate.of(found) if found else None

    def certificates(self, unit_code: str | None = None, *, withdrawn: bool = False) -> list[Certificate]:
        where, args = [], []
        if unit_code is not None:
            where.append("unit_code = ?")
            args.append(unit_code)
        if not withdrawn:
            where.append("withdrawn_at IS NULL")
        return [Certificate.of(r) for r in self.db["certificates"].rows_where(" AND ".join(where) or None, args,
                                                                             order_by="unit_code, added_at")]

    def withdraw_certificate(self, sha256: str, reason: str, set_aside_from: dt.datetime | None = None) -> int:
        """A certificate no longer signs for its unit (lost token, the clerk left); kept, dated.
        ``set_aside_from``: the packages it signed from that time on (a thief's, say) are set aside,
        kept as refused, and the unit's other packages elected current again. Returns how many."""
        with self._write() as conn:
            found = conn.execute("SELECT unit_code FROM certificates WHERE sha256 = ? AND withdrawn_at IS NULL",
                                 (sha256,)).fetchone()
            if found is None:
                raise CchcError("CERT013", fingerprint=sha256[:16])
            now = _now()
            conn.execute("UPDATE certificates SET withdrawn_at = ?, withdraw_reason = ? WHERE sha256 = ?",
                         (now, reason, sha256))
            self._audit(conn, "withdraw-certificate", col=found[0], new=f"{sha256} {reason}")
            signed = conn.execute("SELECT id, signed_at, unit_code, period_type, year, period_number, year_from, "
                                  "form_set_id FROM submissions WHERE certificate_sha256 = ? AND state = 'accepted'",
                                  (sha256,)).fetchall()
            set_aside = [r for r in signed if set_aside_from is not None
                         and dt.datetime.fromisoformat(r[1]) >= set_aside_from]
            for row in set_aside:
                conn.execute("UPDATE submissions SET state = 'refused', superseded_by = NULL, held_reason = ? "
                             "WHERE id = ?", (f"Đặt ra ngoài khi thu hồi chứng thư ({now[:10]}): {reason}", row[0]))
                self._audit(conn, "set-aside", col=row[2], new=f"{row[0]} {sha256}")
            # each unit, period and set it signed for elects its current package again: the withdrawn
            # key's packages now rank below the unit's current key's
            for group in {row[2:] for row in signed}:
                rival = conn.execute(
                    "SELECT id FROM submissions WHERE unit_code = ? AND period_type = ? AND year = ? "
                    "AND period_number IS ? AND year_from IS ? AND form_set_id = ? AND state = 'accepted' LIMIT 1",
                    group).fetchone()
                if rival:
                    self._elect(conn, rival[0])
            return len(set_aside)

    # --- settings and audit ----------------------------------------------------

    def get_setting(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value) -> None:
        text = json.dumps(value, ensure_ascii=False)
        with self._write() as conn:
            old = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, text))
            self._audit(conn, "setting", col=key, old=old[0] if old else None, new=text)

    def audit(self, report_id: int | None = None) -> list[AuditEntry]:
        if report_id is None:
            return [AuditEntry.of(r) for r in self.db["audit"].rows_where(order_by="id")]
        return [AuditEntry.of(r) for r in self.db["audit"].rows_where("report_id = ?", [report_id], order_by="id")]


REPORT_FIELDS = (
    "status", "doc_number", "doc_date", "signer_name", "signer_title", "signer_mode", "place", "subject",
    "version", "data_from", "data_to", "recipients", "totals",
)
TOTALS_MODES = ("tinh", "nhu_ban_in")
# The longest each text field of a report needs (a subject of two printed lines is ~300 characters);
# what is longer is refused, not printed for minutes (a 10 MB subject was once accepted).
REPORT_TEXT_LIMITS = {"doc_number": 100, "doc_date": 10, "data_from": 10, "data_to": 10, "recipients": 4000,
                      "signer_name": 200,
                      "signer_title": 200, "signer_mode": 10, "place": 200, "subject": 2000, "status": 20,
                      "totals": 20}


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise CchcError("STORE015", status=status, allowed=", ".join(STATUS_LABELS[s] for s in STATUSES))


def _text(value) -> str | None:
    return None if value is None else str(value)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"
