"""What every page of the review app shares: its settings and stores, the templates, who is
logged in, and the answers a page gives when it refuses (``Site``).

One ``Site`` per app (``create_app``); each page's router (``skizzen.doors.web.pages``) reads
the database, the blob store and the login through it, so a test's app never sees another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session

from extractors.types import TOPIC_FIELDS
from models import accounts
from skizzen import labels
from skizzen.documents.render import PageRenderer
from skizzen.doors.web.forms import input_text
from skizzen.doors.web.security import (
    SESSION_COOKIE,
    LoginThrottle,
    cookie_secure,
    same_token,
    token_hash,
)
from skizzen.intake.store import BlobStore
from skizzen.settings import RuntimeConfig

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Login:
    """The logged-in user of one request."""

    name: str
    role: str
    csrf_token: str
    token_hash: str

    @property
    def may_change(self) -> bool:
        return self.role == "reviewer"


def templates() -> Environment:
    """The pages' Jinja2 templates: autoescaped, so nothing from a PDF or a mail can run."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        field_label=labels.field_label,
        field_kind=labels.field_kind,
        code_label=labels.code_label,
        status_label=labels.status_label,
        outcome_label=labels.outcome_label,
        fmt_value=labels.format_value,
        fmt_dt=labels.format_datetime,
        input_text=input_text,
        action_labels=labels.ACTION_LABELS,
        audit_actions=labels.AUDIT_ACTIONS,
        topics=TOPIC_FIELDS,
    )
    return env


def content_disposition(kind: str, filename: str) -> str:
    """RFC 6266/5987 header with an ASCII fallback; no quotes or control chars leak through."""
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename)
    return f"{kind}; filename=\"{ascii_name or 'datei'}\"; filename*=UTF-8''{quote(filename)}"


@dataclass(frozen=True)
class Site:
    """The settings, stores, templates and login throttle of one app, and the helpers every
    page uses to render, to refuse and to know who asks."""

    config: RuntimeConfig
    store: BlobStore
    renderer: PageRenderer
    env: Environment
    throttle: LoginThrottle

    @classmethod
    def of(cls, config: RuntimeConfig, *, throttle: LoginThrottle | None = None) -> Site:
        """The site over ``config`` (``throttle``: by default a fresh one from the settings)."""
        return cls(
            config=config,
            store=BlobStore(config.blob_dir),
            renderer=PageRenderer(
                config.pages_dir,
                max_memory_mb=config.parse_max_memory_mb,
                timeout_s=config.parse_timeout_s,
            ),
            env=templates(),
            throttle=throttle or LoginThrottle.from_config(config),
        )

    @property
    def url(self) -> str:
        return self.config.database_url

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.config.session_idle_minutes)

    @property
    def absolute(self) -> timedelta:
        return timedelta(hours=self.config.session_absolute_hours)

    def secure(self, request: Request) -> bool:
        """The ``Secure`` flag of the cookies set in answer to ``request``."""
        return cookie_secure(self.config.cookie_secure, request.url.scheme)

    def render(
        self, name: str, status_code: int = 200, login: Login | None = None, **ctx: Any
    ) -> HTMLResponse:
        html = self.env.get_template(name).render(login=login, **ctx)
        return HTMLResponse(html, status_code=status_code)

    def forbidden(self, login: Login | None, message: str) -> HTMLResponse:
        return self.render("error.html", 403, login=login, title="Nicht erlaubt", message=message)

    def not_found(self, login: Login | None) -> HTMLResponse:
        return self.render(
            "error.html", 404, login=login, title="Nicht gefunden", message="Nicht gefunden."
        )

    def current_login(self, request: Request, session: Session) -> Login | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        found = accounts.active_session(session, token_hash=token_hash(token), idle=self.idle)
        if found is None:
            return None
        ws, user = found
        return Login(name=user.name, role=user.role, csrf_token=ws.csrf_token, token_hash=ws.id)

    @staticmethod
    def to_login(request: Request) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"weiter": target}), status_code=303)

    async def checked_post(
        self, request: Request, session: Session, *, change: bool
    ) -> tuple[Login | None, dict[str, str], Response | None]:
        """Session, CSRF token and (for changes) the reviewer role of a POST."""
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        login = self.current_login(request, session)
        if login is None:
            return None, fields, self.forbidden(None, "Bitte zuerst anmelden.")
        if not same_token(fields.get("csrf_token"), login.csrf_token):
            return login, fields, self.forbidden(login, "Ungültiges oder fehlendes Formular-Token.")
        if change and not login.may_change:
            return login, fields, self.forbidden(login, "Ihre Rolle erlaubt nur das Ansehen.")
        return login, fields, None
