"""Replication figures for ``make bench``, measured with real Litestream and a real S3 store.

Each function sets up what it needs in a temporary directory (an ``rclone serve s3``
store on a loopback port, a kiosk database), tears it down, prints nothing and returns
its figures (units in the keys).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.replicator import Litestream
from sync.restore import restore
from tests.replication import workload
from tests.replication.stores import S3Store


@contextmanager
def _replicated(directory: Path, name: str = "kiosk.db") -> Iterator[tuple[Litestream, S3Store]]:
    with S3Store(directory / "store").start() as store:
        litestream = Litestream(
            directory / name, store.url("kiosks/K01"), log=directory / "ls.log", **store.options
        )
        with litestream:
            yield litestream, store


def replication_lag(samples: int = 10) -> dict[str, float]:
    """Seconds from a commit on the kiosk to the row being in a copy restored from the
    replica (Litestream's sync interval is 1 s; restores are retried back to back)."""
    rng = random.Random(6)  # noqa: S311 - spacing samples, not cryptography
    lags = []
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        conn = workload.database(directory / "kiosk.db")
        with _replicated(directory) as (litestream, store):
            litestream.sync_now()
            for sample in range(samples):
                time.sleep(rng.uniform(0.0, 1.0))
                [wanted] = workload.submit(conn, 1)
                committed = time.monotonic()
                lags.append(_until_restored(store, directory / f"r{sample}", wanted) - committed)
        conn.close()
    return {"lag_p50_s": statistics.median(lags), "lag_max_s": max(lags)}


def _until_restored(store: S3Store, directory: Path, wanted: str, timeout: float = 30.0) -> float:
    deadline = time.monotonic() + timeout
    for attempt in range(10_000):
        copy = directory / f"{attempt}.db"
        restore(store.url("kiosks/K01"), copy, **store.options)
        if wanted in workload.references(copy):
            return time.monotonic()
        if time.monotonic() > deadline:
            break
    raise RuntimeError(f"{wanted} was not in a restored copy after {timeout}s")


def restore_seconds(rows: int = 100_000) -> dict[str, float]:
    """Seconds to restore (and check) a kiosk database of ``rows`` submissions."""
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        conn = workload.database(directory / "kiosk.db")
        workload.bulk(conn, rows)
        conn.close()
        with _replicated(directory) as (litestream, store):
            litestream.sync_now(timeout=600)
            report = restore(store.url("kiosks/K01"), directory / "restored.db", **store.options)
    return {"restore_s": report.seconds, "database_mb": report.size / 1e6, "rows": float(rows)}


def write_overhead(transactions: int = 5000, rounds: int = 5) -> dict[str, float]:
    """Milliseconds per submission transaction (submission and outbox row, as the kiosk
    writes them) on a database Litestream replicates and on one it does not, written in
    alternating rounds so that warm-up falls on both alike; medians of the rounds."""
    per_round = transactions // rounds
    times: dict[str, list[float]] = {"alone": [], "replicated": []}
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        alone = workload.database(directory / "alone.db")
        replicated = workload.database(directory / "kiosk.db")
        with _replicated(directory):
            for _ in range(rounds):
                times["alone"].append(_per_transaction(alone, per_round))
                times["replicated"].append(_per_transaction(replicated, per_round))
        alone.close()
        replicated.close()
    without, with_ = statistics.median(times["alone"]), statistics.median(times["replicated"])
    return {
        "write_ms": without * 1000,
        "write_replicated_ms": with_ * 1000,
        "overhead_percent": (with_ / without - 1) * 100,
    }


def _per_transaction(conn: sqlite3.Connection, transactions: int) -> float:
    started = time.perf_counter()
    workload.submit(conn, transactions)
    return (time.perf_counter() - started) / transactions
