"""Bigger text and high contrast, set at any step, last for the session and no longer."""

from __future__ import annotations

from tests.citizen import csrf_token


def _press(client, **choice):
    page = client.get("/")
    return client.post(
        "/display", data={"csrftoken": csrf_token(page.text), "next": "/status", **choice}
    )


def test_text_grows_in_three_steps_and_contrast_toggles(client):
    assert 'class="text-size-1"' in client.get("/").text
    for expected in (2, 3, 3):
        page = _press(client, size="bigger")
        assert page.url.path == "/status"
        assert f'class="text-size-{expected}' in page.text
    assert "text-size-2" in _press(client, size="smaller").text
    contrast = _press(client, contrast="on")
    assert 'class="text-size-2 high-contrast"' in contrast.text
    assert 'aria-pressed="true"' in contrast.text
    assert "high-contrast" not in _press(client, contrast="off").text.split("<head>")[0]


def test_finishing_resets_the_display_for_the_next_person(client):
    _press(client, size="bigger")
    page = client.get("/")
    client.post("/finish", data={"csrftoken": csrf_token(page.text)})
    assert 'class="text-size-1"' in client.get("/").text
