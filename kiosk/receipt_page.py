"""The receipt a citizen sees after sending: reference, QR code, summary, what happens
next, what to do when the printer failed, and a place for feedback. Only the session
that sent it sees it (or gives feedback on it)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import locales
from forms.pages import get, pages
from forms.schema import FormDefinition
from kiosk import feedback, formatting, messages, receipts, screens, sessions, submissions
from kiosk.rendering import render
from sync import reference
from sync.problems import UNKNOWN_SUBMISSION, Problem
from sync.responses import is_htmx


def _own_submission(request: Request) -> tuple[submissions.Submission, sessions.Session]:
    """The submission named in the path, if this browser's session made it."""
    ref = reference.normalise(request.path_params["reference"]) or ""
    submission = submissions.find(request.app.state.db, ref)
    session = sessions.current(request.app.state.db, request)
    if submission is None or session is None or submission.session_id != session.id:
        raise Problem(UNKNOWN_SUBMISSION, reference=request.path_params["reference"])
    return submission, session


async def print_again(request: Request) -> Response:
    submission, session = _own_submission(request)
    definition = request.app.state.versions.get(submission.form_id, submission.form_version)
    printer = request.app.state.devices.printer
    await receipts.print_receipt(
        request.app.state.db, printer, submission, definition, session.language
    )
    return RedirectResponse(f"/receipts/{submission.reference}", status_code=303)


async def receipt(request: Request) -> Response:
    submission, session = _own_submission(request)
    return _receipt(request, submission, session, feedback.Reply())


async def give_feedback(request: Request) -> Response:
    """``POST /receipts/{reference}/feedback``: the optional rating and comment, taken once.
    Without htmx: 303 back to the receipt, or the receipt with errors (422); with htmx,
    only the feedback section."""
    submission, session = _own_submission(request)
    db = request.app.state.db
    gettext = locales.translations(session.language).gettext
    reply = feedback.read(await request.form(), gettext, session.language)
    if reply.errors and feedback.given(db, submission.id) is None:
        if not is_htmx(request):
            return _receipt(request, submission, session, reply, 422)
        return _feedback_section(request, submission, session, reply, 422)
    if not reply.errors:
        feedback.give(db, submission, session.language, reply.rating, reply.comment)
        request.app.state.kick()
    if not is_htmx(request):
        return RedirectResponse(f"/receipts/{submission.reference}#feedback", status_code=303)
    return _feedback_section(request, submission, session, feedback.Reply(), 200)


def _feedback(db: Any, submission: submissions.Submission, reply: feedback.Reply) -> dict[str, Any]:
    """What the feedback section shows: thanks once given, else the form as sent."""
    return {
        "given": feedback.given(db, submission.id) is not None,
        "reply": reply,
        "faces": feedback.FACES,
        "max_comment": feedback.MAX_COMMENT,
    }


def _feedback_section(
    request: Request,
    submission: submissions.Submission,
    session: sessions.Session,
    reply: feedback.Reply,
    status: int,
) -> Response:
    context = {
        "language": session.language,
        "submission": submission,
        "feedback": _feedback(request.app.state.db, submission, reply),
        "alone": True,
    }
    return render(request, "feedback.html", context, status)


def _receipt(
    request: Request,
    submission: submissions.Submission,
    session: sessions.Session,
    reply: feedback.Reply,
    status: int = 200,
) -> Response:
    definition = request.app.state.versions.get(submission.form_id, submission.form_version)
    page = screens.context(definition, session.language)
    fallback = locales.translations(session.language).gettext(
        "The office will look at your answers. Use your reference number to check progress."
    )
    what_next = definition.what_happens_next if definition else None
    return render(
        request,
        "receipt.html",
        {
            **page,
            "definition": definition,
            "submission": submission,
            "next_steps": page["t"](what_next) or fallback,
            "submitted_at": formatting.moment(submission.submitted_at, session.language),
            "printer_problem": messages.printer_problem(
                submission.print_fault, locales.translations(session.language).gettext
            ),
            "summary": _summary(definition, submission, session.language, page["t"]),
            "feedback": _feedback(request.app.state.db, submission, reply),
        },
        status,
    )


def _summary(definition: FormDefinition | None, submission: Any, language: str, t: Any):  # type: ignore[no-untyped-def]
    """The answers sent, as the citizen gave them, for the receipt."""
    if definition is None:
        return []
    shown = pages(definition, submission.answers, date.today())
    words = screens.form_language(definition, language)
    return [
        (
            t(slot.field.label),
            screens.answer_text(definition, slot.field, get(submission.answers, slot), language),
            screens.answer_language(slot.field, language, words),
        )
        for page in shown
        for slot in page.slots
        if slot.field.type != "note" and get(submission.answers, slot) not in (None, "", [])
    ]


async def receipt_code(request: Request) -> Response:
    """The receipt's QR code (SVG, drawn by segno): the reference, for any kiosk's scanner."""
    submission, _ = _own_submission(request)
    image = io.BytesIO()
    segno.make_qr(submission.reference, error="m").save(
        image, kind="svg", scale=8, border=2, title=submission.reference
    )
    return Response(
        image.getvalue(),
        media_type="image/svg+xml",
        headers={"cache-control": "no-store"},
    )
