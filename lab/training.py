"""Train the small theme classifier that :mod:`extractors.themes` blends with its rules.

A spaCy ``textcat_multilabel`` (bag of words, hashed to a small table so the shipped
model stays below 1 MB) over the cleaned free text, one label per topic field
(``T:<name>``) and per kind of solution (``L:<name>``). Training is deterministic for a
fixed seed and takes seconds on a CPU. The sample corpus shares phrase banks between
sketches, so the classifier is deliberately weak (rules carry the weight) and is trained
together with hand-written sentences that use other wording.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from extractors.themes import (
    CONFIG_FILE,
    KIND_CONFIG,
    KIND_PREFIX,
    TEXTCAT_SUBDIR,
    THEME_CONFIG,
    THEME_PREFIX,
    ScoreConfig,
    free_text,
)
from extractors.types import SOLUTION_KINDS, TOPIC_FIELDS

LAYOUTS: tuple[str, ...] = ("form", "letter", "multipage", "office", "two_column")

_V, _S, _B, _G, _M, _W, _O = TOPIC_FIELDS
_PLATTFORM, _APP, _PROZESS, _TELE, _MARKT, _LERN = SOLUTION_KINDS


@dataclass(frozen=True)
class ThemeExample:
    """One labelled text: canonical topic fields and solution kinds, and its layout."""

    text: str
    themes: tuple[str, ...] = field(default_factory=tuple)
    loesungsart: tuple[str, ...] = field(default_factory=tuple)
    layout: str = "handwritten"
    declared: tuple[str, ...] = field(default_factory=tuple)
    """Topic fields the sketch itself names (its ``themenfelder`` field): the pipeline
    passes the extracted ones to the theme decision, so the stack learns their weight."""


# Hand-written sentences with wording that the sample corpus does not use; they teach the
# classifier vocabulary beyond the phrase banks of the sample.
HAND_EXAMPLES: tuple[ThemeExample, ...] = (
    ThemeExample(
        "Seit der Schließung des letzten Lebensmittelmarkts fehlt im Ort eine "
        "Einkaufsmöglichkeit. Ein genossenschaftlicher Laden mit Selbstbedienung rund um die "
        "Uhr soll die Nahversorgung sichern; Bestellungen laufen über einen Webshop.",
        (_V,),
        (_MARKT,),
    ),
    ThemeExample(
        "Landwirtinnen und Landwirte vermarkten Eier, Milch und Gemüse künftig gemeinsam über "
        "einen regionalen Onlineshop mit Abholung im Dorfgemeinschaftshaus.",
        (_V,),
        (_MARKT,),
    ),
    ThemeExample(
        "Ältere Menschen bleiben nach dem Tod des Partners oft allein. Ein digitales "
        "Nachbarschaftsnetz bringt Ehrenamtliche, Kirchengemeinde und Sportvereine zusammen "
        "und zeigt alle Treffen und Feste auf einem gemeinsamen Portal.",
        (_S,),
        (_PLATTFORM,),
    ),
    ThemeExample(
        "Die Heimatvereine wollen Chroniken, Fotos und Erzählungen der Dörfer digital "
        "bewahren und in einem virtuellen Dorfmuseum der Öffentlichkeit zeigen.",
        (_S,),
        (_PLATTFORM,),
    ),
    ThemeExample(
        "Viele Seniorinnen und Senioren trauen sich nicht an Tablet und Internet heran. "
        "Junge Freiwillige geben als Digitalbotschafter Sprechstunden in der Bücherei und "
        "begleiten Übungseinheiten zum sicheren Umgang mit Messengern.",
        (_B,),
        (_LERN,),
    ),
    ThemeExample(
        "Die Grundschulen erhalten eine gemeinsame Lernumgebung mit Aufgaben, Videos und "
        "Selbsttests; Lehrkräfte werden in digitaler Didaktik fortgebildet.",
        (_B,),
        (_LERN, _PLATTFORM),
    ),
    ThemeExample(
        "Die nächste Hausarztpraxis ist 25 Kilometer entfernt. Eine Praxisassistentin "
        "besucht chronisch Kranke zu Hause und verbindet sie per Videokonsultation mit dem "
        "Arzt; Blutdruck und Blutzucker werden digital übermittelt.",
        (_G,),
        (_TELE,),
    ),
    ThemeExample(
        "Ambulante Pflegedienste planen ihre Einsätze heute mit Papierlisten. Eine digitale "
        "Einsatzplanung mit mobiler Pflegedokumentation spart Wege und Zeit.",
        (_G,),
        (_PROZESS,),
    ),
    ThemeExample(
        "Wer kein Auto hat, kommt abends nicht mehr nach Hause. Ein bedarfsgesteuerter "
        "Kleinbus fährt auf Bestellung per Telefon oder Smartphone-Anwendung alle Dörfer an.",
        (_M,),
        (_APP,),
    ),
    ThemeExample(
        "Pendler bilden über eine gemeinsame Vermittlungsplattform Fahrgemeinschaften zur "
        "Kreisstadt; Ladepunkte für Elektroautos entstehen an den Haltestellen.",
        (_M,),
        (_PLATTFORM,),
    ),
    ThemeExample(
        "Im leerstehenden Bahnhofsgebäude entsteht ein Gemeinschaftsbüro mit schnellem "
        "Internet, damit junge Fachleute auf dem Land leben und für Firmen in der Stadt "
        "arbeiten können. Freie Bauplätze und Mietwohnungen zeigt eine Online-Börse.",
        (_W,),
        (_PLATTFORM,),
    ),
    ThemeExample(
        "Betriebe der Region finden kaum Auszubildende. Ein Zuzugsportal wirbt um "
        "Rückkehrerinnen und Rückkehrer mit Stellenanzeigen, Wohnangeboten und Kita-Plätzen.",
        (_W,),
        (_PLATTFORM,),
    ),
    ThemeExample(
        "Bürgerinnen und Bürger sollen Anliegen wie Hundesteuer, Gewerbeanmeldung oder "
        "Sperrmüll rund um die Uhr online erledigen. Die Anträge werden ohne Ausdrucken "
        "elektronisch weitergeleitet und im Rathaus digital bearbeitet.",
        (_O,),
        (_PROZESS,),
    ),
    ThemeExample(
        "Die Amtsverwaltung führt eine elektronische Vorgangsbearbeitung ein; "
        "Sitzungsunterlagen des Gemeinderats stehen den Mitgliedern papierlos zur Verfügung.",
        (_O,),
        (_PROZESS,),
    ),
    ThemeExample(
        "Eine Bürger-App informiert über Abfalltermine, Baustellen und Bekanntmachungen der "
        "Gemeinde und nimmt Meldungen über Schäden an Straßen und Laternen entgegen.",
        (_O,),
        (_APP,),
    ),
)


# ------------------------------------------------------------------------ corpus


def truth_file(corpus_dir: Path) -> Path:
    """A corpus's truth: ``sketches.jsonl`` (the sample's format), else ``truth.jsonl``."""
    main = corpus_dir / "sketches.jsonl"
    return main if main.exists() else corpus_dir / "truth.jsonl"


def examples_from_corpus(
    corpus_dir: Path, *, exclude_layouts: Collection[str] = (), by: str = "layout"
) -> list[ThemeExample]:
    """Labelled examples from a corpus directory (``sketches.jsonl`` or ``truth.jsonl``).

    Only sketches whose PDF parses and has a text layer; layouts in ``exclude_layouts``
    are left out. ``by`` names the group an example belongs to (``layout`` or
    ``producer``), which the stacked decision holds out when it is fitted.
    """
    from skizzen.documents.parsing import parse_pdf_inprocess

    examples: list[ThemeExample] = []
    truth = truth_file(corpus_dir)
    for line in truth.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["layout"] in exclude_layouts or not row.get("pdf"):
            continue
        path = corpus_dir / row["pdf"]
        if path.suffix.lower() != ".pdf" or not path.exists():
            continue
        try:
            text = parse_pdf_inprocess(path.read_bytes()).text
        except Exception:  # encrypted or broken: not usable for training
            continue
        if len(text.split()) < 50:  # scanned: no text layer
            continue
        examples.append(
            ThemeExample(
                text=text,
                themes=tuple(row["themes"]),
                loesungsart=tuple(row["loesungsart"]),
                layout=str(row.get("producer") or row["layout"])
                if by == "producer"
                else row["layout"],
                declared=tuple(row.get("fields", {}).get("themenfelder") or ()),
            )
        )
    return examples


# ---------------------------------------------------------------------- training


def _cats(example: ThemeExample) -> dict[str, float]:
    cats = {f"{THEME_PREFIX}{t}": float(t in example.themes) for t in TOPIC_FIELDS}
    cats.update({f"{KIND_PREFIX}{k}": float(k in example.loesungsart) for k in SOLUTION_KINDS})
    return cats


def train_theme_model(
    examples: Sequence[ThemeExample],
    *,
    out_dir: Path,
    seed: int = 0,
    epochs: int = 12,
    include_handwritten: bool = True,
    theme_config: ScoreConfig = THEME_CONFIG,
    kind_config: ScoreConfig = KIND_CONFIG,
    stack: dict[str, list[float]] | None = None,
) -> Path:
    """Train the textcat on ``examples`` (+ hand-written sentences) and write a model
    directory (``textcat/`` and ``config.json``) that :func:`load_theme_model` reads."""
    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = spacy.blank("de")
    textcat = nlp.add_pipe(
        "textcat_multilabel",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": False,
                "ngram_size": 1,
                "no_output_layer": False,
                "length": 2**14,
            }
        },
    )
    for label in (*TOPIC_FIELDS, *SOLUTION_KINDS):
        prefix = THEME_PREFIX if label in TOPIC_FIELDS else KIND_PREFIX
        textcat.add_label(f"{prefix}{label}")  # type: ignore[attr-defined]
    data = list(examples) + (list(HAND_EXAMPLES) if include_handwritten else [])
    train = [
        Example.from_dict(nlp.make_doc(free_text(ex.text)), {"cats": _cats(ex)}) for ex in data
    ]
    optimizer = nlp.initialize(lambda: train)
    for _ in range(epochs):
        rng.shuffle(train)
        for batch in minibatch(train, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    # replace only what this trainer owns: the folder also holds the field model
    out_dir.mkdir(parents=True, exist_ok=True)
    if (out_dir / TEXTCAT_SUBDIR).exists():
        shutil.rmtree(out_dir / TEXTCAT_SUBDIR)
    nlp.to_disk(out_dir / TEXTCAT_SUBDIR)
    calibration: dict[str, object] = {
        "themes": asdict(theme_config),
        "loesungsart": asdict(kind_config),
    }
    if stack:
        calibration["stack"] = {k: [round(x, 5) for x in v] for k, v in sorted(stack.items())}
    (out_dir / CONFIG_FILE).write_text(
        json.dumps(calibration, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return out_dir


# ---------------------------------------------------------------- stacked decision


def fit_theme_model(
    examples: Sequence[ThemeExample],
    *,
    out_dir: Path,
    seed: int = 0,
    min_groups: int = 3,
) -> Path:
    """Train the classifier and fit the stacked per-label decision honestly.

    The stack's inputs for an example must come from a classifier that did not see it:
    for each group (``ThemeExample.layout``: the producer or layout), a classifier is
    trained without that group and scores it; the stack is fitted on those predictions.
    The shipped classifier is then trained on everything.
    """
    import tempfile

    from extractors.themes import build_theme_model, stack_inputs

    groups = sorted({e.layout for e in examples})
    stack: dict[str, list[float]] | None = None
    if len(groups) >= min_groups:
        rows: list[tuple[ThemeExample, dict[str, float], dict[str, float]]] = []
        with tempfile.TemporaryDirectory(prefix="skizzen-stack-") as tmp:
            for i, g in enumerate(groups):
                inner = Path(tmp) / f"g{i}"
                train_theme_model([e for e in examples if e.layout != g], out_dir=inner, seed=seed)
                m = build_theme_model(inner)
                for e in examples:
                    if e.layout == g:
                        rows.append((e, m.rule_evidence(e.text), m.classifier_scores(e.text)))
        stack = {}
        for labels, truth_of in ((TOPIC_FIELDS, "themes"), (SOLUTION_KINDS, "loesungsart")):
            xs: dict[str, list[list[float]]] = {lbl: [] for lbl in labels}
            ys: dict[str, list[float]] = {lbl: [] for lbl in labels}
            for e, ev, clf in rows:
                for lbl, x in stack_inputs(ev, clf, labels, e.declared).items():
                    xs[lbl].append(x)
                    ys[lbl].append(float(lbl in getattr(e, truth_of)))
            stack.update(_fit_stack(xs, ys))
    return train_theme_model(examples, out_dir=out_dir, seed=seed, stack=stack)


def _fit_stack(
    xs: dict[str, list[list[float]]],
    ys: dict[str, list[float]],
    l2_shared: float = 1e-3,
    l2_label: float = 0.05,
) -> dict[str, list[float]]:
    """Logistic weights per label = shared weights + a small per-label correction."""
    import numpy as np
    from scipy.optimize import minimize

    labels = list(xs)
    d = len(next(iter(xs.values()))[0])
    data = [(np.array(xs[lbl]), np.array(ys[lbl])) for lbl in labels]
    n = sum(len(y) for _, y in data)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        shared, per = theta[:d], theta[d:].reshape(len(labels), d)
        total, grad_s, grad_p = 0.0, np.zeros(d), np.zeros_like(per)
        for k, (x, y) in enumerate(data):
            w = shared + per[k]
            z = x @ w
            p = 1 / (1 + np.exp(-z))
            total += float(np.sum(np.logaddexp(0, z) - y * z))
            g = x.T @ (p - y)
            grad_s += g
            grad_p[k] += g
        total /= n
        grad = np.concatenate([grad_s, grad_p.ravel()]) / n
        reg = np.concatenate([np.full(d, l2_shared), np.full(per.size, l2_label)])
        return total + 0.5 * float(np.sum(reg * theta * theta)), grad + reg * theta

    res = minimize(loss, np.zeros(d * (len(labels) + 1)), jac=True, method="L-BFGS-B")
    shared, per = res.x[:d], res.x[d:].reshape(len(labels), d)
    return {lbl: [float(v) for v in shared + per[k]] for k, lbl in enumerate(labels)}
