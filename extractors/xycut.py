"""The XY-cut: a page's words cut recursively into leaf regions, in reading order.

Lines of different regions often share a baseline (a sidebar beside the body, a boxed
key-data panel beside prose, two columns, a label column beside a value column), so a page
read line by line interleaves them. The cut goes at whitespace rivers and ruling lines:
vertical cuts where no word crosses a gap over the whole height of the region (or along a
ruling line or a box edge), horizontal cuts at gaps clearly wider than the line spacing (or
along a rule), and a drawn box that no cut separates is split off on its own. The leaves
are the page model's blocks (``extractors.page``); the cut order is the reading order.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from extractors.lazy import lazy
from extractors.types import Shape, Word

__all__ = ["Frame", "Rules", "rules_of", "xy_cut"]

Frame = tuple[float, float, float, float]
"""(x0, top, x1, bottom) of a region."""

_MARKER = re.compile(r"[•▪◦‣·●○■–—\-*►➢❖✓]|\(?\d{1,2}[.)]|[a-h][.)]|[IVX]{1,4}\.")


@dataclass(frozen=True)
class Rules:
    """Ruling lines and box edges that separate regions even where the gap is narrow."""

    vertical: list[tuple[float, float, float]]  # (x, top, bottom)
    horizontal: list[tuple[float, float, float]]  # (y, x0, x1)
    boxes: list[tuple[float, float, float, float, int | None]]  # rects that enclose text


def rules_of(shapes: Sequence[Shape], body: float) -> Rules:
    """The page's rules: lines and boxes long enough (for the body size) to part regions."""
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
    return Rules(vertical, horizontal, boxes)


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
    frame: Frame

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


def _vertical_cut(region: _Region, rules: Rules, body: float) -> list[_Region] | None:
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


def _horizontal_cut(region: _Region, rules: Rules, body: float) -> list[_Region] | None:
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


def _box_split(region: _Region, rules: Rules) -> list[_Region] | None:
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


def _leaves(region: _Region, rules: Rules, body: float, depth: int = 0) -> list[_Region]:
    """Leaf regions in reading order."""
    if depth > 40 or len(region.words) < 2:
        return [region]
    v = _vertical_cut(region, rules, body)
    h = _horizontal_cut(region, rules, body)
    if v is None and rules.boxes:
        boxed = _box_split(region, rules)
        if boxed is not None:
            return [leaf for part in boxed for leaf in _leaves(part, rules, body, depth + 1)]
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
        out.extend(_leaves(p, rules, body, depth + 1))
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


def xy_cut(
    words: Sequence[Word], frame: Frame, rules: Rules, body: float
) -> list[tuple[Frame, list[int]]]:
    """The leaf regions of ``words`` inside ``frame`` in reading order: each its frame and
    the indices of its words (in the order the cut left them)."""
    leaves = _leaves(_Region(_geometry(words), frame), rules, body)
    return [(leaf.frame, [g[_IDX] for g in leaf.words]) for leaf in leaves]
