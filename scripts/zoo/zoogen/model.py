"""The contract between the zoo's fact generator and its layout renderers.

The zoo is an independent labelled corpus of Heimat 2.0 sketches in many layouts made with
many PDF producers. It exists to judge whether the project's extractor generalises, so the
generator must never look at ``extractors/`` (or any other project code): wording, layouts
and value styles are written from the domain (../shared/DOMAIN.md, ../shared/seeds/) alone.

Flow: ``facts.make_facts`` draws one ``Facts`` per sketch (the truth of the applicant, the
project and its numbers, plus the free text); a layout renders a batch of them to PDFs and
returns one ``Rendered`` per sketch, saying literally what it printed; ``writer`` turns
facts + rendered into truth rows in the format of ../shared/corpus (sketches.jsonl,
messages.jsonl, mail/*.eml, pdf/*.pdf).

Truth conventions are those of ../shared/corpus/README.md ("Conventions inside fields").
A layout may leave a field out (it then reports it in ``Rendered.omitted`` and the truth for
it becomes null) and decides how each value is written; when the way it is written changes
the truth (a month-only start date means the 1st of that month), the layout reports the
changed truth in ``Rendered.overrides``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS: tuple[str, ...] = (
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

TOPIC_FIELDS: tuple[str, ...] = (
    "Lokale und regionale Versorgung",
    "Soziale und kulturelle Angebote",
    "Bildung, Qualifizierung und digitale Kompetenzen",
    "Gesundheits- und Pflegeversorgung",
    "Mobilität",
    "Schaffung attraktiver Wohn- und Arbeitsstandorte",
    "Öffentliche Verwaltung",
)
SOLUTION_KINDS: tuple[str, ...] = (
    "Plattform",
    "App",
    "Prozessdigitalisierung",
    "Televersorgung",
    "Online-Marktplatz",
    "Lernangebot",
)

PHENOMENA: dict[str, str] = {
    # 1 page regions
    "letterhead": "a letterhead (sender block, logo line) above or beside the body",
    "sidebar": "a (coloured) sidebar column beside the body holding data",
    "key_panel_small_font": "a boxed key-data panel set in a smaller font than the body",
    "two_columns_justified": "body text in two justified columns",
    "cover_page": "a cover page before the content",
    "running_header_footer": "running headers and footers on every page",
    "column_gap_off_centre": "a column gap that is not near the middle of the page",
    # 2 labels
    "label_left": "label left of its value on the same line",
    "label_above": "a small, grey, upper-case or bold label above its value",
    "dot_leaders": "label ........ value (dot leaders)",
    "tab_leaders": "label and value separated by a tab stop with a leader",
    "table_next_cell": "label in a table cell, value in the next cell",
    "table_next_row": "label in a table cell, value in the cell below (next row)",
    "group_labels": "generic labels under a group label (applicant 'Name' vs contact 'Name')",
    "numbered_labels": "numbered labels ('1.1', 'D.', '2.3.1')",
    "compound_labels": "the known word as head or tail of a longer phrase or compound",
    "question_labels": "a question as the label ('Wie viele Einwohner ...?')",
    # 3 values
    "prose_only_values": "values only in running prose, no labels",
    "month_only_dates": "month-only dates ('04/2021', 'April 2021')",
    "date_range": "a date range that gives start and duration",
    "months_under_label": "a bare number under a label that says 'in Monaten'",
    "amounts_no_currency": "amounts without currency sign under a header 'in €'",
    "yearly_budget_table": "yearly budget table with subtotals and a total",
    "wrapped_values": "a value that wraps onto the next line",
    "neighbour_label_trap": "an empty value next to another label (the label is not a value)",
    "section_number_trap": "section numbers near numeric fields (not a population/amount)",
    "municipality_not_person": "a municipality name where a person could be expected",
    # 4 glyphs
    "hyphen_u2010": "line-end hyphens as U+2010",
    "soft_hyphen": "line-end hyphens as U+00AD",
    "ligature_codepoints": "ligature code points U+FB00-FB06 in the text layer",
    "pua_bullets": "private-use-area bullet glyphs in the text layer",
    "nbsp_thousands": "NBSP (U+00A0) as thousands separator",
    "nnbsp_thousands": "NNBSP (U+202F) as thousands separator",
    "lost_spaces": "words whose spaces are lost in a small font (no space characters)",
    # 5 check boxes for the topic fields
    "checkbox_chars": "☒/☐ characters",
    "checkbox_vector_x": "an 'X' drawn inside a vector box",
    "checkbox_vector_tick": "a vector tick with no text at all",
    "checkbox_none_ticked": "the topic boxes are printed, nothing ticked",
    # 6 forms
    "acroform": "a fillable PDF form whose values live in form fields",
}
"""Every phenomenon the zoo must show; each in >= 2 layouts from different producers."""


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool
    title: str = ""  # "Dr." or ""

    @property
    def name(self) -> str:
        """As the truth wants it: with academic title, without Frau/Herr."""
        return f"{self.title} {self.first} {self.last}".strip()

    @property
    def anrede(self) -> str:
        return "Frau" if self.female else "Herr"


@dataclass(frozen=True)
class BudgetLine:
    """One cost line of the cost plan: amounts per year (euro, 2 decimals at most)."""

    label: str  # "Personalausgaben", "Sachausgaben", ...
    per_year: dict[int, float]

    @property
    def total(self) -> float:
        return round(sum(self.per_year.values()), 2)


@dataclass(frozen=True)
class Facts:
    """The truth of one sketch before it is written, plus everything a layout may print.

    Amounts are floats in euro; ``None`` where the sketch has no such item (a violation
    case, an optional field). ``gesamtkosten`` equals the sum of ``budget`` totals.
    """

    sketch_id: str  # "Z001"
    seed: int  # per-sketch seed for the layout's own choices
    # the applicant
    antragsteller: str  # as written, e.g. "Gemeinde Breklum", "Stadt Herzberg (Elster)"
    koerperschaft_typ: str  # one of the eight types
    body_word: str  # the type word as written: "Ortsgemeinde", "Hansestadt", "Landkreis"
    place: str  # the name without type word: "Breklum", "Herzberg (Elster)"
    landkreis: str  # truth: without "Landkreis"/"Kreis": "Nordfriesland", "Erzgebirgskreis"
    landkreis_written: str  # "Landkreis Nordfriesland", "Kreis Höxter", "Erzgebirgskreis"
    bundesland: str  # as written (an unknown one for the unknown_state case)
    street: str  # "Marktplatz 3"
    plz: str  # as written (a 4-digit one for the invalid_postcode case)
    ort: str  # town of the postal address
    einwohnerzahl: int | None
    mail_domain: str  # "breklum.de"
    # the contact
    ansprechperson: Person | None
    funktion: str  # "Bürgermeister", "Amtsleiterin Digitalisierung", ...
    email: str | None  # as written (an invalid one for the invalid_email case)
    telefon: str | None  # as written
    # the project
    projekttitel: str
    akronym: str | None
    kooperationspartner: tuple[str, ...]
    partner_roles: tuple[str, ...]  # one short German role per partner (may be printed)
    themenfelder: tuple[str, ...]  # declared topic fields (canonical names, call order)
    themes: tuple[str, ...]  # what the text is really about (truth)
    loesungsart: tuple[str, ...]
    laufzeit_monate: int | None
    projektbeginn: dt.date | None  # a real date; a layout may print only its month
    gesamtkosten: float | None
    foerdersumme: float | None
    eigenanteil: float | None
    budget: tuple[BudgetLine, ...]
    datum: dt.date  # date of the sketch
    datum_written_invalid: str | None  # for the invalid_date case: e.g. "30.02.2021"
    # the free text: ordered sections, each a list of paragraphs (German)
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    # the mail around it
    sender_email: str
    submit_at: dt.datetime
    violations: tuple[str, ...] = ()  # what the plan asked for (writer recomputes)
    notes: tuple[str, ...] = ()

    @property
    def projektende(self) -> dt.date | None:
        """Last day of the project (start + duration - 1 day), for date ranges."""
        if self.projektbeginn is None or self.laufzeit_monate is None:
            return None
        return add_months(self.projektbeginn, self.laufzeit_monate) - dt.timedelta(days=1)


MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
"""German month names, January first (the layouts write dates with them)."""


def add_months(d: dt.date, n: int) -> dt.date:
    """``d`` moved by ``n`` months (the day clamped to the month's length)."""
    import calendar

    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass
class Rendered:
    """What a layout made of one ``Facts``."""

    pdf: bytes
    written: dict[str, Any]  # field -> literal string as printed (list for partners/topics)
    labels: dict[str, str] = field(default_factory=dict)  # field -> label as printed
    omitted: set[str] = field(default_factory=set)  # fields the document does not give
    overrides: dict[str, Any] = field(default_factory=dict)  # field -> changed truth value
    notes: list[str] = field(default_factory=list)


RenderBatch = Callable[[Sequence[Facts], Path], list[Rendered]]
"""Render several sketches at once (a batch pays a converter's start-up once); ``Path`` is a
scratch directory the layout may use."""


@dataclass(frozen=True)
class Layout:
    name: str  # "lo_docx_form"
    producer: str  # the software that made the PDF: "libreoffice-docx", "weasyprint", ...
    phenomena: frozenset[str]  # keys of PHENOMENA this layout shows (in every sketch or some)
    render: RenderBatch
    description: str = ""
