"""Topic fields and kinds of digital solution from a sketch's free text.

Two parts, combined into one calibrated score per label:

* **rules** (carry generalisation): a hand-written, weighted lexicon per label
  (``extractors/lexicon/*.txt``) matched on lemmas (spaCy ``PhraseMatcher``) and on
  parts of German compounds (``Versorgungsplattform`` → *plattform*), because the
  lookup lemmatizer does not split compounds;
* **classifier** (optional): a small spaCy ``textcat_multilabel`` (bag of words) trained
  by :mod:`lab.training` and shipped in ``extractors/model/``.

The declared topic fields (ticked boxes, lists, "Wir ordnen das Vorhaben … zu") are removed
from the text before scoring: the themes are what the text is really about, and the
declaration is only passed in as a weak prior.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from extractors.nlp import get_nlp
from extractors.types import SOLUTION_KINDS, TOPIC_FIELDS, Label, ThemeResult
from extractors.versions import (
    DEFAULT_MODEL_DIR,
    LEXICON_DIR,
    lexicon_files,
    model_version,
)

TEXTCAT_SUBDIR = "textcat"
CONFIG_FILE = "config.json"

THEME_PREFIX = "T:"
KIND_PREFIX = "L:"
"""Prefixes of the classifier's labels (one multilabel textcat for both groups)."""


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class LexEntry:
    """One lexicon line: a term of a given form with a weight for one label."""

    label: str
    weight: float
    form: str  # 'phrase' | 'contains' | 'prefix' | 'suffix' | 'regex'
    term: str


_INFLECTION = "(?:e|en|n|s|er|ern|es|nen)?"


def parse_lexicon(text: str) -> list[LexEntry]:
    """Parse the lexicon file format described in ``extractors/lexicon/README.md``."""
    entries: list[LexEntry] = []
    label: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            label = line[1:-1].strip()
            continue
        if label is None:
            raise ValueError(f"lexicon line outside a section: {raw!r}")
        weight_s, _, term = line.partition(" ")
        term = term.strip()
        weight = float(weight_s)
        if term.startswith("re:"):
            entries.append(LexEntry(label, weight, "regex", term[3:]))
        elif term.startswith("*") and term.endswith("*") and len(term) > 2:
            entries.append(LexEntry(label, weight, "contains", term[1:-1].lower()))
        elif term.endswith("*"):
            entries.append(LexEntry(label, weight, "prefix", term[:-1].lower()))
        elif term.startswith("*"):
            entries.append(LexEntry(label, weight, "suffix", term[1:].lower()))
        else:
            entries.append(LexEntry(label, weight, "phrase", term))
    return entries


def load_lexicon(lexicon_dir: Path = LEXICON_DIR) -> list[LexEntry]:
    """All entries of all lexicon files; labels must be canonical names."""
    known = set(TOPIC_FIELDS) | set(SOLUTION_KINDS)
    entries: list[LexEntry] = []
    for path in lexicon_files(lexicon_dir):
        for entry in parse_lexicon(path.read_text(encoding="utf-8")):
            if entry.label not in known:
                raise ValueError(f"{path.name}: unknown label {entry.label!r}")
            entries.append(entry)
    return entries


# --------------------------------------------------------------- free-text cleaning

# How sketches name the topic fields when they declare them (label variants of the call).
_DECLARED_VARIANTS: tuple[str, ...] = (
    r"Lokale\s+und\s+regionale\s+Versorgung",
    r"Lokale\s*/\s*regionale\s+Versorgung",
    r"Soziale\s+und\s+kulturelle\s+Angebote",
    r"Soziales\s+und\s+Kultur",
    r"Soziale\s*/\s*kulturelle\s+Angebote",
    r"Bildung,\s+Qualifizierung\s+und\s+digitale\s+Kompetenzen",
    r"Bildung\s+und\s+digitale\s+Kompetenzen",
    r"Bildung\s*/\s*Qualifizierung",
    r"Gesundheits-\s+und\s+Pflegeversorgung",
    r"Gesundheit\s+und\s+Pflege",
    r"Mobilität\s+im\s+ländlichen\s+Raum",
    r"Schaffung\s+attraktiver\s+Wohn-\s+und\s+Arbeitsstandorte",
    r"(?:attraktive\s+)?Wohn-\s+und\s+Arbeitsstandorte",
    r"Öffentliche\s+Verwaltung",
    r"Verwaltung\s*/\s*E-Government",
)
# Each pattern below starts with a lookahead that only tests one character: without it the
# engine tries the whole alternation (or a word scan) at every position of the text. The
# class holds the first letters the variants can start with (optional words skipped): a new
# variant with another first letter needs its letter here.
_DECLARED_RE = re.compile(
    r"(?=[ABGLMSVWÖ])(?:" + "|".join(_DECLARED_VARIANTS) + r")(?:\s*\([^)\n]{1,40}\))?",
    re.IGNORECASE,
)
# A single-word topic field only counts as a declaration in a list, box or quote.
_SINGLE_DECLARED_RE = re.compile(
    r"(^|[„\"“;\]•–-])([ \t]*)Mobilität(?=[ \t]*(?:$|[;“\"”,]))", re.MULTILINE
)
_CHECKBOX_RE = re.compile(r"[☐☒☑✓✗]|\[\s*[xX✓]?\s*\]")
_AMOUNT_LINE_RE = re.compile(r"^.*\d[\d.]*,\d\d\s*(?:€|EUR)?\s*$", re.MULTILINE)
_EMAIL_URL_RE = re.compile(
    r"(?<!\S)[^\s@]+@\S+|(?=[hw])\b(?:https?://|www\.)\S+", re.IGNORECASE
)  # no backtracking through each word for its "@"; the lookahead skips most positions
_STREET_RE = re.compile(
    r"\b(?=[\wÄÖÜäöüß.-]*\s+\d)[\wÄÖÜäöüß.-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm)\s+\d+\w?",
    re.IGNORECASE,
)


def free_text(text: str) -> str:
    """The text with declared topic fields, cost-table rows, addresses and mail removed.

    Leaves everything else (title, partners, the free text): keeping some non-free text is
    harmless, while a declaration would make the result echo the ticked boxes.
    """
    text = _CHECKBOX_RE.sub(" ", text)
    text = _DECLARED_RE.sub(" ", text)
    text = _SINGLE_DECLARED_RE.sub(r"\1\2", text)
    text = _AMOUNT_LINE_RE.sub(" ", text)
    text = _EMAIL_URL_RE.sub(" ", text)
    text = _STREET_RE.sub(" ", text)
    # join hyphenated line breaks ("Versorgungs-\nplattform") and normalise whitespace
    text = re.sub(r"(\w)-\n(\w)", lambda m: m.group(1) + m.group(2), text)
    text = text.replace("\f", "\n")
    return re.sub(r"[ \t]+", " ", text)


# ---------------------------------------------------------------------- rule scorer


@dataclass
class RuleMatcher:
    """Lexicon compiled against one pipeline: phrase matchers plus token-part tests."""

    nlp: Language
    entries: list[LexEntry]
    _lemma: PhraseMatcher = field(init=False)
    _lower: PhraseMatcher = field(init=False)
    _token_entries: list[tuple[LexEntry, re.Pattern[str]]] = field(init=False)

    def __post_init__(self) -> None:
        self._lemma = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self._lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        phrases = [e for e in self.entries if e.form == "phrase"]
        # nlp.pipe (not make_doc) so the patterns carry lemmas
        for i, (entry, doc) in enumerate(
            zip(phrases, self.nlp.pipe(e.term for e in phrases), strict=True)
        ):
            key = f"{i}"
            self._lemma.add(key, [doc])
            self._lower.add(key, [self.nlp.make_doc(entry.term.lower())])
        self._phrases = phrases
        token_entries: list[tuple[LexEntry, re.Pattern[str]]] = []
        for e in self.entries:
            t = re.escape(e.term)
            if e.form == "contains":
                token_entries.append((e, re.compile(rf".*{t}.*")))
            elif e.form == "prefix":
                token_entries.append((e, re.compile(rf"{t}.*")))
            elif e.form == "suffix":
                token_entries.append((e, re.compile(rf".*{t}{_INFLECTION}")))
            elif e.form == "regex":
                token_entries.append((e, re.compile(e.term)))
        self._token_entries = token_entries
        self._by_form: dict[str, tuple[LexEntry, ...]] = {}

    def _form_entries(self, form: str) -> tuple[LexEntry, ...]:
        """Token entries that match one word form; memoised, since the same forms recur in
        every sketch and testing each against every pattern dominated the theme time."""
        hit = self._by_form.get(form)
        if hit is None:
            hit = tuple(e for e, pattern in self._token_entries if pattern.fullmatch(form))
            if len(self._by_form) > 200_000:
                self._by_form.clear()
            self._by_form[form] = hit
        return hit

    def hits(self, doc: Doc) -> list[tuple[int, LexEntry]]:
        """(token index, entry) per match; at most the strongest entry per token and label."""
        best: dict[tuple[int, str], LexEntry] = {}

        def keep(i: int, entry: LexEntry) -> None:
            old = best.get((i, entry.label))
            if old is None or entry.weight > old.weight:
                best[(i, entry.label)] = entry

        for matcher in (self._lemma, self._lower):
            for match_id, start, _end in matcher(doc):
                keep(start, self._phrases[int(self.nlp.vocab.strings[match_id])])
        for tok in doc:
            if not _is_content(tok):
                continue
            for form in {tok.lower_, tok.lemma_.lower()}:
                for entry in self._form_entries(form):
                    keep(tok.i, entry)
        return sorted(((i, e) for (i, _lbl), e in best.items()), key=lambda x: x[0])

    def evidence(self, doc: Doc) -> dict[str, float]:
        """Summed weight per label; one surface form counts at most twice (no spam effect)."""
        seen: dict[tuple[str, str], int] = defaultdict(int)
        total: dict[str, float] = defaultdict(float)
        for i, entry in self.hits(doc):
            key = (entry.label, doc[i].lower_)
            seen[key] += 1
            if seen[key] <= 2:
                total[entry.label] += entry.weight * (1.0 if seen[key] == 1 else 0.5)
        return dict(total)


def _is_content(tok: Token) -> bool:
    return tok.is_alpha or ("-" in tok.text and any(c.isalpha() for c in tok.text))


# ------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class ScoreConfig:
    """Calibration of rule evidence into [0, 1] and of the blend with the classifier.

    ``abs_scale``: evidence at which the absolute part reaches 1 - 1/e;
    ``rel_weight``: share of the relative part (evidence / strongest label's evidence),
    which keeps incidental mentions (an "Arzt" in a mobility text) below threshold.
    """

    abs_scale: float = 6.0
    rel_weight: float = 0.5
    rule_weight: float = 0.6
    declared_bonus: float = 0.05
    threshold: float = 0.5

    @classmethod
    def from_json(cls, data: dict[str, float]) -> ScoreConfig:
        return cls(**{k: float(v) for k, v in data.items() if k in cls.__dataclass_fields__})


# Chosen by leave-one-layout-out on the sample (scripts/eval_themes.py), among settings
# whose neighbours score alike, so that they are not tuned to single sketches.
THEME_CONFIG = ScoreConfig(abs_scale=6.0, rel_weight=0.5, rule_weight=0.8, threshold=0.45)
KIND_CONFIG = ScoreConfig(abs_scale=4.0, rel_weight=0.5, rule_weight=0.6, threshold=0.4)


def rule_scores(
    evidence: dict[str, float], labels: Sequence[str], cfg: ScoreConfig
) -> dict[str, float]:
    """Evidence per label → rule score in [0, 1] (absolute and relative part blended)."""
    top = max((evidence.get(lbl, 0.0) for lbl in labels), default=0.0)
    out: dict[str, float] = {}
    for lbl in labels:
        e = evidence.get(lbl, 0.0)
        absolute = 1.0 - math.exp(-e / cfg.abs_scale)
        relative = e / top if top > 0 else 0.0
        out[lbl] = (1 - cfg.rel_weight) * absolute + cfg.rel_weight * relative
    return out


# --------------------------------------------------------------------------- model


BLEND_MARGIN = 0.1
"""How far above its own threshold the blend must be to choose a label the stack rejects."""

STACK_FEATURES: tuple[str, ...] = ("rule", "rel", "clf", "clf_rel", "declared", "bias")
"""Per-label inputs of the stacked decision: lexicon evidence (absolute, relative to the
strongest label of its group), classifier probability (absolute, relative), declared."""


def stack_inputs(
    evidence: dict[str, float],
    clf: dict[str, float],
    labels: Sequence[str],
    declared: Sequence[str],
    abs_scale: float = 3.0,
) -> dict[str, list[float]]:
    """The stacked decision's feature vector per label (order of ``STACK_FEATURES``)."""
    top = max((evidence.get(lbl, 0.0) for lbl in labels), default=0.0)
    ctop = max((clf.get(lbl, 0.0) for lbl in labels), default=0.0)
    out: dict[str, list[float]] = {}
    for lbl in labels:
        e = evidence.get(lbl, 0.0)
        c = clf.get(lbl, 0.0)
        out[lbl] = [
            1.0 - math.exp(-e / abs_scale),
            e / top if top > 0 else 0.0,
            c,
            c / ctop if ctop > 0 else 0.0,
            float(lbl in declared),
            1.0,
        ]
    return out


@dataclass
class ThemeModel:
    """Pipeline + lexicon + optional trained classifier; ``predict`` is pure per text.

    With a fitted ``stack`` (weights per label over ``STACK_FEATURES``, learned on
    predictions for layouts left out of the classifier's training), a label is chosen when
    its stacked probability reaches 0.5; without one, the rule/classifier blend of the
    ``ScoreConfig``s decides.
    """

    nlp: Language
    rules: RuleMatcher
    textcat: Language | None
    theme_config: ScoreConfig
    kind_config: ScoreConfig
    version: str
    stack: dict[str, list[float]] = field(default_factory=dict)

    def rule_evidence(self, text: str) -> dict[str, float]:
        """Raw lexicon evidence per label for a (cleaned) text; for debugging and tests."""
        return self.rules.evidence(self.nlp(free_text(text)))

    def classifier_scores(self, text: str, *, doc: Doc | None = None) -> dict[str, float]:
        """Classifier probability per canonical label ({} without a trained classifier).

        ``doc``: the rule pipeline's Doc of the same cleaned text. Both pipelines share
        spaCy's blank German tokenizer and the classifier reads hashed token strings, so
        running its components on that Doc gives the same scores without tokenising twice.
        """
        if self.textcat is None:
            return {}
        if doc is None:
            cats = self.textcat(free_text(text)).cats
        else:
            for _name, proc in self.textcat.pipeline:
                doc = proc(doc)
            cats = doc.cats
        out: dict[str, float] = {}
        for key, value in cats.items():
            out[key.split(":", 1)[1]] = float(value)
        return out

    def scores(
        self, text: str, *, declared: Sequence[str] = (), use_classifier: bool = True
    ) -> dict[str, float]:
        """Final score per label (topic fields and solution kinds), in [0, 1]."""
        doc = self.nlp(free_text(text))
        evidence = self.rules.evidence(doc)
        clf = self.classifier_scores(text, doc=doc) if use_classifier else {}
        blend = self._blend(evidence, clf, declared)
        if not (self.stack and clf):
            return blend
        out: dict[str, float] = {}
        for labels, cfg in ((TOPIC_FIELDS, self.theme_config), (SOLUTION_KINDS, self.kind_config)):
            for lbl, x in stack_inputs(evidence, clf, labels, declared).items():
                w = self.stack.get(lbl)
                if w is None:
                    continue
                z = sum(a * b for a, b in zip(w, x, strict=True))
                # the stack is fitted on the project's own layouts; where lexicon and
                # classifier together clear the blend's threshold by a margin, a stack
                # fitted on other wording does not veto the label
                veto_free = blend[lbl] - cfg.threshold + 0.5 - BLEND_MARGIN
                out[lbl] = max(1.0 / (1.0 + math.exp(-z)), min(1.0, veto_free))
        return out

    def _blend(
        self, evidence: dict[str, float], clf: dict[str, float], declared: Sequence[str]
    ) -> dict[str, float]:
        """The hand-set rule/classifier blend per label (decides alone without a stack)."""
        out: dict[str, float] = {}
        for labels, cfg in ((TOPIC_FIELDS, self.theme_config), (SOLUTION_KINDS, self.kind_config)):
            w = cfg.rule_weight if clf else 1.0
            for lbl, r in rule_scores(evidence, labels, cfg).items():
                s = w * r + (1 - w) * clf.get(lbl, 0.0)
                if lbl in declared and evidence.get(lbl, 0.0) > 0:
                    s += cfg.declared_bonus
                out[lbl] = min(1.0, max(0.0, s))
        return out

    def predict(
        self, text: str, *, declared: Sequence[str] = (), use_classifier: bool = True
    ) -> ThemeResult:
        """Labels with score ≥ threshold in canonical order; at least one theme and one kind
        when the text has any evidence at all (every sketch serves some topic field)."""
        s = self.scores(text, declared=declared, use_classifier=use_classifier)
        stacked = bool(self.stack) and len(s) == len(TOPIC_FIELDS) + len(SOLUTION_KINDS)
        half = ScoreConfig(threshold=0.5)
        return ThemeResult(
            themes=self._pick(s, TOPIC_FIELDS, half if stacked else self.theme_config),
            loesungsart=self._pick(s, SOLUTION_KINDS, half if stacked else self.kind_config),
            model_version=self.version,
        )

    @staticmethod
    def _pick(scores: dict[str, float], labels: Sequence[str], cfg: ScoreConfig) -> list[Label]:
        chosen = [lbl for lbl in labels if scores[lbl] >= cfg.threshold]
        if not chosen:
            best = max(labels, key=lambda lbl: scores[lbl])
            if scores[best] >= cfg.threshold / 2:
                chosen = [best]
        return [Label(label=lbl, score=round(scores[lbl], 4)) for lbl in chosen]


def build_theme_model(
    model_dir: Path | None, *, lexicon_dir: Path = LEXICON_DIR, nlp: Language | None = None
) -> ThemeModel:
    """Assemble a model from a lexicon and an (optional) trained model directory."""
    nlp = nlp or get_nlp()
    rules = RuleMatcher(nlp, load_lexicon(lexicon_dir))
    textcat: Language | None = None
    theme_cfg, kind_cfg = THEME_CONFIG, KIND_CONFIG
    stack: dict[str, list[float]] = {}
    if model_dir is not None:
        cfg_path = model_dir / CONFIG_FILE
        if cfg_path.exists():
            data = json.loads(cfg_path.read_text(encoding="utf-8"))
            theme_cfg = ScoreConfig.from_json(data.get("themes", {}))
            kind_cfg = ScoreConfig.from_json(data.get("loesungsart", {}))
            stack = {k: [float(x) for x in v] for k, v in data.get("stack", {}).items()}
        tc_dir = model_dir / TEXTCAT_SUBDIR
        if tc_dir.exists():
            textcat = spacy.load(tc_dir)
    return ThemeModel(
        nlp=nlp,
        rules=rules,
        textcat=textcat,
        theme_config=theme_cfg,
        kind_config=kind_cfg,
        version=model_version(model_dir, lexicon_dir),
        stack=stack,
    )


_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _cached(model_dir: Path, version: str) -> ThemeModel:
    return build_theme_model(model_dir)


def load_theme_model(path: Path | None = None) -> ThemeModel:
    """The model at ``path`` (default: the shipped ``extractors/model/``), cached per
    directory and content version, so a changed model directory is reloaded."""
    model_dir = (path or DEFAULT_MODEL_DIR).resolve()
    with _LOAD_LOCK:  # batches in threads: build it once, not once per thread
        return _cached(model_dir, model_version(model_dir))
