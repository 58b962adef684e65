"""fieldkiosk: the one command, with a subcommand per process or task.

    fieldkiosk kiosk   --host H --port P --data DIR --central URL [--enroll CODE] [--no-sync]
    fieldkiosk central --host H --port P --data DIR
    fieldkiosk central add-kiosk NAME --data DIR
    fieldkiosk central add-user EMAIL --role ROLE --data DIR
    fieldkiosk central reenroll NAME --data DIR
    fieldkiosk restore --from REPLICA_URL --data DIR [--timestamp T] [--enroll CODE]
    fieldkiosk sync    --data DIR --central URL --once
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
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

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
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False)
    return 0


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


def parser() -> argparse.ArgumentParser:
    from kiosk.settings import KioskSettings, RestoreSettings
    from sync.settings import SyncRunSettings

    root = argparse.ArgumentParser(prog="fieldkiosk", description=__doc__.split("\n")[0])
    commands = root.add_subparsers(dest="command", metavar="COMMAND", required=True)
    kiosk = commands.add_parser("kiosk", help="run the kiosk web app and its sync agent")
    add_options(kiosk, KioskSettings)
    kiosk.set_defaults(run=_kiosk)
    _central_parser(commands)
    restore = commands.add_parser(
        "restore", help="restore a kiosk's database from its replica onto a fresh card"
    )
    add_options(restore, RestoreSettings)
    restore.set_defaults(run=_restore)
    sync = commands.add_parser("sync", help="push the kiosk's outbox to central")
    add_options(sync, SyncRunSettings)
    sync.set_defaults(run=_sync)
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
