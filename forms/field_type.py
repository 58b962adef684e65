"""What a field type is: a parser with declared examples, and the values it works on.

Each :class:`FieldType` gets an answer that is already cleaned and not blank (see
:func:`forms.validation.parse_answer`) and returns the value to store or a
:class:`~forms.errors.FieldError`. Its examples are run by the tests and can be shown
on a patterns page: ``valid`` pairs a submitted answer with the value stored,
``invalid`` pairs one with the error it gets, for a field built from ``settings``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.errors import FieldError
from forms.schema import Field

Raw = str | bool | list[str] | Mapping[str, str] | None
"""A submitted answer: a string; a list of strings from repeated inputs (``select_multiple``);
``{"day", "month", "year"}`` for a date; ``True``/``False`` for a box; or nothing."""
Answer = str | int | bool | list[str] | None
"""A stored answer; always JSON-able."""
Result = Answer | FieldError

EXAMPLE_TODAY = date(2026, 11, 20)
"""The day the examples are checked on, so that ``today`` in their settings is fixed."""

REQUIRED = ((None, FieldError("required")), ("", FieldError("required")))
"""The blank answers every type that takes an answer refuses when it is required."""


@dataclass(frozen=True)
class FieldType:
    """What a field ``type`` accepts, and examples that show it.

    ``required_code`` is the error a blank answer gets when the field is required, or
    ``None`` for a type that takes no answer (its answer is always ``None``).
    """

    name: str
    parse: Callable[[Field, Any, date], Result]
    settings: Mapping[str, Any]
    valid: tuple[tuple[Raw, Answer], ...]
    invalid: tuple[tuple[Raw, FieldError], ...]
    required_code: str | None = "required"

    def example_field(self) -> Field:
        """A required field of this type with the settings the examples are written for."""
        return Field.model_validate(
            {"name": "example", "type": self.name, "label": "Example", **self.settings}
        )
