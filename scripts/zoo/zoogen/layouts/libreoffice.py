"""LibreOffice-made layouts: a Word form, a Word cover letter, an ODT "Steckbrief" in two
columns and a Calc sheet. Each batch is converted by ONE ``soffice --headless`` run.

Documents are built with python-docx / odfpy / openpyxl (see ``_lo_form``, ``_lo_letter``,
``_lo_odt``, ``_lo_calc``); ``_lo_common`` holds the converter call and the PDF clean-up
(fixed dates, content-derived /ID).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from zoogen.model import Facts, Layout, Rendered

from . import _lo_common as C

Builder = Callable[[Facts, Path], Rendered]


def _batch(
    builder_name: str,
    suffix: str,
    tounicode_fix=None,
    validate: Callable[[bytes], bool] | None = None,
) -> Callable:
    """A batch renderer: build every document, convert them with one soffice run, clean up.

    ``validate`` (optional) looks at a converted PDF; documents it rejects are converted
    again (one more soffice run for all of them, at most twice). Under heavy load
    LibreOffice now and then exports a page before the column balancing has finished.
    """

    def render(facts: Sequence[Facts], scratch: Path) -> list[Rendered]:
        import importlib

        builder: Builder = importlib.import_module(f"{__package__}.{builder_name}").build
        scratch = Path(scratch)
        src = scratch / "src"
        out = scratch / "pdf"
        src.mkdir(parents=True, exist_ok=True)
        results: list[Rendered] = []
        paths: list[Path] = []
        for f in facts:
            path = src / f"{f.sketch_id}{suffix}"
            results.append(builder(f, path))
            paths.append(path)
        pdfs = C.convert_to_pdf(paths, out)
        raw = [p.read_bytes() for p in pdfs]
        if validate is not None:
            for attempt in range(2):
                bad = [i for i, data in enumerate(raw) if not validate(data)]
                if not bad:
                    break
                again = C.convert_to_pdf([paths[i] for i in bad], scratch / f"retry{attempt}")
                for i, p in zip(bad, again, strict=True):
                    raw[i] = p.read_bytes()
        for f, r, data in zip(facts, results, raw, strict=True):
            rng = C.rng_for(f)
            when = C.created_at(f, rng)
            r.pdf = C.finalize_pdf(data, when, tounicode_fix=tounicode_fix)
        return results

    return render


def _columns_balanced(data: bytes) -> bool:
    """Page 1 of the Steckbrief has prose (Caladea) in both columns."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        mid = page.width / 2
        body = [c for c in page.chars if "Caladea" in c["fontname"]]
        left = sum(1 for c in body if c["x1"] < mid)
        right = sum(1 for c in body if c["x0"] > mid)
    return left > 0 and right > 0.25 * left


LAYOUTS: list[Layout] = [
    Layout(
        name="lo_docx_form",
        producer="libreoffice-docx",
        phenomena=frozenset(
            {
                "label_left",
                "table_next_cell",
                "table_next_row",
                "group_labels",
                "numbered_labels",
                "tab_leaders",
                "neighbour_label_trap",
                "checkbox_chars",
                "checkbox_none_ticked",
                "pua_bullets",
                "amounts_no_currency",
                "yearly_budget_table",
                "wrapped_values",
                "compound_labels",
            }
        ),
        render=_batch("_lo_form", ".docx"),
        description="Word 'Formblatt' (python-docx -> LibreOffice): numbered sections, "
        "4-column label/value tables with group rows, Wingdings check boxes, "
        "Symbol bullets, dot-leader timeline, yearly Kostenplan (in €).",
    ),
]

LAYOUTS.append(
    Layout(
        name="lo_docx_letter",
        producer="libreoffice-docx",
        phenomena=frozenset(
            {
                "letterhead",
                "sidebar",
                "prose_only_values",
                "column_gap_off_centre",
                "month_only_dates",
                "municipality_not_person",
            }
        ),
        render=_batch("_lo_letter", ".docx"),
        description="Cover letter on letterhead with a shaded information column (Word frame) "
        "and the values in running prose, then the sketch text (python-docx -> "
        "LibreOffice).",
    )
)

LAYOUTS.append(
    Layout(
        name="lo_odt_columns",
        producer="libreoffice-odt",
        phenomena=frozenset(
            {
                "running_header_footer",
                "key_panel_small_font",
                "two_columns_justified",
                "soft_hyphen",
                "nbsp_thousands",
                "month_only_dates",
                "date_range",
                "label_left",
                "compound_labels",
            }
        ),
        # LibreOffice writes the hyphen of a soft-hyphen break as "-": the prose font
        # (Caladea, used for nothing else) gets U+00AD for it, as Word's PDFs have
        render=_batch(
            "_lo_odt",
            ".odt",
            tounicode_fix={"Caladea": {"-": "\u00ad"}},
            validate=_columns_balanced,
        ),
        description="ODT Steckbrief (odfpy -> LibreOffice): running header/footer, boxed "
        "8 pt key-data panel, two justified section columns with soft hyphens, "
        "NBSP thousands, month-only start and a month range.",
    )
)

LAYOUTS.append(
    Layout(
        name="lo_calc_sheet",
        producer="libreoffice-calc",
        phenomena=frozenset(
            {
                "table_next_cell",
                "table_next_row",
                "months_under_label",
                "amounts_no_currency",
                "yearly_budget_table",
                "checkbox_chars",
                "checkbox_none_ticked",
                "compound_labels",
            }
        ),
        render=_batch("_lo_calc", ".xlsx"),
        description="Spreadsheet sketch (openpyxl -> LibreOffice Calc): labels in column A, "
        "values in B, merged label rows above values, months under 'Laufzeit (in "
        "Monaten)', topic list with X or ☒/☐, Finanzierungsplan in € per year.",
    )
)
