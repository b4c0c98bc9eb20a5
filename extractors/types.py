"""Typed inputs and outputs shared by all extractors.

Extractors are pure: a ``ParsedDocument`` (text and layout per page) plus a frozen config
in, typed results out. Nothing here knows Prefect, the database or the settings object.
The models are pydantic so the parse cache and the database can store them as JSON.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

FIELD_NAMES: tuple[str, ...] = (
    "projekttitel",
    "akronym",
    "antragsteller",
    "koerperschaft_typ",
    "landkreis",
    "bundesland",
    "ansprechperson",
    "email",
    "telefon",
    "plz",
    "einwohnerzahl",
    "kooperationspartner",
    "themenfelder",
    "laufzeit_monate",
    "projektbeginn",
    "gesamtkosten_eur",
    "foerdersumme_eur",
    "eigenanteil_eur",
    "datum",
)
"""The 19 fields of DOMAIN.md, in its order."""

REQUIRED_FIELDS: tuple[str, ...] = (
    "projekttitel",
    "antragsteller",
    "email",
    "gesamtkosten_eur",
    "laufzeit_monate",
)
"""Fields whose absence is a ``missing_field:<name>`` violation (DOMAIN.md)."""

TOPIC_FIELDS: tuple[str, ...] = (
    "Lokale und regionale Versorgung",
    "Soziale und kulturelle Angebote",
    "Bildung, Qualifizierung und digitale Kompetenzen",
    "Gesundheits- und Pflegeversorgung",
    "Mobilität",
    "Schaffung attraktiver Wohn- und Arbeitsstandorte",
    "Öffentliche Verwaltung",
)
"""The seven topic fields of the call, in the call's order."""

SOLUTION_KINDS: tuple[str, ...] = (
    "Plattform",
    "App",
    "Prozessdigitalisierung",
    "Televersorgung",
    "Online-Marktplatz",
    "Lernangebot",
)
"""Kinds of digital solution (``loesungsart``)."""

CORPORATION_TYPES: tuple[str, ...] = (
    "Gemeinde",
    "Stadt",
    "Markt",
    "Amt",
    "Verbandsgemeinde",
    "Samtgemeinde",
    "Verwaltungsgemeinschaft",
    "Landkreis",
)

FEDERAL_STATES: tuple[str, ...] = (
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Word(_Frozen):
    """One word with its box in PDF points (top-left origin, as pdfplumber gives it)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


class Table(_Frozen):
    """A table as found on a page: rows of cells, ``None`` for an empty or merged-away cell."""

    rows: list[list[str | None]]
    bbox: tuple[float, float, float, float] | None = None


class Page(_Frozen):
    """One page: reading-order text (columns resolved, hyphenation and ligatures repaired),
    the words with positions, and the tables."""

    number: int = Field(ge=1, description="1-based page number")
    width: float
    height: float
    text: str
    words: list[Word] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)


class ParsedDocument(_Frozen):
    """What the parser made of one PDF; cached by (sha256, parser_version)."""

    sha256: str
    parser_version: str
    pages: list[Page]
    page_count: int
    truncated: bool = Field(
        default=False, description="True when only the first pages were parsed (long annex)"
    )
    metadata: dict[str, str] = Field(default_factory=dict)

    @property
    def text(self) -> str:
        """All page texts joined by form feeds (page boundaries stay visible)."""
        return "\f".join(p.text for p in self.pages)


class Evidence(_Frozen):
    """Where a value was found: 1-based page and the literal snippet around it."""

    page: int | None = None
    snippet: str


class FieldResult(_Frozen):
    """One extracted field: normalised value, confidence in [0, 1], evidence, extractor id."""

    field: str
    value: Any = None
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: Evidence | None = None
    extractor: str = Field(description="module@version that produced it")


class Label(_Frozen):
    """A predicted label (topic field or solution kind) with its score in [0, 1]."""

    label: str
    score: float = Field(ge=0.0, le=1.0)


class ThemeResult(_Frozen):
    """Topic fields and solution kinds inferred from the free text."""

    themes: list[Label]
    loesungsart: list[Label]
    model_version: str


class DocKind(_Frozen):
    """Is this PDF a sketch, a letter of support, or something else?"""

    kind: str = Field(description="'sketch' | 'support_letter' | 'other'")
    confidence: float = Field(ge=0.0, le=1.0)
    reason: str = Field(description="short German reason for staff")
