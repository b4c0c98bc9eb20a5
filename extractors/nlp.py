"""The shared blank German spaCy pipeline (no trained model exists for this project).

``spacy.blank("de")`` plus the lookup lemmatizer whose table ships in the
``spacy-lookups-data`` package, so everything works offline. Built once per process:
loading the 355k-entry lemma table is the slow part (~1 s).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.lookups import Table, load_lookups
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

NLP_VERSION = "blank-de+lookup-lemma"

_RUN = re.compile(r"\s+|\S+")
_BREAK = re.compile(r"\s*\n\s*")  # a whitespace run with a line break
_Run = tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, str], ...], bool]


@dataclass
class _Tokens:
    """Tokens gathered for one ``Doc``: texts, lookup lemmas, trailing spaces, and the
    special norms by token index."""

    words: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)
    special: list[tuple[int, str]] = field(default_factory=list)

    def add(self, run: _Run) -> None:
        """Append a memoised run (its tokens have no trailing space of their own)."""
        pieces, lemmas, norms, _ = run
        base = len(self.words)
        self.special.extend((base + i, norm) for i, norm in norms)
        self.words.extend(pieces)
        self.lemmas.extend(lemmas)
        self.spaces.extend([False] * len(pieces))

    def extend(self, other: _Tokens) -> None:
        base = len(self.words)
        self.special.extend((base + i, norm) for i, norm in other.special)
        self.words.extend(other.words)
        self.lemmas.extend(other.lemmas)
        self.spaces.extend(other.spaces)


class RunTokenizer:
    """spaCy's tokenizer, memoised per run of (non-)whitespace characters.

    spaCy cuts a text into alternating runs of whitespace and non-whitespace (a single
    space after a word becomes that word's trailing space) and tokenises each run on its
    own; its pass for special cases ("z.B.", emoticons) then runs a matcher with ~400
    patterns over every token of the document, 96 % of the tokenising time (12 µs a
    token: 0.9 s for a 300-page sketch). No special case mixes whitespace and other
    characters, so a run's tokens do not depend on its neighbours (except around the
    letterless special cases such as "8)", see ``_symbolic``: their line is tokenised by
    spaCy as it stands; no special case crosses a line break): each distinct run is
    tokenised once by spaCy itself and the document assembled from the pieces. The tokens
    are spaCy's (``tests/extractors/test_nlp.py`` compares them on the seed texts and on
    generated text).

    With ``lemmas`` (spaCy's lookup table) the lookup lemma, a function of the token text
    alone, is memoised with the run and set as the document is built: what spaCy's
    ``lemmatizer`` in lookup mode sets, without its Python pass over every token.
    """

    def __init__(
        self, tokenizer: Tokenizer, *, lemmas: Table | None = None, max_memo: int = 200_000
    ) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.lemmas = lemmas
        # per run: token texts, their lemmas, and the norms that special cases set
        # ("Tel." → "Telefon")
        self._memo: dict[str, _Run] = {}
        # special cases without letters (emoticons such as "(:" or "8)") are the exception: spaCy
        # may split them again when a neighbouring run follows (".(: '(" gives "(", ":"); a
        # line with such a token is tokenised by spaCy whole
        self._symbolic = frozenset(
            k for k in (tokenizer.rules or {}) if not any(c.isalpha() for c in k) and k.strip()
        )
        self._max = max_memo
        self._lock = threading.Lock()

    def _run(self, run: str) -> _Run:
        hit = self._memo.get(run)
        if hit is None:
            doc = self.tokenizer(run)
            texts = tuple(t.text for t in doc)
            table = self.lemmas
            lemmas = tuple(table.get(t, t) for t in texts) if table is not None else ()
            norms = tuple((t.i, t.norm_) for t in doc if t.norm != t.lex.norm)
            hit = (texts, lemmas, norms, any(t in self._symbolic for t in texts))
            with self._lock:
                if len(self._memo) >= self._max:
                    self._memo.clear()
                self._memo[run] = hit
        return hit

    def __call__(self, text: str) -> Doc:
        out = _Tokens()
        pos = 0
        # segments end at whitespace with a line break: that whitespace is a token of its
        # own, so no special case matches across it
        for br in [*_BREAK.finditer(text), None]:
            end = br.start() if br is not None else len(text)
            if end > pos:
                out.extend(self._segment(text[pos:end]))
            if br is None:
                break
            ws = br.group()
            if out.words and end > pos and ws[0] == " ":
                out.spaces[-1] = True  # the one space after a word is its whitespace
                ws = ws[1:]
            out.add(self._run(ws))
            pos = br.end()
        doc = Doc(self.vocab, words=out.words, spaces=out.spaces, lemmas=out.lemmas or None)
        for i, norm in out.special:
            doc[i].norm_ = norm
        return doc

    def _segment(self, text: str) -> _Tokens:
        """Tokens of a text without line breaks."""
        out = _Tokens()
        after_word = False
        for m in _RUN.finditer(text):
            run = m.group()
            if run[0].isspace():
                if after_word and run[0] == " ":
                    out.spaces[-1] = True
                    run = run[1:]
                after_word = False
                if not run:
                    continue
            else:
                after_word = True
            hit = self._run(run)
            if hit[3]:  # a letterless special case: spaCy tokenises the line as it stands
                return self._whole(text)
            out.add(hit)
        return out

    def _whole(self, text: str) -> _Tokens:
        """A line with a letterless special case, tokenised by spaCy as it stands."""
        doc = self.tokenizer(text)
        table = self.lemmas
        return _Tokens(
            words=[t.text for t in doc],
            lemmas=[table.get(t.text, t.text) for t in doc] if table is not None else [],
            spaces=[bool(t.whitespace_) for t in doc],
            special=[(t.i, t.norm_) for t in doc if t.norm != t.lex.norm],
        )

    # spaCy calls these when a pipeline is copied or serialised
    def to_bytes(self, **kwargs: object) -> bytes:
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs: object) -> RunTokenizer:
        self.tokenizer.from_bytes(data, **kwargs)
        self._memo.clear()
        return self


def build_nlp() -> Language:
    """A fresh blank German pipeline whose memoising tokenizer sets the lookup lemmas
    (``token.lemma_`` as spaCy's lookup lemmatizer gives it)."""
    nlp = spacy.blank("de")
    lookups = load_lookups("de", ["lemma_lookup"])  # from spacy-lookups-data, no network
    nlp.tokenizer = RunTokenizer(nlp.tokenizer, lemmas=lookups.get_table("lemma_lookup"))
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline (treat as read-only: do not add pipes to it)."""
    return build_nlp()
