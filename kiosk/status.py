"""The status page: a citizen types or scans a reference and sees what the kiosk knows.

A keyboard-wedge scanner types the code from a printed receipt into the focused field
and presses Enter, so scanning needs nothing more than this page's form. The page shows
the service and where the submission is, never the answers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

import locales
from kiosk import formatting, sessions, submissions
from kiosk.rendering import render
from sync import outbox, reference

SAVED = "saved"
SENT = "sent"


async def status(request: Request) -> Response:
    db = request.app.state.db
    session = sessions.current(db, request)
    language = session.language if session else request.app.state.settings.language
    typed = request.query_params.get("reference", "").strip()
    scans = request.app.state.scans
    context: dict = {
        "language": language,
        "typed": typed,
        "error": None,
        "found": None,
        "listen_for_scans": scans.pushes,
        "scans_seen": scans.count,
    }
    if typed:
        ref = reference.normalise(typed)
        found = submissions.find(db, ref) if ref else None
        if found is None:
            gettext = locales.translations(language).gettext
            context["error"] = (
                gettext("Check the reference number: it looks like K01-00042-X")
                if ref is None
                else gettext("This kiosk has no submission with that reference number")
            )
        else:
            context["found"] = _found(request, found, language)
    return render(request, "status.html", context, 422 if context["error"] else 200)


def _found(request: Request, submission: submissions.Submission, language: str) -> dict:
    definition = request.app.state.versions.get(submission.form_id, submission.form_version)
    sent = outbox.delivered(request.app.state.db, submission.change_id)
    return {
        "reference": submission.reference,
        "service": definition.title.get(language, definition.default_language)
        if definition
        else submission.form_id,
        "submitted": formatting.moment(submission.submitted_at, language),
        "state": SENT if sent else SAVED,
    }
