"""The review queue (``/pruefliste``): filter, order and one page of sketches; a reviewer
ticks the finding-free ones to approve together (``/pruefliste/freigeben``)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from models.db import session_scope
from models.queue import approve_without_findings, filter_choices, queue_page
from skizzen import labels
from skizzen.doors.web.query import ALL, QueueQuery
from skizzen.doors.web.site import Site


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


def _status_order(status: str) -> int:
    order = list(labels.STATUS_LABELS)
    return order.index(status) if status in order else len(order)


def router(site: Site) -> APIRouter:
    """The routes of the queue."""
    r = APIRouter()

    @r.get("/pruefliste")
    def queue(request: Request, seite: str = "1") -> Response:
        """The queue: filter (status, call, topic field, ``suche``), order (``sortierung``,
        ``richtung``), one page; a reviewer ticks finding-free sketches to approve together."""
        query = QueueQuery.of(request.query_params)
        with session_scope(site.url) as session:
            login = site.current_login(request, session)
            if login is None:
                return site.to_login(request)
            page = queue_page(
                session,
                selection=query.selection(),
                page=int(seite) if seite.isdigit() else 1,  # a bad page number: the first
            )
            choices = filter_choices(session)
        statuses = sorted(set(choices["statuses"]) | {"needs_review"}, key=_status_order)
        notice, error = _bulk_notice(request.query_params)
        return site.render(
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

    @r.post("/pruefliste/freigeben")
    async def approve_selected(request: Request, seite: str = "1") -> Response:
        """Approve the ticked sketches (``skizze``, repeated) that have no findings, each with
        its own audit event; one with findings is refused and named. Back to the queue."""
        query = QueueQuery.of(request.query_params)
        with session_scope(site.url) as session:
            login, _, refused = await site.checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or site.forbidden(None, "Bitte zuerst anmelden.")
            ticked = (await request.form()).getlist("skizze")  # parsed once, cached
            ids = {
                int(v)
                for v in ticked
                if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 10
            }
            done = approve_without_findings(session, sketch_ids=ids, actor=login.name)
        result = {"freigegeben": str(len(done.approved))}
        if done.refused:
            result["nicht"] = ",".join(str(i) for i in done.refused)
        page = f"&seite={seite}" if seite.isdigit() else ""
        return RedirectResponse(
            f"/pruefliste?{query.query}{page}&{urlencode(result)}", status_code=303
        )

    return r
