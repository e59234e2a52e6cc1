"""Writing files the clerk asked for (exports, packages) without ever leaving half a file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from desktop.foundation.messages import CchcError, os_reason



def owner_only(path: Path) -> None:
    """Readable and writable by its owner alone (POSIX; Windows keeps the user profile's own ACL)."""
    if os.name == "posix":
        os.chmod(path, 0o600)


SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def refuse_writing_over_data(path: Path) -> None:
    """An export, a package or a key is never written over a database (the open one, another, a
    backup: each starts with SQLite's header) nor over a database's -wal, -shm or -journal, which
    hold its latest committed cells. Told as a message; nothing is written."""
    path = Path(path)
    name = path.name
    base = next((path.with_name(name[:-len(s)]) for s in SQLITE_COMPANIONS if name.endswith(s)), None)
    if _is_database(path) or (base is not None and _is_database(base)):
        raise CchcError("EXPORT003", file=path)


def write_atomically(path: Path, write: Callable[[Path], None], *, private: bool = False) -> Path:
    """``write`` fills a temporary file that then replaces ``path``: a failed export
    (full disk, missing folder) leaves no half-written file and says why in Vietnamese.
    ``private``: a key (a .p12 file) that no other user of the machine may read."""
    path = Path(path)
    refuse_writing_over_data(path)
    temporary = path.with_name(path.name + ".tmp")
    try:
        if private:
            temporary.touch(mode=0o600)
            owner_only(temporary)  # before a byte of the key is written
        write(temporary)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if "space" in str(error).lower():
            raise CchcError("STORE004") from None
        raise CchcError("EXPORT001", file=path, reason=os_reason(error)) from None
    return path


class TooLarge(Exception):
    """A file larger than its kind ever is: refused from its size, never read."""


def read_at_most(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` when it holds at most ``limit`` of them; ``TooLarge`` (before reading
    anything) or ``OSError`` otherwise. One read: a file that grows meanwhile is still bounded."""
    path = Path(path)
    if path.stat().st_size > limit:
        raise TooLarge(path.name)
    with open(path, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path.name)
    return data
