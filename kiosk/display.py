"""Display preferences a citizen can set at any step: bigger text (three steps) and high
contrast. They belong to the session, so they last until it ends and no longer."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kiosk import sessions
from kiosk.language import back_to

SIZES = (1, 2, 3)


async def change(request: Request) -> Response:
    """``POST /display``: ``size`` = bigger | smaller, or ``contrast`` = on | off."""
    form = await request.form()
    db = request.app.state.db
    response = RedirectResponse(back_to(str(form.get("next", "")) or None), status_code=303)
    session = sessions.current(db, request)
    if session is None:
        cookie, session = sessions.start(db, request.app.state.settings.language)
        sessions.remember(response, cookie)
    size = session.text_size + {"bigger": 1, "smaller": -1}.get(str(form.get("size")), 0)
    contrast = {"on": True, "off": False}.get(str(form.get("contrast")), session.high_contrast)
    sessions.set_display(db, session, min(max(size, SIZES[0]), SIZES[-1]), contrast)
    return response
