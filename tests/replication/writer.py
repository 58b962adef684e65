"""Citizens at a kiosk, fast: a process that submits through the kiosk's own code path.

    python -m tests.replication.writer DATA_DIR COUNT RATE RECEIPTS

submits ``COUNT`` submissions, ``RATE`` a second, into ``DATA_DIR/kiosk.db`` (the running
kiosk's database) with ``kiosk.submissions.submit``, each in its own transaction, as the
kiosk's submit route does. After each commit it appends ``REFERENCE ID UNIX_TIME`` to
``RECEIPTS``: the moment a citizen would see the receipt. Filling in forms over HTTP
costs ~0.2 s a submission here; this costs ~2 ms, so 1,000 fit in a test.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kiosk.drafts import Draft
from kiosk.submissions import submit
from sync import identity
from sync.database import connect
from tests.replication.workload import ANSWERS, FORM


def main(data: Path, count: int, rate: float, receipts: Path) -> None:
    me = identity.load(data)
    assert me is not None, f"{data} holds no enrolled kiosk"
    conn = connect(data / "kiosk.db")
    started = time.monotonic()
    with receipts.open("a", encoding="utf-8") as out:
        for n in range(count):
            draft = Draft(None, *FORM, {**ANSWERS, "copies": 1 + n % 5})
            made = submit(conn, me.code, draft, "en")
            out.write(f"{made.reference} {made.id} {time.time():.3f}\n")
            out.flush()
            time.sleep(max(0.0, started + (n + 1) / rate - time.monotonic()))
    conn.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4]))
