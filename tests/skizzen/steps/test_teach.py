"""A saved correction teaches a rule (``skizzen.steps.teach``) on a real SQLite database:
stored with its correction, versioned per layout and field, removable, never in the way of
the correction; and an extraction (a rerun) reads the field where the rule says, until the
rule is removed.

Two sketches of one form are rendered, parsed into the parse cache and stored with made-up
machine values, as the ingest would have left them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from extractors.taught import Source
from models import repo
from models import teach as learned
from models.db import get_engine, session_scope
from models.tables import RULE_ACTIVE, RULE_REMOVED, RULE_SUPERSEDED, FieldValue, LearnedRule
from skizzen.documents.parsing import PARSER_VERSION, ParseCache, parse_pdf_inprocess
from skizzen.settings import RuntimeConfig, load_runtime
from skizzen.steps import teach
from tests.extractors.render_pdf import TEACH_FORMS, teach_form


@dataclass
class Env:
    config: RuntimeConfig
    ids: dict[str, int]

    def correct(self, key: str, field: str, value: Any, author: str = "anna") -> int:
        with session_scope(self.config.database_url) as s:
            corr = repo.set_correction(
                s, sketch_id=self.ids[key], field=field, value=value, author=author
            )
            return int(corr.id)  # type: ignore[arg-type]

    def rows(self) -> list[LearnedRule]:
        with session_scope(self.config.database_url) as s:
            return list(s.exec(select(LearnedRule).order_by(LearnedRule.id)))  # type: ignore[arg-type]

    def machine(self, key: str, field: str) -> FieldValue:
        with session_scope(self.config.database_url) as s:
            return repo.machine_values(s, sketch_ids=[self.ids[key]])[self.ids[key]][field]


@pytest.fixture()
def env(tmp_path: Path) -> Iterator[Env]:
    data = tmp_path / "data"
    config = load_runtime(
        data_dir=data, database_url=f"sqlite:///{data / 'teach.db'}", parse_workers=1
    )
    cache = ParseCache(config.parse_cache_dir)
    ids: dict[str, int] = {}
    with session_scope(config.database_url) as s:
        for key, (head, title, _total) in TEACH_FORMS.items():
            doc = parse_pdf_inprocess(teach_form(head, title, _total))
            cache.put(doc)
            sketch = repo.get_or_create_sketch(
                s, sha256=doc.sha256, call_id="heimat-2.0", received_at=None
            )
            ids[key] = int(sketch.id)  # type: ignore[arg-type]
            machine = {"gesamtkosten_eur": 24.0, "projekttitel": title, "antragsteller": "?"}
            repo.store_extraction(
                s,
                sketch_id=ids[key],
                fields={
                    name: {"value": v, "confidence": 0.4, "evidence": None, "extractor": "test@1"}
                    for name, v in machine.items()
                },
                themes=[],
                loesungsart=[],
                theme_model_version="t",
                parser_version=PARSER_VERSION,
                page_count=1,
                run_id=None,
            )
    yield Env(config, ids)
    get_engine(config.database_url).dispose()


def test_a_correction_becomes_a_rule_and_the_next_one_its_next_version(env: Env) -> None:
    first = env.correct("lindenhagen", "gesamtkosten_eur", 384500)
    rule = teach.learn_from_correction(env.config, env.ids["lindenhagen"], "gesamtkosten_eur")
    assert rule is not None and (rule.kind, rule.label, rule.version) == (
        "label",
        "gesamtausgaben",
        1,
    )
    assert rule.source == Source(first, env.ids["lindenhagen"], "anna")
    second = env.correct("kranichsee", "gesamtkosten_eur", 512000, author="bernd")
    newer = teach.learn_from_correction(env.config, env.ids["kranichsee"], "gesamtkosten_eur")
    assert newer is not None
    assert (newer.rule_id, newer.version) == (rule.rule_id, 2)
    assert newer.source.correction_id == second and newer.source.author == "bernd"
    rows = env.rows()
    assert [(r.rule_no, r.version, r.status) for r in rows] == [
        (rule.rule_id, 1, RULE_SUPERSEDED),
        (rule.rule_id, 2, RULE_ACTIVE),
    ]
    assert rows[0].ended_by == "bernd" and rows[0].ended_at is not None
    with session_scope(env.config.database_url) as s:
        assert [r.extractor for r in learned.active_rules(s)] == [f"taught@{rule.rule_id}.2"]


def test_a_rule_of_another_field_is_a_rule_of_its_own(env: Env) -> None:
    env.correct("lindenhagen", "gesamtkosten_eur", 384500)
    env.correct("lindenhagen", "antragsteller", "Gemeinde Lindenhagen")
    a = teach.learn_from_correction(env.config, env.ids["lindenhagen"], "gesamtkosten_eur")
    b = teach.learn_from_correction(env.config, env.ids["lindenhagen"], "antragsteller")
    assert a is not None and b is not None and a.rule_id != b.rule_id
    assert (b.kind, b.version) == ("position", 1)


NOTHING = [
    ("themes", ["Mobilität"], "an inferred label list has no place"),
    ("projekttitel", "Lindenkorb – die Dorfladen-App", "the machine had it"),
    ("plz", "12345", "not written in the sketch"),
    ("akronym", None, "cleared"),
]


@pytest.mark.parametrize(("field", "value", "why"), NOTHING, ids=[c[2] for c in NOTHING])
def test_a_correction_that_shows_no_place_teaches_nothing(
    env: Env, field: str, value: Any, why: str
) -> None:
    env.correct("lindenhagen", field, value)
    assert teach.learn_from_correction(env.config, env.ids["lindenhagen"], field) is None
    assert env.rows() == []


def test_without_a_cached_parse_nothing_is_learnt(env: Env) -> None:
    env.correct("lindenhagen", "gesamtkosten_eur", 384500)
    for path in env.config.parse_cache_dir.rglob("*.json.gz"):
        path.unlink()
    assert (
        teach.learn_from_correction(env.config, env.ids["lindenhagen"], "gesamtkosten_eur") is None
    )


def test_a_failure_never_breaks_the_correction(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(learned, "store_rule", broken)
    env.correct("lindenhagen", "gesamtkosten_eur", 384500)
    assert (
        teach.learn_from_correction(env.config, env.ids["lindenhagen"], "gesamtkosten_eur") is None
    )
    with session_scope(env.config.database_url) as s:
        staff = repo.corrections(s, sketch_ids=[env.ids["lindenhagen"]])
    assert staff[env.ids["lindenhagen"]]["gesamtkosten_eur"].value == 384500


def test_a_removed_rule_is_out_of_use_and_kept(env: Env) -> None:
    env.correct("lindenhagen", "gesamtkosten_eur", 384500)
    rule = teach.learn_from_correction(env.config, env.ids["lindenhagen"], "gesamtkosten_eur")
    assert rule is not None
    assert teach.remove_rule(env.config, rule_no=rule.rule_id, actor="carla")
    assert not teach.remove_rule(env.config, rule_no=rule.rule_id, actor="carla")
    (row,) = env.rows()
    assert (row.status, row.ended_by) == (RULE_REMOVED, "carla")
    with session_scope(env.config.database_url) as s:
        assert learned.active_rules(s) == ()


def test_a_rerun_reads_where_the_rule_says_until_it_is_removed(env: Env) -> None:
    """The pipeline's extraction (analysis workers, memo on): a rule learned on one sketch
    reads the other sketches of the layout; removing it gives the machine's reading back,
    although the kept analyses were made under the rule."""
    from skizzen.steps import pipeline

    others = [env.ids["kranichsee"], env.ids["wesselwerder"]]
    pipeline.extract_sketches(env.config, sketch_ids=others, run_id=None)
    assert not env.machine("kranichsee", "antragsteller").extractor.startswith("taught@")

    cid = env.correct("lindenhagen", "antragsteller", "Gemeinde Lindenhagen")
    rule = teach.learn_from_correction(env.config, env.ids["lindenhagen"], "antragsteller")
    assert rule is not None
    pipeline.extract_sketches(env.config, sketch_ids=others, run_id=None)
    for key, (head, _, _) in TEACH_FORMS.items():
        if key == "lindenhagen":
            continue
        got = env.machine(key, "antragsteller")
        assert (got.value, got.extractor) == (head, f"taught@{rule.rule_id}.1")
        assert got.snippet is not None
        assert f"gelernt aus der Korrektur #{cid} (Skizze {env.ids['lindenhagen']}, anna)" in (
            got.snippet
        )

    teach.remove_rule(env.config, rule_no=rule.rule_id, actor="anna")
    pipeline.extract_sketches(env.config, sketch_ids=others, run_id=None)
    assert not env.machine("kranichsee", "antragsteller").extractor.startswith("taught@")
