"""The ASGI application: login, the desktop page and its WebSocket, the client library,
health; and the demo app on its own port (its own origin).

``create_app`` builds one app that serves both ports: uvicorn listens on two sockets and
the request's local port picks the site, so one process and one event loop host both.
"""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from ..engine import AuthError, Engine
from ..errors import ApiError
from ..security.logins import LoginThrottled
from . import doors, metrics, rest
from .assets import StaticAssets
from .desktop_hub import DesktopHub
from .desktop_socket import desktop_socket
from .desktop_ws import SESSION_COOKIE
from .headers import SecurityHeaders, desktop_csp
from .health import health_response

log = logging.getLogger("wwe_host.web")

STATIC = Path(__file__).parent / "static"
DEMO = Path(__file__).parent / "demo"
LIBRARY = "wwe-service-client-api.js"
DECLARATIONS = "wwe-service-client-api.d.ts"
MAX_LOGIN_BODY = 16 * 1024


async def http_error(request: Request, problem: Exception) -> Response:
    """Errors under /api/v1 are JSON like every other API answer; pages keep plain text.
    A 405 always says in ``Allow`` which methods the path takes."""
    assert isinstance(problem, HTTPException)
    headers = {name.lower(): value for name, value in (problem.headers or {}).items()}
    if problem.status_code == 405:
        headers.setdefault("allow", "GET, HEAD")  # StaticFiles refuses other methods without one
    if request.url.path.startswith("/api/v1"):
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(problem.status_code, "ERROR")
        message = (
            f"No API endpoint at {request.url.path}."
            if problem.status_code == 404
            else f"{request.method} is not allowed on {request.url.path}."
        )
        return rest.error_response(problem.status_code, code, message, headers)
    return PlainTextResponse(str(problem.detail), status_code=problem.status_code, headers=headers)


def _library(request: Request) -> Response:
    name = DECLARATIONS if request.url.path.endswith(".d.ts") else LIBRARY
    media = "application/typescript" if name == DECLARATIONS else "text/javascript"
    response = FileResponse(STATIC / name, media_type=media)
    # Third-party pages of any origin load it with a plain <script> tag.
    response.headers["cross-origin-resource-policy"] = "cross-origin"
    response.headers["access-control-allow-origin"] = "*"
    return response


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def _session_of(request: Request) -> Any:
    token = request.cookies.get(SESSION_COOKIE)
    engine = _engine(request)
    await engine.catch_up(token)
    return engine.session_for_token(token) if token else None


# Where a login may lead back to (`/?next=/admin`): these pages only, never a URL from the
# query string as such (no open redirect).
NEXT_PAGES = ("/desktop", "/admin")


def next_page(value: str | None) -> str:
    """The page to go to after the login: ``value`` if it is one of ours, else the desktop."""
    return value if value in NEXT_PAGES else "/desktop"


async def login_page(request: Request) -> Response:
    wanted = next_page(request.query_params.get("next"))
    if await _session_of(request) is not None:
        return RedirectResponse(wanted, status_code=303)
    if wanted == "/desktop":
        return FileResponse(STATIC / "login.html", media_type="text/html")
    # The form post without scripts comes back to the same page (login.js reads `next` too).
    text = (STATIC / "login.html").read_text(encoding="utf-8")
    action = 'action="/api/v1/login"'
    return HTMLResponse(text.replace(action, f'action="/api/v1/login?next={wanted}"', 1))


async def desktop_page(request: Request) -> Response:
    if await _session_of(request) is None:
        return RedirectResponse("/", status_code=303)
    response = FileResponse(STATIC / "desktop.html", media_type="text/html")
    response.headers["cache-control"] = "no-store"
    return response


async def admin_page(request: Request) -> Response:
    """The admin page (simulator.md): ROLE_ADMIN sessions only. Not logged in: to the
    login page, which comes back here after the login; logged in without the role: 403
    with a short explanation. The configured queues go into the page's list of
    destinations (at once, without waiting for the page's first GET /api/v1/queues)."""
    session = await _session_of(request)
    if session is None:
        return RedirectResponse("/?next=/admin", status_code=303)
    config = _engine(request).config
    agent = config.agents.get(session.username)
    if agent is None or rest.ADMIN_ROLE not in agent.roles:
        user = html.escape(session.username)
        page = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            "<title>Forbidden \u2013 wwe-host admin</title></head><body>"
            "<h1>403 Forbidden</h1>"
            f"<p>The admin page needs {rest.ADMIN_ROLE}; user '{user}' does not have it.</p>"
            '<p><a href="/desktop">Back to the desktop</a></p></body></html>\n'
        )
        return HTMLResponse(page, status_code=403, headers={"cache-control": "no-store"})
    options = "".join(
        f'<option value="queue:{html.escape(name)}">queue {html.escape(name)}</option>'
        for name in sorted(config.queues)
    )
    text = (STATIC / "admin.html").read_text(encoding="utf-8")
    return HTMLResponse(
        text.replace("<!-- queue options -->", options), headers={"cache-control": "no-store"}
    )


async def login(request: Request) -> Response:
    engine = _engine(request)
    refused = doors.check_origin(engine, doors.LOGIN, request.headers.get("origin"))
    if refused is not None:
        return rest.error_response(403, "FORBIDDEN", refused)
    body = await request.body()
    if len(body) > MAX_LOGIN_BODY:
        return rest.error_response(413, "INVALID_PARAMETER", "The login request is too large.")
    form = "application/x-www-form-urlencoded" in request.headers.get("content-type", "")
    try:
        credentials = rest.read_login(body, form=form)
    except rest.RestError as bad:
        return rest.error_response(bad.status, bad.code, bad.message)
    username, password = credentials.username, credentials.password
    address = request.client.host if request.client else None
    try:
        token, session = await engine.login(username, password, address=address)
    except (AuthError, LoginThrottled) as refused:
        if form:
            back = next_page(request.query_params.get("next"))
            again = "" if back == "/desktop" else f"&next={back}"
            return RedirectResponse(f"/?error=login{again}#login-failed", status_code=303)
        if isinstance(refused, LoginThrottled):
            busy = rest.error_response(429, "TOO_MANY_ATTEMPTS", str(refused))
            busy.headers["retry-after"] = str(refused.retry_after)
            return busy
        return rest.error_response(401, "UNAUTHORIZED", str(refused))
    except ApiError as refused:  # the store cannot write: no session was opened
        return rest.error_response(
            rest.status_of(refused.code), refused.code.value, refused.message
        )
    response: Response
    if form:
        response = RedirectResponse(next_page(request.query_params.get("next")), status_code=303)
    else:
        response = JSONResponse({"agent": engine.agent_view(session.username)})
    secure = engine.config.server.public_url.startswith("https:")
    # SameSite=Lax, not Strict: Strict does not stop same-site pages (the doors' origin
    # check does) and would break arriving from a link (docs/architecture.md, "Doors").
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/"
    )
    return response


async def logout(request: Request) -> Response:
    engine = _engine(request)
    token = request.cookies.get(SESSION_COOKIE)
    await engine.catch_up(token)
    session = engine.session_for_token(token, touch=False) if token else None
    refused = doors.check_origin(engine, doors.LOGOUT, request.headers.get("origin"), session)
    if refused is not None:
        return rest.error_response(403, "FORBIDDEN", refused)
    if session is not None:
        try:
            await engine.logout(session.session_id)
        except ApiError as failed:  # the store cannot write: the session goes on
            return rest.error_response(
                rest.status_of(failed.code), failed.code.value, failed.message
            )
    response = JSONResponse({"loggedOut": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def healthz(request: Request) -> Response:
    return health_response(_engine(request))


async def jwks(request: Request) -> Response:
    """The public keys of auth.getJwtToken's JWTs (RFC 7517 JWK set): any back end fetches
    them to verify a token. Public by nature: any origin may read them, caches for 5 min."""
    response = JSONResponse(_engine(request).jwks(), media_type="application/jwk-set+json")
    response.headers["cache-control"] = "public, max-age=300"
    response.headers["access-control-allow-origin"] = "*"
    return response


def build_site(engine: Engine) -> ASGIApp:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await engine.start()
        try:
            yield
        finally:
            await engine.stop()

    meter = metrics.install(engine)
    site = Starlette(
        routes=[
            Route("/", login_page),
            Route("/desktop", desktop_page),
            Route("/admin", admin_page),
            Route("/api/v1/login", login, methods=["POST"]),
            Route("/api/v1/logout", logout, methods=["POST"]),
            Route("/healthz", healthz),
            Route("/.well-known/jwks.json", jwks),
            *rest.routes(engine, meter),
            metrics.route(meter),
            Route(f"/{LIBRARY}", _library),
            Route(f"/{DECLARATIONS}", _library),
            WebSocketRoute("/desktop/ws", desktop_socket),
            Mount("/static", StaticAssets(directory=STATIC)),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error},
    )
    site.state.engine = engine
    site.state.desktops = DesktopHub(engine)
    config = engine.config
    csp = desktop_csp(config.framable_origins(), config.server.frame_ancestors)
    return SecurityHeaders(site, csp)


def build_demo() -> ASGIApp:
    """The demo third-party app: static pages plus the client library, on its own origin."""
    site = Starlette(
        routes=[
            Route(f"/{LIBRARY}", _library),
            Route(f"/{DECLARATIONS}", _library),
            Mount("/", StaticAssets(directory=DEMO, html=True)),
        ],
        exception_handlers={HTTPException: http_error},
    )
    csp = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: http: https:",
            "frame-ancestors *",
        ]
    )
    return SecurityHeaders(site, csp)


class PortRouter:
    """Send each connection to the site that owns the local port it arrived on."""

    def __init__(self, main: ASGIApp, others: dict[int, ASGIApp]) -> None:
        self.main = main
        self.others = others

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.main(scope, receive, send)
            return
        server = scope.get("server")
        port = server[1] if server else None
        app = self.others.get(port, self.main) if port is not None else self.main
        await app(scope, receive, send)


def create_app(engine: Engine, demo_port: int | None = None) -> ASGIApp:
    site = build_site(engine)
    if demo_port is None:
        return site
    return PortRouter(site, {demo_port: build_demo()})
