"""The document model: pages cut into regions, lines and fragments, in reading order.

Why a model of the page and not line-by-line text: on real sketches, lines of different
regions share a baseline (a sidebar beside the body, a boxed key-data panel beside prose,
two columns, a label column beside a value column), so reading a page line by line
interleaves them. Here every page is cut recursively at whitespace rivers and ruling lines
(an XY-cut): vertical cuts where no word crosses a gap over the whole height of the region
(or along a ruling line or a box edge), horizontal cuts at gaps clearly wider than the line
spacing (or along a rule). The leaves are **blocks** (a paragraph, a table cell, a sidebar,
a panel, a header); the cut order is the reading order. Inside a block, words form
**lines**, and a line falls into **fragments** at wide gaps and leader dots ("Label ......
value"): the nodes of the key/value graph (``extractors.kv``).

Running headers and footers (the same text, digits masked, at the top or bottom of most
pages) and bare page numbers are recognised here; page 1 keeps its header and footer,
because some layouts print contact data only there.

Everything is pure and linear in the number of words (sorting aside): no regular
expression runs per label and segment.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar, overload

from extractors.checkboxes import synthesize_checkboxes
from extractors.types import BlockLayout, Page, PageLayout, ParsedDocument, Shape, Word

__all__ = [
    "Block",
    "DocModel",
    "Fragment",
    "Line",
    "PageModel",
    "build_page",
    "dehyphenate",
    "page_layout",
    "parse_time_pages",
    "reading_texts",
]

_LEADER = re.compile(r"(?=[.…_·-])(?:\.{3,}|…{1,}|_{3,}|·{3,}|(?:\. ){3,}\.?|-{4,})")
_PAGE_NO = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:Seite|S\.|Page|Blatt)\s*\d{1,4}(?:\s*(?:von|/|of|aus)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:/|von)\s*\d{1,4}|\d{1,3})\s*$",
    re.IGNORECASE,
)
_PAGE_NO_PART = re.compile(
    r"\s*(?:[-–—|·,]\s*)?(?:Seite|S\.|Page|Blatt)\s*\d{1,4}(?:\s*(?:von|/|of|aus)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
_MARKER = re.compile(r"[•▪◦‣·●○■–—\-*►➢❖✓]|\(?\d{1,2}[.)]|[a-h][.)]|[IVX]{1,4}\.")


_T = TypeVar("_T")


class lazy(Generic[_T]):
    """``functools.cached_property`` without its lock (Python 3.11 takes an RLock on every
    first access: a tenth of the extraction time for the thousands of fragments)."""

    def __init__(self, fn: Callable[[Any], _T]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, cls: type | None = None) -> lazy[_T]: ...
    @overload
    def __get__(self, obj: object, cls: type | None = None) -> _T: ...
    def __get__(self, obj: object | None, cls: type | None = None) -> Any:
        if obj is None:
            return self
        value = self.fn(obj)
        obj.__dict__[self.name] = value
        return value


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
    frame: tuple[float, float, float, float]
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


# --------------------------------------------------------------------------- XY-cut


@dataclass(frozen=True)
class _Rules:
    """Ruling lines and box edges that separate regions even where the gap is narrow."""

    vertical: list[tuple[float, float, float]]  # (x, top, bottom)
    horizontal: list[tuple[float, float, float]]  # (y, x0, x1)
    boxes: list[tuple[float, float, float, float, int | None]]  # rects that enclose text


def _rules(shapes: Sequence[Shape], body: float) -> _Rules:
    vertical: list[tuple[float, float, float]] = []
    horizontal: list[tuple[float, float, float]] = []
    boxes: list[tuple[float, float, float, float, int | None]] = []
    min_len = 2.5 * body
    for s in shapes:
        w, h = s.x1 - s.x0, s.bottom - s.top
        if s.kind == "hline" and w >= min_len:
            horizontal.append(((s.top + s.bottom) / 2, s.x0, s.x1))
        elif s.kind == "vline" and h >= min_len:
            vertical.append(((s.x0 + s.x1) / 2, s.top, s.bottom))
        elif s.kind == "rect" and (w >= min_len or h >= min_len) and min(w, h) >= 0.8 * body:
            boxes.append((s.x0, s.top, s.x1, s.bottom, s.fill))
            if s.stroke or (s.fill is not None and s.fill != 0xFFFFFF):
                if h >= min_len:
                    vertical.extend(((s.x0, s.top, s.bottom), (s.x1, s.top, s.bottom)))
                if w >= min_len:
                    horizontal.extend(((s.top, s.x0, s.x1), (s.bottom, s.x0, s.x1)))
    return _Rules(vertical, horizontal, boxes)


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty stretches between the union of ``intervals`` (sorted by start)."""
    out: list[tuple[float, float]] = []
    intervals.sort()
    reach = intervals[0][1]
    for a, b in intervals[1:]:
        if a > reach:
            out.append((reach, a))
        if b > reach:
            reach = b
    return out


# The cut works on plain tuples, not on ``Word`` models: it visits every word at every
# level of the recursion, and tuple indexing is several times cheaper than attributes.
_X0, _TOP, _X1, _BOTTOM, _MX, _MY, _SIZE, _MARK, _IDX = range(9)
_G = tuple  # (x0, top, x1, bottom, mid x, mid y, font size or height, is a marker, index)


def _geometry(words: Sequence[Word]) -> list[_G]:
    return [
        (
            w.x0,
            w.top,
            w.x1,
            w.bottom,
            (w.x0 + w.x1) / 2,
            (w.top + w.bottom) / 2,
            w.size if w.size > 0 else w.bottom - w.top,
            len(w.text) <= 5 and _MARKER.fullmatch(w.text) is not None,  # markers are short
            i,
        )
        for i, w in enumerate(words)
    ]


@dataclass
class _Region:
    words: list[_G]
    frame: tuple[float, float, float, float]

    @lazy
    def bbox(self) -> tuple[float, float, float, float]:
        ws = self.words
        return (
            min(map(_get_x0, ws)),
            min(map(_get_top, ws)),
            max(map(_get_x1, ws)),
            max(map(_get_bottom, ws)),
        )


_get_x0, _get_top, _get_x1, _get_bottom = (itemgetter(i) for i in (_X0, _TOP, _X1, _BOTTOM))
_get_my, _get_size, _get_idx = itemgetter(_MY), itemgetter(_SIZE), itemgetter(_IDX)


def _median_size(words: Sequence[Word]) -> float:
    sizes = [w.size if w.size > 0 else (w.bottom - w.top) for w in words]
    return statistics.median(sizes) if sizes else 10.0


def _vertical_cut(region: _Region, rules: _Rules, body: float) -> list[_Region] | None:
    ws = region.words
    if len(ws) < 2:
        return None
    _x0, top, _x1, bottom = region.bbox
    height = bottom - top
    size = statistics.median(map(_get_size, ws))
    min_gap = max(6.5, 0.75 * size)
    cuts: list[float] = []
    x1s: list[float] | None = None
    all_markers: list[bool] = []
    for a, b in _gaps([(g[_X0], g[_X1]) for g in ws]):
        if b - a >= min_gap:
            if x1s is None:
                pairs = sorted((g[_X1], g[_MARK]) for g in ws)
                x1s = [p[0] for p in pairs]
                run = True
                for _x, mk in pairs:
                    run = run and mk
                    all_markers.append(run)
            k = bisect.bisect_right(x1s, a + 0.5)
            if 0 < k < len(ws) and all_markers[k - 1]:
                continue  # a column of bullets or item numbers belongs to its list
            cuts.append((a + b) / 2)
        else:
            # a narrow gap is a cut when a ruling line runs down it over the region
            for x, rt, rb in rules.vertical:
                if (
                    a - 1.5 <= x <= b + 1.5
                    and rt <= top + 0.25 * height
                    and rb >= bottom - 0.25 * height
                ):
                    cuts.append(x)
                    break
    if not cuts:
        return None
    return _split(region, cuts, axis=_MX)


def _horizontal_cut(region: _Region, rules: _Rules, body: float) -> list[_Region] | None:
    ws = region.words
    if len(ws) < 2:
        return None
    x0, _top, x1, _bottom = region.bbox
    width = x1 - x0
    heights = sorted([g[_BOTTOM] - g[_TOP] for g in ws])
    line_h = heights[len(heights) // 2]
    min_gap = max(0.9 * line_h, 0.6 * body)
    cuts: list[float] = []
    for a, b in _gaps([(g[_TOP], g[_BOTTOM]) for g in ws]):
        if b - a >= min_gap:
            cuts.append((a + b) / 2)
            continue
        for y, rx0, rx1 in rules.horizontal:
            if a - 1.5 <= y <= b + 1.5 and rx0 <= x0 + 0.2 * width and rx1 >= x1 - 0.2 * width:
                cuts.append(y)
                break
    if not cuts:
        return None
    return _split(region, cuts, axis=_MY)


def _split(region: _Region, cuts: list[float], *, axis: int) -> list[_Region]:
    cuts = sorted(set(cuts))
    parts: list[list[_G]] = [[] for _ in range(len(cuts) + 1)]
    bl = bisect.bisect_left
    for g in region.words:
        parts[bl(cuts, g[axis])].append(g)
    fx0, ftop, fx1, fbottom = region.frame
    edges = [fx0 if axis == _MX else ftop, *cuts, fx1 if axis == _MX else fbottom]
    out: list[_Region] = []
    for i, ws in enumerate(parts):
        if not ws:
            continue
        lo, hi = edges[i], edges[i + 1]
        frame = (lo, ftop, hi, fbottom) if axis == _MX else (fx0, lo, fx1, hi)
        out.append(_Region(ws, frame))
    return out


def _box_split(region: _Region, rules: _Rules) -> list[_Region] | None:
    """A drawn box (a panel, a shaded sidebar) inside a region that no cut separates: the
    box's words become a region of their own, read after the words above it."""
    ws = region.words
    fx0, ftop, fx1, fbottom = region.frame
    rx0, rtop, rx1, rbottom = region.bbox
    best = None
    by_y: list[_G] | None = None
    mys: list[float] = []
    max_h = 0.0
    for bx0, btop, bx1, bbottom, _fill in rules.boxes:
        if bx0 < fx0 - 2 or bx1 > fx1 + 2 or btop < ftop - 2 or bbottom > fbottom + 2:
            continue
        if bx1 + 1 < rx0 or bx0 - 1 > rx1 or bbottom + 1 < rtop or btop - 1 > rbottom:
            continue  # no word inside
        if bx0 - 1 <= rx0 and bx1 + 1 >= rx1 and btop - 1 <= rtop and bbottom + 1 >= rbottom:
            continue  # every word inside: nothing to split off
        if by_y is None:
            by_y = sorted(ws, key=_get_my)
            mys = [g[_MY] for g in by_y]
            max_h = max(g[_BOTTOM] - g[_TOP] for g in ws) / 2 + 0.01
        lo = bisect.bisect_left(mys, btop - 1)
        hi = bisect.bisect_right(mys, bbottom + 1)
        if hi - lo < 3:
            continue
        inside = [g for g in by_y[lo:hi] if bx0 - 1 <= g[_MX] <= bx1 + 1]
        inside.sort(key=_get_idx)
        if len(inside) < 3 or len(inside) >= len(ws) - 1:
            continue
        # the box must not cut words of the rest in half
        ids = {g[_IDX] for g in inside}
        near = by_y[
            bisect.bisect_left(mys, btop - max_h) : bisect.bisect_right(mys, bbottom + max_h)
        ]
        if any(
            g[_IDX] not in ids
            and g[_X0] < bx1
            and g[_X1] > bx0
            and g[_TOP] < bbottom
            and g[_BOTTOM] > btop
            for g in near
        ):
            continue
        if best is None or len(inside) > len(best[1]):
            best = ((bx0, btop, bx1, bbottom), inside)
    if best is None:
        return None
    box, inside = best
    ids = {g[_IDX] for g in inside}
    rest = [g for g in ws if g[_IDX] not in ids]
    above = [g for g in rest if g[_MY] < box[1]]
    other = [g for g in rest if g[_MY] >= box[1]]
    out = []
    if above:
        out.append(_Region(above, (fx0, ftop, fx1, box[1])))
    out.append(_Region(inside, box))
    if other:
        out.append(_Region(other, (fx0, box[1], fx1, fbottom)))
    return out


def _xy_cut(region: _Region, rules: _Rules, body: float, depth: int = 0) -> list[_Region]:
    """Leaf regions in reading order."""
    if depth > 40 or len(region.words) < 2:
        return [region]
    v = _vertical_cut(region, rules, body)
    h = _horizontal_cut(region, rules, body)
    if v is None and rules.boxes:
        boxed = _box_split(region, rules)
        if boxed is not None:
            return [leaf for part in boxed for leaf in _xy_cut(part, rules, body, depth + 1)]
    if v is None and h is None:
        return [region]
    if v is not None and h is not None:
        # the larger separation first: a gutter beats a paragraph gap, a section gap beats
        # an accidental alignment of two short lines
        parts = v if _strength(v, "x", body) >= _strength(h, "y", body) else h
    else:
        parts = v or h  # type: ignore[assignment]
    if len(parts) == 1:
        return [region]
    out: list[_Region] = []
    for p in parts:
        out.extend(_xy_cut(p, rules, body, depth + 1))
    return out


def _strength(parts: list[_Region], axis: str, body: float) -> float:
    gaps = []
    for a, b in itertools.pairwise(parts):
        if axis == "x":
            gaps.append(b.bbox[0] - a.bbox[2])
        else:
            gaps.append(b.bbox[1] - a.bbox[3])
    widest = max(gaps) if gaps else 0.0
    return widest / (1.0 * body) if axis == "x" else widest / (1.2 * body)


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
    leaders = _LEADER.search(" ".join(texts)) is not None
    if leaders or "." in texts or "·" in texts or "…" in texts:
        words = _merge_dot_runs(words)
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(words)]
    ordinary = sorted(g for g in gaps if g > 0)
    typical = ordinary[len(ordinary) // 2] if ordinary else 0.0
    out: list[list[Word]] = [[]]
    prev: Word | None = None
    for w in words:
        m = _LEADER.search(w.text) if leaders else None
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


def build_page(page: Page, *, body_size: float | None = None) -> PageModel:
    """Cut one page into blocks, lines and fragments (reading order); vector check boxes
    become ☒/☐ words first (``extractors.checkboxes``). A cut kept from the parse
    (``Page.layout``) is used as it is."""
    body0 = body_size or _median_size(page.words) if page.words else 10.0
    words = [w for w in synthesize_checkboxes(page, body0) if w.text.strip()]
    if not words:
        return PageModel(page=page, blocks=[], body_size=body_size or 10.0)
    body = body_size or _median_size(words)
    rules = _rules(page.shapes, body)
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
_Cut = list[tuple[tuple[float, float, float, float], list[list[Word]], list[list[int]] | None]]


def _cut(page: Page, words: list[Word], rules: _Rules, body: float) -> _Cut:
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
    leaves = _xy_cut(_Region(_geometry(words), frame), rules, body)
    return [(leaf.frame, _lines([words[g[_IDX]] for g in leaf.words]), None) for leaf in leaves]


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


def _frame_style(block: Block, rules: _Rules) -> None:
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


# --------------------------------------------------------------------------- document


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().casefold())


def _mark_running(pages: list[PageModel]) -> None:
    """Running headers/footers (same text, digits masked, at about the same height on
    ≥ 60 % of the pages, at the page edge) and bare page numbers."""
    n = len(pages)
    edge_blocks: list[list[tuple[Block, str]]] = []
    counts: Counter[str] = Counter()
    for pm in pages:
        h = pm.page.height
        found = []
        edge_ids = {id(pm.blocks[0]), id(pm.blocks[-1])} if pm.blocks else set()
        for b in pm.blocks:
            _x0, top, _x1, bottom = b.bbox
            if bottom <= 0.12 * h or top >= 0.88 * h or (id(b) in edge_ids and len(b.lines) <= 2):
                band = round(top / h * 40)
                found.append((b, f"{band}|{_signature(b.text)}"))
        edge_blocks.append(found)
        counts.update({sig for _, sig in found})
    threshold = max(2, int(0.6 * n + 0.999))
    for pm, found in zip(pages, edge_blocks, strict=True):
        for b, sig in found:
            if _PAGE_NO.match(b.text) and len(b.lines) == 1:
                b.role = "pageno"
            elif n >= 2 and counts[sig] >= threshold:
                b.role = "running"
            else:
                b.role = "header" if b.bbox[3] <= 0.12 * pm.page.height else "footer"


_TOC_HEAD = re.compile(r"(?:Inhaltsverzeichnis|Inhalt|Inhaltsübersicht|Gliederung)", re.IGNORECASE)
_NOT_TOC_LINE = re.compile(r"^.{91,}$|[^.\d]\.$|:\s+\S|[@€]|\d{4,}")
"""Lines a table of contents does not have: prose, a sentence end, "label: value", money."""


def _toc_line(raw: str) -> bool:
    if re.search(rf"(?:{_LEADER.pattern})\s*[^\d\s.…_·-]", raw):
        return False  # "Antragstellerkommune ....... Samtgemeinde X": a label and its value
    if _NOT_TOC_LINE.search(_LEADER.sub(" ", raw).strip()):
        return False
    # an entry has leaders to its page number or starts with its section number; an
    # address block after the contents ("Kreishausplatz 2", "04860 Torgau") has neither
    return bool(_LEADER.search(raw) or _TOC_NUMBERED.match(raw))


_TOC_NUMBERED = re.compile(r"\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-H]\.|[IVX]{1,4}\.)\s+\S")


def _mark_toc(pages: list[PageModel]) -> None:
    """A table of contents ("2.2.1 Einwohnerstand …… 1") names the fields but holds page
    numbers: its blocks, from the heading "Inhaltsverzeichnis" on, are not read."""
    for pm in pages[:3]:
        start = next(
            (
                i
                for i, b in enumerate(pm.blocks)
                if any(_TOC_HEAD.fullmatch(ln.text.strip()) for ln in b.lines)
            ),
            None,
        )
        if start is None:
            continue
        for b in pm.blocks[start:]:
            lines = [ln.text for ln in b.lines if not _TOC_HEAD.fullmatch(ln.text.strip())]
            if lines and sum(_toc_line(t) for t in lines) < 0.6 * len(lines):
                break
            b.role = "toc"


_SOFT_END = ("\u00ad",)
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


class DocModel:
    """All pages of a document cut into blocks; texts and lookups shared by extractors."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        sizes = [w.size for p in doc.pages for w in p.words if w.size > 0]
        body = statistics.median(sizes) if sizes else None
        self.pages: list[PageModel] = [build_page(p, body_size=body) for p in doc.pages]
        self.body_size = body or 10.0
        _mark_running(self.pages)
        _mark_toc(self.pages)

    def blocks(self, *, include_running: bool = False) -> Iterable[Block]:
        for pm in self.pages:
            for b in pm.blocks:
                if b.role in ("pageno", "toc"):
                    continue
                if b.role == "running" and pm.page.number > 1 and not include_running:
                    continue
                yield b

    @lazy
    def fragments(self) -> list[Fragment]:
        """Every fragment of every page in reading order (running blocks of page 1 only)."""
        return [f for b in self.blocks() for ln in b.lines for f in ln.fragments]

    def page(self, number: int) -> PageModel:
        return self.pages[number - 1]

    @lazy
    def prose(self) -> tuple[str, list[Span]]:
        """Running text of the whole document: block by block, lines joined and hyphenation
        repaired, blocks separated by newlines; with spans back to the fragments."""
        parts: list[str] = []
        spans: list[Span] = []
        pos = 0
        for b in self.blocks():
            text, local = _block_prose(b)
            for s in local:
                spans.append(Span(s.start + pos, s.end + pos, s.fragment))
            parts.append(text)
            pos += len(text) + 1
        return "\n".join(parts), spans

    @lazy
    def _span_starts(self) -> list[int]:
        return [s.start for s in self.prose[1]]

    def locate(self, start: int, end: int) -> list[Fragment]:
        """Fragments that the prose range [start, end) was read from."""
        _, spans = self.prose
        starts = self._span_starts
        i = max(0, bisect.bisect_right(starts, start) - 1)
        out: list[Fragment] = []
        while i < len(spans) and spans[i].start < end:
            if spans[i].end > start and spans[i].fragment not in out:
                out.append(spans[i].fragment)
            i += 1
        return out


def _block_prose(block: Block) -> tuple[str, list[Span]]:
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


def parse_time_pages(doc: ParsedDocument) -> list[Page]:
    """The parser's pages completed with what the document model computes once: the
    reading-order text and the cut (``Page.text``, ``Page.layout``)."""
    model = DocModel(doc)
    texts = reading_texts(model)
    return [
        pm.page.model_copy(update={"text": t, "layout": page_layout(pm)})
        for pm, t in zip(model.pages, texts, strict=True)
    ]


def reading_texts(model: DocModel) -> list[str]:
    """Reading-order text per page (what ``Page.text`` holds): lines in reading order, a
    label and its value on one line, running headers/footers and page numbers removed
    after page 1, hyphenation repaired."""
    pages_rows: list[list[list[Any]]] = []
    for pm in model.pages:
        rows: list[list[Any]] = []  # [text, top, bottom, block]
        for b in pm.blocks:
            if b.role == "pageno" or (b.role == "running" and pm.page.number > 1):
                continue
            lines = [(" ".join(f.text for f in ln.fragments), ln.top, ln.bottom) for ln in b.lines]
            if b.role in ("running", "header", "footer"):
                lines = [
                    (t, top, bot) for ln, top, bot in lines if (t := _PAGE_NO_PART.sub("", ln))
                ]
            if rows and _zip_rows(rows, b, lines):
                continue
            rows.extend([t, top, bot, b] for t, top, bot in lines)
        pages_rows.append(rows)
    _drop_running_lines(model, pages_rows)
    return [dehyphen_lines("\n".join(r[0] for r in rows)) for rows in pages_rows]


def _drop_running_lines(model: DocModel, pages_rows: list[list[list[Any]]]) -> None:
    """A header or footer line that shares its block with body text: the same line (digits
    masked) at about the same height as the first or last line of most pages."""
    n = len(pages_rows)
    if n < 2:
        return
    counts: Counter[str] = Counter()
    keys: list[list[tuple[int, str]]] = []
    for pm, rows in zip(model.pages, pages_rows, strict=True):
        h = pm.page.height or 1.0
        mine = []
        for i in (*range(min(2, len(rows))), *range(max(2, len(rows) - 2), len(rows))):
            r = rows[i]
            mine.append((i, f"{round(r[1] / h * 40)}|{_signature(_PAGE_NO_PART.sub('', r[0]))}"))
        keys.append(mine)
        counts.update({k for _, k in mine})
    threshold = max(2, int(0.6 * n + 0.999))
    for p, (rows, mine) in enumerate(zip(pages_rows, keys, strict=True)):
        drop = {i for i, k in mine if counts[k] >= threshold and k.split("|", 1)[1]}
        if p > 0 and drop:
            rows[:] = [r for i, r in enumerate(rows) if i not in drop]
        elif p == 0:
            for i in drop:
                rows[i][0] = _PAGE_NO_PART.sub("", rows[i][0])


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
