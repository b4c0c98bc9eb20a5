"""The rows of the CSV/Excel export: which columns, their German headers, and how a value
becomes a spreadsheet cell.

One row per sketch with typed values (numbers as numbers, dates as ``date``, the received
time as an aware ``datetime``, lists as lists); the writers render them: ``write_csv`` here,
``write_xlsx`` in ``skizzen.outputs.workbook``. The column list of the README is generated
from ``COLUMNS`` (``columns_markdown``; a test keeps both the same).

Text from PDFs and mails is never a formula: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP, CSV injection); numbers
stay numbers, also negative ones.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from extractors.registry import FIELDS
from models.db import as_utc
from skizzen.labels import (
    BERLIN,
    LABEL_FIELD_LABELS,
    code_label,
    field_kind,
    status_label,
)

CellKind = Literal["id", "text", "int", "money", "date", "datetime", "list"]


@dataclass(frozen=True)
class Column:
    """One export column: row key, German header, kind of value, meaning (for the README)."""

    key: str
    title: str
    kind: CellKind
    doc: str


_KIND_DOCS: dict[str, str] = {
    "text": "text",
    "int": "whole number",
    "money": "amount in euro, a number (Excel: euro format)",
    "date": "date (CSV `YYYY-MM-DD`; Excel: date cell `DD.MM.YYYY`); unreadable text kept as is",
    "list": 'list joined with `"; "`',
}


def _field_column(name: str, title: str) -> Column:
    kind = field_kind(name)
    return Column(name, title, kind, f"field of DOMAIN.md; {_KIND_DOCS[kind]}")


COLUMNS: tuple[Column, ...] = (
    Column("sketch_id", "Skizze", "id", "sketch id (number)"),
    Column("call_id", "Förderaufruf", "text", "call, e.g. `heimat-2.0`"),
    Column("status", "Status (Code)", "text", "review status code (`docs/views.md`)"),
    Column("status_text", "Status", "text", "review status, German"),
    Column(
        "received_at",
        "Eingang",
        "datetime",
        "first received, Berlin time (CSV `YYYY-MM-DD HH:MM`; Excel: date-time cell)",
    ),
    Column("filename", "Datei", "text", "file name the sketch was first received as"),
    Column("message_id", "Message-ID", "text", "Message-ID of that mail"),
    *(_field_column(f.name, f.display) for f in FIELDS),
    Column(
        "themes",
        LABEL_FIELD_LABELS["themes"],
        "list",
        'topic fields inferred, joined with `"; "`',
    ),
    Column(
        "loesungsart",
        LABEL_FIELD_LABELS["loesungsart"],
        "list",
        'kinds of digital solution, joined with `"; "`',
    ),
    Column(
        "findings",
        "Prüfbefunde",
        "list",
        'violated rules as German finding texts (`labels.code_label`), joined with `"; "`',
    ),
    Column("supersedes_id", "ersetzt Skizze", "id", "id of the earlier version this one replaces"),
    Column("sha256", "SHA-256", "text", "SHA-256 of the PDF (key in the raw store)"),
)
"""The columns of CSV and Excel, in order."""

EXPORT_COLUMNS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
"""Row keys of the export, in column order."""

HEADERS: tuple[str, ...] = tuple(c.title for c in COLUMNS)
"""German header row of CSV and Excel."""

TITLES: dict[str, str] = {c.key: c.title for c in COLUMNS}
"""German header of each column by its key."""

CODES_KEY = "check_codes"
"""Row key (not a column) of the violated rule codes, for the statistics of the report."""

LIST_SEPARATOR = "; "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a text as a formula (OWASP)."""


def neutralise(text: str) -> str:
    """``=1+1`` → ``'=1+1``: a text that a spreadsheet would run stays text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def as_date(value: Any) -> date | Any:
    """A stored ISO date (``2021-09-01``) as ``date``; anything else unchanged."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def berlin_wall_time(value: datetime) -> datetime:
    """A UTC time as naive Berlin wall time (what staff read; Excel has no time zones)."""
    aware = as_utc(value)
    assert aware is not None
    return aware.astimezone(BERLIN).replace(tzinfo=None)


def text_of(value: Any) -> str:
    """A non-number value as neutralised text (lists joined with ``"; "``)."""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    return neutralise(str(value))


def records_rows(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Current records (``report.current_records``) as typed export rows: one per sketch,
    keys ``EXPORT_COLUMNS`` plus ``CODES_KEY``."""
    rows = []
    for rec in records:
        fields = rec["fields"]
        rows.append(
            {
                "sketch_id": rec["sketch_id"],
                "call_id": rec["call_id"],
                "status": rec["status"],
                "status_text": status_label(rec["status"]),
                "received_at": rec["received_at"],
                "filename": rec["filename"],
                "message_id": rec["message_id"],
                **{
                    f.name: as_date(fields.get(f.name))
                    if field_kind(f.name) == "date"
                    else fields.get(f.name)
                    for f in FIELDS
                },
                "themes": list(rec["themes"]),
                "loesungsart": list(rec["loesungsart"]),
                "findings": [code_label(c) for c in rec["violations"]],
                "supersedes_id": rec["supersedes_id"],
                "sha256": rec["attachment_sha256"],
                CODES_KEY: list(rec["violations"]),
            }
        )
    return rows


# --- CSV ------------------------------------------------------------------------------------


def csv_cell(value: Any) -> str | int:
    """One value as the CSV writes it for German spreadsheets: decimal comma, no grouping;
    dates ISO, times Berlin ``YYYY-MM-DD HH:MM``; text neutralised."""
    if value is None:
        return ""
    if is_number(value):
        if isinstance(value, float) and not value.is_integer():
            return repr(value).replace(".", ",")
        return int(value)
    if isinstance(value, datetime):
        return berlin_wall_time(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return text_of(value)


def write_csv(rows: list[dict[str, Any]], out: Path) -> int:
    """CSV as German spreadsheets open it: UTF-8 with BOM, ``;`` separated, German headers;
    returns the number of rows."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([csv_cell(row.get(k)) for k in EXPORT_COLUMNS])
    return len(rows)


# --- documentation --------------------------------------------------------------------------


def columns_markdown() -> str:
    """The README's table of the export columns, generated from ``COLUMNS``."""
    lines = ["| header (CSV, Excel) | key | content |", "| --- | --- | --- |"]
    lines += [f"| {c.title} | `{c.key}` | {c.doc} |" for c in COLUMNS]
    return "\n".join(lines) + "\n"
