"""Reading text: blocks joined into running text, page texts in reading order, and the
repair of words hyphenated at a line end.

Two texts are read from the page model: the document's prose (``DocModel.prose``, block by
block, with spans back to the fragments for evidence) and each page's text as the parse
keeps it (``Page.text``: a label and its value on one line, running heads and feet dropped
after page 1). Both join a syllable break ("Bürger-" + "service") and keep a compound
hyphen ("Bürger-" + "App") and a suspended compound ("Wohn-" + "und").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from extractors.page import Block, Fragment, PageModel
from extractors.roles import PAGE_NO_PART, signature

__all__ = ["Span", "block_prose", "dehyphen_lines", "dehyphenate", "reading_texts"]

_CONJ = frozenset({"und", "oder", "bzw.", "bzw", "sowie", "bis", "als", "wie"})


def dehyphenate(lines: Iterable[str]) -> str:
    """Join lines into running text, re-joining words split at a line end.

    "Bürger-" + "service" → "Bürgerservice"; "Bürger-" + "App" → "Bürger-App";
    "Gesundheits-" + "und" stays a suspended compound; a soft hyphen always joins.
    """
    out = ""
    for raw in lines:
        ln = raw.strip()
        if not ln:
            continue
        if not out:
            out = ln
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + ln
        elif out.endswith("-") and len(out) >= 2 and out[-2].isalpha():
            nxt = ln.split(" ", 1)[0]
            if nxt.rstrip(".,;:") in _CONJ:
                out += " " + ln
            elif nxt[:1].islower() and not _address_like(out) and "@" not in nxt:
                out = out[:-1] + ln
            else:
                out += ln
        else:
            out += " " + ln
    return out.replace("\u00ad", "")


@dataclass
class Span:
    """Where a stretch of the reading text came from (for evidence of prose matches)."""

    start: int
    end: int
    fragment: Fragment


def block_prose(block: Block) -> tuple[str, list[Span]]:
    """A block's lines joined (hyphenation repaired), with fragment spans."""
    text = ""
    spans: list[Span] = []
    for ln in block.lines:
        for k, frag in enumerate(ln.fragments):
            t = frag.text
            if not text:
                start = 0
                text = t
            elif k > 0:
                text += " \u2003 "  # a gap inside a line (table cells, label | value)
                start = len(text)
                text += t
            elif text.endswith("\u00ad"):
                text = text[:-1]
                start = len(text)
                text += t
            elif text.endswith("-") and len(text) >= 2 and text[-2].isalpha():
                nxt = t.split(" ", 1)[0]
                if nxt.rstrip(".,;:") in _CONJ:
                    text += " "
                elif nxt[:1].islower() and not _address_like(text):
                    text = text[:-1]
                start = len(text)
                text += t
            else:
                text += "\n" if _ends_line(text) else " "
                start = len(text)
                text += t
            spans.append(Span(start, len(text), frag))
    return text.replace("\u00ad", ""), spans


def _address_like(text: str) -> bool:
    """Does the text end inside an e-mail address or web address (its hyphens are real)?"""
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    return "@" in last or last.startswith(("www.", "http")) or "www." in last


def _ends_line(text: str) -> bool:
    """Keep a line break after a line that is a label, a list item or a short heading."""
    last = text.rsplit("\n", 1)[-1]
    return last.endswith(":") or len(last) < 25 or last[:1] in "•▪–-*☐☒" or last.endswith("?")


def reading_texts(pages: list[PageModel]) -> list[str]:
    """Reading-order text per page (what ``Page.text`` holds): lines in reading order, a
    label and its value on one line, running headers/footers and page numbers removed
    after page 1, hyphenation repaired."""
    pages_rows: list[list[list[Any]]] = []
    for pm in pages:
        rows: list[list[Any]] = []  # [text, top, bottom, block]
        for b in pm.blocks:
            if b.role == "pageno" or (b.role == "running" and pm.page.number > 1):
                continue
            lines = [(" ".join(f.text for f in ln.fragments), ln.top, ln.bottom) for ln in b.lines]
            if b.role in ("running", "header", "footer"):
                lines = [(t, top, bot) for ln, top, bot in lines if (t := PAGE_NO_PART.sub("", ln))]
            if rows and _zip_rows(rows, b, lines):
                continue
            rows.extend([t, top, bot, b] for t, top, bot in lines)
        pages_rows.append(rows)
    _drop_running_lines(pages, pages_rows)
    return [dehyphen_lines("\n".join(r[0] for r in rows)) for rows in pages_rows]


def _drop_running_lines(pages: list[PageModel], pages_rows: list[list[list[Any]]]) -> None:
    """A header or footer line that shares its block with body text: the same line (digits
    masked) at about the same height as the first or last line of most pages."""
    n = len(pages_rows)
    if n < 2:
        return
    counts: Counter[str] = Counter()
    keys: list[list[tuple[int, str]]] = []
    for pm, rows in zip(pages, pages_rows, strict=True):
        h = pm.page.height or 1.0
        mine = []
        for i in (*range(min(2, len(rows))), *range(max(2, len(rows) - 2), len(rows))):
            r = rows[i]
            mine.append((i, f"{round(r[1] / h * 40)}|{signature(PAGE_NO_PART.sub('', r[0]))}"))
        keys.append(mine)
        counts.update({k for _, k in mine})
    threshold = max(2, int(0.6 * n + 0.999))
    for p, (rows, mine) in enumerate(zip(pages_rows, keys, strict=True)):
        drop = {i for i, k in mine if counts[k] >= threshold and k.split("|", 1)[1]}
        if p > 0 and drop:
            rows[:] = [r for i, r in enumerate(rows) if i not in drop]
        elif p == 0:
            for i in drop:
                rows[i][0] = PAGE_NO_PART.sub("", rows[i][0])


def _zip_rows(rows: list[list[Any]], block: Block, lines: list[tuple[str, float, float]]) -> bool:
    """Append a block's lines to the label lines they sit beside: a key/value table read
    column by column or cell by cell. The left lines must look like labels (or be single
    short cells next to single short cells); two text columns never zip."""
    x0 = block.bbox[0]
    left = [
        r for r in rows if r[3] is not block and r[3].bbox[2] <= x0 + 2 and r[3].page == block.page
    ]
    if not left:
        return False
    pairs: list[list[Any]] = []  # [left row, text]
    for t, top, bottom in lines:
        h = max(1.0, bottom - top)
        near = [r for r in left if abs(r[1] - top) < 0.5 * h or r[1] <= top < r[2]]
        hit = max(near, key=lambda r: r[3].bbox[2]) if near else None
        prev_cell = pairs[-1][0][3].frame if pairs else None
        in_cell = (
            prev_cell is not None
            and prev_cell[1] - 1 <= top < prev_cell[3] - 0.3 * h
            and (hit is None or hit[3] is not pairs[-1][0][3])
        )
        if pairs and (
            hit is None or hit is pairs[-1][0] or in_cell or _OPEN_LINE.search(pairs[-1][1])
        ):
            pairs[-1][1] = _glue_text(pairs[-1][1], t)  # the cell goes on: one value
            continue
        if hit is None:
            return False
        pairs.append([hit, t])
    used = {id(r) for r, _ in pairs}
    targets = [r for r in left if id(r) in used]
    labelish = sum(_looks_like_label(r[0]) for r in targets)
    single = len(lines) == 1 and len(targets) == 1 and len(targets[0][0].split()) <= 3
    if not (labelish * 2 >= len(targets) or single):
        return False
    for hit, t in pairs:
        hit[0] = f"{hit[0]} {t}"
        hit[3] = block  # the row now ends in this block
    return True


_OPEN_LINE = re.compile(
    r"(?:[-–—(,/]|\b(?:bis|und|oder|für|der|die|das|des|von|vom|zum|zur|im|am|an|in|ab|mit)|\b\d{1,2}\.)$"
)


def _glue_text(a: str, b: str) -> str:
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].islower():
        return a[:-1] + b
    return f"{a} {b}"


def _looks_like_label(text: str) -> bool:
    from extractors.labels import LabelText
    from extractors.registry import FIELDS, OTHER_LABELS

    t = text.strip()
    if t.endswith(":"):
        return True
    lt = LabelText.of(t)
    if not lt.tokens or len(lt.tokens) > 6:
        return False
    return any(f.lexicon.score(lt) >= 0.4 for f in FIELDS) or OTHER_LABELS.score(lt) >= 0.5


_EMAIL_HEAD = re.compile(r"[\w.+\-]+@+[\w.\-]*$")
_DOMAIN_TAIL = re.compile(r"^[\w.\-]*[a-zA-Z]{2,6}(?=\s|$)")
_COMPLETE_DOMAIN = re.compile(r"@+(?:[\w\-]+\.)+[a-zA-Z]{2,6}$")


def dehyphen_lines(text: str) -> str:
    """Re-join words split at line ends inside a text, keeping the other line breaks.

    A syllable break joins ("Bürger-" + "service"), a compound hyphen stays ("Bürger-" +
    "App"), a suspended compound joins with a space ("Wohn-" + "und"), an e-mail address
    wrapped inside its domain joins without one; a soft hyphen always joins.
    """
    lines = re.sub(r"\u00ad(?!\n|$)", "", text).split("\n")
    out: list[str] = []
    for ln in lines:
        if out and out[-1].endswith("-") and ln.strip().split(" ", 1)[0].rstrip(".,;:") in _CONJ:
            out[-1] = f"{out[-1]} {ln.strip()}"
            continue
        if out and (m := _EMAIL_HEAD.search(out[-1])) and not _COMPLETE_DOMAIN.search(m.group(0)):
            tail = _DOMAIN_TAIL.match(ln.strip())
            if tail and _COMPLETE_DOMAIN.search(m.group(0) + tail.group(0)):
                rest = ln.strip()[tail.end() :].strip()
                out[-1] = out[-1] + tail.group(0)
                if rest:
                    out.append(rest)
                continue
        if out and (out[-1].endswith("\u00ad") or _split_word(out[-1], ln)):
            prev = out[-1]
            head = prev[:-1] if prev.endswith(("\u00ad", "-")) else prev
            word, _, rest = ln.strip().partition(" ")
            if prev.endswith("-") and (word[:1].isupper() or _address_like(prev) or "@" in word):
                head = prev  # "eckhard-" + "gerdes@…": the hyphen belongs to the address
            out[-1] = head + word
            if rest:
                out.append(rest)
            continue
        out.append(ln)
    return "\n".join(out).replace("\u00ad", "")


def _split_word(prev: str, nxt: str) -> bool:
    if not prev.endswith("-") or len(prev) < 2 or not prev[-2].isalpha():
        return False
    word = nxt.strip().split(" ", 1)[0]
    return bool(word) and word.rstrip(".,;:") not in _CONJ and word[:1].isalpha()
