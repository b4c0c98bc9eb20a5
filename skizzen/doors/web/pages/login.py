"""Logging in and out (``/login``, ``/logout``): the failed-login throttle, argon2 passwords
and a server-side session whose cookie carries only a random token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models import accounts
from models.db import session_scope
from skizzen.doors.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    burn_time,
    hash_password,
    needs_rehash,
    new_token,
    same_token,
    token_hash,
    verify_password,
)
from skizzen.doors.web.site import Site


def _safe_next(target: str | None) -> str:
    """Only local paths after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/pruefliste"


def router(site: Site) -> APIRouter:
    """The routes of logging in and out (and ``/``, which leads to the queue)."""
    r = APIRouter()

    @r.get("/")
    def index() -> RedirectResponse:
        return RedirectResponse("/pruefliste", status_code=303)

    @r.get("/login")
    def login_form(request: Request, weiter: str | None = None) -> HTMLResponse:
        csrf = new_token()
        response = site.render("login.html", csrf_token=csrf, weiter=_safe_next(weiter), error=None)
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            csrf,
            max_age=3600,
            httponly=True,
            samesite="strict",
            secure=site.secure(request),
            path="/login",
        )
        return response

    @r.post("/login")
    async def login_submit(request: Request) -> Response:
        form = await request.form()
        name = str(form.get("benutzer") or "").strip()
        password = str(form.get("passwort") or "")
        target = _safe_next(str(form.get("weiter") or ""))
        csrf = str(form.get("csrf_token") or "")
        if not same_token(csrf, request.cookies.get(LOGIN_CSRF_COOKIE)):
            return site.forbidden(
                None, "Ungültiges oder fehlendes Formular-Token. Bitte neu laden."
            )
        address = request.client.host if request.client else "-"
        refusal = site.throttle.check(name, address)
        if refusal is not None:  # not even checked: the right password is refused as well
            response = site.render(
                "login.html", 429, csrf_token=csrf, weiter=target, error=refusal.message
            )
            response.headers["Retry-After"] = str(refusal.retry_after)
            return response
        with session_scope(site.url) as session:
            user = accounts.get_user(session, name=name) if name else None
            ok = False
            if user is None or not user.active:
                burn_time(password)
            else:
                ok = verify_password(user.password_hash, password)
            if not ok or user is None:
                site.throttle.failed(name, address)
                response: Response = site.render(
                    "login.html",
                    401,
                    csrf_token=csrf,
                    weiter=target,
                    error="Benutzername oder Passwort ist falsch.",
                )
                return response
            site.throttle.succeeded(name)
            if needs_rehash(user.password_hash):
                accounts.set_password_hash(
                    session,
                    user_id=int(user.id),  # type: ignore[arg-type]
                    password_hash=hash_password(password),
                )
            token = new_token()
            accounts.purge_sessions(session, idle=site.idle)
            accounts.open_session(
                session,
                token_hash=token_hash(token),
                user_id=int(user.id),  # type: ignore[arg-type]
                csrf_token=new_token(),
                absolute=site.absolute,
            )
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=int(site.absolute.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=site.secure(request),
            path="/",
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login", secure=site.secure(request))
        return response

    @r.post("/logout")
    async def logout(request: Request) -> Response:
        with session_scope(site.url) as session:
            login, _, refused = await site.checked_post(request, session, change=False)
            if refused is not None or login is None:
                return refused or site.forbidden(None, "Bitte zuerst anmelden.")
            accounts.close_session(session, token_hash=login.token_hash)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/", secure=site.secure(request))
        return response

    return r
