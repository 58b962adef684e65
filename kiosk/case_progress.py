"""How far the office has got with the case change a submission made, for the citizen's
status page (``kiosk/status.py``).

Nothing is said until central has acknowledged the change and the kiosk has pulled the
case since (a newer version than the change was made against). Then, from the case as
last pulled:

* **checking**: a field the submission changed is in conflict at central, for staff;
* **decided**: such a conflict was seen and staff have resolved it (the inbox remembers
  every conflict it has pulled, ``sync.inbox.clashed``);
* **recorded**: the change merged without a conflict.

Decided and recorded show the changed fields as the case now has them: each labelled by
the case type in the citizen's language, a choice by the form's own words.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

import locales
from forms.cases import CaseType, FieldRule
from forms.schema import Field, FormDefinition
from kiosk import cases, formatting
from kiosk.screens import answer_text, form_language
from kiosk.submissions import Submission
from sync import inbox, merge, outbox
from sync.problems import N_

CHECKING = "checking"
DECIDED = "decided"
RECORDED = "recorded"
TEXTS = {
    CHECKING: N_(
        "The office is checking your changes: some of them clash with another change"
        " made at the same time."
    ),
    DECIDED: N_("The office has decided. The record now says:"),
    RECORDED: N_("The office has your changes. The record now says:"),
}


def state(conn: sqlite3.Connection, touched: Mapping[str, Any]) -> tuple[str, inbox.Case] | None:
    """The state of the change ``touched`` (``Submission.case_change``) and the case as
    last pulled; None while there is nothing to say yet."""
    if not touched.get("change_id") or not outbox.delivered(conn, touched["change_id"]):
        return None
    ids, pulled = cases.follow(conn, touched["id"])
    base = touched["base_version"]
    if pulled is None or (pulled.id == touched["id"] and pulled.version <= base):
        return None
    fields = touched["fields"]
    if set(fields) & set(pulled.conflicts):
        return CHECKING, pulled
    if any(inbox.clashed(conn, known, fields, base) for known in ids):
        return DECIDED, pulled
    return RECORDED, pulled


def progress(
    conn: sqlite3.Connection,
    types: Mapping[str, CaseType],
    submission: Submission,
    definition: FormDefinition | None,
    language: str,
) -> dict[str, Any] | None:
    """The status page's case section for ``submission``, in ``language``; None when the
    submission changed no case or there is nothing to say yet."""
    touched = submission.case_change
    found = state(conn, touched) if touched and touched["fields"] else None
    if touched is None or found is None:
        return None
    now, pulled = found
    case_type = types.get(pulled.type)
    label, label_language = _label(case_type, None, pulled.type, language)
    return {
        "state": now,
        "text": locales.translations(language).gettext(TEXTS[now]),
        "label": label,
        "label_language": label_language,
        "rows": []
        if now == CHECKING
        else [_row(case_type, name, pulled, definition, language) for name in touched["fields"]],
    }


def _row(
    case_type: CaseType | None,
    name: str,
    pulled: inbox.Case,
    definition: FormDefinition | None,
    language: str,
) -> dict[str, str]:
    rule = case_type.fields.get(name) if case_type else None
    label, label_language = _label(case_type, rule, name, language)
    link = definition.case if definition else None
    question = None
    if definition and link and name in link.fields:
        question = definition.field(link.fields[name])
    value, value_language = _value(pulled.fields.get(name), rule, question, definition, language)
    return {
        "label": label,
        "label_language": label_language,
        "value": value,
        "value_language": value_language,
    }


def _label(
    case_type: CaseType | None, rule: FieldRule | None, name: str, language: str
) -> tuple[str, str]:
    """What the case type calls the field (``rule``; the type itself when None)."""
    text = (rule.label if rule else case_type.label) if case_type else None
    if case_type is None or text is None:
        return name, language
    default = case_type.default_language
    return text.get(language, default), language if text.has(language, default) else default


def _value(
    value: Any,
    rule: FieldRule | None,
    question: Field | None,
    definition: FormDefinition | None,
    language: str,
) -> tuple[str, str]:
    """A case value as the citizen reads it, and the language it is written in."""
    values = value if isinstance(value, list) else [] if value is None else [value]
    if rule is not None and rule.rule == "notes":
        texts = [entry["text"] if merge.is_note(entry) else str(entry) for entry in values]
        return "; ".join(texts), language
    if definition and question and question.type in ("select_one", "select_multiple"):
        text = answer_text(definition, question, values, language)
        return text, form_language(definition, language)
    kind = question.type if question else rule.type if rule else "text"
    if kind == "date":
        return ", ".join(formatting.day(one, language) for one in values), language
    if kind in ("integer", "decimal"):
        return ", ".join(formatting.number(one, language) for one in values), language
    return ", ".join(str(one) for one in values), language
