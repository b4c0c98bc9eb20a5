"""Self-check of the HTML-engine layouts (zoogen/layouts/html_engines.py).

Renders the example Facts (and ``make_facts(8, 1)`` when zoogen/facts.py exists) with each
layout into /tmp/zoo-html_engines/<layout>/, then checks every sketch:

* every ``written`` string occurs (whitespace-insensitive) in the pdfplumber text, or for
  AcroForm sketches in the form field values;
* every phenomenon the layout claims, in the text layer / geometry / form fields;
* determinism (the example batch rendered twice gives the same bytes) and batch time;
* writes a PNG of page 1 of the first sketches for a look (pdftoppm).

Run:  cd scripts/zoo && PYTHONPATH=. /work/main/.venv-zoo/bin/python check_html_engines.py
      [--layout NAME] [--n 8] [--seed 1] [--out DIR]
Exit 0 when every written string was found and every phenomenon was verified in at least a
third of the sketches (2 of every 6).
"""

from __future__ import annotations

import argparse
import collections
import io
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pikepdf
from zoogen.example import example_facts
from zoogen.layouts.html_engines import LAYOUTS
from zoogen.model import TOPIC_FIELDS, Facts, Rendered

WS = re.compile(r"\s+")
DIGITS = re.compile(r"\d")


def squash(text: str) -> str:
    return WS.sub("", text.replace("\u00ad", ""))


# ----------------------------------------------------------------------------- PDF reading


class Doc:
    """The text layer, geometry and form fields of one PDF."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.pages = []
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            for page in doc.pages:
                self.pages.append(
                    {
                        "width": float(page.width),
                        "height": float(page.height),
                        "text": page.extract_text() or "",
                        "chars": list(page.chars),
                        "rects": list(page.rects),
                        "curves": list(page.curves),
                        "lines": list(page.lines),
                        "words": page.extract_words(),
                    }
                )
        self.text = "\n".join(p["text"] for p in self.pages)
        self.fields: list[dict] = []  # {value, page, x0, top, x1, bottom, has_ap, ap_text}
        self.acroform = False
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            acro = doc.Root.get("/AcroForm")
            if acro is not None and len(acro.get("/Fields", [])):
                self.acroform = True
                page_ids = {pg.obj.objgen: i for i, pg in enumerate(doc.pages)}
                for fld in acro.Fields:
                    if fld.get("/FT") != "/Tx":
                        continue
                    pno = page_ids.get(fld.P.objgen, 0) if "/P" in fld else 0
                    x0, y0, x1, y1 = (float(v) for v in fld.Rect)
                    h = self.pages[pno]["height"]
                    ap = fld.get("/AP")
                    ap_bytes = ap.N.read_bytes() if ap is not None and "/N" in ap else b""
                    self.fields.append(
                        {
                            "value": str(fld.get("/V", "")),
                            "page": pno,
                            "x0": min(x0, x1),
                            "x1": max(x0, x1),
                            "top": h - max(y0, y1),
                            "bottom": h - min(y0, y1),
                            "has_ap": bool(ap_bytes),
                            "ap_shows": b"Tj" in ap_bytes,
                        }
                    )
        self.form_text = "\n".join(f["value"] for f in self.fields)

    # spans: every occurrence of a string as a list of boxes (one per char), per page
    def spans(self, needle: str) -> list[tuple[int, list[dict]]]:
        target = squash(needle)
        if not target:
            return []
        out = []
        for pno, page in enumerate(self.pages):
            seq: list[tuple[str, dict]] = []
            for ch in page["chars"]:
                for cp in ch["text"]:
                    if not cp.isspace() and cp != "\u00ad":
                        seq.append((cp, ch))
            joined = "".join(c for c, _ in seq)
            start = joined.find(target)
            while start >= 0:
                out.append((pno, [ch for _, ch in seq[start : start + len(target)]]))
                start = joined.find(target, start + 1)
            for fld in self.fields:  # a form field's value counts as one box
                if fld["page"] == pno and squash(fld["value"]) == target:
                    out.append((pno, [fld]))
        return out


def lines_of(span: list[dict], tol: float = 2.5) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for ch in span:
        if rows and abs(rows[-1][0]["top"] - ch["top"]) <= tol:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return rows


def bbox(chars: list[dict]) -> tuple[float, float, float, float]:
    return (
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
    )


def rel_left(lab: list[dict], val: list[dict]) -> bool:
    """Label left of its value on the same line."""
    la = lines_of(lab)[-1]
    va = lines_of(val)[0]
    _lx0, lt, lx1, lb = bbox(la)
    vx0, vt, _vx1, vb = bbox(va)
    same_line = min(lb, vb) - max(lt, vt) > -1.5 or abs(lt - vt) < 6
    return same_line and vx0 >= lx1 - 0.5 and vx0 - lx1 < 260


def rel_above(lab: list[dict], val: list[dict], max_gap: float = 40) -> bool:
    """Label above its value (value starts below the label, horizontally overlapping)."""
    la = lines_of(lab)[-1]
    va = lines_of(val)[0]
    lx0, _lt, lx1, lb = bbox(la)
    vx0, vt, vx1, _vb = bbox(va)
    return vt >= lb - 1.0 and vt - lb < max_gap and vx0 < lx1 + 2 and vx1 > lx0 - 2


def pair_rel(doc: Doc, label: str, value: str, rel) -> bool:
    labs = doc.spans(label)
    vals = doc.spans(value)
    for lp, ls in labs:
        for vp, vs in vals:
            if lp == vp and rel(ls, vs):
                return True
    return False


def field_values(r: Rendered) -> list[tuple[str, str]]:
    out = []
    for k, v in r.written.items():
        if isinstance(v, str) and v:
            out.append((k, v))
    return out


def row_segments(page: dict, min_gap: float = 9.0) -> list[tuple[float, list[tuple[float, float]]]]:
    """Per text line (by top): x-segments separated by gaps wider than ``min_gap``."""
    rows = collections.defaultdict(list)
    for ch in page["chars"]:
        if ch["text"].isspace():
            continue
        rows[round(ch["top"] / 2)].append(ch)
    out = []
    for key in sorted(rows):
        chars = sorted(rows[key], key=lambda c: c["x0"])
        segs = [[chars[0]["x0"], chars[0]["x1"]]]
        for ch in chars[1:]:
            if ch["x0"] - segs[-1][1] > min_gap:
                segs.append([ch["x0"], ch["x1"]])
            else:
                segs[-1][1] = max(segs[-1][1], ch["x1"])
        out.append((key * 2.0, [tuple(s) for s in segs]))
    return out


def page_columns(page: dict, min_gap: float = 8.0):
    """The widest vertical white band between two text columns on a page.

    Returns ``(gap_x0, gap_x1, left_lines, right_lines)`` (lines as {top: [chars]}) or None. A
    band may be crossed by a few full-width lines (title, running header, footer).
    """
    chars = [c for c in page["chars"] if not c["text"].isspace()]
    if not chars:
        return None
    width = int(page["width"]) + 1
    cover = [set() for _ in range(width + 1)]
    tops = set()
    for ch in chars:
        t = round(ch["top"])
        tops.add(t)
        for b in range(max(0, int(ch["x0"])), min(width, int(ch["x1"]) + 1)):
            cover[b].add(t)
    allowed = max(4, len(tops) // 10)
    lo = min(int(c["x0"]) for c in chars)
    hi = max(int(c["x1"]) for c in chars)
    best = None
    b = lo
    while b <= hi:
        if len(cover[b]) <= allowed:
            e = b
            while e + 1 <= hi and len(cover[e + 1]) <= allowed:
                e += 1
            if e - b + 1 >= min_gap and (best is None or e - b > best[1] - best[0]):
                best = (b, e)
            b = e + 1
        else:
            b += 1
    if best is None:
        return None
    left: dict[int, list] = collections.defaultdict(list)
    right: dict[int, list] = collections.defaultdict(list)
    crossing = set()
    for ch in chars:
        if ch["x0"] < best[1] and ch["x1"] > best[0]:
            crossing.add(round(ch["top"]))
    for ch in chars:
        t = round(ch["top"])
        if t in crossing:
            continue
        (left if ch["x1"] <= best[0] + 1 else right)[t].append(ch)
    if len(left) < 8 or len(right) < 8:
        return None
    return best[0], best[1], left, right


def column_gap(doc: Doc) -> tuple[float | None, int]:
    """Centre of the column gap (fraction of the page width) and the lines beside it."""
    found = None
    for page in doc.pages:
        cols = page_columns(page)
        if cols is None:
            continue
        n = min(len(cols[2]), len(cols[3]))
        if found is None or n > found[1]:
            found = ((cols[0] + cols[1]) / 2 / page["width"], n)
    return found if found else (None, 0)


# ----------------------------------------------------------------------------- phenomena

COMPOUND_HEADS = (
    "antrag",
    "kommune",
    "einwohner",
    "laufzeit",
    "beginn",
    "start",
    "kosten",
    "ausgaben",
    "förder",
    "zuwendung",
    "eigen",
    "partner",
    "kontakt",
    "ansprech",
    "titel",
    "datum",
    "kreis",
    "anschrift",
    "telefon",
    "mail",
    "körperschaft",
    "projekt",
    "vorhaben",
)


def is_compound(label: str) -> bool:
    for word in re.findall(r"[A-Za-zÄÖÜäöüß:\-]+", label.lower()):
        w = word.replace(":", "").replace("-", "")
        for head in COMPOUND_HEADS:
            if head in w and len(w) >= len(head) + 3:
                return True
    return False


def ph_sidebar(doc, r, f):
    page = doc.pages[0]
    for rect in page["rects"]:
        col = rect.get("non_stroking_color")
        w = rect["x1"] - rect["x0"]
        if (
            rect.get("fill")
            and col
            and isinstance(col, (tuple, list))
            and len(col) >= 3
            and min(col[:3]) < 0.99
            and max(col[:3]) > 0.8
            and rect["x0"] < 5
            and 0.2 < w / page["width"] < 0.4
            and rect["bottom"] - rect["top"] > page["height"] / 2
        ):
            inside = [c for c in page["chars"] if c["x1"] <= rect["x1"] and not c["text"].isspace()]
            return len(inside) > 80
    return False


def ph_label_above(doc, r, f):
    n = sum(
        1
        for k, v in field_values(r)
        if r.labels.get(k) and pair_rel(doc, r.labels[k], v, rel_above)
    )
    return n >= 3


def ph_label_left(doc, r, f):
    n = sum(
        1 for k, v in field_values(r) if r.labels.get(k) and pair_rel(doc, r.labels[k], v, rel_left)
    )
    return n >= 3


def ph_wrapped_values(doc, r, f):
    for _k, v in field_values(r):
        for _pno, span in doc.spans(v):
            if len(span) > 1 and len(lines_of(span)) > 1:
                return True
    for k in ("kooperationspartner",):
        for v in r.written.get(k) or []:
            for _pno, span in doc.spans(v):
                if len(span) > 1 and len(lines_of(span)) > 1:
                    return True
    return False


def _line_end(page: dict, i: int) -> bool:
    chars = page["chars"]
    ch = chars[i]
    nxt = next((c for c in chars[i + 1 :] if not c["text"].isspace()), None)
    return nxt is None or nxt["top"] > ch["top"] + 3 or nxt["x0"] < ch["x0"] - 50


def _glyph_at_line_end(doc: Doc, glyph: str) -> bool:
    for page in doc.pages:
        for i, ch in enumerate(page["chars"]):
            if ch["text"] == glyph and _line_end(page, i):
                prev = page["chars"][i - 1] if i else None
                if prev is not None and prev["text"].isalpha():
                    return True
    return False


def ph_soft_hyphen(doc, r, f):
    return _glyph_at_line_end(doc, "\u00ad")


def ph_hyphen_u2010(doc, r, f):
    return _glyph_at_line_end(doc, "\u2010")


def _boxes(page: dict, lo: float = 4, hi: float = 16) -> list[dict]:
    out = []
    for obj in page["rects"] + page["curves"]:
        w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if lo <= w <= hi and lo <= h <= hi and abs(w - h) < 2.5:
            out.append(obj)
    return out


def _inside(inner, outer, pad: float = 0.6) -> bool:
    return (
        inner["x0"] >= outer["x0"] - pad
        and inner["x1"] <= outer["x1"] + pad
        and inner["top"] >= outer["top"] - pad
        and inner["bottom"] <= outer["bottom"] + pad
    )


def ph_checkbox_vector_x(doc, r, f):
    declared = r.written.get("themenfelder") or []
    n = 0
    for page in doc.pages:
        boxes = _boxes(page)
        for ch in page["chars"]:
            if ch["text"] == "X" and any(_inside(ch, b) for b in boxes):
                n += 1
    return n >= 1 and n == len(declared)


def _ticks(page: dict) -> tuple[int, int, int]:
    """(boxes, ticks inside boxes, chars inside boxes) of the SVG check boxes."""
    boxes = [b for b in _boxes(page, 5, 14) if b.get("stroke")]
    ticks = 0
    chars_in = 0
    for b in boxes:
        for obj in page["curves"] + page["lines"]:
            if obj is b:
                continue
            w = obj["x1"] - obj["x0"]
            if w < (b["x1"] - b["x0"]) - 1 and _inside(obj, b):
                ticks += 1
                break
        chars_in += sum(1 for c in page["chars"] if _inside(c, b, 0) and not c["text"].isspace())
    return len(boxes), ticks, chars_in


def ph_checkbox_vector_tick(doc, r, f):
    declared = r.written.get("themenfelder") or []
    tot = [0, 0, 0]
    for page in doc.pages:
        for i, v in enumerate(_ticks(page)):
            tot[i] += v
    return bool(declared) and tot[0] >= 7 and tot[1] == len(declared) and tot[2] == 0


def _box_chars(doc) -> dict[str, str]:
    """topic -> the ballot-box character (U+2610/U+2612) right before it in the char stream."""
    out = {}
    for page in doc.pages:
        stream = squash("".join(ch["text"] for ch in page["chars"]))
        for t in TOPIC_FIELDS:
            i = stream.find(squash(t))
            if i > 0 and stream[i - 1] in "\u2610\u2612" and t not in out:
                out[t] = stream[i - 1]
    return out


def ph_checkbox_chars(doc, r, f):
    """All seven topic fields, each after a ☒ (declared) or ☐ (not) character in the text."""
    found = _box_chars(doc)
    declared = set(r.written.get("themenfelder") or [])
    return len(found) == 7 and all((b == "\u2612") == (t in declared) for t, b in found.items())


def ph_checkbox_none_ticked(doc, r, f):
    found = _box_chars(doc)
    if found:  # ☐ characters
        return (
            not r.written.get("themenfelder")
            and len(found) == 7
            and set(found.values()) == {"\u2610"}
        )
    tot = [0, 0, 0]
    for page in doc.pages:
        for i, v in enumerate(_ticks(page)):
            tot[i] += v
    all_named = all(squash(t) in squash(doc.text) for t in TOPIC_FIELDS)
    return not r.written.get("themenfelder") and tot[0] >= 7 and tot[1] == 0 and all_named


def ph_column_gap_off_centre(doc, r, f):
    c, n = column_gap(doc)
    return c is not None and n >= 8 and not (0.42 <= c <= 0.58)


def ph_compound_labels(doc, r, f):
    n = sum(
        1
        for lab in set(r.labels.values())
        if lab and is_compound(lab) and squash(lab) in squash(doc.text)
    )
    return n >= 2


def ph_question_labels(doc, r, f):
    n = sum(1 for lab in r.labels.values() if lab.endswith("?") and squash(lab) in squash(doc.text))
    return n >= 3


def _bare_label(label: str) -> str:
    return re.sub(r"^\s*\d+(\.\d+)*\.?\s*", "", label)


def ph_group_labels(doc, r, f):
    seen = collections.defaultdict(list)
    for k, lab in r.labels.items():
        if lab and squash(lab) in squash(doc.text):
            seen[_bare_label(lab)].append(k)
    return any(len(v) >= 2 for v in seen.values())


def ph_months_under_label(doc, r, f):
    v = r.written.get("laufzeit_monate")
    lab = r.labels.get("laufzeit_monate", "")
    return (
        isinstance(v, str)
        and v.isdigit()
        and "in Monaten" in lab
        and pair_rel(doc, lab, v, rel_above)
    )


def ph_nbsp(doc, r, f, cp="\u00a0", forms_too=True):
    for page in doc.pages:
        chars = [c["text"] for c in page["chars"]]
        for i in range(1, len(chars) - 1):
            if chars[i] == cp and chars[i - 1][-1:].isdigit() and chars[i + 1][:1].isdigit():
                return True
    if forms_too:
        return bool(re.search(rf"\d{cp}\d{{3}}", doc.form_text))
    return False


def ph_nbsp_text_layer(doc, r, f):
    return ph_nbsp(doc, r, f, "\u00a0", forms_too=False)


def ph_nnbsp(doc, r, f):
    return ph_nbsp(doc, r, f, "\u202f", forms_too=False)


def ph_acroform(doc, r, f):
    if not doc.acroform or not doc.fields:
        return False
    if not all(fl["has_ap"] and fl["ap_shows"] for fl in doc.fields if fl["value"]):
        return False
    page_text = squash(doc.text)
    keys = ("antragsteller", "email", "projekttitel")
    vals = [r.written[k] for k in keys if isinstance(r.written.get(k), str)]
    return all(squash(v) in squash(doc.form_text) and squash(v) not in page_text for v in vals)


def ph_municipality_not_person(doc, r, f):
    lab = r.labels.get("antragsteller", "")
    return _bare_label(lab) == "Name" and bool(doc.spans(r.written["antragsteller"]))


def _justified_lines(lines: dict[int, list]) -> int:
    """How many lines end at the most common right edge (justified text)."""
    edges = collections.Counter(round(max(c["x1"] for c in chars)) for chars in lines.values())
    return edges.most_common(1)[0][1] if edges else 0


def ph_two_columns_justified(doc, r, f):
    for page in doc.pages:
        cols = page_columns(page)
        if cols is None:
            continue
        if _justified_lines(cols[2]) >= 5 and _justified_lines(cols[3]) >= 3:
            return True
    return False


def _edge_line(page: dict, top: bool) -> str:
    rows = collections.defaultdict(list)
    for ch in page["chars"]:
        rows[round(ch["top"])].append(ch)
    if not rows:
        return ""
    key = min(rows) if top else max(rows)
    chars = sorted(rows[key], key=lambda c: c["x0"])
    return DIGITS.sub("#", "".join(c["text"] for c in chars))


def ph_running_header_footer(doc, r, f):
    if len(doc.pages) < 2:
        return False
    heads = {_edge_line(p, True) for p in doc.pages}
    feet = {_edge_line(p, False) for p in doc.pages}
    return len(heads) == 1 and len(feet) == 1 and "#" in next(iter(feet))


def ph_cover_page(doc, r, f):
    if len(doc.pages) < 2:
        return False
    first = doc.pages[0]
    words = len(first["words"])
    title_on_cover = squash(r.written["projekttitel"]) in squash(first["text"])
    key_labels = [r.labels.get(k) for k in ("telefon", "email", "bundesland") if r.labels.get(k)]
    return (
        title_on_cover
        and words < 90
        and not any(squash(lb) in squash(first["text"]) for lb in key_labels)
    )


def ph_table_next_cell(doc, r, f):
    has_grid = any(p["rects"] or p["lines"] for p in doc.pages)
    n = sum(
        1 for k, v in field_values(r) if r.labels.get(k) and pair_rel(doc, r.labels[k], v, rel_left)
    )
    return has_grid and n >= 3


def ph_table_next_row(doc, r, f):
    has_grid = any(p["rects"] or p["lines"] for p in doc.pages)
    n = sum(
        1
        for k, v in field_values(r)
        if r.labels.get(k) and pair_rel(doc, r.labels[k], v, lambda a, b: rel_above(a, b, 25))
    )
    return has_grid and n >= 3


def ph_amounts_no_currency(doc, r, f):
    vals = [
        r.written[k]
        for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur")
        if isinstance(r.written.get(k), str)
    ]
    return bool(vals) and all(not re.search(r"€|EUR|Euro", v) for v in vals) and "in €" in doc.text


def ph_yearly_budget_table(doc, r, f):
    years_line = any(
        len(re.findall(r"\b20\d\d\b", ln)) >= 2 and "Summe" in ln for ln in doc.text.splitlines()
    )
    return years_line and "Zwischensumme" in doc.text and bool(r.written.get("gesamtkosten_eur"))


def ph_section_number_trap(doc, r, f):
    text = re.sub(r"[^\S\n]+", " ", doc.text)
    for k in ("einwohnerzahl", "gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        v = r.written.get(k)
        if not isinstance(v, str):
            continue
        pos = text.find(re.sub(r"\s+", " ", v))
        if pos < 0:
            continue
        before = text[max(0, pos - 300) : pos]
        if re.search(r"(^|\n)\d\.\d\s+\S", before):
            return True
    return False


PHENOMENON_CHECKS = {
    "sidebar": ph_sidebar,
    "label_above": ph_label_above,
    "label_left": ph_label_left,
    "wrapped_values": ph_wrapped_values,
    "soft_hyphen": ph_soft_hyphen,
    "hyphen_u2010": ph_hyphen_u2010,
    "checkbox_vector_x": ph_checkbox_vector_x,
    "checkbox_vector_tick": ph_checkbox_vector_tick,
    "checkbox_none_ticked": ph_checkbox_none_ticked,
    "checkbox_chars": ph_checkbox_chars,
    "column_gap_off_centre": ph_column_gap_off_centre,
    "compound_labels": ph_compound_labels,
    "question_labels": ph_question_labels,
    "group_labels": ph_group_labels,
    "months_under_label": ph_months_under_label,
    "nbsp_thousands": ph_nbsp,
    "nnbsp_thousands": ph_nnbsp,
    "acroform": ph_acroform,
    "municipality_not_person": ph_municipality_not_person,
    "two_columns_justified": ph_two_columns_justified,
    "running_header_footer": ph_running_header_footer,
    "cover_page": ph_cover_page,
    "table_next_cell": ph_table_next_cell,
    "table_next_row": ph_table_next_row,
    "amounts_no_currency": ph_amounts_no_currency,
    "yearly_budget_table": ph_yearly_budget_table,
    "section_number_trap": ph_section_number_trap,
}


# ----------------------------------------------------------------------------- main


def check_written(doc: Doc, r: Rendered) -> list[str]:
    """Each written string and label in the text (extract_text, or the char stream in
    content order, where a wrapped table cell is not interleaved with its neighbour) or in
    the form field values."""
    stream = "".join(ch["text"] for p in doc.pages for ch in p["chars"])
    hay = squash(doc.text) + "\n" + squash(stream) + "\n" + squash(doc.form_text)
    problems = []
    for k, v in r.written.items():
        items = v if isinstance(v, list) else [v]
        for item in items:
            if not isinstance(item, str):
                problems.append(f"{k}: not a string: {item!r}")
            elif squash(item) not in hay:
                problems.append(f"{k}: {item!r} not found")
    for k, lab in r.labels.items():
        if lab and squash(lab) not in hay:
            problems.append(f"label of {k}: {lab!r} not found")
    if set(r.written) & r.omitted:
        problems.append(f"written and omitted: {sorted(set(r.written) & r.omitted)}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", action="append", help="only this layout (repeatable)")
    ap.add_argument("--n", type=int, default=8, help="sketches from make_facts (default 8)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="/tmp/zoo-html_engines")
    ap.add_argument("--png", type=int, default=2, help="PNGs of page 1 for the first N sketches")
    args = ap.parse_args()

    facts: list[Facts] = list(example_facts())
    try:
        from zoogen.facts import make_facts
    except ImportError:
        print("zoogen/facts.py not there: example Facts only")
    else:
        facts += list(make_facts(args.n, args.seed))
    out_root = Path(args.out)
    ok = True
    for layout in LAYOUTS:
        if args.layout and layout.name not in args.layout:
            continue
        out = out_root / layout.name
        shutil.rmtree(out, ignore_errors=True)
        (out / "scratch").mkdir(parents=True)
        t0 = time.time()
        rendered = layout.render(facts, out / "scratch")
        dt_batch = time.time() - t0
        t1 = time.time()
        again = layout.render(facts[:3], out / "scratch")
        dt_small = time.time() - t1
        deterministic = all(a.pdf == b.pdf for a, b in zip(rendered[:3], again, strict=True))
        print(
            f"\n== {layout.name} ({layout.producer}): {len(facts)} sketches in {dt_batch:.1f} s "
            f"(3 in {dt_small:.1f} s), deterministic: {deterministic}"
        )
        ok &= deterministic
        counts = collections.Counter()
        for i, (f, r) in enumerate(zip(facts, rendered, strict=True)):
            path = out / f"{f.sketch_id}.pdf"
            path.write_bytes(r.pdf)
            if i < args.png:
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        "60",
                        "-png",
                        "-f",
                        "1",
                        "-l",
                        "2",
                        str(path),
                        str(out / f"{f.sketch_id}"),
                    ],
                    check=False,
                )
            doc = Doc(r.pdf)
            problems = check_written(doc, r)
            found = sorted(ph for ph in layout.phenomena if PHENOMENON_CHECKS[ph](doc, r, f))
            counts.update(found)
            extra = ""
            if "nbsp_thousands" in layout.phenomena and "nbsp_thousands" in found:
                extra = (
                    " (NBSP in text layer)" if ph_nbsp_text_layer(doc, r, f) else " (NBSP in /V)"
                )
            status = "ok" if not problems else "PROBLEMS"
            print(
                f"  {f.sketch_id}: {len(doc.pages)} p., {status}; phenomena: "
                f"{', '.join(found)}{extra}; overrides {r.overrides or '-'}; "
                f"omitted {sorted(r.omitted) or '-'}"
            )
            for pr in problems:
                print(f"      ! {pr}")
            ok &= not problems
        n = len(facts)
        print("  phenomena verified (sketches):")
        for ph in sorted(layout.phenomena):
            share = counts[ph] / n
            flag = "ok" if share >= 1 / 3 else "TOO RARE"
            ok &= share >= 1 / 3
            print(f"    {ph:24s} {counts[ph]:2d}/{n}  {flag}")
    print("\nALL OK" if ok else "\nSOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
