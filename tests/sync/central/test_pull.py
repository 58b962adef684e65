"""``GET /api/v1/sync/pull``: the feed after a kiosk's cursor, its ETag and 304."""

from __future__ import annotations

import gzip
import json
import socket

import pytest

from sync import feed_items
from tests.sync.conftest import decision, enrolled, publish


def _pull(client, kiosk, **params) -> tuple:
    headers = {"authorization": f"Bearer {kiosk.token}", **params.pop("headers", {})}
    response = client.get(feed_items.PULL_PATH, params=params, headers=headers)
    return response, (
        feed_items.parse_pull(response.content) if response.status_code == 200 else None
    )


def test_without_a_valid_token_nothing_is_pulled(client, kiosk):
    missing = client.get(feed_items.PULL_PATH)
    assert missing.status_code == 401 and missing.json()["code"] == "token_missing"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.get(feed_items.PULL_PATH, headers={"authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "token_invalid"
    stale = client.get(
        feed_items.PULL_PATH, headers={"authorization": "Bearer x", "if-none-match": '"0"'}
    )
    assert stale.status_code == 401, "a 304 never answers an unauthenticated request"


def test_a_kiosk_gets_its_own_decisions_and_the_items_for_every_kiosk(
    client, central_settings, central_db, kiosk
):
    other = enrolled(central_settings.data, "Market kiosk")
    publish(central_db, "setting", "idle_seconds", {"name": "idle_seconds", "value": 90})
    publish(central_db, "decision", "K01-00001-D", decision("K01-00001-D"), kiosk.id)
    publish(central_db, "decision", "K02-00001-A", decision("K02-00001-A"), other.id)
    response, answer = _pull(client, kiosk)
    assert response.status_code == 200
    assert [(i.kind, i.key) for i in answer.items] == [
        ("setting", "idle_seconds"),
        ("decision", "K01-00001-D"),
    ]
    assert answer.items[1].body == decision("K01-00001-D")
    assert (answer.cursor, answer.more) == (2, False)
    assert response.headers["etag"] == '"2"', "the head this kiosk can see, not the feed's"
    assert response.headers["cache-control"] == "no-store"
    _, theirs = _pull(client, other)
    assert [i.key for i in theirs.items] == ["idle_seconds", "K02-00001-A"]


def test_an_unchanged_feed_is_a_304_of_a_few_hundred_bytes(client, central_db, kiosk, live_server):
    publish(central_db, "decision", "K01-00001-D", decision("K01-00001-D"), kiosk.id)
    first, _ = _pull(client, kiosk, after=0)
    etag = first.headers["etag"]
    again, _ = _pull(client, kiosk, after=1, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    raw = _raw_304(live_server.start(), kiosk.token, etag)
    assert raw.startswith(b"HTTP/1.1 304 Not Modified\r\n"), raw
    assert len(raw) < 400, f"{len(raw)} bytes: {raw!r}"
    publish(central_db, "decision", "K01-00001-D", decision("K01-00001-D", "rejected"), kiosk.id)
    moved, answer = _pull(client, kiosk, after=1, headers={"if-none-match": etag})
    assert moved.status_code == 200 and answer.items[0].body["state"] == "rejected"


def _raw_304(server, token: str, etag: str) -> bytes:
    """Status line and headers of an unchanged pull, exactly as they cross the wire."""
    request = (
        f"GET {feed_items.PULL_PATH}?after=1&limit=500 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nAccept-Encoding: gzip\r\n"
        f"If-None-Match: {etag}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request.encode())
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
    return received


def test_limit_pages_the_feed_and_more_says_when_to_ask_again(client, central_db, kiosk):
    for n in range(1, 6):
        key = f"K01-0000{n}-X"
        publish(central_db, "decision", key, decision(key), kiosk.id)
    seen, after, pages = [], 0, 0
    for _ in range(50):
        response, answer = _pull(client, kiosk, after=after, limit=2)
        pages += 1
        seen += [item.cursor for item in answer.items]
        assert response.headers["etag"] == '"5"'
        after = answer.cursor
        if not answer.more:
            break
    else:
        pytest.fail("more never became false")
    assert (seen, pages) == ([1, 2, 3, 4, 5], 3)
    _, done = _pull(client, kiosk, after=5)
    assert (done.cursor, done.more, done.items) == (5, False, [])


def test_a_cursor_above_the_head_is_answered_from_zero(client, central_db, kiosk):
    """Central was restored from an older backup: the kiosk's cursor is from the future."""
    publish(central_db, "form", "birth-certificate", {"id": "birth-certificate"})
    _, answer = _pull(client, kiosk, after=187)
    assert [i.cursor for i in answer.items] == [1] and answer.cursor == 1


@pytest.mark.parametrize(
    ("query", "name"),
    [("limit=0", "limit"), ("limit=1001", "limit"), ("after=-1", "after"), ("after=x", "after")],
)
def test_a_bad_query_is_invalid_query(client, kiosk, query, name):
    response = client.get(
        f"{feed_items.PULL_PATH}?{query}", headers={"authorization": f"Bearer {kiosk.token}"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_query" and response.json()["details"]["name"] == name


def test_gzip_only_for_a_client_that_accepts_it(client, central_db, kiosk):
    publish(central_db, "decision", "K01-00001-D", decision("K01-00001-D"), kiosk.id)
    headers = {"authorization": f"Bearer {kiosk.token}"}
    with client.stream(
        "GET", feed_items.PULL_PATH, headers={**headers, "accept-encoding": "gzip"}
    ) as zipped:
        body = b"".join(zipped.iter_raw())
    assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["vary"]
    assert json.loads(gzip.decompress(body))["items"][0]["key"] == "K01-00001-D"
    plain = client.get(feed_items.PULL_PATH, headers={**headers, "accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json()["cursor"] == 1
