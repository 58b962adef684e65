"""One push from one kiosk, applied in one transaction: each change stored once, forever.

For each change, in order:

* its id is known and its fingerprint matches: ``duplicate`` (a replay);
* its id is known with other content, or from another kiosk: ``refused``;
* its seq is at or below the kiosk's high-water mark but its id is new (the kiosk reused
  a number, e.g. after restoring an old backup): ``refused``;
* otherwise it continues the sequence and is ``applied``, unless its kind's own checks
  refuse it (a reference already taken, say).

Refused changes are kept in ``refused_changes`` for staff and acknowledged all the same,
so the kiosk does not send them forever. The first change above the high-water mark
must be exactly the next one, or the whole batch is a ``sequence_gap`` (409).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sync import clock, protocol
from sync.central import cases, feedback, submissions
from sync.central.fleet import Kiosk
from sync.database import transaction
from sync.problems import MALFORMED_BATCH, SEQUENCE_GAP, Problem
from sync.protocol import PushRequest, PushResponse, Result, WireChange

Refusals = Callable[[sqlite3.Connection, Kiosk, Sequence[Any]], dict[str, str]]
Insert = Callable[[sqlite3.Connection, Kiosk, Sequence[Any], str], None]
#: Something to do in the push's own transaction, with its acknowledgement (an audit entry).
Then = Callable[[sqlite3.Connection, PushResponse], None]

#: What each kind does once applied: its own refusals, then its rows.
KINDS: dict[str, tuple[Refusals, Insert]] = {
    submissions.KIND: (submissions.refusals, submissions.insert),
    feedback.KIND: (feedback.refusals, feedback.insert),
    cases.KIND: (cases.refusals, cases.insert),
}


@dataclass(frozen=True)
class _Verdict:
    change: WireChange
    fingerprint: str
    status: protocol.Status
    reason: str | None = None


def apply(
    conn: sqlite3.Connection, kiosk: Kiosk, push: PushRequest, then: Then | None = None
) -> PushResponse:
    """Store ``push`` from ``kiosk``; the acknowledgement to send back. ``then``, when
    given, is called with it before the transaction commits: both happen, or neither."""
    if push.kiosk_id != kiosk.id:
        raise Problem(MALFORMED_BATCH, reason="kiosk_id is not the kiosk this token belongs to")
    stamp = clock.now()
    with transaction(conn):
        high_water = conn.execute(
            "SELECT high_water FROM kiosks WHERE id = ?", (kiosk.id,)
        ).fetchone()[0]
        _check_continues(push.changes, high_water)
        verdicts = _judge(conn, kiosk, push.changes, high_water)
        _store(conn, kiosk, verdicts, stamp)
        high_water = max(high_water, push.changes[-1].seq)
        conn.execute(
            "UPDATE kiosks SET high_water = ?, last_contact = ? WHERE id = ?",
            (high_water, stamp, kiosk.id),
        )
        results = [Result(id=v.change.id, status=v.status, reason=v.reason) for v in verdicts]
        answer = PushResponse(acked_through=high_water, results=results)
        if then is not None:
            then(conn, answer)
    return answer


def _check_continues(changes: Sequence[WireChange], high_water: int) -> None:
    first_new = next((change.seq for change in changes if change.seq > high_water), None)
    if first_new is not None and first_new != high_water + 1:
        raise Problem(SEQUENCE_GAP, first=first_new, expected=high_water + 1)


def _judge(
    conn: sqlite3.Connection, kiosk: Kiosk, changes: Sequence[WireChange], high_water: int
) -> list[_Verdict]:
    known = _known(conn, [change.id for change in changes])
    verdicts = []
    for change in changes:
        fingerprint = protocol.fingerprint(change)
        seen = known.get(change.id)
        if seen is not None:
            same = seen == (kiosk.id, fingerprint)
            reason = None if same else "content_changed"
            verdicts.append(
                _Verdict(change, fingerprint, "duplicate" if same else "refused", reason)
            )
        elif change.seq <= high_water:
            verdicts.append(_Verdict(change, fingerprint, "refused", "sequence_reused"))
        else:
            verdicts.append(_Verdict(change, fingerprint, "applied"))
    return _kind_checks(conn, kiosk, verdicts)


def _kind_checks(
    conn: sqlite3.Connection, kiosk: Kiosk, verdicts: list[_Verdict]
) -> list[_Verdict]:
    refused: dict[str, str] = {}
    for kind, (refusals, _) in KINDS.items():
        applying = [v.change for v in verdicts if v.status == "applied" and v.change.kind == kind]
        if applying:
            refused.update(refusals(conn, kiosk, applying))
    return [
        _Verdict(v.change, v.fingerprint, "refused", refused[v.change.id])
        if v.status == "applied" and v.change.id in refused
        else v
        for v in verdicts
    ]


def _store(conn: sqlite3.Connection, kiosk: Kiosk, verdicts: list[_Verdict], stamp: str) -> None:
    applied = [v for v in verdicts if v.status == "applied"]
    conn.executemany(
        "INSERT INTO changes (id, kiosk_id, seq, kind, created_at, sha256, payload, received_at,"
        " hlc, actor, record_type, record_id, base_version, patch)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_change_row(kiosk, v, stamp) for v in applied],
    )
    for kind, (_, insert) in KINDS.items():
        of_kind = [v.change for v in applied if v.change.kind == kind]
        if of_kind:
            insert(conn, kiosk, of_kind, stamp)
    conn.executemany(
        "INSERT OR IGNORE INTO refused_changes (change_id, kiosk_id, seq, sha256, reason, change,"
        " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [_refused_row(kiosk, v, stamp) for v in verdicts if v.status == "refused"],
    )


def _change_row(kiosk: Kiosk, verdict: _Verdict, stamp: str) -> tuple[Any, ...]:
    change = verdict.change
    payload = protocol.canonical(change.payload.model_dump(mode="json"))
    return (
        change.id,
        kiosk.id,
        change.seq,
        change.kind,
        change.created_at,
        verdict.fingerprint,
        payload,
        stamp,
        change.hlc,
        change.actor,
        change.record.type,
        change.record.id,
        change.base_version,
        None
        if change.patch is None
        else protocol.canonical(
            {name: field.model_dump(mode="json") for name, field in change.patch.items()}
        ),
    )


def _refused_row(kiosk: Kiosk, verdict: _Verdict, stamp: str) -> tuple[Any, ...]:
    change = verdict.change
    whole = protocol.canonical(change.model_dump(mode="json"))
    return (change.id, kiosk.id, change.seq, verdict.fingerprint, verdict.reason, whole, stamp)


def _known(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
    rows = conn.execute(
        "SELECT id, kiosk_id, sha256 FROM changes WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    return {row["id"]: (row["kiosk_id"], row["sha256"]) for row in rows}


def refused(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, Any]]:
    """The most recently refused changes, for staff."""
    rows = conn.execute(
        "SELECT change_id, kiosk_id, seq, reason, received_at FROM refused_changes"
        " ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [dict(row) for row in rows]
