"""Jinja2 templates rendered in the reader's language, as a whole page or an htmx fragment.

Every template extends ``layout.html`` or, for htmx requests, ``fragment.html`` (only the
contents of ``<main>`` plus the page title). Autoescaping is always on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

import locales
from kiosk import sessions
from sync.responses import is_htmx

TEMPLATES = Path(__file__).parent / "templates"


@pass_context
def _gettext(context: Context, message: str) -> str:
    return context["translations"].gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return context["translations"].ngettext(singular, plural, n)


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def _display(request: Request) -> dict[str, Any]:
    """The session's text size and contrast, for the page's classes and the toggles."""
    db = getattr(request.app.state, "db", None)
    session = sessions.current(db, request) if db is not None else None
    size, contrast = (session.text_size, session.high_contrast) if session else (1, False)
    return {"size": size, "contrast": contrast, "back": request.url.path}


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """``template`` as a full page, or as the ``<main>`` fragment for an htmx request."""
    env: Environment = request.app.state.templates
    language = context.get("language") or request.app.state.settings.language
    page = env.get_template(template).render(
        {
            "request": request,
            "fragment": is_htmx(request),
            "direction": locales.direction(language),
            "translations": locales.translations(language),
            "csrftoken": request.scope.get("csrftoken", lambda: ""),
            "display": _display(request),
            **context,
            "language": language,
        }
    )
    response = HTMLResponse(page, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    response.headers["vary"] = "HX-Request"
    return response
