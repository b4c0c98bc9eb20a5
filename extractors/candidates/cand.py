"""What every source of candidates makes: one reading of one field (``Cand``), and all
readings of a document (``Collected``); the scorer and the teaching code take them too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.document import DocModel
from extractors.kv import LabelNode
from extractors.page import Fragment
from extractors.registry import FIELDS

__all__ = ["KIND", "NONE", "Cand", "Collected", "value_key"]

KIND = {f.name: f.kind for f in FIELDS}
"""Each field's kind of value ("amount", "date", …): what parses and checks it."""
NONE = object()
"""Marker of an explicit "none" written in the document ("Akronym: –")."""


@dataclass(eq=False)
class Cand:
    """One reading of one field."""

    field: str
    value: Any
    source: str
    frags: list[Fragment]
    label: LabelNode | None = None
    label_score: float = 0.0
    feats: dict[str, float] = field(default_factory=dict)
    snippet: str = ""

    @property
    def page(self) -> int | None:
        return self.frags[0].page if self.frags else None

    @property
    def key(self) -> str:
        """The value as compared for agreement and against the truth."""
        return value_key(self.value)


def value_key(value: Any) -> str:
    """A value as one string: a whole float as an int, a list joined, None as "∅"."""
    if value is None:
        return "∅"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        return "|".join(value_key(v) for v in value)
    return str(value)


@dataclass
class Collected:
    """Every candidate per field, plus document-level facts the scorer uses."""

    by_field: dict[str, list[Cand]]
    model: DocModel
    labels_seen: dict[str, float]
