"""Community workers' PINs: the random ones make run hands out are ones add-worker takes."""

from __future__ import annotations

from kiosk import workers
from kiosk.migrations import open_database


def test_a_random_pin_is_six_digits_never_an_easy_one_and_is_accepted(tmp_path):
    pins = [workers.random_pin() for _ in range(200)]
    assert all(len(pin) == 6 and pin.isdigit() for pin in pins)
    assert not any(workers._too_easy(pin) for pin in pins)
    assert len(set(pins)) > 190  # random, not one fixed PIN
    conn = open_database(tmp_path)
    worker = workers.add(conn, "Demo worker", pins[0])
    assert worker.name == "Demo worker"
