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
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import central_commands, sync_commands
from sync import options
from sync.options import SettingsError, add_options, load
from sync.problems import Problem

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
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, server_header=False)
    return 0


def _worker_database(args: argparse.Namespace) -> sqlite3.Connection | None:
    from kiosk.migrations import open_database
    from kiosk.settings import KioskSettings

    data = load(KioskSettings, args).data
    if not data.is_dir():
        print(f"fieldkiosk kiosk: {data} is not a kiosk's data directory", file=sys.stderr)
        return None
    return open_database(data)


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


def parser() -> argparse.ArgumentParser:
    from kiosk.settings import RestoreSettings

    root = argparse.ArgumentParser(prog="fieldkiosk", description=__doc__.split("\n")[0])
    commands = root.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _kiosk_parser(commands)
    central_commands.add_parser(commands)
    restore = commands.add_parser(
        "restore", help="restore a kiosk's database from its replica onto a fresh card"
    )
    add_options(restore, RestoreSettings)
    restore.set_defaults(run=_restore)
    sync_commands.add_parser(commands)
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
