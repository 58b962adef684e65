"""``phone`` and ``email``: ways to reach the citizen, checked and stored in one form.

Phone numbers are read with ``phonenumbers`` (Google's libphonenumber) in the field's
``region`` and stored in E.164 (``+254712345678``); the region ``ZZ`` takes only numbers
written with ``+`` and their country code. Email addresses are checked for their form with
``email-validator`` (no look-up of the domain: the kiosk may be offline) and stored
normalised (``Amina@Example.ORG`` becomes ``Amina@example.org``).
"""

from __future__ import annotations

from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from forms.errors import FieldError
from forms.field_type import REQUIRED, FieldType, Result
from forms.schema import Field


def _parse_phone(field: Field, text: str, today: date) -> Result:
    try:
        number = phonenumbers.parse(text, field.region)
    except phonenumbers.NumberParseException:
        return FieldError("not_a_phone")
    if number.extension or not phonenumbers.is_valid_number(number):
        return FieldError("not_a_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_email(field: Field, text: str, today: date) -> Result:
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return FieldError("not_an_email")


TYPES = (
    FieldType(
        "phone",
        _parse_phone,
        settings={"region": "KE"},
        valid=(
            ("0712 345 678", "+254712345678"),
            ("+254-712-345-678", "+254712345678"),
            ("(0712) 345678", "+254712345678"),
            ("+221 77 123 45 67", "+221771234567"),
            ("\u0660\u0667\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "+254712345678"),
        ),
        invalid=(
            *REQUIRED,
            ("0712 345", FieldError("not_a_phone")),
            ("call me", FieldError("not_a_phone")),
            ("+999 712 345 678", FieldError("not_a_phone")),
            ("0712 345 678 ext. 12", FieldError("not_a_phone")),
        ),
    ),
    FieldType(
        "email",
        _parse_email,
        settings={},
        valid=(
            ("amina@example.org", "amina@example.org"),
            (" Amina.Diallo@Example.ORG ", "Amina.Diallo@example.org"),
            ("jean+kiosk@mail.example.com", "jean+kiosk@mail.example.com"),
        ),
        invalid=(
            *REQUIRED,
            ("amina", FieldError("not_an_email")),
            ("amina@", FieldError("not_an_email")),
            ("amina@example", FieldError("not_an_email")),
            ("amina diallo@example.org", FieldError("not_an_email")),
            ("amina@@example.org", FieldError("not_an_email")),
        ),
    ),
)
"""The field types this module declares."""
