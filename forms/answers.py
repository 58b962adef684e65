"""Taking answers: one page at a time (types, required-if, constraints), the whole form
before it is sent, calculations, and the answers a submission finally carries."""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.errors import FieldError
from forms.expressions import CHOICE, compile_expression, compile_filter, evaluation_order, truthy
from forms.pages import MORE, Page, Slot, copy_answers, get, holds, pages, put, scope
from forms.schema import Choice, FormDefinition, Repeat
from forms.validation import parse_answer

EMPTY: tuple[Any, ...] = (None, "", [])


def choices(definition: FormDefinition, slot: Slot, answers: dict[str, Any], today: date):
    """The choices ``slot`` offers now: its list, filtered by its choice filter (whose bare
    names are the choice's columns: :func:`forms.expressions.parse_filter`)."""
    offered = definition.choices(slot.field)
    if slot.field.choice_filter is None:
        return offered
    test = compile_filter(slot.field.choice_filter)
    names = scope(answers, slot.repeat, slot.instance)
    return [c for c in offered if truthy(test.evaluate({**names, **_props(c)}, today=today))]


def _props(choice: Choice) -> dict[str, Any]:
    return {CHOICE + key: value for key, value in choice.properties.items()} | {
        CHOICE + "name": choice.value
    }


def check_page(
    definition: FormDefinition,
    page: Page,
    raw: dict[str, Any],
    answers: dict[str, Any],
    today: date,
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """Each slot's parsed value and each slot's problem, for what the citizen typed."""
    parsed: dict[str, Any] = {}
    problems: dict[str, FieldError] = {}
    trial = copy_answers(answers)
    for slot in page.slots:
        result = parse_answer(definition.written_out(slot.field), raw.get(slot.key), today)
        if isinstance(result, FieldError):
            problems[slot.key] = result
        else:
            parsed[slot.key] = result
            put(trial, slot, result)
    for slot in page.slots:
        if slot.key in parsed:
            problem = _logic(definition, slot, parsed[slot.key], trial, today)
            if problem is not None:
                problems[slot.key] = problem
    return parsed, problems


def _logic(
    definition: FormDefinition, slot: Slot, value: Any, answers: dict[str, Any], today: date
) -> FieldError | None:
    field = slot.field
    names = scope(answers, slot.repeat, slot.instance)
    if value in EMPTY:
        needed = field.required_if is not None and holds(field.required_if, names, today)
        return FieldError("required", {}) if needed else None
    if field.choice_filter is not None and not _offered(value, definition, slot, answers, today):
        return FieldError("not_a_choice", {})
    if not holds(field.constraint, names, today, current=value):
        return FieldError("constraint", {"message": field.constraint_message})
    return None


def _offered(value: Any, definition, slot: Slot, answers, today: date) -> bool:  # type: ignore[no-untyped-def]
    """Whether every value picked is among the choices the filter leaves."""
    allowed = {choice.value for choice in choices(definition, slot, answers, today)}
    picked = value if isinstance(value, list) else [value]
    return all(one in allowed for one in picked)


def problems(
    definition: FormDefinition, answers: dict[str, Any], today: date
) -> dict[str, tuple[Page, FieldError]]:
    """Every problem left in a finished draft, by slot key, with the page that fixes it."""
    found: dict[str, tuple[Page, FieldError]] = {}
    for page in pages(definition, answers, today):
        if page.asks_for_more:
            found[page.key] = (page, FieldError("required", {}))
            continue
        for slot in page.slots:
            value = get(answers, slot)
            if value in EMPTY and slot.field.required and slot.field.type != "note":
                found[slot.key] = (page, FieldError("required", {}))
                continue
            problem = _logic(definition, slot, value, answers, today)
            if problem is not None:
                found[slot.key] = (page, problem)
    return found


def calculate(definition: FormDefinition, answers: dict[str, Any], today: date) -> None:
    """Work out every calculation from the answers, each after the ones it reads."""
    calculations = {
        field.name: compile_expression(field.calculation)
        for field in definition.all_fields()
        if field.calculation is not None
    }
    try:
        order = evaluation_order(calculations)
    except ValueError:  # a cycle: forms check reports it; work them out in form order
        order = list(calculations)
    for name in order:
        answers[name] = _plain(calculations[name].evaluate(scope(answers), today=today))


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and value != value:  # NaN: nothing to calculate yet
        return None
    return value


def final(definition: FormDefinition, answers: dict[str, Any], today: date) -> dict[str, Any]:
    """The answers a submission carries: only questions that applied, and calculations."""
    kept: dict[str, Any] = {}
    for page in pages(definition, answers, today):
        for slot in page.slots:
            put(kept, slot, get(answers, slot))
    for field in definition.all_fields():
        if field.calculation is not None:
            kept[field.name] = answers.get(field.name)
    for _, item in definition.items():
        if isinstance(item, Repeat) and item.name in answers:
            kept.setdefault(item.name, [])
    kept.pop(MORE, None)
    return kept
