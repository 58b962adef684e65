"""The shape of a form definition: a form, its groups and repeats, and their fields.

Fields and choices are in :mod:`forms.fields`; this module adds the structure around
them (groups shown on one page or one after another, repeats asked once per person) and
the form itself. Both are re-exported here, the one place the rest of the code imports
them from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Tag, field_validator, model_validator
from pydantic import Field as Field_

from forms.fields import (
    _LANGUAGE,
    _SLUG,
    Choice,
    Field,
    FieldTypeName,
    Text,
    _problem,
)
from forms.text import LocalizedText

__all__ = [
    "CaseLink",
    "Choice",
    "Field",
    "FieldTypeName",
    "FormDefinition",
    "Group",
    "Item",
    "Repeat",
    "walk",
]


def _item_kind(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in ("group", "repeat") else "field"


class Group(BaseModel):
    """Questions that belong together: on one page (``page: true``) or one after another."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: Literal["group"]
    label: LocalizedText | None = None
    page: bool = False
    relevant: str | None = None
    fields: list[Item]

    _check_name = field_validator("name")(Field._check_name.__func__)  # type: ignore[attr-defined]


class Repeat(BaseModel):
    """The same questions asked once per person or thing (each household member)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: Literal["repeat"]
    label: LocalizedText
    #: The question asked after each one, e.g. "Does anyone else live with you?".
    add_another: LocalizedText | None = None
    min_count: int = Field_(0, ge=0)
    max_count: int = Field_(20, ge=1, le=200)
    relevant: str | None = None
    fields: list[Item]

    _check_name = field_validator("name")(Field._check_name.__func__)  # type: ignore[attr-defined]

    @model_validator(mode="after")
    def _check_counts(self) -> Repeat:
        if self.min_count > self.max_count:
            raise _problem(
                f"min_count ({self.min_count}) is greater than max_count ({self.max_count})",
                "min_count",
            )
        return self


Item = Annotated[
    Annotated[Field, Tag("field")]
    | Annotated[Group, Tag("group")]
    | Annotated[Repeat, Tag("repeat")],
    Discriminator(_item_kind),
]


def walk(items: list[Item], at: str = "fields") -> Iterator[tuple[str, Field | Group | Repeat]]:
    """Every item below ``items``, depth first, with its path (``fields.2.fields.0``)."""
    for index, item in enumerate(items):
        path = f"{at}.{index}"
        yield path, item
        if not isinstance(item, Field):
            yield from walk(item.fields, f"{path}.fields")


class CaseLink(BaseModel):
    """A form's ``case:`` block: the form creates or updates a case of a type declared in
    ``cases/`` (:mod:`forms.cases`), and these answers become its fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    #: Whether the form makes a new case (when ``id_field`` is not answered, if given).
    create: bool = False
    #: The form field holding the id of the case to update; required unless ``create``.
    id_field: str | None = None
    #: Each case field the form sets, with the form field whose answer it takes.
    fields: dict[str, str]

    @field_validator("fields")
    @classmethod
    def _check_fields(cls, fields: dict[str, str]) -> dict[str, str]:
        if not fields:
            raise _problem("at least one case field is needed")
        return fields

    @model_validator(mode="after")
    def _check_id_field(self) -> CaseLink:
        if not self.create and self.id_field is None:
            raise _problem(
                "a form that updates a case needs id_field, the field holding the case id",
                "id_field",
            )
        return self


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
    choice_lists: dict[str, list[Choice]] = {}
    fields: list[Item]
    case: CaseLink | None = None
    #: The reference lists the form's ``choices_from`` fields name, as the kiosk had them
    #: when it offered this version (:meth:`with_reference_lists`); not written by authors.
    reference_lists: dict[str, list[Choice]] = {}

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
    def _check_fields(cls, fields: list[Item]) -> list[Item]:
        if not fields:
            raise _problem("at least one field is needed")
        seen: dict[str, str] = {}
        for path, item in walk(fields):
            if item.name in seen:
                raise _problem(
                    f"the name {item.name!r} is already used by {seen[item.name]}",
                    path.removeprefix("fields.") + ".name",
                )
            seen[item.name] = path
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

    @model_validator(mode="after")
    def _check_case(self) -> FormDefinition:
        if self.case is None:
            return self
        repeated = {
            field.name
            for _, item in self.items()
            if isinstance(item, Repeat)
            for _, field in walk(item.fields)
        }
        named = [("case.id_field", self.case.id_field)] + [
            (f"case.fields.{case_field}", name) for case_field, name in self.case.fields.items()
        ]
        for location, name in named:
            if name is None:
                continue
            if name not in self.names:
                raise _problem(f"this form has no field called {name!r}", location)
            if name in repeated:
                raise _problem(
                    f"{name!r} is inside a repeat: a case field takes one answer", location
                )
        return self

    def items(self) -> Iterator[tuple[str, Field | Group | Repeat]]:
        """Every field, group and repeat, depth first, with its path."""
        return walk(self.fields)

    def all_fields(self) -> list[Field]:
        """Every field, in the order the form asks them (inside groups and repeats too)."""
        return [item for _, item in self.items() if isinstance(item, Field)]

    @property
    def names(self) -> list[str]:
        """Every field's name, in the order the form asks them."""
        return [field.name for field in self.all_fields()]

    def field(self, name: str) -> Field:
        """The field called ``name``, wherever it is; :class:`KeyError` if there is none
        (or if ``name`` is a group or a repeat)."""
        item = self.item(name)
        if not isinstance(item, Field):
            raise KeyError(name)
        return item

    def item(self, name: str) -> Field | Group | Repeat:
        """The field, group or repeat called ``name``; :class:`KeyError` if there is none."""
        for _, item in self.items():
            if item.name == name:
                return item
        raise KeyError(name)

    def choices(self, field: Field) -> list[Choice]:
        """The choices ``field`` offers before any filter: its own, a shared list's or a
        reference list's."""
        if field.choices_from is not None:
            return self.reference_lists.get(field.choices_from, [])
        if field.choice_list is not None:
            return self.choice_lists.get(field.choice_list, [])
        return list(field.choices or [])

    def written_out(self, field: Field) -> Field:
        """``field`` with a shared or reference list's choices written into it, as
        parsing an answer needs them."""
        if field.choice_list is None and field.choices_from is None:
            return field
        update = {"choices": self.choices(field), "choice_list": None, "choices_from": None}
        return field.model_copy(update=update)

    @property
    def lists_needed(self) -> set[str]:
        """The reference lists the form's questions take their choices from."""
        return {f.choices_from for f in self.all_fields() if f.choices_from is not None}

    def with_reference_lists(self, lists: Mapping[str, list[Choice]]) -> FormDefinition:
        """This form with the reference lists it needs from ``lists`` written in, in place
        of any it had by those names (one in neither stays missing: see
        :attr:`lists_missing`)."""
        had = self.reference_lists
        needed = {
            name: lists[name] if name in lists else had[name]
            for name in sorted(self.lists_needed)
            if name in lists or name in had
        }
        if needed == had:
            return self
        return self.model_copy(update={"reference_lists": needed})

    @property
    def lists_missing(self) -> set[str]:
        """The reference lists the form needs but does not have: it cannot be filled in."""
        return self.lists_needed - set(self.reference_lists)

    def texts(self) -> Iterator[tuple[str, LocalizedText]]:
        """Every piece of text in the form, with its path (``fields.2.choices.0.label``)."""
        yield "title", self.title
        yield "description", self.description
        if self.what_happens_next is not None:
            yield "what_happens_next", self.what_happens_next
        for name, choices in self.choice_lists.items():
            for index, choice in enumerate(choices):
                yield f"choice_lists.{name}.{index}.label", choice.label
        for path, item in self.items():
            if isinstance(item, Field):
                for location, text in item.texts():
                    yield f"{path}.{location}", text
            else:
                for key in ("label", "add_another"):
                    extra: LocalizedText | None = getattr(item, key, None)
                    if extra is not None:
                        yield f"{path}.{key}", extra


def _language(language: str) -> str:
    if not _LANGUAGE.fullmatch(language):
        raise _problem(f"must be a language code such as en, fr or pt_BR (got {language!r})")
    return language


Group.model_rebuild()
Repeat.model_rebuild()
FormDefinition.model_rebuild()
