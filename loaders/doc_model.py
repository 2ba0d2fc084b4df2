"""A document as a sequence of blocks: paragraphs and tables with cells.

The three readers (.txt, .docx, .pdf) all produce this model, so the passport and protocol parsers
work the same whatever the format. A table keeps its rows and cells (a merged cell appears once,
in the row and column where it starts); a cell may hold nested tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACES_RE = re.compile(r"[\u00a0\u202f\u2007\u2009\u200a\u2002\u2003]")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def clean_text(text: str) -> str:
    """No-break and thin spaces become spaces; soft hyphens and zero-width marks go."""
    text = _SPACES_RE.sub(" ", str(text))
    return _INVISIBLE_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Paragraph:
    """One paragraph (a line of a text file). `bold`: all of it bold; `heading`: a heading style."""

    text: str
    bold: bool = False
    heading: bool = False
    page: int | None = None


@dataclass
class Cell:
    """One table cell: its text (lines joined by newlines), grid column, span and nested tables."""

    text: str
    col: int = 0
    span: int = 1
    tables: list[Table] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [ln.strip() for ln in self.text.split("\n") if ln.strip()]


@dataclass
class Table:
    """Rows of cells, as the document has them (merged cells once)."""

    rows: list[list[Cell]]
    page: int | None = None
    columns_x: tuple[float, ...] | None = None  # PDF: column borders, to join a table split by a page break

    @property
    def width(self) -> int:
        return max((c.col + c.span for row in self.rows for c in row), default=0)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]

    def is_text_box(self) -> bool:
        """A one-column table is text in a frame (passports put section bodies in such cells)."""
        return all(len(row) <= 1 for row in self.rows)


Block = Paragraph | Table


@dataclass
class DocText:
    """What a reader found: the blocks, the format, notes on how it was read and doubts."""

    file_name: str
    source: str  # "text", "docx", "pdf"
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int | None = None

    def plain_text(self, limit: int | None = None) -> str:
        """All text in reading order; table cells one per line."""
        out: list[str] = []
        size = 0
        for block in self.blocks:
            for line in block_lines(block):
                out.append(line)
                size += len(line) + 1
                if limit is not None and size >= limit:
                    return "\n".join(out)
        return "\n".join(out)


def block_lines(block: Block) -> list[str]:
    """The text lines of a block: a paragraph's text, or the cell lines of a table, row by row."""
    if isinstance(block, Paragraph):
        return [block.text] if block.text.strip() else []
    lines: list[str] = []
    for row in block.rows:
        for cell in row:
            lines.extend(cell.lines)
            for nested in cell.tables:
                lines.extend(block_lines(nested))
    return lines
