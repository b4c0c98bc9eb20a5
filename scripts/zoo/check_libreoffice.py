"""Self-check of the LibreOffice layouts (zoogen/layouts/libreoffice.py).

Renders the example Facts (as given and with two more seeds each) and, when
zoogen/facts.py exists, ``make_facts(8, 1)`` with every LibreOffice layout into
/tmp/zoo-libreoffice/<layout>/, then checks each sketch in the PDF text layer (pdfplumber,
pikepdf):

* every ``written`` string occurs (whitespace-insensitive) in the extracted text;
* fields whose Facts value is None are not written; omitted fields are not written;
* fixed /CreationDate and a repeatable PDF (the example batch is rendered twice);
* the truth rows of zoogen.writer can be built and pass writer.check_sketch;
* every phenomenon the layout declares, by a test of its own (see ``PHENOMENON_TESTS``),
  counted per sketch: a phenomenon counts as verified when it occurs in at least 2 of
  every 6 sketches of the batch (and at least once).

Run:  cd scripts/zoo && PYTHONPATH=. ../../.venv-zoo/bin/python check_libreoffice.py [-v]
Exit status 0 when everything passed.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pikepdf
from zoogen.example import example_facts
from zoogen.layouts import _lo_letter
from zoogen.layouts.libreoffice import LAYOUTS
from zoogen.model import FIELDS, TOPIC_FIELDS, Facts, Rendered

OUT = Path("/tmp/zoo-libreoffice")
MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
CM = 72 / 2.54


def norm(s: str) -> str:
    return re.sub(r"[\s\u00a0\u00ad\u202f\u2009\u200b]+", "", s or "")


# ------------------------------------------------------------------ extracted document
class Doc:
    def __init__(self, data: bytes):
        self.data = data
        self.pdf = pdfplumber.open(io.BytesIO(data))
        self.pages = self.pdf.pages
        self.texts = [p.extract_text() or "" for p in self.pages]
        self.full = "\n".join(self.texts)
        self.lines = [ln for t in self.texts for ln in t.splitlines()]
        parts = list(self.texts)
        self._tables: list[list[list[list[str | None]]]] = []
        for p in self.pages:
            w, h = p.width, p.height
            for box in ((0, 0, w / 2, h), (w / 2, 0, w, h)):
                parts.append(p.crop(box).extract_text() or "")
            tabs = p.extract_tables()
            self._tables.append(tabs)
            parts += [c for t in tabs for row in t for c in row if c]
        self.extra = parts
        self.hay = norm("\n".join(parts))

    def tables(self):
        for tabs in self._tables:
            yield from tabs

    def contains(self, s: str) -> bool:
        return norm(s) in self.hay

    def line_with(self, s: str) -> list[str]:
        n = norm(s)
        return [ln for ln in self.lines if n in norm(ln)]

    def close(self):
        self.pdf.close()


def _cell(c) -> str:
    return norm(c or "")


def _written_values(r: Rendered) -> list[tuple[str, str]]:
    out = []
    for k, v in r.written.items():
        for val in v if isinstance(v, list) else [v]:
            if val:
                out.append((k, str(val)))
    return out


# ------------------------------------------------------------------ phenomenon tests
def t_label_left(f, r, d):
    for k, lab in r.labels.items():
        v = r.written.get(k)
        if not lab or not isinstance(v, str) or not v:
            continue
        for ln in d.lines + [ln for t in d.extra for ln in t.splitlines()]:
            n = norm(ln)
            i, j = n.find(norm(lab)), n.find(norm(v))
            if i >= 0 and j > i:
                return True
    return False


def _table_pairs(d, vertical: bool):
    for t in d.tables():
        for ri, row in enumerate(t):
            for ci, c in enumerate(row):
                if vertical:
                    if ri + 1 < len(t) and ci < len(t[ri + 1]):
                        yield _cell(c), _cell(t[ri + 1][ci])
                else:
                    nxt = next((x for x in row[ci + 1 :] if x is not None), None)
                    yield _cell(c), _cell(nxt)


def _table_hit(f, r, d, vertical):
    pairs = set(_table_pairs(d, vertical))
    for k, lab in r.labels.items():
        v = r.written.get(k)
        if lab and isinstance(v, str) and v and (norm(lab), norm(v)) in pairs:
            return True
    return False


def t_table_next_cell(f, r, d):
    return _table_hit(f, r, d, False)


def t_table_next_row(f, r, d):
    return _table_hit(f, r, d, True)


def t_group_labels(f, r, d):
    generic = {"Name", "Bezeichnung"}
    if r.labels.get("ansprechperson") not in generic:
        return False
    groups = [ln for ln in d.lines if re.search(r"Antragstellende Kommune", ln)]
    contact = [ln for ln in d.lines if re.search(r"Ansprechpartner/in", ln)]
    return bool(groups and contact)


def t_numbered_labels(f, r, d):
    n = [
        lab
        for lab in r.labels.values()
        if re.match(r"^\d+\.(\d+\.?)* \S", lab or "") and d.contains(lab)
    ]
    return len(n) >= 3


def t_tab_leaders(f, r, d):
    for ln in d.lines:
        m = re.search(r"\S\s?\.{8,}\s?(\S.*)$", ln)
        if m and any(norm(v) in norm(m.group(1)) for _, v in _written_values(r)):
            return True
    return False


def t_neighbour_label_trap(f, r, d):
    traps = [n.split(":", 1)[1] for n in r.notes if n.startswith("trap:")]
    for t in d.tables():
        for row in t:
            cells = [c for c in row if c is not None]
            for i in range(len(cells) - 2):
                lab = cells[i]
                for fld in traps:
                    if (
                        fld == "akronym"
                        and re.search(r"Akronym|Kürzel", lab or "")
                        and not _cell(cells[i + 1])
                        and _cell(cells[i + 2])
                    ):
                        return True
                    if (
                        fld == "einwohnerzahl"
                        and re.search(r"Einwohner", lab or "")
                        and not _cell(cells[i + 1])
                        and _cell(cells[i + 2])
                    ):
                        return True
    return False


BOX_TICKED = {"☒", "\uf0fd"}
BOX_EMPTY = {"☐", "\uf0a8"}


def _box_chars(d):
    return [c["text"] for p in d.pages for c in p.chars if c["text"] in BOX_TICKED | BOX_EMPTY]


def t_checkbox_chars(f, r, d):
    boxes = _box_chars(d)
    return len(boxes) >= len(TOPIC_FIELDS)


def t_checkbox_none_ticked(f, r, d):
    if r.written.get("themenfelder"):
        return False
    if not all(d.contains(t) for t in TOPIC_FIELDS):
        return False
    boxes = _box_chars(d)
    if boxes:
        return not any(b in BOX_TICKED for b in boxes) and len(boxes) >= len(TOPIC_FIELDS)
    # "X" style (calc): no X next to any topic line
    return not any(re.search(r"(^|\s)X(\s|$)", ln) for t in TOPIC_FIELDS for ln in d.line_with(t))


def t_pua_bullets(f, r, d):
    for p in d.pages:
        chars = p.chars
        for i, c in enumerate(chars):
            o = ord(c["text"][0])
            if 0xE000 <= o <= 0xF8FF and c["text"] not in BOX_TICKED | BOX_EMPTY:
                # first glyph of its line
                prev = chars[i - 1] if i else None
                if prev is None or abs(prev["top"] - c["top"]) > 2 or prev["x1"] > c["x0"] + 1:
                    return True
    return False


def t_amounts_no_currency(f, r, d):
    if not re.search(r"in €|in EUR|in Euro", d.full):
        return False
    for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        v = r.written.get(k)
        if v and not re.search(r"€|EUR|Euro", v) and re.fullmatch(r"[\d.,]+", v) and d.contains(v):
            return True
    return False


def t_yearly_budget_table(f, r, d):
    for t in d.tables():
        head = next(
            (row for row in t if sum(bool(re.fullmatch(r"20\d\d", _cell(c))) for c in row) >= 2),
            None,
        )
        if head is None:
            continue
        if any(re.search(r"summe|gesamt", _cell(row[0]).lower()) for row in t if row and row[0]):
            return True
    return False


def t_wrapped_values(f, r, d):
    cells = [c for t in d.tables() for row in t for c in row if c]
    for _k, v in _written_values(r):
        nv = norm(v)
        if len(nv) < 12:
            continue
        # a table cell holding the value on more than one line
        for c in cells:
            if nv in norm(c) and not any(nv in norm(ln) for ln in c.splitlines()):
                return True
        in_line = any(nv in norm(ln) for t in d.extra for ln in t.splitlines())
        if not in_line and d.contains(v):
            return True
    return False


STEMS = (
    "titel",
    "akronym",
    "antrag",
    "kommune",
    "körperschaft",
    "kreis",
    "land",
    "ansprech",
    "kontakt",
    "telefon",
    "mail",
    "einwohner",
    "partner",
    "themenfeld",
    "laufzeit",
    "beginn",
    "start",
    "kosten",
    "ausgaben",
    "zuwendung",
    "förder",
    "eigen",
    "datum",
    "zeitraum",
    "dauer",
    "postleitzahl",
    "verwaltung",
    "kurz",
)


def t_compound_labels(f, r, d):
    n = 0
    for lab in set(r.labels.values()):
        if not lab or not d.contains(lab):
            continue
        words = re.findall(r"[\wÄÖÜäöüß-]+", lab.lower())
        compound = any(any(s in w and w != s for s in STEMS) for w in words)
        phrase = len(words) >= 2 and any(s in lab.lower() for s in STEMS)
        if compound or phrase:
            n += 1
    return n >= 3


def t_letterhead(f, r, d):
    p = d.pages[0]
    top = p.crop((0, 0, p.width, p.height * 0.14)).extract_text() or ""
    if f.antragsteller and norm(f.antragsteller) not in norm(top):
        return False
    upper = p.crop((0, 0, p.width, p.height * 0.35)).extract_text() or ""
    return norm(f"{f.plz} {f.ort}") in norm(upper)


def _sidebar_geo(r):
    side = "right" if "sidebar:right" in r.notes else "left"
    return side, (_lo_letter.RIGHT if side == "right" else _lo_letter.LEFT)


def t_sidebar(f, r, d):
    _side, geo = _sidebar_geo(r)
    p = d.pages[0]
    x0, x1 = geo["side"][0] * CM - 3, geo["side"][1] * CM + 3
    strip = p.crop((x0, 0, x1, p.height)).extract_text() or ""
    data = [r.written.get(k) for k in ("telefon", "email", "ansprechperson") if r.written.get(k)]
    if not data or not all(norm(v) in norm(strip) for v in data):
        return False
    fills = [
        q
        for q in p.rects
        if q.get("fill")
        and q["x0"] >= x0 - 2
        and q["x1"] <= x1 + 2
        and q.get("non_stroking_color") not in (None, (1, 1, 1), [1, 1, 1], (1,), 1)
    ]
    return bool(fills)


def t_column_gap_off_centre(f, r, d):
    side, geo = _sidebar_geo(r)
    p = d.pages[0]
    sx0, sx1 = geo["side"][0] * CM - 3, geo["side"][1] * CM + 3
    body = [
        c
        for c in p.chars
        if not (sx0 <= c["x0"] <= sx1) and p.height * 0.15 < c["top"] < p.height * 0.9
    ]
    sidec = [c for c in p.chars if sx0 <= c["x0"] <= sx1]
    if not body or not sidec:
        return False
    if side == "right":
        g0, g1 = max(c["x1"] for c in body), min(c["x0"] for c in sidec)
    else:
        g0, g1 = max(c["x1"] for c in sidec), min(c["x0"] for c in body)
    if g1 <= g0:
        return False
    centre = (g0 + g1) / 2
    return abs(centre - p.width / 2) > 0.12 * p.width


def t_prose_only_values(f, r, d):
    prose = 0
    for k, v in r.written.items():
        if r.labels.get(k, None) != "" or not v:
            continue
        vals = v if isinstance(v, list) else [v]
        # in a sentence: the line holding it has >= 6 words
        if all(any(len(ln.split()) >= 6 for ln in d.line_with(x)) or d.contains(x) for x in vals):
            prose += 1
    return prose >= 8


def t_month_only_dates(f, r, d):
    v = r.written.get("projektbeginn") or ""
    return bool(re.fullmatch(rf"({MONTHS}) \d{{4}}|\d{{2}}/\d{{4}}", v)) and d.contains(v)


def t_date_range(f, r, d):
    v = r.written.get("laufzeit_monate") or ""
    ok = re.fullmatch(
        rf"\d{{2}}/\d{{4}} – \d{{2}}/\d{{4}}|({MONTHS}) \d{{4}} bis ({MONTHS}) \d{{4}}"
        rf"|\d{{2}}\.\d{{2}}\.\d{{4}} – \d{{2}}\.\d{{2}}\.\d{{4}}",
        v,
    )
    return bool(ok) and d.contains(v)


def t_municipality_not_person(f, r, d):
    if not f.antragsteller:
        return False
    signer = next((n.split(":", 1)[1] for n in r.notes if n.startswith("signer:")), None)
    ls = [ln.strip() for ln in d.texts[0].splitlines()]
    for i, ln in enumerate(ls):
        if "Mit freundlichen Grüßen" in ln:
            rest = ls[i + 1 : i + 6]
            if (
                rest
                and norm(f.antragsteller) in norm(rest[0])
                and signer
                and any(norm(signer) in norm(x) for x in rest[1:])
            ):
                return True
    return False


def t_running_header_footer(f, r, d):
    if len(d.pages) < 2:
        return False
    head = f.antragsteller or ""
    for i, p in enumerate(d.pages):
        top = p.crop((0, 0, p.width, p.height * 0.07)).extract_text() or ""
        bot = p.crop((0, p.height * 0.93, p.width, p.height)).extract_text() or ""
        if head and norm(head) not in norm(top):
            return False
        if f"Seite {i + 1} von {len(d.pages)}" not in bot:
            return False
    return True


def t_key_panel_small_font(f, r, d):
    p = d.pages[0]
    vals = [
        r.written.get(k)
        for k in ("antragsteller", "bundesland", "plz", "gesamtkosten_eur")
        if r.written.get(k)
    ]
    words = p.extract_words(extra_attrs=["size"])
    small = [
        w
        for w in words
        if any(norm(w["text"]) and norm(w["text"]) in norm(v) for v in vals)
        and w["size"] <= 8.6
        and p.height * 0.08 < w["top"] < p.height * 0.9
    ]
    body = [c["size"] for c in p.chars if "Caladea" in c["fontname"]]
    if not small or not body or min(body) < 10.5:
        return False
    top = min(w["top"] for w in small)
    bottom = max(w["bottom"] for w in small)
    x0 = min(w["x0"] for w in small)
    horiz = [e for e in p.edges if e["orientation"] == "h" and e["x0"] <= x0 + 5]
    above = any(top - 60 <= e["top"] <= top for e in horiz)
    below = any(bottom <= e["top"] <= bottom + 120 for e in horiz)
    return above and below


def t_two_columns_justified(f, r, d):
    p = d.pages[0]
    body = [c for c in p.chars if "Caladea" in c["fontname"]]
    if len(body) < 200:
        return False
    mid = p.width / 2
    left = [c for c in body if c["x1"] < mid]
    right = [c for c in body if c["x0"] > mid]
    if len(left) < 80 or len(right) < 80:
        return False
    ok = True
    for col in (left, right):
        rows = defaultdict(list)
        for c in col:
            rows[round(c["top"])].append(c)
        ends = sorted(max(c["x1"] for c in cs) for cs in rows.values())
        if len(ends) < 4:
            return False
        edge = ends[-1]
        flush = sum(1 for e in ends if edge - e < 1.5)
        ok &= flush >= 0.5 * len(ends)
    return ok


def t_soft_hyphen(f, r, d):
    for p in d.pages:
        chars = p.chars
        for i, c in enumerate(chars):
            if c["text"] == "\u00ad":
                nxt = chars[i + 1] if i + 1 < len(chars) else None
                if nxt is None or nxt["top"] > c["top"] + 2 or nxt["x0"] < c["x0"] - 50:
                    return True
    return False


def t_nbsp_thousands(f, r, d):
    amts = [r.written.get(k) for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur")]
    if not any(a and re.search(r"\d\u00a0\d", a) for a in amts):
        return False
    for p in d.pages:
        t = "".join(c["text"] for c in p.chars)
        if re.search(r"\d\u00a0\d{3}", t):
            return True
    return False


def t_months_under_label(f, r, d):
    v = r.written.get("laufzeit_monate") or ""
    if not re.fullmatch(r"\d+", v):
        return False
    for i, ln in enumerate(d.lines[:-1]):
        if "in Monaten" in ln and d.lines[i + 1].strip().split()[:1] == [v]:
            return True
    return False


PHENOMENON_TESTS = {
    "label_left": t_label_left,
    "table_next_cell": t_table_next_cell,
    "table_next_row": t_table_next_row,
    "group_labels": t_group_labels,
    "numbered_labels": t_numbered_labels,
    "tab_leaders": t_tab_leaders,
    "neighbour_label_trap": t_neighbour_label_trap,
    "checkbox_chars": t_checkbox_chars,
    "checkbox_none_ticked": t_checkbox_none_ticked,
    "pua_bullets": t_pua_bullets,
    "amounts_no_currency": t_amounts_no_currency,
    "yearly_budget_table": t_yearly_budget_table,
    "wrapped_values": t_wrapped_values,
    "compound_labels": t_compound_labels,
    "letterhead": t_letterhead,
    "sidebar": t_sidebar,
    "column_gap_off_centre": t_column_gap_off_centre,
    "prose_only_values": t_prose_only_values,
    "month_only_dates": t_month_only_dates,
    "municipality_not_person": t_municipality_not_person,
    "running_header_footer": t_running_header_footer,
    "key_panel_small_font": t_key_panel_small_font,
    "two_columns_justified": t_two_columns_justified,
    "soft_hyphen": t_soft_hyphen,
    "nbsp_thousands": t_nbsp_thousands,
    "date_range": t_date_range,
    "months_under_label": t_months_under_label,
}


# ------------------------------------------------------------------ generic checks
def generic_checks(f: Facts, r: Rendered, d: Doc) -> list[str]:
    errs = []
    for k, v in _written_values(r):
        if not d.contains(v):
            errs.append(f"written {k}={v!r} not in text")
    unknown = (set(r.written) | set(r.labels) | set(r.omitted) | set(r.overrides)) - set(FIELDS)
    if unknown:
        errs.append(f"unknown fields {sorted(unknown)}")
    nones = {
        "akronym": f.akronym,
        "antragsteller": f.antragsteller,
        "ansprechperson": f.ansprechperson,
        "email": f.email,
        "telefon": f.telefon,
        "einwohnerzahl": f.einwohnerzahl,
        "laufzeit_monate": f.laufzeit_monate,
        "projektbeginn": f.projektbeginn,
        "gesamtkosten_eur": f.gesamtkosten,
        "foerdersumme_eur": f.foerdersumme,
        "eigenanteil_eur": f.eigenanteil,
    }
    for k, v in nones.items():
        if v is None and r.written.get(k):
            errs.append(f"{k} is None in Facts but written {r.written[k]!r}")
        if v is None and k == "antragsteller":
            pass
    if f.antragsteller is None and f.place and d.contains(f"{f.body_word} {f.place}"):
        errs.append("applicant missing in Facts but its name is printed")
    for k in r.omitted:
        if r.written.get(k):
            errs.append(f"{k} omitted but written")
    for k in ("kooperationspartner", "themenfelder"):
        if k in r.written and not isinstance(r.written[k], list):
            errs.append(f"{k} written is not a list")
    if list(r.written.get("themenfelder", [])) != [t for t in TOPIC_FIELDS if t in f.themenfelder]:
        errs.append("themenfelder written differs from the declared ones")
    with pikepdf.open(io.BytesIO(d.data)) as pdf:
        cd = str(pdf.docinfo.get("/CreationDate", ""))
        if not cd.startswith("D:20"):
            errs.append(f"CreationDate {cd!r}")
        if "/Metadata" in pdf.Root:
            errs.append("XMP metadata left in")
    return errs


def writer_checks(f: Facts, r: Rendered, layout) -> list[str]:
    try:
        from zoogen import writer
    except Exception as exc:
        return [f"(writer not importable: {exc})"]
    row = writer.sketch_row(f, r, layout)
    errs = writer.check_sketch(row, r.pdf, layout, f, r)
    return [e.split(": ", 1)[-1] for e in errs]


# ------------------------------------------------------------------ main
def facts_sets(quick: bool, n: int = 8, seed: int = 1) -> list[Facts]:
    ex = example_facts()
    out = list(ex)
    if not quick:
        for s in (2, 3):
            out += [
                dataclasses.replace(f, seed=f.seed * 1000 + s, sketch_id=f"{f.sketch_id}s{s}")
                for f in ex
            ]
    try:
        from zoogen.facts import make_facts
    except ImportError:
        make_facts = None
    if make_facts is not None:
        out += make_facts(n, seed)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--quick", action="store_true", help="examples (+ make_facts) only")
    ap.add_argument("--layout", action="append", help="only this layout (repeatable)")
    ap.add_argument("-n", type=int, default=8, help="make_facts(n, seed) sketches (default 8)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    facts = facts_sets(args.quick, args.n, args.seed)
    failed = False
    for lay in LAYOUTS:
        if args.layout and lay.name not in args.layout:
            continue
        out = OUT / lay.name
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.time()
        rs = lay.render(facts, out / "scratch")
        dt_render = time.time() - t0
        # determinism: the three example sketches once more
        again = lay.render(facts[:3], out / "scratch2")
        same = all(a.pdf == b.pdf for a, b in zip(rs[:3], again, strict=True))
        counts: dict[str, int] = defaultdict(int)
        errors = 0
        for f, r in zip(facts, rs, strict=True):
            (out / f"{f.sketch_id}.pdf").write_bytes(r.pdf)
            d = Doc(r.pdf)
            errs = generic_checks(f, r, d) + writer_checks(f, r, lay)
            hits = []
            for ph in sorted(lay.phenomena):
                test = PHENOMENON_TESTS.get(ph)
                if test is None:
                    errs.append(f"no test for phenomenon {ph}")
                    continue
                try:
                    ok = test(f, r, d)
                except Exception as exc:
                    errs.append(f"test {ph} crashed: {exc!r}")
                    ok = False
                if ok:
                    counts[ph] += 1
                    hits.append(ph)
            d.close()
            if errs:
                errors += len(errs)
                for e in errs:
                    print(f"  FAIL {lay.name} {f.sketch_id}: {e}")
            if args.verbose:
                print(f"  {f.sketch_id}: pages={len(d.pages)} {', '.join(hits)}")
                print(f"      omitted={sorted(r.omitted)} overrides={r.overrides} notes={r.notes}")
        n = len(facts)
        need = max(1, -(-2 * n // 6))  # at least 2 of every 6
        verified = [ph for ph in sorted(lay.phenomena) if counts[ph] >= need]
        weak = [ph for ph in sorted(lay.phenomena) if 0 < counts[ph] < need]
        missing = [ph for ph in sorted(lay.phenomena) if counts[ph] == 0]
        print(
            f"{lay.name} ({lay.producer}): {n} sketches in {dt_render:.1f} s "
            f"({dt_render / n:.2f} s each), deterministic={same}, errors={errors}"
        )
        print("  verified: " + ", ".join(f"{ph} {counts[ph]}/{n}" for ph in verified))
        if weak:
            print("  TOO RARE (< 2 of 6): " + ", ".join(f"{ph} {counts[ph]}/{n}" for ph in weak))
        if missing:
            print("  NOT FOUND: " + ", ".join(missing))
        failed |= bool(errors or missing or not same)
        if weak:
            # data-dependent phenomena (e.g. nothing declared) are reported, not failed
            data_dependent = {"checkbox_none_ticked"}
            failed |= bool(set(weak) - data_dependent)
    print("OK" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
