"""Themes: table-driven texts in wording the sample corpus never uses, cleaning, version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors.themes import (
    DEFAULT_MODEL_DIR,
    build_theme_model,
    free_text,
    load_theme_model,
    model_version,
    parse_lexicon,
)
from extractors.types import SOLUTION_KINDS, TOPIC_FIELDS

V, S, B, G, M, W, VERW = TOPIC_FIELDS
PLATTFORM, APP, PROZESS, TELE, MARKT, LERN = SOLUTION_KINDS
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "sample"

CASES = [
    (
        "dorfladen",
        "Im Ortsteil gibt es keinen Bäcker und keinen Supermarkt mehr. Ein genossenschaftlicher "
        "Dorfladen mit regionalen Produkten soll die Nahversorgung sichern; Bestellungen werden "
        "über einen Online-Shop aufgegeben und an einer Abholstation ausgegeben.",
        {V},
        MARKT,
    ),
    (
        "rufbus",
        "Der Linienbus fährt nur zweimal am Tag. Ein Rufbus und vernetzte Mitfahrbänke sollen "
        "die Mobilität älterer Menschen ohne Führerschein verbessern. Die Fahrten werden über "
        "eine Smartphone-App gebucht.",
        {M},
        APP,
    ),
    (
        "telemedizin",
        "Die hausärztliche Versorgung ist gefährdet, weil zwei Praxen schließen. Eine "
        "Gemeindeschwester betreut chronisch kranke Patientinnen zu Hause und bindet den "
        "Hausarzt per Videosprechstunde ein.",
        {G},
        TELE,
    ),
    (
        "verwaltung",
        "Bürgerinnen und Bürger sollen Anträge nach dem Onlinezugangsgesetz digital stellen "
        "können. Die Vorgänge werden in einer E-Akte medienbruchfrei bearbeitet, "
        "Behördengänge entfallen.",
        {VERW},
        PROZESS,
    ),
    (
        "coworking",
        "Im leerstehenden Bahnhofsgebäude entsteht ein Coworking-Space, damit Rückkehrer und "
        "junge Familien im Homeoffice arbeiten können. Eine Plattform zeigt freie Bauplätze, "
        "Wohnungen und Stellenangebote der Region.",
        {W},
        PLATTFORM,
    ),
    (
        "smartphone-kurse",
        "Die Volkshochschule bietet Smartphone-Kurse für Seniorinnen und Senioren an. Auf einer "
        "Lernplattform stehen Erklärvideos und Lernmodule zur Medienkompetenz bereit; "
        "Digitallotsen begleiten die Teilnehmenden.",
        {B},
        LERN,
    ),
    (
        "ehrenamtsboerse",
        "Die Vereine finden kaum noch Ehrenamtliche. Eine digitale Ehrenamtsbörse vermittelt "
        "Freiwillige, ein Veranstaltungskalender bündelt Kultur, Sport und Begegnungsangebote.",
        {S},
        PLATTFORM,
    ),
    (
        "pflegetouren",
        "Pflegende Angehörige und ambulante Pflegedienste koordinieren Einsätze bislang auf "
        "Papier. Die Tourenplanung und Pflegedokumentation werden digitalisiert.",
        {G},
        PROZESS,
    ),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("use_classifier", [True, False], ids=["blend", "rules"])
@pytest.mark.parametrize(("name", "text", "themes", "kind"), CASES, ids=IDS)
def test_predict_unseen_wording(
    name: str, text: str, themes: set[str], kind: str, use_classifier: bool
) -> None:
    result = load_theme_model().predict(text, use_classifier=use_classifier)
    assert {lbl.label for lbl in result.themes} == themes
    assert kind in {lbl.label for lbl in result.loesungsart}


def test_result_in_canonical_order_with_scores() -> None:
    text = CASES[1][1] + " " + CASES[2][1]  # mobility + health
    result = load_theme_model().predict(text)
    labels = [lbl.label for lbl in result.themes]
    assert labels == [t for t in TOPIC_FIELDS if t in labels]
    assert {G, M} <= set(labels)
    assert all(0.0 <= lbl.score <= 1.0 for lbl in result.themes + result.loesungsart)
    assert result.model_version == load_theme_model().version


def test_text_without_evidence_gives_nothing() -> None:
    result = load_theme_model().predict("Sehr geehrte Damen und Herren, anbei das Dokument.")
    assert result.themes == []


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        (
            "☐ Mobilität\n☒ Öffentliche Verwaltung\nDer Rufbus fährt.",
            ["Mobilität", "Verwaltung"],
            "Rufbus",
        ),
        (
            "[x] Gesundheits- und Pflegeversorgung\n[ ] Mobilität",
            ["Pflegeversorgung", "Mobilität"],
            "",
        ),
        (
            "Wir ordnen das Vorhaben den Themenfeldern „Soziales und Kultur“ und „Mobilität“ zu.",
            ["Kultur", "Mobilität"],
            "Themenfeldern",
        ),
        (
            "Themenfeld(er)\nLokale/regionale Versorgung; Wohn- und Arbeitsstandorte",
            ["Versorgung", "Wohn-"],
            "",
        ),
        ("Die Mobilität im Alter ist eingeschränkt.", [], "Mobilität"),
        ("Rathausplatz 3, 12345 Musterdorf; info@gemeinde.de", ["Rathaus", "info@"], "Musterdorf"),
    ],
    ids=["checkboxes", "brackets", "prose-quotes", "list", "mobility-in-prose", "address-mail"],
)
def test_free_text_removes_declarations(text: str, gone: list[str], kept: str) -> None:
    cleaned = free_text(text)
    for word in gone:
        assert word not in cleaned
    assert kept in cleaned


@pytest.mark.parametrize(
    ("line", "form", "term"),
    [
        ("3  *pflege*", "contains", "pflege"),
        ("2  verein*", "prefix", "verein"),
        ("2  *kurse", "suffix", "kurse"),
        ("1  re:\\w+-apps?", "regex", "\\w+-apps?"),
        ("2  regionale Produkte", "phrase", "regionale Produkte"),
    ],
    ids=["contains", "prefix", "suffix", "regex", "phrase"],
)
def test_parse_lexicon_forms(line: str, form: str, term: str) -> None:
    (entry,) = parse_lexicon(f"[Mobilität]\n# comment\n{line}\n")
    assert (entry.label, entry.form, entry.term) == ("Mobilität", form, term)


def test_parse_lexicon_rejects_line_outside_section() -> None:
    with pytest.raises(ValueError, match="outside a section"):
        parse_lexicon("3  *pflege*")


def test_version_stable_and_changes_with_model_files(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model_dir)
    first = model_version(model_dir)
    assert first == model_version(model_dir)
    assert first.startswith("themes-1+")
    assert load_theme_model().version == load_theme_model().version
    config = model_dir / "config.json"
    config.write_text(config.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert model_version(model_dir) != first


def test_load_is_cached() -> None:
    assert load_theme_model() is load_theme_model()


def test_model_without_classifier_uses_rules() -> None:
    model = build_theme_model(None, nlp=load_theme_model().nlp)
    assert model.textcat is None
    result = model.predict(CASES[1][1])
    assert [lbl.label for lbl in result.themes] == [M]


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
def test_sample_corpus_micro_f1() -> None:
    from lab.training import examples_from_corpus

    model = load_theme_model()  # trained without the sample (var/zoo, var/heldout)
    tp = fp = fn = 0
    for ex in examples_from_corpus(CORPUS):
        # as the pipeline does: the topic fields the sketch names itself go along
        pred = {lbl.label for lbl in model.predict(ex.text, declared=ex.declared).themes}
        tp += len(pred & set(ex.themes))
        fp += len(pred - set(ex.themes))
        fn += len(set(ex.themes) - pred)
    assert 2 * tp / (2 * tp + fp + fn) >= 0.97
