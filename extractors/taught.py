"""Rules taught by staff corrections: where one layout writes one field.

When staff correct a field and the corrected value is written in the sketch, the place it
stands at is worth more than the one value: the next sketch made from the same template
writes that field at the same label or the same spot. ``learn`` finds that place (a label
and how the value relates to it, a form field, or else a position on the page) and returns
it as a ``TaughtRule`` of the sketch's ``Layout``; ``apply`` reads every rule of a document's
layout and lets it win over the machine's reading, with evidence that says which correction
taught it. Pure: a parsed document, the corrected value and the rules in, typed results out.

A layout is not a hash: a sketch that leaves out one optional label, or an applicant who
rewords a heading, is still the same template. ``same_layout`` compares the producer (the
PDF's Producer/Creator without version numbers) and two sets: the texts of the labels, and
wording-free marks of the design (page size, type sizes, where the labels sit).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from extractors.candidates.cand import NONE
from extractors.candidates.parse import parse_for
from extractors.document import DocModel
from extractors.kv import LabelNode, Option, glue, label_graph
from extractors.labels import LabelText
from extractors.learn import values_equal
from extractors.page import Fragment
from extractors.registry import FIELD_NAMES, spec
from extractors.types import Evidence, FieldResult, ParsedDocument

__all__ = [
    "LAYOUT_THRESHOLD",
    "TAUGHT_CONFIDENCE",
    "Applied",
    "Layout",
    "Source",
    "TaughtRule",
    "applied",
    "apply",
    "layout_of",
    "learn",
    "producer_of",
    "relevant",
    "rules_key",
    "same_layout",
    "same_value",
    "similarity",
    "with_ids",
]

LAYOUT_THRESHOLD = 0.25
"""Least ``similarity`` of two sketches of one template. On the layout zoo (label wording
and accent colours varied per sketch, 14 layouts, 11 producers) 96 % of the pairs of one
layout reach it and no pair of two layouts of one producer does (they reach 0.21 at most);
sketches of one real template, worded alike, are far above it."""

TAUGHT_CONFIDENCE = 0.9
"""Confidence of a value read by a rule: above the review threshold (staff showed where
this template writes the field), below the certainty of a value staff typed themselves.
A rule that reads what the machine read too keeps the higher of the two."""

RULE_KINDS = ("label", "position")
_RUNS = {"right": "right_run", "below": "below_run", "inline": "inline_run"}
_SHORT = {v: k for k, v in _RUNS.items()}
_REL_ORDER = ("form", "inline", "right", "below", "inline_run", "right_run", "below_run", "row")
_MAX_LINES = 6
_MEANING = 0.6
"""Least label score of the field for a label to stand for it by meaning."""
_WRAPS = ("inline", "inline_nocolon", "right", "below")
_NUMBERING = re.compile(r"\s*(?:[A-H]|\d{1,2})(?:\.\d{1,2})*[.)]?\s*")
_ANCHOR_BACK = 3
_FLOWING = frozenset({"text", "partners", "body"})
"""Kinds whose value may take more or fewer lines in the next sketch (a longer title)."""
_MAX_REST = 30
"""Longest literal rest around a value a position rule keeps ("Tel. " before a number): a
value inside a sentence is the prose's, not a place of the template."""
_PRINTED = frozenset({"topics"})
"""Kinds whose words are printed by the template itself: the topic fields of a form are
the same lines in every sketch, only the ticks differ, so neither a position nor lines
read on after a label can teach them (a label or form field still can)."""


# --------------------------------------------------------------------------- layout


def producer_of(metadata: Mapping[str, str]) -> str:
    """The software that made the PDF, without versions: "LibreOffice 7.4" and
    "LibreOffice 7.5" are one producer, "Writer" and "Calc" two."""
    parts = []
    for key in ("Creator", "Producer"):
        raw = str(metadata.get(key) or "")
        raw = re.sub(r"(?<=[A-Za-z])[/ _-]?v?\d[\w.]*", " ", raw)  # "HeadlessChrome/156.0"
        words = [w for w in re.split(r"[\s;,()]+", raw.casefold()) if w and not re.search(r"\d", w)]
        parts.append(" ".join(words))
    return " | ".join(parts).strip(" |")


def _label_key(text: str) -> str:
    """A label as rules compare it: its content words, lower case, no numbering."""
    lt = LabelText.of(text)
    main = " ".join(lt.tokens)
    return f"{main} ({' '.join(lt.qualifiers)})" if lt.qualifiers else main


def _strong(node: LabelNode) -> bool:
    """A label of the template, not a value that happens to look like one."""
    return (node.best >= 0.6 or node.other >= 0.6) and node.unknown <= 0.34


@dataclass(frozen=True)
class Layout:
    """What makes two sketches the same template: producer, label texts, design marks."""

    producer: str
    labels: frozenset[str] = frozenset()
    marks: frozenset[str] = frozenset()

    def as_dict(self) -> dict[str, Any]:
        return {
            "producer": self.producer,
            "labels": sorted(self.labels),
            "marks": sorted(self.marks),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Layout:
        return cls(
            str(data.get("producer") or ""),
            frozenset(data.get("labels") or ()),
            frozenset(data.get("marks") or ()),
        )


def layout_of(doc: ParsedDocument | DocModel, graph: Sequence[LabelNode] | None = None) -> Layout:
    """The document's layout; ``graph``: its label graph, when already built."""
    model = doc if isinstance(doc, DocModel) else DocModel(doc)
    nodes = label_graph(model) if graph is None else graph
    strong = [n for n in nodes if _strong(n)]
    labels = frozenset(k for n in strong if (k := _label_key(n.text)))
    marks: set[str] = set()
    for pm in model.pages[:2]:
        page = pm.page
        marks.add(f"page:{round(page.width)}x{round(page.height)}")
        styles = Counter((round(w.size * 2) / 2, w.bold) for w in page.words)
        marks.update(f"type:{size}:{int(bold)}" for (size, bold), n in styles.items() if n >= 3)
        if any(s.fill is not None and s.kind == "rect" for s in page.shapes):
            marks.add("filled")
        if page.fields:
            marks.add("form")
    for n in strong:
        f = n.frag
        marks.add(f"label:{f.page}:{round(f.x0 / 10)}:{round(f.size * 2) / 2}:{int(f.bold)}")
    return Layout(producer_of(model.doc.metadata), labels, frozenset(marks))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def similarity(a: Layout, b: Layout) -> float:
    """How alike two layouts are (0–1): the geometric mean of the label and the mark
    overlap, so that both must agree (two plain documents in one font share all their few
    marks and no label); 0 for two producers."""
    if a.producer != b.producer:
        return 0.0
    return math.sqrt(_jaccard(a.labels, b.labels) * _jaccard(a.marks, b.marks))


def same_layout(a: Layout, b: Layout) -> bool:
    """Same producer and alike enough (``LAYOUT_THRESHOLD``)."""
    return similarity(a, b) >= LAYOUT_THRESHOLD


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Source:
    """The correction a rule was learned from."""

    correction_id: int | None = None
    sketch_id: int | None = None
    author: str = ""


@dataclass(frozen=True)
class TaughtRule:
    """Where one layout writes one field.

    ``kind == "label"``: the value stands at the label ``label`` (its ``nth`` occurrence,
    0-based), in relation ``rel`` (inline, right, below, a row cell under ``header``, or
    ``form``: the form field named ``label``; a trailing "+": and on the ``lines`` - 1
    lines it wraps onto). ``by_meaning``: that label was the document's strongest label of
    the field, so a sketch of the layout that words it otherwise is read at its own
    strongest label of the field. ``kind == "position"``: it stands on page
    ``page`` at ``box`` in ``lines`` fragments of type ``size``/``bold``, after the
    literal text ``before`` and before ``after`` in them.
    """

    field: str
    kind: str
    layout: Layout
    label: str = ""
    rel: str = ""
    nth: int = 0
    by_meaning: bool = False
    header: str = ""
    row_index: int = 0
    page: int = 0
    box: tuple[float, float, float, float] | None = None
    lines: int = 1
    size: float = 0.0
    bold: bool = False
    before: str = ""
    after: str = ""
    rule_id: int = 0
    version: int = 1
    source: Source = field(default_factory=Source)
    active: bool = True

    @property
    def extractor(self) -> str:
        return f"taught@{self.rule_id}.{self.version}"

    @property
    def note(self) -> str:
        """German, for staff: which correction taught this reading."""
        s = self.source
        who = ", ".join(p for p in (f"Skizze {s.sketch_id}" if s.sketch_id else "", s.author) if p)
        head = (
            f"gelernt aus der Korrektur #{s.correction_id}"
            if s.correction_id is not None
            else "gelernt aus einer Korrektur"
        )
        return f"{head} ({who})" if who else head

    def where(self) -> dict[str, Any]:
        """The place, as stored (``from_where`` reads it back)."""
        keys = ("label", "rel", "nth", "header", "row_index", "page", "box", "lines", "size")
        out = {k: getattr(self, k) for k in keys}
        out.update(bold=self.bold, before=self.before, after=self.after, by_meaning=self.by_meaning)
        out["box"] = list(self.box) if self.box else None
        return out

    @classmethod
    def from_where(
        cls,
        *,
        field: str,
        kind: str,
        layout: Layout,
        where: Mapping[str, Any],
        rule_id: int = 0,
        version: int = 1,
        source: Source | None = None,
        active: bool = True,
    ) -> TaughtRule:
        box = where.get("box")
        return cls(
            field=field,
            kind=kind,
            layout=layout,
            label=str(where.get("label") or ""),
            rel=str(where.get("rel") or ""),
            nth=int(where.get("nth") or 0),
            by_meaning=bool(where.get("by_meaning")),
            header=str(where.get("header") or ""),
            row_index=int(where.get("row_index") or 0),
            page=int(where.get("page") or 0),
            box=tuple(float(x) for x in box) if box else None,  # type: ignore[arg-type]
            lines=int(where.get("lines") or 1),
            size=float(where.get("size") or 0.0),
            bold=bool(where.get("bold")),
            before=str(where.get("before") or ""),
            after=str(where.get("after") or ""),
            rule_id=rule_id,
            version=version,
            source=source or Source(),
            active=active,
        )


def relevant(
    rules: Iterable[TaughtRule], producer: str, layout: Layout | None
) -> tuple[TaughtRule, ...]:
    """The active rules that may apply to a document of ``producer`` and ``layout``
    (None: its labels were never read, so every rule of that producer)."""
    return tuple(
        r
        for r in rules
        if r.active
        and r.layout.producer == producer
        and (layout is None or same_layout(r.layout, layout))
    )


def rules_key(rules: Iterable[TaughtRule]) -> str:
    """A digest of which rule versions these are (a memoised extraction is reused only
    under the rules it was made with)."""
    ids = sorted({(r.rule_id, r.version) for r in rules if r.active})
    return hashlib.sha256(repr(ids).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- values


def _norm_text(text: str) -> str:
    t = text.replace("\u00ad", "").replace("\u2010", "-").replace("\u00a0", " ")
    return " ".join(t.replace("\u202f", " ").split()).strip(" .,;:„“”\"'»«").casefold()


def same_value(truth: Any, got: Any) -> bool:
    """Staff's value and a reading agree: equal after normalisation, texts also without
    case, spacing and outer punctuation."""
    if values_equal(truth, got):
        return True
    if isinstance(truth, str) and isinstance(got, str):
        return _norm_text(truth) == _norm_text(got)
    if isinstance(truth, list) and isinstance(got, list) and len(truth) == len(got):
        return all(same_value(a, b) for a, b in zip(truth, got, strict=True))
    return False


def _parse(name: str, text: str, node: LabelNode | None, opt: Option | None) -> Any:
    """The field's value parser (``candidates.parse.parse_for``); an explicit "none" is None."""
    try:
        value = parse_for(name, text, node, opt)
    except Exception:  # a parser that trips over odd text reads nothing
        return None
    return None if value is NONE or value == [] else value


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Ctx:
    """One document as rules read it: its model, label graph and fragment order."""

    model: DocModel
    nodes: Sequence[LabelNode]
    at: dict[int, int]  # id(fragment) → its place in ``model.fragments``
    label_frags: frozenset[int]  # fragments that hold a label of the template

    @classmethod
    def of(cls, doc: ParsedDocument | DocModel, nodes: Sequence[LabelNode] | None = None) -> _Ctx:
        model = doc if isinstance(doc, DocModel) else DocModel(doc)
        graph = label_graph(model) if nodes is None else nodes
        at = {id(f): i for i, f in enumerate(model.fragments)}
        return cls(model, graph, at, frozenset(id(n.frag) for n in graph if _strong(n)))


def _continuation(ctx: _Ctx, last: Fragment, limit: int) -> list[Fragment]:
    """The lines a value wraps onto after ``last``: the next fragments of its block (or of
    a title in large type), each right below the one before in the same type, aligned
    with the first of them and not left of ``last``, none a label or an item's number."""
    i = ctx.at.get(id(last))
    if i is None:
        return []
    out: list[Fragment] = []
    prev = last
    for nxt in ctx.model.fragments[i + 1 : i + 1 + limit]:
        if id(nxt) in ctx.label_frags:
            break
        if nxt.block is not last.block and not _same_large_type(ctx, last, nxt):
            break
        if nxt.x0 < last.x0 - 2 or _NUMBERING.fullmatch(nxt.text):
            break  # the next item's number ("B.2") in the margin, not the value going on
        if nxt.top < prev.bottom - 1 or nxt.top - prev.bottom > 1.2 * max(prev.height, nxt.height):
            break  # a cell on the same line, or a paragraph further down
        if (out and abs(nxt.x0 - out[0].x0) > 2) or not _same_type(prev, nxt):
            break
        out.append(nxt)
        prev = nxt
    return out


def _same_type(a: Fragment, b: Fragment) -> bool:
    return abs(a.size - b.size) < 0.6 and a.bold == b.bold


def _same_large_type(ctx: _Ctx, a: Fragment, b: Fragment) -> bool:
    """Two lines of one title set in large type, which the page cut may put in two
    blocks: the same size and weight, above the body size, left-aligned."""
    big = a.size > 1.1 * ctx.model.body_size
    return big and _same_type(a, b) and abs(a.x0 - b.x0) <= 2


def _join(name: str, texts: Sequence[str]) -> str:
    """Lines of one value as its parser reads them: a list one entry per line, a text
    glued (hyphenation, wrapped e-mail addresses)."""
    if spec(name).list_valued:
        return "\n".join(texts)
    text = texts[0]
    for t in texts[1:]:
        text = glue(text, t)
    return text


# --------------------------------------------------------------------------- learn


def learn(
    doc: ParsedDocument | DocModel,
    name: str,
    value: Any,
    *,
    source: Source | None = None,
    graph: Sequence[LabelNode] | None = None,
) -> TaughtRule | None:
    """The rule that reads ``value`` (staff's) for field ``name`` in this document: at a
    label or form field that gives exactly this value, else at the fragments that hold it;
    None when the value is not written in the document (nothing to learn)."""
    if name not in FIELD_NAMES or _empty(value):
        return None
    ctx = _Ctx.of(doc, graph)
    layout = layout_of(ctx.model, ctx.nodes)
    src = source or Source()
    found = _learn_form(ctx.model, name, value) or _learn_label(ctx, name, value)
    if found is not None:
        return TaughtRule(field=name, kind="label", layout=layout, source=src, **found)
    at = None if spec(name).kind in _PRINTED else _learn_position(ctx, name, value)
    if at is not None:
        return TaughtRule(field=name, kind="position", layout=layout, source=src, **at)
    return None


def _learn_form(model: DocModel, name: str, value: Any) -> dict[str, Any] | None:
    for pm in model.pages:
        for ff in pm.page.fields:
            if (
                ff.kind == "text"
                and ff.value
                and same_value(value, _parse(name, ff.value, None, None))
            ):
                return {"label": ff.name, "rel": "form"}
    return None


def _strongest(nodes: Sequence[LabelNode], name: str) -> LabelNode | None:
    """The document's clearest label of the field (None: no label means it clearly)."""
    best = max(nodes, key=lambda n: n.scores.get(name, 0.0), default=None)
    return best if best is not None and best.scores.get(name, 0.0) >= _MEANING else None


def _occurrence(nodes: Sequence[LabelNode], node: LabelNode) -> int:
    key = _label_key(node.text)
    same = [n for n in nodes if _label_key(n.text) == key]
    return next(i for i, n in enumerate(same) if n is node)


def _learn_label(ctx: _Ctx, name: str, value: Any) -> dict[str, Any] | None:
    """The label that best means this field among those whose option reads the value,
    as it stands or wrapped onto the lines below (``rel`` + "+": "Titel: Dorfladen" /
    "und Lieferdienst")."""
    best: tuple[tuple[float, int, float], LabelNode, Option, int] | None = None
    for node in ctx.nodes:
        if node.unknown > 0.5 or not _label_key(node.text):
            continue  # a value that looks like a label ("Landkreis Prignitz")
        for opt in node.options:
            rank = _REL_ORDER.index(opt.rel) if opt.rel in _REL_ORDER else len(_REL_ORDER)
            readings = [(0, opt.text)]
            if opt.rel in _WRAPS and opt.frags and spec(name).kind not in _PRINTED:
                more = _continuation(ctx, opt.frags[-1], _MAX_LINES - 1)
                readings += [
                    (k, _join(name, [opt.text, *(f.text for f in more[:k])]))
                    for k in range(1, len(more) + 1)
                ]
            for k, text in readings:
                if not same_value(value, _parse(name, text, node, opt)):
                    continue
                key = (node.scores.get(name, 0.0), -rank - 2 * k, -opt.dist)
                if best is None or key > best[0]:
                    best = (key, node, opt, k)
    if best is None:
        return None
    _, node, opt, k = best
    return {
        "label": _label_key(node.text),
        "rel": f"{opt.rel}+" if k else opt.rel,
        "lines": 1 + k,
        "nth": _occurrence(ctx.nodes, node),
        "by_meaning": node is _strongest(ctx.nodes, name),
        "header": _label_key(opt.header) if opt.header else "",
        "row_index": opt.row_index,
        "page": node.frag.page,
        "box": _box(opt.frags),
    }


def _box(frags: Sequence[Fragment]) -> tuple[float, float, float, float] | None:
    if not frags:
        return None
    page = frags[0].page
    same = [f for f in frags if f.page == page]
    return (
        round(min(f.x0 for f in same), 1),
        round(min(f.top for f in same), 1),
        round(max(f.x1 for f in same), 1),
        round(max(f.bottom for f in same), 1),
    )


def _joined(name: str, frags: Sequence[Fragment]) -> str:
    return _join(name, [f.text for f in frags])


def _runs(ctx: _Ctx) -> Iterable[list[Fragment]]:
    """Each fragment, then with each further line its value could wrap onto."""
    for first in ctx.model.fragments:
        more = _continuation(ctx, first, _MAX_LINES - 1)
        for k in range(len(more) + 1):
            yield [first, *more[:k]]


def _anchor(ctx: _Ctx, first: Fragment, name: str) -> tuple[str, bool]:
    """The label or heading right before a value (up to ``_ANCHOR_BACK`` fragments back in
    reading order): its key, and whether it is the document's strongest label of the
    field. ("", False): none, the value stands alone."""
    i = ctx.at.get(id(first))
    if i is None:
        return "", False
    strongest = _strongest(ctx.nodes, name)
    for prev in reversed(ctx.model.fragments[max(0, i - _ANCHOR_BACK) : i]):
        heading = (prev.bold or prev.size > 1.1 * ctx.model.body_size) and len(prev.text) <= 60
        if id(prev) in ctx.label_frags or heading:
            key = _label_key(prev.text)
            if key:
                return key, strongest is not None and strongest.frag is prev
    return "", False


def _anchored(ctx: _Ctx, rule: TaughtRule, first: Fragment) -> bool:
    """Does ``first`` stand where the rule's value stood: after the same anchor (or after
    the field's strongest label, for an anchor that was that), or, for a value without
    one, in the head of page 1 (letterhead, title) where a template does not flow?"""
    if not rule.label:
        page = ctx.model.page(rule.page).page
        return rule.page == 1 and rule.box is not None and rule.box[1] < page.height / 3
    i = ctx.at.get(id(first))
    if i is None:
        return False
    before = ctx.model.fragments[max(0, i - _ANCHOR_BACK) : i]
    if any(_label_key(f.text) == rule.label for f in before):
        return True
    strongest = _strongest(ctx.nodes, rule.field) if rule.by_meaning else None
    return strongest is not None and any(f is strongest.frag for f in before)


def _learn_position(ctx: _Ctx, name: str, value: Any) -> dict[str, Any] | None:
    """The first fragments (reading order) that read as the value, whole or (after a label
    or heading) after/before a short literal rest ("Tel. 0381 …"), with that anchor."""
    pattern = None
    if isinstance(value, str) and value.strip():
        words = [re.escape(w) for w in value.split()]
        pattern = re.compile(r"\s+".join(words), re.IGNORECASE)
    partial: dict[str, Any] | None = None
    for run in _runs(ctx):
        text = _joined(name, run)
        where: dict[str, Any] = {
            "page": run[0].page,
            "box": _box(run),
            "lines": len(run),
            "size": round(run[0].size, 1),
            "bold": run[0].bold,
        }
        hit = same_value(value, _parse(name, text, None, None))
        anchor, meaning = _anchor(ctx, run[0], name)
        if not hit and anchor and partial is None and pattern and (m := pattern.search(text)):
            before, after = text[: m.start()], text[m.end() :]
            if len(before) + len(after) <= min(_MAX_REST, len(m.group(0))) and same_value(
                value, _parse(name, m.group(0), None, None)
            ):
                where |= {"before": before, "after": after}
                hit = True
        if not hit:
            continue
        where |= {"label": anchor, "by_meaning": meaning}
        probe = TaughtRule(field=name, kind="position", layout=Layout(""), **where)
        if not _anchored(ctx, probe, run[0]):
            continue  # in running text, with nothing to find it by
        if "before" not in where:
            return where
        partial = partial or where
    return partial


# --------------------------------------------------------------------------- apply


@dataclass(frozen=True)
class Applied:
    """``apply``'s result with what the memo needs: the layout (None when no rule of the
    producer exists, so its labels were not read) and the rules considered."""

    fields: dict[str, FieldResult]
    producer: str
    layout: Layout | None
    considered: tuple[TaughtRule, ...] = ()
    used: tuple[TaughtRule, ...] = ()


@dataclass(frozen=True)
class _Reading:
    value: Any
    frags: list[Fragment]
    snippet: str


def applied(
    doc: ParsedDocument | DocModel,
    fields: Mapping[str, FieldResult],
    rules: Iterable[TaughtRule],
) -> Applied:
    """Every rule of this document's layout read; a rule that finds its value replaces the
    machine's reading (per field the rule of the most alike layout, then the newest)."""
    metadata = doc.doc.metadata if isinstance(doc, DocModel) else doc.metadata
    producer = producer_of(metadata)
    mine = relevant(rules, producer, None)
    out = dict(fields)
    if not mine:
        return Applied(out, producer, None)
    ctx = _Ctx.of(doc)
    layout = layout_of(ctx.model, ctx.nodes)
    considered = relevant(mine, producer, layout)
    used: list[TaughtRule] = []
    by_field: dict[str, list[TaughtRule]] = {}
    for r in considered:
        by_field.setdefault(r.field, []).append(r)
    for name, candidates in by_field.items():
        if name not in FIELD_NAMES:
            continue
        ordered = sorted(
            candidates, key=lambda r: (-similarity(r.layout, layout), -r.rule_id, -r.version)
        )
        for rule in ordered:
            reading = _read(rule, ctx)
            machine = fields.get(name)
            if reading is None or (
                machine is not None and _reads_more(machine.value, reading.value)
            ):
                continue
            out[name] = _result(rule, reading, machine)
            used.append(rule)
            break
    return Applied(out, producer, layout, considered, tuple(used))


def apply(
    doc: ParsedDocument | DocModel,
    fields: Mapping[str, FieldResult],
    rules: Iterable[TaughtRule],
) -> dict[str, FieldResult]:
    """``fields`` with every field a rule of this layout reads replaced by that reading."""
    return applied(doc, fields, rules).fields


def _seq(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return _norm_text(value).split()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [_norm_text(v) for v in value]
    return None


def _reads_more(machine: Any, taught: Any) -> bool:
    """The machine read the rule's place better: the rule's reading is a part of the
    machine's (a list or title the rule cut short: the next sketch's is longer), or holds
    the machine's after something in front (a heading it took along). A rule whose
    reading goes on where the machine's stops wins: that is the wrap it was taught."""
    m, t = _seq(machine), _seq(taught)
    if not m or not t or m == t:
        return False
    if len(t) < len(m):
        return _inside(t, m)
    return _inside(m, t) and t[: len(m)] != m


def _inside(part: list[str], whole: list[str]) -> bool:
    n = len(part)
    return any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _read(rule: TaughtRule, ctx: _Ctx) -> _Reading | None:
    if rule.kind == "label" and rule.rel == "form":
        return _read_form(rule, ctx.model)
    if rule.kind == "label":
        return _read_label(rule, ctx)
    if rule.kind == "position":
        return _read_position(rule, ctx)
    return None


def _read_form(rule: TaughtRule, model: DocModel) -> _Reading | None:
    for pm in model.pages:
        for ff in pm.page.fields:
            if ff.name == rule.label and ff.kind == "text" and ff.value:
                value = _parse(rule.field, ff.value, None, None)
                if value is None:
                    return None
                frags = [f for f in pm.fragments if f.form_field == ff.name]
                return _Reading(value, frags, f"{ff.label or ff.name}: {ff.value}")
    return None


def _read_label(rule: TaughtRule, ctx: _Ctx) -> _Reading | None:
    same = [n for n in ctx.nodes if _label_key(n.text) == rule.label]
    if same:
        node = same[rule.nth] if rule.nth < len(same) else same[0]
    elif rule.by_meaning and (strongest := _strongest(ctx.nodes, rule.field)) is not None:
        node = strongest
    else:
        return None
    wraps = rule.rel.endswith("+")
    rel = rule.rel.rstrip("+")
    family = {rel, _RUNS.get(rel, rel), _SHORT.get(rel, rel)}
    options = [o for o in node.options if o.rel in family]
    if rel == "row":
        cells = [o for o in options if rule.header and _label_key(o.header) == rule.header]
        options = cells or [o for o in options if o.row_index == rule.row_index]
    # the learned relation first; its short or run twin when the value is shorter or wraps
    options.sort(key=lambda o: o.rel != rel)
    for opt in options:
        texts, frags = [opt.text], list(opt.frags)
        if wraps and opt.rel == rel and opt.frags:
            more = _continuation(ctx, opt.frags[-1], rule.lines + 1)
            texts += [f.text for f in more]
            frags += more
        text = _join(rule.field, texts)
        value = _parse(rule.field, text, node, opt)
        if value is not None:
            sep = ": " if opt.rel.startswith("inline") else " → "
            return _Reading(value, frags, f"{node.text}{sep}{text}"[:300])
    return None


def _read_position(rule: TaughtRule, ctx: _Ctx) -> _Reading | None:
    model = ctx.model
    if rule.box is None or not 1 <= rule.page <= len(model.pages):
        return None
    x0, top = rule.box[0], rule.box[1]
    body = model.body_size
    near = sorted(
        (abs(f.x0 - x0) + abs(f.top - top), i, f)
        for i, f in enumerate(model.fragments)
        if f.page == rule.page
        and abs(f.x0 - x0) <= 2 * body
        and abs(f.top - top) <= 3 * body
        and abs(f.size - rule.size) < 0.6
        and f.bold == rule.bold
    )
    flowing = spec(rule.field).kind in _FLOWING
    for _, _, first in near:
        if not _anchored(ctx, rule, first):
            continue
        more = _continuation(ctx, first, rule.lines + 1 if flowing else rule.lines - 1)
        run = [first, *more]
        text = _joined(rule.field, run)
        if not (text.startswith(rule.before) and text.endswith(rule.after)):
            continue  # the literal rest of the template is not there
        text = text[len(rule.before) : len(text) - len(rule.after)]
        value = _parse(rule.field, text, None, None)
        if value is not None:
            return _Reading(value, run, text[:300])
    return None


def _result(rule: TaughtRule, reading: _Reading, machine: FieldResult | None) -> FieldResult:
    """The rule's reading as a field result. Agreeing with the machine it keeps the higher
    confidence; else ``TAUGHT_CONFIDENCE``."""
    confidence = TAUGHT_CONFIDENCE
    if machine is not None and same_value(machine.value, reading.value):
        confidence = max(confidence, machine.confidence)
    box = _box(reading.frags)
    page = reading.frags[0].page if reading.frags else None
    return FieldResult(
        field=rule.field,
        value=reading.value,
        confidence=round(confidence, 3),
        evidence=Evidence(page=page, snippet=reading.snippet, box=box, note=rule.note),
        extractor=rule.extractor,
    )


def with_ids(rule: TaughtRule, *, rule_id: int, version: int) -> TaughtRule:
    """The rule as stored (ids given by the database)."""
    return replace(rule, rule_id=rule_id, version=version)
