"""``groff_memo``: a typewriter-style cover letter from the administration (groff -ms -Tpdf).

Courier throughout, a letterhead (body name, office, address line, rule), a reference line,
"Betreff", then lettered sections ("A.", "B.", ... with items "A.1", "A.2"); key data with dot
leaders (troff leader character with ``.lc .``) and, in the finance part, tab stops with a fill
character (``.tc``) up to a right-aligned amount; a section number directly before a number
("C.1 30 Monate", "A.4 4.312 Einwohnerinnen und Einwohner"); contact and partners only in
running prose at the end. German hyphenation patterns (-mden) in the free text only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from zoogen.layouts._ts_common import (
    Sheet,
    amount,
    datum_value,
    de_int,
    duration_text,
    pick,
    rng_for,
    run,
    start_value,
    topic_list,
    typ_written,
)
from zoogen.model import Facts, Layout, Rendered

LEADER = "\x01"  # troff leader character (filled with the .lc character)
TAB = "\t"
COL = "\\h'|1.2c'"  # absolute horizontal position after the item number


def g(text: str) -> str:
    """Escape a text for troff (inside a line, never at its start)."""
    out = text.replace("\\", "\\e").replace("'", "\\(aq").replace("`", "\\(ga")
    return out


def gv(text: str) -> str:
    """A value inside filled text: no hyphenation of its words (``\\%``)."""
    return " ".join("\\%" + g(w) for w in text.split())


def line(text: str) -> str:
    """A text line that may start with anything."""
    return "\\&" + text


L = {
    "antragsteller": (
        "Antragstellende Körperschaft",
        "Gebietskörperschaft",
        "Zuwendungsempfängerin",
    ),
    "kreis": ("Kreiszugehörigkeit", "Zugehörigkeit zum Kreis", "Landkreis/Kreisgebiet"),
    "land": ("Land", "Bundesland (Sitzland)", "Landeszugehörigkeit"),
    "plz": ("Postleitzahl und Ort", "Postanschrift (PLZ, Ort)", "Dienstsitz"),
    "einwohner": ("Einwohnerinnen und Einwohner", "Einwohner (amtlich)", "Einwohnerstand"),
    "titel": ("Bezeichnung des Vorhabens", "Projekttitel (Arbeitstitel)", "Vorhabenbezeichnung"),
    "akronym": ("Kurzbezeichnung", "Projektkurzname", "Kürzel"),
    "themen": (
        "Zuordnung zu den Themenfeldern",
        "Betroffene Handlungsfelder",
        "Themenbezug laut Aufruf",
    ),
    "beginn": ("Vorgesehener Beginn", "Maßnahmebeginn", "Beginn der Umsetzung"),
    "dauer": ("Gesamtdauer", "Umsetzungszeitraum", "Durchführungsdauer"),
    "ges": ("Gesamtausgaben des Vorhabens", "Projektausgaben insgesamt", "Ausgabenvolumen gesamt"),
    "foe": ("davon beantragte Zuwendung", "Zuwendungsbedarf (Bund)", "beantragter Förderbetrag"),
    "eig": (
        "davon Eigenmittel der Kommune",
        "kommunaler Finanzierungsanteil",
        "Eigenmittelbeitrag",
    ),
}
SECS = {
    "a": ("Antragstellende Körperschaft", "Angaben zur Kommune", "Antragstellerin"),
    "b": ("Das Vorhaben", "Angaben zum Vorhaben", "Gegenstand der Skizze"),
    "c": ("Zeitplanung", "Zeitlicher Rahmen", "Durchführungszeitraum"),
    "d": ("Finanzierung", "Ausgaben und Finanzierung", "Finanzierungsübersicht"),
    "e": ("Kurzdarstellung", "Inhaltliche Beschreibung", "Erläuterung des Vorhabens"),
    "f": ("Partner und Ansprechperson", "Zusammenarbeit und Kontakt", "Rückfragen und Beteiligte"),
}
TEXT_HEADINGS = {
    "Ausgangslage": ("Ausgangslage", "Situation vor Ort", "Anlass"),
    "Ziele": ("Ziele", "Angestrebte Wirkung", "Zielbild"),
    "Vorgehen": ("Umsetzung", "Vorgehensweise", "Arbeitsplan"),
}
OFFICES = (
    "Hauptamt \\(en Sachgebiet Digitalisierung",
    "Fachbereich Zentrale Dienste",
    "Stabsstelle Strategie und Digitales",
    "Amt für Bürgerdienste",
)
HEADS = {  # who heads the administration, by body type
    "Gemeinde": "Der Bürgermeister",
    "Stadt": "Der Bürgermeister",
    "Markt": "Der Erste Bürgermeister",
    "Landkreis": "Der Landrat",
    "Amt": "Der Amtsdirektor",
    "Verbandsgemeinde": "Verbandsgemeindeverwaltung",
    "Samtgemeinde": "Der Samtgemeindebürgermeister",
    "Verwaltungsgemeinschaft": "Gemeinschaftsversammlung",
}


def _heading(rng, name: str) -> str:
    for key, options in TEXT_HEADINGS.items():
        if name.lower().startswith(key.lower()):
            return pick(rng, options)
    return name


def _memo(f: Facts) -> tuple[str, Sheet]:
    rng = rng_for(f, "groff_memo")
    sh = Sheet(f)
    sh.phen |= {
        "letterhead",
        "numbered_labels",
        "dot_leaders",
        "tab_leaders",
        "section_number_trap",
        "label_left",
        "prose_only_values",
        "compound_labels",
    }
    lab = {k: pick(rng, v) for k, v in L.items()}
    sec = {k: pick(rng, v) for k, v in SECS.items()}
    amount_style = pick(rng, ("eur", "EUR", "euro", "dash", "eur"))
    datum = datum_value(sh, pick(rng, ("dot", "long", "short")))
    fill = pick(rng, (".", ".", "_", "-"))

    o: list[str] = []
    o += [
        ".ds FAM C",
        ".nr PS 10",
        ".nr VS 12.5",
        ".nr LL 16.5c",
        ".nr PO 2.5c",
        ".nr HM 1.6c",
        ".nr FM 2.2c",
        ".nr PD 0.6v",
        ".nr PI 0",
        ".ds CH",
        ".ds CF \\(en % \\(en",
        ".ds LF",
        ".ds RF",
        ".hla de",
        ".hy 6",
    ]
    o.append(".na" if rng.random() < 0.6 else ".ad b")
    # letterhead
    o += [".LP", ".nf"]
    if f.antragsteller:
        o += [".ps 13", '.B "' + g(f.antragsteller.upper()) + '"', ".ps 10"]
        sh.put("antragsteller", f.antragsteller, "")
        sh.put("koerperschaft_typ", typ_written(f), "")
    office = pick(rng, OFFICES)
    if f.antragsteller and rng.random() < 0.5:
        office = HEADS.get(f.koerperschaft_typ, "Die Verwaltung") + " \\(en " + office
    o.append(line(office))
    o.append(line(g(f"{f.street} \\(bu {f.plz} {f.ort}")).replace("\\e(bu", "\\(bu"))
    if f.telefon and rng.random() < 0.5:
        o.append(line("Telefon " + g(f.telefon)))
        sh.put("telefon", f.telefon, "Telefon")
    o.append("\\D'l 16.5c 0'")
    o.append(".sp 1.2")
    o.append(line("An den Projektträger \\(BqHeimat 2.0\\(lq"))
    o.append(line("\\(en Funktionspostfach Projektskizzen \\(en"))
    o.append(line("per E-Mail"))
    o.append(".sp 1")
    o.append(".ta 8c")
    zeichen = pick(rng, ("I/10-Dig", "HA 1.2", "10.3/Dig", "FB1-WiFö"))
    o.append(line(f"Unser Zeichen: {g(zeichen)}\t{g(f.ort)}, {g(datum)}"))
    sh.put("datum", datum, "")
    o += [".fi", ".sp 1"]
    o.append(
        line(
            "\\fBBetreff: "
            + pick(
                rng,
                (
                    "Förderaufruf Heimat 2.0 \\(en Einreichung einer Projektskizze",
                    "Projektskizze im Rahmen des Förderaufrufs Heimat 2.0",
                    "Bewerbung um Aufnahme als Modellvorhaben Heimat 2.0",
                ),
            )
            + "\\fP"
        )
    )
    o.append(".LP")
    o.append(line("Sehr geehrte Damen und Herren,"))
    o.append(".LP")
    kreis_in_prose = rng.random() < 0.5
    if not f.antragsteller:
        intro = "mit diesem Schreiben legen wir"
    elif f.koerperschaft_typ not in ("Markt", "Amt", "Landkreis"):
        intro = f"mit diesem Schreiben legt die {gv(f.antragsteller)}"
    else:
        intro = (
            f"mit diesem Schreiben legt {'das' if f.koerperschaft_typ == 'Amt' else 'der'} "
            f"{gv(f.antragsteller)}"
        )
    if kreis_in_prose:
        intro += f" ({gv(f.landkreis_written)}, {gv(f.bundesland)})"
        sh.put("landkreis", f.landkreis_written, "")
        sh.put("bundesland", f.bundesland, "")
    intro += (
        " die nachstehende Skizze für das Modellvorhaben \\(Bq" + gv(f.projekttitel) + "\\(lq vor. "
        "Die Angaben sind nach den Gliederungspunkten des Aufrufs geordnet."
    )
    sh.put("projekttitel", f.projekttitel, "")
    o.append(line(intro))

    sections: list[tuple[str, list[str]]] = []

    # A: applicant, dot leaders (leader character, .lc .)
    a = [".LP", ".nf", ".ta 8.2c", ".lc ."]
    items: list[str] = []
    if f.antragsteller:
        items.append(f"{{n}}{COL}{g(lab['antragsteller'])}{LEADER}{g(f.antragsteller)}")
    if not kreis_in_prose:
        items.append(f"{{n}}{COL}{g(lab['kreis'])}{LEADER}{g(f.landkreis_written)}")
        items.append(f"{{n}}{COL}{g(lab['land'])}{LEADER}{g(f.bundesland)}")
        sh.put("landkreis", f.landkreis_written, lab["kreis"])
        sh.put("bundesland", f.bundesland, lab["land"])
    items.append(f"{{n}}{COL}{g(lab['plz'])}{LEADER}{g(f.plz)} {g(f.ort)}")
    sh.put("plz", f.plz, lab["plz"])
    if f.einwohnerzahl is not None:
        ew = de_int(f.einwohnerzahl)
        # the section number stands right before the number
        what = pick(
            rng,
            (
                "Einwohnerinnen und Einwohner",
                "Einwohner (Stand 31.12.2019)",
                "Einwohnende lt. Melderegister",
            ),
        )
        items.append(f"{{n}}{COL}{ew} {what}")
        sh.put("einwohnerzahl", ew, "")
    a_items = items
    sections.append(("a", [*a, "__ITEMS__", ".lc", ".fi"]))

    # B: project (label: value, hanging)
    b_items = []
    b_items.append(("titel", f"\\fI{g(lab['titel'])}:\\fP {gv(f.projekttitel)}"))
    sh.labels["projekttitel"] = lab["titel"]
    if f.akronym and rng.random() < 0.8:
        b_items.append(("akronym", f"\\fI{g(lab['akronym'])}:\\fP {gv(f.akronym)}"))
        sh.put("akronym", f.akronym, lab["akronym"])
    elif f.akronym:
        sh.omitted.add("akronym")
    topics = topic_list(f)
    if f.themenfelder or rng.random() < 0.5:
        yes, no = pick(rng, (("ja", "nein"), ("zutreffend", "\\(en"), ("X", "")))
        rows = [".nf", ".ta 1c 12.5c", ".lc ."]
        for i, (t, on) in enumerate(topics, 1):
            rows.append(f"\t{i}) {g(t)}{LEADER}{yes if on else no}")
        rows += [".lc", ".fi"]
        b_items.append(("themen", f"\\fI{g(lab['themen'])}:\\fP\n" + "\n".join(rows)))
        sh.put("themenfelder", [t for t, on in topics if on], lab["themen"])
    sections.append(("b", ["__IP__"] + [x for _, x in b_items]))

    # C: time (section number trap: 'C.1 30 Monate')
    c_items = []
    if f.laufzeit_monate is not None:
        d = duration_text(f.laufzeit_monate, pick(rng, ("monate", "monate", "jahre")))
        c_items.append(
            f"{g(d)} {pick(rng, ('Laufzeit insgesamt', 'geplante Gesamtdauer', 'Projektdauer'))}"
        )
        sh.put("laufzeit_monate", d, "")
    style = pick(rng, ("dot", "long", "month"))
    start = start_value(sh, style)
    if start is not None:
        c_items.append(f"{g(lab['beginn'])}: {gv(start)}")
        sh.put("projektbeginn", start, lab["beginn"])
    if c_items:
        sections.append(("c", ["__IP__", *c_items]))

    # D: money, tab stop with fill character up to a right-aligned amount
    d_items = []
    for key, field, v in (
        ("ges", "gesamtkosten_eur", f.gesamtkosten),
        ("foe", "foerdersumme_eur", f.foerdersumme),
        ("eig", "eigenanteil_eur", f.eigenanteil),
    ):
        if v is None:
            continue
        t = amount(v, amount_style)
        d_items.append(f"{{n}}{COL}{g(lab[key])}\t{g(t)}")
        sh.put(field, t, lab[key])
    if d_items:
        sections.append(("d", [".LP", ".nf", ".ta 16cR", f".tc {fill}", "__ITEMS__", ".tc", ".fi"]))

    # E: free text
    e = []
    for i, (name, paras) in enumerate(f.sections, 1):
        e.append(f".LP\n\\fB{{L}}.{i} {g(_heading(rng, name))}\\fP")
        for para in paras:
            e.append(".LP\n" + line(g(para)))
    sections.append(("e", e))

    # F: partners and contact, prose only
    fp = []
    if f.kooperationspartner:
        roles = rng.random() < 0.6 and len(f.partner_roles) >= len(f.kooperationspartner)
        names = [
            gv(n) + (f" ({gv(f.partner_roles[i])})" if roles else "")
            for i, n in enumerate(f.kooperationspartner)
        ]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " sowie " + names[-1]
        fp.append(
            ".LP\n"
            + line(
                pick(
                    rng,
                    (
                        "Das Vorhaben wird gemeinsam mit ",
                        "Als Kooperationspartner wirken ",
                        "Verbindlich beteiligt sind ",
                    ),
                )
                + joined
                + pick(rng, (" umgesetzt.", " mit.", "."))
            )
        )
        sh.put("kooperationspartner", list(f.kooperationspartner), "")
    if f.ansprechperson is not None or f.email or (f.telefon and "telefon" not in sh.written):
        parts = []
        if f.ansprechperson is not None:
            p = f.ansprechperson
            parts.append(
                f"Für Rückfragen steht Ihnen {gv(p.anrede + ' ' + p.name)} "
                f"({gv(f.funktion)}) zur Verfügung"
            )
            sh.put("ansprechperson", p.name, "")
        else:
            parts.append("Für Rückfragen erreichen Sie uns")
        reach = []
        if f.telefon and "telefon" not in sh.written:
            reach.append(f"telefonisch unter {gv(f.telefon)}")
            sh.put("telefon", f.telefon, "")
        if f.email:
            reach.append(f"per E-Mail an {gv(f.email)}")
            sh.put("email", f.email, "")
        text = parts[0] + ((", erreichbar " + " oder ".join(reach)) if reach else "") + "."
        fp.append(".LP\n" + line(text))
    if fp:
        sections.append(("f", fp))

    # order: A first, E usually last but one; B/C/D shuffled
    mid = [s_ for s_ in sections if s_[0] in "bcd"]
    rng.shuffle(mid)
    ordered = (
        [s_ for s_ in sections if s_[0] == "a"] + mid + [s_ for s_ in sections if s_[0] in "ef"]
    )
    letters = "ABCDEFGH"
    skip = rng.random() < 0.3  # some memos skip a letter (a part left out of the template)
    li = 0
    for key, content in ordered:
        letter = letters[li]
        li += 2 if (skip and li == 1) else 1
        o.append(".SH")
        o.append(line(f"{letter}.\\0\\0{g(sec[key])}"))
        n = 0
        for chunk in content:
            if chunk == "__ITEMS__":
                src = a_items if key == "a" else d_items
                for it in src:
                    n += 1
                    o.append(line(it.replace("{n}", f"{letter}.{n}")))
                continue
            if chunk == "__IP__":
                continue
            if key in "bc":
                n += 1
                o.append(f'.IP "{letter}.{n}" 1.2c')
                o.append(line(chunk))
                continue
            o.append(chunk.replace("{L}", letter))
    o.append(".LP")
    o.append(".ne 7v")
    o.append(line("Mit freundlichen Grüßen"))
    o.append(".sp 2.5")
    o.append(".nf")
    o.append(line(pick(rng, ("Im Auftrag", "In Vertretung", ""))))
    if f.ansprechperson is not None:
        o.append(line(g(f.ansprechperson.name)))
    if f.antragsteller:
        o.append(line(g(f.antragsteller)))
    o.append(".fi")
    return "\n".join(o) + "\n", sh


def render(facts: Sequence[Facts], work: Path) -> list[Rendered]:
    work.mkdir(parents=True, exist_ok=True)
    out = []
    for f in facts:
        src, sh = _memo(f)
        (work / f"{f.sketch_id}.ms").write_text(src, encoding="utf-8")
        pdf = run(
            ["groff", "-Kutf8", "-mden", "-ms", "-Tpdf", "-P-pa4", "-dpaper=a4"],
            cwd=work,
            stdin=src.encode("utf-8"),
        )
        out.append(sh.rendered(pdf))
    return out


LAYOUT = Layout(
    name="groff_memo",
    producer="groff",
    phenomena=frozenset(
        {
            "letterhead",
            "numbered_labels",
            "dot_leaders",
            "tab_leaders",
            "section_number_trap",
            "label_left",
            "prose_only_values",
            "compound_labels",
        }
    ),
    render=render,
    description="groff -ms typewriter letter (Courier): letterhead, lettered sections A./B./..., "
    "leader-character dot leaders and filled tab stops between label and value, "
    "section numbers right before numbers, contact and partners only in prose",
)
