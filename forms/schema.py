"""The shape of a form definition: a form, its fields and their choices.

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

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    PositiveInt,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from forms.text import LocalizedText

FieldTypeName = Literal["text", "integer", "decimal", "date", "select_one", "yes_no"]
"""The names a field's ``type`` can take; :mod:`forms.types` says what each one does."""

DEFAULT_MAX_LENGTH = 200

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
    "date": "a date like 2000-01-31 or the word today",
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
    if isinstance(value, int | Decimal | date) or value == "today":
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
    raise _problem(f"must be a number, a date like 2000-01-31 or the word today (got {value!r})")


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
    max_length: PositiveInt = DEFAULT_MAX_LENGTH
    choices: list[Choice] | None = None

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
        _check_choices(self)
        _check_bounds(self)
        if "max_length" in self.model_fields_set and self.type != "text":
            raise _problem(
                f"only text fields have max_length (this one is {self.type})", "max_length"
            )
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


def _check_choices(field: Field) -> None:
    if field.type != "select_one":
        if field.choices is not None:
            raise _problem(
                f"only select_one fields have choices (this one is {field.type})", "choices"
            )
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
    if low is None or high is None or "today" in (low, high):
        return
    if low > high:  # type: ignore[operator]  # both are numbers, or both are dates
        raise _problem(f"min ({_show(low)}) is greater than max ({_show(high)})", "min")


def _check_bound_kind(type_: str, bound: int | Decimal | date | str, key: str) -> None:
    if not isinstance(bound, _BOUND_KINDS[type_]):
        raise _problem(
            f"must be {_BOUND_WORDS[type_]} for {type_} fields (got {_show(bound)})", key
        )


def _show(bound: Any) -> str:
    return bound.isoformat() if isinstance(bound, date) else str(bound)


class FormDefinition(BaseModel):
    """A public-service form: what it is for, its languages and its questions in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: Text
    default_language: str = "en"
    languages: list[str]
    title: LocalizedText
    description: LocalizedText
    what_happens_next: LocalizedText | None = None
    fields: list[Field]

    @field_validator("id")
    @classmethod
    def _check_id(cls, id_: str) -> str:
        if not _SLUG.fullmatch(id_):
            raise _problem(
                f"must start with a lowercase letter and use only a-z, 0-9 and - (got {id_!r})"
            )
        return id_

    @field_validator("default_language")
    @classmethod
    def _check_default_language(cls, language: str) -> str:
        return _language(language)

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, languages: list[str]) -> list[str]:
        if not languages:
            raise _problem("at least one language is needed")
        for index, language in enumerate(languages):
            _language(language)
            if language in languages[:index]:
                raise _problem(f"{language!r} is listed twice")
        return languages

    @field_validator("fields")
    @classmethod
    def _check_fields(cls, fields: list[Field]) -> list[Field]:
        if not fields:
            raise _problem("at least one field is needed")
        seen: dict[str, int] = {}
        for index, field in enumerate(fields):
            if field.name in seen:
                raise _problem(
                    f"the name {field.name!r} is already used by fields.{seen[field.name]}",
                    f"{index}.name",
                )
            seen[field.name] = index
        return fields

    @model_validator(mode="after")
    def _check_default_texts(self) -> FormDefinition:
        if self.default_language not in self.languages:
            raise _problem(
                f"must include the default language {self.default_language!r}", "languages"
            )
        for location, text in self.texts():
            if not text.has(self.default_language, self.default_language):
                raise _problem(
                    f"has no text in the default language {self.default_language!r}", location
                )
        return self

    @property
    def names(self) -> list[str]:
        """The field names, in the order the questions are asked."""
        return [field.name for field in self.fields]

    def field(self, name: str) -> Field:
        """The field called ``name``; :class:`KeyError` if there is none."""
        return self.fields[self.index(name)]

    def index(self, name: str) -> int:
        """The 0-based position of the field called ``name``; :class:`KeyError` if none."""
        for index, field in enumerate(self.fields):
            if field.name == name:
                return index
        raise KeyError(name)

    def next_name(self, name: str) -> str | None:
        """The name of the question after ``name``, or ``None`` after the last one."""
        index = self.index(name) + 1
        return self.fields[index].name if index < len(self.fields) else None

    def previous_name(self, name: str) -> str | None:
        """The name of the question before ``name``, or ``None`` before the first one."""
        index = self.index(name)
        return self.fields[index - 1].name if index > 0 else None

    def texts(self) -> Iterator[tuple[str, LocalizedText]]:
        """Every piece of text in the form, with its path (``fields.2.choices.0.label``)."""
        yield "title", self.title
        yield "description", self.description
        if self.what_happens_next is not None:
            yield "what_happens_next", self.what_happens_next
        for index, field in enumerate(self.fields):
            for location, text in field.texts():
                yield f"fields.{index}.{location}", text


def _language(language: str) -> str:
    if not _LANGUAGE.fullmatch(language):
        raise _problem(f"must be a language code such as en, fr or pt_BR (got {language!r})")
    return language
