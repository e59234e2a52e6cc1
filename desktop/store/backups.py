"""Backups of the database and restoring the latest good one.

A backup is a consistent copy made through SQLite's backup API before anything that changes
much (an upgrade, an import, deleting a report) and once a day, kept in a folder beside the
database, rotated by count and by size. Restoring never deletes: the file it replaces is set
aside with its -wal and -shm, which may hold committed data."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from glob import escape as glob_escape
from pathlib import Path

from desktop.foundation.files import owner_only
from desktop.foundation.messages import CchcError, msg
from desktop.store.common import in_memory, write_error

KEEP_DAILY = 7
KEEP_EVENT = 10
MIN_BACKUP_BYTES = 256 * 1024 * 1024  # backups together may take this much, or
BACKUP_SIZE_FACTOR = 3  # three times the database, whichever is more
RECENT = dt.timedelta(minutes=10)  # a backup this young serves the next import too
BACKUP_SUFFIX = ".db"


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


def backup_time(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%H:%M %d/%m/%Y")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


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


def refuse_interrupted(path: Path) -> None:
    """A database path whose restore was killed midway, or whose file is gone while set-aside
    copies lie beside it: said, instead of opening (or creating) a database that is not the data."""
    if in_memory(path):
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


class Backups:
    """The backups of one open store."""

    def __init__(self, store) -> None:
        self._store = store

    def make(self, reason: str) -> Path | None:
        """A consistent copy through SQLite's backup API, then rotation. A scratch store in memory
        (verifying a package, the demo communes) has nothing to keep: no folder is made for it."""
        if in_memory(self._store.path):
            return None
        folder = backup_dir(self._store.path)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{self._store.path.stem}-{stamp}-{reason}{BACKUP_SUFFIX}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            destination = sqlite3.connect(target)
            try:
                owner_only(target)
                self._store.conn.backup(destination)
            finally:
                destination.close()
        except (OSError, sqlite3.Error) as error:
            if target.exists():
                target.unlink()
            if isinstance(error, sqlite3.Error):
                raise write_error(error, target) from None
            raise CchcError("STORE004") if "space" in str(error).lower() else CchcError("STORE005", path=folder) from None
        self._rotate()
        return target

    def recent(self, reason: str, within: dt.timedelta = RECENT) -> Path | None:
        """A backup before an import, unless one was made moments ago: importing documents one by
        one copied the whole database before each (quadratic, and 295 MB of copies of a 103 MB
        file after three imports). What was committed since that backup is in the database."""
        newest = next(iter(list_backups(self._store.path)), None)
        if newest is not None and dt.datetime.now().timestamp() - newest.stat().st_mtime < within.total_seconds():
            return None
        return self.make(reason)

    def _rotate(self) -> None:
        daily = [p for p in list_backups(self._store.path) if p.stem.endswith("-hang-ngay")]
        events = [p for p in list_backups(self._store.path) if not p.stem.endswith("-hang-ngay")]
        for old in daily[KEEP_DAILY:] + events[KEEP_EVENT:]:
            old.unlink(missing_ok=True)
        # Bounded by size too: the oldest go first (events before dailies), the newest always stays.
        kept = [p for p in list_backups(self._store.path) if p.exists()]
        limit = max(MIN_BACKUP_BYTES, BACKUP_SIZE_FACTOR * _size(self._store.path))
        total = sum(_size(p) for p in kept)
        oldest_first = sorted(kept[1:], key=lambda p: (p.stem.endswith("-hang-ngay"), p.name))
        for old in oldest_first:
            if total <= limit:
                break
            total -= _size(old)
            old.unlink(missing_ok=True)

    def daily(self) -> Path | None:
        today = dt.date.today().strftime("%Y%m%d")
        for existing in list_backups(self._store.path):
            if existing.stem.endswith("-hang-ngay") and f"-{today}-" in existing.name:
                return None
        try:
            return self.make("hang-ngay")
        except CchcError:
            return None  # a read-only folder must not stop the clerk from reading
