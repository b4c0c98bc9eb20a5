"""Layouts made by HTML engines: WeasyPrint (``weasy_sidebar``, ``weasy_webform``) and headless
Chromium (``chrome_twocol``, ``chrome_budget``).

The HTML builders live in ``_html_weasy.py`` and ``_html_chrome.py``, shared formatting and the
engines in ``_html_common.py``. System needs: ``setup.d/html_engines.apt`` (chromium, fonts);
PyPI: ``requirements.d/html_engines.txt`` (weasyprint). Self-check: ``check_html_engines.py``.
"""

from __future__ import annotations

from zoogen.layouts._html_chrome import render_budget, render_twocol
from zoogen.layouts._html_weasy import render_sidebar, render_webform
from zoogen.model import Layout

LAYOUTS: list[Layout] = [
    Layout(
        name="weasy_sidebar",
        producer="weasyprint",
        phenomena=frozenset(
            {
                "sidebar",
                "label_above",
                "wrapped_values",
                "soft_hyphen",
                "checkbox_vector_x",
                "column_gap_off_centre",
                "compound_labels",
            }
        ),
        render=render_sidebar,
        description=(
            "Modern one-/two-pager: coloured left sidebar (30 %) with key data as small grey "
            "upper-case labels above the values, body text justified with hyphens:auto and "
            "soft hyphens (line-end hyphens are U+00AD in the text layer), topic fields as "
            "CSS boxes with a text X in the ticked ones."
        ),
    ),
    Layout(
        name="weasy_webform",
        producer="weasyprint",
        phenomena=frozenset(
            {
                "question_labels",
                "group_labels",
                "months_under_label",
                "checkbox_vector_tick",
                "checkbox_none_ticked",
                "nbsp_thousands",
                "acroform",
                "municipality_not_person",
                "label_left",
            }
        ),
        render=render_webform,
        description=(
            "Print-out of an online application portal: numbered question labels, generic "
            "labels under group labels, duration as a bare number under 'in Monaten', SVG "
            "check boxes with a vector tick, NBSP thousands separators; every other sketch "
            "is a real AcroForm (values in /V with appearance streams, not in the page text)."
        ),
    ),
    Layout(
        name="chrome_twocol",
        producer="chromium",
        phenomena=frozenset(
            {
                "two_columns_justified",
                "column_gap_off_centre",
                "running_header_footer",
                "hyphen_u2010",
                "label_left",
                "compound_labels",
                "wrapped_values",
                "checkbox_chars",
                "checkbox_none_ticked",
            }
        ),
        render=render_twocol,
        description=(
            "Newsletter-style sketch: title block, CSS grid 62/38 (main text left, 'Projekt "
            "auf einen Blick' box with label/value lines right), justified text with line-end "
            "hyphens as U+2010, running header and footer (page margin boxes) on every page; "
            "topic fields as a list of the declared ones or (every other sketch, and always "
            "when none is declared) all seven with ☒/☐ characters (DejaVu Sans)."
        ),
    ),
    Layout(
        name="chrome_budget",
        producer="chromium",
        phenomena=frozenset(
            {
                "cover_page",
                "table_next_cell",
                "table_next_row",
                "amounts_no_currency",
                "yearly_budget_table",
                "nnbsp_thousands",
                "compound_labels",
                "section_number_trap",
            }
        ),
        render=render_budget,
        description=(
            "Table-heavy sketch: cover page, key data in tables (labels in header cells, "
            "values in the next cell or in the next row), yearly cost plan 'Ausgaben in €' "
            "with subtotals per cost type and a total, financing table; amounts without "
            "currency sign with NNBSP thousands separators; numbered section headings."
        ),
    ),
]
