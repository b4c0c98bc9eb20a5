"""Where the machine found each field on the sketch's pages, as boxes the detail page draws
over the page images (``EvidenceBox``)."""

from __future__ import annotations

from dataclasses import dataclass

from models.review import SketchDetail

PAD = 2.0
"""Points of air around the words of a box."""


@dataclass(frozen=True)
class EvidenceBox:
    """Where a field's evidence stands on its page (PDF points from the top left)."""

    field: str
    page: int
    x: float
    y: float
    width: float
    height: float


def evidence_boxes(detail: SketchDetail) -> dict[int, list[EvidenceBox]]:
    """The machine's evidence boxes by page, for drawing over the page images."""
    out: dict[int, list[EvidenceBox]] = {}
    for f in detail.fields:
        m = f.machine
        if m is None or not m.page or not m.box or len(m.box) != 4:
            continue
        x0, top, x1, bottom = (float(v) for v in m.box)
        out.setdefault(int(m.page), []).append(
            EvidenceBox(f.name, int(m.page), x0 - PAD, top - PAD, x1 - x0 + 2 * PAD,
                        bottom - top + 2 * PAD)
        )  # fmt: skip
    return out
