"""``GET /audit?target=&limit=&offset=``: the audit log for admins, newest first, paged;
``target`` shows only what was done to one record (a reference, a case id, a kiosk code,
an email address)."""

from __future__ import annotations

import json
import sqlite3

from starlette.requests import Request
from starlette.responses import Response

from sync.central import access, audit, paging
from sync.central.rendering import page
from sync.central.state import of

ROLE = "admin"
MAX_TARGET = 254


def audit_log(request: Request) -> Response:
    access.require_role(request, ROLE)
    shown = paging.from_query(request)
    target = request.query_params.get("target", "").strip()[:MAX_TARGET]
    with of(request).connect() as conn:
        entries = audit.newest(conn, shown.limit, shown.offset, target or None)
        people = _emails(conn, {entry.actor for entry in entries})
    context = {
        "entries": entries,
        "people": people,
        "target": target,
        "limit": shown.limit,
        "newer": shown.newer,
        "older": shown.older(len(entries)),
    }
    return page(request, "audit.html", context)


def _emails(conn: sqlite3.Connection, actors: set[str]) -> dict[str, str]:
    """The email address of each ``staff:<id>`` actor that is still a user."""
    ids = {
        int(actor.removeprefix("staff:"))
        for actor in actors
        if actor.startswith("staff:") and actor.removeprefix("staff:").isdigit()
    }
    rows = conn.execute(
        "SELECT id, email FROM users WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),),
    )
    return {f"staff:{row['id']}": row["email"] for row in rows}
