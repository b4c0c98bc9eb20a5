"""Formal eligibility and plausibility checks of extracted sketches with Great Expectations.

The rules live as data in :mod:`expectations.suite`; this module builds a GX 1.x suite from
them, validates a batch of sketch rows in an *ephemeral* context (nothing is written to
disk unless Data Docs are asked for) and turns GX's per-row unexpected indices into
:class:`Violation` objects with German messages for staff. A failing sketch is flagged,
never dropped.

GX is imported lazily inside :func:`run_checks` (the import takes seconds) and with
``GX_ANALYTICS_ENABLED=false`` so it never phones home.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from expectations.suite import (
    DEFAULT_RULES,
    NUMERIC_COLUMNS,
    SUITE_NAME,
    CheckSpec,
    RuleConfig,
    check_specs,
    prepare_rows,
)
from skizzen.german import format_eur, format_number

__all__ = [
    "CheckReport",
    "CheckStatistics",
    "Violation",
    "format_eur",
    "run_checks",
    "violation_message",
]

_DOCS_SITE = "skizzen_quality"

FIELD_LABELS: Mapping[str, str] = {
    "projekttitel": "Projekttitel",
    "akronym": "Akronym",
    "antragsteller": "Antragsteller",
    "koerperschaft_typ": "Art der Körperschaft",
    "landkreis": "Landkreis",
    "bundesland": "Bundesland",
    "ansprechperson": "Ansprechperson",
    "email": "E-Mail-Adresse",
    "telefon": "Telefon",
    "plz": "Postleitzahl",
    "einwohnerzahl": "Einwohnerzahl",
    "kooperationspartner": "Kooperationspartner",
    "themenfelder": "Themenfelder",
    "laufzeit_monate": "Laufzeit",
    "projektbeginn": "Projektbeginn",
    "gesamtkosten_eur": "Gesamtkosten",
    "foerdersumme_eur": "Fördersumme",
    "eigenanteil_eur": "Eigenanteil",
    "datum": "Datum der Skizze",
}
"""German field names as staff know them from the form."""


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

    def codes(self, key: str) -> list[str]:
        """Sorted distinct check codes of one row (the corpus' ``violations`` form)."""
        return sorted({v.code for v in self.violations.get(key, [])})

    @property
    def failed_keys(self) -> list[str]:
        """Keys of rows with at least one violation, in input order."""
        return [k for k, v in self.violations.items() if v]


# --------------------------------------------------------------------------- messages


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def violation_message(
    spec: CheckSpec, row: Mapping[str, Any], *, config: RuleConfig = DEFAULT_RULES
) -> str:
    """The German message for staff: which value broke which rule."""
    name = spec.source_field or spec.column
    value = row.get(name)
    label = FIELD_LABELS.get(name, name)
    code = spec.code
    if code.startswith("missing_field:"):
        return f"Pflichtangabe „{label}“ wurde in der Skizze nicht gefunden."
    if code == "cost_out_of_range":
        cost = float(value)
        if cost > config.max_cost_eur:
            return (
                f"Gesamtkosten {format_eur(cost)} liegen über der Obergrenze von "
                f"{format_eur(config.max_cost_eur)}."
            )
        return (
            f"Gesamtkosten {format_eur(cost)} liegen unter der Untergrenze von "
            f"{format_eur(config.min_cost_eur)}."
        )
    if code == "duration_too_long":
        return (
            f"Laufzeit {_num(value)} Monate überschreitet die Höchstdauer von "
            f"{config.max_duration_months} Monaten."
        )
    if code == "applicant_is_district_alone":
        return (
            f"Antragsteller „{row.get('antragsteller') or 'Landkreis'}“ ist ein Landkreis, "
            "und keine Gemeinde seines Kreises beantragt gemeinsam mit ihm; ein Landkreis "
            "allein ist nicht antragsberechtigt."
        )
    if code == "no_cooperation_partner":
        return (
            "Es ist kein Kooperationspartner genannt; gefördert werden nur "
            f"Kooperationsprojekte (mindestens {config.min_partners} Partner)."
        )
    if code == "funding_sum_mismatch":
        total = float(row["gesamtkosten_eur"])
        funding = float(row["foerdersumme_eur"])
        own = float(row["eigenanteil_eur"])
        return (
            f"Fördersumme {format_eur(funding)} + Eigenanteil {format_eur(own)} = "
            f"{format_eur(round(funding + own, 2))} weicht um "
            f"{format_eur(round(abs(funding + own - total), 2))} von den Gesamtkosten "
            f"{format_eur(total)} ab (zulässig: {format_eur(config.funding_tolerance_eur)})."
        )
    if code == "invalid_email":
        return f"E-Mail-Adresse „{value}“ ist keine gültige Adresse."
    if code == "invalid_postcode":
        return f"Postleitzahl „{value}“ hat nicht das Format von fünf Ziffern."
    if code == "unknown_state":
        return f"Bundesland „{value}“ ist keines der 16 deutschen Bundesländer."
    if code == "invalid_population":
        return f"Einwohnerzahl „{_num(value)}“ ist keine positive ganze Zahl."
    if code == "invalid_date":
        return f"{label} „{value}“ ist kein existierendes Kalenderdatum."
    return f"{label} „{value}“ verletzt die Regel: {spec.rule}"


# --------------------------------------------------------------------------- GX


def _import_gx() -> Any:
    """Import GX with analytics off (belt and braces: the ephemeral context reads it)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


_PRELOAD: list[threading.Thread] = []
_PRELOAD_LOCK = threading.Lock()


def preload() -> None:
    """Import GX in the background (seconds of work) while the run does something else,
    e.g. waits for its extraction workers; the checks then find it loaded. Once per
    process; a second caller of the import waits for the first (Python's import lock).

    Not in a Dask worker: the checks run in the flow's process, so there the import would
    only take a core from the extraction (two workers on two cores each spent ~10 s on it)."""
    if _in_dask_worker():
        return
    with _PRELOAD_LOCK:
        if not _PRELOAD:
            thread = threading.Thread(target=_import_gx, name="gx-preload", daemon=True)
            thread.start()
            _PRELOAD.append(thread)


def _in_dask_worker() -> bool:
    dask = sys.modules.get("distributed")  # a Dask worker has it imported; nobody else asks
    if dask is None:
        return False
    try:
        dask.get_worker()
    except ValueError:
        return False
    return True


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
    (every key present). With ``data_docs_dir`` the GX Data Docs HTML site is built there
    and ``data_docs_index`` points to its ``index.html``. An empty batch gives an empty
    report without importing GX.
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
    found: dict[str, dict[tuple[str, str | None], Violation]] = {r[key]: {} for r in records}
    for res in result.results:
        raised = (res.exception_info or {}).get("raised_exception")
        if raised:
            message = (res.exception_info or {}).get("exception_message")
            raise RuntimeError(f"GX expectation {res.expectation_config.type} failed: {message}")
        if res.success:
            continue
        spec = specs[int(res.expectation_config.meta["spec_index"])]
        for hit in res.result.get("unexpected_index_list") or []:
            row_key = str(hit[key])
            row = by_key[row_key]
            ident = (spec.code, spec.source_field)
            if ident not in found[row_key]:
                found[row_key][ident] = Violation(
                    code=spec.code,
                    message=violation_message(spec, row, config=config),
                    field=spec.source_field,
                    value=row.get(spec.source_field or spec.column),
                )
    violations = {
        k: sorted(v.values(), key=lambda x: (x.code, x.field or "")) for k, v in found.items()
    }
    index: Path | None = None
    if data_docs_dir is not None:
        context.build_data_docs(site_names=[_DOCS_SITE])
        index = data_docs_dir / "index.html"
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
    )
