"""The one way time is written down: UTC, ISO 8601, milliseconds, ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now() -> str:
    """The current UTC time, like ``2026-11-21T09:30:00.123Z``; sorts as text."""
    return stamp(datetime.now(UTC))


def later(hours: float) -> str:
    """The UTC time ``hours`` from now."""
    return stamp(datetime.now(UTC) + timedelta(hours=hours))


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(text: str) -> datetime:
    """A timestamp with its time zone; ValueError when there is none."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time zone is required")
    return moment
