"""Layout ``rl_canvas_panel``: a dense "Projektsteckbrief" drawn with reportlab's canvas.

No platypus: every string is placed with ``drawString`` at computed positions. A boxed
key-data panel in 7 pt (top right beside the title, or across the page) holds labelled
values; in some of its rows the words are placed one by one without space characters (as
some layout programs do), values wrap inside the panel, partners carry private-use bullets,
amounts use U+202F as thousands separator, and the topic fields are drawn squares with a
vector tick or ballot-box characters U+2612/U+2610 (every third sketch that declares topic
fields, and every sketch that declares none: then all seven unticked). The free text below
uses f-ligature code points and PUA bullets.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zoogen.layouts import _pl_common as C
from zoogen.layouts._pl_fonts import PUA_BULLET, PUA_SQUARE, register_reportlab_fonts
from zoogen.model import TOPIC_FIELDS, Facts, Rendered

NNBSP = "\u202f"
BOX_ON, BOX_OFF = "\u2612", "\u2610"  # BALLOT BOX WITH X, BALLOT BOX
PANEL_SIZE = 7.0
MAX_LABEL_WORD = 105.0
PANEL_LEAD = 8.6

ACCENTS = ((0.05, 0.33, 0.40), (0.10, 0.22, 0.45), (0.45, 0.10, 0.15), (0.15, 0.38, 0.18))
PANEL_FILLS = ((0.95, 0.96, 0.96), (0.94, 0.95, 0.98), (0.97, 0.95, 0.94), (1, 1, 1))

# label variants per field: compounds and longer phrases (this layout's own wording)
LABELS: dict[str, tuple[str, ...]] = {
    "projekttitel": ("Vorhabentitel", "Titel des Modellvorhabens", "Projekttitel (Arbeitstitel)"),
    "akronym": ("Projektkürzel", "Kurzbezeichnung", "Kurztitel/Akronym"),
    "antragsteller": (
        "Antragstellerkommune",
        "Antragstellende Gebietskörperschaft",
        "Zuwendungsempfängerin",
    ),
    "koerperschaft_typ": ("Körperschaftsform", "Art der Gebietskörperschaft", "Kommunaltyp"),
    "anschrift": ("Postanschrift", "Verwaltungsanschrift", "Dienstanschrift"),
    "landkreis": ("Zugehöriger Landkreis", "Kreiszugehörigkeit", "Landkreis/Kreis"),
    "bundesland": ("Bundesland", "Sitzland", "Land (Sitz der Kommune)"),
    "einwohnerzahl": (
        "Einwohnerzahl (Stand 31.12.2019)",
        "Einwohnerinnen und Einwohner",
        "Bevölkerungszahl",
    ),
    "ansprechperson": ("Projektverantwortliche Person", "Kontaktperson", "Ansprechpartner/-in"),
    "telefon": ("Telefonnummer", "Tel.-Durchwahl", "Rufnummer"),
    "email": ("E-Mail-Adresse", "E-Mail (dienstlich)", "Kontaktadresse E-Mail"),
    "kooperationspartner": (
        "Kooperationspartnerinnen und -partner",
        "Beteiligte Partnerorganisationen",
        "Projektpartner (verbindlich)",
    ),
    "laufzeit_monate": ("Projektlaufzeit", "Gesamtlaufzeit", "Vorhabendauer"),
    "laufzeit_range": ("Durchführungszeitraum", "Projektzeitraum", "Umsetzungszeitraum"),
    "projektbeginn": ("Vorhabenbeginn", "Geplanter Projektstart", "Starttermin (geplant)"),
    "gesamtkosten_eur": (
        "Gesamtkostenvolumen",
        "Projektkosten insgesamt",
        "Gesamtausgaben (brutto)",
    ),
    "foerdersumme_eur": ("Beantragte Zuwendung", "Zuwendungsbedarf", "Fördermittelbedarf"),
    "eigenanteil_eur": ("Kommunaler Eigenanteil", "Eigenmittel der Kommune", "Eigenbeteiligung"),
    "datum": ("Stand des Steckbriefs", "Erstellt am", "Datum der Skizze"),
}
PANEL_HEADINGS = (
    "Eckdaten auf einen Blick",
    "Kennzahlen des Vorhabens",
    "Steckbrief – Basisdaten",
    "Das Vorhaben in Zahlen",
)
TOPIC_HEADINGS = (
    "Themenfelder des Aufrufs",
    "Zuordnung zu den Themenfeldern",
    "Themenfeld(er) gem. Förderaufruf",
)
SECTION_RENAMES = {
    "ausgangs": (
        "Ausgangssituation",
        "Ausgangslage und Handlungsbedarf",
        "Problemstellung vor Ort",
    ),
    "ziel": ("Zielsetzung", "Ziele des Vorhabens", "Was erreicht werden soll"),
    "vorgehen": ("Vorgehensweise und Arbeitsplan", "Umsetzungsschritte", "Geplantes Vorgehen"),
    "umsetz": ("Vorgehensweise und Arbeitsplan", "Umsetzungsschritte", "Geplantes Vorgehen"),
}
HINTS = (
    "Hinweis: Alle Angaben sind vorläufig; Aufgabenprofile, Zeitplan und Kostenansätze werden "
    "im Antragsverfahren flexibel konkretisiert.",
    "Die Eckdaten sind vorläufige Planwerte. Das Aufgabenprofil der Projektstelle wird flexibel "
    "an die Ergebnisse der Bedarfsanalyse angepasst.",
)


@dataclass
class Row:
    key: str
    label: str
    value: str | list[str]  # list: bulleted items
    fields: list[tuple[str, object]] = field(default_factory=list)  # (field, written)
    words: bool = False  # place words one by one (no space characters)


def _sw(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _words(text: str) -> list[str]:
    """Split at ASCII spaces only (U+202F / U+00A0 keep an amount together)."""
    return [w for w in text.replace("\n", " ").split(" ") if w]


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces (a word longer than the width is split)."""
    lines: list[str] = []
    cur = ""
    for word in _words(text):
        trial = f"{cur} {word}" if cur else word
        if _sw(trial, font, size) <= width or not cur:
            if not cur and _sw(word, font, size) > width:
                # split an overlong word (an e-mail address in a narrow column)
                part = ""
                for ch in word:
                    if _sw(part + ch, font, size) > width and part:
                        lines.append(part)
                        part = ""
                    part += ch
                cur = part
            else:
                cur = trial
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


class Page:
    """The canvas plus a cursor for running text (page breaks, column narrowed beside the panel)."""

    def __init__(self, c, rng: random.Random, f: Facts, st: dict):
        from reportlab.lib.pagesizes import A4

        self.c = c
        self.rng = rng
        self.f = f
        self.st = st
        self.W, self.H = A4
        self.ml = st["ml"]
        self.mr = st["mr"]
        self.top = self.H - 48
        self.bottom = 58
        self.y = self.top
        self.page_no = 1
        self.narrow_until = None  # (y_bottom, width) on page 1

    @property
    def x0(self) -> float:
        return self.ml

    def width(self) -> float:
        full = self.W - self.ml - self.mr
        if self.narrow_until and self.page_no == 1 and self.y > self.narrow_until[0]:
            return self.narrow_until[1]
        return full

    def footer(self) -> None:
        c, st = self.c, self.st
        c.setStrokeColorRGB(*st["accent"])
        c.setLineWidth(0.5)
        c.line(self.ml, 42, self.W - self.mr, 42)
        c.setFillColorRGB(0.35, 0.35, 0.35)
        c.setFont("PL-Sans", 7)
        c.drawString(self.ml, 32, st["footer_left"])
        c.drawRightString(self.W - self.mr, 32, f"Seite {self.page_no}")
        c.setFillColorRGB(0, 0, 0)

    def new_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.page_no += 1
        c = self.c
        c.setFont("PL-Sans", 7.5)
        c.setFillColorRGB(0.35, 0.35, 0.35)
        c.drawString(self.ml, self.H - 34, self.st["running_head"])
        c.setFillColorRGB(0, 0, 0)
        self.y = self.H - 56

    def need(self, h: float) -> None:
        if self.y - h < self.bottom:
            self.new_page()

    def para(
        self,
        text: str,
        font: str,
        size: float,
        lead: float,
        indent: float = 0.0,
        bullet: str | None = None,
        after: float = 4.0,
    ) -> None:
        first = True
        remaining = _words(text)
        while remaining:
            self.need(lead)
            w = self.width() - indent
            # take as many words as fit this line's width (which may change with y)
            line = ""
            while remaining:
                trial = f"{line} {remaining[0]}" if line else remaining[0]
                if line and _sw(trial, font, size) > w:
                    break
                line = trial
                remaining.pop(0)
            self.y -= lead
            if bullet and first:
                self.c.setFont("PL-PUASym", size)
                self.c.drawString(self.x0 + indent - 9, self.y, bullet)
            self.c.setFont(font, size)
            self.c.drawString(self.x0 + indent, self.y, line)
            first = False
        self.y -= after


SHORT_LABELS = {
    "projekttitel": "Titel",
    "akronym": "Kürzel",
    "antragsteller": "Kommune",
    "anschrift": "Anschrift",
    "landkreis": "Landkreis",
    "bundesland": "Land",
    "einwohnerzahl": "Einwohner",
    "ansprechperson": "Kontakt",
    "telefon": "Telefon",
    "email": "E-Mail",
    "kooperationspartner": "Partner",
    "laufzeit_monate": "Laufzeit",
    "projektbeginn": "Beginn",
    "gesamtkosten_eur": "Gesamtkosten",
    "foerdersumme_eur": "Zuwendung",
    "eigenanteil_eur": "Eigenanteil",
    "datum": "Stand",
    "koerperschaft_typ": "Typ",
}


def settle_labels(rows: list[Row], width: float, label_w: float) -> None:
    """A wrapped value gets a one-line label: a label wrapping beside a wrapping value would
    interleave the two in the text layer (the value is then not contiguous in any reading)."""
    for r in rows:
        n_val = len(_row_lines(r, width, label_w, value_only=True))
        if n_val < 2 or len(wrap(r.label, "PL-Sans-Bold", PANEL_SIZE, label_w - 4)) < 2:
            continue
        key = "laufzeit_range" if r.label in LABELS["laufzeit_range"] else r.key
        one_line = [
            x for x in LABELS.get(key, ()) if _sw(x, "PL-Sans-Bold", PANEL_SIZE) <= label_w - 4
        ]
        r.label = one_line[0] if one_line else SHORT_LABELS.get(r.key, r.label.split()[0])


def fit_label_w(rows: list[Row], label_w: float) -> float:
    """Widen the label column so that no label word has to be split."""
    need = max(
        (_sw(w, "PL-Sans-Bold", PANEL_SIZE) for r in rows for w in r.label.split()), default=0
    )
    return max(label_w, need + 6)


def _panel_height(rows: list[Row], width: float, label_w: float) -> float:
    h = 0.0
    for r in rows:
        h += len(_row_lines(r, width, label_w)) * PANEL_LEAD + 2.2
    return h


def _row_lines(
    r: Row, width: float, label_w: float, value_only: bool = False
) -> list[tuple[str, bool]]:
    """Value lines of a row: (text, starts a bulleted item), padded to the label's lines."""
    vw = width - label_w - 8
    out: list[tuple[str, bool]] = []
    if isinstance(r.value, list):
        for item in r.value:
            for i, ln in enumerate(wrap(item, "PL-Sans", PANEL_SIZE, vw - 7)):
                out.append((ln, i == 0))
    else:
        for ln in wrap(r.value, "PL-Sans", PANEL_SIZE, vw):
            out.append((ln, False))
    if value_only:
        return out
    lab = wrap(r.label, "PL-Sans-Bold", PANEL_SIZE, label_w - 4)
    while len(out) < len(lab):
        out.append(("", False))
    return out


def _draw_words(c, x: float, y: float, text: str, font: str, size: float) -> None:
    """Each word on its own, advanced by the space width: no space character in the PDF."""
    sp = _sw(" ", font, size)
    for w in _words(text):
        c.drawString(x, y, w)
        x += _sw(w, font, size) + sp


def topics_height(width: float, cols: int) -> float:
    """Height draw_topics() will take."""
    col_w = width / cols
    per_col = (len(TOPIC_FIELDS) + cols - 1) // cols
    best = 0.0
    for col in range(cols):
        h = sum(
            len(wrap(t, "PL-Sans", PANEL_SIZE, col_w - 16)) * PANEL_LEAD + 3
            for t in TOPIC_FIELDS[col * per_col : (col + 1) * per_col]
        )
        best = max(best, h)
    return 12 + best + 4


def draw_panel(
    c,
    x: float,
    ytop: float,
    width: float,
    label_w: float,
    rows: list[Row],
    heading: str,
    st: dict,
    wrapped: set[str],
    frame: bool = True,
    bar_width: float | None = None,
    extra_h: float = 0.0,
) -> float:
    """The boxed key-data panel; returns its bottom y. Records wrapped rows in ``wrapped``.

    ``frame=False`` draws only the rows (and the heading bar if ``heading``), for a panel
    made of two halves inside one frame drawn by the caller."""
    body_h = _panel_height(rows, width, label_w)
    total_h = body_h + 22
    ybot = ytop - total_h
    if frame:  # extra_h: room below the rows inside the frame (the topic squares)
        c.setFillColorRGB(*st["panel_fill"])
        c.setStrokeColorRGB(*st["accent"])
        c.setLineWidth(0.8)
        c.rect(x, ybot - extra_h, width, total_h + extra_h, stroke=1, fill=1)
    if heading:
        c.setFillColorRGB(*st["accent"])
        c.rect(x, ytop - 13, bar_width or width, 13, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont("PL-Sans-Bold", 7.5)
        c.drawString(x + 4, ytop - 9.5, heading)
    c.setFillColorRGB(0, 0, 0)
    y = ytop - 13 - 4
    # a hairline between the label and the value column (as in a Word table without borders)
    c.setStrokeColorRGB(0.82, 0.82, 0.82)
    c.setLineWidth(0.3)
    c.line(x + label_w + 1, y, x + label_w + 1, ybot + 3)
    for r in rows:
        lines = _row_lines(r, width, label_w)
        lab = wrap(r.label, "PL-Sans-Bold", PANEL_SIZE, label_w - 4)
        if sum(1 for t, _ in lines if t) > 1 and not isinstance(r.value, list):
            wrapped.add(r.key)
        if isinstance(r.value, list) and len(lines) > len(r.value):
            wrapped.add(r.key)
        for i, (text, bullet) in enumerate(lines):
            y -= PANEL_LEAD
            if i < len(lab):
                c.setFont("PL-Sans-Bold", PANEL_SIZE)
                c.setFillColorRGB(0.25, 0.25, 0.25)
                c.drawString(x + 4, y, lab[i])
                c.setFillColorRGB(0, 0, 0)
            vx = x + label_w + 4
            if isinstance(r.value, list):
                if bullet:
                    c.setFont("PL-PUASym", PANEL_SIZE)
                    c.drawString(vx, y, PUA_BULLET)
                vx += 7
            if not text:
                continue
            c.setFont("PL-Sans", PANEL_SIZE)
            if r.words:
                _draw_words(c, vx, y, text, "PL-Sans", PANEL_SIZE)
            else:
                c.drawString(vx, y, text)
        y -= 2.2
        c.setStrokeColorRGB(0.78, 0.78, 0.78)
        c.setLineWidth(0.3)
        c.line(x + 3, y + 0.8, x + width - 3, y + 0.8)
    return ybot


def draw_topics(
    c,
    x: float,
    ytop: float,
    width: float,
    cols: int,
    declared: Sequence[str],
    heading: str,
    st: dict,
    boxes: list,
    chars: bool = False,
) -> float:
    """Seven drawn squares with a vector tick (two line segments) in the declared ones; with
    ``chars`` ballot-box characters instead (U+2612 declared, U+2610 not; DejaVu Sans), which
    stand in the text layer."""
    col_w = width / cols
    per_col = (len(TOPIC_FIELDS) + cols - 1) // cols
    c.setFont("PL-Sans-Bold", PANEL_SIZE + 0.5)
    c.setFillColorRGB(*st["accent"])
    c.drawString(x, ytop - 8, heading)
    c.setFillColorRGB(0, 0, 0)
    y0 = ytop - 12
    low = y0
    for i, topic in enumerate(TOPIC_FIELDS):
        col = i // per_col
        bx = x + col * col_w
        lines = wrap(topic, "PL-Sans", PANEL_SIZE, col_w - 16)
        # rows of a column stack; compute y by summing previous heights in that column
        yy = y0
        for j in range(col * per_col, i):
            yy -= len(wrap(TOPIC_FIELDS[j], "PL-Sans", PANEL_SIZE, col_w - 16)) * PANEL_LEAD + 3
        by = yy - PANEL_LEAD
        ticked = topic in declared
        if chars:
            c.setFillColorRGB(0.1, 0.1, 0.1)
            c.setFont("PL-Sans", PANEL_SIZE + 1.5)
            c.drawString(bx - 0.4, by - 0.9, BOX_ON if ticked else BOX_OFF)
            c.setFillColorRGB(0, 0, 0)
            boxes.append((topic, ticked, (bx, by - 1, 6.2, 6.2)))
            c.setFont("PL-Sans", PANEL_SIZE)
            for k, ln in enumerate(lines):
                c.drawString(bx + 10, by - k * PANEL_LEAD, ln)
            low = min(low, by - (len(lines) - 1) * PANEL_LEAD - 4)
            continue
        c.setStrokeColorRGB(0.1, 0.1, 0.1)
        c.setLineWidth(0.6)
        c.rect(bx, by - 1, 6.2, 6.2, stroke=1, fill=0)
        if ticked:
            c.setLineWidth(1.1)
            c.line(bx + 1.1, by + 2.4, bx + 2.6, by + 0.6)
            c.line(bx + 2.6, by + 0.6, bx + 5.6, by + 5.4)
        boxes.append((topic, ticked, (bx, by - 1, 6.2, 6.2)))
        c.setFont("PL-Sans", PANEL_SIZE)
        for k, ln in enumerate(lines):
            c.drawString(bx + 10, by - k * PANEL_LEAD, ln)
        low = min(low, by - (len(lines) - 1) * PANEL_LEAD - 4)
    return low


def _build_rows(
    f: Facts, rng: random.Random, omitted: set[str], overrides: dict, with_title: bool
) -> tuple[list[Row], dict[str, str]]:
    """The panel rows (values as printed) and the label of each field."""
    labels: dict[str, str] = {}
    # amounts: U+202F thousands separators in most sketches, rounded T€ in a few (whose
    # population then carries the U+202F)
    money_nnbsp = rng.random() < 0.85

    def lab(key: str) -> str:
        # a label word must fit the label column (longest word at most ~105 pt at 7 pt bold)
        fits = [
            x
            for x in LABELS[key]
            if max(_sw(w, "PL-Sans-Bold", PANEL_SIZE) for w in x.split()) <= MAX_LABEL_WORD
        ]
        return C.pick(rng, fits or LABELS[key])

    applicant: list[Row] = []
    contact: list[Row] = []
    project: list[Row] = []
    money: list[Row] = []
    if with_title:
        project.append(
            Row(
                "projekttitel",
                lab("projekttitel"),
                f.projekttitel,
                [("projekttitel", f.projekttitel)],
            )
        )
    if f.akronym:
        project.append(Row("akronym", lab("akronym"), f.akronym, [("akronym", f.akronym)]))
    if f.antragsteller is not None:  # None: the missing-field case, no applicant named
        applicant.append(
            Row(
                "antragsteller",
                lab("antragsteller"),
                f.antragsteller,
                [("antragsteller", f.antragsteller), ("koerperschaft_typ", C.type_written(f))],
            )
        )
    if f.antragsteller is not None and rng.random() < 0.35:
        applicant.append(
            Row(
                "koerperschaft_typ",
                lab("koerperschaft_typ"),
                f.koerperschaft_typ,
                [("koerperschaft_typ", f.koerperschaft_typ)],
            )
        )
    applicant.append(
        Row("anschrift", lab("anschrift"), f"{f.street}, {f.plz} {f.ort}", [("plz", f.plz)])
    )
    applicant.append(
        Row(
            "landkreis", lab("landkreis"), f.landkreis_written, [("landkreis", f.landkreis_written)]
        )
    )
    applicant.append(
        Row("bundesland", lab("bundesland"), f.bundesland, [("bundesland", f.bundesland)])
    )
    if f.einwohnerzahl is not None:
        if rng.random() < 0.12 and "invalid_population" not in f.violations:  # keep a planned case
            omitted.add("einwohnerzahl")
        else:
            if money_nnbsp:
                style, sep = (
                    C.pick(rng, ("plain", "plain", "ca", "nosep")),
                    C.pick(rng, (".", NNBSP)),
                )
            else:
                style, sep = C.pick(rng, ("plain", "ca")), NNBSP
            txt, val = C.fmt_population(f.einwohnerzahl, style, sep=sep)
            if val != f.einwohnerzahl:
                overrides["einwohnerzahl"] = val
            applicant.append(
                Row("einwohnerzahl", lab("einwohnerzahl"), txt, [("einwohnerzahl", txt)])
            )
    if f.ansprechperson is not None:
        name = f.ansprechperson.name
        shown = C.person_with_anrede(f, rng, 0.4)
        if rng.random() < 0.6 and f.funktion:
            shown = f"{shown}, {f.funktion}"
        contact.append(
            Row("ansprechperson", lab("ansprechperson"), shown, [("ansprechperson", name)])
        )
    if f.telefon is not None:
        if rng.random() < 0.15:
            omitted.add("telefon")
        else:
            contact.append(Row("telefon", lab("telefon"), f.telefon, [("telefon", f.telefon)]))
    if f.email is not None:
        contact.append(Row("email", lab("email"), f.email, [("email", f.email)]))
    if f.kooperationspartner:
        with_roles = rng.random() < 0.5 and len(f.partner_roles) == len(f.kooperationspartner)
        items = (
            [f"{p} ({r})" for p, r in zip(f.kooperationspartner, f.partner_roles, strict=True)]
            if with_roles
            else list(f.kooperationspartner)
        )
        project.append(
            Row(
                "kooperationspartner",
                lab("kooperationspartner"),
                items,
                [("kooperationspartner", list(f.kooperationspartner))],
            )
        )
    # duration / start
    if f.laufzeit_monate is not None and f.projektbeginn is not None and rng.random() < 0.3:
        rng_txt = C.date_range(f.projektbeginn, f.laufzeit_monate, "num")
        project.append(
            Row(
                "laufzeit_monate",
                lab("laufzeit_range"),
                rng_txt,
                [("laufzeit_monate", rng_txt), ("projektbeginn", rng_txt.split(" – ")[0])],
            )
        )
    else:
        if f.projektbeginn is not None:
            how = C.pick(rng, ("num", "long", "month_name", "month_slash"))
            if how.startswith("month"):
                txt = C.fmt_month(f.projektbeginn, how.split("_")[1].replace("name", "name"))
                overrides["projektbeginn"] = f.projektbeginn.replace(day=1).isoformat()
            else:
                txt = C.fmt_date(f.projektbeginn, how)
            project.append(
                Row("projektbeginn", lab("projektbeginn"), txt, [("projektbeginn", txt)])
            )
        if f.laufzeit_monate is not None:
            txt = C.fmt_duration(f.laufzeit_monate, C.pick(rng, ("months", "months", "years")))
            project.append(
                Row("laufzeit_monate", lab("laufzeit_monate"), txt, [("laufzeit_monate", txt)])
            )
    # money: NNBSP thousands in most sketches, else rounded T€
    if money_nnbsp:
        texts, ov = C.amount_set(f, C.pick(rng, ("full", "eur", "dash", "full")), sep=NNBSP)
    else:
        texts, ov = C.amount_set(f, "teur", sep=".", fallback="full")
    overrides.update(ov)
    for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        if k in texts:
            money.append(Row(k, lab(k), texts[k], [(k, texts[k])]))
    # order: groups and rows within them vary a little
    groups = [applicant, contact, project, money]
    if rng.random() < 0.5:
        groups = [project, applicant, contact, money]
    if rng.random() < 0.3:
        groups[-1], groups[-2] = groups[-2], groups[-1]
    rows: list[Row] = []
    for g in groups:
        if len(g) > 2 and rng.random() < 0.4:
            i = rng.randrange(1, len(g) - 1)
            g[i], g[i + 1] = g[i + 1], g[i]
        rows.extend(g)
    # lost spaces: words placed one by one in all value rows, or in a few of them
    if rng.random() < 0.5:
        for r in rows:
            r.words = True
    else:
        idx = list(range(len(rows)))
        rng.shuffle(idx)
        for i in idx[: max(3, len(rows) // 3)]:
            rows[i].words = True
    return rows, labels


def row_labels(rows: list[Row], labels: dict[str, str]) -> None:
    """labels[field] = the label printed in the field's row."""
    for r in rows:
        for fld, _ in r.fields:
            if fld == "koerperschaft_typ" and r.key == "antragsteller":
                continue
            labels[fld] = r.label


def _section_heading(h: str, i: int, rng_choice: int, style: int) -> str:
    low = h.lower()
    name = h
    for stem, alts in SECTION_RENAMES.items():
        if low.startswith(stem):
            name = alts[rng_choice % len(alts)]
            break
    if style == 0:
        return f"{i}. {name}"
    if style == 1:
        return name.upper()
    return name


def render_one(f: Facts) -> Rendered:
    from reportlab.pdfgen import canvas

    rng = random.Random(f"rl_canvas_panel:{f.seed}")
    omitted: set[str] = set()
    overrides: dict = {}
    variant = C.pick(rng, ("right", "across"))
    st = {
        "accent": C.pick(rng, ACCENTS),
        "panel_fill": C.pick(rng, PANEL_FILLS),
        "ml": C.pick(rng, (42.0, 48.0, 54.0)),
        "mr": C.pick(rng, (40.0, 46.0)),
    }
    body_font, body_bold = C.pick(
        rng,
        (
            ("PL-Serif", "PL-Serif-Bold"),
            ("PL-Lib", "PL-Lib-Bold"),
            ("PL-LibSerif", "PL-LibSerif-Bold"),
        ),
    )
    body_size = C.pick(rng, (9.0, 9.5, 10.0))
    body_lead = body_size * 1.32
    # the title: a panel row (across; half of the right-panel sketches) or a big heading
    with_title_row = variant == "across" or rng.random() < 0.5
    rows, labels = _build_rows(f, rng, omitted, overrides, with_title_row)
    written: dict = {}
    for r in rows:
        for fld, w in r.fields:
            written.setdefault(fld, w)
    for r in rows:  # a separate type row is the literal the label belongs to
        if r.key == "koerperschaft_typ":
            written["koerperschaft_typ"] = f.koerperschaft_typ
    datum_txt = C.datum_text(f, C.pick(rng, ("num", "long")))
    datum_in_panel = rng.random() < 0.5
    if datum_in_panel:
        rows.append(Row("datum", C.pick(rng, LABELS["datum"]), datum_txt, [("datum", datum_txt)]))
    else:
        labels["datum"] = "Stand"
    written["datum"] = datum_txt
    short = f.akronym or ("Modellvorhaben" if f.antragsteller is None else f.place)
    st["footer_left"] = (
        f"Projektsteckbrief {short} · Stand: {datum_txt}"
        if not datum_in_panel
        else f"Projektsteckbrief {short} · Förderaufruf „Heimat 2.0“"
    )
    st["running_head"] = (
        f"{f.antragsteller} – " if f.antragsteller else ""
    ) + f"Projektsteckbrief „{short}“ (Fortsetzung)"

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.2756, 841.8898), invariant=1, pageCompression=1)
    c.setTitle(f"Projektsteckbrief {short}")
    c.setAuthor(f.antragsteller or "")
    c.setCreator("Steckbrief-Vorlage (reportlab canvas)")
    pg = Page(c, rng, f, st)
    W, H = pg.W, pg.H

    # --- header band
    c.setFillColorRGB(*st["accent"])
    c.rect(0, H - 14, W, 14, stroke=0, fill=1)
    c.setFont("PL-Sans-Bold", 8)
    c.setFillColorRGB(0.3, 0.3, 0.3)
    if f.antragsteller is None:
        head_small = f"Projektskizze · {f.landkreis_written} · {f.bundesland}"
    else:
        head_small = C.pick(
            rng, (f"{f.antragsteller.upper()}", f"{f.antragsteller} · {f.landkreis_written}")
        )
    c.drawString(pg.ml, H - 30, head_small)
    c.setFillColorRGB(*st["accent"])
    c.setFont("PL-Sans-Bold", 17)
    doc_title = C.pick(
        rng, ("Projektsteckbrief", "Projektsteckbrief Modellvorhaben", "Kurzsteckbrief")
    )
    c.drawString(pg.ml, H - 50, doc_title)
    c.setFillColorRGB(0.2, 0.2, 0.2)
    c.setFont("PL-Sans", 8)
    c.drawString(
        pg.ml,
        H - 62,
        C.pick(
            rng,
            (
                "Förderaufruf „Heimat 2.0“ – Bewerbung als Modellvorhaben",
                "Interessenbekundung zum Förderaufruf „Heimat 2.0“ (Projektskizze)",
                "Projektskizze im Rahmen der Förderinitiative „Heimat 2.0“",
            ),
        ),
    )
    c.setStrokeColorRGB(*st["accent"])
    c.setLineWidth(1.4)
    c.line(pg.ml, H - 70, W - pg.mr, H - 70)
    c.setFillColorRGB(0, 0, 0)

    wrapped: set[str] = set()
    boxes: list = []
    declared = [t for t in TOPIC_FIELDS if t in f.themenfelder]
    show_topics = bool(declared) or rng.random() < 0.6
    # about half of the sketches: the topic fields as ballot-box characters (always printed,
    # with nothing ticked when none is declared; and every third sketch that declares some);
    # the others keep the drawn squares with a vector tick
    no = int("".join(ch for ch in f.sketch_id if ch.isdigit()) or "0")
    box_chars = not declared or no % 3 == 0
    if box_chars:
        show_topics = True
    if variant == "right":
        pw = C.pick(rng, (215.0, 225.0, 235.0))
        label_w = fit_label_w(rows, C.pick(rng, (68.0, 76.0, 84.0)))
        settle_labels(rows, pw, label_w)
        px = W - pg.mr - pw
        ytop = H - 80
        extra = topics_height(pw - 8, 1) + 6 if show_topics else 0.0
        pbot = draw_panel(
            c, px, ytop, pw, label_w, rows, C.pick(rng, PANEL_HEADINGS), st, wrapped, extra_h=extra
        )
        if show_topics:  # the topic squares inside the panel frame, below the rows
            draw_topics(
                c,
                px + 4,
                pbot - 4,
                pw - 8,
                1,
                declared,
                C.pick(rng, TOPIC_HEADINGS),
                st,
                boxes,
                chars=box_chars,
            )
            pbot -= extra
        # the left column ends before the page middle (a half-page crop reads it whole)
        left_w = min(px - pg.ml - 14, W / 2 - 6 - pg.ml)
        pg.narrow_until = (pbot - 6, left_w)
        pg.y = ytop - 2
        # the title, big, in the left column (no label) - or a plain heading when the
        # title is a panel row
        heading = (
            f.projekttitel
            if not with_title_row
            else C.pick(rng, ("Kurzdarstellung des Vorhabens", "Das Vorhaben im Überblick"))
        )
        title_lines = wrap(heading, "PL-Sans-Bold", 13, left_w)
        c.setFillColorRGB(*st["accent"])
        for ln in title_lines:
            pg.y -= 16
            c.setFont("PL-Sans-Bold", 13)
            c.drawString(pg.ml, pg.y, ln)
        c.setFillColorRGB(0, 0, 0)
        if not with_title_row:
            written["projekttitel"] = f.projekttitel
            labels["projekttitel"] = ""
        pg.y -= 8
    else:
        pw = W - pg.ml - pg.mr
        half = (len(rows) + 1) // 2
        # split rows into two sub-columns of the panel, each with its own label width
        lw1 = fit_label_w(rows[:half], C.pick(rng, (72.0, 82.0, 92.0)))
        lw2 = fit_label_w(rows[half:], C.pick(rng, (64.0, 74.0, 86.0)))
        ytop = H - 80
        # the halves meet at the page middle: left from the margin to W/2 - 3, right from W/2 + 3
        w1 = W / 2 - 3 - pg.ml
        x2 = W / 2 + 3
        w2 = W - pg.mr - x2
        settle_labels(rows[:half], w1, lw1)
        settle_labels(rows[half:], w2, lw2)
        # draw the frame around both halves: measure first
        h1 = _panel_height(rows[:half], w1, lw1)
        h2 = _panel_height(rows[half:], w2, lw2)
        hh = max(h1, h2) + 22
        c.setFillColorRGB(*st["panel_fill"])
        c.setStrokeColorRGB(*st["accent"])
        c.setLineWidth(0.8)
        c.rect(pg.ml, ytop - hh, pw, hh, stroke=1, fill=1)
        c.setFillColorRGB(0, 0, 0)
        draw_panel(
            c,
            pg.ml,
            ytop,
            w1,
            lw1,
            rows[:half],
            C.pick(rng, PANEL_HEADINGS),
            st,
            wrapped,
            frame=False,
            bar_width=pw,
        )
        draw_panel(c, x2, ytop, w2, lw2, rows[half:], "", st, wrapped, frame=False)
        c.setStrokeColorRGB(0.7, 0.7, 0.7)
        c.setLineWidth(0.4)
        c.line(W / 2, ytop - 15, W / 2, ytop - hh + 4)
        pbot = ytop - hh
        if show_topics:
            pbot = (
                draw_topics(
                    c,
                    pg.ml + 2,
                    pbot - 6,
                    pw - 4,
                    2,
                    declared,
                    C.pick(rng, TOPIC_HEADINGS),
                    st,
                    boxes,
                    chars=box_chars,
                )
                - 4
            )
            c.setStrokeColorRGB(*st["accent"])
            c.setLineWidth(0.4)
            c.line(pg.ml, pbot, W - pg.mr, pbot)
        pg.y = pbot - 10
    row_labels(rows, labels)  # after settle_labels() may have shortened some
    if declared and show_topics:
        written["themenfelder"] = list(declared)
        labels["themenfelder"] = ""

    # --- free text
    hstyle = rng.randrange(3)
    bullet_section = 1 if len(f.sections) > 1 else 0
    for i, (heading, paras) in enumerate(f.sections, start=1):
        h = _section_heading(heading, i, rng.randrange(3), hstyle)
        pg.need(body_lead * 3)
        pg.y -= 4
        pg.para(h, body_bold, body_size + 0.8, body_lead + 1, after=1)
        for p in paras:
            text = C.ligaturize(p, only_fi_fl=True)  # U+FB01/FB02 exist in all body fonts
            if i - 1 == bullet_section:
                for mark in ("– ", "- ", "• ", "\u2022 "):  # the text's own list marks give way
                    if text.startswith(mark):
                        text = text[len(mark) :]
                pg.para(
                    text,
                    body_font,
                    body_size,
                    body_lead,
                    indent=11,
                    bullet=C.pick(rng, (PUA_BULLET, PUA_SQUARE))
                    if rng.random() < 0.3
                    else PUA_BULLET,
                    after=2,
                )
            else:
                pg.para(text, body_font, body_size, body_lead, after=4)
    pg.y -= 4
    pg.para(
        C.ligaturize(C.pick(rng, HINTS), only_fi_fl=True),
        body_font,
        body_size - 1.5,
        body_lead - 2,
        after=0,
    )
    pg.footer()
    c.showPage()
    c.save()
    notes = [
        f"variant={variant}",
        f"wrapped={sorted(wrapped)}",
        f"words_rows={[r.key for r in rows if r.words]}",
        f"topics={('none' if not show_topics else 'chars' if box_chars else 'vector')}",
    ]
    return Rendered(
        pdf=buf.getvalue(),
        written=written,
        labels=labels,
        omitted=omitted,
        overrides=overrides,
        notes=notes,
    )


def render_batch(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    register_reportlab_fonts()
    return [render_one(f) for f in batch]
