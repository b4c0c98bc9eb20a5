"""Formal eligibility and plausibility checks of extracted sketches with Great Expectations.

The rules live as data in :mod:`expectations.suite`; this module builds a GX 1.x suite from
them, validates a batch of sketch rows in an *ephemeral* context (nothing is written to
disk unless Data Docs are asked for) and reads GX's result once: per rule
(:class:`~skizzen.steps.pruefbericht.RuleResult`) the sketches checked and the ones that
fail, from which come both the :class:`Violation` objects with German messages for staff
and, with Data Docs, the German Prüfbericht next to them. A failing sketch is flagged,
never dropped.

Data Docs are rewritten to need nothing from the network (:mod:`skizzen.steps.datadocs`).

GX is imported lazily inside :func:`run_checks` (the import takes seconds) and with
``GX_ANALYTICS_ENABLED=false`` so it never phones home.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from expectations.suite import (
    DEFAULT_RULES,
    FIELD_LABELS,
    NUMERIC_COLUMNS,
    SUITE_NAME,
    CheckSpec,
    RuleConfig,
    check_specs,
    finding_text,
    prepare_rows,
)
from skizzen.german import format_eur
from skizzen.steps.pruefbericht import Failure, RuleResult, rule_title

log = logging.getLogger(__name__)

__all__ = [
    "FIELD_LABELS",
    "CheckReport",
    "CheckStatistics",
    "RuleResult",
    "Violation",
    "format_eur",
    "run_checks",
    "violation_message",
]

_DOCS_SITE = "skizzen_quality"


@dataclass(frozen=True)
class Violation:
    """One failed rule for one sketch; ``message`` names the value and the rule (German)."""

    code: str
    message: str
    field: str | None = None
    value: Any = None


@dataclass(frozen=True)
class CheckStatistics:
    """Suite-level figures as GX reports them (an expectation fails if any row fails)."""

    rows: int = 0
    evaluated: int = 0
    successful: int = 0


@dataclass(frozen=True)
class CheckReport:
    """Violations per row key (every key present, ``[]`` when clean) plus run metadata."""

    violations: dict[str, list[Violation]]
    suite_name: str = SUITE_NAME
    gx_version: str | None = None
    data_docs_index: Path | None = None
    statistics: CheckStatistics = field(default_factory=CheckStatistics)
    rules: tuple[RuleResult, ...] = ()
    """Per rule of the call, as GX judged it (the Prüfbericht's content)."""
    pruefbericht: Path | None = None
    """The German Prüfbericht next to the Data Docs (only when they were asked for)."""

    def codes(self, key: str) -> list[str]:
        """Sorted distinct check codes of one row (the corpus' ``violations`` form)."""
        return sorted({v.code for v in self.violations.get(key, [])})

    @property
    def failed_keys(self) -> list[str]:
        """Keys of rows with at least one violation, in input order."""
        return [k for k, v in self.violations.items() if v]


# --------------------------------------------------------------------------- messages


def violation_message(
    spec: CheckSpec, row: Mapping[str, Any], *, config: RuleConfig = DEFAULT_RULES
) -> str:
    """The German message for staff: which value broke which rule (the rule config's
    :func:`expectations.suite.finding_text`; kept here for callers of the runner)."""
    return finding_text(spec, row, config=config)


# --------------------------------------------------------------------------- GX


def _import_gx() -> Any:
    """Import GX with analytics off (belt and braces: the ephemeral context reads it)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


def _preload_gx() -> None:
    """The preload thread: a failure here is only a later import's (the checks import GX
    again and raise there, where a run records it)."""
    try:
        _import_gx()
    except Exception:
        log.warning("GX preload failed; the checks import it when they run", exc_info=True)


_PRELOAD: list[threading.Thread] = []
_PRELOAD_LOCK = threading.Lock()


def preload() -> None:
    """Import GX in the background (seconds of work) while the run does something else,
    e.g. waits for its batches; the checks then find it loaded. Once per process; a second
    caller of the import waits for the first (Python's import lock). Called where the
    checks will run: the flow's process (``flows.tasks.run_batches``) and the review page."""
    with _PRELOAD_LOCK:
        if not _PRELOAD:
            thread = threading.Thread(target=_preload_gx, name="gx-preload", daemon=True)
            thread.start()
            _PRELOAD.append(thread)


def _gx_version() -> str | None:
    try:
        return metadata.version("great_expectations")
    except metadata.PackageNotFoundError:  # pragma: no cover - GX is a dependency
        return None


def _frame(records: list[dict[str, Any]]) -> Any:
    """DataFrame with float64 numeric columns (NaN = absent) and object columns else."""
    import pandas as pd

    df = pd.DataFrame.from_records(records)
    for col in NUMERIC_COLUMNS:
        df[col] = pd.to_numeric(
            pd.Series([math.nan if v is None else v for v in df[col]], dtype="float64")
        )
    return df


def run_checks(
    rows: Sequence[Mapping[str, Any]],
    *,
    key: str = "key",
    data_docs_dir: Path | None = None,
    config: RuleConfig = DEFAULT_RULES,
) -> CheckReport:
    """Validate sketch rows against the call's formal rules.

    Each row is ``{key: str, **fields}`` with the 19 normalised fields of
    ``extractors.types.FIELD_NAMES`` (``None`` where absent). Returns violations per key
    (every key present) and per rule. With ``data_docs_dir`` the GX Data Docs HTML site is
    built there, made to work offline, and ``data_docs_index`` points to its ``index.html``;
    the German Prüfbericht of the same result is written beside it (``pruefbericht``). An
    empty batch gives an empty report without importing GX.
    """
    records = prepare_rows(rows, key=key, config=config)
    if not records:
        return CheckReport(violations={}, gx_version=_gx_version())
    specs = check_specs(config)
    clash = {key} & ({s.column for s in specs} | set(NUMERIC_COLUMNS))
    if clash:
        raise ValueError(f"key column {key!r} clashes with a checked column")

    gx = _import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("skizzen_rows")
    asset = source.add_dataframe_asset("sketch_fields")
    batch_definition = asset.add_batch_definition_whole_dataframe("batch")
    suite = gx.ExpectationSuite(
        name=SUITE_NAME,
        meta={"notes": "Formale Prüfung der Projektskizzen (Förderaufruf Heimat 2.0)."},
    )
    for index, spec in enumerate(specs):
        expectation_class = getattr(gx.expectations, spec.expectation)
        suite.add_expectation(
            expectation_class(
                column=spec.column,
                **dict(spec.kwargs),
                meta={"check_code": spec.code, "spec_index": index, "rule": spec.rule},
                notes=f"{spec.code}: {spec.rule}",
            )
        )
    suite = context.suites.add(suite)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(data=batch_definition, suite=suite, name="skizzen_checks")
    )
    if data_docs_dir is not None:
        data_docs_dir = Path(data_docs_dir).resolve()
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            _DOCS_SITE,
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(data_docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    result = validation.run(
        batch_parameters={"dataframe": _frame(records)},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [key]},
    )

    by_key = {str(r[key]): r for r in rows}
    order = [str(r[key]) for r in records]
    rules = _rule_results(result, specs, by_key, order, key=key, config=config)
    found: dict[str, list[Violation]] = {k: [] for k in order}
    for rule in rules:
        for failure in rule.failures:
            found[failure.key].append(
                Violation(
                    code=rule.code,
                    message=failure.message,
                    field=rule.field,
                    value=failure.value,
                )
            )
    violations = {k: sorted(v, key=lambda x: (x.code, x.field or "")) for k, v in found.items()}
    index: Path | None = None
    report_path: Path | None = None
    if data_docs_dir is not None:
        from skizzen.steps.datadocs import make_offline
        from skizzen.steps.pruefbericht import FILE_NAME, write_pruefbericht

        context.build_data_docs(site_names=[_DOCS_SITE])
        index = data_docs_dir / "index.html"
        make_offline(data_docs_dir, links={"Prüfbericht (deutsch)": FILE_NAME})
        report_path = write_pruefbericht(
            data_docs_dir,
            rules,
            by_key,
            validated_at=(result.meta or {}).get("validation_time"),
            suite_name=SUITE_NAME,
            gx_version=gx.__version__,
        )
    stats = result.statistics
    return CheckReport(
        violations=violations,
        gx_version=gx.__version__,
        data_docs_index=index,
        statistics=CheckStatistics(
            rows=len(records),
            evaluated=int(stats["evaluated_expectations"]),
            successful=int(stats["successful_expectations"]),
        ),
        rules=rules,
        pruefbericht=report_path,
    )


def _rule_results(
    result: Any,
    specs: Sequence[CheckSpec],
    rows: Mapping[str, Mapping[str, Any]],
    order: Sequence[str],
    *,
    key: str,
    config: RuleConfig,
) -> tuple[RuleResult, ...]:
    """GX's suite result per rule of the call: a check code for one field, which may be
    several expectations (all of one rule's failures of a sketch become one finding)."""
    by_spec: dict[int, Any] = {}
    for res in result.results:
        raised = (res.exception_info or {}).get("raised_exception")
        if raised:
            message = (res.exception_info or {}).get("exception_message")
            raise RuntimeError(f"GX expectation {res.expectation_config.type} failed: {message}")
        by_spec[int(res.expectation_config.meta["spec_index"])] = res
    position = {k: i for i, k in enumerate(order)}
    groups: dict[tuple[str, str | None], list[int]] = {}
    for index, spec in enumerate(specs):
        groups.setdefault((spec.code, spec.source_field), []).append(index)
    out = []
    for (code, source), members in groups.items():
        checked = 0
        rows_total = 0
        failures: dict[str, Failure] = {}
        for index in members:
            spec = specs[index]
            res = by_spec[index]
            counts = res.result or {}
            rows_total = max(rows_total, int(counts.get("element_count") or 0))
            checked = max(
                checked,
                int(counts.get("element_count") or 0) - int(counts.get("missing_count") or 0),
            )
            if res.success:
                continue
            for hit in counts.get("unexpected_index_list") or []:
                row_key = str(hit[key])
                if row_key not in failures:
                    row = rows[row_key]
                    failures[row_key] = Failure(
                        key=row_key,
                        value=row.get(spec.source_field or spec.column),
                        message=finding_text(spec, row, config=config),
                    )
        first = specs[members[0]]
        out.append(
            RuleResult(
                code=code,
                field=source,
                title=rule_title(first, specs),
                explanations=tuple(dict.fromkeys(specs[i].rule for i in members)),
                rows=rows_total,
                checked=checked,
                failures=tuple(sorted(failures.values(), key=lambda f: position[f.key])),
            )
        )
    return tuple(out)
