"""The kiosk's own identity at central, kept in ``<data>/identity.json`` (mode 0600).

A kiosk gets it once, by exchanging a one-time enrollment code that central's staff
created (``POST /api/v1/enroll``) for its id, its reference code and its bearer token.
Central's address is kept with them; when central moves, a technician gives the new one
(``--central`` or ``FIELDKIOSK_CENTRAL``) and :func:`configured` keeps it from then on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import httpx2
from pydantic import ValidationError

from sync import protocol
from sync.keyfile import write_private
from sync.problems import (
    ALREADY_ENROLLED,
    CENTRAL_REFUSED,
    CENTRAL_UNREACHABLE,
    ENROLL_INVALID,
    Problem,
)
from sync.settings import AgentSettings

FILENAME = "identity.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    kiosk_id: str
    code: str
    name: str
    token: str = field(repr=False)
    central: str

    def public(self) -> dict[str, str]:
        """Everything but the token, for logs and health checks."""
        return {"kiosk_id": self.kiosk_id, "code": self.code, "name": self.name}


def path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


def load(data_dir: Path) -> Identity | None:
    """The saved identity, or None when this kiosk has not been enrolled."""
    try:
        text = path(data_dir).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return Identity(**json.loads(text))


def configured(settings: AgentSettings) -> Identity | None:
    """The saved identity, pointing at the central the settings name when they name one
    (flag or environment) other than the saved one: central moved, and the token, made by
    the same central, stays good. The new address is saved, so the move lasts."""
    identity = load(settings.data)
    if identity is None or "central" not in settings.model_fields_set:
        return identity
    url = str(settings.central).rstrip("/")
    if url == identity.central.rstrip("/"):
        return identity
    log.info("central moved from %s to %s; syncing with the new address", identity.central, url)
    moved = replace(identity, central=url)
    save(settings.data, moved)
    return moved


def save(data_dir: Path, identity: Identity) -> None:
    write_private(path(data_dir), json.dumps(asdict(identity), indent=2) + "\n")


def enroll(
    data_dir: Path, central_url: str, enrollment_code: str, *, timeout: float = 15.0
) -> Identity:
    """Exchange ``enrollment_code`` at central for this kiosk's identity, and save it.

    Raises a :class:`~sync.problems.Problem`: ``already_enrolled``, ``central_unreachable``,
    ``enrollment_invalid`` (the code is wrong, expired or used) or ``central_refused``.
    """
    existing = load(data_dir)
    if existing is not None:
        raise Problem(ALREADY_ENROLLED, name=existing.name, code=existing.code)
    base = str(central_url).rstrip("/")
    answer = _post(base, enrollment_code, timeout)
    identity = Identity(answer.kiosk_id, answer.code, answer.name, answer.token, base)
    save(data_dir, identity)
    return identity


def _post(base: str, enrollment_code: str, timeout: float) -> protocol.EnrollResponse:
    url = base + protocol.ENROLL_PATH
    try:
        response = httpx2.post(url, json={"code": enrollment_code}, timeout=timeout)
    except httpx2.HTTPError as error:
        raise Problem(CENTRAL_UNREACHABLE, url=base, reason=type(error).__name__) from None
    if response.status_code in (400, ENROLL_INVALID.status):
        raise Problem(ENROLL_INVALID)
    if response.status_code != 200:
        raise Problem(CENTRAL_REFUSED, url=base, reason=f"HTTP {response.status_code}")
    try:
        return protocol.EnrollResponse.model_validate_json(response.content)
    except ValidationError:
        raise Problem(CENTRAL_REFUSED, url=base, reason="an unreadable answer") from None


def standing(identity: Identity, *, timeout: float = 15.0) -> protocol.SyncState:
    """What central holds from this kiosk (``GET /api/v1/sync/state``), asked after a restore."""
    url = identity.central + protocol.STATE_PATH
    try:
        response = httpx2.get(
            url, headers={"authorization": f"Bearer {identity.token}"}, timeout=timeout
        )
    except httpx2.HTTPError as error:
        raise Problem(
            CENTRAL_UNREACHABLE, url=identity.central, reason=type(error).__name__
        ) from None
    if response.status_code != 200:
        raise Problem(CENTRAL_REFUSED, url=identity.central, reason=f"HTTP {response.status_code}")
    try:
        return protocol.SyncState.model_validate_json(response.content)
    except ValidationError:
        raise Problem(
            CENTRAL_REFUSED, url=identity.central, reason="an unreadable answer"
        ) from None
