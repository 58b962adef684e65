"""Where replication stands, asked of a running Litestream 0.5 through its control socket.

Litestream numbers what it copies in its own transactions (TXIDs): about every second it
picks up the new WAL frames, writes them as one LTX file in the database's meta
directory (``.kiosk.db-litestream/ltx/0/``) and uploads that file to the replica.

- ``POST /sync`` pushes now; it answers with the local TXID and the replica's, after
  the replica holds everything when asked to wait (what ``litestream sync -wait``
  does). While an upload to an unreachable store is being retried, it cannot answer.
- ``GET /list`` always answers, with when each database last finished a sync.

Nothing here raises when Litestream is away, except :func:`sync_now`, which someone
asked for explicitly. :func:`restore` (from :mod:`sync.restore`) is here too, so that
``from sync import replication`` is all a caller needs.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.problems import REPLICATION_UNAVAILABLE, Problem
from sync.restore import RestoreReport, check, restore

__all__ = [
    "Position",
    "RestoreReport",
    "answers",
    "check",
    "lag",
    "last_sync",
    "ltx_directory",
    "position",
    "restore",
    "sync_now",
]

MAX_REASON = 200
_GO_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?Z")


@dataclass(frozen=True)
class Position:
    """Litestream's TXID for the local database, and the highest one the replica holds."""

    txid: int
    replica_txid: int

    @property
    def behind(self) -> int:
        """How many Litestream transactions have not reached the replica yet."""
        return max(0, self.txid - self.replica_txid)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = str(path)

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


def _call(
    socket_path: Path | str, method: str, url: str, body: dict[str, Any] | None, timeout: float
) -> dict[str, Any]:
    """One request to the control socket; OSError when nobody answers, ValueError on
    an error answer."""
    connection = _UnixConnection(Path(socket_path), timeout)
    try:
        payload = None if body is None else json.dumps(body)
        headers = {"content-type": "application/json"} if body is not None else {}
        connection.request(method, url, body=payload, headers=headers)
        response = connection.getresponse()
        answer = json.loads(response.read() or b"{}")
    finally:
        connection.close()
    if response.status != 200 or "error" in answer:
        raise ValueError(str(answer.get("error") or f"HTTP {response.status}")[:MAX_REASON])
    return dict(answer)


def answers(socket_path: Path | str, timeout: float = 1.0) -> bool:
    """Whether a Litestream daemon answers on ``socket_path``."""
    try:
        _call(socket_path, "GET", "/info", None, timeout)
    except (OSError, ValueError):
        return False
    return True


def _sync(socket_path: Path | str, db_path: Path | str, wait: bool, timeout: float) -> Position:
    body = {"path": str(Path(db_path).resolve()), "wait": wait, "timeout": max(1, int(timeout))}
    answer = _call(socket_path, "POST", "/sync", body, timeout + 5)
    return Position(int(answer.get("txid") or 0), int(answer.get("replicated_txid") or 0))


def position(socket_path: Path | str, db_path: Path | str, timeout: float = 1.0) -> Position | None:
    """Where the local database and its replica stand, or None when Litestream cannot
    say within ``timeout`` (not running, or busy retrying an upload: see :func:`lag`).
    Litestream also picks up any new WAL frames; it does not wait for the upload."""
    try:
        return _sync(socket_path, db_path, False, timeout)
    except (OSError, ValueError):
        return None


def sync_now(socket_path: Path | str, db_path: Path | str, *, timeout: float = 30.0) -> Position:
    """Push everything committed so far and wait, up to ``timeout`` seconds, until the
    replica holds it: call it when the kiosk is back online, or before a planned
    shutdown. An upload already waiting out its retry backoff (the S3 client tries ten
    times) is not cut short: after a long outage this took 2-20 s here, about what
    Litestream takes on its own. Raises ``replication_unavailable`` when it fails."""
    try:
        return _sync(socket_path, db_path, True, timeout)
    except (OSError, ValueError) as error:
        reason = f"{type(error).__name__}: {error}"[:MAX_REASON]
        raise Problem(REPLICATION_UNAVAILABLE, reason=reason) from None


def ltx_directory(db_path: Path | str) -> Path:
    """Where Litestream keeps the database's LTX files before and after uploading them."""
    db = Path(db_path).resolve()
    return db.parent / f".{db.name}-litestream" / "ltx" / "0"


def last_sync(socket_path: Path | str, db_path: Path | str, timeout: float = 2.0) -> float | None:
    """When Litestream last finished a sync of ``db_path`` to the replica (Unix time; 0.0
    for never), or None when it does not answer or does not replicate that database.
    Unlike :func:`position`, this answers at once even while an upload is stuck."""
    try:
        listed = _call(socket_path, "GET", "/list", None, timeout).get("databases") or []
    except (OSError, ValueError):
        return None
    path = str(Path(db_path).resolve())
    for database in listed:
        if database.get("path") == path:
            return _unix_time(str(database.get("last_sync_at") or ""))
    return None


def lag(socket_path: Path | str, db_path: Path | str, *, now: float | None = None) -> float | None:
    """Seconds the oldest change not yet at the replica has waited: 0.0 when the replica
    holds everything, None when that is unknown (Litestream is not answering).

    For the kiosk's heartbeat: it grows while the store is unreachable and drops to 0
    once Litestream has caught up; a quiet kiosk reports 0, not its idle time. The
    changes are the LTX files Litestream wrote after its last complete sync; a commit
    Litestream has not picked up yet (it looks every second) does not count.
    """
    synced = last_sync(socket_path, db_path)
    if synced is None:
        return None
    since = _oldest_after(ltx_directory(db_path), synced)
    if since is None:
        return 0.0
    return max(0.0, (time.time() if now is None else now) - since)


def _oldest_after(directory: Path, moment: float) -> float | None:
    """When the oldest LTX file written after ``moment`` was written, if any was."""
    times = []
    for path in directory.glob("*.ltx"):
        try:
            written = path.stat().st_mtime
        except FileNotFoundError:  # Litestream tidied it away meanwhile
            continue
        if written > moment:
            times.append(written)
    return min(times, default=None)


def _unix_time(text: str) -> float:
    """Go's RFC 3339 time (nanoseconds, ``Z``) as Unix time; 0.0 for Go's zero time."""
    match = _GO_TIME.fullmatch(text)
    if match is None or text.startswith("0001-"):
        return 0.0
    fraction = (match.group(2) or ".0")[:7]
    moment = datetime.fromisoformat(match.group(1) + fraction + "+00:00")
    return moment.timestamp()
