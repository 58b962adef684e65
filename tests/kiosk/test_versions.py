"""Publishing a new form version never breaks a citizen half-way through the old one."""

from __future__ import annotations

import shutil

from starlette.testclient import TestClient

from forms.library import DEFAULT_DIRECTORY, dump_definition, load_definition
from kiosk.app import create_app
from tests.citizen import csrf_token

FORM = "birth-certificate"


def _version_two(folder):
    old = load_definition(DEFAULT_DIRECTORY / f"{FORM}.yaml")
    first = old.fields[0].model_copy(update={"name": "requested_for"})
    new = old.model_copy(update={"version": "2026.12.1", "fields": [first, *old.fields[1:]]})
    (folder / f"{FORM}.yaml").write_text(dump_definition(new))


def test_a_draft_keeps_its_version_and_new_drafts_get_the_new_one(settings, tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(DEFAULT_DIRECTORY, forms)
    old = settings.model_copy(update={"forms": forms})
    with TestClient(create_app(old)) as client:
        page = client.get(f"/forms/{FORM}")
        started = client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})
        assert started.url.path.endswith("/questions/whose_certificate")
        cookies = dict(client.cookies)
    _version_two(forms)
    with TestClient(create_app(old), cookies=cookies) as client:
        assert client.get(f"/forms/{FORM}/questions/whose_certificate").status_code == 200
        assert client.get(f"/forms/{FORM}/questions/requested_for").status_code == 404
        client.cookies.clear()
        page = client.get(f"/forms/{FORM}")
        fresh = client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})
        assert fresh.url.path.endswith("/questions/requested_for")
        versions = client.app.state.versions
        assert versions.prune() == [], "a draft still uses the old version"
        client.app.state.db.execute("DELETE FROM drafts WHERE form_version = '2026.11.1'")
        assert versions.prune() == [(FORM, "2026.11.1")]
        assert versions.get(FORM, "2026.11.1") is None
        assert versions.get(FORM).version == "2026.12.1"
