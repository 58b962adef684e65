"""Scripts and stylesheets go out minified, with the caching answers of any static file."""

from __future__ import annotations

import os
import time

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from kiosk.app import STATIC
from sync.assets import Assets


@pytest.mark.parametrize("name", ["kiosk.js", "keyboard.js", "kiosk.css"])
def test_scripts_and_styles_lose_their_comments_not_their_code(client, name):
    source = (STATIC / name).read_text()
    served = client.get(f"/static/{name}")
    assert served.status_code == 200
    assert "/*" in source and "/*" not in served.text
    assert len(served.content) < 0.85 * len(source.encode())
    if name.endswith(".js"):
        assert served.headers["content-type"].startswith("text/javascript")
        assert "addEventListener" in served.text
    else:
        assert served.headers["content-type"].startswith("text/css")
        assert ".keyboard" in served.text


def test_a_minified_file_revalidates_and_changes_when_its_source_does(client, tmp_path):
    served = client.get("/static/kiosk.js")
    again = client.get("/static/kiosk.js", headers={"if-none-match": served.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/static/missing.js").status_code == 404
    assert client.get("/static/faces/1.svg").text.lstrip().startswith("<svg")
    htmx = next(STATIC.glob("htmx-*.min.js"))
    assert client.get(f"/static/{htmx.name}").content == htmx.read_bytes()  # as its makers made it

    script = tmp_path / "app.js"
    script.write_text("/* one */\nvar a = 1;\n")
    with TestClient(Starlette(routes=[Mount("/s", Assets(directory=tmp_path))])) as own:
        first = own.get("/s/app.js")
        assert first.text == "var a=1;"
        script.write_text("/* two */\nvar bb = 22;\n")
        os.utime(script, ns=(time.time_ns() + 10**9,) * 2)
        second = own.get("/s/app.js")
        assert second.text == "var bb=22;"
        assert second.headers["etag"] != first.headers["etag"]
