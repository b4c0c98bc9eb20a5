"""Where the shipped models live and the versions stored with every run, without loading
a model: the flow's process records them (and reads the review threshold) without
importing spaCy or numpy, which only the analysis workers need."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

THEMES_VERSION = "themes-1"
LEXICON_DIR = Path(__file__).parent / "lexicon"
DEFAULT_MODEL_DIR = Path(__file__).parent / "model"
MODEL_FILE = DEFAULT_MODEL_DIR / "fields.json"
UNTRAINED_FIELD_MODEL = "fields-default"
"""The field model's version when no fields.json is shipped (hand-set weights)."""
DEFAULT_THRESHOLD = 0.5
"""The review threshold of a field model that was not fitted with one."""


def lexicon_files(lexicon_dir: Path = LEXICON_DIR) -> list[Path]:
    """The lexicon files in a stable order (part of the model version)."""
    return sorted(lexicon_dir.glob("*.txt"))


def files_digest(paths: Iterable[Path], root: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(str(p.relative_to(root)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


def model_version(model_dir: Path | None, lexicon_dir: Path = LEXICON_DIR) -> str:
    """``themes-1+<hash>`` over the lexicon files and every file of the model directory."""
    h = hashlib.sha256()
    h.update(files_digest(lexicon_files(lexicon_dir), lexicon_dir).encode())
    if model_dir is not None and model_dir.exists():
        files = sorted(p for p in model_dir.rglob("*") if p.is_file())
        h.update(files_digest(files, model_dir).encode())
    return f"{THEMES_VERSION}+{h.hexdigest()[:10]}"


def field_model_info(path: str | Path | None) -> tuple[str, float]:
    """Version and review threshold of the field model in ``path`` (None: the shipped one),
    as ``extractors.scorer.load_field_model`` would load it."""
    file = Path(path) if path is not None else MODEL_FILE
    if path is None and not file.exists():
        return UNTRAINED_FIELD_MODEL, DEFAULT_THRESHOLD
    data = json.loads(file.read_text(encoding="utf-8"))
    meta = data.get("meta", {})
    return str(data.get("version", "fields")), float(meta.get("threshold", DEFAULT_THRESHOLD))
