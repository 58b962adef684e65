"""Command-line options derived from a settings model, so every option has one name,
one environment variable (``FIELDKIOSK_<NAME>``), one help text and one validator.

Precedence: command-line flag, then environment variable, then the field's default.
An invalid value stops start-up with ``FIELD: problem (got VALUE)``.
"""

from __future__ import annotations

import argparse
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "FIELDKIOSK_"


class Settings(BaseSettings):
    """Base of every process's settings object."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)


S = TypeVar("S", bound=Settings)


class SettingsError(Exception):
    """One line per invalid setting, each ``FIELD: problem (got VALUE)``."""


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def flag_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def add_options(parser: argparse.ArgumentParser, model: type[Settings]) -> None:
    """One flag per settings field; values left unset fall through to the environment."""
    for name, field in model.model_fields.items():
        default = "" if field.is_required() else f"; default: {field.get_default()}"
        help_text = f"{field.description} [env: {env_name(name)}{default}]"
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        flags = [*extra.get("flags", []), flag_name(name)]  # type: ignore[misc]
        if field.annotation is bool:
            parser.add_argument(*flags, dest=name, action="store_const", const=True, help=help_text)
        else:
            parser.add_argument(*flags, dest=name, metavar=name.upper(), help=help_text)


def load(model: type[S], namespace: argparse.Namespace | None = None, **overrides: Any) -> S:
    """Build ``model`` from flags in ``namespace``, the environment and defaults."""
    values = {
        name: value
        for name in model.model_fields
        if (value := getattr(namespace, name, None)) is not None
    }
    values.update(overrides)
    try:
        return model(**values)
    except ValidationError as error:
        raise SettingsError(describe(error)) from None


def describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "settings"
        lines.append(f"{field}: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)
