"""Score the pipeline against a labelled corpus (truth in sketches.jsonl / messages.jsonl).

Pure scoring functions over exported records, so the same figures can be computed for any
run: field accuracy per field and overall, micro-F1 of themes, solution kinds and violations,
supersedes links, outcome accuracy per attachment, and how often fields above and below the
confidence threshold are right.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extractors.learn import values_equal
from extractors.types import FIELD_NAMES


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class F1:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: Iterable[str], got: Iterable[str]) -> None:
        t, g = set(truth), set(got)
        self.tp += len(t & g)
        self.fp += len(g - t)
        self.fn += len(t - g)

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 1.0 if denom == 0 else 2 * self.tp / denom


@dataclass
class EvalReport:
    sketches_truth: int = 0
    sketches_found: int = 0
    field_accuracy: dict[str, float] = field(default_factory=dict)
    overall_field_accuracy: float = 0.0
    themes_f1: float = 0.0
    loesungsart_f1: float = 0.0
    violations_f1: float = 0.0
    supersedes_accuracy: float = 0.0
    outcome_accuracy: float = 0.0
    outcomes_total: int = 0
    confidence: dict[str, Any] = field(default_factory=dict)
    reliability: list[dict[str, float]] = field(default_factory=list)
    layout_accuracy: dict[str, float] = field(default_factory=dict)
    clean_sketches: int = 0
    clean_ready: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ready_share(self) -> float:
        """Share of sketches without a true violation that ended ``ready``."""
        return self.clean_ready / self.clean_sketches if self.clean_sketches else 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def score(
    *,
    truth_sketches: Sequence[Mapping[str, Any]],
    truth_messages: Sequence[Mapping[str, Any]],
    sketches: Sequence[Mapping[str, Any]],
    attachments: Sequence[Mapping[str, Any]],
    confidences: Mapping[str, Mapping[str, float]] | None = None,
    threshold: float = 0.5,
    thresholds: Mapping[str, float] | None = None,
    outcomes: bool = True,
) -> EvalReport:
    """Compare exported records with the truth files.

    ``confidences`` maps attachment sha256 → field → confidence (for the calibration table);
    ``thresholds`` optionally gives the review threshold per sketch sha256 (cross-validation
    folds fit their own).
    """
    from extractors.learn import reliability

    rep = EvalReport()
    sha_of = sketch_sha_by_id(truth_messages)
    by_sha = {s["attachment_sha256"]: s for s in sketches}

    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    themes, kinds, viols = F1(), F1(), F1()
    sup_ok = sup_n = 0
    conf_buckets = {"above": [0, 0], "below": [0, 0]}  # [right, total]
    pairs: list[tuple[float, bool]] = []
    layout_ok: Counter[str] = Counter()
    layout_n: Counter[str] = Counter()
    for truth in truth_sketches:
        sha = sha_of.get(truth["sketch_id"])
        if sha is None:  # not delivered as a processable sketch (scan, encrypted, ...)
            continue
        rep.sketches_truth += 1
        got = by_sha.get(sha)
        if got is None:
            rep.errors.append(f"{truth['sketch_id']}: not exported as a sketch")
        else:
            rep.sketches_found += 1
        got_fields = (got or {}).get("fields", {})
        for name in FIELD_NAMES:
            ok = got is not None and values_equal(truth["fields"].get(name), got_fields.get(name))
            total[name] += 1
            correct[name] += ok
            if not ok and got is not None:
                rep.errors.append(
                    f"{truth['sketch_id']}.{name}: truth={truth['fields'].get(name)!r} "
                    f"got={got_fields.get(name)!r}"
                )
            layout_n[truth.get("layout") or ""] += 1
            layout_ok[truth.get("layout") or ""] += ok
            if got is not None and confidences is not None:
                c = confidences.get(sha, {}).get(name)
                if c is not None:
                    limit = (thresholds or {}).get(sha, threshold)
                    bucket = conf_buckets["above" if c >= limit else "below"]
                    bucket[0] += ok
                    bucket[1] += 1
                    pairs.append((c, ok))
        themes.add(truth["themes"], (got or {}).get("themes", []))
        kinds.add(truth["loesungsart"], (got or {}).get("loesungsart", []))
        viols.add(truth["violations"], (got or {}).get("violations", []))
        sup_n += 1
        want = sha_of.get(truth["supersedes"]) if truth.get("supersedes") else None
        sup_ok += got is not None and got.get("supersedes") == want
        if not truth["violations"]:
            rep.clean_sketches += 1
            rep.clean_ready += got is not None and got.get("status") == "ready"
    rep.field_accuracy = {n: correct[n] / total[n] for n in FIELD_NAMES if total[n]}
    rep.overall_field_accuracy = sum(correct.values()) / max(1, sum(total.values()))
    rep.themes_f1, rep.loesungsart_f1, rep.violations_f1 = themes.f1, kinds.f1, viols.f1
    rep.supersedes_accuracy = sup_ok / max(1, sup_n)
    rep.layout_accuracy = {k: layout_ok[k] / layout_n[k] for k in sorted(layout_n) if k}
    rep.reliability = reliability(pairs)
    if not outcomes:
        rep.confidence = _confidence(conf_buckets, threshold)
        return rep

    # outcomes: every truth attachment (by message id + sha256) and every no_attachment message
    got_att: dict[tuple[str, str | None], list[str]] = {}
    for a in attachments:
        got_att.setdefault((a["message_id"], a["sha256"]), []).append(a["outcome"])
        if a.get("container_sha256"):  # a container counts as what it held
            key = (a["message_id"], a["container_sha256"])
            got_att.setdefault(key, []).append(f"in:{a['outcome']}")
    right = n = 0
    for msg in truth_messages:
        expected = [
            (att["sha256"], att["outcome"], att.get("sketch_id")) for att in msg["attachments"]
        ] or [(None, msg.get("outcome") or "no_attachment", None)]
        for sha, outcome, sketch_id in expected:
            n += 1
            got_outcomes = got_att.get((msg["message_id"], sha), [])
            if outcome in got_outcomes or _opened(outcome, sketch_id, got_outcomes):
                right += 1
            else:
                rep.errors.append(
                    f"{msg['message_file']} {sha and sha[:10]}: outcome truth={outcome} "
                    f"got={got_outcomes}"
                )
    rep.outcome_accuracy = right / max(1, n)
    rep.outcomes_total = n
    rep.confidence = _confidence(conf_buckets, threshold)
    return rep


OPENABLE = frozenset({"unsupported_format", "no_text_layer"})
"""Truth outcomes the corpus gives a sketch a pipeline may open (a .zip, a .docx, a scan);
its ``sketch_id`` names the sketch inside, so opening it counts as right."""


def _opened(truth: str, sketch_id: Any, got: Sequence[str]) -> bool:
    """The pipeline opened what the corpus calls unreadable and found the sketch in it: the
    file itself became a sketch (converted, OCRed) or a container holding one."""
    if truth not in OPENABLE or not sketch_id:
        return False
    return "sketch" in got or ("container" in got and "in:sketch" in got)


def _confidence(buckets: Mapping[str, list[int]], threshold: float) -> dict[str, Any]:
    total = sum(b[1] for b in buckets.values())
    return {
        "threshold": threshold,
        **{
            k: {
                "fields": b[1],
                "share": b[1] / max(1, total),
                "accuracy": (b[0] / b[1]) if b[1] else None,
            }
            for k, b in buckets.items()
        },
    }


def collect(
    session: Any,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, float]]]:
    """Exported sketch and attachment records plus field confidences (sha256 → field → c),
    from one read of the current records."""
    from models.records import current_records
    from skizzen.outputs.export import attachment_records, sketch_record

    current = current_records(session)
    atts = list(attachment_records(session))
    return [sketch_record(r) for r in current], atts, {r.sha256: r.confidences for r in current}


def score_database(
    database_url: str,
    *,
    truth_sketches: Sequence[Mapping[str, Any]],
    truth_messages: Sequence[Mapping[str, Any]],
    **options: Any,
) -> EvalReport:
    """``score`` of what a database holds now (``collect``) against the truth files;
    ``options`` go to ``score`` (threshold, thresholds, outcomes)."""
    from models.db import session_scope

    with session_scope(database_url) as session:
        sketches, atts, confidences = collect(session)
    return score(
        truth_sketches=truth_sketches,
        truth_messages=truth_messages,
        sketches=sketches,
        attachments=atts,
        confidences=confidences,
        **options,
    )


def sketch_sha_by_id(truth_messages: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Truth sketch id → sha256 of the attachment that is that sketch."""
    out: dict[str, str] = {}
    for msg in truth_messages:
        for att in msg["attachments"]:
            if att["outcome"] == "sketch" and att.get("sketch_id"):
                out.setdefault(att["sketch_id"], att["sha256"])
    return out
