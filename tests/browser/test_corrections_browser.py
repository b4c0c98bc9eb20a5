"""Corrections in a real browser: a ticked topic field changes the report's count, and a
corrected value clears its finding at once (no rerun between).

The fixtures of ``conftest.py`` (demo mailbox ingested into a temp database, the app under
uvicorn, Debian's headless Chromium) give this module its own site, so its corrections do not
meet another module's. Screenshots go to the shared folder (``harness.SCREENSHOTS``).
"""

from __future__ import annotations

from typing import Any

import pytest

from models.db import session_scope
from tests.browser.harness import SCREENSHOTS, Site
from tests.browser.harness import login as _login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SUPPLY = "Lokale und regionale Versorgung"


def _current(site: Site, sketch_id: int) -> dict[str, Any]:
    """The sketch as the export has it (the read model)."""
    from skizzen.outputs.export import sketch_records

    with session_scope(site.config.database_url) as s:
        return next(r for r in sketch_records(s) if r["sketch_id"] == sketch_id)


def _topic_counts(page: Any, site: Site) -> dict[str, int]:
    """The report's "Thematische Streuung" table: sketches per topic field."""
    page.goto(site.base + "/bericht")
    rows = page.locator("h2:has-text('Thematische Streuung') ~ table").first.locator("tr")
    return {
        rows.nth(i).locator("td").nth(0).inner_text(): int(
            rows.nth(i).locator("td").nth(1).inner_text()
        )
        for i in range(rows.count())
    }


def _save(row: Any) -> None:
    row.locator("button:has-text('Speichern')").click()


def test_a_ticked_topic_field_changes_the_report_count(page: Any, site: Site) -> None:
    sid = site.sketches["Samtgemeinde Hünenbrück"]
    _login(page, site, "anna")
    page.wait_for_url("**/pruefliste")
    before = _topic_counts(page, site)
    machine = _current(site, sid)["themes"]
    assert SUPPLY not in machine

    page.goto(f"{site.base}/skizze/{sid}")
    row = page.locator("#feld-themes")
    row.locator("summary").click()
    boxes = row.locator("input[type=checkbox]")
    assert boxes.count() == len(before)  # the seven topic fields of the call, nothing else
    row.get_by_label(SUPPLY).check()
    _save(row)
    page.wait_for_url("**#feld-themes")
    row = page.locator("#feld-themes")
    assert row.locator(".value").inner_text().splitlines() == [SUPPLY, *machine]
    assert "korrigiert von anna" in row.inner_text()
    assert row.locator(".machine").inner_text().splitlines() == machine  # beside, not lost
    row.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "korrektur-themenfeld.png"))

    after = _topic_counts(page, site)
    assert after[SUPPLY] == before[SUPPLY] + 1
    assert {k: v for k, v in after.items() if k != SUPPLY} == {
        k: v for k, v in before.items() if k != SUPPLY
    }
    page.screenshot(path=str(SCREENSHOTS / "bericht-nach-korrektur.png"), full_page=True)
    assert _current(site, sid)["themes"] == [SUPPLY, *machine]


def _set(page: Any, field: str, value: str) -> Any:
    row = page.locator(f"#feld-{field}")
    row.locator("summary").click()
    row.locator("input[name=wert]").fill(value)
    _save(row)
    page.wait_for_url(f"**#feld-{field}")
    return page.locator(f"#feld-{field}")


def test_a_correction_clears_its_finding_at_once(page: Any, site: Site) -> None:
    sid = site.sketches["Verbandsgemeinde Eichenmühle"]
    _login(page, site, "anna")
    page.wait_for_url("**/pruefliste")
    page.goto(f"{site.base}/skizze/{sid}")
    findings = page.locator("section.data ul.findings")
    assert page.locator("h1 .badge").inner_text() == "ohne Befund"

    _set(page, "bundesland", "Westerwald")  # a region, not a state: the rule fires at once
    assert "Bundesland unbekannt" in findings.inner_text()
    assert "„Westerwald“" in findings.inner_text()
    assert page.locator("h1 .badge").inner_text() == "zu prüfen"
    page.locator("h1").scroll_into_view_if_needed()  # badge, findings and the row
    page.screenshot(path=str(SCREENSHOTS / "korrektur-befund-neu.png"))

    row = _set(page, "bundesland", "Rheinland-Pfalz")
    assert row.locator(".value").inner_text() == "Rheinland-Pfalz"
    assert findings.count() == 0 and "Keine Befunde." in page.locator("section.data").inner_text()
    assert page.locator("h1 .badge").inner_text() == "ohne Befund"
    assert "beim nächsten Lauf" not in page.locator("section.data").inner_text()
    page.locator("h1").scroll_into_view_if_needed()  # badge, findings and the row
    page.screenshot(path=str(SCREENSHOTS / "korrektur-befund-behoben.png"))
    record = _current(site, sid)
    assert (record["violations"], record["status"]) == ([], "ready")

    # a refused date comes back in its own row, with what was typed
    row = page.locator("#feld-projektbeginn")
    row.locator("summary").click()
    row.locator("input[name=wert]").fill("31.02.2022")
    _save(row)
    page.wait_for_load_state()
    row = page.locator("#feld-projektbeginn")
    assert (
        row.get_by_role("alert").inner_text()
        == "„31.02.2022“ ist kein gültiges Datum (TT.MM.JJJJ)."
    )
    assert row.locator("input[name=wert]").input_value() == "31.02.2022"
    assert row.get_by_role("alert").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "korrektur-fehler-im-feld.png"))
