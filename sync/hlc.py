"""Hybrid logical clock timestamps (Kulkarni et al., 2014): wall time in milliseconds,
a counter for events within the same millisecond, and the node that made them.

A timestamp is written ``1763717400125.0003@K01``: thirteen digits of Unix milliseconds,
four of counter, the node. Fixed widths make the text sort like the clock, so SQLite can
order by it. Every change a kiosk queues gets a later timestamp than any change it
queued or received before, even if its wall clock steps backwards (no RTC on a
Raspberry Pi until NTP answers); a timestamp central receives moves central's clock past
it, so what central decides after reading a change is stamped after that change.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

PATTERN = re.compile(r"^(\d{13})\.(\d{4})@([A-Za-z0-9_-]{1,40})$")
#: A remote timestamp more than this far ahead of our wall clock is refused: a kiosk
#: whose clock is a year fast must not drag every clock in the fleet a year forward.
MAX_DRIFT_MS = 24 * 3600 * 1000
MAX_COUNTER = 9999


@dataclass(frozen=True, order=True)
class Timestamp:
    wall: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.wall:013d}.{self.counter:04d}@{self.node}"


ZERO = Timestamp(0, 0, "")


def parse(text: str) -> Timestamp:
    """A timestamp from its text form; ValueError when it is not one."""
    match = PATTERN.match(text)
    if match is None:
        raise ValueError("must be a hybrid logical clock timestamp like 1763717400125.0003@K01")
    return Timestamp(int(match[1]), int(match[2]), match[3])


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def tick(last: Timestamp, node: str, now_ms: int | None = None) -> Timestamp:
    """The timestamp of a new local event after ``last``."""
    now_ms = wall_ms() if now_ms is None else now_ms
    if now_ms > last.wall:
        return Timestamp(now_ms, 0, node)
    return _bump(last.wall, last.counter, node)


def receive(last: Timestamp, remote: Timestamp, node: str, now_ms: int | None = None) -> Timestamp:
    """Our clock after seeing ``remote``: later than both, and than the wall clock."""
    now_ms = wall_ms() if now_ms is None else now_ms
    if remote.wall > now_ms + MAX_DRIFT_MS:
        raise ValueError("the remote clock is more than a day ahead")
    wall = max(last.wall, remote.wall, now_ms)
    if wall == last.wall == remote.wall:
        return _bump(wall, max(last.counter, remote.counter), node)
    if wall == last.wall:
        return _bump(wall, last.counter, node)
    if wall == remote.wall:
        return _bump(wall, remote.counter, node)
    return Timestamp(wall, 0, node)


def _bump(wall: int, counter: int, node: str) -> Timestamp:
    if counter >= MAX_COUNTER:  # ten thousand events in one millisecond: borrow the next
        return Timestamp(wall + 1, 0, node)
    return Timestamp(wall, counter + 1, node)
