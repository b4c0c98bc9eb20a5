"""The staff review page: login, review queue, detail with PDF, corrections, decisions, report.

Server-rendered (Jinja2, autoescape on, no script at all) so that nothing taken from a PDF or a
mail can run in the browser; a strict Content-Security-Policy backs that up. Every POST carries
the per-session CSRF token; only ``reviewer`` may change data, ``reader`` may only look.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from extractors.types import TOPIC_FIELDS
from models import review
from models.db import get_engine, init_db, session_scope
from models.users import User
from skizzen.doors.web.forms import InputError, input_text, parse_field_input
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
from skizzen.outputs import labels
from skizzen.settings import RuntimeConfig

HERE = Path(__file__).parent
ALL = "alle"


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


def create_app(config: RuntimeConfig, *, login_throttle: LoginThrottle | None = None) -> FastAPI:
    """The review page over the database and blob store of ``config`` (``login_throttle``:
    the failed-login counter, by default a fresh one from the settings; tests give a clock)."""
    idle = timedelta(minutes=config.session_idle_minutes)
    absolute = timedelta(hours=config.session_absolute_hours)
    engine = get_engine(config.database_url)
    init_db(engine)
    store = BlobStore(config.blob_dir)
    env = _templates()
    url = config.database_url

    app = FastAPI(title="skizzen – Prüfung", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SecurityHeaders)
    if config.trusted_proxies:  # outermost: scheme and client address before anything reads them
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=config.trusted_proxies)
    throttle = login_throttle or LoginThrottle.from_config(config)
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
        found = review.active_session(session, token_hash=token_hash(token), idle=idle)
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
            user = review.get_user(session, name=name) if name else None
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
                review.set_password_hash(
                    session,
                    user_id=int(user.id),  # type: ignore[arg-type]
                    password_hash=hash_password(password),
                )
            token = new_token()
            review.purge_sessions(session, idle=idle)
            review.open_session(
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
            review.close_session(session, token_hash=login.token_hash)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(
            SESSION_COOKIE, path="/", secure=cookie_secure(config.cookie_secure, request.url.scheme)
        )
        return response

    @app.get("/pruefliste")
    def queue(
        request: Request,
        status: str | None = None,
        aufruf: str | None = None,
        themenfeld: str | None = None,
        seite: str = "1",
    ) -> Response:
        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return to_login(request)
            chosen_status = status or "needs_review"
            page = review.queue_page(
                session,
                status=None if chosen_status == ALL else chosen_status,
                call_id=aufruf or None,
                topic=themenfeld or None,
                page=int(seite) if seite.isdigit() else 1,  # a bad page number: the first
            )
            choices = review.filter_choices(session)
        statuses = sorted(set(choices["statuses"]) | {"needs_review"}, key=_status_order)
        return render(
            "queue.html",
            login=login,
            rows=page.rows,
            page=page,
            status=chosen_status,
            aufruf=aufruf or "",
            themenfeld=themenfeld or "",
            calls=choices["calls"],
            statuses=statuses,
            all_value=ALL,
        )

    def detail_page(
        session: Session,
        login: Login,
        sketch_id: int,
        *,
        error: str | None = None,
        error_field: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        detail = review.sketch_detail(session, sketch_id=sketch_id)
        if detail is None:
            return not_found(login)
        return render(
            "detail.html",
            status_code,
            login=login,
            d=detail,
            error=error,
            error_field=error_field,
            actions=review.REVIEW_ACTIONS,
        )

    @app.get("/skizze/{sketch_id}")
    def detail(request: Request, sketch_id: int) -> Response:
        with session_scope(url) as session:
            login = current_login(request, session)
            if login is None:
                return to_login(request)
            return detail_page(session, login, sketch_id)

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
            page = review.inbox_page(
                session,
                outcome=ergebnis or None,
                search=suche or None,
                page=int(seite) if seite.isdigit() else 1,
            )
            session.expunge_all()
        counts = sorted(page.outcome_counts.items(), key=lambda kv: labels.outcome_label(kv[0]))
        return render(
            "posteingang.html", 400 if error else 200, login=login, page=page, counts=counts,
            ergebnis=ergebnis, suche=suche, actions=review.ATTACHMENT_ACTIONS,
            actions_of=review.attachment_actions, error=error,
        )  # fmt: skip

    @app.get("/posteingang")
    def inbox(request: Request, ergebnis: str = "", suche: str = "", seite: str = "1") -> Response:
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
            if att is None or action not in review.ATTACHMENT_ACTIONS:
                return not_found(login)
            if action not in review.attachment_actions(att):
                return forbidden(login, review.ATTACHMENT_ACTIONS[action].refusal)
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
        with session_scope(url) as session:
            login, form, refused = await checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
            if field_name not in labels.FIELD_LABELS:
                return not_found(login)
            kind = labels.field_kind(field_name)
            try:
                value = parse_field_input(kind, form.get("wert", ""))
            except InputError as exc:
                return detail_page(
                    session,
                    login,
                    sketch_id,
                    error=str(exc),
                    error_field=field_name,
                    status_code=400,
                )
            if review.sketch_detail(session, sketch_id=sketch_id) is None:
                return not_found(login)
            review.correct_field(
                session, sketch_id=sketch_id, field_name=field_name, value=value, actor=login.name
            )
        return RedirectResponse(f"/skizze/{sketch_id}#feld-{field_name}", status_code=303)

    @app.post("/skizze/{sketch_id}/status")
    async def decide(request: Request, sketch_id: int) -> Response:
        with session_scope(url) as session:
            login, form, refused = await checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or forbidden(None, "Bitte zuerst anmelden.")
            status = form.get("status", "")
            if status not in review.REVIEW_ACTIONS:
                return detail_page(
                    session, login, sketch_id, error="Unbekannte Aktion.", status_code=400
                )
            if review.sketch_detail(session, sketch_id=sketch_id) is None:
                return not_found(login)
            review.set_review_status(session, sketch_id=sketch_id, status=status, actor=login.name)
        return RedirectResponse(f"/skizze/{sketch_id}", status_code=303)

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
        return review.upsert_user(
            session, name=name, password_hash=hash_password(password), role=role
        )
