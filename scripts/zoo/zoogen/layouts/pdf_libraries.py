"""PDF-library layouts of the zoo: reportlab canvas, fpdf2, and a filled AcroForm.

* ``rl_canvas_panel`` (reportlab canvas): dense "Projektsteckbrief" with a 7 pt key-data panel;
  topic fields as vector-ticked squares or ☒/☐ characters.
* ``fpdf_letter`` (fpdf2): letter with letterhead and coloured sidebar, values in prose only.
* ``acroform_fill`` (reportlab acroForm + pikepdf filling): official form whose values live
  only in AcroForm fields.
"""

from __future__ import annotations

from zoogen.layouts import _pl_acroform, _pl_fpdf, _pl_rlcanvas
from zoogen.model import Layout

LAYOUTS: list[Layout] = [
    Layout(
        name="rl_canvas_panel",
        producer="reportlab",
        phenomena=frozenset(
            {
                "key_panel_small_font",
                "lost_spaces",
                "wrapped_values",
                "checkbox_vector_tick",
                "checkbox_chars",
                "checkbox_none_ticked",
                "nnbsp_thousands",
                "ligature_codepoints",
                "pua_bullets",
                "label_left",
                "compound_labels",
            }
        ),
        render=_pl_rlcanvas.render_batch,
        description="Projektsteckbrief drawn with the reportlab canvas: 7 pt key-data panel "
        "(words placed one by one), topic fields as vector-ticked squares or ☒/☐ "
        "characters (about half of the sketches; all ☐ when none is declared), NNBSP amounts, "
        "ligature and private-use code points in the text layer.",
    ),
    Layout(
        name="fpdf_letter",
        producer="fpdf2",
        phenomena=frozenset(
            {
                "letterhead",
                "sidebar",
                "prose_only_values",
                "month_only_dates",
                "date_range",
                "hyphen_u2010",
                "municipality_not_person",
            }
        ),
        render=_pl_fpdf.render_batch,
        description="Cover letter on letterhead with a coloured contact sidebar; all values in "
        "justified prose with U+2010 line-end hyphens; municipality above the "
        "signatory; partners in a P.S.",
    ),
    Layout(
        name="acroform_fill",
        producer="acroform",
        phenomena=frozenset(
            {
                "acroform",
                "months_under_label",
                "group_labels",
                "question_labels",
                "neighbour_label_trap",
                "label_above",
                "compound_labels",
                "checkbox_none_ticked",
                "amounts_no_currency",
            }
        ),
        render=_pl_acroform.render_batch,
        description="Official fillable form (reportlab acroForm) filled with pikepdf: captions "
        "and boxes in the page content, every value only in AcroForm fields with "
        "appearance streams; topic fields as check boxes.",
    ),
]
