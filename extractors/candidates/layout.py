"""Candidates from the page's layout: the title as the largest type on page 1, and the
topic fields ticked in a list of check boxes or marks beside the seven names."""

from __future__ import annotations

import re
from typing import Any

from extractors.candidates.cand import Cand
from extractors.candidates.parse import (
    ACRONYM_LIKE,
    BOX_ITEM,
    TITLE_HEAD,
    label_strength,
    parse_for,
    strip_value,
)
from extractors.document import DocModel
from extractors.kv import glue
from extractors.page import Fragment
from extractors.values import bodies_in, canonical_topic, ordered_topics

__all__ = ["from_boxes", "from_layout"]


def from_layout(model: DocModel, out: dict[str, list[Cand]]) -> None:
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
            text = strip_value(joined)
            v = parse_for("projekttitel", text, None, None)
            if v is None:
                continue
            body_name = bodies_in(text)
            feats = {
                "font_rank": float(rank),
                "font_ratio": min(3.0, size / model.body_size),
                "top_share": g[0].top / pm.page.height,
                "val_is_label": label_strength(text),
                "is_body": float(bool(body_name) and len(body_name[0][0]) >= len(text) - 3),
                "numbered": float(bool(re.match(r"\d{1,2}\.?\s", text))),
            }
            out["projekttitel"].append(
                Cand("projekttitel", v, "layout", g, None, 0.0, feats, text[:300])
            )
            m = TITLE_HEAD.match(v)
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


def from_boxes(model: DocModel, out: dict[str, list[Cand]]) -> None:
    """Topic fields from lists of the seven topic fields with check boxes or marks: a box
    before the name ("☒ Mobilität", boxes in a row "☐ A ☒ B"), or a box or mark ("X", "ja",
    "zutreffend") in a column beside it."""
    for pm in model.pages:
        rows: list[tuple[Fragment, str, bool | None]] = []
        for f in pm.fragments:
            if f.block.role in ("running", "pageno"):
                continue
            inline = BOX_ITEM.findall(f.text)
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
