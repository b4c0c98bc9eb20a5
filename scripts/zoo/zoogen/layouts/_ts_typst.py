"""``typst_grid``: a designed fact sheet ("Steckbrief") set with Typst (Python binding).

A grid of a narrow boxed key-data panel (7.5 pt, labels above the values in bold grey
capitals, grouped: "Antragstellerin / Name", "Ansprechperson / Name") and a wide text column
(11 pt, justified), so the column gap sits at about a third of the page. Topic fields as
drawn boxes with an "X" glyph placed inside the ticked ones. Line-end hyphens of the free
text are U+2010: a first pass lets Typst hyphenate, the breaks it chose are then set as
explicit "‐" + line break (Typst itself writes its hyphen as "-" or U+00AD). Some panel
values are set with narrow fixed gaps instead of space glyphs, so text extraction loses the
spaces. The start and the duration are often given only as a date range.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

import typst

from zoogen.layouts._ts_common import (
    Sheet,
    amount,
    date_text,
    datum_value,
    de_int,
    duration_text,
    pick,
    rng_for,
    start_value,
    topic_list,
    typ_written,
)
from zoogen.model import Facts, Layout, Rendered

PANEL_PT = 7.5
PANEL_MM = 60
INNER = PANEL_MM * 72 / 25.4 - 14  # panel width less its inset, pt
BODY_PT = 11
HYPHENS = ("-", "\u00ad")


def s(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tight(text: str) -> str:
    """Code for a text whose words are separated by narrow fixed gaps, not space glyphs."""
    words = text.split()
    return "[" + "#h(0.2em)".join("#" + s(w) for w in words) + "]"


# ---------------------------------------------------------------- wording of this layout

G = {  # group labels
    "antrag": ("Antragstellerin", "Kommune", "Antragstellende Stelle"),
    "kontakt": ("Ansprechperson", "Kontakt", "Projektkontakt"),
    "vorhaben": ("Vorhaben", "Projekt", "Eckdaten des Projekts"),
    "geld": ("Finanzen", "Kosten und Finanzierung", "Budget"),
    "partner": ("Partner", "Kooperation", "Verbund"),
}
L = {
    "name_a": ("Name", "Bezeichnung"),
    "typ": ("Art der Körperschaft", "Körperschaftsart", "Rechtsform"),
    "anschrift": ("Anschrift", "Postadresse", "Sitz"),
    "kreis": ("Kreiszugehörigkeit", "Zugehöriger Kreis", "Kreis"),
    "land": ("Bundesland", "Land"),
    "einwohner": ("Einwohner:innen", "Bevölkerung", "Einwohnende (31.12.2019)"),
    "name_k": ("Name", "Person"),
    "funktion": ("Funktion", "Rolle im Projekt", "Dienststellung"),
    "email": ("E-Mail", "Mail", "E-Mail-Kontakt"),
    "telefon": ("Telefon", "Durchwahl", "Telefonnummer"),
    "akronym": ("Kürzel", "Kurzform", "Akronym / Kurztitel"),
    "az": ("Az. Projektträger", "Eingangsnummer", "Vorgangsnummer (wird vergeben)"),
    "zeitraum": ("Förderzeitraum", "Projektzeitraum", "Umsetzungszeitraum"),
    "beginn": ("Starttermin", "Projektstart", "Beginn ab"),
    "dauer": ("Dauer", "Laufzeit in Monaten", "Umsetzungsdauer"),
    "ges": ("Projektvolumen gesamt", "Gesamtbudget", "Kostenrahmen insgesamt"),
    "foe": ("Förderbedarf", "Beantragte Bundesmittel", "Zuschussbedarf"),
    "eig": ("Kommunale Eigenleistung", "Eigenfinanzierung", "Eigenbeitrag der Kommune"),
    "partner": ("Partnerorganisationen", "Mitwirkende Partner", "Kooperationspartner"),
    "themen": (
        "Schwerpunktfelder laut Aufruf",
        "Themenfelder des Förderaufrufs",
        "Handlungsfelder (Mehrfachnennung)",
    ),
    "datum": ("Stand", "Erstellt am", "Datum der Skizze"),
}
TEXT_HEADINGS = {
    "Ausgangslage": ("Warum braucht es das Projekt?", "Ausgangspunkt", "Die Lage vor Ort"),
    "Ziele": ("Was wollen wir erreichen?", "Wirkungsziele", "Unser Ziel"),
    "Vorgehen": ("Wie gehen wir vor?", "Arbeitsschritte", "So setzen wir es um"),
}


def _heading(rng, name: str) -> str:
    for key, options in TEXT_HEADINGS.items():
        if name.lower().startswith(key.lower()):
            return pick(rng, options)
    return name


# ---------------------------------------------------------------- document


HEAD = """#set document(title: %(title)s, author: %(author)s, \
date: datetime(year: 2021, month: 3, day: 1))
#set page(paper: "a4", margin: (left: 16mm, right: 16mm, top: 18mm, bottom: 20mm),
  footer: context [#set text(7.5pt, fill: luma(120)); \
%(foot)s #h(1fr) Seite #counter(page).display() von #counter(page).final().first()])
#set text(font: ("Carlito", "Liberation Sans", "DejaVu Sans"), size: %(body)spt, \
lang: "de", hyphenate: false)
#set par(leading: 0.55em)
#let accent = %(accent)s
#let lbl(t) = text(size: 6.3pt, weight: "bold", fill: luma(105), tracking: 0.35pt, upper(t))
#let grp(t) = block(above: 9pt, below: 4pt, width: 100%%, \
stroke: (bottom: 0.6pt + accent), inset: (bottom: 2pt),
  text(size: 8pt, weight: "bold", fill: accent, upper(t)))
#let fit(body, width: %(inner)spt) = context {
  let w = measure(body).width
  if w > width { text(size: %(panel)spt * (width / w) * 0.97, body) } else { body }
}
#let item(l, v, width: %(inner)spt) = \
block(above: 4.5pt, below: 0pt, breakable: false)[#lbl(l) \\ #fit(v, width: width)]
#let itemraw(l, v) = block(above: 4.5pt, below: 0pt, breakable: false)[#lbl(l) \\ #v]
#let tick(on) = box(width: 8pt, height: 8pt, baseline: 1pt, stroke: 0.6pt + luma(60),
  if on { align(center + horizon, text(size: 7pt, weight: "bold")[X]) })
"""


def _panel(f: Facts, sh: Sheet, rng, lab, grp, vals) -> str:
    """The boxed key-data panel (code mode content)."""
    spaced = {
        "antragsteller": f.antragsteller or "",
        "anschrift": f.street,
        "kreis": f.landkreis_written,
        "funktion": f.funktion or "",
        "partner": " ".join(f.kooperationspartner),
    }
    cand = sorted(k for k, t in spaced.items() if " " in t.strip())
    lost = set(rng.sample(cand, min(2, len(cand)))) if rng.random() < 0.75 else set()

    def v(key: str, text: str) -> str:
        if key in lost and " " in text.strip():
            sh.phen.add("lost_spaces")
            return tight(text)
        return "[#" + s(text) + "]"

    out = [f"#set text(size: {PANEL_PT}pt)", "#set par(leading: 0.42em)"]
    # applicant group
    out.append(f"#grp({s(grp['antrag'])})")
    if f.antragsteller:
        out.append(f"#item({s(lab['name_a'])}, {v('antragsteller', f.antragsteller)})")
        sh.put("antragsteller", f.antragsteller, lab["name_a"])
    if not f.antragsteller:
        pass
    elif rng.random() < 0.6:
        out.append(f"#item({s(lab['typ'])}, {v('typ', f.body_word)})")
        sh.put("koerperschaft_typ", f.body_word, lab["typ"])
    else:
        sh.put("koerperschaft_typ", typ_written(f), "")  # inside the name
    adr = f"{f.street}, {f.plz} {f.ort}"
    out.append(f"#item({s(lab['anschrift'])}, {v('anschrift', adr)})")
    sh.put("plz", f.plz, lab["anschrift"])
    region = [("kreis", f.landkreis_written, "landkreis"), ("land", f.bundesland, "bundesland")]
    if rng.random() < 0.5:
        region.reverse()
    for key, text, field in region:
        out.append(f"#item({s(lab[key])}, {v(key, text)})")
        sh.put(field, text, lab[key])
    if f.einwohnerzahl is not None:
        ew = de_int(f.einwohnerzahl, pick(rng, (".", ".", " ")))
        out.append(f"#item({s(lab['einwohner'])}, [#{s(ew)}])")
        sh.put("einwohnerzahl", ew, lab["einwohner"])
    # contact group
    if f.ansprechperson is not None or f.email or f.telefon:
        out.append(f"#grp({s(grp['kontakt'])})")
        if f.ansprechperson is not None:
            p = f.ansprechperson
            out.append(f"#item({s(lab['name_k'])}, [#{s(p.anrede + ' ' + p.name)}])")
            sh.put("ansprechperson", p.name, lab["name_k"])
            sh.phen.add("group_labels")
            if f.funktion:
                out.append(f"#item({s(lab['funktion'])}, {v('funktion', f.funktion)})")
        if f.email:
            out.append(f"#item({s(lab['email'])}, [#{s(f.email)}])")
            sh.put("email", f.email, lab["email"])
        if f.telefon:
            out.append(f"#item({s(lab['telefon'])}, [#{s(f.telefon)}])")
            sh.put("telefon", f.telefon, lab["telefon"])
    # project group: short name next to the time frame (the empty value is the trap)
    out.append(f"#grp({s(grp['vorhaben'])})")
    show_acr = bool(f.akronym) and rng.random() < 0.5
    acr = f"[#{s(f.akronym)}]" if show_acr else "[]"
    if show_acr:
        sh.put("akronym", f.akronym, lab["akronym"])
    else:
        sh.phen.add("neighbour_label_trap")
        if f.akronym:
            sh.omitted.add("akronym")
    right_l, right_v = vals["time_cell"]
    c1 = (INNER - 5) / 2.6
    out.append(
        "#grid(columns: (1fr, 1.6fr), column-gutter: 5pt, "
        f"item({s(lab['akronym'])}, {acr}, width: {c1:.2f}pt), "
        f"item({s(right_l)}, {right_v}, width: {c1 * 1.6:.2f}pt))"
    )
    for l_, v_ in vals["time_more"]:
        out.append(f"#item({s(l_)}, {v_})")
    if rng.random() < 0.5:
        out.append(f"#item({s(lab['az'])}, [])")
    # money group
    money = [(lab[k], vals[k]) for k in ("ges", "foe", "eig") if vals.get(k)]
    if money:
        out.append(f"#grp({s(grp['geld'])})")
        for l_, t in money:
            out.append(f"#item({s(l_)}, [#{s(t)}])")
    # partners
    if f.kooperationspartner:
        out.append(f"#grp({s(grp['partner'])})")
        roles = rng.random() < 0.5 and len(f.partner_roles) >= len(f.kooperationspartner)
        lines = []
        for i, name in enumerate(f.kooperationspartner):
            line = v("partner", name)
            if roles:
                line = line + f" + text(fill: luma(110))[ (#{s(f.partner_roles[i])})]"
            line = "fit(" + line + ")"
            lines.append(line)
        out.append(
            f"#itemraw({s(lab['partner'])}, stack(spacing: 3.5pt, " + ", ".join(lines) + "))"
        )
        sh.put("kooperationspartner", list(f.kooperationspartner), lab["partner"])
    return "\n".join(out)


def _body(f: Facts, rng, breaks: dict[tuple[int, int], list[int]]) -> tuple[str, list[list[str]]]:
    """Free text (markup) with the manual U+2010 breaks; also the token lists per paragraph."""
    out = [
        f"#set text(size: {BODY_PT}pt, hyphenate: true)",
        "#set par(justify: true, leading: 0.6em, spacing: 0.9em)",
    ]
    toks: list[list[str]] = []
    pi = 0
    for name, paras in f.sections:
        out.append(
            f'#block(above: 10pt, below: 5pt, text(size: 12.5pt, weight: "bold", fill: accent, '
            f"{s(_heading(rng, name))}))"
        )
        for para in paras:
            words = para.split()
            toks.append(words)
            parts = []
            for wi, w in enumerate(words):
                cuts = breaks.get((pi, wi))
                if not cuts:
                    parts.append("#" + s(w))
                    continue
                pieces, last = [], 0
                for c in sorted(cuts):
                    pieces.append("#" + s(w[last:c] + "\u2010") + "#linebreak(justify: true)")
                    last = c
                pieces.append("#" + s(w[last:]))
                parts.append("".join(pieces))
            out.append(" ".join(parts))
            out.append("")
            pi += 1
    return "\n".join(out), toks


def _source(f: Facts, sh: Sheet, rng_state, breaks) -> tuple[str, list[list[str]]]:
    import random

    rng = random.Random()
    rng.setstate(rng_state)
    lab = {k: pick(rng, v) for k, v in L.items()}
    grp = {k: pick(rng, v) for k, v in G.items()}
    amount_style = pick(rng, ("EUR", "dash", "mio", "eur_front", "teur", "eur"))
    vals: dict = {}
    for key, field, v in (
        ("ges", "gesamtkosten_eur", f.gesamtkosten),
        ("foe", "foerdersumme_eur", f.foerdersumme),
        ("eig", "eigenanteil_eur", f.eigenanteil),
    ):
        if v is not None:
            vals[key] = sh.put(field, amount(v, amount_style), lab[key])
    # time: a date range (start + duration) or start and duration apart
    use_range = (
        f.projektbeginn is not None and f.laufzeit_monate is not None and rng.random() < 0.85
    )
    vals["time_more"] = []
    if use_range:
        end = f.projektende
        style = pick(rng, ("dot", "dot", "short"))
        sep = pick(rng, (" bis ", " – ", " - "))
        a, b = date_text(f.projektbeginn, style), date_text(end, style)
        rng_txt = a + sep + b
        sh.put("projektbeginn", a, lab["zeitraum"])
        sh.put("laufzeit_monate", rng_txt, lab["zeitraum"])
        sh.phen.add("date_range")
        vals["time_cell"] = (lab["zeitraum"], f"[#{s(rng_txt)}]")
    else:
        style = pick(rng, ("slash", "dot", "month"))
        start = start_value(sh, style)
        if start is not None:
            sh.put("projektbeginn", start, lab["beginn"])
            vals["time_cell"] = (lab["beginn"], f"[#{s(start)}]")
        else:
            vals["time_cell"] = (lab["beginn"], "[]")
        if f.laufzeit_monate is not None:
            d = duration_text(f.laufzeit_monate, pick(rng, ("monate", "jahre")))
            if lab["dauer"] == "Laufzeit in Monaten":
                d = str(f.laufzeit_monate)
            sh.put("laufzeit_monate", d, lab["dauer"])
            vals["time_more"].append((lab["dauer"], f"[#{s(d)}]"))
    datum = datum_value(sh, pick(rng, ("dot", "long")))
    sh.put("datum", datum, lab["datum"])

    accent = pick(rng, ('rgb("#1f5f8b")', 'rgb("#2e6b3a")', 'rgb("#7a2e39")', 'rgb("#4b4b8f")'))
    short = f.akronym or (f.place if f.antragsteller else "Modellvorhaben")
    head = HEAD % dict(
        title=s(f.projekttitel),
        author=s(f.antragsteller or ""),
        body=BODY_PT,
        accent=accent,
        panel=PANEL_PT,
        inner=f"{INNER:.2f}",
        foot=f"Steckbrief {s(short)[1:-1]} · {s(lab['datum'])[1:-1]}: {s(datum)[1:-1]}",
    )
    out = [head]
    kicker = pick(
        rng,
        (
            "Steckbrief · Förderaufruf Heimat 2.0",
            "Projektsteckbrief Heimat 2.0",
            "Heimat 2.0 · Skizze in Kurzform",
        ),
    )
    out.append("#block(width: 100%, stroke: (bottom: 1.4pt + accent), inset: (bottom: 7pt))[")
    out.append(f"  #text(size: 8pt, fill: luma(110), tracking: 0.8pt, upper({s(kicker)}))")
    out.append("  #v(1pt)")
    out.append(f'  #text(size: 17pt, weight: "bold", {s(f.projekttitel)})')
    sh.put("projekttitel", f.projekttitel, "")
    out.append("  #v(1pt)")
    who = f"#{s(f.antragsteller)} · " if f.antragsteller else ""
    out.append(f"  #text(size: 10pt, fill: luma(70))[{who}{s(lab['datum'])[1:-1]}: #{s(datum)}]")
    out.append("]")
    out.append("#v(6pt)")
    panel = _panel(f, sh, rng, lab, grp, vals)
    body, toks = _body(f, rng, breaks)
    out.append(f"#grid(columns: ({PANEL_MM}mm, 1fr), column-gutter: 9mm,")
    out.append(
        "block(width: 100%, fill: luma(244), stroke: 0.5pt + luma(185), "
        "inset: (x: 7pt, y: 6pt), radius: 2pt)["
    )
    out.append(panel)
    out.append("],")
    out.append("[")
    out.append(body)
    out.append("])")
    # topic fields as drawn boxes
    topics = topic_list(f)
    if f.themenfelder or rng.random() < 0.6:
        out.append("#v(10pt)")
        out.append("#block(breakable: false)[")
        out.append(
            "#block(width: 100%, stroke: (top: 0.6pt + accent), inset: (top: 6pt))"
            f'[#text(size: 9pt, weight: "bold", fill: accent, upper({s(lab["themen"])}))]'
        )
        cells = []
        for t, on in topics:
            cells.append(f"[#tick({'true' if on else 'false'}) #h(4pt) #text(size: 9.5pt, {s(t)})]")
        out.append(
            "#grid(columns: (1fr, 1fr), row-gutter: 5pt, column-gutter: 10pt, "
            + ", ".join(cells)
            + ")]"
        )
        sh.put("themenfelder", [t for t, on in topics if on], lab["themen"])
        if f.themenfelder:
            sh.phen.add("checkbox_vector_x")
    return "\n".join(out) + "\n", toks


def _find_breaks(
    pdf: bytes, toks: list[list[str]], body_x: float, known: dict[tuple[int, int], list[int]]
) -> list[tuple[int, int, int]]:
    """Where Typst hyphenated the free text by itself: (paragraph, word, cut offset).

    The text column is read with pdfium (fast; it marks a line-end hyphen as U+0002). A
    fragment before a line-end hyphen plus the fragment after it that form one source word
    is an automatic break, unless that cut is already set by hand (``known``, shown as
    U+2010); explicit hyphens ("Coworking-Raum") do not join to a source word and are left.
    """
    import pypdfium2

    text = []
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for page in doc:
            w, h = page.get_size()
            tp = page.get_textpage()
            text.append(tp.get_text_bounded(left=body_x, bottom=0, right=w, top=h))
            tp.close()
            page.close()
    finally:
        doc.close()
    flat_text = (
        "\n".join(text)
        .replace("\u2010\r\n", "\x02")
        .replace("-\r\n", "\x02")
        .replace("\xad\r\n", "\x02")
    )
    flat = [(pi, wi, w) for pi, ws in enumerate(toks) for wi, w in enumerate(ws)]
    got = flat_text.split()
    plain = [t.replace("\x02", "") for t in got]
    found = []
    # align the extracted words with the source words (headings, panel remnants, the topic
    # box are extra words on the extracted side)
    sm = difflib.SequenceMatcher(None, plain, [w for _, _, w in flat], autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for i in range(size):
            tok = got[a + i]
            if "\x02" not in tok:
                continue
            pi, wi, _ = flat[b + i]
            acc = 0
            for part in tok.split("\x02")[:-1]:
                acc += len(part)
                if acc not in known.get((pi, wi), []):
                    found.append((pi, wi, acc))
    return found


FONT_DIRS = (
    "/usr/share/fonts/truetype/crosextra",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/dejavu",
)


def _compiler() -> typst.Compiler:
    """One compiler per batch (it keeps the font book); only the fonts named here are seen."""
    dirs = [d for d in FONT_DIRS if Path(d).is_dir()]
    return typst.Compiler(font_paths=dirs, ignore_system_fonts=True)


def render(facts: Sequence[Facts], work: Path) -> list[Rendered]:
    out = []
    comp = _compiler()

    def _compile(src: str) -> bytes:
        return comp.compile(input=src.encode("utf-8"))

    for f in facts:
        rng = rng_for(f, "typst_grid")
        state = rng.getstate()
        breaks: dict[tuple[int, int], list[int]] = {}
        sh = Sheet(f)
        src, toks = _source(f, sh, state, breaks)
        pdf = _compile(src)
        body_x = (16 + 60 + 9) * 72 / 25.4 - 2  # left margin + panel + gutter, in pt
        for _ in range(4):
            new = _find_breaks(pdf, toks, body_x, breaks)
            new = [b for b in new if b[2] not in breaks.get((b[0], b[1]), [])]
            if not new:
                break
            for pi, wi, cut in new:
                breaks.setdefault((pi, wi), []).append(cut)
            sh = Sheet(f)
            src, toks = _source(f, sh, state, breaks)
            pdf = _compile(src)
        if breaks:
            sh.phen.add("hyphen_u2010")
        sh.phen |= {
            "key_panel_small_font",
            "label_above",
            "column_gap_off_centre",
            "compound_labels",
        }
        # panel labels are printed in capitals
        lower = {"datum": True, "projekttitel": True}
        sh.labels = {k: (v if k in lower else v.upper()) for k, v in sh.labels.items()}
        out.append(sh.rendered(pdf))
    return out


LAYOUT = Layout(
    name="typst_grid",
    producer="typst",
    phenomena=frozenset(
        {
            "key_panel_small_font",
            "label_above",
            "column_gap_off_centre",
            "checkbox_vector_x",
            "hyphen_u2010",
            "lost_spaces",
            "date_range",
            "neighbour_label_trap",
            "group_labels",
            "compound_labels",
        }
    ),
    render=render,
    description="Typst fact sheet: boxed 7.5 pt key-data panel with grouped labels above values "
    "in a narrow grid column beside an 11 pt justified text column, drawn topic boxes "
    "with an X glyph, U+2010 line-end hyphens, date range, lost spaces in the panel",
)
