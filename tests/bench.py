"""``make bench``: the figures the issues set targets for, measured against real processes.

Targets are figures to aim at, not timed tests:
first load <= 24 KB, next step <= 2 KB, step p99 <= 25 ms under 50 clients,
central absorbs >= 2,000 submissions/s.
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk.migrations import MIGRATIONS
from sync import identity, outbox
from sync.agent import Agent
from sync.database import connect, migrate, transaction
from sync.settings import AgentSettings
from tests import servers
from tests.citizen import csrf_token, valid_answer

FORM = "birth-certificate"
HTMX = {"HX-Request": "true", "HX-Target": "main#main", "HX-Request-Type": "partial"}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _wire_bytes(response: httpx2.Response) -> int:
    """Status line, headers and the body as it crossed the wire (compressed)."""
    head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n\r\n")
    head += sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
    return head + response.num_bytes_downloaded


def _started(client: httpx2.Client) -> httpx2.Response:
    page = client.get(f"/forms/{FORM}")
    return client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})


def transfer(kiosk_url: str) -> tuple[int, int]:
    """Bytes for the first load of a question page (with its assets), and for one step."""
    definition = load_directory(DEFAULT_DIRECTORY)[FORM]
    with httpx2.Client(base_url=kiosk_url, follow_redirects=True) as client:
        question = client.get(_started(client).url.path)
        first = _wire_bytes(question)
        for asset in sorted(set(ASSET.findall(question.text))):
            first += _wire_bytes(client.get(asset))
        data = {"csrftoken": csrf_token(question.text), **valid_answer(definition.fields[0])}
        step = client.post(question.url.path, data=data, headers=HTMX)
        step_bytes = sum(_wire_bytes(r) for r in [*step.history, step])
    return first, step_bytes


async def _client_steps(kiosk_url: str, steps: int, timings: list[float], pause: float) -> None:
    definition = load_directory(DEFAULT_DIRECTORY)[FORM]
    field = definition.fields[0]
    async with httpx2.AsyncClient(base_url=kiosk_url, follow_redirects=True, timeout=30) as client:
        page = await client.get(f"/forms/{FORM}")
        token = csrf_token(page.text)
        started = await client.post(f"/forms/{FORM}/start", data={"csrftoken": token})
        data = {"csrftoken": csrf_token(started.text), **valid_answer(field)}
        url = f"/forms/{FORM}/questions/{field.name}"
        for _ in range(steps):
            begun = time.perf_counter()
            response = await client.post(url, data=data, headers=HTMX)
            timings.append(time.perf_counter() - begun)
            assert response.status_code == 200, response.status_code
            if pause:
                await asyncio.sleep(random.uniform(0, 2 * pause))


def latency(
    kiosk_url: str, clients: int = 50, steps: int = 40, pause: float = 0.0
) -> tuple[float, float, float]:
    """p50 and p99 of one htmx question step in ms, and steps/s, with ``clients`` at once,
    each pausing on average ``pause`` seconds between steps (0: as fast as it can)."""
    timings: list[float] = []

    async def everyone() -> float:
        begun = time.perf_counter()
        await asyncio.gather(
            *(_client_steps(kiosk_url, steps, timings, pause) for _ in range(clients))
        )
        return time.perf_counter() - begun

    elapsed = asyncio.run(everyone())
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49] * 1000, cuts[98] * 1000, len(timings) / elapsed


def absorb(root: Path, central_url: str, code: str, count: int = 10_000) -> float:
    """Submissions per second central takes in while a kiosk drains ``count`` of them."""
    data = root / "bench-kiosk"
    me = identity.enroll(data, central_url, code)
    db = connect(data / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *MIGRATIONS])
    with transaction(db):
        for n in range(count):
            outbox.enqueue(db, "submission.create", _submission(me.code, n))
    agent = Agent(AgentSettings(data=data, central=central_url), me, data / "kiosk.db")
    begun = time.perf_counter()
    report = agent.drain_once()
    elapsed = time.perf_counter() - begun
    assert report.applied == count, report
    return count / elapsed


def _submission(kiosk_code: str, n: int) -> dict:
    from uuid6 import uuid7

    from sync import reference

    return {
        "id": str(uuid7()),
        "reference": reference.make(kiosk_code, n + 1),
        "form_id": FORM,
        "form_version": "2026.11.1",
        "language": "en",
        "answers": {"full_name": f"Citizen number {n}", "copies": 2, "collect": "office"},
        "submitted_at": "2026-11-21T09:00:00.000+00:00",
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        central = servers.central(root / "central").start()
        kiosk = servers.kiosk(
            root / "kiosk", central.url, "--enroll", servers.enroll_code(root / "central", "k")
        )
        kiosk.args.append("--no-sync")
        kiosk.start()
        try:
            first, step = transfer(kiosk.url)
            paced = latency(kiosk.url, steps=20, pause=0.5)
            flat_out = latency(kiosk.url)
            rate = absorb(root, central.url, servers.enroll_code(root / "central", "bench"))
        finally:
            kiosk.stop()
            central.stop()
    print(f"first load of a question page: {first / 1024:.1f} KB compressed (target <= 24 KB)")
    print(f"one next-question step:        {step / 1024:.2f} KB compressed (target <= 2 KB)")
    print(
        "step latency, 50 clients at a person's pace (a step every 0.5 s on average): "
        f"p50 {paced[0]:.1f} ms, p99 {paced[1]:.1f} ms (target p99 <= 25 ms)"
    )
    print(
        "step latency, 50 clients as fast as they can (saturation, one process): "
        f"p50 {flat_out[0]:.1f} ms, p99 {flat_out[1]:.1f} ms, {flat_out[2]:,.0f} steps/s"
    )
    print(f"central absorbs a 10,000 outbox: {rate:,.0f} submissions/s (target >= 2,000/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
