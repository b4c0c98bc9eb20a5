"""The staff review page: login, review queue, detail with PDF, corrections, decisions, report.

Server-rendered (Jinja2, autoescape on) so that nothing taken from a PDF or a mail can run in
the browser; a strict Content-Security-Policy backs that up: the only script is the page's own
``static/app.js`` (keyboard shortcuts, select all), and every action works without it. Every
POST carries the per-session CSRF token; only ``reviewer`` may change data, ``reader`` may only
look.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from extractors.types import TOPIC_FIELDS
from models import accounts, inbox, queue, review
from models.db import get_engine, init_db, session_scope
from models.users import User
from skizzen import labels
from skizzen.documents.render import PageRenderer
from skizzen.doors.web.forms import (
    CHOICES,
    InputError,
    Refused,
    input_text,
    parse_choices,
    parse_field_input,
)
from skizzen.doors.web.security import (
    CSP,
    LOGIN_CSRF_COOKIE,
    PDF_CSP,
    SESSION_COOKIE,
    LoginThrottle,
    burn_time,
    check_password_strength,
    cookie_secure,
    hash_password,
    needs_rehash,
    new_token,
    same_token,
    style_hash_csp,
    token_hash,
    verify_password,
)
from skizzen.intake.store import BlobStore
from skizzen.settings import RuntimeConfig
from skizzen.steps import teach

HERE = Path(__file__).parent
ALL = "alle"
log = logging.getLogger(__name__)


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


def _templates() -> Environment:
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


def _safe_next(target: str | None) -> str:
    """Only local paths after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/pruefliste"


def _content_disposition(kind: str, filename: str) -> str:
    """RFC 6266/5987 header with an ASCII fallback; no quotes or control chars leak through."""
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename)
    return f"{kind}; filename=\"{ascii_name or 'datei'}\"; filename*=UTF-8''{quote(filename)}"


SORTS: dict[str, str] = {
    "eingang": "received",
    "sicherheit": "confidence",
    "kosten": "cost",
    "status": "status",
}
"""``?sortierung=`` of the queue → the order of ``queue.QUEUE_SORTS``."""
DESCENDING_FIRST = frozenset({"kosten"})
"""Orders whose first click shows the largest first (the dearest sketches); others ascend."""
ORDER_TEXTS: dict[tuple[str, str], str] = {
    ("eingang", "auf"): "älteste zuerst",
    ("eingang", "ab"): "neueste zuerst",
    ("sicherheit", "auf"): "niedrigste Sicherheit zuerst",
    ("sicherheit", "ab"): "höchste Sicherheit zuerst",
    ("kosten", "auf"): "niedrigste Gesamtkosten zuerst",
    ("kosten", "ab"): "höchste Gesamtkosten zuerst",
    ("status", "auf"): "nach Status",
    ("status", "ab"): "nach Status, umgekehrt",
}
SEARCH_MAX_CHARS = 200


@dataclass(frozen=True)
class QueueQuery:
    """The queue's filter and order as its query string has them (German names); the queue,
    its pages, the detail page's "‹ vorige" / "nächste ›" and the forms keep it."""

    status: str = "needs_review"
    aufruf: str = ""
    themenfeld: str = ""
    suche: str = ""
    sortierung: str = "eingang"
    richtung: str = "auf"

    @classmethod
    def of(cls, params: Mapping[str, str]) -> QueueQuery:
        """From a request's query parameters; what is unknown falls back to the default."""
        sort = params.get("sortierung") or "eingang"
        sort = sort if sort in SORTS else "eingang"
        direction = params.get("richtung") or ""
        if direction not in ("auf", "ab"):
            direction = "ab" if sort in DESCENDING_FIRST else "auf"
        return cls(
            status=params.get("status") or "needs_review",
            aufruf=params.get("aufruf") or "",
            themenfeld=params.get("themenfeld") or "",
            suche=" ".join((params.get("suche") or "").split())[:SEARCH_MAX_CHARS],
            sortierung=sort,
            richtung=direction,
        )

    def filters(self) -> dict[str, Any]:
        """Keyword arguments of ``queue.queue_page`` and ``queue.queue_neighbours``."""
        return {
            "status": None if self.status == ALL else self.status,
            "call_id": self.aufruf or None,
            "topic": self.themenfeld or None,
            "search": self.suche or None,
            "sort": SORTS[self.sortierung],
            "descending": self.richtung == "ab",
        }

    @property
    def query(self) -> str:
        """The query string of this filter (defaults left out, the status always in)."""
        default = "ab" if self.sortierung in DESCENDING_FIRST else "auf"
        pairs = {
            "status": self.status,
            "aufruf": self.aufruf,
            "themenfeld": self.themenfeld,
            "suche": self.suche,
            "sortierung": "" if self.sortierung == "eingang" else self.sortierung,
            "richtung": "" if self.richtung == default else self.richtung,
        }
        return urlencode({k: v for k, v in pairs.items() if v})

    @property
    def order_text(self) -> str:
        return ORDER_TEXTS[(self.sortierung, self.richtung)]

    def sorted_by(self, sort: str) -> str:
        """The query string for a column header: this order, turned round if it is already
        the order, from page 1."""
        if sort == self.sortierung:
            direction = "auf" if self.richtung == "ab" else "ab"
        else:
            direction = "ab" if sort in DESCENDING_FIRST else "auf"
        return replace(self, sortierung=sort, richtung=direction).query

    def aria_sort(self, sort: str) -> str:
        if sort != self.sortierung:
            return "none"
        return "descending" if self.richtung == "ab" else "ascending"


def _bulk_notice(params: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The queue's message after a bulk approval (``?freigegeben=N&nicht=ID,ID``)."""
    done = params.get("freigegeben", "")
    if not done.isdigit():
        return None, None
    n = int(done)
    refused = [i for i in params.get("nicht", "").split(",") if i.isdigit()][:100]
    notice = f"{n} Skizze freigegeben." if n == 1 else f"{n} Skizzen freigegeben."
    if n == 0:
        notice = None if refused else "Keine Skizze ausgewählt."
    error = None
    if refused:
        error = (
            f"Nicht freigegeben: Skizze {', '.join(refused)}. Gesammelt freigeben lassen sich "
            "nur Skizzen „ohne Befund“, ohne Prüfbefunde und seit der letzten Korrektur neu "
            "geprüft; diese bitte einzeln prüfen."
        )
    return notice, error


def create_app(config: RuntimeConfig, *, login_throttle: LoginThrottle | None = None) -> FastAPI:
    """The review page over the database and blob store of ``config`` (``login_throttle``:
    the failed-login counter, by default a fresh one from the settings; tests give a clock)."""
    idle = timedelta(minutes=config.session_idle_minutes)
    absolute = timedelta(hours=config.session_absolute_hours)
    engine = get_engine(config.database_url)
    init_db(engine)
    store = BlobStore(config.blob_dir)
    renderer = PageRenderer(
        config.pages_dir,
        max_memory_mb=config.parse_max_memory_mb,
        timeout_s=config.parse_timeout_s,
    )
    env = _templates()
    url = config.database_url

    app = FastAPI(title="skizzen – Prüfung", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SecurityHeaders)
    if config.trusted_proxies:  # outermost: scheme and client address before anything reads them
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=config.trusted_proxies)
    throttle = login_throttle or LoginThrottle.from_config(config)
    _preload_checks()  # a correction re-checks at once: GX is imported before the first one
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def render(
        name: str, status_code: int = 200, login: Login | None = None, **ctx: Any
    ) -> HTMLResponse:
        html = env.get_template(name).render(login=login, **ctx)
        return HTMLResponse(html, status_code=status_code)

    def forbidden(login: Login | None, message: str) -> HTMLResponse:
        return render("error.html", 403, login=login, title="Nicht erlaubt", message=message)

    def not_found(login: Login | None) -> HTMLResponse:
        return render(
            "error.html", 404, login=login, title="Nicht gefunden", message="Nicht gefunden."
        )

    def current_login(request: Request, session: Session) -> Login | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        found = accounts.active_session(session, token_hash=token_hash(token), idle=idle)
        if found is None:
            return None
        ws, user = found
        return Login(name=user.name, role=user.role, csrf_token=ws.csrf_token, token_hash=ws.id)

    def to_login(request: Request) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"weiter": target}), status_code=303)

    async def checked_post(
        request: Request, session: Session, *, change: bool
    ) -> tuple[Login | None, dict[str, str], Response | None]:
        """Session, CSRF token and (for changes) the reviewer role of a POST."""
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        login = current_login(request, session)
        if login is None:
            return None, fields, forbidden(None, "Bitte zuerst anmelden.")
        if not same_token(fields.get("csrf_token"), login.csrf_token):
            return login, fields, forbidden(login, "Ungültiges oder fehlendes Formular-Token.")
        if change and not login.may_change:
            return login, fields, forbidden(login, "Ihre Rolle erlaubt nur das Ansehen.")
        return login, fields, None

    @app.get("/")
    def index() -> RedirectResponse:
        return RedirectResponse("/pruefliste", status_code=303)

    @app.get("/login")
    def login_form(request: Request, weiter: str | None = None) -> HTMLResponse:
        csrf = new_token()
        response = render("login.html", csrf_token=csrf, weiter=_safe_next(weiter), error=None)
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            csrf,
            max_age=3600,
            httponly=True,
            samesite="strict",
            secure=cookie_secure(config.cookie_secure, request.url.scheme),
            path="/login",
        )
        return response

    @app.post("/login")
    async def login_submit(request: Request) -> Response:
        form = await request.form()
        name = str(form.get("benutzer") or "").strip()
        password = str(form.get("passwort") or "")
        target = _safe_next(str(form.get("weiter") or ""))
        csrf = str(form.get("csrf_token") or "")
        if not same_token(csrf, request.cookies.get(LOGIN_CSRF_COOKIE)):
            return forbidden(None, "Ungültiges oder fehlendes Formular-Token. Bitte neu laden.")
        address = request.client.host if request.client else "-"
        refusal = throttle.check(name, address)
        if refusal is not None:  # not even checked: the right password is refused as well
            response = render(
                "login.html", 429, csrf_token=csrf, weiter=target, error=refusal.message
            )
            response.headers["Retry-After"] = str(refusal.retry_after)
            return response
        with session_scope(url) as session:
            user = accounts.get_user(session, name=name) if name else None
            ok = False
            if user is None or not user.active:
                burn_time(password)
            else:
                ok = verify_password(user.password_hash, password)
            if not ok or user is None:
                throttle.failed(name, address)
                response: Response = render(
                    "login.html",
                    401,
                    csrf_token=csrf,
                    weiter=target,
                    error="Benutzername oder Passwort ist falsch.",
                )
                return response
            throttle.succeeded(name)
            if needs_rehash(user.password_hash):
                accounts.set_password_hash(
                    session,
                    user_id=int(user.id),  # type: ignore[arg-type]
                    password_hash=hash_password(password),
                )
            token = new_token()
            accounts.purge_sessions(session, idle=idle)
            accounts.open_session(
                session,
                token_hash=token_hash(token),
                user_id=int(user.id),  # type: ignore[arg-type]
                csrf_token=new_token(),
                absolute=absolute,
            )
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=int(absolute.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=cookie_secure(config.cookie_secure, request.url.scheme),
            path="/",
        )
        response.delete_cookie(
            LOGIN_CSRF_COOKIE,
            path="/login",
            secure=cookie_secure(config.cookie_secure, request.url.scheme),
        )
        return response

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        with session_scope(url) as session:
            login, _, refused = await checked_post(request, session, change=False)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
            accounts.close_session(session, token_hash=login.token_hash)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(
            SESSION_COOKIE, path="/", secure=cookie_secure(config.cookie_secure, request.url.scheme)
        )
        return response

    @app.get("/pruefliste")
    def queue_list(request: Request, seite: str = "1") -> Response:
        """The queue: filter (status, call, topic field, ``suche``), order (``sortierung``,
        ``richtung``), one page; a reviewer ticks finding-free sketches to approve together."""
        query = QueueQuery.of(request.query_params)
        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return to_login(request)
            page = queue.queue_page(
                session,
                **query.filters(),
                page=int(seite) if seite.isdigit() else 1,  # a bad page number: the first
            )
            choices = queue.filter_choices(session)
        statuses = sorted(set(choices["statuses"]) | {"needs_review"}, key=_status_order)
        notice, error = _bulk_notice(request.query_params)
        return render(
            "queue.html",
            login=login,
            rows=page.rows,
            page=page,
            query=query,
            status=query.status,
            aufruf=query.aufruf,
            themenfeld=query.themenfeld,
            calls=choices["calls"],
            statuses=statuses,
            all_value=ALL,
            notice=notice,
            error=error,
        )

    @app.post("/pruefliste/freigeben")
    async def approve_selected(request: Request, seite: str = "1") -> Response:
        """Approve the ticked sketches (``skizze``, repeated) that have no findings, each with
        its own audit event; one with findings is refused and named. Back to the queue."""
        query = QueueQuery.of(request.query_params)
        with session_scope(url) as session:
            login, _, refused = await checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
            ticked = (await request.form()).getlist("skizze")  # parsed once, cached
            ids = {
                int(v)
                for v in ticked
                if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 10
            }
            done = queue.approve_without_findings(session, sketch_ids=ids, actor=login.name)
        result = {"freigegeben": str(len(done.approved))}
        if done.refused:
            result["nicht"] = ",".join(str(i) for i in done.refused)
        page = f"&seite={seite}" if seite.isdigit() else ""
        return RedirectResponse(
            f"/pruefliste?{query.query}{page}&{urlencode(result)}", status_code=303
        )

    def detail_page(
        session: Session,
        login: Login,
        sketch_id: int,
        *,
        error: str | None = None,
        refused: Refused | None = None,
        status_code: int = 200,
        query: QueueQuery | None = None,
        selected: str | None = None,
    ) -> HTMLResponse:
        detail = review.sketch_detail(session, sketch_id=sketch_id)
        if detail is None:
            return not_found(login)
        query = query or QueueQuery()  # "‹ vorige" / "nächste ›" within the queue's filter
        nav = queue.queue_neighbours(session, sketch_id=sketch_id, **query.filters())
        sha = detail.sketch.sha256
        sizes = renderer.sizes(sha, lambda: store.get(sha)) if store.has(sha) else None
        return render(
            "detail.html",
            status_code,
            login=login,
            d=detail,
            pages=sizes or [],
            selected=selected,
            evidence=_evidence_boxes(detail),
            query=query,
            nav=nav,
            all_value=ALL,
            error=error,
            refused=refused,
            choices=CHOICES,
            actions=review.REVIEW_ACTIONS,
        )

    @app.get("/skizze/{sketch_id}")
    def detail(request: Request, sketch_id: int) -> Response:
        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return to_login(request)
            return detail_page(
                session,
                login,
                sketch_id,
                query=QueueQuery.of(request.query_params),
                selected=request.query_params.get("feld"),
            )

    @app.get("/skizze/{sketch_id}/seite/{number}.png")
    def page_image(request: Request, sketch_id: int, number: int) -> Response:
        """One page of the sketch's PDF as an image, drawn on the server (the evidence
        boxes are drawn over it by the page)."""
        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return forbidden(None, "Bitte zuerst anmelden.")
            sketch = review.sketch_detail(session, sketch_id=sketch_id)
            if sketch is None:
                return not_found(login)
            sha = sketch.sketch.sha256
        image = renderer.page(sha, lambda: store.get(sha), number) if store.has(sha) else None
        if image is None:
            return not_found(login)
        return Response(
            image.png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
        )

    @app.get("/skizze/{sketch_id}/pdf")
    def sketch_pdf(request: Request, sketch_id: int) -> Response:
        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return forbidden(None, "Bitte zuerst anmelden.")
            detail = review.sketch_detail(session, sketch_id=sketch_id)
            if detail is None:
                return not_found(login)
            sha = detail.sketch.sha256
            name = next(
                (a.filename for m in detail.mails for a in m.attachments if a.sha256 == sha),
                f"skizze-{sketch_id}.pdf",
            )
        if not store.has(sha):
            return not_found(login)
        return Response(
            store.get(sha),
            media_type="application/pdf",
            headers={
                "Content-Disposition": _content_disposition("inline", name),
                # a PDF may carry JavaScript: shown by the browser's viewer in an opaque,
                # script-less origin (the viewer works under it), never sniffed as HTML
                "Content-Security-Policy": PDF_CSP,
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/anhang/{attachment_id}")
    def attachment_download(request: Request, attachment_id: int) -> Response:
        """Every attachment as received: from the blob store, or one over the size limit
        decoded from its raw mail while it is sent (never held whole)."""
        from skizzen.intake.mail import large_part
        from skizzen.intake.mapped import read_mail

        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return forbidden(None, "Bitte zuerst anmelden.")
            att = review.get_attachment(session, attachment_id=attachment_id)
            if att is None:
                return not_found(login)
            filename, sha = att.filename, att.sha256
            raw_sha = review.raw_mail_of(session, attachment_id=attachment_id)
        # always a download of opaque bytes: an attached .html must never render here
        headers = {
            "Content-Disposition": _content_disposition("attachment", filename),
            "Content-Security-Policy": "sandbox; default-src 'none'",
        }
        if store.has(sha):
            return Response(store.get(sha), media_type="application/octet-stream", headers=headers)
        if raw_sha is None or not store.has(raw_sha):
            return not_found(login)
        chunks = large_part(
            read_mail(store.path(raw_sha)), sha256=sha, max_part_bytes=config.max_attachment_bytes
        )
        if chunks is None:
            return not_found(login)
        return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)

    def inbox_page(
        request: Request,
        login: Login,
        *,
        ergebnis: str = "",
        suche: str = "",
        seite: str = "1",
        error: tuple[int, str] | None = None,
    ) -> HTMLResponse:
        """The Posteingang; ``error``: an attachment's action failed, said beside it."""
        with session_scope(url) as session:
            page = inbox.inbox_page(
                session,
                outcome=ergebnis or None,
                search=suche or None,
                page=int(seite) if seite.isdigit() else 1,
            )
            session.expunge_all()
        counts = sorted(page.outcome_counts.items(), key=lambda kv: labels.outcome_label(kv[0]))
        return render(
            "posteingang.html", 400 if error else 200, login=login, page=page, counts=counts,
            ergebnis=ergebnis, suche=suche, actions=inbox.ATTACHMENT_ACTIONS,
            actions_of=inbox.attachment_actions, error=error,
        )  # fmt: skip

    @app.get("/posteingang")
    def inbox_list(
        request: Request, ergebnis: str = "", suche: str = "", seite: str = "1"
    ) -> Response:
        with session_scope(url) as session:
            login = current_login(request, session)
        if login is None:
            return to_login(request)
        return inbox_page(request, login, ergebnis=ergebnis, suche=suche, seite=seite)

    @app.post("/anhang/{attachment_id}/{action}")
    async def attachment_action(request: Request, attachment_id: int, action: str) -> Response:
        """Staff overrule the classifier (``als-skizze``: extracted and checked at once, then
        its page) or take that back (``zurueck``: back to the Posteingang)."""
        from skizzen.steps import pipeline

        with session_scope(url) as session:
            login, form, refused = await checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
            att = review.get_attachment(session, attachment_id=attachment_id)
            if att is None or action not in inbox.ATTACHMENT_ACTIONS:
                return not_found(login)
            if action not in inbox.attachment_actions(att):
                return forbidden(login, inbox.ATTACHMENT_ACTIONS[action].refusal)
            if action == "zurueck":
                review.give_back(session, attachment_id=attachment_id, actor=login.name)
                return RedirectResponse(f"/posteingang#anhang-{attachment_id}", status_code=303)
        back = RedirectResponse(f"/posteingang#anhang-{attachment_id}", status_code=303)
        if action == "entsperren":  # the password is used here and forgotten
            if pipeline.unlock_attachment(
                config,
                attachment_id=attachment_id,
                password=form.get("passwort", ""),
                actor=login.name,
            ):
                return back
            return inbox_page(
                request, login, error=(attachment_id, "Das Passwort öffnet die Datei nicht.")
            )
        sid = pipeline.take_as_sketch(config, attachment_id=attachment_id, actor=login.name)
        return RedirectResponse(f"/skizze/{sid}", status_code=303)

    @app.post("/skizze/{sketch_id}/feld/{field_name}")
    async def correct(request: Request, sketch_id: int, field_name: str) -> Response:
        """A staff value for a field or an inferred label list (check boxes: every ticked
        ``wert``), then the rules of the call over the sketch at once (``recheck``). A refused
        value comes back in its field's row with the German reason and what was typed."""
        with session_scope(url) as session:
            login, form, refused = await checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
            if not review.correctable(field_name):
                return not_found(login)
            choices = CHOICES.get(field_name)
            query = QueueQuery.of(request.query_params)  # the queue's filter, kept
            typed: str | list[str]
            try:
                if choices is not None:
                    ticked = (await request.form()).getlist("wert")  # parsed once, cached
                    typed = [t for t in ticked if isinstance(t, str)]
                    value: Any = parse_choices(choices, typed)
                else:
                    typed = form.get("wert", "")
                    value = parse_field_input(labels.field_kind(field_name), typed)
            except InputError as exc:
                return detail_page(
                    session,
                    login,
                    sketch_id,
                    refused=Refused(field=field_name, message=str(exc), typed=typed),
                    status_code=400,
                    query=query,
                )
            if review.sketch_detail(session, sketch_id=sketch_id) is None:
                return not_found(login)
            review.correct_field(
                session, sketch_id=sketch_id, field_name=field_name, value=value, actor=login.name
            )
        await run_in_threadpool(recheck, config, sketch_id)
        await run_in_threadpool(teach.learn_from_correction, config, sketch_id, field_name)
        kept = f"?{query.query}" if request.url.query else ""
        return RedirectResponse(f"/skizze/{sketch_id}{kept}#feld-{field_name}", status_code=303)

    @app.post("/skizze/{sketch_id}/status")
    async def decide(request: Request, sketch_id: int) -> Response:
        with session_scope(url) as session:
            login, form, refused = await checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
            status = form.get("status", "")
            query = QueueQuery.of(request.query_params)  # the queue's filter, kept
            if status not in review.REVIEW_ACTIONS:
                return detail_page(
                    session,
                    login,
                    sketch_id,
                    error="Unbekannte Aktion.",
                    status_code=400,
                    query=query,
                )
            if review.sketch_detail(session, sketch_id=sketch_id) is None:
                return not_found(login)
            review.set_review_status(session, sketch_id=sketch_id, status=status, actor=login.name)
        kept = f"?{query.query}" if request.url.query else ""
        return RedirectResponse(f"/skizze/{sketch_id}{kept}", status_code=303)

    def rules_page(login: Login, *, error: str | None = None, status_code: int = 200) -> Response:
        """The learned rules: those in use (staff may remove them), then earlier versions
        and removed ones (kept for the audit: they name what read a stored value)."""
        from models import teach as learned
        from models.tables import RULE_ACTIVE

        with session_scope(url) as session:
            rows = learned.rule_rows(session)
            session.expunge_all()
        return render(
            "gelernt.html", status_code, login=login, error=error,
            active=[r for r in rows if r.row.status == RULE_ACTIVE],
            ended=[r for r in rows if r.row.status != RULE_ACTIVE],
            kinds=_RULE_KINDS, relations=_RULE_RELATIONS, statuses=_RULE_STATUSES,
        )  # fmt: skip

    @app.get("/gelernt")
    def learned_rules(request: Request) -> Response:
        with session_scope(url) as session:
            login = current_login(request, session)
        if login is None:
            return to_login(request)
        return rules_page(login)

    @app.post("/gelernt/{rule_no}/entfernen")
    async def remove_learned_rule(request: Request, rule_no: int) -> Response:
        """Staff take a learned rule out of use: the next extraction of its layout reads
        the field as the machine does (the version stays listed, as removed)."""
        with session_scope(url) as session:
            login, _, refused = await checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
        if not teach.remove_rule(config, rule_no=rule_no, actor=login.name):
            return rules_page(
                login, error=f"Regel #{rule_no} ist nicht (mehr) in Gebrauch.", status_code=404
            )
        return RedirectResponse("/gelernt", status_code=303)

    @app.get("/bericht")
    def report_page(request: Request, call: str | None = None) -> Response:
        from skizzen.outputs.export import UnknownCall
        from skizzen.outputs.report import REPORT_CSS, render_report

        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return to_login(request)
            try:
                html = render_report(session, call=call or None)
            except UnknownCall as exc:
                return render(
                    "error.html", 404, login=login, title="Nicht gefunden", message=str(exc)
                )
        return HTMLResponse(html, headers={"Content-Security-Policy": style_hash_csp(REPORT_CSS)})

    @app.get("/export.{fmt}")
    def export(request: Request, fmt: str) -> Response:
        from skizzen.outputs.report import current_rows, write_csv, write_xlsx

        if fmt not in ("csv", "xlsx"):
            with session_scope(url) as session:
                return not_found(current_login(request, session))
        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return to_login(request)
            rows = current_rows(session)
        with tempfile.TemporaryDirectory(prefix="skizzen-export-") as tmp:
            out = Path(tmp) / f"skizzen.{fmt}"
            if fmt == "csv":
                write_csv(rows, out)
                media = "text/csv; charset=utf-8"
            else:
                write_xlsx(rows, out)
                media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data = out.read_bytes()
        return Response(
            data,
            media_type=media,
            headers={"Content-Disposition": _content_disposition("attachment", out.name)},
        )

    return app


_RECHECK = threading.Lock()

_RULE_KINDS = {"label": "Bezeichnung", "position": "Position"}
_RULE_RELATIONS = {
    "inline": "dahinter",
    "inline_nocolon": "dahinter",
    "inline_run": "dahinter",
    "right": "rechts daneben",
    "right_run": "rechts daneben",
    "below": "darunter",
    "below_run": "darunter",
    "row": "in der Tabellenzeile",
}
_RULE_STATUSES = {"active": "in Gebrauch", "superseded": "ersetzt", "removed": "entfernt"}


def _preload_checks() -> None:
    from skizzen.steps import quality

    quality.preload()


def recheck(config: RuntimeConfig, sketch_id: int) -> bool:
    """Run the rules of the call over one sketch's current values now, with the pipeline's
    own check step (the GX suite of ``expectations.suite``), so findings, status, report and
    exports follow a correction at once and can never disagree with a run. Serialised (one
    GX validation at a time); a failure is logged and leaves ``checked_at`` empty, so the
    page says the findings are stale and the next run checks. Returns whether it ran."""
    from skizzen.steps import pipeline

    started = time.perf_counter()
    with _RECHECK:
        try:
            pipeline.check_sketches(config, sketch_ids=[sketch_id], run_id=None, data_docs_dir=None)
        except Exception:
            log.exception("re-check of sketch %s after a correction failed", sketch_id)
            return False
    log.info("sketch %s re-checked in %.2f s", sketch_id, time.perf_counter() - started)
    return True


@dataclass(frozen=True)
class EvidenceBox:
    """Where a field's evidence stands on its page (PDF points from the top left)."""

    field: str
    page: int
    x: float
    y: float
    width: float
    height: float


def _evidence_boxes(detail: review.SketchDetail) -> dict[int, list[EvidenceBox]]:
    """The machine's evidence boxes by page, for drawing over the page images."""
    out: dict[int, list[EvidenceBox]] = {}
    for f in detail.fields:
        m = f.machine
        if m is None or not m.page or not m.box or len(m.box) != 4:
            continue
        x0, top, x1, bottom = (float(v) for v in m.box)
        pad = 2.0  # a little air around the words
        out.setdefault(int(m.page), []).append(
            EvidenceBox(f.name, int(m.page), x0 - pad, top - pad, x1 - x0 + 2 * pad,
                        bottom - top + 2 * pad)
        )  # fmt: skip
    return out


def _status_order(status: str) -> int:
    order = list(labels.STATUS_LABELS)
    return order.index(status) if status in order else len(order)


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
