"""The Posteingang (``/posteingang``): every received message with every attachment and its
outcome; each attachment downloads as received (``/anhang/<id>``), and a reviewer overrules
the classifier or opens an encrypted PDF with its password (``/anhang/<id>/<action>``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from models import inbox, review
from models.db import session_scope
from skizzen import labels
from skizzen.doors.web.site import Login, Site, content_disposition


def router(site: Site) -> APIRouter:
    """The routes of the Posteingang and of the attachments."""
    r = APIRouter()

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
        with session_scope(site.url) as session:
            page = inbox.inbox_page(
                session,
                outcome=ergebnis or None,
                search=suche or None,
                page=int(seite) if seite.isdigit() else 1,
            )
            session.expunge_all()
        counts = sorted(page.outcome_counts.items(), key=lambda kv: labels.outcome_label(kv[0]))
        return site.render(
            "posteingang.html", 400 if error else 200, login=login, page=page, counts=counts,
            ergebnis=ergebnis, suche=suche, actions=inbox.ATTACHMENT_ACTIONS,
            actions_of=inbox.attachment_actions, error=error,
        )  # fmt: skip

    @r.get("/posteingang")
    def messages(
        request: Request, ergebnis: str = "", suche: str = "", seite: str = "1"
    ) -> Response:
        with session_scope(site.url) as session:
            login = site.current_login(request, session)
        if login is None:
            return site.to_login(request)
        return inbox_page(request, login, ergebnis=ergebnis, suche=suche, seite=seite)

    @r.get("/anhang/{attachment_id}")
    def attachment_download(request: Request, attachment_id: int) -> Response:
        """Every attachment as received: from the blob store, or one over the size limit
        decoded from its raw mail while it is sent (never held whole)."""
        from skizzen.intake.mail import large_part
        from skizzen.intake.mapped import read_mail

        with session_scope(site.url) as session:
            login = site.current_login(request, session)
            if login is None:
                return site.forbidden(None, "Bitte zuerst anmelden.")
            att = review.get_attachment(session, attachment_id=attachment_id)
            if att is None:
                return site.not_found(login)
            filename, sha = att.filename, att.sha256
            raw_sha = review.raw_mail_of(session, attachment_id=attachment_id)
        # always a download of opaque bytes: an attached .html must never render here
        headers = {
            "Content-Disposition": content_disposition("attachment", filename),
            "Content-Security-Policy": "sandbox; default-src 'none'",
        }
        store = site.store
        if store.has(sha):
            return Response(store.get(sha), media_type="application/octet-stream", headers=headers)
        if raw_sha is None or not store.has(raw_sha):
            return site.not_found(login)
        chunks = large_part(
            read_mail(store.path(raw_sha)),
            sha256=sha,
            max_part_bytes=site.config.max_attachment_bytes,
        )
        if chunks is None:
            return site.not_found(login)
        return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)

    @r.post("/anhang/{attachment_id}/{action}")
    async def attachment_action(request: Request, attachment_id: int, action: str) -> Response:
        """Staff overrule the classifier (``als-skizze``: extracted and checked at once, then
        its page) or take that back (``zurueck``: back to the Posteingang)."""
        from skizzen.steps import pipeline

        back = RedirectResponse(f"/posteingang#anhang-{attachment_id}", status_code=303)
        with session_scope(site.url) as session:
            login, form, refused = await site.checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or site.forbidden(None, "Bitte zuerst anmelden.")
            att = review.get_attachment(session, attachment_id=attachment_id)
            if att is None or action not in inbox.ATTACHMENT_ACTIONS:
                return site.not_found(login)
            if action not in inbox.attachment_actions(att):
                return site.forbidden(login, inbox.ATTACHMENT_ACTIONS[action].refusal)
            if action == "zurueck":
                review.give_back(session, attachment_id=attachment_id, actor=login.name)
                return back
        if action == "entsperren":  # the password is used here and forgotten
            if pipeline.unlock_attachment(
                site.config,
                attachment_id=attachment_id,
                password=form.get("passwort", ""),
                actor=login.name,
            ):
                return back
            return inbox_page(
                request, login, error=(attachment_id, "Das Passwort öffnet die Datei nicht.")
            )
        sid = pipeline.take_as_sketch(site.config, attachment_id=attachment_id, actor=login.name)
        return RedirectResponse(f"/skizze/{sid}", status_code=303)

    return r
