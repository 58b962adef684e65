"""The receipt a citizen sees after sending: reference, QR code, summary, what happens
next, and what to do when the printer failed. Only the session that sent it sees it."""

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
from kiosk import formatting, messages, receipts, screens, sessions, submissions
from kiosk.rendering import render
from sync import reference
from sync.problems import UNKNOWN_SUBMISSION, Problem


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
        },
    )


def _summary(definition: FormDefinition | None, submission: Any, language: str, t: Any):  # type: ignore[no-untyped-def]
    """The answers sent, as the citizen gave them, for the receipt."""
    if definition is None:
        return []
    shown = pages(definition, submission.answers, date.today())
    return [
        (
            t(slot.field.label),
            screens.answer_text(definition, slot, get(submission.answers, slot), language, t),
        )
        for page in shown
        for slot in page.slots
        if slot.field.type != "note" and get(submission.answers, slot) not in (None, "", [])
    ]


async def receipt_code(request: Request) -> Response:
    """The receipt's QR code (SVG, drawn by segno): the reference, for any kiosk's scanner."""
    submission, _ = _own_submission(request)
    image = io.BytesIO()
    segno.make(submission.reference, error="m").save(
        image, kind="svg", scale=8, border=2, title=submission.reference
    )
    return Response(
        image.getvalue(),
        media_type="image/svg+xml",
        headers={"cache-control": "no-store"},
    )
