"""Value parsers and validators: a piece of text → the normalised value of one kind.

One parser per kind of value (amounts, dates, durations, populations, bodies, persons,
e-mail addresses, phone numbers, postcodes, districts, states, partner lists, topic
fields). Parsers are strict about shape and lenient about spelling; they never guess a
value that is not written. Validators say whether a parsed value is plausible (the same
rules the quality checks report on); the scorer uses them as evidence.

German numbers and month names come from babel; e-mail syntax from email-validator;
phone numbers from phonenumbers (validation only: values are kept as written).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

import phonenumbers
from babel.dates import get_month_names
from babel.numbers import NumberFormatError, parse_decimal
from email_validator import EmailNotValidError, validate_email

from extractors.vocab import (
    BODY_PREFIXES,
    FEDERAL_STATES,
    STATE_ALIASES,
    TOPIC_FIELDS,
)

# --------------------------------------------------------------------------- amounts

_CUR = r"(?:€|EUR|Euro|EURO|Eur)"
_MULT = (
    r"(?:T\s?€|TEUR|T\s?EUR|Tsd\.?\s?(?:€|EUR|Euro)?|Tausend\s(?:€|EUR|Euro)"
    r"|Mio\.?\s?(?:€|EUR|Euro)?|Millionen\s(?:€|EUR|Euro)|Mrd\.?\s?(?:€|EUR|Euro)?)"
)
_SEP = r"[.\u202f\u00a0 '’]"
_NUM = rf"\d{{1,3}}(?:{_SEP}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
AMOUNT_RE = re.compile(
    rf"(?=[\dE€])(?P<pre>{_CUR}[ \u00a0\u202f]?)?(?<![\d,.])(?P<num>{_NUM})(?![.,]\d)(?P<dash>,[-–"
    rf"—]{{1,2}})?\s?(?P<mult>{_MULT})?"
    rf"(?:\s?(?P<post>{_CUR}))?(?![\w])"
)


def _to_number(d: Decimal) -> int | float:
    d = d.quantize(Decimal("0.01"))
    return int(d) if d == d.to_integral_value() else float(d)


def amounts_in(text: str, *, unit: float = 1.0) -> list[tuple[int | float, bool, int, int]]:
    """Every euro amount in ``text``: (value, has currency or multiplier, start, end).

    A bare number without currency counts only with a thousands separator or decimals
    (or when ``unit`` says the column is in T€/Mio. €). ``unit`` scales bare numbers
    under a header "in T€" (1000) or "in Mio. €".
    """
    out: list[tuple[int | float, bool, int, int]] = []
    for m in AMOUNT_RE.finditer(text):
        num = m.group("num")
        mult = (m.group("mult") or "").casefold()
        has_cur = bool(m.group("pre") or m.group("post") or mult or m.group("dash"))
        if not has_cur and not re.search(r"[.,\u202f\u00a0 '’]", num) and unit == 1.0:
            continue
        # "2021 2022" or "12 500" inside a sentence: a year is never an amount
        if not has_cur and re.fullmatch(r"(?:19|20)\d\d", num):
            continue
        clean = re.sub(r"[\u202f\u00a0 '’]", ".", num)
        try:
            value = parse_decimal(clean, locale="de_DE", strict=False)
        except (NumberFormatError, InvalidOperation):
            continue
        if mult.startswith(("t", "tsd", "tausend")):
            value *= 1000
        elif mult.startswith(("mio", "million")):
            value *= 1_000_000
        elif mult.startswith("mrd"):
            value *= 1_000_000_000
        elif not has_cur and unit != 1.0:
            value *= Decimal(str(unit))
        out.append((_to_number(value), has_cur, m.start(), m.end()))
    return out


@lru_cache(maxsize=16384)
def parse_amount(text: str, *, unit: float = 1.0) -> int | float | None:
    """The euro amount in ``text`` (with currency first), None when there is none; memoised,
    since one value text is read for each of the three amount fields."""
    found = amounts_in(text, unit=unit)
    for want in (True, False):
        for v, cur, _, _ in found:
            if cur == want and v != 0:
                return v
    return None


def unit_of(text: str) -> float | None:
    """A column header's unit: "in €" → 1, "in T€"/"Tsd. EUR" → 1000, "in Mio. €" → 1e6."""
    t = text.casefold()
    if re.search(r"\bt\s?€|\bteur\b|\btsd\.?|\btausend\b", t):
        return 1000.0
    if re.search(r"\bmio\.?|\bmillionen\b", t):
        return 1_000_000.0
    if re.search(r"€|\beur\b|\beuro\b", t):
        return 1.0
    return None


# --------------------------------------------------------------------------- dates


@cache
def month_table() -> dict[str, int]:
    """Lower-case German month names and abbreviations → month number."""
    table: dict[str, int] = {}
    for n, name in get_month_names("wide", locale="de").items():
        table[name.casefold()] = n
        table[name.casefold()[:3]] = n
    for n, name in get_month_names("abbreviated", locale="de").items():
        table[name.casefold().rstrip(".")] = n
    table.update({"sept": 9, "jän": 1, "jänner": 1, "mrz": 3, "maerz": 3, "mär": 3})
    return table


_MONTH = (
    r"(?:Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\.?"
)
_NUMERIC = r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?!\d|[.,]\d)"
_LONG = rf"(?P<d2>\d{{1,2}})\.\s?(?P<mn>{_MONTH})\s+(?P<y2>\d{{4}})"
_MONTH_ONLY = rf"(?P<mn3>{_MONTH})\s+(?P<y3>\d{{4}})"
_ISO = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
_MON_YEAR = r"(?P<m5>0?[1-9]|1[0-2])\s?/\s?(?P<y5>20\d\d)(?![\d/])"
_MON_YEAR_DOT = r"(?P<m6>0[1-9]|1[0-2])\.(?P<y6>20\d\d)(?!\d|\.\d)"
DATE_RE = re.compile(
    rf"(?=[\dJFMASOND])(?<![\d.,/])(?:{_NUMERIC}|{_LONG}|{_MONTH_ONLY}|{_ISO}|{_MON_YEAR}|{_MON_YEAR_DOT})"
)


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if len(y) == 2 else n


def _month(name: str) -> int:
    return month_table()[name.casefold().rstrip(".")]


def date_parts(m: re.Match[str]) -> tuple[int, int, int, bool]:
    """(year, month, day, day_given) of a ``DATE_RE`` match."""
    if m.group("d"):
        return _year(m.group("y")), int(m.group("m")), int(m.group("d")), True
    if m.group("d2"):
        return int(m.group("y2")), _month(m.group("mn")), int(m.group("d2")), True
    if m.group("mn3"):
        return int(m.group("y3")), _month(m.group("mn3")), 1, False
    if m.group("m5"):
        return int(m.group("y5")), int(m.group("m5")), 1, False
    if m.group("m6"):
        return int(m.group("y6")), int(m.group("m6")), 1, False
    return int(m.group("y4")), int(m.group("m4")), int(m.group("d4")), True


def iso(y: int, mo: int, d: int) -> str:
    return f"{y:04d}-{mo:02d}-{d:02d}"


@lru_cache(maxsize=8)
def _date_matches(text: str) -> tuple[re.Match[str], ...]:
    """DATE_RE over a text, shared by the date and the date-range scans of one prose."""
    return tuple(DATE_RE.finditer(text))


def dates_in(text: str) -> list[tuple[str, bool, int, int]]:
    """Every date in ``text`` as (ISO string, day given, start, end); a month without a day
    is the 1st; a date that does not exist keeps its pattern ("30.02.21" → 2021-02-30)."""
    out = []
    for m in _date_matches(text):
        y, mo, d, given = date_parts(m)
        if 1 <= mo <= 12 and 1 <= d <= 31 and 1000 <= y <= 9999:
            out.append((iso(y, mo, d), given, m.start(), m.end()))
    return out


def parse_date(text: str) -> str | None:
    """The first date in ``text`` (ISO 8601)."""
    found = dates_in(text)
    return found[0][0] if found else None


def date_exists(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


_NUMBER_WORDS = {
    "ein": 1, "einem": 1, "einen": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "achtzehn": 18, "vierundzwanzig": 24, "dreißig": 30, "sechsunddreißig": 36,
    "achtundvierzig": 48, "anderthalb": 1.5, "eineinhalb": 1.5, "zweieinhalb": 2.5,
    "dreieinhalb": 3.5, "zweiunddreißig": 32, "achtundzwanzig": 28, "einundzwanzig": 21,
    "zweiundvierzig": 42, "fünfzehn": 15, "sechzehn": 16,
}  # fmt: skip
_QTY = r"(?P<q>\d+(?:[,.]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_DUR_RE = re.compile(
    rf"(?<![\d.,])\b{_QTY}\s*(?:-\s*)?(?P<u>Monate?n?|Mon\.|Jahre?n?|Jahres|J\.)(?![\wäöü])",
    re.IGNORECASE,
)
RANGE_SEP = r"\s*(?:–|-|—|bis(?:\s+(?:zum|Ende|einschließlich))?|to)\s*"
_RANGE_SEP = re.compile(RANGE_SEP)


def months_between(
    start: tuple[int, int, int, bool], end: tuple[int, int, int, bool]
) -> int | None:
    """Months from a start to an end date: "01.04.2021 – 31.03.2024" and "04/2021 – 03/2024"
    are 36 (the end closes its month), "15.10.2021 – 14.10.2023" is 24."""
    y1, m1, d1, _ = start
    y2, m2, d2, given2 = end
    months = (y2 - y1) * 12 + (m2 - m1)
    if given2 and d1 > 1 and d2 == d1 - 1:
        pass
    elif not given2 or d2 >= 28:
        months += 1
    return months if 0 < months < 240 else None


def date_range(text: str) -> tuple[str, int, tuple[int, int]] | None:
    """A range "01.04.2021 – 31.03.2024" / "04/2021 bis 03/2024": (start ISO, months, span)."""
    return next(date_ranges(text), None)


def date_ranges(text: str) -> Iterator[tuple[str, int, tuple[int, int]]]:
    """Every date range of a text, in one pass; a date ends at most one range."""
    found = _date_matches(text)
    used_end = -1
    for a, b in itertools.pairwise(found):
        if a.start() < used_end:
            continue
        if _RANGE_SEP.fullmatch(text, a.end(), b.start()):
            pa, pb = date_parts(a), date_parts(b)
            if not (1 <= pa[1] <= 12 and 1 <= pb[1] <= 12):
                continue
            months = months_between(pa, pb)
            if months:
                used_end = b.end()
                yield iso(pa[0], pa[1], pa[2]), months, (a.start(), b.end())


_UNIT_RE = re.compile(r"Mon|Jahr|J\.", re.IGNORECASE)


def _duration_matches(text: str) -> list[re.Match[str]]:
    """``_DUR_RE.finditer(text)``, but tried only just before each unit word: the pattern's
    leading alternation of number words is slow to try at every position of a long text."""
    out: list[re.Match[str]] = []
    end = 0
    for u in _UNIT_RE.finditer(text):
        lo = max(end, u.start() - 48)
        for m in _DUR_RE.finditer(text, lo, min(len(text), u.end() + 8)):
            if m.start("u") == u.start() and m.start() >= end:
                out.append(m)
                end = m.end()
                break
    return out


def durations_in(text: str) -> list[tuple[int, int, int]]:
    """Durations in months with their span: "36 Monate", "3 Jahre", "2,5 Jahre"."""
    out = []
    for m in _duration_matches(text):
        q = m.group("q").casefold()
        try:
            n = float(q.replace(",", ".")) if q[0].isdigit() else float(_NUMBER_WORDS[q])
        except (ValueError, KeyError):
            continue
        months = n * 12 if m.group("u").casefold().startswith("j") else n
        if months == int(months) and 0 < months < 240:
            out.append((int(months), m.start(), m.end()))
    return out


def parse_duration(text: str, *, bare_unit: str | None = None) -> int | None:
    """Duration in months from "36 Monate", "3 Jahre", a date range, or a bare number when
    the label says the unit ("Laufzeit in Monaten": ``bare_unit="months"``)."""
    found = durations_in(text)
    if found:
        return found[0][0]
    rng = date_range(text)
    if rng:
        return rng[1]
    if bare_unit:
        m = re.fullmatch(r"\s*(?:ca\.\s*)?(\d{1,3}(?:,5)?)\s*", text)
        if m:
            n = float(m.group(1).replace(",", "."))
            months = n * 12 if bare_unit == "years" else n
            if months == int(months) and 0 < months < 240:
                return int(months)
    return None


# --------------------------------------------------------------------------- numbers


_POP_NUM = re.compile(r"(?<![\d.,/])(-?\d{1,3}(?:[.\u202f\u00a0 ']\d{3})+|-?\d+)(?![\d,/]|\.\d)")


def parse_population(text: str) -> int | None:
    """Population as int from "ca. 7.170", "16304", "rund 12 500" (first number)."""
    m = _POP_NUM.search(text)
    if not m:
        return None
    return int(re.sub(r"[.\u202f\u00a0 ']", "", m.group(1)))


# --------------------------------------------------------------------------- contacts

EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+@+[\w\-]+(?:\.[\w\-]+)*(?:[.,][a-zA-Z]{2,24})?(?![\w@])"
)  # ",de" for ".de" is kept as written: the invalid_email check must see it
_EMAIL_STRICT = re.compile(r"[\w.+\-]+@+[\w\-]+(?:\.[\w\-]+)*\.[a-zA-Z]{2,24}(?![\w@])")


def emails_in(text: str) -> list[tuple[str, int, int]]:
    """Addresses as written (also invalid ones: the invalid_email check must see them)."""
    out = []
    for m in EMAIL_RE.finditer(text):
        v = m.group(0).rstrip(".-")
        local, _, domain = v.partition("@")
        if local and domain and len(domain) >= 3:
            out.append((v, m.start(), m.start() + len(v)))
    return out


def email_is_valid(address: str) -> bool:
    """Syntax check only (no DNS lookups)."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


PHONE_RE = re.compile(
    r"(?<![\w/.])(?:\+\d{2}[\s-]?(?:\(0\)\s?)?\d{2,5}|\(0\d[\d ]{1,5}\)|0\d{2,5})"
    r"(?:(?:\s?[/\-–.]\s?|\s)\d{1,8}){1,5}(?![\d])"
)


def phones_in(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in PHONE_RE.finditer(text):
        v = m.group(0).strip(" -–/.")
        # a postcode or year right after the number is not part of it ("… 12 · 12345 Ort")
        v = re.sub(r"(?:\s\d{5}|\s(?:19|20)\d\d)$", "", v) if len(re.sub(r"\D", "", v)) > 13 else v
        digits = re.sub(r"\D", "", v)
        if 6 <= len(digits) <= 15 and not re.fullmatch(r"\d{5}", v):
            out.append((v, m.start(), m.start() + len(v)))
    return out


def phone_is_plausible(text: str) -> bool:
    """True when phonenumbers accepts ``text`` as a possible German number."""
    try:
        num = phonenumbers.parse(text, "DE")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(num)


_PLZ_TOWN = re.compile(
    r"(?<![\d.,:/€])(?:D\s?-\s?)?(\d{4,5})\s+([A-ZÄÖÜ][\wäöüß\-]+(?:\s\(?[A-ZÄÖÜ][\wäöüß\-.]*\)?)*)"
)


def postcodes_in(text: str) -> list[tuple[str, int, int]]:
    """ "12345 Town" patterns (a 4-digit postcode is kept: invalid_postcode)."""
    out = []
    for m in _PLZ_TOWN.finditer(text):
        town = m.group(2)
        if re.match(r"(?:Euro|EUR|Einwohner|Menschen|Monate|Jahre|T€)\b", town):
            continue
        out.append((m.group(1), m.start(1), m.end(1)))
    return out


def parse_postcode(text: str) -> str | None:
    """A postcode cell: "37093", "37093 Rehlar", "D-37093"."""
    m = re.match(r"\s*(?:D\s?-\s?)?(\d{4,5})(?!\d)", text)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- persons

_TITLE_RE = re.compile(r"^(?:(?:Frau|Herrn?|Fr\.|Hr\.)\s+)")
_NAME_WORD = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
PERSON_CORE = re.compile(
    r"(?:(?:Prof\.|Dr\.(?:\s?[a-z]+\.)?|Dipl\.-[\w.\-]+)\s+)*"
    rf"{_NAME_WORD}(?:\s{_NAME_WORD})?\s(?:(?:von|van|de|zu|von der)\s)?{_NAME_WORD}"
)
_NOT_NAME = re.compile(
    r"\b(?:Gemeinde|Stadt|Markt|Amt|Kreis|Landkreis|Verband|Straße|Platz|Weg|Allee|Ring|Rathaus"
    r"|Verwaltung|Projekt|Vorhaben|Telefon|Mail|Seite|Heimat|Förder|Digital|Kommune|Bürger"
    r"|Anschrift|Datum|Ort|Bundesland|Antrag|Kontakt|Name|Funktion|Bürgermeister\w*"
    r"|Herzliche|Grüße|Freundliche|Mit|Sehr|Geehrte\w*|Liebe|Ihre?|Unsere?|Hauptamt"
    r"|Abteilung|Fachbereich|Referat|Team|Leitung|Landrat|Kreisverwaltung|Samtgemeinde"
    r"|Verbandsgemeinde|Ortsgemeinde|Hansestadt|Dorf\w*|Sachgebiet|Ansprech\w*)\b",
    re.IGNORECASE,
)


def clean_person(text: str) -> str | None:
    """ "Frau Dr. Maren Brandt (Bürgermeisterin)" → "Dr. Maren Brandt"; None if no name."""
    t = re.split(
        r"\s*[(,·|;]|\s+[-–]\s+|\s+Tel\b|\s+E-?Mail\b|\s+\S+@|\s+\+?\d|\s*/\s*(?=[A-ZÄÖÜ])",
        text.strip(),
    )[0]
    t = _TITLE_RE.sub("", t.strip())
    t = re.sub(r"\s+", " ", t).strip(" :")
    m = PERSON_CORE.fullmatch(t)
    if not m or _NOT_NAME.search(t):
        return None
    return m.group(0)


# --------------------------------------------------------------------------- bodies

_PREFIX_RE = "|".join(re.escape(p) for p, _ in BODY_PREFIXES)
_WORD = (
    rf"(?!(?:{_PREFIX_RE}|Am|Im|An|In|Auf|Zum|Zur|Bei|Unter|Über|Landkreis|Kreis)\b)"
    r"[A-ZÄÖÜ][\wäöüß\-]+"
)
_NAME = (
    rf"[A-ZÄÖÜ][\wäöüß\-]*(?:[ \-](?:(?:an der|am|im|in der|ob der|bei|auf der|vor der|a\.\s?d\.|i"
    rf"\.\s?)\s?)?"
    rf"{_WORD})*(?:\s\((?!(?:Landkreis|Kreis)\b)[A-ZÄÖÜ][^),]{{1,30}}\))?"
)
BODY_RE = re.compile(
    rf"(?=[A-ZÄÖÜ])(?<![\w-])(?:{_PREFIX_RE})\s{_NAME}|(?<![\w-])[A-ZÄÖÜ][\wäöüß-]*-Kreis\b"
    rf"|(?<![\w-])[A-ZÄÖÜ][\wäöüß]+kreis(?:\s(?!(?:{_PREFIX_RE})\b)[A-ZÄÖÜ][\wäöüß]+)?\b"
)


def bodies_in(text: str) -> list[tuple[str, int, int]]:
    """Names of public bodies ("Gemeinde Breklum", "Stadt Herzberg (Elster)")."""
    return [(m.group(0).strip(), m.start(), m.end()) for m in BODY_RE.finditer(text)]


def corporation_type(text: str) -> str | None:
    """One of the eight types for a body's name or a status cell; in a row of check boxes
    ("☐ Gemeinde ☐ Stadt ☒ Amt") the ticked one."""
    t = text.strip()
    ticked = re.findall(r"(?:☒|☑|\[\s*[xX]\s*\])\s*([^☒☑☐□\[]+)", t)
    if ticked and re.search(r"☐|□|\[\s*\]", t):
        if len(ticked) != 1:
            return None
        t = ticked[0].strip()
    for prefix, kind in BODY_PREFIXES:
        if re.match(rf"{re.escape(prefix)}\b", t, re.IGNORECASE):
            return kind
    if re.search(r"(-Kreis|kreis)\b", t.split(" (")[0]):
        return "Landkreis"
    return None


def strip_district(text: str) -> str:
    """District name without "Landkreis"/"Kreis" and without a state in brackets
    ("Kreis Höxter" → "Höxter", "Haßberge (Bayern)" → "Haßberge")."""
    t = re.sub(r"^\s*(?:Landkreis|Kreis|Lkr\.|LK)\s+", "", text.strip())
    m = re.search(r"\s*\(([^()]+)\)\s*$", t)
    if m and (m.group(1).strip() in FEDERAL_STATES or m.group(1).strip() in STATE_ALIASES):
        t = t[: m.start()]
    return t.strip(" ,;:").rstrip(".") if not re.search(r"\b[a-z]\.$", t) else t.strip(" ,;:")


def canonical_state(text: str, extra: tuple[str, ...] = ()) -> str | None:
    """A known state named in ``text`` ("Freistaat Sachsen" → "Sachsen"), else None."""
    t = re.sub(
        r"^\s*(?:Freistaat|Land|Bundesland|Freie und Hansestadt|Freie Hansestadt)\s+",
        "",
        text.strip(),
    )
    t = t.strip(" ,.;:()")
    for s in (*FEDERAL_STATES, *extra):
        if t == s:
            return s
    return STATE_ALIASES.get(t)


_STATES_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(s) for s in sorted(FEDERAL_STATES, key=len, reverse=True))
    + r")(?![\w-])"
)


def states_in(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(1), m.start(), m.end()) for m in _STATES_RE.finditer(text)]


# --------------------------------------------------------------------------- partners

NONE_VALUE = re.compile(
    r"^(?:keine?|keine Angabe|–|-|—|entfällt|n/?a|nicht zutreffend|\.\/\.|ohne|bisher keine"
    r"|noch keine|nicht vorhanden|kein Akronym|k\.\s?A\.)\.?$",
    re.IGNORECASE,
)
LEGAL_FORM = re.compile(
    r"(?:\be\.\s?V\.|\bgGmbH|\bGmbH(?:\s&\sCo\.\sKG)?|\bmbH|\beG|\bAöR|\bKdöR|\bUG\b|\bAG|\bKG"
    r"|\bgUG|\bGbR|\bZV|\bw\.\s?V\.|\(haftungsbeschränkt\))\s*$"
)
_ARTICLE = re.compile(r"^(?:die|der|das|den|dem|des)\s+", re.IGNORECASE)
_ROLE_SUFFIX = (
    "ung",
    "arbeit",
    "schule",
    "gemeinde",
    "stellerin",
    "steller",
    "angebot",
    "marketing",
    "raum",
    "träger",
    "trägerin",
    "partner",
    "partnerin",
    "gruppe",
    "begleitung",
    "betrieb",
    "ort",
    "kommune",
    "leitung",
    "evaluation",
    "beratung",
    "analyse",
    "bildung",
    "fahrdienst",
    "technik",
    "vertrieb",
    "pflege",
    "koordination",
    "kurse",
    "kursangebot",
    "konzept",
    "plattform",
    "dienst",
    "anbindung",
    "versorgung",
    "qualifizierung",
    "befragung",
    "inhalte",
    "netz",
    "projekt",
)


def _is_role(inner: str, before: str) -> bool:
    """Is a trailing "(…)" a role in the project rather than part of the name?"""
    t = inner.strip()
    if not t or t.casefold() in ("haftungsbeschränkt", "i. g.", "i.g."):
        return False
    if re.search(r"\b[a-zäöüß]{3,}\b", t) or (" " in t and len(t.split()) >= 3):
        return True  # "(fachliche Begleitung)", "(Partner für Inhalte)"
    if re.search(r"(?:e\.\s?V\.|GmbH|gGmbH|eG|mbH|AöR|GbR|KG|UG|\))\s*$", before):
        return True  # after the legal form the name is complete
    word = t.split()[-1].casefold()
    return any(word.endswith(suf) for suf in _ROLE_SUFFIX)


def _strip_roles(name: str) -> str:
    name = re.split(r"\s[–—-]\s|:\s", name, maxsplit=1)[0]
    while True:
        m = re.search(r"\s*\(([^()]{1,80})\)\s*$", name)
        if not m or not _is_role(m.group(1), name[: m.start()]):
            return name
        name = name[: m.start()]


_ORG_START = re.compile(
    rf"(?:{_PREFIX_RE}|Landkreis|Kreis|Verbandsgemeinde|Landesverband|Kreisverband|[A-ZÄÖÜ]{{2,5}})\b"
)
_COMPLETE = re.compile(r"(?:e\.\s?V\.|GmbH|gGmbH|eG|mbH|AöR|GbR|KG|UG|AG|KdöR|\))$")


def _closed_name(text: str) -> bool:
    """Does a name end with at least two capitalised words after its last lowercase word
    ("Hochschule für Technik und Wirtschaft Wendelmark"), so that an "und" after it starts
    a new name? "Hochschule für Technik" does not: "… und Wirtschaft" belongs to it."""
    words = text.split()
    tail: list[str] = []
    for w in reversed(words):
        if w[:1].islower():
            break
        tail.append(w)
    return len(tail) >= 2 or len(tail) == len(words)


def split_partners(text: str) -> list[str]:
    """Split "A, B und C" / "A; B" into names (memoised: the same lines are read for every
    label that could name the partners)."""
    return list(_split_partners(text))


@lru_cache(maxsize=16384)
def _split_partners(text: str) -> tuple[str, ...]:
    """Split "A, B und C" / "A; B" into names, keeping "e. V." and parentheses intact.

    " und " separates two partners only where the left one is complete (it ends with a
    legal form or a bracket), the right one starts like a body ("Gemeinde …"), or it joins
    the last item of a comma list: "Hochschule für Technik und Wirtschaft X" stays whole.
    """
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    if re.search(r"\b[ew]\. ?V$|\b[ew]\.V$", text):
        text += "."
    has_list = bool(re.search(r";\s|,\s(?!(?:e\.\s?V\.|gGmbH|GmbH|mbH|eG)\b)", text))
    parts: list[str] = []
    depth = 0
    cur = ""
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            sep = next((s for s in (", ", "; ", " und ", " sowie ") if text.startswith(s, i)), None)
            if sep is not None:
                rest = text[i + len(sep) :]
                ok = True
                if sep == ", " and re.match(r"(?:e\.\s?V\.|gGmbH|GmbH|mbH|eG)\b", rest):
                    ok = False
                elif sep in (" und ", " sowie "):
                    ok = (
                        not cur.endswith("-")
                        and not re.match(r"(?:Umgebung|Umland|Region|Co\.)\b", rest)
                        and (
                            bool(_COMPLETE.search(cur.strip()))
                            or bool(_ORG_START.match(rest))
                            or (has_list and "," not in rest and ";" not in rest)
                            or (
                                bool(_ORG_START.match(cur.strip()))
                                and len(cur.split()) >= 2
                                and rest[:1].isupper()
                                and not has_list
                            )
                            or (
                                bool(
                                    _COMPLETE.search(
                                        rest.strip().rstrip(".")
                                        + ("." if rest.strip().endswith("V.") else "")
                                    )
                                )
                                and len(cur.split()) >= 2
                                and _closed_name(cur)
                                and not has_list
                            )
                        )
                    )
                if ok:
                    parts.append(cur)
                    cur = ""
                    i += len(sep)
                    continue
        cur += ch
        i += 1
    parts.append(cur)
    return tuple(c for p in parts if (c := clean_partner(p)))


ABBREVIATIONS = frozenset(
    [
        "e",
        "v",
        "w",
        "co",
        "dr",
        "st",
        "nr",
        "ca",
        "bzw",
        "gem",
        "luth",
        "ev",
        "evang",
        "kath",
        "prof",
        "dipl",
        "ing",
        "z",
        "b",
        "u",
        "a",
        "d",
        "i",
        "usw",
        "etc",
        "vgl",
        "ggf",
        "inkl",
        "abs",
        "art",
        "bd",
        "str",
        "tel",
        "fa",
        "hr",
        "fr",
        "mio",
        "tsd",
        "rd",
        "ehem",
        "gGmbH",
        "mbh",
    ]
)
"""Words that end with a dot without ending a sentence ("e. V.", "Ev.-luth.", "Co. KG")."""


def dot_ends_sentence(text: str, i: int) -> bool:
    """Does the "." at ``text[i]`` end a sentence (not an abbreviation or a decimal)?"""
    m = re.search(r"([\wäöüÄÖÜß]+)$", text[max(0, i - 12) : i])
    word = m.group(1) if m else ""
    after = text[i + 1 : i + 4]
    if after[:1] == "-" or after[:1].isalnum():
        return False  # "Ev.-luth.", "a.d.Waldnaab", "2.0"
    if word.casefold() in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    return not re.match(r"\s+[a-zäöüß]", text[i + 1 : i + 6] + " ")


_SENTENCE_BREAK = re.compile(
    r"(?<!\be)(?<!\bV)(?<!\bSt)(?<!\bDr)(?<!\bNr)(?<!\bca)(?<!\bProf)\.\.?\s+[A-ZÄÖÜ][a-zäöüß]+\s"
)


def clean_partner(name: str) -> str:
    """A partner's name without list bullets, a leading article or a trailing role."""
    name = re.sub(r"\s+", " ", name).strip(" ,;:▪•|")
    for m in re.finditer(r"\.(?=\s+[A-ZÄÖÜ][a-zäöüß]+\s)", name + " "):
        if dot_ends_sentence(name + " ", m.start()):
            name = name[: m.start() + 1]
            break
    name = re.sub(r"(?<=\.)\.$", "", name)
    name = re.sub(r"^(?:[•▪◦‣·\-–—*]|\d{1,2}[.)])\s*", "", name)
    name = _strip_roles(name.strip())
    name = _ARTICLE.sub("", name).strip(" ,;:")
    if name.endswith(".") and not re.search(r"(?:\b[A-Za-zäöü]{1,4}|\be\.\s?V|\bw\.\s?V)\.$", name):
        name = name[:-1]  # the sentence's full stop, not an abbreviation's
    return name


ORG_WORD = re.compile(
    r"(?:verein|verband|gesellschaft|genossenschaft|hochschule|universität|schule|akademie|werk|zentrum"
    r"|agentur|praxis|apotheke|station|dienst|netz|netzwerk|beirat|initiative|gemeinde|stiftung"
    r"|kirche|feuerwehr|bank|ring|bund|gruppe|kammer|kreis|stadt|amt|bibliothek|museum|krankenhaus"
    r"|klinik|bäckerei|laden|stadtwerke|werke|zweckverband|datenzentrale|beratung|büro|rat|forum"
    r"|region|verbund|partner|haus|kita|betrieb|unternehmen|club|gilde|landkreis|markt|vhs|drk|awo"
    r"|caritas|diakonie|lag|leader)\b|\b(?:GmbH|gGmbH|e\.\s?V\.|eG|AöR|mbH|AG|KG|GbR|UG|w\.\s?V\.)"
    r"|^(?:Gemeinde|Stadt|Markt|Amt|Landkreis|Kreis|Verbandsgemeinde|Samtgemeinde)\b",
    re.IGNORECASE,
)


def org_like(name: str) -> bool:
    """Does a name look like an organisation (a legal form, a body, an organisation noun)?"""
    return bool(ORG_WORD.search(name))


def plausible_partner(name: str) -> bool:
    """An organisation or body name: capitalised, short, no sentence inside."""
    return (
        2 < len(name) <= 110
        and bool(re.match(r"[A-ZÄÖÜ0-9„\"]", name))
        and len(name.split()) <= 14
        and not NONE_VALUE.match(name)
        and not re.search(
            r"\b(?:wird|werden|sollen|soll|ist|sind|haben|hat|wurde|können|wirken|arbeiten|erhalten"
            r"|unterstützen|beteiligen|bringen|übernehmen|folgende|folgenden|wir|unsere|uns)\b",
            name,
        )
        and not name.endswith(":")
        and "@" not in name
        and sum(1 for w in name.split() if w[:1].islower() and w.strip(".,") not in _NAME_JOINERS)
        < 3  # "Eine eigens eingerichtete Projektstelle steuert das Vorhaben …" is a sentence
    )


_NAME_JOINERS = frozenset(
    [
        "für",
        "und",
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "am",
        "im",
        "an",
        "auf",
        "von",
        "vom",
        "zur",
        "zum",
        "zu",
        "in",
        "bei",
        "mit",
        "ob",
        "a.d.",
        "e.",
        "eg",
        "ggmbh",
        "gmbh",
        "mbh",
        "gbr",
        "ug",
        "kg",
        "ag",
    ]
)


# --------------------------------------------------------------------------- topics

_TOPIC_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"gesundheit|pflege|medizin|ärztlich|telemedizin", TOPIC_FIELDS[3]),
    (
        r"nahversorgung|daseinsvorsorge|lokale.{0,20}versorgung|regionale versorgung|einzelhandel",
        TOPIC_FIELDS[0],
    ),
    (r"sozial|kultur|ehrenamt|teilhabe|vereinsleben", TOPIC_FIELDS[1]),
    (r"bildung|qualifizierung|kompetenz|lernen", TOPIC_FIELDS[2]),
    (r"mobilität|verkehr|\bmobil\b", TOPIC_FIELDS[4]),
    (r"wohn|arbeitsstandort|arbeiten|standort", TOPIC_FIELDS[5]),
    (r"verwaltung|e-government|bürgerservice|rathaus", TOPIC_FIELDS[6]),
    (r"versorgung", TOPIC_FIELDS[0]),
)


_TOPIC_PATTERNS = tuple((re.compile(p), canon) for p, canon in _TOPIC_KEYWORDS)
_TOPICS_FOLDED = tuple((canon.casefold(), canon) for canon in TOPIC_FIELDS)


@lru_cache(maxsize=16384)
def canonical_topic(text: str) -> str | None:
    """Canonical topic field for a (partial) name, None when nothing fits."""
    t = " ".join(text.casefold().split())
    if not t or len(t) > 90:
        return None
    for folded, canon in _TOPICS_FOLDED:
        if folded in t:
            return canon
    for pattern, canon in _TOPIC_PATTERNS:
        if pattern.search(t):
            return canon
    return None


def ordered_topics(names: list[str]) -> list[str]:
    chosen = set(names)
    return [t for t in TOPIC_FIELDS if t in chosen]


# --------------------------------------------------------------------------- validators


def _date_ok(v: object) -> bool:
    return isinstance(v, str) and date_exists(v) and 2010 <= int(v[:4]) <= 2040


VALIDATORS = {
    "email": lambda v: isinstance(v, str) and email_is_valid(v),
    "telefon": lambda v: isinstance(v, str) and phone_is_plausible(v),
    "plz": lambda v: isinstance(v, str) and bool(re.fullmatch(r"\d{5}", v)),
    "bundesland": lambda v: v in FEDERAL_STATES,
    "einwohnerzahl": lambda v: isinstance(v, int) and 50 <= v <= 4_000_000,
    "laufzeit_monate": lambda v: isinstance(v, int) and 3 <= v <= 72,
    "projektbeginn": _date_ok,
    "datum": _date_ok,
    "gesamtkosten_eur": lambda v: isinstance(v, int | float) and 10_000 <= v <= 20_000_000,
    "foerdersumme_eur": lambda v: isinstance(v, int | float) and 1_000 <= v <= 20_000_000,
    "eigenanteil_eur": lambda v: isinstance(v, int | float) and 0 < v <= 20_000_000,
}
"""Plausibility per field: a value that fails is still reported (checks need it), but it is
weaker evidence of a correct reading."""
