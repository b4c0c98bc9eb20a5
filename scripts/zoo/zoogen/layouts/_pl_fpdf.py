"""Layout ``fpdf_letter``: a cover letter on letterhead with a coloured sidebar (fpdf2).

The sketch's content is in running prose only; the sidebar holds the sender's contact
block. Paragraphs are justified by fpdf2's ``multi_cell`` after German hyphenation points
were inserted (pyphen); at a line end fpdf2 prints the hyphen, which this layout sets to
U+2010 (as some word processors export it). Values themselves are never hyphenated.
The signature puts the municipality's name above the person's name; a P.S. names the
cooperation partners.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from pathlib import Path

from zoogen.layouts import _pl_common as C
from zoogen.model import TOPIC_FIELDS, Facts, Rendered

SHY = "\u00ad"
HYPHEN_U2010 = "\u2010"

TINTS = ((226, 236, 240), (232, 238, 228), (240, 232, 226), (230, 232, 242))
ACCENTS = ((18, 84, 110), (46, 92, 46), (128, 40, 36), (44, 58, 120))

ADDRESSEES = (
    (
        "Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR)",
        "im Bundesamt für Bauwesen und Raumordnung",
        "Referat RS 3 – „Heimat 2.0“",
        "Deichmanns Aue 31–37",
        "53179 Bonn",
    ),
    (
        "Bundesinstitut für Bau-, Stadt- und Raumforschung",
        "Förderinitiative „Heimat 2.0“",
        "Deichmanns Aue 31–37",
        "53179 Bonn",
    ),
)

SECTION_HEADS = {
    "ausgangs": ("Zur Ausgangslage", "Worum es bei uns geht", "Die Lage vor Ort"),
    "situation": ("Zur Ausgangslage", "Worum es bei uns geht", "Die Lage vor Ort"),
    "problem": ("Zur Ausgangslage", "Worum es bei uns geht", "Die Lage vor Ort"),
    "bedarf": ("Zur Ausgangslage", "Worum es bei uns geht", "Die Lage vor Ort"),
    "ziel": ("Was wir erreichen wollen", "Unsere Ziele", "Wohin wir wollen"),
    "lösung": ("Was wir erreichen wollen", "Unser Lösungsansatz", "Die Idee"),
    "vorgehen": ("Wie wir vorgehen wollen", "Zum geplanten Vorgehen", "Die nächsten Schritte"),
    "umsetz": ("Wie wir vorgehen wollen", "Zum geplanten Vorgehen", "Die nächsten Schritte"),
    "maßnahm": ("Wie wir vorgehen wollen", "Zum geplanten Vorgehen", "Die nächsten Schritte"),
    "arbeits": ("Wie wir vorgehen wollen", "Zum geplanten Vorgehen", "Die nächsten Schritte"),
}


# --------------------------------------------------------------------------- grammar


def genus(f: Facts) -> str:
    """Grammatical gender of the applying body ('f', 'm', 'n') from its type word."""
    w = (f.antragsteller or f.body_word).split()[0].lower()
    if w.endswith("amt"):
        return "n"
    if w.endswith(("markt", "kreis", "flecken")):
        return "m"
    return "f"


def art(g: str, case: str = "nom") -> str:
    return {
        "nom": {"f": "die", "m": "der", "n": "das"},
        "dat": {"f": "der", "m": "dem", "n": "dem"},
    }[case][g]


def poss(g: str) -> str:
    """'ihren' / 'seinen' (dative plural: mit ihren Einwohnern)."""
    return "ihren" if g == "f" else "seinen"


# --------------------------------------------------------------------------- hyphenation

_PYPHEN = None
_WORD = re.compile(r"([^\W\d_]+)", re.UNICODE)


def _dic():
    global _PYPHEN
    if _PYPHEN is None:
        import pyphen

        _PYPHEN = pyphen.Pyphen(lang="de_DE", left=3, right=3)
    return _PYPHEN


def hyphenate(text: str) -> str:
    """Insert soft hyphens (break points) into longer words of running text."""
    dic = _dic()

    def one(m: re.Match) -> str:
        w = m.group(1)
        if len(w) < 7:
            return w
        return dic.inserted(w, hyphen=SHY)

    return _WORD.sub(one, text)


class Para:
    """A paragraph of segments: running text (hyphenated) and values (kept whole)."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bool]] = []

    def t(self, s: str) -> Para:
        self.parts.append((s, True))
        return self

    def v(self, s: str) -> Para:
        self.parts.append((s, False))
        return self

    def render(self) -> str:
        return "".join(hyphenate(s) if h else s for s, h in self.parts)

    def plain(self) -> str:
        return "".join(s for s, _ in self.parts)


# --------------------------------------------------------------------------- prose


def _quote_list(items: Sequence[str]) -> str:
    q = [f"„{x}“" for x in items]
    if len(q) == 1:
        return q[0]
    return ", ".join(q[:-1]) + " und " + q[-1]


def _name_list(p: Para, items: Sequence[str], roles: Sequence[str] | None) -> None:
    for i, name in enumerate(items):
        if i:
            p.t(" und " if i == len(items) - 1 else ", ")
        p.v(name)
        if roles:
            p.t(f" ({roles[i]})")


def build_letter(
    f: Facts, rng: random.Random, written: dict, labels: dict, omitted: set, overrides: dict
) -> dict:
    """All text of the letter: returns the pieces the page builder places."""
    g = genus(f)
    A = f.antragsteller
    LK, BL = f.landkreis_written, f.bundesland
    out: dict = {"paras": []}
    if A is not None:
        written["antragsteller"] = A
        written["koerperschaft_typ"] = C.type_written(f)
    written["landkreis"] = LK
    written["bundesland"] = BL
    written["projekttitel"] = f.projekttitel
    for k in ("antragsteller", "koerperschaft_typ", "landkreis", "bundesland", "projekttitel"):
        labels[k] = ""

    # --- intro
    p = Para()
    v = rng.randrange(3)
    if A is None:
        p.t("hiermit reichen wir die Projektskizze „").v(f.projekttitel).t(
            "“ zum Förderaufruf „Heimat 2.0“ ein. Unsere Kommune liegt im "
        ).v(LK).t(" (").v(BL).t(").")
    elif v == 0:
        p.t(f"hiermit reicht {art(g)} ").v(A).t(" (").v(LK).t(", ").v(BL).t(
            ") die beiliegende Projektskizze „"
        ).v(f.projekttitel).t("“ zum Förderaufruf „Heimat 2.0“ ein.")
    elif v == 1:
        p.t(f"mit diesem Schreiben bewirbt sich {art(g)} ").v(A).t(" im ").v(LK).t(" (").v(BL).t(
            ") mit dem Vorhaben „"
        ).v(f.projekttitel).t(
            "“ um die Aufnahme als Modellvorhaben in die Förderinitiative „Heimat 2.0“."
        )
    else:
        p.t("gern übersenden wir Ihnen unsere Projektskizze „").v(f.projekttitel).t(
            f"“. Antragstellerin ist {art(g)} "
        ).v(A).t(" im ").v(LK).t(", ").v(BL).t(".")
    if f.akronym:
        p.t(
            C.pick(
                rng,
                (" Das Vorhaben führen wir unter dem Kurztitel „", " Intern nennen wir es kurz „"),
            )
        )
        p.v(f.akronym).t("“.")
        written["akronym"] = f.akronym
        labels["akronym"] = ""
    out["paras"].append(("", p))

    # --- population
    if f.einwohnerzahl is not None:
        style = C.pick(rng, ("rund", "rund", "plain", "etwa"))
        txt, val = C.fmt_population(f.einwohnerzahl, style)
        if val != f.einwohnerzahl:
            overrides["einwohnerzahl"] = val
        p = Para()
        bw = f.body_word if A is not None else "Kommune"
        gg = g if A is not None else "f"
        unser = "Unsere" if gg == "f" else "Unser"
        k = rng.randrange(3)
        if k == 0:
            p.t(f"{unser} {bw} mit {poss(gg)} ").v(txt).t(
                " Einwohnerinnen und Einwohnern ist in besonderem Maße"
                " vom demografischen Wandel betroffen."
            )
        elif k == 1:
            p.t(f"{unser} {bw} zählt derzeit ").v(txt).t(
                " Einwohnerinnen und Einwohner, die sich auf mehrere Ortsteile verteilen."
            )
        else:
            p.t("Bei ").v(txt).t(
                " Einwohnerinnen und Einwohnern sind die Wege"
                " zu Ärzten, Ämtern und Geschäften lang."
            )
        written["einwohnerzahl"] = txt
        labels["einwohnerzahl"] = ""
        out["paras"].append(("", p))

    # --- the free text, as letter paragraphs
    out["sections"] = []
    for heading, paras in f.sections:
        low = heading.lower()
        head = heading
        for stem, alts in SECTION_HEADS.items():
            if stem in low:
                head = C.pick(rng, alts)
                break
        out["sections"].append((head, [Para().t(x) for x in paras]))

    # --- start and duration
    p = Para()
    beg, months = f.projektbeginn, f.laufzeit_monate
    if beg is not None and months is not None:
        way = C.pick(
            rng,
            (
                "month_dur_range",
                "month_dur_range",
                "range",
                "range",
                "full_years",
                "month_name_range",
            ),
        )
        if way == "month_dur_range":
            m_name = C.fmt_month(beg, "name")
            m_slash = C.fmt_month(beg, "slash")
            dur = C.fmt_duration(months, C.pick(rng, ("months", "months", "years")))
            rng_txt = C.month_range(beg, months, "slash")
            p.t("Geplanter Start ist der ").v(m_name).t(" (").v(m_slash).t(
                "); das Vorhaben ist auf "
            ).v(dur).t(" angelegt (Zeitraum ").v(rng_txt).t(").")
            written["projektbeginn"], written["laufzeit_monate"] = m_name, dur
            overrides["projektbeginn"] = beg.replace(day=1).isoformat()
        elif way == "range":
            rng_txt = C.month_range(beg, months, C.pick(rng, ("slash", "name")))
            pre, post = C.pick(
                rng,
                (
                    ("Die Umsetzung ist für den Zeitraum ", " vorgesehen."),
                    ("Wir planen die Umsetzung im Zeitraum ", "."),
                    ("Das Vorhaben soll im Zeitraum ", " umgesetzt werden."),
                ),
            )
            p.t(pre).v(rng_txt).t(post)
            start_txt = rng_txt.split(" – ")[0] if " – " in rng_txt else rng_txt.split(" bis ")[0]
            written["projektbeginn"], written["laufzeit_monate"] = start_txt, rng_txt
            overrides["projektbeginn"] = beg.replace(day=1).isoformat()
        elif way == "full_years":
            d = C.fmt_date(beg, C.pick(rng, ("long", "num")))
            dur = C.fmt_duration(months, "years")
            p.t("Wir möchten zum ").v(d).t(" beginnen; die Laufzeit beträgt ").v(dur).t(".")
            written["projektbeginn"], written["laufzeit_monate"] = d, dur
        else:
            m_name = C.fmt_month(beg, "name")
            dur = C.fmt_duration(months, "months")
            p.t("Beginnen soll das Vorhaben im ").v(m_name).t(", angelegt ist es auf ").v(dur).t(
                " ("
            ).v(C.month_range(beg, months, "name")).t(").")
            written["projektbeginn"], written["laufzeit_monate"] = m_name, dur
            overrides["projektbeginn"] = beg.replace(day=1).isoformat()
    elif beg is not None:
        m_name = C.fmt_month(beg, "name")
        p.t("Geplanter Start ist der ").v(m_name).t(
            "; die genaue Laufzeit stimmen wir mit den Partnern noch ab."
        )
        written["projektbeginn"] = m_name
        overrides["projektbeginn"] = beg.replace(day=1).isoformat()
    elif months is not None:
        dur = C.fmt_duration(months, C.pick(rng, ("months", "years")))
        p.t("Das Vorhaben ist auf ").v(dur).t(
            " angelegt; der Beginn richtet sich nach dem Zeitpunkt der Bewilligung."
        )
        written["laufzeit_monate"] = dur
    for k in ("projektbeginn", "laufzeit_monate"):
        if k in written:
            labels[k] = ""
    time_para = p if p.parts else None

    # --- money
    style = C.pick(rng, ("full", "eur", "dash", "euro_word", "teur", "mio", "teur"))
    texts, ov = C.amount_set(f, style, fallback="euro_word")
    overrides.update(ov)
    rounded = bool(ov) or style in C.AMOUNT_STYLES_ROUNDED
    p = Para()
    G, F_, E = (texts.get(k) for k in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"))
    rund = "rund " if rounded else ""
    bw = f.body_word if A is not None else "Kommune"
    if G and rng.random() < 0.5:
        p.t(f"Die Gesamtkosten belaufen sich auf {rund}").v(G)
        if F_:
            p.t("; beantragt wird eine Förderung in Höhe von ").v(F_)
        p.t(".")
        if E:
            p.t(" Den Eigenanteil von ").v(E).t(
                f" trägt {'die' if A is None else art(g)} {bw} aus Haushaltsmitteln."
            )
    elif G:
        p.t(f"Für das Vorhaben veranschlagen wir Ausgaben von insgesamt {rund}").v(G)
        if F_ and E:
            p.t(", davon ").v(F_).t(" als Zuwendung und ").v(E).t(" als kommunaler Eigenanteil.")
        elif F_:
            p.t(", davon ").v(F_).t(" als Zuwendung.")
        else:
            p.t(".")
    else:  # total missing (missing-field case): only the parts, if any
        if F_:
            p.t("Wir beantragen eine Zuwendung von ").v(F_)
            if E:
                p.t("; hinzu kommt ein Eigenanteil von ").v(E)
            p.t(". Die Kostenschätzung reichen wir nach.")
        elif E:
            p.t("Einen Eigenanteil von ").v(E).t(" haben wir im Haushalt bereits eingeplant.")
    for k, t in texts.items():
        written[k] = t
        labels[k] = ""
    money_para = p if p.parts else None

    # --- topic fields named in prose
    topic_para = None
    declared = [t for t in TOPIC_FIELDS if t in f.themenfelder]
    if declared:
        p = Para()
        if len(declared) == 1:
            p.t("Inhaltlich ordnen wir das Vorhaben dem Themenfeld ").v(_quote_list(declared)).t(
                " des Aufrufs zu."
            )
        else:
            p.t("Inhaltlich berührt das Vorhaben die Themenfelder ").v(_quote_list(declared)).t(".")
        written["themenfelder"] = declared
        labels["themenfelder"] = ""
        topic_para = p

    out["time"], out["money"], out["topic"] = time_para, money_para, topic_para

    # --- contact in prose (sometimes), closing
    if f.ansprechperson is not None:
        written["ansprechperson"] = f.ansprechperson.name
        labels["ansprechperson"] = ""
    closing = Para()
    if f.ansprechperson is not None and rng.random() < 0.5:
        pers = f.ansprechperson
        closing.t("Für Rückfragen steht Ihnen ").v(f"{pers.anrede} {pers.name}")
        if f.telefon is not None and rng.random() < 0.5:
            closing.t(" unter der Rufnummer ").v(f.telefon)
        closing.t(" gern zur Verfügung.")
    else:
        closing.t("Für Rückfragen stehen wir Ihnen jederzeit gern zur Verfügung.")
    closing.t(
        C.pick(
            rng,
            (
                " Über eine positive Rückmeldung würden wir uns sehr freuen.",
                " Wir freuen uns auf die weitere Zusammenarbeit.",
            ),
        )
    )
    out["closing"] = closing

    # --- P.S. with the partners
    if f.kooperationspartner:
        p = Para()
        roles = (
            list(f.partner_roles)
            if (rng.random() < 0.5 and len(f.partner_roles) == len(f.kooperationspartner))
            else None
        )
        if len(f.kooperationspartner) == 1:
            p.t("P.S.: Als Kooperationspartner hat bereits ")
            _name_list(p, f.kooperationspartner, roles)
            p.t(" die Mitwirkung verbindlich zugesagt.")
        else:
            p.t("P.S.: Als Kooperationspartner haben bereits ")
            _name_list(p, f.kooperationspartner, roles)
            p.t(
                " ihre Mitwirkung verbindlich zugesagt;"
                " die Absichtserklärungen reichen wir gern nach."
            )
        written["kooperationspartner"] = list(f.kooperationspartner)
        labels["kooperationspartner"] = ""
        out["ps"] = p
    else:
        out["ps"] = Para().t(
            "P.S.: Gern stellen wir Ihnen das Vorhaben auch in einem persönlichen Gespräch vor."
        )
    return out


# --------------------------------------------------------------------------- pdf


def _make_pdf_class():
    from fpdf import FPDF

    class Letter(FPDF):
        footer_text = ""
        footer_x = 20.0
        footer_w = 170.0

        def footer(self):
            if self.page_no() == 1:
                return
            self.set_y(-16)
            self.set_x(self.footer_x)
            self.set_font("LetterSans", "", 7.5)
            self.set_text_color(110, 110, 110)
            self.cell(
                self.footer_w,
                4,
                f"{self.footer_text} – Seite {self.page_no()} von {{nb}}",
                align="R",
            )
            self.set_text_color(0, 0, 0)

    return Letter


def render_one(f: Facts, Letter) -> Rendered:
    rng = random.Random(f"fpdf_letter:{f.seed}")
    written: dict = {}
    labels: dict = {}
    omitted: set = set()
    overrides: dict = {}
    parts = build_letter(f, rng, written, labels, omitted, overrides)

    side = C.pick(rng, ("right", "left"))
    tint, accent = C.pick(rng, TINTS), C.pick(rng, ACCENTS)
    fonts = C.pick(
        rng,
        (
            ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
            ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
            ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ),
    )
    body_size = C.pick(rng, (10.0, 10.5, 11.0))
    lh = body_size * 0.47

    pdf = Letter(unit="mm", format="A4")
    pdf.set_creation_date(
        dt.datetime(f.datum.year, f.datum.month, f.datum.day, 9, 30, tzinfo=dt.UTC)
    )
    pdf.set_title(f"Projektskizze {f.akronym or ''}".strip())
    pdf.set_author(f.antragsteller or "")
    pdf.set_creator("Briefvorlage Verwaltung")
    pdf.add_font("Body", "", C.font_path(fonts[0]))
    pdf.add_font("Body", "B", C.font_path(fonts[1]))
    pdf.add_font("LetterSans", "", C.font_path("LiberationSans-Regular.ttf"))
    pdf.add_font("LetterSans", "B", C.font_path("LiberationSans-Bold.ttf"))
    pdf.alias_nb_pages()

    if side == "right":
        sb_x, sb_w = 152.0, 58.0
        body_x, body_w = 22.0, 122.0
    else:
        sb_x, sb_w = 0.0, 54.0
        body_x, body_w = 64.0, 126.0
    pdf.footer_x, pdf.footer_w = body_x, body_w
    pdf.footer_text = f"Projektskizze „{f.akronym}“" if f.akronym else "Projektskizze Heimat 2.0"
    pdf.set_margins(body_x, 20, 210 - body_x - body_w)
    pdf.set_auto_page_break(True, margin=24)
    pdf.add_page()

    # --- sidebar strip (page 1)
    pdf.set_fill_color(*tint)
    pdf.rect(sb_x, 0, sb_w, 297, style="F")
    pdf.set_fill_color(*accent)
    pdf.rect(sb_x + (sb_w - 2.2 if side == "left" else 0), 0, 2.2, 297, style="F")

    # --- letterhead: logo, body name, department, rule
    A = f.antragsteller
    lx = body_x
    pdf.set_fill_color(*accent)
    shield = [(lx, 14), (lx + 13, 14), (lx + 13, 25), (lx + 6.5, 31), (lx, 25)]
    pdf.polygon(shield, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("LetterSans", "B", 13)
    initial = (f.place[:1] if A is not None else "K").upper()
    pdf.set_xy(lx, 17)
    pdf.cell(13, 7, initial, align="C")
    pdf.set_text_color(*accent)
    pdf.set_font("LetterSans", "B", C.pick(rng, (17.0, 18.0, 19.0)))
    pdf.set_xy(lx + 17, 13)
    head_name = A if A is not None else f"Verwaltung · {f.ort}"
    pdf.cell(body_w - 17, 9, head_name)
    pdf.set_font("LetterSans", "", 9)
    pdf.set_text_color(80, 80, 80)
    pdf.set_xy(lx + 17, 22)
    dept = C.pick(
        rng,
        (
            "Der Bürgermeister"
            if not (f.ansprechperson and f.ansprechperson.female)
            else "Die Bürgermeisterin",
            "Hauptamt · Digitalisierung",
            "Fachbereich Zentrale Dienste",
            "Amt für Wirtschaftsförderung und Digitales",
        ),
    )
    if f.koerperschaft_typ == "Landkreis":
        dept = C.pick(
            rng,
            (
                "Der Landrat"
                if not (f.ansprechperson and f.ansprechperson.female)
                else "Die Landrätin",
                "Stabsstelle Kreisentwicklung",
            ),
        )
    pdf.cell(body_w - 17, 5, dept)
    pdf.set_draw_color(*accent)
    pdf.set_line_width(0.6)
    pdf.line(body_x, 35, body_x + body_w, 35)
    pdf.set_text_color(0, 0, 0)

    # --- sender line and addressee
    pdf.set_font("LetterSans", "", 6.5)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(body_x, 47)
    back = " · ".join(x for x in (A, f.street, f"{f.plz} {f.ort}") if x)
    pdf.cell(body_w, 3.5, back)
    written["plz"] = f.plz
    labels["plz"] = ""
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Body", "", body_size)
    pdf.set_xy(body_x, 53)
    for ln in C.pick(rng, ADDRESSEES):
        pdf.set_x(body_x)
        pdf.cell(body_w, lh + 0.2, ln, new_x="LMARGIN", new_y="NEXT")

    # --- sidebar content
    sx = sb_x + (6 if side == "right" else 5)
    sw = sb_w - 11
    y = 44.0

    def sb_label(text: str) -> None:
        nonlocal y
        pdf.set_xy(sx, y)
        pdf.set_font("LetterSans", "B", 7)
        pdf.set_text_color(*accent)
        pdf.cell(sw, 3.6, text)
        y += 3.6
        pdf.set_text_color(40, 40, 40)

    def sb_value(text: str, size: float = 8.0) -> None:
        nonlocal y
        room = sw - 2 * pdf.c_margin - 0.5
        pdf.set_font("LetterSans", "", size)
        while pdf.get_string_width(text) > room and size > 7.1:
            size -= 0.3
            pdf.set_font("LetterSans", "", size)
        if pdf.get_string_width(text) > room and " " not in text:
            # a long address or URL breaks after "@", or after a "-"/"." where the head fits
            cut = text.index("@") + 1 if "@" in text else 0
            if not cut or pdf.get_string_width(text[:cut]) > room:
                cands = [
                    i + 1
                    for i, ch in enumerate(text)
                    if ch in "-." and pdf.get_string_width(text[: i + 1]) <= room
                ]
                cut = cands[-1] if cands else 0
            if cut:
                sb_value(text[:cut], size)
                sb_value(text[cut:], size)
                return
        pdf.set_xy(sx, y)
        pdf.multi_cell(sw, 3.8, text, align="L", wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 0.4

    if f.ansprechperson is not None:
        sb_label(C.pick(rng, ("Auskunft erteilt", "Ihr Kontakt", "Ansprechpartner/in")))
        sb_value(f"{f.ansprechperson.anrede} {f.ansprechperson.name}")
        if f.funktion:
            sb_value(f.funktion, 7.5)
        y += 2.5
    if f.telefon is not None:
        if rng.random() < 0.1:
            omitted.add("telefon")
        else:
            lab = C.pick(rng, ("Telefon", "Tel.", "Durchwahl"))
            sb_label(lab)
            sb_value(f.telefon)
            written["telefon"], labels["telefon"] = f.telefon, lab
            y += 2.5
    if f.email is not None:
        lab = C.pick(rng, ("E-Mail", "Mail", "E-Post"))
        sb_label(lab)
        sb_value(f.email)
        written["email"], labels["email"] = f.email, lab
        y += 2.5
    sb_label(C.pick(rng, ("Postanschrift", "Anschrift", "Dienstgebäude")))
    sb_value(f.street)
    sb_value(f"{f.plz} {f.ort}")
    y += 2.5
    sb_label("Internet")
    sb_value(f"www.{f.mail_domain}")
    y += 2.5
    sb_label(C.pick(rng, ("Sprechzeiten", "Öffnungszeiten")))
    sb_value("Mo–Fr 8:30–12:00 Uhr", 7.5)
    sb_value("Do 14:00–18:00 Uhr", 7.5)
    y += 2.5
    datum_txt = C.datum_text(f, C.pick(rng, ("num", "long")))
    written["datum"] = datum_txt
    date_in_sidebar = rng.random() < 0.4
    if date_in_sidebar:
        sb_label("Datum")
        sb_value(datum_txt)
        labels["datum"] = "Datum"
    else:
        labels["datum"] = ""
    pdf.set_text_color(0, 0, 0)

    # --- date line, subject, salutation
    pdf.set_font("Body", "", body_size)
    pdf.set_xy(body_x, 92)
    if not date_in_sidebar:
        pdf.cell(body_w, lh, f"{f.ort}, {datum_txt}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(100)
    pdf.set_font("Body", "B", body_size)
    subj = C.pick(
        rng,
        (
            "Projektskizze zum Förderaufruf „Heimat 2.0“",
            "Bewerbung als Modellvorhaben „Heimat 2.0“",
            "Förderaufruf „Heimat 2.0“ – Einreichung unserer Projektskizze",
        ),
    )
    pdf.multi_cell(body_w, lh + 0.3, subj, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(lh)
    pdf.set_font("Body", "", body_size)
    pdf.multi_cell(
        body_w, lh, "Sehr geehrte Damen und Herren,", align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(lh * 0.6)

    def para(p, after: float = 0.6) -> None:
        pdf.set_font("Body", "", body_size)
        pdf.multi_cell(body_w, lh, p.render(), align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(lh * after)

    for _, p in parts["paras"]:
        para(p)
    run_in = rng.random() < 0.5
    for head, ps in parts["sections"]:
        if pdf.get_y() > 297 - 24 - 3 * lh:
            pdf.add_page()
        pdf.set_font("Body", "B", body_size)
        pdf.multi_cell(
            body_w, lh, head + (":" if run_in else ""), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        for p in ps:
            para(p)
    for key in ("time", "money", "topic"):
        if parts[key] is not None:
            para(parts[key])
    para(parts["closing"])

    # --- signature: the municipality above the person
    if pdf.get_y() > 297 - 24 - 38:
        pdf.add_page()
    pdf.set_font("Body", "", body_size)
    pdf.multi_cell(body_w, lh, "Mit freundlichen Grüßen", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(lh * 0.5)
    if A is not None:
        pdf.multi_cell(
            body_w,
            lh,
            C.pick(rng, (A, f"Für die {A}" if genus(f) == "f" else f"Für {art(genus(f))} {A}")),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    y0 = pdf.get_y() + 2
    pdf.set_draw_color(30, 40, 110)
    pdf.set_line_width(0.35)
    import math

    pts = []
    amp = [1.5 + 2.0 * rng.random() for _ in range(8)]
    for i in range(90):
        t = i / 89
        x = body_x + 2 + 42 * t + 2.2 * math.sin(t * 31)
        y = y0 + 5 - 3 * t + amp[int(t * 7.99)] * math.sin(t * 40 + 1.3)
        pts.append((x, y))
    pdf.polyline(pts)
    pdf.set_y(y0 + 11)
    if f.ansprechperson is not None:
        pdf.multi_cell(body_w, lh, f.ansprechperson.name, align="L", new_x="LMARGIN", new_y="NEXT")
        if f.funktion:
            pdf.multi_cell(body_w, lh, f.funktion, align="L", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(body_w, lh, "i. A.", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(lh)
    para(parts["ps"], after=0)

    pdf_bytes = bytes(pdf.output())
    notes = [f"sidebar={side}"]
    return Rendered(
        pdf=pdf_bytes,
        written=written,
        labels=labels,
        omitted=omitted,
        overrides=overrides,
        notes=notes,
    )


def render_batch(batch: Sequence[Facts], scratch: Path) -> list[Rendered]:
    import fpdf.line_break as lb

    Letter = _make_pdf_class()
    saved = lb.HYPHEN
    lb.HYPHEN = HYPHEN_U2010  # the line-end hyphen fpdf2 prints at a soft-hyphen break
    try:
        return [render_one(f, Letter) for f in batch]
    finally:
        lb.HYPHEN = saved
