"""Reference lists: the choices a question takes from a CSV (villages, offices) instead of
writing them out in the form.

A ``select_one`` or ``select_multiple`` field names one with ``choices_from: villages``
(XLSForm: ``select_one_from_file villages.csv``). The CSV is the one an XLSForm attaches:
a ``name`` column (the stored value), one ``label`` column per language (``label`` is
the default language, ``label::fr`` or ``label::French (fr)`` name theirs) and any other
column as a property a ``choice_filter`` can test (``district = ${district}``).

A forms directory ships the lists its forms need in ``lists/NAME.csv``; central can
publish newer versions (``fieldkiosk central publish-list``), which the kiosk then uses.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from forms.errors import DefinitionError
from forms.fields import Choice

LIST_DIRECTORY = "lists"
SUFFIX = ".csv"
DEFAULT_LABEL_LANGUAGE = "en"
_LABEL = re.compile(r"^label(?:::(?:.*\(([^()]+)\)|(.+)))?$")


class ListError(ValueError):
    """A CSV that is not a usable reference list; the message names the row or column."""


def read_csv(text: str, default_language: str = DEFAULT_LABEL_LANGUAGE) -> list[Choice]:
    """The choices in the CSV ``text``; :class:`ListError` names what is wrong."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    columns = [column.strip() for column in reader.fieldnames or []]
    reader.fieldnames = columns
    if "name" not in columns:
        raise ListError("the CSV has no “name” column")
    labels = {
        column: _language(match, default_language)
        for column in columns
        if (match := _LABEL.match(column))
    }
    if not labels:
        raise ListError("the CSV has no “label” column")
    others = [column for column in columns if column != "name" and column not in labels]
    choices: list[Choice] = []
    rows: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        choice = _choice(row, labels, others, number)
        if choice.value in rows:
            raise ListError(
                f"row {number}: the name {choice.value} is also on row {rows[choice.value]}"
            )
        rows[choice.value] = number
        choices.append(choice)
    if not choices:
        raise ListError("the CSV has no rows")
    return choices


def load_lists(directory: Path | str) -> dict[str, list[Choice]]:
    """The lists a forms directory ships (``lists/*.csv``), by name (the file's stem);
    :class:`DefinitionError` names the file that cannot be used."""
    found: dict[str, list[Choice]] = {}
    for file in sorted((Path(directory) / LIST_DIRECTORY).glob(f"*{SUFFIX}")):
        try:
            found[file.stem] = read_csv(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ListError) as error:
            raise DefinitionError(f"{LIST_DIRECTORY}/{file.name}", [("", str(error))]) from None
    return found


def as_entries(choices: Iterable[Choice]) -> list[dict[str, Any]]:
    """Choices as the sync protocol carries a list's items: ``name``, ``label`` and, when
    there are any, ``properties``."""
    entries = []
    for choice in choices:
        raw = choice.label.raw
        label = raw if isinstance(raw, dict) else {DEFAULT_LABEL_LANGUAGE: raw}
        entry: dict[str, Any] = {"name": choice.value, "label": label}
        if choice.properties:
            entry["properties"] = dict(choice.properties)
        entries.append(entry)
    return entries


def from_entries(entries: Iterable[Mapping[str, Any]]) -> list[Choice]:
    """The choices in a list's items as the sync protocol carries them."""
    return [
        Choice.model_validate(
            {"value": e["name"], "label": e["label"], "properties": e.get("properties") or {}}
        )
        for e in entries
    ]


def _language(match: re.Match[str], default_language: str) -> str:
    return (match.group(1) or match.group(2) or default_language).strip()


def _choice(row: dict[str, Any], labels: dict[str, str], others: list[str], number: int) -> Choice:
    name = (row.get("name") or "").strip()
    if not name:
        raise ListError(f"row {number}: the name is empty")
    label = {labels[c]: text.strip() for c in labels if (text := row.get(c) or "").strip()}
    if not label:
        raise ListError(f"row {number} ({name}): no label in any language")
    properties = {c: value.strip() for c in others if (value := row.get(c) or "").strip()}
    return Choice.model_validate({"value": name, "label": label, "properties": properties})
