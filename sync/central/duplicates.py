"""The duplicates queue: pairs of cases that may be one person or household, found when a
case is created (:mod:`sync.central.matches`), and a supervisor's decision on each
(``PROTOCOL.md``, "Duplicates").

:func:`merge` keeps one case (the survivor); the other becomes its alias, so a later
``case.update`` naming the old id lands on the survivor. Nothing is lost: every value
field on which the two differ becomes an open conflict on the survivor with each value
as a candidate (with the kiosk, actor and hlc that brought it), sets are joined, notes
are put together and the later status is kept. Both cases are published on the feed.
:func:`dismiss` records that they are different people. Each decision is audited.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from uuid6 import uuid7

from forms.cases import CaseType
from sync import clock
from sync import merge as three_way
from sync.central import audit, cases, conflicts, feed, matches
from sync.central.case_types import known as types
from sync.central.sign_ins import actor
from sync.central.staff import User
from sync.database import transaction
from sync.problems import DUPLICATE_DECIDED, NOT_FOUND, SURVIVOR_INVALID, Problem
from sync.protocol import canonical

_COLUMNS = (
    "id, type, case_a, case_b, reason, score, found_at, state, decided_by, decided_at, survivor"
)


@dataclass(frozen=True)
class Duplicate:
    id: int
    type: str
    case_a: str
    case_b: str
    #: ``national_id`` or ``name_dob_place``.
    reason: str
    #: How alike, in percent (100 for the same national ID).
    score: float
    found_at: str
    #: ``open``, ``merged`` or ``dismissed``.
    state: str
    decided_by: str | None = None
    decided_at: str | None = None
    survivor: str | None = None


@dataclass(frozen=True)
class Pair:
    """An open duplicate and its two cases as they are now."""

    duplicate: Duplicate
    a: cases.Case
    b: cases.Case


def queue(conn: sqlite3.Connection, limit: int = 50, offset: int = 0) -> list[Pair]:
    """Open pairs, the oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM duplicates WHERE state = 'open'"  # noqa: S608
        " ORDER BY found_at, id LIMIT :limit OFFSET :offset",
        {"limit": limit, "offset": offset},
    ).fetchall()
    pairs = []
    for row in rows:
        a, b = cases.get(conn, row["case_a"]), cases.get(conn, row["case_b"])
        if a is not None and b is not None and a.id != b.id:
            pairs.append(Pair(Duplicate(**dict(row)), a, b))
    return pairs


def find(conn: sqlite3.Connection, duplicate_id: int) -> Duplicate | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM duplicates WHERE id = ?",  # noqa: S608
        (duplicate_id,),
    ).fetchone()
    return None if row is None else Duplicate(**dict(row))


def aliases(conn: sqlite3.Connection, case_id: str) -> list[str]:
    """The other ids that name ``case_id``: the cases merged into it."""
    rows = conn.execute(
        "SELECT alias_id FROM case_aliases WHERE case_id = ?"
        " UNION SELECT id FROM cases WHERE merged_into = ? ORDER BY 1",
        (case_id, case_id),
    )
    return [row[0] for row in rows]


def merge(conn: sqlite3.Connection, duplicate_id: int, survivor_id: str, user: User) -> cases.Case:
    """Merge the pair into ``survivor_id`` (one of the two); the survivor as it is now."""
    with transaction(conn):
        pair = _open(conn, duplicate_id)
        ids = {cases.target(conn, pair.case_a), cases.target(conn, pair.case_b)}
        survivor = cases.target(conn, survivor_id)
        if survivor not in ids or len(ids) != 2:
            raise Problem(SURVIVOR_INVALID)
        [loser] = ids - {survivor}
        kept, gone = cases.load(conn, survivor), cases.load(conn, loser)
        assert kept is not None and gone is not None
        stamp = clock.now()
        moment = max(cases.later_than(kept.state), cases.later_than(gone.state))
        source = three_way.Source(actor(user), moment, str(uuid7()))
        case_type = types(conn)[kept.type]
        outcome = combine(kept.state, gone.state, case_type, _bases(conn, loser), source)
        cases.save(conn, kept, outcome, stamp, case_type)
        _retire(conn, loser, survivor, source, stamp)
        _decide(conn, pair.id, "merged", source.actor, stamp, survivor)
        _close_settled(conn, survivor, source.actor, stamp)
        audit.record(
            conn,
            source.actor,
            "duplicate.merge",
            survivor,
            user.id,
            duplicate=pair.id,
            merged=loser,
            conflicts=sorted(set(outcome.opened) | outcome.joined),
        )
        case = cases.get(conn, survivor)
        assert case is not None
        feed.publish(conn, "case", case.id, case.as_feed())
        feed.publish(conn, "case", loser, _feed_body(conn, loser))
        return case


def dismiss(conn: sqlite3.Connection, duplicate_id: int, user: User) -> Duplicate:
    """Record that the pair are different people or households."""
    with transaction(conn):
        pair = _open(conn, duplicate_id)
        by, stamp = actor(user), clock.now()
        _decide(conn, pair.id, "dismissed", by, stamp, None)
        details = {"duplicate": pair.id, "other": pair.case_b}
        audit.record(conn, by, "duplicate.dismiss", pair.case_a, user.id, **details)
    decided = find(conn, duplicate_id)
    assert decided is not None
    return decided


def combine(
    kept: three_way.State,
    gone: three_way.State,
    case_type: CaseType,
    bases: dict[str, Any],
    source: three_way.Source,
) -> three_way.Outcome:
    """``kept`` with everything ``gone`` holds, losing no value: ``value`` fields that
    differ are conflicts whose candidates keep who brought each value (``bases``: the
    base of each conflict ``gone`` had open); the other rules merge as if ``gone``'s value
    were a change made from nothing by ``source``, the merge itself."""
    combining = _Combining(dict(kept.fields), dict(kept.sources), dict(kept.conflicts), source)
    for name, rule in case_type.fields.items():
        if rule.rule == "value":
            combining.value(name, _candidates(gone, name), bases.get(name))
        elif gone.fields.get(name) is not None:
            combining.other(name, three_way.rule_of(rule), gone.fields[name])
    return combining.outcome()


@dataclass
class _Combining:
    fields: dict[str, Any]
    sources: dict[str, three_way.Source]
    conflicts: dict[str, tuple[three_way.Candidate, ...]]
    source: three_way.Source

    def __post_init__(self) -> None:
        self.moved: set[str] = set()
        self.opened: dict[str, Any] = {}
        self.joined: set[str] = set()

    def value(self, name: str, theirs: list[three_way.Candidate], base: Any) -> None:
        ours = list(self.conflicts.get(name, ())) or _candidates(
            three_way.State(self.fields, self.sources), name
        )
        every = ours + [c for c in theirs if c not in ours]
        if len({canonical(c.value) for c in every}) < 2:
            if not ours and theirs:
                shown = three_way.latest(theirs)
                self._set(name, shown.value, shown.source)
            return
        if name in self.conflicts:
            if len(every) > len(ours):
                self.joined.add(name)
        else:
            self.opened[name] = base
        self.conflicts[name] = tuple(every)
        shown = three_way.latest(every)
        self._set(name, shown.value, shown.source)

    def other(self, name: str, rule: three_way.Rule, theirs: Any) -> None:
        ours = self.fields.get(name)
        if rule.name == "set":
            value = three_way.merge_set(ours, None, theirs)
        elif rule.name == "notes":
            value = three_way.merge_notes(ours, None, theirs, self.source)
        else:
            value = three_way.merge_status(ours, theirs, rule.order)
        self._set(name, value, self.source)

    def _set(self, name: str, value: Any, source: three_way.Source) -> None:
        if name in self.fields and three_way.same(self.fields[name], value):
            return
        self.fields[name] = value
        self.sources[name] = source
        self.moved.add(name)

    def outcome(self) -> three_way.Outcome:
        state = three_way.State(self.fields, self.sources, self.conflicts)
        return three_way.Outcome(state, frozenset(self.moved), self.opened, frozenset(self.joined))


def _candidates(state: three_way.State, name: str) -> list[three_way.Candidate]:
    """Every value ``state`` holds for a value field: its conflict's, or its one value."""
    if name in state.conflicts:
        return list(state.conflicts[name])
    value = state.fields.get(name)
    if value is None:
        return []
    return [three_way.Candidate(value, state.sources.get(name, three_way.UNKNOWN))]


def _open(conn: sqlite3.Connection, duplicate_id: int) -> Duplicate:
    pair = find(conn, duplicate_id)
    if pair is None:
        raise Problem(NOT_FOUND)
    if pair.state != "open":
        raise Problem(DUPLICATE_DECIDED)
    return pair


def _bases(conn: sqlite3.Connection, case_id: str) -> dict[str, Any]:
    return {c.field: c.base for c in conflicts.of_case(conn, case_id) if c.resolved_at is None}


def _retire(
    conn: sqlite3.Connection, loser: str, survivor: str, source: three_way.Source, stamp: str
) -> None:
    """``loser`` becomes an alias of ``survivor``; its open conflicts moved with it."""
    resolution = {"merged_into": survivor, **source.as_json()}
    conn.execute(
        "UPDATE case_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?"
        " WHERE case_id = ? AND resolved_at IS NULL",
        (stamp, source.actor, canonical(resolution), loser),
    )
    conn.execute(
        "UPDATE cases SET merged_into = ?, version = version + 1, updated_at = ? WHERE id = ?",
        (survivor, stamp, loser),
    )
    conn.execute("UPDATE case_aliases SET case_id = ? WHERE case_id = ?", (survivor, loser))
    matches.forget(conn, loser)
    conn.execute(
        "INSERT INTO case_aliases (alias_id, case_id) VALUES (?, ?)"
        " ON CONFLICT (alias_id) DO UPDATE SET case_id = excluded.case_id",
        (loser, survivor),
    )


def _decide(
    conn: sqlite3.Connection,
    duplicate_id: int,
    state: str,
    actor: str,
    stamp: str,
    survivor: str | None,
) -> None:
    conn.execute(
        "UPDATE duplicates SET state = ?, decided_by = ?, decided_at = ?, survivor = ?"
        " WHERE id = ?",
        (state, actor, stamp, survivor, duplicate_id),
    )


def _close_settled(conn: sqlite3.Connection, survivor: str, actor: str, stamp: str) -> None:
    """Other open pairs whose two cases are now one: settled by the same merge."""
    conn.execute(
        "WITH one (id) AS (SELECT :survivor"
        "  UNION SELECT alias_id FROM case_aliases WHERE case_id = :survivor"
        "  UNION SELECT id FROM cases WHERE merged_into = :survivor)"
        " UPDATE duplicates SET state = 'merged', decided_by = :actor, decided_at = :stamp,"
        " survivor = :survivor WHERE state = 'open'"
        " AND case_a IN (SELECT id FROM one) AND case_b IN (SELECT id FROM one)",
        {"survivor": survivor, "actor": actor, "stamp": stamp},
    )


def _feed_body(conn: sqlite3.Connection, case_id: str) -> dict[str, Any]:
    """A merged case's feed item: what it held, and the case it now points to."""
    row = conn.execute(
        "SELECT type, id, version, fields, merged_into FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    return {**dict(row), "fields": json.loads(row["fields"]), "conflicts": []}
