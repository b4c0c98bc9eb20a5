"""The report (``/bericht``, self-contained under its own style hash) and the exports of the
current values (``/export.csv``, ``/export.xlsx``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from models.db import session_scope
from skizzen.doors.web.security import style_hash_csp
from skizzen.doors.web.site import Site, content_disposition


def router(site: Site) -> APIRouter:
    """The routes of the report and the exports."""
    r = APIRouter()

    @r.get("/bericht")
    def report_page(request: Request, call: str | None = None) -> Response:
        from skizzen.outputs.export import UnknownCall
        from skizzen.outputs.report import REPORT_CSS, render_report

        with session_scope(site.url) as session:
            login = site.current_login(request, session)
            if login is None:
                return site.to_login(request)
            try:
                html = render_report(session, call=call or None)
            except UnknownCall as exc:
                return site.render(
                    "error.html", 404, login=login, title="Nicht gefunden", message=str(exc)
                )
        return HTMLResponse(html, headers={"Content-Security-Policy": style_hash_csp(REPORT_CSS)})

    @r.get("/export.{fmt}")
    def export(request: Request, fmt: str) -> Response:
        from skizzen.outputs.report import current_rows, write_csv, write_xlsx

        if fmt not in ("csv", "xlsx"):
            with session_scope(site.url) as session:
                return site.not_found(site.current_login(request, session))
        with session_scope(site.url) as session:
            login = site.current_login(request, session)
            if login is None:
                return site.to_login(request)
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
            headers={"Content-Disposition": content_disposition("attachment", out.name)},
        )

    return r
