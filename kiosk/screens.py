"""The screens a citizen sees while filling in a form: a question and check-your-answers.

Each function turns a definition, the draft's answers and an optional problem into a
rendered page (or htmx fragment); the routes in :mod:`kiosk.pages` decide which one.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import locales
from forms.errors import FieldError
from forms.schema import Field, FormDefinition
from forms.validation import display_value
from kiosk import formatting, messages
from kiosk.drafts import Draft
from kiosk.rendering import render

WIDGETS = {
    "text": "text",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "select_one": "choices",
    "yes_no": "choices",
}


def question_url(definition: FormDefinition, name: str) -> str:
    return f"/forms/{definition.id}/questions/{name}"


def check_url(definition: FormDefinition) -> str:
    return f"/forms/{definition.id}/check"


def context(definition: FormDefinition | None, language: str) -> dict[str, Any]:
    """What every screen's template needs: the language and ``t``, which picks a form
    text's translation (falling back to the form's default language)."""
    default = definition.default_language if definition else language
    return {"language": language, "t": lambda text: text.get(language, default) if text else ""}


def raw(field: Field, form: Any) -> Any:
    if field.type == "date":
        return {part: str(form.get(f"answer-{part}", "")).strip() for part in _DATE_PARTS}
    value = form.get("answer")
    return value if isinstance(value, str) else None


_DATE_PARTS = ("day", "month", "year")


def shown(field: Field, value: Any) -> Any:
    """A stored answer as its widget shows it again."""
    if value is None:
        return None
    if field.type == "date":
        year, month, day = str(value).split("-")
        return {"day": str(int(day)), "month": str(int(month)), "year": year}
    if field.type == "yes_no":
        return "yes" if value else "no"
    return str(value)


def question_page(
    request: Request,
    definition: FormDefinition,
    field: Field,
    language: str,
    value: Any,
    error: str | None,
    status_code: int = 200,
) -> Response:
    index = definition.index(field.name)
    previous = definition.previous_name(field.name)
    change = "?change=1" if request.query_params.get("change") else ""
    page = context(definition, language)
    t = page["t"]
    return render(
        request,
        "question.html",
        {
            **page,
            "definition": definition,
            "field": field,
            "widget": WIDGETS[field.type],
            "label": t(field.label),
            "hint": t(field.hint),
            "choices": _choices(field, t, locales.translations(language).gettext),
            "value": value,
            "error": error,
            "first_input_suffix": "-day" if field.type == "date" else "",
            "number": index + 1,
            "total": len(definition.fields),
            "action_url": question_url(definition, field.name) + change,
            "audio_url": question_url(definition, field.name) + "/audio",
            "back_url": check_url(definition)
            if change
            else (question_url(definition, previous) if previous else f"/forms/{definition.id}"),
        },
        status_code,
    )


def _choices(field: Field, t: Any, gettext: Any) -> list[tuple[str, str]]:
    if field.type == "yes_no":
        return [("yes", gettext("Yes")), ("no", gettext("No"))]
    return [(choice.value, t(choice.label)) for choice in field.choices or []]


def check_page(
    request: Request,
    definition: FormDefinition,
    language: str,
    draft: Draft,
    problems: dict[str, FieldError],
    status_code: int = 200,
) -> Response:
    page = context(definition, language)
    t = page["t"]
    gettext = locales.translations(language).gettext
    rows = [
        {
            "question": t(field.label),
            "answer": _answer_text(field, draft.answers.get(field.name), definition, language),
            "change_url": question_url(definition, field.name) + "?change=1",
        }
        for field in definition.fields
    ]
    errors = [
        (
            question_url(definition, name) + "?change=1",
            f"{t(definition.field(name).label)}: "
            + messages.describe(
                error.code, error.params, definition.field(name).type, gettext, language
            ),
        )
        for name, error in problems.items()
    ]
    last = definition.fields[-1].name
    return render(
        request,
        "check.html",
        {
            **page,
            "definition": definition,
            "rows": rows,
            "errors": errors,
            "back_url": question_url(definition, last),
        },
        status_code,
    )


def _answer_text(field: Field, value: Any, definition: FormDefinition, language: str) -> str:
    if value is None:
        return ""
    if field.type == "date":
        return formatting.day(value, language)
    if field.type == "yes_no":
        gettext = locales.translations(language).gettext
        return gettext("Yes") if value else gettext("No")
    if field.type in {"integer", "decimal"}:
        return formatting.number(value, language)
    return display_value(field, value, language, definition.default_language)
