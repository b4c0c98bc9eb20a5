"""Working through the queue in a real browser (Debian's Chromium, Playwright): the page's
own script under the CSP, j/k and the arrow keys between sketches of the current filter, a
to approve, select all and bulk approval, and the same actions with JavaScript off.

The site is the demo mailbox (``conftest.py``): five sketches, four of them "ohne Befund".
Nothing waits for a fixed time: Playwright's assertions wait for what they check.
Screenshots go to ``harness.SCREENSHOTS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from models import queue
from models.db import session_scope
from models.tables import AuditEvent, Sketch
from tests.browser.harness import SCREENSHOTS, Site, login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _statuses(site: Site) -> dict[int, str]:
    with session_scope(site.config.database_url) as s:
        return {int(sk.id): sk.status for sk in s.exec(select(Sketch))}  # type: ignore[arg-type]


def _order(site: Site, **filters: Any) -> list[int]:
    with session_scope(site.config.database_url) as s:
        return [r.sketch_id for r in queue.review_queue(s, selection=queue.Selection(**filters))]


def _approved_by_anna(site: Site) -> list[int]:
    with session_scope(site.config.database_url) as s:
        events = s.exec(
            select(AuditEvent).where(AuditEvent.actor == "anna", AuditEvent.action == "status")
        ).all()
        return sorted(int(e.sketch_id) for e in events if e.sketch_id and e.new == "approved")


@pytest.fixture()
def csp_errors(page: Any) -> Iterator[list[str]]:
    """Console errors about the Content-Security-Policy on the page's own documents."""
    found: list[str] = []

    def seen(msg: Any) -> None:
        if msg.type == "error" and "Content Security Policy" in msg.text:
            found.append(msg.text)

    page.on("console", seen)
    yield found


def _blur(page: Any) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def test_keys_move_within_the_filter_and_approve(
    page: Any, site: Site, csp_errors: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    query = "status=alle&sortierung=kosten"  # highest total cost first
    order = _order(site, status=None, sort="cost", descending=True)
    assert len(order) == len(site.sketches) >= 3
    login(page, site, "anna")
    page.wait_for_url("**/pruefliste")

    # the queue: the script runs under script-src 'self' and turns on its extras
    page.goto(f"{site.base}/pruefliste?{query}&suche=e")
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    expect(page.locator("[data-select-all]")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "pruefliste-suche-sortierung.png"), full_page=True)

    # j pages on in the queue, but not while typing in the search field
    monkeypatch.setattr(queue, "PER_PAGE", 2)  # the app runs in this process
    page.goto(f"{site.base}/pruefliste?{query}")
    search = page.locator("input[name=suche]")
    search.focus()
    page.keyboard.press("j")
    expect(search).to_have_value("j")
    assert "seite=" not in page.url
    _blur(page)
    page.keyboard.press("j")
    page.wait_for_url(f"**/pruefliste?{query}&seite=2")
    expect(page.locator("nav.pager span").first).to_have_text("Seite 2 von 3")
    monkeypatch.undo()

    # from the queue into the first sketch, then j / k / arrows between sketches
    page.goto(f"{site.base}/pruefliste?{query}")
    page.locator("table.queue tbody tr").first.locator("td a").first.click()
    page.wait_for_url(f"**/skizze/{order[0]}?{query}")
    expect(page.locator(".queue-nav")).to_contain_text(f"1 von {len(order)}")
    _blur(page)
    page.keyboard.press("j")
    page.wait_for_url(f"**/skizze/{order[1]}?{query}")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"**/skizze/{order[2]}?{query}")
    page.keyboard.press("k")
    page.wait_for_url(f"**/skizze/{order[1]}?{query}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"**/skizze/{order[0]}?{query}")
    page.keyboard.press("k")  # the first has no previous: nothing happens
    expect(page.locator(".queue-nav")).to_contain_text(f"1 von {len(order)}")
    assert page.url.endswith(f"/skizze/{order[0]}?{query}")

    # a approves the sketch shown: the existing form, the filter kept
    ready = [sid for sid in order if _statuses(site)[sid] == "ready"]
    target = ready[0]
    page.goto(f"{site.base}/skizze/{target}?status=ready")
    expect(page.locator(".queue-nav [data-js-only]")).to_contain_text("a freigeben")
    page.screenshot(path=str(SCREENSHOTS / "skizze-navigation.png"))
    _blur(page)
    page.keyboard.press("a")
    expect(page.locator("h1 .badge")).to_have_text("freigegeben")
    assert page.url.endswith(f"/skizze/{target}?status=ready")
    expect(page.locator(".queue-nav")).to_contain_text("nicht (mehr) in der Auswahl")
    assert _statuses(site)[target] == "approved" and target in _approved_by_anna(site)
    page.keyboard.press("a")  # approved already: no approve form, nothing happens
    expect(page.locator("h1 .badge")).to_have_text("freigegeben")
    page.screenshot(path=str(SCREENSHOTS / "skizze-freigegeben-per-taste.png"))
    assert csp_errors == []


def test_bulk_approval_with_select_all(page: Any, site: Site, csp_errors: list[str]) -> None:
    from playwright.sync_api import expect

    ready = _order(site, status="ready")
    assert len(ready) >= 2
    keep = ready[-1]
    before = _approved_by_anna(site)
    login(page, site, "anna")
    page.wait_for_url("**/pruefliste")
    page.goto(f"{site.base}/pruefliste?status=alle")
    boxes = page.locator("input[name=skizze]")
    assert sorted(int(v) for v in boxes.evaluate_all("bs => bs.map(b => b.value)")) == sorted(
        ready
    )  # no check box for a sketch with findings
    page.locator("[data-select-all]").check()
    for box in boxes.all():
        expect(box).to_be_checked()
    page.locator(f"input[name=skizze][value='{keep}']").uncheck()
    expect(page.locator("[data-select-all]")).not_to_be_checked()
    page.screenshot(path=str(SCREENSHOTS / "pruefliste-sammelfreigabe.png"), full_page=True)
    page.click("button:has-text('Ausgewählte freigeben')")
    expect(page.locator(".notice")).to_have_text(f"{len(ready) - 1} Skizzen freigegeben.")
    assert "status=alle" in page.url
    statuses = _statuses(site)
    assert [statuses[sid] for sid in ready] == ["approved"] * (len(ready) - 1) + ["ready"]
    assert _approved_by_anna(site) == sorted(before + ready[:-1])  # one audit event each
    page.screenshot(path=str(SCREENSHOTS / "pruefliste-freigegeben.png"), full_page=True)
    assert csp_errors == []


def test_everything_works_without_javascript(browser: Any, site: Site) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        ready = _order(site, status="ready")
        assert ready, "the bulk test leaves one sketch ready"
        login(page, site, "anna")
        page.wait_for_url("**/pruefliste")
        page.goto(f"{site.base}/pruefliste?status=alle&sortierung=sicherheit")
        expect(page.locator("html")).not_to_have_class(re.compile(r"\bjs\b"))
        expect(page.locator("[data-select-all]")).to_be_hidden()  # it needs the script
        order = _order(site, status=None, sort="confidence")
        page.locator("table.queue tbody tr").first.locator("td a").first.click()
        page.wait_for_url(f"**/skizze/{order[0]}?status=alle&sortierung=sicherheit")
        page.click("a[rel=next]")
        page.wait_for_url(f"**/skizze/{order[1]}?status=alle&sortierung=sicherheit")
        page.click("a[rel=prev]")
        page.wait_for_url(f"**/skizze/{order[0]}?status=alle&sortierung=sicherheit")
        page.goto(f"{site.base}/pruefliste?status=ready")
        page.locator(f"input[name=skizze][value='{ready[0]}']").check()
        page.click("button:has-text('Ausgewählte freigeben')")
        expect(page.locator(".notice")).to_have_text("1 Skizze freigegeben.")
        assert _statuses(site)[ready[0]] == "approved"
    finally:
        context.close()
