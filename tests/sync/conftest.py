"""Fixtures for sync: real SQLite files, central in-process (TestClient) or live on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.testclient import TestClient
from uuid6 import uuid7

from sync import inbox, outbox, protocol, reference
from sync.central import feed, fleet, staff, storage
from sync.central.app import create_app
from sync.database import connect, migrate, transaction
from sync.settings import CentralSettings

EMAIL = "reviewer@example.org"
PASSWORD = "correct horse battery staple"


def submission_payload(kiosk_code: str = "K01", number: int = 1, **changes: Any) -> dict:
    return {
        "id": str(uuid7()),
        "reference": reference.make(kiosk_code, number),
        "form_id": "birth-certificate",
        "form_version": "2026.11.1",
        "language": "en",
        "answers": {"full_name": "Amina Okafor", "children": 2, "agree": True},
        "submitted_at": "2026-11-21T09:30:00.000Z",
        **changes,
    }


def wire_change(seq: int, kiosk_code: str = "K01", **payload: Any) -> dict:
    body = submission_payload(kiosk_code, seq, **payload)
    return {
        "id": str(uuid7()),
        "seq": seq,
        "kind": "submission.create",
        "created_at": "2026-11-21T09:30:00.000Z",
        "hlc": f"1763717400000.{seq % 10000:04d}@{kiosk_code}",
        "actor": f"kiosk:{kiosk_code}",
        "record": {"type": "submission", "id": body["id"]},
        "base_version": 0,
        "payload": body,
    }


def case_change(
    seq: int,
    case_id: str,
    patch: dict[str, tuple[Any, Any]],
    kiosk_code: str = "K01",
    base_version: int = 1,
    hlc: str | None = None,
    case_type: str = "household",
) -> dict:
    """A ``case.update`` on the wire; ``patch`` maps each field to ``(old, new)``."""
    return {
        "id": str(uuid7()),
        "seq": seq,
        "kind": "case.update",
        "created_at": "2026-11-21T09:30:00.000Z",
        "hlc": hlc or f"1763717400000.{seq % 10000:04d}@{kiosk_code}",
        "actor": f"kiosk:{kiosk_code}",
        "record": {"type": case_type, "id": case_id},
        "base_version": base_version,
        "patch": {name: {"old": old, "new": new} for name, (old, new) in patch.items()},
        "payload": {},
    }


def decision(
    reference: str,
    state: str = "approved",
    comment: str = "Collect the certificate at the town hall.",
) -> dict:
    """The body of a ``decision`` feed item: a reviewer's decision on one submission."""
    return {
        "reference": reference,
        "state": state,
        "comment": comment,
        "decided_at": "2026-11-22T10:00:00.000Z",
    }


def publish(conn: Any, kind: str, key: str, body: dict, kiosk_id: str | None = None) -> int:
    """Publish one feed item at central in its own transaction; its cursor."""
    with transaction(conn):
        return feed.publish(conn, kind, key, body, kiosk_id)


#: A kiosk's heartbeat, as it posts it to ``protocol.STATUS_PATH``.
STATUS = {
    "protocol": 1,
    "software": "0.1.0",
    "outbox": {"pending": 3, "oldest_pending": "2026-11-21T09:30:00.000Z"},
    "devices": [
        {
            "device": "printer",
            "backend": "simulated",
            "ok": False,
            "fault": {"device": "printer", "code": "paper_out", "detail": ""},
        },
        {"device": "speech", "backend": "espeak", "ok": True, "fault": None},
    ],
    "replication": {"lag_seconds": 42.4},
}


def batch(kiosk_id: str, changes: list[dict]) -> dict:
    return {"protocol": 1, "kiosk_id": kiosk_id, "changes": changes}


class Kiosk:
    """A kiosk enrolled at the central under test."""

    def __init__(self, record: fleet.Kiosk, token: str) -> None:
        self.record, self.token = record, token
        self.id, self.code = record.id, record.code

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}", "content-encoding": "gzip"}

    def push(self, client: TestClient, changes: list[dict]) -> Any:
        body = protocol.encode(batch(self.id, changes))
        return client.post(protocol.PUSH_PATH, content=body, headers=self.headers)


@pytest.fixture
def central_settings(tmp_path: Path) -> CentralSettings:
    return CentralSettings(
        data=tmp_path / "central", max_body=1024 * 1024, max_batch=4 * 1024 * 1024
    )


@pytest.fixture
def central_db(central_settings: CentralSettings) -> Iterator[Any]:
    conn = storage.open_database(central_settings.data)
    yield conn
    conn.close()


@pytest.fixture
def client(central_settings: CentralSettings) -> Iterator[TestClient]:
    with TestClient(create_app(central_settings), base_url="http://testserver") as client:
        yield client


def enrolled(data: Path, name: str = "Library kiosk") -> Kiosk:
    _, code = fleet.add_kiosk(data, name, 1)
    conn = storage.open_database(data)
    try:
        record, token = fleet.enroll(conn, code)
    finally:
        conn.close()
    return Kiosk(record, token)


@pytest.fixture
def kiosk(central_settings: CentralSettings) -> Kiosk:
    return enrolled(central_settings.data)


@pytest.fixture
def staff_client(client: TestClient, central_settings: CentralSettings) -> TestClient:
    staff.add_user(central_settings.data, EMAIL, PASSWORD, "reviewer")
    page = client.get("/sign-in")
    token = csrf_token(page.text)
    response = client.post(
        "/sign-in", data={"csrftoken": token, "email": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return client


def csrf_token(html: str) -> str:
    marker = 'name="csrftoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.fixture
def kiosk_db(tmp_path: Path) -> Iterator[Any]:
    """A kiosk database with the outbox, the inbox and a stand-in for the kiosk's own table."""
    conn = connect(tmp_path / "kiosk.db")
    migrate(conn, [*outbox.MIGRATIONS, *inbox.MIGRATIONS])
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    yield conn
    conn.close()


def queue(conn: Any, count: int, kiosk_code: str = "K01", start: int = 1) -> list[outbox.Change]:
    with transaction(conn):
        return [
            outbox.enqueue(conn, "submission.create", submission_payload(kiosk_code, n))
            for n in range(start, start + count)
        ]


class LiveServer:
    """Central under uvicorn in a thread, on a loopback socket reserved before it starts."""

    def __init__(self, settings: CentralSettings) -> None:
        self.settings = settings
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> LiveServer:
        config = uvicorn.Config(create_app(self.settings), log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "central did not start"
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(10)
        self.socket.close()


@pytest.fixture
def live_server(central_settings: CentralSettings) -> Iterator[LiveServer]:
    """Reserved but not yet answering: call ``start()``."""
    server = LiveServer(central_settings)
    yield server
    server.stop()
