"""Device settings are one string each, ``KIND[:ADDRESS][?KEY=VALUE&...]``; this reads the
options part the same way for every kind of device, and words every mistake the same way:
``DEVICE: problem (got SPEC)``."""

from __future__ import annotations

from collections.abc import Collection
from typing import get_args
from urllib.parse import parse_qsl

from hardware.faults import FaultCode


class SpecOptions(dict[str, str]):
    """The ``KEY=VALUE`` options of one device's setting string."""

    def __init__(self, device: str, spec: str, query: str) -> None:
        self.device, self.spec = device, spec
        try:
            pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
        except ValueError as error:
            raise self.bad(f"options are not KEY=VALUE&... ({error})") from None
        super().__init__(pairs)
        if len(self) != len(pairs):
            raise self.bad("an option is given twice")

    def bad(self, problem: str) -> ValueError:
        return ValueError(f"{self.device}: {problem} (got {self.spec})")

    def only(self, allowed: Collection[str]) -> None:
        unknown = sorted(set(self) - set(allowed))
        if unknown:
            raise self.bad(f"unknown option {unknown[0]!r}")

    def fault(self) -> FaultCode | None:
        """The ``fault=CODE`` a simulated device should rehearse, if any."""
        code = self.get("fault")
        if code is None:
            return None
        if code not in get_args(FaultCode):
            raise self.bad(f"fault must be one of {', '.join(get_args(FaultCode))}")
        return code  # type: ignore[return-value]

    def unknown_kind(self, kind: str, kinds: Collection[str]) -> ValueError:
        return self.bad(f"unknown backend {kind!r}, expected one of {', '.join(kinds)}")
