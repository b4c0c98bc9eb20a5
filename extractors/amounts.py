"""Euro amounts written the German way, and the three budget fields.

"450.000,00 €", "450 T€", "0,45 Mio. Euro", "€ 450.000,-", "EUR 385.500,-", "rund 0,4 Mio. €":
the number is parsed with babel (de_DE), the multiplier (T€/Tsd./Mio.) applied, and the
result is an int when it is whole euros.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import Candidate, DocView, labelled_values, match_label, pick_result
from extractors.types import FieldResult

EXTRACTOR = "amounts@1"

_CUR = r"(?:€|EUR|Euro|EURO)"
_MULT = (
    r"(?:T\s?€|TEUR|T\s?EUR|Tsd\.?\s?(?:€|EUR|Euro)?|Tausend\s(?:€|EUR|Euro)"
    r"|Mio\.?\s?(?:€|EUR|Euro)?|Millionen\s(?:€|EUR|Euro)|Mrd\.?\s?(?:€|EUR|Euro)?)"
)
_NUM = r"\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
AMOUNT_RE = re.compile(
    rf"(?P<pre>{_CUR}\s?)?(?P<num>{_NUM})(?P<dash>,[-–]{{1,2}})?\s?(?P<mult>{_MULT})?"
    rf"(?:\s?(?P<post>{_CUR}))?(?![\w])"
)


def _to_number(d: Decimal) -> int | float:
    d = d.quantize(Decimal("0.01"))
    return int(d) if d == d.to_integral_value() else float(d)


def parse_amount(text: str) -> int | float | None:
    """First euro amount in ``text`` as a number (None when there is none).

    A bare number without currency or multiplier is accepted only when it has a
    thousands separator or decimals (table cells under a "Betrag (EUR)" header).
    """
    found: list[tuple[bool, int | float]] = []
    for m in AMOUNT_RE.finditer(text):
        has_cur = bool(m.group("pre") or m.group("post") or m.group("mult"))
        num = m.group("num")
        if not has_cur and not re.search(r"[.,\u202f\u00a0 ]", num):
            continue
        clean = re.sub(r"[\u202f\u00a0 ]", ".", num)
        try:
            value = parse_decimal(clean, locale="de_DE", strict=False)
        except (NumberFormatError, InvalidOperation):
            continue
        mult = (m.group("mult") or "").casefold()
        if mult.startswith(("t", "tsd", "tausend")):
            value *= 1000
        elif mult.startswith(("mio", "million")):
            value *= 1_000_000
        elif mult.startswith("mrd"):
            value *= 1_000_000_000
        found.append((has_cur, _to_number(value)))
    # an amount with currency or multiplier wins over a bare number ("Heimat 2.0 € 5.000,-")
    for want_cur in (True, False):
        for cur, v in found:
            if cur == want_cur and v != 0:
                return v
    return found[0][1] if found else None


_PROSE = {
    "gesamtkosten_eur": r"(?:Gesamtkosten|Gesamtausgaben|Gesamtvolumen|Projektvolumen"
    r"|Kosten|Ausgaben"
    r"|Gesamtbudget|Volumen|Gesamtfinanzierung)",
    "foerdersumme_eur": r"(?:Zuwendung|Förderung|Fördersumme|Fördermittel|Zuschuss|Förderbetrag"
    r"|Zuwendungsbetrag|Bundesmittel)",
    "eigenanteil_eur": r"(?:Eigenanteil|Eigenmittel|Eigenbeteiligung|Kofinanzierung|Eigenleistung)",
}
_AMT = (
    rf"{_CUR}\s?\d{{1,3}}(?:\.\d{{3}})*(?:,\d+|,[-–]{{1,2}})?"
    rf"|\d{{1,3}}(?:\.\d{{3}})*(?:,\d+)?(?:,[-–]{{1,2}})?\s?(?:{_MULT}|{_CUR})"
)
# an amount followed by what it is ("Davon sollen 642.200 € aus Mitteln des Aufrufs ...")
_AFTER = {
    "foerdersumme_eur": r"(?:aus (?:den )?(?:Mitteln|Fördermitteln)"
    r"|als (?:Zuwendung|Zuschuss|Förderung)"
    r"|werden beantragt|beantragt)",
    "eigenanteil_eur": r"(?:als Eigenanteil|Eigenanteil|aus Eigenmitteln|aus Haushaltsmitteln)",
}
_GAP = r"[^.;:\d€]{0,60}?(?:in Höhe von|von|über|auf|betragen|beträgt|belaufen sich auf|mit)?\s*"
_APPROX = r"(?:rund|ca\.|circa|etwa|insgesamt|knapp|gut)?\s*"


def _from_prose(view: DocView, field: str) -> list[Candidate]:
    pat = re.compile(rf"{_PROSE[field]}{_GAP}{_APPROX}(?P<amt>{_AMT})")
    out: list[Candidate] = []
    for page, text in view.prose:
        for m in pat.finditer(text):
            out.append(Candidate(m.group("amt").strip(), page, m.group(0).strip(), 0.6))
        if field in _AFTER:
            for m in re.finditer(rf"(?P<amt>{_AMT})\s{_AFTER[field]}", text):
                out.append(Candidate(m.group("amt").strip(), page, m.group(0).strip(), 0.55))
    return out


def _total_rows(view: DocView, config: FieldConfig) -> list[Candidate]:
    """Total row of a cost table ("Summe", "Gesamt", "Summe je Jahr"): the last amount.

    With one column per year and a sum column, the last cell is the total; when it is
    the sum of the other amounts in the row, that is strong evidence (0.97).
    """
    out: list[Candidate] = []
    for p in view.doc.pages:
        for t in p.tables:
            for row in t.rows:
                cells = [c.strip() for c in row if c and c.strip()]
                if len(cells) < 2:
                    continue
                head = cells[0]
                if not (
                    re.match(r"(?:Summe|Gesamt|Insgesamt)\b", head, re.IGNORECASE)
                    or match_label(head, config.total_labels)
                ) or re.search(r"\bZwischensumme\b", head, re.IGNORECASE):
                    continue
                values = [v for c in cells[1:] if (v := parse_amount(c)) is not None]
                if not values:
                    continue
                conf = 0.85
                if len(values) >= 3:
                    adds_up = abs(sum(values[:-1]) - values[-1]) <= 1.0
                    conf = 0.97 if adds_up else 0.6
                out.append(Candidate(cells[-1], p.number, " | ".join(cells), conf))
    return out


def _total_lines(view: DocView, config: FieldConfig) -> list[Candidate]:
    """A total row with one column per year: the amount in its last segment."""
    out: list[Candidate] = []
    for ln in view.lines:
        segs = ln.segments
        if (
            len(segs) >= 3
            and match_label(segs[0].text, config.total_labels)
            and parse_amount(segs[-1].text) is not None
        ):
            out.append(Candidate(segs[-1].text, ln.page, ln.text, 0.92))
    return out


def _pick(field: str, cands: list[Candidate]) -> FieldResult:
    parsed: list[tuple[Candidate, object]] = []
    for c in cands:
        v = parse_amount(c.value)
        if v is not None and v > 0:
            parsed.append((c, v))
    return pick_result(field, parsed, extractor=EXTRACTOR, conflict=0.7)


def extract_amounts(
    view: DocView, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """Total cost, requested funding and own share; only what is written, never derived."""
    total = labelled_values(view, config.total_labels)
    total = [c for c in total if not re.search(r"\b20\d\d\b", c.snippet.split("\n")[0][:25])]
    results = {
        "gesamtkosten_eur": _pick(
            "gesamtkosten_eur",
            total
            + _total_rows(view, config)
            + _total_lines(view, config)
            + _from_prose(view, "gesamtkosten_eur"),
        ),
        "foerdersumme_eur": _pick(
            "foerdersumme_eur",
            labelled_values(view, config.funding_labels) + _from_prose(view, "foerdersumme_eur"),
        ),
        "eigenanteil_eur": _pick(
            "eigenanteil_eur",
            labelled_values(view, config.own_share_labels) + _from_prose(view, "eigenanteil_eur"),
        ),
    }
    return results
