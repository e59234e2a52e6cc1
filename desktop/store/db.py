"""The local SQLite store: one database file, opened, migrated and written durably.

Durability: WAL journal with ``synchronous=FULL``, so a commit has reached the
disk before the call returns; every edit is its own transaction (a paste is
one transaction).  Writes go through ``transaction()``: an explicit ``BEGIN
IMMEDIATE`` ... ``COMMIT``, rolled back whole on any error, which is then
turned into a catalogued message (full disk, read-only folder).

sqlite-utils builds and migrates the schema and serves reads; writes are
plain SQL inside ``transaction()`` so that one transaction holds exactly one user
action and its audit rows, with ``BEGIN IMMEDIATE`` (a writer takes its lock up
front rather than failing half-way).  sqlite-utils' own helpers nest inside as
savepoints (v4 ``atomic()``), so they are safe to call there too.

What is kept is served by small services by concern (as Anki's collection serves decks, notes
and cards), one module each: units, reports and their counts, cells and repeating rows, texts
and attachments, submissions and certificates, settings, audit, backups.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from desktop.foundation.files import owner_only
from desktop.foundation.messages import CchcError
from desktop.store import migrations
from desktop.store.audit import Audit
from desktop.store.backups import Backups, StoreDamaged, latest_good_backup, refuse_interrupted
from desktop.store.cells import Cells, Rows
from desktop.store.common import in_memory, login, sqlite_reason, write_error
from desktop.store.reports import Counts, Reports
from desktop.store.settings import Settings
from desktop.store.submissions import Certificates, ReceivedForms, Receipts, RevocationLists, Signatures, Submissions
from desktop.store.texts import Appraisals, Attachments, Narrative
from desktop.store.units import Units

_scratch_template: dict[str, sqlite3.Connection] = {}  # Store.scratch's, one per process


class Store:
    """One database file, and its services by concern over the one connection: callers name the
    service they need (``store.reports.get(id)``, ``store.cells.set_many(...)``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, user: str | None = None) -> None:
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self.user = user or login()
        self._depth = 0
        self.audit = Audit(self)
        self.settings = Settings(self)
        self.backups = Backups(self)
        self.units = Units(self)
        self.reports = Reports(self)
        self.counts = Counts(self)
        self.cells = Cells(self)
        self.rows = Rows(self)
        self.narrative = Narrative(self)
        self.appraisals = Appraisals(self)
        self.attachments = Attachments(self)
        self.signatures = Signatures(self)
        self.submissions = Submissions(self)
        self.certificates = Certificates(self)
        self.revocation_lists = RevocationLists(self)
        self.receipts = Receipts(self)
        self.received_forms = ReceivedForms(self)

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, daily_backup: bool = True, read_only: bool = False,
             user: str | None = None) -> "Store":
        path = Path(path)
        refuse_interrupted(path)
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
        if is_new and not read_only and not in_memory(path):
            owner_only(path)  # SQLite gives the -wal and -shm files the database's own mode
        store = cls(conn, path, user)
        if found < migrations.LATEST and not read_only:
            if not is_new and found > 0:
                store.backups.make("truoc-nang-cap")
            try:
                migrations.migrate(store.db, found)
            except sqlite3.Error as error:
                conn.close()
                raise write_error(error, path) from None
        if daily_backup and not is_new and not read_only:
            store.backups.daily()
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
    def transaction(self):
        """One durable transaction; on any error nothing of it stays.

        Nested calls join the outer transaction, so an import made of many
        small writes is still all or nothing.
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
            raise write_error(error, self.path) from None
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise write_error(error, self.path) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    def records(self, record, sql: str, args: tuple) -> list:
        """The rows of ``sql`` as ``record``s (the services' plain-SQL reads)."""
        cursor = self.conn.execute(sql, args)
        names = [c[0] for c in cursor.description]
        return [record.of(dict(zip(names, row))) for row in cursor]
