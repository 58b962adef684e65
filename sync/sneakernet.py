"""The kiosk's side of sneakernet: its pending changes written as push bundles for a USB
stick, and central's return bundles applied as if they had come over HTTP.

Like the agent, it holds no transaction while it reads or writes files: the kiosk keeps
taking submissions during an export. Acknowledgements never move backwards and the inbox
skips feed items it already has, so a return bundle applied twice changes nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sync import bundle, inbox, outbox
from sync.bundle import BundleError, ReturnBundle
from sync.database import transaction
from sync.identity import Identity

#: Most changes one export reads (in bundles of ``bundle.MAX_CHANGES``).
MAX_EXPORTED = 1_000_000


@dataclass(frozen=True)
class Returned:
    """What applying one return bundle did."""

    path: Path
    acknowledged: int  # changes newly acknowledged
    acked_through: int
    items: int  # feed items that changed something here


@dataclass(frozen=True)
class Written:
    """One push bundle written."""

    path: Path
    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def take_return(conn: sqlite3.Connection, me: Identity, path: Path) -> Returned:
    """Apply the return bundle in ``path``: central's acknowledgement, then its feed items.

    Raises :class:`BundleError`, with nothing applied, when the bundle is not a return
    bundle for this kiosk signed with its token.
    """
    path = Path(path)
    data = bundle.load(path)
    if data["type"] != "return":
        raise BundleError(
            f"{path} is a push bundle, made by a kiosk for central: import it at central"
            " (`fieldkiosk sync import FILE --data CENTRAL_DATA_DIRECTORY`)"
        )
    if data["kiosk_id"] != me.kiosk_id:
        raise BundleError(f"{path} is for another kiosk, not {me.code}; nothing in it was used")
    bundle.verify(path, data, bundle.key_of_token(me.token))
    returned = bundle.parse(path, data, ReturnBundle)
    before = outbox.acked_through(conn)
    with transaction(conn):
        outbox.acknowledge(conn, returned.body.ack.acked_through)
    after = outbox.acked_through(conn)
    items = inbox.apply(conn, returned.body.pull, after=returned.after)
    return Returned(path, after - before, after, items)


def export(
    conn: sqlite3.Connection, me: Identity, directory: Path, per_bundle: int = bundle.MAX_CHANGES
) -> list[Written]:
    """Write every pending change into push bundles in ``directory``, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BundleError(f"{directory} is not a directory (is the USB stick mounted?)")
    changes = outbox.pending(conn, MAX_EXPORTED)
    cursor, _ = inbox.position(conn)
    key = bundle.key_of_token(me.token)
    written = []
    for start in range(0, len(changes), per_bundle):
        batch = changes[start : start + per_bundle]
        body = {
            "protocol": 1,
            "kiosk_id": me.kiosk_id,
            "changes": [change.to_wire() for change in batch],
        }
        sealed = bundle.seal("push", me.kiosk_id, body, key, cursor=cursor)
        name = bundle.push_name(me.code, batch[0].seq, batch[-1].seq)
        written.append(Written(bundle.write(directory, name, sealed), batch[0].seq, batch[-1].seq))
    return written
