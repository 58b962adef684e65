"""A citizen completing a form over plain HTTP, the way a browser without JavaScript does."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import httpx2

from forms.schema import Field, FormDefinition

CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')
REFERENCE = re.compile(r'class="reference">([A-Z0-9-]+)<')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def valid_answer(field: Field) -> dict[str, str]:
    """Form data a widget of this field would post for a valid answer."""
    if field.type == "date":
        day = _valid_day(field)
        return {
            "answer-day": str(day.day),
            "answer-month": str(day.month),
            "answer-year": str(day.year),
        }
    if field.type in {"integer", "decimal"}:
        low = Decimal(str(field.min)) if field.min is not None else Decimal(1)
        return {"answer": str(int(low) + 1 if field.type == "integer" else low + Decimal("1.5"))}
    if field.type == "select_one":
        return {"answer": field.choices[-1].value}
    if field.type == "yes_no":
        return {"answer": "yes"}
    return {"answer": "Amina Okafor"}


def _valid_day(field: Field) -> date:
    low = _bound(field.min) or date(1900, 1, 1)
    high = _bound(field.max) or date(2100, 1, 1)
    candidate = date(1956, 3, 14)
    return candidate if low <= candidate <= high else low


def _bound(value: Any) -> date | None:
    if value is None:
        return None
    if value == "today":
        return date.today()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def complete(client: httpx2.Client, definition: FormDefinition) -> str:
    """Fill in every question of ``definition`` and send it; returns the reference."""
    page = client.get(f"/forms/{definition.id}")
    page.raise_for_status()
    response = client.post(
        f"/forms/{definition.id}/start", data={"csrftoken": csrf_token(page.text)}
    )
    for field in definition.fields:
        assert response.url.path == f"/forms/{definition.id}/questions/{field.name}", response.url
        data = {"csrftoken": csrf_token(response.text), **valid_answer(field)}
        response = client.post(response.url.path, data=data)
        assert response.status_code == 200, response.text[:2000]
    assert response.url.path == f"/forms/{definition.id}/check"
    response = client.post(
        f"/forms/{definition.id}/submit", data={"csrftoken": csrf_token(response.text)}
    )
    assert response.status_code == 200, response.text[:2000]
    match = REFERENCE.search(response.text)
    assert match, "receipt shows no reference"
    return match.group(1)
