"""The pages' static files under ``/static``: HTML, styles and the ES modules of the desktop
and the admin page (``static/shared``, ``static/desktop``, ``static/admin``)."""

from __future__ import annotations

import os
from pathlib import PurePath

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

# Fixed, not guessed from the host's MIME table (some map .js to text/plain): a browser runs
# an ES module only when it is served as JavaScript, and `nosniff` forbids it to guess.
MEDIA_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}


class StaticAssets(StaticFiles):
    """StaticFiles that serves each file with the media type of its extension and
    ``cache-control: no-cache`` (the browser revalidates with the ETag on every load, so after
    an upgrade a page never runs old and new modules together; unchanged files cost a 304)."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = FileResponse(
            full_path,
            status_code=status_code,
            stat_result=stat_result,
            media_type=MEDIA_TYPES.get(PurePath(full_path).suffix.lower()),
            headers={"cache-control": "no-cache"},
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response
