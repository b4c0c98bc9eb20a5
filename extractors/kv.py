"""The key/value graph: which fragment is a label, and which fragments could be its value.

Each fragment of the document model is scored as a label of every field (``labels``); a
generic label ("Name", "Bezeichnung") takes its field from the group heading above it
("Ansprechpartner/in" → the contact's name, "Antragstellende Kommune" → the applicant's).
A label is linked to value options by geometry: the rest of its own fragment ("Label:
value", "Label value"), the next fragment to the right on its row (a table's next cell, a
value behind leader dots), the fragments below it in its column (a label above its value,
a header row above a value row), and for rows of amounts every cell of the row with its
column header. Options keep their relation and distance: the candidate scorer weighs them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.document import DocModel
from extractors.labels import LabelText, known_word
from extractors.page import Fragment, PageModel
from extractors.registry import FIELDS, OTHER_LABELS

__all__ = ["LabelNode", "Option", "field_scores", "label_graph"]

_NAMES = tuple(f.name for f in FIELDS)
_GROUP_FIELDS = tuple(f for f in FIELDS if f.lexicon.group)
_COLON = re.compile(
    r"^(?P<label>[^:：]{2,80}?)\s*[:：](?![iI][nN](?:[nN][eE][nN])?\b)\s*(?P<rest>.*)$"
)
_HEADING_NUM = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-H]\.?|[IVX]{1,4}\.)\s+\S")
_VALUEISH = re.compile(r"\d|@|€")
_OPEN_END = re.compile(
    r"\b(?:für|der|die|das|des|dem|den|und|oder|am|im|an|von|vom|zur|zum|in|auf|bei|mit|ohne|aus|zu|–)$"
)


@lru_cache(maxsize=65536)
def field_scores(text: str) -> tuple[tuple[float, ...], float, float]:
    """(score per field in FIELDS order, generic-label score per group field max, score as a
    label of no field) for a label text."""
    lt = LabelText.of(text)
    scores = tuple(f.lexicon.score(lt) for f in FIELDS)
    generic = max((f.lexicon.generic_score(lt) for f in _GROUP_FIELDS), default=0.0)
    return scores, generic, OTHER_LABELS.score(lt)


@lru_cache(maxsize=65536)
def _group_scores(text: str) -> tuple[float, ...]:
    lt = LabelText.of(text)
    return tuple(f.lexicon.group_score(lt) for f in _GROUP_FIELDS)


@dataclass(eq=False)
class Option:
    """A possible value of a label: its text, the fragments it was read from, how it relates
    to the label and how far it is (in body font sizes)."""

    text: str
    frags: list[Fragment]
    rel: str  # inline | inline_nocolon | right | below | row | form
    dist: float
    row_index: int = 0
    row_count: int = 1
    header: str = ""  # column header above the cell (tables)
    lines: list[str] = field(default_factory=list)  # the value per line (lists, wraps)


@dataclass(eq=False)
class LabelNode:
    """A fragment (or the part of it before a colon) read as a label."""

    frag: Fragment
    text: str
    scores: dict[str, float]
    other: float
    colon: bool
    part: str  # whole | prefix
    options: list[Option] = field(default_factory=list)

    @property
    def best(self) -> float:
        return max(self.scores.values(), default=0.0)

    @property
    def unknown(self) -> float:
        """Share of the label's words that no lexicon knows: "Landkreis St. Wendel" is a
        label word and a name, so most likely a value, not a label."""
        toks = LabelText.of(self.text).tokens
        if not toks:
            return 0.0
        return sum(not known_word(t, min_quality=0.9) for t in toks) / len(toks)

    @property
    def style(self) -> float:
        """Label-looking typography: bold, small, grey or upper case (0–1)."""
        f = self.frag
        s = 0.0
        if f.bold:
            s += 0.4
        if f.color and f.color != 0 and _grey(f.color):
            s += 0.3
        letters = [c for c in self.text if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters) and len(letters) > 3:
            s += 0.3
        return min(1.0, s)


def _grey(color: int) -> bool:
    r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
    return max(r, g, b) - min(r, g, b) < 40 and 60 <= (r + g + b) / 3 <= 200


def _sentence_like(text: str) -> bool:
    """A line of running text, not a label: "Für das Vorhaben sind Gesamtausgaben in Höhe
    von", "Folgende Kooperationspartner bringen ihre" (a label that wraps may end in an
    article: "Zuordnung zu den Themenfeldern des"; a form's question has a verb and a "?")."""
    words = _NUM_LEAD.sub("", text).split()
    if words and words[0][:1].isupper() and words[0].casefold() in _QUESTION_WORDS:
        return False  # "14. Wie hoch ist die beantragte" / "Förderung?": a question wraps
    if len(words) >= 4 and not text.rstrip().endswith("?") and _FINITE.intersection(words):
        return True
    lower_start = words and words[0][:1].islower() and words[0] not in _LABEL_LEADS
    if len(words) >= 4 and (lower_start or re.search(r"[a-zäöüß]{3}\. [A-ZÄÖÜ]", text)):
        return True  # "werden elektronisch zugestellt. Eine …": the middle of running text
    if len(words) >= 5 and words[0].casefold() in _SENTENCE_START:
        return True  # "Eine Steuerungsgruppe aus Kommune und Partnern": a sentence's line
    return len(words) >= 3 and words[-1] in _OPEN_WORDS


@lru_cache(maxsize=65536)
def _is_label_text(text: str) -> bool:
    lt = LabelText.of(text)
    if not (0 < len(lt.tokens) <= 10 and len(text) <= 110):
        return False
    if _sentence_like(text):
        return False
    # "7.241 (Stand" or "Musterstraße 3, 12345 Ort (Land": a value with a colon inside
    bare = re.sub(r"\([^()]*\)|\([^()]*$", " ", _NUM_LEAD.sub("", text))
    bare = _UNIT.sub(" ", bare)
    bare = _VERSION.sub(" ", bare)  # "Zuschuss Heimat 2.0": a programme's name, not a value
    return not re.search(r"\d{3}|@|€|\d[.,]\d", bare)


_VERSION = re.compile(r"(?<=[A-Za-zÄÖÜäöüß] )\d\.\d(?![\d.,])")


_UNIT = re.compile(r"\b(?:in|je)\s+(?:T\s?|Tsd\.?\s?|Mio\.?\s?)?(?:€|EUR|Euro)|\bT€|\[€\]|/€")


_NUM_LEAD = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-H](?:\.\d{1,2})*\.?)\s+")


def label_graph(model: DocModel) -> list[LabelNode]:
    """Every label-like fragment of the document with its value options."""
    nodes: list[LabelNode] = []
    group: tuple[str, float] | None = None  # (field, score) of the active group heading
    since_group = 0
    for frag in _with_block_labels(model):
        text = frag.text
        since_group += 1
        gs = _group_scores(text) if len(text) <= 80 else ()
        if gs and max(gs) >= 0.6 and not _VALUEISH.search(_NUM_LEAD.sub("", text)):
            k = max(range(len(gs)), key=lambda i: gs[i])
            group = (_GROUP_FIELDS[k].name, gs[k])
            since_group = 0
        elif group is not None and (since_group > 14 or _section_heading(frag, model)):
            group = None
        if text[:1].islower() and text.rstrip().endswith(".") and len(text) > 4:
            continue  # "beteiligt.": the end of a sentence wrapped onto its own line
        for label_text, rest, colon, part in _label_parts(text):
            scores, generic, other = field_scores(label_text)
            by_field = dict(zip(_NAMES, scores, strict=True))
            if generic and group is not None:
                fname, gscore = group
                by_field[fname] = max(by_field[fname], round(generic * gscore, 4))
            if max(by_field.values()) < 0.25 and other < 0.5:
                continue
            node = LabelNode(frag, label_text, by_field, other, colon, part)
            node.options = _options(node, rest, model)
            nodes.append(node)
    return nodes


def _with_block_labels(model: DocModel) -> list[Fragment]:
    """The document's fragments, plus one fragment per multi-line label cell: a block of
    2–3 short lines without values ("Kommunaler / Eigenanteil", "Geplanter / Projektstart")
    is one label whose value sits beside the whole cell."""
    out: list[Fragment] = []
    seen: set[int] = set()
    for frag in model.fragments:
        out.append(frag)
        b = frag.block
        if id(b) in seen:
            continue
        seen.add(id(b))
        lines = b.lines
        if not 2 <= len(lines) <= 3 or any(len(ln.fragments) != 1 for ln in lines):
            continue
        text = " ".join(ln.text for ln in lines)
        if len(text) > 80 or _VALUEISH.search(re.sub(r"\([^()]*\)", "", _NUM_LEAD.sub("", text))):
            continue
        if any(":" in ln.text.rstrip(" :") or len(ln.text.split()) > 4 for ln in lines):
            continue  # lines that carry their own "label: value" are not one label
        words = [w for ln in lines for w in ln.words]
        merged = Fragment(words=words, page=frag.page, block=b, line=lines[0])
        merged.index = frag.index
        out.append(merged)
    return out


def _section_heading(frag: Fragment, model: DocModel) -> bool:
    return bool(_HEADING_NUM.match(frag.text)) and (frag.bold or frag.size > model.body_size * 1.1)


@lru_cache(maxsize=65536)
def _label_parts(text: str) -> tuple[tuple[str, str, bool, str], ...]:
    """(label, inline rest, had colon, part) readings of a fragment (memoised per text)."""
    out: list[tuple[str, str, bool, str]] = []
    m = _COLON.match(text)
    if m and not re.match(r"\d{1,2}:\d{2}", text):
        label, rest = m.group("label").strip(), m.group("rest").strip()
        if _is_label_text(label):
            out.append((label, rest, True, "prefix"))
    if _is_label_text(text) and not (m and m.group("rest").strip()):
        out.append((text, "", text.rstrip().endswith((":", "：")), "whole"))
    elif not m:
        # "Einwohner 7.170", "Einwohner (gesamt) 5.670", "Laufzeit 24 Monate": a label
        # phrase (with its qualifier in parentheses), then the value
        words = text.split()
        k, depth = 0, 0
        while k < len(words) and k < 8:
            w = words[k]
            if depth == 0 and k > 0 and (_VALUEISH.search(w) or w[:1] in '„"»'):
                break
            depth += w.count("(") - w.count(")")
            k += 1
        if 0 < k < len(words) and depth == 0:
            head, tail = " ".join(words[:k]), " ".join(words[k:])
            if (
                not _VALUEISH.search(re.sub(r"\([^()]*\)", "", head))
                and len(head) <= 60
                and not _sentence_like(head)
            ):
                out.append((head, tail, False, "prefix"))
    return tuple(out)


def _options(node: LabelNode, rest: str, model: DocModel) -> list[Option]:
    frag = node.frag
    pm = model.page(frag.page)
    body = model.body_size
    out: list[Option] = []
    if rest:
        rel = "inline" if node.colon else "inline_nocolon"
        out.append(Option(rest, [frag], rel, 0.0))
        if node.colon:
            text, more = _continued(frag, rest, pm, body)
            if more:
                out.append(
                    Option(
                        text,
                        [frag, *more],
                        rel + "_run",
                        0.0,
                        lines=[rest, *(g.text for g in more)],
                    )
                )
        return out
    if frag.form_field and node.part == "whole":
        return out
    right = pm.right_of(frag, max_gap=0.9 * pm.page.width)
    if right:
        first = right[0]
        # a row's amounts end where the next label starts: "Kosten gesamt 326.530 €
        # Fördermittel (beantragt) 293.900 €" is two pairs side by side, not one row
        row: list[Fragment] = []
        for g in right:
            bare = _NUM_LEAD.sub("", g.text)  # "1.7 Eigenmittelanteil": a numbered label
            if g is not first and not re.search(r"\d", bare) and _is_label_text(g.text):
                sc, _gen, oth = field_scores(g.text)
                if max(sc) >= 0.6 or oth >= 0.8:
                    break
            row.append(g)
        amounts = [g for g in row if re.search(r"\d", g.text)]
        dist = (first.x0 - frag.x1) / body
        out.append(Option(first.text, [first], "right", dist))
        continued, more = _continued(first, first.text, pm, body, label=frag)
        if more:
            out.append(
                Option(
                    continued,
                    [first, *more],
                    "right_run",
                    dist,
                    lines=[first.text, *(g.text for g in more)],
                )
            )
        if len(amounts) >= 2:
            for i, g in enumerate(amounts):
                out.append(
                    Option(
                        g.text,
                        [g],
                        "row",
                        (g.x0 - frag.x1) / body,
                        row_index=i,
                        row_count=len(amounts),
                        header=_header(g, pm, body),
                    )
                )
    below = pm.below(_with_number(frag, pm), max_dist=4.0 * max(frag.height, body))
    while len(below) > 1 and _HINT.fullmatch(below[0].text.strip()):
        # a form's help line under the question ("TT.MM.JJJJ", "Mehrfachauswahl möglich")
        below = pm.below(below[0], max_dist=2.5 * max(below[0].height, body))
    if below:
        first = below[0]
        dist = (first.top - frag.bottom) / body
        out.append(Option(first.text, [first], "below", dist))
        lines = _column_run(first, pm, body, model=model)
        if len(lines) > 1:
            text = lines[0].text
            for g in lines[1:]:
                text = glue(text, g.text)
            out.append(Option(text, lines, "below_run", dist, lines=[g.text for g in lines]))
    return out


def _with_number(frag: Fragment, pm: PageModel) -> Fragment:
    """The label widened to its section number set apart on the left ("2.2.1   Einwohnerstand"):
    the value below starts under the number."""
    for g in pm.band(frag.top - 0.5 * frag.height, frag.top + 0.5 * frag.height):
        if (
            g.x1 <= frag.x0 + 0.5
            and frag.x0 - g.x1 < 40
            and abs(g.top - frag.top) < 0.5 * frag.height
            and _SECTION_NO.fullmatch(g.text.strip())
        ):
            wide = copy.copy(frag)
            wide.x0 = g.x0
            return wide
    return frag


_SECTION_NO = re.compile(r"\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-H](?:\.\d{1,2})*\.?")


_HINT = re.compile(
    r"\(?(?:(?:TT|MM|JJ|JJJJ)(?:[./\s-]+(?:TT|MM|JJ|JJJJ))+|Mehrfachauswahl möglich|Mehrfachnennun"
    r"g(?:en)? möglich"
    r"|bitte (?:ankreuzen|auswählen|angeben|eintragen)|optional|Pflichtfeld|max\.\s*\d+\s*Zeichen)"
    r"\)?",
    re.IGNORECASE,
)


def _continued(
    first: Fragment, text: str, pm: PageModel, body: float, label: Fragment | None = None
) -> tuple[str, list[Fragment]]:
    """A value that wraps onto the next line(s) of its block: the wrapped part starts at the
    value's x (or the block's left edge) and is not a new label."""
    block = first.block
    lines = block.lines
    more: list[Fragment] = []
    try:
        i = next(k for k, ln in enumerate(lines) if first in ln.fragments)
    except StopIteration:
        return text, more
    out = text
    for ln in lines[i + 1 : i + 12]:
        frs = ln.fragments
        if len(frs) != 1:
            break
        nxt = frs[0]
        if abs(nxt.x0 - first.x0) > 2.0 * body and abs(nxt.x0 - block.bbox[0]) > 1.0:
            break
        if nxt.top - first.bottom > 1.8 * body:
            break
        scores, _generic, other = field_scores(nxt.text)
        open_end = bool(_OPEN_END.search(out)) or out.endswith(("-", "\u00ad", ","))
        if (
            not open_end
            and (max(scores) >= 0.8 or other >= 0.8)
            and _is_label_text(nxt.text)
            and len(nxt.text) < 40
            and all(known_word(t, min_quality=0.9) for t in LabelText.of(nxt.text).tokens)
        ):
            break  # a new label ("Landkreis Birkenfeld" is a name: its second word is not)
        m = _COLON.match(nxt.text)
        if m and max(field_scores(m.group("label"))[0]) >= 0.6:
            break  # "Ansprechperson: …" starts the next entry
        if label is not None and _has_left_label(nxt, pm, label):
            break
        if (
            re.search(r"(?<!\be)(?<!\bV)(?<!\bca)(?<!\bNr)(?<!\bSt)(?<!\bDr)[.!?]$", out)
            and len(out) > 30
        ):
            break  # a sentence ended: what follows is not the value
        out = glue(out, nxt.text)
        more.append(nxt)
        first = nxt
    return out, more


def _has_left_label(frag: Fragment, pm: PageModel, label: Fragment) -> bool:
    """Is there text in the label column on this line (a new row of the table)? The label's
    own wrapped lines ("Projektpartner / (verbindlich)") are not a new row."""
    tops = [
        g
        for g in pm.band(frag.top - 3 * frag.height, frag.bottom)
        if g.x1 <= frag.x0 + 1 and g.x0 >= label.x0 - 5 and g.block is not label.block
    ]
    return any(min(g.bottom, frag.bottom) - max(g.top, frag.top) > 0.4 * frag.height for g in tops)


_FUNCTION_WORDS = frozenset(
    [
        "von",
        "vom",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "und",
        "oder",
        "im",
        "in",
        "am",
        "an",
        "zu",
        "zur",
        "zum",
        "mit",
        "für",
        "auf",
        "aus",
        "bei",
        "bis",
        "ohne",
        "über",
        "unter",
        "nach",
        "vor",
        "als",
        "wie",
        "um",
        "durch",
        "gegen",
        "ab",
    ]
)


_OPEN_WORDS = frozenset(
    [
        "ihre",
        "ihr",
        "ihren",
        "ihrem",
        "ihrer",
        "sein",
        "seine",
        "seinen",
        "seinem",
        "unsere",
        "unser",
        "unseren",
        "eine",
        "ein",
        "einen",
        "einem",
        "sich",
        "wird",
        "werden",
        "ist",
        "sind",
        "hat",
        "haben",
    ]
)


_QUESTION_WORDS = frozenset(
    "wie welche welcher welches was wann wer wo wieviel wieviele gibt ist sind hat haben wird"
    " werden bitte".split()
)
_LABEL_LEADS = frozenset("davon dav. ggf. inkl. zzgl. bzw. beantragte geplante".split())
_SENTENCE_START = frozenset("ein eine einer der die das dem den des wir es sie er dabei so".split())
_FINITE = frozenset(
    (
        "sind ist wird werden wurde wurden beträgt betragen belaufen beläuft soll sollen will"
        " wollen möchte möchten kann können muss müssen hat haben gibt"
    ).split()
)


def glue(a: str, b: str) -> str:
    if a.endswith("\u00ad"):
        return a[:-1] + b
    last = a.rsplit(" ", 1)[-1]
    if (
        "@" in last
        and (not re.search(r"@[^.]*\.[a-z]{2,}$", last) or last.endswith((".", "-")))
        and " " not in b.strip()
    ):
        return a + b.strip()  # an e-mail address wrapped inside its domain
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha():
        if b.split(" ", 1)[0].rstrip(",.;") in ("und", "oder", "bis", "sowie", "bzw."):
            return f"{a} {b}"  # a suspended compound: "Bestell- und Lieferkette"
        if (
            b[:1].islower()
            and "@" not in last
            and "www." not in last
            and "@" not in b.split(" ", 1)[0]
        ):
            return a[:-1] + b
        if b[:1].isalnum():
            return a + b
    head = b.split(" ", 1)[0]
    if (
        last[-1:].isalpha()
        and len(last) >= 12
        and head[:1].islower()
        and len(head) <= 5
        and head.isalpha()
        and head not in _FUNCTION_WORDS
    ):
        return a + b  # a long word broken without a hyphen in a narrow cell
    return f"{a} {b}"


_BULLET = re.compile(r"^\s*[•▪◦‣·\-–—*]\s")


def _column_run(
    first: Fragment, pm: PageModel, body: float, limit: int = 12, model: DocModel | None = None
) -> list[Fragment]:
    """The fragment below a label and the ones that continue it in the same column, also
    across a page break (a list that goes on at the top of the next page)."""
    run = [first]
    cur = first
    # a bulleted item that wraps goes on under its text, right of the bullet (hanging indent)
    hang = 3.0 * body if _BULLET.match(first.text) else 1.5 * body
    for _ in range(limit):
        nxt = [
            g
            for g in pm.below(cur, max_dist=1.2 * max(cur.height, body))
            if -1.5 * body <= g.x0 - first.x0 <= hang and g.block.role not in ("running", "pageno")
        ]
        if not nxt and model is not None:
            nxt = _next_page_start(cur, pm, model, body, first.x0)
            if nxt:
                pm = model.page(nxt[0].page)
        if not nxt:
            break
        g = nxt[0]
        scores, generic, other = field_scores(g.text)
        if (
            _is_label_text(g.text)
            and (max(scores) >= 0.75 or other >= 0.8 or generic >= 0.8)
            and all(known_word(t, min_quality=0.9) for t in LabelText.of(g.text).tokens)
        ):
            break
        m = _COLON.match(g.text)
        if m and _is_label_text(m.group("label")) and max(field_scores(m.group("label"))[0]) >= 0.6:
            break  # "Zugeordnete Themenfelder: …" starts the next entry
        if g.bold and not first.bold and len(g.text) < 60:
            break  # the next label of a stacked form
        run.append(g)
        cur = g
    return run


def _next_page_start(
    cur: Fragment, pm: PageModel, model: DocModel, body: float, x0: float
) -> list[Fragment]:
    """The first body line of the next page, when ``cur`` ends the body of its page."""
    if cur.page >= len(model.pages):
        return []
    if pm.body_bottom > cur.bottom:
        return []  # body text goes on below on this page
    top = model.page(cur.page + 1).body_start
    return [top] if top is not None and abs(top.x0 - x0) <= 1.5 * body else []


def _header(cell: Fragment, pm: PageModel, body: float) -> str:
    """The column header above a table cell: the nearest non-numeric fragment above."""
    for g in pm.above(cell, max_dist=25 * body):
        if not re.search(r"\d{2}", g.text) or re.fullmatch(r"\s*(?:19|20)\d\d\s*", g.text):
            return g.text
    return ""
