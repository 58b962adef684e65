"""Cases at central: ``case.update`` changes merged field by field, never losing a value.

Each change is merged (:mod:`sync.merge`) into central's copy of its case, in the order
the push carries them, inside the push's transaction: a ``value`` field edited to two
different values concurrently opens a **conflict** for staff, which keeps every
candidate. A case's version is 1 when it is created and moves by one whenever what
kiosks see of it changes (a value, or which fields are in conflict); each field records
the version that last changed it, and who brought its value. Every case that moved is
published on the feed.

The rules come from the case types central knows (:mod:`sync.central.case_types`).
Staff read conflicts with :mod:`sync.central.conflicts` and answer them with
:func:`resolve` (several of one case at once with :func:`resolve_many`). Each case
created is matched against the others (:mod:`sync.central.matches`) for duplicates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from uuid6 import uuid7

from forms.cases import CaseType
from sync import clock, hlc, merge
from sync.central import audit, feed, matches
from sync.central.case_types import known as types
from sync.central.fleet import Kiosk
from sync.central.sign_ins import actor
from sync.central.staff import User
from sync.database import transaction
from sync.problems import CASE_CHANGED, NOT_FOUND, Problem
from sync.protocol import CaseUpdate, canonical

KIND = "case.update"
#: Why a ``case.update`` can be refused (kept in ``refused_changes`` for staff).
REFUSALS = (
    "case_type_unknown",  # record.type is no case type central knows
    "case_field_unknown",  # the patch names a field the type does not have
    "case_value_invalid",  # a new value does not fit its field (type, status order)
    "case_unknown",  # base_version > 0 for a case central never had
    "case_type_mismatch",  # the case exists with another type
)
MAX_HOPS = 20  # aliases and merges followed before giving up on a chain


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    version: int
    fields: dict[str, Any]
    field_versions: dict[str, int]
    #: The fields with an open conflict, in name order.
    conflicts: list[str]
    merged_into: str | None
    created_at: str
    updated_at: str

    def as_feed(self) -> dict[str, Any]:
        """The body of the case's feed item (``PROTOCOL.md``, "Pull")."""
        keys = ("type", "id", "version", "fields", "conflicts", "merged_into")
        return {key: getattr(self, key) for key in keys}

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Seen:
    """What a person saw of a case when they decided: its version and, by conflict id,
    how many candidates each of its open conflicts had."""

    version: int
    candidates: Mapping[int, int]


@dataclass(frozen=True)
class Stored:
    """A case row as the merge needs it."""

    id: str
    type: str
    version: int
    state: merge.State
    field_versions: dict[str, int]


def refusals(
    conn: sqlite3.Connection, kiosk: Kiosk, changes: Sequence[CaseUpdate]
) -> dict[str, str]:
    """Why each change that cannot be merged is refused, by change id."""
    known = types(conn)
    created: dict[str, str] = {}  # cases created earlier in this batch, with their type
    refused: dict[str, str] = {}
    for change in changes:
        case_id = target(conn, change.record.id)
        existing = created.get(case_id) or _type_of(conn, case_id)
        reason = _refusal(change, known, existing)
        if reason is not None:
            refused[change.id] = reason
        else:
            created.setdefault(case_id, change.record.type)
    return refused


def _refusal(change: CaseUpdate, known: dict[str, CaseType], existing: str | None) -> str | None:
    case_type = known.get(change.record.type)
    if case_type is None:
        return "case_type_unknown"
    for name, field in (change.patch or {}).items():
        if name not in case_type.fields:
            return "case_field_unknown"
        if not case_type.fields[name].accepts(field.new):
            return "case_value_invalid"
    if existing is None:
        return "case_unknown" if change.base_version > 0 else None
    return None if existing == change.record.type else "case_type_mismatch"


def insert(
    conn: sqlite3.Connection, kiosk: Kiosk, changes: Sequence[CaseUpdate], stamp: str
) -> None:
    """Merge each change into its case, in order; publish every case that moved."""
    known = types(conn)
    before: dict[str, int] = {}
    for change in changes:
        case_id = target(conn, change.record.id)
        stored = load(conn, case_id) or _create(conn, case_id, change.record.type, stamp)
        before.setdefault(case_id, stored.version)
        case_type = known[stored.type]
        source = merge.Source(change.actor, change.hlc, change.id, kiosk.id)
        outcome = merge.merge(
            stored.state,
            case_type.fields,
            change.patch or {},
            source,
            creates=change.base_version == 0,
        )
        save(conn, stored, outcome, stamp, case_type)
    for case_id, version in before.items():
        case = get(conn, case_id)
        if case is not None and case.version != version:
            feed.publish(conn, "case", case.id, case.as_feed())
    created = [case_id for case_id, version in before.items() if version == 0]
    matches.look_for(conn, created, known, stamp)


def resolve(conn: sqlite3.Connection, conflict_id: int, value: Any, user: User) -> Case:
    """A person's answer to a conflict: ``value`` (a candidate's or one they typed) becomes
    the field's, the conflict closes, and the case moves on one version."""
    return resolve_many(conn, {conflict_id: value}, user)


def resolve_many(
    conn: sqlite3.Connection, answers: Mapping[int, Any], user: User, seen: Seen | None = None
) -> Case:
    """A person's answers to several open conflicts of one case, by conflict id, in one
    transaction: as :func:`resolve`, with one audit entry and one new version for all.
    With ``seen`` (the case as the person saw it), ``case_changed`` when the case has
    moved on since, checked inside the transaction that decides."""
    with transaction(conn):
        rows = [
            conn.execute(
                "SELECT case_id, field FROM case_conflicts WHERE id = ? AND resolved_at IS NULL",
                (conflict_id,),
            ).fetchone()
            for conflict_id in answers
        ]
        if not rows or None in rows or len({row["case_id"] for row in rows}) != 1:
            raise Problem(NOT_FOUND)
        case_id = rows[0]["case_id"]
        if seen is not None and _moved(conn, case_id, seen):
            raise Problem(CASE_CHANGED)
        values = {row["field"]: value for row, value in zip(rows, answers.values(), strict=True)}
        return _decide(conn, case_id, values, user, "case.resolve")


def _moved(conn: sqlite3.Connection, case_id: str, seen: Seen) -> bool:
    """Whether the case is no longer as ``seen``: a new version, a conflict closed or
    opened, a candidate that joined one."""
    row = conn.execute("SELECT version FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None or row["version"] != seen.version:
        return True
    rows = conn.execute(
        "SELECT id, json_array_length(candidates) FROM case_conflicts"
        " WHERE case_id = ? AND resolved_at IS NULL",
        (case_id,),
    )
    return {r[0]: r[1] for r in rows} != dict(seen.candidates)


def edit(conn: sqlite3.Connection, case_id: str, values: Mapping[str, Any], user: User) -> Case:
    """A person at central changes fields of a case, as a change made against what they
    see: it merges like a kiosk's (a status still never moves back, notes are added), and
    a field with an open conflict is resolved with the value given."""
    with transaction(conn):
        return _decide(conn, target(conn, case_id), values, user, "case.edit")


def _decide(
    conn: sqlite3.Connection, case_id: str, values: Mapping[str, Any], user: User, action: str
) -> Case:
    stored = load(conn, case_id)
    if stored is None:
        raise Problem(NOT_FOUND)
    case_type = types(conn)[stored.type]
    for name, value in values.items():
        if name not in case_type.fields or not case_type.fields[name].accepts(value):
            raise ValueError(f"{name}: not a value of the {stored.type} case type's field")
    stamp = clock.now()
    source = merge.Source(actor(user), later_than(stored.state), str(uuid7()))
    conflicts = dict(stored.state.conflicts)
    resolved = {name: conflicts.pop(name) for name in list(values) if name in conflicts}
    chose = {
        name: _close(conn, case_id, name, values[name], candidates, source, stamp)
        for name, candidates in resolved.items()
    }
    fields = {**stored.state.fields, **{name: values[name] for name in resolved}}
    sources = {**stored.state.sources, **dict.fromkeys(resolved, source)}
    state = merge.State(fields, sources, conflicts)
    patch = {n: {"old": fields.get(n), "new": v} for n, v in values.items() if n not in resolved}
    outcome = merge.merge(state, case_type.fields, patch, source)
    outcome = replace(outcome, moved=outcome.moved | set(resolved))
    save(conn, stored, outcome, stamp, case_type)
    case = get(conn, case_id)
    assert case is not None
    details = {"fields": sorted(values), "version": case.version, "chose": chose}
    audit.record(conn, source.actor, action, case_id, user.id, **details)
    if case.version != stored.version:
        feed.publish(conn, "case", case.id, case.as_feed())
    return case


def _close(
    conn: sqlite3.Connection,
    case_id: str,
    name: str,
    value: Any,
    candidates: tuple[merge.Candidate, ...],
    source: merge.Source,
    stamp: str,
) -> str | None:
    """Close the open conflict on ``name``; the change id of the candidate chosen (None
    when the value was typed)."""
    chosen = next((c for c in candidates if merge.same(c.value, value)), None)
    resolution = {
        "value": value,
        "chose": chosen.source.change_id if chosen else None,
        **source.as_json(),
    }
    conn.execute(
        "UPDATE case_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?"
        " WHERE case_id = ? AND field = ? AND resolved_at IS NULL",
        (stamp, source.actor, canonical(resolution), case_id, name),
    )
    return resolution["chose"]


def later_than(state: merge.State) -> str:
    """An hlc for a decision at central, later than every value it decides between."""
    stamps = [source.hlc for source in state.sources.values()]
    stamps += [c.source.hlc for candidates in state.conflicts.values() for c in candidates]
    seen = max((hlc.parse(text) for text in stamps if text), default=hlc.ZERO)
    return str(hlc.tick(seen, "central"))


def target(conn: sqlite3.Connection, case_id: str) -> str:
    """The case that ``case_id`` names now: itself, or the case it was merged into."""
    for _ in range(MAX_HOPS):
        row = conn.execute(
            "SELECT (SELECT case_id FROM case_aliases WHERE alias_id = :id),"
            " (SELECT merged_into FROM cases WHERE id = :id)",
            {"id": case_id},
        ).fetchone()
        survivor = row[0] or row[1]
        if survivor is None or survivor == case_id:
            return case_id
        case_id = survivor
    return case_id


def _type_of(conn: sqlite3.Connection, case_id: str) -> str | None:
    row = conn.execute("SELECT type FROM cases WHERE id = ?", (case_id,)).fetchone()
    return None if row is None else str(row[0])


def _create(conn: sqlite3.Connection, case_id: str, case_type: str, stamp: str) -> Stored:
    conn.execute(
        "INSERT INTO cases (id, type, version, created_at, updated_at) VALUES (?, ?, 0, ?, ?)",
        (case_id, case_type, stamp, stamp),
    )
    return Stored(case_id, case_type, 0, merge.State(), {})


def load(conn: sqlite3.Connection, case_id: str) -> Stored | None:
    """The case row ``case_id`` (not following aliases) as the merge needs it."""
    row = conn.execute(
        "SELECT id, type, version, fields, field_versions, field_sources FROM cases WHERE id = ?",
        (case_id,),
    ).fetchone()
    if row is None:
        return None
    sources = json.loads(row["field_sources"])
    state = merge.State(
        json.loads(row["fields"]),
        {name: merge.Source.from_json(source) for name, source in sources.items()},
        {
            conflict["field"]: tuple(merge.Candidate.from_json(c) for c in conflict["candidates"])
            for conflict in _open_conflicts(conn, case_id)
        },
    )
    return Stored(row["id"], row["type"], row["version"], state, json.loads(row["field_versions"]))


def save(
    conn: sqlite3.Connection,
    stored: Stored,
    outcome: merge.Outcome,
    stamp: str,
    case_type: CaseType,
) -> None:
    """Store a merge's outcome: a new version if kiosks see a change, conflicts opened
    and joined. Call inside the transaction that made it; ``case_type`` is the case's."""
    changed = outcome.changed or stored.version == 0
    version = stored.version + 1 if changed else stored.version
    field_versions = {
        **stored.field_versions,
        **dict.fromkeys(outcome.moved | set(outcome.opened), version),
    }
    state = outcome.state
    conn.execute(
        "UPDATE cases SET version = ?, fields = ?, field_versions = ?, field_sources = ?,"
        " updated_at = CASE WHEN ? THEN ? ELSE updated_at END WHERE id = ?",
        (
            version,
            canonical(state.fields),
            canonical(field_versions),
            canonical({name: source.as_json() for name, source in state.sources.items()}),
            changed,
            stamp,
            stored.id,
        ),
    )
    for name, base in outcome.opened.items():
        conn.execute(
            "INSERT INTO case_conflicts (case_id, field, base, candidates, opened_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (stored.id, name, canonical(base), _candidates(state.conflicts[name]), stamp),
        )
    for name in outcome.joined:
        conn.execute(
            "UPDATE case_conflicts SET candidates = ?"
            " WHERE case_id = ? AND field = ? AND resolved_at IS NULL",
            (_candidates(state.conflicts[name]), stored.id, name),
        )
    if changed:
        matches.remember(conn, stored.id, stored.type, case_type, state.fields)


def _candidates(candidates: Sequence[merge.Candidate]) -> str:
    return canonical([candidate.as_json() for candidate in candidates])


def _open_conflicts(conn: sqlite3.Connection, case_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT field, candidates FROM case_conflicts"
        " WHERE case_id = ? AND resolved_at IS NULL ORDER BY field",
        (case_id,),
    )
    return [{"field": r["field"], "candidates": json.loads(r["candidates"])} for r in rows]


def get(conn: sqlite3.Connection, case_id: str) -> Case | None:
    """The case ``case_id`` names (following aliases), as kiosks and staff see it."""
    row = conn.execute(
        "SELECT id, type, version, fields, field_versions, merged_into, created_at, updated_at"
        " FROM cases WHERE id = ?",
        (target(conn, case_id),),
    ).fetchone()
    if row is None:
        return None
    conflicts = [conflict["field"] for conflict in _open_conflicts(conn, row["id"])]
    return Case(
        **{
            **dict(row),
            "fields": json.loads(row["fields"]),
            "field_versions": json.loads(row["field_versions"]),
            "conflicts": conflicts,
        }
    )
