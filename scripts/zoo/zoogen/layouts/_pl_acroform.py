"""Layout ``acroform_fill``: an official fillable form, filled in; values only in form fields.

The blank form is drawn with reportlab's canvas (captions above grey-framed boxes, section
bars) and its fields are made with ``canvas.acroForm`` (text fields, check boxes for the
seven topic fields). The page content therefore holds only captions and boxes. The form
is then *filled* with pikepdf, as a form-filling program does: every text field gets its
``/V`` and an appearance stream ``/AP /N`` that draws the value (Helvetica, PDFDocEncoding,
wrapped and shrunk to fit); ``/NeedAppearances`` is set in some sketches. Check boxes carry
``/V /Yes`` when ticked.
"""

from __future__ import annotations

import io
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zoogen.layouts import _pl_common as C
from zoogen.layouts._pl_fonts import register_reportlab_fonts
from zoogen.model import TOPIC_FIELDS, Facts, Rendered

CAPTIONS: dict[str, tuple[str, ...]] = {
    "antragsteller": ("Name der Körperschaft", "Name", "Bezeichnung"),
    "koerperschaft_typ": ("Art der Körperschaft", "Rechtsform / Körperschaftstyp", "Kommunaltyp"),
    "street": ("Straße, Hausnummer", "Straße und Hausnummer"),
    "plz": ("PLZ", "Postleitzahl"),
    "ort": ("Ort", "Sitz der Verwaltung"),
    "landkreis": ("Landkreis / Kreis", "Zugehöriger Landkreis", "Landkreis"),
    "bundesland": ("Bundesland", "Land"),
    "einwohnerzahl": (
        "Einwohnerzahl (Stand 31.12.2019)",
        "Wie viele Einwohner hat die Kommune?",
        "Wie viele Einwohnerinnen und Einwohner hat die Kommune?",
    ),
    "ansprechperson": ("Name", "Vor- und Nachname", "Name, Vorname"),
    "funktion": ("Funktion", "Funktion / Dienststellung"),
    "telefon": ("Telefon", "Telefonnummer (Durchwahl)"),
    "fax": ("Telefax", "Fax"),
    "email": ("E-Mail", "E-Mail-Adresse"),
    "projekttitel": ("Titel des Vorhabens", "Projekttitel", "Wie lautet der Titel des Vorhabens?"),
    "akronym": ("Akronym (falls vorhanden)", "Kurzbezeichnung/Akronym", "Akronym"),
    "projektbeginn": (
        "Geplanter Projektbeginn",
        "Wann soll das Vorhaben beginnen?",
        "Vorhabenbeginn (geplant)",
    ),
    "laufzeit_monate": (
        "Laufzeit in Monaten",
        "Projektlaufzeit (in Monaten)",
        "Wie lange soll das Vorhaben laufen (in Monaten)?",
    ),
    "kooperationspartner": (
        "Kooperationspartner (je Zeile ein Partner)",
        "Kooperationspartnerinnen und -partner (Name, ggf. Rolle)",
        "Welche Partner wirken mit? (je Zeile einer)",
    ),
    "gesamtkosten_eur": (
        "Gesamtausgaben in €",
        "Gesamtkosten des Vorhabens in €",
        "Projektausgaben gesamt in €",
    ),
    "foerdersumme_eur": (
        "Beantragte Fördersumme in €",
        "Davon beantragte Zuwendung in €",
        "Zuwendungsbetrag in €",
    ),
    "eigenanteil_eur": (
        "Eigenanteil in €",
        "Davon kommunaler Eigenanteil in €",
        "Eigenmittel in €",
    ),
    "ortdatum": ("Ort, Datum", "Ort und Datum"),
    "unterzeichner": (
        "Name und Funktion der unterzeichnenden Person",
        "Unterzeichnet von (Name, Funktion)",
    ),
}
GROUPS = {
    "A": ("Antragsteller", "Antragsteller (Gebietskörperschaft)", "Angaben zum Antragsteller"),
    "K": ("Ansprechperson", "Ansprechperson für das Vorhaben", "Ansprechperson (Kontakt)"),
    "V": ("Angaben zum Vorhaben", "Vorhaben", "Das geplante Modellvorhaben"),
    "F": ("Finanzierung", "Kosten und Finanzierung", "Finanzierungsplan (Übersicht)"),
    "T": ("Themenfelder", "Zuordnung zu den Themenfeldern", "Themenfelder des Förderaufrufs"),
    "B": (
        "Kurzbeschreibung des Vorhabens",
        "Beschreibung des Vorhabens",
        "Inhaltliche Darstellung",
    ),
    "E": ("Erklärung", "Unterschrift", "Abschluss der Projektskizze"),
}
TOPIC_QUESTION = (
    "Welchen Themenfeldern ist das Vorhaben zuzuordnen? (Mehrfachnennung möglich)",
    "Bitte kreuzen Sie die zutreffenden Themenfelder an.",
)
SECTION_CAPTIONS = {
    "ausgangs": "Ausgangslage und Handlungsbedarf",
    "situation": "Ausgangslage und Handlungsbedarf",
    "problem": "Ausgangslage und Handlungsbedarf",
    "bedarf": "Ausgangslage und Handlungsbedarf",
    "ziel": "Ziele des Vorhabens",
    "lösung": "Lösungsansatz und Ziele",
    "vorgehen": "Vorgehen und Arbeitsschritte",
    "umsetz": "Vorgehen und Arbeitsschritte",
    "maßnahm": "Vorgehen und Arbeitsschritte",
    "arbeits": "Vorgehen und Arbeitsschritte",
}


@dataclass
class Box:
    key: str  # internal key (field name of the domain, or an extra like "fax")
    caption: str
    name: str  # AcroForm /T
    value: str
    x: float
    y: float  # bottom
    w: float
    h: float
    multiline: bool = False


def _sw(text: str, size: float, font: str = "Helvetica") -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _wrap(text: str, size: float, width: float) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for word in para.split(" "):
            trial = f"{cur} {word}" if cur else word
            if cur and _sw(trial, size) > width:
                out.append(cur)
                cur = word
            else:
                cur = trial
        out.append(cur)
    return out


def _pdfdoc_bytes(text: str) -> bytes:
    import pikepdf.codec  # noqa: F401 - registers the "pdfdoc" codec

    out = bytearray()
    for ch in text:
        try:
            b = ch.encode("pdfdoc")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch)[:1]
            try:
                b = base.encode("pdfdoc")
            except UnicodeEncodeError:
                b = b"?"
        out += b
    return bytes(out).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def appearance(value: str, w: float, h: float, size: float, multiline: bool) -> tuple[bytes, float]:
    """Content of a text field's normal appearance: the value drawn, wrapped and shrunk to fit."""
    if multiline:
        while True:
            lines = _wrap(value, size, w - 6)
            lead = size * 1.18
            if len(lines) * lead <= h - 4 or size <= 6.0:
                break
            size -= 0.25
        y = h - 2.5 - size
    else:
        while _sw(value, size) > w - 5 and size > 6.0:
            size -= 0.25
        lines = [value]
        lead = 0
        y = (h - size * 0.7) / 2
    ops = [
        b"/Tx BMC",
        b"q",
        f"1 1 {w - 2:.2f} {h - 2:.2f} re W n".encode(),
        b"BT",
        f"/Helv {size:.2f} Tf 0 g".encode(),
        f"3 {y:.2f} Td".encode(),
    ]
    for i, ln in enumerate(lines):
        if i:
            ops.append(f"0 {-lead:.2f} Td".encode())
        ops.append(b"(" + _pdfdoc_bytes(ln) + b") Tj")
    ops += [b"ET", b"Q", b"EMC"]
    return b"\n".join(ops), size


class FormPage:
    """Draws captions and boxes; collects the field boxes for the AcroForm."""

    def __init__(self, c, rng: random.Random, st: dict):
        from reportlab.lib.pagesizes import A4

        self.c, self.rng, self.st = c, rng, st
        self.W, self.H = A4
        self.ml, self.mr = 42.0, 42.0
        self.y = self.H - 40
        self.boxes: list[Box] = []
        self.checks: list[tuple[str, str, bool, float, float]] = []  # name, topic, on, x, y
        self.page = 1
        self.n = 0

    @property
    def width(self) -> float:
        return self.W - self.ml - self.mr

    def fname(self, key: str) -> str:
        self.n += 1
        return f"Textfeld {self.n}" if self.st["generic_names"] else f"{self.st['prefix']}{key}"

    def new_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.page += 1
        self.y = self.H - 46

    def footer(self) -> None:
        c = self.c
        c.setFont(self.st["font"], 6.5)
        c.setFillColorRGB(0.4, 0.4, 0.4)
        c.drawString(self.ml, 26, self.st["form_id"])
        c.drawRightString(self.W - self.mr, 26, f"Seite {self.page}")
        c.setFillColorRGB(0, 0, 0)

    def need(self, h: float) -> None:
        if self.y - h < 50:
            self.new_page()

    def bar(self, text: str) -> None:
        self.need(40)
        c = self.c
        self.y -= 6
        c.setFillColorRGB(*self.st["bar"])
        c.rect(self.ml, self.y - 13, self.width, 13, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1) if self.st["bar_dark"] else c.setFillColorRGB(0, 0, 0)
        c.setFont(self.st["font_bold"], 8.5)
        c.drawString(self.ml + 4, self.y - 9.5, text)
        c.setFillColorRGB(0, 0, 0)
        self.y -= 17

    def caption(self, x: float, y: float, text: str) -> None:
        c = self.c
        c.setFont(self.st["font_cap"], self.st["cap_size"])
        c.setFillColorRGB(*self.st["cap_color"])
        c.drawString(x, y, text)
        c.setFillColorRGB(0, 0, 0)

    def shown(self, caption: str) -> str:
        """The caption as printed (some editions print captions in capitals)."""
        return caption.upper() if self.st["cap_upper"] else caption

    def row(self, items: list[tuple[str, str, float, str]], lines: int = 1) -> None:
        """items: (key, caption, width fraction, value). Captions above the boxes."""
        box_h = 16.0 if lines == 1 else 11.0 * lines + 6
        self.need(box_h + 14)
        gap = 6.0
        x = self.ml
        total = self.width - gap * (len(items) - 1)
        cap_y = self.y - 7.5
        box_top = self.y - 10
        for key, cap, frac, value in items:
            cap = self.shown(cap)
            w = total * frac
            self.caption(x, cap_y, cap)
            c = self.c
            c.setStrokeColorRGB(0.55, 0.55, 0.55)
            c.setFillColorRGB(*self.st["box_fill"])
            c.setLineWidth(0.6)
            c.rect(x, box_top - box_h, w, box_h, stroke=1, fill=1)
            c.setFillColorRGB(0, 0, 0)
            b = Box(key, cap, self.fname(key), value, x, box_top - box_h, w, box_h, lines > 1)
            self.boxes.append(b)
            # the field is created empty on the current page; _fill() puts the value in
            c.acroForm.textfield(
                name=b.name,
                tooltip=cap,
                x=b.x,
                y=b.y,
                width=b.w,
                height=b.h,
                value="",
                fontName="Helvetica",
                fontSize=self.st["field_size"],
                borderWidth=0,
                borderColor=None,
                fillColor=None,
                fieldFlags="multiline" if b.multiline else "",
            )
            x += w + gap
        self.y = box_top - box_h - 6

    def text(self, s: str, size: float = 7.5, bold: bool = False) -> None:
        self.need(size * 2)
        self.c.setFont(self.st["font_bold"] if bold else self.st["font"], size)
        self.y -= size * 1.3
        self.c.drawString(self.ml, self.y, s)
        self.y -= 2

    def topics(self, declared: Sequence[str]) -> None:
        self.need(70)
        c = self.c
        col_w = self.width / 2
        y0 = self.y
        for i, topic in enumerate(TOPIC_FIELDS):
            col, r = i % 2, i // 2
            x = self.ml + col * col_w
            y = y0 - 4 - r * 14 - 9
            c.setStrokeColorRGB(0.3, 0.3, 0.3)
            c.setLineWidth(0.6)
            c.rect(x, y, 9, 9, stroke=1, fill=0)
            c.setFont(self.st["font"], 8)
            c.drawString(x + 14, y + 1.5, topic)
            self.n += 1
            name = (
                f"Kontrollkästchen {self.n}"
                if self.st["generic_names"]
                else f"{self.st['prefix']}themenfeld_{i + 1}"
            )
            on = topic in declared
            self.checks.append((name, topic, on, x, y))
            c.acroForm.checkbox(
                name=name,
                tooltip=topic,
                x=x + 0.5,
                y=y + 0.5,
                size=8,
                checked=on,
                buttonStyle=self.st["check_style"],
                borderWidth=0,
                borderColor=None,
                fillColor=None,
                textColor=None,
            )
        self.y = y0 - 4 - 4 * 14 - 6


def _fill(
    pdf_bytes: bytes,
    boxes: list[Box],
    need_appearances: bool,
    auto_size: bool,
    base_size: float,
    moddate: str,
) -> bytes:
    """Fill the blank form: /V and an appearance stream per text field."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    af = pdf.Root.AcroForm
    font_ref = af.DR.Font.Helv
    if "/ZaDb" not in af.DR.Font:  # the check boxes' /DA names ZapfDingbats
        af.DR.Font.ZaDb = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.ZapfDingbats,
            )
        )
    by_name = {b.name: b for b in boxes}
    for fld in af.Fields:
        if fld.get("/FT") != "/Tx":
            continue
        b = by_name[str(fld.T)]
        if not b.value:
            fld.V = pikepdf.String("")
            continue
        ap, size = appearance(b.value, b.w, b.h, base_size, b.multiline)
        stream = pikepdf.Stream(pdf, ap)
        stream.Type = pikepdf.Name.XObject
        stream.Subtype = pikepdf.Name.Form
        stream.BBox = pikepdf.Array([0, 0, round(b.w, 2), round(b.h, 2)])
        stream.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=font_ref))
        fld.AP = pikepdf.Dictionary(N=stream)
        fld.V = pikepdf.String(b.value)
        fld.DA = pikepdf.String(f"/Helv {0 if auto_size else round(size, 2)} Tf 0 g")
    if need_appearances:
        af.NeedAppearances = True
    elif "/NeedAppearances" in af:
        del af["/NeedAppearances"]
    pdf.docinfo["/ModDate"] = pikepdf.String(moddate)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def render_one(f: Facts) -> Rendered:
    from reportlab.pdfgen import canvas

    rng = random.Random(f"acroform_fill:{f.seed}")
    written: dict = {}
    labels: dict = {}
    omitted: set = set()
    overrides: dict = {}

    def cap(key: str) -> str:
        return C.pick(rng, CAPTIONS[key])

    def printed_labels() -> None:
        for k, v in list(labels.items()):
            if v:
                labels[k] = fp.shown(v)

    font = C.pick(
        rng,
        (("Helvetica", "Helvetica-Bold"), ("PL-Lib", "PL-Lib-Bold"), ("PL-Sans", "PL-Sans-Bold")),
    )
    bar = C.pick(rng, ((0.25, 0.25, 0.25), (0.12, 0.30, 0.50), (0.82, 0.84, 0.86)))
    st = {
        "font": font[0],
        "font_bold": font[1],
        "font_cap": C.pick(rng, (font[0], font[1])),
        "cap_size": C.pick(rng, (6.5, 7.0, 7.5)),
        "cap_color": C.pick(rng, ((0.35, 0.35, 0.35), (0.45, 0.45, 0.45), (0.1, 0.1, 0.1))),
        "cap_upper": rng.random() < 0.3,
        "bar": bar,
        "bar_dark": bar[0] < 0.5,
        "box_fill": C.pick(rng, ((1, 1, 1), (0.96, 0.97, 1.0), (0.97, 0.97, 0.97))),
        "generic_names": rng.random() < 0.5,
        "prefix": C.pick(rng, ("", "f_", "skizze_")),
        "form_id": C.pick(
            rng,
            (
                "Formblatt PS-1 (Fassung 02/2021)",
                "Vordruck Projektskizze · Stand Februar 2021",
                "Heimat 2.0 – Formular Interessenbekundung, Version 1.2",
            ),
        ),
    }
    if st["cap_upper"]:
        st["cap_size"] = 6.3
    st["field_size"] = C.pick(rng, (9.0, 9.5, 10.0))
    st["check_style"] = C.pick(rng, ("check", "cross"))

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.2756, 841.8898), invariant=1, pageCompression=1)
    c.setTitle("Projektskizze Heimat 2.0 – Formular")
    c.setAuthor("Förderinitiative Heimat 2.0")
    c.setCreator("Formularvorlage (reportlab acroForm)")
    fp = FormPage(c, rng, st)

    # header
    c.setFont(st["font_bold"], 14)
    c.drawString(
        fp.ml,
        fp.H - 52,
        C.pick(rng, ("Projektskizze", "Formblatt Projektskizze", "Interessenbekundung")),
    )
    c.setFont(st["font"], 8.5)
    c.drawString(fp.ml, fp.H - 64, "Förderaufruf „Heimat 2.0“ – Modellvorhaben der Digitalisierung")
    c.drawString(fp.ml, fp.H - 74, "in strukturschwachen ländlichen Räumen")
    c.setStrokeColorRGB(0.5, 0.5, 0.5)
    c.setLineWidth(0.5)
    c.rect(fp.W - fp.mr - 120, fp.H - 78, 120, 44, stroke=1, fill=0)
    c.setFont(st["font"], 6)
    c.setFillColorRGB(0.45, 0.45, 0.45)
    c.drawString(fp.W - fp.mr - 117, fp.H - 41, "Eingangsvermerk (nicht ausfüllen)")
    c.setFillColorRGB(0, 0, 0)
    fp.y = fp.H - 90
    fp.text(
        C.pick(
            rng,
            (
                "Bitte füllen Sie alle Felder elektronisch aus "
                "und senden Sie das Formular als PDF.",
                "Das Formular kann am Bildschirm ausgefüllt werden. "
                "Bitte alle Felder vollständig ausfüllen.",
            ),
        ),
        7,
    )

    sec = iter(range(1, 20))

    def label(field_: str, caption: str, value: str | None) -> None:
        if value:
            labels[field_] = caption

    # ---------- groups
    def group_applicant() -> None:
        fp.bar(f"{next(sec)}. {C.pick(rng, GROUPS['A'])}")
        a_cap = cap("antragsteller")
        a_val = f.antragsteller or ""
        t_cap = cap("koerperschaft_typ")
        t_val = f.koerperschaft_typ if f.antragsteller is not None else ""
        fp.row([("antragsteller", a_cap, 0.68, a_val), ("koerperschaft_typ", t_cap, 0.32, t_val)])
        if a_val:
            written["antragsteller"] = a_val
            label("antragsteller", a_cap, a_val)
            written["koerperschaft_typ"] = t_val
            labels["koerperschaft_typ"] = t_cap
        s_cap, p_cap, o_cap = cap("street"), cap("plz"), cap("ort")
        fp.row(
            [
                ("street", s_cap, 0.5, f.street),
                ("plz", p_cap, 0.15, f.plz),
                ("ort", o_cap, 0.35, f.ort),
            ]
        )
        written["plz"], labels["plz"] = f.plz, p_cap
        lk_val = C.pick(rng, (f.landkreis_written, f.landkreis_written, f.landkreis))
        lk_cap, bl_cap = cap("landkreis"), cap("bundesland")
        e_cap = cap("einwohnerzahl")
        e_val = ""
        if f.einwohnerzahl is not None:
            if rng.random() < 0.1 and "invalid_population" not in f.violations:
                omitted.add("einwohnerzahl")
            else:
                e_val = C.fmt_population(f.einwohnerzahl, C.pick(rng, ("plain", "nosep")))[0]
                written["einwohnerzahl"] = e_val
                labels["einwohnerzahl"] = e_cap
        if len(e_cap) > 34:
            fp.row([("landkreis", lk_cap, 0.5, lk_val), ("bundesland", bl_cap, 0.5, f.bundesland)])
            fp.row(
                [
                    ("einwohnerzahl", e_cap, 0.55, e_val),
                    ("ags", "Amtlicher Gemeindeschlüssel (AGS)", 0.45, ""),
                ]
            )
        else:
            fp.row(
                [
                    ("landkreis", lk_cap, 0.4, lk_val),
                    ("bundesland", bl_cap, 0.35, f.bundesland),
                    ("einwohnerzahl", e_cap, 0.25, e_val),
                ]
            )
        written["landkreis"], labels["landkreis"] = lk_val, lk_cap
        written["bundesland"], labels["bundesland"] = f.bundesland, bl_cap

    def group_contact() -> None:
        fp.bar(f"{next(sec)}. {C.pick(rng, GROUPS['K'])}")
        n_cap, fu_cap = cap("ansprechperson"), cap("funktion")
        p = f.ansprechperson
        n_val = "" if p is None else (p.name if rng.random() < 0.7 else f"{p.anrede} {p.name}")
        fp.row(
            [
                ("ansprechperson", n_cap, 0.55, n_val),
                ("funktion", fu_cap, 0.45, f.funktion if p else ""),
            ]
        )
        if p is not None:
            written["ansprechperson"], labels["ansprechperson"] = p.name, n_cap
        t_cap, fx_cap, m_cap = cap("telefon"), cap("fax"), cap("email")
        t_val = ""
        if f.telefon is not None:
            if rng.random() < 0.15:
                omitted.add("telefon")
            else:
                t_val = f.telefon
                written["telefon"], labels["telefon"] = t_val, t_cap
        m_val = f.email or ""
        if m_val:
            written["email"], labels["email"] = m_val, m_cap
        fp.row(
            [
                ("telefon", t_cap, 0.27, t_val),
                ("fax", fx_cap, 0.23, ""),
                ("email", m_cap, 0.5, m_val),
            ]
        )

    def group_project() -> None:
        fp.bar(f"{next(sec)}. {C.pick(rng, GROUPS['V'])}")
        ti_cap = cap("projekttitel")
        fp.row(
            [("projekttitel", ti_cap, 1.0, f.projekttitel)],
            lines=2 if len(f.projekttitel) > 80 else 1,
        )
        written["projekttitel"], labels["projekttitel"] = f.projekttitel, ti_cap
        ak_cap = cap("akronym")
        ak_val = f.akronym or ""
        if ak_val and rng.random() < 0.25:
            ak_val = ""  # the applicant left the optional short name out
            omitted.add("akronym")
        if ak_val:
            written["akronym"], labels["akronym"] = ak_val, ak_cap
        b_cap = cap("projektbeginn")
        b_val = ""
        if f.projektbeginn is not None:
            if rng.random() < 0.35:
                b_val = C.fmt_month(f.projektbeginn, "slash")
                overrides["projektbeginn"] = f.projektbeginn.replace(day=1).isoformat()
                if not b_cap.endswith("?"):
                    b_cap = f"{b_cap} (MM/JJJJ)"
            else:
                b_val = C.fmt_date(f.projektbeginn, "num")
                if not b_cap.endswith("?"):
                    b_cap = f"{b_cap} (TT.MM.JJJJ)"
            written["projektbeginn"], labels["projektbeginn"] = b_val, b_cap
        l_cap = cap("laufzeit_monate")
        l_val = "" if f.laufzeit_monate is None else str(f.laufzeit_monate)
        if l_val:
            written["laufzeit_monate"], labels["laufzeit_monate"] = l_val, l_cap
        # the (often empty) acronym box sits left of the next captions: a neighbour-label trap
        fp.row(
            [
                ("akronym", ak_cap, 0.24, ak_val),
                ("projektbeginn", b_cap, 0.38, b_val),
                ("laufzeit_monate", l_cap, 0.38, l_val),
            ]
        )
        k_cap = cap("kooperationspartner")
        partners = list(f.kooperationspartner)
        with_roles = rng.random() < 0.5 and len(f.partner_roles) == len(partners)
        k_val = "\n".join(
            [f"{p} – {r}" for p, r in zip(partners, f.partner_roles, strict=True)]
            if with_roles
            else partners
        )
        fp.row([("kooperationspartner", k_cap, 1.0, k_val)], lines=max(3, len(partners)))
        if partners:
            written["kooperationspartner"], labels["kooperationspartner"] = partners, k_cap

    def group_money() -> None:
        fp.bar(f"{next(sec)}. {C.pick(rng, GROUPS['F'])}")
        style = C.pick(rng, ("bare", "bare", "bare_int", "full"))
        texts, ov = C.amount_set(f, style)
        overrides.update(ov)
        items = []
        for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
            cp = cap(k)
            if style == "full":
                cp = cp.replace(" in €", "")
            v = texts.get(k, "")
            items.append((k, cp, 1 / 3, v))
            if v:
                written[k], labels[k] = v, cp
        fp.row(items)

    def group_topics() -> None:
        fp.bar(f"{next(sec)}. {C.pick(rng, GROUPS['T'])}")
        fp.text(C.pick(rng, TOPIC_QUESTION), 7.5)
        declared = [t for t in TOPIC_FIELDS if t in f.themenfelder]
        if declared and rng.random() < 0.45:
            declared = []  # the applicant ticked nothing: the document declares no topic field
            omitted.add("themenfelder")
        fp.topics(declared)
        if declared:
            written["themenfelder"] = declared
            labels["themenfelder"] = ""

    order = [group_applicant, group_contact, group_project, group_money, group_topics]
    if rng.random() < 0.5:
        order = [group_project, group_applicant, group_contact, group_topics, group_money]
    for g in order:
        g()

    # ---------- free text (one multi-line field per section)
    fp.bar(f"{next(sec)}. {C.pick(rng, GROUPS['B'])}")
    for i, (heading, paras) in enumerate(f.sections, start=1):
        low = heading.lower()
        capt = heading
        for stem, alt in SECTION_CAPTIONS.items():
            if stem in low and rng.random() < 0.6:
                capt = alt
                break
        value = "\n".join(paras)
        n_lines = len(_wrap(value, 8.5, fp.width - 6))
        fp.row(
            [(f"text{i}", f"{i}) {capt}", 1.0, value)],
            lines=min(28, max(4, int(n_lines * 0.95) + 1)),
        )

    # ---------- declaration, place and date
    fp.bar(f"{next(sec)}. {C.pick(rng, GROUPS['E'])}")
    fp.text(
        "Die Angaben sind vollständig und richtig. "
        "Die Kommune ist bereit, den Eigenanteil zu tragen.",
        7.5,
    )
    d_txt = C.datum_text(f, C.pick(rng, ("num", "num", "long")))
    od_cap = cap("ortdatum")
    written["datum"], labels["datum"] = d_txt, od_cap
    un_cap = cap("unterzeichner")
    un_val = ""
    if f.ansprechperson is not None:
        un_val = f"{f.ansprechperson.name}, {f.funktion}" if f.funktion else f.ansprechperson.name
    fp.row([("ortdatum", od_cap, 0.4, f"{f.ort}, {d_txt}"), ("unterzeichner", un_cap, 0.6, un_val)])
    fp.need(30)
    c.setStrokeColorRGB(0.3, 0.3, 0.3)
    c.line(fp.ml + fp.width * 0.45, fp.y - 22, fp.ml + fp.width, fp.y - 22)
    c.setFont(st["font"], 6.5)
    c.drawString(fp.ml + fp.width * 0.45, fp.y - 30, "Unterschrift, Dienstsiegel")
    fp.footer()

    c.showPage()
    c.save()
    printed_labels()
    # ---------- fill the blank form
    need_ap = rng.random() < 0.4
    moddate = f"D:{f.datum.year:04d}{f.datum.month:02d}{f.datum.day:02d}101500+01'00'"
    filled = _fill(buf.getvalue(), fp.boxes, need_ap, rng.random() < 0.3, st["field_size"], moddate)
    notes = [f"generic_names={st['generic_names']}", f"NeedAppearances={need_ap}"]
    return Rendered(
        pdf=filled,
        written=written,
        labels=labels,
        omitted=omitted,
        overrides=overrides,
        notes=notes,
    )


def render_batch(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    register_reportlab_fonts()
    return [render_one(f) for f in batch]
