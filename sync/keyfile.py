"""Files only this process's user may read: the kiosk's identity, central's secrets."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE = 0o600


def write_private(path: Path, text: str, *, replace: bool = True) -> None:
    """Write ``text`` to ``path`` atomically, readable by its owner only (mode 0600).

    With ``replace=False`` an existing file wins and is left as it is.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def secret(path: Path, nbytes: int = 32) -> str:
    """The secret kept in ``path``, made (random, mode 0600) the first time it is asked for."""
    if not path.exists():
        write_private(path, secrets.token_urlsafe(nbytes), replace=False)
    return path.read_text(encoding="utf-8").strip()
