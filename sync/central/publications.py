"""What staff publish for kiosks from the command line: form definitions, reference lists
and settings (``fieldkiosk central publish-form``, ``publish-list``, ``set-setting``).

Each is checked first, then put on the feed with an audit entry in one transaction,
which also reads what is on the feed now (so two publishers cannot both take the same
version). Publishing what is already on the feed, unchanged, publishes nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forms import logic
from forms.library import DefinitionError, load_definition
from forms.reference_lists import ListError, as_entries, read_csv
from forms.schema import FormDefinition
from sync import feed_items
from sync.central import audit, feed, fleet
from sync.database import transaction
from sync.problems import FORM_INVALID, LIST_INVALID, SETTING_INVALID, UNKNOWN_KIOSK, Problem

ACTOR = "cli"


@dataclass(frozen=True)
class Publication:
    """What was published: the feed item's cursor, or None when it was already there."""

    kind: str
    key: str
    cursor: int | None


def read_form(path: Path) -> FormDefinition:
    """The definition in ``path`` when kiosks can use it; ``form_invalid`` otherwise."""
    try:
        definition = load_definition(path)
    except DefinitionError as error:
        raise Problem(FORM_INVALID, reason=_first(error.problems)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise Problem(FORM_INVALID, reason=f"{path} cannot be read ({error})") from None
    problems = list(logic.problems(definition))
    if problems:
        raise Problem(FORM_INVALID, reason=_first(problems))
    return definition


def publish_form(conn: sqlite3.Connection, definition: FormDefinition) -> Publication:
    """Offer ``definition`` to every kiosk. A version already published with other content
    is refused: kiosks keep drafts by version, so a changed form needs a new one."""
    data = definition.model_dump(mode="json", exclude_unset=True)
    body = {"id": definition.id, "version": definition.version, "definition": data}
    with transaction(conn):
        now = feed.latest(conn, "form", definition.id)
        if now is not None and now.body.get("version") == definition.version:
            if now.body == body:
                return Publication("form", definition.id, None)
            raise Problem(
                FORM_INVALID,
                reason=f"version {definition.version} is already published with other"
                " content; give the form a new version",
            )
        return _publish(conn, "form", definition.id, body, None, version=definition.version)


def read_list(path: Path) -> list[dict[str, Any]]:
    """The entries of a CSV reference list (:func:`forms.reference_lists.read_csv`: a
    ``name`` column, ``label`` / ``label::fr`` columns, other columns as properties), as
    the feed carries them. ``list_invalid`` names the row or column that is wrong."""
    try:
        choices = read_csv(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise Problem(LIST_INVALID, reason=f"{path} cannot be read ({error})") from None
    except ListError as error:
        raise Problem(LIST_INVALID, reason=str(error)) from None
    entries = as_entries(choices)
    for number, entry in enumerate(entries, start=2):
        try:
            feed_items.ListEntry.model_validate(entry)
        except ValidationError as error:
            reason = f"row {number}: {_described(error)}"
            raise Problem(LIST_INVALID, reason=reason) from None
    return entries


def publish_list(conn: sqlite3.Connection, name: str, entries: list[dict[str, Any]]) -> Publication:
    """Offer the reference list ``name`` to every kiosk, as its next version."""
    with transaction(conn):
        now = feed.latest(conn, "reference_list", name)
        if now is not None and now.body.get("items") == entries:
            return Publication("reference_list", name, None)
        version = int(now.body.get("version", 0)) + 1 if now else 1
        body = {"name": name, "version": version, "items": entries}
        try:
            feed_items.ReferenceListBody.model_validate(body)
        except ValidationError as error:
            raise Problem(LIST_INVALID, reason=_described(error)) from None
        details = {"version": version, "entries": len(entries)}
        return _publish(conn, "reference_list", name, body, None, **details)


def set_setting(
    conn: sqlite3.Connection, name: str, value: Any, kiosk_name: str | None = None
) -> Publication:
    """Set ``name`` to ``value`` on the kiosk called ``kiosk_name``, or on every kiosk.
    Only the settings kiosks let central change are accepted; ``value`` must already be
    checked as that setting (``kiosk.settings.central_value``)."""
    if name not in feed_items.KIOSK_SETTINGS:
        allowed = ", ".join(feed_items.KIOSK_SETTINGS)
        raise Problem(SETTING_INVALID, reason=f"kiosks let central change only {allowed}")
    kiosk = None
    if kiosk_name is not None:
        kiosk = fleet.find(conn, kiosk_name)
        if kiosk is None:
            raise Problem(UNKNOWN_KIOSK, name=kiosk_name)
    body = {"name": name, "value": value}
    with transaction(conn):
        now = feed.latest(conn, "setting", name, kiosk.id if kiosk else None)
        if now is not None and now.body == body:
            return Publication("setting", name, None)
        return _publish(conn, "setting", name, body, kiosk, value=value)


def _publish(
    conn: sqlite3.Connection,
    kind: str,
    key: str,
    body: dict[str, Any],
    kiosk: fleet.Kiosk | None,
    **details: Any,
) -> Publication:
    """Put ``body`` on the feed with its audit entry; call inside the transaction that
    read what was on the feed before."""
    cursor = feed.publish(conn, kind, key, body, kiosk.id if kiosk else None)
    details = {"cursor": cursor, **({"kiosk": kiosk.code} if kiosk else {}), **details}
    audit.record(conn, ACTOR, f"{kind}.publish", key, **details)
    return Publication(kind, key, cursor)


def _described(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _first(problems: list[tuple[str, str]]) -> str:
    where, what = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return (f"{where}: {what}" if where else what) + more
