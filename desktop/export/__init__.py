"""The report as printed: Excel and PDF exports, Excel import (the print preview is in desktop/ui)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.messages import CchcError
from desktop.rules.engine import ReportData


def report_data(store, catalog, report_id: int) -> ReportData:
    """The report with its form set; a form set this machine lacks is a message."""
    data = ReportData(store, catalog, report_id)
    if data.form_set is None:
        raise CchcError("JSON004", file=f"báo cáo {report_id}", form_set=data.report["form_set_id"],
                        version=data.report["form_set_version"])
    return data


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
