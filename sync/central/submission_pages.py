"""The submission inbox (``/submissions``: filters, counts per review state, pages), one
submission with its review history, and the review form that decides on it. Reviewers
and every role above them."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sync.central import access, answers, api, feedback, filters, paging, reviews, submissions
from sync.central.rendering import page
from sync.central.staff import User
from sync.central.state import Central, of
from sync.problems import (
    COMMENT_REQUIRED,
    COMMENT_TOO_LONG,
    DECISION_MISSING,
    REVIEW_OUTDATED,
    Problem,
)

ROLE = "reviewer"
#: Problems with a decision that show the form again, with what was typed in it.
FORM_PROBLEMS = (DECISION_MISSING, COMMENT_REQUIRED, COMMENT_TOO_LONG, REVIEW_OUTDATED)
#: Read this much of a posted comment: enough to say it is too long, no more.
MAX_FIELD = 4 * reviews.MAX_COMMENT
#: The session key that says, after the redirect, that a decision was just saved.
DECIDED = "decided"


def submission_list(request: Request) -> Response:
    """``GET /submissions?form=&kiosk=&state=&from=&to=&limit=&offset=``: the inbox."""
    access.require_role(request, ROLE)
    shown, chosen = paging.from_query(request), filters.from_query(request.query_params)
    central = of(request)
    with central.connect() as conn:
        rows = submissions.newest(conn, shown.limit, shown.offset, chosen)
        counts = submissions.counts(conn, chosen)
        form_ids, kiosks = filters.choices(conn)
    known = {*form_ids, *central.definitions}
    forms = sorted((answers.title(central.definitions.get(f), f), f) for f in known)
    context = {
        "rows": rows,
        "counts": counts,
        "total": sum(counts.values()),
        "chosen": chosen,
        "forms": forms,
        "kiosks": kiosks,
        "states": list(counts),
        "limit": shown.limit,
        "newer": shown.newer,
        "older": shown.older(len(rows)),
    }
    return page(request, "submissions.html", context)


def submission_detail(request: Request) -> Response:
    """``GET /submissions/{reference}``: the answers, the citizen's feedback, the review
    history and the form to decide."""
    access.require_role(request, ROLE)
    submission = api.find(request)
    just_decided = request.session.pop(DECIDED, None) == submission.reference
    return _detail(request, submission, {"decided": just_decided})


async def review(request: Request) -> Response:
    """``POST /submissions/{reference}/review`` {state, comment, seen}: decide, then back
    to the submission; a decision that cannot be taken shows the form again, as typed."""
    user = access.require_role(request, ROLE)
    submission = api.find(request)
    form = await request.form()
    state = str(form.get("state") or "")[:40]
    comment = str(form.get("comment") or "")[:MAX_FIELD]
    seen = str(form.get("seen") or "")
    count = int(seen) if seen.isascii() and seen.isdigit() and len(seen) < 10 else None
    try:
        await run_in_threadpool(_decide, of(request), submission, state, comment, user, count)
    except Problem as problem:
        if problem.kind not in FORM_PROBLEMS:
            raise
        typed = {"state": state, "comment": comment, "problem": problem}
        fresh = await run_in_threadpool(_fresh, of(request), submission.reference)
        return await run_in_threadpool(_detail, request, fresh, typed, problem.status)
    request.session[DECIDED] = submission.reference
    return RedirectResponse(f"/submissions/{submission.reference}", status_code=303)


def _decide(
    central: Central,
    submission: submissions.Submission,
    state: str,
    comment: str,
    user: User,
    seen: int | None,
) -> None:
    with central.connect() as conn:
        reviews.decide(conn, submission, state, comment, user, seen)


def _fresh(central: Central, ref: str) -> submissions.Submission:
    with central.connect() as conn:
        found = submissions.find(conn, ref)
    assert found is not None  # submissions are never deleted
    return found


def _detail(
    request: Request,
    submission: submissions.Submission,
    typed: dict[str, Any],
    status: int = 200,
) -> Response:
    definition = of(request).definitions.get(submission.form_id)
    with of(request).connect() as conn:
        given = feedback.about(conn, submission.reference)
        history = reviews.history(conn, submission.id)
    context = {
        "submission": submission,
        "title": answers.title(definition, submission.form_id),
        "rows": answers.rows(definition, submission.answers),
        "feedback": given,
        "history": history,
        "decisions": reviews.DECISIONS,
        "max_comment": reviews.MAX_COMMENT,
        "state": "",
        "comment": "",
        "problem": None,
        "decided": False,
        **typed,
    }
    return page(request, "submission.html", context, status)
