"""Page images of a PDF for the review page, rendered in a confined child.

Staff see each field's evidence where it stands on the page, so the page is drawn as an
image on the server (pypdfium2): no PDF viewer, no script from the document, no CDN. The
PDF is hostile input like any attachment, so rendering runs in a warm child of the sandbox
(``skizzen.documents.sandbox``: clean environment, no capabilities, an address-space
limit, a time limit per page). Rendered pages are cached on disk by the PDF's sha256.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skizzen.documents.sandbox import ChildProcess, serve
from skizzen.intake.store import write_atomically

__all__ = ["PageImage", "PageRenderer"]

log = logging.getLogger(__name__)

WIDTH_PX = 1000
"""Width of a page image: sharp enough to read a form at screen width, small to send."""
_MAX_PAGES = 200


@dataclass(frozen=True)
class PageImage:
    """One rendered page: PNG bytes and the page's size in PDF points (for the boxes)."""

    png: bytes
    width: float
    height: float


class PageRenderer:
    """Renders pages in one warm child; thread-safe (requests queue on the child's lock)."""

    def __init__(self, cache_dir: Path, *, max_memory_mb: int, timeout_s: float) -> None:
        self.cache_dir = Path(cache_dir)
        self.timeout_s = timeout_s
        self._child = ChildProcess("skizzen.documents.render:_render_main", (max_memory_mb,))

    def sizes(self, sha256: str, load: Callable[[], bytes]) -> list[tuple[float, float]] | None:
        """Each page's size in points (cached; ``load`` reads the PDF only when it is not),
        None if the PDF cannot be read."""
        path = self.cache_dir / sha256 / "sizes.txt"
        if path.is_file():
            rows = [line.split() for line in path.read_text().splitlines()]
            return [(float(w), float(h)) for w, h in rows]
        answer = self._child.ask(("sizes", load(), 0), timeout_s=self.timeout_s)
        if answer.status != "reply" or "sizes" not in answer.reply:
            return None
        sizes = [(float(w), float(h)) for w, h in answer.reply["sizes"]]
        write_atomically(path, "\n".join(f"{w} {h}" for w, h in sizes).encode())
        return sizes

    def page(self, sha256: str, load: Callable[[], bytes], number: int) -> PageImage | None:
        """Page ``number`` (1-based) as a PNG, None if it does not exist or cannot be
        drawn (a child that crashed or overran is replaced for the next request)."""
        sizes = self.sizes(sha256, load)
        if not sizes or not 1 <= number <= len(sizes):
            return None
        width, height = sizes[number - 1]
        path = self.cache_dir / sha256 / f"{number}-{WIDTH_PX}.png"
        if path.is_file():
            return PageImage(path.read_bytes(), width, height)
        answer = self._child.ask(("page", load(), number), timeout_s=self.timeout_s)
        if answer.status != "reply" or "png" not in answer.reply:
            log.warning("page %s of %s not drawn: %s %s", number, sha256, answer.status,
                        (answer.reply or {}).get("error", ""))  # fmt: skip
            return None
        write_atomically(path, answer.reply["png"])
        return PageImage(answer.reply["png"], width, height)

    @property
    def running(self) -> bool:
        """Whether the child runs (it starts with the first request)."""
        return self._child.alive()

    def close(self) -> None:
        self._child.close()


def _render_main(read_fd: int, write_fd: int, max_memory_mb: int) -> None:
    """Child loop: ``("sizes", pdf, 0)`` → the page sizes; ``("page", pdf, n)`` → PNG."""
    import resource

    import pypdfium2 as pdfium

    limit = max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def handle(request: tuple[str, bytes, int]) -> dict[str, Any]:
        what, data, number = request
        try:
            doc = pdfium.PdfDocument(data)
            try:
                if what == "sizes":
                    pages = min(len(doc), _MAX_PAGES)
                    return {"sizes": [doc.get_page_size(i) for i in range(pages)]}
                doc.init_forms()  # filled-in form fields are drawn (many sketches are forms)
                page = doc[number - 1]
                scale = WIDTH_PX / page.get_width()
                image = page.render(scale=scale, may_draw_forms=True).to_pil()
                out = io.BytesIO()
                image.save(out, "PNG", optimize=True)
                return {"png": out.getvalue()}
            finally:
                doc.close()
        except Exception as exc:
            return {"error": f"{type(exc).__name__}: {exc}"[:300]}

    serve(read_fd, write_fd, handle)
