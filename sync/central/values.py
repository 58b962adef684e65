"""A value a supervisor types at central (a conflict's "another value"), read as its
field's ``type`` (:class:`forms.cases.FieldRule`) and stored the way a kiosk stores an
answer of that type: text trimmed, a whole number as a number, a decimal as its plain
digits (``"2.5"``), a date as ``YYYY-MM-DD``. Anything else is a problem naming the field.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from forms.cases import FieldRule
from forms.types import decimal_text
from sync.problems import (
    VALUE_MISSING,
    VALUE_NOT_DATE,
    VALUE_NOT_NUMBER,
    VALUE_NOT_WHOLE_NUMBER,
    VALUE_TOO_LONG,
    Problem,
)

MAX_LENGTH = 1024
_WHOLE = re.compile(r"-?\d{1,18}", re.ASCII)
_DECIMAL = re.compile(r"-?\d{1,18}(\.\d{1,18})?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def typed(rule: FieldRule, text: str, label: str) -> Any:
    """``text`` typed by a person as a value of a field of ``rule``'s type, or the problem."""
    text = text.strip()
    if not text:
        raise Problem(VALUE_MISSING, field=label)
    if len(text) > MAX_LENGTH:
        raise Problem(VALUE_TOO_LONG, field=label, max=MAX_LENGTH)
    if rule.type == "integer":
        if not _WHOLE.fullmatch(text):
            raise Problem(VALUE_NOT_WHOLE_NUMBER, field=label)
        return int(text)
    if rule.type == "decimal":
        if not _DECIMAL.fullmatch(text):
            raise Problem(VALUE_NOT_NUMBER, field=label)
        return decimal_text(Decimal(text))
    if rule.type == "date":
        try:
            if _DATE.fullmatch(text):
                return date.fromisoformat(text).isoformat()
        except ValueError:
            pass  # 2026-02-30
        raise Problem(VALUE_NOT_DATE, field=label)
    return text
