"""The static files both web apps serve: scripts and stylesheets minified as they go out.

The sources in ``static/`` keep their comments for the people who read them; a kiosk's
first load should not carry them (about 2 KB of a 24 KB budget). Minifying is rjsmin's
and rcssmin's job; this only caches the result per file version and answers with it,
with the same ETag, Last-Modified and 304 handling as :class:`StaticFiles`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import rcssmin
import rjsmin
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

MINIFIERS: dict[str, tuple[Callable[[str], str], str]] = {
    ".js": (rjsmin.jsmin, "text/javascript; charset=utf-8"),
    ".css": (rcssmin.cssmin, "text/css; charset=utf-8"),
}


@lru_cache(maxsize=64)
def minified(path: str, version: tuple[int, int]) -> bytes:
    """The file at ``path`` minified; ``version`` (mtime, size) keys the cache, so an
    edited file is read again."""
    minify, _ = MINIFIERS[Path(path).suffix]
    return minify(Path(path).read_text(encoding="utf-8")).encode()


class Assets(StaticFiles):
    """:class:`StaticFiles`, with ``.js`` and ``.css`` minified (but not ``.min.js``,
    vendored files minified by their makers, which go out as they are)."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        suffix = Path(full_path).suffix
        if suffix not in MINIFIERS or Path(full_path).name.endswith(".min" + suffix):
            return super().file_response(full_path, stat_result, scope, status_code)
        # FileResponse works out the ETag and Last-Modified of the file as it is on disk
        headers = FileResponse(full_path, stat_result=stat_result).headers
        if self.is_not_modified(headers, Headers(scope=scope)):
            return NotModifiedResponse(headers)
        body = minified(str(full_path), (stat_result.st_mtime_ns, stat_result.st_size))
        kept = {name: headers[name] for name in ("etag", "last-modified")}
        return Response(body, status_code, kept, media_type=MINIFIERS[suffix][1])
