"""Writing files the clerk asked for (exports, packages) without ever leaving half a file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from desktop.foundation.messages import CchcError



def owner_only(path: Path) -> None:
    """Readable and writable by its owner alone (POSIX; Windows keeps the user profile's own ACL)."""
    if os.name == "posix":
        os.chmod(path, 0o600)


def write_atomically(path: Path, write: Callable[[Path], None], *, private: bool = False) -> Path:
    """``write`` fills a temporary file that then replaces ``path``: a failed export
    (full disk, missing folder) leaves no half-written file and says why in Vietnamese.
    ``private``: a key (a .p12 file) that no other user of the machine may read."""
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
        raise CchcError("EXPORT001", file=path, reason=error.strerror or str(error)) from None
    return path
