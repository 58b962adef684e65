"""Reading a workbook with pyxform into its JSON form, each element marked with its row.

pyxform does all the reading: the sheets, header aliases, translation columns such as
``label::French (fr)``, type aliases, choices and settings, and it refuses a malformed
workbook. Its JSON form (``pyxform.xls2json.workbook_to_json``) keeps each survey row as
a dictionary but not the row it came from, so before converting we add one extra column,
:data:`ROW`, to every non-empty survey and choices row; pyxform carries unknown columns
through unchanged. An element without the mark was made by pyxform itself (the
``_other`` question of ``or_other``, the ``meta`` group, a repeat's count).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from forms.xlsform.problems import Problems, XLSFormRefused

ROW = "_fieldkiosk_row"
"""The column added to each row: its spreadsheet row number (the header is row 1)."""

SUFFIXES = (".xlsx", ".xls")
_UNSUPPORTED_SHEETS = {
    "entities": "entities (updating server datasets) are not supported",
    "external_choices": "external choices (select_one_external) are not supported",
    "osm": "OpenStreetMap questions are not supported",
}


def read_workbook(path: Path, problems: Problems) -> dict[str, Any]:
    """pyxform's JSON form of the workbook at ``path``; unusable sheets become problems."""
    if path.suffix.lower() not in SUFFIXES:
        raise XLSFormRefused(["an XLSForm must be an .xlsx or .xls file"])
    if not path.is_file():
        raise XLSFormRefused(["there is no such file"])
    try:
        data = get_xlsform(str(path))
        _mark(data.survey, data.survey_header)
        _mark(data.choices, data.choices_header)
        form = workbook_to_json(
            workbook_dict=data, fallback_form_name=data.fallback_form_name, warnings=[]
        )
    except PyXFormError as error:
        raise XLSFormRefused([f"not a valid XLSForm: {error}"]) from None
    except Exception as error:  # noqa: BLE001 - a damaged file can fail anywhere in the reader
        raise XLSFormRefused(
            [f"the workbook cannot be read ({type(error).__name__}: {error})"]
        ) from None
    _check_sheets(data, problems)
    return form


def _mark(rows: Sequence[dict[str, Any]] | None, header: Sequence[dict[str, Any]] | None):
    """Add the :data:`ROW` column to every non-empty row (and to the sheet's header)."""
    if not rows:
        return
    if header:
        header[0][ROW] = None
    for number, row in enumerate(rows, start=2):
        if row:
            row[ROW] = str(number)


def _check_sheets(data: DefinitionData, problems: Problems) -> None:
    for sheet, message in _UNSUPPORTED_SHEETS.items():
        rows = getattr(data, sheet)
        if rows and any(rows):
            problems.add(sheet, None, message)


def row_of(element: dict[str, Any]) -> int | None:
    """The spreadsheet row ``element`` came from; None if pyxform made it."""
    mark = element.get(ROW)
    return None if mark is None else int(mark)
