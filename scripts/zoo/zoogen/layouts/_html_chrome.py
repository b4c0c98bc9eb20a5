"""Chromium layouts: ``chrome_twocol`` (newsletter-style sketch, unequal CSS grid columns,
running header/footer) and ``chrome_budget`` (cover page, key-data tables, yearly cost plan)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from zoogen.layouts._html_common import (
    NNBSP,
    U2010_SCRIPT,
    Chromium,
    Rec,
    amount,
    amounts,
    css_string,
    datum_text,
    duration_text,
    esc,
    missing_fields,
    population,
    rename_section,
    section_kind,
    sketch_no,
    soft_hyphenate,
    start_text,
)
from zoogen.model import TOPIC_FIELDS, BudgetLine, Facts, Rendered

# ============================================================================ chrome_twocol

TC_SECTIONS = {
    "lage": ("Worum es geht", "Die Lage vor Ort", "Hintergrund"),
    "ziel": ("Was sich ändern soll", "Das Ziel", "Wohin wir wollen"),
    "weg": ("Der Weg dorthin", "So packen wir es an", "Schritt für Schritt"),
    "dauer": ("Und nach der Förderung?", "Auf Dauer angelegt"),
}

TC_LABELS = {
    "antragsteller": ("Projektträger", "Antragstellende Kommune", "Trägerkommune"),
    "landkreis": ("Landkreis", "Kreis", "Landkreis/Kreis"),
    "bundesland": ("Bundesland", "Land"),
    "plz": ("Anschrift", "Postanschrift", "Dienstanschrift"),
    "einwohnerzahl": ("Einwohnerzahl", "Einwohner (gesamt)", "Bevölkerungszahl"),
    "akronym": ("Kurztitel", "Projektkürzel", "Akronym"),
    "projektbeginn": ("Projektbeginn", "Startzeitpunkt", "Vorhabensstart"),
    "laufzeit_monate": ("Projektlaufzeit", "Laufzeit insgesamt", "Förderzeitraum"),
    "gesamtkosten_eur": ("Projektkosten gesamt", "Projektvolumen", "Gesamtausgaben"),
    "foerdersumme_eur": ("Beantragte Fördersumme", "Förderbetrag", "Zuwendungsbetrag (beantragt)"),
    "eigenanteil_eur": ("Eigenmittelanteil", "Kommunaler Eigenanteil", "Eigenanteil der Kommune"),
    "kooperationspartner": ("Projektpartner", "Beteiligte Partner", "Kooperationen"),
    "themenfelder": ("Themenfelder", "Handlungsfelder", "Themenbereiche"),
    "ansprechperson": ("{A}", "Koordination", "Kontaktperson"),
    "telefon": ("Telefon", "Tel.", "Rufnummer"),
    "email": ("E-Mail", "Mail", "E-Mail-Adresse"),
}

BOX_ON, BOX_OFF = "\u2612", "\u2610"  # BALLOT BOX WITH X, BALLOT BOX

TC_THEMES = (
    ("#12436b", "#eaf1f8", "#c3d4e6"),
    ("#6b2a12", "#f8efe9", "#e3cbbd"),
    ("#2d5a1b", "#eef5e9", "#c9dcbf"),
)


def _kv(label: str, value_html: str) -> str:
    return (
        f'<div class="kv"><div class="k">{esc(label)}</div><div class="v">{value_html}</div></div>'
    )


def _twocol_html(f: Facts, rec: Rec) -> str:
    rng = random.Random(f.seed * 7561 + 5)
    no = sketch_no(f)
    dark, light, line = TC_THEMES[no % len(TC_THEMES)]
    rec.omit(*missing_fields(f))
    lab = {k: rng.choice(v) for k, v in TC_LABELS.items()}
    p = f.ansprechperson
    if p is not None:
        lab["ansprechperson"] = lab["ansprechperson"].replace(
            "{A}", "Ansprechpartnerin" if p.female else "Ansprechpartner"
        )
    # a planned invalid population is always printed (the violation must stay visible)
    drop_pop = (
        f.einwohnerzahl is not None and no % 4 == 2 and "invalid_population" not in f.violations
    )
    if drop_pop:
        rec.omit("einwohnerzahl")

    glance: list[str] = []

    def kv(field: str, value: str, html_value: str | None = None) -> None:
        rec.put(field, lab[field], value)
        glance.append(_kv(lab[field], html_value if html_value is not None else esc(value)))

    if f.antragsteller is not None:  # None: the document names no applying body
        kv("antragsteller", f.antragsteller)
        if f.body_word and f.body_word in f.antragsteller:
            rec.put("koerperschaft_typ", lab["antragsteller"], f.body_word)
    kv("landkreis", f.landkreis_written)
    kv("bundesland", f.bundesland)
    rec.put("plz", lab["plz"], f.plz)
    glance.append(_kv(lab["plz"], f"{esc(f.street)}, {esc(f.plz)} {esc(f.ort)}"))
    if f.einwohnerzahl is not None and not drop_pop:
        kv("einwohnerzahl", population(f.einwohnerzahl, rng.choice(("dot", "ca", "rund"))))
    if f.akronym is not None:
        kv("akronym", f.akronym)
    schedule_at = len(glance)
    start_printed = False
    if f.projektbeginn is not None and rng.random() < 0.7:
        text, ov = start_text(f, rng.choice(("dmy", "long", "month")))
        if ov:
            rec.overrides["projektbeginn"] = ov
        kv("projektbeginn", text)
        start_printed = True
    if f.laufzeit_monate is not None:
        styles = ["monate", "jahre"]
        if f.projektbeginn is not None:
            styles += ["range_month", "range_dmy"]
        if not start_printed and f.projektbeginn is not None:
            styles = ["range_month", "range_dmy"]  # the range gives the start
        text, ov = duration_text(f, rng.choice(styles))
        if ov and not start_printed:
            rec.overrides["projektbeginn"] = ov
        if not start_printed and f.projektbeginn is not None:
            rec.put("projektbeginn", lab["laufzeit_monate"], text.split(" – ")[0].split(" bis ")[0])
        kv("laufzeit_monate", text)
    elif f.projektbeginn is not None and not start_printed:
        text, ov = start_text(f, "dmy")
        kv("projektbeginn", text)
    amt = amounts(
        f,
        (
            rng.choice(("eur2", "teur", "mio", "EUR")),
            rng.choice(("eur2", "teur", "EUR")),
            rng.choice(("eur2", "EUR", "teur")),
        ),
    )
    money_at = len(glance) if rng.random() < 0.5 else schedule_at  # money after or before dates
    money_rows = []
    for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        if k in amt:
            text, printed, changed = amt[k]
            if changed:
                rec.overrides[k] = printed
            kv(k, text, f"<b>{esc(text)}</b>")
            money_rows.append(glance.pop())
    glance[money_at:money_at] = money_rows
    if f.kooperationspartner:
        rec.put("kooperationspartner", lab["kooperationspartner"], list(f.kooperationspartner))
        glance.append(
            _kv(
                lab["kooperationspartner"],
                "".join(f'<div class="li">{esc(x)}</div>' for x in f.kooperationspartner),
            )
        )
    else:
        rec.put("kooperationspartner", "", [])
    names = [t for t in TOPIC_FIELDS if t in f.themenfelder]
    if no % 2 == 1 or not names:
        # every other sketch (and every one that declares none): all seven topic fields with
        # ballot-box characters (U+2612 for a declared one, U+2610 otherwise, DejaVu Sans)
        rec.put("themenfelder", lab["themenfelder"], names)
        glance.append(
            _kv(
                lab["themenfelder"],
                "".join(
                    f'<div class="li cbx">'
                    f'<span class="cb">{BOX_ON if t in names else BOX_OFF}</span> '
                    f"{esc(t)}</div>"
                    for t in TOPIC_FIELDS
                ),
            )
        )
        rec.notes.append(
            "topic fields as \u2612/\u2610 characters" + ("" if names else ", none ticked")
        )
    elif names:  # the declared topic fields only, as a list
        rec.put("themenfelder", lab["themenfelder"], names)
        glance.append(
            _kv(lab["themenfelder"], "".join(f'<div class="li">{esc(x)}</div>' for x in names))
        )
    else:
        rec.put("themenfelder", "", [])

    contact = []
    if p is not None:
        rec.put("ansprechperson", lab["ansprechperson"], p.name)
        contact.append(
            _kv(
                lab["ansprechperson"],
                f"{esc(p.name)}"
                + (f'<div class="fn">{esc(f.funktion)}</div>' if f.funktion else ""),
            )
        )
    if f.telefon is not None:
        rec.put("telefon", lab["telefon"], f.telefon)
        contact.append(_kv(lab["telefon"], esc(f.telefon)))
    if f.email is not None:
        rec.put("email", lab["email"], f.email)
        contact.append(_kv(lab["email"], f'<span class="mail">{esc(f.email)}</span>'))

    # left column: the free text
    main = []
    for i, (heading, paras) in enumerate(f.sections):
        main.append(f"<h2>{esc(rename_section(heading, i, TC_SECTIONS, rng))}</h2>")
        for para in paras:
            main.append(f'<p class="txt shy">{esc(soft_hyphenate(para, 11))}</p>')
    dtext = datum_text(f, rng.choice(("long", "dmy")))
    rec.put("datum", "", dtext)
    main.append(f'<p class="place">{esc(f.ort)}, {esc(dtext)}</p>')

    # right column extra prose (justified): the first paragraph of the goals, or the first one
    summary = ""
    goal = [s for i, s in enumerate(f.sections) if section_kind(s[0], i) == "ziel"] or list(
        f.sections
    )
    if goal and goal[0][1]:
        summary = goal[0][1][0]
    title = f.projekttitel
    rec.put("projekttitel", "", title)
    header_l = f"{f.antragsteller} · Projektskizze" if f.antragsteller else "Projektskizze"
    header_r = "Förderaufruf Heimat 2.0"
    footer_l = f"{f.akronym or 'Projektskizze'} – Stand: {datum_text(f, 'dmy')}"
    side_title = rng.choice(
        ("Projekt auf einen Blick", "Das Vorhaben auf einen Blick", "Steckbrief")
    )
    kicker = rng.choice(("Projektskizze", "Skizze zum Förderaufruf", "Modellprojekt-Skizze"))
    if f.antragsteller is None:
        deck = "Ein kommunales Vorhaben"
    elif f.body_word.lower() in (
        "gemeinde",
        "stadt",
        "samtgemeinde",
        "verbandsgemeinde",
        "ortsgemeinde",
        "hansestadt",
        "einheitsgemeinde",
    ):
        deck = f"Ein Vorhaben der {esc(f.antragsteller)}"
    else:
        deck = f"Ein Vorhaben: {esc(f.antragsteller)}"
    css = f"""
@page {{ size: A4; margin: 22mm 15mm 20mm 15mm;
  @top-left {{ content: {css_string(header_l)}; font: 7.5pt "Liberation Sans"; color: #555;
    border-bottom: 0.5pt solid {line}; vertical-align: bottom; padding-bottom: 1.5mm; }}
  @top-right {{ content: {css_string(header_r)}; font: 7.5pt "Liberation Sans"; color: #555;
    border-bottom: 0.5pt solid {line}; vertical-align: bottom; padding-bottom: 1.5mm; }}
  @bottom-left {{ content: {css_string(footer_l)}; font: 7pt "Liberation Sans"; color: #777; }}
  @bottom-right {{ content: "Seite " counter(page) " von " counter(pages); \
font: 7pt "Liberation Sans"; color: #777; }} }}
html {{ font-family: "Liberation Serif"; font-size: 11pt; line-height: 1.42; color: #1a1a1a; }}
body {{ margin: 0; width: 180mm; }}
.head {{ border-top: 3mm solid {dark}; padding-top: 3mm; margin-bottom: 5mm; }}
.kicker {{ font: bold 8pt "Liberation Sans"; text-transform: uppercase; letter-spacing: 0.1em; \
color: {dark}; }}
h1 {{ font: bold 20pt/1.15 "Liberation Sans"; margin: 1.5mm 0 2mm 0; color: #111; }}
.deck {{ font: 10pt "Liberation Sans"; color: #444; }}
.grid {{ display: grid; grid-template-columns: 62fr 38fr; column-gap: 8mm; }}
h2 {{ font: bold 11pt "Liberation Sans"; color: {dark}; margin: 3.5mm 0 1mm 0; \
break-after: avoid; }}
.grid > .main > h2:first-child {{ margin-top: 0; }}
p.txt {{ text-align: justify; margin: 0 0 2mm 0; }}
p.place {{ margin-top: 5mm; font-style: italic; }}
.glance {{ background: {light}; border-top: 1.2mm solid {dark}; padding: 2.5mm 3mm; \
font: 8.6pt/1.3 "Liberation Sans"; }}
.glance h3 {{ font: bold 9.5pt "Liberation Sans"; margin: 0 0 2mm 0; color: {dark}; \
text-transform: uppercase; letter-spacing: 0.04em; }}
.kv {{ display: flex; padding: 0.9mm 0; border-bottom: 0.4pt solid {line}; break-inside: avoid; }}
.kv:last-child {{ border-bottom: none; }}
.k {{ width: 27mm; flex: none; font-weight: bold; color: #333; padding-right: 2mm; \
font-size: 7.8pt; }}
.v {{ flex: 1; }}
.v .li {{ margin-bottom: 0.6mm; }}
.v .cbx {{ padding-left: 4.2mm; text-indent: -4.2mm; }}
.cb {{ font-family: "DejaVu Sans"; font-size: 9.5pt; display: inline-block; width: 3.6mm; \
text-indent: 0; }}
.fn {{ color: #555; }}
.mail {{ overflow-wrap: anywhere; }}
.side h4 {{ font: bold 9.5pt "Liberation Sans"; color: {dark}; margin: 5mm 0 1mm 0; }}
.side p.txt {{ font-size: 9.5pt; }}
.contact {{ border: 0.5pt solid {line}; padding: 2mm 3mm; margin-top: 4mm; \
font: 8.6pt/1.3 "Liberation Sans"; break-inside: avoid; }}
"""
    side = f'<div class="glance"><h3>{esc(side_title)}</h3>{"".join(glance)}</div>'
    if summary:
        side += (
            f"<h4>{esc(rng.choice(('Kurz gesagt', 'In Kürze', 'Das Wichtigste')))}</h4>"
            f'<p class="txt shy">{esc(soft_hyphenate(summary, 11))}</p>'
        )
    if contact:
        side += f'<div class="contact">{"".join(contact)}</div>'
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>{css}</style></head><body>
<div class="head"><div class="kicker">{esc(kicker)}</div><h1>{esc(title)}</h1>
<div class="deck">{deck} · {esc(f.landkreis_written)} · {esc(f.bundesland)}</div></div>
<div class="grid"><div class="main">{"".join(main)}</div><div class="side">{side}</div></div>
</body></html>"""


def render_twocol(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    out = []
    with Chromium(scratch) as chrome:
        for f in batch:
            rec = Rec(f)
            pdf, n = chrome.pdf(_twocol_html(f, rec), U2010_SCRIPT)
            rec.notes.append(f"{n} line-end hyphens set as U+2010")
            out.append(rec.rendered(pdf))
    return out


# ============================================================================ chrome_budget

# cost types of the plan: (type, words in a cost line's label that put it there)
COST_TYPES = (
    ("Personalausgaben", ("personal", "projektsteuerung", "koordination", "stelle")),
    ("Investitionen", ("invest", "hardware", "ausstattung", "geräte", "bau")),
    ("Sachausgaben", ("",)),
)
# a cost type with one line only is shown with two sub-items (when the line allows it)
SUB_ITEMS = (
    (
        "personal",
        (
            ("Projektkoordination", "Fachpersonal Digitalisierung"),
            ("Projektleitung", "Digitallotsinnen und Digitallotsen"),
        ),
    ),
    ("hardware", (("Endgeräte", "Netz- und Servertechnik"),)),
    ("invest", (("Technische Infrastruktur", "Einrichtung und Installation"),)),
    ("software", (("Lizenzen", "Hosting und Betrieb"),)),
)


def _cost_plan(
    budget: Sequence[BudgetLine], rng: random.Random
) -> list[tuple[str, list[tuple[str, dict[int, int]]]]]:
    """[(cost type, [(item, {year: cents})])]: the lines grouped by cost type."""
    groups: dict[str, list[tuple[str, dict[int, int]]]] = {}
    for line in budget:
        low = line.label.lower()
        kind = next(t for t, words in COST_TYPES if any(w in low for w in words))
        cents = {y: round(v * 100) for y, v in line.per_year.items()}
        groups.setdefault(kind, []).append((line.label, cents))
    out = []
    for kind, _ in COST_TYPES:
        items = groups.get(kind)
        if not items:
            continue
        if len(items) == 1:
            label, cents = items[0]
            names = next(
                (rng.choice(opts) for key, opts in SUB_ITEMS if key in label.lower()), None
            )
            if names:
                ratio = rng.choice((0.55, 0.6, 0.65, 0.7))
                a = {y: min(c, round(c * ratio / 100_000) * 100_000) for y, c in cents.items()}
                items = [(names[0], a), (names[1], {y: c - a[y] for y, c in cents.items()})]
        out.append((kind, items))
    return out


BG_SECTIONS = {
    "lage": ("Ausgangslage und Handlungsbedarf", "Ausgangssituation", "Problemstellung"),
    "ziel": ("Ziele des Vorhabens", "Zielsetzung", "Angestrebte Wirkungen"),
    "weg": ("Vorgehen und Arbeitsplan", "Umsetzungsschritte", "Arbeitsprogramm"),
    "dauer": ("Verstetigung", "Nachhaltigkeit"),
}


def _budget_html(f: Facts, rec: Rec) -> str:
    rng = random.Random(f.seed * 3571 + 17)
    no = sketch_no(f)
    rec.omit(*missing_fields(f))
    p = f.ansprechperson
    row_mode_applicant = no % 2 == 1  # the applicant group labels over values, else beside
    years = sorted({y for line in f.budget for y in line.per_year})
    all_cents = [round(v * 100) for line in f.budget for v in line.per_year.values()]
    for v in (f.gesamtkosten, f.foerdersumme, f.eigenanteil):
        if v is not None:
            all_cents.append(round(v * 100))
    decimals = 0 if all(c % 100 == 0 for c in all_cents) and no % 3 != 0 else 2

    def money(cents: int) -> str:
        if cents == 0:
            return "–"
        style = "bare2" if decimals else "bare0"
        return amount(cents / 100, style, NNBSP)[0]

    # --- 1 key data
    sec = 1
    key_html = []
    k1 = rng.choice(("Antragstellende Kommune", "Angaben zur Kommune", "Antragstellerin"))
    appl = (
        [
            (
                "antragsteller",
                rng.choice(("Kommune", "Name der Kommune", "Gebietskörperschaft")),
                f.antragsteller,
            ),
        ]
        if f.antragsteller is not None
        else []
    )
    appl += [
        (
            "koerperschaft_typ",
            rng.choice(("Körperschaftstyp", "Art der Körperschaft")),
            f.koerperschaft_typ,
        ),
        ("landkreis", rng.choice(("Landkreis", "Kreis")), f.landkreis_written),
        ("bundesland", "Bundesland", f.bundesland),
        ("plz", rng.choice(("Anschrift", "Postanschrift")), f"{f.street}, {f.plz} {f.ort}"),
    ]
    if f.einwohnerzahl is not None:
        appl.append(
            (
                "einwohnerzahl",
                rng.choice(("Einwohnerzahl", "Einwohnerinnen und Einwohner", "Bevölkerungszahl")),
                population(f.einwohnerzahl, rng.choice(("dot", "plain"))),
            )
        )
    for field, label, value in appl:
        rec.put(field, label, f.plz if field == "plz" else value)
    if row_mode_applicant:
        cells = []
        for i in range(0, len(appl), 3):
            chunk = appl[i : i + 3]
            pad = 3 - len(chunk)
            cells.append(
                "<tr>"
                + "".join(f"<th>{esc(lb)}</th>" for _, lb, _ in chunk)
                + "<th></th>" * pad
                + "</tr>"
            )
            cells.append(
                "<tr>"
                + "".join(f"<td>{esc(v)}</td>" for _, _, v in chunk)
                + "<td></td>" * pad
                + "</tr>"
            )
        table = f'<table class="key rows">{"".join(cells)}</table>'
    else:
        table = (
            '<table class="key cells">'
            + "".join(f"<tr><th>{esc(lb)}</th><td>{esc(v)}</td></tr>" for _, lb, v in appl)
            + "</table>"
        )
    key_html.append(f"<h3>{sec}.1 {esc(k1)}</h3>{table}")

    contact = []
    if p is not None:
        contact.append(
            ("ansprechperson", rng.choice(("Ansprechperson", "Projektverantwortliche")), p.name)
        )
        if f.funktion:
            contact.append((None, "Funktion", f.funktion))
    if f.telefon is not None:
        contact.append(("telefon", rng.choice(("Telefon", "Telefonnummer")), f.telefon))
    if f.email is not None:
        contact.append(("email", "E-Mail", f.email))
    for field, label, value in contact:
        if field:
            rec.put(field, label, value)
    if contact:
        if not row_mode_applicant:
            table = (
                '<table class="key rows"><tr>'
                + "".join(f"<th>{esc(lb)}</th>" for _, lb, _ in contact)
                + "</tr><tr>"
                + "".join(f"<td>{esc(v)}</td>" for _, _, v in contact)
                + "</tr></table>"
            )
        else:
            table = (
                '<table class="key cells">'
                + "".join(f"<tr><th>{esc(lb)}</th><td>{esc(v)}</td></tr>" for _, lb, v in contact)
                + "</table>"
            )
        key_html.append(
            f"<h3>{sec}.2 {esc(rng.choice(('Kontakt', 'Ansprechpartner/in')))}</h3>{table}"
        )

    proj = [
        ("projekttitel", rng.choice(("Titel des Vorhabens", "Projekttitel")), esc(f.projekttitel))
    ]
    rec.put("projekttitel", proj[0][1], f.projekttitel)
    if f.akronym is not None:
        proj.append(("akronym", rng.choice(("Kurztitel", "Akronym")), esc(f.akronym)))
        rec.put("akronym", proj[-1][1], f.akronym)
    if f.projektbeginn is not None:
        text, ov = start_text(f, rng.choice(("dmy", "long", "mm/yyyy")))
        if ov:
            rec.overrides["projektbeginn"] = ov
        lb = rng.choice(("Projektbeginn", "Geplanter Projektstart"))
        proj.append(("projektbeginn", lb, esc(text)))
        rec.put("projektbeginn", lb, text)
    if f.laufzeit_monate is not None:
        text, _ = duration_text(f, rng.choice(("monate", "jahre")))
        lb = rng.choice(("Projektlaufzeit", "Laufzeit des Vorhabens"))
        proj.append(("laufzeit_monate", lb, esc(text)))
        rec.put("laufzeit_monate", lb, text)
    lb = rng.choice(("Kooperationspartner", "Projektpartner"))
    rec.put("kooperationspartner", lb, list(f.kooperationspartner))
    if f.kooperationspartner:
        proj.append(("kooperationspartner", lb, "<br>".join(esc(x) for x in f.kooperationspartner)))
    else:
        proj.append(("kooperationspartner", lb, "–"))
    if f.themenfelder:
        lb = rng.choice(("Themenfelder", "Zugeordnete Themenfelder"))
        names = [t for t in TOPIC_FIELDS if t in f.themenfelder]
        rec.put("themenfelder", lb, names)
        proj.append(("themenfelder", lb, "<br>".join(esc(x) for x in names)))
    else:
        rec.put("themenfelder", "", [])
    key_html.append(
        f"<h3>{sec}.3 {esc(rng.choice(('Angaben zum Vorhaben', 'Vorhaben')))}</h3>"
        + '<table class="key cells">'
        + "".join(f"<tr><th>{esc(lb)}</th><td>{v}</td></tr>" for _, lb, v in proj)
        + "</table>"
    )

    # --- 2 free text
    text_html = []
    for i, (heading, paras) in enumerate(f.sections, 1):
        h = rename_section(heading, i - 1, BG_SECTIONS, rng)
        text_html.append(f"<h3>2.{i} {esc(h)}</h3>" + "".join(f"<p>{esc(x)}</p>" for x in paras))

    # --- 3 cost plan and financing
    cost_html = ""
    g = f.gesamtkosten
    if g is not None and f.budget:
        total_cents = sum(round(v * 100) for line in f.budget for v in line.per_year.values())
        if abs(total_cents - round(g * 100)) <= 1:
            head = (
                "<tr><th rowspan=2 class='l'>Ausgabenart</th>"
                f"<th colspan={len(years) + 1}>Ausgaben in €</th></tr><tr>"
                + "".join(f"<th>{y}</th>" for y in years)
                + "<th>Summe</th></tr>"
            )
            body = []
            for kind, items in _cost_plan(f.budget, rng):
                body.append(
                    f"<tr class='kind'><td class='l' colspan={len(years) + 2}>{esc(kind)}</td></tr>"
                )
                for name, per in items:
                    body.append(
                        f"<tr><td class='l sub'>{esc(name)}</td>"
                        + "".join(f"<td>{money(per.get(y, 0))}</td>" for y in years)
                        + f"<td>{money(sum(per.values()))}</td></tr>"
                    )
                per_kind = {y: sum(per.get(y, 0) for _, per in items) for y in years}
                body.append(
                    f"<tr class='subtotal'><td class='l'>Zwischensumme {esc(kind)}</td>"
                    + "".join(f"<td>{money(per_kind[y])}</td>" for y in years)
                    + f"<td>{money(sum(per_kind.values()))}</td></tr>"
                )
            per_year_tot = {
                y: sum(round(line.per_year.get(y, 0) * 100) for line in f.budget) for y in years
            }
            tlabel = rng.choice(("Gesamtausgaben", "Summe der Ausgaben", "Ausgaben insgesamt"))
            total_text = money(round(g * 100))
            body.append(
                f"<tr class='total'><td class='l'>{esc(tlabel)}</td>"
                + "".join(f"<td>{money(per_year_tot[y])}</td>" for y in years)
                + f"<td>{total_text}</td></tr>"
            )
            rec.put("gesamtkosten_eur", tlabel, total_text)
            if decimals == 0 and abs(g - round(g)) > 0.005:
                rec.overrides["gesamtkosten_eur"] = round(g)
            cost_html = (
                f"<h3>3.1 Ausgabenplan</h3><table class='money'>{head}{''.join(body)}</table>"
            )
        else:
            rec.notes.append("budget lines do not add up to the total: cost table left out")
    fin_rows = []
    fin_parts = [
        (
            "foerdersumme_eur",
            rng.choice(("Zuwendung (Bundesmittel)", "Beantragte Zuwendung", "Bundesmittel")),
            f.foerdersumme,
        ),
        (
            "eigenanteil_eur",
            rng.choice(("Eigenmittel der Kommune", "Eigenanteil", "Kommunaler Eigenanteil")),
            f.eigenanteil,
        ),
    ]
    base = g if g else None
    for field, label, v in fin_parts:
        if v is None:
            continue
        text = money(round(v * 100))
        rec.put(field, label, text)
        if decimals == 0 and abs(v - round(v)) > 0.005:
            rec.overrides[field] = round(v)
        share = f"{v / base * 100:.1f}".replace(".", ",") if base else ""
        fin_rows.append(f"<tr><td class='l'>{esc(label)}</td><td>{text}</td><td>{share}</td></tr>")
    if g is not None and "gesamtkosten_eur" not in rec.written:
        text = money(round(g * 100))
        rec.put("gesamtkosten_eur", "Gesamtfinanzierung", text)
        if decimals == 0 and abs(g - round(g)) > 0.005:
            rec.overrides["gesamtkosten_eur"] = round(g)
        fin_rows.append(
            f"<tr class='total'><td class='l'>Gesamtfinanzierung</td><td>{text}</td>"
            f"<td>100,0</td></tr>"
        )
    elif (
        g is not None
        and f.foerdersumme is not None
        and f.eigenanteil is not None
        and abs(f.foerdersumme + f.eigenanteil - g) <= 1
    ):
        fin_rows.append(
            f"<tr class='total'><td class='l'>Summe</td>"
            f"<td>{money(round(g * 100))}</td><td>100,0</td></tr>"
        )
    fin_html = ""
    if fin_rows:
        fin_html = (
            "<h3>3.2 Finanzierungsplan</h3><table class='money fin'><tr><th class='l'>"
            "Finanzierungsquelle</th><th>Betrag in €</th><th>Anteil in %</th></tr>"
            + "".join(fin_rows)
            + "</table>"
        )

    dtext = datum_text(f, rng.choice(("long", "dmy")))
    rec.put("datum", "Vorgelegt am", dtext)
    title = f.projekttitel
    acr = f'<div class="acr">{esc(f.akronym)}</div>' if f.akronym else ""
    colour = ("#7a1f2b", "#1f4e79", "#385723")[no % 3]
    foot = (
        f"{f.akronym or f.antragsteller} · Projektskizze"
        if (f.akronym or f.antragsteller)
        else "Projektskizze"
    )
    css = f"""
@page {{ size: A4; margin: 20mm 18mm 20mm 20mm;
  @bottom-left {{ content: {css_string(foot)}; font: 7.5pt "DejaVu Sans Condensed"; color: #666; }}
  @bottom-right {{ content: counter(page); font: 7.5pt "DejaVu Sans Condensed"; color: #666; }} }}
@page :first {{ margin: 0; @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
html {{ font-family: "DejaVu Sans Condensed"; font-size: 9.5pt; line-height: 1.35; \
color: #202020; }}
body {{ margin: 0; }}
.cover {{ height: 297mm; box-sizing: border-box; padding: 0 22mm; break-after: page; \
position: relative; }}
.cover .band {{ background: {colour}; color: #fff; margin: 0 -22mm; padding: 28mm 22mm 12mm 22mm; }}
.cover .band .what {{ font-size: 11pt; letter-spacing: 0.12em; text-transform: uppercase; }}
.cover h1 {{ font-size: 24pt; line-height: 1.15; margin: 6mm 0 0 0; }}
.cover .acr {{ font-size: 30pt; font-weight: bold; color: {colour}; margin-top: 14mm; }}
.cover .call {{ font-size: 11pt; margin-top: 6mm; color: #444; }}
.cover .who {{ position: absolute; left: 22mm; right: 22mm; bottom: 30mm; font-size: 11pt;
  border-top: 0.8pt solid {colour}; padding-top: 4mm; }}
.cover .who .big {{ font-size: 15pt; font-weight: bold; }}
h2 {{ font-size: 13pt; color: {colour}; margin: 0 0 3mm 0; border-bottom: 0.8pt solid {colour}; \
break-after: avoid;
  padding-bottom: 1mm; }}
h2.next {{ margin-top: 7mm; break-before: auto; }}
h3 {{ font-size: 10.5pt; margin: 5mm 0 1.5mm 0; break-after: avoid; }}
p {{ margin: 0 0 2mm 0; }}
table {{ border-collapse: collapse; width: 100%; break-inside: avoid; }}
th, td {{ border: 0.6pt solid #8c8c8c; padding: 1.2mm 1.8mm; vertical-align: top; \
text-align: left; }}
table.key th {{ background: #ececec; font-weight: bold; }}
table.key.cells th {{ width: 45mm; }}
table.rows th {{ width: 33%; }}
table.money th {{ background: #ececec; text-align: right; }}
table.money td {{ text-align: right; white-space: nowrap; }}
table.money .l {{ text-align: left; white-space: normal; }}
table.money td.sub {{ padding-left: 5mm; }}
tr.kind td {{ font-style: italic; background: #fafafa; }}
tr.subtotal td {{ font-weight: bold; background: #f6f6f6; }}
tr.total td {{ font-weight: bold; border-top: 1.4pt solid #333; background: #e4e4e4; }}
.sig {{ margin-top: 10mm; break-inside: avoid; }}
.sig .line {{ width: 70mm; border-bottom: 0.6pt solid #333; height: 10mm; }}
"""
    # without an applicant the cover names no body (not even the district)
    who_city = (
        f"{esc(f.antragsteller)}<br>{esc(f.landkreis_written)}, {esc(f.bundesland)}"
        if f.antragsteller
        else ""
    )
    sig_name = (esc(p.name) + (", " + esc(f.funktion) if f.funktion else "")) if p else ""
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{esc("Projektskizze – " + title)}</title>
<style>{css}</style></head><body>
<section class="cover"><div class="band"><div class="what">Projektskizze</div>\
<h1>{esc(title)}</h1></div>
{acr}<div class="call">im Förderaufruf „Heimat 2.0“ – Modellprojekte zur Digitalisierung
in strukturschwachen ländlichen Räumen</div>
<div class="who"><div class="big">{who_city}</div>\
<div>Vorgelegt am {esc(dtext)}</div></div></section>
<h2>1 Eckdaten</h2>{"".join(key_html)}
<h2 class="next">2 Beschreibung des Vorhabens</h2>{"".join(text_html)}
<h2 class="next">3 Ausgaben und Finanzierung</h2>{cost_html}{fin_html}
<div class="sig"><p>{esc(f.ort)}, {esc(datum_text(f, "dmy"))}</p>\
<div class="line"></div><p>{sig_name}</p></div>
</body></html>"""


def render_budget(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    out = []
    with Chromium(scratch) as chrome:
        for f in batch:
            rec = Rec(f)
            pdf, _ = chrome.pdf(_budget_html(f, rec))
            out.append(rec.rendered(pdf))
    return out
