"""Kiosks under test for fault tests: enrolled through the proxy, submissions queued the
way the kiosk stores them, and what central and the kiosk hold afterwards."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk import submissions
from kiosk.drafts import Draft
from kiosk.migrations import SCHEMA
from sync import clock, identity, outbox
from sync.central import fleet
from sync.database import connect, migrate
from tests import servers

FORM = "birth-certificate"


@dataclass
class KioskUnderTest:
    data: Path
    me: identity.Identity
    server: servers.Server | None = None

    @property
    def db(self) -> Path:
        return self.data / "kiosk.db"

    def start(self, *args: str) -> KioskUnderTest:
        """The kiosk process, its agent talking to the central it was enrolled with."""
        self.server = servers.kiosk(self.data, self.me.central, *args).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def queue(self, count: int) -> None:
        """``count`` submissions stored as the kiosk stores them: submission, outbox row
        and reference number in one transaction each."""
        version = load_directory(DEFAULT_DIRECTORY)[FORM].version
        with closing(connect(self.db)) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO sessions (id, language, created_at, seen_at)"
                " VALUES ('queued-by-test', 'en', ?1, ?1)",
                (clock.now(),),
            )
            for n in range(count):
                answers = {"full_name": f"Citizen {n}", "copies": 1 + n % 3, "collect": "office"}
                draft = Draft("queued-by-test", FORM, version, answers)
                submissions.submit(conn, self.me.code, draft, ("en", "fr", "ar")[n % 3])

    def outbox(self) -> tuple[int, int, list[str]]:
        """The last seq queued, ``acked_through`` and every queued change's id."""
        with closing(_read_only(self.db)) as conn:
            rows = conn.execute("SELECT seq, id FROM outbox ORDER BY seq").fetchall()
            acked = conn.execute("SELECT acked_through FROM outbox_state").fetchone()[0]
        return (rows[-1][0] if rows else 0), acked, [row[1] for row in rows]

    def references(self) -> list[str]:
        with closing(_read_only(self.db)) as conn:
            return [row[0] for row in conn.execute("SELECT reference FROM submissions")]

    def wait_until_acknowledged(self, timeout: float, why: object = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last, acked, _ = self.outbox()
            if acked == last:
                return
            time.sleep(0.05)
        log = self.server.log.read_text()[-3000:] if self.server else ""
        raise AssertionError(f"acknowledged {acked} of {last} after {timeout}s; {why}\n{log}")


def enrolled(root: Path, central_data: Path, central_url: str, name: str) -> KioskUnderTest:
    """A kiosk enrolled at ``central_url`` (the proxy's), its database ready."""
    _, code = fleet.add_kiosk(central_data, name, 1)
    data = root / name.lower().replace(" ", "-")
    me = identity.enroll(data, central_url, code)
    with closing(connect(data / "kiosk.db")) as conn:
        migrate(conn, SCHEMA)
        outbox.set_node(conn, me.code)
    return KioskUnderTest(data, me)


@dataclass(frozen=True)
class Held:
    """What central holds from one kiosk, and every change it refused (from any kiosk)."""

    changes: list[str]  # ids, in seq order
    references: list[str]
    high_water: int
    refused: list[tuple[str, int, str]]


def central_holds(central_data: Path, kiosk: KioskUnderTest) -> Held:
    with closing(_read_only(central_data / "central.db")) as conn:

        def column(sql: str) -> list[Any]:
            return [row[0] for row in conn.execute(sql, (kiosk.me.kiosk_id,))]

        return Held(
            column("SELECT id FROM changes WHERE kiosk_id = ? ORDER BY seq"),
            column("SELECT reference FROM submissions WHERE kiosk_id = ?"),
            column("SELECT high_water FROM kiosks WHERE id = ?")[0],
            [tuple(r) for r in conn.execute("SELECT change_id, seq, reason FROM refused_changes")],
        )


def assert_exactly_once(central_data: Path, kiosk: KioskUnderTest) -> int:
    """Every change the kiosk queued is at central once, nothing refused, nothing lost;
    returns how many changes that is."""
    last, acked, ids = kiosk.outbox()
    held = central_holds(central_data, kiosk)
    assert held.refused == [], held.refused
    assert held.changes == ids, "central's changes are not the kiosk's outbox, once each"
    assert sorted(held.references) == sorted(kiosk.references()), "a submission lost or doubled"
    assert held.high_water == acked == last
    return last


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
