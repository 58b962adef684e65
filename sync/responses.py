"""Turns a :class:`~sync.problems.Problem` into an HTTP response: JSON for the API,
an HTML page or htmx fragment (rendered by the app's own templates) for people."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from sync.problems import Problem


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def is_htmx(request: Request) -> bool:
    """An htmx request (not a history restore, which wants the whole page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def json_problem(problem: Problem) -> JSONResponse:
    """The API's problem shape: ``{"code", "message", "details"}`` with the HTTP status."""
    return JSONResponse(problem.as_json(), status_code=problem.status)
