"""Central's staff pages: sign in and out (``sign_ins`` locks and audits), citizens'
feedback. The submission inbox and reviews are in ``submission_pages``."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sync.central import access, answers, feedback, paging, sign_ins, staff
from sync.central.rendering import page
from sync.central.state import Central, of
from sync.problems import SIGN_IN_FAILED, SIGN_IN_LOCKED, Problem

MAX_FIELD = 1024
#: Comments shown under each form on the feedback page (``?form=`` shows them all, paged).
LATEST_COMMENTS = 5


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
        if problem.kind not in (SIGN_IN_FAILED, SIGN_IN_LOCKED):
            raise
        context = {"next": target, "email": email, "problem": problem}
        return page(request, "sign_in.html", context, problem.status)
    access.sign_in(request, user)
    return RedirectResponse(target, status_code=303)


def _authenticate(central: Central, email: str, password: str) -> staff.User:
    with central.connect() as conn:
        return sign_ins.sign_in(conn, email, password)


def sign_out(request: Request) -> Response:
    """``POST /sign-out``: for anyone signed in (audited); nobody signed in goes to the
    sign-in page all the same."""
    user = access.current_user(request)
    if user is not None:
        with of(request).connect() as conn:
            sign_ins.signed_out(conn, user)
    access.sign_out(request)
    return RedirectResponse(access.SIGN_IN_PATH, status_code=303)


def feedback_page(request: Request) -> Response:
    """Citizens' feedback per form (the service): how many gave it, the average rating and
    the latest comments, newest first; ``?form=ID`` pages through one form's comments."""
    access.require_role(request, "reviewer")
    central, shown = of(request), paging.from_query(request)
    only = request.query_params.get("form", "")[:MAX_FIELD] or None
    if only is None:
        shown = paging.Paging(LATEST_COMMENTS, 0)
    with central.connect() as conn:
        forms = [f for f in feedback.by_form(conn) if only in (None, f.form_id)]
        said = {
            f.form_id: feedback.comments(conn, f.form_id, shown.limit, shown.offset) for f in forms
        }
    context = {
        "forms": [
            (f, answers.title(central.definitions.get(f.form_id), f.form_id), said[f.form_id])
            for f in forms
        ],
        "only": only,
        "limit": shown.limit,
        "newer": shown.newer,
        "older": shown.older(len(said[only])) if only in said else None,
    }
    return page(request, "feedback.html", context)
