"""Reporting views for downstream consumers (jury, ministry, statistics); see docs/views.md.

The views are the stable read interface: current values with staff corrections applied, one
column per field, themes and codes as text. They work on SQLite and PostgreSQL; the only
dialect differences (JSON access and string aggregation) are filled into one template per
view, so both backends expose the same columns with the same meaning.

``create_views(connection)`` / ``drop_views(connection)`` are meant for an Alembic migration
(``op.get_bind()``) and for tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from extractors.types import FIELD_NAMES
from models.repo import LABEL_FIELDS

VIEW_NAMES: tuple[str, ...] = (
    "v_field_current",
    "v_sketch_current",
    "v_sketch_theme",
    "v_check_result",
    "v_attachment_outcome",
)
"""In creation order (``v_sketch_current`` reads ``v_field_current``)."""

NUMERIC_FIELDS: frozenset[str] = frozenset(
    {"einwohnerzahl", "laufzeit_monate", "gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"}
)
"""Fields exposed as numbers in ``v_sketch_current`` (NULL where the value is not a number)."""

SEP = "; "


@dataclass(frozen=True)
class _Dialect:
    """The few JSON/aggregation expressions that differ between SQLite and PostgreSQL."""

    name: str

    @property
    def pg(self) -> bool:
        return self.name == "postgresql"

    def as_text(self, x: str) -> str:
        """A JSON value as text: scalars as such, arrays joined with '; ', null as NULL."""
        if self.pg:
            return (
                f"CASE WHEN json_typeof({x}) = 'array' THEN "
                f"(SELECT string_agg(j.value, '{SEP}' ORDER BY j.n) "
                f"FROM json_array_elements_text({x}) WITH ORDINALITY AS j(value, n)) "
                f"ELSE {x} #>> '{{}}' END"
            )
        return (
            f"CASE WHEN json_type({x}) = 'array' THEN "
            f"(SELECT group_concat(j.value, '{SEP}') FROM json_each({x}) AS j) "
            f"ELSE CAST(json_extract({x}, '$') AS TEXT) END"
        )

    def as_number(self, x: str) -> str:
        if self.pg:
            return f"CASE WHEN json_typeof({x}) = 'number' THEN CAST({x} #>> '{{}}' AS NUMERIC) END"
        return f"CASE WHEN json_type({x}) IN ('integer', 'real') THEN json_extract({x}, '$') END"

    def array(self, x: str) -> str:
        """A set-returning source of (value, n) for a JSON array column (else empty)."""
        if self.pg:
            return (
                f"json_array_elements(CASE WHEN json_typeof({x}) = 'array' THEN {x} "
                "ELSE CAST('[]' AS json) END) WITH ORDINALITY AS j(value, n)"
            )
        return f"json_each(CASE WHEN json_type({x}) = 'array' THEN {x} ELSE '[]' END) AS j"

    def element_text(self, x: str) -> str:
        """Text of a string element of ``array`` (PostgreSQL keeps it JSON)."""
        return f"({x} #>> '{{}}')" if self.pg else x

    def key(self, obj: str, name: str) -> str:
        """Text of key ``name`` of a JSON object (element of ``array``)."""
        return f"({obj} ->> '{name}')" if self.pg else f"json_extract({obj}, '$.{name}')"

    def score(self, obj: str) -> str:
        if self.pg:
            return (
                f"CASE WHEN json_typeof({obj} -> 'score') = 'number' "
                f"THEN CAST({obj} ->> 'score' AS DOUBLE PRECISION) END"
            )
        return f"CAST(json_extract({obj}, '$.score') AS REAL)"

    def position(self) -> str:
        return "j.n" if self.pg else "(j.key + 1)"

    def labels(self, x: str) -> str:
        """The ``label``s of a JSON list of {label, score}, joined with '; '."""
        if self.pg:
            return (
                f"(SELECT string_agg(j.value ->> 'label', '{SEP}' ORDER BY j.n) "
                f"FROM {self.array(x)})"
            )
        return (
            f"(SELECT group_concat(json_extract(j.value, '$.label'), '{SEP}') FROM {self.array(x)})"
        )

    def codes(self, sketch: str) -> str:
        if self.pg:
            return (
                f"(SELECT string_agg(cr.code, '{SEP}' ORDER BY cr.code) "
                f"FROM check_result AS cr WHERE cr.sketch_id = {sketch})"
            )
        return (
            f"(SELECT group_concat(code, '{SEP}') FROM (SELECT cr.code AS code "
            f"FROM check_result AS cr WHERE cr.sketch_id = {sketch} ORDER BY cr.code))"
        )

    def rule(self, code: str) -> str:
        """``missing_field:email`` → ``missing_field``."""
        if self.pg:
            return f"split_part({code}, ':', 1)"
        return (
            f"CASE WHEN instr({code}, ':') > 0 THEN substr({code}, 1, instr({code}, ':') - 1) "
            f"ELSE {code} END"
        )


def _counted(s: str) -> str:
    """1 if the sketch counts in statistics: not replaced by a later version, not a non-sketch."""
    return (
        f"CASE WHEN {s}.status <> 'not_a_sketch' AND NOT EXISTS "
        f"(SELECT 1 FROM sketch AS later WHERE later.supersedes_id = {s}.id) THEN 1 ELSE 0 END"
    )


def _staff_labels(name: str) -> str:
    """Staff's correction of the sketch's inferred labels ``name`` (``repo.LABEL_FIELDS``):
    a ``Correction`` row whose value is the list of labels."""
    return f"correction AS c_{name} ON c_{name}.sketch_id = s.id AND c_{name}.field = '{name}'"


def view_statements(dialect: str) -> dict[str, str]:
    """``CREATE VIEW`` statements by view name for ``sqlite`` or ``postgresql``."""
    if dialect not in ("sqlite", "postgresql"):
        raise ValueError(f"no reporting views for dialect {dialect!r}")
    d = _Dialect(dialect)
    label_fields = ", ".join(f"'{name}'" for name in LABEL_FIELDS)  # not fields: own columns
    field_current = f"""
CREATE VIEW v_field_current AS
SELECT b.sketch_id, b.field, b.source,
       {d.as_text("b.cur")} AS value_text,
       {d.as_number("b.cur")} AS value_num,
       {d.as_text("b.machine")} AS machine_value_text,
       b.machine_confidence, b.machine_page, b.machine_snippet, b.machine_extractor,
       b.corrected_by, b.corrected_at
FROM (
  SELECT k.sketch_id, k.field,
         CASE WHEN c.id IS NOT NULL THEN 'correction' ELSE 'machine' END AS source,
         CASE WHEN c.id IS NOT NULL THEN c.value ELSE fv.value END AS cur,
         fv.value AS machine,
         fv.confidence AS machine_confidence, fv.page AS machine_page,
         fv.snippet AS machine_snippet, fv.extractor AS machine_extractor,
         c.author AS corrected_by, c.created_at AS corrected_at
  FROM (SELECT sketch_id, field FROM field_value
        UNION SELECT sketch_id, field FROM correction WHERE field NOT IN ({label_fields})) AS k
  LEFT JOIN field_value AS fv ON fv.sketch_id = k.sketch_id AND fv.field = k.field
  LEFT JOIN correction AS c ON c.sketch_id = k.sketch_id AND c.field = k.field
) AS b"""
    pivot = ",\n         ".join(
        f"MAX(CASE WHEN f.field = '{name}' THEN f.value_"
        f"{'num' if name in NUMERIC_FIELDS else 'text'} END) AS {name}"
        for name in FIELD_NAMES
    )
    columns = ", ".join(f"p.{name}" for name in FIELD_NAMES)
    labels = {  # staff's list when corrected (also an empty one), else the machine's
        name: f"CASE WHEN c_{name}.id IS NOT NULL THEN {d.as_text(f'c_{name}.value')} "
        f"ELSE {d.labels(f's.{name}')} END"
        for name in LABEL_FIELDS
    }
    sketch_current = f"""
CREATE VIEW v_sketch_current AS
SELECT s.id AS sketch_id, s.sha256, s.call_id, s.status, s.first_received_at AS received_at,
       s.supersedes_id, {_counted("s")} AS counted,
       {columns},
       {labels["themes"]} AS themes,
       {labels["loesungsart"]} AS loesungsart,
       (SELECT COUNT(*) FROM check_result AS cc WHERE cc.sketch_id = s.id) AS check_count,
       {d.codes("s.id")} AS check_codes,
       s.extracted_at, s.checked_at,
       {d.labels("s.themes")} AS themes_machine,
       {d.labels("s.loesungsart")} AS loesungsart_machine
FROM sketch AS s
LEFT JOIN {_staff_labels("themes")}
LEFT JOIN {_staff_labels("loesungsart")}
LEFT JOIN (
  SELECT f.sketch_id,
         {pivot}
  FROM v_field_current AS f
  GROUP BY f.sketch_id
) AS p ON p.sketch_id = s.id"""
    lateral = "CROSS JOIN LATERAL" if d.pg else ","
    sketch_theme = f"""
CREATE VIEW v_sketch_theme AS
SELECT s.id AS sketch_id, s.call_id, s.status, {_counted("s")} AS counted,
       {d.key("j.value", "label")} AS themenfeld,
       {d.score("j.value")} AS score,
       {d.position()} AS rank,
       'machine' AS source
FROM sketch AS s {lateral} {d.array("s.themes")}
WHERE NOT EXISTS (SELECT 1 FROM correction AS c WHERE c.sketch_id = s.id AND c.field = 'themes')
UNION ALL
SELECT s.id, s.call_id, s.status, {_counted("s")},
       {d.element_text("j.value")},
       NULL,
       {d.position()},
       'correction'
FROM sketch AS s
JOIN {_staff_labels("themes")} {lateral} {d.array("c_themes.value")}"""
    check_result = f"""
CREATE VIEW v_check_result AS
SELECT cr.sketch_id, s.call_id, s.status, {_counted("s")} AS counted,
       cr.code, {d.rule("cr.code")} AS rule, cr.message, cr.created_at AS checked_at
FROM check_result AS cr
JOIN sketch AS s ON s.id = cr.sketch_id"""
    attachment_outcome = """
CREATE VIEW v_attachment_outcome AS
SELECT m.id AS message_pk, m.message_id, m.sender, m.subject, m.sent_at, m.received_at,
       a.id AS attachment_id, a.position, a.filename, a.content_type, a.size, a.sha256,
       a.outcome, a.reason, a.sketch_id
FROM attachment AS a
JOIN message AS m ON m.id = a.message_pk
UNION ALL
SELECT m.id, m.message_id, m.sender, m.subject, m.sent_at, m.received_at,
       NULL, NULL, NULL, NULL, NULL, NULL,
       COALESCE(m.outcome, 'no_attachment'), m.reason, NULL
FROM message AS m
WHERE NOT EXISTS (SELECT 1 FROM attachment AS a2 WHERE a2.message_pk = m.id)"""
    return {
        "v_field_current": field_current.strip(),
        "v_sketch_current": sketch_current.strip(),
        "v_sketch_theme": sketch_theme.strip(),
        "v_check_result": check_result.strip(),
        "v_attachment_outcome": attachment_outcome.strip(),
    }


def drop_views(connection: Connection) -> None:
    """Drop the reporting views (dependants first); missing ones are fine."""
    for name in reversed(VIEW_NAMES):
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))


def create_views(connection: Connection) -> None:
    """(Re)create every reporting view for the connection's dialect."""
    drop_views(connection)
    statements = view_statements(connection.dialect.name)
    for name in VIEW_NAMES:
        connection.execute(text(statements[name]))
