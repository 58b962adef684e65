"""The status page: a citizen types or scans a reference and sees what the kiosk knows.

A keyboard-wedge scanner types the code from a printed receipt into the focused field
and presses Enter, so scanning needs nothing more than this page's form. The page shows
the service and where the submission is, never the answers: saved at this kiosk, sent to
the office, then the office's decision once the kiosk has pulled one (received, has
issues, approved, rejected), with the office's comment and the date; and for a
submission that created or changed a case, what the office made of that change
(``kiosk/case_progress.py``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

import locales
from kiosk import case_progress, formatting, sessions, submissions
from kiosk.rendering import render
from kiosk.screens import form_language
from sync import inbox, outbox, reference
from sync.problems import N_

SAVED = "saved"
SENT = "sent"
DECISIONS = {
    "received": N_("Received by the office. Staff will look at it soon."),
    "has_issues": N_("Something needs to be put right. Read the comment from the office."),
    "approved": N_("Approved by the office"),
    "rejected": N_("Not approved by the office. Read the comment from the office."),
}


async def status(request: Request) -> Response:
    db = request.app.state.db
    language = sessions.language(request)
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
        "language": form_language(definition, language),
        "submitted": formatting.moment(submission.submitted_at, language),
        "state": SENT if sent else SAVED,
        "decision": _decision(request, submission.reference, language),
        "case": case_progress.progress(
            request.app.state.db, request.app.state.case_types, submission, definition, language
        ),
    }


def _decision(request: Request, ref: str, language: str) -> dict | None:
    """The office's decision, in the citizen's language, when the kiosk has pulled one."""
    decided = inbox.decision(request.app.state.db, ref)
    if decided is None or decided.state not in DECISIONS:
        return None
    return {
        "state": decided.state,
        "text": locales.translations(language).gettext(DECISIONS[decided.state]),
        "comment": decided.comment,
        "decided": formatting.moment(decided.decided_at, language),
    }
