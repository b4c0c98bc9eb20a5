"""The review page in a real browser: Debian's headless Chromium driven by Playwright.

The demo mailbox is ingested once through the pipeline functions into a temp database; the
app runs under uvicorn in a thread on a free local port. Screenshots of the queue and the
detail view go to ``$SKIZZEN_SCREENSHOT_DIR`` (default ``var/screenshots`` in the repo).
"""

from __future__ import annotations

import csv
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models.db import get_engine, init_db, session_scope
from models.tables import FieldValue, Sketch
from skizzen.outputs.table import TITLES
from skizzen.settings import RuntimeConfig, load_runtime
from tests.web.factory import PASSWORD, XSS, cheap_hashing, seed_users

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SKIZZEN_SCREENSHOT_DIR", REPO / "var" / "screenshots"))
PARTNERS = ["Dorfladen Lindenhagen e. V.", "Bäckerei Pagel GmbH"]


@dataclass
class Site:
    base: str
    config: RuntimeConfig
    sketches: dict[str, int]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ingest_demo(config: RuntimeConfig, mail: Path) -> None:
    """The pipeline steps of the ingest flow, without Prefect."""
    from skizzen.steps import intake as intake_step
    from skizzen.steps import pipeline

    stored = intake_step.intake(config, source=str(mail), run_id=None)
    made = pipeline.receive_messages(config, message_pks=stored.message_pks, run_id=None)
    pipeline.link_versions(config)
    pipeline.check_sketches(
        config, sketch_ids=made["extracted_ids"], run_id=None, data_docs_dir=None
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    import uvicorn

    from lab.demo import make_demo_mailbox
    from skizzen.doors.web.app import create_app

    base = tmp_path_factory.mktemp("browser")
    make_demo_mailbox(base / "mail")
    data = base / "data"
    config = load_runtime(data_dir=data, database_url=f"sqlite:///{data / 'review.db'}")
    _ingest_demo(config, base / "mail")
    engine = get_engine(config.database_url)
    init_db(engine)
    with session_scope(config.database_url) as s:
        sketches = {}
        for sk in s.exec(select(Sketch)):
            fv = s.exec(
                select(FieldValue).where(
                    FieldValue.sketch_id == sk.id, FieldValue.field == "antragsteller"
                )
            ).one()
            sketches[str(fv.value)] = int(sk.id)  # type: ignore[arg-type]
        # a hostile value as if a PDF had carried it
        target = s.exec(
            select(FieldValue).where(
                FieldValue.sketch_id == sketches["Stadt Kranichsee"],
                FieldValue.field == "projekttitel",
            )
        ).one()
        target.value = XSS
        target.snippet = XSS
        s.add(target)
    with cheap_hashing():
        with session_scope(config.database_url) as s:
            seed_users(s)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(config),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="off",
                ws="none",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        try:
            yield Site(base=f"http://127.0.0.1:{port}", config=config, sketches=sketches)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            engine.dispose()


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def _login(page: Any, site: Site, user: str, password: str = PASSWORD) -> None:
    page.goto(site.base + "/")
    page.fill("#benutzer", user)
    page.fill("#passwort", password)
    page.click("button:has-text('Anmelden')")


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
    page.wait_for_url(f"**/skizze/{sid}")
    assert page.locator("iframe[src$='/pdf']").count() == 1
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
