"""The ``fieldkiosk`` command as users and deploy scripts run it."""

from __future__ import annotations

import pytest

from kiosk.cli import main
from sync import identity, outbox
from sync.database import connect, migrate, transaction
from tests import servers


def test_a_bad_setting_stops_start_up_naming_field_and_value(tmp_path, capsys):
    assert main(["central", "--port", "70000", "--data", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "port: Input should be less than or equal to 65535 (got '70000')" in error


def test_settings_come_from_the_environment_too(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FIELDKIOSK_BATCH_SIZE", "0")
    assert main(["sync", "--once", "--data", str(tmp_path)]) == 2
    assert "batch_size: Input should be greater than or equal to 1 (got '0')" in (
        capsys.readouterr().err
    )


def test_forms_check_passes_on_the_demo_forms(capsys):
    assert main(["forms", "check"]) == 0
    assert "0 errors" in capsys.readouterr().err


def test_forms_check_names_file_and_field(tmp_path, capsys):
    (tmp_path / "broken.yaml").write_text(
        "id: broken\nversion: '1'\ntitle: Broken\ndescription: Broken form\n"
        "fields:\n  - name: age\n    type: integer\n    label: Age\n    min: 10\n    max: 5\n"
    )
    assert main(["forms", "check", "--forms", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "broken.yaml: fields.0.min: error: min (10) is greater than max (5)" in out


def test_sync_once_without_enrollment_says_so(tmp_path, capsys):
    assert main(["sync", "--once", "--data", str(tmp_path)]) == 2
    assert "no enrolled kiosk" in capsys.readouterr().err


@pytest.mark.e2e
def test_sync_once_exit_codes_follow_central(tmp_path):
    central = servers.central(tmp_path / "central").start()
    data = tmp_path / "kiosk"
    try:
        identity.enroll(data, central.url, servers.enroll_code(tmp_path / "central", "Shop"))
        _queue(data, 3)
        result = servers.run(["sync", "--once", "--data", str(data)])
        assert result.returncode == 0, result.stderr
        assert "3 changes sent" in result.stderr
    finally:
        central.stop()
    _queue(data, 1)
    result = servers.run(["sync", "--once", "--data", str(data), "--request-timeout", "2"])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert central.url in result.stderr


@pytest.mark.e2e
def test_when_central_moves_the_kiosk_follows_the_new_address_it_is_given(tmp_path):
    """Central's data moves to a new address; the technician gives the kiosk the new one
    once (--central), and from then on the kiosk syncs there without being told again."""
    old = servers.central(tmp_path / "central").start()
    data = tmp_path / "kiosk"
    identity.enroll(data, old.url, servers.enroll_code(tmp_path / "central", "Shop"))
    old.stop()
    new = servers.central(tmp_path / "central").start()
    assert new.url != old.url
    try:
        _queue(data, 2)
        result = servers.run(["sync", "--once", "--data", str(data), "--request-timeout", "2"])
        assert result.returncode == 1 and old.url in result.stderr  # still the old address
        result = servers.run(["sync", "--once", "--data", str(data), "--central", new.url])
        assert result.returncode == 0 and "2 changes sent" in result.stderr, result.stderr
        me = identity.load(data)
        assert me is not None and me.central == new.url and me.code == "K01"
        _queue(data, 1)
        result = servers.run(["sync", "--once", "--data", str(data)])
        assert result.returncode == 0 and "1 change sent;" in result.stderr, result.stderr
    finally:
        new.stop()


def _queue(data, count):
    from kiosk.migrations import SCHEMA
    from tests.bench import _submission

    db = connect(data / "kiosk.db")
    migrate(db, SCHEMA)
    start = db.execute("SELECT count(*) FROM outbox").fetchone()[0] + 1
    with transaction(db):
        for n in range(count):
            outbox.enqueue(db, "submission.create", _submission("K01", start + n))
    db.close()


def test_restore_names_a_replica_it_cannot_use(tmp_path, capsys):
    assert main(["restore", "--from", "ftp://somewhere/k01", "--data", str(tmp_path)]) == 2
    assert "must be s3://, sftp:// or file:///" in capsys.readouterr().err


def test_restore_refuses_to_overwrite_a_database(tmp_path, capsys):
    (tmp_path / "kiosk.db").write_bytes(b"")
    assert main(["restore", "--from", f"file://{tmp_path}/replica", "--data", str(tmp_path)]) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.e2e
def test_a_restore_cut_short_can_be_run_again(tmp_path):
    from kiosk.restore import UNFINISHED

    central = servers.central(tmp_path / "central").start()
    data = tmp_path / "kiosk"
    try:
        identity.enroll(data, central.url, servers.enroll_code(tmp_path / "central", "Shop"))
        _queue(data, 2)  # as if restored from the replica, then central was out of reach
        (data / UNFINISHED).touch()
        refused = servers.run(["kiosk", "--data", str(data), "--no-sync"])
        assert refused.returncode == 2 and "restore of" in refused.stderr
        again = servers.run(["restore", "--from", "file:///nowhere", "--data", str(data)])
        assert again.returncode == 0, again.stderr
        assert "2 still to send" in again.stderr and "start at number 2001" in again.stderr
        assert not (data / UNFINISHED).exists()
    finally:
        central.stop()


def test_forms_check_finds_logic_errors_before_a_citizen_does(tmp_path, capsys):
    (tmp_path / "logic.yaml").write_text(
        "id: logic\nversion: '1'\nlanguages: [en]\ntitle: Logic\ndescription: Logic\n"
        "fields:\n"
        "  - {name: age, type: integer, label: Age, relevant: '${age} >= '}\n"
        "  - {name: a, type: calculate, label: A, calculation: '${b} + 1'}\n"
        "  - {name: b, type: calculate, label: B, calculation: '${a} + ${nobody}'}\n"
        "  - {name: where, type: select_one, label: Where, choice_list: places}\n"
    )
    assert main(["forms", "check", "--forms", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "logic.yaml: fields.0.relevant: error: expected a value" in out
    assert "(at character 11)" in out
    assert "refers to ${nobody}, which this form does not have" in out
    assert "calculations depend on themselves: a -> b -> a" in out
    assert "fields.3.choice_list: error: there is no choice list called 'places'" in out
