"""``fieldkiosk central publish-form``, ``publish-list`` and ``set-setting``: checked, put
on the feed, and written to the audit log."""

from __future__ import annotations

import pytest

from forms.library import DEFAULT_DIRECTORY
from kiosk.cli import main
from sync.central import audit, feed, storage
from tests.sync.conftest import enrolled

FORM = DEFAULT_DIRECTORY / "birth-certificate.yaml"


@pytest.fixture
def data(central_settings):
    storage.open_database(central_settings.data).close()
    return central_settings.data


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(["central", *args])
    return code, capsys.readouterr().err


def _on_feed(data, kind: str, key: str, kiosk_id: str | None = None) -> feed.Item | None:
    conn = storage.open_database(data)
    try:
        return feed.latest(conn, kind, key, kiosk_id)
    finally:
        conn.close()


def _audit(data) -> list[audit.Entry]:
    conn = storage.open_database(data)
    try:
        return audit.newest(conn, 10)
    finally:
        conn.close()


def test_publish_form_checks_the_definition_then_offers_it_to_every_kiosk(data, capsys, tmp_path):
    code, said = _run(capsys, "publish-form", str(FORM), "--data", str(data))
    assert code == 0 and "Published Form birth-certificate version 2026.11.1" in said
    item = _on_feed(data, "form", "birth-certificate")
    assert item is not None and item.body["version"] == "2026.11.1"
    assert item.body["definition"]["id"] == "birth-certificate"
    (entry,) = _audit(data)
    assert (entry.actor, entry.action, entry.target) == ("cli", "form.publish", "birth-certificate")
    assert entry.details == {"cursor": item.cursor, "version": "2026.11.1"}

    code, said = _run(capsys, "publish-form", str(FORM), "--data", str(data))
    assert code == 0 and "already published" in said
    assert _on_feed(data, "form", "birth-certificate").cursor == item.cursor
    changed = tmp_path / "birth-certificate.yaml"
    changed.write_text(FORM.read_text().replace("Request a copy", "Ask for a copy"))
    code, said = _run(capsys, "publish-form", str(changed), "--data", str(data))
    assert code == 1 and "version 2026.11.1 is already published with other content" in said


def test_publish_form_refuses_a_definition_kiosks_could_not_use(data, capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "id: broken\nversion: '1'\nlanguages: [en]\ntitle: {en: Broken}\n"
        "description: {en: Broken}\nfields:\n  - name: age\n    type: integer\n"
        "    label: {en: Age}\n    relevant: ${nowhere} = 1\n"
    )
    code, said = _run(capsys, "publish-form", str(broken), "--data", str(data))
    assert code == 1 and "That form cannot be published: fields.0.relevant:" in said
    code, said = _run(capsys, "publish-form", str(tmp_path / "none.yaml"), "--data", str(data))
    assert code == 1 and "cannot be read" in said
    assert _on_feed(data, "form", "broken") is None and _audit(data) == []


def test_publish_list_reads_a_csv_with_a_label_per_language(data, capsys, tmp_path):
    villages = tmp_path / "villages.csv"
    villages.write_text(
        "name,label,label::fr,label::Kiswahili (sw),notes\n"
        "kibera,Kibera,Kibera,Kibera,big\nmathare,Mathare Valley,,Bonde la Mathare,\n",
        encoding="utf-8-sig",
    )
    code, said = _run(capsys, "publish-list", "villages", str(villages), "--data", str(data))
    assert code == 0 and "Reference list villages (2 entries)" in said
    item = _on_feed(data, "reference_list", "villages")
    assert item.body == {
        "name": "villages",
        "version": 1,
        "items": [
            {
                "name": "kibera",
                "label": {"en": "Kibera", "fr": "Kibera", "sw": "Kibera"},
                "properties": {"notes": "big"},  # other columns, for choice filters
            },
            {"name": "mathare", "label": {"en": "Mathare Valley", "sw": "Bonde la Mathare"}},
        ],
    }
    assert (
        "already published"
        in _run(capsys, "publish-list", "villages", str(villages), "--data", str(data))[1]
    )
    villages.write_text("name,label\nkibera,Kibera\n")
    assert _run(capsys, "publish-list", "villages", str(villages), "--data", str(data))[0] == 0
    assert _on_feed(data, "reference_list", "villages").body["version"] == 2
    assert [e.action for e in _audit(data)] == ["reference_list.publish"] * 2


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("label\nKibera\n", "no “name” column"),
        ("name,notes\nkibera,x\n", "no “label” column"),
        ("name,label\n", "no rows"),
        ("name,label\nkibera,Kibera\n,Mathare\n", "row 3: the name is empty"),
        ("name,label\nkibera,Kibera\nkibera,Kibera\n", "row 3: the name kibera is also on row 2"),
        ("name,label,label::fr\nkibera,,\n", "row 2 (kibera): no label in any language"),
        ("name,label\nkibera town,Kibera\n", "row 2: name: String should match pattern"),
    ],
)
def test_publish_list_names_the_row_or_column_that_is_wrong(data, capsys, tmp_path, csv, message):
    path = tmp_path / "list.csv"
    path.write_text(csv)
    code, said = _run(capsys, "publish-list", "villages", str(path), "--data", str(data))
    assert code == 1 and "That reference list cannot be published" in said and message in said


def test_set_setting_for_every_kiosk_or_one(data, capsys):
    library = enrolled(data, "Library kiosk")
    code, said = _run(capsys, "set-setting", "idle_seconds", "90", "--data", str(data))
    assert code == 0 and "idle_seconds = 90 for every kiosk" in said
    assert _on_feed(data, "setting", "idle_seconds").body == {"name": "idle_seconds", "value": 90}
    code, said = _run(
        capsys, "set-setting", "language", "fr", "--kiosk", "Library kiosk", "--data", str(data)
    )
    assert code == 0 and "for kiosk Library kiosk" in said
    mine = _on_feed(data, "setting", "language", library.id)
    assert mine.body == {"name": "language", "value": "fr"}
    entry = _audit(data)[0]
    assert (entry.action, entry.target, entry.details["kiosk"]) == (
        "setting.publish",
        "language",
        "K01",
    )
    code, said = _run(capsys, "set-setting", "idle_seconds", "--unset", "--data", str(data))
    assert code == 0 and "idle_seconds back to the kiosk's own for every kiosk" in said
    assert _on_feed(data, "setting", "idle_seconds").body == {"name": "idle_seconds", "value": None}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["central", "http://evil.example"],
            "central may change only idle_seconds, warning_seconds, draft_days, language",
        ),
        (
            ["idle_seconds", "5"],
            "idle_seconds: Input should be greater than or equal to 10 (got '5')",
        ),
        (["language", "xx"], "language: must be one of en, fr, es, pt, sw, ar (got 'xx')"),
        (["draft_days", "3", "--kiosk", "Nowhere"], "There is no kiosk called “Nowhere”"),
        (["draft_days"], "give either a VALUE or --unset"),
        (["draft_days", "3", "--unset"], "give either a VALUE or --unset"),
    ],
)
def test_set_setting_refuses_what_kiosks_would_not_take(data, capsys, args, message):
    code, said = _run(capsys, "set-setting", *args, "--data", str(data))
    assert code == 1 and message in said
    assert _audit(data) == []
