"""What every central request handler reaches through ``request.app.state.central``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request

from forms.schema import FormDefinition
from sync.central import storage
from sync.database import connect
from sync.settings import CentralSettings


@dataclass(frozen=True)
class Central:
    settings: CentralSettings
    definitions: dict[str, FormDefinition] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return storage.path(self.settings.data)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one request (SQLite connections are cheap; WAL lets them share)."""
        conn = connect(self.db_path)
        try:
            yield conn
        finally:
            conn.close()


def of(request: Request) -> Central:
    central: Central = request.app.state.central
    return central
