"""Writing files the clerk asked for (exports, packages) without ever leaving half a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.foundation.messages import CchcError



def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """``write`` fills a temporary file that then replaces ``path``: a failed export
    (full disk, missing folder) leaves no half-written file and says why in Vietnamese."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        write(temporary)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if "space" in str(error).lower():
            raise CchcError("STORE004") from None
        raise CchcError("EXPORT001", file=path, reason=error.strerror or str(error)) from None
    return path
