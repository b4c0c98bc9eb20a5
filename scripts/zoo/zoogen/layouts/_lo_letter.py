"""lo_docx_letter: cover letter + sketch in one Word document (python-docx -> LibreOffice).

Page 1 is a letter on letterhead (the body's name and head in the page header, a sender
line above the recipient), a shaded narrow information column (Word frame) on the right
or left with the contact, phone, e-mail and "Unser Zeichen", and almost all values in
running sentences. The signature block puts the municipality's name above the head's
name. From page 2 (own section, full width) the sketch text follows.
"""

from __future__ import annotations

import random
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Inches, Pt, RGBColor

from zoogen.model import TOPIC_FIELDS, Facts, Rendered, add_months

from . import _lo_common as C
from . import _lo_docx as D

PAGE_W = 21.0
# geometry of page 1 (cm): body and sidebar, used by the self-check too
RIGHT = dict(body=(2.4, 14.6), side=(15.5, 19.9))
LEFT = dict(body=(6.6, 19.0), side=(1.1, 5.5))
SIDE_Y = 4.9

HEADINGS = {
    "ausgangslage": ("Hintergrund", "Die Situation vor Ort", "Ausgangssituation"),
    "ziel": ("Was wir erreichen wollen", "Ziele des Vorhabens"),
    "vorgehen": ("Wie wir vorgehen wollen", "Umsetzung in Schritten"),
    "maßnahme": ("Maßnahmen", "Bausteine des Vorhabens"),
    "übertrag": ("Übertragbarkeit", "Nutzen für andere Kommunen"),
    "verstetig": ("Nach der Förderung", "Verstetigung"),
    "nachhaltig": ("Nach der Förderung", "Verstetigung"),
}

FILLS = ("E4ECF4", "EEEEEE", "E8F0E4", "F3EBDD")
INK = ("1F3864", "2E4A2E", "5A1E1E", "333333")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def _loc(f: Facts, rng: random.Random) -> str:
    if f.koerperschaft_typ == "Landkreis":
        return f"({f.bundesland})"
    lk = f.landkreis_written
    prep = "in der" if lk.split()[0] in ("Region", "Städteregion") else "im"
    return rng.choice((f"{prep} {lk} ({f.bundesland})", f"{prep} {lk}, {f.bundesland},"))


def _dative(art: str) -> str:
    return "In der" if art == "die" else "Im"


def build(f: Facts, path: Path) -> Rendered:
    rng = C.rng_for(f)
    when = C.created_at(f, rng)
    written: dict = {}
    labels: dict = {}
    omitted: set[str] = set()
    overrides: dict = {}
    notes: list[str] = []

    font = rng.choice(("Calibri", "Cambria", "Arial"))
    side = "right" if rng.random() < 0.65 else "left"
    geo = RIGHT if side == "right" else LEFT
    fill = rng.choice(FILLS)
    ink = rng.choice(INK)
    notes += [f"sidebar:{side}", f"font:{font}"]

    name = f.antragsteller  # None: the document must not name the applicant
    doc = D.new_document(font, 10.5, when, name or "", f"Projektskizze {f.place}")
    sec = doc.sections[0]
    D.set_margins(sec, 4.6, 2.2, geo["body"][0], PAGE_W - geo["body"][1], header=1.0, footer=0.8)

    signer, signer_title, _ = C.mayor_person(f, rng)
    w0 = signer_title.split()[-1] if signer_title.startswith("Erste") else signer_title.split()[0]
    head_female = w0.endswith("in") or w0.endswith("ende")
    if signer_title.startswith("Erste"):
        head_female = not signer_title.startswith("Erster")
    head_line = ("Die " if head_female else "Der ") + signer_title.split(" der ")[0]

    # ---- letterhead (page header of section 1)
    hp = sec.header.paragraphs[0]
    r = hp.add_run(name or head_line)
    r.bold = True
    r.font.size = Pt(20 if len(name or head_line) < 28 else 16)
    r.font.color.rgb = RGBColor.from_string(ink)
    D.spacing(hp, 0, 0)
    hp.paragraph_format.left_indent = Cm(min(geo["body"][0], geo["side"][0]) - geo["body"][0])
    h2 = sec.header.add_paragraph()
    r = h2.add_run(head_line if name else "Verwaltung")
    r.font.size = Pt(10)
    r.font.color.rgb = RGBColor.from_string(ink)
    h2.paragraph_format.left_indent = hp.paragraph_format.left_indent
    h2.paragraph_format.right_indent = Cm(-(PAGE_W - geo["body"][1]) + 1.1)
    D.par_border(h2, "bottom", 12, ink, space=4)
    D.spacing(h2, 0, 0)
    ft = sec.footer.paragraphs[0]
    ft.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ft.paragraph_format.left_indent = hp.paragraph_format.left_indent
    ft.paragraph_format.right_indent = Cm(-(PAGE_W - geo["body"][1]) + 1.1)
    iban = "DE{:02d} {:04d} {:04d} {:04d} {:04d} {:02d}".format(
        *(rng.randint(0, 9999) for _ in range(6))
    )
    bank = rng.choice(("Sparkasse", "Volksbank", "Raiffeisenbank"))
    r = ft.add_run(
        f"{name + ' · ' if name else ''}{f.street} · {f.plz} {f.ort} · www.{f.mail_domain}\n"
        f"Bankverbindung: {bank} {f.ort} · IBAN {iban}"
    )
    r.font.size = Pt(7)
    r.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    D.par_border(ft, "top", 4, "999999", space=3)

    # ---- sidebar (frame paragraphs, shaded)
    sx, sw = geo["side"][0], geo["side"][1] - geo["side"][0]
    ref = (
        f"{rng.choice(('FB', 'Az.', 'SG'))} {rng.randint(1, 4)}-{rng.randint(10, 99)}."
        f"{rng.randint(10, 99)}/{(f.ansprechperson.last[:2] if f.ansprechperson else 'vw').lower()}"
    )
    p = f.ansprechperson
    side_rows: list[tuple[str, str, bool]] = []  # text, kind, bold
    if p:
        lab = _pick(
            rng,
            "Ihre Ansprechpartnerin" if p.female else "Ihr Ansprechpartner",
            "Auskunft erteilt",
            "Bearbeitung",
        )
        side_rows.append((lab, "label", True))
        side_rows.append((f"{p.anrede} {p.name}", "name", False))
        side_rows.append((f.funktion, "funktion", False))
        labels["ansprechperson"] = lab
        written["ansprechperson"] = p.name
    if f.telefon and rng.random() < 0.92:
        lab = _pick(rng, "Telefon", "Tel.", "Durchwahl")
        side_rows += [(lab, "label", True), (f.telefon, "telefon", False)]
        written["telefon"], labels["telefon"] = f.telefon, lab
    elif f.telefon:
        omitted.add("telefon")
    if f.email:
        lab = _pick(rng, "E-Mail", "E-Mail-Adresse")
        side_rows += [(lab, "label", True), (f.email, "email", False)]
        written["email"], labels["email"] = f.email, lab
    side_rows += [("Unser Zeichen", "label", True), (ref, "ref", False)]
    date_in_side = rng.random() < 0.4
    ds, dov = C.datum_text(f, "num" if date_in_side else rng.choice(("long", "num")))
    if date_in_side:
        side_rows += [("Datum", "label", True), (ds, "datum", False)]
        labels["datum"] = "Datum"
    side_rows += [
        (_pick(rng, "Sprechzeiten", "Öffnungszeiten"), "label", True),
        (_pick(rng, "Di 8–12 Uhr, Do 14–18 Uhr", "Mo–Fr 8.30–12 Uhr"), "x", False),
    ]
    written["datum"] = ds
    if dov:
        overrides["datum"] = dov

    first = True
    side_h = 0.0  # estimated height of the information column (cm)
    for text, kind, bold in side_rows:
        side_h += 0.34 + (0.18 if (bold and not first) else 0.0)
        sp = doc.add_paragraph()
        r = sp.add_run(text)
        r.bold = bold
        r.font.size = Pt(8 if kind != "email" or len(text) < 30 else 7)
        if bold:
            r.font.color.rgb = RGBColor.from_string(ink)
        D.frame(sp, x_cm=sx, y_cm=SIDE_Y, w_cm=sw, fill=fill)
        D.spacing(sp, 5 if (bold and not first) else 0, 0)
        first = False

    # ---- sender line + recipient
    sl = doc.add_paragraph()
    r = sl.add_run(f"{name + ' · ' if name else ''}{f.street} · {f.plz} {f.ort}")
    r.font.size = Pt(7)
    r.underline = True
    D.spacing(sl, 6, 3)
    written["plz"], labels["plz"] = f.plz, ""
    recip = _pick(
        rng,
        "Bundesinstitut für Bau-, Stadt- und Raumforschung\nim Bundesamt für Bauwesen und "
        "Raumordnung\nProjektteam „Heimat 2.0“\nDeichmanns Aue 31–37\n53179 Bonn",
        "Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR)\nReferat „Heimat 2.0“\n"
        "– per E-Mail –",
    )
    rp = doc.add_paragraph()
    for i, line in enumerate(recip.split("\n")):
        rr = rp.add_run(line)
        if i < recip.count("\n"):
            rr.add_break()
    D.spacing(rp, 0, 18)
    if not date_in_side:
        dp = doc.add_paragraph(f"{C.signing_place(f)}, {ds}")
        dp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        D.spacing(dp, 0, 12)
        labels["datum"] = ""

    # ---- subject
    title = f.projekttitel
    subj = doc.add_paragraph()
    r = subj.add_run(
        _pick(
            rng,
            "Förderaufruf „Heimat 2.0“ – Einreichung einer Projektskizze",
            "Bewerbung als Modellvorhaben „Heimat 2.0“",
            "Projektskizze zum Förderaufruf „Heimat 2.0“",
        )
    )
    r.bold = True
    D.spacing(subj, 0, 12)

    # ---- prose
    # without an applicant in the Facts, neither its name nor its type is printed
    bw = f.body_word if name else "Kommune"
    art = C.article(f.koerperschaft_typ, f.body_word) if name else "die"
    Art = art.capitalize()
    akr = ""
    if f.akronym:
        if f.akronym in title:
            written["akronym"], labels["akronym"] = f.akronym, ""
        elif rng.random() < 0.8:
            akr = rng.choice((f" (kurz: {f.akronym})", f" – kurz {f.akronym} –"))
            written["akronym"], labels["akronym"] = f.akronym, ""
        else:
            omitted.add("akronym")
    loc = _loc(f, rng)
    appl = name if name else "unsere Kommune"
    typ_note = ""
    if name and f.body_word not in appl:
        typ_note = f" ({f.body_word})"
    who = f"{art} {appl}" if name else appl
    s1 = rng.choice(
        (
            f"hiermit beantragt {who}{typ_note} {loc} die Förderung des Vorhabens „{title}“"
            f"{akr} im Rahmen der Förderinitiative „Heimat 2.0“.",
            f"mit diesem Schreiben reicht {who}{typ_note} {loc} die Projektskizze „{title}“"
            f"{akr} zum Förderaufruf „Heimat 2.0“ ein.",
            f"{who}{typ_note} {loc} bewirbt sich mit dem Vorhaben „{title}“{akr} als "
            f"Modellvorhaben der Förderinitiative „Heimat 2.0“.",
        )
    )
    if name:
        written["antragsteller"], labels["antragsteller"] = appl, ""
    written["projekttitel"], labels["projekttitel"] = title, ""
    written["bundesland"], labels["bundesland"] = f.bundesland, ""
    written["landkreis"] = (
        f.landkreis_written if f.landkreis_written in (s1 + appl) else f.landkreis
    )
    labels["landkreis"] = ""
    if name:
        written["koerperschaft_typ"], labels["koerperschaft_typ"] = f.body_word, ""
    sentences = [s1]
    if f.einwohnerzahl is not None and (
        rng.random() < 0.85 or "invalid_population" in f.violations
    ):
        ew = C.de_int(f.einwohnerzahl)
        sentences.append(
            rng.choice(
                (
                    f"{Art} {bw} zählt rund {ew} Einwohnerinnen und Einwohner und liegt abseits "
                    f"der großen Zentren.",
                    f"{_dative(art)} {bw} leben derzeit {ew} Menschen, viele davon in kleinen "
                    f"Ortsteilen.",
                )
            )
        )
        written["einwohnerzahl"], labels["einwohnerzahl"] = ew, ""
    elif f.einwohnerzahl is not None:
        omitted.add("einwohnerzahl")

    # time
    if f.projektbeginn is not None:
        ms, md = C.fmt_date(f.projektbeginn, "month")
        written["projektbeginn"], labels["projektbeginn"] = ms, ""
        if md != f.projektbeginn:
            overrides["projektbeginn"] = C.iso(md)
    if f.projektbeginn is not None and f.laufzeit_monate and rng.random() < 0.3:
        start1 = f.projektbeginn.replace(day=1)
        end = add_months(start1, f.laufzeit_monate)
        end = add_months(end, -1)
        es = f"{C.MONTHS[end.month - 1]} {end.year}"
        rs = f"{ms} bis {es}"
        sentences.append(f"Geplant ist ein Durchführungszeitraum von {rs}.")
        written["laufzeit_monate"], labels["laufzeit_monate"] = rs, ""
        months = C.months_between_inclusive(start1, end)
        if months != f.laufzeit_monate:
            overrides["laufzeit_monate"] = months
        notes.append("date_range")
    else:
        dur = None
        if f.laufzeit_monate:
            if f.laufzeit_monate % 12 == 0 and rng.random() < 0.5:
                y = f.laufzeit_monate // 12
                dur = f"{y} Jahre" if y > 1 else "ein Jahr"
            elif f.laufzeit_monate % 6 == 0 and rng.random() < 0.4:
                dur = f"{C.de_num(f.laufzeit_monate / 12, 1)} Jahre"
            else:
                dur = f"{f.laufzeit_monate} Monate"
            written["laufzeit_monate"], labels["laufzeit_monate"] = dur, ""
        if f.projektbeginn is not None and dur:
            sentences.append(
                rng.choice(
                    (
                        f"Die Umsetzung soll im {ms} beginnen und ist auf {dur} angelegt.",
                        f"Wir planen den Start für {ms}; die Laufzeit ist mit {dur} veranschlagt.",
                    )
                )
            )
        elif f.projektbeginn is not None:
            sentences.append(f"Die Umsetzung soll im {ms} beginnen.")
        elif dur:
            sentences.append(f"Das Vorhaben ist auf {dur} angelegt.")

    # money
    style = rng.choice(("EUR", "eur_sign", "Euro", "teur", "mio", "eur_sign"))
    g = C.fmt_amount(f.gesamtkosten, style)[0] if f.gesamtkosten is not None else None
    fs = C.fmt_amount(f.foerdersumme, style)[0] if f.foerdersumme is not None else None
    e = C.fmt_amount(f.eigenanteil, style)[0] if f.eigenanteil is not None else None
    rund = "rund " if style in ("teur", "mio") else ""
    money = []
    if g and fs:
        money.append(
            rng.choice(
                (
                    f"Die Gesamtausgaben belaufen sich auf {rund}{g}, davon werden {fs} "
                    f"als Zuwendung beantragt.",
                    f"Für das Vorhaben veranschlagen wir Gesamtkosten von {rund}{g}; "
                    f"beantragt wird eine Förderung in Höhe von {fs}.",
                )
            )
        )
    elif g:
        money.append(f"Die Gesamtausgaben belaufen sich auf {rund}{g}.")
    elif fs:
        money.append(f"Beantragt wird eine Zuwendung in Höhe von {fs}.")
    if e:
        money.append(
            rng.choice(
                (
                    f"Den Eigenanteil von {e} trägt {art} {bw} aus eigenen Haushaltsmitteln.",
                    f"Der kommunale Eigenanteil beträgt {e} und ist im Haushalt gesichert.",
                )
            )
        )
    for fld, val in (("gesamtkosten_eur", g), ("foerdersumme_eur", fs), ("eigenanteil_eur", e)):
        if val:
            written[fld], labels[fld] = val, ""
    sentences += money

    para1 = " ".join(sentences)
    # partners and topics
    sent2 = []
    if f.kooperationspartner:
        roles = rng.random() < 0.5 and len(f.partner_roles) == len(f.kooperationspartner)
        items = [
            f"{n} ({r})" if roles else n
            for n, r in zip(f.kooperationspartner, f.partner_roles or [""] * 99, strict=False)
        ]
        sent2.append(
            rng.choice(
                (
                    f"Umgesetzt wird das Vorhaben gemeinsam mit {_join(items)}.",
                    f"Als Kooperationspartner {'wirken' if len(items) > 1 else 'wirkt'} "
                    f"{_join(items)} mit.",
                )
            )
        )
    else:
        sent2.append("Weitere Partner sollen im Zuge der Antragstellung gewonnen werden.")
    written["kooperationspartner"] = list(f.kooperationspartner)
    labels["kooperationspartner"] = ""
    decl = [t for t in TOPIC_FIELDS if t in f.themenfelder]
    if decl:
        q = [f"„{t}“" for t in decl]
        if len(q) == 1:
            sent2.append(f"Inhaltlich ordnen wir das Vorhaben dem Themenfeld {q[0]} zu.")
        else:
            sent2.append(f"Inhaltlich ordnen wir das Vorhaben den Themenfeldern {_join(q)} zu.")
    written["themenfelder"] = decl
    labels["themenfelder"] = ""
    if p:
        where = "am Rand" if side == "right" else "in der linken Spalte"
        sent2.append(
            f"Für Rückfragen steht Ihnen {p.anrede} {p.name} ({f.funktion}) gern zur "
            f"Verfügung; die Kontaktdaten finden Sie {where} dieses Schreibens."
        )
    para2 = " ".join(sent2)

    # keep the running text below the information column (no shared text lines)
    body_y = (
        4.6 + 0.6 + (recip.count("\n") + 1) * 0.43 + 0.64 + 0.86 + (0.0 if date_in_side else 0.86)
    )
    side_bottom = SIDE_Y + side_h + 0.35
    extra_pt = max(0.0, (side_bottom - body_y) / 2.54 * 72)
    for i, ptxt in enumerate(
        (
            "Sehr geehrte Damen und Herren,",
            para1,
            para2,
            _pick(
                rng,
                "Die ausführliche Projektskizze finden Sie auf den folgenden Seiten. "
                "Wir würden uns freuen, wenn unser Vorhaben in die engere Auswahl "
                "aufgenommen wird.",
                "Auf den folgenden Seiten stellen wir das Vorhaben im Einzelnen vor. Über "
                "eine positive Rückmeldung würden wir uns sehr freuen.",
            ),
        )
    ):
        bp = doc.add_paragraph(ptxt)
        D.spacing(bp, extra_pt if i == 0 else 0, 8, line=1.1)
        if len(ptxt) > 80:
            bp.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    # ---- signature: municipality name above the head's name
    sg = doc.add_paragraph("Mit freundlichen Grüßen")
    D.spacing(sg, 6, 2)
    if name:
        sg2 = doc.add_paragraph(name)
        D.spacing(sg2, 0, 30)
    else:
        D.spacing(sg, 6, 30)
    sg3 = doc.add_paragraph()
    sg3.add_run(signer).add_break()
    sg3.add_run(signer_title)
    D.spacing(sg3, 0, 0)
    notes.append(f"signer:{signer}")
    notes.append("signer_is_contact" if (p and signer == p.name) else "signer_is_head")

    # ---- section 2: the sketch, full width
    s2 = doc.add_section(WD_SECTION.NEW_PAGE)
    D.set_margins(s2, 2.4, 2.0, 2.4, 2.2, header=1.0, footer=0.8)
    s2.header.is_linked_to_previous = False
    s2.footer.is_linked_to_previous = False
    h = s2.header.paragraphs[0]
    for pos in (Inches(3.25), Inches(6.5)):
        h.paragraph_format.tab_stops.add_tab_stop(pos, WD_TAB_ALIGNMENT.CLEAR)
    h.paragraph_format.tab_stops.add_tab_stop(Cm(16.4), WD_TAB_ALIGNMENT.RIGHT)
    r = h.add_run(f"{name or f.ort}\tProjektskizze „Heimat 2.0“")
    r.font.size = Pt(8)
    r.font.color.rgb = RGBColor.from_string(ink)
    D.par_border(h, "bottom", 4, ink)
    fo = s2.footer.paragraphs[0]
    fo.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = fo.add_run("Seite ")
    r.font.size = Pt(8)
    D.field(fo, "PAGE", "2", size=8)

    tp = doc.add_paragraph()
    r = tp.add_run("Projektskizze")
    r.font.size = Pt(10)
    r.font.color.rgb = RGBColor.from_string(ink)
    D.spacing(tp, 0, 0)
    tt = doc.add_paragraph()
    r = tt.add_run(title)
    r.bold = True
    r.font.size = Pt(15)
    D.spacing(tt, 0, 10)
    for h_txt, paras in f.sections:
        key = next((k for k in HEADINGS if k in h_txt.lower()), None)
        hh = rng.choice(HEADINGS[key]) if key else h_txt
        hp2 = doc.add_paragraph()
        r = hp2.add_run(hh)
        r.bold = True
        r.font.size = Pt(11.5)
        r.font.color.rgb = RGBColor.from_string(ink)
        D.spacing(hp2, 8, 3)
        D.keep_with_next(hp2)
        for ptxt in paras:
            bp = doc.add_paragraph(ptxt)
            bp.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            D.spacing(bp, 0, 5, line=1.1)

    doc.save(str(path))
    return Rendered(
        pdf=b"", written=written, labels=labels, omitted=omitted, overrides=overrides, notes=notes
    )


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)
