"""A citizen can switch language at any step without losing answers."""

from __future__ import annotations

import locales
from tests.citizen import csrf_token

FORM = "birth-certificate"


def _switch(client, language, back):
    page = client.get("/language", params={"next": back})
    return client.post(
        "/language",
        data={"csrftoken": csrf_token(page.text), "language": language, "next": back},
    )


def test_the_home_screen_offers_every_language_in_its_own_name(client):
    page = client.get("/").text
    for code in locales.LANGUAGES:
        assert f'lang="{code}"' in page and locales.native_name(code) in page


def test_switching_language_mid_form_keeps_the_answers(client):
    page = client.get(f"/forms/{FORM}")
    first = client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})
    client.post(first.url.path, data={"csrftoken": csrf_token(first.text), "answer": "me"})
    back = first.url.path
    french = _switch(client, "fr", back)
    assert french.url.path == back
    assert '<html lang="fr" dir="ltr"' in french.text
    assert "Pour qui demandez-vous" in french.text
    assert 'value="me" checked' in french.text, "the answer given survives the switch"
    arabic = _switch(client, "ar", back)
    assert '<html lang="ar" dir="rtl"' in arabic.text


def test_switching_never_leaves_the_kiosk(client):
    response = _switch(client, "fr", "//evil.example/")
    assert response.url.path == "/" and response.url.host == "testserver"


def test_a_form_not_written_in_the_language_chosen_says_which_one_it_is_in(client):
    """The demo form has no Swahili: its own words come in English, marked as English
    (WCAG 3.1.2), among the kiosk's words in Swahili; in French they are French."""
    page = client.get(f"/forms/{FORM}")
    first = client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})
    swahili = _switch(client, "sw", first.url.path).text
    assert '<html lang="sw" dir="ltr"' in swahili
    assert 'lang="en" dir="ltr">Who is the birth certificate for?</h1>' in swahili
    assert 'lang="en" dir="ltr">My child</label>' in swahili
    french = _switch(client, "fr", first.url.path).text
    assert 'tabindex="-1">Pour qui demandez-vous' in french
    assert 'lang="en"' not in french.split("<main", 1)[1]
