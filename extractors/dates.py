"""Dates and durations: projektbeginn, datum, laufzeit_monate.

Dates become ISO strings without validation, so a non-existent date keeps its
pattern ("30.02.21" → "2021-02-30") and the ``invalid_date`` check can fire on it.
Month names come from babel's German calendar data plus common abbreviations.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from babel.dates import get_month_names

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import Candidate, DocView, labelled_values, pick_result
from extractors.types import FieldResult

EXTRACTOR = "dates@1"


@cache
def month_table() -> dict[str, int]:
    """Lower-case German month names and abbreviations → month number."""
    table: dict[str, int] = {}
    for n, name in get_month_names("wide", locale="de").items():
        table[name.casefold()] = n
        table[name.casefold()[:3]] = n
    for n, name in get_month_names("abbreviated", locale="de").items():
        table[name.casefold().rstrip(".")] = n
    table.update({"sept": 9, "jän": 1, "jänner": 1, "mrz": 3, "maerz": 3})
    return table


_MONTH = (
    r"(?:Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\.?"
)
_NUMERIC = r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?!\d)"
_LONG = rf"(?P<d2>\d{{1,2}})\.\s?(?P<mn>{_MONTH})\s+(?P<y2>\d{{4}})"
_MONTH_ONLY = rf"(?P<mn3>{_MONTH})\s+(?P<y3>\d{{4}})"
_ISO = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
DATE_RE = re.compile(rf"(?<![\d.])(?:{_NUMERIC}|{_LONG}|{_MONTH_ONLY}|{_ISO})")


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if len(y) == 2 else n


def _month(name: str) -> int:
    return month_table()[name.casefold().rstrip(".")]


def _match_to_parts(m: re.Match[str]) -> tuple[int, int, int, bool]:
    """(year, month, day, day_given)."""
    if m.group("d"):
        return _year(m.group("y")), int(m.group("m")), int(m.group("d")), True
    if m.group("d2"):
        return int(m.group("y2")), _month(m.group("mn")), int(m.group("d2")), True
    if m.group("mn3"):
        return int(m.group("y3")), _month(m.group("mn3")), 1, False
    return int(m.group("y4")), int(m.group("m4")), int(m.group("d4")), True


def parse_date(text: str) -> str | None:
    """First date in ``text`` as ISO 8601 (a month without day → the 1st)."""
    m = DATE_RE.search(text)
    if m is None:
        return None
    y, mo, d, _ = _match_to_parts(m)
    if not 1 <= mo <= 12:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


_NUMBER_WORDS = {
    "ein": 1, "einem": 1, "einen": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "achtzehn": 18, "vierundzwanzig": 24, "dreißig": 30, "sechsunddreißig": 36,
    "anderthalb": 1.5, "eineinhalb": 1.5, "zweieinhalb": 2.5,
}  # fmt: skip
_QTY = r"(?P<q>\d+(?:,\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_DUR_RE = re.compile(rf"(?<![\d.,]){_QTY}\s+(?P<u>Monate?n?|Jahre?n?)\b", re.IGNORECASE)
_RANGE_SEP = r"\s*(?:–|-|—|bis(?:\s+zum)?|to)\s*"


def _months_between(a: re.Match[str], b: re.Match[str]) -> int | None:
    y1, m1, _, _ = _match_to_parts(a)
    y2, m2, d2, day2 = _match_to_parts(b)
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    months = (y2 - y1) * 12 + (m2 - m1)
    if not day2 or d2 >= 28:
        months += 1  # the end date closes its month ("bis 31.03.2024", "bis März 2024")
    return months if 0 < months < 240 else None


def parse_duration(text: str) -> int | None:
    """Duration in months from "36 Monate", "3 Jahre", "drei Jahre" or a date range."""
    m = _DUR_RE.search(text)
    if m:
        q = m.group("q").casefold()
        n = float(q.replace(",", ".")) if q[0].isdigit() else float(_NUMBER_WORDS[q])
        months = n * 12 if m.group("u").casefold().startswith("jahr") else n
        if months == int(months) and 0 < months < 240:
            return int(months)
    dates = list(DATE_RE.finditer(text))
    for a, b in itertools.pairwise(dates):
        between = text[a.end() : b.start()]
        if re.fullmatch(_RANGE_SEP, between):
            return _months_between(a, b)
    return None


_DATE_ANY = re.sub(r"\?P<\w+>", "?:", DATE_RE.pattern)
_RANGE_RE = re.compile(rf"(?P<a>{_DATE_ANY}){_RANGE_SEP}(?P<b>{_DATE_ANY})")


def _pick(field: str, cands: list[tuple[Candidate, object]], low: float = 0.2) -> FieldResult:
    return pick_result(field, cands, extractor=EXTRACTOR, low=low, conflict=0.7)


_START_PROSE = re.compile(
    r"(?:Projektbeginn|Vorhabenbeginn|Projektstart|Beginn|Start|beginnen|starten|startet|beginnt)"
    r"[^.]{0,40}?"
    r"(?:am|zum|ab|für den|für|im|den|ist)?\s*(?P<v>" + DATE_RE.pattern[len(r"(?<![\d.])") :] + ")"
)
# "Das Vorhaben soll am 1. Oktober 2021 beginnen": the date before the verb
_START_BEFORE = re.compile(
    r"\b(?:am|zum|ab( dem)?|mit dem)\s(?P<v>"
    + DATE_RE.pattern[len(r"(?<![\d.])") :]
    + r")\s(?:[^.]{0,30}\s)?(?:beginnen|starten|anlaufen|aufnehmen)\b"
)
# "ist auf 36 Monate angelegt", "läuft 24 Monate", "dauert zwei Jahre"
_DUR_VERB = re.compile(
    rf"\b(?:auf|über|für|läuft|dauert|umfasst)\s(?:insgesamt\s)?(?P<v>{_QTY}\s+(?:Monate?n?|Jahre?n?))"
    r"(?:\s(?:angelegt|ausgelegt|geplant|befristet|veranschlagt))?",
    re.IGNORECASE,
)
_DUR_PROSE = re.compile(
    r"(?:Laufzeit|Projektdauer|Dauer|Durchführungszeitraum|Zeitraum)[^.]{0,40}?"
    r"(?:beträgt|von|über|umfasst|ist|:)?\s*(?P<v>[^.]{0,80}?(?:Monate?n?|Jahre?n?|\d{4}))(?:\)|\.|,|;|\s|$)",
)
_DATE_LINE = re.compile(r"(?:^|\n)\s*[A-ZÄÖÜ][\w .()/-]{1,40},\s*(?:den\s+)?(?P<v>[^\n]{6,25})")


def extract_dates(view: DocView, *, config: FieldConfig = DEFAULT_CONFIG) -> dict[str, FieldResult]:
    """Planned start, duration in months and the date of the sketch."""
    start: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.start_labels):
        v = parse_date(c.value)
        if v:
            start.append((c, v))
    for page, text in view.prose:
        for pat in (_START_PROSE, _START_BEFORE):
            for m in pat.finditer(text):
                v = parse_date(m.group("v"))
                if v:
                    start.append((Candidate(m.group("v"), page, m.group(0), 0.55), v))
    dur: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.duration_labels):
        v = parse_duration(c.value)
        if v:
            dur.append((c, v))
    for page, text in view.prose:
        for m in _DUR_VERB.finditer(text):
            ctx = text[max(0, m.start() - 120) : m.start()]
            v = parse_duration(m.group("v"))
            if v and re.search(r"Projekt|Vorhaben|Laufzeit|Maßnahme", ctx + m.group(0)):
                dur.append((Candidate(m.group("v"), page, m.group(0), 0.5), v))
        for m in _DUR_PROSE.finditer(text):
            v = parse_duration(m.group("v"))
            if v:
                dur.append((Candidate(m.group("v"), page, m.group(0), 0.55), v))
    range_re = _RANGE_RE
    for c in labelled_values(view, config.duration_labels):
        if range_re.search(c.value):
            v = parse_date(c.value)
            if v:
                start.append((Candidate(c.value, c.page, c.snippet, 0.6), v))
    for page, text in view.prose:
        for m in re.finditer(rf"\b(?:von|vom|ab)\s(?P<r>{range_re.pattern})", text):
            r = m.group("r")
            v = parse_date(r)
            if v:
                start.append((Candidate(r, page, m.group(0), 0.45), v))
            d = parse_duration(r)
            if d:
                dur.append((Candidate(r, page, m.group(0), 0.45), d))
    datum: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.date_labels):
        v = parse_date(c.value)
        if v:
            datum.append((c, v))
    for page, text in view.page_texts:
        for m in _DATE_LINE.finditer(text):
            v = parse_date(m.group("v"))
            if v and DATE_RE.match(m.group("v").strip()):
                datum.append((Candidate(m.group("v"), page, m.group(0).strip(), 0.6), v))
    if not datum and view.page_texts:
        # a cover page: a date alone on a line of page 1
        page, text = view.page_texts[0]
        for m in re.finditer(r"^\s*(?P<v>[^\n]{6,20})\s*$", text, re.MULTILINE):
            if DATE_RE.fullmatch(m.group("v").strip()) and (v := parse_date(m.group("v"))):
                datum.append((Candidate(m.group("v"), page, m.group(0).strip(), 0.5), v))
    return {
        "projektbeginn": _pick("projektbeginn", start),
        "laufzeit_monate": _pick("laufzeit_monate", dur),
        "datum": _pick("datum", datum),
    }
