"""Dev tool: per-field accuracy of extract_fields over the labelled corpus, per layout.

Usage: python scripts/eval_fields.py [--corpus DIR] [--cache DIR] [--show FIELD] [--fresh]
Parsed documents are cached (by PDF sha256 and parser version) so reruns are fast.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.fields import extract_fields
from extractors.types import FIELD_NAMES, ParsedDocument
from skizzen.parsing import PARSER_VERSION, parse_pdf_inprocess


def values_equal(got: object, want: object) -> bool:
    """Corpus comparison: exact after normalisation, numbers within 0.005."""
    if isinstance(want, int | float) and isinstance(got, int | float) and not isinstance(got, bool):
        return abs(float(got) - float(want)) <= 0.005
    return got == want


def load_doc(pdf: Path, cache: Path) -> ParsedDocument:
    data = pdf.read_bytes()
    key = f"{hashlib.sha256(data).hexdigest()}-{PARSER_VERSION}.json"
    path = cache / key
    if path.exists():
        return ParsedDocument.model_validate_json(path.read_text())
    doc = parse_pdf_inprocess(data)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.model_dump_json())
    return doc


def evaluate(corpus: Path, cache: Path) -> tuple[dict, list[tuple[str, str, str, object, object]]]:
    """{layout: {field: [hits, total]}} and the list of misses."""
    stats: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    misses = []
    for line in (corpus / "sketches.jsonl").read_text().splitlines():
        row = json.loads(line)
        if not row["pdf"] or not row["pdf"].startswith("pdf/"):
            continue
        doc = load_doc(corpus / row["pdf"], cache)
        got = extract_fields(doc)
        for f in FIELD_NAMES:
            ok = values_equal(got[f].value, row["fields"][f])
            for lay in (row["layout"], "ALL"):
                stats[lay][f][0] += ok
                stats[lay][f][1] += 1
            if not ok:
                misses.append((row["sketch_id"], row["layout"], f, got[f].value, row["fields"][f]))
    return stats, misses


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus/sample"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/skizzen-eval-cache"))
    ap.add_argument("--show", default=None, help="print misses of this field ('all' for every)")
    args = ap.parse_args()
    stats, misses = evaluate(args.corpus, args.cache)
    layouts = [*sorted(k for k in stats if k != "ALL"), "ALL"]
    print(f"{'field':22}" + "".join(f"{lay[:9]:>10}" for lay in layouts))
    for f in FIELD_NAMES:
        cells = "".join(f"{stats[lay][f][0] / stats[lay][f][1]:>10.2f}" for lay in layouts)
        print(f"{f:22}{cells}")
    hits = sum(v[0] for v in stats["ALL"].values())
    total = sum(v[1] for v in stats["ALL"].values())
    print(f"overall {hits}/{total} = {hits / total:.4f}")
    for sid, lay, f, got, want in misses:
        if args.show in (f, "all"):
            print(f"{sid} {lay:10} {f}: got {got!r} want {want!r}")


if __name__ == "__main__":
    main()
