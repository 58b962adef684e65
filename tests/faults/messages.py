"""HTTP/1.1 messages read just far enough to know where each ends: the head, then a body
of ``Content-Length`` bytes, in chunks, or up to the end of the connection."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

NO_BODY = (204, 304)


@dataclass(frozen=True)
class Message:
    """The start line, the headers (names in lower case), and the message's bytes exactly as
    they crossed, the body starting at ``body_at``."""

    start: str
    headers: dict[str, str]
    raw: bytes
    body_at: int

    @property
    def keep_alive(self) -> bool:
        return "HTTP/1.1" in self.start and self.headers.get("connection", "").lower() != "close"


async def read_message(reader: asyncio.StreamReader, method: str | None) -> Message | None:
    """A request (``method`` None) or the response to ``method``; None on a clean end."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if error.partial:
            raise
        return None
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _chunked(reader)
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif method is None or method == "HEAD" or int(lines[0].split(" ")[1]) in NO_BODY:
        body = b""
    else:
        body = await reader.read()  # delimited by the end of the connection
        headers["connection"] = "close"
    return Message(lines[0], headers, head + body, len(head))


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        line = await reader.readuntil(b"\r\n")
        parts.append(line)
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            while (trailer := await reader.readuntil(b"\r\n")) != b"\r\n":
                parts.append(trailer)
            parts.append(trailer)
            return b"".join(parts)
        parts.append(await reader.readexactly(size + 2))
