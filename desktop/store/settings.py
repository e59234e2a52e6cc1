"""Settings kept in the database (JSON values by key), each change audited."""

from __future__ import annotations

import json


class Settings:
    def __init__(self, store) -> None:
        self._store = store

    def get(self, key: str, default=None):
        row = self._store.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value) -> None:
        said = json.dumps(value, ensure_ascii=False)
        with self._store.transaction() as conn:
            old = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, said))
            self._store.audit.write(conn, "setting", col=key, old=old[0] if old else None, new=said)
