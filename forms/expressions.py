"""The expression language of XLSForm, ODK's subset of XPath, for relevance (skip logic),
constraints, required-if and calculations.

:func:`parse` reads text such as ``${age} >= 18 and selected(${needs}, 'water')`` into an
:class:`~forms.syntax.Expression`, compiled once into small closures; the static checks
at the end serve ``fieldkiosk forms check``. The tree is in :mod:`forms.syntax`, what
values and operators do in :mod:`forms.evaluation`, the functions in :mod:`forms.functions`.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections import deque
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from forms.evaluation import truthy
from forms.functions import FUNCTIONS, pattern_problem
from forms.syntax import (
    POWER,
    PREFIX_POWER,
    Binary,
    Call,
    Current,
    Expression,
    Negate,
    Node,
    Number,
    Reference,
    String,
    walk,
)

__all__ = [
    "CHOICE",
    "Expression",
    "ExpressionError",
    "calculation_cycles",
    "compile_expression",
    "compile_filter",
    "evaluation_order",
    "parse",
    "parse_filter",
    "truthy",
    "undefined_references",
]

MAX_DEPTH = 100
"""How deeply an expression may nest: enough for any form, and safe for Python's stack."""

CHOICE = "_choice_"
"""A choice filter reads the bare name ``region`` (a column of the choice being tested) as
``${_choice_region}``; field names never start with ``_``, so these never clash."""

_WORD_OPERATORS = frozenset({"and", "or", "div", "mod"})
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    |(?P<string>'[^']*'|"[^"]*")
    |(?P<field>\$\{[^\W\d][\w.-]*\})
    |(?P<name>[^\W\d]\w*(?:-[^\W\d]\w*)*)
    |(?P<symbol><=|>=|!=|[=<>+\-*(),.])""",
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """Text that is not a valid expression: what was expected, at which 0-based ``position``."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} (at character {self.position + 1})"


class _Token(NamedTuple):
    kind: str  # number, string, field, name, symbol or end
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionError(_unreadable(text[position]), position)
        if match.lastgroup != "space":
            tokens.append(_Token(str(match.lastgroup), match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _unreadable(char: str) -> str:
    if char == "$":
        return "expected a field reference like ${age}"
    if char in "'\"":
        return f"this text is not closed: expected a {char} to end it"
    return f"unexpected character {char!r}"


def _found(token: _Token) -> str:
    return "found the end" if token.kind == "end" else f"found {token.text!r}"


def _is(token: _Token, symbol: str) -> bool:
    return token.kind == "symbol" and token.text == symbol


class _Parser:
    """A Pratt parser: :data:`~forms.syntax.POWER` says how tightly each operator binds."""

    def __init__(self, text: str, *, columns: bool = False) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0
        #: In a choice filter, a bare name not followed by ``(`` is a column of the choice.
        self.columns = columns

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += token.kind != "end"
        return token

    def expect(self, symbol: str, message: str) -> None:
        token = self.take()
        if not _is(token, symbol):
            raise ExpressionError(f"{message}, {_found(token)}", token.position)

    def expression(self, floor: int = 0) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("the expression is nested too deeply", self.peek().position)
        left = self.prefix()
        while (power := self.infix_power()) > floor:
            left = Binary(self.take().text, left, self.expression(power))
        self.depth -= 1
        return left

    def infix_power(self) -> int:
        token = self.peek()
        if token.kind == "symbol" or (token.kind == "name" and token.text in _WORD_OPERATORS):
            return POWER.get(token.text, 0)
        return 0

    def prefix(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return _number(token)
        if token.kind == "string":
            return String(token.text[1:-1])
        if token.kind == "field":
            return Reference(token.text[2:-1])
        if token.kind == "name" and token.text not in _WORD_OPERATORS:
            if self.columns and not _is(self.peek(), "("):
                return Reference(CHOICE + token.text)
            return self.call(token)
        if _is(token, "."):
            return Current()
        if _is(token, "-"):
            return Negate(self.expression(PREFIX_POWER))
        if _is(token, "("):
            inner = self.expression()
            self.expect(")", f"expected ')' to close the '(' at character {token.position + 1}")
            return inner
        message = "expected a value (${name}, a number, 'text', a function or '(')"
        raise ExpressionError(f"{message}, {_found(token)}", token.position)

    def call(self, name: _Token) -> Call:
        function = FUNCTIONS.get(name.text)
        if not _is(self.peek(), "("):
            if function is not None:
                self.expect("(", f"expected '(' after {name.text}")
            word = name.text
            raise ExpressionError(
                f"unexpected word {word!r}: put text in quotes, like '{word}'", name.position
            )
        if function is None:
            raise ExpressionError(f"unknown function {name.text}()", name.position)
        self.take()
        arguments, positions = self.arguments()
        count = len(arguments)
        if count < function.least or (function.most is not None and count > function.most):
            message = f"{name.text}() takes {_arity(function.least, function.most)}, got {count}"
            raise ExpressionError(message, name.position)
        index = function.pattern
        if index is not None and isinstance(pattern := arguments[index], String):
            problem = pattern_problem(pattern.value)
            if problem:
                raise ExpressionError(problem, positions[index])
        return Call(name.text, tuple(arguments))

    def arguments(self) -> tuple[list[Node], list[int]]:
        arguments: list[Node] = []
        positions: list[int] = []
        if not _is(self.peek(), ")"):
            positions.append(self.peek().position)
            arguments.append(self.expression())
            while _is(self.peek(), ","):
                self.take()
                positions.append(self.peek().position)
                arguments.append(self.expression())
        self.expect(")", "expected ',' or ')' after an argument" if arguments else "expected ')'")
        return arguments, positions


def _number(token: _Token) -> Number:
    value = float(token.text)
    if value == float("inf"):
        raise ExpressionError("this number is too large", token.position)
    return Number(value)


def _arity(least: int, most: int | None) -> str:
    if most is None:
        return f"at least {_arguments(least)}"
    return _arguments(least) if least == most else f"{least} to {most} arguments"


def _arguments(count: int) -> str:
    return {0: "no arguments", 1: "1 argument"}.get(count, f"{count} arguments")


def parse(text: str) -> Expression:
    """The expression ``text`` means; :class:`ExpressionError` says what is wrong and where."""
    return _parse(_Parser(text))


def parse_filter(text: str) -> Expression:
    """The choice filter ``text`` as an expression: :func:`parse`, except that a bare name
    (``region = ${region}``) is a column of the choice being tested, read as
    ``${_choice_region}`` (:data:`CHOICE`); ``name`` is the choice's value. Quoted text,
    ``${...}`` references, function calls and ``and``/``or``/``div``/``mod`` are as in
    any expression. Error positions are in ``text`` as written."""
    return _parse(_Parser(text, columns=True))


def _parse(parser: _Parser) -> Expression:
    root = parser.expression()
    end = parser.peek()
    if end.kind != "end":
        raise ExpressionError(f"expected an operator or the end, {_found(end)}", end.position)
    if max(depth for _, depth in walk(root)) > MAX_DEPTH:
        raise ExpressionError("the expression is nested too deeply", 0)
    return Expression(root)


@functools.lru_cache(maxsize=2048)
def compile_expression(text: str) -> Expression:
    """:func:`parse`, remembered: a form's expressions are parsed once per process."""
    return parse(text)


@functools.lru_cache(maxsize=1024)
def compile_filter(text: str) -> Expression:
    """:func:`parse_filter`, remembered: a field's filter is parsed once per process."""
    return parse_filter(text)


def undefined_references(
    expressions: Mapping[str, Expression], known: AbstractSet[str]
) -> list[tuple[str, str]]:
    """``(owner, name)`` for each ``${name}`` an expression reads that is not in ``known``."""
    return [
        (owner, name)
        for owner, expression in expressions.items()
        for name in sorted(expression.references() - known)
    ]


def calculation_cycles(calculations: Mapping[str, Expression]) -> list[list[str]]:
    """Calculations that depend on themselves, each as a path back to where it starts.

    ``['a', 'b', 'a']`` means ``a`` reads ``b``, which reads ``a``; a self-reference is
    ``['a', 'a']``. Every calculation on a cycle is in at least one path.
    """
    needs = _needs(calculations)
    stuck = set(needs) - set(_topological(needs))
    cycles: list[list[str]] = []
    covered: set[str] = set()
    for name in needs:
        if name in stuck and name not in covered:
            path = _path_back(name, needs, stuck)
            if path:
                cycles.append(path)
                covered.update(path)
    return cycles


def evaluation_order(calculations: Mapping[str, Expression]) -> list[str]:
    """The calculations' names, each after those it reads, otherwise in the given order.

    Raises ``ValueError`` naming a cycle if there is one (see :func:`calculation_cycles`).
    """
    needs = _needs(calculations)
    order = _topological(needs)
    if len(order) < len(needs):
        cycle = calculation_cycles(calculations)[0]
        raise ValueError(f"calculations depend on themselves: {' → '.join(cycle)}")
    return order


def _needs(calculations: Mapping[str, Expression]) -> dict[str, frozenset[str]]:
    return {name: e.references() & calculations.keys() for name, e in calculations.items()}


def _topological(needs: Mapping[str, frozenset[str]]) -> list[str]:
    """Kahn's algorithm, taking the earliest-given ready name first; cycles are left out."""
    names = list(needs)
    rank = {name: index for index, name in enumerate(names)}
    waiting = {name: len(required) for name, required in needs.items()}
    users: dict[str, list[str]] = {name: [] for name in names}
    for name, required in needs.items():
        for need in required:
            users[need].append(name)
    ready = [rank[name] for name in names if waiting[name] == 0]
    order: list[str] = []
    while ready:
        name = names[heapq.heappop(ready)]
        order.append(name)
        for user in users[name]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, rank[user])
    return order


def _path_back(start: str, needs: Mapping[str, frozenset[str]], within: set[str]) -> list[str]:
    """The shortest path from ``start`` through ``within`` back to it, or [] if none."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for need in sorted(needs[name] & within):
            if need == start:
                path = [name]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if need not in previous:
                previous[need] = name
                queue.append(need)
    return []
