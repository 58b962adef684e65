"""Fields the citizen does not type an answer into: a ``note`` to read, a ``consent`` to
give, and a ``calculate`` field, never shown, whose value is worked out.

A note takes no answer: it shows its label as a heading and its hint as the text, and
its answer is always ``None``. A consent is one box the citizen ticks to agree to its
label; the kiosk posts ``yes`` (or ``True``) when it is ticked and nothing when it is
not. A ticked box stores ``True``; anything else is ``consent_required`` when the field
is required and ``None`` when it is not, so a consent is never stored as ``False``. A
calculate field is never asked: whatever is posted for it reads as ``None``, and its
value is its ``calculation``, worked out by :func:`forms.answers.calculate`.
"""

from __future__ import annotations

from datetime import date

from forms.errors import FieldError
from forms.field_type import FieldType, Result
from forms.schema import Field


def _parse_note(field: Field, text: str, today: date) -> Result:
    return None


def _parse_consent(field: Field, text: str, today: date) -> Result:
    if text.lower() == "yes":
        return True
    return FieldError("consent_required") if field.required else None


_UNTICKED = FieldError("consent_required")

TYPES = (
    FieldType(
        "calculate",
        _parse_note,
        settings={"calculation": "${copies} * 2.5", "required": False},
        valid=((None, None), ("posted anyway", None)),
        invalid=(),
        required_code=None,
    ),
    FieldType(
        "note",
        _parse_note,
        settings={"hint": "Bring your identity card when you collect the certificate."},
        valid=((None, None), ("", None), ("anything posted", None)),
        invalid=(),
        required_code=None,
    ),
    FieldType(
        "consent",
        _parse_consent,
        settings={},
        valid=(("yes", True), (" Yes ", True), (True, True)),
        invalid=(
            (None, _UNTICKED),
            ("", _UNTICKED),
            (False, _UNTICKED),
            ("no", _UNTICKED),
            ("on", _UNTICKED),
        ),
        required_code="consent_required",
    ),
)
"""The field types this module declares."""
