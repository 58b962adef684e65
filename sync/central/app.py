"""Central's web app: routes, middleware and the one problem handler, wired together."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import uvicorn
from asgi_csrf import asgi_csrf
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.types import Scope

from forms.library import load_directory
from sync import feed_items, keyfile, protocol
from sync.assets import Assets
from sync.central import (
    api,
    audit_pages,
    case_types,
    deduplication,
    fleet_pages,
    pages,
    reconciliation,
    storage,
    submission_pages,
)
from sync.central.access import SIGN_IN_PATH
from sync.central.rendering import STATIC, csrf_failed, handle, render_problem
from sync.central.state import Central
from sync.middleware import BodyLimit, SecurityHeaders
from sync.problems import Problem
from sync.settings import CentralSettings

SESSION_COOKIE = "fieldkiosk_central"
CSRF_COOKIE = "fieldkiosk_csrf"
#: Kiosks authenticate with a code or a bearer token, never a cookie: CSRF cannot apply.
KIOSK_PATHS = (protocol.ENROLL_PATH, protocol.PUSH_PATH, feed_items.PULL_PATH)


def routes() -> list[Route | Mount]:
    return [
        Route("/", pages.home),
        Route(SIGN_IN_PATH, pages.sign_in_form, methods=["GET"]),
        Route(SIGN_IN_PATH, pages.sign_in, methods=["POST"]),
        Route("/sign-out", pages.sign_out, methods=["POST"]),
        Route("/submissions", submission_pages.submission_list),
        Route("/submissions/{reference}", submission_pages.submission_detail),
        Route("/submissions/{reference}/review", submission_pages.review, methods=["POST"]),
        Route("/audit", audit_pages.audit_log),
        Route(protocol.ENROLL_PATH, api.enroll, methods=["POST"]),
        Route(protocol.PUSH_PATH, api.push, methods=["POST"]),
        Route(protocol.STATUS_PATH, api.status, methods=["POST"]),
        Route(protocol.STATE_PATH, api.state),
        Route(feed_items.PULL_PATH, api.pull),
        Route("/kiosks", fleet_pages.kiosk_list, methods=["GET"]),
        Route("/kiosks", fleet_pages.add, methods=["POST"]),
        Route("/kiosks/{code}/new-code", fleet_pages.new_code, methods=["POST"]),
        Route("/kiosks/{code}/revoke", fleet_pages.revoke_form, methods=["GET"]),
        Route("/kiosks/{code}/revoke", fleet_pages.revoke, methods=["POST"]),
        Route("/feedback", pages.feedback_page),
        Route("/conflicts", reconciliation.conflict_list),
        Route("/conflicts/{conflict_id:int}", reconciliation.conflict_detail),
        Route("/cases/{case_id}", reconciliation.case_detail),
        Route("/cases/{case_id}/resolve", reconciliation.case_resolve, methods=["POST"]),
        Route("/duplicates", deduplication.duplicate_list),
        Route(
            "/duplicates/{duplicate_id:int}/merge", deduplication.duplicate_merge, methods=["POST"]
        ),
        Route(
            "/duplicates/{duplicate_id:int}/dismiss",
            deduplication.duplicate_dismiss,
            methods=["POST"],
        ),
        Route("/api/v1/submissions", api.submission_list),
        Route("/api/v1/submissions/{reference}", api.submission_detail),
        Route("/healthz", api.healthz),
        Mount("/static", Assets(directory=STATIC), name="static"),
    ]


def create_app(settings: CentralSettings) -> Starlette:
    """Central, with its database migrated and its secrets in ``settings.data``."""
    data = Path(settings.data)
    storage.open_database(data).close()
    case_types.register(data, settings.forms)
    secure = not (settings.insecure_cookies or _is_loopback(settings.host))
    app = Starlette(
        routes=routes(),
        middleware=_middleware(settings, data, secure),
        exception_handlers={Problem: handle, HTTPException: handle},
    )
    app.state.central = Central(settings, load_directory(settings.forms))
    return app


def _middleware(settings: CentralSettings, data: Path, secure: bool) -> list[Middleware]:
    return [
        Middleware(SecurityHeaders),
        Middleware(BodyLimit, limit=settings.max_body, respond=render_problem),
        Middleware(
            asgi_csrf,
            cookie_name=CSRF_COOKIE,
            signing_secret=keyfile.secret(data / "csrf.key"),
            always_protect={SIGN_IN_PATH, "/sign-out"},
            skip_if_scope=_is_kiosk_request,
            cookie_secure=secure,
            cookie_samesite="Strict",
            send_csrf_failed=csrf_failed,
        ),
        Middleware(
            SessionMiddleware,
            secret_key=keyfile.secret(data / "session.key"),
            session_cookie=SESSION_COOKIE,
            max_age=settings.session_hours * 3600,
            same_site="strict",
            https_only=secure,
        ),
    ]


def _is_kiosk_request(scope: Scope) -> bool:
    return scope.get("path") in KIOSK_PATHS


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(settings: CentralSettings) -> None:
    """Run central on ``settings.host:settings.port`` until interrupted."""
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        server_header=False,
        access_log=False,
    )
