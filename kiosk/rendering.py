"""Jinja2 templates rendered in the reader's language, as a whole page or an htmx fragment.

Every template extends ``layout.html`` or, for htmx requests, ``fragment.html`` (only the
contents of ``<main>`` plus the page title). Autoescaping is always on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

import locales
from kiosk import sessions, workers
from sync.responses import is_htmx

TEMPLATES = Path(__file__).parent / "templates"


@pass_context
def _gettext(context: Context, message: str) -> str:
    return context["translations"].gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return context["translations"].ngettext(singular, plural, n)


@pass_context
def _lang(context: Context, code: str | None) -> Markup:
    """`` lang dir`` attributes for an element whose words are in ``code`` on a page in
    another language (WCAG 3.1.2, language of parts); nothing when they are the same."""
    if not code or code == context.get("language"):
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(code, locales.direction(code))


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
    env.globals["lang"] = _lang
    return env


def _display(request: Request) -> dict[str, Any]:
    """The session's text size and contrast, for the page's classes and the toggles."""
    db = getattr(request.app.state, "db", None)
    session = sessions.current(db, request) if db is not None else None
    size, contrast = (session.text_size, session.high_contrast) if session else (1, False)
    return {"size": size, "contrast": contrast, "back": request.url.path}


def _assisting(request: Request) -> workers.Worker | None:
    """The community worker signed in on this browser, for the banner and the consent."""
    db = getattr(request.app.state, "db", None)
    return workers.current(db, request) if db is not None else None


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
            "assisting": _assisting(request),
            **context,
            "language": language,
        }
    )
    response = HTMLResponse(page, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    response.headers["vary"] = "HX-Request"
    return response
