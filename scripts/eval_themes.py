"""Evaluate the theme model on the sample corpus (dev script, not part of the pipeline).

Prints micro-F1 of topic fields and of solution kinds for: the shipped model, rules alone,
and leave-one-layout-out (train without a layout, score that layout). With ``--ship`` it
first retrains the shipped model in ``extractors/model/`` on the whole sample.

    .venv/bin/python scripts/eval_themes.py [--corpus ../shared/corpus/sample] [--ship]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from extractors.themes import DEFAULT_MODEL_DIR, ThemeModel, build_theme_model
from lab.training import LAYOUTS, ThemeExample, examples_from_corpus, train_theme_model


def micro_f1(pairs: Sequence[tuple[set[str], set[str]]]) -> float:
    """Micro-averaged F1 over (predicted, true) label sets."""
    tp = sum(len(p & t) for p, t in pairs)
    fp = sum(len(p - t) for p, t in pairs)
    fn = sum(len(t - p) for p, t in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(
    model: ThemeModel, examples: Sequence[ThemeExample], *, use_classifier: bool = True
) -> tuple[float, float, list[str]]:
    """(themes F1, loesungsart F1, error lines) of ``model`` on ``examples``."""
    themes: list[tuple[set[str], set[str]]] = []
    kinds: list[tuple[set[str], set[str]]] = []
    errors: list[str] = []
    for i, ex in enumerate(examples):
        res = model.predict(ex.text, use_classifier=use_classifier)
        pt = {lbl.label for lbl in res.themes}
        pk = {lbl.label for lbl in res.loesungsart}
        themes.append((pt, set(ex.themes)))
        kinds.append((pk, set(ex.loesungsart)))
        if pt != set(ex.themes) or pk != set(ex.loesungsart):
            errors.append(
                f"  #{i} {ex.layout}: themes +{sorted(pt - set(ex.themes))} "
                f"-{sorted(set(ex.themes) - pt)} | kinds +{sorted(pk - set(ex.loesungsart))} "
                f"-{sorted(set(ex.loesungsart) - pk)}"
            )
    return micro_f1(themes), micro_f1(kinds), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).parents[2] / "shared/corpus/sample"
    )
    parser.add_argument("--ship", action="store_true", help="retrain extractors/model/ first")
    parser.add_argument("--errors", action="store_true", help="print misclassified sketches")
    args = parser.parse_args()

    examples = examples_from_corpus(args.corpus)
    print(f"{len(examples)} sketches with text")
    if args.ship:
        t0 = time.perf_counter()
        train_theme_model(examples, out_dir=DEFAULT_MODEL_DIR, seed=0)
        print(f"trained shipped model in {time.perf_counter() - t0:.1f} s")
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.rglob("*") if p.is_file())
    print(f"model size on disk: {size / 1024:.0f} KiB")

    t0 = time.perf_counter()
    shipped = build_theme_model(DEFAULT_MODEL_DIR)
    print(f"model load: {time.perf_counter() - t0:.2f} s, version {shipped.version}")
    f_t, f_k, errs = score(shipped, examples)
    print(f"(a) shipped model      themes F1 {f_t:.3f}  loesungsart F1 {f_k:.3f}")
    if args.errors:
        print("\n".join(errs))
    f_t, f_k, errs = score(shipped, examples, use_classifier=False)
    print(f"(c) rules alone        themes F1 {f_t:.3f}  loesungsart F1 {f_k:.3f}")
    if args.errors:
        print("\n".join(errs))

    print("(b) leave-one-layout-out")
    for layout in LAYOUTS:
        train = [ex for ex in examples if ex.layout != layout]
        test = [ex for ex in examples if ex.layout == layout]
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            out = train_theme_model(train, out_dir=Path(tmp) / "m", seed=0)
            dt = time.perf_counter() - t0
            model = build_theme_model(out, nlp=shipped.nlp)
            f_t, f_k, errs = score(model, test)
        print(
            f"    {layout:<11} n={len(test):>2}  themes F1 {f_t:.3f}  "
            f"loesungsart F1 {f_k:.3f}  (train {dt:.1f} s)"
        )
        if args.errors:
            print("\n".join(errs))


if __name__ == "__main__":
    main()
