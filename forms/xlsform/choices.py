"""Choice lists: the choices sheet's lists that the form's selects use, as ours.

Each list keeps its XLSForm name and goes to the form's ``choice_lists``; a select names
it with ``choice_list``. A choice's extra columns (``county`` in a cascading select) become
its ``properties``, which a ``choice_filter`` reads by their bare name.
"""

from __future__ import annotations

from typing import Any

from forms.xlsform.converter import At, Converter
from forms.xlsform.workbook import ROW, row_of

_NOT_PROPERTIES = {"name", "label", "media", ROW}


class ChoiceLists:
    """The lists in use, converted once each, in the order the form first uses them."""

    def __init__(self, sheet: dict[str, list[dict[str, Any]]], converter: Converter) -> None:
        self._sheet = sheet
        self._converter = converter
        self.used: dict[str, list[dict[str, Any]]] = {}

    def __contains__(self, list_name: str) -> bool:
        return list_name in self._sheet

    def use(self, list_name: str) -> None:
        if list_name not in self.used:
            self.used[list_name] = [
                self._choice(option, list_name) for option in self._sheet[list_name]
            ]

    def _choice(self, option: dict[str, Any], list_name: str) -> dict[str, Any]:
        value = str(option["name"])
        at = At("choices", row_of(option), f"choice {value!r} in list {list_name!r}")
        label = self._converter.text(option.get("label"), at, "label")
        if label is None:
            self._converter.refuse(at, "a choice needs a label")
        if option.get("media"):
            self._converter.refuse(at, "images, audio and video in choices are not supported")
        choice: dict[str, Any] = {"value": value, "label": label}
        properties = self._properties(option, at)
        if properties:
            choice["properties"] = properties
        return choice

    def _properties(self, option: dict[str, Any], at: At) -> dict[str, str]:
        properties = {}
        for key, value in option.items():
            if key in _NOT_PROPERTIES:
                continue
            if not isinstance(value, str):
                self._converter.refuse(at, f"the {key} column must hold plain text")
                continue
            properties[key] = value
        return properties
