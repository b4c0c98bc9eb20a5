"""The staff review page: login, review queue, detail with PDF, corrections, decisions,
Posteingang, taught rules, report; ``create_app`` wires the pages' routers together.

Server-rendered (Jinja2, autoescape on) so that nothing taken from a PDF or a mail can run in
the browser; a strict Content-Security-Policy backs that up: the only script is the page's own
``static/app.js`` (keyboard shortcuts, select all), and every action works without it. Every
POST carries the per-session CSRF token; only ``reviewer`` may change data, ``reader`` may only
look. Each page is a router of ``skizzen.doors.web.pages`` over the app's ``Site``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from models import accounts
from models.db import get_engine, init_db, session_scope
from models.users import User
from skizzen.doors.web.pages import detail, inbox, login, queue, report, rules
from skizzen.doors.web.security import (
    CSP,
    LoginThrottle,
    check_password_strength,
    hash_password,
)
from skizzen.doors.web.site import HERE, Site
from skizzen.settings import RuntimeConfig

PAGES = (login, queue, detail, inbox, rules, report)
"""The pages' modules, each with its ``router(site)``."""


class SecurityHeaders(BaseHTTPMiddleware):
    """CSP and friends on every response; routes may set a narrower/own CSP first."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def create_app(config: RuntimeConfig, *, login_throttle: LoginThrottle | None = None) -> FastAPI:
    """The review page over the database and blob store of ``config`` (``login_throttle``:
    the failed-login counter, by default a fresh one from the settings; tests give a clock)."""
    init_db(get_engine(config.database_url))
    site = Site.of(config, throttle=login_throttle)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        site.renderer.close()  # the page-image child ends with the app, not with the host

    app = FastAPI(
        title="skizzen – Prüfung",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.site = site
    app.add_middleware(SecurityHeaders)
    if config.trusted_proxies:  # outermost: scheme and client address before anything reads them
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=config.trusted_proxies)
    _preload_checks()  # a correction re-checks at once: GX is imported before the first one
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for page in PAGES:
        app.include_router(page.router(site))
    return app


def _preload_checks() -> None:
    from skizzen.steps import quality

    quality.preload()


def add_user(config: RuntimeConfig, *, name: str, password: str, role: str) -> User:
    """Create or reset a user (CLI ``skizzen user add``); the password is stored argon2-hashed.

    A weak password raises ``WeakPasswordError`` (German message) here too, whoever calls.
    """
    check_password_strength(password, user_inputs=[name])
    engine = get_engine(config.database_url)
    init_db(engine)
    with session_scope(config.database_url) as session:
        return accounts.upsert_user(
            session, name=name, password_hash=hash_password(password), role=role
        )
