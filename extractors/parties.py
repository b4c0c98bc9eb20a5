"""Who applies: title, acronym, applicant, corporation type, district, state, partners,
population.

Labelled values (tables, label/value segments, "Label: value") come first; prose
patterns ("die Gemeinde X im Landkreis Y (Land, 7.170 Einwohner)") are the fallback
with lower confidence.
"""

from __future__ import annotations

import re

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import Candidate, DocView, labelled_values
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
_NAME = (
    r"[A-ZÄÖÜ][\w\-]*(?:[ \-](?:(?:an der|am|im|in der|ob der|bei|auf der|vor der)\s)?"
    r"[A-ZÄÖÜ][\w\-]*)*(?:\s\([A-ZÄÖÜ][^)]{1,30}\))?"
)
BODY_RE = re.compile(
    rf"(?<![\w-])(?:{_PREFIX_RE})\s{_NAME}|[A-ZÄÖÜ][\w-]*-Kreis\b|[A-ZÄÖÜ]\w+kreis\b"
)


def corporation_type(text: str) -> str | None:
    """One of the eight corporation types for a body's name or a status cell."""
    t = text.strip()
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
    if not cands:
        return FieldResult(field=field, value=None, confidence=low, extractor=EXTRACTOR)
    best_c, best_v = max(cands, key=lambda cv: cv[0].confidence)
    agree = {repr(v) for c, v in cands if c.confidence >= best_c.confidence - 0.2}
    conf = best_c.confidence if len(agree) == 1 else best_c.confidence * 0.75
    return FieldResult(
        field=field,
        value=best_v,
        confidence=round(conf, 3),
        evidence=Evidence(page=best_c.page, snippet=best_c.snippet[:300]),
        extractor=EXTRACTOR,
    )


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


_ACR_PROSE = re.compile(r"\((?:Kurztitel|Akronym|kurz)\s*:?\s*(?P<v>[^)\s]{2,20})\)")


def _acronym(view: DocView, config: FieldConfig) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.acronym_labels):
        v = _clean_value(c.value)
        if re.fullmatch(r"[\wÄÖÜäöüß.\-]{2,20}", v) and re.search(r"[A-ZÄÖÜ]", v):
            cands.append((c, v))
    for page, text in view.prose:
        for m in _ACR_PROSE.finditer(text):
            cands.append((Candidate(m.group("v"), page, m.group(0), 0.7), m.group("v")))
    return _result("akronym", cands, low=0.5)


def _body(text: str) -> str | None:
    m = BODY_RE.search(text)
    return m.group(0).strip() if m else None


_APPLICANT_PROSE = re.compile(
    rf"(?:^|[.;:]\s+|\b)(?:[Dd]ie|[Dd]er|[Dd]as)\s(?P<v>(?:{_PREFIX_RE})\s{_NAME}|[A-ZÄÖÜ][\w-]*-Kreis|[A-ZÄÖÜ]\w+kreis)"
    r"(?=[^.]{0,160}\b(?:beantragt|bewirbt sich|reicht|stellt|legt)\b)"
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
        first = view.lines[0]
        body = _body(first.text)
        if body:
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


_DISTRICT_PROSE = re.compile(
    r"\b(?:im|dem|des|zum)\s(?:Land)?[Kk]reis(?:es)?\s(?P<v>[A-ZÄÖÜ][\w\-]*(?:\s[A-ZÄÖÜ][\w\-]*)?)"
    r"|\b(?:im|dem|des|zum)\s(?P<w>[A-ZÄÖÜ][\w\-]*-Kreis|[A-ZÄÖÜ]\w+kreis(?:\s[A-ZÄÖÜ]\w+)?)"
)


def _clean_district(v: str) -> str:
    v = _clean_value(v)
    v = re.split(r"\s[·(]|,", v)[0]
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
    if not cands and applicant.value and corporation_type(applicant.value) == "Landkreis":
        v = strip_district(applicant.value)
        cands.append((Candidate(applicant.value, None, applicant.value, 0.5), v))
    return _result("landkreis", cands)


def _state(view: DocView, config: FieldConfig) -> FieldResult:
    cands: list[tuple[Candidate, object]] = []
    known = tuple(FEDERAL_STATES) + config.extra_known_states
    for c in labelled_values(view, config.state_labels):
        v = _clean_value(re.split(r"\s[·(]|,", c.value)[0])
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
    r"(?P<v>(?:ca\.|rund|etwa|circa)?\s*\d{1,3}(?:\.\d{3})+|\d+)\s+"
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


_BULLET = re.compile(r"^\s*(?:[•●▪◦·‣\-–—*\uf0b7\uf0a7])\s*(?=\S)")
_NONE = re.compile(r"^(?:keine?|–|-|entfällt|n/?a|nicht zutreffend|\.\/\.)\.?$", re.IGNORECASE)
_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+[A-ZÄÖÜ]|(?:Kontakt|Ansprech|Themenfeld|Zuordnung|Kosten|Finanzierung"
    r"|Zeitplan|Laufzeit|Unterschrift|Ort, Datum|Hintergrund|Ausgangslage|Ziele|Vorgehen"
    r"|Umsetzung))"
)
_PARTNER_HEAD = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:Kooperationspartner(?:innen)?(?:/innen)?|Projektpartner|Verbundpartner"
    r"|Partner im Verbund|Beteiligte Partner|Partner)\s*:?\s*$"
)
_PARTNER_PROSE = re.compile(
    r"(?:Kooperationspartner(?:innen)?|Partnern|Partner|Projektpartner)\b[^.:]{0,60}?:\s*(?P<v>.+?)"
    r"(?<!\be)(?<!\bV)(?<!\bmbH)\.(?:\s|$)"
)


def split_partners(text: str) -> list[str]:
    """Split "A, B und C" into names, keeping "e. V." and commas inside parentheses."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    if text.endswith(("e. V", "e.V")):
        text += "."
    parts: list[str] = []
    depth = 0
    cur = ""
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and (
            text.startswith(", ", i) or text.startswith(" und ", i) or text.startswith("; ", i)
        ):
            parts.append(cur)
            cur = ""
            i += 5 if text.startswith(" und ", i) else 2
            continue
        cur += ch
        i += 1
    parts.append(cur)
    return [p.strip(" ,;") for p in parts if p.strip(" ,;")]


def _partners(view: DocView, config: FieldConfig) -> FieldResult:
    del config
    cands: list[tuple[Candidate, object]] = []
    numbered: list[str] = []
    first_page: int | None = None
    for ln in view.lines:
        m = re.match(r"^(?:Partner|Kooperationspartner|Projektpartner)\s*\d+\s*:?\s*(.+)$", ln.text)
        if m:
            numbered.append(_clean_value(m.group(1)))
            first_page = first_page or ln.page
    numbered = [n for n in numbered if not _NONE.match(n)]
    if numbered:
        c = Candidate("; ".join(numbered), first_page, "\n".join(numbered), 0.9)
        cands.append((c, numbered))
    for page, text in view.page_texts:
        lines = text.splitlines()
        for i, ln in enumerate(lines):
            if not _PARTNER_HEAD.match(ln):
                continue
            items: list[str] = []
            for nxt in lines[i + 1 : i + 15]:
                if _BULLET.match(nxt) and not re.match(
                    r"^\s*\d+(?:\.\d+)*\.?\s+[A-ZÄÖÜ]\w+\s*$", nxt
                ):
                    items.append(_BULLET.sub("", nxt).strip())
                elif items and not _HEADING.match(nxt) and len(nxt) < 60 and nxt[:1].islower():
                    items[-1] += " " + nxt.strip()
                elif items or _HEADING.match(nxt):
                    break
                elif nxt.strip() and len(nxt) < 90:
                    items.append(nxt.strip())
                    if not re.search(r"[,;]", nxt):
                        continue
            items = [it for it in items if not _NONE.match(it)]
            if items:
                names = [
                    n
                    for it in items
                    for n in ([it] if _BULLET.match(lines[i + 1]) else split_partners(it))
                ]
                c = Candidate("; ".join(names), page, ln + "\n" + "\n".join(items), 0.85)
                cands.append((c, [_clean_value(n) for n in names]))
    for page, text in view.prose:
        for m in _PARTNER_PROSE.finditer(text):
            names = split_partners(m.group("v"))
            if names and all(len(n) < 90 for n in names):
                cands.append((Candidate(m.group("v"), page, m.group(0), 0.6), names))
    if not cands:
        return FieldResult(
            field="kooperationspartner", value=[], confidence=0.4, extractor=EXTRACTOR
        )
    return _result("kooperationspartner", cands)


def extract_parties(
    view: DocView, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """Title, acronym, applicant and everything about the applying body."""
    applicant = _applicant(view, config)
    return {
        "projekttitel": _title(view, config),
        "akronym": _acronym(view, config),
        "antragsteller": applicant,
        "koerperschaft_typ": _corp_type(view, config, applicant),
        "landkreis": _district(view, config, applicant),
        "bundesland": _state(view, config),
        "einwohnerzahl": _population(view, config),
        "kooperationspartner": _partners(view, config),
    }
