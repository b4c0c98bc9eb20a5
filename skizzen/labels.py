"""German labels for what staff read: fields, statuses, check codes and outcomes.

Codes stay English in the database (DOMAIN.md names); only the page and the report translate.
Unknown codes fall back to the code itself, so a new rule never breaks the page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from expectations.suite import DEFAULT_RULES as RULES
from expectations.suite import check_specs
from extractors.registry import FIELDS
from extractors.vocab import OUTCOMES, REVIEW_REASONS
from skizzen.german import format_number

FieldKind = Literal["text", "int", "money", "date", "list"]

FIELD_LABELS: dict[str, str] = {f.name: f.display for f in FIELDS}
"""German field labels, from the field registry (``extractors.registry``)."""

LABEL_FIELD_LABELS: dict[str, str] = {
    "themes": "Themenfelder (erkannt)",
    "loesungsart": "Lösungsart",
}
"""German names of the inferred labels staff may correct (``models.repo.LABEL_FIELDS``)."""

FIELD_KINDS: dict[str, FieldKind] = {
    f.name: f.input_kind  # type: ignore[misc]
    for f in FIELDS
    if f.input_kind != "text"
}
"""Input type per field (registry); every other field is free text."""

STATUS_LABELS: dict[str, str] = {
    "new": "neu",
    "needs_review": "zu prüfen",
    "ready": "ohne Befund",
    "approved": "freigegeben",
    "rejected": "abgelehnt",
    "not_a_sketch": "keine Skizze",
}

ACTION_LABELS: dict[str, str] = {
    "approved": "Freigeben",
    "rejected": "Ablehnen",
    "not_a_sketch": "Keine Skizze",
    "needs_review": "Wieder zur Prüfung",
}

AUDIT_ACTIONS: dict[str, str] = {
    "correct": "Korrektur",
    "status": "Status geändert",
    "take": "als Skizze übernommen",
}

CODE_LABELS: dict[str, str] = {
    **{check.code.partition(":")[0]: check.label for check in check_specs(RULES)},
    **REVIEW_REASONS,
}
"""German names of check codes and review reasons: from the suite and the vocabulary."""

OUTCOME_LABELS: dict[str, str] = dict(OUTCOMES)
"""German outcome labels, from the vocabulary (``extractors.vocab``)."""

BERLIN = ZoneInfo("Europe/Berlin")


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or LABEL_FIELD_LABELS.get(name, name)


def field_kind(name: str) -> FieldKind:
    return FIELD_KINDS.get(name, "text")


def code_label(code: str) -> str:
    """German label of a check code or status reason, e.g. ``missing_field:email``."""
    base, _, arg = code.partition(":")
    label = CODE_LABELS.get(base, base)
    if not arg:
        return label
    return f"{label}: {FIELD_LABELS.get(arg, arg)}"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def outcome_label(outcome: str | None) -> str:
    return OUTCOME_LABELS.get(outcome or "", outcome or "offen")


def format_value(value: Any, kind: FieldKind = "text") -> str:
    """A stored value as staff read it (German numbers and dates, lists one per line)."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if kind in ("int", "money") and isinstance(value, int | float) and not isinstance(value, bool):
        decimals = 2 if kind == "money" and float(value) != int(value) else 0
        return format_number(float(value), decimals=decimals)
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)


def format_datetime(value: datetime | None) -> str:
    """UTC timestamp as Berlin local time, ``21.11.2026 13:38``."""
    if value is None:
        return "–"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
