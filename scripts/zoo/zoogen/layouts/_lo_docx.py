"""Small python-docx helpers for the LibreOffice layouts (raw WordprocessingML where
python-docx has no API: shading, borders, frames, fields, Wingdings symbols)."""

from __future__ import annotations

import datetime as dt

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TWIP_PER_CM = 567


def new_document(font: str, size: float, when: dt.datetime, author: str, title: str):
    d = docx.Document()
    st = d.styles["Normal"]
    st.font.name = font
    st.font.size = Pt(size)
    rpr = st.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(a), font)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "de-DE")
    lang.set(qn("w:eastAsia"), "de-DE")
    rpr.append(lang)
    # python-docx's template gives headings theme fonts and colours: make them plain
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        try:
            hs = d.styles[name]
        except KeyError:
            continue
        hs.font.name = font
        hs.font.color.rgb = RGBColor(0, 0, 0)
        hr = hs.element.get_or_add_rPr()
        hf = hr.find(qn("w:rFonts"))
        if hf is not None:
            for a in list(hf.attrib):
                del hf.attrib[a]
            for a in ("w:ascii", "w:hAnsi", "w:cs"):
                hf.set(qn(a), font)
    cp = d.core_properties
    cp.author = author
    cp.last_modified_by = author
    cp.title = title
    cp.created = when
    cp.modified = when
    cp.revision = 1
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    return d


def set_margins(section, top, bottom, left, right, header=1.2, footer=1.0):
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.header_distance, section.footer_distance = Cm(header), Cm(footer)


def shade(element_pr, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    element_pr.append(shd)


def shade_cell(cell, fill: str) -> None:
    shade(cell._tc.get_or_add_tcPr(), fill)


def cell_width(cell, cm: float) -> None:
    cell.width = Cm(cm)


def table_fixed(table, widths_cm) -> None:
    """Fixed layout, given column widths (grid and every cell)."""
    table.autofit = False
    tblPr = table._tbl.tblPr
    lay = OxmlElement("w:tblLayout")
    lay.set(qn("w:type"), "fixed")
    tblPr.append(lay)
    grid = table._tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        gc.set(qn("w:w"), str(int(w * TWIP_PER_CM)))
    for row in table.rows:
        for c, w in zip(row.cells, widths_cm, strict=False):
            c.width = Cm(w)


def table_borders(table, size_eighths: int = 4, color: str = "000000", inside: bool = True):
    tblPr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    edges = ["top", "left", "bottom", "right"] + (["insideH", "insideV"] if inside else [])
    for e in edges:
        el = OxmlElement(f"w:{e}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size_eighths))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), color)
        b.append(el)
    tblPr.append(b)


def cell_margins(table, top=0.05, bottom=0.05, left=0.12, right=0.12):
    tblPr = table._tbl.tblPr
    m = OxmlElement("w:tblCellMar")
    for side, v in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(v * TWIP_PER_CM)))
        el.set(qn("w:type"), "dxa")
        m.append(el)
    tblPr.append(m)


def cell_text(cell, text: str, *, bold=False, size=None, align=None, italic=False, color=None):
    """Replace the cell's content with one paragraph (lines split at \\n)."""
    p = cell.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        r = p.add_run(line)
        r.bold = bold
        r.italic = italic
        if size:
            r.font.size = Pt(size)
        if color:
            r.font.color.rgb = RGBColor.from_string(color)
        if i < len(lines) - 1:
            r.add_break()
    if align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    return p


def sym(paragraph, font: str, char_hex: str, size=None):
    """A <w:sym> run (how Word stores Wingdings/Symbol characters)."""
    r = paragraph.add_run()
    s = OxmlElement("w:sym")
    s.set(qn("w:font"), font)
    s.set(qn("w:char"), char_hex)
    r._r.append(s)
    if size:
        r.font.size = Pt(size)
    return r


def field(paragraph, instr: str, placeholder: str = "1", size=None):
    """A simple field (PAGE, NUMPAGES)."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    if size:
        rpr = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        rpr.append(sz)
        r.append(rpr)
    t = OxmlElement("w:t")
    t.text = placeholder
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def par_border(
    paragraph, side: str = "bottom", size_eighths: int = 6, color: str = "000000", space: int = 1
):
    pPr = paragraph._p.get_or_add_pPr()
    bdr = pPr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        pPr.append(bdr)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    bdr.append(el)


def frame(
    paragraph,
    *,
    x_cm: float,
    y_cm: float,
    w_cm: float,
    fill: str | None = None,
    h_anchor: str = "page",
    v_anchor: str = "page",
):
    """Turn a paragraph into a (Word) frame paragraph; consecutive ones form one frame."""
    pPr = paragraph._p.get_or_add_pPr()
    fp = OxmlElement("w:framePr")
    fp.set(qn("w:w"), str(int(w_cm * TWIP_PER_CM)))
    fp.set(qn("w:hSpace"), "142")
    fp.set(qn("w:wrap"), "around")
    fp.set(qn("w:vAnchor"), v_anchor)
    fp.set(qn("w:hAnchor"), h_anchor)
    fp.set(qn("w:x"), str(int(x_cm * TWIP_PER_CM)))
    fp.set(qn("w:y"), str(int(y_cm * TWIP_PER_CM)))
    pPr.insert(0, fp)
    if fill:
        shade(pPr, fill)


def keep_with_next(paragraph):
    paragraph.paragraph_format.keep_with_next = True


def no_split_row(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    trPr.append(el)


def repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trPr.append(el)


def spacing(paragraph, before=0, after=0, line=None):
    pf = paragraph.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line:
        pf.line_spacing = line
