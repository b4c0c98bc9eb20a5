"""The German "Prüfbericht": one self-contained HTML page per validation run, for staff.

GX's Data Docs speak English and name the prepared columns (``funding_gap_eur``,
``district_alone``); staff need the rules of the call in their words. This page is made from
the same validation result as the check codes (``skizzen.steps.quality`` turns GX's result
into :class:`RuleResult` objects; nothing is evaluated a second time): per rule its German
name and explanation (from the rule config in ``expectations.suite``), how many sketches were
checked and how many fail, and which, with the offending value and the finding.

Inline CSS and no script, so the file can be mailed, archived or opened offline as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from expectations.suite import FIELD_LABELS, CheckSpec, german_number
from extractors.registry import FIELDS
from skizzen.german import format_eur

__all__ = [
    "Failure",
    "RuleResult",
    "format_value",
    "render_pruefbericht",
    "rule_title",
    "write_pruefbericht",
]

FILE_NAME = "pruefbericht.html"
"""Name of the page in the Data Docs folder of a run (next to GX's ``index.html``)."""

_TEMPLATES = Path(__file__).with_name("templates")
_BERLIN = ZoneInfo("Europe/Berlin")
_KINDS: Mapping[str, str] = {f.name: f.input_kind for f in FIELDS}
_DISPLAY: Mapping[str, str] = {f.name: f.display for f in FIELDS}


@dataclass(frozen=True)
class Failure:
    """One sketch that breaks a rule: its key, the value the rule looked at and the finding."""

    key: str
    value: Any
    message: str


@dataclass(frozen=True)
class RuleResult:
    """One rule of the call (a check code for one field) as GX judged the batch.

    A rule may be several expectations (population: at least the bound *and* a whole
    number); ``explanations`` has one German sentence each, ``checked`` counts the sketches
    that had a value to check (GX skips absent values; a missing required field is its own
    rule) and ``failures`` are in input order, one per sketch.
    """

    code: str
    field: str | None
    title: str
    explanations: tuple[str, ...]
    rows: int
    checked: int
    failures: tuple[Failure, ...]

    @property
    def failing(self) -> tuple[str, ...]:
        """Keys of the failing sketches, in input order."""
        return tuple(f.key for f in self.failures)


def rule_title(spec: CheckSpec, specs: Sequence[CheckSpec]) -> str:
    """The suite's short German name of the breach; where several fields share it
    ("Pflichtfeld fehlt", "Datum ungültig") the field's name is added, as on the review page."""
    fields = {s.source_field for s in specs if s.label == spec.label}
    if len(fields) > 1 and spec.source_field:
        return f"{spec.label}: {_DISPLAY.get(spec.source_field, spec.source_field)}"
    return spec.label


def _absent(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, (str, list, tuple)) and not (
        value.strip() if isinstance(value, str) else value
    )


def format_value(field: str | None, value: Any) -> str:
    """The value a rule looked at, written the German way (babel): euros, months,
    thousands, dates as day.month.year; a value that is no number or date stays as written."""
    if _absent(value):
        return "keine Angabe"
    kind = _KINDS.get(field or "", "text")
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if kind == "money" and number is not None:
        return format_eur(number)
    if field == "laufzeit_monate" and number is not None:
        return f"{german_number(number)} {'Monat' if number == 1 else 'Monate'}"
    if kind == "int" and number is not None:
        return german_number(number)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value).strip()).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def _sketches(n: int) -> str:
    return f"{german_number(n)} {'Skizze' if n == 1 else 'Skizzen'}"


def _percent(part: int, whole: int) -> str:
    from babel.numbers import format_percent

    return format_percent(part / whole if whole else 0, locale="de_DE")


def render_pruefbericht(
    rules: Sequence[RuleResult],
    sketches: Mapping[str, Mapping[str, Any]],
    *,
    validated_at: dt.datetime | None,
    suite_name: str,
    gx_version: str | None,
    data_docs_href: str | None = "index.html",
) -> str:
    """The page as HTML text; ``sketches`` maps each key to its row (title, applicant)."""
    from jinja2 import Environment, FileSystemLoader

    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sketches"] = _sketches
    env.filters["number"] = german_number
    failing_keys = {f.key for r in rules for f in r.failures}
    when = None
    if validated_at is not None:
        from babel.dates import format_datetime

        when = format_datetime(
            validated_at, "d. MMMM y 'um' HH:mm 'Uhr'", tzinfo=_BERLIN, locale="de_DE"
        )
    failed = [r for r in rules if r.failures]
    return env.get_template("pruefbericht.html.j2").render(
        rules=rules,
        failed=failed,
        total=len(sketches),
        with_findings=len(failing_keys),
        when=when,
        suite_name=suite_name,
        gx_version=gx_version,
        data_docs_href=data_docs_href,
        percent=_percent,
        row=lambda key: sketches.get(key, {}),
        value=lambda rule, failure: format_value(rule.field, failure.value),
        field_label=lambda name: FIELD_LABELS.get(name or "", name or ""),
    )


def write_pruefbericht(
    directory: Path,
    rules: Sequence[RuleResult],
    sketches: Mapping[str, Mapping[str, Any]],
    *,
    validated_at: dt.datetime | None,
    suite_name: str,
    gx_version: str | None,
) -> Path:
    """Write ``pruefbericht.html`` into ``directory`` (the run's Data Docs folder, whose
    ``index.html`` it links) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    docs = "index.html" if (directory / "index.html").is_file() else None
    html = render_pruefbericht(
        rules,
        sketches,
        validated_at=validated_at,
        suite_name=suite_name,
        gx_version=gx_version,
        data_docs_href=docs,
    )
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
