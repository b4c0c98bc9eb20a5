"""The taught rules (``/gelernt``): what the extraction learned from staff corrections, those
in use (a reviewer may remove one) and earlier or removed versions (kept for the audit)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from models import teach as learned
from models.db import session_scope
from models.tables import RULE_ACTIVE
from skizzen.doors.web.site import Login, Site
from skizzen.steps import teach

KINDS = {"label": "Bezeichnung", "position": "Position"}
RELATIONS = {
    "inline": "dahinter",
    "inline_nocolon": "dahinter",
    "inline_run": "dahinter",
    "right": "rechts daneben",
    "right_run": "rechts daneben",
    "below": "darunter",
    "below_run": "darunter",
    "row": "in der Tabellenzeile",
}
STATUSES = {"active": "in Gebrauch", "superseded": "ersetzt", "removed": "entfernt"}


def router(site: Site) -> APIRouter:
    """The routes of the taught rules."""
    r = APIRouter()

    def rules_page(login: Login, *, error: str | None = None, status_code: int = 200) -> Response:
        """The learned rules: those in use (staff may remove them), then earlier versions
        and removed ones (kept for the audit: they name what read a stored value)."""
        with session_scope(site.url) as session:
            rows = learned.rule_rows(session)
            session.expunge_all()
        return site.render(
            "gelernt.html", status_code, login=login, error=error,
            active=[r for r in rows if r.row.status == RULE_ACTIVE],
            ended=[r for r in rows if r.row.status != RULE_ACTIVE],
            kinds=KINDS, relations=RELATIONS, statuses=STATUSES,
        )  # fmt: skip

    @r.get("/gelernt")
    def learned_rules(request: Request) -> Response:
        with session_scope(site.url) as session:
            login = site.current_login(request, session)
        if login is None:
            return site.to_login(request)
        return rules_page(login)

    @r.post("/gelernt/{rule_no}/entfernen")
    async def remove_learned_rule(request: Request, rule_no: int) -> Response:
        """Staff take a learned rule out of use: the next extraction of its layout reads
        the field as the machine does (the version stays listed, as removed)."""
        with session_scope(site.url) as session:
            login, _, refused = await site.checked_post(request, session, change=True)
            if refused is not None or login is None:
                return refused or site.forbidden(None, "Bitte zuerst anmelden.")
        if not teach.remove_rule(site.config, rule_no=rule_no, actor=login.name):
            return rules_page(
                login, error=f"Regel #{rule_no} ist nicht (mehr) in Gebrauch.", status_code=404
            )
        return RedirectResponse("/gelernt", status_code=303)

    return r
