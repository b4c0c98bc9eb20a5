"""Check boxes drawn as vectors become ☒/☐ words, so every layout's boxes read the same.

Producers draw topic-field check boxes in many ways: ☒/☐ glyphs (already text), an "X"
character placed inside a drawn square, a tick drawn as a path inside a square, or a tick
drawn with no square at all. Here each small square of the page becomes a "☒" word when a
mark (an X-like character or a path) lies inside it, else "☐"; a lone tick path just left
of a line of text becomes "☒". The X character that marked the box is consumed.
"""

from __future__ import annotations

from extractors.types import Page, Shape, Word

_MARKS = frozenset("XxX✓✔✗✘×☓⨯")
_GLYPH_BOXES = frozenset("☐☒☑□■")


def _is_square(s: Shape, body: float) -> bool:
    w, h = s.x1 - s.x0, s.bottom - s.top
    return (
        s.kind in ("rect", "curve")
        and 3.5 <= w <= max(20.0, 2.2 * body)
        and 0.7 <= w / max(h, 0.1) <= 1.4
    )


def _inside(x: float, y: float, s: Shape, pad: float = 0.5) -> bool:
    return s.x0 - pad <= x <= s.x1 + pad and s.top - pad <= y <= s.bottom + pad


def _squares_from_lines(shapes: list[Shape], body: float) -> list[Shape]:
    """Small squares drawn as four separate lines (table-cell style borders)."""
    hl = [s for s in shapes if s.kind == "hline" and 3.5 <= s.x1 - s.x0 <= 2.2 * body]
    vl = [s for s in shapes if s.kind == "vline" and 3.5 <= s.bottom - s.top <= 2.2 * body]
    out: list[Shape] = []
    for top in hl:
        for bottom in hl:
            if bottom is top or not (2.5 <= bottom.top - top.top <= 2.2 * body):
                continue
            if abs(bottom.x0 - top.x0) > 1.0 or abs(bottom.x1 - top.x1) > 1.0:
                continue
            sides = [
                v
                for v in vl
                if abs(v.top - top.top) <= 1.5
                and abs(v.bottom - bottom.top) <= 1.5
                and (abs(v.x0 - top.x0) <= 1.5 or abs(v.x1 - top.x1) <= 1.5)
            ]
            if len(sides) >= 2:
                out.append(Shape(kind="rect", x0=top.x0, top=top.top, x1=top.x1, bottom=bottom.top))
    return out


def synthesize_checkboxes(page: Page, body: float) -> list[Word]:
    """The page's words with vector check boxes turned into ☒/☐ words."""
    words = list(page.words)
    if not page.shapes:
        return words
    squares = [s for s in page.shapes if _is_square(s, body)]
    squares += _squares_from_lines(page.shapes, body)
    if not squares:
        return _lone_ticks(page, words, body)
    consumed: set[int] = set()
    added: list[Word] = []
    for sq in squares:
        cx, cy = (sq.x0 + sq.x1) / 2, (sq.top + sq.bottom) / 2
        inside = [
            i
            for i, w in enumerate(words)
            if _inside((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2, sq, pad=1.0)
        ]
        if any(words[i].text in _GLYPH_BOXES for i in inside):
            continue  # a glyph box with a drawn frame: the text already says it
        if any(len(words[i].text) > 1 and words[i].text not in _MARKS for i in inside):
            continue  # a frame around text: not a check box
        ticked = any(words[i].text in _MARKS for i in inside)
        if not ticked:
            for s in page.shapes:
                if s is sq or (
                    _is_square(s, body) and abs(s.x0 - sq.x0) < 1 and abs(s.top - sq.top) < 1
                ):
                    continue
                sw, sh = s.x1 - s.x0, s.bottom - s.top
                if sw > (sq.x1 - sq.x0) * 1.6 or sh > (sq.bottom - sq.top) * 1.6:
                    continue
                if _inside((s.x0 + s.x1) / 2, (s.top + s.bottom) / 2, sq, pad=1.5) and (
                    s.kind == "curve"
                    or (sw < (sq.x1 - sq.x0) * 0.9 and sh < (sq.bottom - sq.top) * 0.9)
                    or (s.fill is not None and s.kind == "rect" and sw < (sq.x1 - sq.x0) * 0.9)
                ):
                    ticked = True
                    break
        consumed.update(i for i in inside if words[i].text in _MARKS)
        size = max(4.0, sq.bottom - sq.top)
        added.append(
            Word(
                text="☒" if ticked else "☐",
                x0=round(cx - size / 2, 2),
                top=round(cy - size / 2, 2),
                x1=round(cx + size / 2, 2),
                bottom=round(cy + size / 2, 2),
                size=round(min(size, body), 2),
            )
        )
    kept = [w for i, w in enumerate(words) if i not in consumed]
    # duplicates: several shapes for one box (fill + stroke) give one word
    unique: list[Word] = []
    for w in added:
        if any(abs(w.x0 - u.x0) < 2 and abs(w.top - u.top) < 2 for u in unique):
            if w.text == "☒":
                unique = [
                    u for u in unique if not (abs(w.x0 - u.x0) < 2 and abs(w.top - u.top) < 2)
                ]
                unique.append(w)
            continue
        unique.append(w)
    return _lone_ticks(page, kept + unique, body, skip=squares)


def _lone_ticks(page: Page, words: list[Word], body: float, skip: list[Shape] = ()) -> list[Word]:
    """A tick path with no square, right before a line of text: that line is ticked."""
    ticks = [
        s
        for s in page.shapes
        if s.kind == "curve"
        and 2.0 <= s.x1 - s.x0 <= 1.6 * body
        and 2.0 <= s.bottom - s.top <= 1.6 * body
        and not any(_inside((s.x0 + s.x1) / 2, (s.top + s.bottom) / 2, q, pad=1.5) for q in skip)
    ]
    if not ticks:
        return words
    out = list(words)
    for t in ticks:
        cy = (t.top + t.bottom) / 2
        right = [
            w
            for w in words
            if w.top - 2 <= cy <= w.bottom + 2
            and 0 <= w.x0 - t.x1 <= 2.5 * body
            and w.text not in _GLYPH_BOXES
        ]
        if not right:
            continue
        if any(
            w.text in _GLYPH_BOXES and abs(w.x1 - t.x1) < body
            for w in words
            if w.top - 2 <= cy <= w.bottom + 2
        ):
            continue
        size = t.bottom - t.top
        out.append(
            Word(
                text="☒",
                x0=t.x0,
                top=round(cy - size / 2, 2),
                x1=t.x1,
                bottom=round(cy + size / 2, 2),
                size=round(min(size, body), 2),
            )
        )
    return out
