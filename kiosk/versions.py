"""Form versions the kiosk keeps: publishing a new version never breaks a citizen half-way.

Every version the kiosk has offered is stored with its definition. A draft is always shown
with the version it started on; new drafts get the current one. An old version is
forgotten once no draft uses it and every submission made with it has reached central.
"""

from __future__ import annotations

import sqlite3

from forms.schema import FormDefinition
from sync import outbox
from sync.clock import now
from sync.database import transaction


class Versions:
    """The current definitions plus the older versions drafts or unsent submissions use."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        #: the definitions offered to new drafts, by form id (see :meth:`replace`)
        self.current: dict[str, FormDefinition] = {}
        self._older: dict[tuple[str, str], FormDefinition] = {}

    def publish(self) -> None:
        """Remember every current definition (a version already stored is kept as it was)."""
        with transaction(self.conn):
            self.conn.executemany(
                "INSERT OR IGNORE INTO form_versions (form_id, version, definition, published_at)"
                " VALUES (?, ?, ?, ?)",
                [(d.id, d.version, _stored(d), now()) for d in self.current.values()],
            )

    def replace(self, current: dict[str, FormDefinition]) -> None:
        """Offer ``current`` to new drafts from now on (a form central published, say);
        drafts in progress keep the version they started on."""
        self.current = current
        self.publish()

    def get(self, form_id: str, version: str | None = None) -> FormDefinition | None:
        """The definition of ``form_id`` at ``version`` (default: the current one)."""
        current = self.current.get(form_id)
        if version is None or (current is not None and current.version == version):
            return current
        key = (form_id, version)
        if key not in self._older:
            row = self.conn.execute(
                "SELECT definition FROM form_versions WHERE form_id = ? AND version = ?", key
            ).fetchone()
            if row is None:
                return None
            self._older[key] = FormDefinition.model_validate_json(row[0])
        return self._older[key]

    def prune(self) -> list[tuple[str, str]]:
        """Forget older versions nothing needs any more; returns the ones forgotten."""
        stored = self.conn.execute("SELECT form_id, version FROM form_versions").fetchall()
        forgotten = [
            (form_id, version)
            for form_id, version in stored
            if not self._is_current(form_id, version) and not self._in_use(form_id, version)
        ]
        with transaction(self.conn):
            self.conn.executemany(
                "DELETE FROM form_versions WHERE form_id = ? AND version = ?", forgotten
            )
        for key in forgotten:
            self._older.pop(key, None)
        return forgotten

    def _is_current(self, form_id: str, version: str) -> bool:
        current = self.current.get(form_id)
        return current is not None and current.version == version

    def _in_use(self, form_id: str, version: str) -> bool:
        key = (form_id, version)
        if self.conn.execute(
            "SELECT 1 FROM drafts WHERE form_id = ? AND form_version = ? LIMIT 1", key
        ).fetchone():
            return True
        changes = self.conn.execute(
            "SELECT change_id FROM submissions WHERE form_id = ? AND form_version = ?", key
        ).fetchall()
        return not outbox.all_delivered(self.conn, [row[0] for row in changes])


def _stored(definition: FormDefinition) -> str:
    """The definition as it was written (only the keys its file sets), as JSON."""
    return definition.model_dump_json(exclude_unset=True)
