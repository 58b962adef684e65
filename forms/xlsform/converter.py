"""The converter's shared tools: text in our languages, expressions with our names, and
where each problem is (sheet, row and what it belongs to)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from forms.expressions import ExpressionError, parse
from forms.xlsform.languages import Languages, Text
from forms.xlsform.names import Names
from forms.xlsform.problems import Problems

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_UNSUPPORTED = (
    (re.compile(r"\bpulldata\s*\("), "pulldata() (data from a CSV file) is not supported"),
    (re.compile(r"\binstance\s*\("), "instance() lookups are not supported"),
    (re.compile(r"\bjr:choice-name\s*\("), "jr:choice-name() is not supported"),
    (re.compile(r"\.\.|/"), "XPath paths such as ../name are not supported; write ${name}"),
)


class At(NamedTuple):
    """Where something is: a sheet, a row (None: made by pyxform) and what it is."""

    sheet: str
    row: int | None
    owner: str

    def say(self, message: str) -> str:
        return f"{message} ({self.owner})"


class Converter:
    """Turns pyxform's text and expressions into ours, recording every problem."""

    def __init__(self, languages: Languages, names: Names, problems: Problems) -> None:
        self.languages = languages
        self.names = names
        self.problems = problems

    def refuse(self, at: At, message: str) -> None:
        self.problems.add(at.sheet, at.row, at.say(message))

    def note(self, at: At, message: str) -> None:
        self.problems.note(at.sheet, at.row, at.say(message))

    def text(self, value: Any, at: At, what: str) -> Text | None:
        """pyxform's text as ours, references rewritten; it must have default-language text."""
        text = self.languages.text(value)
        if text is None:
            return None
        if not self.languages.has_default(text):
            self.refuse(at, f"the {what} has no text in the default language")
        if isinstance(text, str):
            return self._words(text, at, what)
        return {code: self._words(words, at, what) for code, words in text.items()}

    def _words(self, words: str, at: At, what: str) -> str:
        rewritten, troubles = self.names.rewrite(words)
        for trouble in troubles:
            self.refuse(at, f"{trouble} in the {what}")
        return rewritten

    def expression(self, text: str, at: At, column: str, *, check: bool = True) -> str:
        """An expression with our names; ``check``: our expression language must read it."""
        text = str(text).strip()
        bare = _QUOTED.sub("''", text)
        before = len(self.problems.found)
        for pattern, message in _UNSUPPORTED:
            if pattern.search(bare):
                self.refuse(at, f"{message} in the {column}")
        rewritten = self._words(text, at, column)
        if check and len(self.problems.found) == before:
            try:
                parse(rewritten)
            except ExpressionError as error:
                self.refuse(at, f"the {column} {text!r} cannot be used: {error}")
        return rewritten
