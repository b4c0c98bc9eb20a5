"""The call's formal and plausibility rules (DOMAIN.md), recomputed from final truth fields.

``violations(fields)`` takes the 19 truth fields (DOMAIN names, normalised values as in
sketches.jsonl) and returns the sorted list of check codes.
"""

from __future__ import annotations

import datetime as dt
import re

KNOWN_STATES = frozenset(
    {
        "Baden-Württemberg",
        "Bayern",
        "Berlin",
        "Brandenburg",
        "Bremen",
        "Hamburg",
        "Hessen",
        "Mecklenburg-Vorpommern",
        "Niedersachsen",
        "Nordrhein-Westfalen",
        "Rheinland-Pfalz",
        "Saarland",
        "Sachsen",
        "Sachsen-Anhalt",
        "Schleswig-Holstein",
        "Thüringen",
    }
)

REQUIRED_FIELDS = ("projekttitel", "antragsteller", "email", "gesamtkosten_eur", "laufzeit_monate")

COST_MIN, COST_MAX = 200_000, 600_000
MAX_MONTHS = 36

# the words a municipal body (or association of municipalities) is named with
_MUNICIPAL_HEADS = {
    "gemeinde",
    "ortsgemeinde",
    "einheitsgemeinde",
    "stadt",
    "hansestadt",
    "kreisstadt",
    "große",
    "markt",
    "marktgemeinde",
    "amt",
    "verbandsgemeinde",
    "samtgemeinde",
    "verwaltungsgemeinschaft",
}

# local part: letters, digits and ._%+- ; domain: labels of letters/digits/hyphens, a TLD of
# at least two letters
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)


def is_municipal(name: str) -> bool:
    """Whether a partner name denotes a municipality (so a district does not apply alone)."""
    head = name.strip().split(" ", 1)[0].lower()
    if head == "große" and " kreisstadt " in f" {name.lower()} ":
        return True
    return head in _MUNICIPAL_HEADS - {"große"}


def valid_email(s: str) -> bool:
    return bool(_EMAIL.fullmatch(s))


def valid_iso_date(s: str) -> bool:
    try:
        dt.date.fromisoformat(s)
    except (TypeError, ValueError):
        return False
    return True


def _empty(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def violations(f: dict) -> list[str]:
    out: set[str] = set()
    for name in REQUIRED_FIELDS:
        if _empty(f.get(name)):
            out.add(f"missing_field:{name}")
    total = f.get("gesamtkosten_eur")
    if total is not None and (total < COST_MIN or total > COST_MAX):
        out.add("cost_out_of_range")
    months = f.get("laufzeit_monate")
    if months is not None and months > MAX_MONTHS:
        out.add("duration_too_long")
    partners = list(f.get("kooperationspartner") or [])
    if not partners:
        out.add("no_cooperation_partner")
    if f.get("koerperschaft_typ") == "Landkreis" and not any(is_municipal(p) for p in partners):
        out.add("applicant_is_district_alone")
    funding, own = f.get("foerdersumme_eur"), f.get("eigenanteil_eur")
    if (
        total is not None
        and funding is not None
        and own is not None
        and abs(funding + own - total) > 1
    ):
        out.add("funding_sum_mismatch")
    mail = f.get("email")
    if not _empty(mail) and not valid_email(mail):
        out.add("invalid_email")
    plz = f.get("plz")
    if plz is not None and not re.fullmatch(r"[0-9]{5}", str(plz)):
        out.add("invalid_postcode")
    state = f.get("bundesland")
    if state is not None and state not in KNOWN_STATES:
        out.add("unknown_state")
    pop = f.get("einwohnerzahl")
    if pop is not None and pop <= 0:
        out.add("invalid_population")
    for key in ("datum", "projektbeginn"):
        d = f.get(key)
        if d is not None and not valid_iso_date(d):
            out.add("invalid_date")
    return sorted(out)
