"""pyxform's elements: which ones pyxform made itself, and every name, registered first.

Elements pyxform made carry no row (see :mod:`forms.xlsform.workbook`): the
``NAME_other`` question of ``or_other``, a repeat's count calculation, the ``meta``
group, and the header rows it adds to a table-list group.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from forms.xlsform.names import Names
from forms.xlsform.questions import METADATA, appearances, our_type
from forms.xlsform.workbook import row_of

PAGE = "field-list"
"""The appearance of a group shown on one page."""

_OTHER = re.compile(r"selected\(\.\./(.+), 'other'\)")
_CONTAINERS = ("group", "repeat", "loop")
_GRID_NAMES = ("reserved_name_for_field_list_labels_", "generated_table_list_label_")


def register(children: list[dict[str, Any]], names: Names) -> None:
    """Give every element its name before any expression is rewritten."""
    for element, row in _flatten(children, None):
        name = str(element["name"])
        if element["type"] not in _CONTAINERS and our_type(element["type"]) == METADATA:
            names.drop(name, f"the {element['type']} metadata field")
            continue
        names.add(name, row)
        if element["type"] == "repeat" and PAGE in appearances(element):
            names.add(f"{name}_page", row)


def _flatten(children: list[dict[str, Any]], last: int | None) -> Iterator[tuple[dict, int]]:
    for element in children:
        row = row_of(element)
        if row is not None:
            yield element, row
            last = row
        elif last is not None and other_of(element):
            yield element, last
        yield from _flatten(element.get("children") or [], last)


def other_of(element: dict[str, Any]) -> str | None:
    """The select an ``or_other`` follow-up question belongs to, if this is one."""
    match = _OTHER.fullmatch(str((element.get("bind") or {}).get("relevant", "")))
    return match[1] if match and element.get("type") == "text" else None


def made_for_grid(element: dict[str, Any]) -> bool:
    """Whether pyxform made ``element`` to lay out a table-list group."""
    return row_of(element) is None and str(element.get("name", "")).startswith(_GRID_NAMES)
