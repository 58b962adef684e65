"""Central's pages and its one problem renderer (JSON for the API, a page for people).

Templates live in ``sync/templates`` with autoescaping on and strict undefineds; every
message goes through ``_`` (gettext of the reader's language).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates
from starlette.types import Message, Scope, Send

import locales
from sync.central.access import allows, current_user, sign_in_url
from sync.problems import (
    CSRF_FAILED,
    SIGN_IN_REQUIRED,
    TOKEN_INVALID,
    TOKEN_MISSING,
    TOKEN_REVOKED,
    Problem,
    from_status,
)
from sync.responses import json_problem, wants_json

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
#: Staff pages show personal data: no browser or proxy keeps a copy.
NO_STORE = {"cache-control": "no-store"}


def _when(stamp: str | None) -> str:
    """``2026-11-21T09:30:00.123Z`` as ``2026-11-21 09:30 UTC``."""
    if not stamp:
        return "—"
    return stamp[:10] + " " + stamp[11:16] + " UTC"


def _answer(value: Any) -> str:
    """An answer as text (the template words true and false in the reader's language)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(_answer(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _language_name(code: str) -> str:
    """``ar`` as ``Arabic (ar)``, named in central's language."""
    try:
        name = Locale.parse(code).get_display_name(locales.DEFAULT)
    except (ValueError, TypeError):
        return code
    return f"{name} ({code})" if name else code


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["when"] = _when
    environment.filters["answer"] = _answer
    environment.filters["language_name"] = _language_name
    return environment


templates = Jinja2Templates(env=_environment())


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """A full page, in the reader's language, with the signed-in user (if any)."""
    language = locales.DEFAULT
    user = _user_or_none(request)
    base = {
        "_": locales.translations(language).gettext,
        "lang": language,
        "dir": locales.direction(language),
        "user": user,
        "can": lambda role: allows(user, role),
        "csrftoken": request.scope.get("csrftoken", lambda: ""),
    }
    return templates.TemplateResponse(
        request, name, {**base, **(context or {})}, status, headers=NO_STORE
    )


def _user_or_none(request: Request) -> Any:
    try:
        return current_user(request)
    except (AssertionError, KeyError):  # no session middleware reached (e.g. body refused)
        return None


def render_problem(request: Request, problem: Problem) -> Response:
    """The one place a problem becomes a response."""
    if wants_json(request):
        response = json_problem(problem)
        if problem.kind in (TOKEN_MISSING, TOKEN_INVALID, TOKEN_REVOKED):
            response.headers["www-authenticate"] = 'Bearer realm="fieldkiosk"'
        return response
    if problem.kind is SIGN_IN_REQUIRED:
        return RedirectResponse(sign_in_url(request), status_code=303)
    return page(request, "problem.html", {"problem": problem}, problem.status)


async def handle(request: Request, error: Exception) -> Response:
    """Exception handler for problems and for routing's bare HTTP errors."""
    if isinstance(error, Problem):
        return render_problem(request, error)
    assert isinstance(error, HTTPException)
    return render_problem(request, from_status(error.status_code))


async def csrf_failed(scope: Scope, send: Send, _reason: object) -> None:
    """``asgi_csrf``'s refusal, rendered like every other problem."""

    async def nothing_more() -> Message:
        return {"type": "http.disconnect"}

    response = render_problem(Request(scope), Problem(CSRF_FAILED))
    await response(scope, nothing_more, send)
