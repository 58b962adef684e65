"""The citizen's journey: home, start, one question per page, check answers, receipt.

Every step works without JavaScript (POST, 303 redirect, full page). With htmx the same
routes answer with only the ``<main>`` fragment, and an accepted answer comes back with
the next screen in the same response (``HX-Push-Url`` keeps the address bar right).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import locales
from forms.errors import FieldError
from forms.schema import Field, FormDefinition
from forms.validation import parse_answer, validate_answers
from kiosk import drafts, formatting, messages, receipts, screens, sessions, submissions
from kiosk.drafts import Draft
from kiosk.rendering import render
from sync import reference
from sync.problems import UNKNOWN_FORM, UNKNOWN_QUESTION, UNKNOWN_SUBMISSION, Problem
from sync.responses import is_htmx


class StartAgain(Exception):
    """This browser has no draft of the form (a new visitor, or the form was sent):
    the app answers with a redirect to the form's start page."""

    def __init__(self, form_id: str) -> None:
        super().__init__(form_id)
        self.url = f"/forms/{form_id}"


@dataclass(frozen=True)
class Journey:
    """A citizen part-way through a form."""

    definition: FormDefinition
    session: sessions.Session
    draft: Draft

    @property
    def language(self) -> str:
        return self.session.language


def _db(request: Request) -> sqlite3.Connection:
    return request.app.state.db


def _definition(request: Request) -> FormDefinition:
    form_id = request.path_params["form_id"]
    definition = request.app.state.definitions.get(form_id)
    if definition is None:
        raise Problem(UNKNOWN_FORM, form=form_id)
    return definition


def current_journey(request: Request) -> Journey:
    definition = _definition(request)
    session = sessions.current(_db(request), request)
    draft = session and drafts.load(_db(request), session.id, definition.id)
    if not session or not draft:
        raise StartAgain(definition.id)
    return Journey(definition, session, draft)


def field_of(definition: FormDefinition, name: str) -> Field:
    if name not in definition.names:
        raise Problem(UNKNOWN_QUESTION, question=name)
    return definition.field(name)


def _language(request: Request) -> str:
    session = sessions.current(_db(request), request)
    return session.language if session else request.app.state.settings.language


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def home(request: Request) -> Response:
    language = _language(request)
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
    page = screens.context(definition, _language(request))
    return render(request, "start.html", {**page, "definition": definition})


async def start(request: Request) -> Response:
    """Begin (or carry on with) this session's draft of the form."""
    definition = _definition(request)
    db = _db(request)
    session = sessions.current(db, request)
    cookie = None
    if session is None:
        cookie, session = sessions.start(db, request.app.state.settings.language)
    drafts.begin(db, session.id, definition.id, definition.version)
    response = _see_other(screens.question_url(definition, definition.fields[0].name))
    if cookie:
        sessions.remember(response, cookie)
    return response


async def question(request: Request) -> Response:
    journey = current_journey(request)
    field = field_of(journey.definition, request.path_params["name"])
    value = screens.shown(field, journey.draft.answers.get(field.name))
    return screens.question_page(request, journey.definition, field, journey.language, value, None)


async def answer(request: Request) -> Response:
    journey = current_journey(request)
    definition = journey.definition
    field = field_of(definition, request.path_params["name"])
    raw = screens.raw(field, await request.form())
    result = parse_answer(field, raw, date.today())
    if isinstance(result, FieldError):
        gettext = locales.translations(journey.language).gettext
        error = messages.describe(result.code, result.params, field.type, gettext, journey.language)
        response = screens.question_page(
            request, definition, field, journey.language, raw, error, 422
        )
        response.headers["hx-push-url"] = "false"
        return response
    drafts.save_answer(_db(request), journey.draft, field.name, result)
    following = definition.next_name(field.name)
    if following is None or request.query_params.get("change"):
        return _advance(request, journey, None)
    return _advance(request, journey, definition.field(following))


def _advance(request: Request, journey: Journey, following: Field | None) -> Response:
    """To the next question (or to check answers when ``following`` is None).

    Without JavaScript: a 303 redirect. With htmx: the next screen in this same response,
    saving a round trip, with ``HX-Push-Url`` so that the address bar follows.
    """
    definition = journey.definition
    if following is None:
        url = screens.check_url(definition)
    else:
        url = screens.question_url(definition, following.name)
    if not is_htmx(request):
        return _see_other(url)
    if following is None:
        response = screens.check_page(request, definition, journey.language, journey.draft, {})
    else:
        value = screens.shown(following, journey.draft.answers.get(following.name))
        response = screens.question_page(
            request, definition, following, journey.language, value, None
        )
    response.headers["hx-push-url"] = url
    return response


async def check(request: Request) -> Response:
    journey = current_journey(request)
    return screens.check_page(request, journey.definition, journey.language, journey.draft, {})


async def submit(request: Request) -> Response:
    journey = current_journey(request)
    problems = validate_answers(journey.definition, journey.draft.answers)
    if problems:
        return screens.check_page(
            request, journey.definition, journey.language, journey.draft, problems, 422
        )
    kiosk_code = request.app.state.identity.code
    submission = submissions.submit(_db(request), kiosk_code, journey.draft, journey.language)
    request.app.state.kick()
    printer = request.app.state.devices.printer
    await receipts.print_receipt(
        _db(request), printer, submission, journey.definition, journey.language
    )
    return _see_other(f"/receipts/{submission.reference}")


def _own_submission(request: Request) -> tuple[submissions.Submission, sessions.Session]:
    """The submission named in the path, if this browser's session made it."""
    ref = reference.normalise(request.path_params["reference"]) or ""
    submission = submissions.find(_db(request), ref)
    session = sessions.current(_db(request), request)
    if submission is None or session is None or submission.session_id != session.id:
        raise Problem(UNKNOWN_SUBMISSION, reference=request.path_params["reference"])
    return submission, session


async def print_again(request: Request) -> Response:
    submission, session = _own_submission(request)
    definition = request.app.state.definitions.get(submission.form_id)
    printer = request.app.state.devices.printer
    await receipts.print_receipt(_db(request), printer, submission, definition, session.language)
    return _see_other(f"/receipts/{submission.reference}")


async def receipt(request: Request) -> Response:
    submission, session = _own_submission(request)
    definition = request.app.state.definitions.get(submission.form_id)
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
        },
    )
