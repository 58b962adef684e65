"""Fill catalogues from a JSON file of translations, for maintainers adding strings.

    python -m locales.fill NEW.json

``NEW.json`` maps each English message id to its translations::

    {"Assisted by %(name)s": {"fr": "Aidé par %(name)s", "es": "…", "pt": "…",
                              "sw": "…", "ar": "…"}}

Plural messages take a list per language (one string per plural form). The command
extracts and updates the catalogues first (as ``make translations`` does), fills the
entries, refuses a translation whose placeholders differ from the English, and
compiles. It holds a lock on ``locales/`` so two people filling at once do not undo
each other.
"""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from locales import DIRECTORY, DOMAIN, LANGUAGES

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def fill(entries: dict[str, dict[str, str | list[str]]]) -> list[str]:
    """Write ``entries`` into every catalogue; the problems found (nothing written then)."""
    problems = []
    for msgid, by_language in entries.items():
        for language in LANGUAGES:
            if language == "en":
                continue
            text = by_language.get(language)
            if not text:
                problems.append(f"{msgid!r}: no {language} translation")
                continue
            for one in [text] if isinstance(text, str) else text:
                if _placeholders(one) != _placeholders(msgid):
                    problems.append(f"{msgid!r}: {language} placeholders differ: {one!r}")
    if problems:
        return problems
    for language in LANGUAGES:
        path = DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        with path.open("rb") as file:
            catalogue = read_po(file, locale=language)
        for message in catalogue:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key not in entries:
                continue
            if language == "en":
                message.string = tuple(message.id) if isinstance(message.id, tuple) else message.id
            else:
                text = entries[key][language]
                if isinstance(message.id, tuple):
                    forms = [text] if isinstance(text, str) else text
                    count = catalogue.num_plurals
                    message.string = (
                        tuple((forms * count)[:count]) if len(forms) < count else tuple(forms)
                    )
                else:
                    message.string = text if isinstance(text, str) else text[0]
            message.flags.discard("fuzzy")
        with path.open("wb") as file:
            write_po(file, catalogue, width=100, omit_header=False)
    return []


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    entries = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    with (DIRECTORY / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(["make", "-s", "translations"], check=True, cwd=DIRECTORY.parent)
        problems = fill(entries)
        subprocess.run(["make", "-s", "translations-compiled"], check=True, cwd=DIRECTORY.parent)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
