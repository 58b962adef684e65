"""Assisted access: a community worker signs in with a personal PIN, helps one citizen
after another ("Next citizen" wipes the citizen, not the worker), and signs out.

Every step is a plain POST and a 303 redirect to a full page: the banner, which shows
who is assisting, lies outside the part of the page htmx swaps.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import locales
from kiosk import sessions, workers
from kiosk.language import back_to
from kiosk.rendering import render

MAX_FIELD = 64


def _db(request: Request) -> sqlite3.Connection:
    return request.app.state.db


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _page(
    request: Request,
    chosen: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    errors = errors or {}
    context: dict[str, Any] = {
        "language": sessions.language(request),
        "workers": workers.listed(_db(request)),
        "chosen": chosen,
        "worker_error": errors.get("worker", ""),
        "pin_error": errors.get("pin", ""),
        "errors": [(f"#{field}", message) for field, message in errors.items()],
    }
    return render(request, "assist.html", context, status_code)


async def sign_in_form(request: Request) -> Response:
    """``GET /assist``: choose your name, type your PIN (home if already signed in)."""
    if workers.current(_db(request), request) is not None:
        return _see_other("/")
    return _page(request)


async def sign_in(request: Request) -> Response:
    """``POST /assist``: the worker's own session cookie, or the page again saying why not."""
    form = await request.form()
    chosen = str(form.get("worker") or "")[:MAX_FIELD]
    pin = str(form.get("pin") or "")[:MAX_FIELD]
    translations = locales.translations(sessions.language(request))
    errors = {}
    if not chosen:
        errors["worker"] = translations.gettext("Choose your name")
    if not pin:
        errors["pin"] = translations.gettext("Enter your PIN")
    if errors:
        return _page(request, chosen, errors, 422)
    settings = request.app.state.settings
    try:
        worker = await workers.sign_in(_db(request), chosen, pin, settings.assist_lock_minutes)
    except workers.SignInRefused as refused:
        if refused.locked_until is None:
            message = translations.gettext("That name and PIN do not match")
            return _page(request, chosen, {"pin": message}, 401)
        left = (refused.locked_until - datetime.now(UTC)).total_seconds()
        minutes = max(1, math.ceil(left / 60))
        message = translations.ngettext(
            "Too many wrong PINs. Try again in %(minutes)s minute.",
            "Too many wrong PINs. Try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = _page(request, chosen, {"pin": message}, 429)
        response.headers["retry-after"] = str(minutes * 60)
        return response
    cookie = workers.start(_db(request), worker, settings.assist_idle_minutes)
    response = _see_other("/")
    workers.remember(response, cookie)
    return response


async def sign_out(request: Request) -> Response:
    """``POST /assist/sign-out``: back to the same page; a citizen's draft carries on,
    unassisted."""
    form = await request.form()
    workers.end(_db(request), request)
    response = _see_other(back_to(str(form.get("next", "")) or None))
    workers.forget(response)
    return response
