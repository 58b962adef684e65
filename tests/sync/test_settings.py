"""Every setting is documented; invalid ones stop start-up with FIELD: problem (got VALUE)."""

from __future__ import annotations

import pytest

from sync.options import SettingsError, load
from sync.settings import AgentSettings, CentralSettings, SyncRunSettings


@pytest.mark.parametrize("model", [AgentSettings, SyncRunSettings, CentralSettings])
def test_every_setting_has_help_text(model):
    missing = [name for name, field in model.model_fields.items() if not field.description]
    assert missing == []


def test_retry_max_must_not_be_below_retry_initial():
    with pytest.raises(SettingsError, match=r"retry_max: .*\(got 5.0\)"):
        load(AgentSettings, retry_initial=10, retry_max=5)
