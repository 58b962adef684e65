from __future__ import annotations

import stat

import pytest

from sync import identity
from sync.central import fleet
from sync.problems import Problem


def test_not_enrolled(tmp_path):
    assert identity.load(tmp_path) is None


def test_enroll_saves_a_private_identity(tmp_path, live_server):
    live_server.start()
    _, code = fleet.add_kiosk(live_server.settings.data, "Library", 1)
    data = tmp_path / "kiosk"
    me = identity.enroll(data, live_server.url + "/", code)
    assert (me.code, me.name, me.central) == ("K01", "Library", live_server.url)
    assert identity.load(data) == me
    assert stat.S_IMODE(identity.path(data).stat().st_mode) == 0o600
    assert me.token not in repr(me) and "token" not in me.public()
    with pytest.raises(Problem) as raised:
        identity.enroll(data, live_server.url, code)
    assert raised.value.kind.code == "already_enrolled"


def test_a_used_code_is_refused_clearly(tmp_path, live_server):
    live_server.start()
    _, code = fleet.add_kiosk(live_server.settings.data, "Library", 1)
    identity.enroll(tmp_path / "first", live_server.url, code)
    with pytest.raises(Problem) as raised:
        identity.enroll(tmp_path / "second", live_server.url, code)
    assert raised.value.kind.code == "enrollment_invalid"
    assert identity.load(tmp_path / "second") is None


def test_unreachable_central_is_a_clear_problem(tmp_path, live_server):
    with pytest.raises(Problem) as raised:
        identity.enroll(tmp_path, live_server.url, "AAAA-BBBB-CCCC", timeout=2)
    assert raised.value.kind.code == "central_unreachable"
    assert live_server.url in raised.value.text()
