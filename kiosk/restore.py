"""Bringing a kiosk back on a fresh card: its database from the replica, its identity from
a new enrollment code, and its place in the sequence from central.

After the restore the sync agent simply resumes: changes central had acknowledged are not
sent again, changes it had not are sent once, and new submissions never reuse a sequence
number or a reference central has already seen (the replica may be a little behind what
the dead card had sent).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk import submissions
from kiosk.migrations import DATABASE, open_database
from kiosk.settings import RestoreSettings
from sync import identity, outbox, replication
from sync.database import transaction
from sync.problems import NOT_ENROLLED, Problem


@dataclass(frozen=True)
class Restored:
    kiosk: str
    submissions: int
    pending: int
    central_high_water: int
    next_reference: int


#: Present from the moment the database is restored until the kiosk is lined up with
#: central: a restore cut short (central unreachable, power lost) can simply be run again.
UNFINISHED = "restore.unfinished"


def restore(settings: RestoreSettings) -> Restored:
    database = settings.data / DATABASE
    unfinished = settings.data / UNFINISHED
    if not unfinished.exists():
        replication.restore(
            settings.replica,
            database,
            timestamp=settings.timestamp,
            sftp_key=settings.sftp_key,
            sftp_host_key=settings.sftp_host_key,
        )
        unfinished.touch()
    done = _line_up(settings)
    unfinished.unlink()
    return done


def _line_up(settings: RestoreSettings) -> Restored:
    """Enroll again if the card has no identity, then continue after what central holds."""
    me = identity.load(settings.data)
    if me is None:
        if not settings.enroll:
            raise Problem(NOT_ENROLLED)
        me = identity.enroll(settings.data, str(settings.central), settings.enroll)
    state = identity.standing(me, timeout=settings.request_timeout)
    conn = open_database(settings.data)
    try:
        with transaction(conn):
            outbox.resume(conn, state.high_water)
            next_after = submissions.continue_numbering(conn, state.last_reference)
        count = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
        pending, _ = outbox.stats(conn)
    finally:
        conn.close()
    return Restored(me.code, count, pending, state.high_water, next_after + 1)
