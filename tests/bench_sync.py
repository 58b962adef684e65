"""Sync figures for ``make bench``: push throughput, bytes on the wire per submission
against gzip of the same records, and the same records replicated by PouchDB into
pouchdb-server for comparison.

    .venv/bin/python -m tests.bench_sync

Bytes are counted by the fault proxy (``tests/faults/proxy.py``) passing everything:
HTTP request and response, head and body, as the client sent and received them (TCP and
IP headers not included). PouchDB and pouchdb-server come from the npm registry, installed
on first use into ``var/bench/pouchdb`` from ``tests/bench_pouchdb/package-lock.json``
(``npm ci``); node and npm are Debian's ``nodejs`` and ``npm``.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx2

from sync import outbox, protocol
from sync.database import connect
from sync.settings import AgentSettings
from tests import servers
from tests.bench import absorb
from tests.faults.proxy import Proxy

COUNT = 10_000
POUCHDB = Path(__file__).parent / "bench_pouchdb"
INSTALLED = Path(__file__).resolve().parents[1] / "var" / "bench" / "pouchdb"
AIM_RATIO = 1.15

Row = tuple[str, str, str]


def figures(count: int = COUNT) -> list[Row]:
    """(figure, value, aim or note) for ``count`` submissions, measured on real processes."""
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        central = servers.central(root / "central").start()
        try:
            code = servers.enroll_code(root / "central", "direct")
            direct = absorb(root / "direct", central.url, code, count)
            with Proxy(central.port) as proxy:
                code = servers.enroll_code(root / "central", "proxied")
                proxied = absorb(root / "proxied", proxy.url, code, count)
                up, down = proxy.wire_bytes(protocol.PUSH_PATH)
        finally:
            central.stop()
        changes = _drained_changes(root / "proxied" / "bench-kiosk" / "kiosk.db", count)
        pouch = _pouchdb(root, changes)
    return _rows(count, direct, proxied, (up, down), changes, pouch)


def _rows(
    count: int,
    direct: float,
    proxied: float,
    wire: tuple[int, int],
    changes: list[dict[str, Any]],
    pouch: dict[str, Any],
) -> list[Row]:
    per_record = sum(_gzip(change) for change in changes) / count
    whole = _gzip(changes) / count
    per_submission = sum(wire) / count
    batch = AgentSettings.model_fields["batch_size"].default
    rows = [
        (
            f"push {count:,} submissions, agent -> central",
            f"{direct:,.0f} submissions/s",
            "target >= 2,000/s",
        ),
        ("the same through the loopback proxy", f"{proxied:,.0f} submissions/s", ""),
        (
            "bytes on the wire per submission (push request + answer)",
            f"{per_submission:,.0f} B",
            f"{wire[0] / count:,.0f} B up (gzip'd JSON), {wire[1] / count:,.0f} B down"
            f" (plain JSON); batches of {batch}",
        ),
        (
            "gzip -6 of each change's canonical JSON alone",
            f"{per_record:,.0f} B",
            f"wire / this = {per_submission / per_record:.2f}x (aim <= {AIM_RATIO}x)",
        ),
        (
            f"gzip -6 of all {count:,} changes as one",
            f"{whole:,.0f} B",
            f"wire / this = {per_submission / whole:.2f}x",
        ),
    ]
    if "skipped" in pouch:
        return [*rows, ("PouchDB -> pouchdb-server", "skipped", pouch["skipped"])]
    pouch_bytes = pouch["wire"] / count
    return [
        *rows,
        (
            f"PouchDB {pouch['pouchdb']} -> pouchdb-server {pouch['server']}, same records",
            f"{count / pouch['seconds']:,.0f} docs/s",
            f"through the same proxy; agent {proxied / (count / pouch['seconds']):.1f}x faster",
        ),
        (
            "PouchDB bytes on the wire per document",
            f"{pouch_bytes:,.0f} B",
            f"wire / per-record gzip = {pouch_bytes / per_record:.2f}x;"
            f" {pouch['requests']:,} requests",
        ),
    ]


def _gzip(value: Any) -> int:
    return len(gzip.compress(protocol.canonical(value).encode(), compresslevel=6, mtime=0))


def _drained_changes(db_path: Path, count: int) -> list[dict[str, Any]]:
    """The changes as the agent sent them: the scratch outbox, read again from the start."""
    with closing(connect(db_path)) as conn:
        outbox.rewind(conn, 0)
        changes = [change.to_wire() for change in outbox.pending(conn, count)]
    assert len(changes) == count
    return changes


# -- PouchDB ------------------------------------------------------------------------------


def _pouchdb(root: Path, changes: list[dict[str, Any]]) -> dict[str, Any]:
    """Put ``changes`` into a local PouchDB and replicate them once to pouchdb-server."""
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        return {"skipped": "node and npm are not installed (Debian: nodejs npm)"}
    modules = _node_modules()
    docs = root / "docs.jsonl"
    with docs.open("w", encoding="utf-8") as file:
        for change in changes:
            file.write(json.dumps({"_id": change["id"], **change}) + "\n")
    port = servers.free_port()
    server = _pouchdb_server(node, modules, root / "pouchdb-server", port)
    try:
        with Proxy(port) as proxy:
            local = root / "pouchdb-local"
            local.mkdir()
            done = subprocess.run(
                [node, str(POUCHDB / "replicate.js"), str(docs), f"{proxy.url}/kiosk", str(local)],
                env={**servers.environment(), "NODE_PATH": str(modules)},
                capture_output=True,
                text=True,
                timeout=900,
                check=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            wire, requests = sum(proxy.wire_bytes()), len(proxy.exchanges())
    finally:
        server.terminate()
        server.wait(10)
    assert result["ok"] and result["remote_docs"] == len(changes), result
    return {
        **result,
        "wire": wire,
        "requests": requests,
        "pouchdb": _version(modules / "pouchdb"),
        "server": _version(modules / "pouchdb-server"),
    }


def _node_modules() -> Path:
    """pouchdb and pouchdb-server as the lockfile pins them, installed once (``npm ci``)."""
    lock = (POUCHDB / "package-lock.json").read_bytes()
    installed = INSTALLED / "package-lock.json"
    current = installed.exists() and installed.read_bytes() == lock
    if not current or not (INSTALLED / "node_modules" / "pouchdb-server").is_dir():
        INSTALLED.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(POUCHDB / name, INSTALLED / name)
        print("installing pouchdb and pouchdb-server (npm ci) ...", file=sys.stderr)
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=INSTALLED,
            check=True,
            timeout=1800,
        )
    return INSTALLED / "node_modules"


def _pouchdb_server(node: str, modules: Path, where: Path, port: int) -> subprocess.Popen[bytes]:
    where.mkdir()
    with (where / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [node, str(modules / "pouchdb-server" / "bin" / "pouchdb-server"), "--in-memory"]
            + ["--host", "127.0.0.1", "--port", str(port)],
            cwd=where,  # it writes its config.json and log.txt where it runs
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"pouchdb-server exited: {(where / 'server.log').read_text()}")
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return server
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("pouchdb-server did not answer in 60s")


def _version(package: Path) -> str:
    return str(json.loads((package / "package.json").read_text())["version"])


def table(rows: list[Row]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return "\n".join(
        f"{name:<{widths[0]}}  {value:>{widths[1]}}  {note}".rstrip() for name, value, note in rows
    )


def main() -> int:
    print(table(figures()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
