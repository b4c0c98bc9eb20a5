"""WeasyPrint layouts: ``weasy_sidebar`` (modern sketch with a coloured key-data sidebar) and
``weasy_webform`` (print-out of an online application portal, half of them as AcroForm)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from zoogen.layouts._html_common import (
    NBSP,
    Rec,
    add_text_field_appearances,
    amounts,
    datum_text,
    duration_text,
    esc,
    missing_fields,
    population,
    remap_glyph_unicode,
    rename_section,
    sketch_no,
    soft_hyphenate,
    start_text,
    weasy_pdf,
)
from zoogen.model import TOPIC_FIELDS, Facts, Rendered

# ============================================================================ weasy_sidebar

SIDEBAR_SECTIONS = {
    "lage": ("Ausgangssituation vor Ort", "Wo wir heute stehen", "Problemlage und Bedarf"),
    "ziel": ("Was wir erreichen wollen", "Zielsetzung des Vorhabens", "Unsere Projektziele"),
    "weg": ("So gehen wir vor", "Umsetzung und Arbeitsschritte", "Arbeitsplan"),
    "dauer": ("Verstetigung nach der Förderphase", "Wie es danach weitergeht"),
}

PALETTES = (
    ("#e6f0ee", "#1d6b5f", "#5b6e6a"),  # sidebar background, accent, label grey
    ("#eceff6", "#2f4a8a", "#646b7a"),
    ("#f5eee3", "#8a4b14", "#6f665b"),
)

# label variants (upper-case in the sidebar); {g} is the gendered ending of the contact
SB_LABELS = {
    "antragsteller": (
        "ANTRAGSTELLENDE KOMMUNE",
        "ANTRAGSTELLENDE GEBIETSKÖRPERSCHAFT",
        "KOMMUNE (ANTRAGSTELLERIN)",
    ),
    "landkreis": ("LANDKREIS", "ZUGEHÖRIGER LANDKREIS", "KREISZUGEHÖRIGKEIT"),
    "bundesland": ("BUNDESLAND", "LAND", "SITZLAND"),
    "plz": ("POSTANSCHRIFT", "ANSCHRIFT DER VERWALTUNG", "VERWALTUNGSSITZ"),
    "einwohnerzahl": ("EINWOHNER:INNEN", "EINWOHNENDE", "EINWOHNERZAHL GESAMT"),
    "ansprechperson": ("{ANSPRECH}", "PROJEKTVERANTWORTLICHE PERSON", "KONTAKTPERSON"),
    "telefon": ("TELEFON", "TELEFONISCH ERREICHBAR", "DURCHWAHL"),
    "email": ("E-MAIL", "E-MAIL-ADRESSE", "ELEKTRONISCHE POST"),
    "kooperationspartner": (
        "KOOPERATIONSPARTNER:INNEN",
        "PROJEKTPARTNERSCHAFTEN",
        "BETEILIGTE PARTNER",
    ),
    "projektbeginn": ("PROJEKTSTART", "GEPLANTER BEGINN", "VORHABENSBEGINN"),
    "laufzeit_monate": ("PROJEKTLAUFZEIT", "LAUFZEIT", "DAUER DES VORHABENS"),
    "gesamtkosten_eur": ("GESAMTAUSGABEN", "PROJEKTGESAMTKOSTEN", "GESAMTVOLUMEN"),
    "foerdersumme_eur": ("FÖRDERBEDARF", "BEANTRAGTE FÖRDERUNG", "ZUWENDUNGSBEDARF"),
    "eigenanteil_eur": ("EIGENMITTEL", "KOMMUNALER EIGENANTEIL", "EIGENBETEILIGUNG"),
    "akronym": ("KURZBEZEICHNUNG", "AKRONYM", "PROJEKTKÜRZEL"),
    "datum": ("STAND DER SKIZZE", "EINGEREICHT AM", "DATUM DER SKIZZE"),
}


def _sidebar_html(f: Facts, rec: Rec) -> str:
    rng = random.Random(f.seed * 7919 + 11)
    no = sketch_no(f)
    bg, accent, grey = PALETTES[no % len(PALETTES)]
    missing = missing_fields(f)
    lab = {k: rng.choice(v) for k, v in SB_LABELS.items()}
    p = f.ansprechperson
    if p is not None:
        lab["ansprechperson"] = lab["ansprechperson"].replace(
            "{ANSPRECH}", "ANSPRECHPARTNERIN" if p.female else "ANSPRECHPARTNER"
        )
    # optional: the phone is left out in every third sketch
    drop_phone = f.telefon is not None and no % 3 == 1
    if drop_phone:
        rec.omit("telefon")
    rec.omit(*missing)

    items: list[tuple[str, str]] = []  # (label, value html) in the sidebar

    def item(field: str, value: str, label: str | None = None, html_value: str | None = None):
        label = lab[field] if label is None else label
        rec.put(field, label, value)
        items.append((label, html_value if html_value is not None else esc(value)))

    if f.antragsteller is not None:  # None: the document names no applying body
        item("antragsteller", f.antragsteller)
        if f.body_word and f.body_word in f.antragsteller:
            rec.put("koerperschaft_typ", lab["antragsteller"], f.body_word)
    addr = f"{esc(f.street)}<br>{esc(f.plz)} {esc(f.ort)}"
    rec.put("plz", lab["plz"], f.plz)
    region = [("landkreis", f.landkreis_written), ("bundesland", f.bundesland)]
    items_region = []
    for k, v in region:
        rec.put(k, lab[k], v)
        items_region.append((lab[k], esc(v)))
    if rng.random() < 0.5:
        items.append((lab["plz"], addr))
        items.extend(items_region)
    else:
        items.extend(items_region)
        items.append((lab["plz"], addr))
    if f.einwohnerzahl is not None:
        item("einwohnerzahl", population(f.einwohnerzahl, rng.choice(("dot", "dot", "ca"))))
    if p is not None:
        contact = [f'<span class="strong">{esc(p.name)}</span>']
        rec.put("ansprechperson", lab["ansprechperson"], p.name)
        if f.funktion:
            contact.append(esc(f.funktion))
        items.append((lab["ansprechperson"], "<br>".join(contact)))
    if f.telefon is not None and not drop_phone:
        item("telefon", f.telefon)
    if f.email is not None:
        item("email", f.email)

    # the project
    amt = amounts(
        f,
        (
            rng.choice(("eur2", "EUR", "teur", "dash")),
            rng.choice(("eur2", "EUR", "teur")),
            rng.choice(("eur2", "EUR")),
        ),
    )
    money = []
    for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        if k in amt:
            text, printed, changed = amt[k]
            rec.put(k, lab[k], text)
            if changed:
                rec.overrides[k] = printed
            money.append((lab[k], f'<span class="money">{esc(text)}</span>'))
    sched = []
    if f.projektbeginn is not None:
        st = rng.choice(("dmy", "long", "month", "mm/yyyy"))
        text, ov = start_text(f, st)
        rec.put("projektbeginn", lab["projektbeginn"], text)
        if ov:
            rec.overrides["projektbeginn"] = ov
        sched.append((lab["projektbeginn"], esc(text)))
    if f.laufzeit_monate is not None:
        styles = ["monate", "jahre"]
        if f.projektbeginn is not None:
            styles.append("range_dmy")
        text, _ = duration_text(f, rng.choice(styles))
        rec.put("laufzeit_monate", lab["laufzeit_monate"], text)
        sched.append((lab["laufzeit_monate"], esc(text)))
    partners = []
    if f.kooperationspartner:
        show_roles = no % 2 == 0 and len(f.partner_roles) == len(f.kooperationspartner)
        for i, name in enumerate(f.kooperationspartner):
            role = f'<span class="role">{esc(f.partner_roles[i])}</span>' if show_roles else ""
            partners.append(f"<li>{esc(name)}{role}</li>")
        rec.put("kooperationspartner", lab["kooperationspartner"], list(f.kooperationspartner))
    else:
        rec.put("kooperationspartner", "", [])

    if rng.random() < 0.5:
        items.extend(sched)
        items.extend(money)
    else:
        items.extend(money)
        items.extend(sched)
    if partners:
        items.append((lab["kooperationspartner"], f'<ul class="partners">{"".join(partners)}</ul>'))

    date_in_sidebar = no % 2 == 1
    dstyle = rng.choice(("dmy", "long"))
    dtext = datum_text(f, dstyle)
    if date_in_sidebar:
        item("datum", dtext)
    else:
        rec.put("datum", "", dtext)

    side = "".join(
        f'<div class="item"><div class="lbl">{esc(lb)}</div><div class="val">{val}</div></div>'
        for lb, val in items
    )

    # main column
    title = f.projekttitel
    rec.put("projekttitel", "", title)
    head = [
        '<div class="kicker">Projektskizze · Förderaufruf „Heimat 2.0“</div>',
        f"<h1>{esc(title)}</h1>",
    ]
    if f.akronym is not None:
        if rng.random() < 0.5:
            rec.put("akronym", "Kurztitel:", f.akronym)
            head.append(f'<div class="sub">Kurztitel: <b>{esc(f.akronym)}</b></div>')
        else:
            side = (
                f'<div class="item"><div class="lbl">{esc(lab["akronym"])}</div>'
                f'<div class="val big">{esc(f.akronym)}</div></div>'
            ) + side
            rec.put("akronym", lab["akronym"], f.akronym)
    body = []
    for i, (heading, paras) in enumerate(f.sections):
        h = rename_section(heading, i, SIDEBAR_SECTIONS, rng)
        body.append(f"<h2>{esc(h)}</h2>")
        for para in paras:
            body.append(f'<p class="txt">{esc(soft_hyphenate(para))}</p>')

    # topic fields: CSS boxes, an X (text) inside the declared ones
    topics_html = ""
    tlabel = rng.choice(
        (
            "Zuordnung zu den Themenfeldern des Aufrufs",
            "Themenfelder, denen das Vorhaben dient",
            "Handlungsfelder laut Förderaufruf",
        )
    )
    show_topics = bool(f.themenfelder) or no % 2 == 0
    if show_topics:
        rows = []
        for t in TOPIC_FIELDS:
            on = t in f.themenfelder
            rows.append(
                f'<div class="topic"><span class="box">{"X" if on else ""}</span>'
                f'<span class="tname">{esc(t)}</span></div>'
            )
        topics_html = (
            f'<section class="tsec"><h2>{esc(tlabel)}</h2>'
            f'<div class="topics">{"".join(rows)}</div></section>'
        )
        rec.put("themenfelder", tlabel, [t for t in TOPIC_FIELDS if t in f.themenfelder])
    else:
        rec.put("themenfelder", "", [])

    sign = ""
    if not date_in_sidebar:
        who = esc(p.name) if p is not None else ""
        sign = (
            f'<div class="sign"><p>{esc(f.ort)}, {esc(dtext)}</p>'
            f'<div class="line"></div><p class="who">{who}'
            f"{', ' + esc(f.funktion) if p is not None and f.funktion else ''}</p></div>"
        )

    css = f"""
@page {{ size: A4; margin: 15mm 14mm 17mm 0;
  @bottom-right {{ content: "Seite " counter(page) " von " counter(pages);
    font: 7pt "DejaVu Sans"; color: {grey}; }} }}
html {{ font-family: "DejaVu Sans"; font-size: 9.3pt; line-height: 1.38; color: #1e272b; }}
body {{ margin: 0; }}
.bg {{ position: fixed; z-index: -1; left: 0; top: -15mm; width: 63mm; height: 297mm; \
background: {bg}; }}
aside {{ position: absolute; left: 0; top: 0; width: 63mm; box-sizing: border-box; \
padding: 2mm 6mm 0 9mm;
  font-size: 8.4pt; line-height: 1.3; overflow-wrap: anywhere; hyphens: manual; }}
aside .item {{ margin: 0 0 3.2mm 0; }}
aside .lbl {{ font-size: 6.3pt; letter-spacing: 0.06em; color: {grey}; margin-bottom: 0.6mm; }}
aside .val {{ color: #111; }}
aside .big {{ font-size: 13pt; font-weight: bold; color: {accent}; }}
aside .strong {{ font-weight: bold; }}
aside .money {{ font-weight: bold; color: {accent}; }}
aside ul.partners {{ margin: 0; padding: 0; list-style: none; }}
aside ul.partners li {{ margin-bottom: 1.2mm; }}
aside .role {{ display: block; font-size: 7pt; color: {grey}; }}
main {{ margin-left: 72mm; }}
.kicker {{ font-size: 7.5pt; letter-spacing: 0.08em; text-transform: uppercase; color: {accent};
  margin-top: 2mm; }}
h1 {{ font-size: 17pt; line-height: 1.2; margin: 2mm 0 2mm 0; color: #111; }}
.sub {{ font-size: 10pt; color: {grey}; margin-bottom: 4mm; }}
h2 {{ font-size: 10.5pt; color: {accent}; margin: 5mm 0 1.5mm 0; }}
p.txt {{ text-align: justify; hyphens: auto; hyphenate-character: "\\2011"; margin: 0 0 2mm 0; }}
.tsec {{ break-inside: avoid; }}
.topics {{ margin-top: 1mm; }}
.topic {{ margin: 0 0 1.3mm 0; }}
.box {{ display: inline-block; width: 3.4mm; height: 3.4mm; border: 0.5pt solid #333;
  text-align: center; font-size: 7.5pt; line-height: 3.4mm; font-weight: bold;
  vertical-align: middle; margin-right: 2.2mm; color: #111; }}
.tname {{ vertical-align: middle; }}
.sign {{ margin-top: 9mm; break-inside: avoid; }}
.sign .line {{ width: 60mm; border-bottom: 0.5pt solid #444; height: 9mm; }}
.sign .who {{ font-size: 8pt; color: {grey}; margin-top: 1mm; }}
"""
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>{esc("Projektskizze " + title)}</title>
<meta name="author" content="{esc(f.antragsteller or f.ort)}">
<meta name="dcterms.created" content="{f.datum.isoformat()}T09:00:00+01:00">
<meta name="generator" content="WeasyPrint">
<style>{css}</style></head>
<body><div class="bg"></div>
<aside>{side}</aside>
<main>{"".join(head)}{"".join(body)}{topics_html}{sign}</main>
</body></html>"""


def render_sidebar(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    out = []
    for f in batch:
        rec = Rec(f)
        pdf = weasy_pdf(_sidebar_html(f, rec))
        # line-end hyphens are printed with the glyph of U+2011 and mapped to U+00AD
        pdf = remap_glyph_unicode(pdf, "\u2011", "\u00ad")
        rec.notes.append("line-end hyphens: glyph of U+2011 mapped to U+00AD in ToUnicode")
        out.append(rec.rendered(pdf))
    return out


# ============================================================================ weasy_webform

WF_SECTIONS = {
    "lage": (
        "Wie ist die Ausgangslage in Ihrer Kommune?",
        "Vor welchen Herausforderungen steht Ihre Kommune?",
    ),
    "ziel": (
        "Welche Ziele verfolgen Sie mit dem Vorhaben?",
        "Was soll mit dem Vorhaben erreicht werden?",
    ),
    "weg": ("Wie wollen Sie bei der Umsetzung vorgehen?", "Welche Arbeitsschritte sind geplant?"),
    "dauer": ("Wie wird das Vorhaben nach Ende der Förderung fortgeführt?",),
}

TICK_SVG = (
    '<svg class="cb" width="11" height="11" viewBox="0 0 11 11">'
    '<rect x="0.5" y="0.5" width="10" height="10" rx="1.5" fill="#ffffff" '
    'stroke="#6b7785" stroke-width="0.9"/>{tick}</svg>'
)
TICK_PATH = (
    '<path d="M2.3 5.7 L4.5 8.0 L8.9 2.7" fill="none" stroke="#0b5cad" '
    'stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round"/>'
)


def _webform_html(f: Facts, rec: Rec, acro: bool) -> str:
    rng = random.Random(f.seed * 104729 + 3)
    no = sketch_no(f)
    missing = missing_fields(f)
    rec.omit(*missing)
    counter = [0]
    fid = [0]

    def qn(text: str) -> str:
        counter[0] += 1
        return f"{counter[0]}. {text}"

    def value_html(value: str, wide: bool = False) -> str:
        fid[0] += 1
        cls = "inp wide" if wide else "inp"
        if acro:
            return (
                f'<input type="text" class="{cls}" name="feld_{fid[0]:02d}" value="{esc(value)}">'
            )
        return f'<div class="{cls} shown">{esc(value)}</div>'

    rows: list[str] = []

    def row(field: str | None, label: str, value: str, below: bool = False, hint: str = "") -> None:
        if field is not None:
            rec.put(field, label, value)
        hint_html = f'<div class="hint">{esc(hint)}</div>' if hint else ""
        if below:
            rows.append(
                f'<div class="q below"><div class="ql">{esc(label)}{hint_html}</div>'
                f"{value_html(value, wide=True)}</div>"
            )
        else:
            rows.append(
                f'<div class="q left"><div class="ql">{esc(label)}{hint_html}</div>'
                f'<div class="qv">{value_html(value)}</div></div>'
            )

    def legend(text: str) -> None:
        rows.append(f'<div class="legend">{esc(text)}</div>')

    # --- applicant group
    legend(
        rng.choice(
            (
                "Angaben zur antragstellenden Stelle",
                "Antragstellende Stelle",
                "Angaben zur Antragstellerin / zum Antragsteller",
            )
        )
    )
    if f.antragsteller is not None:
        row("antragsteller", qn("Name"), f.antragsteller)
    row("koerperschaft_typ", qn("Art der Gebietskörperschaft"), f.koerperschaft_typ)
    row(None, qn("Straße"), f.street)
    plz_ort_apart = no % 2 == 0
    if plz_ort_apart:
        row("plz", qn("PLZ"), f.plz)
        row(None, qn("Ort"), f.ort)
    else:
        label = qn("PLZ / Ort")
        rec.put("plz", label, f.plz)
        rows.append(
            f'<div class="q left"><div class="ql">{esc(label)}</div><div class="qv">'
            f'<span class="plz">{value_html(f.plz)}</span>'
            f'<span class="ort">{value_html(f.ort)}</span></div></div>'
        )
    row("landkreis", qn(rng.choice(("Landkreis", "Landkreis / Kreis"))), f.landkreis_written)
    row("bundesland", qn("Bundesland"), f.bundesland)
    if f.einwohnerzahl is not None:
        q = rng.choice(
            (
                "Wie viele Einwohnerinnen und Einwohner hat Ihre Kommune?",
                "Wie viele Menschen leben in Ihrer Kommune?",
            )
        )
        row(
            "einwohnerzahl",
            qn(q),
            population(
                f.einwohnerzahl, rng.choice(("dot", "nbsp", "plain")), sep=NBSP if no % 2 else "."
            ),
            below=True,
        )

    # --- contact group: right after the applicant (portal version A) or before the
    # description (version B)
    def contact_group() -> None:
        legend(rng.choice(("Kontakt für Rückfragen", "Ansprechperson für das Vorhaben")))
        p = f.ansprechperson
        if p is not None:
            row("ansprechperson", qn("Name"), p.name)
            if f.funktion:
                row(None, qn("Funktion"), f.funktion)
        if f.telefon is not None:
            row("telefon", qn("Telefon"), f.telefon)
        if f.email is not None:
            row("email", qn("E-Mail"), f.email)

    contact_first = no % 4 < 2
    if contact_first:
        contact_group()

    # --- project group
    legend(rng.choice(("Angaben zum Vorhaben", "Ihr Vorhaben")))
    row("projekttitel", qn("Wie lautet der Titel Ihres Vorhabens?"), f.projekttitel, below=True)
    if f.akronym is not None:
        row("akronym", qn("Kurzbezeichnung (Akronym)"), f.akronym)
    if f.projektbeginn is not None:
        st = rng.choice(("dmy", "dmy", "mm/yyyy"))
        text, ov = start_text(f, st)
        if ov:
            rec.overrides["projektbeginn"] = ov
        row(
            "projektbeginn",
            qn("Wann soll das Vorhaben beginnen?"),
            text,
            below=True,
            hint="TT.MM.JJJJ" if st == "dmy" else "MM/JJJJ",
        )
    if f.laufzeit_monate is not None:
        row(
            "laufzeit_monate",
            qn("Wie lange soll das Vorhaben laufen (in Monaten)?"),
            str(f.laufzeit_monate),
            below=True,
        )

    # topic fields: SVG boxes, the tick is a vector path (no text)
    force_none = bool(f.themenfelder) and no % 6 == 3
    declared = () if force_none else f.themenfelder
    if force_none:  # the printed form declares nothing: the truth follows the print
        rec.overrides["themenfelder"] = []
        rec.notes.append("topic boxes printed, none ticked (declaration left out)")
    tq = qn(
        rng.choice(
            (
                "Welchen Themenfeldern des Aufrufs ordnen Sie Ihr Vorhaben zu?",
                "Welche Themenfelder berührt Ihr Vorhaben?",
            )
        )
    )
    boxes = []
    for t in TOPIC_FIELDS:
        tick = TICK_PATH if t in declared else ""
        boxes.append(f'<div class="opt">{TICK_SVG.format(tick=tick)}<span>{esc(t)}</span></div>')
    rows.append(
        f'<div class="q below"><div class="ql">{esc(tq)}'
        f'<div class="hint">Mehrfachauswahl möglich</div></div>'
        f'<div class="opts">{"".join(boxes)}</div></div>'
    )
    rec.put("themenfelder", tq, [t for t in TOPIC_FIELDS if t in declared])

    pq = qn(
        rng.choice(
            (
                "Mit welchen Partnern wollen Sie das Vorhaben umsetzen?",
                "Wer ist als Kooperationspartner beteiligt?",
            )
        )
    )
    rec.put("kooperationspartner", pq, list(f.kooperationspartner))
    if f.kooperationspartner:
        parts = []
        for i, name in enumerate(f.kooperationspartner):
            parts.append(
                f'<div class="prow"><span class="pno">Partner {i + 1}</span>'
                f"{value_html(name, wide=True)}</div>"
            )
        rows.append(f'<div class="q below"><div class="ql">{esc(pq)}</div>{"".join(parts)}</div>')
    else:
        rows.append(
            f'<div class="q below"><div class="ql">{esc(pq)}</div>'
            f'<div class="none">– keine Angabe –</div></div>'
        )

    # --- money group
    legend(rng.choice(("Kosten und Finanzierung", "Finanzierung des Vorhabens")))
    amt = amounts(f, (rng.choice(("eur2", "EUR")),) * 3, sep=NBSP)
    qs = {
        "gesamtkosten_eur": rng.choice(
            (
                "Wie hoch sind die voraussichtlichen Gesamtausgaben?",
                "Welche Gesamtkosten veranschlagen Sie?",
            )
        ),
        "foerdersumme_eur": rng.choice(
            ("Welche Zuwendung beantragen Sie?", "Wie hoch ist die beantragte Förderung?")
        ),
        "eigenanteil_eur": rng.choice(
            ("Wie hoch ist der Eigenanteil Ihrer Kommune?", "Welche Eigenmittel bringen Sie ein?")
        ),
    }
    for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        if k in amt:
            text, printed, changed = amt[k]
            if changed:
                rec.overrides[k] = printed
            row(k, qn(qs[k]), text, hint="in Euro, brutto" if k == "gesamtkosten_eur" else "")

    if not contact_first:
        contact_group()

    # --- description
    legend(rng.choice(("Beschreibung des Vorhabens", "Projektbeschreibung")))
    for i, (heading, paras) in enumerate(f.sections):
        h = rename_section(heading, i, WF_SECTIONS, rng)
        text = "".join(f"<p>{esc(x)}</p>" for x in paras)
        rows.append(
            f'<div class="q below"><div class="ql">{esc(qn(h))}</div>'
            f'<div class="area">{text}</div></div>'
        )

    # --- closing
    legend("Abschluss")
    dtext = datum_text(f, "dmy")
    row(None, qn("Ort"), f.ort)
    row("datum", qn("Datum"), dtext)
    rows.append(
        '<div class="decl">Mit dem Absenden bestätigen Sie, dass die Angaben vollständig '
        "und richtig sind. Die Projektskizze wird elektronisch ohne Unterschrift "
        "eingereicht.</div>"
    )

    stamp = f.submit_at.strftime("%d.%m.%Y, %H:%M Uhr")
    ref = f"H20-{f.datum.year}-{no:04d}"
    css = f"""
@page {{ size: A4; margin: 22mm 16mm 18mm 16mm;
  @top-left {{ content: "Förderportal · Heimat 2.0 · Skizzeneinreichung"; \
font: 7.5pt "Liberation Sans"; color: #55606b; }}
  @top-right {{ content: "Vorgang {ref}"; font: 7.5pt "Liberation Sans"; color: #55606b; }}
  @bottom-left {{ content: "Druckansicht vom {stamp}"; font: 7pt "Liberation Sans"; \
color: #7a848e; }}
  @bottom-right {{ content: "Seite " counter(page) " / " counter(pages); \
font: 7pt "Liberation Sans"; color: #7a848e; }} }}
html {{ font-family: "Liberation Sans"; font-size: 9.5pt; color: #1b232b; line-height: 1.32; }}
.bar {{ background: #0b5cad; color: #fff; padding: 3mm 4mm; font-size: 12pt; font-weight: bold; }}
.bar small {{ display: block; font-size: 8pt; font-weight: normal; color: #dce8f5; }}
.steps {{ font-size: 7.5pt; color: #55606b; margin: 2mm 0 3mm 0; border-bottom: 0.6pt solid #c9d1d9;
  padding-bottom: 1.5mm; }}
.steps b {{ color: #0b5cad; }}
.legend {{ font-weight: bold; font-size: 10.5pt; color: #0b5cad; border-bottom: 0.8pt solid #0b5cad;
  margin: 5mm 0 2mm 0; padding-bottom: 0.8mm; break-after: avoid; }}
.q {{ margin: 0 0 2.2mm 0; break-inside: avoid; }}
.q.left {{ display: flex; }}
.q.left .ql {{ width: 62mm; padding-top: 1.2mm; padding-right: 3mm; box-sizing: border-box; }}
.q.left .qv {{ flex: 1; }}
.q.below .ql {{ margin-bottom: 1mm; }}
.hint {{ font-size: 7pt; color: #7a848e; }}
.inp {{ display: block; width: 100%; box-sizing: border-box; border: 0.6pt solid #9aa5b1;
  background: #f7f9fb; padding: 1mm 1.6mm; min-height: 5.6mm; font: 9.5pt "Liberation Sans"; \
color: #111; }}
input.inp {{ height: 5.8mm; }}
.plz {{ display: inline-block; width: 22mm; margin-right: 2mm; vertical-align: top; }}
.ort {{ display: inline-block; width: 80mm; vertical-align: top; }}
.prow {{ display: flex; margin-bottom: 1.2mm; }}
.pno {{ width: 20mm; font-size: 8pt; color: #55606b; padding-top: 1.2mm; }}
.prow .inp {{ flex: 1; }}
.opts {{ columns: 1; }}
.opt {{ margin: 0 0 1.1mm 1mm; }}
.opt svg {{ vertical-align: -1.5pt; margin-right: 2mm; }}
.none {{ color: #7a848e; font-style: italic; }}
.area {{ border: 0.6pt solid #9aa5b1; background: #fbfcfd; padding: 1.5mm 2mm; }}
.area p {{ margin: 0 0 1.5mm 0; }}
.decl {{ font-size: 8pt; color: #55606b; margin-top: 3mm; }}
"""
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>{esc("Skizze " + ref)}</title>
<meta name="dcterms.created" content="{f.submit_at.strftime("%Y-%m-%dT%H:%M:00")}+01:00">
<style>{css}</style></head><body>
<div class="bar">Einreichung einer Projektskizze<small>\
Förderaufruf „Heimat 2.0“ – Modellprojekte für
 digitale Lösungen in strukturschwachen ländlichen Räumen</small></div>
<div class="steps"><b>1 Antragsteller</b> · <b>2 Vorhaben</b> · <b>3 Finanzierung</b> ·
 <b>4 Beschreibung</b> · <b>5 Abschluss</b> – alle Schritte abgeschlossen</div>
<form>{"".join(rows)}</form>
</body></html>"""


def render_webform(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    out = []
    for f in batch:
        rec = Rec(f)
        acro = sketch_no(f) % 2 == 1
        pdf = weasy_pdf(_webform_html(f, rec, acro), forms=acro)
        if acro:
            pdf = add_text_field_appearances(pdf)
            rec.notes.append("acroform: values in text fields (/V with /AP), not in page text")
        out.append(rec.rendered(pdf))
    return out
