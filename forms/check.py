"""Checking a directory of form definitions before kiosks use it.

Backs ``fieldkiosk forms check``: every problem is a :class:`Finding` that prints as
``file: location: message``. Errors make a definition unusable; warnings (a missing
translation, a file name that does not match the form id) do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from forms import logic
from forms.cases import CaseType, case_type_files, load_case_type
from forms.errors import DefinitionError
from forms.library import DEFAULT_DIRECTORY, SUFFIX, definition_files, load_definition
from forms.reference_lists import LIST_DIRECTORY, load_lists
from forms.schema import FormDefinition
from forms.text import YES_NO

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem in one file; ``location`` is a path such as ``fields.3.choices``."""

    file: str
    location: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.location, self.message) if part)


def check_directory(path: Path | str = DEFAULT_DIRECTORY) -> list[Finding]:
    """Every problem in the definitions of a directory, file by file in name order."""
    path = Path(path)
    if not path.is_dir():
        return [Finding(str(path), "", "is not a directory")]
    files = definition_files(path)
    if not files:
        return [Finding(str(path), "", f"has no form definitions (*{SUFFIX})", "warning")]
    case_types, findings = _check_case_types(path)
    lists, list_findings = _check_lists(path)
    findings += list_findings
    owners: dict[str, str] = {}
    for file in files:
        findings += _check_file(file, owners, case_types, lists)
    return findings


def check_definition(definition: FormDefinition, file: str) -> list[Finding]:
    """The warnings about a definition that loaded: translations and naming."""
    findings = []
    if file and file != f"{definition.id}{SUFFIX}":
        message = f"{definition.id!r} does not match the file name {file!r}"
        findings.append(Finding(file, "id", message, "warning"))
    for location, message in _translation_gaps(definition):
        findings.append(Finding(file, location, message, "warning"))
    return findings


def _check_file(
    file: Path,
    owners: dict[str, str],
    case_types: dict[str, CaseType] | None,
    lists: set[str] | None = None,
) -> list[Finding]:
    try:
        definition = load_definition(file)
    except DefinitionError as error:
        return [Finding(error.file, location, message) for location, message in error.problems]
    findings = [Finding(file.name, where, what) for where, what in logic.problems(definition)]
    if case_types is not None:
        findings += [
            Finding(file.name, where, what) for where, what in _case(definition, case_types)
        ]
    findings += check_definition(definition, file.name)
    for path, item in definition.items():
        name = getattr(item, "choices_from", None)
        if name is not None and lists is not None and name not in lists:
            message = (
                f"the reference list {name!r} is not in {LIST_DIRECTORY}/{name}.csv: kiosks"
                " offer this form only once central publishes it"
            )
            findings.append(Finding(file.name, f"{path}.choices_from", message, "warning"))
    if definition.id in owners:
        message = f"{definition.id!r} is already used by {owners[definition.id]}"
        findings.insert(0, Finding(file.name, "id", message))
    else:
        owners[definition.id] = file.name
    return findings


def _check_lists(path: Path) -> tuple[set[str] | None, list[Finding]]:
    """The names of the reference lists ``path/lists/`` ships, or None (and the problem)
    when one cannot be read."""
    try:
        return set(load_lists(path)), []
    except DefinitionError as error:
        return None, [Finding(error.file, where, what) for where, what in error.problems]


def _check_case_types(path: Path) -> tuple[dict[str, CaseType] | None, list[Finding]]:
    """The case types in ``path/cases/`` and the problems with them; no types (None) when
    a file could not be read, so that forms are not blamed for naming it."""
    types: dict[str, CaseType] = {}
    owners: dict[str, str] = {}
    findings: list[Finding] = []
    for file in case_type_files(path):
        try:
            case_type = load_case_type(file)
        except DefinitionError as error:
            findings += [Finding(error.file, where, what) for where, what in error.problems]
            continue
        label = f"{file.parent.name}/{file.name}"
        if case_type.name in types:
            message = f"{case_type.name!r} is already used by {owners[case_type.name]}"
            findings.append(Finding(label, "name", message))
        elif file.name != f"{case_type.name}{SUFFIX}":
            message = f"{case_type.name!r} does not match the file name {file.name!r}"
            findings.append(Finding(label, "name", message, "warning"))
        types.setdefault(case_type.name, case_type)
        owners.setdefault(case_type.name, label)
    return (None if any(f.severity == "error" for f in findings) else types), findings


def _case(definition: FormDefinition, case_types: dict[str, CaseType]) -> list[tuple[str, str]]:
    """A form's ``case:`` block against the case types: the type and its fields exist."""
    if definition.case is None:
        return []
    case_type = case_types.get(definition.case.type)
    if case_type is None:
        return [("case.type", f"there is no case type called {definition.case.type!r}")]
    return [
        (f"case.fields.{name}", f"the {case_type.name} case type has no field called {name!r}")
        for name in definition.case.fields
        if name not in case_type.fields
    ]


def _translation_gaps(definition: FormDefinition) -> list[tuple[str, str]]:
    languages, default = definition.languages, definition.default_language
    gaps = []
    for location, text in definition.texts():
        missing = text.missing(languages, default)
        if missing:
            gaps.append((location, f"has no text in {_codes(missing)}"))
        unknown = [code for code in text.written_in(default) if code not in languages]
        if unknown:
            gaps.append((location, f"has text in {_codes(unknown)}, which languages does not list"))
    for index, field in enumerate(definition.fields):
        unknown = YES_NO[True].missing(languages, default) if field.type == "yes_no" else []
        if unknown:
            gaps.append((f"fields.{index}.type", f"yes_no has no words for {_codes(unknown)}"))
    return gaps


def _codes(languages: list[str]) -> str:
    return ", ".join(repr(code) for code in languages)
