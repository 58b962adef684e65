"""A TCP proxy on loopback that breaks HTTP exchanges on purpose, for fault tests.

It stands between a client (the kiosk's sync agent, PouchDB) and a real server (central,
pouchdb-server) and reads each HTTP/1.1 request and response just far enough to know
where it ends, so that a fault lands on one exchange even on a keep-alive connection.
Its :class:`Plan` chooses, for each request, one :class:`Fault`:

``pass``          forwarded both ways untouched
``delay``         every chunk, both ways, waits ``delay`` seconds first
``drop``          the connection is closed as the request arrives; nothing is forwarded
``cut_request``   the head and part of the body reach the server, then both sides close
``cut_response``  the server gets all of it and answers; the client gets half the answer
``blackhole``     nothing forwarded, nothing answered, until the client gives up
``late``          held ``late`` seconds (past the client's timeout), then forwarded: the
                  server acts on a request the client has given up on

Every exchange is recorded (fault, method, path, bytes each way, the server's status), so
a test can show that its faults fired: a fault test whose faults never fire proves nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from tests.faults.messages import Message, read_message

CHUNK = 16 * 1024


class Fault(enum.StrEnum):
    PASS = "pass"
    DELAY = "delay"
    DROP = "drop"
    CUT_REQUEST = "cut_request"
    CUT_RESPONSE = "cut_response"
    BLACKHOLE = "blackhole"
    LATE = "late"


class Plan:
    """Each fault's share of requests (the rest pass), drawn from a RNG seeded with ``seed``;
    only requests whose path starts with ``only`` can meet a fault."""

    def __init__(self, shares: Mapping[Fault, float] | None = None, seed: int = 0, only: str = "/"):
        self.shares = dict(shares or {})
        if sum(self.shares.values()) > 1:
            raise ValueError(f"shares add up to more than 1 (got {self.shares})")
        self.only = only
        self._rng = random.Random(seed)

    def choose(self, path: str) -> Fault:
        if not path.startswith(self.only):
            return Fault.PASS
        draw = self._rng.random()
        for fault, share in self.shares.items():
            if draw < share:
                return fault
            draw -= share
        return Fault.PASS


@dataclass
class Exchange:
    """One request through the proxy and what became of it."""

    number: int
    fault: Fault
    method: str
    path: str
    request_bytes: int  # as the client sent them
    response_bytes: int = 0  # as the client received them
    status: int | None = None  # the server's answer, whether or not the client got it
    upstream: str = ""  # "refused" (server down), "lost" (closed without answering)


class Proxy:
    """``Proxy(upstream_port).start()`` listens on a free loopback port (``url``); the test
    sets ``plan`` (and ``on_forwarded``, called in the proxy's thread once a request has
    wholly reached the server) whenever it likes."""

    def __init__(
        self,
        upstream_port: int,
        *,
        plan: Plan | None = None,
        delay: float = 0.05,
        late: float = 2.0,
        cut_after: int | None = None,
    ) -> None:
        self.upstream_port = upstream_port
        self.plan = plan or Plan()
        self.delay, self.late, self.cut_after = delay, late, cut_after
        self.on_forwarded: Callable[[Exchange], None] | None = None
        self.port = 0
        self.connections = 0
        self._exchanges: list[Exchange] = []
        self._numbered = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- what happened ------------------------------------------------------------------

    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return [replace(exchange) for exchange in self._exchanges]

    def fired(self, fault: Fault, path: str = "/", status: int | None = None) -> int:
        """How many requests to ``path…`` met ``fault`` (and got ``status`` from the server)."""
        return sum(
            1
            for e in self.exchanges()
            if e.fault == fault
            and e.path.startswith(path)
            and (status is None or e.status == status)
        )

    def wire_bytes(self, path: str = "/") -> tuple[int, int]:
        """Request and response bytes to ``path…``, as the client sent and received them."""
        exchanges = [e for e in self.exchanges() if e.path.startswith(path)]
        return sum(e.request_bytes for e in exchanges), sum(e.response_bytes for e in exchanges)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for e in self.exchanges():
            key = f"{e.fault}{'/' + e.upstream if e.upstream else ''}"
            counts[key] = counts.get(key, 0) + 1
        return f"{self.connections} connections, exchanges {counts}"

    def reset(self) -> None:
        """Forget the exchanges so far; back to passing everything."""
        with self._lock:
            self._exchanges.clear()
            self.connections = 0
        self.plan, self.on_forwarded = Plan(), None

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until no request is on its way through (a late one, say)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._in_flight == 0:
                    return
            time.sleep(0.02)
        raise AssertionError(f"requests still in flight after {timeout}s: {self.summary()}")

    # -- running ------------------------------------------------------------------------

    def start(self) -> Proxy:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the proxy did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> Proxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._server = loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    # -- one connection -----------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        with self._lock:
            self.connections += 1
        link = _Upstream(self.upstream_port)
        try:
            while await self._exchange(reader, writer, link):
                pass
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # either side went away: the connection ends, as it would
        except asyncio.CancelledError:
            pass  # the proxy is stopping; ending quietly keeps asyncio from logging it
        finally:
            self._tasks.discard(task)
            await link.close()
            await _close(writer)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Upstream
    ) -> bool:
        """One request and its answer; whether the connection carries on."""
        request = await read_message(reader, None)
        if request is None:
            return False
        method, path = request.start.split(" ")[:2]
        fault = self.plan.choose(path)
        with self._lock:
            self._numbered += 1
            exchange = Exchange(self._numbered, fault, method, path, len(request.raw))
            self._exchanges.append(exchange)
            self._in_flight += 1
        try:
            return await self._apply(exchange, request, reader, writer, link)
        finally:
            with self._lock:
                self._in_flight -= 1

    async def _apply(
        self,
        exchange: Exchange,
        request: Message,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        link: _Upstream,
    ) -> bool:
        fault = exchange.fault
        if fault == Fault.DROP:
            return False
        if fault == Fault.BLACKHOLE:
            while await reader.read(CHUNK):
                pass
            return False
        if fault == Fault.LATE:
            await asyncio.sleep(self.late)
        upstream = await link.open()
        if upstream is None:
            exchange.upstream = "refused"
            return False
        if fault == Fault.CUT_REQUEST:
            body = len(request.raw) - request.body_at
            cut = request.body_at + min(self.cut_after or body // 2, max(body - 1, 0))
            await self._send(upstream[1], request.raw[:cut], exchange, count=False)
            return False
        response = await self._forward(exchange, request, upstream)
        if response is None:
            exchange.upstream = "lost"
            return False
        exchange.status = int(response.start.split(" ")[1])
        if fault == Fault.CUT_RESPONSE:
            await self._send(writer, response.raw[: len(response.raw) // 2], exchange)
            return False
        await self._send(writer, response.raw, exchange)
        return fault != Fault.LATE and request.keep_alive and response.keep_alive

    async def _forward(
        self,
        exchange: Exchange,
        request: Message,
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    ) -> Message | None:
        """The server's answer to ``request``, or None when it went away first."""
        try:
            await self._send(upstream[1], request.raw, exchange, count=False)
            if self.on_forwarded is not None:
                self.on_forwarded(exchange)
            return await read_message(upstream[0], exchange.method)
        except (OSError, asyncio.IncompleteReadError):
            return None

    async def _send(
        self, writer: asyncio.StreamWriter, data: bytes, exchange: Exchange, count: bool = True
    ) -> None:
        for start in range(0, len(data), CHUNK):
            if exchange.fault == Fault.DELAY:
                await asyncio.sleep(self.delay)
            writer.write(data[start : start + CHUNK])
            await writer.drain()
            if count:
                with self._lock:
                    exchange.response_bytes += len(data[start : start + CHUNK])


@dataclass
class _Upstream:
    """The server side of one client connection, opened when first needed."""

    port: int
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = field(default=None)

    async def open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        if self.streams is not None and self.streams[0].at_eof():
            await self.close()
        if self.streams is None:
            try:
                self.streams = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                return None
        return self.streams

    async def close(self) -> None:
        if self.streams is not None:
            await _close(self.streams[1])
            self.streams = None


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, asyncio.CancelledError):
        await writer.wait_closed()
