"""Central's JSON API: kiosk enrollment and sync, submissions for staff, health."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sync import feed_items, protocol, reference
from sync.central import feed, feedback, filters, fleet, intake, paging, reviews, submissions
from sync.central.access import require_role
from sync.central.rendering import NO_STORE
from sync.central.state import Central, of
from sync.problems import MALFORMED_BODY, UNKNOWN_SUBMISSION, Problem

DEFAULT_PULL = 500
MAX_CURSOR = 2**62


async def enroll(request: Request) -> JSONResponse:
    """``POST /api/v1/enroll`` {code}: a one-time code for the kiosk's identity and token."""
    try:
        asked = protocol.EnrollRequest.model_validate_json(await request.body())
    except ValidationError:
        raise Problem(
            MALFORMED_BODY, reason='expected JSON like {"code": "ABCD-EFGH-JKMN"}'
        ) from None
    kiosk, token = await run_in_threadpool(_enroll, of(request), asked.code)
    answer = protocol.EnrollResponse(
        kiosk_id=kiosk.id, code=kiosk.code, name=kiosk.name, token=token
    )
    return JSONResponse(answer.model_dump(), headers=NO_STORE)


def _enroll(central: Central, code: str) -> tuple[fleet.Kiosk, str]:
    with central.connect() as conn:
        return fleet.enroll(conn, code)


async def push(request: Request) -> Response:
    """``POST /api/v1/sync/push``: one gzip'd batch from one kiosk, applied atomically."""
    body = await request.body()
    answer = await run_in_threadpool(
        _push,
        of(request),
        _caller(request),
        body,
        request.headers.get("content-encoding"),
    )
    return _json(request, answer.model_dump(mode="json", exclude_none=True), {})


async def status(request: Request) -> Response:
    """``POST /api/v1/sync/status``: a kiosk's heartbeat; 204 when recorded."""
    body = await request.body()
    await run_in_threadpool(_status, of(request), _caller(request), body)
    return Response(status_code=204)


async def state(request: Request) -> JSONResponse:
    """``GET /api/v1/sync/state``: the asking kiosk's high-water mark and last reference."""
    answer = await run_in_threadpool(_state, of(request), _caller(request))
    return JSONResponse(answer.model_dump(), headers=NO_STORE)


async def pull(request: Request) -> Response:
    """``GET /api/v1/sync/pull?after=&limit=``: the feed items after the kiosk's cursor;
    ``304`` with no body when the feed's head is the ``If-None-Match`` it sent."""
    head, answer = await run_in_threadpool(
        _pull,
        of(request),
        _caller(request),
        request.query_params,
        request.headers.get("if-none-match"),
    )
    headers = {"etag": f'"{head}"', **NO_STORE}
    if answer is None:
        return Response(status_code=304, headers=headers)
    return _json(request, answer.model_dump(mode="json"), headers)


def _json(request: Request, data: dict[str, Any], headers: dict[str, str]) -> Response:
    """Canonical JSON, gzip'd when the kiosk accepts it (acknowledgements and feed pages
    are most of what goes down the wire)."""
    headers = {**headers, "vary": "Accept-Encoding"}
    if _accepts_gzip(request.headers.get("accept-encoding")):
        headers["content-encoding"] = "gzip"
        return Response(protocol.encode(data), media_type="application/json", headers=headers)
    body = protocol.canonical(data).encode()
    return Response(body, media_type="application/json", headers=headers)


def _caller(request: Request) -> fleet.Caller:
    """The kiosk request's credentials, with where it came from (for a revoked kiosk)."""
    address = request.client.host if request.client else ""
    return fleet.Caller(request.headers.get("authorization"), request.url.path, address)


def _pull(
    central: Central, caller: fleet.Caller, query: Mapping[str, str], seen: str | None
) -> tuple[int, feed_items.PullResponse | None]:
    with central.connect() as conn:
        kiosk = fleet.authenticate(conn, *caller)
        after = paging.number(query, "after", 0, 0, MAX_CURSOR)
        limit = paging.number(query, "limit", DEFAULT_PULL, 1, feed_items.MAX_PULL)
        with feed.snapshot(conn):
            head = feed.head(conn, kiosk.id)
            if _matches(seen, head):
                return head, None
            return head, feed.pull(conn, kiosk.id, after, limit, head)


def _matches(if_none_match: str | None, head: int) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in (if_none_match or "").split(",")]
    return "*" in tags or f'"{head}"' in tags


def _accepts_gzip(accept_encoding: str | None) -> bool:
    for part in (accept_encoding or "").lower().split(","):
        coding, _, quality = part.strip().partition(";")
        if coding.strip() == "gzip":
            return quality.replace(" ", "") not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def _state(central: Central, caller: fleet.Caller) -> protocol.SyncState:
    with central.connect() as conn:
        return fleet.sync_state(conn, fleet.authenticate(conn, *caller))


def _status(central: Central, caller: fleet.Caller, body: bytes) -> None:
    with central.connect() as conn:
        kiosk = fleet.authenticate(conn, *caller)
        fleet.record_status(conn, kiosk, protocol.parse_status(body))


def _push(
    central: Central, caller: fleet.Caller, body: bytes, encoding: str | None
) -> protocol.PushResponse:
    with central.connect() as conn:
        kiosk = fleet.authenticate(conn, *caller)
        batch = protocol.parse_push(body, encoding, central.settings.max_batch)
        return intake.apply(conn, kiosk, batch)


def submission_list(request: Request) -> JSONResponse:
    """``GET /api/v1/submissions?form=&kiosk=&state=&from=&to=&limit=&offset=``, newest
    first, as the inbox shows them, with how many of them are in each review state."""
    require_role(request, "reviewer")
    page, chosen = paging.from_query(request), filters.from_query(request.query_params)
    with of(request).connect() as conn:
        rows = submissions.newest(conn, page.limit, page.offset, chosen)
        counts = submissions.counts(conn, chosen)
    return JSONResponse(
        {
            "submissions": [row.as_json() for row in rows],
            "counts": counts,
            "limit": page.limit,
            "offset": page.offset,
        },
        headers=NO_STORE,
    )


def submission_detail(request: Request) -> JSONResponse:
    """``GET /api/v1/submissions/{reference}``; any case, with or without dashes. With it
    comes the citizen's ``feedback`` after the receipt (a list, empty when none) and the
    ``reviews``, every decision on it, the latest first."""
    require_role(request, "reviewer")
    found = find(request)
    with of(request).connect() as conn:
        given = feedback.about(conn, found.reference)
        decided = reviews.history(conn, found.id)
    body = {
        **found.as_json(),
        "feedback": [item.as_json() for item in given],
        "reviews": [review.as_json() for review in decided],
    }
    return JSONResponse(body, headers=NO_STORE)


def find(request: Request) -> submissions.Submission:
    """The submission named in the path, or ``unknown_submission``."""
    given = request.path_params["reference"]
    canonical = reference.normalise(given)
    found = None
    if canonical is not None:
        with of(request).connect() as conn:
            found = submissions.find(conn, canonical)
    if found is None:
        raise Problem(UNKNOWN_SUBMISSION, reference=given[:40])
    return found


def healthz(request: Request) -> JSONResponse:
    """``GET /healthz``: is the database answering?"""
    try:
        with of(request).connect() as conn:
            kiosk_count = conn.execute("SELECT COUNT(*) FROM kiosks").fetchone()[0]
    except sqlite3.Error:
        return JSONResponse({"status": "error", "database": "error"}, status_code=503)
    return JSONResponse(
        {"status": "ok", "database": "ok", "protocol": protocol.VERSION, "kiosks": kiosk_count}
    )
