"""Importing one XLSForm: read it with pyxform, convert it, check it against our schema,
and, for ``fieldkiosk forms import``, write it as ``<id>.yaml``."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from forms.library import dump_definition, error_location, load_definition
from forms.schema import FormDefinition
from forms.xlsform.converter import Converter
from forms.xlsform.elements import register
from forms.xlsform.languages import Languages
from forms.xlsform.names import Names
from forms.xlsform.problems import Problems, XLSFormRefused
from forms.xlsform.survey import Survey
from forms.xlsform.workbook import read_workbook

DEFAULT_VERSION = "1"
_PROBLEMS = {True: "problem", False: "problems"}


class Imported(NamedTuple):
    """An imported form, what was left out on purpose, and the names that changed."""

    definition: FormDefinition
    notes: list[str]
    renamed: dict[str, str]


def import_xlsform(path: Path | str, *, language: str = "en") -> FormDefinition:
    """The form definition for the XLSForm at ``path``; :class:`XLSFormRefused` lists
    everything it uses that we cannot. ``language``: the code of text in columns
    without a language (``label`` rather than ``label::French (fr)``)."""
    return read_xlsform(path, language=language).definition


def read_xlsform(path: Path | str, *, language: str = "en") -> Imported:
    """:func:`import_xlsform`, with the notes and renamed names."""
    path = Path(path)
    problems = Problems()
    form = read_workbook(path, problems)
    names = Names(problems)
    languages = Languages(form, language, problems)
    register(form.get("children") or [], names)
    survey = Survey(form, Converter(languages, names, problems))
    fields = survey.fields()
    if not fields:
        problems.add("survey", None, "there is no question that can be imported")
    data = _settings(form, path, languages, problems)
    if survey.choice_lists.used:
        data["choice_lists"] = survey.choice_lists.used
    data["fields"] = fields
    problems.refuse()
    return Imported(_validate(data), problems.notes, names.mapping)


def _settings(form: dict, path: Path, languages: Languages, problems: Problems) -> dict:
    title = str(form.get("title") or path.stem).strip()
    version = str(form.get("version") or "").strip()
    if not version:
        version = DEFAULT_VERSION
        problems.note("settings", None, f"no version; using {DEFAULT_VERSION}")
    return {
        "id": slug(str(form.get("id_string") or path.stem)),
        "version": version,
        "default_language": languages.default,
        "languages": languages.codes,
        "title": languages.plain(title),
        "description": languages.plain(str(form.get("description") or title).strip()),
    }


def slug(text: str) -> str:
    """A form id as ours: ``Cascading_Selects1`` → ``cascading-selects1``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return found if found[:1].isalpha() else f"form-{found}".rstrip("-")


def _validate(data: dict[str, Any]) -> FormDefinition:
    try:
        return FormDefinition.model_validate(data)
    except ValidationError as error:
        raise XLSFormRefused(
            [
                f"the converted form does not fit our schema: {error_location(d)}: {d['msg']}"
                for d in error.errors()
            ]
        ) from None


def main_import(path: Path | str, out_dir: Path | str = ".", *, language: str = "en") -> int:
    """``fieldkiosk forms import``: write ``<out_dir>/<id>.yaml``; 0 done, 1 refused."""
    source = Path(path)
    try:
        imported = read_xlsform(source, language=language)
    except XLSFormRefused as refused:
        for problem in refused.problems:
            print(f"{source.name}: {problem}", file=sys.stderr)
        count = len(refused.problems)
        print(f"{source.name}: not imported ({count} {_PROBLEMS[count == 1]})", file=sys.stderr)
        return 1
    target = Path(out_dir) / f"{imported.definition.id}.yaml"
    if target.exists():
        print(f"{target}: already exists; remove it or choose another --out", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_definition(imported.definition), encoding="utf-8")
    load_definition(target)  # what we wrote reads back
    _report(source, target, imported)
    return 0


def _report(source: Path, target: Path, imported: Imported) -> None:
    for note in imported.notes:
        print(f"{source.name}: {note}", file=sys.stderr)
    for old, new in imported.renamed.items():
        print(f"{source.name}: renamed {old!r} to {new!r}", file=sys.stderr)
    definition = imported.definition
    print(
        f"{source.name}: imported as {target} ({len(definition.all_fields())} fields;"
        f" languages {', '.join(definition.languages)})"
    )
