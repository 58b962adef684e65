"""Sentences for answer problems, chosen by the error codes the forms engine returns.

Written the GOV.UK way: say what to do ("Enter a whole number"), not what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk import formatting
from sync.problems import N_

MESSAGES = {
    "required": N_("Answer this question to continue"),
    "required_choice": N_("Choose one of the answers"),
    "too_long": N_("Your answer must be %(max)s characters or fewer"),
    "not_integer": N_("Enter a whole number, like 3"),
    "not_decimal": N_("Enter a number, like 12.50"),
    "too_small": N_("Enter a number that is %(min)s or more"),
    "too_large": N_("Enter a number that is %(max)s or less"),
    "not_date": N_("Enter a real date, with day, month and year as numbers"),
    "date_too_early": N_("Enter a date on or after %(min)s"),
    "date_too_late": N_("Enter a date on or before %(max)s"),
    "not_a_choice": N_("Choose one of the answers"),
    "not_yes_no": N_("Choose yes or no"),
}

CHOICE_TYPES = {"select_one", "yes_no"}
DATE_CODES = {"date_too_early", "date_too_late"}


def describe(
    code: str, params: dict[str, Any], field_type: str, gettext: Callable[[str], str], language: str
) -> str:
    """The sentence for error ``code`` on a field of ``field_type``, in ``language``."""
    if code == "required" and field_type in CHOICE_TYPES:
        code = "required_choice"
    message = gettext(MESSAGES.get(code, MESSAGES["required"]))
    shown = formatting.day if code in DATE_CODES else formatting.number
    return message % {key: shown(value, language) for key, value in params.items()}


PRINTER_FAULTS = {
    "paper_out": N_("The printer is out of paper."),
    "cover_open": N_("The printer's cover is open."),
    "offline": N_("The printer is not working at the moment."),
    "busy": N_("The printer is busy."),
}


def printer_problem(code: str | None, gettext: Callable[[str], str]) -> str | None:
    """What to tell the citizen when their receipt did not print, or None when it did."""
    if code is None:
        return None
    problem = gettext(PRINTER_FAULTS.get(code, PRINTER_FAULTS["offline"]))
    return problem + " " + gettext("Here is your reference on screen instead.")
