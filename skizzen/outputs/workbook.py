"""The Excel workbook of the export: sheet "Skizzen" with one row per sketch, and the
report's summaries beside it (one sheet per section of the report, same headings).

Cells are typed: dates and times are Excel dates (``DD.MM.YYYY``, ``DD.MM.YYYY HH:MM``, Berlin
time), amounts numbers in euro format, counts numbers; text is neutralised as in the CSV.
Every sheet has a bold, frozen header row and a filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from skizzen.german import format_eur
from skizzen.labels import field_label, status_label
from skizzen.outputs.stats import (
    COUNT_TITLE,
    IN_FRAME,
    OUT_OF_FRAME,
    SECTIONS,
    TOPIC_TITLE,
    CostBand,
    ReportData,
    cost_bands,
    rule_counts,
    summarise,
)
from skizzen.outputs.table import (
    COLUMNS,
    HEADERS,
    TITLES,
    as_date,
    berlin_wall_time,
    is_number,
    text_of,
)

DATA_SHEET = "Skizzen"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
EURO_FORMAT = '#,##0.00 "€"'
"""Amounts; grouping and decimal comma come from the reader's Excel locale."""
INT_FORMAT = BUILTIN_FORMATS[3]
"""Counts and whole numbers with grouping (``#,##0``)."""

WIDE = {"projekttitel": 40, "kooperationspartner": 40, "themes": 40, "findings": 40}


def typed_cell(value: Any, kind: str) -> tuple[Any, str | None]:
    """A row value as an Excel cell value and its number format (None: General)."""
    if value is None:
        return None, None
    if kind == "datetime" and isinstance(value, datetime):
        return berlin_wall_time(value), DATETIME_FORMAT
    if kind == "date":
        value = as_date(value)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value, DATE_FORMAT
    if is_number(value):
        if kind == "money":
            return value, EURO_FORMAT
        return value, INT_FORMAT if kind == "int" else None
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text_of(value))
    return text or None, None  # an empty list or text: a blank cell


def _sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    kinds: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int],
    freeze: str = "A2",
) -> Worksheet:
    """A sheet with a bold header, typed cells, a filter over the table and a frozen header."""
    ws = wb.create_sheet(title)
    ws.append(list(headers))
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    for r, values in enumerate(rows, start=2):
        typed = [typed_cell(v, k) for v, k in zip(values, kinds, strict=True)]
        ws.append([v for v, _ in typed])
        for c, (_, fmt) in enumerate(typed, start=1):
            if fmt:
                # the cell by its address: ws.max_row scans every cell (10,000 rows quadratic)
                ws.cell(row=r, column=c).number_format = fmt
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return ws


def _band_label(band: CostBand) -> str:
    if band.low is None:
        return f"unter {format_eur(band.high or 0.0)}"
    if band.high is None:
        return f"ab {format_eur(band.low)}"
    return f"{format_eur(band.low)} bis unter {format_eur(band.high)}"


def write_xlsx(rows: list[dict[str, Any]], out: Path, *, data: ReportData | None = None) -> int:
    """Excel workbook: the data sheet "Skizzen" and the summary sheets of ``data`` (computed
    from ``rows`` if not given); returns the number of rows."""
    if data is None:
        data = summarise(rows)
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    _sheet(
        wb,
        DATA_SHEET,
        HEADERS,
        [c.kind for c in COLUMNS],
        [[row.get(c.key) for c in COLUMNS] for row in rows],
        widths=[WIDE.get(c.key, 16) for c in COLUMNS],
        freeze="B2",
    )
    _sheet(
        wb,
        SECTIONS["topics"],
        [TOPIC_TITLE, COUNT_TITLE],
        ["text", "int"],
        list(data.by_topic.items()),
        widths=[50, 12],
    )
    _sheet(
        wb,
        SECTIONS["states"],
        [field_label("bundesland"), COUNT_TITLE],
        ["text", "int"],
        list(data.by_state.items()),
        widths=[30, 12],
    )
    _sheet(
        wb,
        SECTIONS["costs"],
        ["Kostenband", "von", "bis unter", COUNT_TITLE, IN_FRAME, OUT_OF_FRAME],
        ["text", "money", "money", "int", "int", "int"],
        [
            [_band_label(b), b.low, b.high, b.total, b.inside, b.outside]
            for b in cost_bands(data.costs)
        ],
        widths=[40, 16, 16, 12, 16, 12],
    )
    _sheet(
        wb,
        SECTIONS["eligibility"],
        ["Prüfregel", "Regel", "erfüllt", "nicht erfüllt"],
        ["text", "text", "int", "int"],
        [[rc.label, rc.rule, rc.passed, rc.failed] for rc in rule_counts(data)],
        widths=[45, 60, 10, 14],
    )
    _sheet(
        wb,
        SECTIONS["status"],
        [TITLES["status_text"], COUNT_TITLE],
        ["text", "int"],
        [(status_label(s), n) for s, n in data.by_status.items()],
        widths=[20, 12],
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return len(rows)
