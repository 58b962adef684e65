"""The kiosk's inbox: what it has pulled from central's feed, and its cursor.

One row per thing (a form, a reference list, a decision on one of this kiosk's
submissions, a case, a setting), always the latest central sent; and, for cases, every
field seen in conflict and at which version (:func:`clashed`), so that a conflict staff
have since resolved is not forgotten. :func:`apply` takes a
:class:`~sync.feed_items.PullResponse`, whether it came over HTTP or in a return bundle,
and applies all its items and moves the cursor in one transaction: a pull cut short is
simply asked again, and applying the same response twice changes nothing.

Bodies are kept as central sent them; what the kiosk makes of them (a form definition
it can offer, a setting it accepts) is decided where they are used. A body this kiosk
cannot read (a newer central, a bug) is skipped and logged by kind and cursor only:
bodies can hold a citizen's reference or a staff comment.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from sync import clock, feed_items, protocol
from sync.database import Migration, sql, transaction

log = logging.getLogger(__name__)

MIGRATIONS: list[Migration] = [
    sql(
        "2026-11-26-inbox",
        """
        CREATE TABLE inbox_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            cursor INTEGER NOT NULL DEFAULT 0,
            etag TEXT,
            serial INTEGER NOT NULL DEFAULT 0,
            pulled_at TEXT
        );
        INSERT INTO inbox_state (id) VALUES (1);
        CREATE TABLE inbox_decisions (
            reference TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL,
            cursor INTEGER NOT NULL
        );
        CREATE TABLE inbox_cases (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            fields TEXT NOT NULL,
            conflicts TEXT NOT NULL DEFAULT '[]',
            merged_into TEXT,
            cursor INTEGER NOT NULL
        );
        CREATE TABLE inbox_forms (
            id TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            definition TEXT NOT NULL,
            cursor INTEGER NOT NULL
        );
        CREATE TABLE inbox_reference_lists (
            name TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            items TEXT NOT NULL,
            cursor INTEGER NOT NULL
        );
        CREATE TABLE inbox_settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            cursor INTEGER NOT NULL
        )
        """,
    ),
    sql(
        "2026-11-26-inbox-case-clashes",
        """
        CREATE TABLE inbox_case_clashes (
            case_id TEXT NOT NULL,
            field TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (case_id, field, version)
        )
        """,
    ),
]


@dataclass(frozen=True)
class Decision:
    """Where the office has got to with one of this kiosk's submissions."""

    reference: str
    state: str
    comment: str
    decided_at: str


@dataclass(frozen=True)
class PulledForm:
    """A form definition central published, as JSON, not yet checked by the kiosk."""

    id: str
    version: str
    definition: dict[str, Any]


@dataclass(frozen=True)
class Case:
    type: str
    id: str
    version: int
    fields: dict[str, Any]
    conflicts: list[str]
    merged_into: str | None


def apply(
    conn: sqlite3.Connection,
    response: feed_items.PullResponse,
    *,
    after: int | None = None,
    etag: str | None = None,
) -> int:
    """Apply every item of ``response`` and move the cursor, in one transaction; how many
    items changed something.

    ``after`` is the cursor the response was asked from (default: the inbox's). Items at
    or below the inbox's cursor are already here and are skipped, unless the response
    starts again below ``after``: central, restored from an older backup, numbered its
    feed again from 0, and the kiosk follows it. ``etag`` is remembered for the next
    ``If-None-Match`` (only when the response left nothing ``more``).
    """
    with transaction(conn):
        cursor = _cursor(conn)
        asked = cursor if after is None else after
        restarted = response.cursor < asked or any(i.cursor <= asked for i in response.items)
        floor = -1 if restarted else cursor
        changed = sum(_apply(conn, item) for item in response.items if item.cursor > floor)
        conn.execute(
            "UPDATE inbox_state SET cursor = ?, etag = ?, serial = serial + ?, pulled_at = ?"
            " WHERE id = 1",
            (
                response.cursor if restarted else max(cursor, response.cursor),
                None if response.more else etag,
                1 if changed else 0,
                clock.now(),
            ),
        )
    return changed


def position(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """The cursor to pull after, and the ETag to send as ``If-None-Match`` (or None)."""
    row = conn.execute("SELECT cursor, etag FROM inbox_state WHERE id = 1").fetchone()
    return int(row["cursor"]), row["etag"]


def serial(conn: sqlite3.Connection) -> int:
    """A number that changes whenever :func:`apply` changed something (cheap to poll)."""
    return int(conn.execute("SELECT serial FROM inbox_state WHERE id = 1").fetchone()[0])


def decision(conn: sqlite3.Connection, reference: str) -> Decision | None:
    row = conn.execute(
        "SELECT reference, state, comment, decided_at FROM inbox_decisions WHERE reference = ?",
        (reference,),
    ).fetchone()
    return None if row is None else Decision(**dict(row))


def forms(conn: sqlite3.Connection) -> list[PulledForm]:
    rows = conn.execute("SELECT id, version, definition FROM inbox_forms ORDER BY id")
    return [PulledForm(r["id"], r["version"], json.loads(r["definition"])) for r in rows]


def settings(conn: sqlite3.Connection) -> dict[str, Any]:
    """Central's value for each setting it has set, by name (not yet checked)."""
    rows = conn.execute("SELECT name, value FROM inbox_settings ORDER BY name")
    return {row["name"]: json.loads(row["value"]) for row in rows}


def reference_lists(conn: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    """The entries of each list central published, by name:
    ``[{"name", "label": {language: text}, "properties": {column: value}}]``."""
    rows = conn.execute("SELECT name, items FROM inbox_reference_lists ORDER BY name")
    return {row["name"]: list(json.loads(row["items"])) for row in rows}


def case(conn: sqlite3.Connection, case_id: str) -> Case | None:
    """Central's version of the case ``case_id``, as last pulled."""
    row = conn.execute(
        "SELECT type, id, version, fields, conflicts, merged_into FROM inbox_cases WHERE id = ?",
        (case_id,),
    ).fetchone()
    if row is None:
        return None
    fields, conflicts = json.loads(row["fields"]), json.loads(row["conflicts"])
    return Case(row["type"], row["id"], row["version"], fields, conflicts, row["merged_into"])


def find_case(conn: sqlite3.Connection, case_type: str, field: str, value: Any) -> Case | None:
    """The pulled case of ``case_type`` whose ``field`` is ``value`` (the oldest, if several)."""
    row = conn.execute(
        "SELECT id FROM inbox_cases WHERE type = ? AND json_extract(fields, ?) = ?"
        " ORDER BY cursor LIMIT 1",
        (case_type, f'$."{field}"', value),
    ).fetchone()
    return None if row is None else case(conn, row[0])


def clashed(conn: sqlite3.Connection, case_id: str, fields: Iterable[str], since: int) -> bool:
    """Whether a case pulled at version ``since`` or later had an open conflict on any of
    ``fields``: the inbox remembers every field it has seen in conflict, and at which
    version, after the conflict is resolved."""
    names = list(fields)
    marks = ", ".join("?" for _ in names)
    row = conn.execute(
        "SELECT 1 FROM inbox_case_clashes WHERE case_id = ? AND version >= ?"  # noqa: S608
        f" AND field IN ({marks}) LIMIT 1",
        (case_id, since, *names),
    ).fetchone()
    return row is not None


def _cursor(conn: sqlite3.Connection) -> int:
    return position(conn)[0]


def _apply(conn: sqlite3.Connection, item: feed_items.FeedItem) -> bool:
    try:
        body = feed_items.FEED_BODIES[item.kind].model_validate(item.body)
    except ValidationError as error:
        log.warning(
            "inbox: %s item at cursor %d unreadable (%d problems); skipped",
            item.kind,
            item.cursor,
            error.error_count(),
        )
        return False
    if _key(body) != item.key:
        log.warning(
            "inbox: %s item at cursor %d names another key; skipped", item.kind, item.cursor
        )
        return False
    return _WRITERS[item.kind](conn, body, item.cursor)


def _key(body: feed_items.FeedBody) -> str:
    if isinstance(body, feed_items.DecisionBody):
        return body.reference
    if isinstance(body, feed_items.FormBody | feed_items.CaseBody):
        return body.id
    assert isinstance(body, feed_items.ReferenceListBody | feed_items.SettingBody)
    return body.name


def _upsert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> bool:
    """Insert or replace one row (``cursor`` last); whether its content changed."""
    content = {name: value for name, value in row.items() if name != "cursor"}
    same = " AND ".join(f"{name} IS ?" for name in content)
    found = conn.execute(f"SELECT 1 FROM {table} WHERE {same}", list(content.values()))  # noqa: S608
    unchanged = found.fetchone() is not None
    marks = ", ".join("?" for _ in row)
    conn.execute(
        f"INSERT OR REPLACE INTO {table} ({', '.join(row)}) VALUES ({marks})",  # noqa: S608
        list(row.values()),
    )
    return not unchanged


def _decision(conn: sqlite3.Connection, body: Any, cursor: int) -> bool:
    row = body.model_dump(include={"reference", "state", "comment", "decided_at"})
    return _upsert(conn, "inbox_decisions", {**row, "cursor": cursor})


def _form(conn: sqlite3.Connection, body: Any, cursor: int) -> bool:
    definition = protocol.canonical(body.definition)
    row = {"id": body.id, "version": body.version, "definition": definition}
    return _upsert(conn, "inbox_forms", {**row, "cursor": cursor})


def _reference_list(conn: sqlite3.Connection, body: Any, cursor: int) -> bool:
    items = protocol.canonical([entry.model_dump(exclude_defaults=True) for entry in body.items])
    row = {"name": body.name, "version": body.version, "items": items}
    return _upsert(conn, "inbox_reference_lists", {**row, "cursor": cursor})


def _case(conn: sqlite3.Connection, body: Any, cursor: int) -> bool:
    row = {
        "id": body.id,
        "type": body.type,
        "version": body.version,
        "fields": protocol.canonical(body.fields),
        "conflicts": protocol.canonical(body.conflicts),
        "merged_into": body.merged_into,
    }
    conn.executemany(
        "INSERT OR IGNORE INTO inbox_case_clashes (case_id, field, version) VALUES (?, ?, ?)",
        [(body.id, field, body.version) for field in body.conflicts],
    )
    return _upsert(conn, "inbox_cases", {**row, "cursor": cursor})


def _setting(conn: sqlite3.Connection, body: Any, cursor: int) -> bool:
    if body.name not in feed_items.KIOSK_SETTINGS:
        log.warning("inbox: central may not change the setting %s; ignored", body.name)
        return False
    if body.value is None:
        return conn.execute("DELETE FROM inbox_settings WHERE name = ?", (body.name,)).rowcount > 0
    row = {"name": body.name, "value": protocol.canonical(body.value)}
    return _upsert(conn, "inbox_settings", {**row, "cursor": cursor})


_WRITERS: dict[str, Callable[[sqlite3.Connection, Any, int], bool]] = {
    "decision": _decision,
    "form": _form,
    "reference_list": _reference_list,
    "case": _case,
    "setting": _setting,
}
