"""forms/README.md documents every module, field type and error code."""

import re
from pathlib import Path

import pytest

import forms
from forms.errors import ERROR_CODES
from forms.types import FIELD_TYPES

PACKAGE = Path(forms.__file__).parent
README = (PACKAGE / "README.md").read_text(encoding="utf-8")


def _table_rows(heading=None):
    """The first column of the tables under a heading (the introduction if None)."""
    section = README.split(f"\n## {heading}\n", 1)[1] if heading else README
    section = section.split("\n## ", 1)[0]
    return {
        match[1]: match[2]
        for match in re.finditer(r"^\| `([^`]+)` \|([^\n]*)\|$", section, re.MULTILINE)
    }


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_error_code_is_documented_with_its_details(code):
    rows = _table_rows("Answer error codes")
    assert code in rows
    details = rows[code].split("|")[0]
    assert re.findall(r"`(\w+)`", details) == list(ERROR_CODES[code])


def test_every_field_type_is_documented():
    assert set(_table_rows("Field types")) == set(FIELD_TYPES)


def test_every_module_is_documented():
    modules = {path.name for path in PACKAGE.glob("*.py")} - {"__init__.py"}
    rows = {name for name in _table_rows() if name.endswith(".py")}
    assert rows == modules
