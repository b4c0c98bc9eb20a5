"""Scored label matching: how well does a piece of text name a field?

Labels on real sketches are worded in ways no list foresees: numbered ("2.3.1 Einwohner"),
gendered ("Antragsteller*in", "Einwohner:innen"), with qualifiers ("Fördermittel
(beantragt)", "Laufzeit in Monaten"), as compounds ("Gesamtprojektkosten",
"Fördermittelbedarf"), as questions ("Wie viele Einwohner hat Ihre Kommune?"). So a label
is normalised (numbering, bullets, leaders, colon, gender suffixes, case) and split into
tokens; a lexicon entry is a short phrase whose words must each match a token, exactly, as
the head (end) of a compound, as its modifier (start), or inflected; extra words lower the
score a little, a negative word ("Kostenplan", "Förderquote") a lot. The result is a score
in [0, 1] per field, never a yes/no: the candidate scorer weighs it against geometry and
the value's type.

Matching uses a dictionary of entry words and the prefixes/suffixes of each token, and
memoises per normalised text, so it costs microseconds per fragment.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

__all__ = [
    "LabelText",
    "Lexicon",
    "match_quality",
    "normalise_label",
]

_NUMBERING = re.compile(
    r"^\s*(?:[▪•●◦‣·\-–—*►>]\s*)?"
    r"(?:\(?(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-Ha-h](?:\.\d{1,2})*[.)]|[IVX]{1,4}\.|[a-h]\))\)?\s+)?"
)
_GENDER = re.compile(
    r"(?<=[a-zäöüß])(?:\s?/\s?-?in(?:nen)?|\*in(?:nen)?|:in(?:nen)?|_in(?:nen)?|\(in(?:nen)?\))(?![a-zäöüß])"
)
_GENDER_CAP = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")
_PARENS = re.compile(r"\(([^()]*)\)")
_TOKEN = re.compile(r"[a-zäöüß]+|\d+|€")
STOPWORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "des",
        "den",
        "dem",
        "und",
        "oder",
        "in",
        "im",
        "für",
        "zur",
        "zum",
        "von",
        "vom",
        "mit",
        "bei",
        "auf",
        "an",
        "am",
        "als",
        "aus",
        "ihre",
        "ihr",
        "ihres",
        "ihrer",
        "unsere",
        "unser",
        "unseres",
        "bitte",
        "angeben",
        "angabe",
        "angaben",
        "wie",
        "viele",
        "wann",
        "welche",
        "welcher",
        "welches",
        "wer",
        "was",
        "wo",
        "hat",
        "haben",
        "ist",
        "sind",
        "soll",
        "sollen",
        "wird",
        "werden",
        "geplant",
        "geplante",
        "geplanter",
        "geplantes",
        "voraussichtlich",
        "voraussichtliche",
        "voraussichtlicher",
        "ca",
        "etwa",
        "bis",
        "ggf",
        "nach",
        "einer",
        "eines",
        "ein",
        "eine",
        "einem",
        "einen",
        "je",
        "pro",
        "lt",
        "laut",
        "gem",
        "gemäß",
        "sowie",
        "bzw",
        "the",
        "of",
        "nr",
        "nummer",
    ]
)
_INFLECTIONS = ("", "e", "en", "n", "s", "es", "er", "ern", "innen", "in")


def normalise_label(text: str) -> str:
    """Lower-case label text without numbering, bullets, leaders, colon and gender suffix."""
    t = text.replace("\u00ad", "").replace("\u202f", " ").replace("\u00a0", " ")
    t = " ".join(t.split())
    t = _NUMBERING.sub("", t, count=1)
    t = _LEADERS.sub("", t)  # leader dots and whatever follows them
    t = _GENDER_CAP.sub("", t)
    t = t.casefold()
    t = _GENDER.sub("", t)
    t = _EMAIL_WORD.sub("email", t)
    t = _END_PUNCT.sub("", t)
    return t.strip(" -–—")


_LEADERS = re.compile(r"[.…_·]{3,}.*$")
_EMAIL_WORD = re.compile(r"\be\s?-\s?mail")
_END_PUNCT = re.compile(r"\s*[:?]+\s*$")


@dataclass(frozen=True)
class LabelText:
    """A normalised label: content tokens and the tokens of its qualifiers in parentheses."""

    text: str
    tokens: tuple[str, ...]
    qualifiers: tuple[str, ...]
    question: bool

    @staticmethod
    @lru_cache(maxsize=65536)
    def of(raw: str) -> LabelText:
        question = raw.rstrip().endswith("?")
        norm = normalise_label(raw)
        quals: list[str] = []
        for m in _PARENS.finditer(norm):
            quals.extend(_TOKEN.findall(m.group(1)))
        main = _PARENS.sub(" ", norm)
        tokens = tuple(t for t in _TOKEN.findall(main) if t not in STOPWORDS and not t.isdigit())
        return LabelText(norm, tokens, tuple(quals), question)

    @cached_property
    def matches(self) -> tuple[tuple[dict[str, float], ...], frozenset[str]]:
        """Lexicon words per token and all of them: computed once, read by every field's
        lexicon (a label is scored against all 19)."""
        per = tuple(_token_matches(t) for t in self.tokens)
        return per, frozenset(w for m in per for w in m)


_SUFFIXES = ("lichkeit", "ungen", "lich", "ung", "ende", "end", "ern", "en", "er", "e", "n", "s")


def stem(word: str) -> str:
    """A light German stem: one derivational or inflectional ending off ("verantwortlich",
    "Verantwortung" → "verantwort"; "Einwohnende", "Einwohner" → "einwohn")."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[: -len(suf)]
    return word


def match_quality(entry_word: str, token: str) -> float:
    """How well one word of a lexicon entry matches one token of a label.

    Short words ("tel", "ort", "art") match only whole tokens (or inflected), so
    "Projekttitel" never names the phone number.
    """
    if token == entry_word:
        return 1.0
    if len(entry_word) >= 6 and stem(entry_word) == stem(token):
        return 0.9
    short = len(entry_word) < 4
    if token.startswith(entry_word):
        rest = token[len(entry_word) :]
        if rest in _INFLECTIONS:
            return 0.95
        if len(rest) >= 2 and not short:
            return 0.75  # the entry word is the compound's modifier: "Einwohner|zahl"
    if short:
        return 0.0
    if token.endswith(entry_word) and len(token) - len(entry_word) >= 3:
        return 0.85  # the entry word is the compound's head: "Projekt|gesamtkosten"
    for inflection in _INFLECTIONS[1:]:
        tail = entry_word + inflection
        if token.endswith(tail) and len(token) - len(tail) >= 3:
            return 0.8
    return 0.0


def _pieces(token: str) -> set[str]:
    """Every substring of ``token`` an entry word could be (whole, prefixes, suffixes)."""
    out = {token, *_STEM_INDEX.get(stem(token), ())}
    n = len(token)
    out.update(token[:k] for k in range(3, n))
    out.update(token[k:] for k in range(1, n - 2))
    return out


@dataclass(frozen=True)
class Lexicon:
    """Label words of one field.

    ``entries``: phrases with the score they give when every word matches a token exactly.
    ``negative``: words that make a label name something else ("plan" in "Kostenplan").
    ``generic``: labels that name the field only under a group heading of ``group``
    ("Name" under "Ansprechpartner/in").
    """

    entries: tuple[tuple[str, float], ...]
    negative: tuple[str, ...] = ()
    generic: tuple[tuple[str, float], ...] = ()
    group: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        # register every word now (at import of the registry): which words are "known" must
        # not depend on which lexicons happened to be scored first, nor race between threads
        for entries in (self.entries, self.generic, self.group):
            if entries:
                _compiled(entries, self.negative if entries is self.entries else ())
        # context scores memoised per token sequence: a value's surroundings are scored for
        # its field and for every field of the same kind, and again for each reading of it
        object.__setattr__(self, "_ctx_memo", {})

    def score(self, label: LabelText) -> float:
        """Score in [0, 1] of ``label`` naming this lexicon's field."""
        return _score(self.entries, self.negative, label)

    def generic_score(self, label: LabelText) -> float:
        return _score(self.generic, (), label) if self.generic else 0.0

    def context_score(self, tokens: list[tuple[str, int]]) -> float:
        """How strongly words around a value (prose, a row label) point to this field.

        ``tokens`` are (token, distance in words from the value); closer words count more
        and extra words cost nothing (a sentence is not a label).
        """
        key = tuple(tokens)
        memo: dict[tuple[tuple[str, int], ...], float] = self._ctx_memo  # type: ignore[attr-defined]
        hit = memo.get(key)
        if hit is None:
            hit = _context(self.entries, self.negative, tokens)
            if len(memo) > 50_000:
                memo.clear()
            memo[key] = hit
        return hit

    def group_score(self, label: LabelText) -> float:
        return _score(self.group, (), label) if self.group else 0.0


@lru_cache(maxsize=131072)
def _token_matches(token: str) -> dict[str, float]:
    """entry word → match quality, for every entry word this token could match."""
    out: dict[str, float] = {}
    for piece in _pieces(token):
        for cand in (piece, *(piece[: -len(i)] for i in _INFLECTIONS[1:] if piece.endswith(i))):
            if cand in _WORDS:
                q = match_quality(cand, token)
                if q > out.get(cand, 0.0):
                    out[cand] = q
    return out


_WORDS: set[str] = set()
"""Every word of every lexicon (filled as lexicons are scored)."""


_STEM_INDEX: dict[str, set[str]] = {}
"""stem → the entry words with that stem."""


def _register(entries: tuple[tuple[str, float], ...], negative: tuple[str, ...]) -> None:
    for phrase, _w in entries:
        _WORDS.update(phrase.split())
    _WORDS.update(negative)
    for word in _WORDS:
        if len(word) >= 6:
            _STEM_INDEX.setdefault(stem(word), set()).add(word)


_COMPILE_LOCK = threading.Lock()
_REGISTERED: set[int] = set()
_Compiled = tuple[list[tuple[tuple[str, ...], float, frozenset[str]]], dict[str, list[int]]]
_COMPILED: dict[int, _Compiled] = {}
_KEEP: dict[int, tuple[tuple[str, float], ...]] = {}


def _compiled(entries: tuple[tuple[str, float], ...], negative: tuple[str, ...]) -> _Compiled:
    """Entries split into words, and word → entries that contain it: a label or a context
    is scored only against the entries all of whose words it matches at all."""
    key = id(entries)
    got = _COMPILED.get(key)
    if got is not None and _KEEP[key] is entries:
        return got
    with _COMPILE_LOCK:  # extraction runs in worker threads: one registration at a time
        got = _COMPILED.get(key)
        if got is not None and _KEEP[key] is entries:
            return got
        if key not in _REGISTERED:
            _register(entries, negative)
            _REGISTERED.add(key)
            _token_matches.cache_clear()
        split = [
            (tuple(phrase.split()), weight, frozenset(phrase.split())) for phrase, weight in entries
        ]
        index: dict[str, list[int]] = {}
        for i, (words, _w, _set) in enumerate(split):
            for word in set(words):
                index.setdefault(word, []).append(i)
        got = _COMPILED[key] = (split, index)
        _KEEP[key] = entries  # holds the tuple, so its id is not reused
    return got


def _candidates(
    compiled: _Compiled,
    per_token: Sequence[dict[str, float]],
    matched: frozenset[str] | set[str] | None = None,
) -> list[tuple[tuple[str, ...], float]]:
    split, index = compiled
    if matched is None:
        matched = set()
        for matches in per_token:
            matched.update(matches)
    common = index.keys() & matched  # most labels share no word with most lexicons
    if not common:
        return []
    ids: set[int] = set()
    for word in common:
        ids.update(index[word])
    return [split[i][:2] for i in sorted(ids) if split[i][2] <= matched]


def _score(
    entries: tuple[tuple[str, float], ...], negative: tuple[str, ...], label: LabelText
) -> float:
    compiled = _compiled(entries, negative)
    tokens = label.tokens
    if not tokens or len(tokens) > 14:
        return 0.0
    per_token, matched = label.matches
    best = 0.0
    for words, weight in _candidates(compiled, per_token, matched):
        quality = 1.0
        used: set[int] = set()
        for word in words:
            q, at = 0.0, -1
            for k, matches in enumerate(per_token):
                mq = matches.get(word, 0.0)
                if mq > q:
                    q, at = mq, k
            if q == 0.0:
                quality = 0.0
                break
            quality *= q
            used.add(at)
        if quality == 0.0:
            continue
        extra = len(tokens) - len(used)
        coverage = 1.0 / (1.0 + (0.08 if label.question else 0.18) * extra)
        best = max(best, weight * quality * coverage)
    if best and negative:
        for word in negative:
            if any(matches.get(word, 0.0) >= 0.75 for matches in per_token) or any(
                len(word) >= 5 and word in t for t in tokens
            ):
                best *= 0.2
                break
    return round(best, 4)


def known_word(token: str, *, min_quality: float = 0.0) -> bool:
    """Does a token match a word of any lexicon (else it is a name or an ordinary word)?

    ``min_quality`` 0.9 asks for the word itself or its stem: "birkenfeld" ends in the
    lexicon's "feld" but is a place name.
    """
    if token in STOPWORDS:
        return True
    matches = _token_matches(token)
    return bool(matches) and max(matches.values()) >= min_quality


def context_tokens(text: str, *, reverse: bool) -> list[tuple[str, int]]:
    """Content tokens of ``text`` with their distance from the value (the text's end when
    ``reverse``, else its start)."""
    toks = [t for t in _TOKEN.findall(normalise_label(text) if text else "") if t not in STOPWORDS]
    toks = [t for t in toks if not t.isdigit()]
    if reverse:
        toks.reverse()
    return [(t, i) for i, t in enumerate(toks[:12])]


def _context(
    entries: tuple[tuple[str, float], ...], negative: tuple[str, ...], tokens: list[tuple[str, int]]
) -> float:
    if not tokens:
        return 0.0
    compiled = _compiled(entries, negative)
    per_token = [(_token_matches(t), d, t) for t, d in tokens]
    best = 0.0
    for words, weight in _candidates(compiled, [m for m, _d, _t in per_token]):
        quality, far = 1.0, 0
        for word in words:
            q, dist = 0.0, 99
            for matches, d, _t in per_token:
                mq = matches.get(word, 0.0)
                if mq > q or (mq == q and d < dist):
                    q, dist = mq, d
            if q == 0.0:
                quality = 0.0
                break
            quality *= q
            far = max(far, dist)
        if quality:
            score = weight * quality / (1.0 + 0.12 * far)
            if score > best:
                best = score
                best_far = far
    if best and negative:
        for word in negative:
            for matches, d, t in per_token:
                if d <= best_far + 1 and (
                    matches.get(word, 0.0) >= 0.75 or (len(word) >= 5 and word in t)
                ):
                    return round(best * 0.2, 4)
    return round(best, 4)
