"""Extraction and parsing speed, printed as figures (no timed tests: figures vary by machine).

    .venv/bin/python scripts/bench.py [--corpus DIR ...] [--rounds N]

Three figures, each measured in one process on one core:

* **warm extraction**: sketches per second for 2–4-page sketches whose parse is cached:
  the cache read (gzip JSON), field extraction and the theme model, as ``extract_sketches``
  does them (the cyclic collector paused for each document's read and extraction);
* **a 300-page sketch**, warm, with the page limit raised to 300;
* **parse vs pdfplumber**: our parse (PDFium words, shapes, form fields) against
  pdfplumber's plain ``extract_text`` over the same PDFs, interleaved PDF by PDF so that
  load on the machine affects both alike; the ratio is ours / pdfplumber's.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
import pikepdf  # noqa: E402

from extractors.fields import extract_fields  # noqa: E402
from extractors.scorer import load_field_model  # noqa: E402
from extractors.themes import load_theme_model  # noqa: E402
from skizzen.documents.parsing import PARSER_VERSION, ParseCache, gc_paused, parse_pdf_inprocess  # noqa: E402

DEFAULT_CORPORA = [ROOT.parent / "shared" / "corpus" / "sample", ROOT / "var" / "zoo"]


def _pdfs(corpora: list[Path]) -> list[Path]:
    out: list[Path] = []
    for c in corpora:
        if (c / "pdf").is_dir():
            out.extend(sorted((c / "pdf").glob("*.pdf")))
    return out


def _clock(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _plumber_text(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def bench_parse(datas: list[bytes], rounds: int) -> tuple[float, float]:
    """Total seconds (best round per PDF) for our parse and pdfplumber's extract_text."""
    ours = [float("inf")] * len(datas)
    theirs = [float("inf")] * len(datas)
    for r in range(rounds):
        for i, data in enumerate(datas):
            pair = [
                ("ours", lambda d=data: parse_pdf_inprocess(d)),
                ("plumber", lambda d=data: _plumber_text(d)),
            ]
            if (i + r) % 2:
                pair.reverse()  # alternate who goes first
            for name, fn in pair:
                t = _clock(fn)
                if name == "ours":
                    ours[i] = min(ours[i], t)
                else:
                    theirs[i] = min(theirs[i], t)
    return sum(ours), sum(theirs)


def bench_warm(
    cache: ParseCache, shas: list[str], rounds: int
) -> tuple[list[float], dict[str, float]]:
    """Seconds per round for reading every cached parse and extracting fields and themes,
    and the seconds per stage of the best round."""
    fields_model = load_field_model(None)
    themes = load_theme_model(None)

    def one_round(stages: dict[str, float]) -> None:
        for sha in shas:
            t0 = time.perf_counter()
            with gc_paused():  # as skizzen.steps.pipeline.extract_sketches does
                doc = cache.get(sha, PARSER_VERSION)
                assert doc is not None
                t1 = time.perf_counter()
                fields = extract_fields(doc, model=fields_model)
                t2 = time.perf_counter()
                themes.predict(doc.text, declared=fields["themenfelder"].value or [])
                t3 = time.perf_counter()
            stages["cache read"] += t1 - t0
            stages["fields"] += t2 - t1
            stages["themes"] += t3 - t2

    one_round(dict.fromkeys(("cache read", "fields", "themes"), 0.0))  # warm up
    out: list[float] = []
    best: dict[str, float] = {}
    for _ in range(rounds):
        gc.collect()
        stages = dict.fromkeys(("cache read", "fields", "themes"), 0.0)
        out.append(_clock(lambda st=stages: one_round(st)))
        if out[-1] == min(out):
            best = stages
    return out, best


def _stages(stages: dict[str, float], n: int) -> str:
    return ", ".join(f"{k} {1000 * v / n:.1f} ms" for k, v in stages.items())


def long_sketch(datas: list[bytes], pages: int) -> bytes:
    """One PDF of ``pages`` pages made by appending whole sketches (a sketch with annexes)."""
    target = pikepdf.new()
    i = 0
    while len(target.pages) < pages:
        with pikepdf.open(io.BytesIO(datas[i % len(datas)])) as src:
            for p in src.pages:
                if len(target.pages) < pages:
                    target.pages.append(p)
        i += 1
    buf = io.BytesIO()
    target.save(buf)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--corpus", type=Path, action="append", help="corpus folder with pdf/ (repeatable)"
    )
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--only", choices=["warm", "long", "parse"], action="append", help="run only these figures"
    )
    args = ap.parse_args()
    corpora = args.corpus or [c for c in DEFAULT_CORPORA if c.is_dir()]
    pdfs = _pdfs(corpora)
    if not pdfs:
        sys.exit("Keine PDFs gefunden (--corpus angeben).")
    datas = [p.read_bytes() for p in pdfs]
    print(f"corpus: {', '.join(str(c) for c in corpora)} — {len(pdfs)} PDFs", flush=True)

    only = set(args.only or ["warm", "long", "parse"])
    with tempfile.TemporaryDirectory() as tmp:
        cache = ParseCache(Path(tmp))
        shas = []
        for data in datas if "warm" in only else []:
            doc = parse_pdf_inprocess(data)
            cache.put(doc)
            if 2 <= doc.page_count <= 4:
                shas.append(doc.sha256)
        runs, stages = bench_warm(cache, shas, args.rounds) if shas else ([], {})
        if runs:
            best, med = min(runs), statistics.median(runs)
            print(
                f"warm extraction, {len(shas)} sketches of 2–4 pages: "
                f"{len(shas) / best:.1f} sketches/s best, {len(shas) / med:.1f} median "
                f"({1000 * best / len(shas):.1f} ms each: {_stages(stages, len(shas))})",
                flush=True,
            )
        if "long" in only:
            big = parse_pdf_inprocess(long_sketch(datas, 300), max_pages=300)
            cache.put(big)
            runs, stages = bench_warm(cache, [big.sha256], args.rounds)
            print(
                f"300-page sketch ({len(big.pages)} pages read), warm: {min(runs):.2f} s best, "
                f"{statistics.median(runs):.2f} s median ({_stages(stages, 1)})",
                flush=True,
            )
    if "parse" not in only:
        return
    ours, theirs = bench_parse(datas, args.rounds)
    print(
        f"parse {len(datas)} PDFs: ours {ours:.2f} s, pdfplumber extract_text {theirs:.2f} s, "
        f"ratio {ours / theirs:.2f} (≤ 1.00 is no slower)",
        flush=True,
    )


if __name__ == "__main__":
    main()
