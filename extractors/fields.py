"""Entry point of field extraction: one ``FieldResult`` per field of the registry.

Document model → key/value graph and typed scans → candidates → scorer. Pure: a parsed
document and a frozen model in, typed results with evidence (page, box, snippet) and a
calibrated confidence out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from extractors.candidates.cand import NONE, Cand
from extractors.candidates.collect import collect
from extractors.candidates.features import finalise
from extractors.document import DocModel
from extractors.registry import FIELD_NAMES, FIELDS
from extractors.scorer import UNREAD_REQUIRED_CONFIDENCE, FieldModel, Scored, default_model
from extractors.types import Evidence, FieldResult, ParsedDocument
from extractors.values import corporation_type, strip_district

__all__ = ["EXTRACTOR", "STAGE_TWO", "candidates_for", "derived_candidates", "extract_fields"]

EXTRACTOR = "fields@3"
_LIST_FIELDS = {f.name for f in FIELDS if f.list_valued}
_AMOUNTS = ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur")
STAGE_TWO = ("koerperschaft_typ", "landkreis")


def candidates_for(
    doc: ParsedDocument | DocModel,
) -> tuple[dict[str, list[Cand]], dict[str, float], DocModel]:
    """Every candidate per field with its features (the scorer's input), the best label
    score seen per field, and the document model."""
    model = doc if isinstance(doc, DocModel) else DocModel(doc)
    col = collect(model)
    cands = finalise(col)
    _consistency(cands)
    return cands, col.labels_seen, model


def extract_fields(
    doc: ParsedDocument, *, model: FieldModel | None = None
) -> dict[str, FieldResult]:
    """Extract every field; a field not found has value None (``[]`` for lists)."""
    fm = model or default_model()
    cands, seen, _ = candidates_for(doc)
    chosen: dict[str, Scored] = {}
    for name in FIELD_NAMES:
        if name in STAGE_TWO:
            continue
        chosen[name] = fm.rank(name, cands.get(name, []), seen)
    for name in STAGE_TWO:
        extra = derived_candidates(name, chosen.get("antragsteller"))
        chosen[name] = fm.rank(name, cands.get(name, []) + extra, seen)
    _not_the_total(chosen)
    return {name: _result(chosen[name], fm) for name in FIELD_NAMES}


def _not_the_total(chosen: dict[str, Scored]) -> None:
    """A share read from a bare number that is the total cost is the total itself ("Gesamt
    350.020,00" read again for funding and own share): not found, for staff to look at."""
    total = chosen.get("gesamtkosten_eur")
    if total is None or total.cand is None or total.cand.value is NONE:
        return
    for name in ("foerdersumme_eur", "eigenanteil_eur"):
        s = chosen.get(name)
        c = s.cand if s is not None else None
        if c is None or c.value is NONE or c.key != total.cand.key:
            continue
        if c.label is None and c.feats.get("ctx", 0.0) < 0.5:
            chosen[name] = Scored(
                name, None, s.prob, min(s.confidence, UNREAD_REQUIRED_CONFIDENCE), s.ranked
            )


def derived_candidates(name: str, applicant: Scored | None) -> list[Cand]:
    """Readings of a field implied by the chosen applicant ("Amt X" → Amt; a Landkreis is
    its own district)."""
    if applicant is None or applicant.cand is None or not isinstance(applicant.cand.value, str):
        return []
    a = applicant.cand
    kind = corporation_type(a.value)
    feats = {"derived": 1.0, "derived_p": applicant.prob}
    if name == "koerperschaft_typ" and kind:
        return [Cand(name, kind, "derived", a.frags, None, 0.0, dict(feats), a.value)]
    if name == "landkreis" and kind == "Landkreis":
        return [
            Cand(name, strip_district(a.value), "derived", a.frags, None, 0.0, dict(feats), a.value)
        ]
    return []


def _budget_triples(
    total: set[float], funding: set[float], own: set[float]
) -> tuple[set[float], set[float], set[float]]:
    """Totals, fundings and own contributions that form some ``total = funding + own``
    with ``0 < funding < total`` (in cents, so that rounding cannot break the sum)."""
    if not (total and funding and own):
        return set(), set(), set()
    t = np.array(sorted(total))
    f = np.array(sorted(funding))
    o_cents = np.array(sorted(round(x * 100) for x in own), dtype=np.int64)
    diff = np.rint((t[:, None] - f[None, :]) * 100).astype(np.int64)
    valid = (f[None, :] > 0) & (f[None, :] < t[:, None])
    pos = np.clip(np.searchsorted(o_cents, diff), 0, len(o_cents) - 1)
    hit = valid & (o_cents[pos] == diff)
    ti, fi = np.nonzero(hit)
    return (
        {float(x) for x in t[np.unique(ti)]},
        {float(x) for x in f[np.unique(fi)]},
        {round(int(c) / 100, 2) for c in diff[ti, fi]},
    )


def _consistency(cands: dict[str, list[Cand]]) -> None:
    """Cross-field evidence as features: budget arithmetic, applicant ↔ e-mail domain."""
    values = {
        n: {round(float(c.value), 2) for c in cands.get(n, []) if isinstance(c.value, int | float)}
        for n in _AMOUNTS
    }
    total, funding, own = (values[n] for n in _AMOUNTS)
    # the amounts that take part in some total = funding + own contribution (each distinct
    # value once, as arrays: a long annex has a thousand amounts, candidates repeat them)
    ok_total, ok_funding, ok_own = _budget_triples(total, funding, own)
    if any(t in funding for t in total):
        ok_own.update(o for o in own if o <= 0)  # fully funded: no own contribution
    for name, ok in zip(_AMOUNTS, (ok_total, ok_funding, ok_own), strict=True):
        for c in cands.get(name, []):
            if isinstance(c.value, int | float):
                c.feats["bud_cons"] = float(round(float(c.value), 2) in ok)
    domains = " ".join(
        c.value.split("@", 1)[1].casefold()
        for c in cands.get("email", [])
        if isinstance(c.value, str) and "@" in c.value
    )
    places = set()
    for c in cands.get("antragsteller", []):
        if isinstance(c.value, str):
            place = _slug(c.value.split(" ", 1)[-1])
            c.feats["dom"] = float(bool(place) and len(place) >= 4 and place[:8] in domains)
            if (len(place) >= 4 and c.label_score >= 0.5) or c.feats.get("dom"):
                places.add(place[:8])
    for c in cands.get("plz", []):
        town = _slug(_town_after(c))
        c.feats["town_match"] = float(
            bool(town) and any(p in town or town[:8] in p for p in places)
        )
        c.feats["town_in_domain"] = float(len(town) >= 4 and town[:8] in domains)


def _town_after(c: Cand) -> str:
    """The town written after a postcode ("37093 Rehlar" → "Rehlar")."""
    text = " ".join(f.text for f in c.frags) if c.frags else c.snippet
    m = re.search(rf"{re.escape(str(c.value))}\s+([A-ZÄÖÜ][\wäöüß\-]+)", text)
    return m.group(1) if m else ""


def _slug(text: str) -> str:
    t = text.casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        t = t.replace(a, b)
    t = re.sub(r"\(.*?\)", "", t)
    return re.sub(r"[^a-z]", "", t.split(" an ")[0])


def _result(s: Scored, fm: FieldModel) -> FieldResult:
    c = s.cand
    value = None if c is None or c.value is NONE else c.value
    if s.field in _LIST_FIELDS and value is None:
        value = []
    evidence = None
    if c is not None and c.frags:
        page = c.frags[0].page
        same = [f for f in c.frags if f.page == page]
        if c.label is not None and c.label.frag.page == page:
            same = [c.label.frag, *same]
        box = (
            round(min(f.x0 for f in same), 1),
            round(min(f.top for f in same), 1),
            round(max(f.x1 for f in same), 1),
            round(max(f.bottom for f in same), 1),
        )
        evidence = Evidence(page=page, snippet=c.snippet[:300] or c.frags[0].text[:300], box=box)
    return FieldResult(
        field=s.field,
        value=value,
        confidence=round(min(max(s.confidence, 0.0), 1.0), 3),
        evidence=evidence,
        extractor=f"{EXTRACTOR}+{fm.version}",
    )


def explain(
    doc: ParsedDocument, name: str, *, model: FieldModel | None = None, top: int = 8
) -> list[tuple[float, str]]:
    """The best-ranked candidates of one field (a debugging aid for developers)."""
    fm = model or default_model()
    cands, seen, _ = candidates_for(doc)
    extra: Sequence[Cand] = ()
    s = fm.rank(name, list(cands.get(name, [])) + list(extra), seen)
    return [
        (
            round(p, 3),
            "∅"
            if c is None
            else f"{c.source} {c.value!r} | {c.snippet[:80]!r} "
            f"{sorted((k, round(v, 2)) for k, v in c.feats.items())}",
        )
        for p, c in s.ranked[:top]
    ]
