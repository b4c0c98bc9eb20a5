"""A parsed attachment's analysis (document kind, fields, themes), in warm worker processes.

Extraction is CPU-bound Python: in the flow's batch threads it ran on one core (the GIL).
Here it runs in a pool of child processes (size from the settings, default the core
count), each of which loads the field and theme models once. The parent hands over the
parse as the cache stores it (bytes it never decodes) and gets back what it stores, a few
kilobytes; it keeps only I/O and the database. A worker that overruns its time limit is
killed and the sketch goes to review with the reason; the batch goes on.

``analyse`` is the domain function (pure: a parse and the models in, plain values out);
``analyse_in_pool`` runs it in a worker.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.types import FIELD_NAMES
from skizzen.documents.sandbox import ChildProcess, serve

if TYPE_CHECKING:
    from extractors.scorer import FieldModel
    from extractors.themes import ThemeModel
    from extractors.types import FieldResult, ParsedDocument, ThemeResult

log = logging.getLogger(__name__)

__all__ = [
    "Models",
    "analyse",
    "analyse_in_pool",
    "extract_document",
    "shutdown_pools",
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
    doc: ParsedDocument, *, field_model: FieldModel, theme_model: ThemeModel
) -> tuple[dict[str, FieldResult], ThemeResult]:
    """Fields, then themes (the declared topic fields read from the sketch are their prior)."""
    from extractors.fields import extract_fields
    from skizzen.documents.parsing import gc_paused

    with gc_paused():
        fields = extract_fields(doc, model=field_model)
        themes = theme_model.predict(doc.text, declared=fields["themenfelder"].value or [])
    return fields, themes


def analyse(
    payload: bytes, *, sha256: str, parser_version: str, classify: bool, models: Models
) -> dict[str, Any]:
    """Decode a stored parse, classify it (``classify``) and extract it when it is a sketch
    (always, without ``classify``: a rerun re-extracts what is known to be a sketch).

    Returns ``{"stale": True}`` when the payload is broken or not this file's parse (the
    caller parses the file again), else ``kind``, ``kind_confidence``, ``kind_reason`` (with
    ``classify``), and ``extraction`` (the values ``models.repo.store_extraction`` takes) or
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
        fields, themes = extract_document(doc, field_model=models.fields, theme_model=models.themes)
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
    return out


def _worker_main(
    read_fd: int, write_fd: int, field_model: str | None, theme_dir: str | None
) -> None:
    """Child: load the models, then answer ``(payload, sha256, parser_version, classify)``."""
    logging.basicConfig(level=logging.WARNING)
    models = Models.load(ModelSpec(field_model, theme_dir))

    def handle(request: tuple[bytes, str, str, bool]) -> dict[str, Any]:
        payload, sha256, parser_version, classify = request
        return analyse(
            payload,
            sha256=sha256,
            parser_version=parser_version,
            classify=classify,
            models=models,
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
        self, payload: bytes, *, sha256: str, parser_version: str, classify: bool, timeout_s: float
    ) -> dict[str, Any]:
        child = self._free.get()
        try:
            answer = child.ask((payload, sha256, parser_version, classify), timeout_s=timeout_s)
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
) -> dict[str, Any]:
    """``analyse`` in a warm worker of the pool shared per model spec and size."""
    return _pool(spec, workers).analyse(
        payload,
        sha256=sha256,
        parser_version=parser_version,
        classify=classify,
        timeout_s=timeout_s,
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
