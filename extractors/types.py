"""Typed inputs and outputs shared by all extractors.

Extractors are pure: a ``ParsedDocument`` (text and layout per page) plus a frozen config
in, typed results out. Nothing here knows Prefect, the database or the settings object.
The models are pydantic so the parse cache and the database can store them as JSON.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# The vocabulary lives in one place (``extractors.vocab``, ``extractors.registry``); these
# names are re-exported because most of the project imports them from here.
from extractors.registry import FIELD_NAMES, REQUIRED_FIELDS
from extractors.vocab import (
    CORPORATION_TYPES,
    FEDERAL_STATES,
    SOLUTION_KINDS,
    TOPIC_FIELDS,
)

__all__ = [
    "CORPORATION_TYPES",
    "FEDERAL_STATES",
    "FIELD_NAMES",
    "REQUIRED_FIELDS",
    "SOLUTION_KINDS",
    "TOPIC_FIELDS",
    "BlockLayout",
    "DocKind",
    "Evidence",
    "FieldResult",
    "FormField",
    "Label",
    "Page",
    "PageLayout",
    "ParsedDocument",
    "Shape",
    "ThemeResult",
    "Word",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Word(_Frozen):
    """One word with its box in PDF points (top-left origin) and the style of its glyphs.

    ``size`` is the font size in points (0 when unknown), ``bold`` the font weight or name,
    ``color`` the fill colour as 0xRRGGBB. A value typed into a fillable form has
    ``origin == "form"`` and the form field's name in ``field``.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0
    bold: bool = False
    color: int = 0
    origin: str = "text"
    field: str | None = None


class Shape(_Frozen):
    """A vector path on the page: a rectangle (box, cell, background), a ruling line, or a
    curve (a tick mark, a circle). ``fill`` is the fill colour (0xRRGGBB) when filled."""

    kind: str = Field(description="'rect' | 'hline' | 'vline' | 'curve'")
    x0: float
    top: float
    x1: float
    bottom: float
    fill: int | None = None
    stroke: bool = True


class FormField(_Frozen):
    """A widget of a fillable PDF form (AcroForm): its value lives here, not in the page."""

    name: str
    label: str | None = Field(default=None, description="the field's tooltip (/TU), if any")
    kind: str = Field(description="'text' | 'checkbox' | 'radio' | 'choice' | 'other'")
    value: str | None = None
    checked: bool | None = None
    x0: float
    top: float
    x1: float
    bottom: float


class BlockLayout(_Frozen):
    """One block of a page's cut as the parser computed it: the cut rectangle, the
    block's lines (each a list of indices into the page's layout words), and per line its
    fragments as [start, end, …] ranges of the line's words ([]: cut the line again)."""

    frame: tuple[float, float, float, float]
    lines: list[list[int]]
    fragments: list[list[int]] = Field(default_factory=list)


class PageLayout(_Frozen):
    """The blocks and lines ``extractors.document`` cut a page into at parse time.

    Cutting is the costliest part of building the page model, and the parse already does
    it for ``Page.text``; keeping the result lets extraction skip a second, identical cut.
    ``words`` is the number of layout words it indexes (the page's non-blank words with
    drawn check boxes turned into words): a layout that does not fit is recomputed.
    """

    words: int
    blocks: list[BlockLayout]


class Page(_Frozen):
    """One page as the parser saw it: words with style, vector shapes, form fields.

    ``text`` is the page in reading order (regions resolved, hyphenation and glyphs
    repaired) as computed by ``extractors.document`` at parse time.
    """

    number: int = Field(ge=1, description="1-based page number")
    width: float
    height: float
    text: str
    words: list[Word] = Field(default_factory=list)
    shapes: list[Shape] = Field(default_factory=list)
    fields: list[FormField] = Field(default_factory=list)
    image_share: float = Field(default=0.0, description="share of the page covered by images")
    glyphs: int = Field(default=0, description="characters drawn, also unreadable ones")
    layout: PageLayout | None = Field(
        default=None, description="the parse-time cut into blocks and lines, if kept"
    )


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
    """Where a value was found: 1-based page, its box (x0, top, x1, bottom in points) and
    the literal snippet around it; ``note``: how it was read when not by the machine alone
    (German, e.g. the staff correction a taught rule was learned from)."""

    page: int | None = None
    snippet: str
    box: tuple[float, float, float, float] | None = None
    note: str | None = None


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
