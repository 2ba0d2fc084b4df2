"""Plain-text documents (.txt) into blocks.

Text exported from Word keeps tables as lines that begin with a tab: each such line starts a
cell, and the lines after it (without a tab, at most one blank line away) continue that cell.
Rows are separated by blank lines; a row broken by a stray blank line is joined again up to the
width of the table. Markdown left by converters («**», «#», links) is removed; a line that was
wholly bold or a «#» heading keeps that as a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.doc_headings import passport_section
from loaders.doc_model import Cell, DocText, Paragraph, Table, clean_text
from loaders.textio import ENCODING_NAMES, decode_bytes

_ROW_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*[.)]?\s*$")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LINK_RE = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_MD_AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
_HTML_TAG_RE = re.compile(r"</?(sup|sub|b|i|u|strong|em|br|span)\b[^>]*>", re.IGNORECASE)
_BULLETS_RE = re.compile(r"^\s*[❑■□●◦▪•]\s*")


def _unmarkdown(line: str) -> tuple[str, bool, bool]:
    """(text, bold, heading) of one line with converter markup removed."""
    heading = bool(_MD_HEADING_RE.match(line))
    if heading:
        line = _MD_HEADING_RE.sub("", line)
    stripped = line.strip()
    bold = len(stripped) > 4 and stripped.startswith("**") and stripped.endswith("**")
    line = _MD_LINK_RE.sub(r"\1", line)
    line = _MD_AUTOLINK_RE.sub(r"\1", line)
    line = _HTML_TAG_RE.sub("", line)
    line = line.replace("**", "").replace("__", "")
    line = _BULLETS_RE.sub("", line)
    line = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", line)  # markdown escapes
    return line.rstrip(), bold, heading


@dataclass
class _CellDraft:
    lines: list[str]
    blank_before: int


def lines_to_blocks(lines: list[str]) -> list[Paragraph | Table]:
    """Group text lines into paragraphs and tables (tab-led lines are cells)."""
    blocks: list[Paragraph | Table] = []
    cells: list[_CellDraft] = []
    blanks = 0

    def flush_table() -> None:
        if cells:
            blocks.extend(_table_from_cells(cells))
            cells.clear()

    for raw in lines:
        if not raw.startswith("\t") and (not raw.strip() or raw.strip() in ("**", "****")):
            blanks += 1
            continue
        if raw.startswith("\t"):
            text, _, _ = _unmarkdown(raw.lstrip("\t"))
            cells.append(_CellDraft([text.strip()] if text.strip() else [], blank_before=blanks))
            blanks = 0
            continue
        text, bold, heading = _unmarkdown(raw)
        if not text.strip():
            blanks += 1
            continue
        continues_cell = cells and blanks <= 1 and passport_section(text) is None
        if continues_cell:
            cells[-1].lines.append(text.strip())
        else:
            flush_table()
            blocks.append(Paragraph(text.strip(), bold=bold, heading=heading))
        blanks = 0
    flush_table()
    return blocks


def _table_from_cells(cells: list[_CellDraft]) -> list[Table]:
    # Candidate rows: a blank line before a cell starts a new row.
    candidates: list[list[_CellDraft]] = []
    for cell in cells:
        if not candidates or cell.blank_before > 0:
            candidates.append([cell])
        else:
            candidates[-1].append(cell)
    width = max(len(c) for c in candidates)
    rows: list[list[_CellDraft]] = []
    for cand in candidates:
        if rows and len(rows[-1]) + len(cand) <= width and len(rows[-1]) < width:
            starts_numbered = bool(cand[0].lines) and bool(_ROW_NUMBER_RE.match(cand[0].lines[0])) and len(cand[0].lines) == 1
            if not starts_numbered:
                rows[-1].extend(cand)
                continue
        rows.append(list(cand))
    # A frame of text (one cell per row) next to a real table is a separate block: text files
    # do not mark where one table ends and the next begins.
    tables: list[Table] = []
    for row in rows:
        cells_out = [Cell("\n".join(c.lines), col=j) for j, c in enumerate(row)]
        single = len(row) == 1
        if tables and (len(tables[-1].rows[-1]) == 1) == single:
            tables[-1].rows.append(cells_out)
        else:
            tables.append(Table([cells_out]))
    return tables


def read_text_document(data: bytes, file_name: str) -> DocText:
    """Decode a text file (the encoding detected, doubts reported) and split it into blocks."""
    decoded = decode_bytes(data, file_name)
    text = clean_text(decoded.text).replace("\x00", "")
    blocks = lines_to_blocks(text.split("\n"))
    notes = [f"кодировка: {ENCODING_NAMES.get(decoded.encoding, decoded.encoding)}"]
    return DocText(file_name, "text", blocks, notes=notes, warnings=list(decoded.warnings))
