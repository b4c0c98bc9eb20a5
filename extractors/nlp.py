"""The shared blank German spaCy pipeline (no trained model exists for this project).

``spacy.blank("de")`` plus the lookup lemmatizer whose table ships in the
``spacy-lookups-data`` package, so everything works offline. Built once per process:
loading the 355k-entry lemma table is the slow part (~1 s).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.lookups import load_lookups

NLP_VERSION = "blank-de+lookup-lemma"


def build_nlp() -> Language:
    """A fresh blank German pipeline with an initialised lookup lemmatizer."""
    nlp = spacy.blank("de")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lookups = load_lookups("de", ["lemma_lookup"])  # from spacy-lookups-data, no network
    lemmatizer.initialize(lookups=lookups)  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline (treat as read-only: do not add pipes to it)."""
    return build_nlp()
