"""Sync through a proxy on loopback that drops, delays and cuts connections in the middle of
a batch, and restarts central mid-push: every submission arrives exactly once.

Central and the kiosks are real processes (``tests/servers.py``); each kiosk is enrolled
through the proxy, so its sync agent meets every fault as it would meet a bad network.
One kiosk lives through every test in turn, as a kiosk lives through a bad week; each test
queues more submissions the way the kiosk stores them (a few through the citizen's
journey), waits until the kiosk's outbox is acknowledged, and checks that central holds
each change once. Each test also asserts that its faults fired: a fault test whose faults
never fire proves nothing.
"""

from __future__ import annotations

import queue
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from sync.protocol import PUSH_PATH
from tests import citizen, servers
from tests.faults.kiosks import KioskUnderTest, assert_exactly_once, enrolled
from tests.faults.proxy import Exchange, Fault, Plan, Proxy

pytestmark = pytest.mark.e2e

#: Small batches so a drain spans many pushes; short waits so faults cost little time.
TIMEOUT = 0.75
AGENT = [
    *("--batch-size", "10", "--retry-initial", "0.02", "--retry-max", "0.1"),
    *("--request-timeout", str(TIMEOUT), "--sync-interval", "0.3"),
]
QUEUED = 300
JOURNEYS = ("birth-certificate", "pension-support")  # forms a citizen completes meanwhile


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def central(root: Path) -> Iterator[servers.Server]:
    server = servers.central(root / "central").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(central: servers.Server) -> Iterator[Proxy]:
    with Proxy(central.port, delay=0.03, late=TIMEOUT + 0.4) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def kiosk(root: Path, central: servers.Server, proxy: Proxy) -> Iterator[KioskUnderTest]:
    kiosk = enrolled(root, root / "central", proxy.url, "Library").start(*AGENT)
    yield kiosk
    kiosk.stop()


@pytest.fixture
def faults(proxy: Proxy) -> Iterator[Proxy]:
    """The proxy, its record of exchanges cleared; passing everything again afterwards."""
    proxy.reset()
    yield proxy
    proxy.reset()


def _drained(kiosk: KioskUnderTest, proxy: Proxy) -> None:
    kiosk.wait_until_acknowledged(60, proxy.summary())
    proxy.settle()  # a late request still on its way would land after the check


@pytest.mark.parametrize(
    ("fault", "share", "at_least"),
    [
        (Fault.DELAY, 1.0, 30),
        (Fault.DROP, 0.2, 4),
        (Fault.CUT_REQUEST, 0.2, 4),
        (Fault.CUT_RESPONSE, 0.2, 4),
        (Fault.BLACKHOLE, 0.12, 2),
        (Fault.LATE, 0.12, 2),
    ],
    ids=str,
)
def test_each_fault_on_pushes_delivers_exactly_once(root, kiosk, faults, fault, share, at_least):
    faults.plan = Plan({fault: share}, seed=5, only=PUSH_PATH)
    before = kiosk.outbox()[0]
    kiosk.queue(QUEUED)
    _drained(kiosk, faults)
    assert assert_exactly_once(root / "central", kiosk) == before + QUEUED
    fired = faults.fired(fault, PUSH_PATH)
    assert fired >= at_least, faults.summary()
    if fault in (Fault.CUT_RESPONSE, Fault.LATE):
        # central applied each of these and answered; the kiosk never heard, sent it again
        assert faults.fired(fault, PUSH_PATH, status=200) == fired, faults.exchanges()
    if fault == Fault.CUT_REQUEST:
        assert faults.fired(fault, PUSH_PATH, status=200) == 0


def test_a_random_mix_of_faults_on_every_request_two_kiosks_at_once(root, central, kiosk, faults):
    shares = {
        Fault.DELAY: 0.1,
        Fault.DROP: 0.08,
        Fault.CUT_REQUEST: 0.08,
        Fault.CUT_RESPONSE: 0.1,
        Fault.BLACKHOLE: 0.03,
        Fault.LATE: 0.03,
    }
    other = enrolled(root, root / "central", faults.url, "Clinic")
    faults.plan = Plan(shares, seed=8)
    other.queue(300)
    before = kiosk.outbox()[0]
    kiosk.queue(300)
    try:
        other.start(*AGENT)
        library = load_directory(DEFAULT_DIRECTORY)
        definitions = [library[form] for form in JOURNEYS]
        assert kiosk.server is not None
        with httpx2.Client(base_url=kiosk.server.url, follow_redirects=True) as client:
            journeys = {citizen.complete(client, definition) for definition in definitions}
        for each in (kiosk, other):
            _drained(each, faults)
    finally:
        other.stop()
    assert journeys <= set(kiosk.references())
    assert assert_exactly_once(root / "central", kiosk) == before + 300 + len(journeys)
    assert assert_exactly_once(root / "central", other) == 300
    for fault in shares:
        assert faults.fired(fault) >= 1, faults.summary()
    assert faults.fired(Fault.CUT_RESPONSE, PUSH_PATH, status=200) >= 3, faults.summary()


def test_central_killed_and_restarted_mid_push_delivers_exactly_once(root, central, kiosk, faults):
    killed: queue.Queue[signal.Signals] = queue.Queue()
    kills = {15: signal.SIGKILL, 50: signal.SIGTERM}  # on the 15th and the 50th push
    pushes = 0

    def kill_central(exchange: Exchange) -> None:
        """Called once a push has wholly reached central, before it answers."""
        nonlocal pushes
        if exchange.path != PUSH_PATH:
            return
        pushes += 1
        if pushes in kills and central.process is not None:
            central.process.send_signal(kills[pushes])
            killed.put(kills[pushes])

    faults.on_forwarded = kill_central
    before = kiosk.outbox()[0]
    kiosk.queue(1000)
    for _ in kills:
        killed.get(timeout=40)
        assert central.process is not None
        central.process.wait(timeout=20)
        central.start()  # the same port, the same data directory
    _drained(kiosk, faults)
    assert assert_exactly_once(root / "central", kiosk) == before + 1000
    upstream = [e.upstream for e in faults.exchanges()]
    assert upstream.count("lost") >= 1, faults.summary()  # SIGKILL: that push got no answer
    assert upstream.count("refused") >= 1, faults.summary()  # and the kiosk tried meanwhile
