"""The candidate scorer: a conditional-logit ranking of each field's candidates.

For every field of a document, the candidates (``extractors.candidates``) and "not found"
compete in one softmax: P(c) ∝ exp(w · φ(c)). The features φ are shared by all fields and
repeated per field ("g:lab" and "f:plz:lab"), so the weights are one shared model plus a
per-field correction that L2 regularisation keeps small unless the data insist. Weights
are learned from labelled layouts (``fit``); cross-field consistency (funding + own
contribution = total, a date range's start and length, the applicant's type) enters as
features computed against the other fields' candidates.

Confidence is the chosen candidate's probability, recalibrated with Platt scaling fitted
on predictions for layouts left out of the weight fit, so that "0.9" means nine in ten
such values are right.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from extractors.candidates.cand import NONE, Cand
from extractors.registry import FIELDS
from extractors.versions import DEFAULT_THRESHOLD, MODEL_FILE, UNTRAINED_FIELD_MODEL

__all__ = [
    "FieldModel",
    "Scored",
    "default_model",
    "default_weights",
    "fit",
    "fit_platt",
    "load_field_model",
    "phi",
]

_NAMES = tuple(f.name for f in FIELDS)
_REQUIRED = {f.name for f in FIELDS if f.required}
_OPTIONAL = {f.name for f in FIELDS if f.optional}


def phi(fname: str, feats: dict[str, float]) -> dict[str, float]:
    """Shared and per-field copies of a candidate's features (plus a bias per source)."""
    out: dict[str, float] = {}
    for k, v in feats.items():
        if v:
            out[f"g:{k}"] = v
            out[f"f:{fname}:{k}"] = v
    return out


def missed_feats(
    fname: str, cands: Sequence[Cand], labels_seen: dict[str, float]
) -> dict[str, float]:
    """Features of the option "the document gives a value, but no candidate has it".

    It never becomes the answer; its probability lowers the confidence of whatever is
    chosen, so a field that is often missed (a label seen, no value read) is reviewed.
    """
    best_lab = max((c.label_score for c in cands), default=0.0)
    return {
        "missed": 1.0,
        "missed_label_seen": labels_seen.get(fname, 0.0),
        "missed_required": float(fname in _REQUIRED),
        "missed_optional": float(fname in _OPTIONAL),
        "missed_no_cands": float(not cands),
        "missed_best_lab": best_lab,
    }


def none_feats(
    fname: str, cands: Sequence[Cand], labels_seen: dict[str, float]
) -> dict[str, float]:
    best_lab = max((c.label_score for c in cands), default=0.0)
    return {
        "none": 1.0,
        "none_label_seen": labels_seen.get(fname, 0.0),
        "none_required": float(fname in _REQUIRED),
        "none_optional": float(fname in _OPTIONAL),
        "none_n": math.log1p(len(cands)),
        "none_best_lab": best_lab,
    }


@dataclass
class Scored:
    """The chosen reading of one field with its probability and calibrated confidence."""

    field: str
    cand: Cand | None  # None: not found
    prob: float
    confidence: float
    ranked: list[tuple[float, Cand | None]] = field(default_factory=list)


UNREAD_REQUIRED_CONFIDENCE = 0.5
"""Confidence cap for "not found" on a required field whose label was seen, and for an
approximate amount (below every review threshold the trainer can choose)."""

_DEFAULT = {
    "g:lab": 4.0,
    "g:lab_other": -2.0,
    "g:lab_none": -2.0,
    "g:lab_style": 0.3,
    "g:lab_colon": 0.3,
    "g:dist": -0.6,
    "g:val_is_label": -3.0,
    "g:src_inline": 1.0,
    "g:src_inline_nocolon": 0.3,
    "g:src_right": 1.0,
    "g:src_below": 0.3,
    "g:src_row": -0.5,
    "g:src_prose": -1.5,
    "g:src_layout": 1.0,
    "g:src_boxes": 4.0,
    "g:src_form": 2.0,
    "g:src_title_head": -0.5,
    "g:lab_unk": -1.5,
    "g:kreis_name": 1.0,
    "g:contact_group": 2.0,
    "g:ctx": 3.5,
    "g:ctx_other": -2.5,
    "g:agree": 0.8,
    "g:valid": 1.0,
    "g:page1": 0.3,
    "g:page_pos": -0.5,
    "g:running": -0.3,
    "g:row_last": 1.5,
    "g:hdr_total": 2.0,
    "g:hdr_year": -1.0,
    "g:pop_year": -2.0,
    "g:explicit_none": 2.0,
    "g:font_rank": -1.0,
    "g:font_ratio": 1.0,
    "g:top_share": -1.0,
    "g:anrede": 0.5,
    "g:pop_word": 2.5,
    "g:street": 1.5,
    "g:quoted": 0.3,
    "g:pattern": 1.0,
    "g:range": 0.5,
    "g:cur": 0.3,
    "g:day": 0.3,
    "g:bud_cons": 1.5,
    "g:derived": 2.0,
    "g:none": 0.5,
    "g:none_label_seen": -1.0,
    "g:none_required": -0.5,
    "g:none_optional": 1.0,
    "g:missed": -2.0,
    "g:missed_no_cands": 1.0,
    "g:missed_required": 0.5,
    # domain priors for evidence the labelled layouts may not show (a fit moves them only
    # where the data say otherwise)
    "g:same_style": -0.5,
    "g:val_caps": -0.5,
    "g:in_parens": -0.5,
    "g:near_pop": -2.0,
    "g:generic": -3.0,
    "g:is_body": -2.0,
    "g:sentence": -2.0,
    "g:acr_like": -1.5,
    "g:leaders": -2.0,
    "g:text_cut": -1.5,
    "g:list_cut": -1.5,
    "g:list_longest": 0.5,
    "g:all_topics": -3.0,
    "g:boxes_elsewhere": -1.5,
    "g:org_share": 2.0,
    "g:long_item": -1.0,
    "g:place_date": 1.5,
    "g:town_match": 1.5,
    "g:dom": 1.0,
    "g:acr_words": -1.0,
    "g:acr_shape": 1.0,
    "f:datum:running": -2.0,
    "f:datum:day": 1.5,
    "f:datum:in_parens": -1.5,
    "f:projektbeginn:range": 1.0,
    "g:claimed": -2.0,
    "g:und_split": -0.5,
    "f:email:tld": 1.5,
    "g:po_box": -1.0,
    "g:hedged": -1.5,
    "g:pop_like": -3.0,
    "g:noun_like": -2.0,
    "g:addressee": -2.0,
    "g:in_other_value": -1.0,
    "f:datum:in_other_value": -2.0,
    "f:datum:in_range": -2.0,
    "f:projektbeginn:range_end": -2.0,
    "f:projektbeginn:place_date": -6.0,
}


@dataclass
class FieldModel:
    """Weights, calibration and the version that is stored with every extraction."""

    weights: dict[str, float]
    calib_a: float = 1.0
    calib_b: float = 0.0
    version: str = UNTRAINED_FIELD_MODEL
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        """Review threshold fitted with the model (held-out precision target)."""
        return float(self.meta.get("threshold", DEFAULT_THRESHOLD))

    def score(self, feats: dict[str, float]) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in feats.items())

    def rank(self, fname: str, cands: Sequence[Cand], labels_seen: dict[str, float]) -> Scored:
        options: list[tuple[float, Cand | None]] = [
            (self.score(phi(fname, c.feats)), c) for c in cands
        ]
        options.append((self.score(phi(fname, none_feats(fname, cands, labels_seen))), None))
        missed = self.score(phi(fname, missed_feats(fname, cands, labels_seen)))
        top = max(max(s for s, _ in options), missed)
        z = sum(math.exp(s - top) for s, _ in options) + math.exp(missed - top)
        probs = [(math.exp(s - top) / z, c) for s, c in options]
        # candidates with the same value pool their probability: agreement, not competition
        pooled: dict[str, float] = {}
        first: dict[str, Cand | None] = {}
        for p, c in sorted(probs, key=lambda pc: -pc[0]):
            key = "∅" if c is None or c.value is NONE else c.key
            pooled[key] = pooled.get(key, 0.0) + p
            first.setdefault(key, c)
        best_key = max(pooled, key=lambda k: pooled[k])
        chosen = first[best_key]
        prob = pooled[best_key]
        ranked = sorted(probs, key=lambda pc: -pc[0])
        confidence = self.calibrate(prob)
        if chosen is None and fname in _REQUIRED and labels_seen.get(fname, 0.0) >= 0.8:
            # a required value whose label is on the page but could not be read is never
            # confidently absent: staff look (the value may be in an image or a merged cell)
            confidence = min(confidence, UNREAD_REQUIRED_CONFIDENCE)
        elif chosen is not None and chosen.feats.get("hedged"):
            # "rund 0,4 Mio. €": the sketch gives an approximation; staff check the figure
            confidence = min(confidence, UNREAD_REQUIRED_CONFIDENCE)
        return Scored(fname, chosen, prob, confidence, ranked)

    def calibrate(self, prob: float) -> float:
        p = min(max(prob, 1e-6), 1 - 1e-6)
        logit = math.log(p / (1 - p))
        return 1.0 / (1.0 + math.exp(-(self.calib_a * logit + self.calib_b)))

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": self.version,
            "calibration": {"a": self.calib_a, "b": self.calib_b},
            "meta": self.meta,
            "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) > 1e-5},
        }
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> FieldModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        cal = data.get("calibration", {})
        return cls(
            weights=dict(data["weights"]),
            calib_a=float(cal.get("a", 1.0)),
            calib_b=float(cal.get("b", 0.0)),
            version=str(data.get("version", "fields")),
            meta=dict(data.get("meta", {})),
        )


def default_weights() -> dict[str, float]:
    """Hand-set starting weights (the fit starts from them; they also serve untrained)."""
    return dict(_DEFAULT)


_LOADED: FieldModel | None = None


def default_model() -> FieldModel:
    """The shipped model (``extractors/model/fields.json``), else hand-set weights."""
    global _LOADED
    if _LOADED is None:
        _LOADED = FieldModel.load() if MODEL_FILE.exists() else FieldModel(dict(_DEFAULT))
    return _LOADED


_BY_PATH: dict[str, FieldModel] = {}


def load_field_model(path: str | Path | None) -> FieldModel:
    """The model in ``path`` (a fields.json), or the shipped one for None; cached."""
    if path is None:
        return default_model()
    key = str(Path(path).resolve())
    if key not in _BY_PATH:
        _BY_PATH[key] = FieldModel.load(Path(key))
    return _BY_PATH[key]


# --------------------------------------------------------------------------- fitting


@dataclass
class Example:
    """One decision: the feature dicts of all options and which of them are right."""

    field: str
    options: list[dict[str, float]]
    right: list[bool]
    group: str = ""  # e.g. the producer, for leave-one-group-out


def fit(
    examples: Iterable[Example],
    *,
    l2_shared: float = 0.001,
    l2_field: float = 0.01,
    init: dict[str, float] | None = None,
    prior: dict[str, float] | None = None,
    max_iter: int = 400,
) -> dict[str, float]:
    """Weights maximising the log-likelihood of a right option per decision (listwise
    softmax), with L2 towards ``prior`` (domain knowledge: a running header is no sketch
    date) on shared ("g:") and stronger L2 on per-field ("f:") weights.

    Decisions where no option is right (the value was not found at all) teach nothing
    about ranking and are skipped. L-BFGS on a sparse design matrix; deterministic.
    """
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    exs = [e for e in examples if any(e.right)]
    names: dict[str, int] = {}
    rows, cols, vals, right, starts = [], [], [], [], []
    n_opt = 0
    for e in exs:
        starts.append(n_opt)
        for o, ok in zip(e.options, e.right, strict=True):
            for k, v in o.items():
                rows.append(n_opt)
                cols.append(names.setdefault(k, len(names)))
                vals.append(v)
            right.append(ok)
            n_opt += 1
    if not names:
        return dict(init or {})
    x = csr_matrix((vals, (rows, cols)), shape=(n_opt, len(names)))
    xt = x.T.tocsr()
    r = np.array(right, dtype=float)
    starts_a = np.array(starts)
    seg = np.repeat(np.arange(len(starts)), np.diff(np.append(starts_a, n_opt)))
    reg = np.array([l2_field if k.startswith("f:") else l2_shared for k in names])
    center = np.zeros(len(names))
    for k, v in (prior or {}).items():
        if k in names:
            center[names[k]] = v
    n = float(len(exs))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        smax = np.maximum.reduceat(s, starts_a)
        e = np.exp(s - smax[seg])
        z = np.add.reduceat(e, starts_a)
        zr = np.add.reduceat(e * r, starts_a)
        p = e / z[seg]
        q = e * r / zr[seg]
        d = w - center
        value = -np.sum(np.log(zr / z)) / n + 0.5 * float(np.sum(reg * d * d))
        grad = xt @ (p - q) / n + reg * d
        return value, grad

    w0 = center.copy()
    if init:
        for k, v in init.items():
            if k in names:
                w0[names[k]] = v
    res = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    out = {k: float(res.x[i]) for k, i in names.items() if abs(res.x[i]) > 1e-6}
    for k, v in (prior or {}).items():
        out.setdefault(k, v)  # priors of features this data never showed
    return out


def fit_platt(pairs: Sequence[tuple[float, bool]]) -> tuple[float, float]:
    """Platt scaling (a, b) of probabilities vs correctness, by Newton's method."""
    if len(pairs) < 10 or all(ok for _, ok in pairs) or not any(ok for _, ok in pairs):
        return 1.0, 0.0
    x = np.array(
        [
            math.log(min(max(p, 1e-6), 1 - 1e-6) / (1 - min(max(p, 1e-6), 1 - 1e-6)))
            for p, _ in pairs
        ]
    )
    y = np.array([1.0 if ok else 0.0 for _, ok in pairs])
    # smoothed targets (Platt 1999) keep the fit finite when one side is empty near the ends
    pos, neg = y.sum(), len(y) - y.sum()
    t = np.where(y > 0, (pos + 1) / (pos + 2), 1 / (neg + 2))
    a, b = 1.0, 0.0
    for _ in range(100):
        z = a * x + b
        p = 1 / (1 + np.exp(-z))
        g = np.array([((p - t) * x).sum(), (p - t).sum()]) + 1e-3 * np.array([a - 1, b])
        h11 = (p * (1 - p) * x * x).sum() + 1e-3
        h12 = (p * (1 - p) * x).sum()
        h22 = (p * (1 - p)).sum() + 1e-3
        det = h11 * h22 - h12 * h12
        if det <= 0:
            break
        da = (h22 * g[0] - h12 * g[1]) / det
        db = (-h12 * g[0] + h11 * g[1]) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-9:
            break
    return float(a), float(b)
