"""lo_docx_form: a Word-made "Formblatt" (python-docx -> LibreOffice -> PDF).

Numbered sections, key data in 4-column label|value tables, group rows ("Antragstellende
Kommune", "Ansprechpartner/in") with generic labels under them, a header row of labels
with the values in the row below, an empty optional cell next to the neighbouring label,
a timeline with dot-leader tab stops, topic fields as Wingdings (PUA) or (every other
sketch) Unicode ☒/☐ check boxes, bullet lists with Symbol bullets (U+F0B7 in the text layer)
and a yearly cost plan "(in €)" with bare amounts, per-year subtotals and a total.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Inches, Pt, RGBColor

from zoogen.model import TOPIC_FIELDS, Facts, Rendered, add_months

from . import _lo_common as C
from . import _lo_docx as D

LABEL_FILL = "EDEDED"
GROUP_FILL = "C9D3DF"
W4 = (3.9, 4.6, 3.9, 4.6)  # label | value | label | value  (17.0 cm)

HEADINGS = {
    "ausgangslage": (
        "Ausgangssituation und Handlungsbedarf",
        "Problemstellung vor Ort",
        "Ausgangslage in der Kommune",
    ),
    "ziel": ("Zielsetzung des Modellvorhabens", "Angestrebte Ziele und Wirkungen"),
    "vorgehen": ("Arbeitsplan und Vorgehensweise", "Geplante Umsetzungsschritte"),
    "maßnahme": ("Geplante Maßnahmen", "Maßnahmen im Einzelnen"),
    "übertrag": ("Übertragbarkeit auf andere Kommunen", "Modellcharakter und Übertragbarkeit"),
    "verstetig": ("Verstetigung nach Förderende", "Nachhaltigkeit und Verstetigung"),
    "nachhaltig": ("Verstetigung nach Förderende", "Nachhaltigkeit und Verstetigung"),
}


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def _label_cell(cell, text: str, size=8.5):
    D.shade_cell(cell, LABEL_FILL)
    D.cell_text(cell, text, size=size, bold=False)


def _value_cell(cell, text: str, size=10, bold=False):
    D.cell_text(cell, text, size=size, bold=bold)
    return cell


def _group_row(table, text: str):
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    D.shade_cell(merged, GROUP_FILL)
    D.cell_text(merged, text, bold=True, size=9.5)
    return row


def _heading(doc, text: str, size=11.5, before=10, after=4):
    p = doc.add_paragraph()
    r = p.add_run(text)
    r.bold = True
    r.font.size = Pt(size)
    D.spacing(p, before, after)
    D.keep_with_next(p)
    return p


def build(f: Facts, path: Path) -> Rendered:
    rng = C.rng_for(f)
    when = C.created_at(f, rng)
    written: dict = {}
    labels: dict = {}
    omitted: set[str] = set()
    overrides: dict = {}
    notes: list[str] = []

    doc = D.new_document("Arial", 10, when, f.antragsteller or "", f"Projektskizze {f.place}")
    sec = doc.sections[0]
    D.set_margins(sec, 2.2, 2.0, 2.0, 2.0, header=1.0, footer=0.9)

    # running header / footer of the form
    edition = rng.choice(("A", "B"))
    form_no = _pick(rng, "Formblatt 1", "Anlage 1", "Vordruck S")
    hp = sec.header.paragraphs[0]
    for pos in (Inches(3.25), Inches(6.5)):  # the template's Header style tabs
        hp.paragraph_format.tab_stops.add_tab_stop(pos, WD_TAB_ALIGNMENT.CLEAR)
    hp.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
    r = hp.add_run(
        f"Förderinitiative „Heimat 2.0“ – {form_no}\t"
        f"Stand {_pick(rng, '12/2020', '01/2021', '11/2020')}"
    )
    r.font.size = Pt(7.5)
    r.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    D.par_border(hp, "bottom", 4, "888888")
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = fp.add_run(f"{form_no} – Seite ")
    r.font.size = Pt(7.5)
    D.field(fp, "PAGE", "1", size=7.5)
    r = fp.add_run(" von ")
    r.font.size = Pt(7.5)
    D.field(fp, "NUMPAGES", "1", size=7.5)

    # title block
    t = doc.add_paragraph()
    r = t.add_run(
        _pick(
            rng,
            "Skizzenbogen zur Bewerbung als Modellvorhaben",
            "Interessenbekundung mit Projektskizze (Stufe 1)",
            "Projektskizze – Formular zur Teilnahme am Förderaufruf",
        )
    )
    r.bold = True
    r.font.size = Pt(15)
    D.spacing(t, 0, 2)
    t2 = doc.add_paragraph()
    r = t2.add_run(
        "Modellvorhaben zur Stärkung der Daseinsvorsorge durch Digitalisierung "
        "in strukturschwachen ländlichen Räumen"
    )
    r.font.size = Pt(9)
    D.spacing(t2, 0, 4)
    hint = doc.add_paragraph()
    r = hint.add_run(
        _pick(
            rng,
            "Hinweis: Bitte alle grau hinterlegten Felder ausfüllen; nicht "
            "Zutreffendes bleibt frei. Umfang der Kurzbeschreibung: max. 3 Seiten.",
            "Bitte vollständig ausfüllen und als PDF-Datei einreichen. Felder ohne "
            "Angabe bitte leer lassen.",
        )
    )
    r.italic = True
    r.font.size = Pt(8)
    D.spacing(hint, 0, 6)

    sections_order = ["kommune", "vorhaben"] if edition == "A" else ["vorhaben", "kommune"]
    num = {name: i + 1 for i, name in enumerate(sections_order)}
    start_in_table = rng.random() < 0.5 and f.projektbeginn is not None
    header_row_amounts = rng.random() < 0.55

    def kommune_section():
        n = num["kommune"]
        head_text = _pick(
            rng,
            "Angaben zur antragstellenden Kommune",
            "Antragstellerin und Kontakt",
            "Zuwendungsempfänger und Ansprechpartner",
        )
        _heading(doc, f"{n}. {head_text}")
        tb = doc.add_table(rows=0, cols=4)
        D.table_borders(tb, 4, "7F7F7F")
        D.cell_margins(tb)
        g1 = _pick(rng, "Antragstellende Kommune", "Antragstellende Kommune (Gebietskörperschaft)")
        _group_row(tb, f"{n}.1 {g1}")
        # row: Bezeichnung | antragsteller | Art | body word
        row = tb.add_row().cells
        lab = _pick(rng, "Bezeichnung", "Name")
        _label_cell(row[0], lab)
        _value_cell(row[1], f.antragsteller or "")
        if f.antragsteller:
            written["antragsteller"], labels["antragsteller"] = f.antragsteller, lab
        lab = _pick(rng, "Art der Gebietskörperschaft", "Körperschaftsart", "Kommunale Ebene")
        _label_cell(row[2], lab)
        if f.antragsteller:  # no applicant in the Facts: no type either
            _value_cell(row[3], f.body_word)
            written["koerperschaft_typ"], labels["koerperschaft_typ"] = f.body_word, lab
        else:
            _value_cell(row[3], "")
        # row: Anschrift | street, plz ort | Landkreis | ...
        row = tb.add_row().cells
        lab = _pick(rng, "Anschrift", "Dienstanschrift")
        _label_cell(row[0], lab)
        _value_cell(row[1], f"{f.street}\n{f.plz} {f.ort}")
        written["plz"], labels["plz"] = f.plz, lab
        lab = _pick(rng, "Landkreis", "zugehöriger Landkreis/Kreis", "Kreiszugehörigkeit")
        _label_cell(row[2], lab)
        _value_cell(row[3], f.landkreis_written)
        written["landkreis"], labels["landkreis"] = f.landkreis_written, lab
        # row: Einwohnerzahl | (maybe empty) | Bundesland | ...
        row = tb.add_row().cells
        lab = _pick(
            rng,
            "Einwohnerzahl (Stand 31.12.2019)",
            "Anzahl Einwohnerinnen und Einwohner",
            "Einwohnerzahl lt. Landesstatistik",
        )
        _label_cell(row[0], lab)
        if f.einwohnerzahl is not None and (
            rng.random() < 0.8 or "invalid_population" in f.violations
        ):
            ew = C.de_int(f.einwohnerzahl) if rng.random() < 0.7 else str(f.einwohnerzahl)
            _value_cell(row[1], ew)
            written["einwohnerzahl"], labels["einwohnerzahl"] = ew, lab
        else:
            _value_cell(row[1], "")
            if f.einwohnerzahl is not None:
                omitted.add("einwohnerzahl")
            notes.append("trap:einwohnerzahl")
        lab = _pick(rng, "Bundesland", "Land (Bundesland)")
        _label_cell(row[2], lab)
        _value_cell(row[3], f.bundesland)
        written["bundesland"], labels["bundesland"] = f.bundesland, lab
        # contact group
        g2 = _pick(rng, "Ansprechpartner/in", "Ansprechpartner/in für Rückfragen")
        p = f.ansprechperson
        phone = f.telefon if (f.telefon and rng.random() < 0.9) else None
        if f.telefon and phone is None:
            omitted.add("telefon")
        labs = (
            "Name",
            _pick(rng, "Funktion", "Funktion/Amt"),
            _pick(rng, "Telefon", "Tel.-Nr."),
            _pick(rng, "E-Mail", "E-Mail-Adresse"),
        )
        vals = (p.name if p else "", f.funktion if p else "", phone or "", f.email or "")
        mail = vals[3]
        if rng.random() < 0.6:  # labels in a header row, values in the row below
            D.table_fixed(tb, W4)
            tc = doc.add_table(rows=0, cols=4)  # a table of its own: wider e-mail column
            D.table_borders(tc, 4, "7F7F7F")
            D.cell_margins(tc)
            _group_row(tc, f"{n}.2 {g2}")
            hr = tc.add_row().cells
            vr = tc.add_row().cells
            for i in range(4):
                _label_cell(hr[i], labs[i], size=8)
                size = 9 if i < 3 or len(mail) <= 34 else (8 if len(mail) <= 40 else 7)
                _value_cell(vr[i], vals[i], size=size)
            D.table_fixed(tc, (3.7, 4.3, 3.3, 5.7))
            notes.append("contact:next_row")
        else:
            _group_row(tb, f"{n}.2 {g2}")
            r1 = tb.add_row().cells
            _label_cell(r1[0], labs[0])
            _value_cell(r1[1], vals[0])
            _label_cell(r1[2], labs[1])
            _value_cell(r1[3], vals[1], size=9)
            r2 = tb.add_row().cells
            if len(mail) <= 28:
                _label_cell(r2[0], labs[2])
                _value_cell(r2[1], vals[2])
                _label_cell(r2[2], labs[3])
                _value_cell(r2[3], mail, size=9)
            else:
                _label_cell(r2[0], labs[2])
                _value_cell(r2[1], vals[2])
                _label_cell(r2[2], "Telefax")
                _value_cell(r2[3], "")
                r3 = tb.add_row()
                _label_cell(r3.cells[0], labs[3])
                _value_cell(r3.cells[1].merge(r3.cells[3]), mail)
            D.table_fixed(tb, W4)
        if p:
            written["ansprechperson"], labels["ansprechperson"] = p.name, "Name"
        if phone:
            written["telefon"], labels["telefon"] = phone, labs[2]
        if f.email:
            written["email"], labels["email"] = f.email, labs[3]

    def vorhaben_section():
        n = num["vorhaben"]
        head_text = _pick(
            rng,
            "Angaben zum Vorhaben",
            "Das Vorhaben im Überblick",
            "Eckdaten des Modellvorhabens",
        )
        _heading(doc, f"{n}. {head_text}")
        tb = doc.add_table(rows=0, cols=4)
        D.table_borders(tb, 4, "7F7F7F")
        D.cell_margins(tb)
        k = 1
        row = tb.add_row()
        lab = f"{n}.{k} " + _pick(
            rng, "Titel des Vorhabens", "Vorhabenbezeichnung", "Projekttitel (vollständig)"
        )
        _label_cell(row.cells[0], lab)
        m = row.cells[1].merge(row.cells[3])
        _value_cell(m, f.projekttitel, bold=True, size=11)
        written["projekttitel"], labels["projekttitel"] = f.projekttitel, lab
        k += 1
        # acronym | value-or-empty | neighbour label | value
        row = tb.add_row().cells
        lab = f"{n}.{k} " + _pick(
            rng, "Kurzbezeichnung (Akronym)", "Projektkürzel", "Akronym (falls vorhanden)"
        )
        _label_cell(row[0], lab)
        akr = f.akronym
        if akr and akr not in f.projekttitel and rng.random() < 0.35:
            omitted.add("akronym")
            akr = None
        _value_cell(row[1], akr or "")
        if akr:
            written["akronym"], labels["akronym"] = akr, lab
        else:
            notes.append("trap:akronym")
        k += 1
        if start_in_table:
            lab = f"{n}.{k} " + _pick(rng, "Geplanter Projektbeginn", "Vorhabenbeginn (geplant)")
            style = rng.choice(("num", "num", "long", "mm/yyyy"))
            s, d = C.fmt_date(f.projektbeginn, style)
            _label_cell(row[2], lab)
            _value_cell(row[3], s)
            written["projektbeginn"], labels["projektbeginn"] = s, lab
            if d != f.projektbeginn:
                overrides["projektbeginn"] = C.iso(d)
        else:
            lab = f"{n}.{k} " + _pick(rng, "Umsetzungsort(e)", "Räumlicher Bezug")
            _label_cell(row[2], lab)
            _value_cell(
                row[3], _pick(rng, f"{f.place} mit allen Ortsteilen", f"gesamtes Gebiet {f.place}")
            )
        k += 1
        amounts = (
            (
                "gesamtkosten_eur",
                f.gesamtkosten,
                _pick(rng, "Gesamtausgaben", "Gesamtkosten des Vorhabens", "Projektvolumen"),
            ),
            (
                "foerdersumme_eur",
                f.foerdersumme,
                _pick(rng, "beantragte Zuwendung", "Zuwendungsbetrag", "Höhe der Förderung"),
            ),
            (
                "eigenanteil_eur",
                f.eigenanteil,
                _pick(rng, "Eigenmittelanteil", "kommunaler Eigenanteil", "Eigenbeteiligung"),
            ),
        )
        if header_row_amounts:
            hr = tb.add_row().cells
            vr = tb.add_row().cells
            lab = f"{n}.{k} " + _pick(rng, "Laufzeit in Monaten", "Projektdauer (Monate)")
            _label_cell(hr[0], lab, size=8)
            if f.laufzeit_monate is not None:
                _value_cell(vr[0], str(f.laufzeit_monate))
                written["laufzeit_monate"], labels["laufzeit_monate"] = str(f.laufzeit_monate), lab
            else:
                _value_cell(vr[0], "")
            k += 1
            for i, (fld, val, name) in enumerate(amounts):
                lab = f"{n}.{k} {name} in €"
                _label_cell(hr[i + 1], lab, size=8)
                if val is not None:
                    s = C.de_num(val, 2)
                    _value_cell(vr[i + 1], s)
                    written[fld], labels[fld] = s, lab
                else:
                    _value_cell(vr[i + 1], "")
                k += 1
            notes.append("amounts:next_row")
        else:
            style = rng.choice(("eur_sign", "EUR", "euro_dash"))
            items = []  # (field, label text without number, value)
            name = _pick(rng, "Geplante Laufzeit", "Dauer des Vorhabens")
            s = (
                C.fmt_duration(f.laufzeit_monate, rng.choice(("monate", "monate", "jahre")))
                if f.laufzeit_monate is not None
                else ""
            )
            items.append(("laufzeit_monate", name, s))
            for fld, val, name in amounts:
                items.append((fld, name, C.fmt_amount(val, style)[0] if val is not None else ""))
            # total | duration / funding | own share
            items = [items[1], items[0], items[2], items[3]]
            cells = []
            for fld, name, s in items:
                lab = f"{n}.{k} {name}"
                k += 1
                if s:
                    written[fld], labels[fld] = s, lab
                cells.append((lab, s))
            for a, b in ((cells[0], cells[1]), (cells[2], cells[3])):
                rc = tb.add_row().cells
                _label_cell(rc[0], a[0])
                _value_cell(rc[1], a[1])
                _label_cell(rc[2], b[0])
                _value_cell(rc[3], b[1])
        D.table_fixed(tb, W4)
        # partners as a bullet list (List Bullet: Symbol bullet U+F0B7)
        _heading(
            doc,
            f"{n}.{k} "
            + _pick(
                rng,
                "Kooperationspartner und ihre Rolle im Vorhaben",
                "Beteiligte Partner (Verbund)",
                "Kooperationspartnerinnen und -partner",
            ),
            size=10,
            before=8,
        )
        labels["kooperationspartner"] = doc.paragraphs[-1].text
        with_roles = rng.random() < 0.6 and len(f.partner_roles) == len(f.kooperationspartner)
        if f.kooperationspartner:
            for i, name in enumerate(f.kooperationspartner):
                bp = doc.add_paragraph(style="List Bullet")
                bp.add_run(name)
                if with_roles:
                    bp.add_run(f" – {f.partner_roles[i]}")
                D.spacing(bp, 0, 1)
            written["kooperationspartner"] = list(f.kooperationspartner)
        else:
            doc.add_paragraph(
                _pick(
                    rng, "Partner werden in der Qualifizierungsphase gewonnen.", "– derzeit keine –"
                )
            )
            written["kooperationspartner"] = []

    for name in sections_order:
        (kommune_section if name == "kommune" else vorhaben_section)()

    sn = len(sections_order) + 1
    # topic fields
    style = rng.choice(("wingdings", "wingdings", "unicode"))
    # ☒/☐ (U+2612/U+2610) in every other sketch, so that each run of sketches has them
    style = "unicode" if int(re.sub(r"\D", "", f.sketch_id) or "0") % 2 == 0 else "wingdings"
    head = _pick(
        rng,
        "Zuordnung zu den Themenfeldern des Förderaufrufs",
        "Handlungsfelder (bitte ankreuzen, Mehrfachnennung möglich)",
        "In welchem Themenfeld ist das Vorhaben angesiedelt?",
    )
    _heading(doc, f"{sn}. {head}")
    labels["themenfelder"] = f"{sn}. {head}"
    for topic in TOPIC_FIELDS:
        tp = doc.add_paragraph()
        tp.paragraph_format.left_indent = Cm(0.4)
        D.spacing(tp, 0, 1)
        ticked = topic in f.themenfelder
        if style == "wingdings":
            D.sym(tp, "Wingdings", "F0FD" if ticked else "F0A8", size=11)
        else:
            r = tp.add_run("☒" if ticked else "☐")
            r.font.name = "MS Gothic"
            r.font.size = Pt(11)
        tp.add_run("  " + topic)
    written["themenfelder"] = [t for t in TOPIC_FIELDS if t in f.themenfelder]
    notes.append(f"checkbox:{style}")

    # timeline with dot leaders
    sn += 1
    _heading(doc, f"{sn}. " + _pick(rng, "Zeitplan und Meilensteine", "Zeitliche Eckpunkte"))
    tl = []
    if f.projektbeginn is not None and not start_in_table:
        lab = _pick(rng, "Vorgesehener Beginn der Umsetzung", "Start des Modellvorhabens (geplant)")
        s, d = C.fmt_date(f.projektbeginn, rng.choice(("num", "long")))
        tl.append((lab, s))
        written["projektbeginn"], labels["projektbeginn"] = s, lab
        if d != f.projektbeginn:
            overrides["projektbeginn"] = C.iso(d)
    if f.projektbeginn is not None and f.laufzeit_monate:
        m1 = add_months
        ms = m1(f.projektbeginn, max(3, f.laufzeit_monate // 4))
        tl.append(
            (
                _pick(rng, "Abschluss der Bedarfsanalyse", "Konzeptphase abgeschlossen"),
                C.fmt_date(ms, "mm/yyyy")[0],
            )
        )
        ms2 = m1(f.projektbeginn, max(6, f.laufzeit_monate * 2 // 3))
        tl.append(
            (
                _pick(rng, "Pilotbetrieb in allen Ortsteilen", "Inbetriebnahme der Lösung"),
                C.fmt_date(ms2, "mm/yyyy")[0],
            )
        )
        tl.append(
            (
                _pick(rng, "Abschlussbericht und Verstetigung", "Ende der Förderlaufzeit"),
                C.fmt_date(f.projektende, "num")[0],
            )
        )
    if not tl:
        tl.append(("Zeitplan", "wird mit dem Antrag vorgelegt"))
    for lab, val in tl:
        lp = doc.add_paragraph()
        lp.paragraph_format.tab_stops.add_tab_stop(
            Cm(13.5), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS
        )
        lp.add_run(f"{lab}\t{val}")
        D.spacing(lp, 0, 2)

    # cost plan
    sn += 1
    cost_head = _pick(
        rng,
        "Kostenplan (in €)",
        "Ausgaben- und Finanzierungsplan (Beträge in €)",
        "Kosten nach Haushaltsjahren (in €)",
    )
    _heading(doc, f"{sn}. {cost_head}")
    if f.gesamtkosten is not None and f.budget:
        years = sorted({y for b in f.budget for y in b.per_year})
        ncol = len(years) + 2
        tb = doc.add_table(rows=1, cols=ncol)
        D.table_borders(tb, 4, "7F7F7F")
        D.cell_margins(tb, left=0.1, right=0.1)
        first_w = 4.6
        other = (17.0 - first_w) / (ncol - 1)
        hdr = tb.rows[0].cells
        _label_cell(hdr[0], _pick(rng, "Ausgabenart", "Kostenposition"), size=8.5)
        for i, y in enumerate(years):
            _label_cell(hdr[i + 1], str(y), size=8.5)
            hdr[i + 1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _label_cell(hdr[-1], _pick(rng, "Summe", "gesamt"), size=8.5)
        hdr[-1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        D.repeat_header(tb.rows[0])
        for b in f.budget:
            rc = tb.add_row().cells
            D.cell_text(rc[0], b.label, size=9)
            for i, y in enumerate(years):
                v = b.per_year.get(y)
                D.cell_text(rc[i + 1], C.de_num(v) if v is not None else "–", size=9, align="right")
            D.cell_text(rc[-1], C.de_num(b.total), size=9, align="right")
        rc = tb.add_row().cells
        D.cell_text(
            rc[0],
            _pick(rng, "Zwischensumme je Haushaltsjahr", "Summe Ausgaben je Jahr"),
            size=9,
            bold=True,
        )
        for i, y in enumerate(years):
            v = round(sum(b.per_year.get(y, 0.0) for b in f.budget), 2)
            D.cell_text(rc[i + 1], C.de_num(v), size=9, bold=True, align="right")
        tot = C.de_num(f.gesamtkosten)
        D.cell_text(rc[-1], tot, size=9, bold=True, align="right")
        for _fld, val, name in (
            ("foerdersumme_eur", f.foerdersumme, "davon beantragte Zuwendung"),
            ("eigenanteil_eur", f.eigenanteil, "davon Eigenmittel der Kommune"),
        ):
            if val is None:
                continue
            rc = tb.add_row().cells
            D.cell_text(rc[0], name, size=9, italic=True)
            m = rc[1].merge(rc[-2])
            D.cell_text(m, "", size=9)
            D.cell_text(rc[-1], C.de_num(val), size=9, italic=True, align="right")
        rc = tb.add_row().cells
        D.shade_cell(rc[0], LABEL_FILL)
        D.cell_text(rc[0], _pick(rng, "Gesamtausgaben", "Gesamtsumme"), size=9, bold=True)
        m = rc[1].merge(rc[-2])
        D.cell_text(m, "", size=9)
        D.shade_cell(rc[-1], LABEL_FILL)
        D.cell_text(rc[-1], tot, size=9, bold=True, align="right")
        D.table_fixed(tb, [first_w] + [other] * (ncol - 1))
        notes.append("budget_table")
    else:
        doc.add_paragraph("Der Kostenplan wird mit dem Antrag nachgereicht.")

    # free text
    sn += 1
    _heading(
        doc,
        f"{sn}. "
        + _pick(rng, "Kurzbeschreibung des Vorhabens", "Beschreibung des Modellvorhabens"),
    )
    for j, (h, paras) in enumerate(f.sections):
        key = next((k for k in HEADINGS if k in h.lower()), None)
        hh = rng.choice(HEADINGS[key]) if key else h
        _heading(doc, f"{sn}.{j + 1} {hh}", size=10, before=6, after=2)
        for ptxt in paras:
            bp = doc.add_paragraph(ptxt)
            bp.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            D.spacing(bp, 0, 4)

    # declaration and signature with dot leaders
    sn += 1
    _heading(
        doc,
        f"{sn}. "
        + _pick(rng, "Erklärung der antragstellenden Kommune", "Bestätigung und Unterschrift"),
    )
    doc.add_paragraph(
        _pick(
            rng,
            "Die Kommune bestätigt die Richtigkeit der Angaben und die Bereitschaft, "
            "den Eigenanteil aus Haushaltsmitteln zu tragen.",
            "Wir versichern, dass die Angaben vollständig und zutreffend sind und "
            "die Finanzierung des Eigenanteils gesichert ist.",
        )
    )
    ds, dov = C.datum_text(f, rng.choice(("num", "num", "long")))
    lp = doc.add_paragraph()
    lp.paragraph_format.tab_stops.add_tab_stop(Cm(5.5), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS)
    lab = "Ort, Datum"
    lp.add_run(f"{lab}\t{C.signing_place(f)}, {ds}")
    D.spacing(lp, 10, 10)
    written["datum"], labels["datum"] = ds, lab
    if dov:
        overrides["datum"] = dov
    lp = doc.add_paragraph()
    lp.paragraph_format.tab_stops.add_tab_stop(Cm(12), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS)
    lp.add_run(_pick(rng, "Unterschrift / Dienstsiegel", "Rechtsverbindliche Unterschrift") + "\t")
    D.spacing(lp, 14, 8)

    # enclosures as a bullet list
    _heading(doc, _pick(rng, "Anlagen", "Beigefügte Unterlagen"), size=10)
    encl = [
        "Absichtserklärungen der Kooperationspartner",
        "Beschluss des Gemeinderates",
        "Übersichtskarte des Projektgebiets",
        "Detaillierter Kostenplan",
    ]
    rng.shuffle(encl)
    for e in encl[: rng.randint(2, 4)]:
        bp = doc.add_paragraph(e, style="List Bullet")
        D.spacing(bp, 0, 1)

    doc.save(str(path))
    notes.append(f"edition:{edition}")
    return Rendered(
        pdf=b"", written=written, labels=labels, omitted=omitted, overrides=overrides, notes=notes
    )
