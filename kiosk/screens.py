"""The screens a citizen sees while filling in a form: a page of questions, "add another?"
and check-your-answers.

Each function turns a definition, the page, the draft's answers and any problems into a
rendered page (or htmx fragment); the routes in :mod:`kiosk.pages` decide which one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import locales
from forms.answers import choices
from forms.errors import FieldError
from forms.pages import Page, Slot, get, interpolate, scope
from forms.schema import Field, FormDefinition
from forms.validation import display_value
from kiosk import formatting, messages
from kiosk.rendering import render

WIDGETS = {
    "text": "text",
    "long_text": "textarea",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "select_one": "choices",
    "select_multiple": "checkboxes",
    "yes_no": "choices",
    "phone": "phone",
    "email": "email",
    "national_id": "national_id",
    "note": "note",
    "consent": "consent",
}
_DATE_PARTS = ("day", "month", "year")


def question_url(definition: FormDefinition, key: str) -> str:
    return f"/forms/{definition.id}/questions/{key}"


def check_url(definition: FormDefinition) -> str:
    return f"/forms/{definition.id}/check"


def context(definition: FormDefinition | None, language: str) -> dict[str, Any]:
    """What every screen's template needs: the language, ``t``, which picks a form
    text's translation (falling back to the form's default language), ``t_language``,
    the language ``t`` picks for one text, and ``form_language``, the language the form's
    texts are in as a whole (for their ``lang``)."""
    default = definition.default_language if definition else language
    return {
        "language": language,
        "form_language": form_language(definition, language),
        "t": lambda text: text.get(language, default) if text else "",
        "t_language": lambda text: language if text and text.has(language, default) else default,
    }


def form_language(definition: FormDefinition | None, language: str) -> str:
    """The language ``definition``'s own texts are shown in to a reader of ``language``:
    that language when the form is written in it, else the form's default language."""
    if definition is None or language in definition.languages:
        return language
    return definition.default_language


def answer_language(field: Field, language: str, form_words: str) -> str:
    """The language an answer is shown in: a choice shows the form's own words
    (``form_words``), every other answer is shown in the reader's ``language``."""
    return form_words if field.type in {"select_one", "select_multiple"} else language


def input_name(page: Page, slot: Slot) -> str:
    """The form input of ``slot``: ``answer`` alone on its page, else its key."""
    return "answer" if len(page.slots) == 1 else slot.key.replace(".", "-")


def raw(page: Page, form: Any) -> dict[str, Any]:
    """What the citizen typed or picked for each slot on ``page``, by slot key."""
    return {slot.key: _raw(slot.field, input_name(page, slot), form) for slot in page.slots}


def _raw(field: Field, name: str, form: Any) -> Any:
    if field.type == "date":
        return {part: str(form.get(f"{name}-{part}", "")).strip() for part in _DATE_PARTS}
    if field.type == "select_multiple":
        return [value for value in form.getlist(name) if isinstance(value, str)]
    if field.type == "consent":
        return form.get(name) == "yes"
    value = form.get(name)
    return value if isinstance(value, str) else None


def shown(field: Field, value: Any) -> Any:
    """A stored answer as its widget shows it again."""
    if value is None:
        return None
    if field.type == "date":
        year, month, day = str(value).split("-")
        return {"day": str(int(day)), "month": str(int(month)), "year": year}
    if field.type == "yes_no":
        return "yes" if value else "no"
    if field.type in {"select_multiple", "consent"}:
        return value
    return str(value)


def question_page(
    request: Request,
    definition: FormDefinition,
    journey: Any,
    page: Page,
    shown_values: dict[str, Any],
    problems: dict[str, FieldError],
    status_code: int = 200,
) -> Response:
    """``page`` with what the citizen gave (``shown_values``) and any problems."""
    language = journey.language
    screen = context(definition, language)
    gettext = locales.translations(language).gettext
    answers, base = journey.draft.answers, question_url(definition, page.key)
    slots = [
        _slot(definition, answers, page, slot, shown_values, problems, screen, gettext)
        | {"audio": f"{base}/audio?slot={index}"}
        for index, slot in enumerate(page.slots)
    ]
    change = "?change=1" if request.query_params.get("change") else ""
    errors = [(f"#{item['first_input']}", item["error"]) for item in slots if item["error"]]
    return render(
        request,
        "question.html",
        {
            **screen,
            "definition": definition,
            "page": page,
            "slots": slots,
            "heading": screen["t"](page.heading) if page.heading else None,
            "errors": errors,
            "number": journey.position + 1,
            "total": journey.total,
            "action_url": question_url(definition, page.key) + change,
            "audio_url": question_url(definition, page.key) + "/audio",
            "back_url": check_url(definition) if change else journey.back_url,
            "instance_title": _instance_title(page, screen, gettext),
        },
        status_code,
    )


def _slot(definition, answers, page, slot, shown_values, problems, screen, gettext):  # type: ignore[no-untyped-def]
    field = slot.field
    names = scope(answers, slot.repeat, slot.instance)

    def t(text: Any) -> str:
        return interpolate(screen["t"](text), names)

    name = input_name(page, slot)
    problem = problems.get(slot.key)
    return {
        "field": field,
        "widget": WIDGETS[field.type],
        "input": name,
        "first_input": f"{name}-day" if field.type == "date" else name,
        "as_heading": len(page.slots) == 1,
        "label": t(field.label),
        "hint": t(field.hint),
        "choices": _choices(definition, field, slot, answers, t, gettext),
        "value": shown_values.get(slot.key),
        "error": messages.describe(
            problem, field.type, gettext, screen["language"], t, screen["t_language"]
        )
        if problem
        else None,
    }


def _choices(definition, field, slot, answers, t, gettext) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    if field.type == "yes_no":
        return [("yes", gettext("Yes")), ("no", gettext("No"))]
    offered = choices(definition, slot, answers, date.today())
    return [(choice.value, t(choice.label)) for choice in offered]


def _instance_title(page: Page, screen: dict[str, Any], gettext: Any) -> str | None:
    if page.repeat is None or page.instance is None:
        return None
    return f"{screen['t'](page.repeat.label)} {page.instance + 1}"


def more_page(
    request: Request,
    definition: FormDefinition,
    journey: Any,
    page: Page,
    error: str | None,
    status_code: int = 200,
) -> Response:
    """The "add another?" question after a repeat's instances."""
    screen = context(definition, journey.language)
    gettext = locales.translations(journey.language).gettext
    repeat = page.repeat
    assert repeat is not None
    count = len(journey.draft.answers.get(repeat.name) or [])
    question = screen["t"](repeat.add_another) or gettext("Do you want to add another?")
    return render(
        request,
        "more.html",
        {
            **screen,
            "definition": definition,
            "question": question,
            "question_language": screen["form_language" if repeat.add_another else "language"],
            "count": count,
            "repeat_label": screen["t"](repeat.label),
            "error": error,
            "number": journey.position + 1,
            "total": journey.total,
            "action_url": question_url(definition, page.key),
            "back_url": journey.back_url,
        },
        status_code,
    )


def check_page(
    request: Request,
    definition: FormDefinition,
    journey: Any,
    problems: dict[str, tuple[Page, FieldError]],
    status_code: int = 200,
    consent_missing: bool = False,
) -> Response:
    """Check your answers; ``consent_missing``: a community worker helped, and the citizen
    has not yet ticked that they agree to it."""
    language = journey.language
    screen = context(definition, language)
    gettext = locales.translations(language).gettext
    answers = journey.draft.answers
    rows = [
        {
            "question": _row_label(page, slot, screen, gettext),
            "answer": answer_text(definition, slot.field, get(answers, slot), language),
            "answer_language": answer_language(slot.field, language, screen["form_language"]),
            "change_url": question_url(definition, page.key) + "?change=1",
        }
        for page in journey.pages
        for slot in page.slots
        if slot.field.type != "note"
    ]
    errors = [
        (
            question_url(definition, page.key) + "?change=1",
            _error_line(page, key, problem, screen, gettext, language),
        )
        for key, (page, problem) in problems.items()
    ]
    consent_error = gettext("Tick the box to say you agree to this help") if consent_missing else ""
    if consent_error:
        errors.append(("#consent", consent_error))
    return render(
        request,
        "check.html",
        {
            **screen,
            "definition": definition,
            "rows": rows,
            "errors": errors,
            "consent_error": consent_error,
            "back_url": journey.back_url,
        },
        status_code,
    )


def _row_label(page: Page, slot: Slot, screen: dict[str, Any], gettext: Any) -> str:
    label = screen["t"](slot.field.label)
    title = _instance_title(page, screen, gettext)
    return f"{title}: {label}" if title else label


def _error_line(page, key, problem, screen, gettext, language) -> str:  # type: ignore[no-untyped-def]
    if page.asks_for_more:
        return gettext("Say whether you want to add another")
    slot = next(slot for slot in page.slots if slot.key == key)
    sentence = messages.describe(
        problem, slot.field.type, gettext, language, screen["t"], screen["t_language"]
    )
    about = messages.Words(_row_label(page, slot, screen, gettext), screen["form_language"])
    return messages.Words(sentence, getattr(sentence, "language", language), about)


def answer_text(definition: FormDefinition, field: Field, value: Any, language: str) -> str:
    """An answer as the check page, the receipt and the status page show it, in the
    citizen's language (a choice in the form's own words)."""
    gettext = locales.translations(language).gettext
    if value in (None, "", []):
        return ""
    if field.type == "date":
        return formatting.day(value, language)
    if field.type in {"yes_no", "consent"}:
        return gettext("Yes") if value else gettext("No")
    if field.type in {"integer", "decimal"}:
        return formatting.number(value, language)
    if field.type in {"select_one", "select_multiple"}:
        written = definition.written_out(field)
        return display_value(written, value, language, definition.default_language)
    return str(value)
