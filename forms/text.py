"""Text a citizen reads, in one language or several.

In a form definition a piece of text is either a plain string, written in the form's
default language, or a mapping from language code to string::

    label: What is your name?
    label: {en: What is your name?, fr: Quel est votre nom ?}

:class:`LocalizedText` keeps the shape it was read in, so a definition dumps back to the
YAML it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

_QUOTE_HINT = "; put it in quotes"


class LocalizedText:
    """A plain string in the default language, or a mapping ``{language: text}``."""

    __slots__ = ("_raw",)

    def __init__(self, value: str | Mapping[str, str]) -> None:
        self._raw: str | dict[str, str] = value if isinstance(value, str) else dict(value)

    @property
    def raw(self) -> str | dict[str, str]:
        """The text in the shape it was read: a string or a ``{language: text}`` dict."""
        return self._raw if isinstance(self._raw, str) else dict(self._raw)

    def get(self, language: str, default_language: str) -> str:
        """The text in ``language``, else in ``default_language``, else the first one given.

        A validated :class:`~forms.schema.FormDefinition` guarantees the default language
        is present, so the last fallback only protects a citizen from an exception.
        """
        if isinstance(self._raw, str):
            return self._raw
        for code in (language, default_language):
            if code in self._raw:
                return self._raw[code]
        return next(iter(self._raw.values()))

    def has(self, language: str, default_language: str) -> bool:
        """Whether this text was written in ``language`` (a plain string counts as default)."""
        if isinstance(self._raw, str):
            return language == default_language
        return language in self._raw

    def missing(self, languages: Iterable[str], default_language: str) -> list[str]:
        """The languages among ``languages`` that this text was not written in."""
        return [code for code in languages if not self.has(code, default_language)]

    def written_in(self, default_language: str) -> list[str]:
        """Every language this text was written in."""
        return [default_language] if isinstance(self._raw, str) else list(self._raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LocalizedText):
            return NotImplemented
        return self._raw == other._raw

    def __hash__(self) -> int:
        if isinstance(self._raw, str):
            return hash(self._raw)
        return hash(tuple(self._raw.items()))

    def __repr__(self) -> str:
        return f"LocalizedText({self._raw!r})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate,
            json_schema_input_schema=core_schema.union_schema(
                [
                    core_schema.str_schema(min_length=1),
                    core_schema.dict_schema(
                        core_schema.str_schema(), core_schema.str_schema(min_length=1)
                    ),
                ]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda text: text.raw),
        )


def _validate(value: Any) -> LocalizedText:
    if isinstance(value, LocalizedText):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise _error("must not be empty")
        return LocalizedText(value)
    if isinstance(value, Mapping):
        _check_translations(value)
        return LocalizedText(value)
    raise _error(
        f"must be text or a mapping of language codes to text (got {value!r}){_QUOTE_HINT}"
    )


def _check_translations(value: Mapping[Any, Any]) -> None:
    if not value:
        raise _error("needs text in at least one language")
    for language, words in value.items():
        if not isinstance(language, str):
            raise _error(f"language codes must be text (got {language!r}){_QUOTE_HINT}")
        if not isinstance(words, str):
            raise _error(f"the {language!r} translation must be text (got {words!r}){_QUOTE_HINT}")
        if not words.strip():
            raise _error(f"the {language!r} translation must not be empty")


def _error(message: str) -> PydanticCustomError:
    return PydanticCustomError("form_definition", "{message}", {"message": message})


YES_NO: dict[bool, LocalizedText] = {
    True: LocalizedText(
        {"en": "Yes", "fr": "Oui", "ar": "نعم", "es": "Sí", "pt": "Sim", "sw": "Ndiyo"}
    ),
    False: LocalizedText(
        {"en": "No", "fr": "Non", "ar": "لا", "es": "No", "pt": "Não", "sw": "Hapana"}
    ),
}
"""How a ``yes_no`` answer reads, in every language the forms package knows."""
