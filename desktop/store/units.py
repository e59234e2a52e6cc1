"""The units (communes, districts, the province) the database reports for or receives from."""

from __future__ import annotations

import json
import re

from desktop.foundation.messages import CchcError
from desktop.store.records import Unit

# A unit code names files and folders (packages, exports): letters, digits and . _ - only, so that
# no code can be a path ("../../x", "C:\\x"); the first character is a letter or a digit.
UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")


class Units:
    def __init__(self, store) -> None:
        self._store = store

    def add(self, code: str, name: str, level: str, parent: str | None = None, position: int = 0) -> None:
        """Add a unit, or update the one of that code."""
        if not isinstance(code, str) or not UNIT_CODE.fullmatch(code) or parent == code:
            raise CchcError("STORE018", unit=code)
        with self._store.transaction() as conn:
            conn.execute(
                "INSERT INTO units (code, name, level, parent_code, position) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET name=excluded.name, level=excluded.level, "
                "parent_code=excluded.parent_code, position=excluded.position",
                (code, name, level, parent, position),
            )
            self._store.audit.write(conn, "unit", new=json.dumps([code, name, level, parent], ensure_ascii=False))

    # get and children: plain SQL, asked for every report read, where sqlite-utils'
    # rows_where first lists the database's tables (twice) before it queries
    def get(self, code: str) -> Unit:
        rows = self._store.records(Unit, "SELECT * FROM units WHERE code = ?", (code,))
        if not rows:
            raise CchcError("STORE009", unit=code)
        return rows[0]

    def children(self, code: str) -> list[Unit]:
        return self._store.records(Unit, "SELECT * FROM units WHERE parent_code = ? ORDER BY position, code", (code,))

    def all(self) -> list[Unit]:
        return [Unit.of(r) for r in self._store.db["units"].rows_where(order_by="position, code")]
