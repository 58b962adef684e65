"""Save and come back later: a short resume code (and its QR code) lets a citizen carry on
with a draft at this kiosk another day. The saved draft leaves the session (which is then
wiped, as for the next person) and waits, keyed only by the code's hash, until it is taken
back once or its time runs out."""

from __future__ import annotations

import hashlib
import json
import secrets

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import locales
from kiosk import drafts, pages, sessions
from kiosk.rendering import render
from sync.clock import later, now
from sync.database import transaction

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud and typed
LENGTH = 8


def _digest(code: str) -> str:
    compact = "".join(code.upper().split()).replace("-", "")
    return hashlib.sha256(compact.encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def prune(conn) -> int:  # type: ignore[no-untyped-def]
    """Delete saved drafts whose time is up."""
    with transaction(conn):
        return conn.execute("DELETE FROM saved_drafts WHERE expires_at < ?", (now(),)).rowcount


async def save(request: Request) -> Response:
    """``POST /forms/{form_id}/save``: keep the draft under a new code; wipe the session."""
    journey = pages.current_journey(request)
    db, settings = request.app.state.db, request.app.state.settings
    code = _new_code()
    expires = later(settings.draft_days * 24)
    with transaction(db):
        db.execute(
            "INSERT INTO saved_drafts VALUES (?, ?, ?, ?, ?, ?)",
            (
                _digest(code),
                journey.definition.id,
                journey.draft.form_version,
                json.dumps(journey.draft.answers),
                journey.language,
                expires,
            ),
        )
    sessions.wipe(db, journey.session.id)
    page = {
        "language": journey.language,
        "code": code,
        "qr": segno.make_qr(code, error="m").svg_data_uri(scale=6, border=2),
        "days": settings.draft_days,
    }
    response = render(request, "saved.html", page)
    sessions.forget(response)
    return response


async def resume_form(request: Request) -> Response:
    context = {"language": sessions.language(request), "error": None, "typed": ""}
    return render(request, "resume.html", context)


async def resume(request: Request) -> Response:
    """``POST /resume``: a valid code brings its draft back into a new session, once."""
    form = await request.form()
    typed = str(form.get("code", "")).strip()
    db = request.app.state.db
    prune(db)
    with transaction(db):
        row = db.execute(
            "SELECT * FROM saved_drafts WHERE code_sha256 = ?", (_digest(typed),)
        ).fetchone()
        if row is not None:
            db.execute("DELETE FROM saved_drafts WHERE code_sha256 = ?", (row["code_sha256"],))
    if row is None:
        language = sessions.language(request)
        error = locales.translations(language).gettext(
            "Check the code: it looks like ABCD-2345 and is kept for a few days only"
        )
        context = {"language": language, "error": error, "typed": typed}
        return render(request, "resume.html", context, 422)
    cookie, session = sessions.start(db, row["language"])
    draft = drafts.begin(db, session.id, row["form_id"], row["form_version"])
    draft.answers.update(json.loads(row["answers"]))
    drafts.save(db, draft)
    response = RedirectResponse(f"/forms/{row['form_id']}/check", status_code=303)
    sessions.remember(response, cookie)
    return response
