"""A submission's answers as staff read them: the form's questions, in the form's order,
with choice labels instead of stored values, for the form definitions central knows."""

from __future__ import annotations

from typing import Any

from forms.schema import FormDefinition
from forms.validation import display_value

STAFF_LANGUAGE = "en"
#: answers shown by their label; a shared or reference list's too (``written_out``)
CHOICE_TYPES = {"select_one", "select_multiple", "yes_no"}


def title(definition: FormDefinition | None, form_id: str) -> str:
    if definition is None:
        return form_id
    return definition.title.get(STAFF_LANGUAGE, definition.default_language)


def rows(definition: FormDefinition | None, answers: dict[str, Any]) -> list[tuple[str, Any]]:
    """``(question, answer)`` pairs; answers to questions the definition lacks come last,
    under their stored names, so that nothing a citizen gave is ever hidden from staff."""
    if definition is None:
        return sorted(answers.items())
    language, default = STAFF_LANGUAGE, definition.default_language
    fields = definition.all_fields()
    known = [
        (
            field.label.get(language, default),
            display_value(definition.written_out(field), answers[field.name], language, default)
            if field.type in CHOICE_TYPES and answers[field.name] is not None
            else answers[field.name],
        )
        for field in fields
        if field.name in answers
    ]
    names = {field.name for field in fields}
    return known + sorted((name, value) for name, value in answers.items() if name not in names)
