"""The review queue's filter and order as its query string has them (``QueueQuery``): kept
by the queue, its pages, the detail page's "‹ vorige" / "nächste ›" and every form on them.

German names in the URL (``?status=alle&sortierung=kosten``), the data access's own names in
``QueueQuery.filters`` (``models.queue.Selection``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from models.queue import Selection

ALL = "alle"
"""``?status=alle``: every status."""

SORTS: dict[str, str] = {
    "eingang": "received",
    "sicherheit": "confidence",
    "kosten": "cost",
    "status": "status",
}
"""``?sortierung=`` of the queue → the order of ``models.queue.QUEUE_SORTS``."""
DESCENDING_FIRST = frozenset({"kosten"})
"""Orders whose first click shows the largest first (the dearest sketches); others ascend."""
ORDER_TEXTS: dict[tuple[str, str], str] = {
    ("eingang", "auf"): "älteste zuerst",
    ("eingang", "ab"): "neueste zuerst",
    ("sicherheit", "auf"): "niedrigste Sicherheit zuerst",
    ("sicherheit", "ab"): "höchste Sicherheit zuerst",
    ("kosten", "auf"): "niedrigste Gesamtkosten zuerst",
    ("kosten", "ab"): "höchste Gesamtkosten zuerst",
    ("status", "auf"): "nach Status",
    ("status", "ab"): "nach Status, umgekehrt",
}
SEARCH_MAX_CHARS = 200


@dataclass(frozen=True)
class QueueQuery:
    """The queue's filter and order as its query string has them (German names); the queue,
    its pages, the detail page's "‹ vorige" / "nächste ›" and the forms keep it."""

    status: str = "needs_review"
    aufruf: str = ""
    themenfeld: str = ""
    suche: str = ""
    sortierung: str = "eingang"
    richtung: str = "auf"

    @classmethod
    def of(cls, params: Mapping[str, str]) -> QueueQuery:
        """From a request's query parameters; what is unknown falls back to the default."""
        sort = params.get("sortierung") or "eingang"
        sort = sort if sort in SORTS else "eingang"
        direction = params.get("richtung") or ""
        if direction not in ("auf", "ab"):
            direction = "ab" if sort in DESCENDING_FIRST else "auf"
        return cls(
            status=params.get("status") or "needs_review",
            aufruf=params.get("aufruf") or "",
            themenfeld=params.get("themenfeld") or "",
            suche=" ".join((params.get("suche") or "").split())[:SEARCH_MAX_CHARS],
            sortierung=sort,
            richtung=direction,
        )

    def selection(self) -> Selection:
        """This filter as the queue's selection (``queue_page``, ``queue_neighbours``)."""
        return Selection(
            status=None if self.status == ALL else self.status,
            call_id=self.aufruf or None,
            topic=self.themenfeld or None,
            search=self.suche or None,
            sort=SORTS[self.sortierung],
            descending=self.richtung == "ab",
        )

    @property
    def query(self) -> str:
        """The query string of this filter (defaults left out, the status always in)."""
        default = "ab" if self.sortierung in DESCENDING_FIRST else "auf"
        pairs = {
            "status": self.status,
            "aufruf": self.aufruf,
            "themenfeld": self.themenfeld,
            "suche": self.suche,
            "sortierung": "" if self.sortierung == "eingang" else self.sortierung,
            "richtung": "" if self.richtung == default else self.richtung,
        }
        return urlencode({k: v for k, v in pairs.items() if v})

    @property
    def order_text(self) -> str:
        return ORDER_TEXTS[(self.sortierung, self.richtung)]

    def sorted_by(self, sort: str) -> str:
        """The query string for a column header: this order, turned round if it is already
        the order, from page 1."""
        if sort == self.sortierung:
            direction = "auf" if self.richtung == "ab" else "ab"
        else:
            direction = "ab" if sort in DESCENDING_FIRST else "auf"
        return replace(self, sortierung=sort, richtung=direction).query

    def aria_sort(self, sort: str) -> str:
        if sort != self.sortierung:
            return "none"
        return "descending" if self.richtung == "ab" else "ascending"
