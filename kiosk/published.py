"""What central published, put to use at the kiosk: the forms it offers and the settings
in effect.

The sync agent applies what it pulls to the inbox (``sync/inbox.py``). Before each
request :class:`FollowCentral` asks the inbox whether anything changed since it last
looked (one row read); when it did, the kiosk works out again:

- **forms**: a pulled form is offered next to the forms directory's, or instead of the
  directory's form with the same id. It is checked first (schema and logic); one that
  does not validate is ignored and logged by form id, version and the place of the first
  problem. New drafts get the new version; drafts in progress keep theirs
  (``kiosk/versions.py``).
- **settings**: those central may change (``idle_seconds``, ``warning_seconds``,
  ``draft_days``, ``language``) override the kiosk's own. ``app.state.settings`` is
  always the settings in effect, so every page reads them as before;
  ``app.state.configured`` keeps the kiosk's own (flags, environment, defaults).

- **reference lists**: a list central published replaces the one the forms directory
  ships (``lists/NAME.csv``) with the same name. Each form gets the lists its
  ``choices_from`` questions name written into it (so a version a draft keeps, keeps its
  list); a form whose list is in neither place is not offered, and is logged.

Cases are read from the inbox where they are used (``kiosk/cases.py``).
"""

from __future__ import annotations

import json
import logging
import sqlite3

from pydantic import ValidationError
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send

from forms import logic
from forms.reference_lists import from_entries
from forms.schema import Choice, FormDefinition
from kiosk.settings import with_central
from sync import inbox

log = logging.getLogger(__name__)


class Published:
    """Keeps ``state.versions`` (its ``current`` forms) and ``state.settings`` in step
    with the inbox."""

    def __init__(self, state: State, files: dict[str, FormDefinition]) -> None:
        self._state = state
        self._files = files
        self._seen: int | None = None
        state.configured = state.settings

    def follow(self) -> None:
        """Work out forms and settings again if the inbox changed since the last look."""
        seen = inbox.serial(self._state.db)
        if seen != self._seen:
            self.refresh()
            self._seen = seen

    def refresh(self) -> None:
        db = self._state.db
        self._state.settings = with_central(self._state.configured, inbox.settings(db))
        pulled = {name: from_entries(items) for name, items in inbox.reference_lists(db).items()}
        current = offered({**self._files, **usable(inbox.forms(db))}, pulled)
        self._state.versions.replace(current)


def offered(
    forms: dict[str, FormDefinition], lists: dict[str, list[Choice]]
) -> dict[str, FormDefinition]:
    """``forms`` with the reference lists they need written in; a form missing one is
    left out (a question with no choices cannot be answered) and logged."""
    found = {}
    for form_id, definition in forms.items():
        definition = definition.with_reference_lists(lists)
        if definition.lists_missing:
            missing = ", ".join(sorted(definition.lists_missing))
            log.warning("form %s is not offered: no reference list %s", form_id, missing)
            continue
        found[form_id] = definition
    return found


def usable(pulled: list[inbox.PulledForm]) -> dict[str, FormDefinition]:
    """The pulled forms that validate, by id; the others are logged and left out."""
    found = {}
    for form in pulled:
        definition, problem = _checked(form)
        if definition is None:
            log.warning(
                "form %s version %s from central is not usable (%s); ignored",
                form.id,
                form.version,
                problem,
            )
            continue
        found[form.id] = definition
    return found


def _checked(form: inbox.PulledForm) -> tuple[FormDefinition | None, str]:
    try:
        definition = FormDefinition.model_validate_json(json.dumps(form.definition))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return None, f"{where}: {first['type']}" if where else first["type"]
    if (definition.id, definition.version) != (form.id, form.version):
        return None, "its id or version differs from the item's"
    for where, _ in logic.problems(definition):
        return None, f"{where}: logic error"
    return definition, ""


class FollowCentral:
    """ASGI middleware: before each request, put to use what the agent last pulled."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # a script, stylesheet or face does not change with what central published
        if scope["type"] == "http" and not scope["path"].startswith("/static/"):
            try:
                scope["app"].state.published.follow()
            except sqlite3.Error as error:  # serve with what is in effect; try next request
                log.warning("could not read the inbox: %s", type(error).__name__)
        await self.app(scope, receive, send)
