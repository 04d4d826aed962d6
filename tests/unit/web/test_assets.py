"""/static (web/assets.py): every script of the pages is served as JavaScript whatever the
host's MIME table says (browsers run ES modules only then), and revalidated on every load."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from wwe_host.web.app import DEMO, STATIC, build_demo
from wwe_host.web.assets import StaticAssets

SCRIPTS = sorted(p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*.js"))


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Mount("/static", StaticAssets(directory=STATIC))])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def test_the_pages_modules_are_in_their_folders() -> None:
    for folder in ("shared", "desktop", "admin"):
        assert any(name.startswith(f"{folder}/") for name in SCRIPTS), folder
    assert "desktop/main.js" in SCRIPTS
    assert "admin/main.js" in SCRIPTS


@pytest.mark.parametrize("name", SCRIPTS)
async def test_every_script_is_javascript_and_revalidated(
    http: httpx.AsyncClient, name: str
) -> None:
    response = await http.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.content == (STATIC / name).read_bytes()
    again = await http.get(f"/static/{name}", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["cache-control"] == "no-cache"


async def test_a_host_that_maps_js_to_text_plain_changes_nothing(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What Starlette's own StaticFiles would send on such a host (a Windows registry entry
    # does this): the browser then refuses to run the module.
    monkeypatch.setattr(
        "starlette.responses.guess_type", lambda *args, **kwargs: ("text/plain", None)
    )
    response = await http.get("/static/desktop/main.js")
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    style = await http.get("/static/desktop.css")
    assert style.headers["content-type"] == "text/css; charset=utf-8"


async def test_a_missing_file_is_not_found(http: httpx.AsyncClient) -> None:
    assert (await http.get("/static/desktop/nothing.js")).status_code == 404


def test_html_pages_load_existing_modules() -> None:
    for page in (*STATIC.glob("*.html"), *DEMO.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for source in _module_sources(text):
            if source.startswith("/static/"):
                assert (STATIC / source.removeprefix("/static/")).is_file(), (page, source)
            else:
                assert (DEMO / source.lstrip("/")).is_file(), (page, source)


def _module_sources(html: str) -> list[str]:
    marker = '<script type="module" src="'
    return [part.split('"', 1)[0] for part in html.split(marker)[1:]]


async def test_the_demo_app_module_is_served_the_same_way() -> None:
    transport = httpx.ASGITransport(app=build_demo())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/demo.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
