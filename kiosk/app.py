"""The kiosk application: routes, middleware, and the sync agent started with it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from asgi_csrf import asgi_csrf
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Scope, Send

import locales
from forms.cases import load_case_types
from forms.library import load_directory
from kiosk import (
    assist,
    display,
    health,
    language,
    pages,
    receipt_page,
    resume,
    scanning,
    sessions,
    speech,
    status,
)
from kiosk.devices import light_follows_sync, open_devices
from kiosk.migrations import DATABASE, open_database
from kiosk.published import FollowCentral, Published
from kiosk.rendering import environment, render
from kiosk.restore import UNFINISHED
from kiosk.scanning import Scans
from kiosk.settings import KioskSettings
from kiosk.versions import Versions
from sync import identity, keyfile, outbox
from sync.agent import Agent
from sync.assets import Assets
from sync.middleware import BodyLimit, SecurityHeaders
from sync.problems import CSRF_FAILED, Problem, from_status
from sync.responses import json_problem, wants_json

STATIC = Path(__file__).parent / "static"


class NotReady(Exception):
    """The kiosk cannot serve citizens yet: not enrolled, or a restore is unfinished."""


def problem_response(request: Request, problem: Problem) -> Response:
    """A problem in the reader's language: JSON for the API, a page or fragment otherwise."""
    if wants_json(request):
        return json_problem(problem)
    language = sessions.language(request)
    message = problem.text(locales.translations(language).gettext)
    return render(
        request, "problem.html", {"language": language, "message": message}, problem.status
    )


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return problem_response(request, from_status(exc.status_code))


async def _on_start_again(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, pages.StartAgain)
    return RedirectResponse(exc.url, status_code=303)


async def _csrf_failed(scope: Scope, send: Send, message_id: Any) -> None:
    async def nothing() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    response = problem_response(Request(scope), Problem(CSRF_FAILED))
    await response(scope, nothing, send)


def _routes() -> list[Any]:
    return [
        Route("/", pages.home),
        Route("/healthz", health.healthz),
        Route("/language", language.chooser),
        Route("/language", language.choose, methods=["POST"]),
        Route("/display", display.change, methods=["POST"]),
        Route("/forms/{form_id}", pages.start_page),
        Route("/forms/{form_id}/start", pages.start, methods=["POST"]),
        Route("/forms/{form_id}/questions/{key}", pages.question),
        Route("/forms/{form_id}/questions/{key}", pages.answer, methods=["POST"]),
        Route("/forms/{form_id}/questions/{key}/audio", speech.question_audio),
        Route("/forms/{form_id}/check", pages.check),
        Route("/forms/{form_id}/submit", pages.submit, methods=["POST"]),
        Route("/finish", pages.finish, methods=["POST"]),
        Route("/assist", assist.sign_in_form),
        Route("/assist", assist.sign_in, methods=["POST"]),
        Route("/assist/sign-out", assist.sign_out, methods=["POST"]),
        Route("/forms/{form_id}/save", resume.save, methods=["POST"]),
        Route("/resume", resume.resume_form),
        Route("/resume", resume.resume, methods=["POST"]),
        Route("/status", status.status),
        Route("/status/scanned", scanning.scanned),
        Route("/receipts/{reference}", receipt_page.receipt),
        Route("/receipts/{reference}/print", receipt_page.print_again, methods=["POST"]),
        Route("/receipts/{reference}/feedback", receipt_page.give_feedback, methods=["POST"]),
        Route("/receipts/{reference}/code.svg", receipt_page.receipt_code),
        Mount("/static", Assets(directory=STATIC), name="static"),
    ]


def create_app(settings: KioskSettings) -> Starlette:
    """The kiosk app over ``settings.data``; raises :class:`NotReady` before enrollment."""
    settings.data.mkdir(parents=True, exist_ok=True)
    me = identity.configured(settings)
    if me is None:
        raise NotReady(f"{settings.data} holds no kiosk identity: start once with --enroll CODE")
    if (settings.data / UNFINISHED).exists():
        raise NotReady(
            f"the restore of {settings.data} is unfinished: run fieldkiosk restore again"
        )
    database = settings.data / DATABASE
    db = open_database(settings.data)
    outbox.set_node(db, me.code)
    devices = open_devices(settings)
    scans = Scans(devices.scanner)
    agent = (
        None
        if settings.no_sync
        else Agent(settings, me, database, report=lambda: [h.as_json() for h in devices.health()])
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if agent:
            agent.start()
        scans.start()
        async with light_follows_sync(devices, agent):
            yield
        scans.stop()
        if agent:
            agent.stop()

    secret = keyfile.secret(settings.data / "csrf.key")
    app = Starlette(
        routes=_routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=500),
            Middleware(BodyLimit, limit=settings.max_body, respond=problem_response),
            Middleware(asgi_csrf, signing_secret=secret, send_csrf_failed=_csrf_failed),
            Middleware(FollowCentral),
        ],
        exception_handlers={
            Problem: _on_problem,
            HTTPException: _on_http,
            pages.StartAgain: _on_start_again,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.identity = me
    app.state.db = db
    app.state.templates = environment()
    files = load_directory(settings.forms)
    app.state.case_types = load_case_types(settings.forms)
    app.state.versions = Versions(db)  # filled by follow(), with the lists written in
    app.state.published = Published(app.state, files)
    app.state.published.follow()  # forms and settings central published, in effect
    app.state.versions.prune()
    resume.prune(db)
    app.state.agent = agent
    app.state.devices = devices
    app.state.scans = scans
    app.state.kick = agent.kick if agent else lambda: None
    return app
