"""Dev tool: score the extractors on the independent held-out set (tests/heldout).

Generates the set into a temp dir (or ``--out``), parses every PDF in-process, extracts the
19 fields and the themes, and prints per-field accuracy overall and per layout, micro-F1 of
themes and solution kinds, and (with ``--show FIELD|themes|loesungsart|all``) the misses.

Usage: python scripts/eval_heldout.py [--seed 11] [--out DIR] [--show all] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.doctype import classify_parsed
from extractors.fields import extract_fields
from extractors.themes import load_theme_model
from extractors.types import FIELD_NAMES, ParsedDocument
from lab.evaluation import F1, values_equal
from skizzen.documents.parsing import parse_pdf_inprocess
from tests.heldout.make_heldout import make_heldout


@dataclass
class Miss:
    sketch_id: str
    layout: str
    name: str
    got: Any
    want: Any


@dataclass
class HeldoutReport:
    """Accuracy per field (overall and per layout), theme/kind micro-F1, all misses."""

    sketches: int = 0
    field_accuracy: dict[str, float] = field(default_factory=dict)
    overall_accuracy: float = 0.0
    layout_accuracy: dict[str, float] = field(default_factory=dict)
    layout_field_accuracy: dict[str, dict[str, float]] = field(default_factory=dict)
    themes_f1: float = 0.0
    loesungsart_f1: float = 0.0
    layout_themes_f1: dict[str, float] = field(default_factory=dict)
    not_classified_as_sketch: list[str] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate(
    root: Path, truth: list[dict[str, Any]], *, docs: Mapping[str, ParsedDocument] | None = None
) -> HeldoutReport:
    """Score extract_fields + the theme model against ``truth`` (rows of truth.jsonl);
    ``docs`` (sketch_id → parsed document) skips parsing again."""
    model = load_theme_model()
    hits: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    themes_f1, kinds_f1 = F1(), F1()
    layout_themes: dict[str, F1] = defaultdict(F1)
    rep = HeldoutReport(sketches=len(truth))
    for row in truth:
        doc = (docs or {}).get(row["sketch_id"]) or parse_pdf_inprocess(
            (root / row["pdf"]).read_bytes()
        )
        if classify_parsed(doc).kind != "sketch":
            rep.not_classified_as_sketch.append(row["sketch_id"])
        got = extract_fields(doc)
        layout = row["layout"]
        for name in FIELD_NAMES:
            ok = values_equal(row["fields"][name], got[name].value)
            for key in (layout, "ALL"):
                hits[key][name][0] += ok
                hits[key][name][1] += 1
            if not ok:
                rep.misses.append(
                    Miss(row["sketch_id"], layout, name, got[name].value, row["fields"][name])
                )
        declared = got["themenfelder"].value or []
        pred = model.predict(doc.text, declared=declared)
        p_themes = [lbl.label for lbl in pred.themes]
        p_kinds = [lbl.label for lbl in pred.loesungsart]
        themes_f1.add(row["themes"], p_themes)
        layout_themes[layout].add(row["themes"], p_themes)
        kinds_f1.add(row["loesungsart"], p_kinds)
        if set(p_themes) != set(row["themes"]):
            rep.misses.append(Miss(row["sketch_id"], layout, "themes", p_themes, row["themes"]))
        if set(p_kinds) != set(row["loesungsart"]):
            rep.misses.append(
                Miss(row["sketch_id"], layout, "loesungsart", p_kinds, row["loesungsart"])
            )
    for key, per_field in hits.items():
        acc = {n: h / t for n, (h, t) in per_field.items()}
        total = sum(t for _h, t in per_field.values())
        overall = sum(h for h, _t in per_field.values()) / total
        if key == "ALL":
            rep.field_accuracy = acc
            rep.overall_accuracy = overall
        else:
            rep.layout_field_accuracy[key] = acc
            rep.layout_accuracy[key] = overall
    rep.themes_f1 = themes_f1.f1
    rep.loesungsart_f1 = kinds_f1.f1
    rep.layout_themes_f1 = {k: v.f1 for k, v in sorted(layout_themes.items())}
    return rep


def run(seed: int = 11, out: Path | None = None) -> HeldoutReport:
    """Generate the held-out set (into ``out`` or a temp dir) and evaluate it."""
    with tempfile.TemporaryDirectory(prefix="heldout-") as tmp:
        root = out or Path(tmp)
        sketches = make_heldout(root, seed=seed)
        return evaluate(root, [s.as_json() for s in sketches])


def print_report(rep: HeldoutReport, show: str | None) -> None:
    layouts = sorted(rep.layout_field_accuracy)
    print(f"{'field':22}" + "".join(f"{lay[:10]:>11}" for lay in layouts) + f"{'ALL':>8}")
    for name in FIELD_NAMES:
        cells = "".join(f"{rep.layout_field_accuracy[lay][name]:>11.2f}" for lay in layouts)
        print(f"{name:22}{cells}{rep.field_accuracy[name]:>8.2f}")
    cells = "".join(f"{rep.layout_accuracy[lay]:>11.3f}" for lay in layouts)
    print(f"{'overall':22}{cells}{rep.overall_accuracy:>8.3f}")
    cells = "".join(f"{rep.layout_themes_f1[lay]:>11.2f}" for lay in layouts)
    print(f"{'themes F1':22}{cells}{rep.themes_f1:>8.3f}")
    print(f"loesungsart micro-F1: {rep.loesungsart_f1:.3f}   sketches: {rep.sketches}")
    if rep.not_classified_as_sketch:
        print("not classified as sketch:", ", ".join(rep.not_classified_as_sketch))
    for m in rep.misses:
        if show in (m.name, "all"):
            print(f"{m.sketch_id} {m.layout:15} {m.name}: got {m.got!r} want {m.want!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=None, help="keep the generated set here")
    ap.add_argument(
        "--show", default=None, help="print misses of FIELD, themes, loesungsart or all"
    )
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args()
    rep = run(args.seed, args.out)
    if args.json:
        print(json.dumps(rep.as_dict(), ensure_ascii=False, indent=1, default=str))
    else:
        print_report(rep, args.show)


if __name__ == "__main__":
    main()
