"""One sketch (``/skizze/<id>``): its pages with the evidence boxes, the original PDF, its
fields and labels with the staff corrections, findings, mails and audit trail; a reviewer
corrects a field (the rules of the call re-check it at once) and decides its status."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from models import review
from models.db import session_scope
from models.queue import queue_neighbours
from skizzen import labels
from skizzen.doors.web.evidence import evidence_boxes
from skizzen.doors.web.forms import (
    CHOICES,
    InputError,
    Refused,
    parse_choices,
    parse_field_input,
)
from skizzen.doors.web.query import ALL, QueueQuery
from skizzen.doors.web.security import PDF_CSP
from skizzen.doors.web.site import Login, Site, content_disposition
from skizzen.settings import RuntimeConfig
from skizzen.steps import teach

log = logging.getLogger(__name__)

_RECHECK = threading.Lock()


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
class SketchFile:
    """Who asks for a sketch's PDF or one of its page images, and which file that is."""

    login: Login
    sha256: str
    filename: str


def router(site: Site) -> APIRouter:
    """The routes of the detail page, its files and its forms."""
    r = APIRouter()

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
            return site.not_found(login)
        query = query or QueueQuery()  # "‹ vorige" / "nächste ›" within the queue's filter
        nav = queue_neighbours(session, sketch_id=sketch_id, selection=query.selection())
        sha = detail.sketch.sha256
        store = site.store
        sizes = site.renderer.sizes(sha, lambda: store.get(sha)) if store.has(sha) else None
        return site.render(
            "detail.html",
            status_code,
            login=login,
            d=detail,
            pages=sizes or [],
            selected=selected,
            evidence=evidence_boxes(detail),
            query=query,
            nav=nav,
            all_value=ALL,
            error=error,
            refused=refused,
            choices=CHOICES,
            actions=review.REVIEW_ACTIONS,
        )

    def sketch_file(request: Request, sketch_id: int) -> SketchFile | Response:
        """The sketch's PDF for a logged-in user; refused without a login (an image or a
        PDF gets no login page), not found for an unknown sketch."""
        with session_scope(site.url) as session:
            login = site.current_login(request, session)
            if login is None:
                return site.forbidden(None, "Bitte zuerst anmelden.")
            detail = review.sketch_detail(session, sketch_id=sketch_id)
            if detail is None:
                return site.not_found(login)
            sha = detail.sketch.sha256
            name = next(
                (a.filename for m in detail.mails for a in m.attachments if a.sha256 == sha),
                f"skizze-{sketch_id}.pdf",
            )
        return SketchFile(login=login, sha256=sha, filename=name)

    @r.get("/skizze/{sketch_id}")
    def detail(request: Request, sketch_id: int) -> Response:
        with session_scope(site.url) as session:
            login = site.current_login(request, session)
            if login is None:
                return site.to_login(request)
            return detail_page(
                session,
                login,
                sketch_id,
                query=QueueQuery.of(request.query_params),
                selected=request.query_params.get("feld"),
            )

    @r.get("/skizze/{sketch_id}/seite/{number}.png")
    def page_image(request: Request, sketch_id: int, number: int) -> Response:
        """One page of the sketch's PDF as an image, drawn on the server (the evidence
        boxes are drawn over it by the page)."""
        found = sketch_file(request, sketch_id)
        if isinstance(found, Response):
            return found
        sha, store = found.sha256, site.store
        image = site.renderer.page(sha, lambda: store.get(sha), number) if store.has(sha) else None
        if image is None:
            return site.not_found(found.login)
        return Response(
            image.png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
        )

    @r.get("/skizze/{sketch_id}/pdf")
    def sketch_pdf(request: Request, sketch_id: int) -> Response:
        found = sketch_file(request, sketch_id)
        if isinstance(found, Response):
            return found
        if not site.store.has(found.sha256):
            return site.not_found(found.login)
        return Response(
            site.store.get(found.sha256),
            media_type="application/pdf",
            headers={
                "Content-Disposition": content_disposition("inline", found.filename),
                # a PDF may carry JavaScript: shown by the browser's viewer in an opaque,
                # script-less origin (the viewer works under it), never sniffed as HTML
                "Content-Security-Policy": PDF_CSP,
                "X-Content-Type-Options": "nosniff",
            },
        )

    @r.post("/skizze/{sketch_id}/feld/{field_name}")
    async def correct(request: Request, sketch_id: int, field_name: str) -> Response:
        """A staff value for a field or an inferred label list (check boxes: every ticked
        ``wert``), then the rules of the call over the sketch at once (``recheck``). A refused
        value comes back in its field's row with the German reason and what was typed."""
        with session_scope(site.url) as session:
            login, form, refused = await site.checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or site.forbidden(None, "Bitte zuerst anmelden.")
            if not review.correctable(field_name):
                return site.not_found(login)
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
                return site.not_found(login)
            review.correct_field(
                session, sketch_id=sketch_id, field_name=field_name, value=value, actor=login.name
            )
        await run_in_threadpool(recheck, site.config, sketch_id)
        await run_in_threadpool(teach.learn_from_correction, site.config, sketch_id, field_name)
        kept = f"?{query.query}" if request.url.query else ""
        return RedirectResponse(f"/skizze/{sketch_id}{kept}#feld-{field_name}", status_code=303)

    @r.post("/skizze/{sketch_id}/status")
    async def decide(request: Request, sketch_id: int) -> Response:
        with session_scope(site.url) as session:
            login, form, refused = await site.checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or site.forbidden(None, "Bitte zuerst anmelden.")
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
                return site.not_found(login)
            review.set_review_status(session, sketch_id=sketch_id, status=status, actor=login.name)
        kept = f"?{query.query}" if request.url.query else ""
        return RedirectResponse(f"/skizze/{sketch_id}{kept}", status_code=303)

    return r
