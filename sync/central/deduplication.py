"""Supervisors' pages for possible duplicates: the queue, each pair side by side, and the
two decisions, "merge" (keeping the record chosen) and "not the same". Every handler
checks the role on the server before reading anything.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from forms.cases import CaseType
from sync import merge
from sync.central import access, case_types, duplicates, labels, paging
from sync.central.rendering import page
from sync.central.staff import User
from sync.central.state import Central, of

ROLE = "supervisor"
MAX_FIELD = 1024


def duplicate_list(request: Request) -> Response:
    """Open pairs, the oldest first, each side by side with its two decisions."""
    access.require_role(request, ROLE)
    shown = paging.from_query(request)
    with of(request).connect() as conn:
        known = case_types.known(conn)
        pairs = duplicates.queue(conn, shown.limit, shown.offset)
    context = {
        "pairs": [_pair(pair, known.get(pair.duplicate.type)) for pair in pairs],
        "dismissed": request.query_params.get("dismissed") == "1",
        "limit": shown.limit,
        "newer": shown.newer,
        "older": shown.older(len(pairs)),
    }
    return page(request, "duplicates.html", context)


async def duplicate_merge(request: Request) -> Response:
    """Merge the pair into the record chosen to keep; then show that record."""
    user = access.require_role(request, ROLE)
    form = await request.form()
    survivor = str(form.get("survivor") or "")[:MAX_FIELD]
    pair = request.path_params["duplicate_id"]
    case = await run_in_threadpool(_merge, of(request), pair, survivor, user)
    return RedirectResponse(f"/cases/{case}?merged=1", status_code=303)


async def duplicate_dismiss(request: Request) -> Response:
    """Record that the pair are not the same person or household."""
    user = access.require_role(request, ROLE)
    await run_in_threadpool(_dismiss, of(request), request.path_params["duplicate_id"], user)
    return RedirectResponse("/duplicates?dismissed=1", status_code=303)


def _merge(central: Central, duplicate_id: int, survivor: str, user: User) -> str:
    with central.connect() as conn:
        return duplicates.merge(conn, duplicate_id, survivor, user).id


def _dismiss(central: Central, duplicate_id: int, user: User) -> None:
    with central.connect() as conn:
        duplicates.dismiss(conn, duplicate_id, user)


def _pair(pair: duplicates.Pair, case_type: CaseType | None) -> dict[str, Any]:
    """A pair as the page shows it: labels, and each field of both records side by side."""
    names = labels.in_order(case_type, {*pair.a.fields, *pair.b.fields})
    return {
        "duplicate": pair.duplicate,
        "a": pair.a,
        "b": pair.b,
        "type": labels.type_label(case_type, pair.duplicate.type),
        "label_a": labels.case_label(pair.a, case_type),
        "label_b": labels.case_label(pair.b, case_type),
        "rows": [
            {
                "label": labels.field_label(case_type, name),
                "a": pair.a.fields.get(name),
                "b": pair.b.fields.get(name),
                "differs": not merge.same(pair.a.fields.get(name), pair.b.fields.get(name)),
                "in_conflict": (name in pair.a.conflicts, name in pair.b.conflicts),
            }
            for name in names
        ],
    }
