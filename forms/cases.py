"""Case types: records that several people edit over time (a household, a person, a
service request), declared next to the forms in ``<forms directory>/cases/<name>.yaml``.

Each field of a case type has a merge **rule**, which says how central merges edits made
offline at several kiosks (``sync/PROTOCOL.md``, "Cases and the three-way merge"):

* ``value`` (the default): one value; two different concurrent edits are a conflict;
* ``set``: a list whose order does not matter (phone numbers); never a conflict;
* ``notes``: entries that are only ever added; never a conflict;
* ``status``: one of ``order``, which only ever moves forward; never a conflict.

``identity`` names the fields that tell two cases of the same person or household apart
(used to find duplicates). ``reference`` names the text field that keeps the reference of
the submission that created the case (the number on its receipt, ``K01-00042-X``), which
people use to name the case later, at any kiosk. A form links to a case type with its
``case:`` block (:class:`forms.schema.CaseLink`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from forms.errors import DefinitionError
from forms.fields import _LANGUAGE, _NAME, _SLUG, _problem
from forms.library import DEFAULT_DIRECTORY, SUFFIX, _read_yaml, error_problem
from forms.text import LocalizedText

__all__ = [
    "RULES",
    "SUBDIRECTORY",
    "CaseType",
    "FieldRule",
    "Identity",
    "case_type_files",
    "load_case_type",
    "load_case_types",
]

#: The folder of case types inside a forms directory.
SUBDIRECTORY = "cases"
Rule = Literal["value", "set", "notes", "status"]
RULES: tuple[Rule, ...] = ("value", "set", "notes", "status")
#: What one value (or one member of a set) is: checked when central takes a change.
ValueType = Literal["text", "integer", "decimal", "date"]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class FieldRule(BaseModel):
    """One field of a case type: how edits to it merge, and what people call it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Rule = "value"
    #: ``value`` and ``set`` fields: what a value (a member) is.
    type: ValueType = "text"
    #: ``status`` fields only: every status, from first to last.
    order: list[str] | None = None
    label: LocalizedText | None = None

    @model_validator(mode="after")
    def _check_order(self) -> FieldRule:
        if self.rule != "status":
            if self.order is not None:
                raise _problem("only status fields have an order", "order")
            return self
        if not self.order:
            raise _problem("a status field needs its order: every status, first to last", "order")
        for index, status in enumerate(self.order):
            if not isinstance(status, str) or not status.strip():
                raise _problem(f"must be text (got {status!r})", f"order.{index}")
            if status in self.order[:index]:
                raise _problem(f"{status!r} is listed twice", f"order.{index}")
        return self

    def accepts(self, value: object) -> bool:
        """Whether ``value`` fits this field (a whole list for ``set`` and ``notes``)."""
        if value is None:
            return True
        if self.rule == "status":
            return value in (self.order or [])
        if self.rule == "notes":
            return isinstance(value, list)
        if self.rule == "set":
            return isinstance(value, list) and all(self._fits(member) for member in value)
        return self._fits(value)

    def _fits(self, value: object) -> bool:
        if self.type == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.type == "decimal":
            return isinstance(value, int | float | str) and not isinstance(value, bool)
        if self.type == "date":
            return isinstance(value, str) and bool(_ISO_DATE.fullmatch(value))
        return isinstance(value, str)


class Identity(BaseModel):
    """The fields that identify who a case is about, for finding duplicates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    national_id: str | None = None
    name: str | None = None
    date_of_birth: str | None = None
    place: str | None = None


class CaseType(BaseModel):
    """A kind of case, its fields and their merge rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    default_language: str = "en"
    label: LocalizedText | None = None
    fields: dict[str, FieldRule]
    identity: Identity | None = None
    #: The field that takes the reference of the submission creating the case.
    reference: str | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        if not _SLUG.fullmatch(name):
            raise _problem(
                f"must start with a lowercase letter and use only a-z, 0-9 and - (got {name!r})"
            )
        return name

    @field_validator("default_language")
    @classmethod
    def _check_language(cls, language: str) -> str:
        if not _LANGUAGE.fullmatch(language):
            raise _problem(f"must be a language code such as en, fr or pt_BR (got {language!r})")
        return language

    @field_validator("fields")
    @classmethod
    def _check_fields(cls, fields: dict[str, FieldRule]) -> dict[str, FieldRule]:
        if not fields:
            raise _problem("at least one field is needed")
        for name in fields:
            if not _NAME.fullmatch(name):
                raise _problem(
                    "must start with a lowercase letter and use only a-z, 0-9 and _"
                    f" (got {name!r})",
                    name,
                )
        return fields

    @model_validator(mode="after")
    def _check_references(self) -> CaseType:
        texts = [("label", self.label)] + [
            (f"fields.{n}.label", f.label) for n, f in self.fields.items()
        ]
        for location, text in texts:
            if text is not None and not text.has(self.default_language, self.default_language):
                raise _problem(
                    f"has no text in the default language {self.default_language!r}", location
                )
        for key, name in (self.identity or Identity()).model_dump().items():
            if name is None:
                continue
            if name not in self.fields:
                raise _problem(f"{self.name} has no field called {name!r}", f"identity.{key}")
            if self.fields[name].rule != "value":
                raise _problem(f"{name!r} must be a value field", f"identity.{key}")
        if self.reference is not None:
            field = self.fields.get(self.reference)
            if field is None:
                raise _problem(f"{self.name} has no field called {self.reference!r}", "reference")
            if (field.rule, field.type) != ("value", "text"):
                raise _problem(f"{self.reference!r} must be a text value field", "reference")
        return self

    def rule(self, field: str) -> FieldRule:
        """The rule of ``field``; :class:`KeyError` if the type has no such field."""
        return self.fields[field]


def case_type_files(forms_directory: Path | str = DEFAULT_DIRECTORY) -> list[Path]:
    """The case type files of a forms directory, in name order (none without ``cases/``)."""
    folder = Path(forms_directory) / SUBDIRECTORY
    return sorted(file for file in folder.glob(f"*{SUFFIX}") if file.is_file())


def load_case_type(path: Path | str) -> CaseType:
    """The case type in the YAML file at ``path``; :class:`DefinitionError` if unusable."""
    path = Path(path)
    label = f"{SUBDIRECTORY}/{path.name}"
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DefinitionError(label, [("", "a case type must be a YAML mapping")])
    try:
        return CaseType.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(label, [error_problem(detail) for detail in error.errors()]) from None


def load_case_types(forms_directory: Path | str = DEFAULT_DIRECTORY) -> dict[str, CaseType]:
    """Every case type of a forms directory by name, in file name order."""
    types: dict[str, CaseType] = {}
    files: dict[str, str] = {}
    for file in case_type_files(forms_directory):
        case_type = load_case_type(file)
        if case_type.name in types:
            raise DefinitionError(
                f"{SUBDIRECTORY}/{file.name}",
                [("name", f"{case_type.name!r} is already used by {files[case_type.name]}")],
            )
        types[case_type.name] = case_type
        files[case_type.name] = f"{SUBDIRECTORY}/{file.name}"
    return types
