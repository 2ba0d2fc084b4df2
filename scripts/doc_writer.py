"""Write a block model (paragraphs and tables) as .docx, .pdf or tab-led .txt.

Used by the demo documents builder and by the tests, which rebuild documents in every format
from the same blocks: Word files get real tables (python-docx), PDFs get drawn tables with ruling
lines (fpdf2 with a Cyrillic font), text files get the tab-led cells Word's «save as text» writes.
Output is deterministic (fixed timestamps), so the same blocks give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from loaders.doc_model import Paragraph, Table

FIXED = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/local/share/fonts"))


def find_font() -> tuple[Path, Path] | None:
    """DejaVu Sans (regular, bold) if installed: a font with Cyrillic for PDFs."""
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


def _fixed_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=(2026, 10, 1, 0, 0, 0))
            new.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()


def to_docx(blocks: list[Paragraph | Table], numbered_headings: bool = False) -> bytes:
    """A Word document: paragraphs (bold kept) and real tables, one paragraph per cell line.

    With `numbered_headings`, a bold paragraph starting «N. » (a heading) loses its number and
    gets Word's automatic numbering instead (the number is then not in the text, as in many
    real files).
    """
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.author = "build_demo"
    props.last_modified_by = "build_demo"
    num_id = None
    if numbered_headings:
        num_id = _add_decimal_numbering(document)
    for b in blocks:
        if isinstance(b, Paragraph):
            text = b.text
            p = document.add_paragraph()
            m = re.match(r"^(\d{1,2})\.\s+(.*)$", text) if numbered_headings and b.bold else None
            if m and num_id is not None:
                text = m.group(2)
                ppr = p._p.get_or_add_pPr()
                numpr = OxmlElement("w:numPr")
                ilvl = OxmlElement("w:ilvl")
                ilvl.set(qn("w:val"), "0")
                nid = OxmlElement("w:numId")
                nid.set(qn("w:val"), str(num_id))
                numpr.append(ilvl)
                numpr.append(nid)
                ppr.append(numpr)
            run = p.add_run(text)
            run.bold = b.bold or None
            continue
        width = max(1, b.width)
        table = document.add_table(rows=len(b.rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(b.rows):
            for cell in row:
                target = table.cell(r, cell.col)
                if cell.span > 1:
                    target = target.merge(table.cell(r, cell.col + cell.span - 1))
                lines = cell.text.split("\n") if cell.text else [""]
                target.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    target.add_paragraph(line)
                for nested in cell.tables:
                    inner = target.add_table(rows=len(nested.rows), cols=max(1, nested.width))
                    inner.style = "Table Grid"
                    for nr, nrow in enumerate(nested.rows):
                        for ncell in nrow:
                            inner.cell(nr, ncell.col).text = ncell.text
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue())


def _add_decimal_numbering(document) -> int:
    """A «1.» list definition in numbering.xml; returns its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{w}" w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    )
    num = parse_xml(f'<w:num xmlns:w="{w}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(f"{{{w}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return 90


def to_text(blocks: list[Paragraph | Table], encoding: str = "utf-8") -> bytes:
    """Tab-led text, as Word saves a document with tables as plain text."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out += [("**" + b.text + "**") if b.bold else b.text, ""]
            continue
        for row in b.rows:
            for cell in row:
                lines = cell.text.split("\n") if cell.text else [""]
                out.append("\t" + lines[0])
                out.extend(lines[1:])
            out.append("")
        out += ["", ""]
    text = "\n".join(out) + "\n"
    if encoding.lower().replace("-", "").replace("_", "") in ("cp1251", "koi8r"):
        text = text.replace("\u202f", " ").replace("\u00a0", " ")
    return text.encode(encoding)


class _PDF:
    def __init__(self, font: tuple[Path, Path]) -> None:
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.set_creation_date(FIXED)
        pdf.set_creator("build_demo")
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(True, 15)
        pdf.add_font("DejaVu", "", str(font[0]))
        pdf.add_font("DejaVu", "B", str(font[1]))
        pdf.set_font("DejaVu", size=10)
        pdf.add_page()
        self.pdf = pdf
        self.lh = 5.0  # line height, mm
        self.gap = 3.0  # between paragraphs
        self.cell_gap = 2.5  # between paragraphs inside a cell
        self.pad = 1.5

    def paragraph(self, text: str, bold: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if bold else "", 10)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(0, self.lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.ln(self.gap)

    def _lines(self, text: str, width: float) -> list[list[str]]:
        out = []
        for logical in text.split("\n") if text else [""]:
            if not logical.strip():
                continue
            out.append(self.pdf.multi_cell(width, self.lh, logical, dry_run=True, output="LINES", align="L") or [""])
        return out or [[""]]

    def table(self, table: Table) -> None:
        pdf = self.pdf
        ncols = max(1, table.width)
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        first_short = all(len(r[0].text) <= 4 for r in table.rows if r and r[0].col == 0)
        widths = [usable / ncols] * ncols
        if ncols > 1 and first_short:
            widths = [12.0] + [(usable - 12.0) / (ncols - 1)] * (ncols - 1)
        xs = [pdf.l_margin]
        for w in widths:
            xs.append(xs[-1] + w)
        for row in table.rows:
            layout = []
            for cell in row:
                w = xs[cell.col + cell.span] - xs[cell.col]
                paras = self._lines(cell.text, w - 2 * self.pad)
                h = sum(len(p) for p in paras) * self.lh + (len(paras) - 1) * self.cell_gap + 2 * self.pad
                layout.append((cell, w, paras, h))
            row_h = max([h for *_, h in layout] + [self.lh + 2 * self.pad])
            if pdf.get_y() + row_h > pdf.h - pdf.b_margin:
                pdf.add_page()
            y = pdf.get_y()
            covered = set()
            for cell, w, paras, _ in layout:
                x = xs[cell.col]
                covered.update(range(cell.col, cell.col + cell.span))
                pdf.rect(x, y, w, row_h)
                cy = y + self.pad
                for p_index, para in enumerate(paras):
                    for line in para:
                        pdf.set_xy(x + self.pad, cy)
                        pdf.cell(w - 2 * self.pad, self.lh, line)
                        cy += self.lh
                    if p_index < len(paras) - 1:
                        cy += self.cell_gap
            for c in range(ncols):
                if c not in covered:
                    pdf.rect(xs[c], y, xs[c + 1] - xs[c], row_h)
            pdf.set_xy(pdf.l_margin, y + row_h)
        pdf.ln(self.gap)


def to_pdf(blocks: list[Paragraph | Table], font: tuple[Path, Path] | None = None) -> bytes:
    """A text PDF: paragraphs, and tables drawn with ruling lines. Needs a Cyrillic font."""
    font = font or find_font()
    if font is None:
        raise RuntimeError("нет шрифта с кириллицей (DejaVu Sans) — PDF не собрать")
    writer = _PDF(font)
    for b in blocks:
        if isinstance(b, Paragraph):
            writer.paragraph(b.text, b.bold)
        elif b.is_text_box():
            for row in b.rows:
                for cell in row:
                    for line in cell.lines:
                        writer.paragraph(line)
        else:
            writer.table(b)
    return bytes(writer.pdf.output())
