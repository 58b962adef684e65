"""The README stays true: every setting and every command it promises exists, and
every setting that exists is in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import parser
from kiosk.settings import KioskSettings, RestoreSettings
from sync.options import env_name
from sync.settings import BundleSettings, CentralSettings, SyncRunSettings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
MODELS = [KioskSettings, CentralSettings, SyncRunSettings, RestoreSettings, BundleSettings]


@pytest.mark.parametrize(
    "name", sorted({name for model in MODELS for name in model.model_fields}), ids=str
)
def test_every_setting_is_documented(name):
    assert f"`{env_name(name)}`" in README


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_setting_has_help_text(model):
    assert all(field.description for field in model.model_fields.values())


@pytest.mark.parametrize(
    "command",
    [
        ["kiosk", "--help"],
        ["kiosk", "add-worker", "--help"],
        ["kiosk", "remove-worker", "--help"],
        ["central", "--help"],
        ["central", "add-kiosk", "--help"],
        ["central", "add-user", "--help"],
        ["central", "reenroll", "--help"],
        ["central", "publish-form", "--help"],
        ["central", "publish-list", "--help"],
        ["central", "set-setting", "--help"],
        ["restore", "--help"],
        ["sync", "--help"],
        ["sync", "export", "--help"],
        ["sync", "import", "--help"],
        ["forms", "check", "--help"],
        ["forms", "import", "--help"],
    ],
    ids=" ".join,
)
def test_every_documented_command_exists(command, capsys):
    assert f"fieldkiosk {' '.join(command[:-1])}" in README
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(command)
    assert exit_.value.code == 0
    assert "FIELDKIOSK_" in capsys.readouterr().out or command[0] == "forms"
