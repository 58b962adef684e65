"""Cases converge whatever the interleaving (PROTOCOL.md, "Cases and the three-way merge").

Two kiosks and central's staff edit one household in a random order. Each kiosk bases its
edits on the case it last pulled with its own unacknowledged changes laid over it
(:func:`sync.merge.overlay`), as the protocol says; a kiosk's changes reach central in its
own seq order, but its batches are cut anywhere, replayed from earlier, and their
acknowledgements sometimes lost, and the two kiosks' pushes and pulls interleave freely.
Central is the real one: :func:`sync.central.intake.apply` on a real SQLite file.

After everything is delivered and pulled:

1. **Convergence**: every kiosk's view is central's case (fields, version, conflicts).
2. **No accepted value disappears**: every value a change or a person gave a ``value``
   field is the field's value, a candidate of its open conflict, or was superseded by a
   later change whose ``old`` was that value or by a decision at central; every member a
   change added to a set is there unless a later change removed it; every note added is
   there; the status is at least every status ever given.
3. **Conflicts exactly where concurrent values differ.** A change is *concurrent* with the
   value central holds for a field when the change's ``old`` (null for ``base_version`` 0)
   is not that value: its author had not seen it. The oracle below replays central's
   arrival order: a concurrent change whose ``new`` differs from that value opens a
   conflict; while one is open every value joins it; a decision at central closes it. Its
   open conflicts, their candidates and how many were ever opened must be central's.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from uuid6 import uuid7

from forms.cases import load_case_types
from sync import hlc, merge
from sync.central import case_types, cases, conflicts, feed, fleet, intake, staff, storage
from sync.database import connect, transaction
from sync.protocol import PushRequest, canonical

HOUSEHOLD = load_case_types()["household"]
RULES = HOUSEHOLD.fields
ORDER = RULES["status"].order or []
EDITED = ("head_name", "village", "members", "phones", "notes", "status")
VALUES = ("head_name", "village", "members")
PHONES = ("+254700000001", "+254700000002", "+254700000003", "+254700000004")
POOL: dict[str, list[Any]] = {
    "head_name": ["Amina", "Awa"],
    "village": ["Kisumu"],
    "members": [3, 4],
}
CASE_ID = str(uuid7())
START_MS = hlc.wall_ms()


@dataclass
class Central:
    conn: sqlite3.Connection
    user: staff.User


@pytest.fixture(scope="module")
def template():
    """Central's database with the household type, two kiosks and a supervisor, made once
    and copied for every example."""
    with tempfile.TemporaryDirectory() as folder:
        conn = storage.open_database(Path(folder))
        with transaction(conn):
            case_types.remember(conn, {"household": HOUSEHOLD})
            conn.execute(
                "INSERT INTO users (id, email, password_hash, role, created_at)"
                " VALUES (1, 'supervisor@example.org', 'x', 'supervisor', 't')"
            )
        kiosks = [fleet.enroll(conn, fleet.create(conn, name, 1)[1])[0] for name in ("A", "B")]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        yield Path(folder) / storage.FILENAME, kiosks


@dataclass
class Kiosk:
    """A kiosk as the protocol describes it: an outbox, an acknowledgement, a cursor and
    the case as it last pulled it."""

    record: fleet.Kiosk
    skew_ms: int
    outbox: list[dict[str, Any]] = field(default_factory=list)
    acked: int = 0
    cursor: int = 0
    pulled: dict[str, Any] | None = None
    clock: hlc.Timestamp = hlc.ZERO

    @property
    def pending(self) -> list[dict[str, Any]]:
        return self.outbox[self.acked :]

    def view(self) -> dict[str, Any]:
        fields = dict(self.pulled["fields"]) if self.pulled else {}
        for change in self.pending:
            source = merge.Source(change["actor"], change["hlc"], change["id"])
            fields = merge.overlay(fields, RULES, change["patch"], source)
        return fields

    def edit(self, step: int, names: list[str], choice: int) -> None:
        view = self.view()
        patch = {
            name: {"old": view.get(name), "new": _new(name, view, choice, step)} for name in names
        }
        # a kiosk that has pulled nothing made the case itself (its first change, base 0)
        base = self.pulled["version"] if self.pulled else min(len(self.outbox), 1)
        self.clock = hlc.tick(self.clock, self.record.code, START_MS + step * 10 + self.skew_ms)
        self.outbox.append(
            {
                "id": str(uuid7()),
                "seq": len(self.outbox) + 1,
                "kind": "case.update",
                "created_at": "2026-11-26T09:00:00.000Z",
                "hlc": str(self.clock),
                "actor": f"kiosk:{self.record.code}",
                "record": {"type": "household", "id": CASE_ID},
                "base_version": base,
                "patch": patch,
                "payload": {},
            }
        )


def _new(name: str, current: dict[str, Any], choice: int, step: int) -> Any:
    """A new value for ``name``: sometimes one another edit may give too, else a fresh one."""
    if name in VALUES:
        pool = POOL[name]
        if choice % 3 < len(pool) and choice % 2:
            return pool[choice % 3]
        return 10 + step if name == "members" else f"{name}-{step}"
    if name == "phones":
        phones = list(current.get("phones") or [])
        phone = PHONES[choice % len(PHONES)]
        return [p for p in phones if p != phone] if phone in phones else [*phones, phone]
    if name == "notes":
        return [*(current.get("notes") or []), f"note {step}"]
    return ORDER[choice % len(ORDER)]


@dataclass
class Run:
    central: Central
    kiosks: list[Kiosk]
    #: What central applied, in its order: ("change", wire change) or ("staff", patch)
    events: list[tuple[Any, ...]] = field(default_factory=list)

    def push(self, kiosk: Kiosk, replay: int, length: int, lose_ack: bool) -> None:
        start = max(0, kiosk.acked - replay)
        changes = kiosk.outbox[start : max(kiosk.acked + length, start + 1)]
        if not changes:
            return
        push = PushRequest.model_validate(
            {"protocol": 1, "kiosk_id": kiosk.record.id, "changes": changes}
        )
        answer = intake.apply(self.central.conn, kiosk.record, push)
        for change, result in zip(changes, answer.results, strict=True):
            assert result.status != "refused", result
            if result.status == "applied":
                self.events.append(("change", change))
        if not lose_ack:
            kiosk.acked = max(kiosk.acked, min(answer.acked_through, len(kiosk.outbox)))

    def pull(self, kiosk: Kiosk, limit: int) -> None:
        for item in feed.since(self.central.conn, kiosk.record.id, kiosk.cursor, limit):
            if item.kind == "case" and item.key == CASE_ID:
                kiosk.pulled = item.body
            kiosk.cursor = item.cursor

    def staff(self, step: int, choice: int) -> None:
        conn = self.central.conn
        case = cases.get(conn, CASE_ID)
        if case is None:
            return
        queued = conflicts.queue(conn)
        if queued and choice % 4:
            conflict = queued[choice % len(queued)].conflict
            candidates = conflict.candidates
            value = candidates[choice % len(candidates)].value if choice % 3 else f"typed-{step}"
            if conflict.field == "members" and not choice % 3:
                value = 100 + step
            cases.resolve(conn, conflict.id, value, self.central.user)
            self.events.append(("staff", {conflict.field: {"old": None, "new": value}}))
            return
        name = EDITED[choice % len(EDITED)]
        value = _new(name, case.fields, choice // 7, step)
        cases.edit(conn, CASE_ID, {name: value}, self.central.user)
        self.events.append(("staff", {name: {"old": case.fields.get(name), "new": value}}))

    def settle(self) -> None:
        for kiosk in self.kiosks:
            while kiosk.pending:
                self.push(kiosk, 0, 50, False)
        for kiosk in self.kiosks:
            self.pull(kiosk, 1000)


EDITS = st.tuples(
    st.just("edit"),
    st.integers(0, 1),
    st.lists(st.sampled_from(EDITED + VALUES), min_size=1, max_size=2, unique=True),
    st.integers(0, 11),
)
ACTIONS = st.one_of(
    EDITS,
    EDITS,
    st.tuples(
        st.just("push"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 4), st.booleans()
    ),
    st.tuples(st.just("pull"), st.integers(0, 1), st.integers(1, 3)),
    st.tuples(st.just("staff"), st.integers(0, 83)),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=st.lists(ACTIONS, min_size=10, max_size=40),
    skews=st.tuples(st.sampled_from([-40, 0, 40]), st.sampled_from([-40, 0, 40])),
)
def test_kiosks_and_central_converge_without_losing_a_value(template, actions, skews):
    path, records = template
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(path, Path(folder) / storage.FILENAME)
        conn = connect(Path(folder) / storage.FILENAME)
        try:
            user = staff.User(1, "supervisor@example.org", "supervisor")
            run = Run(
                Central(conn, user),
                [Kiosk(r, s) for r, s in zip(records, skews, strict=True)],
            )
            _play(run, actions)
            run.settle()
            _check(run)
            _note(run)
        finally:
            conn.close()


def _play(run: Run, actions: list[tuple[Any, ...]]) -> None:
    for step, action in enumerate(actions, start=1):
        match action:
            case ("edit", k, names, choice):
                run.kiosks[k].edit(step, names, choice)
            case ("push", k, replay, length, lose_ack):
                run.push(run.kiosks[k], replay, length, lose_ack)
            case ("pull", k, limit):
                run.pull(run.kiosks[k], limit)
            case ("staff", choice):
                run.staff(step, choice)


def _check(run: Run) -> None:
    conn = run.central.conn
    case = cases.get(conn, CASE_ID)
    for kiosk in run.kiosks:
        assert not kiosk.pending
        if case is None:
            assert kiosk.pulled is None and not kiosk.outbox
            continue
        assert kiosk.pulled == case.as_feed()
        assert kiosk.view() == case.fields
    if case is not None:
        open_conflicts = {
            c.field: c for c in conflicts.of_case(conn, CASE_ID) if c.resolved_at is None
        }
        _check_nothing_lost(run.events, case, open_conflicts)
        _check_conflicts(run.events, case, open_conflicts, conn)


def _effective(event: tuple[Any, ...]) -> dict[str, tuple[Any, Any]]:
    """Each field an event edited, with its ``old`` as central merged it (null for a change
    made with ``base_version`` 0) and its ``new``; a field sent unchanged was not edited."""
    patch = event[1] if event[0] == "staff" else event[1]["patch"]
    creates = event[0] == "change" and event[1]["base_version"] == 0
    fields = {n: (None if creates else c["old"], c["new"]) for n, c in patch.items()}
    return {n: (old, new) for n, (old, new) in fields.items() if not merge.same(old, new)}


def _check_nothing_lost(events, case: cases.Case, open_conflicts) -> None:
    touched = [(event[0], _effective(event)) for event in events]
    for index, (who, fields) in enumerate(touched):
        later = touched[index + 1 :]
        for name, (old, new) in fields.items():
            if name in VALUES:
                candidates = open_conflicts[name].candidates if name in open_conflicts else []
                assert (
                    merge.same(case.fields.get(name), new)
                    or any(merge.same(c.value, new) for c in candidates)
                    or any(_supersedes(by, f, name, new) for by, f in later)
                ), (name, new)
            elif name == "phones":
                kept = {canonical(p) for p in case.fields.get("phones") or []}
                for member in merge.merge_set([], old, new):
                    removed = any(
                        name in f
                        and member in (f[name][0] or [])
                        and member not in (f[name][1] or [])
                        for _, f in later
                    )
                    assert canonical(member) in kept or removed, member
            elif name == "notes":
                texts = [(n["text"], n["actor"]) for n in case.fields.get("notes") or []]
                actor = events[index][1]["actor"] if who == "change" else "staff:1"
                for text in new[len(old or []) :]:
                    assert (text, actor) in texts, text
            elif name == "status":
                assert ORDER.index(case.fields["status"]) >= ORDER.index(new)


def _supersedes(who: str, fields: dict[str, tuple[Any, Any]], name: str, value: Any) -> bool:
    """Whether a later event replaced ``value``: a change made against it, or central."""
    return name in fields and (who == "staff" or merge.same(fields[name][0], value))


@dataclass
class _Field:
    value: Any = None
    open: bool = False
    candidates: list[Any] = field(default_factory=list)
    opened: int = 0


def _check_conflicts(events, case: cases.Case, open_conflicts, conn) -> None:
    model = {name: _Field() for name in VALUES}
    for happened in events:
        for name, (old, new) in _effective(happened).items():
            if name not in model:
                continue
            state = model[name]
            if happened[0] == "staff":
                state.value, state.open, state.candidates = new, False, []
            elif state.open:
                state.candidates.append(new)
            elif merge.same(new, state.value):
                pass
            elif merge.same(old, state.value):
                state.value = new
            else:
                state.open, state.opened = True, state.opened + 1
                state.candidates = [state.value, new]
    assert set(case.conflicts) == {name for name, state in model.items() if state.open}
    assert set(case.conflicts) <= set(VALUES)
    opened = Counter(row[0] for row in conn.execute("SELECT field FROM case_conflicts"))
    for name, state in model.items():
        assert opened[name] == state.opened, name
        if state.open:
            candidates = open_conflicts[name].candidates
            assert sorted(canonical(c.value) for c in candidates) == sorted(
                canonical(v) for v in state.candidates
            )
            assert merge.same(case.fields.get(name), merge.latest(candidates).value)
        else:
            assert merge.same(case.fields.get(name), state.value), name


def _note(run: Run) -> None:
    """What the example did, for ``--hypothesis-show-statistics``."""
    rows = run.central.conn.execute(
        "SELECT COUNT(*), COUNT(resolved_at) FROM case_conflicts"
    ).fetchone()
    event("no conflict" if not rows[0] else "conflicts, resolved" if rows[1] else "conflicts")
