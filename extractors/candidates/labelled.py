"""Candidates a label names: the label graph's labels with their value options, and the
form fields of a fillable PDF by their name or tooltip."""

from __future__ import annotations

import re

from extractors.candidates.cand import KIND, Cand
from extractors.candidates.parse import label_strength, parse_for
from extractors.document import DocModel
from extractors.kv import LabelNode, field_scores
from extractors.registry import FIELD_NAMES

__all__ = ["aggregate_partners", "from_forms", "from_node"]

_MULTILINE = frozenset({"text", "partners", "topics", "body", "email", "district"})
"""Kinds of value that may run over several lines (a value option ``…_run``)."""


def from_node(node: LabelNode, out: dict[str, list[Cand]], model: DocModel) -> None:
    """Each value option of a label parsed for each field the label may name; an option
    that reads as a label itself is the next label, not a value."""
    unknown = node.unknown
    for fname, score in node.scores.items():
        if score < 0.25:
            continue
        for opt in node.options:
            if opt.rel == "row" and KIND[fname] != "amount":
                continue
            if opt.rel.endswith("_run") and KIND[fname] not in _MULTILINE:
                continue
            value_label = label_strength(opt.text)
            if value_label >= 0.78:
                continue  # a neighbouring label is not a value
            value = parse_for(fname, opt.text, node, opt)
            if value is None:
                continue
            vf = opt.frags[-1] if opt.rel.startswith("inline") is False and opt.frags else None
            same_style = 0.0
            if vf is not None and vf is not node.frag:
                lf = node.frag
                same_style = float(
                    abs(vf.size - lf.size) < 0.4
                    and vf.color == lf.color
                    and vf.bold == lf.bold
                    and (vf.text.isupper() == lf.text.isupper())
                )
            feats = {
                "same_style": same_style,
                "val_caps": float(len(opt.text) > 3 and opt.text.isupper()),
                "lab": score,
                "lab_other": max(v for k, v in node.scores.items() if k != fname),
                "lab_none": node.other,
                "lab_style": node.style,
                "lab_colon": float(node.colon),
                "lab_unk": unknown,
                "dist": min(opt.dist, 30.0) / 10.0,
                "val_is_label": value_label,
            }
            if opt.rel == "row":
                feats["row_last"] = float(opt.row_index == opt.row_count - 1)
                feats["row_first"] = float(opt.row_index == 0)
                hs = field_scores(opt.header)[0] if opt.header else ()
                feats["hdr_total"] = hs[FIELD_NAMES.index("gesamtkosten_eur")] if hs else 0.0
                feats["hdr_year"] = float(bool(re.fullmatch(r"\s*(?:19|20)\d\d\s*", opt.header)))
            snippet = (
                f"{node.text}: {opt.text}"
                if opt.rel.startswith("inline")
                else f"{node.text} → {opt.text}"
            )
            out[fname].append(
                Cand(fname, value, opt.rel, opt.frags, node, score, feats, snippet[:300])
            )


_NUMBERED_PARTNER = re.compile(
    r"(?:partner\w*|kooperationspartner\w*|beteiligte\w*)\s*(?:nr\.?\s*)?\d{1,2}\b|^\s*\d{1,2}\.?\s*(?:partner|kooperationspartner)",
    re.IGNORECASE,
)


def aggregate_partners(out: dict[str, list[Cand]]) -> None:
    """ "Partner 1 | A", "Partner 2 | B": one partner per numbered label, read as one list."""
    numbered = [
        c
        for c in out.get("kooperationspartner", [])
        if c.label is not None
        and c.source in ("right", "inline", "below")
        and _NUMBERED_PARTNER.search(c.label.text)
        and isinstance(c.value, list)
    ]
    if len(numbered) < 2:
        return
    by_label: dict[int, Cand] = {}
    for c in numbered:
        k = id(c.label)
        if k not in by_label or c.source == "right":
            by_label[k] = c
    ordered = sorted(
        by_label.values(), key=lambda c: (c.label.frag.page, c.label.frag.top, c.label.frag.x0)
    )  # type: ignore[union-attr]
    names: list[str] = []
    for c in ordered:
        names.extend(n for n in c.value if n not in names)
    first = ordered[0]
    feats = dict(first.feats)
    feats["agg"] = 1.0
    frags = [f for c in ordered for f in c.frags]
    out["kooperationspartner"].append(
        Cand(
            "kooperationspartner",
            names,
            "agg",
            frags,
            first.label,
            first.label_score,
            feats,
            "; ".join(names)[:300],
        )
    )


def from_forms(model: DocModel, out: dict[str, list[Cand]]) -> None:
    """Form fields whose name or tooltip names a field ("txtGesamtkosten", "Antragsteller")."""
    for pm in model.pages:
        for ff in pm.page.fields:
            if ff.kind != "text" or not ff.value:
                continue
            name = re.sub(r"(?<=[a-zäöü])(?=[A-ZÄÖÜ])|[_.\-\d]+", " ", ff.label or ff.name)
            scores, _generic, _other = field_scores(name)
            frags = [f for f in pm.fragments if f.form_field == ff.name]
            for fname, score in zip(FIELD_NAMES, scores, strict=True):
                if score < 0.5:
                    continue
                value = parse_for(fname, ff.value, None, None)
                if value is None:
                    continue
                feats = {"lab": score, "form_name": 1.0}
                out[fname].append(
                    Cand(
                        fname, value, "form", frags, None, score, feats, f"{name}: {ff.value}"[:300]
                    )
                )
