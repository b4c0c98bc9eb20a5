"""Scoring against truth files: equality rules, F1 and outcome accuracy."""

from __future__ import annotations

import pytest

from extractors.types import FIELD_NAMES
from lab.evaluation import F1, score, values_equal


@pytest.mark.parametrize(
    ("truth", "got", "equal"),
    [
        (450000, 450000.0, True),
        (588502.49, 588502.494, True),
        (588502.49, 588502.5, False),
        (None, None, True),
        (None, 0, False),
        ("Gemeinde A", "Gemeinde A", True),
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["b", "a"], False),
        ([], None, False),
        ("01922", 1922, False),
    ],
    ids=[
        "int-float",
        "half-cent",
        "cent-off",
        "none",
        "none-zero",
        "str",
        "list",
        "list-order",
        "empty-none",
        "plz-type",
    ],
)
def test_values_equal(truth: object, got: object, equal: bool) -> None:
    assert values_equal(truth, got) is equal


def test_f1_micro() -> None:
    f = F1()
    f.add(["a", "b"], ["a"])
    f.add(["c"], ["c", "d"])
    assert (f.tp, f.fp, f.fn) == (2, 1, 1)
    assert f.f1 == pytest.approx(4 / 6)


def _truth() -> tuple[list[dict], list[dict]]:
    fields = dict.fromkeys(FIELD_NAMES)
    fields.update(projekttitel="T", gesamtkosten_eur=300000)
    sketches = [
        {
            "sketch_id": "S1",
            "fields": fields,
            "themes": ["Mobilität"],
            "loesungsart": ["App"],
            "violations": [],
            "supersedes": None,
        },
        {
            "sketch_id": "S2",
            "fields": fields,
            "themes": [],
            "loesungsart": [],
            "violations": [],
            "supersedes": "S1",
        },
    ]
    messages = [
        {
            "message_file": "m1",
            "message_id": "<1>",
            "outcome": None,
            "attachments": [{"sha256": "a" * 64, "outcome": "sketch", "sketch_id": "S1"}],
        },
        {
            "message_file": "m2",
            "message_id": "<2>",
            "outcome": None,
            "attachments": [{"sha256": "b" * 64, "outcome": "sketch", "sketch_id": "S2"}],
        },
        {"message_file": "m3", "message_id": "<3>", "outcome": "no_attachment", "attachments": []},
    ]
    return sketches, messages


def test_score_counts_fields_themes_links_and_outcomes() -> None:
    truth_sketches, truth_messages = _truth()
    fields = dict(truth_sketches[0]["fields"])
    got = [
        {
            "attachment_sha256": "a" * 64,
            "fields": fields,
            "themes": ["Mobilität"],
            "loesungsart": [],
            "violations": [],
            "supersedes": None,
        },
        {
            "attachment_sha256": "b" * 64,
            "fields": {**fields, "projekttitel": "X"},
            "themes": [],
            "loesungsart": [],
            "violations": ["x"],
            "supersedes": "a" * 64,
        },
    ]
    atts = [
        {"message_id": "<1>", "sha256": "a" * 64, "outcome": "sketch"},
        {"message_id": "<2>", "sha256": "b" * 64, "outcome": "corrupt"},
        {"message_id": "<3>", "sha256": None, "outcome": "no_attachment"},
    ]
    conf = {"a" * 64: dict.fromkeys(FIELD_NAMES, 0.9), "b" * 64: {"projekttitel": 0.1}}
    rep = score(
        truth_sketches=truth_sketches,
        truth_messages=truth_messages,
        sketches=got,
        attachments=atts,
        confidences=conf,
        threshold=0.5,
    )
    assert rep.field_accuracy["projekttitel"] == 0.5
    assert rep.overall_field_accuracy == pytest.approx(37 / 38)
    assert rep.themes_f1 == 1.0
    assert rep.loesungsart_f1 == 0.0
    assert rep.violations_f1 == 0.0
    assert rep.supersedes_accuracy == 1.0
    assert rep.outcome_accuracy == pytest.approx(2 / 3)
    assert rep.confidence["above"]["accuracy"] == 1.0
    assert rep.confidence["below"] == {"fields": 1, "share": 1 / 20, "accuracy": 0.0}
