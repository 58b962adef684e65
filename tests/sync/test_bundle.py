"""Bundles (sneakernet): the outbox carried on a USB stick, with real files, real SQLite
and the real ``fieldkiosk`` command (PROTOCOL.md, "Bundles")."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import random
import sqlite3
from types import SimpleNamespace

import pytest

from kiosk.cli import main
from sync import bundle, identity, inbox, outbox, protocol, sneakernet
from sync.agent import Agent
from sync.bundle import BundleError
from sync.central import audit, feed
from sync.central import sneakernet as central_side
from sync.database import connect, migrate, transaction
from sync.settings import AgentSettings
from tests import servers
from tests.sync.conftest import decision, enrolled, publish, queue


@pytest.fixture
def data(tmp_path):
    return tmp_path / "kiosk"


@pytest.fixture
def me(data, kiosk):
    """The kiosk enrolled at the central under test, its identity saved in ``data``."""
    me = identity.Identity(kiosk.id, kiosk.code, "Library kiosk", kiosk.token, "http://127.0.0.1:9")
    identity.save(data, me)
    return me


@pytest.fixture
def kiosk_conn(data, me):
    conn = connect(data / "kiosk.db")
    migrate(conn, [*outbox.MIGRATIONS, *inbox.MIGRATIONS])
    yield conn
    conn.close()


@pytest.fixture
def usb(tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    return stick


def _held(central_db) -> tuple[int, int, int, int]:
    """(changes, submissions, refused changes, high-water mark) at central."""
    return tuple(
        central_db.execute(query).fetchone()[0]
        for query in (
            "SELECT COUNT(*) FROM changes",
            "SELECT COUNT(*) FROM submissions",
            "SELECT COUNT(*) FROM refused_changes",
            "SELECT COALESCE(MAX(high_water), 0) FROM kiosks",
        )
    )


def _contents(path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


def _sync(*args, data):
    """``fieldkiosk sync ARGS`` as a real process."""
    return servers.run(["sync", *map(str, args), "--data", str(data)])


@pytest.fixture
def cli(capsys):
    """``fieldkiosk sync ARGS`` in this process: the same code, without a process start."""

    def run(*args, data):
        code = main(["sync", *map(str, args), "--data", str(data)])
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run


def test_a_round_trip_delivers_everything_once(kiosk_conn, me, usb, central_settings, central_db):
    queue(kiosk_conn, 5)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    assert written.path == usb / "fieldkiosk-K01-000001-000005.bundle"
    assert (written.first, written.last, written.count) == (1, 5, 5)

    done = central_side.import_push(central_db, written.path)
    assert done.counts["applied"] == 5 and done.answer.acked_through == 5
    assert done.written == usb / "fieldkiosk-K01-return-000005.bundle"
    assert _held(central_db) == (5, 5, 0, 5)
    (entry,) = [e for e in audit.newest(central_db, 10) if e.action == "bundle.import"]
    assert (entry.actor, entry.action, entry.target) == ("cli", "bundle.import", "K01")
    assert entry.details["applied"] == 5 and entry.details["file"] == written.path.name

    back = sneakernet.take_return(kiosk_conn, me, done.written)
    assert (back.acknowledged, back.acked_through) == (5, 5)
    assert outbox.pending(kiosk_conn, 10) == []


def test_a_bundle_is_gzipped_canonical_json_signed_with_the_token(kiosk_conn, me, usb):
    queue(kiosk_conn, 2)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    raw = gzip.decompress(written.path.read_bytes()).decode()
    data = json.loads(raw)
    assert raw == protocol.canonical(data)
    assert {k: data[k] for k in ("bundle", "type", "kiosk_id", "cursor")} == {
        "bundle": 1,
        "type": "push",
        "kiosk_id": me.kiosk_id,
        "cursor": 0,
    }
    assert [change["seq"] for change in data["body"]["changes"]] == [1, 2]
    unsigned = protocol.canonical({k: v for k, v in data.items() if k != "signature"})
    key = hashlib.sha256(me.token.encode()).digest()
    expected = hmac.new(key, unsigned.encode(), hashlib.sha256).hexdigest()
    assert data["signature"] == expected
    assert written.path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in usb.iterdir()] == [written.path.name], "no temporary file is left"


def _tamper(path, change) -> None:
    data = _contents(path)
    change(data)
    path.write_bytes(gzip.compress(protocol.canonical(data).encode()))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["body"]["changes"][0]["payload"]["answers"].update(full_name="Mallory"),
        lambda d: d.update(cursor=7),
        lambda d: d.update(signature="0" * 64),
        lambda d: d.pop("signature"),
    ],
    ids=["an answer", "the header", "the signature", "no signature"],
)
def test_a_changed_bundle_is_refused_and_nothing_is_applied(
    kiosk_conn, me, usb, central_db, change
):
    queue(kiosk_conn, 3)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    _tamper(written.path, change)
    with pytest.raises(BundleError, match="signature does not match"):
        central_side.import_push(central_db, written.path)
    assert _held(central_db) == (0, 0, 0, 0)
    assert not list(usb.glob("*return*"))


def test_a_flipped_byte_is_refused_at_the_command_line(kiosk_conn, me, usb, central_settings):
    queue(kiosk_conn, 3)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    raw = bytearray(written.path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    written.path.write_bytes(bytes(raw))
    result = _sync("import", written.path, data=central_settings.data)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        f"fieldkiosk sync: {written.path} is not a readable bundle: the body is not valid gzip\n"
    )


def test_a_bundle_signed_with_another_kiosks_token_is_refused(
    kiosk_conn, me, usb, central_settings, central_db
):
    other = enrolled(central_settings.data, "Market kiosk")
    queue(kiosk_conn, 2)
    forged = sneakernet.export(
        kiosk_conn, identity.Identity(me.kiosk_id, me.code, me.name, other.token, ""), usb
    )
    with pytest.raises(BundleError, match="signature does not match"):
        central_side.import_push(central_db, forged[0].path)
    assert _held(central_db) == (0, 0, 0, 0)


def test_a_return_bundle_for_another_kiosk_is_refused(
    cli, data, kiosk_conn, me, usb, central_settings, central_db
):
    other = enrolled(central_settings.data, "Market kiosk")
    theirs = identity.Identity(other.id, other.code, "Market kiosk", other.token, "")
    other_db = connect(usb.parent / "other.db")
    migrate(other_db, [*outbox.MIGRATIONS, *inbox.MIGRATIONS])
    queue(other_db, 1, kiosk_code=other.code)
    (written,) = sneakernet.export(other_db, theirs, usb)
    done = central_side.import_push(central_db, written.path)
    with pytest.raises(BundleError, match="for another kiosk"):
        sneakernet.take_return(kiosk_conn, me, done.written)
    other_db.close()
    renamed = usb / bundle.return_name(me.code, 1)
    renamed.write_bytes(done.written.read_bytes())
    (mine,) = queue(kiosk_conn, 1)
    exported = cli("export", "--to", usb, data=data)
    assert exported.returncode == 0, exported.stderr
    assert (
        f"fieldkiosk sync: not applied: {renamed} is for another kiosk, not {me.code};"
        " nothing in it was used\n"
    ) in exported.stderr
    assert outbox.acked_through(kiosk_conn) == 0
    assert [change.seq for change in outbox.pending(kiosk_conn, 10)] == [mine.seq]


def test_importing_the_same_bundle_twice_changes_nothing(kiosk_conn, me, usb, central_settings):
    queue(kiosk_conn, 4)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    first = _sync("import", written.path, data=central_settings.data)
    assert first.returncode == 0, first.stderr
    assert "4 new" in first.stderr
    returned = usb / "fieldkiosk-K01-return-000004.bundle"
    assert first.stdout.strip() == str(returned)
    ack = _contents(returned)["body"]["ack"]

    conn = connect(central_settings.data / "central.db")
    before = _held(conn)
    again = _sync("import", written.path, data=central_settings.data)
    assert again.returncode == 0, again.stderr
    assert "already imported: nothing changed" in again.stderr
    assert _held(conn) == before == (4, 4, 0, 4)
    assert _contents(returned)["body"]["ack"]["acked_through"] == ack["acked_through"] == 4
    assert {r["status"] for r in _contents(returned)["body"]["ack"]["results"]} == {"duplicate"}
    conn.close()


def test_an_import_is_all_or_nothing(kiosk_conn, me, usb, central_db):
    queue(kiosk_conn, 5)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    central_db.execute(
        "CREATE TRIGGER fail_fourth BEFORE INSERT ON submissions"
        " WHEN (SELECT COUNT(*) FROM submissions) = 3"
        " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        central_side.import_push(central_db, written.path)
    assert _held(central_db) == (0, 0, 0, 0)
    assert [e for e in audit.newest(central_db, 10) if e.action == "bundle.import"] == []
    central_db.execute("DROP TRIGGER fail_fourth")
    assert central_side.import_push(central_db, written.path).counts["applied"] == 5


def test_a_sequence_gap_is_refused_naming_the_missing_bundle(kiosk_conn, me, usb, central_db):
    queue(kiosk_conn, 6)
    first, second, third = sneakernet.export(kiosk_conn, me, usb, per_bundle=2)
    assert [p.path.name for p in (first, second, third)] == [
        "fieldkiosk-K01-000001-000002.bundle",
        "fieldkiosk-K01-000003-000004.bundle",
        "fieldkiosk-K01-000005-000006.bundle",
    ]
    with pytest.raises(BundleError) as refused:
        central_side.import_push(central_db, second.path)
    assert "starts at change 3" in str(refused.value)
    assert "import the bundle with changes 1 to 2 first" in str(refused.value)
    assert _held(central_db) == (0, 0, 0, 0)
    for done in (first, second, third):
        central_side.import_push(central_db, done.path)
    assert _held(central_db) == (6, 6, 0, 6)


def test_an_export_splits_at_the_push_limit(kiosk_conn, me, usb):
    queue(kiosk_conn, bundle.MAX_CHANGES + 1)
    written = sneakernet.export(kiosk_conn, me, usb)
    assert [(w.first, w.last) for w in written] == [(1, 5000), (5001, 5001)]
    assert len(_contents(written[0].path)["body"]["changes"]) == 5000


def test_after_the_return_bundle_an_export_holds_only_new_changes(
    cli, kiosk_conn, me, usb, data, central_settings
):
    queue(kiosk_conn, 3)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    imported = cli("import", written.path, data=central_settings.data)
    assert imported.returncode == 0, imported.stderr
    queue(kiosk_conn, 2, start=4)

    result = cli("export", "--to", usb, data=data)
    assert result.returncode == 0, result.stderr
    assert "Applied fieldkiosk-K01-return-000003.bundle: 3 changes newly acknowledged" in (
        result.stderr
    )
    assert result.stdout.strip() == str(usb / "fieldkiosk-K01-000004-000005.bundle")
    later = _contents(usb / "fieldkiosk-K01-000004-000005.bundle")
    assert [change["seq"] for change in later["body"]["changes"]] == [4, 5]
    assert outbox.acked_through(kiosk_conn) == 3

    again = cli("export", "--to", usb, data=data)
    assert "fieldkiosk-K01-return-000003.bundle: already applied" in again.stderr


def test_the_return_bundle_carries_the_feed_after_the_kiosks_cursor(
    kiosk_conn, me, usb, central_settings, central_db
):
    other = enrolled(central_settings.data, "Market kiosk")
    with transaction(central_db):
        seen = feed.publish(central_db, "setting", "language", {"name": "language", "value": "fr"})
        new = feed.publish(central_db, "setting", "draft_days", {"name": "draft_days", "value": 3})
        feed.publish(central_db, "decision", "K02-00001-X", {"state": "approved"}, other.id)
    queue(kiosk_conn, 1)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    body = _contents(written.path)["body"]  # made again as a kiosk whose cursor is ``seen``
    key = bundle.key_of_token(me.token)
    written.path.write_bytes(bundle.seal("push", me.kiosk_id, body, key, cursor=seen))

    done = central_side.import_push(central_db, written.path)
    pull = _contents(done.written)["body"]["pull"]
    assert [item["cursor"] for item in pull["items"]] == [new]
    assert (pull["cursor"], pull["more"], done.pulled) == (new, False, 1)


def test_the_return_bundle_fills_the_inbox_and_a_stale_one_changes_nothing(
    kiosk_conn, me, usb, central_db
):
    publish(central_db, "setting", "language", {"name": "language", "value": "fr"})
    queue(kiosk_conn, 2)
    (first,) = sneakernet.export(kiosk_conn, me, usb)
    decided = publish(central_db, "decision", "K01-00001-V", decision("K01-00001-V"), me.kiosk_id)
    stale = central_side.import_push(central_db, first.path).written
    stale = stale.rename(usb / "stale.bundle")

    back = sneakernet.take_return(kiosk_conn, me, stale)
    assert (back.acknowledged, back.items) == (2, 2)
    assert inbox.settings(kiosk_conn) == {"language": "fr"}
    assert inbox.decision(kiosk_conn, "K01-00001-V").state == "approved"
    assert inbox.position(kiosk_conn)[0] == decided

    # the stick is slow; a later trip
    newer = publish(central_db, "setting", "language", {"name": "language", "value": "ar"})
    queue(kiosk_conn, 1, start=3)
    (second,) = sneakernet.export(kiosk_conn, me, usb)
    assert _contents(second.path)["cursor"] == decided
    fresh = central_side.import_push(central_db, second.path).written
    assert sneakernet.take_return(kiosk_conn, me, fresh).items == 1
    assert inbox.settings(kiosk_conn) == {"language": "ar"}

    again = sneakernet.take_return(kiosk_conn, me, stale)  # found again on the stick
    assert (again.acknowledged, again.items) == (0, 0)
    assert inbox.settings(kiosk_conn) == {"language": "ar"}
    assert inbox.position(kiosk_conn)[0] == newer


def test_a_network_sync_and_a_bundle_deliver_each_change_once(
    tmp_path, kiosk_conn, me, usb, data, live_server, central_db
):
    live_server.start()
    online = identity.Identity(me.kiosk_id, me.code, me.name, me.token, live_server.url)
    agent = Agent(
        AgentSettings(data=data, retry_initial=0.05, retry_max=0.1),
        online,
        data / "kiosk.db",
        rng=random.Random(1),
    )
    queue(kiosk_conn, 4)
    (carried,) = sneakernet.export(kiosk_conn, me, usb)  # exported, then the network came back
    assert agent.drain_once().applied == 4
    late = central_side.import_push(central_db, carried.path)
    assert late.counts == {"duplicate": 4}

    queue(kiosk_conn, 3, start=5)
    (ahead,) = sneakernet.export(kiosk_conn, me, usb)  # this time the stick arrives first
    assert central_side.import_push(central_db, ahead.path).counts == {"applied": 3}
    report = agent.drain_once()
    assert (report.duplicate, report.applied, report.acked_through) == (3, 0, 7)
    assert sneakernet.take_return(kiosk_conn, me, late.written).acknowledged == 0
    assert _held(central_db) == (7, 7, 0, 7)


@pytest.mark.parametrize(
    "content",
    [b"", b"\x1f\x8b\x08\x00garbage", b"not gzip at all", None, gzip.compress(b'{"x": 1}')],
    ids=["empty", "bad gzip", "not gzip", "truncated", "not a bundle"],
)
def test_an_unreadable_file_is_one_clear_line(cli, kiosk_conn, me, usb, central_settings, content):
    if content is None:
        queue(kiosk_conn, 2)
        (written,) = sneakernet.export(kiosk_conn, me, usb)
        content = written.path.read_bytes()[:-12]
    path = usb / "fieldkiosk-K01-000001-000002.bundle"
    path.write_bytes(content)
    result = cli("import", path, data=central_settings.data)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"fieldkiosk sync: {path} is not")


def test_each_side_refuses_the_other_sides_bundle(cli, kiosk_conn, me, usb, data, central_settings):
    queue(kiosk_conn, 1)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    at_kiosk = cli("import", written.path, data=data)
    assert at_kiosk.returncode == 1
    assert "is a push bundle, made by a kiosk for central: import it at central" in (
        at_kiosk.stderr
    )
    assert cli("import", written.path, data=central_settings.data).returncode == 0
    returned = usb / "fieldkiosk-K01-return-000001.bundle"
    at_central = cli("import", returned, data=central_settings.data)
    assert at_central.returncode == 1
    assert "is a return bundle, made by central for a kiosk" in at_central.stderr
    nowhere = cli("import", returned, data=usb)
    assert nowhere.returncode == 2 and "neither a kiosk nor central" in nowhere.stderr
    back = cli("import", returned, data=data)
    assert back.returncode == 0, back.stderr
    assert "1 changes newly acknowledged" in back.stderr
    assert outbox.pending(kiosk_conn, 10) == []


def test_the_return_bundle_goes_where_it_is_asked(tmp_path, kiosk_conn, me, usb, central_db):
    queue(kiosk_conn, 1)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    with pytest.raises(BundleError, match="is not a directory"):
        central_side.import_push(central_db, written.path, tmp_path / "nowhere")
    assert _held(central_db) == (0, 0, 0, 0)
    done = central_side.import_push(central_db, written.path, tmp_path)
    assert done.written == tmp_path / "fieldkiosk-K01-return-000001.bundle"


def test_a_revoked_or_unknown_kiosk_is_refused(kiosk_conn, me, usb, central_db):
    queue(kiosk_conn, 1)
    (written,) = sneakernet.export(kiosk_conn, me, usb)
    central_db.execute("UPDATE kiosks SET revoked_at = '2026-11-26T10:00:00.000Z'")
    with pytest.raises(BundleError, match="revoked"):
        central_side.import_push(central_db, written.path)
    central_db.execute("UPDATE kiosks SET revoked_at = NULL, id = 'gone'")
    with pytest.raises(BundleError, match="does not know"):
        central_side.import_push(central_db, written.path)
    assert _held(central_db)[:3] == (0, 0, 0)


def test_export_needs_an_enrolled_kiosk_and_a_directory(cli, tmp_path, usb, data, me):
    assert cli("export", "--to", usb, data=tmp_path / "empty").returncode == 2
    missing = cli("export", "--to", tmp_path / "no-stick", data=data)
    assert missing.returncode == 1
    assert "is not a directory (is the USB stick mounted?)" in missing.stderr
    empty = cli("export", "--to", usb, data=data)
    assert empty.returncode == 0 and "Nothing to export" in empty.stderr
