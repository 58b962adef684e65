"""The forms package's errors: a wrong answer, and a broken form definition.

A wrong answer is a :class:`FieldError` with a stable code from :data:`ERROR_CODES` and
the details its sentence needs. The kiosk turns each code into a translated sentence;
nothing here writes English for a citizen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

ERROR_CODES: dict[str, tuple[str, ...]] = {
    "required": (),
    "too_long": ("max",),
    "not_integer": (),
    "not_decimal": (),
    "too_small": ("min",),
    "too_large": ("max",),
    "not_date": (),
    "date_too_early": ("min",),
    "date_too_late": ("max",),
    "not_a_choice": (),
    "not_yes_no": (),
    "too_few_choices": ("min",),
    "too_many_choices": ("max",),
    "not_a_phone": (),
    "not_an_email": (),
    "not_an_id": (),
    "id_check_failed": (),
    "consent_required": (),
    "constraint": ("message",),
    "case_unknown": (),
}
"""Every answer error code, with the names of the details it carries.

``too_long`` carries a number of characters; ``too_small``/``too_large`` carry an ``int``
for integer fields and a decimal string such as ``"0.5"`` for decimal fields;
``date_too_early``/``date_too_late`` carry an ISO date such as ``"2026-11-20"``;
``too_few_choices``/``too_many_choices`` carry a number of ticked answers.
"""


@dataclass(frozen=True)
class FieldError:
    """Why an answer was not accepted: a code from :data:`ERROR_CODES` and its details."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        expected = ERROR_CODES.get(self.code)
        if expected is None:
            raise ValueError(f"unknown answer error code {self.code!r}")
        if set(self.params) != set(expected):
            raise ValueError(f"{self.code!r} needs details {expected}, got {tuple(self.params)}")

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


class DefinitionError(Exception):
    """A form definition file that cannot be used.

    ``problems`` holds ``(location, message)`` pairs; the location is a dotted path into
    the definition (``fields.3.choices``), a line in the file, or empty. ``str()`` gives
    one ``file: location: message`` line per problem.
    """

    def __init__(self, file: str, problems: Sequence[tuple[str, str]]) -> None:
        self.file = file
        self.problems = list(problems)
        super().__init__("\n".join(_line(file, where, what) for where, what in self.problems))


def _line(file: str, location: str, message: str) -> str:
    return ": ".join(part for part in (file, location, message) if part)
