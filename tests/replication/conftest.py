"""Fixtures for replication: real Litestream against a real S3 server and a real SFTP server.

The stores start once per session; each test replicates to its own path in them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.replication.stores import S3Store, SFTPStore

_paths = itertools.count(1)


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Store]:
    with S3Store(tmp_path_factory.mktemp("s3")).start() as store:
        yield store


@pytest.fixture(scope="session")
def sftp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SFTPStore]:
    with SFTPStore(tmp_path_factory.mktemp("sftp")).start() as store:
        yield store


@pytest.fixture(params=["s3", "sftp"])
def store(request: pytest.FixtureRequest) -> S3Store | SFTPStore:
    """Each replica store in turn."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def replica_path() -> str:
    """A replica path no other test in this session writes to."""
    return f"kiosks/T{next(_paths):03d}"
