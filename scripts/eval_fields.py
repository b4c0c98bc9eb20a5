"""Dev tool: per-field accuracy of extract_fields per layout, and confidence calibration.

Usage: python scripts/eval_fields.py [--corpus DIR] [--cache DIR] [--show FIELD|all]
       [--demo] [--heldout DIR]
``--demo`` scores the demo sketches of ``lab.demo`` (texts nobody tuned on);
``--heldout DIR`` scores another corpus directory with a ``sketches.jsonl`` in the
sample corpus conventions. Parsed documents are cached (by PDF sha256 and parser
version) so reruns are fast. The calibration table shows, per confidence threshold,
the share of fields below it (sent to review) and the accuracy of those above it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.fields import extract_fields
from extractors.types import FIELD_NAMES, ParsedDocument
from skizzen.documents.parsing import PARSER_VERSION, parse_pdf_inprocess

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

Miss = tuple[str, str, str, object, object, float]


def values_equal(got: object, want: object) -> bool:
    """Corpus comparison: exact after normalisation, numbers within 0.005."""
    if isinstance(want, int | float) and isinstance(got, int | float) and not isinstance(got, bool):
        return abs(float(got) - float(want)) <= 0.005
    return got == want


def load_doc(data: bytes, cache: Path) -> ParsedDocument:
    key = f"{hashlib.sha256(data).hexdigest()}-{PARSER_VERSION}.json"
    path = cache / key
    if path.exists():
        return ParsedDocument.model_validate_json(path.read_text())
    doc = parse_pdf_inprocess(data)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.model_dump_json())
    return doc


def corpus_items(corpus: Path) -> Iterator[tuple[str, str, bytes, dict]]:
    """(id, layout, pdf bytes, truth fields) for every sketch with a text-layer PDF."""
    truth = corpus / "sketches.jsonl"
    if not truth.exists():
        truth = corpus / "truth.jsonl"  # the held-out generator's name
    for line in truth.read_text().splitlines():
        row = json.loads(line)
        pdf = row.get("pdf") or ""
        if not pdf.endswith(".pdf") or not (corpus / pdf).exists():
            continue
        if "scan" in (row.get("notes") or "") or "encrypt" in (row.get("notes") or ""):
            continue
        yield row["sketch_id"], row["layout"], (corpus / pdf).read_bytes(), row["fields"]


def demo_items() -> Iterator[tuple[str, str, bytes, dict]]:
    """The demo sketches of lab.demo, rendered in memory."""
    from lab.demo_pdf import render_sketch
    from lab.demo_sketches import DEMO_SKETCHES

    for s in DEMO_SKETCHES:
        yield s.filename, s.layout, render_sketch(s), dict(s.fields)


def evaluate(
    items: Iterator[tuple[str, str, bytes, dict]], cache: Path
) -> tuple[dict, list[Miss], list[tuple[float, bool]]]:
    """{layout: {field: [hits, total]}}, the misses, and (confidence, correct) per field."""
    stats: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    misses: list[Miss] = []
    scored: list[tuple[float, bool]] = []
    for sid, layout, data, truth in items:
        got = extract_fields(load_doc(data, cache))
        for f in FIELD_NAMES:
            ok = values_equal(got[f].value, truth.get(f))
            scored.append((got[f].confidence, ok))
            for lay in (layout, "ALL"):
                stats[lay][f][0] += ok
                stats[lay][f][1] += 1
            if not ok:
                misses.append((sid, layout, f, got[f].value, truth.get(f), got[f].confidence))
    return stats, misses, scored


def calibration(scored: list[tuple[float, bool]]) -> list[tuple[float, float, float, int]]:
    """(threshold, share below, accuracy at or above, wrong at or above) per threshold."""
    out = []
    for t in THRESHOLDS:
        above = [ok for c, ok in scored if c >= t]
        below = len(scored) - len(above)
        acc = sum(above) / len(above) if above else 1.0
        out.append((t, below / len(scored), acc, len(above) - sum(above)))
    return out


def report(title: str, stats: dict, misses: list[Miss], scored: list, show: str | None) -> None:
    print(f"## {title}")
    layouts = [*sorted(k for k in stats if k != "ALL"), "ALL"]
    print(f"{'field':22}" + "".join(f"{lay[:9]:>10}" for lay in layouts))
    for f in FIELD_NAMES:
        cells = "".join(f"{stats[lay][f][0] / stats[lay][f][1]:>10.3f}" for lay in layouts)
        print(f"{f:22}{cells}")
    overall = ""
    for lay in layouts:
        hits = sum(v[0] for v in stats[lay].values())
        total = sum(v[1] for v in stats[lay].values())
        overall += f"{hits / total:>10.4f}"
    print(f"{'overall':22}{overall}")
    print("threshold  below  acc_above  wrong_above")
    for t, below, acc, wrong in calibration(scored):
        print(f"{t:>9.1f} {below:>6.3f} {acc:>10.4f} {wrong:>12d}")
    for sid, lay, f, got, want, conf in misses:
        if show in (f, "all"):
            print(f"{sid} {lay:10} {f} ({conf:.2f}): got {got!r} want {want!r}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus/sample"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/skizzen-eval-cache"))
    ap.add_argument("--show", default=None, help="print misses of this field ('all' for every)")
    ap.add_argument("--demo", action="store_true", help="also score the demo sketches")
    ap.add_argument("--heldout", type=Path, default=None, help="also score this corpus dir")
    args = ap.parse_args()
    report("sample", *evaluate(corpus_items(args.corpus), args.cache), args.show)
    if args.demo:
        report("demo", *evaluate(demo_items(), args.cache), args.show)
    if args.heldout:
        report("heldout", *evaluate(corpus_items(args.heldout), args.cache), args.show)


if __name__ == "__main__":
    main()
