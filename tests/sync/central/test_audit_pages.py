"""The audit log page: admins only, newest first, paged, one record at a time."""

from __future__ import annotations

import html
import re

import pytest

from sync.central import audit
from sync.database import transaction
from tests.sync.central import people
from tests.sync.conftest import csrf_token, wire_change


@pytest.fixture
def admin(client, central_settings):
    people.add(central_settings.data, "admin")
    return people.sign_in(client, "admin")


def _rows(text: str) -> list[tuple[str, str, str]]:
    """(who, action, record) of each entry shown."""
    found = re.findall(
        r"<td>([^<]*)</td>\s*<td><code>([^<]+)</code></td>\s*<td>(?:<a [^>]+>)?([^<]*)", text
    )
    return [tuple(html.unescape(part) for part in row) for row in found]


def test_newest_first_with_who_did_it(admin, kiosk, central_db):
    change = wire_change(1)
    kiosk.push(admin, [change])
    ref = change["payload"]["reference"]
    page = admin.get(f"/submissions/{ref}").text
    data = {"csrftoken": csrf_token(page), "seen": "0", "state": "approved", "comment": ""}
    admin.post(f"/submissions/{ref}/review", data=data)
    rows = _rows(admin.get("/audit").text)
    assert rows[0] == ("admin@example.org", "submission.review", ref)
    assert rows[-1] == ("admin@example.org", "sign_in", "admin@example.org")
    assert ("cli", "kiosk.add", kiosk.code) in rows  # the kiosk fixture, after signing in


def test_one_record_at_a_time_and_paged(admin, central_db):
    with transaction(central_db):
        for n in range(3):
            audit.record(central_db, "cli", "form.publish", "birth-certificate", version=n)
        audit.record(central_db, "cli", "list.publish", "villages")
    page = admin.get("/audit", params={"target": "birth-certificate", "limit": 2}).text
    assert [row[2] for row in _rows(page)] == ["birth-certificate"] * 2
    assert "<dt>version</dt><dd>2</dd>" in page and 'value="birth-certificate"' in page
    older = html.unescape(re.search(r'href="([^"]+)" rel="next"', page).group(1))
    assert older == "/audit?target=birth-certificate&offset=2&limit=2"
    last = admin.get(older).text
    assert "<dt>version</dt><dd>0</dd>" in last and 'rel="next"' not in last
    assert 'href="/audit?target=villages"' in admin.get("/audit").text
    nothing = admin.get("/audit", params={"target": "K99"}).text
    assert "Nothing in the audit log is about K99." in nothing
