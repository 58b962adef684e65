"""The sync agent: pushes the kiosk's outbox to central until central holds all of it,
then pulls what central has published since (PROTOCOL.md, "Pull") into the inbox.

It reads a batch, sends it with no transaction open (the kiosk keeps writing while the
network is slow or down), then records central's acknowledgement in one short UPDATE.
A pull that fails is recorded in the status apart from pushes and never holds them up.
Run it once (:meth:`Agent.drain_once`) or as a daemon thread (:meth:`Agent.start`) that
drains, then sleeps ``sync_interval`` or until :meth:`Agent.kick`; after a failure it
waits a backoff with full jitter between ``retry_initial`` and ``retry_max``.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx2

from sync import clock, feed_items, inbox, outbox, protocol, replication
from sync.database import connect
from sync.identity import Identity
from sync.problems import CENTRAL_REFUSED, CENTRAL_UNREACHABLE, SEQUENCE_GAP, Problem
from sync.settings import AgentSettings

log = logging.getLogger(__name__)
MAX_REASON = 200
PULL_LIMIT = 500


@dataclass(frozen=True)
class DrainReport:
    """What one drain delivered."""

    batches: int = 0
    sent: int = 0
    applied: int = 0
    duplicate: int = 0
    refused: int = 0
    acked_through: int = 0
    pulled: int = 0


@dataclass(frozen=True)
class AgentStatus:
    """For the kiosk's /healthz: nothing secret, nothing personal."""

    running: bool
    last_success: str | None
    last_error: dict[str, Any] | None
    failures: int
    pending: int | None
    oldest_pending: str | None
    last_pull: str | None = None
    pull_error: dict[str, Any] | None = None
    pull_failures: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def backoff_delay(failures: int, initial: float, maximum: float, rng: random.Random) -> float:
    """Seconds to wait after ``failures`` failures in a row: full jitter between
    ``initial`` and a ceiling that doubles with each failure up to ``maximum``."""
    ceiling = min(maximum, initial * 2 ** min(max(failures - 1, 0), 62))
    return rng.uniform(initial, max(initial, ceiling))


class _Gap(Exception):
    def __init__(self, expected: int) -> None:
        super().__init__(expected)
        self.expected = expected


class Agent:
    def __init__(
        self,
        settings: AgentSettings,
        identity: Identity,
        db_path: Path | str,
        *,
        rng: random.Random | None = None,
        report: Callable[[], list[dict[str, Any]]] | None = None,
    ) -> None:
        """``report`` gives the kiosk's device health for the heartbeat sent after each drain."""
        self.settings = settings
        self._report = report
        self.identity = identity
        self.db_path = Path(db_path)
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_success: str | None = None
        self._last_error: dict[str, Any] | None = None
        self._failures = 0
        self._last_pull: str | None = None
        self._pull_error: dict[str, Any] | None = None
        self._pull_failures = 0

    # -- running ---------------------------------------------------------------------

    def drain_once(self) -> DrainReport:
        """Push until nothing is pending; raises ``central_unreachable``/``central_refused``."""
        conn = connect(self.db_path)
        try:
            return self._drain(conn)
        finally:
            conn.close()

    def start(self) -> None:
        """Drain in a daemon thread until :meth:`stop`."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sync-agent", daemon=True)
        self._thread.start()

    def kick(self) -> None:
        """Something was queued: drain now rather than at the next interval."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def status(self) -> AgentStatus:
        depth: int | None
        try:
            conn = connect(self.db_path)
            try:
                depth, oldest = outbox.stats(conn)
            finally:
                conn.close()
        except sqlite3.Error:  # a health check reports, it does not raise
            depth, oldest = None, None
        running = self._thread is not None and self._thread.is_alive()
        return AgentStatus(
            running,
            self._last_success,
            self._last_error,
            self._failures,
            depth,
            oldest,
            self._last_pull,
            self._pull_error,
            self._pull_failures,
        )

    def _run(self) -> None:
        conn = connect(self.db_path)
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                if self._cycle(conn):
                    self._wake.wait(self.settings.sync_interval)
                else:
                    delay = backoff_delay(
                        self._failures,
                        self.settings.retry_initial,
                        self.settings.retry_max,
                        self._rng,
                    )
                    self._stopping.wait(delay)
        finally:
            conn.close()

    def _cycle(self, conn: sqlite3.Connection) -> bool:
        try:
            self._drain(conn)
        except Problem:
            return False
        except Exception as error:  # the thread outlives anything one drain can raise
            log.exception("sync agent: unexpected %s", type(error).__name__)
            self._failures += 1
            self._last_error = {
                "at": clock.now(),
                "code": "internal",
                "message": type(error).__name__,
            }
            return False
        return True

    # -- one drain -------------------------------------------------------------------

    def _drain(self, conn: sqlite3.Connection) -> DrainReport:
        reconnected = self._failures > 0
        with self._lock:
            try:
                report = self._push_all(conn)
            except Problem as problem:
                self._failures += 1
                self._last_error = {"at": clock.now(), **problem.as_json()}
                log.warning("sync agent: %s (failure %d)", problem.text(), self._failures)
                raise
        self._failures, self._last_error, self._last_success = 0, None, clock.now()
        if reconnected and self.settings.litestream_socket:
            threading.Thread(target=self._replicate_now, name="replicate-now", daemon=True).start()
        if report.sent:
            log.info("sync agent: delivered %d changes in %d batches", report.sent, report.batches)
        return report

    def _push_all(self, conn: sqlite3.Connection) -> DrainReport:
        tally: Counter[str] = Counter()
        rewound = False
        with httpx2.Client(
            base_url=self.identity.central,
            timeout=self.settings.request_timeout,
            headers={"authorization": f"Bearer {self.identity.token}"},
        ) as client:
            while batch := outbox.pending(conn, self.settings.batch_size):
                try:
                    answer = self._push(client, batch)
                except _Gap as gap:
                    if rewound or gap.expected > batch[0].seq:
                        reason = f"sequence gap, central expects {gap.expected}"
                        raise self._refused(reason) from None
                    log.warning("sync agent: central expects %d; resending", gap.expected)
                    outbox.rewind(conn, gap.expected - 1)
                    rewound = True
                    continue
                self._settle(conn, batch, answer, tally)
            pulled = self._pull_all(client, conn)
            if self._report is not None:
                self._heartbeat(client, conn)
        return DrainReport(
            tally["batches"],
            tally["sent"],
            tally["applied"],
            tally["duplicate"],
            tally["refused"],
            outbox.acked_through(conn),
            pulled,
        )

    def _settle(
        self,
        conn: sqlite3.Connection,
        batch: list[outbox.Change],
        answer: protocol.PushResponse,
        tally: Counter[str],
    ) -> None:
        outbox.acknowledge(conn, answer.acked_through)
        tally.update(result.status for result in answer.results)
        tally.update(batches=1, sent=len(batch))
        if answer.acked_through < batch[-1].seq:
            raise self._refused(f"acknowledged only through {answer.acked_through}")

    # -- pulling ---------------------------------------------------------------------

    def _pull_all(self, client: httpx2.Client, conn: sqlite3.Connection) -> int:
        """Apply what central published since the inbox's cursor; how many items changed
        something. Never raises: a failed pull is recorded and tried after the next drain."""
        try:
            pulled = self._pull_pages(client, conn)
        except Problem as problem:
            self._pull_failed(problem.as_json(), problem.text())
            return 0
        except sqlite3.Error as error:
            self._pull_failed({"code": "internal", "message": type(error).__name__}, str(error))
            return 0
        self._pull_failures, self._pull_error, self._last_pull = 0, None, clock.now()
        if pulled:
            log.info("sync agent: %d items from central applied", pulled)
        return pulled

    def _pull_pages(self, client: httpx2.Client, conn: sqlite3.Connection) -> int:
        pulled, last = 0, -1
        while answer := self._pull(client, *inbox.position(conn)):
            response, after, etag = answer
            pulled += inbox.apply(conn, response, after=after, etag=etag)
            if not response.more or response.cursor <= last:
                break
            last = response.cursor
        return pulled

    def _pull(
        self, client: httpx2.Client, after: int, etag: str | None
    ) -> tuple[feed_items.PullResponse, int, str | None] | None:
        """One page of the feed after ``after``; None when central says nothing changed."""
        headers = {"if-none-match": etag} if etag else {}
        params = {"after": after, "limit": PULL_LIMIT}
        try:
            response = client.get(feed_items.PULL_PATH, params=params, headers=headers)
        except httpx2.HTTPError as error:
            raise self._unreachable(error) from None
        if response.status_code == 304:
            return None
        if response.status_code != 200:
            code, _ = _problem_of(response)
            raise self._refused(f"pull answered HTTP {response.status_code} {code}".strip())
        try:
            return feed_items.parse_pull(response.content), after, response.headers.get("etag")
        except ValueError as error:
            raise self._refused(f"an unreadable pull ({error})"[:MAX_REASON]) from None

    def _pull_failed(self, problem: dict[str, Any], text: str) -> None:
        self._pull_failures += 1
        self._pull_error = {"at": clock.now(), **problem}
        log.warning("sync agent: pull failed: %s (failure %d)", text, self._pull_failures)

    def _replicate_now(self) -> None:
        """Back online: ask Litestream to push at once instead of waiting out its backoff."""
        assert self.settings.litestream_socket is not None
        try:
            replication.sync_now(self.settings.litestream_socket, self.db_path)
        except Problem as problem:
            log.warning("sync agent: %s", problem.text())

    def _replication(self) -> protocol.ReplicationState | None:
        if self.settings.litestream_socket is None:
            return None
        lag = replication.lag(self.settings.litestream_socket, self.db_path)
        return protocol.ReplicationState(lag_seconds=lag)

    def _heartbeat(self, client: httpx2.Client, conn: sqlite3.Connection) -> None:
        """Tell central how this kiosk is: software, outbox, devices (nothing personal)."""
        assert self._report is not None
        depth, oldest = outbox.stats(conn)
        status = protocol.KioskStatus(
            software=version("fieldkiosk"),
            outbox=protocol.OutboxState(pending=depth, oldest_pending=oldest),
            devices=[protocol.DeviceHealth(**device) for device in self._report()],
            replication=self._replication(),
        )
        try:
            response = client.post(
                protocol.STATUS_PATH,
                content=status.model_dump_json(),
                headers={"content-type": "application/json"},
            )
        except httpx2.HTTPError as error:
            raise self._unreachable(error) from None
        if response.status_code != 204:
            raise self._refused(f"status report answered HTTP {response.status_code}")

    def _push(self, client: httpx2.Client, batch: list[outbox.Change]) -> protocol.PushResponse:
        body = protocol.encode(
            {
                "protocol": protocol.VERSION,
                "kiosk_id": self.identity.kiosk_id,
                "changes": [change.to_wire() for change in batch],
            }
        )
        headers = {"content-type": "application/json", "content-encoding": "gzip"}
        try:
            response = client.post(protocol.PUSH_PATH, content=body, headers=headers)
        except httpx2.HTTPError as error:
            raise self._unreachable(error) from None
        if response.status_code == 200:
            try:
                return protocol.parse_response(response.content)
            except ValueError as error:
                raise self._refused(f"an unreadable answer ({error})"[:MAX_REASON]) from None
        code, details = _problem_of(response)
        if code == SEQUENCE_GAP.code and isinstance(details.get("expected"), int):
            raise _Gap(details["expected"])
        raise self._refused(f"HTTP {response.status_code} {code}")

    def _unreachable(self, error: httpx2.HTTPError) -> Problem:
        reason = f"{type(error).__name__}: {error}"[:MAX_REASON]
        return Problem(CENTRAL_UNREACHABLE, url=self.identity.central, reason=reason)

    def _refused(self, reason: str) -> Problem:
        return Problem(CENTRAL_REFUSED, url=self.identity.central, reason=reason)


def _problem_of(response: httpx2.Response) -> tuple[str, dict[str, Any]]:
    try:
        body = response.json()
        return str(body.get("code", ""))[:60], dict(body.get("details") or {})
    except (ValueError, AttributeError, TypeError):
        return "", {}
