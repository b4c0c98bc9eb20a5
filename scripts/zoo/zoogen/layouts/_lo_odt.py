"""lo_odt_columns: an ODT "Projektsteckbrief" (odfpy -> LibreOffice -> PDF).

Running header (body name) and footer ("Seite X von Y"), a boxed key-data panel in 8 pt
("Label: Wert" lines, amounts with NBSP thousands separators, start month only, period as
a month range), then the description in two justified section columns (11 pt) whose long
words carry soft hyphens, and a cost overview on the last page.

LibreOffice draws the hyphen of a soft-hyphen break as "-" in the text layer; the body
prose is set in a font (Caladea) used for nothing else and its real hyphens in another
font, so the batch renderer maps Caladea's hyphen back to U+00AD in the ToUnicode CMap
(see ``libreoffice.py``): the PDF then has U+00AD at those line ends, as Word's exports do.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from odf.opendocument import OpenDocumentText
from odf.style import (
    Column,
    Columns,
    ColumnSep,
    FontFace,
    Footer,
    FooterStyle,
    Header,
    HeaderFooterProperties,
    HeaderStyle,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    SectionProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TabStop,
    TabStops,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import LineBreak, P, PageCount, PageNumber, Section, Span, Tab

from zoogen.model import TOPIC_FIELDS, Facts, Rendered, add_months

from . import _lo_common as C

NB = "\u00a0"
BODY_FONT = "Caladea"  # only the two-column prose uses it (ToUnicode fix relies on that)
UI_FONT = "Liberation Sans"  # keeps U+00A0 in the text layer (Carlito maps it to a space)
HY_FONT = "Liberation Serif"
# geometry (cm) for the self-check
MARGIN_L, MARGIN_R, COL_GAP = 1.9, 1.9, 0.8

HEADINGS = {
    "ausgangslage": ("Ausgangslage und Bedarf", "Warum das Vorhaben nötig ist", "Problemlage"),
    "ziel": ("Ziele", "Zielbild 2024", "Was erreicht werden soll"),
    "vorgehen": ("Vorgehen und Arbeitsschritte", "Umsetzungsplan"),
    "maßnahme": ("Maßnahmenpakete", "Geplante Bausteine"),
    "übertrag": ("Übertragbarkeit", "Modellhaftigkeit"),
    "verstetig": ("Verstetigung", "Perspektive nach der Förderung"),
    "nachhaltig": ("Verstetigung", "Perspektive nach der Förderung"),
}


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def nbsp_amount(x: float) -> str:
    """412500 -> '412 500 €' with U+00A0 (thousands and before the sign)."""
    s = C.de_num(x, 0 if C.is_whole(x) else 2, sep=NB)
    return f"{s}{NB}€"


def _styles(doc: OpenDocumentText, rng: random.Random, f: Facts):
    for name, generic in ((BODY_FONT, "roman"), (UI_FONT, "swiss"), (HY_FONT, "roman")):
        doc.fontfacedecls.addElement(
            FontFace(name=name, fontfamily=name, fontfamilygeneric=generic, fontpitch="variable")
        )
    st = {}

    def pstyle(name, auto=False, family="paragraph", **kw):
        s = Style(name=name, family=family)
        pp = kw.pop("pp", None)
        tp = kw.pop("tp", None)
        if pp is not None:
            s.addElement(pp)
        if tp is not None:
            s.addElement(tp)
        (doc.automaticstyles if auto else doc.styles).addElement(s)
        st[name] = s
        return s

    lang = dict(language="de", country="DE")
    dflt = Style(name="Standard", family="paragraph")
    dflt.addElement(TextProperties(fontname=UI_FONT, fontsize="10pt", **lang))
    doc.styles.addElement(dflt)
    st["Standard"] = dflt
    pstyle(
        "Body",
        pp=ParagraphProperties(
            textalign="justify",
            justifysingleword="false",
            marginbottom="0.18cm",
            orphans="2",
            widows="2",
        ),
        tp=TextProperties(fontname=BODY_FONT, fontsize="11pt", hyphenate="false", **lang),
    )
    pstyle(
        "ColHead",
        pp=ParagraphProperties(margintop="0.25cm", marginbottom="0.1cm", keepwithnext="always"),
        tp=TextProperties(
            fontname=UI_FONT, fontsize="11.5pt", fontweight="bold", color="#1d4e6e", **lang
        ),
    )
    pstyle(
        "Kicker",
        pp=ParagraphProperties(marginbottom="0.05cm"),
        tp=TextProperties(
            fontname=UI_FONT, fontsize="9pt", color="#1d4e6e", texttransform="none", **lang
        ),
    )
    pstyle(
        "Title",
        pp=ParagraphProperties(marginbottom="0.3cm"),
        tp=TextProperties(fontname=UI_FONT, fontsize="17pt", fontweight="bold", **lang),
    )
    pstyle(
        "Panel",
        pp=ParagraphProperties(marginbottom="0.04cm"),
        tp=TextProperties(fontname=UI_FONT, fontsize="8pt", **lang),
    )
    pstyle(
        "PanelHead",
        pp=ParagraphProperties(marginbottom="0.08cm"),
        tp=TextProperties(
            fontname=UI_FONT, fontsize="8.5pt", fontweight="bold", color="#1d4e6e", **lang
        ),
    )
    hf_tabs = ParagraphProperties()
    ts = TabStops()
    ts.addElement(TabStop(position="17.2cm", type="right"))
    hf_tabs.addElement(ts)
    pstyle(
        "HF",
        pp=hf_tabs,
        tp=TextProperties(fontname=UI_FONT, fontsize="8pt", color="#444444", **lang),
    )
    pstyle(
        "Cell",
        pp=ParagraphProperties(),
        tp=TextProperties(fontname=UI_FONT, fontsize="9pt", **lang),
    )
    pstyle(
        "CellR",
        pp=ParagraphProperties(textalign="end"),
        tp=TextProperties(fontname=UI_FONT, fontsize="9pt", **lang),
    )
    pstyle(
        "Head2",
        pp=ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm", keepwithnext="always"),
        tp=TextProperties(fontname=UI_FONT, fontsize="12pt", fontweight="bold", **lang),
    )
    pstyle(
        "Plain",
        pp=ParagraphProperties(marginbottom="0.15cm"),
        tp=TextProperties(fontname=UI_FONT, fontsize="10pt", **lang),
    )
    brk = Style(name="PB", family="paragraph", parentstylename="Head2")
    brk.addElement(ParagraphProperties(breakbefore="page"))
    doc.automaticstyles.addElement(brk)
    st["PB"] = brk
    pstyle("B", auto=True, family="text", tp=TextProperties(fontweight="bold"))
    pstyle("Hy", auto=True, family="text", tp=TextProperties(fontname=HY_FONT))

    # panel table + cells
    tstyle = Style(name="PanelT", family="table")
    tstyle.addElement(
        TableProperties(width="17.2cm", align="margins", margintop="0.1cm", marginbottom="0.45cm")
    )
    doc.automaticstyles.addElement(tstyle)
    st["PanelT"] = tstyle
    for i, w in enumerate(("8.6cm", "8.6cm")):
        cs = Style(name=f"PanelT.{'AB'[i]}", family="table-column")
        cs.addElement(TableColumnProperties(columnwidth=w))
        doc.automaticstyles.addElement(cs)
        st[cs.getAttribute("name")] = cs
    fill = rng.choice(("#eef3f7", "#f4f1ea", "#f0f0f0"))
    line = "0.5pt solid #5b7c99"
    for name, _left in (("PanelT.A1", line), ("PanelT.B1", "none")):
        cs = Style(name=name, family="table-cell")
        cs.addElement(
            TableCellProperties(
                backgroundcolor=fill,
                padding="0.18cm",
                bordertop=line,
                borderbottom=line,
                borderleft=line,
                borderright=line if name.endswith("B1") else "none",
            )
        )
        doc.automaticstyles.addElement(cs)
        st[name] = cs
    # cost table
    ct = Style(name="CostT", family="table")
    ct.addElement(TableProperties(width="17.2cm", align="margins", marginbottom="0.3cm"))
    doc.automaticstyles.addElement(ct)
    st["CostT"] = ct
    cc = Style(name="CostT.C", family="table-cell")
    cc.addElement(
        TableCellProperties(
            padding="0.08cm",
            borderbottom="0.5pt solid #9aa9b5",
            bordertop="none",
            borderleft="none",
            borderright="none",
        )
    )
    doc.automaticstyles.addElement(cc)
    st["CostT.C"] = cc
    ch = Style(name="CostT.H", family="table-cell")
    ch.addElement(
        TableCellProperties(
            padding="0.08cm",
            backgroundcolor="#dfe8ef",
            borderbottom="0.8pt solid #1d4e6e",
            bordertop="none",
            borderleft="none",
            borderright="none",
        )
    )
    doc.automaticstyles.addElement(ch)
    st["CostT.H"] = ch

    # two columns
    sec = Style(name="Cols", family="section")
    sp = SectionProperties(editable="false")
    cols = Columns(columncount="2", columngap=f"{COL_GAP}cm")
    if rng.random() < 0.5:
        cols.addElement(
            ColumnSep(
                width="0.3pt", color="#8a8a8a", height="100%", verticalalign="top", style="solid"
            )
        )
    half = COL_GAP / 2
    cols.addElement(Column(relwidth="1*", startindent="0cm", endindent=f"{half}cm"))
    cols.addElement(Column(relwidth="1*", startindent=f"{half}cm", endindent="0cm"))
    sp.addElement(cols)
    sec.addElement(sp)
    doc.automaticstyles.addElement(sec)
    st["Cols"] = sec

    # page
    pl = PageLayout(name="PL1")
    pl.addElement(
        PageLayoutProperties(
            pagewidth="21cm",
            pageheight="29.7cm",
            printorientation="portrait",
            margintop="1.2cm",
            marginbottom="1.2cm",
            marginleft=f"{MARGIN_L}cm",
            marginright=f"{MARGIN_R}cm",
        )
    )
    hs = HeaderStyle()
    hs.addElement(
        HeaderFooterProperties(
            minheight="0.6cm",
            marginbottom="0.5cm",
            borderbottom="0.5pt solid #1d4e6e",
            paddingbottom="0.1cm",
        )
    )
    pl.addElement(hs)
    fs = FooterStyle()
    fs.addElement(
        HeaderFooterProperties(
            minheight="0.6cm",
            margintop="0.4cm",
            bordertop="0.5pt solid #1d4e6e",
            paddingtop="0.1cm",
        )
    )
    pl.addElement(fs)
    doc.automaticstyles.addElement(pl)
    st["PL1"] = pl
    return st


def _body_par(text: str, st) -> P:
    """A justified body paragraph: soft hyphens in long words, real hyphens in another font."""
    p = P(stylename=st["Body"])
    t = C.soft_hyphenate(text)
    parts = re.split(r"(-)", t)
    for part in parts:
        if part == "-":
            p.addElement(Span(stylename=st["Hy"], text="-"))
        elif part:
            p.addText(part)
    return p


def _panel_line(st, label: str, value: str) -> P:
    p = P(stylename=st["Panel"])
    p.addElement(Span(stylename=st["B"], text=f"{label}:"))
    p.addText(" " + value)
    return p


def build(f: Facts, path: Path) -> Rendered:
    rng = C.rng_for(f)
    written: dict = {}
    labels: dict = {}
    omitted: set[str] = set()
    overrides: dict = {}
    notes: list[str] = []

    doc = OpenDocumentText()
    st = _styles(doc, rng, f)

    # running header / footer
    ds, dov = C.datum_text(f, rng.choice(("num", "num", "long")))
    written["datum"] = ds
    if dov:
        overrides["datum"] = dov
    mp = MasterPage(name="Standard", pagelayoutname=st["PL1"])
    hdr = Header()
    hp = P(stylename=st["HF"])
    hp.addText(f.antragsteller or "Verwaltung")
    hp.addElement(Tab())
    hp.addText(
        _pick(
            rng,
            "Projektsteckbrief „Heimat 2.0“",
            "Steckbrief Modellvorhaben",
            "Heimat 2.0 – Kurzdarstellung",
        )
    )
    hdr.addElement(hp)
    mp.addElement(hdr)
    ftr = Footer()
    fp = P(stylename=st["HF"])
    dlab = _pick(rng, "Stand", "Fassung vom")
    fp.addText(f"{dlab}: {ds}")
    labels["datum"] = dlab
    fp.addElement(Tab())
    fp.addText("Seite ")
    fp.addElement(PageNumber(selectpage="current", text="1"))
    fp.addText(" von ")
    fp.addElement(PageCount(text="2"))
    ftr.addElement(fp)
    mp.addElement(ftr)
    doc.masterstyles.addElement(mp)

    body = doc.text
    body.addElement(
        P(
            stylename=st["Kicker"],
            text=_pick(
                rng,
                "Projektsteckbrief · Förderaufruf „Heimat 2.0“",
                "Modellvorhaben Heimat 2.0 – Steckbrief",
                "Kurzprofil des geplanten Modellvorhabens",
            ),
        )
    )
    body.addElement(P(stylename=st["Title"], text=f.projekttitel))
    written["projekttitel"], labels["projekttitel"] = f.projekttitel, ""

    # ---- key-data panel (8 pt, boxed)
    tb = Table(name="Eckdaten", stylename=st["PanelT"])
    tb.addElement(TableColumn(stylename=st["PanelT.A"]))
    tb.addElement(TableColumn(stylename=st["PanelT.B"]))
    tr = TableRow()
    left = TableCell(stylename=st["PanelT.A1"], valuetype="string")
    right = TableCell(stylename=st["PanelT.B1"], valuetype="string")
    tr.addElement(left)
    tr.addElement(right)
    tb.addElement(tr)

    left.addElement(
        P(
            stylename=st["PanelHead"],
            text=_pick(rng, "Träger und Kontakt", "Antragstellerin", "Wer stellt den Antrag?"),
        )
    )
    L = []
    lab = _pick(
        rng, "Trägerkommune", "Antragstellende Gebietskörperschaft", "Kommune (Antragstellerin)"
    )
    if f.antragsteller:
        L.append((lab, f.antragsteller))
        written["antragsteller"], labels["antragsteller"] = f.antragsteller, lab
    lab = _pick(rng, "Verwaltungsform", "Körperschaftstyp")
    if f.antragsteller:  # no applicant in the Facts: no type either
        L.append((lab, f.body_word))
        written["koerperschaft_typ"], labels["koerperschaft_typ"] = f.body_word, lab
    lab = _pick(rng, "Verwaltungssitz", "Anschrift der Verwaltung")
    L.append((lab, f"{f.street}, {f.plz} {f.ort}"))
    written["plz"], labels["plz"] = f.plz, lab
    lab = _pick(rng, "Landkreis/Kreis", "Kreisgebiet", "Zugehöriger Kreis")
    L.append((lab, f.landkreis_written))
    written["landkreis"], labels["landkreis"] = f.landkreis_written, lab
    lab = _pick(rng, "Bundesland", "Land")
    L.append((lab, f.bundesland))
    written["bundesland"], labels["bundesland"] = f.bundesland, lab
    if f.einwohnerzahl is not None and (
        rng.random() < 0.85 or "invalid_population" in f.violations
    ):
        lab = _pick(rng, "Bevölkerungszahl", "Einwohnerstand (31.12.2019)", "Einwohnerzahl")
        ew = C.de_int(f.einwohnerzahl, sep=NB) if rng.random() < 0.6 else C.de_int(f.einwohnerzahl)
        L.append((lab, ew))
        written["einwohnerzahl"], labels["einwohnerzahl"] = ew, lab
    elif f.einwohnerzahl is not None:
        omitted.add("einwohnerzahl")
    if f.ansprechperson:
        lab = _pick(rng, "Kontaktperson", "Projektverantwortung", "Ansprechperson vor Ort")
        L.append((lab, f"{f.ansprechperson.name}, {f.funktion}"))
        written["ansprechperson"], labels["ansprechperson"] = f.ansprechperson.name, lab
    if f.telefon:
        lab = _pick(rng, "Tel.", "Telefonnummer", "Fon")
        L.append((lab, f.telefon))
        written["telefon"], labels["telefon"] = f.telefon, lab
    if f.email:
        lab = _pick(rng, "E-Mail", "Mail")
        L.append((lab, f.email))
        written["email"], labels["email"] = f.email, lab
    if rng.random() < 0.4:  # contact first, then the body's data
        k = next((i for i, (a, _) in enumerate(L) if a == labels.get("ansprechperson")), None)
        if k is not None:
            L = L[k:] + L[:k]
    for a, b in L:
        left.addElement(_panel_line(st, a, b))

    right.addElement(
        P(
            stylename=st["PanelHead"],
            text=_pick(rng, "Eckdaten des Vorhabens", "Das Vorhaben in Zahlen", "Projektdaten"),
        )
    )
    R = []
    if f.akronym:
        if rng.random() < 0.8 or f.akronym in f.projekttitel:
            lab = _pick(rng, "Kurzname", "Projektkürzel")
            R.append((lab, f.akronym))
            written["akronym"], labels["akronym"] = f.akronym, lab
        else:
            omitted.add("akronym")
    ms = None
    if f.projektbeginn is not None:
        lab = _pick(rng, "Projektstart", "Vorhabenbeginn", "Startzeitpunkt")
        ms, md = C.fmt_date(f.projektbeginn, "month")
        R.append((lab, f"ab {ms}"))
        written["projektbeginn"], labels["projektbeginn"] = ms, lab
        if md != f.projektbeginn:
            overrides["projektbeginn"] = C.iso(md)
    if f.laufzeit_monate:
        lab = _pick(rng, "Förderzeitraum", "Projektzeitraum", "Durchführungszeitraum")
        if f.projektbeginn is not None:
            s1 = f.projektbeginn.replace(day=1)
            end = add_months(s1, f.laufzeit_monate - 1)
            if rng.random() < 0.65:
                rs = f"{s1.month:02d}/{s1.year} – {end.month:02d}/{end.year}"
            else:
                rs = f"{C.MONTHS[s1.month - 1]} {s1.year} bis {C.MONTHS[end.month - 1]} {end.year}"
            months = C.months_between_inclusive(s1, end)
            if months != f.laufzeit_monate:
                overrides["laufzeit_monate"] = months
            R.append((lab, rs))
            written["laufzeit_monate"] = rs
            notes.append("date_range")
        else:
            rs = f"{f.laufzeit_monate} Monate"
            R.append((_pick(rng, "Laufzeit", "Dauer"), rs))
            written["laufzeit_monate"] = rs
        labels["laufzeit_monate"] = lab
    for fld, val, opts in (
        (
            "gesamtkosten_eur",
            f.gesamtkosten,
            ("Projektkosten gesamt", "Gesamtbudget", "Kostenrahmen insgesamt"),
        ),
        (
            "foerdersumme_eur",
            f.foerdersumme,
            ("Förderbedarf", "Zuwendungsbedarf", "Beantragte Bundesmittel"),
        ),
        (
            "eigenanteil_eur",
            f.eigenanteil,
            ("Eigenmittel der Kommune", "Kofinanzierung (Eigenanteil)"),
        ),
    ):
        if val is None:
            continue
        lab = _pick(rng, *opts)
        s = nbsp_amount(val)
        R.append((lab, s))
        written[fld], labels[fld] = s, lab
    if rng.random() < 0.5:  # money before dates
        money = [
            x
            for x in R
            if x[0]
            in (
                labels.get("gesamtkosten_eur"),
                labels.get("foerdersumme_eur"),
                labels.get("eigenanteil_eur"),
            )
        ]
        R = [x for x in R if x not in money][:1] + money + [x for x in R if x not in money][1:]
    for a, b in R:
        right.addElement(_panel_line(st, a, b))
    if f.kooperationspartner:
        lab = _pick(rng, "Verbundpartner", "Kooperationspartner", "Partner im Netzwerk")
        right.addElement(_panel_line(st, lab, ""))
        for name in f.kooperationspartner:
            right.addElement(P(stylename=st["Panel"], text=f"– {name}"))
        labels["kooperationspartner"] = lab
    written["kooperationspartner"] = list(f.kooperationspartner)
    decl = [t for t in TOPIC_FIELDS if t in f.themenfelder]
    if decl:
        lab = _pick(rng, "Themenfeld(er) laut Aufruf", "Zugeordnete Themenfelder")
        right.addElement(_panel_line(st, lab, "; ".join(decl)))
        labels["themenfelder"] = lab
    written["themenfelder"] = decl
    body.addElement(tb)

    # ---- two justified columns
    sec = Section(name="Beschreibung", stylename=st["Cols"])
    for h, paras in f.sections:
        key = next((k for k in HEADINGS if k in h.lower()), None)
        sec.addElement(P(stylename=st["ColHead"], text=rng.choice(HEADINGS[key]) if key else h))
        for ptxt in paras:
            sec.addElement(_body_par(ptxt, st))
    body.addElement(sec)

    # ---- last page: cost overview (amounts with NBSP) and sign-off
    body.addElement(
        P(
            stylename=st["PB"],
            text=_pick(rng, "Kosten- und Finanzierungsübersicht", "Ausgabenplanung nach Jahren"),
        )
    )
    if f.gesamtkosten is not None and f.budget:
        years = sorted({y for b in f.budget for y in b.per_year})
        ct = Table(name="Kosten", stylename=st["CostT"])
        ct.addElement(TableColumn(numbercolumnsrepeated=str(len(years) + 2)))
        row = TableRow()
        for i, txt in enumerate(["Position"] + [str(y) for y in years] + ["Summe"]):
            c = TableCell(stylename=st["CostT.H"], valuetype="string")
            c.addElement(P(stylename=st["Cell" if i == 0 else "CellR"], text=txt))
            row.addElement(c)
        ct.addElement(row)
        lines = [(b.label, [b.per_year.get(y) for y in years], b.total) for b in f.budget]
        lines.append(
            (
                "Summe",
                [round(sum(b.per_year.get(y, 0) for b in f.budget), 2) for y in years],
                f.gesamtkosten,
            )
        )
        for lab, vals, tot in lines:
            row = TableRow()
            c = TableCell(stylename=st["CostT.C"], valuetype="string")
            c.addElement(P(stylename=st["Cell"], text=lab))
            row.addElement(c)
            for v in [*vals, tot]:
                c = TableCell(stylename=st["CostT.C"], valuetype="string")
                c.addElement(
                    P(stylename=st["CellR"], text=nbsp_amount(v) if v is not None else "–")
                )
                row.addElement(c)
            ct.addElement(row)
        body.addElement(ct)
    fin = []
    if f.foerdersumme is not None:
        fin.append(f"Zuwendung aus Bundesmitteln: {nbsp_amount(f.foerdersumme)}")
    if f.eigenanteil is not None:
        fin.append(f"kommunaler Eigenanteil: {nbsp_amount(f.eigenanteil)}")
    if fin:
        body.addElement(P(stylename=st["Plain"], text="Finanzierung – " + "; ".join(fin) + "."))
    p = P(stylename=st["Plain"])
    p.addText(f"{C.signing_place(f)}, {ds}")
    if f.antragsteller:
        p.addElement(LineBreak())
        p.addText(f.antragsteller)
    body.addElement(p)

    doc.save(str(path))
    return Rendered(
        pdf=b"", written=written, labels=labels, omitted=omitted, overrides=overrides, notes=notes
    )
