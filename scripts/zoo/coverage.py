#!/usr/bin/env python3
"""Coverage of a generated zoo: phenomena per layout/producer and label wordings per field.

    python coverage.py DIR [--sample ../../../shared/corpus] [--min-new 6] [--glyphs]

* prints the phenomenon x layout matrix (from the layouts' declared phenomena, as recorded
  in DIR/sketches.jsonl) and checks that every phenomenon of ``PHENOMENA`` occurs in at least
  two layouts made by *different producers* (producer family: the part before the first
  "-", so "libreoffice-docx" and "libreoffice-odt" count as one producer);
* prints for each field the distinct label wordings used in DIR (``labels`` key) and which
  of them are new, i.e. not among the sample corpus's labels (the label lists of
  shared/corpus/tools/skizzengen/*.py and the label-like lines of the sample PDFs' text);
  target: at least ``--min-new`` new wordings per field (``koerperschaft_typ`` is exempt:
  it is normally part of the applicant's name, not a labelled item).

* with ``--glyphs``: for the phenomena that can be read off the text layer (U+2010 at line
  ends, U+00AD, U+FB00-FB06, private-use bullets, NBSP/NNBSP thousands separators, ☒/☐,
  AcroForm values) in how many sketches of each declaring layout they really occur (target:
  at least 2 of every 6).

Exit code 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from zoogen.model import FIELDS, PHENOMENA

DEFAULT_SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "corpus"
EXEMPT = {"koerperschaft_typ"}
_ALIASES = {
    "laufzeit": "laufzeit_monate",
    "gesamtkosten": "gesamtkosten_eur",
    "foerdersumme": "foerdersumme_eur",
    "eigenanteil": "eigenanteil_eur",
}


def family(producer: str) -> str:
    return re.split(r"[-+/ ]", producer.strip().lower(), maxsplit=1)[0]


def norm_label(s: str) -> str:
    s = s.replace("\u00a0", " ").replace("\u00ad", "").strip()
    s = re.sub(
        r"^\(?(?:[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}|[A-Z]|[IVX]{1,4})[.)]?\s+", "", s
    )  # numbering
    s = re.sub(r"[\s.…:]+$", "", s)  # trailing colon, dot leaders
    s = re.sub(r"\s+", " ", s)
    return s.casefold()


# ----------------------------------------------------------------------------- sample labels


def _label_lists_from_source(tools: Path) -> dict[str, set[str]]:
    """LABELS-like dicts {field: [str, ...]} in the sample generator's modules (parsed, not run)."""
    out: dict[str, set[str]] = defaultdict(set)
    for py in sorted((tools / "skizzengen").glob("*.py")):
        try:
            tree = ast.parse(py.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Dict):
                continue
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if not any("LABEL" in n.upper() for n in names):
                continue
            for k, v in zip(node.value.keys, node.value.values, strict=False):
                if not isinstance(k, ast.Constant) or not isinstance(k.value, str):
                    continue
                field = _ALIASES.get(k.value, k.value)
                if isinstance(v, (ast.List, ast.Tuple)):
                    for e in v.elts:
                        if isinstance(e, ast.Constant) and isinstance(e.value, str):
                            out[field].add(e.value)
    return out


def _pdf_label_candidates(sample: Path) -> set[str]:
    """Label-like strings of the sample PDFs: text before ':' and short lines."""
    import pdfplumber

    cands: set[str] = set()
    for pdf in sorted((sample / "sample" / "pdf").glob("*.pdf")):
        try:
            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    for line in (page.extract_text() or "").splitlines():
                        line = line.strip()
                        if ":" in line:
                            head = line.split(":", 1)[0]
                            if 1 < len(head) <= 70:
                                cands.add(head)
                        if 1 < len(line) <= 70:
                            cands.add(line)
                    for table in page.extract_tables():
                        for row in table:
                            for cell in row:
                                if cell and len(cell) <= 70:
                                    cands.add(cell.replace("\n", " "))
        except Exception:
            continue
    return cands


def sample_labels(sample: Path) -> tuple[dict[str, set[str]], set[str]]:
    """(per-field label lists of the sample generator, every label-like sample PDF string),
    both normalised; the PDF part is cached under ~/.cache."""
    lists = _label_lists_from_source(sample / "tools")
    pdfs = sorted((sample / "sample" / "pdf").glob("*.pdf"))
    key = hashlib.sha256(
        "".join(f"{p.name}:{p.stat().st_size}" for p in pdfs).encode()
    ).hexdigest()[:16]
    cache = (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "skizzen-zoo"
        / f"sample-labels-{key}.json"
    )
    if cache.exists():
        cands = set(json.loads(cache.read_text(encoding="utf-8")))
    else:
        cands = _pdf_label_candidates(sample)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(sorted(cands), ensure_ascii=False), encoding="utf-8")
    per_field = {k: {norm_label(x) for x in v} for k, v in lists.items()}
    every = {norm_label(x) for x in cands} | {x for v in per_field.values() for x in v}
    return per_field, every


# ----------------------------------------------------------------------------- glyphs

_GLYPH_TESTS = {
    "hyphen_u2010": lambda text, chars: "\u2010\n" in text,
    "soft_hyphen": lambda text, chars: "\u00ad" in chars,
    "ligature_codepoints": lambda text, chars: any("\ufb00" <= c <= "\ufb06" for c in chars),
    "pua_bullets": lambda text, chars: any("\ue000" <= c <= "\uf8ff" for c in chars),
    "nbsp_thousands": lambda text, chars: re.search(r"\d\u00a0\d{3}", chars) is not None,
    "nnbsp_thousands": lambda text, chars: re.search(r"\d\u202f\d{3}", chars) is not None,
    "checkbox_chars": lambda text, chars: any(c in chars for c in "\u2610\u2611\u2612"),
}


def _glyph_findings(pdf_path: Path) -> set[str]:
    import pdfplumber
    import pikepdf

    found = set()
    with pdfplumber.open(pdf_path) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
        chars = "".join(c["text"] for p in doc.pages for c in p.chars)
    for name, test in _GLYPH_TESTS.items():
        if test(text, chars):
            found.add(name)
    with pikepdf.open(pdf_path) as pdf:
        af = pdf.Root.get("/AcroForm")
        fields = list(af.get("/Fields", [])) if af is not None else []
        if fields and any(
            f.get("/V") is not None or any(k.get("/V") is not None for k in f.get("/Kids", []))
            for f in fields
        ):
            found.add("acroform")
    return found


def check_glyphs(base: Path, rows: list[dict], problems: list[str]) -> None:
    """For the phenomena that can be read off the text layer: in how many sketches of each
    layout declaring them they really occur (target: at least 2 of every 6)."""
    print("\nglyph phenomena found in the text layer (sketches with it / sketches of the layout):")
    by_layout: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_layout[r["layout"]].append(r)
    for lay, rs in sorted(by_layout.items()):
        declared = set(rs[0].get("phenomena", [])) & (set(_GLYPH_TESTS) | {"acroform"})
        if not declared:
            continue
        counts: dict[str, int] = defaultdict(int)
        for r in rs:
            for name in _glyph_findings(base / r["pdf"]):
                counts[name] += 1
        cells = []
        for name in sorted(declared):
            ok = counts[name] * 3 >= len(rs)
            cells.append(f"{name} {counts[name]}/{len(rs)}{'' if ok else ' <-- TOO RARE'}")
            if not ok:
                problems.append(f"{lay}: {name} found in {counts[name]} of {len(rs)} sketches")
        print(f"  {lay:24s} " + "; ".join(cells))


# ----------------------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("dir", type=Path)
    ap.add_argument(
        "--sample",
        type=Path,
        default=DEFAULT_SAMPLE,
        help="shared/corpus (with sample/ and tools/)",
    )
    ap.add_argument("--min-new", type=int, default=6)
    ap.add_argument("--min-producers", type=int, default=2)
    ap.add_argument(
        "--glyphs",
        action="store_true",
        help="also check the glyph phenomena (U+2010, U+00AD, ligatures, PUA, NBSP/NNBSP, ☒/☐, "
        "AcroForm) in the PDFs' text layer",
    )
    args = ap.parse_args(argv)
    rows = [
        json.loads(x)
        for x in (args.dir / "sketches.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    problems: list[str] = []

    # ---- phenomena
    layouts: dict[str, tuple[str, set[str]]] = {}
    for r in rows:
        layouts.setdefault(r["layout"], (r.get("producer", "?"), set(r.get("phenomena", []))))
    names = sorted(layouts)
    print(f"{len(names)} layouts in {args.dir}:")
    for i, n in enumerate(names, 1):
        print(f"  [{i:2d}] {n:24s} {layouts[n][0]}")
    width = max(len(p) for p in PHENOMENA)
    print(
        "\nphenomenon".ljust(width + 2)
        + " ".join(f"{i:>2d}" for i in range(1, len(names) + 1))
        + "   producers"
    )
    for p in PHENOMENA:
        cells = " ".join(" x" if p in layouts[n][1] else " ." for n in names)
        fams = sorted({family(layouts[n][0]) for n in names if p in layouts[n][1]})
        ok = len(fams) >= args.min_producers
        if not ok:
            problems.append(
                f"phenomenon {p}: in {len(fams)} producer(s) {fams}, need {args.min_producers}"
            )
        print(f"{p:{width}s}  {cells}   {','.join(fams) or '-'}{'' if ok else '   <-- MISSING'}")
    unknown = {p for _, (_, ph) in layouts.items() for p in ph} - set(PHENOMENA)
    if unknown:
        problems.append(f"unknown phenomena declared: {sorted(unknown)}")

    if args.glyphs:
        check_glyphs(args.dir, rows, problems)

    # ---- labels
    _per_field, every = sample_labels(args.sample)
    used: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        for k, lab in (r.get("labels") or {}).items():
            if lab and lab.strip():
                used[k][lab.strip()].add(r["layout"])
    print(
        "\nlabel wordings per field "
        f"(new = not among the sample's {len(every)} label-like strings):"
    )
    for k in FIELDS:
        wordings = used.get(k, {})
        by_norm: dict[str, list[str]] = defaultdict(list)
        for w in wordings:
            by_norm[norm_label(w)].append(w)
        new = sorted(n for n in by_norm if n not in every)
        old = sorted(n for n in by_norm if n in every)
        target = "" if k in EXEMPT else f" (target {args.min_new})"
        flag = ""
        if k not in EXEMPT and len(new) < args.min_new:
            flag = "   <-- BELOW TARGET"
            problems.append(f"field {k}: {len(new)} new label wordings, target {args.min_new}")
        print(f"\n{k}: {len(by_norm)} distinct, {len(new)} new{target}{flag}")
        for n in new:
            w = by_norm[n][0]
            print(f"   + {w!r}  [{', '.join(sorted(wordings[w]))}]")
        for n in old:
            w = by_norm[n][0]
            print(f"   = {w!r}  [{', '.join(sorted(wordings[w]))}]")

    print()
    for p in problems:
        print("MISSED:", p)
    print(f"{len(problems)} targets missed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
