"""Do staff corrections teach? Field accuracy per layout before and after learning.

Usage: python scripts/teach_bench.py [--corpus var/zoo] [--cache DIR]
       [--model shipped|leave-out|untrained|all] [--pick first-wrong|first] [--show]

For every layout of a labelled corpus (``sketches.jsonl``: the zoo, or the sample corpus):
every sketch is extracted (before); one sketch per layout is "corrected" by staff (the truth
of each of its wrong fields becomes a correction, and ``extractors.taught.learn`` learns
from it, as ``skizzen.steps.teach`` does); then every *other* sketch is extracted again with
all learned rules active (after), exactly as a rerun would (``extractors.taught.apply``
after ``extract_fields``). Scored are the other sketches only: the corrected one is right by
definition. A second protocol reviews every sketch in arrival order, each correction
teaching at once, and counts the corrections staff make with and without teaching. Pure
functions, no database; parses are cached by sha256 and parser version.

``--model``: ``shipped``, the shipped scorer (trained on the zoo itself: few errors left);
``leave-out``, refitted without the layout's producer (its ``producer``, else its layout),
so the layout is one the extractor has never seen; ``untrained``, the hand-set starting
weights (an extractor nobody tuned, where corrections matter most); ``all`` (default):
each. ``--pick first-wrong`` (default): staff correct the first sketch of the layout (by
id) that has a wrong field; ``first``: the first sketch, wrong or not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors import taught
from extractors.document import DocModel
from extractors.fields import extract_fields
from extractors.learn import Labelled, decisions, train, values_equal
from extractors.scorer import FieldModel, default_model, default_weights
from extractors.types import FIELD_NAMES, FieldResult, ParsedDocument
from skizzen.documents.parsing import PARSER_VERSION, ParseCache, parse_pdf_inprocess

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Item:
    sketch_id: str
    layout: str
    group: str
    doc: ParsedDocument
    truth: dict[str, Any]


@dataclass
class LayoutResult:
    layout: str
    teacher: str | None
    others: int
    before: Counter[bool] = field(default_factory=Counter)
    after: Counter[bool] = field(default_factory=Counter)
    corrections: int = 0
    learned: Counter[str] = field(default_factory=Counter)
    fixed: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    unlearnable: list[str] = field(default_factory=list)


def load(corpus: Path, cache: ParseCache) -> list[Item]:
    """Every sketch of the corpus with a text-layer PDF, parsed (cached)."""
    truth = corpus / "sketches.jsonl"
    items: list[Item] = []
    for line in truth.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        pdf = corpus / str(row.get("pdf") or "")
        notes = str(row.get("notes") or "")
        if pdf.suffix != ".pdf" or not pdf.is_file() or "scan" in notes or "encrypt" in notes:
            continue
        data = pdf.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        doc = cache.get(sha, PARSER_VERSION)
        if doc is None:
            try:
                doc = parse_pdf_inprocess(data)
            except Exception:
                continue
            cache.put(doc)
        layout = str(row.get("layout") or "?")
        group = str(row.get("producer") or layout)
        items.append(Item(row["sketch_id"], layout, group, doc, row["fields"]))
    return items


def models_by_group(items: Sequence[Item], mode: str) -> dict[str, FieldModel]:
    """The scorer each group is extracted with: the shipped one, the hand-set weights, or
    one fitted without the group."""
    groups = sorted({it.group for it in items})
    if mode == "shipped":
        return dict.fromkeys(groups, default_model())
    if mode == "untrained":
        return dict.fromkeys(groups, FieldModel(default_weights()))
    exs = {it.sketch_id: decisions(Labelled(it.doc, it.truth, it.group)) for it in items}
    return {
        g: train(
            [],
            examples=[e for it in items if it.group != g for e in exs[it.sketch_id]],
            calibrate=False,
        )
        for g in groups
    }


def _right(truth: Mapping[str, Any], got: Mapping[str, FieldResult]) -> dict[str, bool]:
    return {n: values_equal(truth.get(n), got[n].value) for n in FIELD_NAMES}


def run(items: Sequence[Item], mode: str, pick: str) -> tuple[list[LayoutResult], Counter[str]]:
    """Before/after per layout; and how often a taught reading was right (``right``,
    ``wrong``) on the sketches scored."""
    fms = models_by_group(items, mode)
    models = {it.sketch_id: DocModel(it.doc) for it in items}
    before = {it.sketch_id: extract_fields(it.doc, model=fms[it.group]) for it in items}
    by_layout: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        by_layout[it.layout].append(it)
    rules: list[taught.TaughtRule] = []
    results: list[LayoutResult] = []
    correction_no = 0
    for layout, members in sorted(by_layout.items()):
        members.sort(key=lambda it: it.sketch_id)
        wrong_of = {
            it.sketch_id: [n for n, ok in _right(it.truth, before[it.sketch_id]).items() if not ok]
            for it in members
        }
        teacher = next((it for it in members if pick == "first" or wrong_of[it.sketch_id]), None)
        res = LayoutResult(layout, teacher.sketch_id if teacher else None, len(members) - 1)
        if teacher is not None:
            for name in wrong_of[teacher.sketch_id]:
                correction_no += 1
                res.corrections += 1
                rule = taught.learn(
                    models[teacher.sketch_id],
                    name,
                    teacher.truth.get(name),
                    source=taught.Source(correction_no, None, "bench"),
                )
                if rule is None:
                    empty = teacher.truth.get(name) in (None, [])
                    res.learned["leer" if empty else "nicht im Text"] += 1
                    got = before[teacher.sketch_id][name].value
                    want = teacher.truth.get(name)
                    res.unlearnable.append(
                        f"{teacher.sketch_id}.{name}: {want!r} (Maschine {got!r})"
                    )
                    continue
                kind = f"{rule.kind}/{rule.rel}" if rule.rel == "form" else rule.kind
                res.learned[kind] += 1
                rules.append(taught.with_ids(rule, rule_id=len(rules) + 1, version=1))
        results.append(res)
    precision: Counter[str] = Counter()
    for res in results:
        for it in by_layout[res.layout]:
            if it.sketch_id == res.teacher:
                continue
            sid = it.sketch_id
            after = taught.apply(models[sid], before[sid], rules)
            ok_before, ok_after = _right(it.truth, before[sid]), _right(it.truth, after)
            for name in FIELD_NAMES:
                res.before[ok_before[name]] += 1
                res.after[ok_after[name]] += 1
                if after[name].extractor.startswith("taught@"):
                    precision["right" if ok_after[name] else "wrong"] += 1
                if ok_after[name] and not ok_before[name]:
                    res.fixed.append(f"{sid}.{name}")
                if ok_before[name] and not ok_after[name]:
                    res.broken.append(f"{sid}.{name} ({after[name].extractor})")
    return results, precision


def sequential(items: Sequence[Item], mode: str) -> tuple[int, int, int]:
    """Staff review every sketch in arrival order (by id) and correct each wrong field;
    each correction teaches at once, so the next sketch of the layout is extracted with
    every rule so far. Returns (corrections without teaching, with teaching, rules)."""
    fms = models_by_group(items, mode)
    rules: list[taught.TaughtRule] = []
    plain = needed = 0
    for it in sorted(items, key=lambda it: it.sketch_id):
        model = DocModel(it.doc)
        machine = extract_fields(it.doc, model=fms[it.group])
        plain += sum(not ok for ok in _right(it.truth, machine).values())
        got = taught.apply(model, machine, rules)
        for name, ok in _right(it.truth, got).items():
            if ok:
                continue
            needed += 1
            rule = taught.learn(model, name, it.truth.get(name), source=taught.Source(needed))
            if rule is None:
                continue
            same = [
                r for r in rules if r.field == name and taught.same_layout(r.layout, rule.layout)
            ]
            for old in same:  # a new version of the rule of this layout and field
                rules.remove(old)
            rule_id = same[0].rule_id if same else len(rules) + 1 + needed
            version = max((r.version for r in same), default=0) + 1
            rules.append(taught.with_ids(rule, rule_id=rule_id, version=version))
    return plain, needed, len(rules)


def _acc(c: Counter[bool]) -> str:
    n = c[True] + c[False]
    return f"{c[True] / n:.3f}" if n else "–"


def report(
    title: str, results: Sequence[LayoutResult], precision: Counter[str], show: bool
) -> None:
    print(f"\n## {title}\n")
    head = ("layout", "korr. Skizze", "Korrekt.", "gelernt", "andere", "vorher", "nachher",
            "besser", "schlechter")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    total_b: Counter[bool] = Counter()
    total_a: Counter[bool] = Counter()
    for r in results:
        learned = ", ".join(f"{k} {v}" for k, v in sorted(r.learned.items())) or "–"
        print(
            f"| {r.layout} | {r.teacher or '–'} | {r.corrections} | {learned} | {r.others} | "
            f"{_acc(r.before)} | {_acc(r.after)} | {len(r.fixed)} | {len(r.broken)} |"
        )
        total_b.update(r.before)
        total_a.update(r.after)
    fixed = sum(len(r.fixed) for r in results)
    broken = sum(len(r.broken) for r in results)
    corr = sum(r.corrections for r in results)
    print(
        f"| **alle** | | {corr} | | {sum(r.others for r in results)} | **{_acc(total_b)}** | "
        f"**{_acc(total_a)}** | {fixed} | {broken} |"
    )
    used = precision["right"] + precision["wrong"]
    if used:
        print(
            f"\nGelernte Lesungen auf den anderen Skizzen: {used}, davon richtig "
            f"{precision['right']} ({precision['right'] / used:.1%})."
        )
    if show:
        for r in results:
            for u in r.unlearnable:
                print(f"  ? {u}")
            for f in r.fixed:
                print(f"  + {f}")
            for b in r.broken:
                print(f"  - {b}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "var" / "zoo")
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "cache" / "teach-bench")
    ap.add_argument("--model", choices=("shipped", "leave-out", "untrained", "all"), default="all")
    ap.add_argument("--pick", choices=("first-wrong", "first"), default="first-wrong")
    ap.add_argument("--show", action="store_true", help="list every field fixed or broken")
    args = ap.parse_args(argv)
    if not (args.corpus / "sketches.jsonl").is_file():
        print(f"no sketches.jsonl in {args.corpus} (the zoo: make zoo)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    items = load(args.corpus, ParseCache(args.cache))
    print(
        f"# Korrekturen lehren: {args.corpus} ({len(items)} Skizzen, "
        f"{len({it.layout for it in items})} Layouts, Auswahl {args.pick})"
    )
    modes = ("shipped", "leave-out", "untrained") if args.model == "all" else (args.model,)
    titles = {
        "shipped": "ausgelieferter Feld-Scorer",
        "leave-out": "Feld-Scorer ohne den Hersteller des Layouts neu angepasst",
        "untrained": "untrainierter Feld-Scorer (handgesetzte Startgewichte)",
    }
    for mode in modes:
        results, precision = run(items, mode, args.pick)
        report(titles[mode], results, precision, args.show)
        plain, needed, n_rules = sequential(items, mode)
        print(
            f"\nNacheinander geprüft (jede Korrektur lehrt sofort): {plain} Korrekturen ohne "
            f"Lernen, {needed} mit Lernen ({n_rules} Regeln)."
        )
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
