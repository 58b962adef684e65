"""The wire format between the sync agent and central (described in ``PROTOCOL.md``).

Pydantic models of each message, the canonical form a change is fingerprinted in, and
gzip helpers that refuse to inflate a body past a limit (a zip bomb is a 413, not an
out-of-memory kill).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import uuid
import zlib
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from sync import clock, hlc, reference
from sync.problems import MALFORMED_BATCH, MALFORMED_BODY, TOO_LARGE, Problem

VERSION = 1
PUSH_PATH = "/api/v1/sync/push"
STATUS_PATH = "/api/v1/sync/status"
STATE_PATH = "/api/v1/sync/state"
MAX_STATUS_BYTES = 64 * 1024
ENROLL_PATH = "/api/v1/enroll"
MAX_ERRORS_NAMED = 3


def _timestamp(text: str) -> str:
    clock.parse(text)
    return text


def _uuid7(text: str) -> str:
    value = uuid.UUID(text)
    if value.version != 7 or str(value) != text:
        raise ValueError("must be a UUIDv7 in lowercase hyphenated form")
    return text


def _reference(text: str) -> str:
    if reference.normalise(text) != text:
        raise ValueError("must be a reference in canonical form, like K01-00042-X")
    return text


def _finite(answers: dict[str, Any]) -> dict[str, Any]:
    """JSON has no NaN or infinity; refuse the numbers Python's parser lets through."""
    stack: list[Any] = [answers]
    while stack:
        value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("numbers must be finite")
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return answers


def _hlc(text: str) -> str:
    hlc.parse(text)
    return text


Timestamp = Annotated[str, Field(max_length=40), AfterValidator(_timestamp)]
Hlc = Annotated[str, Field(max_length=60), AfterValidator(_hlc)]
#: Who made a change: ``kiosk:K01``, ``worker:<id>`` (a community worker at a kiosk),
#: ``staff:<id>`` (a person at central), ``central`` (central itself, e.g. a merge).
Actor = Annotated[str, Field(max_length=100, pattern=r"^[a-z]+(:[A-Za-z0-9_.@-]+)?$")]
Uuid7 = Annotated[str, Field(max_length=36), AfterValidator(_uuid7)]
Reference = Annotated[str, Field(max_length=40), AfterValidator(_reference)]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Language = Annotated[str, Field(min_length=2, max_length=35)]


class Assistance(Message):
    """Who helped the citizen fill the form in, and the citizen's consent to that help,
    given in the citizen's own language before sending."""

    worker_id: Uuid7
    worker_name: Annotated[str, Field(min_length=1, max_length=100)]
    consent_given_at: Timestamp
    consent_language: Language


class SubmissionPayload(Message):
    """``submission.create``: one citizen's finished form (``assisted`` only when a
    community worker was signed in)."""

    id: Uuid7
    reference: Reference
    form_id: Name
    form_version: Annotated[str, Field(min_length=1, max_length=40)]
    language: Language
    answers: Annotated[dict[Name, JsonValue], AfterValidator(_finite)]
    submitted_at: Timestamp
    assisted: Assistance | None = None


class Record(Message):
    """The record a change is about: a submission, a feedback, a case of some type."""

    type: Name
    id: Uuid7


class FieldChange(Message):
    """One field of a patch: the value the change was made against, and the new one."""

    old: JsonValue = None
    new: JsonValue = None


Patch = Annotated[dict[Name, FieldChange], Field(max_length=500)]


class Envelope(Message):
    """What every change carries, whatever its kind."""

    id: Uuid7
    seq: Annotated[int, Field(ge=1)]
    created_at: Timestamp
    hlc: Hlc
    actor: Actor
    record: Record
    #: The record's version the change was made against; 0 when it creates the record.
    base_version: Annotated[int, Field(ge=0)] = 0
    patch: Patch | None = None

    def _creates(self, record_type: str, record_id: str) -> None:
        if self.record.type != record_type or self.record.id != record_id:
            raise ValueError(f"record must be {{type: {record_type}, id: payload.id}}")
        if self.base_version != 0 or self.patch is not None:
            raise ValueError("a change that creates a record has base_version 0 and no patch")


class SubmissionCreate(Envelope):
    kind: Literal["submission.create"]
    payload: SubmissionPayload

    @model_validator(mode="after")
    def _record(self) -> SubmissionCreate:
        self._creates("submission", self.payload.id)
        return self


RATINGS = (1, 2, 3, 4, 5)  # very bad, bad, neither, good, very good
MAX_COMMENT = 2000


class FeedbackPayload(Message):
    """``feedback.create``: a citizen's optional rating and comment after their receipt,
    about the service of the submission it names."""

    id: Uuid7
    submission_id: Uuid7
    reference: Reference
    form_id: Name
    language: Language
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    comment: Annotated[str, Field(max_length=MAX_COMMENT)] = ""
    given_at: Timestamp

    @model_validator(mode="after")
    def _something(self) -> FeedbackPayload:
        if self.rating is None and not self.comment.strip():
            raise ValueError("feedback needs a rating or a comment")
        return self


class FeedbackCreate(Envelope):
    kind: Literal["feedback.create"]
    payload: FeedbackPayload

    @model_validator(mode="after")
    def _record(self) -> FeedbackCreate:
        self._creates("feedback", self.payload.id)
        return self


class CasePayload(Message):
    """``case.update``: which submission (if any) the case change came from."""

    submission_id: Uuid7 | None = None
    reference: Reference | None = None
    form_id: Name | None = None


class CaseUpdate(Envelope):
    """Creates (``base_version`` 0) or updates a case: a household, a person, a request.
    ``record.type`` is the case type; ``patch`` holds each field's old and new value."""

    kind: Literal["case.update"]
    payload: CasePayload = CasePayload()

    @model_validator(mode="after")
    def _patched(self) -> CaseUpdate:
        if not self.patch:
            raise ValueError("patch: a case change must change at least one field")
        return self


AnyChange = SubmissionCreate | FeedbackCreate | CaseUpdate
#: Every kind a change can have, told apart by ``kind``.
WireChange = Annotated[AnyChange, Field(discriminator="kind")]
PAYLOADS: dict[str, type[Message]] = {
    "submission.create": SubmissionPayload,
    "feedback.create": FeedbackPayload,
    "case.update": CasePayload,
}


class PushRequest(Message):
    protocol: Literal[1]
    kiosk_id: Uuid7
    changes: Annotated[list[WireChange], Field(min_length=1, max_length=5000)]

    @model_validator(mode="after")
    def _contiguous(self) -> PushRequest:
        for before, after in zip(self.changes, self.changes[1:], strict=False):
            if after.seq != before.seq + 1:
                raise ValueError(f"changes: seq {after.seq} does not follow {before.seq}")
        if len({change.id for change in self.changes}) != len(self.changes):
            raise ValueError("changes: the same change id appears twice")
        return self


Status = Literal["applied", "duplicate", "refused"]


class Result(Message):
    id: str
    status: Status
    reason: str | None = None


class PushResponse(Message):
    acked_through: int
    results: list[Result]


class EnrollRequest(Message):
    code: Annotated[str, Field(min_length=1, max_length=64)]


class EnrollResponse(Message):
    kiosk_id: str
    code: str
    name: str
    token: str


_CHANGE: TypeAdapter[AnyChange] = TypeAdapter(WireChange)


def check_change(change: dict[str, Any]) -> AnyChange:
    """The change as central will read it; ValueError naming what central would refuse."""
    kind = change.get("kind")
    if kind not in PAYLOADS:
        raise ValueError(f"kind: unknown change kind {kind!r}")
    try:
        return _CHANGE.validate_python(change)
    except ValidationError as error:
        raise ValueError(f"{kind}: {describe(error)}") from None


def fingerprint(change: AnyChange) -> str:
    """SHA-256 of the change's canonical JSON: same content, same fingerprint. Optional
    fields the kiosk did not send are left out, so a field added to the protocol later
    does not change the fingerprint of changes made before it."""
    data = change.model_dump(mode="json", exclude_unset=True)
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def encode(message: BaseModel | dict[str, Any]) -> bytes:
    """gzip'd canonical JSON of ``message``."""
    data = message.model_dump(mode="json") if isinstance(message, BaseModel) else message
    return gzip.compress(canonical(data).encode(), compresslevel=6)


def inflate(body: bytes, encoding: str | None, limit: int) -> bytes:
    """The body as sent before compression, refused once it would pass ``limit`` bytes."""
    encoding = (encoding or "identity").strip().lower()
    if encoding == "identity":
        if len(body) > limit:
            raise Problem(TOO_LARGE, limit=limit)
        return body
    if encoding != "gzip":
        raise Problem(MALFORMED_BATCH, reason=f"unsupported Content-Encoding {encoding!r}")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error:
        raise Problem(MALFORMED_BATCH, reason="the body is not valid gzip") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise Problem(TOO_LARGE, limit=limit)
    if not inflater.eof:
        raise Problem(MALFORMED_BATCH, reason="the gzip stream is truncated")
    if inflater.unused_data:
        raise Problem(MALFORMED_BATCH, reason="there is data after the gzip stream")
    return data


class DeviceHealth(Message):
    """One device as the kiosk sees it (``hardware.faults.Health.as_json``)."""

    device: Name
    backend: str = Field(max_length=100)
    ok: bool
    fault: dict[str, str] | None = None


class OutboxState(Message):
    pending: int = Field(ge=0)
    oldest_pending: str | None = Field(None, max_length=40)


class ReplicationState(Message):
    """How far the kiosk's Litestream replica is behind (None: Litestream not answering)."""

    lag_seconds: float | None = Field(None, ge=0)


class KioskStatus(Message):
    """``POST /api/v1/sync/status``: the kiosk's heartbeat, sent after every drain."""

    protocol: Literal[1] = 1
    software: str = Field(max_length=40)
    outbox: OutboxState
    devices: list[DeviceHealth] = Field(default_factory=list, max_length=20)
    replication: ReplicationState | None = None


class SyncState(Message):
    """``GET /api/v1/sync/state``: what central holds from the asking kiosk, so that a kiosk
    restored from an older replica continues after it instead of reusing numbers."""

    high_water: int = Field(ge=0)
    last_reference: int = Field(ge=0)


def parse_status(body: bytes) -> KioskStatus:
    """A validated heartbeat, or a ``malformed_body`` problem."""
    if len(body) > MAX_STATUS_BYTES:
        raise Problem(TOO_LARGE, limit=MAX_STATUS_BYTES)
    try:
        return KioskStatus.model_validate_json(body)
    except ValidationError as error:
        raise Problem(MALFORMED_BODY, reason=describe(error)) from None


def parse_push(body: bytes, encoding: str | None, limit: int) -> PushRequest:
    """A validated push request, or a ``malformed_batch``/``body_too_large`` problem."""
    try:
        return PushRequest.model_validate_json(inflate(body, encoding, limit))
    except ValidationError as error:
        raise Problem(MALFORMED_BATCH, reason=describe(error)) from None


def describe(error: ValidationError) -> str:
    """The first few problems of ``error``, one ``where: what`` each, for a message."""
    parts = []
    for item in error.errors(include_url=False)[:MAX_ERRORS_NAMED]:
        where = ".".join(str(part) for part in item["loc"])
        message = "not valid JSON" if item["type"] == "json_invalid" else item["msg"]
        parts.append(f"{where}: {message}" if where else message)
    more = error.error_count() - MAX_ERRORS_NAMED
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def parse_response(data: bytes) -> PushResponse:
    """Central's answer to a push; ValueError when it is not one."""
    try:
        return PushResponse.model_validate_json(data)
    except ValidationError as error:
        raise ValueError(describe(error)) from None
