"""Queries of the learned rules (``LearnedRule``): the pipeline reads the active ones, a
correction stores one (or the next version of its layout's rule), staff list and remove them.

A rule is versioned by its layout and field: a later correction on a sketch of the same
layout teaching the same field replaces the active version (``superseded``) with a new one
under the same ``rule_no``. Removing a rule ends its active version (``removed``); the rows
stay, so every ``taught@<rule>.<version>`` a stored value names can be looked up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from extractors.taught import Layout, Source, TaughtRule, same_layout, similarity
from models.tables import (
    RULE_ACTIVE,
    RULE_REMOVED,
    RULE_SUPERSEDED,
    LearnedRule,
    utcnow,
)

__all__ = ["RuleRow", "active_rules", "as_rule", "remove_rule", "rule_rows", "store_rule"]


def as_rule(row: LearnedRule) -> TaughtRule:
    """The pure rule of a stored version."""
    layout = Layout.from_dict({"producer": row.producer, **(row.layout or {})})
    return TaughtRule.from_where(
        field=row.field,
        kind=row.kind,
        layout=layout,
        where=row.place or {},
        rule_id=int(row.rule_no or row.id or 0),
        version=row.version,
        source=Source(row.correction_id, row.sketch_id, row.author),
        active=row.status == RULE_ACTIVE,
    )


def active_rules(session: Session) -> tuple[TaughtRule, ...]:
    """Every rule in use (one version per rule), oldest first: what an extraction applies."""
    rows = session.exec(
        select(LearnedRule)
        .where(col(LearnedRule.status) == RULE_ACTIVE)
        .order_by(col(LearnedRule.rule_no), col(LearnedRule.version))
    )
    return tuple(as_rule(r) for r in rows)


def store_rule(session: Session, *, rule: TaughtRule) -> TaughtRule:
    """Store a rule just learned: the next version of the active rule of the same field
    and layout (the most alike, if several), else a new rule. Returns it with its ids."""
    now = utcnow()
    rivals = [
        row
        for row in session.exec(
            select(LearnedRule).where(
                col(LearnedRule.status) == RULE_ACTIVE,
                col(LearnedRule.field) == rule.field,
                col(LearnedRule.producer) == rule.layout.producer,
            )
        )
        if same_layout(as_rule(row).layout, rule.layout)
    ]
    old = max(rivals, key=lambda r: similarity(as_rule(r).layout, rule.layout), default=None)
    layout = rule.layout.as_dict()
    row = LearnedRule(
        rule_no=old.rule_no if old is not None else None,
        version=old.version + 1 if old is not None else 1,
        field=rule.field,
        kind=rule.kind,
        place=rule.where(),
        producer=rule.layout.producer,
        layout={"labels": layout["labels"], "marks": layout["marks"]},
        correction_id=rule.source.correction_id,
        sketch_id=rule.source.sketch_id,
        author=rule.source.author,
        created_at=now,
    )
    if old is not None:
        old.status, old.ended_at, old.ended_by = RULE_SUPERSEDED, now, rule.source.author
        session.add(old)
    session.add(row)
    session.flush()
    if row.rule_no is None:
        row.rule_no = row.id
        session.add(row)
        session.flush()
    return as_rule(row)


def remove_rule(session: Session, *, rule_no: int, actor: str) -> bool:
    """Staff take a rule out of use (its active version ends as ``removed``; the row stays
    for the audit). False when the rule has no active version."""
    row = session.exec(
        select(LearnedRule).where(
            col(LearnedRule.rule_no) == rule_no, col(LearnedRule.status) == RULE_ACTIVE
        )
    ).first()
    if row is None:
        return False
    row.status, row.ended_at, row.ended_by = RULE_REMOVED, utcnow(), actor
    session.add(row)
    session.flush()
    return True


@dataclass(frozen=True)
class RuleRow:
    """One version as the list of learned rules shows it."""

    row: LearnedRule
    rule: TaughtRule

    @property
    def labels(self) -> list[str]:
        """A few of the layout's label texts, to recognise it by."""
        return sorted(self.rule.layout.labels, key=lambda t: (len(t), t))[:6]


def rule_rows(session: Session, *, statuses: Iterable[str] | None = None) -> list[RuleRow]:
    """Every stored version (``statuses``: only these), newest rule and version first."""
    stmt = select(LearnedRule)
    if statuses is not None:
        stmt = stmt.where(col(LearnedRule.status).in_(list(statuses)))
    rows = session.exec(
        stmt.order_by(col(LearnedRule.rule_no).desc(), col(LearnedRule.version).desc())
    )
    return [RuleRow(r, as_rule(r)) for r in rows]
