"""The fault proxy does what each fault says, in front of a small HTTP/1.1 server that
records what reached it (so the fault tests' counts mean what they claim)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2
import pytest

from tests.faults.proxy import Fault, Plan, Proxy

BODY = b"x" * 5000


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received: list[int] = []  # body bytes of each request that reached the server

    def do_POST(self) -> None:
        wanted = int(self.headers["content-length"])
        self.received.append(len(self.rfile.read(wanted)))
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"world"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, *_: object) -> None:
        pass  # answering a client the proxy cut off: a broken pipe, as intended


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    _Recorder.received = []
    server = _Server(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    with Proxy(server.server_address[1], late=0.3) as proxy:
        yield proxy
    server.shutdown()
    server.server_close()
    thread.join(5)


def _post(proxy: Proxy, path: str = "/", timeout: float = 2) -> httpx2.Response:
    return httpx2.post(proxy.url + path, content=BODY, timeout=timeout)


def test_passing_keeps_one_connection_and_counts_bytes_both_ways(proxy):
    with httpx2.Client(base_url=proxy.url) as client:
        answers = [client.post("/", content=BODY).text for _ in range(3)]
        chunked = client.post("/chunked", content=BODY).text
    assert answers == ["ok"] * 3 and chunked == "hello world"
    assert proxy.connections == 1 and _Recorder.received == [5000] * 4
    up, down = proxy.wire_bytes()
    assert up > 4 * 5000 and down > 4 * len("HTTP/1.1 200 OK\r\n")
    assert proxy.fired(Fault.PASS, status=200) == 4


def test_a_delay_slows_each_chunk_both_ways(proxy):
    proxy.plan, proxy.delay = Plan({Fault.DELAY: 1.0}), 0.1
    assert _post(proxy).elapsed.total_seconds() >= 0.2
    assert proxy.fired(Fault.DELAY, status=200) == 1


@pytest.mark.parametrize("fault", [Fault.DROP, Fault.BLACKHOLE], ids=str)
def test_dropped_or_swallowed_requests_never_reach_the_server(proxy, fault):
    proxy.plan = Plan({fault: 1.0})
    with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadTimeout)):
        _post(proxy, timeout=0.3)
    proxy.settle()
    assert _Recorder.received == [] and proxy.fired(fault) == 1


def test_a_cut_request_reaches_the_server_in_part(proxy):
    proxy.plan = Plan({Fault.CUT_REQUEST: 1.0})
    with pytest.raises(httpx2.RemoteProtocolError):
        _post(proxy)
    deadline = time.monotonic() + 5
    while not _Recorder.received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _Recorder.received == [2500]  # half the body, then the end of the connection
    assert proxy.fired(Fault.CUT_REQUEST, status=None) == 1


def test_a_cut_response_was_answered_but_never_heard(proxy):
    proxy.plan = Plan({Fault.CUT_RESPONSE: 1.0})
    with pytest.raises(httpx2.RemoteProtocolError):
        _post(proxy)
    assert _Recorder.received == [5000] and proxy.fired(Fault.CUT_RESPONSE, status=200) == 1


def test_a_late_request_reaches_the_server_after_the_client_gave_up(proxy):
    proxy.plan = Plan({Fault.LATE: 1.0})
    with pytest.raises(httpx2.ReadTimeout):
        _post(proxy, timeout=0.1)
    proxy.settle()
    assert _Recorder.received == [5000] and proxy.fired(Fault.LATE, status=200) == 1


def test_a_server_that_is_down_is_recorded_as_refused():
    from tests.servers import free_port

    with Proxy(free_port()) as proxy:
        with pytest.raises(httpx2.RemoteProtocolError):
            httpx2.get(proxy.url + "/", timeout=2)
        assert [e.upstream for e in proxy.exchanges()] == ["refused"]


def test_shares_follow_the_seed_and_only_touch_matching_paths():
    plan = Plan({Fault.DROP: 0.5}, seed=1, only="/api/")
    assert {plan.choose("/healthz") for _ in range(50)} == {Fault.PASS}
    drawn = [plan.choose("/api/push") for _ in range(1000)]
    again = Plan({Fault.DROP: 0.5}, seed=1, only="/api/")
    assert drawn == [again.choose("/api/push") for _ in range(1000)]
    assert 400 < drawn.count(Fault.DROP) < 600
    with pytest.raises(ValueError, match="more than 1"):
        Plan({Fault.DROP: 0.6, Fault.LATE: 0.6})
