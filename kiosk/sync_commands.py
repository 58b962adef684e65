"""``fieldkiosk sync …``: push the kiosk's outbox now or for good, and carry changes on a
USB stick when there is no network at all (``sync export`` / ``sync import``)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sync.options import add_options, load

if TYPE_CHECKING:
    from sync.sneakernet import Returned


def _sync(args: argparse.Namespace) -> int:
    from sync import identity
    from sync.agent import Agent
    from sync.settings import SyncRunSettings

    settings = load(SyncRunSettings, args)
    me = identity.configured(settings)
    if me is None:
        print(f"fieldkiosk sync: {settings.data} holds no enrolled kiosk", file=sys.stderr)
        return 2
    agent = Agent(settings, me, settings.data / "kiosk.db")
    if settings.once:
        report = agent.drain_once()
        sent = f"{report.sent} change{'' if report.sent == 1 else 's'} sent"
        print(f"{sent}; everything is acknowledged.", file=sys.stderr)
        return 0
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    agent.start()
    stopping.wait()
    agent.stop()
    return 0


def _carried(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A bundle command: a bundle it cannot use, or a stick it cannot write, is one line."""

    def carrying(args: argparse.Namespace) -> int:
        from sync.bundle import BundleError

        try:
            return run(args)
        except BundleError as error:
            print(f"fieldkiosk sync: {error}", file=sys.stderr)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            print(f"fieldkiosk sync: {where}{error.strerror or error}", file=sys.stderr)
        return 1

    return carrying


@_carried
def _export(args: argparse.Namespace) -> int:
    from kiosk.migrations import open_database
    from sync import bundle, identity, sneakernet
    from sync.settings import BundleSettings

    data = load(BundleSettings, args).data
    me = identity.load(data)
    if me is None:
        print(f"fieldkiosk sync: {data} holds no enrolled kiosk", file=sys.stderr)
        return 2
    conn = open_database(data)
    try:
        for path in bundle.returns_in(args.to, me.code):
            try:
                _say_returned(sneakernet.take_return(conn, me, path))
            except bundle.BundleError as error:
                print(f"fieldkiosk sync: not applied: {error}", file=sys.stderr)
        written = sneakernet.export(conn, me, args.to)
    finally:
        conn.close()
    for done in written:
        print(done.path)
        print(f"Wrote {done.count} changes ({done.first} to {done.last}).", file=sys.stderr)
    if not written:
        print("Nothing to export: central has acknowledged every change.", file=sys.stderr)
    else:
        print(
            "Carry it to central and run `fieldkiosk sync import FILE` there,"
            " then bring back the return bundle it writes.",
            file=sys.stderr,
        )
    return 0


def _say_returned(done: Returned) -> None:
    if not done.acknowledged and not done.items:
        print(f"{done.path.name}: already applied.", file=sys.stderr)
        return
    print(
        f"Applied {done.path.name}: {done.acknowledged} changes newly acknowledged (central"
        f" holds every change through {done.acked_through}), {done.items} updates from central.",
        file=sys.stderr,
    )


@_carried
def _import(args: argparse.Namespace) -> int:
    from sync import identity
    from sync.settings import BundleSettings

    data = load(BundleSettings, args).data
    at_central = (data / "central.db").exists()
    at_kiosk = identity.path(data).exists()
    if at_central == at_kiosk:
        what = "both a kiosk and central" if at_central else "neither a kiosk nor central"
        print(
            f"fieldkiosk sync: {data} holds {what} (central.db, identity.json):"
            " give the data directory with --data",
            file=sys.stderr,
        )
        return 2
    return _import_at_central(data, args) if at_central else _import_at_kiosk(data, args)


def _import_at_kiosk(data: Path, args: argparse.Namespace) -> int:
    from kiosk.migrations import open_database
    from sync import identity, sneakernet

    me = identity.load(data)
    assert me is not None
    conn = open_database(data)
    try:
        _say_returned(sneakernet.take_return(conn, me, args.file))
    finally:
        conn.close()
    return 0


def _import_at_central(data: Path, args: argparse.Namespace) -> int:
    from sync.central import sneakernet, storage

    conn = storage.open_database(data)
    try:
        done = sneakernet.import_push(conn, args.file, args.to)
    finally:
        conn.close()
    counts, kiosk = done.counts, done.kiosk
    if counts["applied"] or counts["refused"]:
        print(
            f"Imported {args.file.name} from kiosk {kiosk.code} ({kiosk.name}), changes"
            f" {done.first} to {done.last}: {counts['applied']} new,"
            f" {counts['duplicate']} already here, {counts['refused']} refused (kept for staff).",
            file=sys.stderr,
        )
    else:
        print(
            f"{args.file.name} was already imported: nothing changed"
            f" (changes {done.first} to {done.last} of kiosk {kiosk.code}).",
            file=sys.stderr,
        )
    print(done.written)
    print(
        f"Return bundle for kiosk {kiosk.code} ({done.pulled} updates from central):"
        " carry it back to the kiosk.",
        file=sys.stderr,
    )
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    from sync.settings import BundleSettings, SyncRunSettings

    sync = commands.add_parser("sync", help="push the kiosk's outbox to central")
    add_options(sync, SyncRunSettings)
    sync.set_defaults(run=_sync)
    tasks = sync.add_subparsers(dest="task", metavar="TASK")
    export = tasks.add_parser(
        "export", help="no network: write the pending changes as a bundle onto a USB stick"
    )
    export.add_argument(
        "--to", type=Path, required=True, help="the directory to write in (the USB stick)"
    )
    add_options(export, BundleSettings)
    export.set_defaults(run=_export)
    carried = tasks.add_parser(
        "import",
        help="apply a bundle: a kiosk's at central (--data holds central.db), or the return"
        " bundle central wrote at the kiosk",
    )
    carried.add_argument("file", type=Path, help="the bundle file")
    carried.add_argument(
        "--to", type=Path, help="central: where to write the return bundle (default: beside FILE)"
    )
    add_options(carried, BundleSettings)
    carried.set_defaults(run=_import)
