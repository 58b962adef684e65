"""Bundles: the sync messages carried on a USB stick when there is no network at all
(PROTOCOL.md, "Bundles (sneakernet)").

A bundle is gzip'd canonical JSON, ``{"bundle": 1, "type", "kiosk_id", "made_at", "body",
"signature"}``. A **push** bundle's body is a push request (its header adds the kiosk's
pull ``cursor``); a **return** bundle's body is ``{"ack": <push response>, "pull": <pull
response>}`` (its header adds the cursor the pull was made ``after``). ``signature`` is
HMAC-SHA256 over the canonical JSON of the rest, keyed with the SHA-256 of the kiosk's
token: the kiosk holds the token, central its SHA-256.

Files are written atomically (a temporary file, fsync, rename), so a stick pulled out
half-way holds the old file or none, never half a bundle.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, ValidationError, model_validator

from sync import clock, protocol
from sync.feed_items import PullResponse
from sync.problems import Problem
from sync.protocol import Message, PushRequest, PushResponse, Timestamp, Uuid7

VERSION = 1
SUFFIX = ".bundle"
#: Changes in one push bundle: as many as one push may carry.
MAX_CHANGES = 5000
#: Largest bundle read, compressed or inflated (a zip bomb stops here).
MAX_BYTES = 64 * 1024 * 1024
MAX_ERRORS_NAMED = 3
PRIVATE = 0o600

Signature = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class BundleError(Exception):
    """A bundle that cannot be used, said in words for the technician holding it."""


class PushBundle(Message):
    """Carried from a kiosk to central: the kiosk's pending changes."""

    bundle: Literal[1]
    type: Literal["push"]
    kiosk_id: Uuid7
    made_at: Timestamp
    #: The kiosk's pull cursor, where central starts the pull in the return bundle.
    cursor: Annotated[int, Field(ge=0)] = 0
    body: PushRequest
    signature: Signature

    @model_validator(mode="after")
    def _same_kiosk(self) -> PushBundle:
        if self.body.kiosk_id != self.kiosk_id:
            raise ValueError("body.kiosk_id is not the bundle's kiosk_id")
        return self


class ReturnBody(Message):
    ack: PushResponse
    pull: PullResponse


class ReturnBundle(Message):
    """Carried from central back to the kiosk: acknowledgements and feed items."""

    bundle: Literal[1]
    type: Literal["return"]
    kiosk_id: Uuid7
    made_at: Timestamp
    #: The cursor the pull was made after (the push bundle's ``cursor``), so the kiosk
    #: tells a stale return bundle from a central that numbered its feed again.
    after: Annotated[int, Field(ge=0)] = 0
    body: ReturnBody
    signature: Signature


B = TypeVar("B", PushBundle, ReturnBundle)


def key_of_token(token: str) -> bytes:
    """The signing key, as the kiosk makes it from its token."""
    return hashlib.sha256(token.encode()).digest()


def key_of_digest(token_sha256: str) -> bytes:
    """The signing key, as central makes it from the token's SHA-256 it keeps (hex)."""
    return bytes.fromhex(token_sha256)


def signature(data: dict[str, Any], key: bytes) -> str:
    unsigned = {name: value for name, value in data.items() if name != "signature"}
    message = protocol.canonical(unsigned).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def seal(kind: str, kiosk_id: str, body: dict[str, Any], key: bytes, **header: Any) -> bytes:
    """A signed bundle of ``kind`` (push or return), gzip'd, ready to write."""
    data = {
        "bundle": VERSION,
        "type": kind,
        "kiosk_id": kiosk_id,
        "made_at": clock.now(),
        **header,
        "body": body,
    }
    return protocol.encode({**data, "signature": signature(data, key)})


def load(path: Path) -> dict[str, Any]:
    """The bundle in ``path``, inflated and parsed but not yet trusted: check its
    signature (:func:`verify`), then its shape (:func:`parse`)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BundleError(f"{path} is too large to be a bundle (over {MAX_BYTES} bytes)")
        raw = path.read_bytes()
    except OSError as error:
        raise BundleError(f"{path} cannot be read: {error.strerror or error}") from None
    try:
        text = protocol.inflate(raw, "gzip", MAX_BYTES)
    except Problem as problem:
        reason = problem.details.get("reason") or "it is too large"
        raise BundleError(f"{path} is not a readable bundle: {reason}") from None
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        raise BundleError(f"{path} is not a readable bundle: it is not JSON") from None
    if (
        not isinstance(data, dict)
        or data.get("bundle") != VERSION
        or data.get("type") not in ("push", "return")
        or not isinstance(data.get("kiosk_id"), str)
    ):
        raise BundleError(f"{path} is not a fieldkiosk bundle (version {VERSION})")
    return data


def verify(path: Path, data: dict[str, Any], key: bytes) -> None:
    """Raise unless ``data`` was signed with ``key``; compared in constant time."""
    given = data.get("signature")
    expected = signature(data, key)
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), expected.encode()):
        raise BundleError(
            f"{path}: the signature does not match, so nothing in it was used (the file was"
            " changed or damaged after it was made, or it was signed with another token)"
        )


def parse(path: Path, data: dict[str, Any], model: type[B]) -> B:
    """The verified bundle as ``model``; refused when it breaks the protocol's rules."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise BundleError(f"{path} breaks the sync protocol: {protocol.describe(error)}") from None


def push_name(code: str, first: int, last: int) -> str:
    return f"fieldkiosk-{code}-{first:06d}-{last:06d}{SUFFIX}"


def return_name(code: str, last: int) -> str:
    return f"fieldkiosk-{code}-return-{last:06d}{SUFFIX}"


def returns_in(directory: Path, code: str) -> list[Path]:
    """The return bundles for kiosk ``code`` in ``directory``, oldest first."""
    return sorted(Path(directory).glob(f"fieldkiosk-{code}-return-*{SUFFIX}"))


def write(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``directory/name`` atomically and durably."""
    directory = Path(directory)
    target = directory / name
    temporary = directory / f".{name}.{secrets.token_hex(4)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_directory(directory)
    return target


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (FAT sticks may refuse; the data is synced anyway)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
