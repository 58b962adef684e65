"""What a receipt says: every string already translated and formatted by the kiosk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True)
class Receipt:
    """One citizen's receipt.

    The printer lays it out but never translates or formats: ``submitted`` is already a
    date in the citizen's locale, ``lines`` are translated ``(label, value)`` pairs, and
    ``qr`` is the text the QR code encodes (usually the reference).
    """

    reference: str
    service: str
    submitted: str
    lines: list[tuple[str, str]]
    qr: str
    language: str
    direction: Direction
    heading: str

    def __post_init__(self) -> None:
        if self.direction not in ("ltr", "rtl"):
            raise ValueError(f"receipt: direction must be ltr or rtl (got {self.direction!r})")

    def texts(self) -> list[str]:
        """Every string printed as text (the QR content is not text on paper)."""
        pairs = [text for line in self.lines for text in line]
        return [self.heading, self.service, self.reference, *pairs, self.submitted]
