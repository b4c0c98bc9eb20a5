"""``latex_article``: a scholarly-looking sketch set with pdfLaTeX.

Cover page (title, short name, applicant, date), table of contents, numbered sections down to
the third level ("2.2.1 Einwohnerzahl" with the value in the paragraph below), running
header and footer (fancyhdr), key data as a list with dot leaders (``\\dotfill``), the free
text in two justified columns (multicol) with real TeX hyphenation, a yearly budget table
(booktabs) with subtotals and a total. Latin Modern in T1 encoding: pdfTeX writes the f-
ligatures with the ToUnicode of the T1 encoding, so the text layer holds U+FB00-FB04
(pdfplumber's ``extract_text`` expands them again, ``page.chars`` keeps them).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from zoogen.layouts._ts_common import (
    Sheet,
    amount,
    date_text,
    datum_value,
    de_int,
    de_num,
    duration_text,
    month_only,
    pick,
    rng_for,
    run,
    start_value,
    topic_list,
    typ_written,
)
from zoogen.model import Facts, Layout, Rendered

_TEX_ESC = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    '"': r"\textquotedbl{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def esc(s: str) -> str:
    out = "".join(_TEX_ESC.get(c, c) for c in s)
    # keep TeX from forming -- / --- / ,, / `` ligatures out of literal values
    out = (
        out.replace("--", "-{}-").replace(",,", ",{},").replace("``", "`{}`").replace("''", "'{}'")
    )
    return out


def val(s: str) -> str:
    """A value inside justified text: its words may not be hyphenated (each in an mbox)."""
    return " ".join(r"\mbox{" + esc(w) + "}" for w in s.split())


def _info(s: str) -> str:
    """A document-info string as UTF-16BE hex (pdfTeX writes the bytes as given)."""
    return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"


def mail(s: str) -> str:
    return r"\texttt{" + esc(s) + "}"


# ---------------------------------------------------------------- wording of this layout

L = {
    "projekttitel": (
        "Bezeichnung des Modellvorhabens",
        "Vorhabentitel",
        "Arbeitstitel des Vorhabens",
    ),
    "akronym": ("Kurzbezeichnung", "Projektkürzel", "Abkürzung des Vorhabens"),
    "antragsteller": (
        "Antragstellende Gebietskörperschaft",
        "Federführende Kommune",
        "Antragstellerkommune",
    ),
    "anschrift": ("Sitz und Dienstanschrift", "Verwaltungssitz", "Dienstanschrift der Verwaltung"),
    "einwohnerzahl": ("Einwohnerzahl", "Bevölkerungszahl", "Einwohnerstand"),
    "kreis": (
        "Kreis- und Landeszugehörigkeit",
        "Verortung im Kreis und Land",
        "Regionale Einordnung",
    ),
    "kontakt": ("Kontakt für Rückfragen", "Projektverantwortung", "Koordination des Vorhabens"),
    "ansprechperson": ("Verantwortliche Person", "Projektkoordination", "Rückfragen an"),
    "email": ("E-Mail-Adresse", "Elektronische Post", "Mailadresse"),
    "telefon": ("Telefonische Erreichbarkeit", "Rufnummer", "Durchwahl"),
    "partner": (
        "Verbundpartner und Aufgabenteilung",
        "Kooperationspartnerschaften",
        "Partnerorganisationen im Verbund",
    ),
    "themen": (
        "Zuordnung zu den Handlungsfeldern des Aufrufs",
        "Thematische Einordnung",
        "Bezug zu den Themenfeldern des Förderaufrufs",
    ),
    "projektbeginn": ("Beginn", "Vorgesehener Projektstart", "Startzeitpunkt"),
    "laufzeit_monate": ("Vorhabendauer", "Gesamtlaufzeit", "Dauer des Modellvorhabens"),
    "gesamtkosten_eur": (
        "Gesamtausgaben des Vorhabens",
        "Projektgesamtausgaben",
        "Zuwendungsfähige Gesamtausgaben",
    ),
    "foerdersumme_eur": ("Beantragte Zuwendung", "Zuwendungsbetrag", "Erbetene Bundesförderung"),
    "eigenanteil_eur": (
        "Eigenmittelanteil der Kommune",
        "Kommunale Kofinanzierung",
        "Eigenbeteiligung",
    ),
}

SECTION_NAMES = {
    "eckdaten": ("Das Vorhaben in Kürze", "Eckdaten im Überblick", "Kurzprofil"),
    "antrag": ("Antragstellende Kommune", "Angaben zur Antragstellerin", "Die Gebietskörperschaft"),
    "struktur": ("Strukturdaten", "Lage und Größe", "Kennzahlen der Kommune"),
    "vorhaben": ("Gegenstand des Vorhabens", "Inhaltliche Ausrichtung", "Das Modellvorhaben"),
    "text": ("Beschreibung des Vorhabens", "Vorhabenbeschreibung", "Erläuterungen zum Vorhaben"),
    "zeitfin": (
        "Zeit- und Finanzplanung",
        "Zeitrahmen und Ausgaben",
        "Durchführung und Finanzierung",
    ),
    "zeit": ("Projektzeitraum", "Zeitlicher Rahmen", "Terminplanung"),
    "plan": (
        "Ausgabenplanung nach Haushaltsjahren",
        "Jährlicher Ausgabenplan",
        "Ausgaben je Kalenderjahr",
    ),
    "fin": ("Finanzierungsstruktur", "Finanzierungsplan", "Deckung der Ausgaben"),
}

TEXT_HEADINGS = {
    "Ausgangslage": (
        "Ausgangssituation und Handlungsbedarf",
        "Problemstellung vor Ort",
        "Ausgangslage in der Kommune",
    ),
    "Ziele": ("Zielsetzung", "Ziele und erwartete Wirkungen", "Angestrebte Ergebnisse"),
    "Vorgehen": ("Arbeitsprogramm und Vorgehen", "Methodisches Vorgehen", "Umsetzungsschritte"),
}


def _heading(rng, name: str) -> str:
    for key, options in TEXT_HEADINGS.items():
        if name.lower().startswith(key.lower()):
            return pick(rng, options)
    return name


PREAMBLE = r"""\pdfglyphtounicode{ff}{FB00}\pdfglyphtounicode{fi}{FB01}\pdfglyphtounicode{fl}{FB02}
\pdfglyphtounicode{ffi}{FB03}\pdfglyphtounicode{ffl}{FB04}
\documentclass[11pt,a4paper]{article}
\pdfsuppressptexinfo=-1
\pdftrailerid{%(trailerid)s}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[ngerman]{babel}
\usepackage[a4paper,left=25mm,right=25mm,top=28mm,bottom=28mm,headheight=14pt]{geometry}
\usepackage{fancyhdr,multicol,booktabs,array}
\pdfinterwordspaceon
\pdfinfo{/Title %(pdftitle)s /Author %(pdfauthor)s /Creator (LaTeX)}
\setcounter{secnumdepth}{3}
\setcounter{tocdepth}{%(tocdepth)s}
\setlength{\columnsep}{7mm}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex plus 0.2ex}
\pagestyle{fancy}
\fancyhf{}
\fancyhead[L]{\small %(headl)s}
\fancyhead[R]{\small %(headr)s}
\fancyfoot[C]{\small %(foot)s}
\renewcommand{\headrulewidth}{0.4pt}
\renewcommand{\footrulewidth}{%(footrule)s}
\newcommand{\keyline}[2]{\noindent#1\dotfill\ #2\par}
\begin{document}
"""


def _tex_sketch(f: Facts) -> tuple[str, Sheet]:
    rng = rng_for(f, "latex_article")
    sh = Sheet(f)
    sh.phen |= {
        "cover_page",
        "numbered_labels",
        "running_header_footer",
        "dot_leaders",
        "two_columns_justified",
        "ligature_codepoints",
        "section_number_trap",
        "compound_labels",
    }
    lab = {k: pick(rng, v) for k, v in L.items()}
    sec = {k: pick(rng, v) for k, v in SECTION_NAMES.items()}
    amount_style = pick(rng, ("eur", "EUR", "dash", "teur", "euro", "eur"))
    start_style = "month" if rng.random() < 0.7 else pick(rng, ("dot", "long"))
    datum_style = pick(rng, ("long", "dot", "long"))
    dur_style = pick(rng, ("monate", "jahre", "monate"))
    prose_region = rng.random() < 0.7  # district and state only inside the description text

    # --- values, as printed
    def amt(key: str, v: float | None) -> str | None:
        if v is None:
            return None
        return sh.put(key, amount(v, amount_style), lab[key])

    ges = amt("gesamtkosten_eur", f.gesamtkosten)
    foe = amt("foerdersumme_eur", f.foerdersumme)
    eig = amt("eigenanteil_eur", f.eigenanteil)
    beginn = start_value(sh, start_style)
    if beginn is not None:
        sh.put("projektbeginn", beginn, lab["projektbeginn"])
        if month_only(start_style):
            sh.phen.add("month_only_dates")
    dauer = None
    if f.laufzeit_monate is not None:
        dauer = sh.put(
            "laufzeit_monate", duration_text(f.laufzeit_monate, dur_style), lab["laufzeit_monate"]
        )
    datum = datum_value(sh, datum_style)
    if month_only(datum_style):
        sh.phen.add("month_only_dates")

    trailer = hashlib.md5(f"latex_article:{f.sketch_id}:{f.seed}".encode()).hexdigest()
    head_r = "Projektskizze Heimat 2.0" + (f" · {esc(f.akronym)}" if f.akronym else "")
    foot = pick(
        rng, (r"Seite \thepage\ von \pageref{LastPage}", r"-- \thepage\ --", r"Seite \thepage")
    )
    out = [
        PREAMBLE
        % dict(
            trailerid=trailer,
            pdftitle=_info(f.projekttitel),
            pdfauthor=_info(f.antragsteller or ""),
            tocdepth=pick(rng, ("2", "3")),
            headl=esc(f.antragsteller or pick(rng, ("Modellvorhaben Heimat 2.0", "Projektskizze"))),
            headr=head_r,
            foot=foot,
            footrule=pick(rng, ("0pt", "0.4pt")),
        )
    ]

    # --- cover page
    out.append(r"\begin{titlepage}\hyphenpenalty=10000\exhyphenpenalty=10000\centering")
    out.append(
        r"{\large "
        + pick(
            rng,
            (
                "Förderaufruf „Heimat 2.0“",
                "Bundesprogramm Ländliche Entwicklung -- Aufruf „Heimat 2.0“",
                "Modellvorhaben „Heimat 2.0“",
            ),
        )
        + r"\par}\vspace{8mm}"
    )
    out.append(
        r"{\Large "
        + pick(rng, ("Projektskizze", "Skizze zum Modellvorhaben", "Ideenskizze"))
        + r"\par}\vspace{18mm}"
    )
    out.append(r"{\LARGE\bfseries " + esc(f.projekttitel) + r"\par}\vspace{8mm}")
    sh.put("projekttitel", f.projekttitel, "")
    if f.akronym:
        out.append(r"{\large " + lab["akronym"] + ": " + esc(f.akronym) + r"\par}")
        sh.put("akronym", f.akronym, lab["akronym"])
    if f.antragsteller:
        out.append(
            r"\vspace{25mm}{\normalsize "
            + pick(rng, ("vorgelegt von", "eingereicht durch", "Antragstellerin:"))
            + r"\par}\vspace{3mm}"
        )
        out.append(r"{\large\bfseries " + esc(f.antragsteller) + r"\par}\vspace{2mm}")
        sh.put("antragsteller", f.antragsteller, "")
        sh.put("koerperschaft_typ", typ_written(f), "")
    out.append(r"\vfill")
    date_line = pick(rng, ("place", "stand"))
    if date_line == "place":
        out.append(esc(f.ort) + ", " + esc(datum) + r"\par")
        sh.put("datum", datum, "")
    else:
        out.append("Stand: " + esc(datum) + r"\par")
        sh.put("datum", datum, "Stand")
    out.append(r"\end{titlepage}")

    # --- contents
    out.append(r"\tableofcontents")
    out.append(r"\clearpage" if rng.random() < 0.5 else r"\bigskip")

    # --- 1 key data with dot leaders
    keys: list[tuple[str, str]] = (
        [(lab["antragsteller"], esc(f.antragsteller))] if f.antragsteller else []
    )
    if f.akronym:
        keys.append((lab["akronym"], esc(f.akronym)))
    if beginn:
        keys.append((lab["projektbeginn"], esc(beginn)))
    if dauer:
        keys.append((lab["laufzeit_monate"], esc(dauer)))
    money = [
        (lab[k], esc(v))
        for k, v in (("gesamtkosten_eur", ges), ("foerdersumme_eur", foe), ("eigenanteil_eur", eig))
        if v
    ]
    head_keys = keys[:1]
    rest = keys[1:]
    rng.shuffle(rest)
    keys = head_keys + rest + money
    out.append(r"\section{" + sec["eckdaten"] + "}")
    out.append(r"{\raggedright\hyphenpenalty=10000\exhyphenpenalty=10000")
    for k, v in keys:
        out.append(r"\keyline{" + k + "}{" + v + "}")
    out.append(r"}")
    if f.antragsteller:
        sh.labels["antragsteller"] = lab["antragsteller"]

    # --- 2 applicant (subsections in varying order)
    a_sub: list[str] = []
    addr = (
        r"\subsection{"
        + lab["anschrift"]
        + "}\n"
        + (esc(f.antragsteller) + r"\\" + "\n" if f.antragsteller else "")
        + esc(f.street)
        + r"\\"
        + "\n"
        + esc(f.plz)
        + " "
        + esc(f.ort)
        + r"\par"
    )
    sh.put("plz", f.plz, lab["anschrift"])
    a_sub.append(addr)
    struct = [r"\subsection{" + sec["struktur"] + "}"]
    if f.einwohnerzahl is not None:
        ew = de_int(f.einwohnerzahl)
        sh.put("einwohnerzahl", ew, lab["einwohnerzahl"])
        form = rng.randrange(3)
        if form == 0:
            body = f"{ew} (Stand: 31.12.2019)"
        elif form == 1:
            body = f"{ew} Einwohnerinnen und Einwohner, Stichtag 31.12.2019."
        else:
            body = f"{ew}\\par Quelle: amtliche Bevölkerungsfortschreibung, Stand 31.12.2019."
        struct.append(r"\subsubsection{" + lab["einwohnerzahl"] + "}\n" + body + r"\par")
    if not prose_region:
        state_word = pick(rng, ("im Land", "im Bundesland", "in"))
        if f.koerperschaft_typ == "Landkreis" and f.antragsteller:
            sentence = f"{val(f.landkreis_written)} liegt {state_word} {val(f.bundesland)}."
        else:
            who = esc(f.place) if f.antragsteller else "Das Gebiet der Kommune"
            to = "zur" if f.landkreis_written.split()[0] in ("Region", "Städteregion") else "zum"
            sentence = (
                f"{who} gehört {to} {val(f.landkreis_written)} und liegt {state_word} "
                f"{val(f.bundesland)}."
            )
        struct.append(r"\subsubsection{" + lab["kreis"] + "}\n" + sentence + r"\par")
        sh.put("landkreis", f.landkreis_written, lab["kreis"])
        sh.put("bundesland", f.bundesland, lab["kreis"])
    if len(struct) > 1:
        a_sub.append("\n".join(struct))
    if f.ansprechperson is not None or f.email or f.telefon:
        c = [r"\subsection{" + lab["kontakt"] + "}"]
        lines = []
        if f.ansprechperson is not None:
            p = f.ansprechperson
            lines.append(
                lab["ansprechperson"] + ": " + esc(f"{p.anrede} {p.name}") + ", " + esc(f.funktion)
            )
            sh.put("ansprechperson", p.name, lab["ansprechperson"])
        if f.email:
            lines.append(lab["email"] + ": " + mail(f.email))
            sh.put("email", f.email, lab["email"])
        if f.telefon:
            if rng.random() < 0.85:
                lines.append(lab["telefon"] + ": " + esc(f.telefon))
                sh.put("telefon", f.telefon, lab["telefon"])
            else:
                sh.omitted.add("telefon")
        c.append(r"\\".join(lines) + r"\par")
        a_sub.append("\n".join(c))
    rng.shuffle(a_sub)
    sec_a = r"\section{" + sec["antrag"] + "}\n" + "\n".join(a_sub)

    # --- 3 subject of the project
    v_sub = [r"\subsection{" + lab["projekttitel"] + "}\n" + esc(f.projekttitel) + r"\par"]
    sh.labels["projekttitel"] = lab["projekttitel"]
    topics = topic_list(f)
    if f.themenfelder or rng.random() < 0.5:
        mark = pick(rng, ("×", "ja", "X"))
        rows = [
            r"\subsection{" + lab["themen"] + "}",
            r"\begin{center}\small\begin{tabular}"
            r"{@{}r >{\raggedright\arraybackslash\hyphenpenalty=10000}"
            r"p{0.68\textwidth} c@{}}\toprule",
            r"Nr. & Themenfeld & Zuordnung\\\midrule",
        ]
        for i, (t, on) in enumerate(topics, 1):
            rows.append(f"{i} & {esc(t)} & {mark if on else ''}" + r"\\")
        rows.append(r"\bottomrule\end{tabular}\end{center}")
        v_sub.append("\n".join(rows))
        sh.put("themenfelder", [t for t, on in topics if on], lab["themen"])
    if f.kooperationspartner:
        roles = rng.random() < 0.7 and len(f.partner_roles) >= len(f.kooperationspartner)
        items = []
        for i, name in enumerate(f.kooperationspartner):
            r = f" -- {esc(f.partner_roles[i])}" if roles else ""
            items.append(r"\item " + esc(name) + r)
        v_sub.append(
            r"\subsection{"
            + lab["partner"]
            + "}\n"
            + pick(
                rng,
                (
                    "Das Vorhaben wird im Verbund mit folgenden Partnern umgesetzt:",
                    "Folgende Einrichtungen wirken verbindlich mit:",
                    "Am Vorhaben beteiligt sind:",
                ),
            )
            + "\n"
            + r"\begin{itemize}\setlength{\itemsep}{0pt}"
            + "\n"
            + "\n".join(items)
            + "\n"
            + r"\end{itemize}"
        )
        sh.put("kooperationspartner", list(f.kooperationspartner), lab["partner"])
    sec_v = r"\section{" + sec["vorhaben"] + "}\n" + "\n".join(v_sub)

    # --- 4 free text in two columns
    txt = [r"\section{" + sec["text"] + "}"]
    if prose_region:  # district and state only in this lead paragraph (full width)
        art = {"Landkreis": "Der", "Markt": "Der", "Amt": "Das"}.get(f.koerperschaft_typ, "Die")
        kw = f.landkreis_written.split()[0]
        prep = "in der" if kw in ("Region", "Städteregion") else "im"
        if not f.antragsteller:
            lead = (
                f"Die antragstellende Kommune liegt {prep} {val(f.landkreis_written)} "
                f"({val(f.bundesland)}) und"
            )
        elif f.koerperschaft_typ == "Landkreis":
            lead = f"{art} {val(f.antragsteller)} ({val(f.bundesland)})"
        else:
            lead = (
                f"{art} {val(f.antragsteller)} {pick(rng, ('liegt', 'befindet sich'))} {prep} "
                f"{val(f.landkreis_written)} ({val(f.bundesland)}) und"
            )
        lead += pick(
            rng,
            (
                " bewirbt sich mit der vorliegenden Skizze um die Aufnahme als Modellvorhaben.",
                " legt hiermit die Skizze für ein Modellvorhaben im ländlichen Raum vor.",
                " beschreibt im Folgenden Ausgangslage, Ziele und Vorgehen"
                " des geplanten Vorhabens.",
            ),
        )
        txt.append(lead + r"\par\medskip")
        sh.put("landkreis", f.landkreis_written, "")
        sh.put("bundesland", f.bundesland, "")
        sh.phen.add("prose_only_values")
    txt.append(r"\begin{multicols}{2}\raggedcolumns")
    for name, paras in f.sections:
        txt.append(r"\subsection{" + esc(_heading(rng, name)) + "}")
        for para in paras:
            txt.append(esc(para) + r"\par")
    txt.append(r"\end{multicols}")
    sec_t = "\n".join(txt)

    # --- 5 time and money
    z = [r"\section{" + sec["zeitfin"] + "}"]
    zlines = []
    if beginn:
        zlines.append(lab["projektbeginn"] + ": " + esc(beginn))
    if dauer:
        zlines.append(lab["laufzeit_monate"] + ": " + esc(dauer))
    if f.projektende is not None and not month_only(start_style) and rng.random() < 0.4:
        zlines.append("Voraussichtliches Ende: " + date_text(f.projektende, start_style))
    if zlines:
        z.append(r"\subsection{" + sec["zeit"] + "}\n" + r"\\".join(zlines) + r"\par")
    if f.budget and f.gesamtkosten is not None:
        sh.phen.add("yearly_budget_table")
        years = sorted({y for b in f.budget for y in b.per_year})
        cols = "l" + "r" * (len(years) + 1)
        t = [
            r"\subsection{" + sec["plan"] + "}",
            r"\begin{center}\small\begin{tabular}{@{}" + cols + r"@{}}\toprule",
            "Ausgabenart (in €) & " + " & ".join(str(y) for y in years) + r" & Summe\\\midrule",
        ]
        for b in f.budget:
            t.append(
                esc(b.label)
                + " & "
                + " & ".join(de_num(b.per_year.get(y, 0.0)) for y in years)
                + " & "
                + de_num(b.total)
                + r"\\"
            )
        t.append(r"\midrule")
        yearly = [sum(b.per_year.get(y, 0.0) for b in f.budget) for y in years]
        t.append(
            pick(rng, ("Summe je Jahr", "Zwischensumme Haushaltsjahr", "Jahressumme"))
            + " & "
            + " & ".join(de_num(v) for v in yearly)
            + r" & \textbf{"
            + de_num(f.gesamtkosten)
            + r"}\\"
        )
        t.append(r"\bottomrule\end{tabular}\end{center}")
        z.append("\n".join(t))
    fin = []
    for key, v in (("gesamtkosten_eur", ges), ("foerdersumme_eur", foe), ("eigenanteil_eur", eig)):
        if v:
            fin.append(r"\subsubsection{" + lab[key] + "}\n" + esc(v) + r"\par")
    if fin:
        z.append(r"\subsection{" + sec["fin"] + "}\n" + "\n".join(fin))
        if f.foerdersumme and f.gesamtkosten and rng.random() < 0.5:
            q = f.foerdersumme / f.gesamtkosten * 100
            z.append(f"Die Förderquote beträgt damit rund {de_num(q, 0)} Prozent.\\par")
    sec_z = "\n".join(z)

    body = [sec_a, sec_v] if rng.random() < 0.6 else [sec_v, sec_a]
    out += [*body, sec_t, sec_z]
    out.append(r"\label{LastPage}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n", sh


def _compile(job: tuple[str, str, Path]) -> bytes:
    name, tex, work = job
    d = work / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    (d / "skizze.tex").write_text(tex, encoding="utf-8")
    # pass 1 only writes .aux/.toc (draft mode, no PDF); pass 2 sets contents and page refs
    run(
        ["pdflatex", "-draftmode", "-interaction=nonstopmode", "-halt-on-error", "skizze.tex"],
        cwd=d,
    )
    run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "skizze.tex"], cwd=d)
    return (d / "skizze.pdf").read_bytes()


def render(facts: Sequence[Facts], work: Path) -> list[Rendered]:
    work.mkdir(parents=True, exist_ok=True)
    built = [_tex_sketch(f) for f in facts]
    jobs = [
        (re.sub(r"\W", "_", f.sketch_id), tex, work)
        for f, (tex, _) in zip(facts, built, strict=True)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(_compile, jobs))
    return [sh.rendered(pdf) for pdf, (_, sh) in zip(pdfs, built, strict=True)]


LAYOUT = Layout(
    name="latex_article",
    producer="latex",
    phenomena=frozenset(
        {
            "cover_page",
            "numbered_labels",
            "running_header_footer",
            "dot_leaders",
            "two_columns_justified",
            "ligature_codepoints",
            "month_only_dates",
            "section_number_trap",
            "yearly_budget_table",
            "prose_only_values",
            "compound_labels",
        }
    ),
    render=render,
    description="pdfLaTeX article: cover page, table of contents, numbered (sub)sections, "
    "fancyhdr header/footer, dot-leader key data, two-column justified free text, "
    "booktabs yearly budget table, ligature code points in the text layer",
)
