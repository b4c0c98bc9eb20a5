"""The Posteingang and the corrections that teach, in a real browser (Debian Chromium,
Playwright; the demo site of ``conftest.py``, with more mail added here):

* an encrypted sample PDF in the Posteingang, opened with its password through the form:
  it becomes a sketch with its fields;
* a correction on one sketch of a form teaches its layout: the rule is listed on
  "Gelernte Regeln", and a second sketch of the same form, extracted again, reads the field
  there, its evidence naming the correction.

Screenshots go to ``harness.SCREENSHOTS``.
"""

from __future__ import annotations

from typing import Any

import pytest

from models import repo
from models.db import session_scope
from skizzen.documents.parsing import PARSER_VERSION, ParseCache, parse_pdf_inprocess
from skizzen.intake.store import BlobStore
from tests.browser.harness import SCREENSHOTS, Site, login
from tests.extractors.render_pdf import TEACH_FORMS, teach_form
from tests.web.factory import ENCRYPTED_SAMPLE, PASSWORD_OF_S065, add_encrypted_sample

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.skipif(not ENCRYPTED_SAMPLE.is_file(), reason="the sample corpus (../shared)")
def test_an_encrypted_pdf_is_opened_from_the_inbox(page: Any, site: Site) -> None:
    from playwright.sync_api import expect

    att_id = add_encrypted_sample(site.config)

    login(page, site, "anna")
    page.wait_for_url("**/pruefliste")
    page.click("nav >> text=Posteingang")
    page.select_option("select[name=ergebnis]", "encrypted")
    page.click("button:has-text('Filtern')")
    row = page.locator(f"#anhang-{att_id}")
    expect(row).to_contain_text("verschlüsselt")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "posteingang-verschluesselt.png"), full_page=True)

    row.locator("input[name=passwort]").fill("falsch")
    row.locator("button:has-text('mit Passwort öffnen')").click()
    expect(page.locator(f"#anhang-{att_id} .error")).to_have_text(
        "Das Passwort öffnet die Datei nicht."
    )
    row = page.locator(f"#anhang-{att_id}")
    row.locator("input[name=passwort]").fill(PASSWORD_OF_S065)
    row.locator("button:has-text('mit Passwort öffnen')").click()
    page.wait_for_url(f"**/posteingang#anhang-{att_id}", timeout=120_000)
    page.goto(f"{site.base}/posteingang?ergebnis=sketch&suche=VeDi")
    row = page.locator(f"#anhang-{att_id}")
    expect(row).to_contain_text("entschlüsselt")
    page.screenshot(path=str(SCREENSHOTS / "posteingang-entschluesselt.png"), full_page=True)
    row.locator("a[href^='/skizze/']").click()
    expect(page.locator("#feld-antragsteller .value")).to_have_text(
        "Verbandsgemeinde Eulenwitz-Land"
    )


def _add_forms(site: Site) -> dict[str, int]:
    """Two sketches of one form, parsed and stored with a machine that missed the
    applicant (as an unknown layout can make it)."""
    store, cache = BlobStore(site.config.blob_dir), ParseCache(site.config.parse_cache_dir)
    ids: dict[str, int] = {}
    with session_scope(site.config.database_url) as s:
        for key, (head, title, total) in TEACH_FORMS.items():
            pdf = teach_form(head, title, total)
            doc = parse_pdf_inprocess(pdf)
            cache.put(doc)
            store.put(pdf)
            sketch = repo.get_or_create_sketch(
                s, sha256=doc.sha256, call_id="heimat-2.0", received_at=None
            )
            ids[key] = int(sketch.id)  # type: ignore[arg-type]
            repo.store_extraction(
                s,
                sketch_id=ids[key],
                fields={
                    "antragsteller": {
                        "value": None,
                        "confidence": 0.2,
                        "evidence": None,
                        "extractor": "t@1",
                    },
                    "projekttitel": {
                        "value": title,
                        "confidence": 0.9,
                        "evidence": None,
                        "extractor": "t@1",
                    },
                },
                themes=[],
                loesungsart=[],
                theme_model_version="t",
                parser_version=PARSER_VERSION,
                page_count=1,
                run_id=None,
            )
    return ids


def test_a_label_learned_from_a_correction_reads_the_next_sketch(page: Any, site: Site) -> None:
    from playwright.sync_api import expect

    from skizzen.steps import pipeline

    ids = _add_forms(site)
    login(page, site, "anna")
    page.wait_for_url("**/pruefliste")
    page.goto(f"{site.base}/skizze/{ids['lindenhagen']}")
    row = page.locator("#feld-antragsteller")
    row.locator("summary:has-text('korrigieren')").click()
    row.locator("input[name=wert]").fill("Gemeinde Lindenhagen")
    row.locator("button:has-text('Speichern')").click()
    expect(page.locator("#feld-antragsteller .value")).to_have_text("Gemeinde Lindenhagen")

    page.click("nav >> text=Gelernte Regeln")
    rules = page.locator("main")
    expect(rules).to_contain_text("Antragsteller")
    expect(rules).to_contain_text(f"Skizze {ids['lindenhagen']}")
    page.screenshot(path=str(SCREENSHOTS / "gelernte-regeln.png"), full_page=True)

    # the second sketch of the form, extracted again (what a rerun does)
    pipeline.extract_sketches(site.config, sketch_ids=[ids["wesselwerder"]], run_id=None)
    page.goto(f"{site.base}/skizze/{ids['wesselwerder']}")
    expect(page.locator("#feld-antragsteller .value")).to_have_text("Amt Wesselwerder")
    expect(page.locator("#feld-antragsteller .evidence")).to_contain_text(
        "gelernt aus der Korrektur"
    )
    page.screenshot(path=str(SCREENSHOTS / "gelernt-angewendet.png"), full_page=True)
