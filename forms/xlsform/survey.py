"""The survey sheet: pyxform's elements as our fields, groups and repeats.

Elements pyxform made itself carry no row (see :mod:`forms.xlsform.workbook`): the
``NAME_other`` question of ``or_other`` becomes a text field asked when "other" is
chosen, a literal ``repeat_count`` is read back from its generated calculation, and the
``meta`` group (instanceID, audit) is left out.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pyxform.aliases import yes_no

from forms.xlsform.choices import ChoiceLists
from forms.xlsform.converter import At, Converter
from forms.xlsform.elements import PAGE, made_for_grid, other_of
from forms.xlsform.questions import (
    METADATA,
    SELECTS,
    appearance_problems,
    appearances,
    column_problems,
    dropped_columns,
    long_text,
    our_type,
    shown,
)
from forms.xlsform.workbook import row_of

_REFERENCE = re.compile(r"\$\{(.+)\}")
_MAX_REPEATS = 200
_QUESTION_ONLY = {"required", "constraint", "jr:constraintMsg", "calculate"}
Item = dict[str, Any]


class Place(NamedTuple):
    """Where an element is: inside a one-page group, inside a repeat."""

    page: bool = False
    repeat: bool = False
    grid: bool = False  # a table-list group, refused once for the whole group


class Survey:
    """Converts the survey's elements; ``choice_lists`` holds the lists they use."""

    def __init__(self, form: dict[str, Any], converter: Converter) -> None:
        self._form = form
        self._convert = converter
        self._types: dict[str, str] = {}
        self._rows: dict[str, int | None] = {}
        self.choice_lists = ChoiceLists(form.get("choices") or {}, converter)

    def fields(self) -> list[Item]:
        return self._items(self._form.get("children") or [], Place())

    def _items(self, children: list[dict[str, Any]], place: Place) -> list[Item]:
        items: list[Item] = []
        counts: dict[str, str] = {}
        for element in children:
            row = row_of(element)
            if row is None:
                item = self._made_by_pyxform(element, counts, place)
            else:
                item = self._item(element, At("survey", row, ""), place, counts)
            if item is not None:
                items.append(item)
        return items

    def _made_by_pyxform(self, element: dict, counts: dict[str, str], place: Place):
        select = other_of(element)
        if select is not None:
            return self._other(element, select)
        if element.get("type") == "calculate":
            counts[str(element["name"])] = str((element.get("bind") or {}).get("calculate", ""))
        self._items(element.get("children") or [], place)  # the meta group: noted, left out
        return None

    def _other(self, element: dict[str, Any], select: str) -> Item:
        ours, name = self._convert.names[select], self._convert.names[str(element["name"])]
        at = At("survey", self._rows.get(select), f"field {select!r}")
        self._convert.note(
            at,
            f"or_other added the choice 'other' and the question {name!r}"
            " (worded 'Other' and 'Specify other.'; translate them if need be)",
        )
        if self._types.get(select) == "select_multiple":
            relevant = f"selected(${{{ours}}}, 'other')"
        else:
            relevant = f"${{{ours}}} = 'other'"
        return {
            "name": name,
            "type": "text",
            "label": self._convert.languages.plain("Specify other."),
            "required": False,
            "relevant": relevant,
        }

    def _item(self, element: dict, at: At, place: Place, counts: dict[str, str]):
        kind, name = element["type"], str(element["name"])
        if kind == "group":
            return self._group(element, at._replace(owner=f"group {name!r}"), place)
        if kind == "repeat":
            return self._repeat(element, at._replace(owner=f"repeat {name!r}"), place, counts)
        if kind == "loop":
            self._convert.refuse(at._replace(owner=f"loop {name!r}"), _LOOP)
            return None
        return self._question(element, at._replace(owner=f"field {name!r}"), place)

    def _question(self, element: dict[str, Any], at: At, place: Place) -> Item | None:
        kind, name = element["type"], str(element["name"])
        ours = our_type(kind)
        if ours == METADATA:
            self._convert.note(at, f"left out the {kind} metadata field")
            return None
        if ours is None:
            self._convert.refuse(at, f"{shown(kind)} questions are not supported")
            return None
        if ours == "text" and long_text(element):
            ours = "long_text"
        if ours == "phone":
            self._convert.note(at, _PHONE)
        self._types[name], self._rows[name] = ours, at.row
        self._check_columns(element, at, ours, place.grid)
        field: Item = {"name": self._convert.names[name], "type": ours}
        field["label"] = self._label(element, at, ours)
        hint = self._convert.text(element.get("hint"), at, "hint")
        if hint is not None:
            field["hint"] = hint
        field.update(self._rules(element, at, ours))
        if kind in SELECTS:
            field.update(self._choices(element, at))
        return field

    def _check_columns(self, element: dict[str, Any], at: At, ours: str, grid: bool) -> None:
        for message in column_problems(element) + appearance_problems(element, ours, grid):
            self._convert.refuse(at, message)
        for words in dropped_columns(element):
            self._convert.note(at, f"left out the {words}")
        if (element.get("bind") or {}).get("calculate") and ours != "calculate":
            self._convert.refuse(at, f"a calculation on a {ours} question is not supported")

    def _label(self, element: dict[str, Any], at: At, ours: str) -> Any:
        label = self._convert.text(element.get("label"), at, "label")
        if label is None and ours == "calculate":
            return self._convert.languages.plain(self._convert.names[str(element["name"])])
        if label is None:
            self._convert.refuse(at, "a question needs a label")
        return label

    def _rules(self, element: dict[str, Any], at: At, ours: str) -> Item:
        bind = element.get("bind") or {}
        rules: Item = {}
        if ours not in ("note", "calculate"):
            rules.update(self._required(bind.get("required"), at))
        for column, key in (("relevant", "relevant"), ("constraint", "constraint")):
            if bind.get(column):
                rules[key] = self._convert.expression(bind[column], at, column)
        message = self._convert.text(bind.get("jr:constraintMsg"), at, "constraint_message")
        if message is not None:
            rules["constraint_message"] = message
        if ours == "calculate" and bind.get("calculate"):
            rules["calculation"] = self._convert.expression(bind["calculate"], at, "calculation")
        return rules

    def _required(self, value: Any, at: At) -> Item:
        if value is None:
            return {"required": False}
        flag = yes_no.get(str(value).strip())
        if flag is not None:
            return {"required": flag}
        return {"required": False, "required_if": self._convert.expression(value, at, "required")}

    def _choices(self, element: dict[str, Any], at: At) -> Item:
        list_name = str(element.get("itemset"))
        found: Item
        if element.get("list_name") is None and list_name.endswith(_FROM_FILE):
            # select_one_from_file NAME.csv: a reference list (forms/reference_lists.py)
            found = {"choices_from": list_name.removesuffix(_FROM_FILE)}
        elif element.get("list_name") is None or list_name not in self.choice_lists:
            if not element.get("parameters"):
                self._convert.refuse(at, _ELSEWHERE)
            return {}
        else:
            self.choice_lists.use(list_name)
            found = {"choice_list": list_name}
        if element.get("choice_filter"):
            found["choice_filter"] = self._convert.expression(
                element["choice_filter"], at, "choice_filter", check=False
            )
        return found

    def _group(self, element: dict[str, Any], at: At, place: Place) -> Item | None:
        page = PAGE in appearances(element)
        grid = any(made_for_grid(child) for child in element.get("children") or [])
        if grid:
            self._convert.refuse(at, "table-list groups (questions as a grid) are not supported")
        for word in appearances(element):
            if word != PAGE:
                self._convert.refuse(at, f"the appearance {word!r} is not supported on a group")
        if place.page:
            self._convert.refuse(at, _NESTED_GROUP)
        self._check_container(element, at)
        inside = place._replace(page=page or place.page, grid=grid)
        fields = self._items(element.get("children") or [], inside)
        if not fields:
            self._convert.note(at, "left out the group: nothing in it can be imported")
            return None
        group: Item = {"name": self._convert.names[str(element["name"])], "type": "group"}
        group.update(self._heading(element, at, required=False))
        if page:
            group["page"] = True
        return group | self._relevant(element, at) | {"fields": fields}

    def _repeat(self, element: dict, at: At, place: Place, counts: dict[str, str]):
        if place.repeat or place.page:
            where = "a repeat" if place.repeat else "a one-page (field-list) group"
            self._convert.refuse(at, f"repeats inside {where} are not supported")
        self._check_container(element, at)
        name = str(element["name"])
        fields = self._items(element.get("children") or [], Place(repeat=True))
        if PAGE in appearances(element):
            page_name = self._convert.names[f"{name}_page"]
            fields = [{"name": page_name, "type": "group", "page": True, "fields": fields}]
        repeat: Item = {"name": self._convert.names[name], "type": "repeat"}
        repeat.update(self._heading(element, at, required=True))
        repeat.update(self._count(element, at, counts))
        return repeat | self._relevant(element, at) | {"fields": fields}

    def _check_container(self, element: dict[str, Any], at: At) -> None:
        for message in column_problems(element):
            self._convert.refuse(at, message)
        bind = element.get("bind") or {}
        for column in sorted(set(bind) & _QUESTION_ONLY):
            self._convert.refuse(at, f"the {column} column is not supported on a group or repeat")

    def _heading(self, element: dict[str, Any], at: At, *, required: bool) -> Item:
        label = self._convert.text(element.get("label"), at, "label")
        if label is None and required:
            self._convert.refuse(at, "a repeat needs a label (the kiosk shows it for each one)")
        return {} if label is None else {"label": label}

    def _relevant(self, element: dict[str, Any], at: At) -> Item:
        relevant = (element.get("bind") or {}).get("relevant")
        return {"relevant": self._convert.expression(relevant, at, "relevant")} if relevant else {}

    def _count(self, element: dict[str, Any], at: At, counts: dict[str, str]) -> Item:
        count = str((element.get("control") or {}).get("jr:count") or "").strip()
        if not count:
            return {}
        reference = _REFERENCE.fullmatch(count)
        if reference and reference[1] in counts:
            count = counts[reference[1]].strip()  # pyxform moved the column to a calculation
        if count.isdigit() and 1 <= int(count) <= _MAX_REPEATS:
            return {"min_count": int(count), "max_count": int(count)}
        self._convert.refuse(
            at, f"repeat_count {count!r} is not supported: only a fixed number from 1 to 200"
        )
        return {}


_PHONE = "phone number became phone: only +country numbers until you set its region"
_ELSEWHERE = "choices from an XML or GeoJSON file or from other answers are not supported"
_FROM_FILE = ".csv"
_NESTED_GROUP = "groups inside a one-page (field-list) group are not supported"
_LOOP = "begin loop (one group per choice) is not supported; use a repeat"
