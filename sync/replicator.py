"""The replicator: ``litestream replicate`` for the kiosk's database, as a child process.

Its config and control socket live in a private runtime directory; it sees only
:func:`sync.litestream.environment` (the replica keys, no ``AWS_CA_BUNDLE``). SIGTERM
(:meth:`Litestream.stop`) lets it push what it holds; SIGKILL (:meth:`Litestream.kill`)
is the power cut the tests need.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from sync import replication
from sync.keyfile import write_private
from sync.litestream import CREDENTIALS, binary, config, environment


class Litestream:
    """``litestream replicate`` for one database, as a child process.

    Its config and control socket live in ``runtime_dir`` (by default a private
    temporary directory, removed when it stops); its log goes to ``log`` (by default
    wherever the parent's output goes).
    """

    def __init__(
        self,
        db_path: Path | str,
        replica_url: str,
        *,
        sftp_key: Path | str | None = None,
        sftp_host_key: str | None = None,
        interval: str = "1s",
        metrics_addr: str | None = None,
        runtime_dir: Path | None = None,
        log: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.db_path = Path(db_path).resolve()
        self.replica_url = replica_url
        self._own_runtime_dir = runtime_dir is None
        self.runtime_dir = runtime_dir or Path(tempfile.mkdtemp(prefix="litestream-"))
        self.config_path = self.runtime_dir / "litestream.yml"
        self.socket_path = self.runtime_dir / "control.sock"
        self.log = log
        self.env = environment(env)
        if urlsplit(replica_url).scheme == "s3" and not all(k in self.env for k in CREDENTIALS):
            raise ValueError(f"{CREDENTIALS[0]}: an s3 replica needs both keys (got none)")
        self._config = config(
            self.db_path,
            replica_url,
            sftp_key=sftp_key,
            sftp_host_key=sftp_host_key,
            interval=interval,
            metrics_addr=metrics_addr,
            socket_path=self.socket_path,
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 15.0) -> Litestream:
        """Start replicating; returns once the control socket answers."""
        write_private(self.config_path, self._config)
        self.socket_path.unlink(missing_ok=True)
        with self._log_file() as out:
            self.process = subprocess.Popen(
                [binary(), "replicate", "-config", str(self.config_path)],
                env=self.env,
                stdout=out,
                stderr=None if out is None else subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                status = self.process.returncode
                self.kill()
                raise RuntimeError(f"litestream exited with status {status}")
            if replication.answers(self.socket_path):
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"litestream did not open {self.socket_path} in {timeout}s")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM: Litestream pushes what it has not yet pushed, then exits."""
        self._end(signal.SIGTERM, timeout)

    def kill(self) -> None:
        """SIGKILL, as a power cut would: nothing more reaches the replica."""
        self._end(signal.SIGKILL, 15.0)

    def sync_now(self, timeout: float = 30.0) -> replication.Position:
        """Push everything committed so far and wait until the replica holds it."""
        return replication.sync_now(self.socket_path, self.db_path, timeout=timeout)

    def position(self) -> replication.Position | None:
        return replication.position(self.socket_path, self.db_path)

    def lag(self) -> float | None:
        return replication.lag(self.socket_path, self.db_path)

    def __enter__(self) -> Litestream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _end(self, signum: int, timeout: float) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._own_runtime_dir:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)

    def _log_file(self) -> AbstractContextManager[IO[bytes] | None]:
        if self.log is None:
            return nullcontext()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        return self.log.open("ab")
