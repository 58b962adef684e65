"""The conflict queue and the case page, through the real push endpoint and the real form:
two kiosks clash, a supervisor sees base, central and kiosk values side by side and
decides field by field (PROTOCOL.md, "Cases and the three-way merge")."""

from __future__ import annotations

import re

import pytest
from uuid6 import uuid7

from forms.cases import FieldRule
from sync.central import audit, case_history, cases, conflicts, feed, values
from sync.problems import Problem
from tests.sync.central import people
from tests.sync.conftest import case_change, csrf_token, enrolled

HOUSEHOLD = {
    "head_name": (None, "Amina Okafor"),
    "national_id": (None, "79927398713"),
    "date_of_birth": (None, "1980-02-29"),
    "village": (None, "Kisumu"),
    "members": (None, 4),
}
LATER = "1763717500000.0000@K02"  # after everything K01 sends in these tests
LATEST = "1763717600000.0000@K02"


@pytest.fixture
def supervisor(client, central_settings):
    user = people.add(central_settings.data, "supervisor")
    people.sign_in(client, "supervisor")
    return user


@pytest.fixture
def clinic(central_settings, kiosk):
    return enrolled(central_settings.data, "Clinic kiosk")


def _push(client, kiosk, changes):
    response = kiosk.push(client, changes)
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"applied"}


def _clash(client, kiosk, clinic, edits):
    """A household made at ``kiosk``, then edited there and at ``clinic`` from the same
    version: ``edits`` maps each field to (old, kiosk's new, clinic's new)."""
    case_id = str(uuid7())
    _push(client, kiosk, [case_change(1, case_id, HOUSEHOLD, kiosk.code, base_version=0)])
    mine = {name: (old, a) for name, (old, a, _) in edits.items()}
    theirs = {name: (old, b) for name, (old, _, b) in edits.items()}
    _push(client, kiosk, [case_change(2, case_id, mine, kiosk.code)])
    _push(client, clinic, [case_change(1, case_id, theirs, clinic.code, hlc=LATER)])
    return case_id


def _form(html: str) -> dict[str, str]:
    """The hidden inputs of the resolve form, as a browser would send them."""
    start = html.index('class="resolve"')
    form = html[start : html.index("</form>", start)]
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _open_ids(db, case_id) -> dict[str, int]:
    return {c.field: c.id for c in conflicts.of_case(db, case_id) if c.resolved_at is None}


def test_the_queue_lists_each_open_conflict_with_its_case_and_field(
    client, kiosk, clinic, supervisor, central_db
):
    case_id = _clash(client, kiosk, clinic, {"village": ("Kisumu", "Kakamega", "Bungoma")})
    listing = client.get("/conflicts")
    assert listing.status_code == 200
    row = listing.text[listing.text.index("<tbody>") :]
    assert f'href="/cases/{case_id}">Amina Okafor</a>' in row
    assert "<td>Household</td>" in row and ">Village</a>" in row and "<td>2</td>" in row
    assert "Village" in client.get("/conflicts?type=household").text
    assert client.get("/conflicts?type=boat").status_code == 400
    assert '<a href="/conflicts">Conflicts</a>' in listing.text  # the supervisor's nav


def test_a_conflict_shows_base_central_and_kiosk_values_side_by_side(
    client, kiosk, clinic, supervisor, central_db
):
    case_id = _clash(client, kiosk, clinic, {"village": ("Kisumu", "Kakamega", "Bungoma")})
    [conflict_id] = _open_ids(central_db, case_id).values()
    page = client.get(f"/conflicts/{conflict_id}")
    assert page.status_code == 200
    values = page.text[page.text.index('class="values"') :]
    base, central, clinic_value = values.split('<li class="value')[1:4]
    assert "Base" in base and "Kisumu" in base
    assert "At central" in central and "Kakamega" in central
    assert "Brought by Library kiosk (K01)" in central and "2025-11-21 09:30 UTC" in central
    assert "From a kiosk" in clinic_value and "Bungoma" in clinic_value
    assert (
        "Brought by Clinic kiosk (K02)" in clinic_value and "2025-11-21 09:31 UTC" in clinic_value
    )
    assert "Shown until someone decides." in clinic_value  # the latest hlc shows
    assert f'action="/cases/{case_id}/resolve"' in page.text


def test_one_form_decides_several_fields_in_one_version(
    client, kiosk, clinic, supervisor, central_db
):
    edits = {"village": ("Kisumu", "Kakamega", "Bungoma"), "members": (4, 5, 6)}
    case_id = _clash(client, kiosk, clinic, edits)
    before = cases.get(central_db, case_id)
    ids = _open_ids(central_db, case_id)
    page = client.get(f"/cases/{case_id}")
    assert page.text.count('<fieldset class="field conflict') == 2  # both on one page
    data = {
        **_form(page.text),
        f"choice-{ids['village']}": "1",
        f"choice-{ids['members']}": "other",
        f"other-{ids['members']}": " 7 ",
    }
    response = client.post(f"/cases/{case_id}/resolve", data=data, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{case_id}?decided=1"
    case = cases.get(central_db, case_id)
    assert case.fields["village"] == "Bungoma" and case.fields["members"] == 7
    assert case.conflicts == [] and case.version == before.version + 1
    assert feed.latest(central_db, "case", case_id).body["version"] == case.version
    [entry] = audit.newest(central_db, 10, target=case_id)
    [clinic_change] = [
        s for s in case_history.history(central_db, case_id) if s.kiosk_code == "K02"
    ]
    assert (entry.action, entry.actor) == ("case.resolve", f"staff:{supervisor.id}")
    assert entry.details == {
        "fields": ["members", "village"],
        "version": case.version,
        "chose": {"members": None, "village": clinic_change.change_id},
    }
    shown = client.get(response.headers["location"]).text
    assert "Your decisions are saved." in shown and "This case has no open conflicts." in shown
    assert "Conflicts decided: Number of people in the household, Village" in shown


def test_decide_later_leaves_a_field_open(client, kiosk, clinic, supervisor, central_db):
    edits = {"village": ("Kisumu", "Kakamega", "Bungoma"), "members": (4, 5, 6)}
    case_id = _clash(client, kiosk, clinic, edits)
    ids = _open_ids(central_db, case_id)
    data = {**_form(client.get(f"/cases/{case_id}").text), f"choice-{ids['village']}": "0"}
    assert client.post(f"/cases/{case_id}/resolve", data=data).status_code == 200
    case = cases.get(central_db, case_id)
    assert case.fields["village"] == "Kakamega" and case.conflicts == ["members"]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("members", "many", "“Number of people in the household” must be a whole number"),
        ("members", "4.5", "must be a whole number"),
        ("date_of_birth", "29/02/1980", "must be a real date written year-month-day"),
        ("date_of_birth", "1981-02-29", "must be a real date"),
        ("village", "   ", "Type the other value for “Village”"),
    ],
)
def test_another_value_is_checked_by_its_field_type_and_nothing_is_lost(
    client, kiosk, clinic, supervisor, central_db, field, typed, message
):
    edits = {
        "members": (4, 5, 6),
        "date_of_birth": ("1980-02-29", "1980-03-01", "1980-02-28"),
        "village": ("Kisumu", "Kakamega", "Bungoma"),
    }
    case_id = _clash(client, kiosk, clinic, edits)
    before = cases.get(central_db, case_id)
    ids = _open_ids(central_db, case_id)
    data = {
        **_form(client.get(f"/cases/{case_id}").text),
        f"choice-{ids[field]}": "other",
        f"other-{ids[field]}": typed,
        f"choice-{ids['village' if field != 'village' else 'members']}": "0",
    }
    response = client.post(f"/cases/{case_id}/resolve", data=data)
    assert response.status_code == 400
    assert message in response.text and 'class="error-summary"' in response.text
    assert f'href="#other-{ids[field]}"' in response.text
    assert f'value="{typed}"' in response.text  # what was typed is still there
    assert 'aria-invalid="true"' in response.text
    assert f'id="choice-{ids[field]}-other" name="choice-{ids[field]}" value="other" checked' in (
        response.text
    )
    assert cases.get(central_db, case_id) == before  # nothing applied, not even the others


def test_typing_a_value_chooses_it(client, kiosk, clinic, supervisor, central_db):
    edits = {"date_of_birth": ("1980-02-29", "1980-03-01", "1980-02-28")}
    case_id = _clash(client, kiosk, clinic, edits)
    ids = _open_ids(central_db, case_id)
    data = {
        **_form(client.get(f"/cases/{case_id}").text),
        f"other-{ids['date_of_birth']}": "1980-02-27",  # typed, "decide later" still ticked
    }
    client.post(f"/cases/{case_id}/resolve", data=data)
    assert cases.get(central_db, case_id).fields["date_of_birth"] == "1980-02-27"


def test_choosing_nothing_asks_for_a_choice(client, kiosk, clinic, supervisor, central_db):
    case_id = _clash(client, kiosk, clinic, {"village": ("Kisumu", "Kakamega", "Bungoma")})
    data = _form(client.get(f"/cases/{case_id}").text)
    response = client.post(f"/cases/{case_id}/resolve", data=data)
    assert response.status_code == 400
    assert "Choose a value for at least one field." in response.text
    assert cases.get(central_db, case_id).conflicts == ["village"]


def test_a_form_for_a_case_that_moved_on_is_refused_and_kept(
    client, kiosk, clinic, supervisor, central_db
):
    case_id = _clash(client, kiosk, clinic, {"village": ("Kisumu", "Kakamega", "Bungoma")})
    [conflict_id] = _open_ids(central_db, case_id).values()
    data = {**_form(client.get(f"/cases/{case_id}").text), f"other-{conflict_id}": "Busia"}
    late = case_change(2, case_id, {"village": ("Kisumu", "Kitale")}, "K02", hlc=LATEST)
    _push(client, clinic, [late])  # a third value joins while the supervisor decides
    response = client.post(f"/cases/{case_id}/resolve", data=data)
    assert response.status_code == 409
    assert "This case changed while you were deciding." in response.text
    assert 'value="Busia"' in response.text and "Kitale" in response.text
    assert cases.get(central_db, case_id).conflicts == ["village"]


def test_a_reviewer_may_not_see_or_decide_conflicts(staff_client, kiosk, central_db):
    case_id = str(uuid7())
    _push(staff_client, kiosk, [case_change(1, case_id, HOUSEHOLD, base_version=0)])
    for path in ("/conflicts", "/conflicts/1", f"/cases/{case_id}"):
        assert staff_client.get(path).status_code == 403, path
    page = staff_client.get("/submissions").text
    assert 'href="/conflicts"' not in page
    data = {"csrftoken": csrf_token(page), "version": "1", "choice-1": "0"}
    assert staff_client.post(f"/cases/{case_id}/resolve", data=data).status_code == 403


def test_nobody_signed_in_is_sent_to_sign_in(client):
    response = client.get("/conflicts", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_the_form_needs_its_csrf_token(client, kiosk, clinic, supervisor, central_db):
    case_id = _clash(client, kiosk, clinic, {"village": ("Kisumu", "Kakamega", "Bungoma")})
    [conflict_id] = _open_ids(central_db, case_id).values()
    data = {**_form(client.get(f"/cases/{case_id}").text), f"choice-{conflict_id}": "0"}
    del data["csrftoken"]
    response = client.post(f"/cases/{case_id}/resolve", data=data)
    assert response.status_code == 403 and "csrf_failed" in response.text
    assert cases.get(central_db, case_id).conflicts == ["village"]


def test_the_case_page_shows_fields_version_aliases_and_history(
    client, kiosk, clinic, supervisor, central_db
):
    case_id = _clash(client, kiosk, clinic, {"members": (4, 5, 6)})
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "<h1>Household <span" in page.text and "Amina Okafor" in page.text
    assert "<dt>Version</dt><dd>3</dd>" in page.text
    assert "No other record was merged into this case." in page.text
    history = page.text[page.text.index('id="history-title"') :]
    assert history.index("K01") < history.index("K02")
    assert "Created the case" in history and "4 to 6" in history and "4 to 5" in history
    assert client.get(f"/cases/{uuid7()}").status_code == 404


@pytest.mark.parametrize(
    ("kind", "typed", "value"),
    [
        ("text", " Busia ", "Busia"),
        ("integer", "-3", -3),
        ("decimal", "2.50", "2.5"),
        ("decimal", "7", "7"),
        ("date", "2026-11-21", "2026-11-21"),
    ],
)
def test_a_typed_value_is_stored_as_a_kiosk_stores_it(kind, typed, value):
    assert values.typed(FieldRule(type=kind), typed, "Field") == value


@pytest.mark.parametrize(
    ("kind", "typed"), [("decimal", "2,5"), ("decimal", "1e5"), ("date", "2026-1-2")]
)
def test_a_typed_value_of_the_wrong_shape_is_refused(kind, typed):
    with pytest.raises(Problem) as problem:
        values.typed(FieldRule(type=kind), typed, "Field")
    assert problem.value.status == 400 and "“Field”" in problem.value.text()
