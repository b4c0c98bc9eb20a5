"""The rule declarations and the pure preparation step (no GX needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from expectations.suite import (
    DEFAULT_RULES,
    RuleConfig,
    canonical_state,
    check_specs,
    date_exists,
    email_is_valid,
    is_district,
    is_municipal_partner,
    prepare_rows,
)
from extractors.types import FEDERAL_STATES, REQUIRED_FIELDS

CODES = {
    "cost_out_of_range",
    "duration_too_long",
    "applicant_is_district_alone",
    "no_cooperation_partner",
    "funding_sum_mismatch",
    "invalid_email",
    "invalid_postcode",
    "unknown_state",
    "invalid_population",
    "invalid_date",
}


def test_every_check_code_has_an_expectation() -> None:
    specs = check_specs()
    codes = {s.code for s in specs}
    assert codes == CODES | {f"missing_field:{f}" for f in REQUIRED_FIELDS}
    assert all(s.expectation.startswith("Expect") and s.rule for s in specs)


def test_limits_come_from_the_config() -> None:
    cfg = RuleConfig(min_cost_eur=100_000, max_cost_eur=1_000_000, max_duration_months=48)
    by_code = {s.code: s for s in check_specs(cfg)}
    assert by_code["cost_out_of_range"].kwargs == {"min_value": 100_000, "max_value": 1_000_000}
    assert by_code["duration_too_long"].kwargs == {"max_value": 48}
    with pytest.raises(AttributeError):
        DEFAULT_RULES.max_cost_eur = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-02-28", True),
        ("2024-02-29", True),
        ("2021-02-30", False),
        ("2021-13-01", False),
        ("15.03.2021", False),
        ("20210315", False),
        ("", False),
        (dt.date(2021, 3, 15), True),
        (20210315, False),
    ],
    ids=[
        "ok",
        "leap-day",
        "feb-30",
        "month-13",
        "german-format",
        "compact",
        "empty",
        "date",
        "int",
    ],
)
def test_date_exists(value: Any, expected: bool) -> None:
    assert date_exists(value) is expected


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_real_date_exists(day: dt.date) -> None:
    assert date_exists(day.isoformat())


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(29, 35))
def test_date_exists_agrees_with_the_calendar(year: int, month: int, day: int) -> None:
    try:
        dt.date(year, month, day)
        real = True
    except ValueError:
        real = False
    assert date_exists(f"{year:04d}-{month:02d}-{day:02d}") is real


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("bernd.thiele@gemeinde-rehlar.de", True),
        ("info@gemeinde-schönhain.de", True),
        ("wirtschaft@@gemeinde.de", False),
        ("wirtschaft.gemeinde.de", False),
        ("info@gemeinde", False),
        ("info @gemeinde.de", False),
        (None, False),
    ],
    ids=["plain", "umlaut-domain", "double-at", "no-at", "no-tld", "space", "none"],
)
def test_email_is_valid(value: Any, expected: bool) -> None:
    assert email_is_valid(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bayern", "Bayern"),
        ("Freistaat Bayern", "Bayern"),
        ("Freistaat  Sachsen", "Sachsen"),
        ("Land Brandenburg", "Brandenburg"),
        ("Freie und Hansestadt Hamburg", "Hamburg"),
        ("Freie Hansestadt Bremen", "Bremen"),
        ("nordrhein-westfalen", "Nordrhein-Westfalen"),
        ("Sachsen - Anhalt", "Sachsen-Anhalt"),
        ("NRW", "Nordrhein-Westfalen"),
        ("Ostfriesland", "Ostfriesland"),
        ("Freistaat Ostfriesland", "Freistaat Ostfriesland"),
        ("Bavaria", "Bavaria"),
    ],
    ids=[
        "canonical",
        "freistaat",
        "double-space",
        "land",
        "hamburg-official",
        "bremen-official",
        "lowercase",
        "spaced-hyphen",
        "abbreviation",
        "region",
        "prefixed-region",
        "english",
    ],
)
def test_canonical_state(value: str, expected: str) -> None:
    assert canonical_state(value) == expected


def test_strict_states_without_aliases() -> None:
    strict = RuleConfig(accept_state_aliases=False)
    assert canonical_state("Freistaat Bayern", config=strict) == "Freistaat Bayern"


@given(st.sampled_from(FEDERAL_STATES), st.sampled_from(["", "Land ", "Bundesland "]))
def test_canonical_state_is_idempotent(state: str, prefix: str) -> None:
    once = canonical_state(prefix + state)
    assert once == state
    assert canonical_state(once) == once


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Gemeinde Buchenleben", True),
        ("Ortsgemeinde Otterborn", True),
        ("Stadt Herzberg (Elster)", True),
        ("Große Kreisstadt Mittelau", True),
        ("Amt Lerchenkamp", True),
        ("Markt Thalheim", True),
        ("Amt für Digitalisierung des Landkreises", False),
        ("Stadtwerke Mittelau GmbH", False),
        ("Zweckverband E-Government Seenland", False),
        ("Gemeindewerke Thalheim", False),
        ("", False),
    ],
    ids=[
        "gemeinde",
        "ortsgemeinde",
        "stadt",
        "grosse-kreisstadt",
        "amt",
        "markt",
        "amt-fuer",
        "stadtwerke",
        "zweckverband",
        "gemeindewerke",
        "empty",
    ],
)
def test_is_municipal_partner(name: str, expected: bool) -> None:
    assert is_municipal_partner(name) is expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"koerperschaft_typ": "Landkreis", "antragsteller": "Landkreis Elbe-Elster"}, True),
        ({"koerperschaft_typ": "Gemeinde", "antragsteller": "Gemeinde Kreisau"}, False),
        ({"koerperschaft_typ": None, "antragsteller": "Landkreis Vulkaneifel"}, True),
        ({"koerperschaft_typ": None, "antragsteller": "Neckar-Odenwald-Kreis"}, True),
        ({"koerperschaft_typ": None, "antragsteller": "Erzgebirgskreis"}, True),
        ({"koerperschaft_typ": None, "antragsteller": "Kreisstadt Mittelau"}, False),
        ({"koerperschaft_typ": None, "antragsteller": None}, False),
    ],
    ids=[
        "typed",
        "gemeinde",
        "name-landkreis",
        "name-hyphen-kreis",
        "name-kreis",
        "kreisstadt",
        "unknown",
    ],
)
def test_is_district(row: dict[str, Any], expected: bool) -> None:
    assert is_district(row) is expected


def test_prepare_rows_derives_columns() -> None:
    row = {
        "key": "a",
        "projekttitel": "  ",
        "gesamtkosten_eur": 300_000,
        "foerdersumme_eur": 270_000,
        "eigenanteil_eur": 25_000.5,
        "email": "x@@y.de",
        "plz": 9375,
        "bundesland": "Freistaat Thüringen",
        "einwohnerzahl": 12.5,
        "kooperationspartner": [],
        "koerperschaft_typ": "Landkreis",
        "projektbeginn": "2021-02-30",
        "datum": None,
    }
    (rec,) = prepare_rows([row])
    assert rec["projekttitel"] is None
    assert rec["funding_gap_eur"] == pytest.approx(4_999.5)
    assert rec["email_valid"] is False
    assert rec["plz"] == "9375"
    assert rec["bundesland_canonical"] == "Thüringen"
    assert rec["einwohnerzahl_is_int"] is False
    assert rec["partner_count"] == 0
    assert rec["district_alone"] is True
    assert rec["projektbeginn_exists"] is False
    assert rec["datum_exists"] is None


def test_prepare_rows_rejects_duplicate_and_missing_keys() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        prepare_rows([{"key": "a"}, {"key": "a"}])
    with pytest.raises(ValueError, match="without"):
        prepare_rows([{"id": "a"}])


def test_every_check_has_one_german_label_made_from_its_bounds() -> None:
    """The review page, report and summary name a breach by the suite's label; the numbers in
    it come from the rule config, so a changed bound changes the label."""
    from dataclasses import replace

    from expectations.suite import DEFAULT_RULES, check_specs
    from skizzen.labels import CODE_LABELS, code_label

    for check in check_specs():
        assert check.label, check.code
        assert CODE_LABELS[check.code.partition(":")[0]] == check.label
    other = replace(DEFAULT_RULES, max_cost_eur=750000, max_duration_months=48)
    labels = {c.code: c.label for c in check_specs(other)}
    assert labels["cost_out_of_range"] == "Gesamtkosten außerhalb 200.000–750.000 €"
    assert labels["duration_too_long"] == "Laufzeit über 48 Monate"
    assert code_label("missing_field:email") == "Pflichtfeld fehlt: E-Mail"
    assert code_label("low_confidence:plz") == "Unsicher erkannt: Postleitzahl"
