"""A definition workbook compiled to a set folder and checked by the app's own loader before a
file is written: the stage "check" of read → normalise → check → write."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from desktop.exchange.definitions import Built, import_workbook
from desktop.foundation.messages import CchcError, msg
from desktop.registry import load_form_set
from desktop.schema.model import FormSet


def compile_workbook(workbook: Path, folder: Path, force: bool = False) -> FormSet:
    """The set the workbook defines, written to ``folder`` only when it loads without a problem
    (each said at its sheet and row); an existing folder with files is kept unless ``force``."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise CchcError("DEF012", folder=folder)
        if not (folder / "set.yaml").is_file():  # --force replaces a set, never a folder of other files
            raise CchcError("DEF015", folder=folder)
    built = import_workbook(workbook)
    staging = Path(tempfile.mkdtemp(prefix=".cchc-def-", dir=_existing_parent(folder)))
    try:
        form_set = check_built(built, staging)
        if folder.exists():
            shutil.rmtree(folder)
        staging.replace(folder)
        form_set.directory = str(folder)
        return form_set
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def compile_template(template: Path, folder: Path, *, force: bool = False, workbook: Path | None = None,
                     **given) -> tuple[FormSet, list]:
    """A first draft set from a province's annex workbook (``exchange.template``), compiled and
    checked as a definition workbook is, written to ``folder`` with the notes of what was
    inferred and what is left to finish (``NOTES_FILE``); the draft definition workbook also to
    ``workbook`` when asked (it is written even when the draft does not compile, to be finished)."""
    from desktop.exchange.definitions import workbook_of
    from desktop.exchange.template import read_template
    from desktop.foundation.files import write_atomically

    draft = read_template(template, **given)
    content = workbook_of(draft.set_data, draft.forms)
    if workbook is not None:
        write_atomically(workbook, lambda temporary: temporary.write_bytes(content))
    with tempfile.TemporaryDirectory(prefix=".cchc-mau-") as scratch:
        path = Path(scratch) / "nhap.xlsx"
        path.write_bytes(content)
        form_set = compile_workbook(path, folder, force)
    (folder / NOTES_FILE).write_text("\n".join(str(note) for note in draft.notes) + "\n", encoding="utf-8")
    return form_set, draft.notes


NOTES_FILE = "suy-luan.txt"  # beside a draft set: what from-template inferred (no YAML: never loaded or published)


def check_built(built: Built, staging: Path) -> FormSet:
    """The built files written to ``staging`` and loaded; every problem the loader finds, said
    at the workbook's cell it came from."""
    for name, text in built.files.items():
        (staging / name).write_text(text, encoding="utf-8")
    problems: list = []
    form_set = load_form_set(staging, problems, root=staging)
    if form_set is not None:
        problems = form_set.problems or problems
    if problems or form_set is None:
        said = []
        for found in problems or []:
            origin = built.where(found.file, found.line)
            said.append(msg("DEF009", where=str(origin) if origin else found.file, reason=found.text))
        if not said:
            said = [msg("DEF009", where="set.yaml", reason="bộ biểu mẫu không nạp được")]
        raise CchcError("DEF008", count=len(said), problems="\n".join(said))
    return form_set


def _existing_parent(folder: Path) -> Path:
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent
