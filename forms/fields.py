"""A form's fields and their choices: what each question asks and which answers it takes.

Every model forbids unknown keys, so a misspelt key in a YAML file is an error rather
than a silently ignored setting. A problem found across several keys names where it is
through the ``at`` detail of its error; :mod:`forms.library` joins it to the path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    PositiveInt,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from forms.relative_dates import is_relative
from forms.text import LocalizedText

FieldTypeName = Literal[
    "text",
    "long_text",
    "integer",
    "decimal",
    "date",
    "select_one",
    "select_multiple",
    "yes_no",
    "phone",
    "email",
    "national_id",
    "note",
    "consent",
    "calculate",
]
"""The names a field's ``type`` can take; :mod:`forms.types` says what each one does."""

DEFAULT_MAX_LENGTH = 200
LONG_TEXT_MAX_LENGTH = 2000
INTERNATIONAL = "ZZ"
"""The ``region`` of a phone field that takes only ``+`` numbers; the default."""

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SLUG = re.compile(r"[a-z][a-z0-9-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
_BOUND_KINDS: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "decimal": (int, Decimal),
    "date": (date, str),
}
_BOUND_WORDS = {
    "integer": "a whole number",
    "decimal": "a number",
    "date": "a date like 2000-01-31, today or a day from today like today-18y",
}
_TYPE_SETTINGS = {  # the settings only some types have
    "max_length": ("text", "long_text"),
    "min_choices": ("select_multiple",),
    "max_choices": ("select_multiple",),
    "region": ("phone",),
    "id_rule": ("national_id",),
    "id_length": ("national_id",),
}


def _problem(message: str, at: str = "") -> PydanticCustomError:
    """An error with a readable message; ``at`` is a path below the model that raised it."""
    return PydanticCustomError("form_definition", "{message}", {"message": message, "at": at})


def _text_only(value: Any) -> Any:
    if not isinstance(value, str):
        raise _problem(f"must be text (got {value!r}); put it in quotes")
    if not value.strip() or value != value.strip():
        raise _problem(f"must not be empty or start or end with a space (got {value!r})")
    return value


def _read_bound(value: Any) -> int | Decimal | date | str:
    if isinstance(value, bool) or value is None:
        raise _problem(f"must be a number, a date or the word today (got {value!r})")
    if isinstance(value, datetime):
        raise _problem(f"must be a date without a time (got {value.isoformat()})")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise _problem(f"must be a finite number (got {value!r})")
    if isinstance(value, int | Decimal | date) or is_relative(value):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _problem(f"is not a real date (got {value!r})") from None
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return int(value) if value.lstrip("-").isdigit() else Decimal(value)
    raise _problem(
        "must be a number, a date like 2000-01-31, today or a day from today like today-18y"
        f" (got {value!r})"
    )


def _phone_region(region: str) -> str:
    if region != INTERNATIONAL and region not in phonenumbers.SUPPORTED_REGIONS:
        raise _problem(
            f"must be a country code such as KE or SN, or {INTERNATIONAL} for +country"
            f" numbers only (got {region!r})"
        )
    return region


Text = Annotated[str, BeforeValidator(_text_only)]
Bound = Annotated[
    int | Decimal | date | str,
    PlainValidator(_read_bound, json_schema_input_type=int | float | str),
]


class Choice(BaseModel):
    """One answer a ``select_one`` field offers: the stored value and what the citizen reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Text
    label: LocalizedText
    #: Extra columns a choice filter can test, e.g. ``{region: north}`` for a district.
    properties: dict[str, str] = {}


class Field(BaseModel):
    """One question: what it asks and which answers it accepts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: FieldTypeName
    label: LocalizedText
    hint: LocalizedText | None = None
    required: bool = True
    min: Bound | None = None
    max: Bound | None = None
    max_length: PositiveInt = DEFAULT_MAX_LENGTH  # LONG_TEXT_MAX_LENGTH for long_text
    choices: list[Choice] | None = None
    #: select_multiple: how many answers the citizen must and may tick.
    min_choices: PositiveInt | None = None
    max_choices: PositiveInt | None = None
    #: phone: the ISO 3166 country local numbers are read in; ZZ takes only +country numbers.
    region: Annotated[str, AfterValidator(_phone_region)] = INTERNATIONAL
    #: national_id: the check digit rule, and how many digits the number has.
    id_rule: Literal["luhn", "verhoeff", "none"] = "none"
    id_length: PositiveInt | None = None
    #: The name of a shared list in the form's ``choice_lists`` (instead of ``choices``).
    choice_list: str | None = None
    #: The name of a reference list (``lists/NAME.csv``, or as central published it; see
    #: :mod:`forms.reference_lists`) to take the choices from (instead of ``choices``).
    choices_from: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")] | None = None
    #: Which choices to offer, e.g. ``region = ${region}`` (``region``: a choice property).
    choice_filter: str | None = None
    #: Ask only when this expression is true (skip logic), e.g. ``${age} >= 18``.
    relevant: str | None = None
    #: Required only when this expression is true (instead of ``required: true``).
    required_if: str | None = None
    #: The answer must make this true (``.`` is the answer), e.g. ``. <= ${household_size}``.
    constraint: str | None = None
    constraint_message: LocalizedText | None = None
    #: For ``calculate`` fields: the value, worked out from other answers, never asked.
    calculation: str | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        if not _NAME.fullmatch(name):
            raise _problem(
                f"must start with a lowercase letter and use only a-z, 0-9 and _ (got {name!r})"
            )
        return name

    @model_validator(mode="after")
    def _check_settings(self) -> Field:
        _check_type_settings(self)
        _check_choices(self)
        _check_bounds(self)
        if (self.type == "calculate") != (self.calculation is not None):
            raise _problem("calculate fields, and only they, need a calculation", "calculation")
        if self.type == "long_text" and "max_length" not in self.model_fields_set:
            # the default for long text; left unset, so a dump still leaves it out
            object.__setattr__(self, "max_length", LONG_TEXT_MAX_LENGTH)
        return self

    def choice(self, value: str) -> Choice | None:
        """The choice with this value, if this field offers it."""
        return next((choice for choice in self.choices or () if choice.value == value), None)

    def texts(self) -> Iterator[tuple[str, LocalizedText]]:
        """Every piece of text in this field, with its path below the field."""
        yield "label", self.label
        if self.hint is not None:
            yield "hint", self.hint
        for index, choice in enumerate(self.choices or ()):
            yield f"choices.{index}.label", choice.label
        if self.constraint_message is not None:
            yield "constraint_message", self.constraint_message

    def expressions(self) -> Iterator[tuple[str, str]]:
        """Every expression in this field, with the key it is under."""
        for key in ("relevant", "required_if", "constraint", "calculation", "choice_filter"):
            text = getattr(self, key)
            if text is not None:
                yield key, text

    @property
    def asked(self) -> bool:
        """Whether the citizen sees this field (calculations are worked out, not asked)."""
        return self.type != "calculate"


def _check_type_settings(field: Field) -> None:
    for key, types in _TYPE_SETTINGS.items():
        given = getattr(field, key) is not None and key in field.model_fields_set
        if given and field.type not in types:
            where = " and ".join(types)
            raise _problem(f"only {where} fields have {key} (this one is {field.type})", key)
    if field.type == "note" and "required" in field.model_fields_set:
        raise _problem("a note takes no answer, so it has no required", "required")
    low, high = field.min_choices, field.max_choices
    if low is not None and high is not None and low > high:
        raise _problem(f"min_choices ({low}) is greater than max_choices ({high})", "min_choices")
    if low is not None and field.choices and low > len(field.choices):
        count = len(field.choices)
        raise _problem(f"min_choices ({low}) is more than the {count} choices", "min_choices")


def _check_choices(field: Field) -> None:
    if field.type not in ("select_one", "select_multiple"):
        if field.choices_from is not None:
            raise _problem(
                "only select_one and select_multiple fields have choices", "choices_from"
            )
        if field.choices is not None:
            raise _problem(
                "only select_one and select_multiple fields have choices"
                f" (this one is {field.type})",
                "choices",
            )
        return
    given = [key for key in ("choices", "choice_list", "choices_from") if getattr(field, key)]
    if len(given) > 1:
        raise _problem(f"give one of {' or '.join(given)}, not both", given[1])
    if field.choice_list is not None or field.choices_from is not None:
        return
    if not field.choices:
        raise _problem("at least one choice is needed", "choices")
    seen: dict[str, int] = {}
    for index, choice in enumerate(field.choices):
        if choice.value in seen:
            raise _problem(
                f"the value {choice.value!r} is already used by choices.{seen[choice.value]}",
                f"choices.{index}.value",
            )
        seen[choice.value] = index


def _check_bounds(field: Field) -> None:
    for key in ("min", "max"):
        bound = getattr(field, key)
        if bound is None:
            continue
        if field.type not in _BOUND_KINDS:
            raise _problem(
                f"only integer, decimal and date fields have {key} (this one is {field.type})", key
            )
        _check_bound_kind(field.type, bound, key)
    low, high = field.min, field.max
    if low is None or high is None or isinstance(low, str) or isinstance(high, str):
        return  # a bound from today moves
    if low > high:  # type: ignore[operator]  # both are numbers, or both are dates
        raise _problem(f"min ({_show(low)}) is greater than max ({_show(high)})", "min")


def _check_bound_kind(type_: str, bound: int | Decimal | date | str, key: str) -> None:
    if not isinstance(bound, _BOUND_KINDS[type_]):
        raise _problem(
            f"must be {_BOUND_WORDS[type_]} for {type_} fields (got {_show(bound)})", key
        )


def _show(bound: Any) -> str:
    return bound.isoformat() if isinstance(bound, date) else str(bound)
