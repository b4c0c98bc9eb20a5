"""The memoising tokenizer gives spaCy's own tokens (texts, whitespace, norms) and the
lemmas of spaCy's lookup lemmatizer."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lookups import load_lookups

from extractors.nlp import RunTokenizer, get_nlp

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _reference() -> spacy.language.Language:
    nlp = spacy.blank("de")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize(lookups=load_lookups("de", ["lemma_lookup"]))  # type: ignore[attr-defined]
    return nlp


_REF = _reference()
_FAST = RunTokenizer(
    spacy.blank("de").tokenizer,
    lemmas=_REF.get_pipe("lemmatizer").lookups.get_table("lemma_lookup"),  # type: ignore[attr-defined]
    max_memo=50,  # small, so that the memo is cleared and refilled during the tests
)


def _tokens(doc: spacy.tokens.Doc) -> list[tuple[str, str, str, str]]:
    return [(t.text, t.whitespace_, t.norm_, t.lemma_) for t in doc]


def _same(text: str) -> None:
    fast = _FAST(text)
    assert _tokens(fast) == _tokens(_REF(text))
    assert fast.text == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "  ",
        " a",
        "a ",
        "a  b",
        "a \n b",
        "\t a",
        "x\n\n y",
        "  x  ",
        "(z.B. Dorfladen)",
        "z. B.",
        "auf'm Markt",
        "auf 'm",
        "e.V.,",
        "(e.V.)",
        "Nr.5",
        "Tel. 05276 21379",
        "a\u00a0b",
        "a \u00a0 b",
        "1.234,56\u202f€",
        ":-) x",
        ".(: '(",
        "a\n.(: '(\nb",
        "1) a\n8) b \n 8)\n",
        " \n8)",
        "x:-)",
        "foo\n:)",
        "Versorgungs-\nplattform",
        "C++ und CDU/CSU",
    ],
    ids=repr,
)
def test_same_tokens_as_spacy(text: str) -> None:
    _same(text)


_ALPHABET = st.sampled_from(
    [" ", "  ", "\n", "\t", "\u00a0", ".", ",", "'", "(", ")", ":", "-", "/", "€", "z.B.",
     "Tel.", "e.V.", "Nr.", "auf'm", ":-)", "Dorf", "laden", "12", "ä", "A", "8)", "(:",
     " \n", "\n "]
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_same_tokens_on_generated_text(text: str) -> None:
    _same(text)


def test_same_tokens_on_the_seed_texts() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    if not paths:
        pytest.skip(f"no seed texts at {SEEDS}")
    for path in paths:
        _same(path.read_text(encoding="utf-8"))


def test_shared_pipeline_uses_it() -> None:
    nlp = get_nlp()
    assert isinstance(nlp.tokenizer, RunTokenizer)
    doc = nlp("Die Gemeinden betreiben z.B. Dorfläden.")
    assert [t.lemma_ for t in doc][:2] == ["der", "Gemeinde"]
