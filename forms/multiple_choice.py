"""``select_multiple``: questions where the citizen ticks every answer that applies.

The kiosk posts one value per ticked box (a list); a single string is read as a list of
one. The stored answer lists the ticked values in the order the field offers them, each
once, so the same ticks always store the same answer.
"""

from __future__ import annotations

from datetime import date

from forms.errors import FieldError
from forms.field_type import REQUIRED, FieldType, Result
from forms.schema import Field


def _parse_select_multiple(field: Field, raw: str | list[str], today: date) -> Result:
    ticked = {raw} if isinstance(raw, str) else set(raw)
    offered = [choice.value for choice in field.choices or ()]
    if not ticked <= set(offered):
        return FieldError("not_a_choice")
    values = [value for value in offered if value in ticked]
    if field.min_choices is not None and len(values) < field.min_choices:
        return FieldError("too_few_choices", {"min": field.min_choices})
    if field.max_choices is not None and len(values) > field.max_choices:
        return FieldError("too_many_choices", {"max": field.max_choices})
    return values


TYPES = (
    FieldType(
        "select_multiple",
        _parse_select_multiple,
        settings={
            "choices": [
                {"value": "water", "label": "Water"},
                {"value": "power", "label": "Electricity"},
                {"value": "roads", "label": "Roads"},
                {"value": "waste", "label": "Rubbish collection"},
            ],
            "min_choices": 2,
            "max_choices": 3,
        },
        valid=(
            (["water", "roads"], ["water", "roads"]),
            (["roads", " water ", "roads"], ["water", "roads"]),
            (["waste", "", "power", "water"], ["water", "power", "waste"]),
        ),
        invalid=(
            *REQUIRED,
            ([], FieldError("required")),
            (["", "  "], FieldError("required")),
            (["water", "Roads"], FieldError("not_a_choice")),
            (["water", "sewers"], FieldError("not_a_choice")),
            ("water", FieldError("too_few_choices", {"min": 2})),
            (["water", "power", "roads", "waste"], FieldError("too_many_choices", {"max": 3})),
        ),
    ),
)
"""The field types this module declares."""
