"""``?limit=&offset=`` as both the API and the staff list read them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import Request

from sync.problems import INVALID_QUERY, Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int

    @property
    def newer(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset else None

    def older(self, shown: int) -> int | None:
        return self.offset + self.limit if shown == self.limit else None


def from_query(request: Request) -> Paging:
    """The page asked for, or ``invalid_query`` naming the parameter."""
    limit = number(request.query_params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    return Paging(limit, number(request.query_params, "offset", 0, 0, MAX_OFFSET))


def number(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """The whole number ``name`` in the query, or ``invalid_query`` naming it."""
    text = query.get(name)
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise Problem(INVALID_QUERY, name=name, reason=f"a whole number from {low} to {high}")
    return int(text)
