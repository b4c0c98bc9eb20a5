"""Fitting the field scorer from labelled documents (pure: documents and truth in, a model out).

``decisions`` turns one labelled document into the scorer's training decisions (per field:
every candidate's features, and which candidates carry the true value). ``train`` fits the
weights on all given documents and calibrates them honestly: the Platt scaling and the
review threshold are fitted on predictions for *groups* (producers) that were left out of
an inner weight fit, so the confidence of the final model describes layouts it has not
seen, not its own training data.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from extractors.candidates.cand import NONE, Cand
from extractors.document import DocModel
from extractors.fields import STAGE_TWO, candidates_for, derived_candidates
from extractors.registry import FIELD_NAMES
from extractors.scorer import (
    Example,
    FieldModel,
    Scored,
    default_weights,
    fit,
    fit_platt,
    missed_feats,
    none_feats,
    phi,
)
from extractors.types import ParsedDocument

__all__ = ["Labelled", "decisions", "reliability", "train", "values_equal"]

TARGET_PRECISION = 0.992
"""Review threshold: the lowest confidence at which held-out fields are this often right."""


def values_equal(truth: Any, got: Any) -> bool:
    """Equality after normalisation: numbers within half a cent, lists element-wise."""
    if truth is None or got is None:
        return truth is None and got is None
    if isinstance(truth, bool) or isinstance(got, bool):
        return truth == got
    if isinstance(truth, int | float) and isinstance(got, int | float):
        return math.isclose(float(truth), float(got), abs_tol=0.005)
    if isinstance(truth, list) and isinstance(got, list):
        return len(truth) == len(got) and all(
            values_equal(a, b) for a, b in zip(truth, got, strict=True)
        )
    return truth == got


def is_right(truth: Any, cand: Cand | None) -> bool:
    """Does this reading (None: "not found") give the true value?"""
    if cand is None or cand.value is NONE:
        return truth is None or truth == []
    return values_equal(truth, cand.value)


@dataclass
class Labelled:
    """One training document: parsed, its true fields, and its group (producer)."""

    doc: ParsedDocument
    fields: Mapping[str, Any]
    group: str
    key: str = ""


def decisions(item: Labelled) -> list[Example]:
    """The scorer's decisions for one labelled document."""
    cands, seen, _ = candidates_for(DocModel(item.doc))
    out: list[Example] = []
    for name in FIELD_NAMES:
        options = list(cands.get(name, []))
        if name in STAGE_TWO:
            # teacher forcing: derive from the right applicant reading, if any was found
            app = next(
                (
                    c
                    for c in cands.get("antragsteller", [])
                    if is_right(item.fields.get("antragsteller"), c)
                ),
                None,
            )
            if app is not None:
                options += derived_candidates(name, Scored("antragsteller", app, 0.9, 0.9))
        truth = item.fields.get(name)
        feats = [phi(name, c.feats) for c in options] + [
            phi(name, none_feats(name, options, seen)),
            phi(name, missed_feats(name, options, seen)),
        ]
        right = [is_right(truth, c) for c in options] + [truth is None or truth == []]
        right.append(not any(right))  # the value is in the document but no reading has it
        out.append(Example(name, feats, right, item.group))
    return out


def _predict(w: dict[str, float], ex: Example) -> tuple[float, bool]:
    """(probability of the chosen option, is it right) under weights ``w``; the last option
    ("missed") is never chosen, it only takes probability away."""
    scores = [sum(w.get(k, 0.0) * v for k, v in o.items()) for o in ex.options]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    z = sum(exps)
    best = max(range(len(scores) - 1), key=lambda i: scores[i])
    # pool options that are right together the same way the model pools equal values:
    # approximated by the chosen option's own probability plus right twins if it is right
    p = exps[best] / z
    if ex.right[best]:
        p = sum(e for e, ok in zip(exps, ex.right, strict=True) if ok) / z
    return p, ex.right[best]


def train(
    items: Sequence[Labelled],
    *,
    calibrate: bool = True,
    version: str | None = None,
    examples: Sequence[Example] | None = None,
) -> FieldModel:
    """Fit weights on ``items``; Platt scaling and threshold from leave-one-group-out."""
    exs = list(examples) if examples is not None else [e for it in items for e in decisions(it)]
    weights = fit(exs, init=default_weights(), prior=default_weights())
    a, b, threshold, table = 1.0, 0.0, 0.5, []
    groups = sorted({e.group for e in exs})
    if calibrate and len(groups) >= 3:
        pairs: list[tuple[float, bool]] = []
        for g in groups:
            inner = fit([e for e in exs if e.group != g], init=weights, prior=default_weights())
            pairs += [_predict(inner, e) for e in exs if e.group == g]
        a, b = fit_platt(pairs)
        model = FieldModel(weights, a, b)
        calibrated = [(model.calibrate(p), ok) for p, ok in pairs]
        threshold = choose_threshold(calibrated)
        table = reliability(calibrated)
    digest = hashlib.sha256(json.dumps(sorted(weights.items())).encode()).hexdigest()[:10]
    return FieldModel(
        weights,
        a,
        b,
        version=version or f"fields-{digest}",
        meta={
            "trained_on": len(items),
            "groups": groups,
            "threshold": threshold,
            "reliability_held_out": table,
        },
    )


def choose_threshold(
    pairs: Sequence[tuple[float, bool]], target: float = TARGET_PRECISION
) -> float:
    """The lowest confidence t such that values with confidence ≥ t are right ≥ ``target``."""
    ordered = sorted(pairs, key=lambda p: -p[0])
    right = 0
    best = 1.0
    for i, (conf, ok) in enumerate(ordered, 1):
        right += ok
        if right / i >= target:
            best = conf
    return round(min(max(best, 0.5), 0.999), 3)


def reliability(
    pairs: Sequence[tuple[float, bool]],
    edges: Sequence[float] = (0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 1.0001),
) -> list[dict[str, float]]:
    """Confidence bins with their count, mean confidence and observed accuracy."""
    out = []
    for lo, hi in pairwise(edges):
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi]
        if inside:
            out.append(
                {
                    "from": lo,
                    "to": min(hi, 1.0),
                    "n": len(inside),
                    "mean_confidence": round(sum(c for c, _ in inside) / len(inside), 4),
                    "accuracy": round(sum(ok for _, ok in inside) / len(inside), 4),
                }
            )
    return out
