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
TOKEN_REVOKED = _kind("token_revoked", 401, N_("This kiosk has been revoked by an administrator."))
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
SIGN_IN_LOCKED = _kind(
    "sign_in_locked",
    429,
    N_(
        "Signing in with this email address is paused after too many wrong passwords."
        " Try again after {until}."
    ),
)
DECISION_MISSING = _kind(
    "decision_missing", 400, N_("Choose a decision: has issues, approved or rejected.")
)
COMMENT_REQUIRED = _kind(
    "comment_required",
    400,
    N_(
        "Write a comment for the citizen: it is needed when a submission has issues or is rejected."
    ),
)
COMMENT_TOO_LONG = _kind(
    "comment_too_long", 400, N_("The comment is too long: it can have at most {limit} characters.")
)
REVIEW_OUTDATED = _kind(
    "review_outdated",
    409,
    N_(
        "Someone else decided on this submission while you had it open. Read their decision,"
        " then save yours again."
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
WORKER_EXISTS = _kind(
    "worker_exists", 409, N_("There is already a community worker called “{name}”.")
)
WORKER_INVALID = _kind(
    "worker_invalid", 400, N_("That community worker cannot be added: {reason}.")
)
UNKNOWN_WORKER = _kind("unknown_worker", 404, N_("There is no community worker called “{name}”."))
UNKNOWN_KIOSK = _kind("unknown_kiosk", 404, N_("There is no kiosk called “{name}”."))
KIOSK_REVOKED = _kind(
    "kiosk_revoked",
    409,
    N_("Kiosk {code} ({name}) was revoked: it cannot be enrolled again. Add a new kiosk instead."),
)
CODE_RENEWED = _kind(
    "code_renewed",
    409,
    N_(
        "Kiosk {code} was given a new enrollment code after this page was opened. Go back"
        " to the kiosks and ask for another only if it still needs one."
    ),
)
REVOKE_REASON_INVALID = _kind(
    "revoke_reason_invalid", 400, N_("Say why the kiosk is revoked, in 1 to {limit} characters.")
)
FORM_INVALID = _kind("form_invalid", 400, N_("That form cannot be published: {reason}."))
LIST_INVALID = _kind("list_invalid", 400, N_("That reference list cannot be published: {reason}."))
SETTING_INVALID = _kind("setting_invalid", 400, N_("That setting cannot be published: {reason}."))
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
# A supervisor's decisions on conflicts and duplicates ({field} is the field's label).
CASE_CHANGED = _kind(
    "case_changed",
    409,
    N_("This case changed while you were deciding. Check the values again, then decide."),
)
NOTHING_DECIDED = _kind("nothing_decided", 400, N_("Choose a value for at least one field."))
VALUE_MISSING = _kind(
    "value_missing", 400, N_("Type the other value for “{field}”, or choose one of the values.")
)
VALUE_NOT_WHOLE_NUMBER = _kind(
    "value_not_whole_number", 400, N_("“{field}” must be a whole number, like 4.")
)
VALUE_NOT_NUMBER = _kind("value_not_number", 400, N_("“{field}” must be a number, like 2.5."))
VALUE_NOT_DATE = _kind(
    "value_not_date", 400, N_("“{field}” must be a real date written year-month-day.")
)
VALUE_TOO_LONG = _kind("value_too_long", 400, N_("“{field}” must be {max} characters or fewer."))
DUPLICATE_DECIDED = _kind(
    "duplicate_decided", 409, N_("Someone has already decided about these two records.")
)
SURVIVOR_INVALID = _kind("survivor_invalid", 400, N_("Choose which of the two records to keep."))


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
