"""Who applies: title, acronym, applicant, corporation type, district, state, population.

Labelled values (tables, label/value segments, "Label: value") come first; prose
patterns ("die Gemeinde X im Landkreis Y (Land, 7.170 Einwohner)") are the fallback
with lower confidence.
"""

from __future__ import annotations

import re

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import Candidate, DocView, labelled_values, pick_result
from extractors.types import FEDERAL_STATES, Evidence, FieldResult

EXTRACTOR = "parties@1"

CORP_PREFIXES: tuple[tuple[str, str], ...] = (
    ("Verwaltungsgemeinschaft", "Verwaltungsgemeinschaft"),
    ("Verbandsgemeinde", "Verbandsgemeinde"),
    ("Samtgemeinde", "Samtgemeinde"),
    ("Ortsgemeinde", "Gemeinde"),
    ("Einheitsgemeinde", "Gemeinde"),
    ("Marktgemeinde", "Markt"),
    ("Gemeinde", "Gemeinde"),
    ("Große Kreisstadt", "Stadt"),
    ("Kreisstadt", "Stadt"),
    ("Hansestadt", "Stadt"),
    ("Stadt", "Stadt"),
    ("Markt", "Markt"),
    ("Flecken", "Gemeinde"),
    ("Amt", "Amt"),
    ("Landkreis", "Landkreis"),
    ("Kreis", "Landkreis"),
)
_PREFIX_RE = "|".join(re.escape(p) for p, _ in CORP_PREFIXES)
# a name word; never a body/district word or a capitalised preposition ("… Am Markt 3")
_WORD = (
    rf"(?!(?:{_PREFIX_RE}|Am|Im|An|In|Auf|Zum|Zur|Bei|Unter|Über)\b|\w+-?[Kk]reis\b)"
    r"[A-ZÄÖÜ][\w\-]*"
)
_NAME = (
    rf"[A-ZÄÖÜ][\w\-]*(?:[ \-](?:(?:an der|am|im|in der|ob der|bei|auf der|vor der)\s)?"
    rf"{_WORD})*(?:\s\((?!(?:Landkreis|Kreis)\b)[A-ZÄÖÜ][^),]{{1,30}}\))?"
)
BODY_RE = re.compile(
    rf"(?<![\w-])(?:{_PREFIX_RE})\s{_NAME}|[A-ZÄÖÜ][\w-]*-Kreis\b|[A-ZÄÖÜ]\w+kreis\b"
)


def corporation_type(text: str) -> str | None:
    """One of the eight corporation types for a body's name or a status cell; in a row of
    check boxes ("☐ Gemeinde ☐ Stadt ☒ Amt") the ticked one."""
    t = text.strip()
    ticked = re.search(r"(?:☒|☑|\[\s*[xX]\s*\])\s*([^☒☑☐□\[]+)", t)
    if ticked and re.search(r"☐|□|\[\s*\]", t):
        t = ticked.group(1).strip()
    for prefix, kind in CORP_PREFIXES:
        if re.match(rf"{re.escape(prefix)}\b", t, re.IGNORECASE):
            return kind
    if re.search(r"(-Kreis|kreis)\b", t.split(" (")[0]):
        return "Landkreis"
    return None


def strip_district(text: str) -> str:
    """District name without "Landkreis"/"Kreis" ("Kreis Höxter" → "Höxter")."""
    t = re.sub(r"^\s*(?:Landkreis|Kreis)\s+", "", text.strip())
    return t.strip(" ,.;")


def parse_population(text: str) -> int | None:
    """Population as int from "ca. 7.170", "16304", "rund 12 500"."""
    m = re.search(r"(?<![\d.,])(-?\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+|-?\d+)(?![\d,])", text)
    if not m:
        return None
    return int(re.sub(r"[.\u202f\u00a0 ]", "", m.group(1)))


def _result(field: str, cands: list[tuple[Candidate, object]], low: float = 0.2) -> FieldResult:
    return pick_result(field, cands, extractor=EXTRACTOR, low=low, conflict=0.75)


_GENERIC_TITLE = re.compile(
    r"Projektskizze|Förderaufruf|Formblatt|Heimat 2\.0|Modellvorhaben|Bewerbungsskizze|^Seite\b"
    r"|im Rahmen des",
    re.IGNORECASE,
)


def _title_from_layout(view: DocView) -> list[Candidate]:
    """The largest-font line(s) in the upper part of page 1 that are not a form heading."""
    page = view.doc.pages[0] if view.doc.pages else None
    if page is None or not page.words:
        return []
    rows: dict[float, list] = {}
    for w in page.words:
        key = next((k for k in rows if abs(k - w.top) <= 2.5), w.top)
        rows.setdefault(key, []).append(w)
    lines = []
    for top in sorted(rows):
        ws = sorted(rows[top], key=lambda w: w.x0)
        h = max(w.bottom - w.top for w in ws)
        lines.append((top, round(h, 1), " ".join(w.text for w in ws)))
    cand = [ln for ln in lines if ln[0] < page.height * 0.6 and not _GENERIC_TITLE.search(ln[2])]
    if not cand:
        return []
    body_h = sorted(h for _, h, _ in lines)[len(lines) // 2]
    hmax = max(h for _, h, _ in cand)
    if hmax < body_h * 1.15:
        return []
    idx = [i for i, ln in enumerate(cand) if ln[1] == hmax]
    first = idx[0]
    parts = [cand[first][2]]
    for j in range(first + 1, len(cand)):
        if cand[j][1] == hmax and cand[j][0] - cand[j - 1][0] < hmax * 2.0:
            parts.append(cand[j][2])
        else:
            break
    text = " ".join(parts)
    return [Candidate(text, page.number, text, 0.65)]


_QUOTED_TITLE = re.compile(
    r"(?:Projektskizze|Vorhabens?|Projekts?|Projektes)\s+[„\"“»](?P<v>[^“”\"«]{5,160})[“”\"«]"
)


def _clean_value(v: str) -> str:
    return re.sub(r"\s+", " ", v).strip(" :;,")


def _title(view: DocView, config: FieldConfig) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.title_labels):
        v = _clean_value(c.value)
        if len(v) >= 4 and not re.match(r"^\d", v):
            cands.append((c, v))
    for page, text in view.prose:
        for m in _QUOTED_TITLE.finditer(text):
            if _GENERIC_TITLE.search(m.group("v")):
                continue
            cands.append(
                (Candidate(m.group("v"), page, m.group(0), 0.7), _clean_value(m.group("v")))
            )
    for c in _title_from_layout(view):
        cands.append((c, _clean_value(c.value)))
    return _result("projekttitel", cands)


_ACR_PROSE = re.compile(
    r"\((?:Kurztitel|Akronym|Kurzbezeichnung|kurz)\s*:?\s*"
    r"(?P<v>[^)\s]{2,20}(?: [^)\s]{2,20}){0,2})\)"
)
_ACR_VALUE = re.compile(r"[\wÄÖÜäöüß.\-]{2,20}(?: [\wÄÖÜäöüß.\-]{2,20}){0,2}")
# a short name made of capitals inside a word ("LoReNa", "MoorMobil") or all capitals ("TELAV")
ACRONYM_LIKE = re.compile(
    r"(?<![\w-])(?:[A-ZÄÖÜ][a-zäöü]*[A-ZÄÖÜ][\wäöü]*|[A-ZÄÖÜ]{3,8}\d?)(?![\w-])"
)
_TITLE_ACR = re.compile(rf"^[„\"“»]?(?P<a>{ACRONYM_LIKE.pattern})(?:\s[A-ZÄÖÜ][\w\-]*)?\s?[–—:-]\s")
_NONE_VALUE = re.compile(
    r"^(?:–|-|—|keins?|keine|keine Angabe|nicht vorhanden|entfällt|ohne|n/?a|\./\.)$",
    re.IGNORECASE,
)


def _acronym(view: DocView, config: FieldConfig, title: FieldResult) -> FieldResult:
    """Labelled or bracketed short name; else the acronym-like first word of the title."""
    cands: list[tuple[Candidate, object]] = []
    explicit_none: Candidate | None = None
    for c in labelled_values(view, config.acronym_labels):
        v = _clean_value(c.value)
        if _NONE_VALUE.match(v):
            explicit_none = c
        elif _ACR_VALUE.fullmatch(v) and re.search(r"[A-ZÄÖÜ]", v) and len(v) <= 30:
            cands.append((c, v))
    for page, text in view.prose:
        for m in _ACR_PROSE.finditer(text):
            cands.append((Candidate(m.group("v"), page, m.group(0), 0.75), m.group("v")))
    for page, text in view.page_texts[:2]:
        # a cover page: the short name in brackets on its own line under the title
        for m in re.finditer(rf"^\((?P<v>{ACRONYM_LIKE.pattern})\)$", text, re.MULTILINE):
            cands.append((Candidate(m.group("v"), page, m.group(0), 0.7), m.group("v")))
    if cands:
        return _result("akronym", cands)
    m = _TITLE_ACR.match(title.value or "")
    if m and title.evidence:
        # only inferred from the title's first word: staff should confirm it
        c = Candidate(m.group("a"), title.evidence.page, title.value, 0.45)
        return _result("akronym", [(c, m.group("a"))])
    if explicit_none is not None:
        ev = Evidence(page=explicit_none.page, snippet=explicit_none.snippet)
        return FieldResult(field="akronym", confidence=0.85, evidence=ev, extractor=EXTRACTOR)
    # no label, no bracket, no acronym-like word in the title: the sketch has no short name
    has_like = bool(ACRONYM_LIKE.search(title.value or ""))
    return FieldResult(field="akronym", confidence=0.45 if has_like else 0.8, extractor=EXTRACTOR)


def _body(text: str) -> str | None:
    m = BODY_RE.search(text)
    return m.group(0).strip() if m else None


_APPLICANT_PROSE = re.compile(
    rf"(?:^|[.;:]\s+|\b)(?:[Dd]ie|[Dd]er|[Dd]as)\s(?P<v>(?:{_PREFIX_RE})\s{_NAME}|[A-ZÄÖÜ][\w-]*-Kreis|[A-ZÄÖÜ]\w+kreis)"
    r"(?=(?:[^.]|\.(?=\d)){0,200}\b(?:beantragt|bewirbt sich|reicht|stellt|legt)\b)"
)


def _applicant(view: DocView, config: FieldConfig) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.applicant_labels):
        v = _clean_value(c.value)
        body = _body(v)
        if body and v.startswith(body):
            cands.append((c, v if len(v) - len(body) < 3 else body))
    for page, text in view.prose:
        for m in _APPLICANT_PROSE.finditer(text):
            cands.append((Candidate(m.group("v"), page, m.group(0), 0.6), m.group("v")))
    if not cands and view.lines:
        # a letterhead: the body's name is the first segment of the first line
        first = view.lines[0]
        body = _body(first.segments[0].text)
        if body and first.segments[0].text.startswith(body):
            cands.append((Candidate(body, first.page, first.text, 0.45), body))
    return _result("antragsteller", cands)


def _corp_type(view: DocView, config: FieldConfig, applicant: FieldResult) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.corporation_type_labels):
        kind = corporation_type(c.value)
        if kind:
            cands.append((c, kind))
    if applicant.value:
        kind = corporation_type(applicant.value)
        if kind:
            snippet = applicant.evidence.snippet if applicant.evidence else applicant.value
            page = applicant.evidence.page if applicant.evidence else None
            c = Candidate(applicant.value, page, snippet, min(0.9, applicant.confidence))
            cands.append((c, kind))
    return _result("koerperschaft_typ", cands)


_STATE_ALT = "|".join(FEDERAL_STATES)
# "im Landkreis Rotenburg (Wümme)": a parenthesised place qualifier belongs to the name,
# a federal state in parentheses does not
_QUALIFIER = rf"(?:\s\((?!(?:{_STATE_ALT})\))[A-ZÄÖÜ][\w .\-]{{1,25}}\))?"
_DISTRICT_PROSE = re.compile(
    r"(?:\b(?:im|dem|des|zum)\s|\()(?:Land)?[Kk]reis(?:es)?\s"
    rf"(?P<v>[A-ZÄÖÜ][\w\-]*(?:\s[A-ZÄÖÜ][\w\-]*)?{_QUALIFIER})"
    r"|(?:\b(?:im|dem|des|zum)\s|\()(?P<w>[A-ZÄÖÜ][\w\-]*-Kreis|[A-ZÄÖÜ]\w+kreis(?:\s[A-ZÄÖÜ]\w+)?)"
)


def _clean_district(v: str) -> str:
    v = _clean_value(v)
    qual = re.match(rf"^([^(]+?){_QUALIFIER[:-1]}", v)
    v = qual.group(0) if qual and "(" in qual.group(0) else re.split(r"\s[·(/]|,", v)[0]
    v = re.sub(r"\s(?:und|mit|in|im|sowie|liegt|gelegen)\b.*$", "", v)
    return strip_district(v)


def _district(view: DocView, config: FieldConfig, applicant: FieldResult) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    states = tuple(FEDERAL_STATES)
    for c in labelled_values(view, config.district_labels):
        v = _clean_district(c.value)
        if v and v not in states and re.match(r"[A-ZÄÖÜ]", v) and len(v) < 50:
            cands.append((c, v))
    for page, text in view.prose:
        for m in _DISTRICT_PROSE.finditer(text):
            raw = m.group("v") or m.group("w")
            v = _clean_district(raw)
            if v and v not in states:
                cands.append((Candidate(raw, page, m.group(0), 0.55), v))
    state_alt = "|".join(re.escape(s) for s in states)
    for ln in view.lines:
        # a line "Donnersbergkreis, Land Rheinland-Pfalz" under the address
        m = re.match(
            rf"^(?:Landkreis\s)?(?P<v>(?!Landkreis\b)[A-ZÄÖÜ][\w\-]*(?:-Kreis|kreis)(?:\s[A-ZÄÖÜ]\w+)?),\s(?:Land\s)?(?:{state_alt})$",
            ln.text,
        )
        if m:
            cands.append((Candidate(m.group("v"), ln.page, ln.text, 0.6), m.group("v")))
    if not cands and applicant.value and corporation_type(applicant.value) == "Landkreis":
        v = strip_district(applicant.value)
        cands.append((Candidate(applicant.value, None, applicant.value, 0.5), v))
    return _result("landkreis", cands)


def _state(view: DocView, config: FieldConfig) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    known = tuple(FEDERAL_STATES) + config.extra_known_states
    for c in labelled_values(view, config.state_labels):
        v = _clean_value(re.split(r"\s[·(/]|,", c.value)[0])
        inside = [k for k in known if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", c.value)]
        if v not in known and len(inside) == 1:
            v = inside[0]  # "Landkreis Uckermark / Brandenburg"
        if v in known:
            cands.append((c, v))
        elif re.fullmatch(r"[A-ZÄÖÜ][\wäöüß\-]+(?:-[A-ZÄÖÜ][\wäöüß]+)?", v):
            # as written, so that an unknown state can be reported
            cands.append((Candidate(c.value, c.page, c.snippet, c.confidence * 0.8), v))
    state_re = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in known) + r")(?![\w-])")
    for page, text in view.prose[:2]:
        for m in state_re.finditer(text):
            cands.append(
                (
                    Candidate(m.group(1), page, text[max(0, m.start() - 40) : m.end() + 20], 0.5),
                    m.group(1),
                )
            )
            break
    return _result("bundesland", cands)


_POP_PROSE = re.compile(
    r"(?P<v>(?:ca\.|rund|etwa|circa)?\s*\d{1,3}(?:\.\d{3})+|\d+)\s+(?:\([^()]{0,40}\)\s+)?"
    r"(?:Einwohner|Einwohnerinnen|Bürgerinnen und Bürger|Menschen)"
)


def _population(view: DocView, config: FieldConfig) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.population_labels):
        v = parse_population(c.value)
        if v is not None:
            cands.append((c, v))
    for page, text in view.prose:
        for m in _POP_PROSE.finditer(text):
            v = parse_population(m.group("v"))
            if v is not None:
                cands.append((Candidate(m.group("v"), page, m.group(0), 0.55), v))
    return _result("einwohnerzahl", cands, low=0.4)


def extract_parties(
    view: DocView, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """Title, acronym, applicant and everything about the applying body."""
    applicant = _applicant(view, config)
    title = _title(view, config)
    return {
        "projekttitel": title,
        "akronym": _acronym(view, config, title),
        "antragsteller": applicant,
        "koerperschaft_typ": _corp_type(view, config, applicant),
        "landkreis": _district(view, config, applicant),
        "bundesland": _state(view, config),
        "einwohnerzahl": _population(view, config),
    }
