"""A parsed attachment's analysis (document kind, fields, themes), in warm worker processes.

Extraction is CPU-bound Python: in the flow's batch threads it ran on one core (the GIL).
Here it runs in a pool of child processes (size from the settings, default the core
count), each of which loads the field and theme models once. The parent hands over the
parse as the cache stores it (bytes it never decodes) and gets back what it stores, a few
kilobytes; it keeps only I/O and the database. A worker that overruns its time limit is
killed and the sketch goes to review with the reason; the batch goes on.

``analyse`` is the domain function (pure: a parse, the models and the rules staff
corrections taught in, plain values out); ``analyse_in_pool`` runs it in a worker. Because
it is pure, its result is kept (``AnalysisMemo``) under a fingerprint of everything it
depends on: the extractor code and its shipped lexicons and models, the models given
instead, this module and the parse decoder, and the installed library versions; and, per
kept result, the taught rules that could apply to its layout (``extractors.taught``). A
rerun with any of them changed re-extracts: every sketch for code or models, the sketches
of a layout whose rules were learned, replaced or removed; a rerun with none changed (e.g.
after a change of the call's rules) reuses the kept result, which is what re-extraction
would give. ``reuse_analysis=False`` always re-extracts.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import logging
import os
import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.types import FIELD_NAMES
from skizzen.documents.sandbox import ChildProcess, serve

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.scorer import FieldModel
    from extractors.taught import Applied, TaughtRule
    from extractors.themes import ThemeModel
    from extractors.types import FieldResult, ParsedDocument, ThemeResult

log = logging.getLogger(__name__)

__all__ = [
    "AnalysisMemo",
    "Models",
    "analyse",
    "analyse_in_pool",
    "analysis_fingerprint",
    "extract_document",
    "extract_taught",
    "shutdown_pools",
    "taught_still_valid",
    "warm_up",
]


@dataclass(frozen=True)
class ModelSpec:
    """Where the models come from (None: the shipped ones); a pool's key."""

    field_model: str | None = None
    theme_dir: str | None = None


@dataclass(frozen=True)
class Models:
    """The field scorer and the theme model, loaded once per process."""

    fields: FieldModel
    themes: ThemeModel

    @classmethod
    def load(cls, spec: ModelSpec) -> Models:
        from extractors.scorer import load_field_model
        from extractors.themes import load_theme_model

        theme_dir = Path(spec.theme_dir) if spec.theme_dir else None
        return cls(load_field_model(spec.field_model), load_theme_model(theme_dir))


def extract_document(
    doc: ParsedDocument,
    *,
    field_model: FieldModel,
    theme_model: ThemeModel,
    rules: Sequence[TaughtRule] = (),
) -> tuple[dict[str, FieldResult], ThemeResult]:
    """Fields, then themes (the declared topic fields read from the sketch are their prior).
    Fields read from an OCRed scan are only as sure as its words (``extractors.ocr``); a
    field a taught rule of the document's layout reads is read there (``rules``)."""
    fields, themes, _ = extract_taught(
        doc, field_model=field_model, theme_model=theme_model, rules=rules
    )
    return fields, themes


def extract_taught(
    doc: ParsedDocument,
    *,
    field_model: FieldModel,
    theme_model: ThemeModel,
    rules: Sequence[TaughtRule] = (),
) -> tuple[dict[str, FieldResult], ThemeResult, Applied]:
    """``extract_document`` with what the rules did (``taught.Applied``: the layout and the
    rules that could apply, which the memo keeps the result under)."""
    from extractors.fields import extract_fields
    from extractors.ocr import ocr_adjusted, ocr_words
    from extractors.taught import applied
    from skizzen.documents.parsing import gc_paused

    with gc_paused():
        fields = extract_fields(doc, model=field_model)
        if (ocr := ocr_words(doc.metadata)) is not None:
            fields = ocr_adjusted(fields, ocr, threshold=field_model.threshold)
        taught = applied(doc, fields, rules)
        fields = taught.fields
        themes = theme_model.predict(doc.text, declared=fields["themenfelder"].value or [])
    return fields, themes, taught


def analyse(
    payload: bytes,
    *,
    sha256: str,
    parser_version: str,
    classify: bool,
    models: Models,
    rules: Sequence[TaughtRule] = (),
) -> dict[str, Any]:
    """Decode a stored parse, classify it (``classify``) and extract it when it is a sketch
    (always, without ``classify``: a rerun re-extracts what is known to be a sketch), with
    the taught ``rules`` of its layout.

    Returns ``{"stale": True}`` when the payload is broken or not this file's parse (the
    caller parses the file again), else ``kind``, ``kind_confidence``, ``kind_reason`` (with
    ``classify``), and ``extraction`` (the values ``models.repo.store_extraction`` takes)
    with ``taught`` (``taught_memo_key``: what the memo checks the rules against) or
    ``failure`` (``extraction_failed:<error>``).
    """
    from extractors.doctype import classify_parsed
    from skizzen.documents.parsing import decode_document, document_matches

    try:
        doc = decode_document(payload)
    except Exception:  # truncated gzip, bad JSON, old schema
        return {"stale": True}
    if not document_matches(doc, sha256, parser_version):
        return {"stale": True}
    out: dict[str, Any] = {}
    if classify:
        kind = classify_parsed(doc)
        out.update(kind=kind.kind, kind_confidence=kind.confidence, kind_reason=kind.reason)
        if kind.kind != "sketch":
            return out
    try:
        fields, themes, taught = extract_taught(
            doc, field_model=models.fields, theme_model=models.themes, rules=rules
        )
    except Exception as exc:
        log.exception("extraction of %s failed", sha256[:12])
        out["failure"] = f"extraction_failed:{type(exc).__name__}"
        return out
    out["extraction"] = {
        "fields": {name: fields[name].model_dump() for name in FIELD_NAMES if name in fields},
        "themes": [t.model_dump() for t in themes.themes],
        "loesungsart": [t.model_dump() for t in themes.loesungsart],
        "theme_model_version": themes.model_version,
        "parser_version": doc.parser_version,
        "page_count": doc.page_count,
    }
    out["taught"] = taught_memo_key(taught)
    return out


def taught_memo_key(taught: Applied) -> dict[str, Any]:
    """Under which rules an extraction was made: the producer, the layout (None when no
    rule of the producer existed, so its labels were not read) and a digest of the rules
    that could apply to it."""
    from extractors.taught import rules_key

    return {
        "producer": taught.producer,
        "layout": taught.layout.as_dict() if taught.layout is not None else None,
        "rules": rules_key(taught.considered),
    }


def taught_still_valid(result: dict[str, Any], rules: Sequence[TaughtRule]) -> bool:
    """Would the rules now give the kept extraction? Yes when the rules that could apply
    to its layout are the very versions it was made with (one learned for another layout
    changes nothing); a result kept before rules were recorded holds only without rules."""
    from extractors.taught import Layout, relevant, rules_key

    if "extraction" not in result:
        return True  # classified as no sketch: rules do not matter
    info = result.get("taught")
    if not isinstance(info, dict):
        return not any(r.active for r in rules)
    layout = Layout.from_dict(info["layout"]) if info.get("layout") else None
    return rules_key(relevant(rules, str(info.get("producer") or ""), layout)) == info.get("rules")


_ROOT = Path(__file__).resolve().parents[2]
_CODE = ("extractors", "skizzen/steps/analysis.py", "skizzen/documents/parsing.py")


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _digest_files(digest: Any, base: Path) -> None:
    for file in _files(base):
        digest.update(str(file.relative_to(base.parent)).encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    from importlib.metadata import distributions

    digest = hashlib.sha256()
    for part in _CODE:
        _digest_files(digest, _ROOT / part)
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=16)
def _spec_fingerprint(spec: ModelSpec, stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256(_code_fingerprint().encode())
    for given in (spec.field_model, spec.theme_dir):
        if given:
            _digest_files(digest, Path(given))
    return digest.hexdigest()


def analysis_fingerprint(spec: ModelSpec) -> str:
    """A digest of everything ``analyse`` depends on besides the parse: the extractor code
    with its shipped lexicons and models, the code that decodes a parse, every installed
    distribution's version (spaCy, babel, …), and the model files of ``spec`` (read again
    when one of them changes on disk)."""
    stamp = tuple(
        (str(f), (st := f.stat()).st_mtime_ns, st.st_size)
        for given in (spec.field_model, spec.theme_dir)
        if given
        for f in _files(Path(given))
    )
    return _spec_fingerprint(spec, stamp)


class AnalysisMemo:
    """One JSON file per attachment: the fingerprint it was made under and ``analyse``'s
    result (classified, or extracted only). A file under another fingerprint, a failure
    (time limit, worker died) or a broken file is never used; it is overwritten."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.root = Path(root)
        self.fingerprint = fingerprint

    def _path(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}.json"

    def _read(self, sha256: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(self._path(sha256).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("fingerprint") != self.fingerprint:
            return None
        result = entry.get("result")
        return result if isinstance(result, dict) else None

    def get(
        self, sha256: str, *, classify: bool, rules: Sequence[TaughtRule] = ()
    ) -> dict[str, Any] | None:
        """What ``analyse(…, classify=classify, rules=rules)`` returned for this file, if
        kept (and made under the same rules for its layout: ``taught_still_valid``)."""
        result = self._read(sha256)
        if result is None or not taught_still_valid(result, rules):
            return None
        if classify:
            return result if "kind" in result else None
        if "extraction" not in result:
            return None
        return {k: result[k] for k in ("extraction", "taught") if k in result}

    def put(self, sha256: str, *, classify: bool, result: dict[str, Any]) -> None:
        """Keep a result (not a failure); an extraction alone keeps the classification
        already kept. Written atomically: a reader never sees half a file."""
        if "failure" in result or "stale" in result:
            return
        if not classify:
            kept = self._read(sha256)
            result = {**kept, **result} if kept else result
        from skizzen.intake.store import write_atomically

        body = json.dumps({"fingerprint": self.fingerprint, "result": result})
        write_atomically(self._path(sha256), body.encode("utf-8"))


def _worker_main(
    read_fd: int, write_fd: int, field_model: str | None, theme_dir: str | None
) -> None:
    """Child: load the models, then answer ``(payload, sha256, parser_version, classify,
    rules)``."""
    logging.basicConfig(level=logging.WARNING)
    models = Models.load(ModelSpec(field_model, theme_dir))

    def handle(request: tuple[bytes, str, str, bool, tuple[TaughtRule, ...]]) -> dict[str, Any]:
        payload, sha256, parser_version, classify, rules = request
        return analyse(
            payload,
            sha256=sha256,
            parser_version=parser_version,
            classify=classify,
            models=models,
            rules=rules,
        )

    serve(read_fd, write_fd, handle)


class AnalysisPool:
    """``size`` warm analysis workers for one model spec, one handed out per request."""

    def __init__(self, spec: ModelSpec, size: int) -> None:
        self.spec = spec
        self.size = max(1, size)
        self._all = [
            ChildProcess("skizzen.steps.analysis:_worker_main", (spec.field_model, spec.theme_dir))
            for _ in range(self.size)
        ]
        self._free: queue.SimpleQueue[ChildProcess] = queue.SimpleQueue()
        for child in self._all:
            self._free.put(child)

    def start(self) -> None:
        """Start every worker at once (each loads the models, a few seconds)."""
        threads = [threading.Thread(target=c.start, daemon=True) for c in self._all]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def analyse(
        self,
        payload: bytes,
        *,
        sha256: str,
        parser_version: str,
        classify: bool,
        timeout_s: float,
        rules: Sequence[TaughtRule] = (),
    ) -> dict[str, Any]:
        child = self._free.get()
        request = (payload, sha256, parser_version, classify, tuple(rules))
        try:
            answer = child.ask(request, timeout_s=timeout_s)
        finally:
            self._free.put(child)
        if answer.status == "reply":
            return dict(answer.reply)
        log.error(
            "analysis of %s: worker %s (exit %s)", sha256[:12], answer.status, answer.exitcode
        )
        error = "Timeout" if answer.status == "timeout" else "WorkerDied"
        return {"failure": f"extraction_failed:{error}"}

    def close(self) -> None:
        for child in self._all:
            child.close()


_POOLS: dict[tuple[ModelSpec, int], AnalysisPool] = {}
_POOLS_LOCK = threading.Lock()


_KEEP_POOLS = 2  # a cross-validation asks for a new model per fold: the oldest pool goes


def _pool(spec: ModelSpec, workers: int | None) -> AnalysisPool:
    size = workers or os.cpu_count() or 1
    retired: list[AnalysisPool] = []
    with _POOLS_LOCK:
        pool = _POOLS.get((spec, size))
        if pool is None:
            while len(_POOLS) >= _KEEP_POOLS:
                retired.append(_POOLS.pop(next(iter(_POOLS))))
            pool = _POOLS[(spec, size)] = AnalysisPool(spec, size)
    for old in retired:  # a request still in one finishes first (the child's lock)
        old.close()
    return pool


def analyse_in_pool(
    payload: bytes,
    *,
    sha256: str,
    parser_version: str,
    classify: bool,
    spec: ModelSpec,
    workers: int | None,
    timeout_s: float,
    rules: Sequence[TaughtRule] = (),
) -> dict[str, Any]:
    """``analyse`` in a warm worker of the pool shared per model spec and size."""
    return _pool(spec, workers).analyse(
        payload,
        sha256=sha256,
        parser_version=parser_version,
        classify=classify,
        timeout_s=timeout_s,
        rules=rules,
    )


def warm_up(spec: ModelSpec, workers: int | None) -> threading.Thread:
    """Start the pool's workers in the background (e.g. while Prefect's server starts)."""
    thread = threading.Thread(target=_pool(spec, workers).start, daemon=True)
    thread.start()
    return thread


def shutdown_pools() -> None:
    """Stop the shared workers (also registered with ``atexit``)."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()


atexit.register(shutdown_pools)
