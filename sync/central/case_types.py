"""The case types central merges by: loaded from ``<forms>/cases/`` (:mod:`forms.cases`)
when central starts and recorded in its database, so that every push, whichever process
applies it, merges by the same rules. A type central once knew stays known (a later
start updates it but never forgets it), so that its cases keep merging.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from forms.cases import CaseType, load_case_types
from sync import clock
from sync.central import storage
from sync.database import transaction
from sync.protocol import canonical


def register(data_dir: Path, forms_directory: Path) -> dict[str, CaseType]:
    """Load the case types of ``forms_directory`` and record them in central's database."""
    case_types = load_case_types(forms_directory)
    conn = storage.open_database(data_dir)
    try:
        with transaction(conn):
            remember(conn, case_types)
    finally:
        conn.close()
    return case_types


def remember(conn: sqlite3.Connection, case_types: Mapping[str, CaseType]) -> None:
    """Record (or update) the case types central merges by; call inside a transaction."""
    conn.executemany(
        "INSERT INTO case_types (name, definition, loaded_at) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET definition = excluded.definition,"
        " loaded_at = excluded.loaded_at",
        [
            (name, canonical(case_type.model_dump(mode="json")), clock.now())
            for name, case_type in case_types.items()
        ],
    )


def known(conn: sqlite3.Connection) -> dict[str, CaseType]:
    """The case types central knows, by name."""
    rows = conn.execute("SELECT name, definition FROM case_types ORDER BY name")
    return {row["name"]: _case_type(row["definition"]) for row in rows}


@lru_cache(maxsize=64)
def _case_type(definition: str) -> CaseType:
    return CaseType.model_validate_json(definition)
