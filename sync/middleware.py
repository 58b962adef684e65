"""ASGI middleware both web apps wrap themselves in: security headers and a body limit."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.problems import TOO_LARGE, Problem

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# on every response: a script or stylesheet is never sniffed as something else, and the
# requests a stylesheet makes send no referrer
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
# only where something can be rendered as a document (pages, SVG, audio, JSON opened in a
# tab): a script or stylesheet is never one, so it goes without these 0.4 KB, and the first
# load of a kiosk page stays in its byte budget
DOCUMENT_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), geolocation=(), microphone=()",
}
SUBRESOURCES = ("text/javascript", "application/javascript", "text/css")


class SecurityHeaders:
    """Adds the Content-Security-Policy (no inline script, no inline style) and friends:
    :data:`SECURITY_HEADERS` on every response, :data:`DOCUMENT_HEADERS` on all but scripts
    and stylesheets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            # a 304 has no body for a policy to govern: the response it revalidates keeps
            # its own headers, and an unchanged pull stays a few hundred bytes
            if message["type"] == "http.response.start" and message["status"] != 304:
                headers = MutableHeaders(scope=message)
                document = not headers.get("content-type", "").startswith(SUBRESOURCES)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                for name, value in DOCUMENT_HEADERS.items() if document else ():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


Respond = Callable[[Request, Problem], Response]


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes, by declared length or as they stream in.

    The refusal is :data:`sync.problems.TOO_LARGE`, answered by ``respond`` (the app's own
    problem renderer) so that it comes in the reader's language and format.
    """

    def __init__(self, app: ASGIApp, limit: int, respond: Respond) -> None:
        self.app = app
        self.limit = limit
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = Problem(TOO_LARGE, limit=self.limit)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await self.respond(Request(scope), problem)(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise problem
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except Problem as raised:
            if raised is not problem or started:
                raise
            await self.respond(Request(scope), problem)(scope, receive, send)
