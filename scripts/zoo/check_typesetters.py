"""Self-check of the typesetting-system layouts (latex_article, typst_grid, groff_memo).

Renders the example Facts (and ``make_facts(8, 1)`` when zoogen/facts.py exists) with each
layout into /tmp/zoo-typesetters/<layout>/, renders every batch twice (same bytes?), checks
that every ``written`` string is in the pdfplumber text, that no None fact was printed, and
verifies each declared phenomenon in the text layer. Prints per layout which phenomena were
verified in how many sketches; exit code 1 on any failure.

    cd scripts/zoo && PYTHONPATH=. ../../.venv-zoo/bin/python check_typesetters.py [-v]
"""

from __future__ import annotations

import io
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
from zoogen.example import example_facts
from zoogen.layouts.typesetters import LAYOUTS
from zoogen.model import FIELDS, MONTHS, TOPIC_FIELDS, Facts, Rendered

OUT = Path("/tmp/zoo-typesetters")
VERBOSE = "-v" in sys.argv
MONTH_ONLY = re.compile(r"^(?:(?:" + "|".join(MONTHS) + r") \d{4}|\d{2}/\d{4})$")
RANGE = re.compile(
    r"\d{1,2}\.(?:\d{2}\.| \w+ )\d{4}\s*(?:bis|–|-)\s*\d{1,2}\.(?:\d{2}\.| \w+ )\d{4}"
)
FACT_OF = {  # field -> Facts attribute (None there = must not be printed)
    "akronym": "akronym",
    "ansprechperson": "ansprechperson",
    "email": "email",
    "telefon": "telefon",
    "einwohnerzahl": "einwohnerzahl",
    "laufzeit_monate": "laufzeit_monate",
    "projektbeginn": "projektbeginn",
    "gesamtkosten_eur": "gesamtkosten",
    "foerdersumme_eur": "foerdersumme",
    "eigenanteil_eur": "eigenanteil",
}
STEMS = (
    "kosten",
    "ausgaben",
    "zuwendung",
    "förder",
    "eigen",
    "laufzeit",
    "dauer",
    "einwohner",
    "kommune",
    "körperschaft",
    "kreis",
    "partner",
    "projekt",
    "vorhaben",
    "beginn",
    "start",
    "themenfeld",
    "handlungsfeld",
    "budget",
    "volumen",
    "mittel",
    "finanz",
    "zeitraum",
    "kontakt",
    "mail",
)


def nows(s: str) -> str:
    return re.sub(r"\s+", "", s)


class Doc:
    """Text layer of one PDF."""

    def __init__(self, pdf: bytes):
        self.pdf = pdf
        self.plumb = pdfplumber.open(io.BytesIO(pdf))
        self.pages = self.plumb.pages
        self.texts = [p.extract_text() or "" for p in self.pages]
        self.text = "\n".join(self.texts)
        self.lines = [ln for t in self.texts for ln in t.splitlines()]
        self.flat = nows(self.text)

    def has(self, s: str) -> bool:
        return nows(s) in self.flat


def compound_ok(r: Rendered, d: Doc) -> bool:
    for lab in r.labels.values():
        for word in re.findall(r"[\wäöüÄÖÜß]+", lab or ""):
            w = word.lower()
            if any(st in w and len(w) > len(st) + 2 for st in STEMS) and (
                d.has(lab) or d.has(lab.upper())
            ):
                return True
    return False


# ---------------------------------------------------------------- latex_article


def ph_latex(f: Facts, r: Rendered, d: Doc) -> set[str]:
    ok = set()
    p0 = d.texts[0]
    if (
        len(d.pages) >= 3
        and nows(f.projekttitel) in nows(p0)
        and (f.antragsteller or "") in p0
        and not re.search(r"Seite \d|– \d –", p0)
    ):
        ok.add("cover_page")
    if sum(1 for ln in d.lines if re.match(r"^\d+\.\d+(\.\d+)?\s+\w", ln)) >= 5:
        ok.add("numbered_labels")
    heads = 0
    for t in d.texts[1:]:
        ls = t.splitlines()
        if (
            ls
            and (f.antragsteller or "Projektskizze") in ls[0] + " Projektskizze"
            and re.search(r"\d+\s*(?:–|--)?\s*$", ls[-1])
        ):
            heads += 1
    if heads == len(d.pages) - 1 and heads >= 2:
        ok.add("running_header_footer")
    if any(
        re.search(r"(?:\. ?){6,}", ln)
        and any(v in ln for v in r.written.values() if isinstance(v, str))
        for ln in d.lines
    ):
        ok.add("dot_leaders")
    # two justified columns: on some page, >= 4 lines start left of the middle and >= 4 right of
    # it, each group sharing a common right edge
    for p in d.pages:
        mid = p.width / 2
        left = [
            ln for ln in p.crop((0, 0, mid, p.height)).extract_text_lines() if len(ln["text"]) > 25
        ]
        right = [
            ln
            for ln in p.crop((mid, 0, p.width, p.height)).extract_text_lines()
            if len(ln["text"]) > 25
        ]

        def justified(lines):
            if len(lines) < 4:
                return False
            edge = Counter(round(ln["x1"]) for ln in lines).most_common(1)[0]
            return edge[1] >= 3

        if justified(left) and justified(right) and max(ln["x1"] for ln in left) < mid + 2:
            ok.add("two_columns_justified")
            break
    if any(0xFB00 <= ord(c["text"][0]) <= 0xFB06 for p in d.pages for c in p.chars):
        ok.add("ligature_codepoints")
    for key in ("projektbeginn", "datum"):
        v = r.written.get(key)
        if isinstance(v, str) and MONTH_ONLY.match(v) and d.has(v):
            ok.add("month_only_dates")
    for a, b in zip(d.lines, d.lines[1:], strict=False):
        if re.match(r"^\d+\.\d+(\.\d+)?\s+\D+$", a) and re.match(r"^[\d€]", b.strip()):
            ok.add("section_number_trap")
    if f.gesamtkosten is not None and f.budget:
        years = sorted({y for bl in f.budget for y in bl.per_year})
        head = any(all(str(y) in ln for y in years) and "Summe" in ln for ln in d.lines)
        from zoogen.layouts._ts_common import de_num

        total = any(de_num(f.gesamtkosten) in ln and re.search(r"[Ss]umme", ln) for ln in d.lines)
        if head and total:
            ok.add("yearly_budget_table")
    if any(
        lab == ""
        and k in ("landkreis", "bundesland", "kooperationspartner", "ansprechperson")
        and isinstance(r.written.get(k), str)
        and any(r.written[k] in ln and len(ln.split()) >= 7 for ln in d.lines)
        for k, lab in r.labels.items()
    ):
        ok.add("prose_only_values")
    if compound_ok(r, d):
        ok.add("compound_labels")
    return ok


# ---------------------------------------------------------------- typst_grid


def ph_typst(f: Facts, r: Rendered, d: Doc) -> set[str]:
    ok = set()
    p = d.pages[0]
    chars = p.chars
    mid = p.width / 2
    # the panel: its chars, its box
    foot = p.height - 60
    small = [c for c in chars if c["x1"] < mid - 40 and 120 < c["top"] < foot and c["size"] < 9]
    body = [
        c
        for c in chars
        if c["x0"] > mid - 40 and 120 < c["top"] < foot and 10.5 <= c["size"] <= 11.5
    ]
    panel_lines = [ln["text"] for ln in p.crop((0, 100, mid - 60, foot)).extract_text_lines()]
    boxes = [o for o in p.rects + p.curves if o["width"] > 100 and o["height"] > 150]
    if small and body and boxes:
        box = boxes[0]
        inside = [
            c
            for c in small
            if box["x0"] <= c["x0"]
            and c["x1"] <= box["x1"]
            and box["top"] <= c["top"] <= box["bottom"]
        ]
        sizes = Counter(round(c["size"], 1) for c in inside)
        if sizes and max(sizes, key=sizes.get) <= 8 and len(inside) > 100:
            ok.add("key_panel_small_font")
    # label above value: a grey bold upper-case label line right above the value
    lines = p.crop((0, 100, mid - 60, foot)).extract_text_lines()
    for key in ("email", "antragsteller", "plz", "gesamtkosten_eur"):
        lab, val = r.labels.get(key), r.written.get(key)
        if not lab or not isinstance(val, str):
            continue
        for ln in lines[:-1]:
            if ln["text"].startswith(lab):
                c0 = ln["chars"][0]
                grey = c0.get("non_stroking_color") not in (None, (0,), [0], (0, 0, 0), [0, 0, 0])
                below = [
                    l2
                    for l2 in lines
                    if 0 < l2["top"] - ln["bottom"] < 9 and abs(l2["x0"] - ln["x0"]) < 2
                ]
                if (
                    grey
                    and "Bold" in c0["fontname"]
                    and any(nows(val)[:8] in nows(l2["text"]) for l2 in below)
                ):
                    ok.add("label_above")
    if small and body:
        gap_l = max(c["x1"] for c in small)
        gap_r = min(c["x0"] for c in body)
        centre = (gap_l + gap_r) / 2
        if gap_r > gap_l and not (0.4 < centre / p.width < 0.6):
            ok.add("column_gap_off_centre")
    ticked = set(r.written.get("themenfelder") or [])
    if ticked:
        n_sq = n_in = 0
        for pg in d.pages:
            squares = [o for o in pg.rects if 6 < o["width"] < 11 and 6 < o["height"] < 11]
            xs = [c for c in pg.chars if c["text"] == "X"]
            n_sq += len(squares)
            n_in += sum(
                1
                for c in xs
                if any(
                    q["x0"] <= c["x0"]
                    and c["x1"] <= q["x1"]
                    and q["top"] <= c["top"]
                    and c["bottom"] <= q["bottom"] + 1
                    for q in squares
                )
            )
        if n_sq == 7 and n_in == len(ticked):
            ok.add("checkbox_vector_x")
    for pg in d.pages:
        if any(ln["text"].endswith("\u2010") for ln in pg.extract_text_lines()):
            ok.add("hyphen_u2010")
    spaced = [
        f.antragsteller or "",
        f.street,
        f.landkreis_written,
        f.funktion or "",
        *f.kooperationspartner,
    ]
    for x in spaced:
        if " " in x.strip() and x not in d.text and x.replace(" ", "") in d.text:
            ok.add("lost_spaces")
    v = r.written.get("laufzeit_monate")
    if isinstance(v, str) and RANGE.search(v) and v in d.text:
        ok.add("date_range")
    acr_lab = None
    from zoogen.layouts._ts_typst import L as TL

    for lab in TL["akronym"]:
        for ln in lines:
            if ln["text"].startswith(lab.upper() + " ") and "akronym" not in r.written:
                nxt = [
                    l2
                    for l2 in lines
                    if 0 < l2["top"] - ln["bottom"] < 9 and abs(l2["x0"] - ln["x0"]) < 2
                ]
                if not nxt or not (f.akronym and f.akronym in nxt[0]["text"]):
                    acr_lab = lab
    if acr_lab:
        ok.add("neighbour_label_trap")
    from zoogen.layouts._ts_typst import G as TG

    groups = sum(
        1 for opts in (TG["antrag"], TG["kontakt"]) if any(o.upper() in panel_lines for o in opts)
    )
    generic = {"NAME", "BEZEICHNUNG", "PERSON"}
    if groups == 2 and sum(1 for ln in panel_lines if ln in generic) >= 2:
        ok.add("group_labels")
    if compound_ok(r, d):
        ok.add("compound_labels")
    return ok


# ---------------------------------------------------------------- groff_memo


def ph_groff(f: Facts, r: Rendered, d: Doc) -> set[str]:
    ok = set()
    p = d.pages[0]
    top = d.texts[0].splitlines()[:5]
    rule = [o for o in p.lines + p.rects if o["width"] > 300 and o["top"] < 200]
    if (
        top
        and (f.antragsteller or "").upper() in top[0]
        and any(f.plz in ln for ln in top)
        and rule
    ):
        ok.add("letterhead")
    if (
        sum(1 for ln in d.lines if re.match(r"^[A-H]\.\d+\s", ln)) >= 4
        and sum(1 for ln in d.lines if re.match(r"^[A-H]\.\s+\w", ln)) >= 3
    ):
        ok.add("numbered_labels")
    strs = [v for v in r.written.values() if isinstance(v, str)]
    if any(
        re.search(r"\.{4,}", ln) and any(ln.rstrip().endswith(v) for v in strs) for ln in d.lines
    ):
        ok.add("dot_leaders")
    for pg in d.pages:
        for ln in pg.extract_text_lines():
            m = re.search(r"[._\-]{6,}\s*(\S.*)$", ln["text"])
            if (
                m
                and any(
                    nows(m[1]) == nows(r.written.get(k, ""))
                    for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur")
                )
                and ln["x1"] > pg.width - 100
            ):
                ok.add("tab_leaders")
    if any(re.match(r"^[A-H]\.\d+\s+\d", ln) for ln in d.lines):
        ok.add("section_number_trap")
    for k, lab in r.labels.items():
        v = r.written.get(k)
        if (
            lab
            and isinstance(v, str)
            and any(f"{lab}: {v}" in ln or (f"{lab}:" in ln and v[:10] in ln) for ln in d.lines)
        ):
            ok.add("label_left")
    if any(
        r.labels.get(k) == ""
        and isinstance(r.written.get(k), str)
        and re.search(r"(Rückfragen|erreichbar|beteiligt|gemeinsam mit|wirken)", d.text)
        and d.has(r.written[k])
        for k in ("ansprechperson", "email", "landkreis")
    ):
        ok.add("prose_only_values")
    if compound_ok(r, d):
        ok.add("compound_labels")
    return ok


VERIFY = {"latex_article": ph_latex, "typst_grid": ph_typst, "groff_memo": ph_groff}


# ---------------------------------------------------------------- generic checks


def generic(f: Facts, r: Rendered, d: Doc) -> list[str]:
    errs = []
    for k, v in r.written.items():
        if k not in FIELDS:
            errs.append(f"unknown field {k}")
        for x in v if isinstance(v, list) else [v]:
            if not isinstance(x, str) or not x.strip():
                if isinstance(v, list):
                    errs.append(f"{k}: empty element")
                continue
            if not d.has(x):
                errs.append(f"{k}: {x!r} not in text")
    for k, attr in FACT_OF.items():
        if getattr(f, attr) is None and k in r.written:
            errs.append(f"{k} printed although the fact is None")
    if not f.kooperationspartner and r.written.get("kooperationspartner"):
        errs.append("partners printed although there are none")
    for t in r.written.get("themenfelder") or []:
        if t not in TOPIC_FIELDS:
            errs.append(f"topic {t!r} not canonical")
    if set(r.written.get("themenfelder") or []) - set(f.themenfelder):
        errs.append("ticked topic not declared")
    for k in r.overrides:
        if k not in FIELDS:
            errs.append(f"override of unknown field {k}")
    for k in r.omitted:
        if k in r.written:
            errs.append(f"{k} both omitted and written")
    if f.datum_written_invalid and r.written.get("datum") != f.datum_written_invalid:
        errs.append("invalid date not printed as planned")
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        info = pdf.docinfo
        for key in ("/CreationDate", "/ModDate"):
            if key in info and "2021" not in str(info[key]):
                errs.append(f"{key} not fixed: {info[key]}")
    return errs


def facts_sets() -> list[tuple[str, list[Facts]]]:
    sets = [("example", example_facts())]
    try:
        from zoogen.facts import make_facts
    except ImportError:
        print("(zoogen/facts.py not there: only the example facts)")
    else:
        sets.append(("make_facts(8,1)", make_facts(8, 1)))
    return sets


def main() -> int:
    failed = False
    OUT.mkdir(parents=True, exist_ok=True)
    for layout in LAYOUTS:
        if len(sys.argv) > 1 and sys.argv[-1] in VERIFY and sys.argv[-1] != layout.name:
            continue
        outdir = OUT / layout.name
        outdir.mkdir(parents=True, exist_ok=True)
        seen: Counter[str] = Counter()
        per_sketch: list[set[str]] = []
        n_total = 0
        print(f"== {layout.name} ({layout.producer})")
        for set_name, facts in facts_sets():
            t0 = time.time()
            rendered = layout.render(facts, OUT / "work" / layout.name)
            dt = time.time() - t0
            again = layout.render(facts, OUT / "work" / (layout.name + "-again"))
            print(f"   {set_name}: {len(facts)} sketches in {dt:.1f} s")
            for f, r, r2 in zip(facts, rendered, again, strict=True):
                n_total += 1
                (outdir / f"{f.sketch_id}.pdf").write_bytes(r.pdf)
                d = Doc(r.pdf)
                errs = generic(f, r, d)
                if r.pdf != r2.pdf:
                    errs.append("not deterministic (second render differs)")
                got = VERIFY[layout.name](f, r, d)
                extra = got - layout.phenomena
                seen.update(got & layout.phenomena)
                per_sketch.append(got)
                if errs:
                    failed = True
                    print(f"   {f.sketch_id}: FAIL " + "; ".join(errs))
                if VERBOSE:
                    print(
                        f"   {f.sketch_id}: {len(d.pages)} p., "
                        f"verified {sorted(got & layout.phenomena)}"
                        + (f", also {sorted(extra)}" if extra else "")
                        + (f", overrides {r.overrides}" if r.overrides else "")
                        + (f", omitted {sorted(r.omitted)}" if r.omitted else "")
                    )
                d.plumb.close()
            # one picture per layout and set
            doc = pypdfium2.PdfDocument(rendered[0].pdf)
            for i in range(min(2, len(doc))):
                doc[i].render(scale=0.9).to_pil().save(
                    outdir / f"{facts[0].sketch_id}-p{i + 1}.png"
                )
            doc.close()
        need = math.ceil(n_total / 3)
        for ph in sorted(layout.phenomena):
            k = seen.get(ph, 0)
            mark = "ok " if k >= need else "LOW"
            if k < need:
                failed = True
            windows = [
                sum(ph in g for g in per_sketch[i : i + 6]) for i in range(max(1, n_total - 5))
            ]
            print(
                f"   {mark} {ph}: {k}/{n_total} (fewest in 6 consecutive sketches: {min(windows)})"
            )
    print("FAILED" if failed else "all checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
