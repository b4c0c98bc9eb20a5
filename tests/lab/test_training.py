"""Training runs on a tiny example set, is deterministic, and loads as a ThemeModel."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.themes import build_theme_model, load_theme_model, model_version
from extractors.types import SOLUTION_KINDS, TOPIC_FIELDS
from lab.training import ThemeExample, examples_from_corpus, train_theme_model
from tests.conftest import CORPUS

TINY = [
    ThemeExample(
        "Der Rufbus fährt auf Bestellung in alle Ortsteile.", (TOPIC_FIELDS[4],), ("App",)
    ),
    ThemeExample(
        "Der Dorfladen liefert Lebensmittel nach Hause.", (TOPIC_FIELDS[0],), ("Online-Marktplatz",)
    ),
    ThemeExample("Die Pflegedienste nutzen Telemedizin.", (TOPIC_FIELDS[3],), ("Televersorgung",)),
]


def test_train_tiny_set_and_predict(tmp_path: Path) -> None:
    out = train_theme_model(TINY, out_dir=tmp_path / "m", seed=0, epochs=3)
    assert (out / "textcat").is_dir() and (out / "config.json").is_file()
    model = build_theme_model(out, nlp=load_theme_model().nlp)
    scores = model.classifier_scores("Der Rufbus fährt.")
    assert set(scores) == set(TOPIC_FIELDS) | set(SOLUTION_KINDS)
    result = model.predict("Ein Rufbus und Carsharing für die Mobilität im Dorf.")
    assert [lbl.label for lbl in result.themes] == [TOPIC_FIELDS[4]]


def test_training_is_deterministic(tmp_path: Path) -> None:
    a = train_theme_model(TINY, out_dir=tmp_path / "a", seed=3, epochs=2)
    b = train_theme_model(TINY, out_dir=tmp_path / "b", seed=3, epochs=2)
    assert model_version(a) == model_version(b)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
@pytest.mark.parametrize("layout", ["form", "two_column"], ids=["without-form", "without-2col"])
def test_examples_from_corpus_excludes_layout(layout: str) -> None:
    examples = examples_from_corpus(CORPUS, exclude_layouts={layout})
    assert len(examples) >= 45
    assert layout not in {ex.layout for ex in examples}
    assert all(ex.themes and ex.loesungsart for ex in examples)
