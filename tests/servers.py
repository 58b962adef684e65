"""Real fieldkiosk processes on free loopback ports, for end-to-end and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx2

T = TypeVar("T")

FIELDKIOSK = [sys.executable, "-m", "kiosk.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment() -> dict[str, str]:
    """The test process's environment without any FIELDKIOSK_ setting leaking in."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIOSK_")}


def run(
    args: Sequence[str], *, input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``fieldkiosk ARGS`` to completion, ``input`` on its standard input, output captured."""
    return subprocess.run(
        [*FIELDKIOSK, *args],
        input=input,
        env={**environment(), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def until(check: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    """What ``check`` answers once it answers something true, asking every 0.2 s; an
    AssertionError naming ``what`` if it has not after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what}: not there after {timeout}s")


def has(client: httpx2.Client, path: str, *texts: str) -> str | None:
    """The page at ``path`` if it shows every one of ``texts``, else None."""
    page = client.get(path).text
    return page if all(text in page for text in texts) else None


@dataclass
class Server:
    """A fieldkiosk server process; ``url`` answers ``/healthz`` once :meth:`start` returns."""

    args: list[str]
    port: int
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> Server:
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [*FIELDKIOSK, *self.args, "--host", "127.0.0.1", "--port", str(self.port)],
                env={**environment(), **self.env},
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.args[0]} exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx2.get(self.url + "/healthz", timeout=1).status_code < 500:
                    return self
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.args[0]} did not answer in {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def central(data: Path, port: int | None = None) -> Server:
    return Server(
        ["central", "--data", str(data)], port or free_port(), data.parent / "central.log"
    )


def enroll_code(central_data: Path, name: str) -> str:
    result = run(["central", "add-kiosk", name, "--data", str(central_data)])
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def kiosk(data: Path, central_url: str, *extra: str, port: int | None = None) -> Server:
    args = ["kiosk", "--data", str(data), "--central", central_url, *extra]
    return Server(args, port or free_port(), data.parent / f"{data.name}.log")
