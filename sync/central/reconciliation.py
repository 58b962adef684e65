"""Supervisors' pages for cases: the conflict queue, one conflict, one case (its fields,
open conflicts resolved field by field in one form, aliases and history), and the form's
answer. Every handler checks the role on the server before reading anything.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from forms.cases import CaseType, FieldRule
from sync import merge
from sync.central import (
    access,
    audit,
    case_history,
    case_types,
    cases,
    conflicts,
    duplicates,
    labels,
    paging,
    values,
)
from sync.central.rendering import page
from sync.central.staff import User
from sync.central.state import of
from sync.problems import (
    CASE_CHANGED,
    INVALID_QUERY,
    NOT_FOUND,
    NOTHING_DECIDED,
    Problem,
)

ROLE = "supervisor"
MAX_FIELD = 1024
#: Staff decisions shown on a case page, the newest first.
DECISIONS_SHOWN = 50


@dataclass(frozen=True)
class Choice:
    """One candidate of a conflict as the page shows it."""

    index: int
    value: Any
    who: labels.Who
    #: When its hlc says it was made (ISO), or None.
    when: str | None
    #: The value the field shows until someone decides.
    shown: bool


@dataclass(frozen=True)
class Open:
    """An open conflict on the page: its field's label and rule, and each candidate."""

    conflict: conflicts.Conflict
    label: str
    rule: FieldRule
    choices: list[Choice]


@dataclass(frozen=True)
class _Case:
    case: cases.Case
    case_type: CaseType | None
    names: labels.Names
    opens: list[Open]


def conflict_list(request: Request) -> Response:
    """Open conflicts, the oldest first, optionally of one case type (``?type=``)."""
    access.require_role(request, ROLE)
    shown = paging.from_query(request)
    only = request.query_params.get("type", "")[:MAX_FIELD] or None
    with of(request).connect() as conn:
        known = case_types.known(conn)
        if only is not None and only not in known:
            raise Problem(INVALID_QUERY, name="type", reason="no case type has that name")
        queued = conflicts.queue(conn, shown.limit, shown.offset, only)
    rows = [
        {
            "conflict": q.conflict,
            "case": q.case,
            "type": labels.type_label(known.get(q.case.type), q.case.type),
            "case_label": labels.case_label(q.case, known.get(q.case.type)),
            "field": labels.field_label(known.get(q.case.type), q.conflict.field),
        }
        for q in queued
    ]
    context = {
        "rows": rows,
        "types": [(name, labels.type_label(t, name)) for name, t in known.items()],
        "only": only,
        "limit": shown.limit,
        "newer": shown.newer,
        "older": shown.older(len(queued)),
    }
    return page(request, "conflicts.html", context)


def conflict_detail(request: Request) -> Response:
    """One conflict: while open, the form for every open conflict of its case."""
    access.require_role(request, ROLE)
    with of(request).connect() as conn:
        conflict = conflicts.find(conn, request.path_params["conflict_id"])
        if conflict is None:
            raise Problem(NOT_FOUND)
        view = _load(conn, conflict.case_id)
    context = {
        **_form_context(view),
        "conflict": conflict,
        "label": labels.field_label(view.case_type, conflict.field),
        "decided_by": view.names.actor(conflict.resolved_by),
    }
    return page(request, "conflict.html", context)


def case_detail(request: Request) -> Response:
    """A case: fields, version, open conflicts (one form), aliases and history."""
    access.require_role(request, ROLE)
    with of(request).connect() as conn:
        view = _load(conn, request.path_params["case_id"])
        if view.case.id != request.path_params["case_id"]:
            return RedirectResponse(f"/cases/{view.case.id}", status_code=303)
        context = _case_context(conn, view)
    context["saved"] = request.query_params.get("decided") == "1"
    context["merged"] = request.query_params.get("merged") == "1"
    return page(request, "case.html", context)


async def case_resolve(request: Request) -> Response:
    """The answer to a case's conflicts, field by field: every choice made is applied in
    one transaction; anything wrong shows the form again with what was entered."""
    user = access.require_role(request, ROLE)
    form = await request.form()
    entered = {key: str(value) for key, value in form.items() if key != "csrftoken"}
    case_id = request.path_params["case_id"]
    return await run_in_threadpool(_resolve, request, user, case_id, entered)


def _resolve(request: Request, user: User, case_id: str, entered: dict[str, str]) -> Response:
    with of(request).connect() as conn:
        view = _load(conn, case_id)
        if _stale(view, entered):
            return _again(request, conn, view, entered, {"": Problem(CASE_CHANGED)})
        answers, errors = _answers(view.opens, entered)
        if errors or not answers:
            return _again(request, conn, view, entered, errors or {"": Problem(NOTHING_DECIDED)})
        # The view is what the form showed (not stale): the deciding transaction checks
        # that the case is still so, in case a push lands in between.
        seen = cases.Seen(
            view.case.version, {o.conflict.id: len(o.conflict.candidates) for o in view.opens}
        )
        try:
            cases.resolve_many(conn, answers, user, seen)
        except Problem as problem:
            if problem.kind not in (NOT_FOUND, CASE_CHANGED):
                raise
            view = _load(conn, case_id)
            return _again(request, conn, view, entered, {"": Problem(CASE_CHANGED)})
    return RedirectResponse(f"/cases/{view.case.id}?decided=1", status_code=303)


def _again(
    request: Request,
    conn: sqlite3.Connection,
    view: _Case,
    entered: dict[str, str],
    errors: dict[str, Problem],
) -> Response:
    """The case page again, with the problems found and everything as it was entered."""
    status = max(problem.status for problem in errors.values())
    context = {**_case_context(conn, view), "entered": entered, "errors": errors}
    return page(request, "case.html", context, status)


def _load(conn: sqlite3.Connection, case_id: str) -> _Case:
    case = cases.get(conn, case_id)
    if case is None:
        raise Problem(NOT_FOUND)
    case_type = case_types.known(conn).get(case.type)
    names = labels.names(conn)
    opens = [
        _open(conflict, case, case_type, names)
        for conflict in conflicts.of_case(conn, case.id)
        if conflict.resolved_at is None
    ]
    order = labels.in_order(case_type, [o.conflict.field for o in opens])
    opens.sort(key=lambda o: order.index(o.conflict.field))
    return _Case(case, case_type, names, opens)


def _open(
    conflict: conflicts.Conflict,
    case: cases.Case,
    case_type: CaseType | None,
    names: labels.Names,
) -> Open:
    shown = merge.latest(conflict.candidates)
    choices = [
        Choice(
            index,
            candidate.value,
            names.who(candidate.source),
            labels.hlc_time(candidate.source.hlc),
            candidate is shown,
        )
        for index, candidate in enumerate(conflict.candidates)
    ]
    rule = case_type.fields.get(conflict.field) if case_type else None
    label = labels.field_label(case_type, conflict.field)
    return Open(conflict, label, rule or FieldRule(), choices)


def _form_context(view: _Case) -> dict[str, Any]:
    return {
        "case": view.case,
        "type_label": labels.type_label(view.case_type, view.case.type),
        "case_label": labels.case_label(view.case, view.case_type),
        "opens": view.opens,
        "entered": {},
        "errors": {},
    }


def _case_context(conn: sqlite3.Connection, view: _Case) -> dict[str, Any]:
    case, case_type, names = view.case, view.case_type, view.names
    steps = case_history.history(conn, case.id)
    return {
        **_form_context(view),
        "fields": [
            (labels.field_label(case_type, name), value, case.field_versions.get(name), name)
            for name, value in _in_order(case_type, case.fields)
        ],
        "aliases": duplicates.aliases(conn, case.id),
        "steps": [
            {
                "step": step,
                "when": labels.hlc_time(step.hlc),
                "changes": [
                    (labels.field_label(case_type, name), change.get("old"), change.get("new"))
                    for name, change in _in_order(case_type, step.patch)
                    if not merge.same(change.get("old"), change.get("new"))
                ],
            }
            for step in steps
        ],
        "decisions": [
            {
                "entry": entry,
                "who": names.actor(entry.actor),
                "fields": [
                    labels.field_label(case_type, f) for f in entry.details.get("fields", [])
                ],
            }
            for entry in audit.newest(conn, DECISIONS_SHOWN, target=case.id)
        ],
        "saved": False,
        "merged": False,
    }


def _in_order(case_type: CaseType | None, patch: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(name, patch[name]) for name in labels.in_order(case_type, patch)]


def _stale(view: _Case, entered: dict[str, str]) -> bool:
    """Whether the case moved since the form was shown: a new version, a conflict closed
    or opened, a candidate that joined."""
    if entered.get("version") != str(view.case.version):
        return True
    seen = {key[len("seen-") :]: value for key, value in entered.items() if key.startswith("seen-")}
    now = {str(o.conflict.id): str(len(o.conflict.candidates)) for o in view.opens}
    return seen != now


def _answers(
    opens: list[Open], entered: dict[str, str]
) -> tuple[dict[int, Any], dict[str, Problem]]:
    """The value chosen for each conflict decided now, and the problem of each choice that
    cannot be taken, by the id of the input to fix."""
    answers: dict[int, Any] = {}
    errors: dict[str, Problem] = {}
    for one in opens:
        number = one.conflict.id
        choice = entered.get(f"choice-{number}", "later")
        if choice == "later" and entered.get(f"other-{number}", "").strip():
            choice = "other"  # typing a value chooses it, unless a value was chosen
        if choice == "other":
            try:
                typed = entered.get(f"other-{number}", "")
                answers[number] = values.typed(one.rule, typed, one.label)
            except Problem as problem:
                errors[f"other-{number}"] = problem
        elif choice.isascii() and choice.isdigit() and int(choice) < len(one.choices):
            answers[number] = one.choices[int(choice)].value
    return answers, errors
