"""lo_calc_sheet: a spreadsheet sketch (openpyxl -> LibreOffice Calc -> PDF).

What municipalities often send: labels in column A, values in column B (merged to the
right), some labels in a merged row above their value, "Laufzeit (in Monaten)" with a bare
number below, the topic fields as a list with "X" or ☒/☐ next to them, a
"Finanzierungsplan in €" with bare amounts per year, subtotals and a total, and the free
text in merged, wrapped cells. Page setup: A4, fit to one page wide, printed gridlines or
cell borders. Number formats carry the German locale ([$-407]) so Calc prints 412.500,00.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zoogen.model import TOPIC_FIELDS, Facts, Rendered

from . import _lo_common as C

NUM2 = "[$-407]#,##0.00"
NUM0 = "[$-407]#,##0"
DATE = "[$-407]DD.MM.YYYY"
MONTH = "[$-407]MMMM YYYY"


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def build(f: Facts, path: Path) -> Rendered:
    rng = C.rng_for(f)
    when = C.created_at(f, rng)
    written: dict = {}
    labels: dict = {}
    omitted: set[str] = set()
    overrides: dict = {}
    notes: list[str] = []

    years = sorted({y for b in f.budget for y in b.per_year}) if f.budget else []
    ncols = max(6, len(years) + 2)
    last = get_column_letter(ncols)
    wb = openpyxl.Workbook()
    wb.properties.creator = f.antragsteller or "Verwaltung"
    wb.properties.created = when
    wb.properties.modified = when
    ws = wb.active
    ws.title = _pick(rng, "Projektskizze", "Skizze", "Heimat 2.0")
    ws.column_dimensions["A"].width = 42
    for i in range(2, ncols + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14 if ncols <= 6 else 12.5
    total_chars = 42 + (ncols - 1) * (14 if ncols <= 6 else 12.5)

    grid = rng.random() < 0.5
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor=rng.choice(("DDEBF7", "E2EFDA", "FCE4D6", "EDEDED")))
    lab_font = Font(name="Calibri", size=10)
    val_font = Font(name="Calibri", size=10)
    bold = Font(name="Calibri", size=10, bold=True)
    notes.append("gridlines" if grid else "borders")

    row = [1]

    def nxt() -> int:
        r = row[0]
        row[0] += 1
        return r

    def style_row(r: int, first: int = 1, lastc: int = ncols):
        if not grid:
            for c in range(first, lastc + 1):
                ws.cell(r, c).border = box

    def merged(
        r: int,
        text,
        font=val_font,
        first=1,
        wrap=False,
        height=None,
        fill=None,
        fmt=None,
        align="left",
    ):
        ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=ncols)
        cell = ws.cell(r, first, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=wrap, vertical="top", horizontal=align)
        if fmt:
            cell.number_format = fmt
        if fill:
            for c in range(first, ncols + 1):
                ws.cell(r, c).fill = fill
        if height:
            ws.row_dimensions[r].height = height
        style_row(r, 1)
        return cell

    def section(text: str):
        nxt()
        r = nxt()
        merged(r, text, font=Font(name="Calibri", size=11, bold=True), fill=head_fill)

    def pair(label: str, value, fmt=None, align="left"):
        r = nxt()
        a = ws.cell(r, 1, label)
        a.font = lab_font
        a.alignment = Alignment(vertical="top", wrap_text=True)
        merged(r, value, first=2, fmt=fmt, align=align)
        if len(label) > 44:
            ws.row_dimensions[r].height = 27
        style_row(r)
        return r

    def text_height(text: str, size=10) -> float:
        per_line = total_chars * 1.12 * (10 / size)
        lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
        return round(lines * 13.2 * size / 10 + 5, 1)

    # ---- title
    r = nxt()
    merged(
        r,
        _pick(
            rng,
            "Projektskizze zum Förderaufruf „Heimat 2.0“",
            "Heimat 2.0 – Skizze Modellvorhaben",
            "Bewerbung Modellvorhaben Heimat 2.0",
        ),
        font=Font(name="Calibri", size=15, bold=True),
        height=22,
    )
    r = nxt()
    merged(
        r,
        _pick(
            rng,
            "Eingabemaske der Kommune – bitte als PDF einreichen",
            "Erfassungsbogen (Stand der Angaben siehe Datum)",
            "Angaben der antragstellenden Kommune",
        ),
        font=Font(name="Calibri", size=9, italic=True),
    )

    sections = ["kommune", "kontakt", "projekt"]
    if rng.random() < 0.4:
        sections = ["projekt", "kommune", "kontakt"]
    sn = [0]

    def numbered(txt: str) -> str:
        sn[0] += 1
        return f"{sn[0]}. {txt}"

    def kommune():
        section(numbered(_pick(rng, "Antragsteller", "Angaben zur Kommune")))
        lab = _pick(rng, "Antragstellende Körperschaft", "Name der antragstellenden Kommune")
        pair(lab, f.antragsteller or "")
        if f.antragsteller:
            written["antragsteller"], labels["antragsteller"] = f.antragsteller, lab
        lab = _pick(rng, "Typ der Körperschaft", "Art der Kommune (Gemeinde, Stadt, Amt …)")
        pair(lab, f.body_word if f.antragsteller else "")
        if f.antragsteller:  # no applicant in the Facts: no type either
            written["koerperschaft_typ"], labels["koerperschaft_typ"] = f.body_word, lab
        pair(_pick(rng, "Straße, Hausnummer", "Anschrift (Straße)"), f.street)
        lab = _pick(rng, "Postleitzahl", "PLZ")
        pair(lab, f.plz)
        written["plz"], labels["plz"] = f.plz, lab
        pair("Ort", f.ort)
        lab = _pick(rng, "Landkreis", "Zugehöriger Landkreis")
        pair(lab, f.landkreis_written)
        written["landkreis"], labels["landkreis"] = f.landkreis_written, lab
        lab = "Bundesland"
        pair(lab, f.bundesland)
        written["bundesland"], labels["bundesland"] = f.bundesland, lab
        if f.einwohnerzahl is not None and (
            rng.random() < 0.85 or "invalid_population" in f.violations
        ):
            lab = _pick(rng, "Einwohnerzahl (31.12.2019)", "Einwohner gesamt")
            fmt = NUM0 if rng.random() < 0.6 else "0"
            pair(lab, f.einwohnerzahl, fmt=fmt, align="left")
            ew = C.de_int(f.einwohnerzahl) if fmt == NUM0 else str(f.einwohnerzahl)
            written["einwohnerzahl"], labels["einwohnerzahl"] = ew, lab
        elif f.einwohnerzahl is not None:
            omitted.add("einwohnerzahl")

    def kontakt():
        section(numbered(_pick(rng, "Ansprechperson", "Kontakt für Rückfragen")))
        p = f.ansprechperson
        lab = _pick(rng, "Name der Ansprechperson", "Ansprechperson (Vor- und Nachname)")
        pair(lab, p.name if p else "")
        if p:
            written["ansprechperson"], labels["ansprechperson"] = p.name, lab
        pair(_pick(rng, "Funktion / Stelle", "Dienststellung / Funktion"), f.funktion if p else "")
        lab = _pick(rng, "Telefon (Durchwahl)", "Telefonnummer")
        pair(lab, f.telefon or "")
        if f.telefon:
            written["telefon"], labels["telefon"] = f.telefon, lab
        lab = _pick(rng, "E-Mail-Adresse", "E-Mail (dienstlich)")
        pair(lab, f.email or "")
        if f.email:
            written["email"], labels["email"] = f.email, lab

    def projekt():
        section(numbered(_pick(rng, "Projekt", "Angaben zum Modellvorhaben")))
        lab = _pick(rng, "Projekttitel (max. 150 Zeichen)", "Titel des Modellvorhabens")
        r = nxt()
        merged(r, lab, font=Font(name="Calibri", size=9, bold=True, color="404040"))
        r = nxt()
        merged(
            r,
            f.projekttitel,
            font=Font(name="Calibri", size=11, bold=True),
            wrap=True,
            height=text_height(f.projekttitel, 11),
        )
        written["projekttitel"], labels["projekttitel"] = f.projekttitel, lab
        notes.append("title:next_row")
        lab = _pick(rng, "Akronym / Kurzbezeichnung", "Projektakronym")
        if f.akronym and (rng.random() < 0.85 or f.akronym in f.projekttitel):
            pair(lab, f.akronym)
            written["akronym"], labels["akronym"] = f.akronym, lab
        else:
            pair(lab, "")
            if f.akronym:
                omitted.add("akronym")
        if f.projektbeginn is not None:
            lab = _pick(rng, "Geplanter Projektbeginn", "Projektstart (geplant)")
            if rng.random() < 0.3:
                pair(lab, f.projektbeginn, fmt=MONTH)
                s, d = C.fmt_date(f.projektbeginn, "month")
            else:
                pair(lab, f.projektbeginn, fmt=DATE)
                s, d = C.fmt_date(f.projektbeginn, "num")
            written["projektbeginn"], labels["projektbeginn"] = s, lab
            if d != f.projektbeginn:
                overrides["projektbeginn"] = C.iso(d)
        lab = _pick(
            rng,
            "Laufzeit (in Monaten)",
            "Projektlaufzeit (in Monaten)",
            "Dauer des Vorhabens (in Monaten)",
        )
        r = nxt()
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.cell(r, 1, lab).font = bold
        style_row(r, 1, 2)
        r = nxt()
        if f.laufzeit_monate is not None:
            c = ws.cell(r, 1, f.laufzeit_monate)
            written["laufzeit_monate"], labels["laufzeit_monate"] = str(f.laufzeit_monate), lab
        else:
            c = ws.cell(r, 1, None)
        c.alignment = Alignment(horizontal="left")
        c.font = val_font
        style_row(r, 1, 1)
        # partners
        nxt()
        r = nxt()
        plab = _pick(rng, "Kooperationspartner", "Partnerorganisationen", "Beteiligte Partner")
        ws.cell(r, 1, plab).font = bold
        merged(r, "Rolle im Vorhaben", font=bold, first=2)
        style_row(r)
        labels["kooperationspartner"] = plab
        roles = len(f.partner_roles) == len(f.kooperationspartner)
        for i, name in enumerate(f.kooperationspartner or ()):
            r = nxt()
            c = ws.cell(r, 1, name)
            c.font = val_font
            c.alignment = Alignment(wrap_text=True, vertical="top")
            merged(r, f.partner_roles[i] if roles else "", first=2)
            if len(name) > 44:
                ws.row_dimensions[r].height = 27
            style_row(r)
        if not f.kooperationspartner:
            r = nxt()
            ws.cell(r, 1, "–").font = val_font
            style_row(r)
        written["kooperationspartner"] = list(f.kooperationspartner)

    for s in sections:
        {"kommune": kommune, "kontakt": kontakt, "projekt": projekt}[s]()

    # ---- topic fields
    cb = "x" if rng.random() < 1 / 3 else "box"
    tlab = numbered(
        _pick(
            rng,
            "Themenfelder des Förderaufrufs (zutreffende ankreuzen)",
            "Zuordnung Themenfeld (Mehrfachauswahl möglich)",
        )
    )
    section(tlab)
    labels["themenfelder"] = tlab
    for t in TOPIC_FIELDS:
        r = nxt()
        ws.cell(r, 1, t).font = lab_font
        ticked = t in f.themenfelder
        mark = ("X" if ticked else None) if cb == "x" else ("☒" if ticked else "☐")
        c = ws.cell(r, 2, mark)
        c.alignment = Alignment(horizontal="center")
        c.font = Font(name="Calibri", size=11, bold=cb == "x")
        style_row(r, 1, 2)
    written["themenfelder"] = [t for t in TOPIC_FIELDS if t in f.themenfelder]
    notes.append(f"checkbox:{cb}")

    # ---- financing plan
    flab = numbered(
        _pick(
            rng,
            "Finanzierungsplan in €",
            "Finanzierungsplan (alle Beträge in €)",
            "Kosten- und Finanzierungsplan in €",
        )
    )
    section(flab)
    if f.gesamtkosten is not None and f.budget:
        vals = [v for b in f.budget for v in b.per_year.values()] + [f.gesamtkosten]
        vals += [v for v in (f.foerdersumme, f.eigenanteil) if v is not None]
        fmt = NUM0 if all(C.is_whole(v) for v in vals) and rng.random() < 0.4 else NUM2
        dec = 0 if fmt == NUM0 else 2

        def money(v):
            return C.de_num(v, dec)

        r = nxt()
        hdr = [_pick(rng, "Ausgabenart", "Kostenposition")] + [str(y) for y in years]
        hdr += [""] * (ncols - 2 - len(years)) + ["Summe"]
        for i, h in enumerate(hdr):
            c = ws.cell(r, i + 1, h)
            c.font = bold
            c.fill = head_fill
            if i:
                c.alignment = Alignment(horizontal="right")
        style_row(r)
        for b in f.budget:
            r = nxt()
            ws.cell(r, 1, b.label).font = val_font
            for i, y in enumerate(years):
                v = b.per_year.get(y)
                c = ws.cell(r, i + 2, v)
                c.number_format = fmt
            c = ws.cell(r, ncols, b.total)
            c.number_format = fmt
            style_row(r)
        r = nxt()
        ws.cell(r, 1, _pick(rng, "Zwischensumme Ausgaben", "Summe je Jahr")).font = bold
        for i, y in enumerate(years):
            c = ws.cell(r, i + 2, round(sum(b.per_year.get(y, 0.0) for b in f.budget), 2))
            c.number_format = fmt
            c.font = bold
        c = ws.cell(r, ncols, f.gesamtkosten)
        c.number_format = fmt
        c.font = bold
        style_row(r)
        for fld, val, lab in (
            (
                "foerdersumme_eur",
                f.foerdersumme,
                _pick(rng, "davon beantragte Zuwendung", "davon Fördermittel Bund"),
            ),
            (
                "eigenanteil_eur",
                f.eigenanteil,
                _pick(rng, "davon Eigenanteil der Kommune", "davon Eigenmittel"),
            ),
        ):
            if val is None:
                continue
            r = nxt()
            ws.cell(r, 1, lab).font = Font(name="Calibri", size=10, italic=True)
            c = ws.cell(r, ncols, val)
            c.number_format = fmt
            c.font = Font(name="Calibri", size=10, italic=True)
            style_row(r)
            written[fld], labels[fld] = money(val), lab
        r = nxt()
        glab = _pick(rng, "Gesamtausgaben", "Gesamtkosten des Vorhabens")
        ws.cell(r, 1, glab).font = bold
        c = ws.cell(r, ncols, f.gesamtkosten)
        c.number_format = fmt
        c.font = bold
        dbl = Side(style="double", color="000000")
        for cc in range(1, ncols + 1):
            ws.cell(r, cc).border = Border(
                top=thin,
                bottom=dbl,
                left=thin if not grid else None,
                right=thin if not grid else None,
            )
        written["gesamtkosten_eur"], labels["gesamtkosten_eur"] = money(f.gesamtkosten), glab
        notes.append("budget_table")
    else:
        for fld, val, lab in (
            ("foerdersumme_eur", f.foerdersumme, "beantragte Zuwendung"),
            ("eigenanteil_eur", f.eigenanteil, "Eigenanteil"),
        ):
            if val is not None:
                pair(lab, val, fmt=NUM2, align="right")
                written[fld], labels[fld] = C.de_num(val, 2), lab

    # ---- free text
    section(numbered(_pick(rng, "Kurzbeschreibung", "Beschreibung des Vorhabens")))
    for h, paras in f.sections:
        r = nxt()
        merged(r, h, font=bold)
        for ptxt in paras:
            r = nxt()
            merged(r, ptxt, wrap=True, height=text_height(ptxt))

    # ---- date
    nxt()
    dlab = _pick(rng, "Datum", "Datum der Skizze", "Ort, Datum")
    ds, dov = C.datum_text(f, "num")
    r = nxt()
    ws.cell(r, 1, dlab).font = bold
    if dlab == "Ort, Datum":
        merged(r, f"{C.signing_place(f)}, {ds}", first=2)
    elif f.datum_written_invalid:
        merged(r, ds, first=2)
    else:
        merged(r, f.datum, first=2, fmt=DATE, align="left")
    style_row(r)
    written["datum"], labels["datum"] = ds, dlab
    if dov:
        overrides["datum"] = dov

    # ---- page setup
    ws.print_options.gridLines = grid
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_area = f"A1:{last}{row[0]}"
    ws.oddHeader.right.text = f.antragsteller or "Projektskizze Heimat 2.0"
    ws.oddHeader.right.size = 8
    ws.oddFooter.center.text = "Seite &P von &N"
    ws.oddFooter.center.size = 8
    wb.save(str(path))
    return Rendered(
        pdf=b"", written=written, labels=labels, omitted=omitted, overrides=overrides, notes=notes
    )
