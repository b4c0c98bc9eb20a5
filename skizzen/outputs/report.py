"""The German report for jury and ministry, and the CSV/Excel export of the current data.

Everything is computed from the current values (staff corrections applied, as in
``models.records``, in the export's shape). Charts are rendered offline with matplotlib into SVG and
embedded as data URIs, so ``bericht.html`` is one self-contained file.

Statistics count *projects*: a sketch replaced by a later version of the same applicant and a
sketch marked "keine Skizze" by staff are left out; the review progress counts every sketch.
"""

from __future__ import annotations

import base64
import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment
from sqlmodel import Session

from expectations.suite import DEFAULT_RULES
from extractors.types import FIELD_NAMES, TOPIC_FIELDS
from models import records
from models.tables import utcnow
from skizzen.outputs.export import sketch_record
from skizzen.outputs.labels import (
    STATUS_LABELS,
    code_label,
    field_label,
    format_datetime,
    format_number,
    status_label,
)

EXPORT_COLUMNS: tuple[str, ...] = (
    "sketch_id",
    "call_id",
    "status",
    "status_text",
    "received_at",
    "filename",
    "message_id",
    *FIELD_NAMES,
    "themes",
    "loesungsart",
    "check_codes",
    "supersedes_id",
    "sha256",
)
"""Columns of the CSV/Excel export, in order (documented in docs/views.md)."""

LIST_SEPARATOR = "; "
COST_MIN, COST_MAX = DEFAULT_RULES.min_cost_eur, DEFAULT_RULES.max_cost_eur


def current_records(session: Session) -> list[dict[str, Any]]:
    """Current sketches (corrections applied) with call, received time and supersedes id."""
    return [
        {
            **sketch_record(rec),
            "call_id": rec.call_id,
            "received_at": rec.received_at,
            "supersedes_id": rec.supersedes_id,
        }
        for rec in records.current_records(session)
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def current_rows(session: Session) -> list[dict[str, Any]]:
    """Flat export rows (one per sketch, lists joined with "; "), columns ``EXPORT_COLUMNS``."""
    return records_rows(current_records(session))


def records_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Current records as flat export rows (see ``current_rows``)."""
    rows = []
    for rec in records:
        received: datetime | None = rec["received_at"]
        row = {
            "sketch_id": rec["sketch_id"],
            "call_id": rec["call_id"],
            "status": rec["status"],
            "status_text": status_label(rec["status"]),
            "received_at": received.isoformat(timespec="seconds") if received else None,
            "filename": rec["filename"],
            "message_id": rec["message_id"],
            **{name: _cell(rec["fields"].get(name)) for name in FIELD_NAMES},
            "themes": _cell(rec["themes"]),
            "loesungsart": _cell(rec["loesungsart"]),
            "check_codes": _cell(rec["violations"]),
            "supersedes_id": rec["supersedes_id"],
            "sha256": rec["attachment_sha256"],
        }
        rows.append(row)
    return rows


def write_csv(rows: list[dict[str, Any]], out: Path) -> int:
    """CSV as German spreadsheets open it: UTF-8 with BOM, ``;`` separated; returns rows."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(EXPORT_COLUMNS), delimiter=";")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_safe(row.get(k)) for k in EXPORT_COLUMNS})
    return len(rows)


def write_xlsx(rows: list[dict[str, Any]], out: Path) -> int:
    """Excel workbook, sheet "Skizzen": header row with German labels, filter, frozen header."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Skizzen"
    ws.append([_column_title(c) for c in EXPORT_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        values = [row.get(c) for c in EXPORT_COLUMNS]
        ws.append(values)
        for c, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith("="):
                # text from a PDF is never a formula; the cell by its address, since
                # ws.max_row scans every cell (a row at a time made 10,000 rows quadratic)
                ws.cell(row=r, column=c).data_type = "s"
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_COLUMNS))}{len(rows) + 1}"
    for i, col in enumerate(EXPORT_COLUMNS, start=1):
        width = 40 if col in ("projekttitel", "kooperationspartner", "themes") else 16
        ws.column_dimensions[get_column_letter(i)].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return len(rows)


def _csv_safe(value: Any) -> Any:
    """Text from PDFs must not become a formula when the CSV is opened in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "@"):
        return "'" + value
    return value


def _column_title(col: str) -> str:
    titles = {
        "sketch_id": "Skizze",
        "call_id": "Förderaufruf",
        "status": "Status (Code)",
        "status_text": "Status",
        "received_at": "Eingang",
        "filename": "Datei",
        "message_id": "Message-ID",
        "themes": "Themenfelder (erkannt)",
        "loesungsart": "Lösungsart",
        "check_codes": "Prüfbefunde",
        "supersedes_id": "ersetzt Skizze",
        "sha256": "SHA-256",
    }
    return titles.get(col) or field_label(col)


# --- statistics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    """Counts behind the charts (pure data, testable without matplotlib)."""

    total: int
    counted: int
    by_topic: dict[str, int]
    by_state: dict[str, int]
    costs: list[float]
    eligible: int
    with_findings: int
    by_code: dict[str, int]
    by_status: dict[str, int]
    generated_at: datetime = field(default_factory=utcnow)


def summarise(records: list[dict[str, Any]]) -> ReportData:
    """Statistics over current records; replaced versions and non-sketches are not counted."""
    replaced = {r["supersedes_id"] for r in records if r.get("supersedes_id")}
    counted = [
        r for r in records if r["sketch_id"] not in replaced and r["status"] != "not_a_sketch"
    ]
    topics: Counter[str] = Counter()
    for r in counted:
        topics.update(set(r["themes"]))
    states: Counter[str] = Counter((r["fields"].get("bundesland") or "unbekannt") for r in counted)
    costs = [
        float(v)
        for r in counted
        if isinstance(v := r["fields"].get("gesamtkosten_eur"), int | float)
        and not isinstance(v, bool)
    ]
    codes: Counter[str] = Counter()
    for r in counted:
        codes.update(set(r["violations"]))
    findings = sum(1 for r in counted if r["violations"])
    return ReportData(
        total=len(records),
        counted=len(counted),
        by_topic={t: topics.get(t, 0) for t in TOPIC_FIELDS},
        by_state=dict(sorted(states.items(), key=lambda kv: (-kv[1], kv[0]))),
        costs=costs,
        eligible=len(counted) - findings,
        with_findings=findings,
        by_code=dict(codes.most_common()),
        by_status={
            s: n
            for s in [*STATUS_LABELS, *sorted({r["status"] for r in records} - set(STATUS_LABELS))]
            if (n := sum(1 for r in records if r["status"] == s))
        },
    )


# --- charts ---------------------------------------------------------------------------------

_BLUE, _GREEN, _RED, _GREY = "#1f5f8b", "#23743b", "#a4262c", "#8a96a3"


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    data = buf.getvalue().encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def _barh(
    labels: list[str], values: list[int], *, title: str, color: str | list[str] = _BLUE
) -> str:
    from matplotlib.figure import Figure

    height = max(2.2, 0.42 * len(labels) + 1.0)
    fig = Figure(figsize=(8, height))
    ax = fig.subplots()
    pos = list(range(len(labels)))[::-1]
    bars = ax.barh(pos, values, color=color)
    ax.set_yticks(pos, labels=labels)
    ax.bar_label(bars, padding=3)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    return _svg(fig)


COST_STEP = 50_000
"""Width of one cost bin in euro."""
COST_TOP = max(800_000, 2 * COST_MAX)
"""Costs above this share one last bin: a misread amount (say 5 bn €) must not ask matplotlib
for 100,000 bins (the report of 10,000 sketches took 448 s on one such value)."""


def cost_bins(costs: list[float]) -> tuple[list[float], list[float]]:
    """Bin edges up to ``COST_TOP`` (or the largest cost below it) plus one overflow bin,
    and the costs with every value above ``COST_TOP`` placed in that overflow bin."""
    top = min(max([*costs, 800_000.0]), COST_TOP)
    n = int(top // COST_STEP) + 1
    edges = [float(i * COST_STEP) for i in range(n + 1)]
    if any(c > edges[-1] for c in costs):
        edges.append(edges[-1] + COST_STEP)
        placed = [min(c, edges[-1] - COST_STEP / 2) for c in costs]
        return edges, placed
    return edges, list(costs)


def _cost_histogram(costs: list[float]) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.4))
    ax = fig.subplots()
    bins, placed = cost_bins(costs)
    inside = [p for p, c in zip(placed, costs, strict=True) if COST_MIN <= c <= COST_MAX]
    outside = [p for p, c in zip(placed, costs, strict=True) if not COST_MIN <= c <= COST_MAX]
    above = sum(1 for c in costs if c > COST_TOP)
    ax.hist(
        [inside, outside],
        bins=bins,
        stacked=True,
        color=[_BLUE, _RED],
        label=["im Kostenrahmen", "außerhalb"],
    )
    for x in (COST_MIN, COST_MAX):
        ax.axvline(x, color=_GREY, linestyle="--", linewidth=1)
    xlabel = "Gesamtkosten in T€"
    if above:
        xlabel += f" (letzte Säule: über {format_number(COST_TOP / 1000)} T€, {above} Skizzen)"
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Skizzen")
    ax.xaxis.set_major_formatter(lambda x, _pos: format_number(x / 1000))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    frame = f"{format_number(COST_MIN / 1000)}–{format_number(COST_MAX / 1000)} T€"
    ax.set_title(f"Verteilung der Gesamtkosten (Rahmen {frame})", loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def render_charts(data: ReportData) -> dict[str, str]:
    """SVG data URIs of the five charts, keyed by section."""
    import matplotlib

    with matplotlib.rc_context(
        {"svg.hashsalt": "skizzen", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
        return {
            "topics": _barh(
                list(data.by_topic), list(data.by_topic.values()), title="Skizzen je Themenfeld"
            ),
            "states": _barh(
                list(data.by_state), list(data.by_state.values()), title="Skizzen je Bundesland"
            ),
            "costs": _cost_histogram(data.costs),
            "eligibility": _barh(
                ["ohne Befund", "mit Befund"],
                [data.eligible, data.with_findings],
                title="Formale Prüfung",
                color=[_GREEN, _RED],
            )
            if data.counted
            else "",
            "codes": _barh(
                [code_label(c) for c in data.by_code],
                list(data.by_code.values()),
                title="Befunde nach Prüfregel",
                color=_RED,
            )
            if data.by_code
            else "",
            "status": _barh(
                [status_label(s) for s in data.by_status],
                list(data.by_status.values()),
                title="Stand der Prüfung",
                color=_GREY,
            ),
        }


# --- HTML -----------------------------------------------------------------------------------

REPORT_CSS = """
body { font: 15px/1.45 "DejaVu Sans", sans-serif; color: #1d2329; max-width: 60rem;
  margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #d8dde2;
  margin-top: 2rem; }
img { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid #d8dde2; text-align: left; }
td.n { text-align: right; }
.muted { color: #5f6b76; font-size: .9rem; }
""".strip()

_TEMPLATE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>Bericht Projektskizzen</title>
<style>{{ css|safe }}</style></head>
<body>
<h1>Bericht Projektskizzen</h1>
<p class="muted">Stand {{ fmt_dt(d.generated_at) }} · {{ d.total }} Skizzen-Dokumente,
davon {{ d.counted }} gezählt (ohne ersetzte Fassungen und ohne „keine Skizze“).
Werte mit Korrekturen der Mitarbeitenden.</p>

<h2>Thematische Streuung</h2>
<p class="muted">Eine Skizze kann mehreren Themenfeldern zugeordnet sein.</p>
<img src="{{ charts.topics }}" alt="Balkendiagramm: Skizzen je Themenfeld">
<table>{% for k, v in d.by_topic.items() %}
<tr><td>{{ k }}</td><td class="n">{{ v }}</td></tr>
{% endfor %}</table>

<h2>Skizzen je Bundesland</h2>
<img src="{{ charts.states }}" alt="Balkendiagramm: Skizzen je Bundesland">

<h2>Gesamtkosten</h2>
<img src="{{ charts.costs }}" alt="Histogramm der Gesamtkosten">
{% if d.costs %}<p class="muted">{{ d.costs|length }} Skizzen mit Kostenangabe; Median
{{ money(median) }} €, Summe {{ money(d.costs|sum) }} €.</p>{% endif %}

<h2>Formale Förderfähigkeit</h2>
{% if charts.eligibility %}
<img src="{{ charts.eligibility }}" alt="Skizzen mit und ohne Befund">{% endif %}
<p>{{ d.eligible }} ohne Befund, {{ d.with_findings }} mit mindestens einem Befund.</p>
{% if charts.codes %}<img src="{{ charts.codes }}" alt="Befunde nach Prüfregel">
<table>{% for k, v in d.by_code.items() %}
<tr><td>{{ code_label(k) }}</td><td class="n">{{ v }}</td></tr>
{% endfor %}</table>{% endif %}

<h2>Stand der Prüfung</h2>
<img src="{{ charts.status }}" alt="Skizzen je Prüfstatus">
<table>{% for k, v in d.by_status.items() %}
<tr><td>{{ status_label(k) }}</td><td class="n">{{ v }}</td></tr>
{% endfor %}</table>
</body>
</html>
"""


def render_html(data: ReportData, charts: dict[str, str]) -> str:
    env = Environment(autoescape=True)
    costs = sorted(data.costs)
    median = (costs[(len(costs) - 1) // 2] + costs[len(costs) // 2]) / 2 if costs else 0.0
    return env.from_string(_TEMPLATE).render(
        css=REPORT_CSS,
        d=data,
        charts=charts,
        median=median,
        money=lambda v: format_number(float(v)),
        fmt_dt=format_datetime,
        code_label=code_label,
        status_label=status_label,
    )


def report_html(records: list[dict[str, Any]]) -> str:
    """The whole report as one HTML string, from current records."""
    data = summarise(records)
    return render_html(data, render_charts(data))


def render_report(session: Session) -> str:
    """The whole report as one HTML string (served by the review page)."""
    return report_html(current_records(session))


def build_report(session: Session, *, out_dir: Path) -> dict[str, Path]:
    """Write ``bericht.html``, ``skizzen.csv`` and ``skizzen.xlsx`` into ``out_dir``; the
    current records are read once for all three."""
    out_dir.mkdir(parents=True, exist_ok=True)
    records = current_records(session)
    rows = records_rows(records)
    paths = {
        "html": out_dir / "bericht.html",
        "csv": out_dir / "skizzen.csv",
        "xlsx": out_dir / "skizzen.xlsx",
    }
    paths["html"].write_text(report_html(records), encoding="utf-8")
    write_csv(rows, paths["csv"])
    write_xlsx(rows, paths["xlsx"])
    return paths
