"""Central's side of sneakernet: a push bundle brought on a USB stick is checked and
applied with exactly the rules of ``POST /api/v1/sync/push`` (:func:`intake.apply`), and a
return bundle is written for the kiosk: the acknowledgement and the kiosk's pull.

A bundle from an unknown, unenrolled or revoked kiosk, or whose signature does not match,
is refused before anything in it is used. Importing the same bundle twice stores nothing
new: every change in it is a duplicate the second time.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sync import bundle, feed_items, protocol
from sync.bundle import BundleError, PushBundle
from sync.central import audit, feed, fleet, intake
from sync.problems import SEQUENCE_GAP, Problem

ACTOR = "cli"
ACTION = "bundle.import"
#: Feed items carried in one return bundle (a kiosk without network cannot ask again at
#: once, so more than one HTTP pull's worth); the kiosk's next bundle asks for the rest.
MAX_ITEMS = 10_000


@dataclass(frozen=True)
class Imported:
    """What one import did, and the return bundle it wrote."""

    kiosk: fleet.Kiosk
    first: int
    last: int
    answer: protocol.PushResponse
    pulled: int
    written: Path
    #: How many changes were applied, duplicates, refused.
    counts: Counter[str]


def tally(answer: protocol.PushResponse) -> Counter[str]:
    """How many of the changes acknowledged in ``answer`` have each status."""
    return Counter(result.status for result in answer.results)


def import_push(conn: sqlite3.Connection, path: Path, to: Path | None = None) -> Imported:
    """Apply the push bundle in ``path``; write the return bundle in ``to`` (default: beside it).

    Raises :class:`BundleError` (nothing applied) when it cannot be trusted or continued.
    """
    path = Path(path)
    to = Path(to) if to is not None else path.parent
    if not to.is_dir():
        raise BundleError(f"{to} is not a directory: the return bundle cannot be written there")
    data = bundle.load(path)
    if data["type"] != "push":
        raise BundleError(
            f"{path} is a return bundle, made by central for a kiosk: carry it back to the"
            " kiosk, where `fieldkiosk sync export` or `fieldkiosk sync import` applies it"
        )
    kiosk, token_sha256 = _sender(conn, path, data["kiosk_id"])
    key = bundle.key_of_digest(token_sha256)
    bundle.verify(path, data, key)
    pushed = bundle.parse(path, data, PushBundle)
    first, last = pushed.body.changes[0].seq, pushed.body.changes[-1].seq
    counts: Counter[str] = Counter()

    def audited(conn: sqlite3.Connection, answer: protocol.PushResponse) -> None:
        counts.update(tally(answer))
        _audit(conn, path, kiosk, first, last, answer, counts)

    try:
        answer = intake.apply(conn, kiosk, pushed.body, then=audited)
    except Problem as problem:
        if problem.kind is SEQUENCE_GAP:
            raise _gap(path, kiosk, first, int(problem.details["expected"])) from None
        raise
    pull = feed.pull(conn, kiosk.id, pushed.cursor, MAX_ITEMS)
    written = _write_return(to, kiosk, key, pushed, answer, pull)
    return Imported(kiosk, first, last, answer, len(pull.items), written, counts)


def _write_return(
    to: Path,
    kiosk: fleet.Kiosk,
    key: bytes,
    pushed: PushBundle,
    answer: protocol.PushResponse,
    pull: feed_items.PullResponse,
) -> Path:
    body = {
        "ack": answer.model_dump(mode="json", exclude_none=True),
        "pull": pull.model_dump(mode="json"),
    }
    sealed = bundle.seal("return", kiosk.id, body, key, after=pushed.cursor)
    name = bundle.return_name(kiosk.code, pushed.body.changes[-1].seq)
    return bundle.write(to, name, sealed)


def _sender(conn: sqlite3.Connection, path: Path, kiosk_id: str) -> tuple[fleet.Kiosk, str]:
    """The kiosk that made the bundle and its token's SHA-256, or why it is refused."""
    kiosk = fleet.by_id(conn, kiosk_id)
    if kiosk is None:
        raise BundleError(
            f"{path} comes from a kiosk this central does not know ({kiosk_id[:36]}):"
            " was it made for another central? Nothing was imported."
        )
    if kiosk.revoked_at:
        raise BundleError(
            f"{path} comes from kiosk {kiosk.code} ({kiosk.name}), which an administrator"
            f" revoked on {kiosk.revoked_at}; its bundles are refused. Nothing was imported."
        )
    token_sha256 = fleet.token_digest(conn, kiosk)
    if not token_sha256:
        raise BundleError(
            f"{path} comes from kiosk {kiosk.code} ({kiosk.name}), which is not enrolled:"
            " its bundles cannot be checked. Nothing was imported."
        )
    return kiosk, token_sha256


def _gap(path: Path, kiosk: fleet.Kiosk, first: int, expected: int) -> BundleError:
    return BundleError(
        f"{path} starts at change {first}, but central holds kiosk {kiosk.code}'s changes"
        f" only up to {expected - 1}: import the bundle with changes {expected} to {first - 1}"
        " first (or export again at the kiosk). Nothing was imported."
    )


def _audit(
    conn: sqlite3.Connection,
    path: Path,
    kiosk: fleet.Kiosk,
    first: int,
    last: int,
    answer: protocol.PushResponse,
    counts: Counter[str],
) -> None:
    """The import's audit entry; call inside the transaction that applies the bundle."""
    audit.record(
        conn,
        ACTOR,
        ACTION,
        kiosk.code,
        file=path.name,
        first=first,
        last=last,
        acked_through=answer.acked_through,
        **{status: counts[status] for status in ("applied", "duplicate", "refused")},
    )
