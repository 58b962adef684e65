from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from kiosk.app import create_app
from kiosk.settings import KioskSettings
from sync import identity


@pytest.fixture
def settings(tmp_path):
    identity.save(
        tmp_path,
        identity.Identity("kiosk-1", "K01", "Test kiosk", "token-not-used", "http://127.0.0.1:9"),
    )
    return KioskSettings(data=tmp_path, no_sync=True)


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client
