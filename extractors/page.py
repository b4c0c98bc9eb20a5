"""The page model: one page cut into blocks, lines and fragments, in reading order.

The blocks are the leaves of the XY-cut (``extractors.xycut``): a paragraph, a table cell,
a sidebar, a panel, a header. Inside a block, words form **lines**, and a line falls into
**fragments** at wide gaps and leader dots ("Label ...... value"): the nodes of the
key/value graph (``extractors.kv``). A cut kept with the parse (``Page.layout``) is reused,
so that a page is cut once.

Everything is pure and linear in the number of words (sorting aside): no regular
expression runs per label and segment.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from extractors.checkboxes import synthesize_checkboxes
from extractors.lazy import lazy
from extractors.types import BlockLayout, Page, PageLayout, Word
from extractors.xycut import Frame, Rules, rules_of, xy_cut

__all__ = [
    "LEADER",
    "Block",
    "Fragment",
    "Line",
    "PageModel",
    "build_page",
    "join_words",
    "page_layout",
]

LEADER = re.compile(r"(?=[.…_·-])(?:\.{3,}|…{1,}|_{3,}|·{3,}|(?:\. ){3,}\.?|-{4,})")
"""Leader dots or rules between a label and its value ("Kosten ........ 450.000 €")."""

_w_x0, _w_top, _w_x1, _w_bottom = (attrgetter(a) for a in ("x0", "top", "x1", "bottom"))


@dataclass(eq=False)
class Fragment:
    """A run of words on one line of a block without a wide gap: a label, a value, a cell."""

    words: list[Word]
    page: int
    block: Block
    line: Line
    index: int = -1  # position in the page's fragment list (reading order)

    @lazy
    def text(self) -> str:
        return join_words(self.words)

    @lazy
    def x0(self) -> float:
        return self.words[0].x0

    @lazy
    def x1(self) -> float:
        return max(map(_w_x1, self.words))

    @lazy
    def top(self) -> float:
        return min(map(_w_top, self.words))

    @lazy
    def bottom(self) -> float:
        return max(map(_w_bottom, self.words))

    @lazy
    def size(self) -> float:
        sizes = [w.size for w in self.words if w.size > 0]
        return statistics.median(sizes) if sizes else 0.0

    @lazy
    def bold(self) -> bool:
        return sum(len(w.text) for w in self.words if w.bold) * 2 > len(self.text)

    @lazy
    def color(self) -> int:
        return Counter(w.color for w in self.words).most_common(1)[0][0]

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1))

    @lazy
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)

    @property
    def form_field(self) -> str | None:
        return self.words[0].field if self.words[0].origin == "form" else None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Fragment p{self.page} {self.box} {self.text!r}>"


@dataclass(eq=False)
class Line:
    """Words of one block on one baseline, split into fragments."""

    words: list[Word]
    fragments: list[Fragment] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(map(_w_top, self.words))

    @property
    def bottom(self) -> float:
        return max(map(_w_bottom, self.words))

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(map(_w_x1, self.words))

    @lazy
    def text(self) -> str:
        return join_words(self.words)


@dataclass(eq=False)
class Block:
    """A leaf region of the XY-cut: its frame (the cut rectangle) and its lines."""

    page: int
    frame: Frame
    lines: list[Line] = field(default_factory=list)
    role: str = "body"  # body | header | footer | running | pageno
    boxed: bool = False  # enclosed by a rectangle or ruling lines on all sides
    fill: int | None = None  # background colour of an enclosing filled rectangle
    index: int = -1
    col_right: float = 0.0  # right edge of the text column the block starts in

    @property
    def words(self) -> list[Word]:
        return [w for ln in self.lines for w in ln.words]

    @lazy
    def bbox(self) -> tuple[float, float, float, float]:
        ws = self.words
        return (
            min(map(_w_x0, ws)),
            min(map(_w_top, ws)),
            max(map(_w_x1, ws)),
            max(map(_w_bottom, ws)),
        )

    @lazy
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


def join_words(words: Sequence[Word]) -> str:
    """Words joined with single spaces (NNBSP inside numbers stays)."""
    return " ".join(w.text for w in words)


# --------------------------------------------------------------------------- lines


_by_top_x0 = attrgetter("top", "x0")
_by_x0 = attrgetter("x0")


def _lines(words: list[Word]) -> list[list[Word]]:
    """Group the words of a block into lines: vertical overlap with the line's core."""
    ordered = sorted(words, key=_by_top_x0)
    rows: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for w in ordered:
        h = w.bottom - w.top
        placed = False
        for k in range(len(rows) - 1, max(-1, len(rows) - 3), -1):
            top, bottom = spans[k]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.5 * min(h, bottom - top):
                rows[k].append(w)
                spans[k] = (min(top, w.top), max(bottom, w.bottom))
                placed = True
                break
        if not placed:
            rows.append([w])
            spans.append((w.top, w.bottom))
    for r in rows:
        r.sort(key=_by_x0)
    return rows


def _merge_dot_runs(words: list[Word]) -> list[Word]:
    """TeX-style leaders ". . . . ." are separate one-dot words: make them one leader."""
    out: list[Word] = []
    run: list[Word] = []
    for w in [*words, None]:
        if w is not None and w.text in (".", "·", "…"):
            run.append(w)
            continue
        if len(run) >= 3:
            out.append(run[0].model_copy(update={"text": "....", "x1": run[-1].x1}))
        else:
            out.extend(run)
        run = []
        if w is not None:
            out.append(w)
    return out


def _fragments(words: list[Word]) -> list[list[Word]]:
    """Split a line at wide gaps and at leader dots (leaders themselves are dropped).

    A gap splits only when it is wide for the font *and* clearly wider than the line's
    other gaps: a justified line stretches all its gaps alike and stays one fragment.
    """
    texts = [w.text for w in words]
    # most lines have no leader at all: one search over the line instead of two per word
    leaders = LEADER.search(" ".join(texts)) is not None
    if leaders or "." in texts or "·" in texts or "…" in texts:
        words = _merge_dot_runs(words)
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(words)]
    ordinary = sorted(g for g in gaps if g > 0)
    typical = ordinary[len(ordinary) // 2] if ordinary else 0.0
    out: list[list[Word]] = [[]]
    prev: Word | None = None
    for w in words:
        m = LEADER.search(w.text) if leaders else None
        if m and m.start() == 0 and m.end() == len(w.text):  # the word is a leader
            if out[-1]:
                out.append([])
            prev = None
            continue
        if m:
            # "Kosten......450.000" glued to its leader: split the word at the dots
            head, tail = w.text[: m.start()], w.text[m.end() :]
            if head:
                out[-1].append(w.model_copy(update={"text": head}))
            if out[-1]:
                out.append([])
            if tail:
                out[-1].append(w.model_copy(update={"text": tail}))
            prev = w
            continue
        if prev is not None:
            size = max(prev.size, w.size, 1.0)
            gap = w.x0 - prev.x1
            wide = gap > max(9.0, 1.4 * size) and (len(words) <= 3 or gap > 2.2 * typical)
            if (
                wide
                or gap > max(30.0, 3.5 * size)
                or (gap > 0.6 * size and (w.origin == "form") != (prev.origin == "form"))
            ):
                out.append([])
        out[-1].append(w)
        prev = w
    return [f for f in out if f]


# --------------------------------------------------------------------------- pages


@dataclass(eq=False)
class PageModel:
    """One page: blocks in reading order, their fragments, and lookup helpers."""

    page: Page
    blocks: list[Block]
    body_size: float
    words: list[Word] = field(default_factory=list)  # the layout words the cut indexes

    @lazy
    def fragments(self) -> list[Fragment]:
        out = [f for b in self.blocks for ln in b.lines for f in ln.fragments]
        for i, f in enumerate(out):
            f.index = i
        return out

    @lazy
    def _by_top(self) -> tuple[list[float], list[Fragment]]:
        frs = sorted(self.fragments, key=lambda f: f.top)
        return [f.top for f in frs], frs

    def band(self, top: float, bottom: float) -> list[Fragment]:
        """Fragments whose top lies in [top, bottom] (a window of the page, by bisection)."""
        tops, frs = self._by_top
        return frs[bisect.bisect_left(tops, top) : bisect.bisect_right(tops, bottom)]

    @lazy
    def body_fragments(self) -> list[Fragment]:
        """Fragments outside running heads, feet and page numbers."""
        return [f for f in self.fragments if f.block.role not in ("running", "pageno")]

    @lazy
    def body_bottom(self) -> float:
        """Where the page's body text ends (0 on a page without body text)."""
        return max((f.top for f in self.body_fragments), default=0.0)

    @lazy
    def body_start(self) -> Fragment | None:
        """The first body fragment from the top (left first on one height)."""
        return min(self.body_fragments, key=lambda g: (g.top, g.x0), default=None)

    def right_of(self, frag: Fragment, *, max_gap: float | None = None) -> list[Fragment]:
        """Fragments to the right on the same row band, nearest first."""
        tops, frs = self._by_top
        h = frag.height
        lo = bisect.bisect_left(tops, frag.top - 1.5 * h)
        hi = bisect.bisect_right(tops, frag.bottom)
        limit = max_gap if max_gap is not None else self.page.width
        out = []
        for g in frs[lo:hi]:
            if g is frag or g.x0 < frag.x1 - 1.0 or g.x0 - frag.x1 > limit:
                continue
            overlap = min(frag.bottom, g.bottom) - max(frag.top, g.top)
            if overlap >= 0.45 * min(h, g.height):
                out.append(g)
        out.sort(key=lambda g: g.x0)
        return out

    def below(self, frag: Fragment, *, max_dist: float) -> list[Fragment]:
        """Fragments below that overlap the fragment's x range, nearest first."""
        tops, frs = self._by_top
        lo = bisect.bisect_left(tops, frag.bottom - 0.3 * frag.height)
        hi = bisect.bisect_right(tops, frag.bottom + max_dist)
        out = []
        for g in frs[lo:hi]:
            if g is frag or g.top < frag.bottom - 0.3 * frag.height:
                continue
            if min(frag.x1, g.x1) - max(frag.x0, g.x0) > 0 or abs(g.x0 - frag.x0) < 3.0:
                out.append(g)
        out.sort(key=lambda g: (g.top, g.x0))
        return out

    def above(self, frag: Fragment, *, max_dist: float) -> list[Fragment]:
        """Fragments above that overlap the fragment's x range, nearest first."""
        tops, frs = self._by_top
        lo = bisect.bisect_left(tops, frag.top - max_dist - 3 * frag.height)
        hi = bisect.bisect_left(tops, frag.top)
        out = []
        for g in frs[lo:hi]:
            if g is frag or g.bottom > frag.top + 0.3 * frag.height:
                continue
            if frag.top - g.bottom > max_dist:
                continue
            if min(frag.x1, g.x1) - max(frag.x0, g.x0) > 0 or abs(g.x0 - frag.x0) < 3.0:
                out.append(g)
        out.sort(key=lambda g: (-g.bottom, g.x0))
        return out


def _median_size(words: Sequence[Word]) -> float:
    sizes = [w.size if w.size > 0 else (w.bottom - w.top) for w in words]
    return statistics.median(sizes) if sizes else 10.0


def build_page(page: Page, *, body_size: float | None = None) -> PageModel:
    """Cut one page into blocks, lines and fragments (reading order); vector check boxes
    become ☒/☐ words first (``extractors.checkboxes``). A cut kept from the parse
    (``Page.layout``) is used as it is."""
    body0 = body_size or _median_size(page.words) if page.words else 10.0
    words = [w for w in synthesize_checkboxes(page, body0) if w.text.strip()]
    if not words:
        return PageModel(page=page, blocks=[], body_size=body_size or 10.0)
    body = body_size or _median_size(words)
    rules = rules_of(page.shapes, body)
    blocks: list[Block] = []
    for frame, rows, kept in _cut(page, words, rules, body):
        block = Block(page=page.number, frame=frame)
        for k, row in enumerate(rows):
            line = Line(words=row)
            spans = kept[k] if kept and k < len(kept) else None
            line.fragments = [
                Fragment(words=ws, page=page.number, block=block, line=line)
                for ws in (
                    [row[spans[i] : spans[i + 1]] for i in range(0, len(spans), 2)]
                    if spans
                    else _fragments(row)
                )
            ]
            if line.fragments:
                block.lines.append(line)
        if not block.lines:
            continue
        _frame_style(block, rules)
        block.index = len(blocks)
        blocks.append(block)
    _column_rights(blocks)
    return PageModel(page=page, blocks=blocks, body_size=body, words=words)


# per block: its frame, its lines, and per line the fragments as [start, end, …] word
# ranges (None: cut the line into fragments again)
_Cut = list[tuple[Frame, list[list[Word]], list[list[int]] | None]]


def _cut(page: Page, words: list[Word], rules: Rules, body: float) -> _Cut:
    """The page's leaf regions with their lines: kept from the parse when it fits."""
    layout = page.layout
    n = len(words)
    if layout is not None and layout.words == n:
        try:
            return [
                (b.frame, [[words[i] for i in ln] for ln in b.lines], b.fragments or None)
                for b in layout.blocks
            ]
        except IndexError:
            pass  # a layout from another word list: cut again
    frame = (0.0, 0.0, page.width, page.height)
    leaves = xy_cut(words, frame, rules, body)
    return [(leaf, _lines([words[i] for i in idx]), None) for leaf, idx in leaves]


def page_layout(pm: PageModel) -> PageLayout:
    """The cut of a built page, to keep with the parse (see ``PageLayout``)."""
    index = {id(w): i for i, w in enumerate(pm.words)}
    return PageLayout(
        words=len(pm.words),
        blocks=[
            BlockLayout(
                frame=b.frame,
                lines=[[index[id(w)] for w in ln.words] for ln in b.lines],
                fragments=[_fragment_spans(ln) for ln in b.lines],
            )
            for b in pm.blocks
        ],
    )


def _fragment_spans(line: Line) -> list[int]:
    """A line's fragments as [start, end, …] ranges of its words, or [] when a fragment
    holds words the line does not (leader dots merged, a word split at its leader)."""
    at = {id(w): i for i, w in enumerate(line.words)}
    out: list[int] = []
    for f in line.fragments:
        start = at.get(id(f.words[0]))
        if start is None or [id(w) for w in line.words[start : start + len(f.words)]] != [
            id(w) for w in f.words
        ]:
            return []
        out += (start, start + len(f.words))
    return out


def _column_rights(blocks: list[Block]) -> None:
    """The right edge of each block's text column: the widest line of any block that starts
    at the same left edge (a short list in a table column is not a wrapped paragraph)."""
    edges = [(b.bbox[0], b.bbox[2]) for b in blocks]
    for b, (x0, x1) in zip(blocks, edges, strict=True):
        b.col_right = max([r for left, r in edges if abs(left - x0) < 3.0] + [x1])


def _frame_style(block: Block, rules: Rules) -> None:
    """Is the block inside a drawn box, and on which background colour?"""
    x0, top, x1, bottom = block.bbox
    best: tuple[float, int | None] | None = None
    for bx0, btop, bx1, bbottom, fill in rules.boxes:
        if bx0 - 1 <= x0 and bx1 + 1 >= x1 and btop - 1 <= top and bbottom + 1 >= bottom:
            area = (bx1 - bx0) * (bbottom - btop)
            if best is None or area < best[0]:
                best = (area, fill)
    if best is not None:
        block.boxed = True
        block.fill = best[1]
