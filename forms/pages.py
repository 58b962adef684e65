"""The pages a form shows for the answers given so far: skip logic, groups, repeats.

A page is one question, a group shown together (``page: true``), or the "add another?"
question after each repeat instance. Which pages exist depends on the answers, so the
list is worked out again after every answer; the kiosk only ever asks for it.

Answers are a dict: a field's value under its name, a repeat's instances as a list of
dicts under the repeat's name. Keys starting with ``_`` are the engine's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.expressions import compile_expression, truthy
from forms.schema import Field, FormDefinition, Group, Item, Repeat
from forms.text import LocalizedText

MORE = "_more"  # answers[MORE][repeat] is False once the citizen said "no more"


@dataclass(frozen=True, slots=True)
class Slot:
    """A field at its place in the answers: ``("age",)`` or ``("members", 0, "age")``."""

    field: Field
    repeat: str | None = None
    instance: int | None = None

    @property
    def key(self) -> str:
        """How the page names it in URLs and form inputs: ``age``, ``members.1.age``."""
        if self.repeat is None:
            return self.field.name
        return f"{self.repeat}.{(self.instance or 0) + 1}.{self.field.name}"


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    slots: tuple[Slot, ...]
    heading: LocalizedText | None = None
    repeat: Repeat | None = None
    instance: int | None = None
    #: The "add another?" page after a repeat's instances.
    asks_for_more: bool = False


def scope(answers: dict[str, Any], repeat: str | None = None, instance: int | None = None):
    """The names an expression sees: every answer, each repeat's field as the list of its
    instances' values, and, inside an instance, that instance's own answers."""
    seen: dict[str, Any] = {k: v for k, v in answers.items() if not k.startswith("_")}
    for value in answers.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for key in {k for row in value for k in row}:
                seen.setdefault(key, [row.get(key, "") for row in value])
    if repeat is not None and instance is not None:
        rows = answers.get(repeat) or []
        if instance < len(rows):
            seen.update(rows[instance])
    return seen


_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")


def interpolate(text: str, names: dict[str, Any]) -> str:
    """A label or hint with each ``${name}`` replaced by that answer (as XLSForm shows
    them), blank while it is unanswered."""

    def value(match: re.Match[str]) -> str:
        answer = names.get(match.group(1))
        if answer is None or answer == "":
            return ""
        if isinstance(answer, list):
            return " ".join(str(one) for one in answer)
        return str(answer)

    return _REFERENCE.sub(value, text) if "${" in text else text


def holds(expression: str | None, names: dict[str, Any], today: date, current: Any = None):
    """Whether ``expression`` is true for these answers (no expression: true)."""
    if expression is None:
        return True
    return truthy(compile_expression(expression).evaluate(names, current=current, today=today))


def pages(definition: FormDefinition, answers: dict[str, Any], today: date) -> list[Page]:
    """The pages to show, in order, for ``answers``."""
    found: list[Page] = []
    _pages(definition.fields, answers, today, None, None, found)
    return found


def _pages(
    items: list[Item],
    answers: dict[str, Any],
    today: date,
    repeat: str | None,
    instance: int | None,
    found: list[Page],
) -> None:
    names = scope(answers, repeat, instance)
    for item in items:
        if item.relevant is not None and not holds(item.relevant, names, today):
            continue
        if isinstance(item, Field):
            if not item.asked:
                continue
            if repeat is None:
                found.append(Page(item.name, (Slot(item),)))
            else:
                found.append(_page(item.name, (Slot(item, repeat, instance),), repeat, instance))
        elif isinstance(item, Group):
            _group(item, answers, today, repeat, instance, found)
        else:
            _repeat(item, answers, today, found)


def _page(name: str, slots: tuple[Slot, ...], repeat: str | None, instance: int | None) -> Page:
    key = name if repeat is None else f"{repeat}.{(instance or 0) + 1}.{name}"
    return Page(key, slots)


def _group(group, answers, today, repeat, instance, found) -> None:  # type: ignore[no-untyped-def]
    if not group.page:
        _pages(group.fields, answers, today, repeat, instance, found)
        return
    names = scope(answers, repeat, instance)
    slots = tuple(
        Slot(item, repeat, instance)
        for item in group.fields
        if isinstance(item, Field) and item.asked and holds(item.relevant, names, today)
    )
    if slots:
        page = _page(group.name, slots, repeat, instance)
        found.append(Page(page.key, slots, heading=group.label))


def _repeat(repeat: Repeat, answers: dict[str, Any], today: date, found: list[Page]) -> None:
    rows = answers.get(repeat.name) or []
    count = max(len(rows), repeat.min_count)
    for instance in range(count):
        start = len(found)
        _pages(repeat.fields, answers, today, repeat.name, instance, found)
        for index in range(start, len(found)):
            found[index] = Page(
                found[index].key, found[index].slots, found[index].heading, repeat, instance
            )
    done = (answers.get(MORE) or {}).get(repeat.name) is False
    if count < repeat.max_count and not done:
        found.append(Page(f"{repeat.name}.more", (), repeat=repeat, asks_for_more=True))


def get(answers: dict[str, Any], slot: Slot) -> Any:
    if slot.repeat is None:
        return answers.get(slot.field.name)
    rows = answers.get(slot.repeat) or []
    index = slot.instance or 0
    return rows[index].get(slot.field.name) if index < len(rows) else None


def copy_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """A copy that :func:`put` can change without touching ``answers`` (repeats copied)."""
    return {
        key: [dict(row) if isinstance(row, dict) else row for row in value]
        if isinstance(value, list)
        else value
        for key, value in answers.items()
    }


def put(answers: dict[str, Any], slot: Slot, value: Any) -> None:
    """Store ``value`` for ``slot`` (creating the repeat instance if needed)."""
    if slot.repeat is None:
        answers[slot.field.name] = value
        return
    rows = answers.setdefault(slot.repeat, [])
    while len(rows) <= (slot.instance or 0):
        rows.append({})
    rows[slot.instance or 0][slot.field.name] = value


def more(answers: dict[str, Any], repeat: Repeat, wanted: bool) -> None:
    """Record the answer to "add another?": a new, empty instance, or no more."""
    if wanted:
        answers.setdefault(repeat.name, []).append({})
        (answers.get(MORE) or {}).pop(repeat.name, None)
    else:
        answers.setdefault(MORE, {})[repeat.name] = False
