"""The citizen's journey: home, start, one question per page, check answers, receipt.

Every step works without JavaScript (POST, 303 redirect, full page). With htmx the same
routes answer with only the ``<main>`` fragment; the redirect is followed by fetch, so the
browser's address bar shows the page the citizen is on.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import locales
from forms.schema import Field, FormDefinition
from forms.validation import FieldError, display_value, parse_answer, validate_answers
from kiosk import drafts, formatting, messages, sessions, submissions
from kiosk.drafts import Draft
from kiosk.rendering import render
from sync import reference
from sync.problems import UNKNOWN_FORM, UNKNOWN_QUESTION, UNKNOWN_SUBMISSION, Problem
from sync.responses import is_htmx

WIDGETS = {
    "text": "text",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "select_one": "choices",
    "yes_no": "choices",
}


def _db(request: Request) -> sqlite3.Connection:
    return request.app.state.db


def _definition(request: Request) -> FormDefinition:
    form_id = request.path_params["form_id"]
    definition = request.app.state.definitions.get(form_id)
    if definition is None:
        raise Problem(UNKNOWN_FORM, form=form_id)
    return definition


def _field(definition: FormDefinition, name: str) -> Field:
    if name not in {field.name for field in definition.fields}:
        raise Problem(UNKNOWN_QUESTION, question=name)
    return definition.field(name)


def _language(request: Request, session: sessions.Session | None) -> str:
    return session.language if session else request.app.state.settings.language


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _context(request: Request, definition: FormDefinition | None, language: str) -> dict:
    default = definition.default_language if definition else language
    return {"language": language, "t": lambda text: text.get(language, default) if text else ""}


def _question_url(definition: FormDefinition, name: str) -> str:
    return f"/forms/{definition.id}/questions/{name}"


def _check_url(definition: FormDefinition) -> str:
    return f"/forms/{definition.id}/check"


async def home(request: Request) -> Response:
    session = sessions.current(_db(request), request)
    language = _language(request, session)
    services = [
        {
            "id": definition.id,
            "title": definition.title.get(language, definition.default_language),
            "description": definition.description.get(language, definition.default_language),
        }
        for definition in sorted(request.app.state.definitions.values(), key=lambda d: d.id)
    ]
    return render(request, "home.html", {"language": language, "services": services})


async def start_page(request: Request) -> Response:
    definition = _definition(request)
    language = _language(request, sessions.current(_db(request), request))
    return render(
        request, "start.html", {**_context(request, definition, language), "definition": definition}
    )


async def start(request: Request) -> Response:
    """Begin (or carry on with) this session's draft of the form."""
    definition = _definition(request)
    db = _db(request)
    session = sessions.current(db, request)
    cookie = None
    if session is None:
        cookie, session = sessions.start(db, request.app.state.settings.language)
    drafts.begin(db, session.id, definition.id, definition.version)
    response = _see_other(_question_url(definition, definition.fields[0].name))
    if cookie:
        sessions.remember(response, cookie)
    return response


def _draft(request: Request, definition: FormDefinition) -> tuple[sessions.Session, Draft] | None:
    session = sessions.current(_db(request), request)
    if session is None:
        return None
    draft = drafts.load(_db(request), session.id, definition.id)
    return (session, draft) if draft else None


async def question(request: Request) -> Response:
    definition = _definition(request)
    field = _field(definition, request.path_params["name"])
    found = _draft(request, definition)
    if found is None:
        return _see_other(f"/forms/{definition.id}")
    session, draft = found
    value = _shown(field, draft.answers.get(field.name))
    return _question_page(request, definition, field, session.language, value, None)


async def answer(request: Request) -> Response:
    definition = _definition(request)
    field = _field(definition, request.path_params["name"])
    found = _draft(request, definition)
    if found is None:
        return _see_other(f"/forms/{definition.id}")
    session, draft = found
    raw = _raw(field, await request.form())
    result = parse_answer(field, raw, date.today())
    if isinstance(result, FieldError):
        gettext = locales.translations(session.language).gettext
        error = messages.describe(result.code, result.params, field.type, gettext, session.language)
        response = _question_page(request, definition, field, session.language, raw, error, 422)
        response.headers["hx-push-url"] = "false"
        return response
    drafts.save_answer(_db(request), draft, field.name, result)
    following = definition.next_name(field.name)
    if following is None or request.query_params.get("change"):
        return _advance(request, definition, session, draft, None)
    return _advance(request, definition, session, draft, definition.field(following))


def _advance(
    request: Request,
    definition: FormDefinition,
    session: sessions.Session,
    draft: Draft,
    following: Field | None,
) -> Response:
    """To the next question (or to check answers when ``following`` is None).

    Without JavaScript: a 303 redirect. With htmx: the next page's fragment in this same
    response, saving a round trip, with ``HX-Push-Url`` so the address bar follows.
    """
    url = _question_url(definition, following.name) if following else _check_url(definition)
    if not is_htmx(request):
        return _see_other(url)
    if following is None:
        response = _check_page(request, definition, session.language, draft, {})
    else:
        value = _shown(following, draft.answers.get(following.name))
        response = _question_page(request, definition, following, session.language, value, None)
    response.headers["hx-push-url"] = url
    return response


def _raw(field: Field, form: Any) -> Any:
    if field.type == "date":
        return {part: str(form.get(f"answer-{part}", "")).strip() for part in _DATE_PARTS}
    value = form.get("answer")
    return value if isinstance(value, str) else None


_DATE_PARTS = ("day", "month", "year")


def _shown(field: Field, value: Any) -> Any:
    """A stored answer as its widget shows it again."""
    if value is None:
        return None
    if field.type == "date":
        year, month, day = str(value).split("-")
        return {"day": str(int(day)), "month": str(int(month)), "year": year}
    if field.type == "yes_no":
        return "yes" if value else "no"
    return str(value)


def _question_page(
    request: Request,
    definition: FormDefinition,
    field: Field,
    language: str,
    value: Any,
    error: str | None,
    status_code: int = 200,
) -> Response:
    index = definition.index(field.name)
    previous = definition.previous_name(field.name)
    change = "?change=1" if request.query_params.get("change") else ""
    context = _context(request, definition, language)
    t = context["t"]
    return render(
        request,
        "question.html",
        {
            **context,
            "definition": definition,
            "field": field,
            "widget": WIDGETS[field.type],
            "label": t(field.label),
            "hint": t(field.hint),
            "choices": _choices(field, t, locales.translations(language).gettext),
            "value": value,
            "error": error,
            "first_input_suffix": "-day" if field.type == "date" else "",
            "number": index + 1,
            "total": len(definition.fields),
            "action_url": _question_url(definition, field.name) + change,
            "back_url": _check_url(definition)
            if change
            else (_question_url(definition, previous) if previous else f"/forms/{definition.id}"),
        },
        status_code,
    )


def _choices(field: Field, t: Any, gettext: Any) -> list[tuple[str, str]]:
    if field.type == "yes_no":
        return [("yes", gettext("Yes")), ("no", gettext("No"))]
    return [(choice.value, t(choice.label)) for choice in field.choices or []]


async def check(request: Request) -> Response:
    definition = _definition(request)
    found = _draft(request, definition)
    if found is None:
        return _see_other(f"/forms/{definition.id}")
    session, draft = found
    return _check_page(request, definition, session.language, draft, {})


def _check_page(
    request: Request,
    definition: FormDefinition,
    language: str,
    draft: Draft,
    problems: dict[str, FieldError],
    status_code: int = 200,
) -> Response:
    context = _context(request, definition, language)
    t = context["t"]
    gettext = locales.translations(language).gettext
    rows = [
        {
            "question": t(field.label),
            "answer": _answer_text(field, draft.answers.get(field.name), definition, language),
            "change_url": _question_url(definition, field.name) + "?change=1",
        }
        for field in definition.fields
    ]
    errors = [
        (
            _question_url(definition, name) + "?change=1",
            f"{t(definition.field(name).label)}: "
            + messages.describe(
                error.code, error.params, definition.field(name).type, gettext, language
            ),
        )
        for name, error in problems.items()
    ]
    last = definition.fields[-1].name
    return render(
        request,
        "check.html",
        {
            **context,
            "definition": definition,
            "rows": rows,
            "errors": errors,
            "back_url": _question_url(definition, last),
        },
        status_code,
    )


def _answer_text(field: Field, value: Any, definition: FormDefinition, language: str) -> str:
    if value is None:
        return ""
    if field.type == "date":
        return formatting.day(value, language)
    if field.type == "yes_no":
        gettext = locales.translations(language).gettext
        return gettext("Yes") if value else gettext("No")
    if field.type in {"integer", "decimal"}:
        return formatting.number(value, language)
    return display_value(field, value, language, definition.default_language)


async def submit(request: Request) -> Response:
    definition = _definition(request)
    found = _draft(request, definition)
    if found is None:
        return _see_other(f"/forms/{definition.id}")
    session, draft = found
    problems = validate_answers(definition, draft.answers)
    if problems:
        return _check_page(request, definition, session.language, draft, problems, 422)
    submission = submissions.submit(
        _db(request), request.app.state.identity.code, draft, session.language
    )
    request.app.state.kick()
    return _see_other(f"/receipts/{submission.reference}")


async def receipt(request: Request) -> Response:
    ref = reference.normalise(request.path_params["reference"]) or ""
    submission = submissions.find(_db(request), ref)
    session = sessions.current(_db(request), request)
    if submission is None or session is None or submission.session_id != session.id:
        raise Problem(UNKNOWN_SUBMISSION, reference=request.path_params["reference"])
    definition = request.app.state.definitions.get(submission.form_id)
    context = _context(request, definition, session.language)
    next_steps = context["t"](
        getattr(definition, "what_happens_next", None)
    ) or locales.translations(session.language).gettext(
        "The office will look at your answers. Use your reference number to check progress."
    )
    return render(
        request,
        "receipt.html",
        {
            **context,
            "definition": definition,
            "submission": submission,
            "next_steps": next_steps,
            "submitted_at": formatting.moment(submission.submitted_at, session.language),
        },
    )
