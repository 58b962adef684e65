"""Form definitions on disk: YAML files read into models, and models written back.

A definition dumps with its keys in the models' order and only the keys that were
written, so ``dump_definition(load_definition(path))`` gives back a file in that form
unchanged.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from forms.errors import DefinitionError
from forms.reference_lists import load_lists
from forms.schema import FormDefinition

__all__ = [
    "DEFAULT_DIRECTORY",
    "DefinitionError",
    "dump_definition",
    "error_location",
    "error_problem",
    "load_definition",
    "load_directory",
]

DEFAULT_DIRECTORY = Path(__file__).parent / "definitions"
SUFFIX = ".yaml"
_NO_WRAPPING = 1_000_000


def load_definition(path: Path | str) -> FormDefinition:
    """The definition in the YAML file at ``path``; :class:`DefinitionError` if unusable."""
    path = Path(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DefinitionError(path.name, [("", "a form definition must be a YAML mapping")])
    try:
        return FormDefinition.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(
            path.name, [error_problem(detail) for detail in error.errors()]
        ) from None


def load_directory(path: Path | str = DEFAULT_DIRECTORY) -> dict[str, FormDefinition]:
    """Every ``*.yaml`` definition in ``path`` by form id, in file name order, with the
    reference lists the directory ships (``lists/NAME.csv``) written in."""
    definitions: dict[str, FormDefinition] = {}
    files: dict[str, str] = {}
    lists = load_lists(path)
    for file in definition_files(Path(path)):
        definition = load_definition(file).with_reference_lists(lists)
        if definition.id in definitions:
            used_by = files[definition.id]
            raise DefinitionError(
                file.name, [("id", f"{definition.id!r} is already used by {used_by}")]
            )
        definitions[definition.id] = definition
        files[definition.id] = file.name
    return definitions


def definition_files(path: Path) -> list[Path]:
    """The definition files in a directory, in name order."""
    return sorted(file for file in path.glob(f"*{SUFFIX}") if file.is_file())


def dump_definition(definition: FormDefinition) -> str:
    """The definition as YAML, keys in a stable order, ready to save or review."""
    data = definition.model_dump(mode="python", exclude_unset=True)
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_NO_WRAPPING,
    )


def _read_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DefinitionError(path.name, [(where, str(error.problem or error))]) from None
    except yaml.YAMLError as error:
        raise DefinitionError(path.name, [("", str(error))]) from None


_ITEM_TAGS = {"field", "group", "repeat"}


def error_location(detail: ErrorDetails) -> str:
    """Where in the file a validation error is, as ``fields.3.choices``: pydantic's
    location without the item tags it adds, and the key a check names (its ``at``)."""
    location = detail["loc"]
    # an item's kind ("field", "group", "repeat") is pydantic's tag, not a place in the file
    path = [
        str(part)
        for index, part in enumerate(location)
        if not (part in _ITEM_TAGS and index and isinstance(location[index - 1], int))
    ]
    at = (detail.get("ctx") or {}).get("at")
    if at:
        path.append(str(at))
    return ".".join(path)


def error_problem(detail: ErrorDetails) -> tuple[str, str]:
    """A validation error as a :class:`DefinitionError` problem: its location and message."""
    return error_location(detail), _message(detail)


def _message(detail: ErrorDetails) -> str:
    if detail["type"] == "form_definition":
        return detail["msg"]
    if detail["type"] == "missing":
        return "is required"
    if detail["type"] == "extra_forbidden":
        return "is not a known key (check the spelling)"
    value = detail["input"]
    if isinstance(value, str | int | float | bool | date) or value is None:
        return f"{detail['msg']} (got {value!r})"
    return detail["msg"]


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with the same key twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = getattr(key_node, "value", None)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key {key!r} appears twice",
                    key_node.start_mark,
                )
            if isinstance(key, str):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    """A safe dumper that indents lists, writes decimals as numbers and long text as blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def represent_str(self, data: str) -> yaml.ScalarNode:
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    def represent_decimal(self, data: Decimal) -> yaml.ScalarNode:
        text = format(data, "f")
        return self.represent_scalar(
            "tag:yaml.org,2002:float", text if "." in text else f"{text}.0"
        )


_Dumper.add_representer(str, _Dumper.represent_str)
_Dumper.add_representer(Decimal, _Dumper.represent_decimal)
