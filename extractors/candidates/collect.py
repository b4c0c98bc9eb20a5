"""All candidates of a document: every source run once, in a fixed order."""

from __future__ import annotations

from collections import defaultdict

from extractors.candidates.cand import Cand, Collected
from extractors.candidates.labelled import aggregate_partners, from_forms, from_node
from extractors.candidates.layout import from_boxes, from_layout
from extractors.candidates.prose import from_prose
from extractors.document import DocModel
from extractors.kv import label_graph
from extractors.registry import FIELD_NAMES

__all__ = ["collect"]


def collect(model: DocModel) -> Collected:
    """All candidates of a document (before scoring)."""
    graph = label_graph(model)
    by_field: dict[str, list[Cand]] = defaultdict(list)
    labels_seen: dict[str, float] = dict.fromkeys(FIELD_NAMES, 0.0)
    for node in graph:
        for fname, score in node.scores.items():
            if score > labels_seen[fname]:
                labels_seen[fname] = score
        from_node(node, by_field, model)
    aggregate_partners(by_field)
    from_prose(model, by_field)
    from_layout(model, by_field)
    from_boxes(model, by_field)
    from_forms(model, by_field)
    return Collected(dict(by_field), model, labels_seen)
