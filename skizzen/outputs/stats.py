"""The statistics of the report, computed once for the HTML report and the Excel sheets.

Statistics count *projects*: a sketch replaced by a later version of the same applicant and a
sketch marked "keine Skizze" by staff are left out; the review progress counts every sketch.
They read the export rows (``skizzen.outputs.table``): current values, corrections applied.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from expectations.suite import DEFAULT_RULES, check_specs
from extractors.types import TOPIC_FIELDS
from models.tables import utcnow
from skizzen.labels import STATUS_LABELS, code_label
from skizzen.outputs.table import CODES_KEY, is_number

SECTIONS: dict[str, str] = {
    "topics": "Thematische Streuung",
    "states": "Skizzen je Bundesland",
    "costs": "Gesamtkosten",
    "eligibility": "Formale Förderfähigkeit",
    "status": "Stand der Prüfung",
}
"""Headings of the report's sections; also the names of the Excel summary sheets."""

COUNT_TITLE = "Skizzen"
TOPIC_TITLE = "Themenfeld"
UNKNOWN_STATE = "unbekannt"
IN_FRAME, OUT_OF_FRAME = "im Kostenrahmen", "außerhalb"
WITHOUT_FINDING, WITH_FINDING = "ohne Befund", "mit Befund"
ALL_RULES = "alle Prüfregeln"

COST_MIN, COST_MAX = DEFAULT_RULES.min_cost_eur, DEFAULT_RULES.max_cost_eur
COST_STEP = 50_000
"""Width of one cost bin in euro."""
COST_TOP = max(800_000, 2 * COST_MAX)
"""Costs above this share one last bin: a misread amount (say 5 bn €) must not ask matplotlib
for 100,000 bins (the report of 10,000 sketches took 448 s on one such value)."""


@dataclass(frozen=True)
class ReportData:
    """Counts behind the charts and sheets (pure data, testable without matplotlib)."""

    total: int
    counted: int
    by_topic: dict[str, int]
    by_state: dict[str, int]
    costs: list[float]
    eligible: int
    with_findings: int
    by_code: dict[str, int]
    by_status: dict[str, int]
    call: str | None = None
    """The one call the report is about (None: all calls)."""
    generated_at: datetime = field(default_factory=utcnow)


def summarise(rows: list[dict[str, Any]], *, call: str | None = None) -> ReportData:
    """Statistics over export rows; replaced versions and non-sketches are not counted."""
    replaced = {r["supersedes_id"] for r in rows if r.get("supersedes_id")}
    counted = [r for r in rows if r["sketch_id"] not in replaced and r["status"] != "not_a_sketch"]
    topics: Counter[str] = Counter()
    for r in counted:
        topics.update(set(r["themes"]))
    states: Counter[str] = Counter((r.get("bundesland") or UNKNOWN_STATE) for r in counted)
    costs = [float(v) for r in counted if is_number(v := r.get("gesamtkosten_eur"))]
    codes: Counter[str] = Counter()
    for r in counted:
        codes.update(set(r[CODES_KEY]))
    findings = sum(1 for r in counted if r[CODES_KEY])
    return ReportData(
        total=len(rows),
        counted=len(counted),
        by_topic={t: topics.get(t, 0) for t in TOPIC_FIELDS},
        by_state=dict(sorted(states.items(), key=lambda kv: (-kv[1], kv[0]))),
        costs=costs,
        eligible=len(counted) - findings,
        with_findings=findings,
        by_code=dict(codes.most_common()),
        by_status={
            s: n
            for s in [*STATUS_LABELS, *sorted({r["status"] for r in rows} - set(STATUS_LABELS))]
            if (n := sum(1 for r in rows if r["status"] == s))
        },
        call=call,
    )


# --- cost bins ------------------------------------------------------------------------------


def _bins(costs: list[float]) -> tuple[list[float], list[float], bool, bool]:
    top = min(max([*costs, 800_000.0]), COST_TOP)
    n = int(top // COST_STEP) + 1
    edges = [float(i * COST_STEP) for i in range(n + 1)]
    placed = list(costs)
    over = any(c > edges[-1] for c in costs)
    if over:
        edges.append(edges[-1] + COST_STEP)
        placed = [min(c, edges[-1] - COST_STEP / 2) for c in placed]
    under = any(c < 0 for c in costs)
    if under:
        edges.insert(0, -float(COST_STEP))
        placed = [max(c, -COST_STEP / 2) for c in placed]
    return edges, placed, under, over


def cost_bins(costs: list[float]) -> tuple[list[float], list[float]]:
    """Bin edges up to ``COST_TOP`` (or the largest cost below it) plus one overflow bin,
    and the costs with every value beyond the regular bins placed in that overflow bin (and
    a negative one, a misread, in an underflow bin below 0)."""
    edges, placed, _, _ = _bins(costs)
    return edges, placed


@dataclass(frozen=True)
class CostBand:
    """One bin of the cost histogram: ``low`` ≤ cost < ``high``; None: open below or above."""

    low: float | None
    high: float | None
    inside: int
    """Sketches in the band whose cost is within the call's frame."""
    outside: int

    @property
    def total(self) -> int:
        return self.inside + self.outside


def in_frame(cost: float) -> bool:
    return COST_MIN <= cost <= COST_MAX


def cost_bands(costs: list[float]) -> list[CostBand]:
    """The histogram's bins (``cost_bins``) with their counts, as the chart draws them."""
    edges, placed, under, over = _bins(costs)
    last = len(edges) - 2
    inside, outside = [0] * (last + 1), [0] * (last + 1)
    for p, c in zip(placed, costs, strict=True):
        (inside if in_frame(c) else outside)[min(bisect_right(edges, p) - 1, last)] += 1
    return [
        CostBand(
            None if under and i == 0 else edges[i],
            None if over and i == last else edges[i + 1],
            inside[i],
            outside[i],
        )
        for i in range(last + 1)
    ]


# --- eligibility ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCount:
    """How many counted sketches pass and fail one rule of the call."""

    code: str
    label: str
    rule: str
    passed: int
    failed: int


def rule_counts(data: ReportData) -> list[RuleCount]:
    """Per rule of the suite (and per other code found), passed and failed among the
    counted sketches; last the line for all rules together."""
    rules: dict[str, list[str]] = {}
    for spec in check_specs(DEFAULT_RULES):
        texts = rules.setdefault(spec.code, [])
        if spec.rule and spec.rule not in texts:
            texts.append(spec.rule)
    for code in data.by_code:
        rules.setdefault(code, [])
    out = [
        RuleCount(
            code=code,
            label=code_label(code),
            rule=" ".join(texts),
            passed=data.counted - data.by_code.get(code, 0),
            failed=data.by_code.get(code, 0),
        )
        for code, texts in rules.items()
    ]
    out.append(RuleCount("", ALL_RULES, "", data.eligible, data.with_findings))
    return out
