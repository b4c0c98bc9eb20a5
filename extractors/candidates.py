"""Candidates: every reading of every field, with the features the scorer weighs.

Sources, for each field:

* **key/value pairs** of the graph (``extractors.kv``): a label and one of its value options
  (inline, right, below, a row cell), parsed by the field's value parser;
* **typed scans** of the running text: every amount, date, duration, e-mail address, phone
  number, postcode, public body, person, district and state, with the words around it as
  context ("Die Gesamtkosten belaufen sich auf rund …", "… bewirbt sich die Gemeinde …");
* **layout**: the largest line of page 1 as a title, check-box lists for the topic fields;
* **form fields** of fillable PDFs (their values are words with ``origin == "form"``, so the
  graph sees them like printed text; the field name is a label of its own);
* **not found**, a candidate of its own (``value is None``), so absence competes too.

No candidate is final here: ``extractors.scorer`` ranks them with learned weights and
cross-field consistency.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from extractors.document import DocModel
from extractors.kv import LabelNode, Option, field_scores, glue, label_graph
from extractors.labels import LabelText, context_tokens, known_word
from extractors.page import Fragment
from extractors.registry import FIELDS, spec
from extractors.values import (
    BODY_RE,
    LEGAL_FORM,
    NONE_VALUE,
    VALIDATORS,
    amounts_in,
    bodies_in,
    canonical_state,
    canonical_topic,
    clean_partner,
    clean_person,
    corporation_type,
    date_range,
    date_ranges,
    dates_in,
    dot_ends_sentence,
    durations_in,
    emails_in,
    ordered_topics,
    org_like,
    parse_amount,
    parse_duration,
    parse_population,
    parse_postcode,
    phones_in,
    plausible_partner,
    postcodes_in,
    split_partners,
    states_in,
    strip_district,
    unit_of,
)
from extractors.vocab import FEDERAL_STATES, TOPIC_FIELDS

__all__ = ["Cand", "collect", "finalise"]

_NAMES = tuple(f.name for f in FIELDS)
_KIND = {f.name: f.kind for f in FIELDS}
NONE = object()
"""Marker of an explicit "none" written in the document ("Akronym: –")."""


@dataclass(eq=False)
class Cand:
    """One reading of one field."""

    field: str
    value: Any
    source: str
    frags: list[Fragment]
    label: LabelNode | None = None
    label_score: float = 0.0
    feats: dict[str, float] = field(default_factory=dict)
    snippet: str = ""

    @property
    def page(self) -> int | None:
        return self.frags[0].page if self.frags else None

    @property
    def key(self) -> str:
        """The value as compared for agreement and against the truth."""
        return value_key(self.value)


def value_key(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        return "|".join(value_key(v) for v in value)
    return str(value)


# --------------------------------------------------------------------------- value parsers

_QUOTES = "„“”\"»«‚‘’'"
_ACRONYM = re.compile(
    r"(?:[A-ZÄÖÜ0-9]|[a-z](?=[a-z]*[A-ZÄÖÜ]))[\wÄÖÜäöüß.\-&+]{1,19}(?: [\wÄÖÜäöüß.\-&+]{1,19}){0,2}"
)
ACRONYM_LIKE = re.compile(
    r"(?<![\w-])(?:[A-ZÄÖÜ][a-zäöü]*[A-ZÄÖÜ][\wäöü]*|[A-ZÄÖÜ]{3,8}\d?|[a-z][A-ZÄÖÜ][\wäöü]+)(?![\w-])"
)
_DISTRICT_NAME = re.compile(
    r"[A-ZÄÖÜ][\wäöüß.\-]*(?:[ -](?:an der |am |im |ob der |a\.\s?d\.\s?|i\.\s?)?[A-ZÄÖÜ(][\wäöüß."
    r")\-]*){0,3}"
    r"|[A-ZÄÖÜ][\wäöüß\-]*\sa\.\s?d\.\s?[A-ZÄÖÜ][\wäöüß]+"
)


def _strip(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" :;,.\u2003" + _QUOTES).strip()


def parse_for(fname: str, text: str, label: LabelNode | None, option: Option | None) -> Any:
    """The value of field ``fname`` in ``text`` (None when the text is not such a value)."""
    kind = _KIND[fname]
    t = text.replace("\u2003", " ").strip()
    if not t:
        return None
    if kind == "amount":
        unit = 1.0
        for src in (label.text if label else "", option.header if option else ""):
            u = unit_of(src) if src else None
            if u:
                unit = u
                break
        return parse_amount(t, unit=unit)
    if kind == "date":
        if fname == "projektbeginn":
            rng = date_range(t)
            if rng:
                return rng[0]
        found = dates_in(t)
        if not found:
            return None
        if found[0][2] <= 12 or re.fullmatch(r"[^,\d]{2,40},\s*(?:den\s|am\s)?", t[: found[0][2]]):
            return found[0][0]  # "15.03.2021", "Gundwerder (Peene), 23. Februar 2021"
        return None
    if kind == "months":
        bare = None
        if label is not None:
            lt = LabelText.of(label.text)
            words = " ".join(lt.tokens + lt.qualifiers)
            if "monat" in words or "monaten" in words:
                bare = "months"
            elif "jahr" in words:
                bare = "years"
        return parse_duration(t, bare_unit=bare)
    if kind == "population":
        if dates_in(t) and not re.search(r"einwohner", t, re.IGNORECASE):
            t = re.sub(r"\(.*?\)", "", t)
        if not re.match(r"\s*(?:ca\.|rund|etwa|circa|über|knapp|gut|~)?\s*-?\d", t):
            return None
        return parse_population(t)
    if kind == "email":
        found = emails_in(t) or emails_in(re.sub(r"\s+", "", t))
        if found:
            return found[0][0]
        # under a clear label, an address missing its "@" or hiding it as "(at)" is kept as
        # written, so that the invalid_email check sees it
        if label is not None and label.scores.get("email", 0.0) >= 0.75:
            v = t.strip().split()[0] if t.strip() else ""
            if re.fullmatch(r"[\w.+\-]+(?:\(at\)|\[at\]|\{at\})?[\w.\-]*\.[a-z]{2,6}", v):
                return v
        return None
    if kind == "phone":
        t2 = re.sub(r"^(?:Tel(?:efon)?\.?|Fon|Telefonnummer)\s*:?\s*", "", t, flags=re.IGNORECASE)
        found = phones_in(t2)
        return found[0][0] if found and found[0][1] <= 2 else None
    if kind == "postcode":
        return parse_postcode(t) or next((p for p, s, _ in postcodes_in(t) if s < 60), None)
    if kind == "person":
        return clean_person(t)
    if kind == "body":
        found = bodies_in(t)
        if found and found[0][1] <= 2:
            return found[0][0]
        return None
    if kind == "corp_type":
        return corporation_type(t)
    if kind == "district":
        t = re.split(r"\s[·/|]\s|,|;|\(Land\b", t)[0].strip(" :;,\u2003" + _QUOTES)
        if (
            re.fullmatch(r"(?:Land)?[Kk]reis|LAND|Land|Landkreis|Kreis|Bundesland", t)
            or t.isupper()
        ):
            return None
        if canonical_state(t) or re.search(r"\d", t):
            return None
        m = _DISTRICT_NAME.fullmatch(strip_district(t))
        return strip_district(t) if m and len(t) < 45 else None
    if kind == "state":
        t = _strip(re.split(r"\s[·/|]\s|,|;", t)[0])
        known = canonical_state(t)
        if known:
            return known
        inside = [s for s, _, _ in states_in(t)]
        if len(set(inside)) == 1:
            rest = t.replace(inside[0], " ").strip(" ()-,")
            if not rest or rest in ("Deutschland", "BRD", "DE", "D"):
                return inside[0]  # "Brandenburg (Deutschland)"
        if re.fullmatch(r"[A-ZÄÖÜ][\wäöüß]+(?:[- ][A-ZÄÖÜ][\wäöüß]+)?", t):
            return t  # as written ("Mark Brandenburg"), so that an unknown state is reported
        return None
    if kind == "acronym":
        v = _strip(t)
        if NONE_VALUE.match(v):
            return NONE
        v = v.strip("()")
        if re.match(r"\d{1,2}(?:\.\d{1,2})*\.?\s", v):
            return None  # "2.3 Geplanter …": the next numbered label
        if " " not in v and known_word(v.casefold(), min_quality=0.9):
            return None  # "(Akronym)" under "Kurzbezeichnung" is the label's own note
        if _ACRONYM.fullmatch(v) and re.search(r"[A-ZÄÖÜ]", v) and len(v) <= 30:
            return v
        return None
    if kind == "text":
        v = _strip(t)
        if len(v) < 4 or len(v) > 260 or not re.search(r"[A-Za-zÄÖÜäöü]{3}", v):
            return None
        if _CALL_NAME.fullmatch(v):
            return None  # the call's own name is never a project's title
        if (dates_in(v) and len(v) < 20) or (parse_amount(v) is not None and len(v) < 20):
            return None
        return v
    if kind == "partners":
        return _partners(option, t)
    if kind == "topics":
        if option is not None and len(option.frags) > 1:
            t = "\n".join(f.text for f in option.frags if f.text not in t[:0])
            if option.rel.startswith("inline"):
                t = text.split("\n")[0] + "\n" + "\n".join(f.text for f in option.frags[1:])
        return _topics_value(t)
    return None


_OPEN_END = re.compile(
    r"(?:\b(?:für|der|die|das|des|und|am|im|an|von|vom|zur|zum|in|auf|bei|mit"
    r"|Neu|Alt|Groß|Klein|Hohen|Nieder|Ober|Unter|Sankt)|-|&"
    r"|\b(?:Ev\.-luth|ev\.-luth|Ev|St|Dr|Prof|evang|kath|Bad)\.?)$"
)
_BULLET_START = re.compile(r"^(?:[•▪◦‣·\-–—*]|\d{1,2}[.)])\s*")


def _is_topic_line(text: str) -> bool:
    """A topic field's name, or several ("Gesundheits- und Pflegeversorgung; Mobilität")."""
    t = _BULLET_START.sub("", re.sub(r"^[☐☒☑□]\s*", "", text.strip())).strip(" ;,.")
    topics = {topic.casefold() for topic in TOPIC_FIELDS}
    parts = [p.strip().casefold() for p in re.split(r";|\s[|/]\s", t)]
    return bool(parts) and all(p in topics for p in parts)


def _style_of(frag: Fragment) -> tuple[float, int]:
    return (round(frag.size * 2) / 2, frag.color)


def _list_style(frags: Sequence[Fragment | None]) -> tuple[float, int] | None:
    """The style most list lines share, if the lines mix styles (names vs notes)."""
    styles = [_style_of(f) for f in frags if f is not None]
    if len(set(styles)) < 2:
        return None
    style, n = Counter(styles).most_common(1)[0]
    return style if n >= 2 and 2 * n > len(styles) else None  # a majority, not one of two


def _wrapped(prev: Fragment | None, nxt: Fragment | None) -> bool:
    """Did ``nxt`` only start a new line because its first word did not fit on ``prev``'s
    line (a wrap in a narrow column, not a new list item)?"""
    if prev is None or nxt is None or prev.block is not nxt.block:
        return False
    right = max(max(ln.x1 for ln in prev.block.lines), prev.block.col_right)
    first = nxt.words[0]
    space = 0.3 * max(first.size, 1.0)
    return prev.x1 + space + (first.x1 - first.x0) > right + 0.5


def _partners(option: Option | None, text: str) -> list[str] | Any | None:
    if NONE_VALUE.match(_strip(text)):
        return NONE
    names: list[str] = []
    if option is not None and len(option.lines) > 1:
        items: list[str] = []
        frags = (
            option.frags if len(option.frags) == len(option.lines) else [None] * len(option.lines)
        )
        prev_frag: Fragment | None = None
        style = _list_style(frags)
        for raw, frag in zip(option.lines, frags, strict=True):
            t = raw.strip()
            if not t:
                continue
            if (
                style is not None
                and frag is not None
                and _style_of(frag) != style
                and not _BULLET_START.match(t)
            ):
                continue  # a role or note set in another size or colour under the name
            if t.endswith(":") and not items:
                continue  # "Folgende Einrichtungen wirken mit:" introduces the list
            if not items and _label_strength(t) >= 0.78:
                continue  # a table's column header ("Partner | Rolle im Projekt")
            if _is_topic_line(t):
                break  # the topic fields follow: the list has ended
            prev = items[-1] if items else ""
            wrapped = _wrapped(prev_frag, frag)
            new = not t.startswith("(") and (
                not items
                or _BULLET_START.match(t)
                or LEGAL_FORM.search(prev)
                or prev.endswith(")")
                or (
                    t[:1].isupper() and bool(BODY_RE.fullmatch(prev)) and not _OPEN_END.search(prev)
                )
                or (
                    not wrapped
                    and t[:1].isupper()
                    and not _OPEN_END.search(prev)
                    and not re.search(r"\s[a-zäöüß][\wäöüß]*$", " " + prev)
                    and not LEGAL_FORM.match(t)
                )
            )
            if (
                new
                and items
                and len(prev.split()) == 1
                and LEGAL_FORM.search(t)
                and not _BULLET_START.match(t)
            ):
                new = False  # "Hofgemeinschaft" / "Kammhöhe GbR": one name wrapped
            if new and re.search(r"\b[ew]\.$", prev) and re.match(r"V\.?(?:\s|,|$)", t):
                new = False  # "… Brunnenroda e." / "V.": the legal form wrapped
            if new or not items:
                items.append(t)
            else:
                items[-1] = glue(prev, t)
            prev_frag = frag
        for it in items:
            names.extend(
                split_partners(it) if re.search(r";|,\s| und | sowie ", it) else [clean_partner(it)]
            )
    elif option is None and "\n" in text.strip():
        # a form field's lines were typed one partner per line
        names = [n for line in text.splitlines() if line.strip() for n in split_partners(line)]
    else:
        names = split_partners(text)
    names = [n for n in names if plausible_partner(n)]
    return names or None


_BOX_ITEM = re.compile(r"(☒|☑|☐|□|\[\s*[xX×✓✔ ]?\s*\]|\(\s*[xX× ]?\s*\))\s*([^☒☑☐□\[\n]+)")


def _topics_value(text: str) -> list[str] | None:
    boxes = _BOX_ITEM.findall(text)
    if len(boxes) >= 2:
        return ordered_topics(
            [
                c
                for box, rest in boxes
                if box in "☒☑" or "x" in box.casefold() or "×" in box or "✓" in box or "✔" in box
                if (c := canonical_topic(rest))
            ]
        )
    found: list[str] = []
    rest = text
    for canon in TOPIC_FIELDS:
        i = rest.casefold().find(canon.casefold())
        if i >= 0:
            found.append(canon)
            rest = rest[:i] + ";" + rest[i + len(canon) :]
    for part in re.split(r"[;|·•\n]|,\s|\s[–-]\s|\s(?:und|sowie)\s", rest):
        if part.strip(" .") and (c := canonical_topic(part)):
            found.append(c)
    return ordered_topics(found) or None


# --------------------------------------------------------------------------- collection


@dataclass
class Collected:
    """Every candidate per field, plus document-level facts the scorer uses."""

    by_field: dict[str, list[Cand]]
    model: DocModel
    labels_seen: dict[str, float]


def collect(model: DocModel) -> Collected:
    """All candidates of a document (before scoring)."""
    graph = label_graph(model)
    by_field: dict[str, list[Cand]] = defaultdict(list)
    labels_seen: dict[str, float] = dict.fromkeys(_NAMES, 0.0)
    for node in graph:
        for fname, score in node.scores.items():
            if score > labels_seen[fname]:
                labels_seen[fname] = score
        _from_node(node, by_field, model)
    _aggregate_partners(by_field)
    _from_prose(model, by_field)
    _from_layout(model, by_field)
    _from_boxes(model, by_field)
    _from_forms(model, by_field)
    return Collected(dict(by_field), model, labels_seen)


_MULTILINE = frozenset({"text", "partners", "topics", "body", "email", "district"})


def _label_strength(text: str) -> float:
    """How much a value text looks like a bare label itself (0 for long or valued text)."""
    if text.rstrip().endswith("?") and len(text) < 160:
        scores, generic, other = field_scores(text)
        return max(max(scores), other, 0.8)  # a form's question is never an answer
    if len(text) >= 60 or re.search(r"\d{2}|@", text):
        return 0.0
    lt = LabelText.of(text)
    if len(lt.tokens) > 4:
        return 0.0
    if not all(known_word(t) for t in lt.tokens):
        return 0.0  # "Landkreis Prignitz": a label word and a name is a value
    scores, generic, other = field_scores(text)
    return max(max(scores), other, generic * 0.9)


def _from_node(node: LabelNode, out: dict[str, list[Cand]], model: DocModel) -> None:
    unknown = node.unknown
    for fname, score in node.scores.items():
        if score < 0.25:
            continue
        for opt in node.options:
            if opt.rel == "row" and _KIND[fname] != "amount":
                continue
            if opt.rel.endswith("_run") and _KIND[fname] not in _MULTILINE:
                continue
            value_label = _label_strength(opt.text)
            if value_label >= 0.78:
                continue  # a neighbouring label is not a value
            value = parse_for(fname, opt.text, node, opt)
            if value is None:
                continue
            vf = opt.frags[-1] if opt.rel.startswith("inline") is False and opt.frags else None
            same_style = 0.0
            if vf is not None and vf is not node.frag:
                lf = node.frag
                same_style = float(
                    abs(vf.size - lf.size) < 0.4
                    and vf.color == lf.color
                    and vf.bold == lf.bold
                    and (vf.text.isupper() == lf.text.isupper())
                )
            feats = {
                "same_style": same_style,
                "val_caps": float(len(opt.text) > 3 and opt.text.isupper()),
                "lab": score,
                "lab_other": max(v for k, v in node.scores.items() if k != fname),
                "lab_none": node.other,
                "lab_style": node.style,
                "lab_colon": float(node.colon),
                "lab_unk": unknown,
                "dist": min(opt.dist, 30.0) / 10.0,
                "val_is_label": value_label,
            }
            if opt.rel == "row":
                feats["row_last"] = float(opt.row_index == opt.row_count - 1)
                feats["row_first"] = float(opt.row_index == 0)
                hs = field_scores(opt.header)[0] if opt.header else ()
                feats["hdr_total"] = hs[_NAMES.index("gesamtkosten_eur")] if hs else 0.0
                feats["hdr_year"] = float(bool(re.fullmatch(r"\s*(?:19|20)\d\d\s*", opt.header)))
            snippet = (
                f"{node.text}: {opt.text}"
                if opt.rel.startswith("inline")
                else f"{node.text} → {opt.text}"
            )
            out[fname].append(
                Cand(fname, value, opt.rel, opt.frags, node, score, feats, snippet[:300])
            )


_NUMBERED_PARTNER = re.compile(
    r"(?:partner\w*|kooperationspartner\w*|beteiligte\w*)\s*(?:nr\.?\s*)?\d{1,2}\b|^\s*\d{1,2}\.?\s*(?:partner|kooperationspartner)",
    re.IGNORECASE,
)


def _aggregate_partners(out: dict[str, list[Cand]]) -> None:
    """ "Partner 1 | A", "Partner 2 | B": one partner per numbered label, read as one list."""
    numbered = [
        c
        for c in out.get("kooperationspartner", [])
        if c.label is not None
        and c.source in ("right", "inline", "below")
        and _NUMBERED_PARTNER.search(c.label.text)
        and isinstance(c.value, list)
    ]
    if len(numbered) < 2:
        return
    by_label: dict[int, Cand] = {}
    for c in numbered:
        k = id(c.label)
        if k not in by_label or c.source == "right":
            by_label[k] = c
    ordered = sorted(
        by_label.values(), key=lambda c: (c.label.frag.page, c.label.frag.top, c.label.frag.x0)
    )  # type: ignore[union-attr]
    names: list[str] = []
    for c in ordered:
        names.extend(n for n in c.value if n not in names)
    first = ordered[0]
    feats = dict(first.feats)
    feats["agg"] = 1.0
    frags = [f for c in ordered for f in c.frags]
    out["kooperationspartner"].append(
        Cand(
            "kooperationspartner",
            names,
            "agg",
            frags,
            first.label,
            first.label_score,
            feats,
            "; ".join(names)[:300],
        )
    )


# --------------------------------------------------------------------------- prose

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
            if f.name != fname and _KIND[f.name] == _KIND[fname]:
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
    if _KIND[fname] == "date":
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
_ABBREV_END = re.compile(
    r"(?:\be|\bV|\bDr|\bSt|\bProf|\bNr|\bca|\bbzw|\bmbH|\bu\.a|\bz\.B|\bgem|\bsog|\bInc)$"
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


_LABEL_LEAD = re.compile(r"[A-ZÄÖÜ][\w /()-]{2,40}:\s")
_NOUN_WORD = re.compile(r"(?:ungen|keit|heit|schaft|tion|tät|kosten|mittel|\w{6}ung)$")
_ADDRESSEE = re.compile(
    r"\bc/o\b|Geschäftsstelle|Projektträger|Bundesamt|Bundesministerium|Bundesanstalt"
)


_PLACE_DATE = re.compile(r"\s*[A-ZÄÖÜ][\w .()/-]{1,40},\s*(?:den\s+|am\s+)?")
_STREET_END = re.compile(
    r"(?:straße|str\.|weg|platz|gasse|allee|ring|markt|damm|hof|\d+\s?[a-z]?)\s*,?\s*(?:D-)?$",
    re.IGNORECASE,
)


def _from_prose(model: DocModel, out: dict[str, list[Cand]]) -> None:
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
        v = _strip(m.group(g))
        if _ACRONYM.fullmatch(v):
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


# --------------------------------------------------------------------------- layout


_TITLE_HEAD = re.compile(rf"^(?P<a>{ACRONYM_LIKE.pattern})(?:\s[A-ZÄÖÜ][\w\-]*)?\s?[–—:-]\s")


def _from_layout(model: DocModel, out: dict[str, list[Cand]]) -> None:
    """The title as the largest type near the top of page 1; an acronym-like title start."""
    if not model.pages:
        return
    pm = model.pages[0]
    frs = [
        f
        for f in pm.fragments
        if f.block.role not in ("running", "pageno") and f.top < 0.65 * pm.page.height
    ]
    if not frs:
        return
    sizes = sorted({round(f.size, 1) for f in frs if f.size > 0}, reverse=True)
    for rank, size in enumerate(sizes[:3]):
        lines = [f for f in frs if round(f.size, 1) == size]
        if size < model.body_size * 1.12:
            break
        # consecutive lines of the same size form one title
        groups: list[list[Fragment]] = []
        for f in sorted(lines, key=lambda f: (f.top, f.x0)):
            prev = groups[-1][-1] if groups else None
            if (
                prev is not None
                and -0.6 * size <= f.top - prev.bottom < 0.9 * size
                and min(f.x1, prev.x1) - max(f.x0, prev.x0) > -size
            ):
                groups[-1].append(f)
            else:
                groups.append([f])
        for g in groups[:3]:
            joined = g[0].text
            for f in g[1:]:
                joined = glue(joined, f.text)
            text = _strip(joined)
            v = parse_for("projekttitel", text, None, None)
            if v is None:
                continue
            body_name = bodies_in(text)
            feats = {
                "font_rank": float(rank),
                "font_ratio": min(3.0, size / model.body_size),
                "top_share": g[0].top / pm.page.height,
                "val_is_label": _label_strength(text),
                "is_body": float(bool(body_name) and len(body_name[0][0]) >= len(text) - 3),
                "numbered": float(bool(re.match(r"\d{1,2}\.?\s", text))),
            }
            out["projekttitel"].append(
                Cand("projekttitel", v, "layout", g, None, 0.0, feats, text[:300])
            )
            m = _TITLE_HEAD.match(v)
            if m:
                out["akronym"].append(
                    Cand(
                        "akronym",
                        m.group("a"),
                        "title_head",
                        g,
                        None,
                        0.0,
                        {"font_rank": float(rank)},
                        v[:300],
                    )
                )
            m = re.search(rf"\((?P<a>{ACRONYM_LIKE.pattern})\)\s*$", v)
            if m:
                out["akronym"].append(
                    Cand(
                        "akronym",
                        m.group("a"),
                        "title_paren",
                        g,
                        None,
                        0.0,
                        {"font_rank": float(rank)},
                        v[:300],
                    )
                )
    # a cover page: the short name in brackets on its own line near the title
    for f in frs:
        m = re.fullmatch(rf"[(„\"»]\s*(?P<a>{ACRONYM_LIKE.pattern})\s*[)“\"«]", f.text.strip())
        if m:
            out["akronym"].append(
                Cand(
                    "akronym",
                    m.group("a"),
                    "paren_line",
                    [f],
                    None,
                    0.0,
                    {"font_ratio": min(3.0, f.size / model.body_size)},
                    f.text,
                )
            )


_MARK = re.compile(
    r"^\s*(?:[xX✓✔✗✘✕×☓⨯☒☑]|\(\s*[xX×]\s*\)|ja|zutreffend|trifft zu|ausgewählt|gewählt)\s*$",
    re.IGNORECASE,
)
_UNMARK = re.compile(r"^\s*(?:[☐□–—-]|nein|entfällt|trifft nicht zu)\s*$", re.IGNORECASE)
_LIST_NUM = re.compile(r"^\s*(?:\(?\d{1,2}[.)]?|[a-g][.)]|[•▪◦‣·\-–—*])\s+")
_BOX_LEAD = re.compile(r"^\s*(☒|☑|☐|□|\[\s*[xX×✓✔ ]?\s*\]|\(\s*[xX× ]?\s*\))\s*")


def _exact_topic(text: str) -> str | None:
    """The topic field a list entry names ("3) Mobilität", "☒ Mobilität", "Mobilität")."""
    t = _BOX_LEAD.sub("", _LIST_NUM.sub("", text.strip())).strip(" ;,.")
    if not t or len(t) > 70:
        return None
    return canonical_topic(t)


def _from_boxes(model: DocModel, out: dict[str, list[Cand]]) -> None:
    """Topic fields from lists of the seven topic fields with check boxes or marks: a box
    before the name ("☒ Mobilität", boxes in a row "☐ A ☒ B"), or a box or mark ("X", "ja",
    "zutreffend") in a column beside it."""
    for pm in model.pages:
        rows: list[tuple[Fragment, str, bool | None]] = []
        for f in pm.fragments:
            if f.block.role in ("running", "pageno"):
                continue
            inline = _BOX_ITEM.findall(f.text)
            if len(inline) >= 2:  # "☐ Gemeinde ☒ Stadt …" or boxes in one line
                for box, rest in inline:
                    canon = canonical_topic(rest)
                    if canon:
                        rows.append((f, canon, box in "☒☑" or "x" in box.casefold() or "×" in box))
                continue
            canon = _exact_topic(f.text)
            if canon is None:
                continue
            lead = _BOX_LEAD.match(f.text)
            if lead:
                box = lead.group(1)
                rows.append(
                    (f, canon, box in "☒☑" or "x" in box.casefold() or "×" in box or "✓" in box)
                )
                continue
            beside = pm.right_of(f, max_gap=0.6 * pm.page.width)[:2] + _left_of(pm, f)
            mark: bool | None = None
            near = sorted(
                (g for g in beside if _MARK.match(g.text) or _UNMARK.match(g.text)),
                key=lambda g: max(g.x0 - f.x1, f.x0 - g.x1),
            )
            if near:
                mark = bool(_MARK.match(near[0].text))
            rows.append((f, canon, mark))
        for group in _topic_groups(rows):
            if len({c for _, c, _ in group}) < 3 or all(m is None for _, _, m in group):
                continue
            value = ordered_topics([c for _, c, m in group if m])
            frags = [f for f, _, m in group if m] or [group[0][0]]
            snippet = "; ".join(("☒ " if m else "☐ ") + c for _, c, m in group)
            out["themenfelder"].append(
                Cand(
                    "themenfelder",
                    value,
                    "boxes",
                    frags,
                    None,
                    0.0,
                    {"n_boxes": len(group) / 7},
                    snippet[:300],
                )
            )


def _left_of(pm: Any, f: Fragment) -> list[Fragment]:
    near = [
        g
        for g in pm.fragments
        if g.x1 <= f.x0 + 1
        and f.x0 - g.x1 < 0.3 * pm.page.width
        and min(g.bottom, f.bottom) - max(g.top, f.top) > 0.4 * min(f.height, g.height)
    ]
    return sorted(near, key=lambda g: -g.x1)[:1]


def _topic_groups(
    rows: list[tuple[Fragment, str, bool | None]],
) -> list[list[tuple[Fragment, str, bool | None]]]:
    """Entries that form one list: vertically close on the page (or in one line)."""
    groups: list[list[tuple[Fragment, str, bool | None]]] = []
    for r in sorted(rows, key=lambda r: (r[0].top, r[0].x0)):
        if groups and r[0].top - groups[-1][-1][0].bottom < 3.5 * max(r[0].height, 6.0):
            groups[-1].append(r)
        else:
            groups.append([r])
    out = []
    for g in groups:
        seen: dict[str, tuple[Fragment, str, bool | None]] = {}
        for r in g:
            if r[1] not in seen or (seen[r[1]][2] is None and r[2] is not None):
                seen[r[1]] = r
        out.append(list(seen.values()))
    return out


def _from_forms(model: DocModel, out: dict[str, list[Cand]]) -> None:
    """Form fields whose name or tooltip names a field ("txtGesamtkosten", "Antragsteller")."""
    for pm in model.pages:
        for ff in pm.page.fields:
            if ff.kind != "text" or not ff.value:
                continue
            name = re.sub(r"(?<=[a-zäöü])(?=[A-ZÄÖÜ])|[_.\-\d]+", " ", ff.label or ff.name)
            scores, _generic, _other = field_scores(name)
            frags = [f for f in pm.fragments if f.form_field == ff.name]
            for fname, score in zip(_NAMES, scores, strict=True):
                if score < 0.5:
                    continue
                value = parse_for(fname, ff.value, None, None)
                if value is None:
                    continue
                feats = {"lab": score, "form_name": 1.0}
                out[fname].append(
                    Cand(
                        fname, value, "form", frags, None, score, feats, f"{name}: {ff.value}"[:300]
                    )
                )


# --------------------------------------------------------------------------- features


def finalise(col: Collected) -> dict[str, list[Cand]]:
    """Add agreement, validity and position features; drop duplicates; add "not found"."""
    out: dict[str, list[Cand]] = {}
    model = col.model
    n_pages = max(1, len(model.pages))
    # the label strength with which a value is claimed by each field: "Geplanter Beginn
    # 01.07.2021" is read as a date by the prose scan too, but it is the start's, not the
    # sketch's date
    claims: dict[tuple[int, str], dict[str, float]] = defaultdict(
        dict
    )  # (frag, value) → field → lab
    # … and the fragments that are some field's labelled value: "11.212 (Stand: 31.12.2019)"
    # is the population's, so its date is not the sketch's date either
    held: dict[int, dict[str, float]] = defaultdict(dict)  # frag → field → label strength
    for fname, cands in col.by_field.items():
        for c in cands:
            if c.label is not None and c.value is not NONE and c.source != "row":
                if c.source.startswith("inline") and not re.match(
                    r"\s*(?:[\d€(]|EUR\b|ca\.|rund\b)", c.snippet[len(c.label.text) + 2 :]
                ):
                    continue  # "Finanzierung: Fördermittel 585.000 €, …": another label's value
                if (
                    c.frags
                    and _LABEL_LEAD.match(c.frags[0].text)
                    and c.frags[0] is not c.label.frag
                ):
                    continue  # the line below a label is a "label: value" line of its own
                lab = c.feats.get("lab", 0.0)
                for fr in c.frags:
                    if fr is c.label.frag or len(fr.words) > 8:
                        continue  # a sentence under a label is not that label's cell
                    by = claims[id(fr), c.key]
                    by[fname] = max(by.get(fname, 0.0), lab)
                    if (
                        c.source in ("right", "below", "form") and lab >= 0.7
                    ):  # one cell, a clear label
                        hb = held[id(fr)]
                        hb[fname] = max(hb.get(fname, 0.0), lab)
    for fname in _NAMES:
        cands = col.by_field.get(fname, [])
        check = VALIDATORS.get(fname)
        keys: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for c in cands:
            if c.value is NONE:
                continue
            where = (c.page or 0, c.frags[0].text[:40] if c.frags else c.snippet[:40])
            keys[c.key].add(where)
        for c in cands:
            f = c.feats
            f[f"src_{c.source}"] = 1.0
            if c.value is NONE:
                f["explicit_none"] = 1.0
                continue
            f["agree"] = math.log1p(len(keys[c.key]) - 1)
            if c.label is None and c.frags:
                kind = _KIND[fname]
                claimed = other_value = 0.0
                for fr in c.frags:
                    for other, lab in claims.get((id(fr), c.key), {}).items():
                        if other != fname and _KIND[other] == kind:
                            claimed = max(claimed, lab)
                    for other, lab in held.get(id(fr), {}).items():
                        if other != fname:
                            other_value = max(other_value, lab)
                f["claimed"] = claimed
                f["in_other_value"] = other_value
            if check is not None:
                f["valid"] = float(bool(check(c.value)))
            page = c.page or 1
            f["page1"] = float(page == 1)
            f["page_pos"] = (page - 1) / n_pages
            if c.frags:
                blk = c.frags[0].block
                f["running"] = float(blk.role == "running")
                f["edge"] = float(blk.role in ("header", "footer"))
                f["boxed"] = float(blk.boxed)
            if _KIND[fname] == "amount" and isinstance(c.value, int | float) and c.value > 0:
                f["amt_log"] = (math.log10(c.value) - 5.0) / 2.0
                f["amt_round"] = float(c.value % 1000 == 0)
            if _KIND[fname] == "person" and isinstance(c.value, str):
                # "Fremdleistungen Softwareentwicklung": nouns of a budget line, not a name
                f["noun_like"] = float(any(_NOUN_WORD.search(w) for w in c.value.split()))
            if fname == "email" and isinstance(c.value, str):
                f["tld"] = float(
                    bool(re.search(r"\.[A-Za-z]{2,6}$", c.value))
                )  # not cut in the domain
            if fname == "einwohnerzahl" and isinstance(c.value, int):
                f["pop_year"] = float(1900 <= c.value <= 2035)
            if _KIND[fname] == "date" and isinstance(c.value, str) and "day" not in f:
                lits = [d for d in dates_in(c.snippet) if d[0] == c.value]
                f["day"] = float(bool(lits) and lits[0][1])
            if _KIND[fname] == "acronym" and isinstance(c.value, str):
                f["acr_words"] = float(len(c.value.split()) > 1)
                f["acr_shape"] = float(bool(ACRONYM_LIKE.fullmatch(c.value)))
            if _KIND[fname] == "text" and isinstance(c.value, str):
                v = c.value
                f["len_words"] = min(len(v.split()), 30) / 10.0
                f["generic"] = float(bool(_GENERIC_TITLE.search(v)))
                f["sentence"] = float(bool(_SENTENCE_LIKE.search(v)) or v.endswith((".", "-", ",")))
                f["acr_like"] = float(bool(ACRONYM_LIKE.fullmatch(v)))
                f["title_shape"] = float(bool(re.search(r"\s[–—-]\s|:\s", v)))
                f["is_body"] = max(f.get("is_body", 0.0), float(bool(BODY_RE.fullmatch(v))))
                f["leaders"] = float("...." in v or ". . ." in v)
            if _KIND[fname] == "partners" and isinstance(c.value, list):
                f["n_items"] = min(len(c.value), 8) / 4.0
                f["org_share"] = sum(org_like(n) for n in c.value) / max(1, len(c.value))
                f["long_item"] = float(any(len(n.split()) > 8 for n in c.value))
        if _KIND[fname] in ("partners", "topics"):
            _list_extension(cands)
        if _KIND[fname] == "text":
            _text_extension(cands)
            for c in cands:
                m = (
                    re.search(rf"\((?P<a>{ACRONYM_LIKE.pattern})\)\s*$", c.value)
                    if isinstance(c.value, str)
                    else None
                )
                if m and c.source != "layout":
                    extra = Cand(
                        "akronym",
                        m.group("a"),
                        "title_paren",
                        c.frags,
                        None,
                        0.0,
                        {"from_title": 1.0},
                        c.snippet,
                    )
                    col.by_field.setdefault("akronym", []).append(extra)
                m = _TITLE_HEAD.match(c.value) if isinstance(c.value, str) else None
                if m and c.source != "layout":  # „KuLa: Kultur auf dem Land – …“ in a sentence
                    extra = Cand(
                        "akronym",
                        m.group("a"),
                        "title_head",
                        c.frags,
                        None,
                        0.0,
                        {"from_title": 1.0},
                        c.snippet,
                    )
                    col.by_field.setdefault("akronym", []).append(extra)
        if fname == "themenfelder":
            boxes = any(c.source == "boxes" for c in cands)
            for c in cands:
                if isinstance(c.value, list):
                    c.feats["n_topics"] = len(c.value) / 7
                    c.feats["all_topics"] = float(len(c.value) >= 6)
                if c.source != "boxes":
                    c.feats["boxes_elsewhere"] = float(boxes)
        out[fname] = _dedupe(cands)
    return out


_CALL_NAME = re.compile(
    r"(?:Förderaufruf\s|Förderinitiative\s|Modellvorhaben\s)?[„\"]?Heimat 2\.0[“\"]?"
    r"|Projektskizze|Skizze|Projektsteckbrief|Steckbrief|Formblatt|Deckblatt|Inhaltsverzeichnis",
    re.IGNORECASE,
)
_GENERIC_TITLE = re.compile(
    r"^(?:Heimat 2\.0|Projektskizze|Skizze|Förderaufruf|Formblatt|Modellvorhaben|Bewerbungsskizze"
    r"|Projektsteckbrief|Steckbrief|Kurzbeschreibung|Inhaltsverzeichnis|Anlage|Deckblatt)\b"
    r"|Förderaufruf|Förderinitiative|Heimat 2\.0\W*$|^Seite\b|im Rahmen des",
    re.IGNORECASE,
)
_SENTENCE_LIKE = re.compile(
    r"\b(?:wird|werden|wurde|sollen|soll|ist|sind|haben|hat|können|kann|legen|wollen|suchen"
    r"|erhalten|bleiben|ermöglichen|zeigen|nutzen|finden|gibt|fehlt|fehlen)\b"
)


def _text_extension(cands: list[Cand]) -> None:
    """A title cut short at a line end: another reading of the same place goes on."""
    texts = sorted((c.value, i) for i, c in enumerate(cands) if isinstance(c.value, str))
    keys = [t for t, _i in texts]
    for c in cands:
        if not isinstance(c.value, str):
            continue
        cut = False
        # the readings that start with this one sit right after it in sorted order
        for k in range(bisect.bisect_left(keys, c.value), len(keys)):
            value, i = texts[k]
            if not value.startswith(c.value):
                break
            o = cands[i]
            if (
                o is not c
                and len(value) > len(c.value) + 2
                and (o.label is c.label or o.source == c.source)
            ):
                cut = True
                break
        c.feats["text_cut"] = float(cut)


def _list_extension(cands: list[Cand]) -> None:
    """A list read from the same label that another reading extends (a wrapped or
    continued list cut short) is weaker; the longest reading of a label is stronger."""
    by_label: dict[int, list[Cand]] = defaultdict(list)
    for c in cands:
        if isinstance(c.value, list):
            by_label[id(c.label) if c.label is not None else id(c)].append(c)
    for group in by_label.values():
        longest = max(len(c.value) for c in group)
        for c in group:
            c.feats["list_longest"] = float(len(c.value) == longest and longest > 1)
            mine = " ".join(c.value).rstrip(" .-")
            c.feats["list_cut"] = float(
                any(
                    len(" ".join(o.value)) > len(mine) + 2 and " ".join(o.value).startswith(mine)
                    for o in group
                    if o is not c
                )
            )


def _dedupe(cands: list[Cand]) -> list[Cand]:
    """One candidate per (value, source, place): the one with the strongest label, with the
    evidence of both (a date read alone and as the start of a range keeps "range")."""
    best: dict[tuple[str, str, int, float, float], Cand] = {}
    for c in cands:
        f0 = c.frags[0] if c.frags else None
        k = (
            c.key,
            c.source,
            c.page or 0,
            round(f0.top, 0) if f0 else 0.0,
            round(f0.x0, 0) if f0 else 0.0,
        )
        old = best.get(k)
        if old is None or c.source != "prose":
            if old is None or c.label_score > old.label_score:
                best[k] = c
            continue
        keep, other = (c, old) if c.label_score > old.label_score else (old, c)
        for name, v in other.feats.items():
            if v > keep.feats.get(name, 0.0):
                keep.feats[name] = v
        best[k] = keep
    return list(best.values())
