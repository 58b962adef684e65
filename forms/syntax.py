"""An expression's syntax tree: what each node means, its canonical text and the small
closure it compiles to, so that evaluating an :class:`Expression` never re-reads text.

:mod:`forms.expressions` builds these trees from text; two trees are equal exactly when
their canonical texts are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from forms.evaluation import OPERATORS, Context, negate, read_answer, truthy
from forms.functions import FUNCTIONS

POWER = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
POWER.update({"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6})
"""How tightly each binary operator binds, as in XPath: ``or`` loosest, ``*`` tightest."""
PREFIX_POWER, _ATOM_POWER = 7, 8
Run = Callable[[Context], Any]


@dataclass(frozen=True, slots=True)
class Number:
    value: float

    def compile(self) -> Run:
        value = self.value
        return lambda context: value

    def __str__(self) -> str:
        if self.value.is_integer():
            return str(int(self.value))
        return format(Decimal(repr(self.value)), "f")


@dataclass(frozen=True, slots=True)
class String:
    value: str

    def compile(self) -> Run:
        value = self.value
        return lambda context: value

    def __str__(self) -> str:
        quote = '"' if "'" in self.value else "'"
        return f"{quote}{self.value}{quote}"


@dataclass(frozen=True, slots=True)
class Reference:
    name: str

    def compile(self) -> Run:
        name = self.name
        return lambda context: read_answer(context.answers.get(name))

    def __str__(self) -> str:
        return f"${{{self.name}}}"


@dataclass(frozen=True, slots=True)
class Current:
    def compile(self) -> Run:
        return lambda context: context.current

    def __str__(self) -> str:
        return "."


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node

    def compile(self) -> Run:
        operand = self.operand.compile()
        return lambda context: negate(operand(context))

    def __str__(self) -> str:
        return f"-{_wrap(self.operand, _power(self.operand) < PREFIX_POWER)}"


@dataclass(frozen=True, slots=True)
class Binary:
    operator: str
    left: Node
    right: Node

    def compile(self) -> Run:
        left, right = self.left.compile(), self.right.compile()
        if self.operator == "and":
            return lambda context: truthy(left(context)) and truthy(right(context))
        if self.operator == "or":
            return lambda context: truthy(left(context)) or truthy(right(context))
        apply = OPERATORS[self.operator]
        return lambda context: apply(left(context), right(context))

    def __str__(self) -> str:
        power = POWER[self.operator]
        left = _wrap(self.left, _power(self.left) < power)
        right = _wrap(self.right, _power(self.right) <= power)
        return f"{left} {self.operator} {right}"


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    arguments: tuple[Node, ...]

    def compile(self) -> Run:
        arguments = [argument.compile() for argument in self.arguments]
        function = FUNCTIONS[self.name]
        apply = function.apply
        if self.name == "if":
            test, yes, no = arguments
            return lambda context: yes(context) if truthy(test(context)) else no(context)
        if function.context:
            return lambda context: apply(context)
        if len(arguments) == 1:
            (only,) = arguments
            return lambda context: apply(only(context))
        if len(arguments) == 2:
            first, second = arguments
            return lambda context: apply(first(context), second(context))
        return lambda context: apply(*[argument(context) for argument in arguments])

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(str, self.arguments))})"


Node = Number | String | Reference | Current | Negate | Binary | Call
"""A node of the syntax tree; nodes compare equal when they mean the same text."""


def _power(node: Node) -> int:
    if isinstance(node, Binary):
        return POWER[node.operator]
    return PREFIX_POWER if isinstance(node, Negate) else _ATOM_POWER


def _wrap(node: Node, needed: bool) -> str:
    return f"({node})" if needed else str(node)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Negate):
        return (node.operand,)
    return node.arguments if isinstance(node, Call) else ()


def walk(root: Node) -> Iterator[tuple[Node, int]]:
    """Every node under ``root`` (itself included) with its depth, root at 1."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in _children(node))


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression. Equal expressions have the same canonical text, ``str()``.

    ``evaluate`` never raises for answers of the wrong kind; see :mod:`forms.evaluation`.
    """

    root: Node
    _run: Run = field(init=False, compare=False, repr=False)
    _references: frozenset[str] = field(init=False, compare=False, repr=False)
    _uses_current: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        nodes = [node for node, _ in walk(self.root)]
        object.__setattr__(self, "_run", self.root.compile())
        names = frozenset(node.name for node in nodes if isinstance(node, Reference))
        object.__setattr__(self, "_references", names)
        object.__setattr__(self, "_uses_current", any(isinstance(n, Current) for n in nodes))

    def references(self) -> frozenset[str]:
        """The names of the fields the expression reads, as ``${name}``."""
        return self._references

    def uses_current(self) -> bool:
        """Whether the expression reads the current field's value, ``.`` (in a constraint)."""
        return self._uses_current

    def evaluate(
        self,
        answers: Mapping[str, Any],
        *,
        current: Any = None,
        today: date | None = None,
        now: datetime | None = None,
    ) -> Any:
        """The value for these answers; ``current`` is ``.``; ``today``/``now`` default to
        the clock. Use :func:`truthy` for relevance, constraints and required-if."""
        return self._run(Context(answers, current, today, now))

    def __str__(self) -> str:
        return str(self.root)

    def __repr__(self) -> str:
        return f"Expression({str(self)!r})"
