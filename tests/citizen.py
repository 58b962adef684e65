"""A citizen completing a form over plain HTTP, the way a browser without JavaScript does.

The citizen reads which page the kiosk is on from its address, works out that page's
questions with the form engine (as the kiosk does), and gives a valid answer to each,
adding one person to every repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx2

from forms.answers import choices
from forms.pages import Page, Slot, more, pages, put
from forms.schema import Field, FormDefinition
from kiosk.screens import input_name

CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')
REFERENCE = re.compile(r'class="reference">([A-Z0-9-]+)<')
TODAY = date.today()


def without_cases(definitions: Iterable[FormDefinition]) -> list[FormDefinition]:
    """The forms that queue one change each, their submission: not those with a ``case:``
    block, which queue a case change too (and, to change a case, need one the kiosk knows)."""
    return [definition for definition in definitions if definition.case is None]


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def valid_value(definition: FormDefinition | None, slot: Slot, answers: dict[str, Any]) -> Any:
    """A stored answer that fits ``slot`` (its type, bounds, constraint and filter)."""
    field = slot.field
    if field.type == "date":
        return _valid_day(field)
    if field.type in {"integer", "decimal"}:
        low = Decimal(str(field.min)) if field.min is not None else Decimal(1)
        return int(low) + 1 if field.type == "integer" else low + Decimal("1.5")
    if field.type in {"select_one", "select_multiple"}:
        offered = choices(definition, slot, answers, TODAY) if definition else field.choices or []
        return offered[-1].value if field.type == "select_one" else [offered[0].value]
    if field.type == "consent":
        return True
    if field.type == "yes_no":
        return False  # "no": in the demo forms, that opens the repeat (people living with you)
    if field.type == "phone":
        return "+254712345678"
    if field.type == "email":
        return "amina@example.org"
    if field.type == "national_id":
        return "79927398713"
    if field.type == "note":
        return None
    return "Amina Okafor"


def form_data(field: Field, name: str, value: Any) -> dict[str, Any]:
    """What the widget for ``field`` posts under input ``name`` for ``value``."""
    if field.type == "date":
        return {f"{name}-day": value.day, f"{name}-month": value.month, f"{name}-year": value.year}
    if field.type == "yes_no":
        return {name: "yes" if value else "no"}
    if field.type == "consent":
        return {name: "yes"}
    if field.type == "select_multiple":
        return {name: value}
    return {} if value is None else {name: str(value)}


def valid_answer(field: Field) -> dict[str, Any]:
    """Form data for ``field`` alone on its page (for tests that post one answer)."""
    return form_data(field, "answer", valid_value(None, Slot(field), {}))


def _valid_day(field: Field) -> date:
    low = _bound(field.min) or date(1900, 1, 1)
    high = _bound(field.max) or date(2100, 1, 1)
    candidate = date(1956, 3, 14)
    return candidate if low <= candidate <= high else low


def _bound(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if str(value).startswith("today"):
        return TODAY
    return date.fromisoformat(str(value))


def page_data(definition: FormDefinition, page: Page, answers: dict[str, Any]) -> dict[str, Any]:
    """Valid form data for every question on ``page``; records the answers given."""
    data: dict[str, Any] = {}
    for slot in page.slots:
        value = valid_value(definition, slot, answers)
        put(answers, slot, value)
        data.update(form_data(slot.field, input_name(page, slot), value))
    return data


def complete(
    client: httpx2.Client,
    definition: FormDefinition,
    people: int = 1,
    send: dict[str, str] | None = None,
) -> str:
    """Fill in every page of ``definition`` and send it; returns the reference.

    Each repeat gets ``people`` instances (at least its minimum); ``send`` is posted with
    "Send my answers" (``{"consent": "yes"}`` when a community worker is helping)."""
    response = fill_in(client, definition, people)
    response = client.post(
        f"/forms/{definition.id}/submit",
        data={"csrftoken": csrf_token(response.text), **(send or {})},
    )
    assert response.status_code == 200, response.text[:3000]
    match = REFERENCE.search(response.text)
    assert match, "receipt shows no reference"
    return match.group(1)


def fill_in(client: httpx2.Client, definition: FormDefinition, people: int = 1) -> httpx2.Response:
    """Answer every page of ``definition`` from its start page; returns "Check your answers"."""
    page = client.get(f"/forms/{definition.id}")
    page.raise_for_status()
    response = client.post(
        f"/forms/{definition.id}/start", data={"csrftoken": csrf_token(page.text)}
    )
    answers: dict[str, Any] = {}
    prefix = f"/forms/{definition.id}/questions/"
    for _ in range(200):
        if not response.url.path.startswith(prefix):
            break
        key = response.url.path.removeprefix(prefix)
        current = {p.key: p for p in pages(definition, answers, TODAY)}[key]
        data = {"csrftoken": csrf_token(response.text)}
        if current.asks_for_more:
            assert current.repeat is not None
            wanted = len(answers.get(current.repeat.name) or []) < people
            more(answers, current.repeat, wanted)
            data["answer"] = "yes" if wanted else "no"
        else:
            data.update(page_data(definition, current, answers))
        response = client.post(response.url.path, data=data)
        assert response.status_code == 200, response.text[:3000]
    assert response.url.path == f"/forms/{definition.id}/check", response.url
    return response
