"""XLSForm question types and columns: which become ours, which are left out, which refused.

A type is recognised through pyxform's own table of types and their aliases
(``QUESTION_TYPE_DICT``), so ``int``, ``q int`` and ``integer`` are all ``integer``.
"""

from __future__ import annotations

import re
from typing import Any

from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

METADATA = "metadata"
"""The kind of a field the device fills in (start, end, deviceid...): left out, noted."""

SELECTS = {"select one": "select_one", "select all that apply": "select_multiple"}
_SAME_AS = {
    "text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "note": "note",
    "calculate": "calculate",
    "acknowledge": "consent",
    "trigger": "consent",
    "phone number": "phone",
}
_NOT_LIKE_THEIR_TWIN = {"select one external", "hidden"}  # same table entry as text/calculate
_SHOWN = {
    "photo": "image",
    "select one external": "select_one_external",
    "loop": "begin loop",
    "osm": "OpenStreetMap (osm)",
    "dateTime": "dateTime",
}
_HARMLESS = re.compile(
    r"minimal|quick|quickcompact|horizontal(-compact)?|compact(-\d+)?|columns(-pack|-\d+)?"
    r"|no-buttons|likert|numbers|thousands-sep|no-calendar|w\d+"
)
_LONG_TEXT = "multiline"
_WORDS = re.compile(r"[^\s(]+\([^)]*\)|\S+")  # search('x', 'y') is one word
_GRID_PARTS = {"label", "list-nolabel"}
_BIND_KEYS = {"relevant", "required", "constraint", "jr:constraintMsg", "calculate"}
_DROPPED = {"guidance_hint": "guidance hint", "jr:requiredMsg": "required message"}
_REFUSED = {
    "default": "default answers are not supported",
    "trigger": "the trigger column (recalculate on change) is not supported",
    "media": "images, audio and video in questions are not supported",
    "actions": "default answers are not supported",
    "jr:count": None,  # a repeat's count, checked there
}


def our_type(kind: str) -> str | None:
    """Our field type for pyxform's ``kind``; :data:`METADATA`; or None: not supported."""
    if kind in SELECTS:
        return SELECTS[kind]
    entry = QUESTION_TYPE_DICT.get(kind)
    if kind == "audit" or (entry and "jr:preload" in entry.get("bind", {})):
        return METADATA
    if entry is None or kind in _NOT_LIKE_THEIR_TWIN:
        return None
    same = (ours for theirs, ours in _SAME_AS.items() if QUESTION_TYPE_DICT[theirs] == entry)
    return next(same, None)


def shown(kind: str) -> str:
    """A type as a form author knows it: ``image`` rather than pyxform's ``photo``."""
    return _SHOWN.get(kind, SELECTS.get(kind, kind))


def appearances(element: dict[str, Any]) -> list[str]:
    """The words of the element's appearance column."""
    return _WORDS.findall(str((element.get("control") or {}).get("appearance") or ""))


def long_text(element: dict[str, Any]) -> bool:
    """Whether a text question asks for several lines (``multiline``, or a ``rows`` count)."""
    return _LONG_TEXT in appearances(element) or "rows" in (element.get("control") or {})


def appearance_problems(element: dict[str, Any], ours: str, grid: bool = False) -> list[str]:
    """Why each of a question's appearances cannot be imported (most are only looks).

    ``grid``: the question is in a table-list group, already refused as a whole."""
    problems = []
    for word in appearances(element):
        if _HARMLESS.fullmatch(word) or (word == _LONG_TEXT and ours == "long_text"):
            continue
        if grid and word in _GRID_PARTS:
            continue
        if word.startswith("search("):
            problems.append("search() appearances (choices from a CSV file) are not supported")
        else:
            problems.append(f"the appearance {word!r} is not supported")
    return problems


def column_problems(element: dict[str, Any]) -> list[str]:
    """Why each of a question's other columns cannot be imported."""
    problems = [message for key, message in _REFUSED.items() if message and element.get(key)]
    if element.get("parameters"):
        names = ", ".join(sorted(element["parameters"]))
        problems.append(f"parameters ({names}) are not supported")
    bind = element.get("bind") or {}
    if bind.get("readonly") not in (None, "false", "false()", "no"):
        problems.append("read-only questions are not supported (use a note or a calculate)")
    for key in sorted(set(bind) - _BIND_KEYS - set(_DROPPED) - {"readonly"}):
        problems.append(f"the {key} column is not supported")
    control = element.get("control") or {}
    for key in sorted(set(control) - {"appearance", "rows", "jr:count", "bodyless"}):
        problems.append(f"the {key} setting is not supported")
    return problems


def dropped_columns(element: dict[str, Any]) -> list[str]:
    """The columns left out on purpose: the kiosk words these in every language itself."""
    bind = element.get("bind") or {}
    return [words for key, words in _DROPPED.items() if element.get(key) or bind.get(key)]
