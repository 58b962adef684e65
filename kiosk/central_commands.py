"""``fieldkiosk central …``: run central, and the tasks an administrator does from its
command line (register kiosks and staff, publish forms, lists and settings to kiosks)."""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sync.options import add_options, load
from sync.problems import Problem

if TYPE_CHECKING:
    from sync.central.publications import Publication


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
    from sync.feed_items import KIOSK_SETTINGS
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


def add_parser(commands: argparse._SubParsersAction) -> None:
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
