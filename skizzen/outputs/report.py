"""The German report for jury and ministry, and the CSV/Excel export of the current data.

Everything is computed from the current values (staff corrections applied, as in
``models.records``), read once as export rows (``skizzen.outputs.table``); the statistics
(``skizzen.outputs.stats``) feed the HTML report and the summary sheets of the workbook
(``skizzen.outputs.workbook``). Charts are rendered offline with matplotlib into SVG and
embedded as data URIs, so ``bericht.html`` is one self-contained file. Every entry point takes
``call``: the report and exports of one call (Förderaufruf) only.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from jinja2 import Environment
from sqlmodel import Session

from models import records
from skizzen.labels import code_label, format_datetime, format_number, status_label
from skizzen.outputs.export import call_sketch_ids, sketch_record
from skizzen.outputs.stats import (
    COST_MAX,
    COST_MIN,
    COUNT_TITLE,
    IN_FRAME,
    OUT_OF_FRAME,
    SECTIONS,
    WITH_FINDING,
    WITHOUT_FINDING,
    ReportData,
    cost_bands,
    cost_bins,
    in_frame,
    summarise,
)
from skizzen.outputs.table import records_rows, write_csv
from skizzen.outputs.workbook import write_xlsx


def current_records(session: Session, *, call: str | None = None) -> list[dict[str, Any]]:
    """Current sketches (corrections applied) with call, received time and supersedes id;
    of one call (``UnknownCall`` if it has no sketch) or all."""
    return [
        {
            **sketch_record(rec),
            "call_id": rec.call_id,
            "received_at": rec.received_at,
            "supersedes_id": rec.supersedes_id,
        }
        for rec in records.current_records(session, sketch_ids=call_sketch_ids(session, call))
    ]


def current_rows(session: Session, *, call: str | None = None) -> list[dict[str, Any]]:
    """Typed export rows, one per sketch (``skizzen.outputs.table.COLUMNS``)."""
    return records_rows(current_records(session, call=call))


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


def _cost_histogram(costs: list[float]) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.4))
    ax = fig.subplots()
    bins, placed = cost_bins(costs)
    inside = [p for p, c in zip(placed, costs, strict=True) if in_frame(c)]
    outside = [p for p, c in zip(placed, costs, strict=True) if not in_frame(c)]
    ax.hist(
        [inside, outside],
        bins=bins,
        stacked=True,
        color=[_BLUE, _RED],
        label=[IN_FRAME, OUT_OF_FRAME],
    )
    for x in (COST_MIN, COST_MAX):
        ax.axvline(x, color=_GREY, linestyle="--", linewidth=1)
    xlabel = "Gesamtkosten in T€"
    first, last = (bands := cost_bands(costs))[0], bands[-1]
    ends = []
    if first.low is None and first.high is not None:
        ends.append(
            f"erste Säule: unter {format_number(first.high / 1000)} T€, {first.total} Skizzen"
        )
    if last.high is None and last.low is not None:
        ends.append(f"letzte Säule: ab {format_number(last.low / 1000)} T€, {last.total} Skizzen")
    if ends:
        xlabel += f" ({'; '.join(ends)})"
    ax.set_xlabel(xlabel)
    ax.set_ylabel(COUNT_TITLE)
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
                list(data.by_state), list(data.by_state.values()), title=SECTIONS["states"]
            ),
            "costs": _cost_histogram(data.costs),
            "eligibility": _barh(
                [WITHOUT_FINDING, WITH_FINDING],
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
                title=SECTIONS["status"],
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
<p class="muted">Stand {{ fmt_dt(d.generated_at) }} ·
{% if d.call %}Förderaufruf {{ d.call }} · {% endif %}{{ d.total }} Skizzen-Dokumente,
davon {{ d.counted }} gezählt (ohne ersetzte Fassungen und ohne „keine Skizze“).
Werte mit Korrekturen der Mitarbeitenden.</p>

<h2>{{ sections.topics }}</h2>
<p class="muted">Eine Skizze kann mehreren Themenfeldern zugeordnet sein.</p>
<img src="{{ charts.topics }}" alt="Balkendiagramm: Skizzen je Themenfeld">
<table>{% for k, v in d.by_topic.items() %}
<tr><td>{{ k }}</td><td class="n">{{ v }}</td></tr>
{% endfor %}</table>

<h2>{{ sections.states }}</h2>
<img src="{{ charts.states }}" alt="Balkendiagramm: Skizzen je Bundesland">

<h2>{{ sections.costs }}</h2>
<img src="{{ charts.costs }}" alt="Histogramm der Gesamtkosten">
{% if d.costs %}<p class="muted">{{ d.costs|length }} Skizzen mit Kostenangabe; Median
{{ money(median) }} €, Summe {{ money(d.costs|sum) }} €.</p>{% endif %}

<h2>{{ sections.eligibility }}</h2>
{% if charts.eligibility %}
<img src="{{ charts.eligibility }}" alt="Skizzen mit und ohne Befund">{% endif %}
<p>{{ d.eligible }} ohne Befund, {{ d.with_findings }} mit mindestens einem Befund.</p>
{% if charts.codes %}<img src="{{ charts.codes }}" alt="Befunde nach Prüfregel">
<table>{% for k, v in d.by_code.items() %}
<tr><td>{{ code_label(k) }}</td><td class="n">{{ v }}</td></tr>
{% endfor %}</table>{% endif %}

<h2>{{ sections.status }}</h2>
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
        sections=SECTIONS,
        charts=charts,
        median=median,
        money=lambda v: format_number(float(v)),
        fmt_dt=format_datetime,
        code_label=code_label,
        status_label=status_label,
    )


def report_html(rows: list[dict[str, Any]], *, call: str | None = None) -> str:
    """The whole report as one HTML string, from export rows (``current_rows``)."""
    data = summarise(rows, call=call)
    return render_html(data, render_charts(data))


def render_report(session: Session, *, call: str | None = None) -> str:
    """The whole report as one HTML string (served by the review page), of one call or all."""
    return report_html(current_rows(session, call=call), call=call)


def build_report(session: Session, *, out_dir: Path, call: str | None = None) -> dict[str, Path]:
    """Write ``bericht.html``, ``skizzen.csv`` and ``skizzen.xlsx`` into ``out_dir``, of one
    call or all; the current records are read once for all three, and an unknown call
    (``UnknownCall``) is refused before anything is written."""
    rows = current_rows(session, call=call)
    data = summarise(rows, call=call)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "html": out_dir / "bericht.html",
        "csv": out_dir / "skizzen.csv",
        "xlsx": out_dir / "skizzen.xlsx",
    }
    paths["html"].write_text(render_html(data, render_charts(data)), encoding="utf-8")
    write_csv(rows, paths["csv"])
    write_xlsx(rows, paths["xlsx"], data=data)
    return paths
