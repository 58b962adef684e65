"""``?limit=&offset=`` as both the API and the staff list read them."""

from __future__ import annotations

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
    limit = _number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    return Paging(limit, _number(request, "offset", 0, 0, MAX_OFFSET))


def _number(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise Problem(INVALID_QUERY, name=name, reason=f"a whole number from {low} to {high}")
    return int(text)
