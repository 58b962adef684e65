"""Bringing a kiosk's database back from its Litestream replica, after its SD card died.

:func:`restore` never overwrites: it refuses when the database (or its ``-wal``/``-shm``)
exists. It restores into a private directory beside the target, runs SQLite's
``quick_check`` and ``integrity_check`` on the copy, and only then renames it into place,
so a failed or damaged restore leaves nothing behind that the kiosk could open. A store
that does not answer at all is reported at once.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sync import litestream
from sync.keyfile import write_private
from sync.problems import (
    DATABASE_EXISTS,
    REPLICA_MISSING,
    RESTORE_FAILED,
    RESTORED_CORRUPT,
    Problem,
)

SIDECARS = ("-wal", "-shm")
MAX_REASON = 300
_JSON = re.compile(r"^\{$.*?^\}$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class RestoreReport:
    """What a restore brought back; nothing secret (the URL has no password)."""

    db_path: Path
    replica: str
    timestamp: str | None
    txid: int | None
    seconds: float
    size: int
    integrity: str = "ok"


def check(db_path: Path | str) -> list[str]:
    """What SQLite's ``quick_check`` and then ``integrity_check`` find wrong with the
    database at ``db_path``: an empty list when it is sound."""
    try:
        conn = sqlite3.connect(f"file:{Path(db_path)}?mode=rw", uri=True)
    except sqlite3.Error as error:
        return [f"cannot be opened ({error})"]
    try:
        for pragma in ("quick_check", "integrity_check"):
            found = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
            if found != ["ok"]:
                return found
        return []
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        conn.close()


def restore(
    replica_url: str,
    db_path: Path | str,
    *,
    timestamp: datetime | str | None = None,
    sftp_key: Path | str | None = None,
    sftp_host_key: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 900.0,
) -> RestoreReport:
    """Restore the replica at ``replica_url`` (as it was at ``timestamp``, else its
    latest state) to ``db_path``.

    Raises a :class:`~sync.problems.Problem`: ``database_exists``, ``replica_missing``
    (no backup there, or none as old as ``timestamp``), ``restore_failed`` or
    ``restored_corrupt``; ValueError when ``replica_url`` or ``timestamp`` is malformed.
    """
    db_path = Path(db_path).resolve()
    url = litestream.public_url(replica_url)
    if any(Path(f"{db_path}{suffix}").exists() for suffix in ("", *SIDECARS)):
        raise Problem(DATABASE_EXISTS, path=str(db_path))
    moment = None if timestamp is None else _rfc3339(timestamp)
    settings = litestream.config(
        db_path, replica_url, sftp_key=sftp_key, sftp_host_key=sftp_host_key
    )
    _reachable(litestream.replica(replica_url, sftp_key=sftp_key), url)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=db_path.parent, prefix=".restore-") as work:
        copy = Path(work) / db_path.name
        write_private(Path(work) / "litestream.yml", settings)
        output = _run(Path(work) / "litestream.yml", copy, db_path, moment, env, timeout, url)
        if not copy.exists():
            raise Problem(REPLICA_MISSING, url=url)
        found = check(copy)
        if found:
            raise Problem(RESTORED_CORRUPT, url=url, reason="; ".join(found)[:MAX_REASON])
        _settle(copy, db_path)
    return RestoreReport(
        db_path, url, moment, _txid(output), time.monotonic() - started, db_path.stat().st_size
    )


def _reachable(replica: dict[str, Any], url: str, timeout: float = 10.0) -> None:
    """Fail in seconds, not minutes, when the store does not answer at all (Litestream's
    S3 client retries ten times, with backoff, for every listing)."""
    if replica["type"] == "sftp":
        host, _, port = str(replica["host"]).rpartition(":")
        address = (host, int(port))
    elif replica["type"] == "s3" and "endpoint" in replica:
        endpoint = urlsplit(str(replica["endpoint"]))
        default = 443 if endpoint.scheme == "https" else 80
        address = (endpoint.hostname or "", endpoint.port or default)
    else:
        return
    try:
        socket.create_connection(address, timeout=timeout).close()
    except OSError as error:
        reason = f"nothing answers at {address[0]}:{address[1]} ({error.strerror or error})"
        raise Problem(RESTORE_FAILED, url=url, reason=reason) from None


def _run(
    settings: Path,
    copy: Path,
    db_path: Path,
    moment: str | None,
    env: Mapping[str, str] | None,
    timeout: float,
    url: str,
) -> str:
    command = [litestream.binary(), "restore", "-config", str(settings), "-if-replica-exists"]
    command += ["-json", "-o", str(copy)]
    if moment is not None:
        command += ["-timestamp", moment]
    try:
        done = subprocess.run(
            [*command, str(db_path)],
            env=litestream.environment(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Problem(RESTORE_FAILED, url=url, reason=f"no answer in {timeout:.0f} s") from None
    if done.returncode != 0:
        raise Problem(RESTORE_FAILED, url=url, reason=_reason(done.stderr or done.stdout))
    return done.stdout


def _settle(copy: Path, db_path: Path) -> None:
    """Make the checked copy durable, then move it (and any sidecar) into place."""
    with copy.open("rb") as file:
        os.fsync(file.fileno())
    for suffix in SIDECARS:
        if Path(f"{copy}{suffix}").exists():
            os.replace(f"{copy}{suffix}", f"{db_path}{suffix}")
    os.replace(copy, db_path)
    directory = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _rfc3339(timestamp: datetime | str) -> str:
    moment = datetime.fromisoformat(timestamp) if isinstance(timestamp, str) else timestamp
    if moment.tzinfo is None:
        raise ValueError(f"timestamp: a time zone is required (got {timestamp})")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _reason(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else "litestream gave no reason"
    return last.removeprefix("Error: ")[:MAX_REASON]


def _txid(output: str) -> int | None:
    match = _JSON.search(output)
    try:
        return int(json.loads(match.group(0))["txid"], 16) if match else None
    except (ValueError, KeyError, TypeError):
        return None
