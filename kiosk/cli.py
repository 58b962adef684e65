"""fieldkiosk: the one command, with a subcommand per process or task.

    fieldkiosk kiosk   --host H --port P --data DIR --central URL [--enroll CODE] [--no-sync]
    fieldkiosk kiosk add-worker NAME --data DIR [--pin-stdin]
    fieldkiosk kiosk remove-worker NAME --data DIR
    fieldkiosk central --host H --port P --data DIR
    fieldkiosk central add-kiosk NAME --data DIR
    fieldkiosk central add-user EMAIL --role ROLE --data DIR
    fieldkiosk central reenroll NAME --data DIR
    fieldkiosk central publish-form FILE.yaml --data DIR
    fieldkiosk central publish-list NAME FILE.csv --data DIR
    fieldkiosk central set-setting NAME (VALUE | --unset) [--kiosk NAME] --data DIR
    fieldkiosk restore --from REPLICA_URL --data DIR [--timestamp T] [--enroll CODE]
    fieldkiosk sync    --data DIR --central URL --once
    fieldkiosk sync export --to DIR [--data DIR]
    fieldkiosk sync import FILE [--data DIR] [--to DIR]
    fieldkiosk forms check [--forms DIR]
    fieldkiosk forms import FILE.xlsx [--out DIR]

Every option also reads an environment variable ``FIELDKIOSK_<OPTION>``; ``--help`` on
each subcommand names it.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sync import options
from sync.options import SettingsError, add_options, load
from sync.problems import Problem

if TYPE_CHECKING:
    from sync.central.publications import Publication
    from sync.sneakernet import Returned

log = logging.getLogger("fieldkiosk")


def _kiosk(args: argparse.Namespace) -> int:
    import uvicorn

    from kiosk.app import NotReady, create_app
    from kiosk.settings import KioskSettings
    from sync import identity

    settings = load(KioskSettings, args)
    known = identity.load(settings.data)
    if settings.enroll and known:
        log.warning("already enrolled as kiosk %s; ignoring --enroll", known.code)
    elif settings.enroll:
        me = identity.enroll(settings.data, str(settings.central), settings.enroll)
        log.info("enrolled as kiosk %s (%s)", me.code, me.name)
    try:
        app = create_app(settings)
    except NotReady as error:
        print(f"fieldkiosk kiosk: {error}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False)
    return 0


def _worker_database(args: argparse.Namespace) -> sqlite3.Connection | None:
    from kiosk import workers
    from kiosk.settings import KioskSettings

    data = load(KioskSettings, args).data
    if not data.is_dir():
        print(f"fieldkiosk kiosk: {data} is not a kiosk's data directory", file=sys.stderr)
        return None
    return workers.open_database(data)


def _read_pin(from_stdin: bool) -> str | None:
    """The new PIN: one line of standard input, or typed twice at hidden prompts."""
    if from_stdin:
        return sys.stdin.readline().strip()
    pin = getpass.getpass("PIN (4 to 8 digits): ")
    if getpass.getpass("The same PIN again: ") != pin:
        print("fieldkiosk kiosk: the two PINs differ; nothing was changed", file=sys.stderr)
        return None
    return pin


def _add_worker(args: argparse.Namespace) -> int:
    from kiosk import workers

    conn = _worker_database(args)
    if conn is None:
        return 2
    try:
        pin = _read_pin(args.pin_stdin)
        if pin is None:
            return 1
        worker = workers.add(conn, args.name, pin)
    finally:
        conn.close()
    print(f"Community worker {worker.name} can now sign in at this kiosk.", file=sys.stderr)
    return 0


def _remove_worker(args: argparse.Namespace) -> int:
    from kiosk import workers

    conn = _worker_database(args)
    if conn is None:
        return 2
    try:
        workers.remove(conn, args.name)
    finally:
        conn.close()
    print(f"Community worker {args.name} can no longer sign in.", file=sys.stderr)
    return 0


def _kiosk_parser(commands: argparse._SubParsersAction) -> None:
    from kiosk.settings import KioskSettings

    kiosk = commands.add_parser("kiosk", help="run the kiosk web app and its sync agent")
    add_options(kiosk, KioskSettings)
    kiosk.set_defaults(run=_kiosk)
    tasks = kiosk.add_subparsers(dest="task", metavar="TASK")
    worker = tasks.add_parser(
        "add-worker", help="add a community worker, who signs in with a PIN (asked twice)"
    )
    worker.add_argument("name", help="the worker's name, as the sign-in page lists it")
    worker.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the PIN from the first line of standard input instead (for scripts)",
    )
    add_options(worker, KioskSettings)
    worker.set_defaults(run=_add_worker)
    gone = tasks.add_parser(
        "remove-worker", help="stop a community worker signing in (and sign them out)"
    )
    gone.add_argument("name", help="the worker's name")
    add_options(gone, KioskSettings)
    gone.set_defaults(run=_remove_worker)


def _restore(args: argparse.Namespace) -> int:
    from kiosk.restore import restore
    from kiosk.settings import RestoreSettings

    done = restore(load(RestoreSettings, args))
    print(
        f"Kiosk {done.kiosk} restored: {done.submissions} submissions,"
        f" {done.pending} still to send (central holds up to change {done.central_high_water});"
        f" new references start at number {done.next_reference}.",
        file=sys.stderr,
    )
    return 0


def _reenroll(args: argparse.Namespace) -> int:
    from sync.central.fleet import renew_code
    from sync.settings import CentralSettings

    settings = load(CentralSettings, args)
    code = renew_code(settings.data, args.name, settings.enrollment_hours)
    print(
        f"New one-time enrollment code for {args.name} (valid {settings.enrollment_hours} hours;"
        " its current token stops working once the code is used):",
        file=sys.stderr,
    )
    print(code)
    return 0


def _central(args: argparse.Namespace) -> int:
    from sync.central.app import serve
    from sync.settings import CentralSettings

    serve(load(CentralSettings, args))
    return 0


def _add_kiosk(args: argparse.Namespace) -> int:
    from sync.central.fleet import add_kiosk
    from sync.settings import CentralSettings

    settings = load(CentralSettings, args)
    kiosk, code = add_kiosk(settings.data, args.name, settings.enrollment_hours)
    print(f"Kiosk {kiosk.name} registered as {kiosk.code}.", file=sys.stderr)
    print(f"One-time enrollment code (valid {settings.enrollment_hours} hours):", file=sys.stderr)
    print(code)
    return 0


def _add_user(args: argparse.Namespace) -> int:
    from sync.central.staff import add_user
    from sync.settings import CentralSettings

    settings = load(CentralSettings, args)
    password = os.environ.get("FIELDKIOSK_PASSWORD") or getpass.getpass("Password: ")
    add_user(settings.data, args.email, password, args.role)
    print(f"Staff member {args.email} can now sign in as {args.role}.", file=sys.stderr)
    return 0


def _sync(args: argparse.Namespace) -> int:
    from sync import identity
    from sync.agent import Agent
    from sync.settings import SyncRunSettings

    settings = load(SyncRunSettings, args)
    me = identity.load(settings.data)
    if me is None:
        print(f"fieldkiosk sync: {settings.data} holds no enrolled kiosk", file=sys.stderr)
        return 2
    agent = Agent(settings, me, settings.data / "kiosk.db")
    if settings.once:
        report = agent.drain_once()
        print(f"{report.sent} changes sent; everything is acknowledged.", file=sys.stderr)
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
    from sync import bundle, identity, sneakernet
    from sync.settings import BundleSettings

    data = load(BundleSettings, args).data
    me = identity.load(data)
    if me is None:
        print(f"fieldkiosk sync: {data} holds no enrolled kiosk", file=sys.stderr)
        return 2
    conn = _kiosk_database(data)
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


def _kiosk_database(data: Path) -> sqlite3.Connection:
    from kiosk import workers

    return workers.open_database(data)


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
    from sync import identity, sneakernet

    me = identity.load(data)
    assert me is not None
    conn = _kiosk_database(data)
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


def _sync_parser(commands: argparse._SubParsersAction) -> None:
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


def _forms_check(args: argparse.Namespace) -> int:
    from forms.check import check_directory
    from kiosk.settings import DEFAULT_FORMS

    directory = Path(args.forms or os.environ.get("FIELDKIOSK_FORMS") or DEFAULT_FORMS)
    findings = check_directory(directory)
    for finding in findings:
        print(f"{finding.file}: {finding.location}: {finding.severity}: {finding.message}")
    errors = sum(1 for finding in findings if finding.severity == "error")
    print(f"{directory}: {errors} errors, {len(findings) - errors} warnings", file=sys.stderr)
    return 1 if errors else 0


def _forms_import(args: argparse.Namespace) -> int:
    from forms.xlsform import main_import

    return main_import(args.file, args.out)


def _central_database(args: argparse.Namespace) -> sqlite3.Connection:
    from sync.central import storage
    from sync.settings import CentralSettings

    return storage.open_database(load(CentralSettings, args).data)


def _published(done: Publication, what: str) -> int:
    if done.cursor is None:
        print(f"{what} is already published as it is: nothing new for kiosks.", file=sys.stderr)
    else:
        print(f"Published {what}; kiosks get it when they next sync.", file=sys.stderr)
    return 0


def _publish_form(args: argparse.Namespace) -> int:
    from sync.central import publications

    definition = publications.read_form(Path(args.file))
    conn = _central_database(args)
    try:
        done = publications.publish_form(conn, definition)
    finally:
        conn.close()
    return _published(done, f"Form {definition.id} version {definition.version}")


def _publish_list(args: argparse.Namespace) -> int:
    from sync.central import publications

    entries = publications.read_list(Path(args.file))
    conn = _central_database(args)
    try:
        done = publications.publish_list(conn, args.name, entries)
    finally:
        conn.close()
    return _published(done, f"Reference list {args.name} ({len(entries)} entries)")


def _set_setting(args: argparse.Namespace) -> int:
    from kiosk.settings import central_value
    from sync.central import publications
    from sync.problems import SETTING_INVALID

    if (args.value is None) == (not args.unset):
        raise Problem(SETTING_INVALID, reason="give either a VALUE or --unset")
    try:
        value = None if args.unset else central_value(args.name, args.value)
    except ValueError as error:
        raise Problem(SETTING_INVALID, reason=str(error)) from None
    conn = _central_database(args)
    try:
        done = publications.set_setting(conn, args.name, value, args.kiosk)
    finally:
        conn.close()
    where = f"kiosk {args.kiosk}" if args.kiosk else "every kiosk"
    said = f"{args.name} = {value}" if value is not None else f"{args.name} back to the kiosk's own"
    return _published(done, f"{said} for {where}")


def _publishing_parser(tasks: argparse._SubParsersAction) -> None:
    from sync.protocol import KIOSK_SETTINGS
    from sync.settings import CentralSettings

    form = tasks.add_parser("publish-form", help="offer a form definition (YAML) to every kiosk")
    form.add_argument("file", help="the form definition, checked as `forms check` does")
    add_options(form, CentralSettings)
    form.set_defaults(run=_publish_form)
    choices = tasks.add_parser(
        "publish-list", help="offer a reference list (villages, offices) to every kiosk"
    )
    choices.add_argument("name", help="the list's name, as forms will refer to it")
    choices.add_argument("file", help="CSV with columns name, label, label::fr, …")
    add_options(choices, CentralSettings)
    choices.set_defaults(run=_publish_list)
    setting = tasks.add_parser("set-setting", help="change a kiosk setting from central")
    setting.add_argument("name", help=f"one of {', '.join(KIOSK_SETTINGS)}")
    setting.add_argument("value", nargs="?", help="the new value, checked as the kiosk checks it")
    setting.add_argument(
        "--unset", action="store_true", help="give the kiosk its own setting back instead"
    )
    setting.add_argument("--kiosk", help="only this kiosk (its name); default: every kiosk")
    add_options(setting, CentralSettings)
    setting.set_defaults(run=_set_setting)


def _central_parser(commands: argparse._SubParsersAction) -> None:
    from sync.settings import CentralSettings

    central = commands.add_parser("central", help="run the central server")
    add_options(central, CentralSettings)
    central.set_defaults(run=_central)
    tasks = central.add_subparsers(dest="task", metavar="TASK")
    kiosk = tasks.add_parser("add-kiosk", help="register a kiosk and print its enrollment code")
    kiosk.add_argument("name", help="a name staff will recognise, e.g. the place")
    add_options(kiosk, CentralSettings)
    kiosk.set_defaults(run=_add_kiosk)
    again = tasks.add_parser(
        "reenroll", help="a new enrollment code for an existing kiosk (new card, new token)"
    )
    again.add_argument("name", help="the kiosk's name")
    add_options(again, CentralSettings)
    again.set_defaults(run=_reenroll)
    user = tasks.add_parser(
        "add-user", help="add a staff member (password from FIELDKIOSK_PASSWORD or a prompt)"
    )
    user.add_argument("email", help="the staff member's email address, used to sign in")
    user.add_argument(
        "--role", choices=["reviewer", "supervisor", "admin"], default="reviewer", help="role"
    )
    add_options(user, CentralSettings)
    user.set_defaults(run=_add_user)
    _publishing_parser(tasks)


def parser() -> argparse.ArgumentParser:
    from kiosk.settings import RestoreSettings

    root = argparse.ArgumentParser(prog="fieldkiosk", description=__doc__.split("\n")[0])
    commands = root.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _kiosk_parser(commands)
    _central_parser(commands)
    restore = commands.add_parser(
        "restore", help="restore a kiosk's database from its replica onto a fresh card"
    )
    add_options(restore, RestoreSettings)
    restore.set_defaults(run=_restore)
    _sync_parser(commands)
    forms = commands.add_parser("forms", help="work with form definitions")
    form_tasks = forms.add_subparsers(dest="task", metavar="TASK", required=True)
    check = form_tasks.add_parser("check", help="validate every form definition")
    check.add_argument(
        "--forms", help=f"directory of definitions [env: {options.env_name('forms')}]"
    )
    check.set_defaults(run=_forms_check)
    xlsform = form_tasks.add_parser("import", help="turn an XLSForm into a form definition")
    xlsform.add_argument("file", help="the XLSForm workbook (.xlsx or .xls)")
    xlsform.add_argument("--out", default=".", help="directory to write <id>.yaml in (default: .)")
    xlsform.set_defaults(run=_forms_import)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SettingsError as error:
        print(f"fieldkiosk {args.command}: invalid settings:\n{error}", file=sys.stderr)
        return 2
    except Problem as problem:
        print(f"fieldkiosk {args.command}: {problem.text()}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
