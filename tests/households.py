"""Households registered and changed over plain HTTP, as a browser without JavaScript does.

Registering is :func:`tests.citizen.complete` (its answers are :data:`REGISTERED`).
Changing one reads every question page as a browser reads its form, so what the kiosk
filled in is posted back as it is, and only the answers a test names are changed.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import httpx2

from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.pages import pages
from forms.schema import FormDefinition
from kiosk.screens import input_name
from tests.citizen import TODAY, csrf_token, form_data

FORMS = load_directory(DEFAULT_DIRECTORY)
REGISTRATION = FORMS["household-registration"]
UPDATE = FORMS["household-update"]
#: The case fields a registration by ``tests.citizen.complete`` gives a household.
REGISTERED = {
    "head_name": "Amina Okafor",
    "national_id": "79927398713",
    "date_of_birth": "1956-03-14",
    "village": "vihiga",
    "phones": ["+254712345678"],
    "members": 2,
    "status": "registered",
}


class _QuestionForm(HTMLParser):
    """The values a browser would post from a question page's form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, Any] = {}
        self._inside = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self._inside = "/questions/" in (found.get("action") or "")
        name = found.get("name")
        if not self._inside or not name:
            return
        if tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "input" and found.get("type") == "checkbox":
            if "checked" in found:
                self.values.setdefault(name, []).append(found.get("value") or "on")
        elif tag == "input" and (found.get("type") != "radio" or "checked" in found):
            self.values[name] = found.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._inside = False


def shown(html: str) -> dict[str, Any]:
    """What the question page ``html`` would post as it is (its CSRF token included)."""
    parser = _QuestionForm()
    parser.feed(html)
    return parser.values


def change(
    client: httpx2.Client,
    number: str,
    changes: dict[str, Any],
    definition: FormDefinition = UPDATE,
) -> httpx2.Response:
    """Start ``definition``, give ``number`` as the household number and ``changes`` (form
    field: stored answer), and keep what the kiosk filled in everywhere else. Returns
    "Check your answers", or the first page that refused an answer."""
    page = client.get(f"/forms/{definition.id}")
    response = client.post(
        f"/forms/{definition.id}/start", data={"csrftoken": csrf_token(page.text)}
    )
    given = {"household": number, **changes}
    prefix = f"/forms/{definition.id}/questions/"
    for _ in range(50):
        if not response.url.path.startswith(prefix) or response.status_code != 200:
            return response
        key = response.url.path.removeprefix(prefix)
        current = {p.key: p for p in pages(definition, {}, TODAY)}[key]
        data = shown(response.text)
        for slot in current.slots:
            if slot.field.name in given:
                data.update(
                    form_data(slot.field, input_name(current, slot), given[slot.field.name])
                )
        response = client.post(response.url.path, data=data)
    raise AssertionError("the form did not end")


def send(client: httpx2.Client, check: httpx2.Response, send: dict[str, str] | None = None) -> str:
    """Send the answers on "Check your answers" (``check``); returns the reference."""
    assert check.url.path.endswith("/check"), (check.url, check.text[:2000])
    form_id = check.url.path.split("/")[2]
    response = client.post(
        f"/forms/{form_id}/submit", data={"csrftoken": csrf_token(check.text), **(send or {})}
    )
    assert response.status_code == 200, response.text[:3000]
    return str(response.url.path).rsplit("/", 1)[1]
