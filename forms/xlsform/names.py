"""Names: XLSForm's names made into ours, and ``${name}`` references rewritten to match.

Our names are ``^[a-z][a-z0-9_]*$`` and unique in the whole form; XLSForm's are XML
names (``Age``, ``first-name``, ``_id``) unique among their siblings. Every name is made
the same way (:func:`sanitise`), so ``${First-Name}`` in any expression or label becomes
``${first_name}``; two names that end up the same are refused.
"""

from __future__ import annotations

import re
import unicodedata

from forms.xlsform.problems import Problems

_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_NOT_OURS = re.compile(r"[^a-z0-9_]+")


def sanitise(name: str) -> str:
    """``First-Name`` → ``first_name``, ``âge`` → ``age``, ``2nd`` → ``q_2nd``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ours = _NOT_OURS.sub("_", ascii_name.lower()).lstrip("_")
    return ours if ours[:1].isalpha() else f"q_{ours}"


class Names:
    """Each XLSForm name with our name for it, and the names left out of the form."""

    def __init__(self, problems: Problems) -> None:
        self._problems = problems
        self._ours: dict[str, str] = {}
        self._rows: dict[str, int] = {}
        self._originals: dict[str, str] = {}
        self._dropped: dict[str, str] = {}

    def add(self, name: str, row: int) -> str:
        """Our name for ``name`` (on ``row``); a clash with an earlier name is a problem."""
        ours = sanitise(name)
        earlier = self._originals.get(ours)
        if earlier is not None:
            self._problems.add(
                "survey",
                row,
                f"the name {name!r} becomes {ours!r}, which the name {earlier!r} on row"
                f" {self._rows[earlier]} already uses; names must be unique in the whole form",
            )
        else:
            self._originals[ours] = name
            self._rows[name] = row
            self._ours[name] = ours
        return ours

    def drop(self, name: str, why: str) -> None:
        """Remember that ``name`` is not imported (``why``: e.g. "a metadata field")."""
        self._dropped[name] = why

    def __getitem__(self, name: str) -> str:
        return self._ours.get(name, sanitise(name))

    @property
    def mapping(self) -> dict[str, str]:
        """Every XLSForm name with ours, for the names that changed."""
        return {name: ours for name, ours in self._ours.items() if name != ours}

    def rewrite(self, text: str) -> tuple[str, list[str]]:
        """``text`` with each ``${name}`` rewritten, and why any reference cannot be."""
        troubles: list[str] = []

        def swap(match: re.Match[str]) -> str:
            name = match[1]
            if name in self._ours:
                return "${" + self._ours[name] + "}"
            if name in self._dropped:
                troubles.append(f"${{{name}}} refers to {self._dropped[name]}, not imported")
            elif name.startswith("last-saved#"):
                troubles.append(f"${{{name}}}: last-saved references are not supported")
            else:
                troubles.append(f"${{{name}}} refers to no question of this form")
            return match[0]

        return _REFERENCE.sub(swap, text), troubles
