"""The one catalogue of problems: stable codes, HTTP statuses and messages.

Messages are gettext message ids with ``{named}`` details; each web app renders a
problem in the reader's language as a full page, an htmx fragment or JSON
(see :mod:`sync.responses`). Nothing else in the code base invents an error message
for a request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the gettext marker Babel extracts
    return message


@dataclass(frozen=True)
class Kind:
    code: str
    status: int
    message: str


CATALOGUE: dict[str, Kind] = {}


def _kind(code: str, status: int, message: str) -> Kind:
    kind = Kind(code, status, message)
    CATALOGUE[code] = kind
    return kind


NOT_FOUND = _kind("not_found", 404, N_("There is nothing at this address."))
METHOD_NOT_ALLOWED = _kind("method_not_allowed", 405, N_("This address does not accept that."))
TOO_LARGE = _kind(
    "body_too_large", 413, N_("What was sent is too large (the limit is {limit} bytes).")
)
MALFORMED_BODY = _kind("malformed_body", 400, N_("What was sent could not be read: {reason}."))
CSRF_FAILED = _kind(
    "csrf_failed", 403, N_("This page was open for too long. Go back to the start and try again.")
)
UNKNOWN_FORM = _kind("unknown_form", 404, N_("There is no service called “{form}”."))
UNKNOWN_QUESTION = _kind("unknown_question", 404, N_("This service has no question “{question}”."))
UNKNOWN_SUBMISSION = _kind(
    "unknown_submission", 404, N_("No submission has the reference “{reference}”.")
)
MALFORMED_BATCH = _kind("malformed_batch", 400, N_("The sync batch is malformed: {reason}."))
SEQUENCE_GAP = _kind(
    "sequence_gap", 409, N_("The batch starts at change {first}, but central expected {expected}.")
)
TOKEN_MISSING = _kind("token_missing", 401, N_("This request needs a kiosk token."))
TOKEN_INVALID = _kind("token_invalid", 401, N_("This kiosk token is not valid."))
ENROLL_INVALID = _kind(
    "enrollment_invalid", 403, N_("That enrollment code is not valid, has expired or was used.")
)
SIGN_IN_REQUIRED = _kind("sign_in_required", 401, N_("Sign in to see this page."))
SIGN_IN_FAILED = _kind("sign_in_failed", 401, N_("That email address and password do not match."))
SPEECH_UNAVAILABLE = _kind(
    "speech_unavailable", 503, N_("Reading aloud is not working at the moment.")
)
NOT_ENROLLED = _kind(
    "not_enrolled",
    400,
    N_(
        "This card has no kiosk identity. Ask central staff for a new enrollment code"
        " (fieldkiosk central reenroll NAME) and give it with --enroll CODE."
    ),
)
FORBIDDEN = _kind("forbidden", 403, N_("Your role does not allow this."))
INVALID_QUERY = _kind(
    "invalid_query", 400, N_("The “{name}” in the address is not valid: {reason}.")
)
CENTRAL_UNREACHABLE = _kind(
    "central_unreachable", 503, N_("Central at {url} could not be reached: {reason}.")
)
CENTRAL_REFUSED = _kind(
    "central_refused", 502, N_("Central at {url} refused the request: {reason}.")
)
KIOSK_NAME_TAKEN = _kind("kiosk_name_taken", 409, N_("There is already a kiosk called “{name}”."))
USER_EXISTS = _kind("user_exists", 409, N_("There is already a user with the email {email}."))
ALREADY_ENROLLED = _kind(
    "already_enrolled", 409, N_("This kiosk is already enrolled, as {name} ({code}).")
)
KIOSK_INVALID = _kind("kiosk_invalid", 400, N_("That kiosk cannot be added: {reason}."))
USER_INVALID = _kind("user_invalid", 400, N_("That user cannot be added: {reason}."))
REPLICA_MISSING = _kind("replica_missing", 404, N_("No backup was found at {url}."))
DATABASE_EXISTS = _kind(
    "database_exists", 409, N_("{path} already exists: a restore never overwrites a database.")
)
RESTORE_FAILED = _kind("restore_failed", 502, N_("Restoring from {url} failed: {reason}."))
RESTORED_CORRUPT = _kind(
    "restored_corrupt", 500, N_("The copy restored from {url} is damaged: {reason}.")
)
REPLICATION_UNAVAILABLE = _kind(
    "replication_unavailable", 503, N_("Litestream could not be asked to sync: {reason}.")
)


class Problem(Exception):
    """A request that cannot be served, for a reason its sender can act on."""

    def __init__(self, kind: Kind, **details: Any) -> None:
        super().__init__(kind.code)
        self.kind = kind
        self.details = details

    @property
    def status(self) -> int:
        return self.kind.status

    def text(self, gettext: Callable[[str], str] = str) -> str:
        return gettext(self.kind.message).format(**self.details)

    def as_json(self, gettext: Callable[[str], str] = str) -> dict[str, Any]:
        return {"code": self.kind.code, "message": self.text(gettext), "details": self.details}


def from_status(status: int) -> Problem:
    """The problem to show for a bare HTTP error raised by routing."""
    if status == 405:
        return Problem(METHOD_NOT_ALLOWED)
    return Problem(NOT_FOUND)
