"""The inbox: filters by form, kiosk, review state and day submitted, the same on the page
and in the API; counts per state among the other filters; pages that keep the filters."""

from __future__ import annotations

import html
import re

import pytest

from sync.central import reviews, staff, submissions
from tests.sync.conftest import enrolled, wire_change

#: (kiosk, form, day submitted, review state) of each submission pushed.
MADE = [
    ("K01", "birth-certificate", "2026-11-20T23:59:59.999Z", "received"),
    ("K01", "birth-certificate", "2026-11-21T00:00:00.000Z", "approved"),
    ("K01", "pension-support", "2026-11-21T12:00:00.000Z", "rejected"),
    ("K02", "birth-certificate", "2026-11-22T08:00:00.000Z", "approved"),
    ("K02", "pension-support", "2026-11-23T08:00:00.000Z", "has_issues"),
]


@pytest.fixture
def made(staff_client, kiosk, central_settings, central_db) -> dict[int, str]:
    """Index in :data:`MADE` to reference."""
    kiosks = {"K01": kiosk, "K02": enrolled(central_settings.data, "Market kiosk")}
    refs, counters = {}, {"K01": 0, "K02": 0}
    for index, (code, form_id, at, _) in enumerate(MADE):
        counters[code] += 1
        change = wire_change(counters[code], code, form_id=form_id, submitted_at=at)
        assert kiosks[code].push(staff_client, [change]).status_code == 200
        refs[index] = change["payload"]["reference"]
    user = staff.get(central_db, 1)  # the staff_client's reviewer
    for index, (*_, state) in enumerate(MADE):
        if state != "received":
            found = submissions.find(central_db, refs[index])
            reviews.decide(central_db, found, state, "Because.", user)
    return refs


def _listed(text: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/submissions/([^"]+)"', text)


def _expected(made: dict[int, str], keep) -> list[str]:
    """References of the submissions ``keep`` accepts, newest submitted first."""
    chosen = [i for i, row in enumerate(MADE) if keep(*row)]
    return [made[i] for i in sorted(chosen, key=lambda i: MADE[i][2], reverse=True)]


CASES = [
    ({}, lambda k, f, at, s: True),
    ({"form": "pension-support"}, lambda k, f, at, s: f == "pension-support"),
    ({"kiosk": "k02"}, lambda k, f, at, s: k == "K02"),
    ({"state": "approved"}, lambda k, f, at, s: s == "approved"),
    ({"from": "2026-11-21", "to": "2026-11-21"}, lambda k, f, at, s: at[:10] == "2026-11-21"),
    ({"from": "2026-11-22"}, lambda k, f, at, s: at >= "2026-11-22"),
    ({"to": "2026-11-20"}, lambda k, f, at, s: at < "2026-11-21"),
    (
        {"form": "birth-certificate", "state": "approved", "kiosk": "K01", "from": "", "to": ""},
        lambda k, f, at, s: (k, f, s) == ("K01", "birth-certificate", "approved"),
    ),
]


@pytest.mark.parametrize(("params", "keep"), CASES, ids=[str(c[0]) for c in CASES])
def test_filters_on_the_page_and_in_the_api(staff_client, made, params, keep):
    expected = _expected(made, keep)
    page = staff_client.get("/submissions", params=params)
    assert page.status_code == 200
    assert _listed(page.text) == expected
    body = staff_client.get("/api/v1/submissions", params=params).json()
    assert [row["reference"] for row in body["submissions"]] == expected


def test_counts_per_state_keep_the_other_filters(staff_client, made):
    body = staff_client.get("/api/v1/submissions", params={"kiosk": "K01", "state": "approved"})
    assert body.json()["counts"] == {"received": 1, "has_issues": 0, "approved": 1, "rejected": 1}
    page = staff_client.get("/submissions", params={"kiosk": "K01", "state": "approved"}).text
    current = re.search(r'<a href="([^"]+)" aria-current="page">([^<]+)<', page)
    assert html.unescape(current.group(1)) == "/submissions?kiosk=K01&state=approved"
    assert 'href="/submissions?kiosk=K01"' in page, "All, still at kiosk K01"
    assert '<span class="state-count">3</span>' in page
    assert '<option value="K01" selected>' in page and '<option value="approved" selected>' in page


def test_pages_keep_the_filters(staff_client, made):
    params = {"form": "birth-certificate", "limit": "1"}
    first = staff_client.get("/submissions", params=params).text
    older = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert older == "/submissions?form=birth-certificate&offset=1&limit=1"
    second = staff_client.get(older).text
    assert _listed(second) == _expected(made, lambda k, f, at, s: f == "birth-certificate")[1:2]
    newer = html.unescape(re.search(r'href="([^"]+)" rel="prev"', second).group(1))
    assert newer == "/submissions?form=birth-certificate&offset=0&limit=1"


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"state": "lost"}, "state"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "21/11/2026"}, "to"),
        ({"from": "2026-11-22", "to": "2026-11-21"}, "to"),
        ({"form": "x" * 101}, "form"),
    ],
)
def test_a_filter_that_cannot_be_is_named(staff_client, params, name):
    body = staff_client.get("/api/v1/submissions", params=params)
    assert body.status_code == 400 and body.json()["code"] == "invalid_query"
    assert body.json()["details"]["name"] == name
    page = staff_client.get("/submissions", params=params)
    assert page.status_code == 400 and f"“{name}”" in page.text


def test_nothing_matching_says_so(staff_client, made):
    page = staff_client.get("/submissions", params={"form": "library-card"}).text
    assert "No submissions match the filters." in page and 'href="/submissions">Clear' in page


def test_every_submission_says_its_review_state(staff_client, made):
    page = staff_client.get("/submissions").text
    assert page.count('class="state state--approved"') == 2
    assert page.count('class="state state--received"') == 1
