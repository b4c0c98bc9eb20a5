"""Evidence on the page in a real browser: the page image drawn by the server, the chosen
field's box highlighted over it, and the box leading back to its field (Debian Chromium,
Playwright; the demo site of ``conftest.py``). Screenshots go to ``harness.SCREENSHOTS``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.harness import SCREENSHOTS, Site, login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_fields_evidence_is_highlighted_on_its_page(page: Any, site: Site) -> None:
    from playwright.sync_api import expect

    sid = site.sketches["Stadt Kranichsee"]
    login(page, site, "lea")
    page.wait_for_url("**/pruefliste")
    page.goto(f"{site.base}/skizze/{sid}")
    first = page.locator("#seite-1 img")
    expect(first).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    assert first.evaluate("img => img.naturalWidth") >= 900  # drawn by the server, no viewer

    # choose the applicant's evidence from its field row: its box is the one highlighted
    page.locator("#feld-antragsteller a.goto").click()
    page.wait_for_url("**feld=antragsteller**")
    selected = page.locator("svg.boxes rect.ev.sel")
    expect(selected).to_have_count(1)
    box = selected.bounding_box()
    target = page.locator("#feld-antragsteller a.goto").get_attribute("href") or ""
    img = page.locator(f"{target[target.index('#') :]} img")  # the page the link goes to
    frame = img.bounding_box()
    assert box and frame and box["width"] > 20 and box["height"] > 5
    assert frame["x"] <= box["x"] <= frame["x"] + frame["width"]  # over the page image
    assert frame["y"] <= box["y"] <= frame["y"] + frame["height"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "beleg-auf-der-seite.png"), full_page=False)

    # and the box leads back to its field
    selected.click()
    page.wait_for_url("**#feld-antragsteller")
    expect(page.locator("#feld-antragsteller a.goto.sel")).to_be_visible()
