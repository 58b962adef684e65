"""What ``fieldkiosk forms check`` finds in a definition's logic, so that a citizen never
does: expressions that do not parse (with the position), references to fields the form
does not have, calculations that depend on themselves, and choice lists that do not exist.
Choice filters are read as the kiosk reads them (:func:`~forms.expressions.parse_filter`):
their bare names are the choice's columns, not fields.
"""

from __future__ import annotations

from collections.abc import Iterator

from forms.expressions import (
    CHOICE,
    Expression,
    ExpressionError,
    calculation_cycles,
    parse,
    parse_filter,
    undefined_references,
)
from forms.schema import Field, FormDefinition


def problems(definition: FormDefinition) -> Iterator[tuple[str, str]]:
    """``(location, message)`` for every logic error in ``definition``."""
    parsed: dict[str, Expression] = {}
    calculations: dict[str, Expression] = {}
    for path, item in definition.items():
        for key in ("relevant", "required_if", "constraint", "calculation", "choice_filter"):
            text = getattr(item, key, None)
            if text is None:
                continue
            try:
                expression = parse_filter(text) if key == "choice_filter" else parse(text)
            except ExpressionError as error:
                yield f"{path}.{key}", f"{error} in {text!r}"
                continue
            parsed[f"{path}.{key}"] = expression
            if key == "calculation":
                calculations[item.name] = expression
        if isinstance(item, Field):
            yield from _choice_list(definition, path, item)
    known = {item.name for _, item in definition.items()}
    for owner, name in undefined_references(parsed, known):
        if owner.endswith(".choice_filter") and name.startswith(CHOICE):
            continue  # a column of the choice, written bare in the filter
        yield owner, f"refers to ${{{name}}}, which this form does not have"
    for cycle in calculation_cycles(calculations):
        yield "fields", "calculations depend on themselves: " + " -> ".join(cycle)


def _choice_list(definition: FormDefinition, path: str, field: Field) -> Iterator[tuple[str, str]]:
    if field.choice_list is not None and field.choice_list not in definition.choice_lists:
        yield f"{path}.choice_list", f"there is no choice list called {field.choice_list!r}"
