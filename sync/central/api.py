"""Central's JSON API: kiosk enrollment and sync, submissions for staff, health."""

from __future__ import annotations

import sqlite3

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sync import protocol, reference
from sync.central import fleet, intake, paging, submissions
from sync.central.access import require_user
from sync.central.rendering import NO_STORE
from sync.central.state import Central, of
from sync.problems import MALFORMED_BODY, UNKNOWN_SUBMISSION, Problem


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


async def push(request: Request) -> JSONResponse:
    """``POST /api/v1/sync/push``: one gzip'd batch from one kiosk, applied atomically."""
    body = await request.body()
    answer = await run_in_threadpool(
        _push,
        of(request),
        request.headers.get("authorization"),
        body,
        request.headers.get("content-encoding"),
    )
    return JSONResponse(answer.model_dump(mode="json", exclude_none=True))


async def status(request: Request) -> Response:
    """``POST /api/v1/sync/status``: a kiosk's heartbeat; 204 when recorded."""
    body = await request.body()
    await run_in_threadpool(_status, of(request), request.headers.get("authorization"), body)
    return Response(status_code=204)


async def state(request: Request) -> JSONResponse:
    """``GET /api/v1/sync/state``: the asking kiosk's high-water mark and last reference."""
    answer = await run_in_threadpool(_state, of(request), request.headers.get("authorization"))
    return JSONResponse(answer.model_dump(), headers=NO_STORE)


def _state(central: Central, authorization: str | None) -> protocol.SyncState:
    with central.connect() as conn:
        return fleet.sync_state(conn, fleet.authenticate(conn, authorization))


def _status(central: Central, authorization: str | None, body: bytes) -> None:
    with central.connect() as conn:
        kiosk = fleet.authenticate(conn, authorization)
        fleet.record_status(conn, kiosk, protocol.parse_status(body))


def _push(
    central: Central, authorization: str | None, body: bytes, encoding: str | None
) -> protocol.PushResponse:
    with central.connect() as conn:
        kiosk = fleet.authenticate(conn, authorization)
        batch = protocol.parse_push(body, encoding, central.settings.max_batch)
        return intake.apply(conn, kiosk, batch)


def submission_list(request: Request) -> JSONResponse:
    """``GET /api/v1/submissions?limit=&offset=``, newest first (signed-in staff)."""
    require_user(request)
    page = paging.from_query(request)
    with of(request).connect() as conn:
        rows = submissions.newest(conn, page.limit, page.offset)
    return JSONResponse(
        {
            "submissions": [row.as_json() for row in rows],
            "limit": page.limit,
            "offset": page.offset,
        },
        headers=NO_STORE,
    )


def submission_detail(request: Request) -> JSONResponse:
    """``GET /api/v1/submissions/{reference}``; any case, with or without dashes."""
    require_user(request)
    return JSONResponse(find(request).as_json(), headers=NO_STORE)


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
