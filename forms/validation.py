"""Checking answers: one as it is submitted, or a whole draft before it is sent.

:func:`parse_answer` turns what a citizen typed into the value to store, or a
:class:`~forms.errors.FieldError` whose code the kiosk words in the citizen's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from forms.errors import FieldError
from forms.schema import Field, FormDefinition
from forms.text import YES_NO
from forms.types import FIELD_TYPES, Answer, Raw, Result

__all__ = ["FieldError", "Result", "display_value", "parse_answer", "validate_answers"]


def parse_answer(field: Field, raw: Raw, today: date) -> Result:
    """The value to store for ``raw``, or why it cannot be accepted.

    ``raw`` is the submitted string, or for a date field either an ISO ``YYYY-MM-DD``
    string or a mapping with ``day``, ``month`` and ``year`` strings, or for a
    ``select_multiple`` field a list of strings; ``True`` and ``False`` mean ``yes`` and
    ``no``. Whitespace around the answer is ignored. A blank answer is ``None`` if the
    field is optional. ``today`` is the kiosk's local date, which a bound such as
    ``today`` or ``today-18y`` is counted from.
    """
    cleaned = _clean(raw)
    if isinstance(cleaned, Mapping) and field.type != "date":
        raise TypeError(f"only date fields take day, month and year (got a {field.type} field)")
    if isinstance(cleaned, list) and field.type != "select_multiple":
        raise TypeError(f"only select_multiple fields take a list (got a {field.type} field)")
    field_type = FIELD_TYPES[field.type]
    if _is_blank(cleaned):
        code = field_type.required_code
        return FieldError(code) if code and field.required else None
    return field_type.parse(field, cleaned, today)


def validate_answers(
    definition: FormDefinition, answers: Mapping[str, Any], today: date | None = None
) -> dict[str, FieldError]:
    """Re-check stored answers (as :func:`parse_answer` returned them), type by type.

    For the answers' types only: :func:`forms.answers.problems` also applies skip logic,
    constraints and repeats, and is what the kiosk uses before a submission.

    Gives each field whose answer is missing or no longer valid (a ``today`` bound moves)
    its error, in question order. Answers to names the form does not have are ignored.
    """
    day = today or date.today()
    errors: dict[str, FieldError] = {}
    for field in definition.all_fields():
        if not field.asked:
            continue
        result = parse_answer(field, _as_raw(answers.get(field.name)), day)
        if isinstance(result, FieldError):
            errors[field.name] = result
    return errors


def display_value(field: Field, value: Answer, language: str, default_language: str) -> str:
    """A stored answer as the citizen reads it on a summary page or receipt.

    Yes/no and consent answers and choices become their label in ``language`` (several
    ticked choices joined by commas); other values come back as their stored string, for
    the kiosk to format dates and numbers itself.
    """
    if value is None:
        return ""
    if field.type in ("yes_no", "consent") and isinstance(value, bool):
        return YES_NO[value].get(language, default_language)
    if isinstance(value, list):
        return ", ".join(_choice_label(field, item, language, default_language) for item in value)
    if field.type == "select_one":
        return _choice_label(field, str(value), language, default_language)
    return str(value)


def _choice_label(field: Field, value: str, language: str, default_language: str) -> str:
    choice = field.choice(value)
    return value if choice is None else choice.label.get(language, default_language)


def _clean(raw: Raw) -> str | list[str] | dict[str, str]:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, Mapping):
        return {part: _clean_text(raw.get(part)) for part in ("day", "month", "year")}
    if isinstance(raw, list | tuple):
        return [text for text in map(_clean_text, raw) if text]
    return _clean_text(raw)


def _clean_text(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _is_blank(cleaned: str | list[str] | dict[str, str]) -> bool:
    if isinstance(cleaned, dict):
        return not any(cleaned.values())
    return not cleaned


def _as_raw(value: Any) -> Raw:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [str(item) for item in value]
    if value is None or isinstance(value, str | Mapping):
        return value
    return str(value)
