"""Candidates from scans of the running text: every value of a field's kind, with the
words around it as context, since prose names its values in sentences, not under labels."""

from __future__ import annotations

import bisect
import re
from typing import Any

from extractors.candidates.cand import KIND, Cand
from extractors.candidates.parse import ACRONYM, parse_for, strip_value
from extractors.document import DocModel
from extractors.labels import context_tokens, known_word
from extractors.registry import FIELDS, spec
from extractors.values import (
    BODY_RE,
    amounts_in,
    bodies_in,
    canonical_topic,
    clean_person,
    date_ranges,
    dates_in,
    dot_ends_sentence,
    durations_in,
    emails_in,
    ordered_topics,
    parse_population,
    phones_in,
    plausible_partner,
    postcodes_in,
    split_partners,
    states_in,
    strip_district,
)
from extractors.vocab import FEDERAL_STATES

__all__ = ["from_prose"]

_SENT_END = re.compile(
    r"[.!?](?<!\be.)(?<!\bV.)(?<!\bca.)(?<!\bz\.B.)(?<!\bNr.)(?<!\bSt.)(?<!\bDr.)(?<!\bgem.)(?=\s+[A-ZÄÖÜ„])|\n"
)


_NEXT_VALUE = re.compile(r"(?:€\s?)?\d")
_NEXT_CLAUSE = re.compile(r"[,;]\s+(?:der|die|das|den|dem|des|während|wobei|womit|sowie|und)\s|;")
_ALS = re.compile(r"\s*(?:,-+\s*)?(?:€\s*)?als\b")
_PREV_AMOUNT = re.compile(
    r"(?:€|EUR|Euro)\s?\d[\d.,\u202f]*(?:,-+)?|\d[\d.,\u202f]*(?:,-+)?\s?(?:€|EUR|Euro)\b"
)


class _Prose:
    """The document's running text with its sentence boundaries and memoised contexts,
    so that a hundred scanned values cost one pass over the text."""

    def __init__(self, model: DocModel) -> None:
        self.text, _ = model.prose
        self.model = model
        self.bounds = [m.end() for m in _SENT_END.finditer(self.text)]
        self._ctx: dict[tuple[int, int], tuple[list[tuple[str, int]], list[tuple[str, int]]]] = {}

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.bounds, start) - 1
        s0 = max(self.bounds[i] if i >= 0 else 0, start - 240)
        j = bisect.bisect_left(self.bounds, end + 1)
        s1 = min(self.bounds[j] - 1 if j < len(self.bounds) else len(self.text), end + 200)
        return s0, max(s1, end)

    def tokens(self, start: int, end: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        key = (start, end)
        got = self._ctx.get(key)
        if got is None:
            s0, s1 = self.sentence(start, end)
            after = self.text[end:s1]
            cut = _NEXT_VALUE.search(after)
            if cut:
                after = after[
                    : cut.start()
                ]  # "€ 182.200 als Zuwendung und € 69.500 als Eigenanteil"
            clause = _NEXT_CLAUSE.search(after)
            if clause:
                after = after[: clause.start()]  # "… finanziert werden, der Eigenanteil beträgt …"
            before = self.text[s0:start]
            prev = next(reversed(list(_PREV_AMOUNT.finditer(before))), None)  # the last one
            if prev is not None:
                before = before[prev.end() :]  # "… € 182.200,- als Zuwendung und € 69.500"
            if _ALS.match(after):
                # "davon € 182.200 als Zuwendung und € 69.500 als Eigenanteil": the words
                # after "als" name the value; those before the last "und" name the previous one
                before = re.split(r"\bund\b|[,;]", before)[-1]
            got = (
                context_tokens(before, reverse=True),
                context_tokens(after, reverse=False)[:5],
            )
            self._ctx[key] = got
        return got


def _context(fname: str, prose: _Prose, start: int, end: int) -> tuple[float, float, float]:
    """(score before, score after, best score of another field before) for a value."""
    before, after = prose.tokens(start, end)
    lex = spec(fname).lexicon
    b = lex.context_score(before)
    a = lex.context_score(after)
    other = 0.0
    if before or after:
        # "am 1. Oktober 2021 beginnen": the words after a value can name its field too
        near, next_ = before[:4], after[:2]
        for f in FIELDS:
            if f.name != fname and KIND[f.name] == KIND[fname]:
                other = max(other, f.lexicon.context_score(near), f.lexicon.context_score(next_))
    return b, a, other


def _add_scan(
    out: dict[str, list[Cand]],
    prose: _Prose,
    fname: str,
    value: Any,
    start: int,
    end: int,
    source: str = "prose",
    **extra: float,
) -> None:
    text = prose.text
    if isinstance(value, str):
        value = re.sub(r"\s+", " ", value).strip()
    b, a, other = _context(fname, prose, start, end)
    frags = prose.model.locate(start, end)
    s0, s1 = prose.sentence(start, end)
    feats = {"ctx": max(b, a), "ctx_before": b, "ctx_after": a, "ctx_other": other, **extra}
    before = text[max(s0, start - 60) : start]
    feats["in_parens"] = float(before.count("(") > before.count(")"))
    if KIND[fname] == "date":
        # across a line break: "Einwohner (Stand 7.065" / "31.12.2019)" in a narrow cell
        back = text[max(0, start - 60) : start]
        back = re.split(r"[.!?]\s", back)[-1]
        near = context_tokens(back, reverse=True)[:6]
        feats["near_pop"] = spec("einwohnerzahl").lexicon.context_score(near)
    out[fname].append(
        Cand(fname, value, source, frags, None, 0.0, feats, text[s0:s1].strip()[:300])
    )


_POP_NUMBER = re.compile(r"(?<![\d.,])(-?\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+|-?\d{1,7})(?![\d,.]\d)")
_HEDGE = re.compile(r"(?<![\d.,])(?:ca\.\s|rund\s|etwa\s|über\s|knapp\s)$")
_POP_AFTER = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:Einwohn\w*|Bürgerinnen|Bürger|Menschen|Bewohner\w*|EW\b)"
)
_DISTRICT_PROSE = re.compile(
    r"(?=[(kA-ZÄÖÜ])(?:(?:(?<=\s)|^|\()(?:Land)?[Kk]reis(?:es)?\s(?P<v>(?:St\.\s?|Bad\s)?[A-ZÄÖÜ]["
    r"\wäöüß\-]*(?:\s\([A-ZÄÖÜ][\w .\-]{1,25}\))?"
    r"(?: (?:a\.\s?d\.\s?|an der |am |im |ob der )?[A-ZÄÖÜ][\wäöüß\-]+)?)"
    r"|(?P<w>(?<![\w-])[A-ZÄÖÜ][\wäöüß\-]*-Kreis|(?<![\w-])(?!Landkreis\b)[A-ZÄÖÜ][\wäöüß]+kreis(?"
    r": [A-ZÄÖÜ][\wäöüß\-]+)?)(?![\w-]))"
)
_PERSON_PROSE = re.compile(
    r"(?:Frau|Herrn?)\s(?P<v>(?:(?:Prof\.|Dr\.)\s)*[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
    r"(?:\s[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?){1,2})"
)
_QUOTED = re.compile(r"[„\"“»](?P<v>[^“”\"«„]{6,180})[“”\"«]")
_ACR_PROSE = re.compile(
    r"(?=[(AKPk])(?:\((?:Kurztitel|Akronym|Kurzbezeichnung|Kurzname|kurz|Projektkürzel)\s*:?\s*[„"
    r"\"“»]?(?P<v>[^)\s„“”\"]{2,20}(?: [^)\s„“”\"]{2,20}){0,2})[“”\"«]?\)"
    r"|(?:Akronym|Kurztitel|Kurzbezeichnung|Projektkürzel|Kurzname|Kurzform|kurz)\s(?:lautet\s|ist\s|heißt\s)?:?\s?[„\"“»](?P<w>[^“”\"«]{2,30})[“”\"«]"
    r"|\b(?:kurz|Kurzform|Akronym|Kürzel):?\s(?P<x>(?:[A-ZÄÖÜ][a-zäöü]*[A-ZÄÖÜ][\wäöü]*|[A-ZÄÖÜ]{3,8}\d?|[a-z][A-ZÄÖÜ][\wäöü]+))(?![\w-]))"
)
_PARTNER_TRIGGER = re.compile(
    r"(?=[KPVFBMU])(?:(?:Kooperationspartner\w*|Projektpartner\w*|Partner(?:n|innen)?|Verbundpartner\w*|Kooperation)"
    r"[^.:;\n]{0,80}?(?::\s*|\s(?:sind|ist|wirken(?: mit:?)?|wirkt(?: mit:?)?|beteiligen sich|bete"
    r"iligt sich|werden|zählen)\s(?:dabei\s)?(?:die\s|der\s|das\s)?|\smit\s(?:der|dem|den)\s)"
    r"|\b(?:[Ff]est eingebunden sind|(?:[Vv]erbindlich\s)?[Bb]eteiligt sind|[Mm]it im Boot (?:ist|"
    r"sind)"
    r"|[Uu]nterstützt wird das Vorhaben von|Partner sind|Unterstützung kommt von)\s"
    r"|(?:Kooperationspartner\w*|Partner\w*)\s(?:hat|haben)\s(?:bereits\s|schon\s)?)"
)
_PARTNER_TAIL = re.compile(
    r"\s(?:mit|beteiligt|an Bord|eingebunden|zusammen|dabei|vertreten|zur Seite)(?:\s\w+)?$"
    r"|\s(?:die|ihre|seine)\s(?:Mitwirkung|Unterstützung|Teilnahme|Zusammenarbeit|Beteiligung)\b.*$"
)


def _und_parts(name: str) -> list[str]:
    """``name`` split at an inner " und " where both sides read as names of their own."""
    left, sep, right = name.partition(" und ")
    if (
        sep
        and len(left.split()) >= 2
        and len(right.split()) >= 2
        and right[:1].isupper()
        and plausible_partner(left)
        and plausible_partner(right)
    ):
        return [left, *_und_parts(right)]
    return [name]


def _sentence_rest(text: str, start: int) -> str:
    """Text from ``start`` to the end of its sentence (abbreviations and "e. V." kept)."""
    i = start
    while True:
        m = re.search(r"[.!?;](?=\s|$)|\n(?=[A-ZÄÖÜ•▪–\-])", text[i : i + 400])
        if m is None:
            return text[start : i + 400]
        end = i + m.start()
        if text[end] == "." and not dot_ends_sentence(text, end):
            i = end + 1
            continue
        return text[start:end]


_WITH_PARTNERS = re.compile(
    r"\b(?:gemeinsam|zusammen)\smit\s(?:den\s(?:Partnern|Kooperationspartnern)\s)?(?:(?:dem|der|den)\s)?(?=[A-ZÄÖÜ])"
)


_TOPIC_PROSE = re.compile(
    r"(?:Themenfeld\w*|Handlungsfeld\w*|Themenbereich\w*)(?:\s+(?:des|der)\s+(?:Aufrufs|Förderinitiative|Förderaufrufs))?\s*:?\s*"
    r"(?P<q>(?:[„\"“»][^“”\"«]{3,90}[“”\"«](?:,\s*|\s+und\s+|\s+sowie\s+)?)+)"
)


_GROUP_SEP = re.compile(r"\s+[·|•]\s+")


def _contact_group_names(text: str) -> list[tuple[str, int, int]]:
    """Person names in a letterhead or footer line of items that also holds a phone number
    or an e-mail address ("Stadt X · Jana Brüggemann · 038372 7780-15 · info@…")."""
    out: list[tuple[str, int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        ln = line.group(0)
        if not _GROUP_SEP.search(ln):
            continue
        bounds = [0, *(x for m in _GROUP_SEP.finditer(ln) for x in (m.start(), m.end())), len(ln)]
        parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        items = [ln[a:b] for a, b in parts]
        if not any(emails_in(it) or phones_in(it) for it in items):
            continue
        for (a, b), it in zip(parts, items, strict=True):
            v = clean_person(it)
            if v and len(v) >= len(it.strip()) - 12 and not BODY_RE.match(it.strip()):
                start = line.start() + a + it.find(v.split()[0])
                out.append((v, start, line.start() + b))
    return out


def _drop_label_tail(name: str, following: str = "") -> str:
    """ "Saalekreis Bundesland", "Emsland EINWOHNER": the next label read as a second word.

    Not when the sentence goes on as after a name ("im Landkreis Altenburger Land (Thüringen,
    …)", "… Land, das …"): a label is followed by its value or a line break.
    """
    head, _, last = name.rpartition(" ")
    if re.match(r"\s?[(),.;]|\s[a-zäöüß]", following):
        return name
    if head and (
        (last.isupper() and len(last) >= 4) or known_word(last.casefold(), min_quality=0.9)
    ):
        return head
    return name


_ADDRESSEE = re.compile(
    r"\bc/o\b|Geschäftsstelle|Projektträger|Bundesamt|Bundesministerium|Bundesanstalt"
)


_PLACE_DATE = re.compile(r"\s*[A-ZÄÖÜ][\w .()/-]{1,40},\s*(?:den\s+|am\s+)?")
_STREET_END = re.compile(
    r"(?:straße|str\.|weg|platz|gasse|allee|ring|markt|damm|hof|\d+\s?[a-z]?)\s*,?\s*(?:D-)?$",
    re.IGNORECASE,
)


def from_prose(model: DocModel, out: dict[str, list[Cand]]) -> None:
    """Every value of a scanned kind in the running text, a candidate of each field of
    that kind, with the words around it as its features."""
    prose = _Prose(model)
    text = prose.text
    for value, has_cur, s, e in amounts_in(text):
        if not has_cur and not re.search(r"[.\u202f\u00a0 ]\d{3}", text[s:e]):
            continue
        # "rund 0,4 Mio. €": an approximation, the exact figure may stand elsewhere
        hedged = float(bool(_HEDGE.search(text, max(0, s - 6), s)))
        # "7.008 (Stand: 31.12.2019) Einwohnerinnen": a bare number that counts people
        pop = float(not has_cur and bool(_POP_AFTER.match(text, e, e + 60)))
        for fname in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
            _add_scan(
                out, prose, fname, value, s, e, cur=float(has_cur), hedged=hedged, pop_like=pop
            )
    ranges = list(date_ranges(text))
    for iso_value, given, s, e in dates_in(text):
        # "Musterstadt, den 12.03.2021" (a place-date line is at most ~50 characters)
        line_start = text.rfind("\n", max(0, s - 80), s) + 1
        place = (line_start > 0 or s <= 80) and bool(_PLACE_DATE.fullmatch(text, line_start, s))
        # "1. Oktober 2021 – 30. September 2024": a period's ends are not the sketch's date
        span = next(((a, b) for _, _, (a, b) in ranges if a <= s < b), None)
        where = {} if span is None else {"in_range": 1.0, "range_end": float(s > span[0] + 2)}
        for fname in ("projektbeginn", "datum"):
            _add_scan(
                out,
                prose,
                fname,
                iso_value,
                s,
                e,
                day=float(given),
                place_date=float(place),
                **where,
            )
    for months, s, e in durations_in(text):
        _add_scan(out, prose, "laufzeit_monate", months, s, e)
    for start_iso, months, (a, b) in ranges:
        _add_scan(out, prose, "laufzeit_monate", months, a, b, range=1.0)
        _add_scan(out, prose, "projektbeginn", start_iso, a, b, range=1.0)
    for m in _POP_NUMBER.finditer(text):
        if _POP_AFTER.match(text, m.end(), m.end() + 50):
            hedge = _HEDGE.search(text, max(0, m.start() - 6), m.start())
            start = hedge.start() if hedge else m.start()
            v = parse_population(text[start : m.end()])
            if v is not None:
                _add_scan(out, prose, "einwohnerzahl", v, start, m.end(), pop_word=1.0)
    for v, s, e in emails_in(text):
        _add_scan(out, prose, "email", v, s, e)
    for v, s, e in phones_in(text):
        _add_scan(out, prose, "telefon", v, s, e)
    for v, s, e in postcodes_in(text):
        before = text[max(0, s - 40) : s]
        po_box = "postfach" in before.casefold()
        street = not po_box and bool(_STREET_END.search(before))
        # the funder's address in a letter's address field: "Geschäftsstelle …", "c/o …"
        addressee = bool(_ADDRESSEE.search(text, max(0, s - 160), s))
        _add_scan(
            out,
            prose,
            "plz",
            v,
            s,
            e,
            street=float(street),
            po_box=float(po_box),
            addressee=float(addressee),
        )
    for v, s, e in bodies_in(text):
        _add_scan(out, prose, "antragsteller", v, s, e)
    for m in _PERSON_PROSE.finditer(text):
        v = clean_person(m.group("v"))
        if v:
            _add_scan(out, prose, "ansprechperson", v, m.start("v"), m.end("v"), anrede=1.0)
    for v, start, end in _contact_group_names(text):
        _add_scan(out, prose, "ansprechperson", v, start, end, contact_group=1.0)
    for m in _DISTRICT_PROSE.finditer(text):
        raw = _drop_label_tail(m.group("v") or m.group("w"), text[m.end() : m.end() + 3])
        v = strip_district(raw)
        if v and v not in FEDERAL_STATES and not re.search(r"\d", v):
            start = m.start("v") if m.group("v") else m.start("w")
            # a name that says "Kreis" itself ("Donnersbergkreis") is a district for sure
            _add_scan(
                out,
                prose,
                "landkreis",
                v,
                start,
                start + len(raw),
                kreis_name=float(not m.group("v")),
            )
    for v, s, e in states_in(text):
        _add_scan(out, prose, "bundesland", v, s, e)
    for m in _QUOTED.finditer(text):
        v = parse_for("projekttitel", m.group("v"), None, None)
        if v and len(v.split()) >= 2:
            _add_scan(out, prose, "projekttitel", v, m.start("v"), m.end("v"), quoted=1.0)
    for m in _TOPIC_PROSE.finditer(text):
        names = ordered_topics(
            [
                c
                for q in re.findall(r"[„\"“»]([^“”\"«]{3,90})[“”\"«]", m.group("q"))
                if (c := canonical_topic(q))
            ]
        )
        if names:
            _add_scan(out, prose, "themenfelder", names, m.start("q"), m.end("q"), pattern=1.0)
    for m in _ACR_PROSE.finditer(text):
        g = "v" if m.group("v") else ("w" if m.group("w") else "x")
        v = strip_value(m.group(g))
        if ACRONYM.fullmatch(v):
            start = m.start(g)
            _add_scan(out, prose, "akronym", v, start, start + len(v), pattern=1.0)
    for pat in (_PARTNER_TRIGGER, _WITH_PARTNERS):
        for m in pat.finditer(text):
            raw = _sentence_rest(text, m.end())
            raw = re.split(
                r"\s(?:durch|um|umgesetzt|realisiert|entwickelt|erarbeitet|aufgebaut)\b", raw
            )[0]
            raw = _PARTNER_TAIL.sub("", re.sub(r"\s+", " ", raw).strip())
            names = [n for n in split_partners(raw) if plausible_partner(n)]
            if names and all(len(n) < 90 for n in names):
                _add_scan(
                    out,
                    prose,
                    "kooperationspartner",
                    names,
                    m.end(),
                    m.end() + len(raw),
                    pattern=1.0,
                )
                # "Hochschule … für angewandte Wissenschaften und Handwerkerschaft …": one name
                # or two? Both readings compete; a list elsewhere in the sketch decides
                split = [p for n in names for p in _und_parts(n)]
                if len(split) > len(names):
                    _add_scan(
                        out,
                        prose,
                        "kooperationspartner",
                        split,
                        m.end(),
                        m.end() + len(raw),
                        pattern=1.0,
                        und_split=1.0,
                    )
