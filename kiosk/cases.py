"""Cases at the kiosk: what this kiosk knows of each case, and the case change a form makes.

The kiosk's **view** of a case is central's version as last pulled (``sync.inbox``) with
this kiosk's own changes that central has not acknowledged laid over it
(``sync.merge.overlay``), so people see their edits at once, offline too. Until the kiosk
has pulled a case at all, every change it made to the case counts.

A form with a ``case:`` block (``forms.schema.CaseLink``):

* **updates** a case once its ``id_field`` is answered (:func:`learn`): the answer is the
  case id or the reference of a submission that created or changed it (the number on its
  receipt; the case type keeps the creating one in its ``reference`` field). A number this
  kiosk does not know is the answer error ``case_unknown``. Every mapped question not yet
  answered is filled with the case's value, and the draft remembers what was shown
  (``answers["_case"]``, which a submission never carries);
* on submit, makes the ``case.update`` queued with the submission (:func:`edit`): every
  mapped field whose answer differs from what was shown, ``old`` being what was shown and
  ``base_version`` the version the kiosk had pulled; a form that **creates** a case sends
  every answered field with ``base_version`` 0, and the submission's reference in the
  type's ``reference`` field.

How an answer becomes a value follows the field's rule: a ``value`` or ``status`` field
takes the answer; a ``set`` or ``notes`` field asked by a question with one answer (a
phone number, a note) gets that answer added to what was shown; a blank answer changes
nothing (a kiosk form never clears a case's value).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from uuid6 import uuid7

from forms.cases import CaseType
from forms.errors import FieldError
from forms.pages import Page
from forms.schema import CaseLink, Field, FormDefinition
from forms.validation import parse_answer
from kiosk import submissions
from sync import inbox, merge, outbox, reference

KIND = "case.update"
#: Where a draft keeps the case its form is about, and what the kiosk showed of it.
DRAFT_KEY = "_case"
MAX_HOPS = 20  # merged cases followed before giving up on a chain
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_BLANK: tuple[Any, ...] = (None, "", [])
Types = Mapping[str, CaseType]
Problems = dict[str, tuple[Page, FieldError]]


@dataclass(frozen=True)
class View:
    """A case as this kiosk knows it."""

    type: str
    id: str
    #: The version a change made now is made against (1 for a case created here and
    #: not pulled yet, as ``PROTOCOL.md`` says).
    version: int
    fields: dict[str, Any]
    #: The fields with a conflict open at central, as last pulled.
    conflicts: tuple[str, ...] = ()


def view(conn: sqlite3.Connection, case_id: str, types: Types) -> View | None:
    """The case ``case_id`` (or the case it was merged into) as this kiosk knows it."""
    ids, pulled = follow(conn, case_id)
    own = sorted(
        (
            change
            for known in ids
            for change in outbox.about(conn, known, pending=pulled is not None)
            if change.kind == KIND
        ),
        key=lambda change: change.seq,
    )
    if pulled is None and not own:
        return None
    case_type = pulled.type if pulled else own[0].record["type"]
    rules = rules_of(types, case_type)
    fields = dict(pulled.fields) if pulled else {}
    for change in own:
        source = merge.Source(change.actor, change.hlc)
        fields = merge.overlay(fields, rules, change.patch or {}, source)
    if pulled is None:
        return View(case_type, case_id, 1, fields)
    return View(pulled.type, pulled.id, pulled.version, fields, tuple(pulled.conflicts))


def follow(conn: sqlite3.Connection, case_id: str) -> tuple[list[str], inbox.Case | None]:
    """The ids from ``case_id`` to the case it was merged into, and that case as pulled."""
    ids, pulled = [case_id], inbox.case(conn, case_id)
    for _ in range(MAX_HOPS):
        survivor = pulled and pulled.merged_into
        if not survivor or survivor in ids or (found := inbox.case(conn, survivor)) is None:
            break
        ids.append(survivor)
        pulled = found
    return ids, pulled


def rules_of(types: Types, case_type: str) -> Mapping[str, Any]:
    """The merge rule of each field (every field is a ``value`` field of a type this kiosk
    does not have: central, which has it, merges by its own rules)."""
    known = types.get(case_type)
    return known.fields if known else {}


def find(conn: sqlite3.Connection, types: Types, case_type: str, typed: str) -> View | None:
    """The case of ``case_type`` that ``typed`` names: a reference on one of its receipts,
    or its id; None when this kiosk knows no such case."""
    text = typed.strip()
    ref = reference.normalise(text)
    candidates = []
    if ref is not None:
        mine = submissions.find(conn, ref)
        if mine is not None and mine.case_change:
            candidates.append(mine.case_change["id"])
        known = types.get(case_type)
        if known is not None and known.reference is not None:
            pulled = inbox.find_case(conn, case_type, known.reference, ref)
            candidates += [pulled.id] if pulled else []
    elif _UUID.fullmatch(text.lower()):
        candidates.append(text.lower())
    for case_id in candidates:
        found = view(conn, case_id, types)
        if found is not None and found.type == case_type:
            return found
    return None


def learn(
    conn: sqlite3.Connection,
    types: Types,
    definition: FormDefinition,
    page: Page,
    parsed: dict[str, Any],
    answers: dict[str, Any],
) -> dict[str, FieldError]:
    """After a page is answered: when it holds the form's case number, the case it names
    fills the questions not yet answered (``answers`` changes in place). The problem, by
    slot key, when this kiosk knows no such case (``answers`` unchanged)."""
    link = definition.case
    slot = next((s for s in page.slots if link and s.field.name == link.id_field), None)
    if link is None or slot is None:
        return {}
    typed = parsed.get(slot.key)
    if typed in _BLANK:
        _fill(definition, link, None, answers, types)
        return {}
    found = find(conn, types, link.type, str(typed))
    if found is None:
        return {slot.key: FieldError("case_unknown")}
    _fill(definition, link, found, answers, types, str(typed))
    return {}


def _fill(
    definition: FormDefinition,
    link: CaseLink,
    found: View | None,
    answers: dict[str, Any],
    types: Types,
    typed: str = "",
) -> None:
    """Put ``found``'s values in the mapped questions not yet answered, and in those still
    holding what an earlier case put there; remember what was shown."""
    memo = answers.get(DRAFT_KEY) or {}
    if found is not None and memo.get("id") == found.id:
        memo["number"] = typed  # the same case, maybe typed another way: what was shown stays
        return
    before = memo.get("filled") or {}
    shown = {name: found.fields.get(name) for name in link.fields} if found else {}
    rules, filled = rules_of(types, link.type), {}
    for case_field, name in link.fields.items():
        current = answers.get(name)
        if current is not None and not (name in before and merge.same(current, before[name])):
            continue  # the person's own answer
        field, spec = definition.field(name), rules.get(case_field)
        value = _as_answer(definition, field, spec, shown.get(case_field))
        if value is None:
            answers.pop(name, None)
        else:
            answers[name] = filled[name] = value
    answers.pop(DRAFT_KEY, None)
    if found is not None:
        answers[DRAFT_KEY] = {
            "type": found.type,
            "id": found.id,
            "version": found.version,
            "number": typed,
            "shown": shown,
            "filled": filled,
        }


def _as_answer(definition: FormDefinition, field: Field, spec: Any, value: Any) -> Any:
    """A case field's value as the answer ``field`` stores; None when the question does
    not show it (it adds to a set or to notes) or the value does not fit the question."""
    rule = merge.rule_of(spec if spec is not None else "value")
    if value is None or (rule.name in ("set", "notes") and field.type != "select_multiple"):
        return None
    field = definition.written_out(field)
    try:
        parsed = parse_answer(
            field, value if isinstance(value, list | bool) else str(value), date.today()
        )
    except TypeError:  # a list for a question with one answer, or the other way round
        return None
    return None if isinstance(parsed, FieldError) else parsed


@dataclass(frozen=True)
class Edit:
    """The case change a submission makes, queued in the submission's transaction."""

    type: str
    id: str
    base_version: int
    patch: dict[str, dict[str, Any]]
    #: For a new case: the field that takes the submission's reference.
    reference_field: str | None = None

    def queue(
        self,
        conn: sqlite3.Connection,
        submission: dict[str, Any],
        actor: str | None,
    ) -> dict[str, Any]:
        """Queue the change for ``submission`` (its payload); what the submission records
        of it (``submissions.case_change``). Nothing is queued when nothing changed."""
        patch = dict(self.patch)
        if self.reference_field:
            patch[self.reference_field] = {"old": None, "new": submission["reference"]}
        change_id = None
        if patch:
            payload = {key: submission[key] for key in ("reference", "form_id")}
            change = outbox.enqueue(
                conn,
                KIND,
                {"submission_id": submission["id"], **payload},
                actor=actor,
                record={"type": self.type, "id": self.id},
                base_version=self.base_version,
                patch=patch,
            )
            change_id = change.id
        return {
            "type": self.type,
            "id": self.id,
            "change_id": change_id,
            "base_version": self.base_version,
            "fields": sorted(patch),
        }


def edit(
    conn: sqlite3.Connection,
    types: Types,
    definition: FormDefinition,
    answers: dict[str, Any],
    sent: dict[str, Any],
    pages: list[Page],
) -> tuple[Edit | None, Problems]:
    """The case change of a finished draft (``answers``, sending ``sent``), or the problem
    that stops it: the case its number names is not known here (any longer)."""
    link = definition.case
    if link is None:
        return None, {}
    typed = sent.get(link.id_field) if link.id_field else None
    rules = rules_of(types, link.type)
    if typed in _BLANK:
        if not link.create:
            return None, {}
        patch = {
            case_field: {"old": None, "new": new}
            for case_field, name in link.fields.items()
            if (new := _new(rules.get(case_field), None, sent.get(name))) not in _BLANK
        }
        known = types.get(link.type)
        return Edit(link.type, str(uuid7()), 0, patch, known.reference if known else None), {}
    memo = answers.get(DRAFT_KEY) or {}
    if memo.get("number") != typed:
        found = find(conn, types, link.type, str(typed))
        if found is None:
            return None, _unknown(link, pages)
        fields = {name: found.fields.get(name) for name in link.fields}
        memo = {"type": found.type, "id": found.id, "version": found.version, "shown": fields}
    patch = {}
    for case_field, name in link.fields.items():
        old = memo["shown"].get(case_field)
        new = _new(rules.get(case_field), old, sent.get(name))
        if not merge.same(old, new):
            patch[case_field] = {"old": old, "new": new}
    return Edit(memo["type"], memo["id"], memo["version"], patch), {}


def _new(spec: Any, shown: Any, answer: Any) -> Any:
    """The value a case field takes from ``answer``, the field having shown ``shown``."""
    if answer in _BLANK:
        return shown
    rule = merge.rule_of(spec if spec is not None else "value")
    if rule.name == "set":
        if isinstance(answer, list):
            return answer  # every member, ticked
        members = list(shown or [])
        return members if answer in members else [*members, answer]
    if rule.name == "notes":
        return [*(shown or []), *(answer if isinstance(answer, list) else [answer])]
    return answer


def _unknown(link: CaseLink, pages: list[Page]) -> Problems:
    for page in pages:
        for slot in page.slots:
            if slot.field.name == link.id_field:
                return {slot.key: (page, FieldError("case_unknown"))}
    return {}
