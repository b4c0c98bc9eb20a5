"""Corrections teach: a saved staff correction becomes a rule for the sketch's layout.

``learn_from_correction`` runs right after the review page saved a correction: it reads the
sketch's cached parse, lets ``extractors.taught.learn`` find where the corrected value is
written, and stores that as a rule (or the next version of the rule of that layout and
field, ``models.teach``). The next extraction of a sketch of the same layout (a new one, a
rerun) reads the field there. Learning is a bonus to the correction, never a condition of
it: any failure is logged and the correction stands.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import col, select

from extractors.registry import FIELD_NAMES
from extractors.taught import Source, TaughtRule, learn, same_value
from models import teach
from models.db import session_scope
from models.tables import Correction, FieldValue, Sketch
from skizzen.settings import RuntimeConfig

log = logging.getLogger(__name__)

__all__ = ["learn_from_correction", "remove_rule"]


def learn_from_correction(
    config: RuntimeConfig,
    sketch_id: int,
    field: str,
    *,
    actor: str = "",
    value: Any = None,
    correction_id: int | None = None,
) -> TaughtRule | None:
    """Learn from the correction of ``field`` on ``sketch_id`` as stored (its value, id
    and author; ``value``, ``correction_id`` and ``actor`` only stand in when there is no
    stored one). Returns the stored rule, or None: not a field of the form, an empty
    value, the machine had it already, no cached parse, or the value is not written in the
    sketch. Never raises: the correction stands whatever happens here."""
    try:
        return _learn(
            config,
            sketch_id=sketch_id,
            field=field,
            actor=actor,
            value=value,
            correction_id=correction_id,
        )
    except Exception:
        log.exception("learning from the correction of %s on sketch %s failed", field, sketch_id)
        return None


def _learn(
    config: RuntimeConfig,
    *,
    sketch_id: int,
    field: str,
    actor: str,
    value: Any,
    correction_id: int | None,
) -> TaughtRule | None:
    from skizzen.documents.parsing import PARSER_VERSION, ParseCache

    if field not in FIELD_NAMES:
        return None  # the inferred labels (topic fields, kinds of solution) have no place
    with session_scope(config.database_url) as session:
        sketch = session.get(Sketch, sketch_id)
        if sketch is None:
            return None
        corr = session.exec(
            select(Correction).where(
                col(Correction.sketch_id) == sketch_id, col(Correction.field) == field
            )
        ).first()
        machine = session.exec(
            select(FieldValue).where(
                col(FieldValue.sketch_id) == sketch_id, col(FieldValue.field) == field
            )
        ).first()
        sha = sketch.sha256
    if corr is not None:
        value, correction_id, actor = corr.value, corr.id, corr.author or actor
    if value is None or value == [] or value == "":
        return None
    if machine is not None and same_value(value, machine.value):
        return None  # confirmed, not corrected: the machine reads this layout already
    doc = ParseCache(config.parse_cache_dir).get(sha, PARSER_VERSION)
    if doc is None:
        log.info("sketch %s: no cached parse, nothing learned from its correction", sketch_id)
        return None
    rule = learn(doc, field, value, source=Source(correction_id, sketch_id, actor))
    if rule is None:
        return None
    with session_scope(config.database_url) as session:
        stored = teach.store_rule(session, rule=rule)
    log.info(
        "learned %s (%s) from the correction of %s on sketch %s",
        stored.extractor,
        stored.kind,
        field,
        sketch_id,
    )
    return stored


def remove_rule(config: RuntimeConfig, *, rule_no: int, actor: str) -> bool:
    """Staff take a learned rule out of use; False when it has no active version."""
    with session_scope(config.database_url) as session:
        return teach.remove_rule(session, rule_no=rule_no, actor=actor)
