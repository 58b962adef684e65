"""Choosing a language: on the home screen, or at any step from the banner, without
losing a single answer (the language belongs to the session, the answers to its draft)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import locales
from kiosk import sessions
from kiosk.rendering import render


def choices() -> list[dict[str, str]]:
    """Every language the kiosk offers, each named in itself."""
    return [
        {"code": code, "name": locales.native_name(code), "dir": locales.direction(code)}
        for code in locales.LANGUAGES
    ]


def back_to(target: str | None) -> str:
    """Only a path on this kiosk: never another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


async def chooser(request: Request) -> Response:
    language = sessions.language(request)
    back = back_to(request.query_params.get("next"))
    return render(
        request, "language.html", {"language": language, "languages": choices(), "back": back}
    )


async def choose(request: Request) -> Response:
    form = await request.form()
    wanted = str(form.get("language", ""))
    back = back_to(str(form.get("next", "")) or None)
    db = request.app.state.db
    if wanted not in locales.LANGUAGES:
        return RedirectResponse(back, status_code=303)
    session = sessions.current(db, request)
    response = RedirectResponse(back, status_code=303)
    if session is None:
        cookie, session = sessions.start(db, wanted)
        sessions.remember(response, cookie)
    else:
        sessions.set_language(db, session, wanted)
    return response
