"""``make bench``: the figures the issues set targets for, measured against real processes.

Targets are figures to aim at, not timed tests (replication figures have none):
first load <= 24 KB and next step <= 2 KB in every language, step p99 <= 25 ms under
50 clients, central absorbs >= 2,000 submissions/s.

``python -m tests.bench --only bytes`` (``--only`` again for more parts) measures only
some of them; see ``--help``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import httpx2

import locales
from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk.migrations import SCHEMA
from sync import identity, outbox
from sync.agent import Agent
from sync.database import connect, migrate, transaction
from sync.settings import AgentSettings
from tests import servers
from tests.citizen import csrf_token, valid_answer

FORM = "birth-certificate"
HTMX = {"HX-Request": "true", "HX-Target": "main#main", "HX-Request-Type": "partial"}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
FIRST_LOAD_TARGET, STEP_TARGET = 24 * 1024, 2 * 1024  # bytes, compressed
PARTS = ("bytes", "latency", "central", "validation", "replication", "sync")
ABSORBED = "central absorbs a 10,000 outbox: {rate:,.0f} submissions/s (target >= 2,000/s)"


class Figures(NamedTuple):
    p50: float
    p99: float
    rate: float


def _wire_bytes(response: httpx2.Response) -> int:
    """Status line, headers and the body as it crossed the wire (compressed)."""
    head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n\r\n")
    head += sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
    return head + response.num_bytes_downloaded


def _started(client: httpx2.Client) -> httpx2.Response:
    page = client.get(f"/forms/{FORM}")
    return client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})


def _choose(client: httpx2.Client, language: str) -> None:
    """Pick ``language`` on the home page, as a citizen does before starting."""
    home = client.get("/")
    data = {"csrftoken": csrf_token(home.text), "language": language, "next": "/"}
    client.post("/language", data=data).raise_for_status()


def transfer(kiosk_url: str, language: str = locales.DEFAULT) -> tuple[int, int]:
    """Bytes for the first load of a question page (with its assets), and for one step,
    read in ``language``."""
    definition = load_directory(DEFAULT_DIRECTORY)[FORM]
    with httpx2.Client(base_url=kiosk_url, follow_redirects=True) as client:
        _choose(client, language)
        question = client.get(_started(client).url.path)
        assert f'<html lang="{language}"' in question.text, language
        first = _wire_bytes(question)
        for asset in sorted(set(ASSET.findall(question.text))):
            first += _wire_bytes(client.get(asset))
        data = {"csrftoken": csrf_token(question.text), **valid_answer(definition.fields[0])}
        step = client.post(question.url.path, data=data, headers=HTMX)
        step_bytes = sum(_wire_bytes(r) for r in [*step.history, step])
    return first, step_bytes


def transfers(kiosk_url: str) -> dict[str, tuple[int, int]]:
    """:func:`transfer` in every language the kiosk offers."""
    return {language: transfer(kiosk_url, language) for language in locales.LANGUAGES}


def _print_transfers(sizes: dict[str, tuple[int, int]], keyboard: bool) -> None:
    print(
        f"bytes per language, on-screen keyboard {'on' if keyboard else 'off'}, compressed"
        " as served (targets: first load <= 24 KB, step <= 2 KB):"
    )
    print("  language   first load of a question page   one next-question step")
    for language, (first, step) in sizes.items():
        over_first = "  OVER" if first > FIRST_LOAD_TARGET else ""
        over_step = "  OVER" if step > STEP_TARGET else ""
        print(
            f"  {language:<8}   {first / 1024:>8.1f} KB{over_first:<6}"
            f"               {step / 1024:>5.2f} KB{over_step}"
        )


async def _client_steps(kiosk_url: str, steps: int, timings: list[float], pause: float) -> None:
    definition = load_directory(DEFAULT_DIRECTORY)[FORM]
    field = definition.fields[0]
    async with httpx2.AsyncClient(base_url=kiosk_url, follow_redirects=True, timeout=30) as client:
        page = await client.get(f"/forms/{FORM}")
        token = csrf_token(page.text)
        started = await client.post(f"/forms/{FORM}/start", data={"csrftoken": token})
        data = {"csrftoken": csrf_token(started.text), **valid_answer(field)}
        url = f"/forms/{FORM}/questions/{field.name}"
        await asyncio.sleep(random.uniform(0, 2 * pause))  # people don't all press at once
        for _ in range(steps):
            begun = time.perf_counter()
            response = await client.post(url, data=data, headers=HTMX)
            timings.append(time.perf_counter() - begun)
            assert response.status_code == 200, response.status_code
            if pause:
                await asyncio.sleep(random.uniform(0, 2 * pause))


def latency(kiosk_url: str, clients: int = 50, steps: int = 20, pause: float = 0.5) -> Figures:
    """p50 and p99 of one htmx question step in ms, with ``clients`` people at once, each
    pausing on average ``pause`` seconds between steps, as people at a kiosk do."""
    timings: list[float] = []

    async def everyone() -> None:
        await asyncio.gather(
            *(_client_steps(kiosk_url, steps, timings, pause) for _ in range(clients))
        )

    asyncio.run(everyone())
    cuts = statistics.quantiles(timings, n=100)
    return Figures(cuts[49] * 1000, cuts[98] * 1000, 0.0)


def saturation(kiosk_url: str, clients: int = 50, seconds: int = 10) -> Figures:
    """The same step from ``wrk`` with ``clients`` connections and no pause: what one
    kiosk process can take, with a load generator light enough not to be the bottleneck."""
    definition = load_directory(DEFAULT_DIRECTORY)[FORM]
    field = definition.fields[0]
    with httpx2.Client(base_url=kiosk_url, follow_redirects=True) as client:
        started = _started(client)
        body = urlencode({"csrftoken": csrf_token(started.text), **valid_answer(field)})
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    script = "\n".join(
        [
            'wrk.method = "POST"',
            f"wrk.body = {json.dumps(body)}",
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
            f'wrk.headers["Cookie"] = {json.dumps(cookie)}',
            'wrk.headers["HX-Request"] = "true"',
            'wrk.headers["Accept-Encoding"] = "gzip"',
        ]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        url = f"{kiosk_url}/forms/{FORM}/questions/{field.name}"
        command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", lua.name, url]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "Non-2xx" not in out, out
    return Figures(_wrk_ms(out, "50%"), _wrk_ms(out, "99%"), _wrk_rate(out))


def _wrk_ms(out: str, line: str) -> float:
    match = re.search(rf"^\s*{line}\s+([\d.]+)(us|ms|s)\b", out, re.MULTILINE)
    assert match, out
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def _wrk_rate(out: str) -> float:
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def absorb(root: Path, central_url: str, code: str, count: int = 10_000) -> float:
    """Submissions per second central takes in while a kiosk drains ``count`` of them."""
    data = root / "bench-kiosk"
    me = identity.enroll(data, central_url, code)
    db = connect(data / "kiosk.db")
    migrate(db, SCHEMA)
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


def _print_latency(paced: Figures, flat_out: Figures) -> None:
    print(
        "step latency, 50 clients at a person's pace (a step every 0.5 s on average): "
        f"p50 {paced.p50:.1f} ms, p99 {paced.p99:.1f} ms (target p99 <= 25 ms)"
    )
    print(
        "step latency, 50 connections as fast as they can (wrk, saturation): "
        f"p50 {flat_out.p50:.1f} ms, p99 {flat_out.p99:.1f} ms, {flat_out.rate:,.0f} steps/s"
    )


def _keyboard_transfers(root: Path, central_url: str) -> dict[str, tuple[int, int]]:
    """:func:`transfers` from a kiosk with the on-screen keyboard on (touch-only kiosks)."""
    code = servers.enroll_code(root / "central", "touch")
    kiosk = servers.kiosk(root / "touch", central_url, "--enroll", code, "--no-sync")
    kiosk.env["FIELDKIOSK_KEYBOARD"] = "true"
    kiosk.start()
    try:
        return transfers(kiosk.url)
    finally:
        kiosk.stop()


def _served_figures(parts: set[str]) -> None:
    """The figures that need a real central and kiosk: bytes, latency, absorption."""
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        central = servers.central(root / "central").start()
        kiosk = servers.kiosk(
            root / "kiosk", central.url, "--enroll", servers.enroll_code(root / "central", "k")
        )
        kiosk.args.append("--no-sync")
        kiosk.start()
        try:
            if "bytes" in parts:
                _print_transfers(transfers(kiosk.url), keyboard=False)
                _print_transfers(_keyboard_transfers(root, central.url), keyboard=True)
            if "latency" in parts:
                _print_latency(latency(kiosk.url), saturation(kiosk.url))
            if "central" in parts:
                rate = absorb(root, central.url, servers.enroll_code(root / "central", "bench"))
                print(ABSORBED.format(rate=rate))
        finally:
            kiosk.stop()
            central.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="measure only this part (give it again for more); every part when left out",
    )
    parts = set(parser.parse_args(argv).only or PARTS)
    if parts & {"bytes", "latency", "central"}:
        _served_figures(parts)
    if "validation" in parts:
        print(
            "validate one page of a 200-question form with 50 relevance expressions: "
            f"{page_validation_ms():.2f} ms (aim: under 1 ms)"
        )
    if "replication" in parts:
        _replication_figures()
    if "sync" in parts:
        from tests import bench_sync

        print(bench_sync.table(bench_sync.figures()))
    return 0


def _replication_figures() -> None:
    from tests.replication import bench as replication

    lag = replication.replication_lag()
    print(
        "replication lag (commit -> visible in a restored copy, S3 on loopback): "
        f"median {lag['lag_p50_s']:.2f} s, max {lag['lag_max_s']:.2f} s"
    )
    restored = replication.restore_seconds()
    print(
        f"restore of {restored['rows']:,.0f} submissions ({restored['database_mb']:.0f} MB,"
        f" with integrity check): {restored['restore_s']:.1f} s"
    )
    cost = replication.write_overhead()
    print(
        f"write overhead of running Litestream: {cost['write_ms']:.3f} ms per submission alone,"
        f" {cost['write_replicated_ms']:.3f} ms replicated ({cost['overhead_percent']:+.1f} %)"
    )


def page_validation_ms() -> float:
    """Milliseconds to validate one page of a 200-question form with 50 relevance
    expressions: the pages for the answers so far, then the page's answers."""
    import timeit
    from datetime import date

    from forms.answers import check_page
    from forms.pages import pages
    from forms.schema import FormDefinition

    fields = [
        {"name": f"q{n}", "type": "integer", "label": f"Question {n}", "min": 0, "max": 120}
        | ({"relevant": f"${{q{n - 1}}} >= 18 and ${{q0}} != 3"} if n % 4 == 1 else {})
        for n in range(200)
    ]
    definition = FormDefinition.model_validate(
        {
            "id": "big",
            "version": "1",
            "languages": ["en"],
            "title": "Big",
            "description": "Big",
            "fields": fields,
        }
    )
    answers = {f"q{n}": 30 for n in range(150)}
    today = date.today()

    def one_step() -> None:
        page = next(p for p in pages(definition, answers, today) if p.key == "q150")
        check_page(definition, page, {"q150": "42"}, answers, today)

    runs = 200
    return min(timeit.repeat(one_step, number=runs, repeat=5)) / runs * 1000


if __name__ == "__main__":
    sys.exit(main())
