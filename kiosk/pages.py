"""The citizen's journey: home, start, one question per page, check answers, receipt.

Every step works without JavaScript (POST, 303 redirect, full page). With htmx the same
routes answer with only the ``<main>`` fragment, and an accepted answer comes back with
the next screen in the same response (``HX-Push-Url`` keeps the address bar right).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

import locales
from forms.answers import calculate, check_page, final, problems
from forms.pages import Page, get, more, pages, put
from forms.schema import FormDefinition
from kiosk import cases, drafts, receipts, screens, sessions, submissions, workers
from kiosk.drafts import Draft
from kiosk.language import choices as language_choices
from kiosk.rendering import render
from sync.problems import UNKNOWN_FORM, UNKNOWN_QUESTION, Problem
from sync.responses import is_htmx


class StartAgain(Exception):
    """This browser has no draft of the form (a new visitor, or the form was sent):
    the app answers with a redirect to the form's start page."""

    def __init__(self, form_id: str) -> None:
        super().__init__(form_id)
        self.url = f"/forms/{form_id}"


@dataclass(frozen=True)
class Journey:
    """A citizen part-way through a form, and the pages their answers lead to."""

    definition: FormDefinition
    session: sessions.Session
    draft: Draft
    pages: list[Page]
    position: int = 0

    @property
    def language(self) -> str:
        return self.session.language

    @property
    def total(self) -> int:
        return len(self.pages)

    @property
    def back_url(self) -> str:
        if self.position <= 0 or not self.pages:
            return f"/forms/{self.definition.id}"
        return screens.question_url(self.definition, self.pages[self.position - 1].key)

    def at(self, key: str) -> Journey:
        """The journey standing on page ``key``; ``unknown_question`` if no such page."""
        for index, page in enumerate(self.pages):
            if page.key == key:
                return replace(self, position=index)
        raise Problem(UNKNOWN_QUESTION, question=key)

    @property
    def page(self) -> Page:
        return self.pages[self.position]

    def following(self) -> Page | None:
        """The page after this one in the journey as the answers now stand."""
        index = self.position + 1
        return self.pages[index] if index < len(self.pages) else None


def _db(request: Request) -> sqlite3.Connection:
    return request.app.state.db


def _definition(request: Request) -> FormDefinition:
    form_id = request.path_params["form_id"]
    definition = request.app.state.versions.current.get(form_id)
    if definition is None:
        raise Problem(UNKNOWN_FORM, form=form_id)
    return definition


def current_journey(request: Request) -> Journey:
    """The citizen's draft of the form in the path, with the version it started on."""
    definition = _definition(request)
    session = sessions.current(_db(request), request)
    draft = session and drafts.load(_db(request), session.id, definition.id)
    if not session or not draft:
        raise StartAgain(definition.id)
    definition = request.app.state.versions.get(definition.id, draft.form_version) or definition
    return Journey(definition, session, draft, pages(definition, draft.answers, date.today()))


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def home(request: Request) -> Response:
    language = sessions.language(request)
    services = [
        {
            "id": definition.id,
            "title": definition.title.get(language, definition.default_language),
            "description": definition.description.get(language, definition.default_language),
            "language": screens.form_language(definition, language),
        }
        for definition in sorted(request.app.state.versions.current.values(), key=lambda d: d.id)
    ]
    context = {"language": language, "services": services, "back": "/"}
    return render(request, "home.html", {**context, "languages": language_choices()})


async def start_page(request: Request) -> Response:
    definition = _definition(request)
    page = screens.context(definition, sessions.language(request))
    return render(request, "start.html", {**page, "definition": definition})


async def start(request: Request) -> Response:
    """Begin (or carry on with) this session's draft of the form."""
    definition = _definition(request)
    db = _db(request)
    session = sessions.current(db, request)
    cookie = None
    if session is None:
        cookie, session = sessions.start(db, request.app.state.settings.language)
    draft = drafts.begin(db, session.id, definition.id, definition.version)
    first = pages(definition, draft.answers, date.today())
    target = (
        screens.question_url(definition, first[0].key) if first else screens.check_url(definition)
    )
    response = _see_other(target)
    if cookie:
        sessions.remember(response, cookie)
    return response


async def question(request: Request) -> Response:
    journey = current_journey(request).at(request.path_params["key"])
    page = journey.page
    if page.asks_for_more:
        return screens.more_page(request, journey.definition, journey, page, None)
    stored = {
        slot.key: screens.shown(slot.field, get(journey.draft.answers, slot)) for slot in page.slots
    }
    return screens.question_page(request, journey.definition, journey, page, stored, {})


async def answer(request: Request) -> Response:
    journey = current_journey(request).at(request.path_params["key"])
    form = await request.form()
    if journey.page.asks_for_more:
        return _more(request, journey, form.get("answer"))
    typed = screens.raw(journey.page, form)
    parsed, problems = check_page(
        journey.definition, journey.page, typed, journey.draft.answers, date.today()
    )
    if not problems:  # a case number: the case fills the questions (or is not known here)
        types = request.app.state.case_types
        problems = cases.learn(
            _db(request), types, journey.definition, journey.page, parsed, journey.draft.answers
        )
    if problems:
        again = {
            slot.key: typed.get(slot.key)
            if slot.key in problems
            else screens.shown(slot.field, parsed.get(slot.key))
            for slot in journey.page.slots
        }
        response = screens.question_page(
            request, journey.definition, journey, journey.page, again, problems, 422
        )
        response.headers["hx-push-url"] = "false"
        return response
    for slot in journey.page.slots:
        put(journey.draft.answers, slot, parsed[slot.key])
    return _saved(request, journey)


def _more(request: Request, journey: Journey, said: Any) -> Response:
    """The answer to "add another?": yes opens a new instance, no moves on."""
    if said not in ("yes", "no"):
        gettext = locales.translations(journey.language).gettext
        error = gettext("Choose yes or no")
        response = screens.more_page(request, journey.definition, journey, journey.page, error, 422)
        response.headers["hx-push-url"] = "false"
        return response
    assert journey.page.repeat is not None
    more(journey.draft.answers, journey.page.repeat, said == "yes")
    return _saved(request, journey)


def _saved(request: Request, journey: Journey) -> Response:
    """Store the draft, work out calculations, and go on to the next page."""
    definition, today = journey.definition, date.today()
    calculate(definition, journey.draft.answers, today)
    drafts.save(_db(request), journey.draft)
    moved = replace(journey, pages=pages(definition, journey.draft.answers, today))
    following = _after(moved, journey)
    if following is None or (request.query_params.get("change") and not journey.page.asks_for_more):
        return _advance(request, moved, None)
    return _advance(request, moved.at(following.key), following)


def _after(moved: Journey, journey: Journey) -> Page | None:
    """The page after the one just answered, in the pages the new answers lead to. When
    the answer took its own page away ("no more people"), the page now in its place."""
    keys = [page.key for page in moved.pages]
    if journey.page.key in keys:
        return moved.at(journey.page.key).following()
    index = journey.position
    return moved.pages[index] if index < len(moved.pages) else None


def _advance(request: Request, journey: Journey, following: Page | None) -> Response:
    """To the next page (or to check answers when ``following`` is None).

    Without JavaScript: a 303 redirect. With htmx: the next screen in this same response,
    saving a round trip, with ``HX-Push-Url`` so that the address bar follows.
    """
    definition = journey.definition
    if following is None:
        url = screens.check_url(definition)
    else:
        url = screens.question_url(definition, following.key)
    if not is_htmx(request):
        return _see_other(url)
    if following is None:
        response = screens.check_page(request, definition, _at_end(journey), {})
    elif following.asks_for_more:
        response = screens.more_page(request, definition, journey, following, None)
    else:
        stored = {
            s.key: screens.shown(s.field, get(journey.draft.answers, s)) for s in following.slots
        }
        response = screens.question_page(request, definition, journey, following, stored, {})
    response.headers["hx-push-url"] = url
    return response


def _at_end(journey: Journey) -> Journey:
    return replace(journey, position=len(journey.pages))


async def check(request: Request) -> Response:
    journey = _at_end(current_journey(request))
    return screens.check_page(request, journey.definition, journey, {})


async def submit(request: Request) -> Response:
    journey = _at_end(current_journey(request))
    today = date.today()
    left = problems(journey.definition, journey.draft.answers, today)
    worker = workers.current(_db(request), request)
    consented = worker is None or (await request.form()).get("consent") == "yes"
    sent = replace(journey.draft, answers=final(journey.definition, journey.draft.answers, today))
    types, answers = request.app.state.case_types, journey.draft.answers
    case, unknown = cases.edit(
        _db(request), types, journey.definition, answers, sent.answers, journey.pages
    )
    left = left or unknown  # the case its number names is no longer known here
    if left or not consented:
        response = screens.check_page(
            request, journey.definition, journey, left, 422, consent_missing=not consented
        )
        response.headers["hx-push-url"] = "false"
        return response
    kiosk_code = request.app.state.identity.code
    assisted = workers.assistance(worker, journey.language) if worker else None
    actor = f"worker:{worker.id}" if worker else None
    submission = submissions.submit(
        _db(request), kiosk_code, sent, journey.language, assisted, case, actor
    )
    request.app.state.kick()
    printer = request.app.state.devices.printer
    await receipts.print_receipt(
        _db(request), printer, submission, journey.definition, journey.language
    )
    return _see_other(f"/receipts/{submission.reference}")


async def finish(request: Request) -> Response:
    """ "Finish" (after the receipt) or the end of an idle countdown: wipe the session now."""
    session = sessions.current(_db(request), request)
    if session is not None:
        sessions.wipe(_db(request), session.id)
    response = _see_other("/")
    sessions.forget(response)
    return response
