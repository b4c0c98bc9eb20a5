"""Shared helpers of the PDF-library layouts (``pdf_libraries.py``): value styles, fonts.

Written from the domain (DOMAIN.md, corpus README conventions) only. Every function that
changes how a value is printed returns the printed text *and* the value a reader would take
from it, so that a layout can report a changed truth in ``Rendered.overrides``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

from zoogen.model import MONTHS, Facts, add_months

# --------------------------------------------------------------------------- fonts

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)


def font_path(filename: str) -> str:
    """Absolute path of a Debian TTF (fonts-dejavu-core, fonts-liberation2)."""
    for d in FONT_DIRS:
        p = d / filename
        if p.exists():
            return str(p)
    raise FileNotFoundError(
        f"font {filename} not found: apt-get install fonts-dejavu-core fonts-liberation2"
    )


# --------------------------------------------------------------------------- numbers


def truth_number(v: float) -> int | float:
    """Euro amount as the truth wants it: int when whole euros."""
    r = round(v, 2)
    return round(r) if abs(r - round(r)) < 1e-9 else r


def group_thousands(n: int, sep: str = ".") -> str:
    s = f"{n:,d}"
    return s.replace(",", sep)


def de_decimal(v: float, decimals: int, sep: str = ".") -> str:
    """German number: thousands ``sep``, decimal comma."""
    neg = v < 0
    v = abs(v)
    if decimals:
        whole_s, frac = f"{v:.{decimals}f}".split(".")
        out = group_thousands(int(whole_s), sep) + "," + frac
    else:
        out = group_thousands(round(v), sep)
    return ("-" if neg else "") + out


def _trim(s: str, min_dec: int) -> str:
    """'0,4120' -> '0,412' (but keep ``min_dec`` decimals)."""
    whole, _, frac = s.partition(",")
    frac = frac.rstrip("0")
    frac = frac + "0" * max(0, min_dec - len(frac))
    return whole + ("," + frac if frac else "")


AMOUNT_STYLES_EXACT = ("full", "eur", "dash", "euro_word", "bare", "bare_int")
AMOUNT_STYLES_ROUNDED = ("teur", "mio")


def fmt_amount(v: float, style: str, sep: str = ".") -> tuple[str, float]:
    """(printed text, value a reader takes from it). Rounded styles round to 100 €."""
    cents = abs(round(v, 2) - round(v)) > 1e-9
    if style == "full":
        return f"{de_decimal(v, 2, sep)} €", round(v, 2)
    if style == "eur":
        return (f"{de_decimal(v, 2, sep)} EUR" if cents else f"{de_decimal(v, 0, sep)} EUR"), round(
            v, 2
        )
    if style == "dash":
        if cents:
            return f"€ {de_decimal(v, 2, sep)}", round(v, 2)
        return f"€ {de_decimal(v, 0, sep)},-", round(v, 2)
    if style == "euro_word":
        return (
            f"{de_decimal(v, 2, sep)} Euro" if cents else f"{de_decimal(v, 0, sep)} Euro"
        ), round(v, 2)
    if style == "bare":
        return de_decimal(v, 2, sep), round(v, 2)
    if style == "bare_int":
        return (de_decimal(v, 2, sep) if cents else de_decimal(v, 0, sep)), round(v, 2)
    r = math.floor(v / 100.0 + 0.5) * 100.0
    if style == "teur":
        return f"{_trim(de_decimal(r / 1000.0, 1, sep), 0)} T€", r
    if style == "mio":
        return f"{_trim(de_decimal(r / 1_000_000.0, 4, sep), 2)} Mio. €", r
    raise ValueError(style)


_AMOUNT_FIELDS = (
    ("gesamtkosten_eur", "gesamtkosten"),
    ("foerdersumme_eur", "foerdersumme"),
    ("eigenanteil_eur", "eigenanteil"),
)


def _verdicts(g: float | None, f: float | None, e: float | None) -> tuple[bool, bool]:
    out_of_range = g is not None and not (200_000 <= g <= 600_000)
    mismatch = g is not None and f is not None and e is not None and abs(f + e - g) > 1.0
    return out_of_range, mismatch


def amount_set(
    facts: Facts, style: str, sep: str = ".", fallback: str = "full"
) -> tuple[dict[str, str], dict[str, int | float]]:
    """The three amounts in ``style``: ({field: text}, {field: overridden truth}).

    Rounded styles (T€, Mio.) keep the funding sum consistent (own share = total - funding,
    both rounded) and fall back to ``fallback`` when rounding would change a check verdict
    (cost range, sum mismatch) or the own share could not be shown exactly.
    """
    vals = {k: getattr(facts, a) for k, a in _AMOUNT_FIELDS}
    texts: dict[str, str] = {}
    overrides: dict[str, int | float] = {}
    if style in AMOUNT_STYLES_ROUNDED:
        printed: dict[str, float | None] = {}
        for k, v in vals.items():
            printed[k] = None if v is None else fmt_amount(v, style, sep)[1]
        g, f, e = vals["gesamtkosten_eur"], vals["foerdersumme_eur"], vals["eigenanteil_eur"]
        gp, fp, ep = (
            printed["gesamtkosten_eur"],
            printed["foerdersumme_eur"],
            printed["eigenanteil_eur"],
        )
        if g is not None and f is not None and e is not None and abs(f + e - g) <= 1.0:
            ep = round(gp - fp, 2)  # type: ignore[operator]
            if abs(ep - e) > 100.0 or ep < 0:
                style = fallback
            printed["eigenanteil_eur"] = ep
        if style != fallback and _verdicts(g, f, e) != _verdicts(gp, fp, ep):
            style = fallback
        if style != fallback:
            for k, v in vals.items():
                if v is None:
                    continue
                p = printed[k]
                assert p is not None
                # a small own share reads oddly in Mio.: such documents switch to T€
                st = "teur" if (style == "mio" and k == "eigenanteil_eur") else style
                texts[k] = fmt_amount(p, st, sep)[0]
                if abs(p - v) > 0.004:
                    overrides[k] = truth_number(p)
            return texts, overrides
    for k, v in vals.items():
        if v is not None:
            texts[k] = fmt_amount(v, style, sep)[0]
    return texts, overrides


def fmt_population(n: int, style: str, sep: str = ".") -> tuple[str, int]:
    """'4.312', '4312', 'ca. 4.300' (rounded to 100; reader takes 4300)."""
    if n <= 0 or style == "nosep":
        return str(n), n
    if style == "plain":
        return group_thousands(n, sep), n
    if style == "nosep":
        return str(n), n
    r = int(math.floor(n / 100.0 + 0.5) * 100) if n >= 1000 else n
    word = {"ca": "ca.", "rund": "rund", "etwa": "etwa"}[style]
    return f"{word} {group_thousands(r, sep)}", r


# --------------------------------------------------------------------------- dates


def fmt_date(d: dt.date, style: str) -> str:
    """Full dates only: 'num' 12.03.2021, 'long' 12. März 2021, 'short' 12.3.2021."""
    if style == "num":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "long":
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
    if style == "short":
        return f"{d.day}.{d.month}.{d.year}"
    raise ValueError(style)


def fmt_month(d: dt.date, style: str) -> str:
    """Month-only: 'name' März 2021, 'slash' 03/2021, 'dot' 03.2021."""
    if style == "name":
        return f"{MONTHS[d.month - 1]} {d.year}"
    if style == "slash":
        return f"{d.month:02d}/{d.year}"
    if style == "dot":
        return f"{d.month:02d}.{d.year}"
    raise ValueError(style)


def month_range(start: dt.date, months: int, style: str, dash: str = " – ") -> str:
    """'07/2021 – 12/2023' or 'Juli 2021 bis Dezember 2023' covering ``months`` months."""
    first = start.replace(day=1)
    last = add_months(first, months - 1)
    if style == "slash":
        return f"{fmt_month(first, 'slash')}{dash}{fmt_month(last, 'slash')}"
    if style == "name":
        return f"{fmt_month(first, 'name')} bis {fmt_month(last, 'name')}"
    raise ValueError(style)


def date_range(start: dt.date, months: int, style: str = "num", dash: str = " – ") -> str:
    """'01.09.2021 – 28.02.2024' (last day = start + months - 1 day)."""
    end = add_months(start, months) - dt.timedelta(days=1)
    return f"{fmt_date(start, style)}{dash}{fmt_date(end, style)}"


def fmt_duration(months: int, style: str) -> str:
    """'30 Monate' or '2,5 Jahre' (years only when a multiple of 6 months)."""
    if style == "years" and months % 6 == 0 and months >= 12:
        years = months / 12
        y = f"{years:.1f}".replace(".", ",").replace(",0", "")
        return f"{y} Jahre" if years != 1 else "1 Jahr"
    return f"{months} Monate"


def datum_text(facts: Facts, style: str) -> str:
    """The sketch date as printed (the planned invalid date literally, if any)."""
    if facts.datum_written_invalid:
        return facts.datum_written_invalid
    return fmt_date(facts.datum, style)


# --------------------------------------------------------------------------- text

LIGATURES = (
    ("ffi", "\ufb03"),
    ("ffl", "\ufb04"),
    ("ff", "\ufb00"),
    ("fi", "\ufb01"),
    ("fl", "\ufb02"),
)


def ligaturize(text: str, only_fi_fl: bool = False) -> str:
    """Replace f-ligatures by their code points (as some typesetting tools write them)."""
    for plain, lig in LIGATURES:
        if only_fi_fl and plain not in ("fi", "fl"):
            continue
        text = text.replace(plain, lig)
    return text


def pick(rng: random.Random, options):
    """``rng.choice`` that accepts any sequence (kept as one place for determinism)."""
    return options[rng.randrange(len(options))]


def person_with_anrede(facts: Facts, rng: random.Random, p_anrede: float = 0.5) -> str:
    p = facts.ansprechperson
    assert p is not None
    return f"{p.anrede} {p.name}" if rng.random() < p_anrede else p.name


def type_written(f: Facts) -> str | None:
    """The literal that gives the body type: the type word when the name contains it
    ("Gemeinde Breklum"), else the whole name ("Vogtlandkreis")."""
    if f.antragsteller is None:
        return None
    return f.body_word if f.body_word in f.antragsteller else f.antragsteller


def is_whole(v: float) -> bool:
    return abs(round(v, 2) - round(v)) < 1e-9
