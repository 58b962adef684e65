"""What central published, put to use at the kiosk: forms offered, settings in effect and
the office's decisions on the status page, in the citizen's language."""

from __future__ import annotations

import json
import re

import pytest

import locales
from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk import formatting
from kiosk.status import DECISIONS
from sync import feed_items, inbox
from tests.citizen import complete, csrf_token, fill_in

DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
FORM = "birth-certificate"
DECIDED_AT = "2026-11-22T10:00:00.000Z"


def _pulled(client, kind: str, key: str, body: dict) -> None:
    """As the agent does with a pull: the item goes into the inbox."""
    cursor = inbox.position(client.app.state.db)[0] + 1
    item = feed_items.FeedItem(cursor=cursor, kind=kind, key=key, body=body)
    inbox.apply(
        client.app.state.db, feed_items.PullResponse(cursor=cursor, more=False, items=[item])
    )


def _decide(client, ref: str, state: str, comment: str = "") -> None:
    body = {"reference": ref, "state": state, "comment": comment, "decided_at": DECIDED_AT}
    _pulled(client, "decision", ref, body)


def _form(form_id: str = FORM, version: str = "2026.12.1", first: str | None = None) -> dict:
    data = DEFINITIONS[FORM].model_dump(mode="json", exclude_unset=True)
    data.update(id=form_id, version=version)
    if first:  # a new first question, asked before the others
        data["fields"].insert(0, {**data["fields"][0], "name": first})
    return {"id": form_id, "version": version, "definition": data}


def _speak(client, language: str) -> None:
    page = client.get("/language")
    client.post("/language", data={"csrftoken": csrf_token(page.text), "language": language})


def test_the_status_page_shows_the_office_decision_in_the_citizen_language(client):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    client.cookies.clear()
    _speak(client, "fr")
    _decide(client, ref, "approved", "Retirez le certificat à la mairie.")
    page = client.get("/status", params={"reference": ref})
    assert page.status_code == 200
    french = locales.translations("fr").gettext
    assert french(DECISIONS["approved"]) in page.text
    assert french(DECISIONS["approved"]) != DECISIONS["approved"]
    assert "Retirez le certificat à la mairie." in page.text
    assert formatting.moment(DECIDED_AT, "fr") in page.text
    assert french("Comment from the office") in page.text


@pytest.mark.parametrize("state", ["received", "has_issues", "approved", "rejected"])
def test_every_decision_state_has_its_sentence(client, state):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    before = client.get("/status", params={"reference": ref}).text
    assert "Saved at this kiosk" in before and "Date of the decision" not in before
    _decide(client, ref, state, "<b>Bring your ID</b>" if state != "approved" else "")
    page = client.get("/status", params={"reference": ref}).text
    assert DECISIONS[state] in page and f'data-decision="{state}"' in page
    assert "Date of the decision" in page
    assert "<b>Bring" not in page, "the office's comment is text, never markup"
    assert ("Comment from the office" in page) == (state != "approved")


def test_a_pulled_form_is_offered_on_the_home_page(client):
    assert 'href="/forms/library-card"' not in client.get("/").text
    _pulled(client, "form", "library-card", _form("library-card", "1"))
    assert 'href="/forms/library-card"' in client.get("/").text
    assert client.get("/forms/library-card").status_code == 200


def test_a_new_version_is_for_new_drafts_while_a_draft_keeps_its_own(client):
    page = client.get(f"/forms/{FORM}")
    started = client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})
    assert started.url.path.endswith("/questions/whose_certificate")
    cookies = dict(client.cookies)
    _pulled(client, "form", FORM, _form(first="requested_for"))
    assert client.get(f"/forms/{FORM}/questions/whose_certificate").status_code == 200
    assert client.get(f"/forms/{FORM}/questions/requested_for").status_code == 404
    client.cookies.clear()
    page = client.get(f"/forms/{FORM}")
    fresh = client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})
    assert fresh.url.path.endswith("/questions/requested_for")
    client.cookies.update(cookies)
    assert client.get(f"/forms/{FORM}/questions/whose_certificate").status_code == 200


def test_a_pulled_form_that_does_not_validate_is_ignored_and_logged(client, caplog):
    broken = _form("broken-form", "1")
    del broken["definition"]["fields"]
    _pulled(client, "form", "broken-form", broken)
    illogical = _form(version="2026.12.9")
    illogical["definition"]["fields"][0]["relevant"] = "${nowhere} = 'yes' and ("
    _pulled(client, "form", FORM, illogical)
    home = client.get("/").text
    assert 'href="/forms/broken-form"' not in home
    assert client.app.state.versions.current[FORM].version == "2026.11.1", "the directory's stays"
    assert "form broken-form version 1 from central is not usable (fields: missing)" in caplog.text
    assert f"form {FORM} version 2026.12.9 from central is not usable" in caplog.text


def test_settings_central_publishes_override_the_kiosk_own(client, caplog):
    assert 'data-idle-seconds="120"' in client.get("/").text
    _pulled(client, "setting", "idle_seconds", {"name": "idle_seconds", "value": 45})
    _pulled(client, "setting", "language", {"name": "language", "value": "fr"})
    home = client.get("/").text
    assert 'data-idle-seconds="45"' in home and '<html lang="fr"' in home
    assert client.app.state.configured.idle_seconds == 120, "the kiosk's own is kept"
    _pulled(client, "setting", "warning_seconds", {"name": "warning_seconds", "value": 5})
    assert 'data-warning-seconds="30"' in client.get("/").text
    assert "central's value for the setting warning_seconds is not usable" in caplog.text
    _pulled(client, "setting", "idle_seconds", {"name": "idle_seconds", "value": None})
    assert 'data-idle-seconds="120"' in client.get("/").text


VILLAGES = [
    {"name": "kisumu", "label": {"en": "Kisumu", "fr": "Kisumu"}},
    {"name": "kondele", "label": {"en": "Kondele", "fr": "Kondélé"}, "properties": {"ward": "2"}},
]


def test_a_pulled_reference_list_replaces_the_one_the_forms_directory_ships(client, settings):
    """The household forms take their villages from ``lists/villages.csv``; once central
    publishes a new list, the kiosk offers its villages and the answer is one of them."""
    form = "household-registration"
    shipped = client.app.state.versions.current[form]
    village = shipped.field("village")
    assert [c.value for c in shipped.choices(village)][:2] == ["kisumu", "kakamega"]
    body = {"name": "villages", "version": 2, "items": VILLAGES}
    _pulled(client, "reference_list", "villages", body)
    client.get("/")  # the kiosk looks at its inbox before each request
    offered = client.app.state.versions.current[form]
    assert [c.value for c in offered.choices(village)] == ["kisumu", "kondele"]
    assert offered.choices(village)[1].properties == {"ward": "2"}
    client.follow_redirects = True
    _speak(client, "fr")
    check = fill_in(client, offered)  # picks the last village offered
    assert "Kondélé" in check.text  # the list's French label
    ref = complete(client, offered)
    db = client.app.state.db
    answers = db.execute("SELECT answers FROM submissions WHERE reference = ?", (ref,)).fetchone()
    assert json.loads(answers[0])["village"] == "kondele"


def test_a_form_is_offered_only_once_it_has_its_reference_list(client, caplog):
    library = _form("library-card", "1")
    field = library["definition"]["fields"][0]
    library["definition"]["fields"][0] = {
        "name": field["name"],
        "type": "select_one",
        "label": {"en": "Which branch?"},
        "choices_from": "branches",
    }
    _pulled(client, "form", "library-card", library)
    assert 'href="/forms/library-card"' not in client.get("/").text
    assert "form library-card is not offered: no reference list branches" in caplog.text
    branches = [{"name": "central", "label": {"en": "Central library"}}]
    body = {"name": "branches", "version": 1, "items": branches}
    _pulled(client, "reference_list", "branches", body)
    assert 'href="/forms/library-card"' in client.get("/").text
    page = client.get("/forms/library-card")
    started = client.post("/forms/library-card/start", data={"csrftoken": csrf_token(page.text)})
    assert started.status_code == 200 and "Central library" in started.text


@pytest.mark.parametrize(
    ("language", "comment"),
    [("en", "أحضر بطاقة هويتك إلى المكتب."), ("ar", "Bring your ID card to the office.")],
)
def test_the_office_comment_takes_its_own_direction(client, language, comment):
    """Staff write in any language: the comment takes its direction from its own text
    (dir="auto"), as central shows it, so an Arabic comment reads right to left on an
    English page and an English one left to right on an Arabic page."""
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    client.cookies.clear()
    _speak(client, language)
    _decide(client, ref, "has_issues", comment)
    page = client.get("/status", params={"reference": ref})
    assert page.status_code == 200
    assert f'lang="{language}"' in page.text.split(">", 2)[1], "the page is in that language"
    found = re.search(r'<dd class="summary__answer status-comment"([^>]*)>([^<]*)</dd>', page.text)
    assert found, "no comment from the office on the page"
    assert 'dir="auto"' in found[1].split()
    assert found[2] == comment
