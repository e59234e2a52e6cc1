"""A report's cells (canonical text by form, row and column) and the rows a clerk adds to a
repeating section. Every change is durable on return and audited, and reopens a checked report."""

from __future__ import annotations

from collections import OrderedDict

from desktop.foundation.messages import CchcError

CellMap = dict[str, dict[str, dict[str, str]]]  # form -> row -> column -> canonical text


class Cells:
    def __init__(self, store) -> None:
        self._store = store
        self._kept: OrderedDict = OrderedDict()  # (report, revision) → cells, for at()

    def get(self, report_id: int) -> CellMap:
        """All stored cells of a report: form -> row -> column -> canonical text."""
        out: CellMap = {}
        for form, row, col, value in self._store.conn.execute(
            "SELECT form_code, row_id, col_id, value FROM cells WHERE report_id = ?", (report_id,)
        ):
            out.setdefault(form, {}).setdefault(row, {})[col] = value
        return out

    def at(self, report_id: int, revision: int) -> CellMap:
        """``get`` of a report as of its ``revision`` (from ``reports``), kept for a while: a unit's
        history is read by each of its later reports, and a revision never changes its cells.
        Callers must not change what they get."""
        key = (report_id, revision)
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = self.get(report_id)
            if len(self._kept) > 4096:
                self._kept.popitem(last=False)
        return found

    def set(self, report_id: int, form: str, row: str, col: str, value: str | None) -> str | None:
        """Store one cell (canonical text, None to clear); durable on return. Returns the old value."""
        return self.set_many(report_id, [(form, row, col, value)])[0]

    def set_many(self, report_id: int, changes: list[tuple[str, str, str, str | None]],
                 action: str = "cell") -> list[str | None]:
        """Several cells in one transaction (a paste, an import): all or nothing."""
        olds: list[str | None] = []
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
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
                store.audit.write(conn, action, report_id, form, row, col, old, value)
            store.reports.touched(conn, report_id)
        return olds


class Rows:
    """The rows of repeating sections, in order, by report."""

    def __init__(self, store) -> None:
        self._store = store

    def of(self, report_id: int) -> dict[str, dict[str, list[str]]]:
        """form -> section -> row ids in order."""
        out: dict[str, dict[str, list[str]]] = {}
        for form, section, row_id in self._store.conn.execute(
            "SELECT form_code, section, row_id FROM repeat_rows WHERE report_id=? ORDER BY position", (report_id,)
        ):
            out.setdefault(form, {}).setdefault(section, []).append(row_id)
        return out

    def add(self, report_id: int, form: str, section: str, position: int | None = None,
            row_id: str | None = None) -> str:
        """A new clerk-added row in ``section``, at ``position`` (0-based) or at the end.

        ``row_id`` brings back a row that was deleted (undo) under its old id."""
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
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
            store.audit.write(conn, "add_row", report_id, form, row_id, new=str(position))
        return row_id

    def put_section(self, report_id: int, form: str, section: str, ids: list[str]) -> None:
        """Rows of a section given whole (an import): they must be new to the report."""
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
            for position, row_id in enumerate(ids):
                conn.execute("INSERT INTO repeat_rows (report_id, form_code, section, row_id, position) "
                             "VALUES (?, ?, ?, ?, ?)", (report_id, form, section, row_id, position))
                store.audit.write(conn, "add_row", report_id, form, row_id, new=str(position))

    def delete(self, report_id: int, form: str, row_id: str) -> None:
        """A clerk-added row and its cells (each cleared cell audited)."""
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
            section = self._section_of(conn, report_id, form, row_id)
            for col, value in conn.execute(
                    "SELECT col_id, value FROM cells WHERE report_id=? AND form_code=? AND row_id=?",
                    (report_id, form, row_id)).fetchall():
                store.audit.write(conn, "cell", report_id, form, row_id, col, value, None)
            conn.execute("DELETE FROM cells WHERE report_id=? AND form_code=? AND row_id=?", (report_id, form, row_id))
            conn.execute("DELETE FROM repeat_rows WHERE report_id=? AND form_code=? AND row_id=?",
                         (report_id, form, row_id))
            ids = self._section_ids(conn, report_id, form, section)
            self._renumber(conn, report_id, form, section, ids)
            store.audit.write(conn, "delete_row", report_id, form, row_id)

    def move(self, report_id: int, form: str, row_id: str, position: int) -> None:
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
            section = self._section_of(conn, report_id, form, row_id)
            ids = self._section_ids(conn, report_id, form, section)
            old = ids.index(row_id)
            ids.remove(row_id)
            ids.insert(max(0, min(position, len(ids))), row_id)
            self._renumber(conn, report_id, form, section, ids)
            store.audit.write(conn, "move_row", report_id, form, row_id, old=str(old), new=str(position))

    @staticmethod
    def _section_ids(conn, report_id: int, form: str, section: str) -> list[str]:
        return [r[0] for r in conn.execute(
            "SELECT row_id FROM repeat_rows WHERE report_id=? AND form_code=? AND section=? ORDER BY position",
            (report_id, form, section))]

    @staticmethod
    def _section_of(conn, report_id: int, form: str, row_id: str) -> str:
        found = conn.execute("SELECT section FROM repeat_rows WHERE report_id=? AND form_code=? AND row_id=?",
                             (report_id, form, row_id)).fetchone()
        if not found:
            raise CchcError("STORE013", row=row_id, form=form)
        return found[0]

    @staticmethod
    def _renumber(conn, report_id, form, section, ids, new=None) -> None:
        for index, row_id in enumerate(ids):
            if row_id == new:
                conn.execute("INSERT INTO repeat_rows (report_id, form_code, section, row_id, position) "
                             "VALUES (?, ?, ?, ?, ?)", (report_id, form, section, row_id, index))
            else:
                conn.execute("UPDATE repeat_rows SET position=? WHERE report_id=? AND form_code=? AND row_id=?",
                             (index, report_id, form, row_id))
