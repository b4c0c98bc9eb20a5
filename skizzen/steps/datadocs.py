"""Make GX's Data Docs readable offline: no CDN, no web fonts or logos from S3.

GX 1.x renders every page with Bootstrap 4, bootstrap-table, jQuery, Popper, Font Awesome,
bootstrap-datepicker and Vega from public CDNs and its logo from an S3 bucket, and ships
none of them; offline the index is empty (its table is drawn by bootstrap-table) and the
pages unstyled. GX's templates cannot be overridden (its own loader comes first), so the
written HTML is rewritten: every external stylesheet and script goes, in their place come
``static/skizzen/offline.css`` (the part of Bootstrap the pages use, icons as Unicode) and
``offline.js`` (the part of jQuery, Bootstrap and bootstrap-table their inline scripts call),
both ours and copied from this package; the logo points at GX's local copy. Nothing is
fetched, at build time or when the pages are opened.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["ASSET_DIR", "external_references", "make_offline"]

ASSET_DIR = "static/skizzen"
"""Where the local assets go, relative to the site root."""

_ASSETS = Path(__file__).with_name("datadocs_assets")
_URL = r"(?:https?:)?//"

_EXTERNAL_LINK = re.compile(rf"<link\b[^>]*\bhref\s*=\s*[\"']{_URL}[^>]*>\s*", re.I)
_EXTERNAL_SCRIPT = re.compile(rf"<script\b[^>]*\bsrc\s*=\s*[\"']{_URL}[^>]*>\s*</script>\s*", re.I)
_EXTERNAL_IMG = re.compile(
    rf"(<img\b[^>]*\bsrc\s*=\s*)([\"']){_URL}[^\"']*?([^/\"'?]+)(\?[^\"']*)?\2", re.I
)
_CSS_URL = re.compile(rf"url\(\s*([\"']?){_URL}[^)]*\1\s*\)", re.I)
_EXTERNAL_ANCHOR = re.compile(rf"<a\b[^>]*\bhref\s*=\s*[\"']{_URL}[^>]*>(.*?)</a>", re.I | re.S)
_NEWSLETTER = re.compile(
    r"<footer>(?:(?!</footer>).)*newsletter(?:(?!</footer>).)*</footer>\s*", re.I | re.S
)
_STATIC_REF = re.compile(
    r"""(\b(?:src|href)\s*=\s*)(["'])((?:\.\./|\./)*)static/([^"'?#]+)""", re.I
)
_REFERENCE = re.compile(
    r"(?:\b(?:src|href|action|poster|data)\s*=\s*[\"']?|url\(\s*[\"']?|@import\s+[\"']?)"
    rf"{_URL}[^\s\"')>]*",
    re.I,
)


def external_references(html: str) -> list[str]:
    """Every reference in ``html`` that a browser would fetch or follow off this machine
    (attributes ``src``/``href``/…, CSS ``url()`` and ``@import``)."""
    return [m.group(0) for m in _REFERENCE.finditer(html)]


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def _rewrite(html: str, page: Path, site: Path, links: Mapping[str, str]) -> str:
    assets = site / ASSET_DIR
    local = (
        f'<link rel="stylesheet" href="{_relative(assets / "offline.css", page)}">\n'
        f'<script src="{_relative(assets / "offline.js", page)}"></script>\n'
    )
    placed = False

    def first_only(match: re.Match[str]) -> str:
        nonlocal placed
        if placed:
            return ""
        placed = True
        return local

    html = _EXTERNAL_LINK.sub(first_only, html)  # where Bootstrap was, before GX's own styles
    html = _EXTERNAL_SCRIPT.sub(first_only, html)
    if not placed and f"{ASSET_DIR}/offline.js" not in html:
        html = html.replace("</head>", local + "</head>", 1)

    images = site / "static" / "images"

    def local_image(match: re.Match[str]) -> str:
        name = match.group(3)
        if (images / name).is_file():
            return (
                f"{match.group(1)}{match.group(2)}{_relative(images / name, page)}{match.group(2)}"
            )
        return f'{match.group(1)}""'

    html = _EXTERNAL_IMG.sub(local_image, html)

    def fix_static(match: re.Match[str]) -> str:
        # GX's favicon path on validation pages is one "../" short; point at the real file
        rest = match.group(4)
        if (page.parent / f"{match.group(3)}static/{rest}").is_file():
            return match.group(0)
        if not (site / "static" / rest).is_file():
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{_relative(site / 'static' / rest, page)}"

    html = _STATIC_REF.sub(fix_static, html)
    html = _CSS_URL.sub("none", html)
    html = _NEWSLETTER.sub("", html)
    html = _EXTERNAL_ANCHOR.sub(r"\1", html)
    if links and page == site / "index.html" and "skizzen-links" not in html:
        items = " · ".join(
            f'<a href="{_relative(site / href, page)}">{text}</a>' for text, href in links.items()
        )
        html = re.sub(
            r"(<body[^>]*>)",
            rf'\1\n<div class="skizzen-links" lang="de">{items}</div>',
            html,
            count=1,
        )
    return html


def _pages(site: Path) -> Iterable[Path]:
    return sorted(site.rglob("*.html"))


def make_offline(site: Path, *, links: Mapping[str, str] | None = None) -> list[Path]:
    """Rewrite every HTML page of the Data Docs site at ``site`` to use local assets only
    and copy those assets into it; ``links`` (text → path relative to the site) are put at
    the top of the site's ``index.html``, e.g. the German Prüfbericht. Returns the pages.

    Idempotent: a page already rewritten has no external reference left to replace.
    """
    site = Path(site)
    target = site / ASSET_DIR
    target.mkdir(parents=True, exist_ok=True)
    for asset in ("offline.css", "offline.js"):
        shutil.copyfile(_ASSETS / asset, target / asset)
    pages = [p for p in _pages(site) if not p.is_relative_to(target)]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        new = _rewrite(html, page, site, links or {})
        if new != html:
            page.write_text(new, encoding="utf-8")
    return pages
