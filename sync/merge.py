"""The three-way merge of a case change (``PROTOCOL.md``, "Cases and the three-way merge").

Pure functions, no I/O. Central merges each ``case.update`` into its copy of the case
with :func:`merge`; a kiosk lays its own unacknowledged changes over what it pulled with
:func:`overlay`. Each field merges by its case type's rule, from central's current value
``C``, the change's ``old`` ``O`` and its ``new`` ``N``:

* ``value``: ``C = O`` takes ``N``; ``C = N`` is nothing to do; otherwise a **conflict**
  that keeps every candidate, the field showing the candidate with the latest hlc. While
  a conflict is open, every value a change brings to the field joins it as a candidate.
* ``set``: ``C ∪ (N − O) − (O − N)``. Members stay in the order central has them; those
  the change added follow, in the change's order. A member is never there twice.
* ``notes``: each entry of ``N`` that is not in ``O`` is appended as
  ``{"text": entry, "hlc": …, "actor": …}`` with the change's hlc and actor (an entry
  already of that shape is kept as it is); an entry already there is not added again;
  entries are kept in hlc order. Notes are never removed.
* ``status``: the later of ``C`` and ``N`` in the declared order; a status never moves back.

Only ``value`` fields conflict. A field whose ``old`` equals its ``new`` was not edited
(a form sends every field it maps) and merges as nothing. Values are compared as
canonical JSON, so ``1`` and ``true`` differ and the order of an object's keys does not
matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.cases import RULES
from sync.protocol import canonical

NOTE_KEYS = frozenset({"text", "hlc", "actor"})


@dataclass(frozen=True)
class Rule:
    """How one field merges: a name from :data:`forms.cases.RULES`, and a status field's order."""

    name: str = "value"
    order: tuple[str, ...] = ()


def rule_of(spec: Any) -> Rule:
    """The rule of a field from a ``forms.cases.FieldRule``, a dict like one, or a name."""
    if isinstance(spec, Rule):
        return spec
    if isinstance(spec, str):
        name, order = spec, None
    elif isinstance(spec, Mapping):
        name, order = spec.get("rule", "value"), spec.get("order")
    else:
        name, order = getattr(spec, "rule", "value"), getattr(spec, "order", None)
    if name not in RULES:
        raise ValueError(f"unknown merge rule {name!r}")
    return Rule(name, tuple(order or ()))


@dataclass(frozen=True)
class Source:
    """Who brought a value: the actor, the hlc, and the change and kiosk when a kiosk did
    (``change_id`` names a staff decision's own id at central; ``kiosk_id`` is None)."""

    actor: str
    hlc: str
    change_id: str | None = None
    kiosk_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "change_id": self.change_id,
            "kiosk_id": self.kiosk_id,
            "actor": self.actor,
            "hlc": self.hlc,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Source:
        return cls(data["actor"], data["hlc"], data.get("change_id"), data.get("kiosk_id"))


#: The source of a value nobody is known to have brought (it predates the record keeping).
UNKNOWN = Source(actor="central", hlc="")


@dataclass(frozen=True)
class Candidate:
    """One value in a conflict, with where it came from."""

    value: Any
    source: Source

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, **self.source.as_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Candidate:
        return cls(data["value"], Source.from_json(data))


@dataclass(frozen=True)
class State:
    """A case as the merge sees it: its fields, who brought each value, open conflicts."""

    fields: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    conflicts: Mapping[str, tuple[Candidate, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """A merged case, and what the change did to it."""

    state: State
    #: Fields whose value changed.
    moved: frozenset[str]
    #: Conflicts the change opened: each field with its base (the change's ``old``).
    opened: Mapping[str, Any]
    #: Fields whose open conflict took a new candidate.
    joined: frozenset[str]

    @property
    def changed(self) -> bool:
        """Whether what kiosks see changed: a value, or which fields are in conflict."""
        return bool(self.moved or self.opened)


def same(a: Any, b: Any) -> bool:
    """Whether two JSON values are equal as JSON (``1`` is not ``true``)."""
    return a is b or canonical(a) == canonical(b)


def merge(
    current: State | Mapping[str, Any],
    rules: Mapping[str, Any],
    patch: Mapping[str, Any],
    source: Source,
    *,
    creates: bool = False,
) -> Outcome:
    """``current`` with one change merged in, field by field in the patch's order.

    ``rules`` maps field names to rules (:func:`rule_of`; a field it does not name is a
    ``value`` field); ``patch`` maps each field to ``{"old", "new"}`` (or an object with
    ``old`` and ``new``). ``creates``: the change was made with ``base_version`` 0, so its
    ``old`` is taken as null whatever it says.
    """
    state = current if isinstance(current, State) else State(fields=dict(current))
    merging = _Merging(dict(state.fields), dict(state.sources), dict(state.conflicts), source)
    for name, change in patch.items():
        old, new = _pair(change)
        old = None if creates else old
        if not same(old, new):
            merging.field(name, rule_of(rules.get(name, "value")), old, new)
    return merging.outcome()


def overlay(
    fields: Mapping[str, Any], rules: Mapping[str, Any], patch: Mapping[str, Any], source: Source
) -> dict[str, Any]:
    """``fields`` as the kiosk that made a change sees them until central acknowledges it:
    its own new value wins on ``value`` fields (it is what the person entered); sets,
    notes and statuses merge as they will at central."""
    result = dict(fields)
    for name, change in patch.items():
        old, new = _pair(change)
        if same(old, new):
            continue
        rule = rule_of(rules.get(name, "value"))
        result[name] = (
            new if rule.name == "value" else _combine(rule, result.get(name), old, new, source)
        )
    return result


def merge_set(current: Any, old: Any, new: Any) -> list[Any]:
    """``current ∪ (new − old) − (old − new)``, in central's order then the change's."""
    old_keys = _keys(_members(old))
    new_members = _members(new)
    removed = old_keys - _keys(new_members)
    added = [member for member in new_members if canonical(member) not in old_keys]
    return _unique(
        [m for m in _members(current) if canonical(m) not in removed] + added,
    )


def merge_notes(current: Any, old: Any, new: Any, source: Source) -> list[Any]:
    """``current`` with the entries the change added, stamped with its hlc and actor."""
    old_keys = _keys(_members(old))
    added = [
        entry if is_note(entry) else {"text": entry, "hlc": source.hlc, "actor": source.actor}
        for entry in _members(new)
        if canonical(entry) not in old_keys
    ]
    entries = _unique(_members(current) + added)
    return sorted(entries, key=lambda entry: entry["hlc"] if is_note(entry) else "")


def merge_status(current: Any, new: Any, order: Iterable[str]) -> Any:
    """The later of ``current`` and ``new`` in ``order``; a status never moves back."""
    ranks = {status: rank for rank, status in enumerate(order)}
    if new not in ranks:
        return current
    if current not in ranks:
        return new
    return new if ranks[new] > ranks[current] else current


def is_note(entry: Any) -> bool:
    """Whether ``entry`` is a note as central keeps it: ``{"text", "hlc", "actor"}``."""
    return isinstance(entry, dict) and set(entry) == NOTE_KEYS and isinstance(entry["hlc"], str)


def latest(candidates: Iterable[Candidate]) -> Candidate:
    """The candidate with the latest hlc: the one a conflicted field shows."""
    return max(candidates, key=lambda candidate: candidate.source.hlc)


@dataclass
class _Merging:
    fields: dict[str, Any]
    sources: dict[str, Source]
    conflicts: dict[str, tuple[Candidate, ...]]
    source: Source
    moved: set[str] = field(default_factory=set)
    opened: dict[str, Any] = field(default_factory=dict)
    joined: set[str] = field(default_factory=set)

    def field(self, name: str, rule: Rule, old: Any, new: Any) -> None:
        if rule.name == "value":
            self._value(name, old, new)
            return
        value = _combine(rule, self.fields.get(name), old, new, self.source)
        if name not in self.fields or not same(self.fields[name], value):
            self._set(name, value, self.source)

    def _value(self, name: str, old: Any, new: Any) -> None:
        current = self.fields.get(name)
        known = self.sources.get(name, UNKNOWN)
        if name in self.conflicts:
            self.conflicts[name] += (Candidate(new, self.source),)
            self.joined.add(name)
            self._show(name)
        elif same(current, new):
            if self.source.hlc > known.hlc:  # the latest to say so, as if it came last
                self.sources[name] = self.source
        elif same(current, old):
            self._set(name, new, self.source)
        else:
            self.conflicts[name] = (Candidate(current, known), Candidate(new, self.source))
            self.opened[name] = old
            self._show(name)

    def _show(self, name: str) -> None:
        shown = latest(self.conflicts[name])
        self._set(name, shown.value, shown.source)

    def _set(self, name: str, value: Any, source: Source) -> None:
        if not same(self.fields.get(name), value) or name not in self.fields:
            self.moved.add(name)
        self.fields[name] = value
        self.sources[name] = source

    def outcome(self) -> Outcome:
        state = State(self.fields, self.sources, self.conflicts)
        return Outcome(state, frozenset(self.moved), self.opened, frozenset(self.joined))


def _combine(rule: Rule, current: Any, old: Any, new: Any, source: Source) -> Any:
    if rule.name == "set":
        return merge_set(current, old, new)
    if rule.name == "notes":
        return merge_notes(current, old, new, source)
    return merge_status(current, new, rule.order)


def _pair(change: Any) -> tuple[Any, Any]:
    if isinstance(change, Mapping):
        return change.get("old"), change.get("new")
    return change.old, change.new


def _members(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _keys(values: list[Any]) -> set[str]:
    return {canonical(value) for value in values}


def _unique(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    kept = []
    for value in values:
        key = canonical(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept
