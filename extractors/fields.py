"""Entry point of the field extractors: one FieldResult per name in FIELD_NAMES."""

from __future__ import annotations

from extractors.amounts import extract_amounts
from extractors.confidence import calibrate
from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.contacts import extract_contacts
from extractors.dates import extract_dates
from extractors.layout import DocView
from extractors.parties import extract_parties
from extractors.partners import extract_partners
from extractors.topics import extract_topics
from extractors.types import FIELD_NAMES, FieldResult, ParsedDocument

__all__ = ["DEFAULT_CONFIG", "FieldConfig", "extract_fields"]


def extract_fields(
    doc: ParsedDocument, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """Extract all 19 fields; a field not found has value None (``[]`` for lists).

    Every result carries a confidence in [0, 1]: how the value was found, whether other
    mentions agree, whether it passes validation; for an absent field, whether the form
    asked for it at all (see ``extractors.confidence``).
    """
    view = DocView(doc)
    found: dict[str, FieldResult] = {}
    for family in (
        extract_parties,
        extract_partners,
        extract_contacts,
        extract_topics,
        extract_dates,
        extract_amounts,
    ):
        found.update(family(view, config=config))
    complete = {
        name: found.get(name)
        or FieldResult(field=name, value=None, confidence=0.0, extractor="fields@2")
        for name in FIELD_NAMES
    }
    return calibrate(complete, view, config=config)
