from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from forms.errors import DefinitionError
from forms.library import load_definition

Data = dict[str, Any]
Rows = list[list[str]]

#: The first row of an XLSForm survey sheet.
HEAD = ["type", "name", "label"]


def _minimal() -> Data:
    return {
        "id": "minimal",
        "version": "1",
        "languages": ["en", "fr"],
        "title": {"en": "A form", "fr": "Un formulaire"},
        "description": {"en": "For tests.", "fr": "Pour les tests."},
        "fields": [
            {"name": "full_name", "type": "text", "label": {"en": "Name", "fr": "Nom"}},
            {
                "name": "copies",
                "type": "integer",
                "label": {"en": "Copies", "fr": "Copies"},
                "min": 1,
                "max": 5,
            },
            {
                "name": "region",
                "type": "select_one",
                "label": {"en": "Region", "fr": "Région"},
                "choices": [
                    {"value": "north", "label": {"en": "North", "fr": "Nord"}},
                    {"value": "south", "label": {"en": "South", "fr": "Sud"}},
                ],
            },
        ],
    }


@pytest.fixture
def minimal() -> Data:
    """A small valid definition, as the dict a YAML file would load into."""
    return _minimal()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a definition (a dict, or YAML text) to a file in a temporary directory."""

    def write(data: Data | str, name: str = "minimal.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def problems(write: Callable[..., Path]) -> Callable[[Data | str], list[tuple[str, str]]]:
    """The (location, message) problems loading a definition gives; fails if it loads."""

    def problems(data: Data | str) -> list[tuple[str, str]]:
        with pytest.raises(DefinitionError) as caught:
            load_definition(write(data))
        assert caught.value.file == "minimal.yaml"
        return caught.value.problems

    return problems


@pytest.fixture
def workbook(tmp_path):
    """Write an .xlsx from a survey (and choices, settings): lists of rows, header first."""

    def write(survey: Rows, choices: Rows | None = None, settings: Rows | None = None) -> Path:
        book = openpyxl.Workbook()
        book.active.title = "survey"
        for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
            if rows:
                sheet = book[title] if title == "survey" else book.create_sheet(title)
                for row in rows:
                    sheet.append(row)
        path = tmp_path / "form.xlsx"
        book.save(path)
        return path

    return write
