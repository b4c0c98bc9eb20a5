"""Self-check of the PDF-library layouts (zoogen/layouts/pdf_libraries.py).

Renders the example Facts (and ``make_facts(8, 1)`` when zoogen/facts.py is importable) with
each layout into /tmp/zoo-pdf_libraries/<layout>/, and checks in the produced PDFs:

* the contract: written fields are known, None facts are not printed, omitted ones neither;
* every ``written`` string occurs (whitespace-insensitive) in the pdfplumber text, or for
  acroform layouts in the AcroForm field values;
* determinism (a second render gives the same bytes) and speed;
* every phenomenon the layout claims, in the text layer (pdfplumber chars/lines/rects) or
  with pikepdf (AcroForm), in at least 1/3 of the sketches.

Run (from scripts/zoo):
    PYTHONPATH=. ../../.venv-zoo/bin/python check_pdf_libraries.py [-v] [--n 8 --seed 1]
Exit status 0 when everything holds. A PNG of page 1 of the first sketch of each layout is
written next to the PDFs (needs pdftoppm from poppler-utils).
"""

from __future__ import annotations

import io
import itertools
import math
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
from zoogen.example import example_facts
from zoogen.layouts import pdf_libraries
from zoogen.model import FIELDS, TOPIC_FIELDS, Facts, Layout, Rendered

OUT = Path("/tmp/zoo-pdf_libraries")
VERBOSE = "-v" in sys.argv

_WS = re.compile(r"\s+")


def squash(s: str) -> str:
    """Whitespace-insensitive form (NBSP, NNBSP count as whitespace)."""
    return _WS.sub("", s.replace("\u00ad", ""))


# ----------------------------------------------------------------------------- pdf access


class Doc:
    def __init__(self, pdf: bytes):
        self.pdf = pdf
        self.pl = pdfplumber.open(io.BytesIO(pdf))
        self.pages = self.pl.pages
        self.texts = [p.extract_text() or "" for p in self.pages]
        self.text = "\n".join(self.texts)
        # reading-order text around boxed panels / sidebars (plain extract_text interleaves a
        # side panel's lines with the body beside it)
        self.region_text = "\n".join(region_text(p) for p in self.pages)
        self.chars = [p.chars for p in self.pages]
        self._fields: list[dict] | None = None

    def close(self) -> None:
        self.pl.close()

    # AcroForm fields as dicts: name, tu, ft, v, ap, rect, page
    def fields(self) -> list[dict]:
        if self._fields is not None:
            return self._fields
        out: list[dict] = []
        pdf = pikepdf.open(io.BytesIO(self.pdf))
        page_of = {}
        for i, pg in enumerate(pdf.pages):
            for a in pg.obj.get("/Annots", []):
                page_of[a.objgen] = i
        af = pdf.Root.get("/AcroForm")
        self.need_appearances = bool(af.get("/NeedAppearances", False)) if af is not None else None

        def walk(f, parent_name=""):
            name = str(f.get("/T", ""))
            full = f"{parent_name}.{name}" if parent_name and name else (name or parent_name)
            kids = f.get("/Kids")
            if kids is not None and "/FT" not in f:
                for k in kids:
                    walk(k, full)
                return
            v = f.get("/V")
            ft = str(f.get("/FT", ""))
            if isinstance(v, (pikepdf.String, pikepdf.Name)):
                val = str(v)
            else:
                val = "" if v is None else str(v)
            ap = f.get("/AP")
            ap_bytes = b""
            if ap is not None and "/N" in ap:
                n = ap.N
                if isinstance(n, pikepdf.Stream):
                    ap_bytes = n.read_bytes()
                else:
                    ap_bytes = b"|".join(n[k].read_bytes() for k in n)
            out.append(
                {
                    "name": full,
                    "tu": str(f.get("/TU", "")),
                    "ft": ft,
                    "v": val,
                    "ap": ap is not None,
                    "ap_bytes": ap_bytes,
                    "as": str(f.get("/AS", "")),
                    "rect": [float(x) for x in f.get("/Rect", [0, 0, 0, 0])],
                    "page": page_of.get(f.objgen, 0),
                    "flags": int(f.get("/Ff", 0)),
                }
            )

        if af is not None:
            for fld in af.get("/Fields", []):
                walk(fld)
        self._fields = out
        return out


def _crop_text(pg, x0: float, top: float, x1: float, bottom: float) -> str:
    """Text of the chars whose centre lies in the box (a line straddling an edge goes to
    the box that holds most of it)."""
    if x1 - x0 < 2 or bottom - top < 2:
        return ""

    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return False
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return x0 <= cx < x1 and top <= cy < bottom

    return pg.filter(keep).extract_text() or ""


def region_text(pg) -> str:
    """Text in a reading order around the largest boxed panel or filled sidebar of a page:
    above it, the panel (split into columns at its inner vertical rules, over their height),
    beside it, below it."""
    boxes = [r for r in pg.rects if r["width"] > 120 and r["height"] > 40]
    if not boxes:
        return ""
    R = max(boxes, key=lambda r: r["width"] * r["height"])
    W, H = float(pg.width), float(pg.height)
    parts = [_crop_text(pg, 0, 0, W, R["top"])]
    rules = [
        ln
        for ln in pg.lines
        if abs(ln["x0"] - ln["x1"]) < 0.5
        and ln["height"] > 0.3 * R["height"]
        and R["x0"] + 20 < ln["x0"] < R["x1"] - 20
        and R["top"] - 1 <= ln["top"]
        and ln["bottom"] <= R["bottom"] + 1
    ]
    if rules:
        r_top = min(ln["top"] for ln in rules)
        r_bot = max(ln["bottom"] for ln in rules)
        xs = [R["x0"], *sorted({round(ln["x0"], 1) for ln in rules}), R["x1"]]
        parts.append(_crop_text(pg, R["x0"], R["top"], R["x1"], r_top))
        for a, b in itertools.pairwise(xs):
            parts.append(_crop_text(pg, a, r_top, b, r_bot))
        parts.append(_crop_text(pg, R["x0"], r_bot, R["x1"], R["bottom"]))
    else:
        parts.append(_crop_text(pg, R["x0"], R["top"], R["x1"], R["bottom"]))
    parts.append(_crop_text(pg, 0, R["top"], R["x0"], R["bottom"]))
    parts.append(_crop_text(pg, R["x1"], R["top"], W, R["bottom"]))
    parts.append(_crop_text(pg, 0, R["bottom"], W, H))
    return "\n".join(parts)


def char_runs(doc: Doc, needle: str, page: int | None = None) -> list[list[dict]]:
    """Occurrences of ``needle`` (whitespace-insensitive) in the content-order char stream."""
    target = squash(needle)
    res: list[list[dict]] = []
    if not target:
        return res
    for pi, chars in enumerate(doc.chars):
        if page is not None and pi != page:
            continue
        seq = [c for c in chars if not c["text"].isspace() and c["text"] != "\u00ad"]
        s = "".join(c["text"] for c in seq)
        # ligature code points stand for two or three letters: compare decomposed
        start = 0
        while True:
            i = s.find(target, start)
            if i < 0:
                break
            res.append(seq[i : i + len(target)])
            start = i + 1
    return res


def lines_of(chars: list[dict], tol: float = 1.5) -> dict[float, list[dict]]:
    lines: dict[float, list[dict]] = {}
    for c in chars:
        key = None
        for t in lines:
            if abs(t - c["top"]) <= tol:
                key = t
                break
        lines.setdefault(c["top"] if key is None else key, []).append(c)
    return lines


# ----------------------------------------------------------------------------- phenomena


def ph_key_panel_small_font(doc: Doc, f: Facts, r: Rendered) -> bool:
    pg = doc.pages[0]
    small = [c for c in pg.chars if c["size"] <= 7.6 and not c["text"].isspace()]
    body = [c for c in pg.chars if c["size"] >= 8.8]
    if len(small) < 150 or len(body) < 150:
        return False
    for rect in pg.rects:
        if rect["width"] < 150 or rect["height"] < 50:
            continue
        inside = [
            c
            for c in small
            if rect["x0"] - 1 <= c["x0"]
            and c["x1"] <= rect["x1"] + 1
            and rect["top"] - 1 <= c["top"]
            and c["bottom"] <= rect["bottom"] + 1
        ]
        if len(inside) >= 150:
            # the panel's values are in it
            txt = squash("".join(c["text"] for c in inside))
            hits = sum(
                1
                for k in ("email", "antragsteller", "gesamtkosten_eur")
                if isinstance(r.written.get(k), str) and squash(r.written[k]) in txt
            )
            if hits >= 2:
                return True
    return False


def ph_lost_spaces(doc: Doc, f: Facts, r: Rendered) -> bool:
    for v in r.written.values():
        vals = v if isinstance(v, list) else [v]
        for s in vals:
            words = s.split()
            if len(words) < 2:
                continue
            joined = "".join(words)
            spaced = " ".join(words)
            if joined in doc.text and spaced not in doc.text.replace("\n", " "):
                return True
    return False


def ph_wrapped_values(doc: Doc, f: Facts, r: Rendered) -> bool:
    """A written value in the small panel font whose start and end lie on different lines."""
    for v in r.written.values():
        for s_ in v if isinstance(v, list) else [v]:
            if not isinstance(s_, str):
                continue
            sq = squash(s_)
            if len(sq) < 12:
                continue
            head, tail = sq[:6], sq[-6:]
            for pi in range(len(doc.pages)):
                for h in char_runs(doc, head, pi):
                    if h[0]["size"] > 7.6:
                        continue
                    for t in char_runs(doc, tail, pi):
                        dy = t[0]["top"] - h[0]["top"]
                        if (
                            t[0]["size"] <= 7.6
                            and 3 < dy < 40
                            and abs(t[0]["x0"] - h[0]["x0"]) < 150
                        ):
                            return True
    return False


def _boxes_near(pg, label_chars: list[dict]) -> list[dict]:
    c0 = label_chars[0]
    cands = []
    for rect in pg.rects:
        if (
            4 <= rect["width"] <= 14
            and abs(rect["width"] - rect["height"]) < 1.5
            and rect["x1"] <= c0["x0"] + 0.5
            and c0["x0"] - rect["x1"] < 14
            and abs((rect["top"] + rect["bottom"]) / 2 - (c0["top"] + c0["bottom"]) / 2) < 5
        ):
            cands.append(rect)
    return cands


def ph_checkbox_vector_tick(doc: Doc, f: Facts, r: Rendered) -> bool:
    declared = set(r.written.get("themenfelder") or [])
    if not declared:
        return False
    ok = 0
    for pi, pg in enumerate(doc.pages):
        for topic in TOPIC_FIELDS:
            runs = char_runs(doc, topic, pi)
            if not runs:
                continue
            boxes = _boxes_near(pg, runs[0])
            if not boxes:
                continue
            b = boxes[0]
            strokes = [
                ln
                for ln in list(pg.lines) + list(pg.curves)
                if b["x0"] - 0.5 <= ln["x0"]
                and ln["x1"] <= b["x1"] + 0.5
                and b["top"] - 0.5 <= ln["top"]
                and ln["bottom"] <= b["bottom"] + 0.5
            ]
            text_in = [
                c
                for c in pg.chars
                if b["x0"] - 0.5 <= c["x0"] <= b["x1"] and b["top"] - 1 <= c["top"] <= b["bottom"]
            ]
            if text_in:
                return False
            if (topic in declared) != bool(strokes):
                return False
            if topic in declared:
                ok += 1
    return ok == len(declared)


def _box_chars(doc: Doc) -> dict[str, str]:
    """topic -> the ballot-box character (U+2610/U+2612) right before it in the content-order
    char stream, for the topics that have one."""
    out: dict[str, str] = {}
    for chars in doc.chars:
        seq = [c for c in chars if not c["text"].isspace() and c["text"] != "\u00ad"]
        s = "".join(c["text"] for c in seq)
        for topic in TOPIC_FIELDS:
            i = s.find(squash(topic))
            if i > 0 and s[i - 1] in "\u2610\u2612" and topic not in out:
                out[topic] = s[i - 1]
    return out


def ph_checkbox_chars(doc: Doc, f: Facts, r: Rendered) -> bool:
    """All seven topic fields, each after a ☒ (declared) or ☐ (not) character in the text."""
    found = _box_chars(doc)
    declared = set(r.written.get("themenfelder") or [])
    return len(found) == 7 and all((b == "\u2612") == (t in declared) for t, b in found.items())


def ph_checkbox_none_ticked(doc: Doc, f: Facts, r: Rendered) -> bool:
    """All seven topic boxes printed, none ticked (AcroForm check boxes, drawn squares or
    ☐ characters)."""
    if r.written.get("themenfelder"):
        return False
    found = _box_chars(doc)
    if found:
        return len(found) == 7 and set(found.values()) == {"\u2610"}
    boxes = [x for x in doc.fields() if x["ft"] == "/Btn" and x["tu"] in TOPIC_FIELDS]
    if boxes:
        return len(boxes) == 7 and all(
            x["v"] in ("/Off", "") and x["as"] in ("/Off", "") for x in boxes
        )
    seen = 0
    for pi, pg in enumerate(doc.pages):
        for topic in TOPIC_FIELDS:
            runs = char_runs(doc, topic, pi)
            if not runs or not _boxes_near(pg, runs[0]):
                continue
            b = _boxes_near(pg, runs[0])[0]
            strokes = [
                ln
                for ln in list(pg.lines) + list(pg.curves)
                if b["x0"] - 0.5 <= ln["x0"]
                and ln["x1"] <= b["x1"] + 0.5
                and b["top"] - 0.5 <= ln["top"]
                and ln["bottom"] <= b["bottom"] + 0.5
            ]
            if strokes:
                return False
            seen += 1
    return seen == 7


def ph_amounts_no_currency(doc: Doc, f: Facts, r: Rendered) -> bool:
    """Bare amounts ('412.500,00') under a label that says 'in €'."""
    n = 0
    for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        v, lab = r.written.get(k), r.labels.get(k, "")
        if (
            isinstance(v, str)
            and re.fullmatch(r"\d{1,3}(?:\.\d{3})*(?:,\d{2})?", v)
            and re.search(r"in (?:€|EUR|Euro)", lab, re.I)
            and squash(lab) in squash(doc.text)
            and (_caption_field(doc, f, r, k) is not None or squash(v) in squash(doc.text))
        ):
            n += 1
    return n >= 2


def ph_nnbsp_thousands(doc: Doc, f: Facts, r: Rendered) -> bool:
    for chars in doc.chars:
        for i in range(1, len(chars) - 1):
            if (
                chars[i]["text"] == "\u202f"
                and chars[i - 1]["text"].isdigit()
                and chars[i + 1]["text"].isdigit()
            ):
                return True
    return False


def ph_ligature_codepoints(doc: Doc, f: Facts, r: Rendered) -> bool:
    return any(
        0xFB00 <= ord(c["text"][0]) <= 0xFB06 for chars in doc.chars for c in chars if c["text"]
    )


def ph_pua_bullets(doc: Doc, f: Facts, r: Rendered) -> bool:
    return any(
        0xE000 <= ord(c["text"][0]) <= 0xF8FF for chars in doc.chars for c in chars if c["text"]
    )


def ph_label_left(doc: Doc, f: Facts, r: Rendered) -> bool:
    n = 0
    for k, lab in r.labels.items():
        v = r.written.get(k)
        if not lab or not isinstance(v, str):
            continue
        for pi in range(len(doc.pages)):
            lr, vr = char_runs(doc, lab, pi), char_runs(doc, v, pi)
            if any(
                abs(a[0]["top"] - b[0]["top"]) < 1.5 and a[-1]["x1"] < b[0]["x0"]
                for a in lr
                for b in vr
            ):
                n += 1
                break
    return n >= 5


COMPOUND_HEADS = (
    "kosten",
    "ausgaben",
    "laufzeit",
    "dauer",
    "partner",
    "beginn",
    "start",
    "zuwendung",
    "förder",
    "eigen",
    "einwohner",
    "kommune",
    "antragst",
    "titel",
    "kontakt",
    "ansprech",
    "körperschaft",
    "mail",
    "telefon",
    "monat",
    "zeitraum",
)


def ph_compound_labels(doc: Doc, f: Facts, r: Rendered) -> bool:
    n = 0
    for lab in set(r.labels.values()):
        if not lab or squash(lab) not in squash(doc.text):
            continue
        low = lab.lower()
        for head in COMPOUND_HEADS:
            if head in low and not re.fullmatch(rf"\W*{head}\w{{0,2}}\W*", low):
                n += 1
                break
    return n >= 3


def ph_letterhead(doc: Doc, f: Facts, r: Rendered) -> bool:
    pg = doc.pages[0]
    big = [c for c in pg.chars if c["top"] < pg.height * 0.2 and c["size"] >= 13]
    txt = squash("".join(c["text"] for c in big))
    return bool(big) and any(x and squash(x) in txt for x in (f.place, f.antragsteller))


def _fill_rects(pg) -> list[dict]:
    out = []
    for rect in pg.rects:
        col = rect.get("non_stroking_color")
        if not rect.get("fill") or col is None:
            continue
        vals = list(col) if isinstance(col, (list, tuple)) else [col]
        if vals and all(isinstance(x, (int, float)) for x in vals) and min(vals) < 0.985:
            out.append(rect)
    return out


def ph_sidebar(doc: Doc, f: Facts, r: Rendered) -> bool:
    pg = doc.pages[0]
    for rect in _fill_rects(pg):
        if rect["width"] < pg.width * 0.4 and rect["height"] > pg.height * 0.3:
            inside = [
                c
                for c in pg.chars
                if rect["x0"] <= c["x0"]
                and c["x1"] <= rect["x1"] + 0.5
                and rect["top"] <= c["top"] <= rect["bottom"]
            ]
            txt = squash("".join(c["text"] for c in inside))
            data = [r.written.get(k) for k in ("email", "telefon", "ansprechperson", "plz")]
            if any(isinstance(d, str) and squash(d) in txt for d in data):
                return True
    return False


def ph_prose_only_values(doc: Doc, f: Facts, r: Rendered) -> bool:
    printed = [k for k in r.written if k not in ("koerperschaft_typ",)]
    unlabeled = [k for k in printed if not r.labels.get(k)]
    if len(unlabeled) < 0.7 * len(printed):
        return False
    flat = doc.text.replace("\n", " ")
    in_sentence = 0
    for k in (
        "gesamtkosten_eur",
        "foerdersumme_eur",
        "einwohnerzahl",
        "laufzeit_monate",
        "antragsteller",
    ):
        v = r.written.get(k)
        if isinstance(v, str):
            i = flat.find(v)
            if i < 0:
                continue
            ctx = flat[max(0, i - 80) : i]
            if len(ctx.split()) >= 5 and not ctx.rstrip().endswith(":"):
                in_sentence += 1
    return in_sentence >= 2


MONTH_RE = r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"


def ph_month_only_dates(doc: Doc, f: Facts, r: Rendered) -> bool:
    v = r.written.get("projektbeginn")
    return (
        isinstance(v, str)
        and bool(re.fullmatch(rf"(?:{MONTH_RE} \d{{4}}|\d{{2}}[/.]\d{{4}})", v))
        and squash(v) in squash(doc.text)
    )


RANGE_RE = re.compile(
    rf"(?:\d{{2}}/\d{{4}}\s*[–-]\s*\d{{2}}/\d{{4}}|{MONTH_RE} \d{{4}} bis {MONTH_RE} \d{{4}}|"
    rf"\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\s*[–-]\s*\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|"
    rf"\d{{1,2}}\.\d{{1,2}}\.\d{{4}} bis \d{{1,2}}\.\d{{1,2}}\.\d{{4}})"
)


def ph_date_range(doc: Doc, f: Facts, r: Rendered) -> bool:
    return bool(RANGE_RE.search(doc.text.replace("\n", " ")))


def ph_hyphen_u2010(doc: Doc, f: Facts, r: Rendered) -> bool:
    for chars in doc.chars:
        for cs in lines_of(chars).values():
            last = max(cs, key=lambda c: c["x1"])
            if last["text"] == "\u2010":
                return True
    return False


def ph_municipality_not_person(doc: Doc, f: Facts, r: Rendered) -> bool:
    if f.ansprechperson is None or f.antragsteller is None:
        return False
    lines = [ln.strip() for ln in doc.text.splitlines()]
    for i, ln in enumerate(lines):
        if re.search(r"Grüße|Grüßen", ln):
            tail = lines[i + 1 : i + 8]
            pos_m = [j for j, t in enumerate(tail) if f.antragsteller in t or f.place in t]
            pos_p = [j for j, t in enumerate(tail) if f.ansprechperson.last in t]
            if pos_m and pos_p and pos_m[0] < pos_p[0]:
                return True
    return False


def ph_acroform(doc: Doc, f: Facts, r: Rendered) -> bool:
    fields = doc.fields()
    tx = [x for x in fields if x["ft"] == "/Tx"]
    if len(tx) < 10:
        return False
    filled = [x for x in tx if x["v"]]
    if not filled or not all(x["ap"] for x in filled):
        return False
    # the values live in fields, not in the page content
    page_text = squash(doc.text)
    for k in ("email", "projekttitel", "antragsteller"):
        v = r.written.get(k)
        if isinstance(v, str) and squash(v) in page_text:
            return False
    # and the appearance streams draw them
    return all(x["ap_bytes"] and b"Tj" in x["ap_bytes"] for x in filled)


def _caption_field(doc: Doc, f: Facts, r: Rendered, key: str) -> dict | None:
    """The text field that holds ``written[key]``: its tooltip is the label, else the value
    matches exactly, else it contains the value."""
    v = r.written.get(key)
    lab = r.labels.get(key, "")
    if not isinstance(v, str) or not squash(v):
        return None
    tx = [x for x in doc.fields() if x["ft"] == "/Tx"]
    for pred in (
        lambda x: lab and x["tu"] == lab and squash(v) in squash(x["v"]),
        lambda x: squash(x["v"]) == squash(v),
        lambda x: squash(v) in squash(x["v"]),
    ):
        for x in tx:
            if pred(x):
                return x
    return None


def ph_months_under_label(doc: Doc, f: Facts, r: Rendered) -> bool:
    x = _caption_field(doc, f, r, "laufzeit_monate")
    lab = r.labels.get("laufzeit_monate", "")
    return bool(
        x
        and re.fullmatch(r"\d{1,2}", x["v"].strip())
        and "in monaten" in lab.lower()
        and squash(lab) in squash(doc.text)
    )


def ph_group_labels(doc: Doc, f: Facts, r: Rendered) -> bool:
    a, p = r.labels.get("antragsteller", ""), r.labels.get("ansprechperson", "")
    t = doc.text
    generic = {
        "Name",
        "Bezeichnung",
        "Vor- und Nachname",
        "Name, Vorname",
        "Name der Körperschaft",
        "Name der Kommune",
    }
    generic = {g.lower() for g in generic}
    return bool(
        a
        and p
        and (a.lower() in generic)
        and (p.lower() in generic)
        and "Antragsteller" in t
        and re.search(r"Ansprechp|Kontakt", t)
    )


def ph_question_labels(doc: Doc, f: Facts, r: Rendered) -> bool:
    return any(
        lab.endswith("?") and squash(lab) in squash(doc.text) for lab in r.labels.values() if lab
    )


def ph_neighbour_label_trap(doc: Doc, f: Facts, r: Rendered) -> bool:
    """An empty text field whose caption has another caption right beside or below it."""
    pg_chars = doc.chars
    for x in doc.fields():
        if x["ft"] != "/Tx" or x["v"].strip():
            continue
        cap = x["tu"]
        if not cap:
            continue
        runs = char_runs(doc, cap, x["page"])
        if not runs:
            continue
        c0 = runs[0][0]
        pgh = doc.pages[x["page"]].height
        x0, y0, x1, y1 = x["rect"]
        top = pgh - y1
        # another caption-sized text starting right of the empty box on the caption's line
        neighbours = [
            c
            for c in pg_chars[x["page"]]
            if abs(c["top"] - c0["top"]) < 2 and c["x0"] > x1 + 2 and c["x0"] - x1 < 60
        ]
        below = [
            c
            for c in pg_chars[x["page"]]
            if 0 < c["top"] - (pgh - y0) < 14 and x0 - 2 <= c["x0"] <= x1
        ]
        if (neighbours or below) and top >= c0["top"]:
            return True
    return False


def ph_label_above(doc: Doc, f: Facts, r: Rendered) -> bool:
    n = 0
    for k, lab in r.labels.items():
        if not lab:
            continue
        x = _caption_field(doc, f, r, k)
        if x is None:
            continue
        runs = char_runs(doc, lab, x["page"])
        pgh = doc.pages[x["page"]].height
        x0, _, x1, y1 = x["rect"]
        for run in runs:
            c0 = run[0]
            if 0 <= (pgh - y1) - c0["bottom"] < 12 and x0 - 3 <= c0["x0"] <= x1:
                n += 1
                break
    return n >= 5


PHENOMENON_CHECKS = {name[3:]: fn for name, fn in globals().items() if name.startswith("ph_")}


# ----------------------------------------------------------------------------- field checks


def written_ok(doc: Doc, lay: Layout, f: Facts, r: Rendered) -> list[str]:
    problems = []
    haystack = squash(doc.text) + "|" + squash(doc.region_text)
    if lay.producer == "acroform":
        haystack += "|" + "|".join(squash(x["v"]) for x in doc.fields())
    for k, v in r.written.items():
        if k not in FIELDS:
            problems.append(f"unknown field {k}")
            continue
        if k == "themenfelder" and lay.producer == "acroform":
            checked = {
                x["tu"]
                for x in doc.fields()
                if x["ft"] == "/Btn" and x["v"] == "/Yes" and x["as"] == "/Yes"
            }
            if set(v) != checked & set(TOPIC_FIELDS):
                problems.append(f"themenfelder {v} != checked {sorted(checked)}")
            continue
        for s in v if isinstance(v, list) else [v]:
            if not isinstance(s, str):
                problems.append(f"{k}: written not a string: {s!r}")
            elif squash(s) not in haystack:
                problems.append(f"{k}: {s!r} not in text")
    none_fields = {
        "antragsteller": f.antragsteller,
        "akronym": f.akronym,
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
    for k, val in none_fields.items():
        if val is None and k in r.written:
            problems.append(f"{k} is None in Facts but printed")
    for k in r.omitted:
        if k in r.written:
            problems.append(f"{k} omitted but written")
    if not f.kooperationspartner and r.written.get("kooperationspartner"):
        problems.append("partners printed though none")
    if sorted(r.written.get("themenfelder", [])) != sorted(
        set(r.written.get("themenfelder", [])) & set(f.themenfelder)
    ):
        problems.append("themenfelder written that are not declared")
    if f.themenfelder and "themenfelder" not in r.written and "themenfelder" not in r.omitted:
        problems.append("declared themenfelder neither written nor omitted")
    if (
        lay.producer == "acroform"
        and not r.written.get("themenfelder")
        and any(x["ft"] == "/Btn" and x["v"] == "/Yes" for x in doc.fields())
    ):
        problems.append("a topic box is ticked though no topic field is written")
    for k in r.overrides:
        if k not in FIELDS:
            problems.append(f"override of unknown field {k}")
    # the free text is printed (first words of each section's first paragraph)
    for heading, paras in f.sections:
        if paras:
            first = paras[0].lstrip("–•- ")  # a layout may replace the text's list mark
            words = unicodedata.normalize("NFKC", " ".join(first.split()[:6]))
            text = unicodedata.normalize(
                "NFKC",
                (doc.text + "\n" + doc.region_text).replace("\u2010\n", "").replace("\n", " "),
            )
            if lay.producer == "acroform":
                text += " ".join(x["v"].replace("\n", " ") for x in doc.fields())
            if squash(words) not in squash(text):
                problems.append(f"section {heading!r} text not found")
    return problems


# ----------------------------------------------------------------------------- main


def _opt(name: str, default: int) -> int:
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1])
    return default


def all_facts() -> list[Facts]:
    """Example Facts + make_facts(N, SEED) (default 8, 1; --n N --seed SEED to change)."""
    facts = list(example_facts())
    try:
        from zoogen.facts import make_facts
    except Exception as exc:
        print(f"(make_facts not available: {exc!r}; using the example Facts only)")
        return facts
    return facts + list(make_facts(_opt("--n", 8), _opt("--seed", 1)))


def main() -> int:
    facts = all_facts()
    failures = 0
    for lay in pdf_libraries.LAYOUTS:
        d = OUT / lay.name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        scratch = d / "scratch"
        scratch.mkdir()
        t0 = time.time()
        rendered = lay.render(facts, scratch)
        dt_ = time.time() - t0
        again = lay.render(facts, scratch)
        nondet = [
            f.sketch_id for f, a, b in zip(facts, rendered, again, strict=True) if a.pdf != b.pdf
        ]
        counts = {p: 0 for p in sorted(lay.phenomena)}
        hits: dict[str, list[bool]] = {p: [] for p in sorted(lay.phenomena)}
        problems_all = []
        for f, r in zip(facts, rendered, strict=True):
            path = d / f"{f.sketch_id}.pdf"
            path.write_bytes(r.pdf)
            doc = Doc(r.pdf)
            probs = written_ok(doc, lay, f, r)
            for p in lay.phenomena:
                fn = PHENOMENON_CHECKS.get(p)
                if fn is None:
                    probs.append(f"no check for phenomenon {p}")
                    continue
                try:
                    hit = fn(doc, f, r)
                except Exception as exc:
                    probs.append(f"check {p} crashed: {exc!r}")
                    hit = False
                counts[p] += bool(hit)
                hits[p].append(bool(hit))
                if VERBOSE:
                    print(f"   {lay.name} {f.sketch_id} {p}: {'yes' if hit else 'no'}")
            doc.close()
            for pr in probs:
                problems_all.append(f"{f.sketch_id}: {pr}")
        n = len(facts)
        need = math.ceil(n / 3)
        det = "yes" if not nondet else f"NO {nondet}"
        print(
            f"== {lay.name} ({lay.producer}): {n} sketches in {dt_:.1f} s "
            f"({10 * dt_ / n:.1f} s per 10), deterministic: {det}"
        )
        for p, k in counts.items():
            flag = "ok " if k >= need else "LOW"
            h = hits[p]
            win = (
                min((sum(h[i : i + 6]) for i in range(0, max(1, n - 5))), default=0)
                if n >= 6
                else k
            )
            print(f"   {flag} {p:24s} {k}/{n}   (fewest in any 6 consecutive sketches: {win})")
            if k < need:
                failures += 1
        for pr in problems_all:
            print(f"   PROBLEM {pr}")
        failures += len(problems_all) + bool(nondet)
        if shutil.which("pdftoppm"):
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "60",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    str(d / f"{facts[0].sketch_id}.pdf"),
                    str(d / "page"),
                ],
                check=False,
            )
        shutil.rmtree(scratch, ignore_errors=True)
    print("ALL OK" if not failures else f"{failures} problem(s)")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
