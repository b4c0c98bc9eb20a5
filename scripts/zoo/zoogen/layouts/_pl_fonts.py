"""Fonts for the reportlab layouts of ``pdf_libraries.py``.

Registers DejaVu / Liberation TTFs with reportlab, and builds a small "symbol" font whose
cmap maps private-use code points (U+F0B7, U+F0A7, as Word's Symbol/Wingdings bullets land
in many PDFs) to bullet glyphs, so that the text layer carries PUA characters.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from zoogen.layouts._pl_common import font_path

PUA_BULLET = "\uf0b7"  # Symbol-font bullet
PUA_SQUARE = "\uf0a7"  # Wingdings small square

_REGISTERED = False

RL_FONTS = {
    "PL-Sans": "DejaVuSans.ttf",
    "PL-Sans-Bold": "DejaVuSans-Bold.ttf",
    "PL-Serif": "DejaVuSerif.ttf",
    "PL-Serif-Bold": "DejaVuSerif-Bold.ttf",
    "PL-Lib": "LiberationSans-Regular.ttf",
    "PL-Lib-Bold": "LiberationSans-Bold.ttf",
    "PL-LibSerif": "LiberationSerif-Regular.ttf",
    "PL-LibSerif-Bold": "LiberationSerif-Bold.ttf",
}


def pua_font_file() -> Path:
    """A TTF (subset of DejaVu Sans) with PUA code points mapped to bullet glyphs."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    cache = Path(tempfile.gettempdir()) / "zoo-pl-fonts"
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / "PLSymbolPUA-v1.ttf"
    if out.exists():
        return out
    font = TTFont(font_path("DejaVuSans.ttf"), recalcTimestamp=False)
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    opts.drop_tables += ["FFTM"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[0x20, 0x2022, 0x25AA])
    sub.subset(font)
    cmap = font.getBestCmap()
    bullet, square = cmap[0x2022], cmap[0x25AA]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[ord(PUA_BULLET)] = bullet
            table.cmap[ord(PUA_SQUARE)] = square
    # a face name of its own: reportlab keys subsets by it (a clash garbles the text layer)
    for rec in font["name"].names:
        if rec.nameID in (1, 3, 4, 6, 16):
            rec.string = "PLSymbolPUA"
    tmp = out.with_suffix(f".{os.getpid()}.tmp")  # parallel workers may build it at once
    font.save(str(tmp))
    tmp.replace(out)
    return out


def register_reportlab_fonts() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, fn in RL_FONTS.items():
        pdfmetrics.registerFont(TTFont(name, font_path(fn)))
    pdfmetrics.registerFont(TTFont("PL-PUASym", str(pua_font_file())))
    _REGISTERED = True
