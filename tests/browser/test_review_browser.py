"""The review page in a real browser: Debian's headless Chromium driven by Playwright.

The demo mailbox is ingested once through the pipeline functions into a temp database; the
app runs under uvicorn in a thread on a free local port (fixtures: ``conftest.py``, shared
with the other browser tests). Screenshots of the queue and the detail view go to
``$SKIZZEN_SCREENSHOT_DIR`` (default ``var/screenshots`` in the repo).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from models.db import session_scope
from skizzen.outputs.table import TITLES
from tests.browser.harness import SCREENSHOTS, Site
from tests.browser.harness import login as _login
from tests.web.factory import PASSWORD, XSS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTNERS = ["Dorfladen Lindenhagen e. V.", "Bäckerei Pagel GmbH"]


def _current(site: Site, sketch_id: int) -> dict[str, Any]:
    from skizzen.outputs.export import sketch_records

    with session_scope(site.config.database_url) as s:
        return next(r for r in sketch_records(s) if r["sketch_id"] == sketch_id)


def test_wrong_password_is_refused(page: Any, site: Site) -> None:
    _login(page, site, "anna", PASSWORD + "!")
    assert page.url.startswith(site.base + "/login")
    assert page.get_by_role("alert").inner_text() == "Benutzername oder Passwort ist falsch."
    assert not [c for c in page.context.cookies() if c["name"] == "skizzen_session"]
    page.goto(site.base + "/pruefliste")
    assert "/login" in page.url


def test_reviewer_corrects_approves_and_finds_it_in_the_export(page: Any, site: Site) -> None:
    sid = site.sketches["Gemeinde Lindenhagen"]
    _login(page, site, "anna")
    page.wait_for_url("**/pruefliste")
    assert page.locator("table.queue tbody tr").count() >= 1  # default: needs review only
    page.select_option("select[name=status]", "alle")
    page.click("button:has-text('Filtern')")
    page.wait_for_url("**/pruefliste?status=alle*")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == len(site.sketches)
    assert "Gemeinde Lindenhagen" in rows.first.inner_text()  # oldest first
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "pruefliste.png"), full_page=True)

    page.click("text=Gemeinde Lindenhagen")
    page.wait_for_url(f"**/skizze/{sid}?status=alle")  # the queue's filter goes along
    assert page.locator("#seite-1 img").count() == 1  # the page, drawn by the server
    assert page.locator("a[href$='/pdf']").count() >= 1  # and the original PDF a link away
    page.wait_for_timeout(2500)  # the PDF viewer paints in its own process; give it time
    page.screenshot(path=str(SCREENSHOTS / "detail.png"))

    row = page.locator("#feld-kooperationspartner")
    row.locator("summary").click()
    row.locator("textarea").fill("\n".join(PARTNERS))
    row.locator("button:has-text('Speichern')").click()
    page.wait_for_load_state()
    row = page.locator("#feld-kooperationspartner")
    assert row.locator(".value").inner_text().splitlines() == PARTNERS
    assert "korrigiert von anna" in row.inner_text()
    audit = page.locator("table.audit tbody tr").first.inner_text()
    assert "anna" in audit and "Korrektur" in audit and "Kooperationspartner" in audit

    page.click("button:has-text('Freigeben')")
    page.wait_for_load_state()
    assert page.locator("h1 .badge").inner_text() == "freigegeben"
    page.screenshot(path=str(SCREENSHOTS / "detail-freigegeben.png"), full_page=True)

    with page.expect_download() as info:
        page.click("text=Export CSV")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows_csv = {
        int(r[TITLES["sketch_id"]]): r for r in csv.DictReader(io.StringIO(text), delimiter=";")
    }  # German headers (skizzen/outputs/table.py)
    assert rows_csv[sid][TITLES["kooperationspartner"]] == "; ".join(PARTNERS)
    assert rows_csv[sid][TITLES["status"]] == "approved"
    record = _current(site, sid)
    assert record["fields"]["kooperationspartner"] == PARTNERS
    assert record["status"] == "approved"


def test_reader_sees_no_forms_and_a_forged_post_is_refused(page: Any, site: Site) -> None:
    sid = site.sketches["Verbandsgemeinde Eichenmühle"]
    before = _current(site, sid)
    _login(page, site, "lea")
    page.wait_for_url("**/pruefliste")
    page.goto(f"{site.base}/skizze/{sid}")
    assert page.locator("form[action*='/feld/'], form[action$='/status']").count() == 0
    assert page.locator("text=korrigieren").count() == 0
    token = page.locator("form[action='/logout'] input[name=csrf_token]").get_attribute("value")
    for path, data in (
        (f"/skizze/{sid}/status", {"status": "approved"}),
        (f"/skizze/{sid}/feld/gesamtkosten_eur", {"wert": "1"}),
    ):
        r = page.request.post(site.base + path, form={"csrf_token": token, **data})
        assert r.status == 403
        r = page.request.post(site.base + path, form=data)
        assert r.status == 403
    assert _current(site, sid) == before


def test_script_payload_in_a_field_is_shown_as_text(page: Any, site: Site) -> None:
    sid = site.sketches["Stadt Kranichsee"]
    _login(page, site, "anna")
    page.wait_for_url("**/pruefliste")
    assert page.evaluate("() => window.__xss") is None
    page.goto(f"{site.base}/skizze/{sid}")
    value = page.locator("#feld-projekttitel .value").inner_text()
    assert value == XSS
    assert page.locator("img[src='x']").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    page.screenshot(path=str(SCREENSHOTS / "detail-xss.png"))
