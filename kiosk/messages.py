"""Sentences for answer problems, chosen by the error codes the forms engine returns.

Written the GOV.UK way: say what to do ("Enter a whole number"), not what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms.errors import FieldError
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
    "required_choices": N_("Choose at least one of the answers"),
    "too_few_choices": N_("Choose at least %(min)s of the answers"),
    "too_many_choices": N_("Choose no more than %(max)s of the answers"),
    "not_a_phone": N_("Enter a phone number, like +254 712 345 678"),
    "not_an_email": N_("Enter an email address in the correct format, like name@example.com"),
    "not_an_id": N_("Enter the ID number as it is written on the card"),
    "id_check_failed": N_("Check the ID number: a digit may be wrong"),
    "consent_required": N_("Tick the box to give your consent"),
    "constraint": N_("Check your answer: it does not fit with the other answers"),
    "case_unknown": N_(
        "This kiosk has no record with that number. Check it against your receipt:"
        " it looks like K01-00042-X"
    ),
}


class Words(str):
    """A message with the language its words are in, for the ``lang`` of the element
    that shows it (WCAG 3.1.2): a form's own constraint message falls back to the form's
    default language when it has no translation. ``about`` is what the message is about
    (the question, on the check page), in its own language."""

    language: str | None
    about: Words | None

    def __new__(cls, text: str, language: str | None = None, about: Words | None = None) -> Words:
        words = super().__new__(cls, text)
        words.language, words.about = language, about
        return words


CHOICE_TYPES = {"select_one", "yes_no"}
DATE_CODES = {"date_too_early", "date_too_late"}


def describe(
    problem: FieldError,
    field_type: str,
    gettext: Callable[[str], str],
    language: str,
    translate: Callable[[Any], str] = str,
    language_of: Callable[[Any], str] | None = None,
) -> str:
    """The sentence for ``problem`` on a field of ``field_type``, in ``language``; a
    constraint's own message (from the form, through ``translate``) when it has one,
    as :class:`Words` in the language ``language_of`` says ``translate`` picked."""
    code, params = problem.code, problem.params
    if code == "constraint":
        own = params.get("message")
        if not own:
            return gettext(MESSAGES["constraint"])
        return Words(translate(own), language_of(own) if language_of else language)
    if code == "required" and field_type in CHOICE_TYPES:
        code = "required_choice"
    if code == "required" and field_type == "select_multiple":
        code = "required_choices"
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
