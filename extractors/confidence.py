"""Evidence checks across fields: the last step before results leave ``extract_fields``.

The family extractors rate how a value was found (labelled cell, prose, agreement of
several mentions). This step adds what a value *is*: a value that fails validation
(email syntax, 5-digit postcode, known federal state, plausible amounts and dates) is
capped below the review threshold, a budget whose parts add up raises all three amounts,
and an absent field is a confident "absent" only when the document never labels it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import DocView, match_label, question_mentions
from extractors.parties import corporation_type
from extractors.types import FEDERAL_STATES, FieldResult

REVIEW_CAP = 0.45
"""Confidence ceiling for a value that fails validation: below any sensible threshold."""
ABSENT_UNLABELLED = 0.75
"""An optional field (short name, declared topic fields) with no label anywhere: the
sketch has no such item."""
ABSENT_COMMON = 0.45
"""A field nearly every sketch gives, neither labelled nor found: more likely missed."""
ABSENT_LABELLED = 0.25
"""A label was found but no value could be read: staff must look."""
OPTIONAL = frozenset({"akronym", "themenfelder"})

_BUDGET = ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur")


def _email_ok(v: str) -> bool:
    try:
        validate_email(v, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _phone_ok(v: str) -> bool:
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(v, "DE"))
    except phonenumbers.NumberParseException:
        return False


def _date_ok(v: str) -> bool:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v)
    if not m:
        return False
    y, mo, d = (int(x) for x in m.groups())
    days = [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 2010 <= y <= 2040 and 1 <= mo <= 12 and 1 <= d <= days[mo - 1]


VALIDATORS: dict[str, Callable[[object], bool]] = {
    "email": lambda v: isinstance(v, str) and _email_ok(v),
    "telefon": lambda v: isinstance(v, str) and _phone_ok(v),
    "plz": lambda v: isinstance(v, str) and bool(re.fullmatch(r"\d{5}", v)),
    "bundesland": lambda v: v in FEDERAL_STATES,
    "einwohnerzahl": lambda v: isinstance(v, int) and 50 <= v <= 4_000_000,
    "laufzeit_monate": lambda v: isinstance(v, int) and 3 <= v <= 72,
    "projektbeginn": lambda v: isinstance(v, str) and _date_ok(v),
    "datum": lambda v: isinstance(v, str) and _date_ok(v),
    "gesamtkosten_eur": lambda v: isinstance(v, int | float) and 10_000 <= v <= 20_000_000,
    "foerdersumme_eur": lambda v: isinstance(v, int | float) and 1_000 <= v <= 20_000_000,
    "eigenanteil_eur": lambda v: isinstance(v, int | float) and 0 < v <= 20_000_000,
}
"""Plausibility per field (the same rules the quality checks report on)."""


def _labels_for(config: FieldConfig) -> dict[str, tuple[str, ...]]:
    return {
        "projekttitel": config.title_labels,
        "akronym": config.acronym_labels,
        "antragsteller": config.applicant_labels,
        "koerperschaft_typ": config.corporation_type_labels,
        "landkreis": config.district_labels,
        "bundesland": config.state_labels,
        "ansprechperson": config.person_labels,
        "email": config.email_labels,
        "telefon": config.phone_labels,
        "plz": config.postcode_labels + config.address_labels,
        "einwohnerzahl": config.population_labels,
        "kooperationspartner": config.partner_labels,
        "themenfelder": config.topic_labels,
        "laufzeit_monate": config.duration_labels,
        "projektbeginn": config.start_labels,
        "gesamtkosten_eur": config.total_labels,
        "foerdersumme_eur": config.funding_labels,
        "eigenanteil_eur": config.own_share_labels,
        "datum": config.date_labels,
    }


def label_present(view: DocView, labels: tuple[str, ...]) -> bool:
    """Does any line segment or table cell start with one of ``labels``?"""
    for ln in view.lines:
        if any(
            match_label(s.text, labels) or question_mentions(s.text, labels) for s in ln.segments
        ):
            return True
    return any(
        match_label(c, labels)
        for p in view.doc.pages
        for t in p.tables
        for r in t.rows
        for c in r
        if c
    )


def _with(r: FieldResult, conf: float) -> FieldResult:
    return r.model_copy(update={"confidence": round(max(0.0, min(1.0, conf)), 3)})


def calibrate(
    results: dict[str, FieldResult], view: DocView, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """Adjust confidences by validation, budget arithmetic and absence evidence."""
    out = dict(results)
    labels = _labels_for(config)
    for name, r in results.items():
        empty = r.value is None or r.value == []
        if empty:
            if r.confidence <= 0.25 and name in labels:
                # nothing found: confident only if the form never asks for it
                seen = label_present(view, labels[name])
                conf = ABSENT_UNLABELLED if name in OPTIONAL else ABSENT_COMMON
                out[name] = _with(r, ABSENT_LABELLED if seen else conf)
            continue
        check = VALIDATORS.get(name)
        if check is not None and not check(r.value):
            out[name] = _with(r, min(r.confidence, REVIEW_CAP))
    values = [out[n].value for n in _BUDGET]
    if all(isinstance(v, int | float) for v in values):
        total, funding, own = (float(v) for v in values)  # type: ignore[arg-type]
        if abs(funding + own - total) <= 1.0 and funding <= total:
            # three numbers read separately that add up: each confirms the others
            for n in _BUDGET:
                out[n] = _with(out[n], out[n].confidence + (1.0 - out[n].confidence) * 0.6)
        elif funding > total:
            for n in _BUDGET:
                out[n] = _with(out[n], min(out[n].confidence, REVIEW_CAP))
    typ, applicant = out["koerperschaft_typ"], out["antragsteller"]
    agrees = bool(applicant.value) and corporation_type(str(applicant.value)) == typ.value
    if typ.value and agrees and typ.confidence < applicant.confidence:
        out["koerperschaft_typ"] = _with(typ, applicant.confidence)
    return out
