"""Leave-one-group-out evaluation: is the extractor right on producers it never saw?

For every group (the producer of the layouts, or the layout), everything that is fitted
is fitted again without that group: the field scorer's weights, its calibration and
review threshold (themselves by leave-one-group-out over the remaining groups), and the
theme classifier with its stacked decision (fitted the same way). The group's sketches are
then re-extracted and re-checked with those models, exactly as the pipeline does, and
scored against the truth. The sample corpus
stays out of every fit: it is a regression check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.learn import Labelled, decisions, train
from extractors.scorer import Example
from lab.evaluation import EvalReport, score_database, sketch_sha_by_id
from lab.training import ThemeExample, fit_theme_model
from models.db import session_scope
from models.repo import sketches_in_scope
from skizzen.documents.parsing import PARSER_VERSION, ParseCache
from skizzen.settings import RuntimeConfig
from skizzen.steps import pipeline

__all__ = ["FoldResult", "group_of", "leave_one_group_out"]


def group_of(truth: Mapping[str, Any], by: str) -> str:
    """The group of a truth sketch: its producer (zoo) or, lacking one, its layout."""
    if by == "producer":
        return str(truth.get("producer") or truth.get("layout") or "?")
    return str(truth.get("layout") or "?")


@dataclass
class FoldResult:
    group: str
    sketches: int
    trained_on: int
    threshold: float
    report: EvalReport
    layouts: dict[str, float] = field(default_factory=dict)


def _labelled(
    config: RuntimeConfig, truth: Sequence[Mapping[str, Any]], sha_of: Mapping[str, str], by: str
) -> dict[str, Labelled]:
    """Parsed documents of every truth sketch that was ingested, keyed by sketch id."""
    cache = ParseCache(config.parse_cache_dir)
    out: dict[str, Labelled] = {}
    for t in truth:
        sha = sha_of.get(t["sketch_id"])
        doc = cache.get(sha, PARSER_VERSION) if sha else None
        if doc is not None:
            out[t["sketch_id"]] = Labelled(doc, t["fields"], group_of(t, by), t["sketch_id"])
    return out


def extra_training(corpora: Sequence[Path]) -> tuple[list[Labelled], list[ThemeExample]]:
    """Field and theme training data from further labelled corpora, grouped by layout with
    an ``x:`` prefix (the extra corpus's own groups, never one of the scored corpus)."""
    from lab.evaluation import load_jsonl
    from lab.training import examples_from_corpus, truth_file
    from skizzen.documents.parsing import parse_pdf_inprocess

    items: list[Labelled] = []
    themes: list[ThemeExample] = []
    for root in corpora:
        for t in load_jsonl(truth_file(root)):
            pdf = root / str(t.get("pdf") or "")
            if pdf.suffix != ".pdf" or not pdf.is_file():
                continue
            try:
                doc = parse_pdf_inprocess(pdf.read_bytes())
            except Exception:  # encrypted or broken: not usable for training
                continue
            items.append(Labelled(doc, t["fields"], f"x:{t.get('layout') or ''}", t["sketch_id"]))
        themes += [
            ThemeExample(e.text, e.themes, e.loesungsart, f"x:{e.layout}", e.declared)
            for e in examples_from_corpus(root)
        ]
    return items, themes


def leave_one_group_out(
    config: RuntimeConfig,
    *,
    truth_sketches: Sequence[Mapping[str, Any]],
    truth_messages: Sequence[Mapping[str, Any]],
    workdir: Path,
    by: str = "producer",
    groups: Sequence[str] | None = None,
    extra: tuple[list[Labelled], list[ThemeExample]] = ([], []),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[FoldResult], EvalReport]:
    """Refit without each group, re-extract that group, score it; and the pooled report.

    ``extra``: labelled documents and theme examples from other corpora that every fold
    learns from too (their producers are not the scored corpus's). ``progress``: called
    with (folds done, folds) before the first fold and after each (a fold takes minutes).
    """
    sha_of = sketch_sha_by_id(truth_messages)
    items = _labelled(config, truth_sketches, sha_of, by)
    exs: dict[str, list[Example]] = {sid: decisions(it) for sid, it in items.items()}
    extra_items, extra_themes = extra
    extra_exs = [e for it in extra_items for e in decisions(it)]
    by_group: dict[str, list[str]] = defaultdict(list)
    for sid, it in items.items():
        by_group[it.group].append(sid)
    with session_scope(config.database_url) as session:
        db_id = {s.sha256: int(s.id) for s in sketches_in_scope(session)}  # type: ignore[arg-type]
    truth_by_id = {t["sketch_id"]: t for t in truth_sketches}
    folds: list[FoldResult] = []
    thresholds: dict[str, float] = {}
    order = list(groups or sorted(by_group))
    if progress is not None:
        progress(0, len(order))
    for g in order:
        rest = [sid for sid in items if items[sid].group != g]
        fold_dir = workdir / "models" / f"ohne-{_safe(g)}"
        fm = train(
            [items[s] for s in rest] + extra_items,
            examples=[e for s in rest for e in exs[s]] + extra_exs,
        )
        fm.save(fold_dir / "fields.json")
        theme_dir = fit_theme_model(
            [
                ThemeExample(
                    items[s].doc.text,
                    tuple(truth_by_id[s]["themes"]),
                    tuple(truth_by_id[s]["loesungsart"]),
                    items[s].group,
                    tuple(truth_by_id[s]["fields"].get("themenfelder") or ()),
                )
                for s in rest
            ]
            + extra_themes,
            out_dir=fold_dir / "themes",
        )
        fold = config.model_copy(
            update={"field_model": str(fold_dir / "fields.json"), "theme_model_dir": str(theme_dir)}
        )
        mine = [sid for sid in by_group[g]]
        ids = [db_id[sha_of[s]] for s in mine if sha_of[s] in db_id]
        pipeline.extract_sketches(fold, sketch_ids=ids, run_id=None)
        pipeline.check_sketches(fold, sketch_ids=ids, run_id=None, data_docs_dir=None)
        threshold = pipeline.review_threshold(fold)
        for s in mine:
            thresholds[sha_of[s]] = threshold
        rep = _score(config, [truth_by_id[s] for s in mine], truth_messages, thresholds)
        layouts = _layout_accuracy(config, [truth_by_id[s] for s in mine], truth_messages)
        folds.append(FoldResult(g, len(mine), len(rest), threshold, rep, layouts))
        if progress is not None:
            progress(len(folds), len(order))
    pooled = _score(config, [truth_by_id[s] for s in items], truth_messages, thresholds)
    return folds, pooled


def _score(
    config: RuntimeConfig,
    truth: Sequence[Mapping[str, Any]],
    messages: Sequence[Mapping[str, Any]],
    thresholds: Mapping[str, float],
) -> EvalReport:
    return score_database(
        config.database_url,
        truth_sketches=truth,
        truth_messages=messages,
        thresholds=thresholds,
        outcomes=False,
    )


def _layout_accuracy(
    config: RuntimeConfig, truth: Sequence[Mapping[str, Any]], messages: Sequence[Mapping[str, Any]]
) -> dict[str, float]:
    out: dict[str, float] = {}
    for layout in sorted({t["layout"] for t in truth}):
        rep = _score(config, [t for t in truth if t["layout"] == layout], messages, {})
        out[layout] = rep.overall_field_accuracy
    return out


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)
