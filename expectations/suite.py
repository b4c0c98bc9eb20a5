"""The formal rules of the call as data: which GX expectation implements which check code.

This module is pure (no Great Expectations import): it declares the rules
(:class:`RuleConfig`), the expectation for every check code (:func:`check_specs`) and the
small preparation step (:func:`prepare_rows`) that turns the normalised sketch fields into
the columns GX validates. ``skizzen.steps.quality`` turns the specs into a GX suite and runs it.

It is also the one vocabulary of the rules for staff: every German text about a rule — its
short name (``CheckSpec.label``), its explanation (``CheckSpec.rule``) and the finding for one
sketch (:func:`finding_text`) — is made here, and every number in them from the
:class:`RuleConfig`, so a changed bound changes every text that names it.

Why derived columns: GX's column expectations compare values against ranges, sets and
regexes. Some rules need Python first and are computed here, once, as plain columns:

* ``funding_gap_eur`` – |funding + own − total|, only when all three amounts are present
  (GX has no row-wise arithmetic across three nullable columns);
* ``email_valid`` – syntax check with email-validator (RFC 5321/5322, IDN aware, no DNS);
  a regex in GX would be either too lax or reject valid umlaut domains;
* ``projektbeginn_exists`` / ``datum_exists`` – ``2021-02-30`` has the right shape but
  is no calendar date; only ``datetime.date`` knows;
* ``bundesland_canonical`` – strips official prefixes ("Freistaat Bayern") so GX's set
  check sees the canonical name (see :func:`canonical_state`);
* ``district_alone`` – the applicant is a Landkreis and no municipality applies jointly
  (needs the applicant type and the first word of every partner);
* ``partner_count`` – lists cannot be range-checked by GX;
* ``einwohnerzahl_is_int`` – "a positive number" means an integer count of people.

Each check fires only when its field is present: GX column-map expectations ignore
nulls, and a missing required field is reported as ``missing_field:<name>`` instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from extractors.registry import REQUIRED_FIELDS, spec
from extractors.vocab import FEDERAL_STATES, MUNICIPAL_WORDS, STATE_ALIASES, STATE_PREFIXES
from skizzen.german import format_eur, format_number

__all__ = [
    "DEFAULT_RULES",
    "DERIVED_COLUMNS",
    "FIELD_LABELS",
    "NUMERIC_COLUMNS",
    "SUITE_NAME",
    "CheckSpec",
    "RuleConfig",
    "canonical_state",
    "check_specs",
    "date_exists",
    "email_is_valid",
    "finding_text",
    "german_number",
    "is_district",
    "is_municipal_partner",
    "prepare_rows",
]

SUITE_NAME = "skizzen_formal_rules_v1"
"""Name of the GX suite; bump the suffix when the meaning of a rule changes."""

STATE_ABBREVIATIONS: Mapping[str, str] = STATE_ALIASES
"""Official two-letter codes and the usual short forms (``extractors.vocab``)."""


@dataclass(frozen=True)
class RuleConfig:
    """Parameters of the formal rules; one call may use other limits than the default."""

    min_cost_eur: float = 200_000
    max_cost_eur: float = 600_000
    max_duration_months: int = 36
    min_partners: int = 1
    funding_tolerance_eur: float = 1.0
    min_population: int = 1
    postcode_digits: int = 5
    required_fields: tuple[str, ...] = REQUIRED_FIELDS
    federal_states: tuple[str, ...] = FEDERAL_STATES
    accept_state_aliases: bool = True
    """Accept "Freistaat Bayern", "Land Brandenburg", "NRW" as known states."""
    municipal_words: tuple[str, ...] = MUNICIPAL_WORDS

    @property
    def postcode_regex(self) -> str:
        """The postcode pattern GX matches, made from ``postcode_digits`` (one bound, one
        source for the check and the German text that names it)."""
        return rf"^\d{{{self.postcode_digits}}}$"


DEFAULT_RULES = RuleConfig()


@dataclass(frozen=True)
class CheckSpec:
    """One expectation of the suite: the GX class name, the column it validates, its
    parameters, the check code it reports and the sketch field it is about."""

    code: str
    expectation: str
    column: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    source_field: str | None = None
    rule: str = ""
    """German sentence that explains the rule with its bounds (generated from the config),
    shown in Data Docs, the Prüfbericht and the report."""
    label: str = ""
    """Short German name of a breach, for the review page, the report and the run summary
    (generated from the bounds)."""


NUMERIC_COLUMNS: tuple[str, ...] = (
    "gesamtkosten_eur",
    "laufzeit_monate",
    "partner_count",
    "funding_gap_eur",
    "einwohnerzahl",
)
"""Prepared columns GX must see as float64 (NaN for absent), so range checks work even
when every value of a batch is absent."""

DERIVED_COLUMNS: tuple[str, ...] = (
    "district_alone",
    "partner_count",
    "funding_gap_eur",
    "email_valid",
    "bundesland_canonical",
    "einwohnerzahl_is_int",
    "projektbeginn_exists",
    "datum_exists",
)


FIELD_LABELS: Mapping[str, str] = {
    "projekttitel": "Projekttitel",
    "akronym": "Akronym",
    "antragsteller": "Antragsteller",
    "koerperschaft_typ": "Art der Körperschaft",
    "landkreis": "Landkreis",
    "bundesland": "Bundesland",
    "ansprechperson": "Ansprechperson",
    "email": "E-Mail-Adresse",
    "telefon": "Telefon",
    "plz": "Postleitzahl",
    "einwohnerzahl": "Einwohnerzahl",
    "kooperationspartner": "Kooperationspartner",
    "themenfelder": "Themenfelder",
    "laufzeit_monate": "Laufzeit",
    "projektbeginn": "Projektbeginn",
    "gesamtkosten_eur": "Gesamtkosten",
    "foerdersumme_eur": "Fördersumme",
    "eigenanteil_eur": "Eigenanteil",
    "datum": "Datum der Skizze",
}
"""German field names as they read inside a sentence (the registry's ``display`` names are
column heads and carry units, e.g. "Gesamtkosten (€)")."""


def _months(n: float) -> str:
    return f"{german_number(n)} {'Monat' if n == 1 else 'Monate'}"


def check_specs(config: RuleConfig = DEFAULT_RULES) -> tuple[CheckSpec, ...]:
    """All expectations of the suite for ``config``, missing-field checks first."""
    missing = tuple(
        CheckSpec(
            code=f"missing_field:{name}",
            expectation="ExpectColumnValuesToNotBeNull",
            column=name,
            source_field=name,
            rule=f"Die Pflichtangabe „{FIELD_LABELS.get(name, spec(name).display)}“ muss in "
            "der Skizze stehen.",
            label="Pflichtfeld fehlt",
        )
        for name in config.required_fields
    )
    partners = german_number(config.min_partners)
    return (
        *missing,
        CheckSpec(
            code="cost_out_of_range",
            expectation="ExpectColumnValuesToBeBetween",
            column="gesamtkosten_eur",
            kwargs={"min_value": config.min_cost_eur, "max_value": config.max_cost_eur},
            source_field="gesamtkosten_eur",
            rule=(
                "Die Gesamtkosten je Modellprojekt müssen zwischen "
                f"{format_eur(config.min_cost_eur)} und {format_eur(config.max_cost_eur)} liegen."
            ),
            label=(
                f"Gesamtkosten außerhalb {format_number(config.min_cost_eur)}–"
                f"{format_number(config.max_cost_eur)} €"
            ),
        ),
        CheckSpec(
            code="duration_too_long",
            expectation="ExpectColumnValuesToBeBetween",
            column="laufzeit_monate",
            kwargs={"max_value": config.max_duration_months},
            source_field="laufzeit_monate",
            rule=f"Die Laufzeit darf höchstens {_months(config.max_duration_months)} betragen.",
            label=f"Laufzeit über {config.max_duration_months} Monate",
        ),
        CheckSpec(
            code="applicant_is_district_alone",
            expectation="ExpectColumnValuesToBeInSet",
            column="district_alone",
            kwargs={"value_set": [False]},
            source_field="antragsteller",
            rule=(
                "Ein Landkreis ist nicht allein antragsberechtigt, nur als Koordinator oder "
                "gemeinsam mit einer Gemeinde seines Kreises."
            ),
            label="Landkreis ohne Gemeinde als Antragsteller",
        ),
        CheckSpec(
            code="no_cooperation_partner",
            expectation="ExpectColumnValuesToBeBetween",
            column="partner_count",
            kwargs={"min_value": config.min_partners},
            source_field="kooperationspartner",
            rule=(
                "Gefördert werden nur Kooperationsprojekte: mindestens "
                f"{partners} Kooperationspartner{'n' if config.min_partners > 1 else ''}."
            ),
            label="Kein Kooperationspartner",
        ),
        CheckSpec(
            code="funding_sum_mismatch",
            expectation="ExpectColumnValuesToBeBetween",
            column="funding_gap_eur",
            kwargs={"max_value": config.funding_tolerance_eur},
            source_field="foerdersumme_eur",
            rule=(
                "Fördersumme und Eigenanteil müssen zusammen die Gesamtkosten ergeben "
                f"(Abweichung höchstens {format_eur(config.funding_tolerance_eur)})."
            ),
            label="Förderung + Eigenanteil ≠ Gesamtkosten",
        ),
        CheckSpec(
            code="invalid_email",
            expectation="ExpectColumnValuesToBeInSet",
            column="email_valid",
            kwargs={"value_set": [True]},
            source_field="email",
            rule="Die E-Mail-Adresse muss eine gültige Adresse sein.",
            label="E-Mail-Adresse ungültig",
        ),
        CheckSpec(
            code="invalid_postcode",
            expectation="ExpectColumnValuesToMatchRegex",
            column="plz",
            kwargs={"regex": config.postcode_regex},
            source_field="plz",
            rule=(
                f"Die Postleitzahl muss aus {german_number(config.postcode_digits)} Ziffern "
                "bestehen."
            ),
            label="Postleitzahl ungültig",
        ),
        CheckSpec(
            code="unknown_state",
            expectation="ExpectColumnValuesToBeInSet",
            column="bundesland_canonical",
            kwargs={"value_set": list(config.federal_states)},
            source_field="bundesland",
            rule=(
                f"Das Bundesland muss eines der {german_number(len(config.federal_states))} "
                "deutschen Bundesländer sein."
            ),
            label="Bundesland unbekannt",
        ),
        CheckSpec(
            code="invalid_population",
            expectation="ExpectColumnValuesToBeBetween",
            column="einwohnerzahl",
            kwargs={"min_value": config.min_population},
            source_field="einwohnerzahl",
            rule=(
                f"Die Einwohnerzahl muss mindestens {german_number(config.min_population)} "
                "betragen."
            ),
            label="Einwohnerzahl ungültig",
        ),
        CheckSpec(
            code="invalid_population",
            expectation="ExpectColumnValuesToBeInSet",
            column="einwohnerzahl_is_int",
            kwargs={"value_set": [True]},
            source_field="einwohnerzahl",
            rule="Die Einwohnerzahl muss eine ganze Zahl sein.",
            label="Einwohnerzahl ungültig",
        ),
        CheckSpec(
            code="invalid_date",
            expectation="ExpectColumnValuesToBeInSet",
            column="projektbeginn_exists",
            kwargs={"value_set": [True]},
            source_field="projektbeginn",
            rule="Der Projektbeginn muss ein existierendes Kalenderdatum sein.",
            label="Datum ungültig",
        ),
        CheckSpec(
            code="invalid_date",
            expectation="ExpectColumnValuesToBeInSet",
            column="datum_exists",
            kwargs={"value_set": [True]},
            source_field="datum",
            rule="Das Datum der Skizze muss ein existierendes Kalenderdatum sein.",
            label="Datum ungültig",
        ),
    )


# --------------------------------------------------------------------------- findings


def german_number(value: Any) -> str:
    """A number the German way, decimals only where there are (4210 → "4.210",
    4210.5 → "4.210,5"); anything else as written."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return format_number(int(value))
    decimals = min(len(repr(float(value)).partition(".")[2].rstrip("0")), 3)
    return format_number(value, decimals=decimals)


def finding_text(
    spec: CheckSpec, row: Mapping[str, Any], *, config: RuleConfig = DEFAULT_RULES
) -> str:
    """The German finding for staff: which value of this sketch broke which rule, with the
    bound from ``config``."""
    name = spec.source_field or spec.column
    value = row.get(name)
    label = FIELD_LABELS.get(name, name)
    code = spec.code
    if code.startswith("missing_field:"):
        return f"Pflichtangabe „{label}“ wurde in der Skizze nicht gefunden."
    if code == "cost_out_of_range":
        cost = float(value)
        if cost > config.max_cost_eur:
            return (
                f"Gesamtkosten {format_eur(cost)} liegen über der Obergrenze von "
                f"{format_eur(config.max_cost_eur)}."
            )
        return (
            f"Gesamtkosten {format_eur(cost)} liegen unter der Untergrenze von "
            f"{format_eur(config.min_cost_eur)}."
        )
    if code == "duration_too_long":
        return (
            f"Laufzeit {_months(float(value))} überschreitet die Höchstdauer von "
            f"{german_number(config.max_duration_months)} Monaten."
        )
    if code == "applicant_is_district_alone":
        return (
            f"Antragsteller „{row.get('antragsteller') or 'Landkreis'}“ ist ein Landkreis, "
            "und keine Gemeinde seines Kreises beantragt gemeinsam mit ihm; ein Landkreis "
            "allein ist nicht antragsberechtigt."
        )
    if code == "no_cooperation_partner":
        return (
            "Es ist kein Kooperationspartner genannt; gefördert werden nur "
            f"Kooperationsprojekte (mindestens {german_number(config.min_partners)} Partner)."
        )
    if code == "funding_sum_mismatch":
        total = float(row["gesamtkosten_eur"])
        funding = float(row["foerdersumme_eur"])
        own = float(row["eigenanteil_eur"])
        return (
            f"Fördersumme {format_eur(funding)} + Eigenanteil {format_eur(own)} = "
            f"{format_eur(round(funding + own, 2))} weicht um "
            f"{format_eur(round(abs(funding + own - total), 2))} von den Gesamtkosten "
            f"{format_eur(total)} ab (zulässig: {format_eur(config.funding_tolerance_eur)})."
        )
    if code == "invalid_email":
        return f"E-Mail-Adresse „{value}“ ist keine gültige Adresse."
    if code == "invalid_postcode":
        return (
            f"Postleitzahl „{value}“ besteht nicht aus "
            f"{german_number(config.postcode_digits)} Ziffern."
        )
    if code == "unknown_state":
        return (
            f"Bundesland „{value}“ ist keines der "
            f"{german_number(len(config.federal_states))} deutschen Bundesländer."
        )
    if code == "invalid_population":
        return (
            f"Einwohnerzahl „{german_number(value)}“ ist keine ganze Zahl ab "
            f"{german_number(config.min_population)}."
        )
    if code == "invalid_date":
        return f"{label} „{value}“ ist kein existierendes Kalenderdatum."
    return f"{label} „{value}“ verletzt die Regel: {spec.rule}"


# --------------------------------------------------------------------------- predicates

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DISTRICT_NAME = re.compile(r"(?i)^(land)?kreis\s|kreis$|-kreis\b")


def _present(value: Any) -> bool:
    """Absent means None, NaN, a blank string or an empty list."""
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return bool(value)
    return True


def _number(value: Any) -> float | None:
    """A float for ints/floats/numeric strings, else None (bools are not numbers)."""
    if isinstance(value, bool) or not _present(value):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def date_exists(value: Any) -> bool:
    """True for a real calendar date given as ISO ``YYYY-MM-DD`` (or a date object)."""
    if isinstance(value, dt.date):
        return True
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return False
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def email_is_valid(value: Any) -> bool:
    """Syntax check with email-validator; no DNS lookup (runs offline, deterministic)."""
    from email_validator import EmailNotValidError, validate_email

    if not isinstance(value, str):
        return False
    try:
        validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def canonical_state(value: str, *, config: RuleConfig = DEFAULT_RULES) -> str:
    """The canonical state name for ``value``, or ``value`` itself (stripped) if unknown.

    Decision: a state written with its official prefix ("Freistaat Bayern", "Freie und
    Hansestadt Hamburg", "Land Brandenburg") or as official code ("NRW", "BY") is known —
    staff would not reject it. Case and spacing around hyphens are forgiven. Anything
    else (a region like "Ostfriesland", a typo) stays unknown.
    """
    text = re.sub(r"\s*-\s*", "-", " ".join(value.split()))
    if not config.accept_state_aliases:
        return text
    by_fold = {s.casefold(): s for s in config.federal_states}
    if text.casefold() in by_fold:
        return by_fold[text.casefold()]
    for prefix in STATE_PREFIXES:
        if text.casefold().startswith(prefix.casefold() + " "):
            rest = text[len(prefix) + 1 :]
            if rest.casefold() in by_fold:
                return by_fold[rest.casefold()]
    abbr = STATE_ABBREVIATIONS.get(text.upper().replace(".", ""))
    if abbr in config.federal_states:
        return abbr
    return text


def is_district(row: Mapping[str, Any]) -> bool:
    """The applicant is a Landkreis: by its normalised type, or by its name when no type
    was extracted ("Landkreis Elbe-Elster", "Erzgebirgskreis", "Neckar-Odenwald-Kreis")."""
    typ = row.get("koerperschaft_typ")
    if _present(typ):
        return str(typ).strip() == "Landkreis"
    name = row.get("antragsteller")
    return isinstance(name, str) and bool(_DISTRICT_NAME.search(name.strip()))


def is_municipal_partner(name: str, *, config: RuleConfig = DEFAULT_RULES) -> bool:
    """A partner is a municipality when its name starts with a municipal type word
    ("Gemeinde Buchenleben", "Ortsgemeinde X", "Amt Y"; not "Amt für Digitales")."""
    words = name.split()
    if not words:
        return False
    if words[0] == "Große" and len(words) > 1:  # "Große Kreisstadt X"
        words = words[1:]
    if words[0] == "Amt" and len(words) > 1 and words[1].casefold() in {"für", "fuer"}:
        return False
    return words[0] in config.municipal_words


def _partners(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [str(p) for p in value if _present(p)]
    return []


def _population_is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


# --------------------------------------------------------------------------- preparation


def prepare_rows(
    rows: Sequence[Mapping[str, Any]], *, key: str = "key", config: RuleConfig = DEFAULT_RULES
) -> list[dict[str, Any]]:
    """One flat record per row with the columns the suite validates (``None`` = absent).

    Raises ``ValueError`` on a missing or duplicate key: violations are reported per key.
    """
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in rows:
        k = row.get(key)
        if not _present(k):
            raise ValueError(f"row without {key!r}: {dict(row)!r:.200}")
        k = str(k)
        if k in seen:
            raise ValueError(f"duplicate {key!r}: {k!r}")
        seen.add(k)
        rec: dict[str, Any] = {key: k}
        for name in config.required_fields:
            value = row.get(name)
            rec[name] = value if _present(value) else None
        rec["gesamtkosten_eur"] = _number(row.get("gesamtkosten_eur"))
        rec["laufzeit_monate"] = _number(row.get("laufzeit_monate"))

        partners = _partners(row.get("kooperationspartner"))
        rec["partner_count"] = float(len(partners))
        rec["district_alone"] = is_district(row) and not any(
            is_municipal_partner(p, config=config) for p in partners
        )

        total = rec["gesamtkosten_eur"]
        funding = _number(row.get("foerdersumme_eur"))
        own = _number(row.get("eigenanteil_eur"))
        rec["funding_gap_eur"] = (
            None if None in (total, funding, own) else abs(funding + own - total)  # type: ignore[operator]
        )

        email = row.get("email")
        rec["email_valid"] = email_is_valid(email) if _present(email) else None

        plz = row.get("plz")
        rec["plz"] = None if not _present(plz) else str(plz).strip()

        state = row.get("bundesland")
        rec["bundesland_canonical"] = (
            canonical_state(str(state), config=config) if _present(state) else None
        )

        pop = row.get("einwohnerzahl")
        rec["einwohnerzahl"] = _number(pop) if _present(pop) else None
        rec["einwohnerzahl_is_int"] = _population_is_int(pop) if _present(pop) else None

        for name in ("projektbeginn", "datum"):
            value = row.get(name)
            rec[f"{name}_exists"] = date_exists(value) if _present(value) else None
        out.append(rec)
    return out
