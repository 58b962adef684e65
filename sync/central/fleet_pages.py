"""The fleet pages: every kiosk for any signed-in staff member; for admins, adding a
kiosk, a new enrollment code for one, and revoking one (after a confirmation page).

An enrollment code is shown once, in the answer to the POST that made it (``no-store``,
never in an address): central keeps only its digest, so nothing can show it again. The QR
code beside it holds just the code as typed (``K7QM-3XPA-9TZC``): a scanner that types
what it reads fills ``--enroll CODE`` on the kiosk, and a phone shows it to copy.
"""

from __future__ import annotations

from typing import Any

import segno
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sync.central import access, fleet, revocation, sign_ins, staff
from sync.central.rendering import page
from sync.central.state import Central, of
from sync.problems import (
    KIOSK_INVALID,
    KIOSK_NAME_TAKEN,
    REVOKE_REASON_INVALID,
    UNKNOWN_KIOSK,
    Problem,
)

MAX_FIELD = 1024
QR_SCALE = 8
QR_BORDER = 4


def kiosk_list(request: Request) -> Response:
    """``GET /kiosks``: each kiosk's state, last contact, outbox, software and devices."""
    user = access.require_user(request)
    return _fleet(request, user)


async def add(request: Request) -> Response:
    """``POST /kiosks`` {name}: a new kiosk and its one-time code; on a bad or taken
    name, the fleet page again with the problem."""
    user = access.require_role(request, "admin")
    name = str((await request.form()).get("name") or "")[:MAX_FIELD]
    try:
        kiosk, code, expires = await run_in_threadpool(_add, of(request), name, user)
    except Problem as problem:
        if problem.kind not in (KIOSK_INVALID, KIOSK_NAME_TAKEN):
            raise
        return await run_in_threadpool(_fleet, request, user, name, problem)
    return _code_page(request, kiosk, code, expires, added=True)


async def new_code(request: Request) -> Response:
    """``POST /kiosks/{code}/new-code`` {issued}: a fresh one-time code for the kiosk (its
    first expired, or it needs enrolling again); ``issued`` guards against a resend."""
    user = access.require_role(request, "admin")
    issued = str((await request.form()).get("issued") or "")[:MAX_FIELD]
    kiosk, code, expires = await run_in_threadpool(
        _renew, of(request), request.path_params["code"], issued, user
    )
    return _code_page(request, kiosk, code, expires, added=False)


def revoke_form(request: Request) -> Response:
    """``GET /kiosks/{code}/revoke``: what revoking does, and a reason to give."""
    access.require_role(request, "admin")
    with of(request).connect() as conn:
        kiosk = _kiosk(conn, request.path_params["code"])
    if kiosk.revoked_at:
        return RedirectResponse(_row(kiosk), status_code=303)
    return _revoke_page(request, kiosk, "", None)


async def revoke(request: Request) -> Response:
    """``POST /kiosks/{code}/revoke`` {reason}: revoked at once, then back to the fleet."""
    user = access.require_role(request, "admin")
    reason = str((await request.form()).get("reason") or "")[:MAX_FIELD].strip()
    code = request.path_params["code"]
    if not reason or len(reason) > revocation.MAX_REASON:
        problem = Problem(REVOKE_REASON_INVALID, limit=revocation.MAX_REASON)
        kiosk = await run_in_threadpool(_find, of(request), code)
        return _revoke_page(request, kiosk, reason, problem, problem.status)
    kiosk = await run_in_threadpool(_revoke, of(request), code, reason, user)
    return RedirectResponse(_row(kiosk), status_code=303)


def _fleet(
    request: Request, user: staff.User, name: str = "", problem: Problem | None = None
) -> Response:
    with of(request).connect() as conn:
        rows = fleet.fleet(conn)
    context = {
        "rows": rows,
        "admin": access.allows(user, "admin"),
        "name": name,
        "max_name": fleet.MAX_NAME,
        "problem": problem,
    }
    return page(request, "kiosks.html", context, problem.status if problem else 200)


def _code_page(
    request: Request, kiosk: fleet.Kiosk, code: str, expires: str | None, added: bool
) -> Response:
    qr = segno.make_qr(code, error="m")
    context: dict[str, Any] = {
        "kiosk": kiosk,
        "enrollment": code,
        "qr": qr.svg_data_uri(scale=QR_SCALE, border=QR_BORDER),
        "qr_size": qr.symbol_size(scale=QR_SCALE, border=QR_BORDER)[0],
        "expires": expires,
        "added": added,
        "central": str(request.base_url).rstrip("/"),
    }
    return page(request, "kiosk_code.html", context)


def _revoke_page(
    request: Request, kiosk: fleet.Kiosk, reason: str, problem: Problem | None, status: int = 200
) -> Response:
    context = {
        "kiosk": kiosk,
        "reason": reason,
        "max_reason": revocation.MAX_REASON,
        "problem": problem,
    }
    return page(request, "kiosk_revoke.html", context, status)


def _row(kiosk: fleet.Kiosk) -> str:
    return f"/kiosks#kiosk-{kiosk.code}"


def _actor(user: staff.User) -> dict[str, Any]:
    return {"actor": sign_ins.actor(user), "user_id": user.id}


def _add(central: Central, name: str, user: staff.User) -> tuple[fleet.Kiosk, str, str | None]:
    with central.connect() as conn:
        kiosk, code = fleet.create(conn, name, central.settings.enrollment_hours, **_actor(user))
        return kiosk, code, fleet.code_expiry(conn, kiosk)


def _renew(
    central: Central, code: str, issued: str, user: staff.User
) -> tuple[fleet.Kiosk, str, str | None]:
    hours = central.settings.enrollment_hours
    with central.connect() as conn:
        kiosk = _kiosk(conn, code)
        enrollment = fleet.renew_enrollment(conn, kiosk.name, hours, issued=issued, **_actor(user))
        return kiosk, enrollment, fleet.code_expiry(conn, kiosk)


def _revoke(central: Central, code: str, reason: str, user: staff.User) -> fleet.Kiosk:
    with central.connect() as conn:
        kiosk = _kiosk(conn, code)
        revocation.revoke(conn, kiosk.id, kiosk.code, reason, **_actor(user))
        return kiosk


def _find(central: Central, code: str) -> fleet.Kiosk:
    with central.connect() as conn:
        return _kiosk(conn, code)


def _kiosk(conn: Any, code: str) -> fleet.Kiosk:
    kiosk = fleet.by_code(conn, code)
    if kiosk is None:
        raise Problem(UNKNOWN_KIOSK, name=code[:40])
    return kiosk
