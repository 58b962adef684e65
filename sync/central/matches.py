"""Possible duplicates: cases that look like the same person or household
(``PROTOCOL.md``, "Duplicates").

Central keeps, for every case of a type that declares ``identity`` fields, those fields'
values in ``case_identities`` (:func:`remember`, on every save), indexed so that looking
costs the same with a hundred cases or a million. When a case is created, it is matched
against the others of its type, not merged into a third: the same national ID (spaces,
dashes, dots and slashes aside), or a close name (``rapidfuzz``'s token sort ratio of
the names, case and accents aside, at least :data:`NAME_SIMILARITY`) with the same date
of birth and place. Each match is queued for a supervisor (:mod:`sync.central.duplicates`);
nothing is ever merged automatically.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from rapidfuzz import fuzz

from forms.cases import CaseType

#: How alike two names must be, in percent, to queue the pair.
NAME_SIMILARITY = 90.0
_ID_SEPARATORS = str.maketrans("", "", " -./")


class Marks(NamedTuple):
    """What tells a case apart, as ``case_identities`` keeps it (national ID compacted)."""

    national_id: str | None
    name: str | None
    born: str | None
    place: str | None


def marks(case_type: CaseType, fields: Mapping[str, Any]) -> Marks:
    """The identity values of ``fields``, by the case type's ``identity`` spec."""
    identity = case_type.identity

    def text(key: str | None) -> str | None:
        value = fields.get(key) if key else None
        return (value.strip() or None) if isinstance(value, str) else None

    if identity is None:
        return Marks(None, None, None, None)
    national_id = text(identity.national_id)
    return Marks(
        (national_id.translate(_ID_SEPARATORS).lower() or None) if national_id else None,
        text(identity.name),
        text(identity.date_of_birth),
        text(identity.place),
    )


def remember(
    conn: sqlite3.Connection,
    case_id: str,
    type_name: str,
    case_type: CaseType,
    fields: Mapping[str, Any],
) -> None:
    """Keep the identity values of a case (of ``case_type``, called ``type_name``) as
    they are now; call in the saving transaction."""
    if case_type.identity is None:
        return
    conn.execute(
        "INSERT INTO case_identities (case_id, type, national_id, name, born, place)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET"
        " national_id = excluded.national_id, name = excluded.name, born = excluded.born,"
        " place = excluded.place",
        (case_id, type_name, *marks(case_type, fields)),
    )


def forget(conn: sqlite3.Connection, case_id: str) -> None:
    """A case merged into another is no longer matched against."""
    conn.execute("DELETE FROM case_identities WHERE case_id = ?", (case_id,))


def look_for(
    conn: sqlite3.Connection,
    case_ids: Iterable[str],
    case_types: Mapping[str, CaseType],
    stamp: str,
) -> None:
    """Queue every match of each newly created case (``case_ids``, in the order they were
    created); call inside the creating transaction. A pair is the older case, then the
    newer."""
    later = list(case_ids)
    while later:
        case_id = later.pop(0)
        row = conn.execute(
            "SELECT type, national_id, name, born, place FROM case_identities WHERE case_id = ?",
            (case_id,),
        ).fetchone()
        if row is None or row["type"] not in case_types:
            continue
        for other, reason, score in find(conn, row["type"], case_id, Marks(*tuple(row)[1:])):
            if other in later:
                continue  # created after it in the same push: found from the other side
            conn.execute(
                "INSERT INTO duplicates (type, case_a, case_b, reason, score, found_at)"
                " SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM duplicates"
                "  WHERE (case_a = ? AND case_b = ?) OR (case_a = ? AND case_b = ?))",
                (row["type"], other, case_id, reason, score, stamp)
                + (other, case_id, case_id, other),
            )


def find(
    conn: sqlite3.Connection, type_name: str, case_id: str, mine: Marks
) -> list[tuple[str, str, float]]:
    """The other cases of ``type_name`` that a case with ``mine`` may be another record
    of, the oldest first, each with why (``national_id`` or ``name_dob_place``) and how
    sure (a percentage)."""
    if mine.national_id is None and mine.born is None:
        return []
    rows = conn.execute(
        "SELECT i.case_id, i.national_id, i.name, i.born, i.place FROM case_identities AS i"
        " JOIN cases AS c ON c.id = i.case_id WHERE i.case_id != :id AND i.case_id IN"
        " (SELECT case_id FROM case_identities WHERE type = :type AND national_id = :national_id"
        "  UNION SELECT case_id FROM case_identities WHERE type = :type AND born = :born)"
        " ORDER BY c.created_at, c.id",
        {"id": case_id, "type": type_name, "national_id": mine.national_id, "born": mine.born},
    )
    found = []
    for row in rows:
        theirs = Marks(*tuple(row)[1:])
        if mine.national_id is not None and theirs.national_id == mine.national_id:
            found.append((row["case_id"], "national_id", 100.0))
            continue
        score = _alike(mine, theirs)
        if score is not None:
            found.append((row["case_id"], "name_dob_place", score))
    return found


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0 to 100: word order, case and accents do not count."""
    return float(fuzz.token_sort_ratio(plain(a), plain(b), processor=None))


def plain(text: str) -> str:
    """``text`` casefolded, without accents, its spaces collapsed: ``"Zoë  Ögün"`` is
    ``"zoe ogun"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def _alike(mine: Marks, theirs: Marks) -> float | None:
    """The names' similarity when they are close and the birth date and place the same."""
    if not (mine.name and theirs.name and mine.place and theirs.place and mine.born):
        return None
    if mine.born != theirs.born or plain(mine.place) != plain(theirs.place):
        return None
    score = similarity(mine.name, theirs.name)
    return round(score, 1) if score >= NAME_SIMILARITY else None
