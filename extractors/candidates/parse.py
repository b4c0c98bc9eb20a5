"""Value parsers: the value of a field in a piece of text, for every source alike.

A label's value option, a scanned phrase, a title line and a form field's text all go
through ``parse_for``, so that a value reads the same wherever it was found; the shapes
that several sources look for (an acronym, a ticked box, a label-like text) live here too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from extractors.candidates.cand import KIND, NONE
from extractors.kv import LabelNode, Option, field_scores, glue
from extractors.labels import LabelText, known_word
from extractors.page import Fragment
from extractors.values import (
    BODY_RE,
    LEGAL_FORM,
    NONE_VALUE,
    bodies_in,
    canonical_state,
    canonical_topic,
    clean_partner,
    clean_person,
    corporation_type,
    date_range,
    dates_in,
    emails_in,
    ordered_topics,
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
from extractors.vocab import TOPIC_FIELDS

__all__ = [
    "ACRONYM",
    "ACRONYM_LIKE",
    "BOX_ITEM",
    "TITLE_HEAD",
    "label_strength",
    "parse_for",
    "strip_value",
]

_QUOTES = "„“”\"»«‚‘’'"
ACRONYM = re.compile(
    r"(?:[A-ZÄÖÜ0-9]|[a-z](?=[a-z]*[A-ZÄÖÜ]))[\wÄÖÜäöüß.\-&+]{1,19}(?: [\wÄÖÜäöüß.\-&+]{1,19}){0,2}"
)
"""A short name as a value of its own (under its label, in its brackets)."""
ACRONYM_LIKE = re.compile(
    r"(?<![\w-])(?:[A-ZÄÖÜ][a-zäöü]*[A-ZÄÖÜ][\wäöü]*|[A-ZÄÖÜ]{3,8}\d?|[a-z][A-ZÄÖÜ][\wäöü]+)(?![\w-])"
)
"""A word shaped like a short name inside other text ("KuLa", "DORV", "eDorf")."""
_DISTRICT_NAME = re.compile(
    r"[A-ZÄÖÜ][\wäöüß.\-]*(?:[ -](?:an der |am |im |ob der |a\.\s?d\.\s?|i\.\s?)?[A-ZÄÖÜ(][\wäöüß."
    r")\-]*){0,3}"
    r"|[A-ZÄÖÜ][\wäöüß\-]*\sa\.\s?d\.\s?[A-ZÄÖÜ][\wäöüß]+"
)


def strip_value(text: str) -> str:
    """Whitespace collapsed; the punctuation and quotes around a value dropped."""
    return re.sub(r"\s+", " ", text).strip(" :;,.\u2003" + _QUOTES).strip()


TITLE_HEAD = re.compile(rf"^(?P<a>{ACRONYM_LIKE.pattern})(?:\s[A-ZÄÖÜ][\w\-]*)?\s?[–—:-]\s")
"""A short name heading a title ("KuLa: Kultur auf dem Land")."""


_CALL_NAME = re.compile(
    r"(?:Förderaufruf\s|Förderinitiative\s|Modellvorhaben\s)?[„\"]?Heimat 2\.0[“\"]?"
    r"|Projektskizze|Skizze|Projektsteckbrief|Steckbrief|Formblatt|Deckblatt|Inhaltsverzeichnis",
    re.IGNORECASE,
)


def label_strength(text: str) -> float:
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


def parse_for(fname: str, text: str, label: LabelNode | None, option: Option | None) -> Any:
    """The value of field ``fname`` in ``text`` (None when the text is not such a value)."""
    kind = KIND[fname]
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
        t = strip_value(re.split(r"\s[·/|]\s|,|;", t)[0])
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
        v = strip_value(t)
        if NONE_VALUE.match(v):
            return NONE
        v = v.strip("()")
        if re.match(r"\d{1,2}(?:\.\d{1,2})*\.?\s", v):
            return None  # "2.3 Geplanter …": the next numbered label
        if " " not in v and known_word(v.casefold(), min_quality=0.9):
            return None  # "(Akronym)" under "Kurzbezeichnung" is the label's own note
        if ACRONYM.fullmatch(v) and re.search(r"[A-ZÄÖÜ]", v) and len(v) <= 30:
            return v
        return None
    if kind == "text":
        v = strip_value(t)
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
    if NONE_VALUE.match(strip_value(text)):
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
            if not items and label_strength(t) >= 0.78:
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


BOX_ITEM = re.compile(r"(☒|☑|☐|□|\[\s*[xX×✓✔ ]?\s*\]|\(\s*[xX× ]?\s*\))\s*([^☒☑☐□\[\n]+)")
"""A check box and the name after it ("☒ Mobilität", "[x] Bildung", "( ) Kultur")."""


def _topics_value(text: str) -> list[str] | None:
    boxes = BOX_ITEM.findall(text)
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
