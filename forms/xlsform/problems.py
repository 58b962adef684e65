"""What an XLSForm import refuses, and what it quietly leaves out.

A problem names where it is the way a person finds it in the workbook: the sheet and
the spreadsheet row (the header is row 1), e.g.
``survey sheet, row 7: geopoint questions are not supported (field 'location')``.
"""

from __future__ import annotations

from collections.abc import Sequence


class XLSFormRefused(ValueError):
    """A workbook that cannot become a form definition; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class Problems:
    """The problems and notes gathered while a workbook is read.

    ``found`` and ``notes`` list them sheet by sheet (settings, survey, choices, others),
    each sheet's in row order, whatever order the conversion met them in."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str, int, str], None] = {}
        self._notes: dict[tuple[int, str, int, str], None] = {}

    def add(self, sheet: str, row: int | None, message: str) -> None:
        """A reason to refuse the workbook."""
        self._found[_key(sheet, row, message)] = None

    def note(self, sheet: str, row: int | None, message: str) -> None:
        """Something left out on purpose, reported but not refused."""
        self._notes[_key(sheet, row, message)] = None

    @property
    def found(self) -> list[str]:
        return _lines(self._found)

    @property
    def notes(self) -> list[str]:
        return _lines(self._notes)

    def refuse(self) -> None:
        """Raise :class:`XLSFormRefused` if any problem was found."""
        if self._found:
            raise XLSFormRefused(self.found)


_SHEETS = ("settings", "survey", "choices")


def _key(sheet: str, row: int | None, message: str) -> tuple[int, str, int, str]:
    order = _SHEETS.index(sheet) if sheet in _SHEETS else len(_SHEETS)
    return order, sheet, row or 0, where(sheet, row, message)


def _lines(keys: dict[tuple[int, str, int, str], None]) -> list[str]:
    return [key[3] for key in sorted(keys, key=lambda key: key[:3])]


def where(sheet: str, row: int | None, message: str) -> str:
    """``survey sheet, row 7: message``, or ``settings sheet: message`` without a row."""
    place = f"{sheet} sheet" if row is None else f"{sheet} sheet, row {row}"
    return f"{place}: {message}"
