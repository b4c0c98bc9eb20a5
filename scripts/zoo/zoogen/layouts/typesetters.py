"""Layouts made with typesetting systems: pdfLaTeX, Typst and groff.

Each layout lives in a helper module (``_ts_latex``, ``_ts_typst``, ``_ts_groff``); shared
formatting is in ``_ts_common``. Written from the domain (DOMAIN.md, corpus README) only.
"""

from __future__ import annotations

from zoogen.layouts import _ts_groff, _ts_latex, _ts_typst
from zoogen.model import Layout

LAYOUTS: list[Layout] = [_ts_latex.LAYOUT, _ts_typst.LAYOUT, _ts_groff.LAYOUT]
