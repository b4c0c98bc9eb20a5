"""GX's Data Docs offline: no reference leaves the machine, the local assets are there, and
(where Chromium is installed) the index draws its table and the pages are styled with the
network cut off."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skizzen.steps.datadocs import ASSET_DIR, external_references, make_offline
from skizzen.steps.quality import CheckReport, run_checks
from tests.skizzen.steps.test_quality import CLEAN

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = Path(os.environ.get("SKIZZEN_SCREENSHOT_DIR", REPO / "var" / "screenshots"))
_LOCAL_REF = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"'#]+)["']""", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[CheckReport, Path]:
    docs = tmp_path_factory.mktemp("docs") / "run-3"
    rows = [
        {"key": "1", **CLEAN},
        {"key": "2", **{**CLEAN, "plz": "123", "laufzeit_monate": 48}},
    ]
    report = run_checks(rows, data_docs_dir=docs)
    return report, docs.resolve()


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if p.name != "pruefbericht.html")


def test_every_page_is_rewritten(site: tuple[CheckReport, Path]) -> None:
    _, root = site
    pages = _pages(root)
    assert {p.relative_to(root).parts[0] for p in pages} == {
        "index.html",
        "expectations",
        "validations",
    }
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert external_references(html) == [], page
        assert "https://" not in html and "http://" not in html, page
        assert f"{ASSET_DIR}/offline.css" in html and f"{ASSET_DIR}/offline.js" in html


def test_local_references_resolve(site: tuple[CheckReport, Path]) -> None:
    _, root = site
    for page in [*_pages(root), root / "pruefbericht.html"]:
        for ref in _LOCAL_REF.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / ref.split("?")[0]).resolve()
            assert target.is_file(), f"{page.name}: {ref}"


def test_rewrite_is_idempotent(site: tuple[CheckReport, Path]) -> None:
    _, root = site
    before = {p: p.read_text(encoding="utf-8") for p in _pages(root)}
    make_offline(root, links={"Prüfbericht (deutsch)": "pruefbericht.html"})
    assert {p: p.read_text(encoding="utf-8") for p in _pages(root)} == before


# (id, page text, what must be gone, what must be there)
REWRITES: list[tuple[str, str, str, str]] = [
    (
        "stylesheet",
        '<head><link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/b.css"/></head>',
        "bootstrapcdn",
        'href="static/skizzen/offline.css"',
    ),
    (
        "script",
        '<head><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script></head>',
        "jquery",
        'src="static/skizzen/offline.js"',
    ),
    (
        "protocol-relative",
        '<head><script src="//unpkg.com/x.js" integrity="sha-1"></script></head>',
        "unpkg",
        'src="static/skizzen/offline.js"',
    ),
    (
        "logo",
        '<body><img src="https://great-expectations-web-assets.s3.amazonaws.com/logo-long.png'
        '?d=20261203T1"/></body>',
        "amazonaws",
        'src="static/images/logo-long.png"',
    ),
    (
        "unknown-image",
        '<body><img src="https://example.org/tracker.gif"/></body>',
        "example.org",
        'src=""',
    ),
    (
        "css-url",
        "<style>.a { background: url('https://x.s3.amazonaws.com/dark.png') 0 0; }</style>",
        "amazonaws",
        "background: none 0 0",
    ),
    (
        "anchor",
        '<p>made with <a href="https://greatexpectations.io">Great Expectations</a>.</p>',
        "greatexpectations.io",
        "made with Great Expectations.",
    ),
    (
        "newsletter",
        '<footer><p>Stay current … newsletter <a href="https://greatexpectations.io/'
        'newsletter?utm_source=datadocs">Subscribe</a></p></footer>',
        "Subscribe",
        "",
    ),
]


@pytest.mark.parametrize(
    ("html", "gone", "there"), [r[1:] for r in REWRITES], ids=[r[0] for r in REWRITES]
)
def test_rewrite(tmp_path: Path, html: str, gone: str, there: str) -> None:
    (tmp_path / "static" / "images").mkdir(parents=True)
    (tmp_path / "static" / "images" / "logo-long.png").write_bytes(b"png")
    page = tmp_path / "validations" / "page.html"
    page.parent.mkdir()
    for where in (tmp_path / "index.html", page):
        where.write_text(f"<html>{html}</html>", encoding="utf-8")
    make_offline(tmp_path)
    for where, prefix in ((tmp_path / "index.html", ""), (page, "../")):
        out = where.read_text(encoding="utf-8")
        assert gone not in out
        assert there.replace('="static/', f'="{prefix}static/') in out
        assert external_references(out) == []
    assert (tmp_path / ASSET_DIR / "offline.css").is_file()
    assert (tmp_path / ASSET_DIR / "offline.js").is_file()


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<img src="https://a.example/x.png">', ['src="https://a.example/x.png']),
        ("<link href='//cdn.example/b.css'>", ["href='//cdn.example/b.css"]),
        ("<style>@import 'https://f.example/c.css';</style>", ["@import 'https://f.example/c.css"]),
        ('<div style="background:url(https://i.example/p.png)">', ["url(https://i.example/p.png"]),
        ('<a href="static/x.html">x</a> text about https://example.org', []),
    ],
    ids=["img", "protocol-relative-link", "css-import", "inline-url", "local-and-prose"],
)
def test_external_references(html: str, found: list[str]) -> None:
    assert external_references(html) == found


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def chromium_page() -> Iterator[tuple[Any, list[str]]]:
    """A Chromium page whose every request off ``file://`` is refused and recorded."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    refused: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route(
                re.compile(r"^(?!file:).*"),
                lambda route: (refused.append(route.request.url), route.abort()),
            )
            yield context.new_page(), refused
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.slow
def test_index_draws_its_table_offline(
    site: tuple[CheckReport, Path], chromium_page: tuple[Any, list[str]]
) -> None:
    _, root = site
    page, refused = chromium_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((root / "index.html").as_uri())
    rows = page.locator("table.ge-index-page-validation-results-table tbody tr")
    assert rows.count() == 1
    assert "skizzen_formal_rules_v1" in rows.first.inner_text()
    header = page.locator("#section-1-content-block-1-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(226, 227, 229)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "data-docs-index.png"))
    rows.first.click()  # a row opens its validation page, as with bootstrap-table
    page.wait_for_url(re.compile(r".*/validations/.*\.html$"))
    failed = page.locator(".fa-times.text-danger").first
    assert failed.evaluate("e => getComputedStyle(e, '::before').content") == '"✖︎"'
    more = page.get_by_text("Show more info...").first
    body = page.locator("#" + more.get_attribute("href").lstrip("#"))
    assert not body.is_visible()
    more.click()
    assert body.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "data-docs-validation.png"), full_page=True)
    assert errors == []
    assert refused == []
