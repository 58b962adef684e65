"""Central's staff pages: sign in and out, the list of submissions, one submission."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sync.central import access, answers, api, fleet, paging, staff, submissions
from sync.central.rendering import page
from sync.central.state import Central, of
from sync.problems import SIGN_IN_FAILED, Problem

MAX_FIELD = 1024


def home(request: Request) -> Response:
    return RedirectResponse(access.HOME, status_code=303)


def sign_in_form(request: Request) -> Response:
    if access.current_user(request) is not None:
        return RedirectResponse(access.HOME, status_code=303)
    target = access.safe_next(request.query_params.get("next"))
    return page(request, "sign_in.html", {"next": target, "email": "", "problem": None})


async def sign_in(request: Request) -> Response:
    form = await request.form()
    email = str(form.get("email") or "")[:MAX_FIELD]
    password = str(form.get("password") or "")[:MAX_FIELD]
    target = access.safe_next(str(form.get("next") or ""))
    try:
        user = await run_in_threadpool(_authenticate, of(request), email, password)
    except Problem as problem:
        if problem.kind is not SIGN_IN_FAILED:
            raise
        context = {"next": target, "email": email, "problem": problem}
        return page(request, "sign_in.html", context, problem.status)
    access.sign_in(request, user)
    return RedirectResponse(target, status_code=303)


def _authenticate(central: Central, email: str, password: str) -> staff.User:
    with central.connect() as conn:
        return staff.authenticate(conn, email, password)


def sign_out(request: Request) -> Response:
    access.sign_out(request)
    return RedirectResponse(access.SIGN_IN_PATH, status_code=303)


def submission_list(request: Request) -> Response:
    access.require_user(request)
    shown = paging.from_query(request)
    with of(request).connect() as conn:
        rows = submissions.newest(conn, shown.limit, shown.offset)
    context = {
        "rows": rows,
        "limit": shown.limit,
        "newer": shown.newer,
        "older": shown.older(len(rows)),
    }
    return page(request, "submissions.html", context)


def submission_detail(request: Request) -> Response:
    access.require_user(request)
    submission = api.find(request)
    definition = of(request).definitions.get(submission.form_id)
    context = {
        "submission": submission,
        "title": answers.title(definition, submission.form_id),
        "rows": answers.rows(definition, submission.answers),
    }
    return page(request, "submission.html", context)


def kiosk_list(request: Request) -> Response:
    """The fleet: each kiosk's last contact, outbox, software and devices."""
    access.require_user(request)
    with of(request).connect() as conn:
        rows = fleet.fleet(conn)
    return page(request, "kiosks.html", {"rows": rows})
