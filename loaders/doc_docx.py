"""Word documents (.docx) into blocks, in the order of the document body.

Tables are read as tables: each `w:tc` once (a horizontally merged cell spans grid columns, a
vertically merged cell appears only in the row where it starts), nested tables kept inside their
cell. Word's automatic numbering («1.» in front of a section title) is not part of the text, so it
is rebuilt from the numbering definitions for decimal lists.

The package is checked before python-docx opens it (loaders.safety: members inflated while the real
bytes are counted, DOCTYPE/ENTITY refused), and python-docx parses XML without entities.
"""

from __future__ import annotations

import io
import re
import zipfile

from loaders.base import ParseError
from loaders.doc_model import Cell, DocText, Paragraph, Table, clean_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes, file_name: str) -> None:
    """The package limits of loaders.safety (real inflated bytes, no DOCTYPE/ENTITY, no paths out)."""
    from loaders.safety import check_zip as safety_check

    safety_check(data, file_name)


class _Numbering:
    """Counters of Word's automatic numbering, for decimal lists only («1.», «1)», «1.2.»)."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in numbering.iter(f"{_W}abstractNum"):
            aid = an.get(f"{_W}abstractNumId")
            lv = {}
            for lvl in an.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[aid] = lv
        for num in numbering.iter(f"{_W}num"):
            nid = num.get(f"{_W}numId")
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.levels[(nid, ilvl)] = spec

    def label(self, p, style_numpr: dict[str, object] | None = None) -> str:
        ppr = p.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if numpr is None and style_numpr:
            style = ppr.find(f"{_W}pStyle") if ppr is not None else None
            numpr = style_numpr.get(style.get(f"{_W}val")) if style is not None else None
        if numpr is None:
            return ""
        nid_el, ilvl_el = numpr.find(f"{_W}numId"), numpr.find(f"{_W}ilvl")
        if nid_el is None:
            return ""
        nid = nid_el.get(f"{_W}val")
        ilvl = int(ilvl_el.get(f"{_W}val")) if ilvl_el is not None else 0
        spec = self.levels.get((nid, ilvl))
        if spec is None or nid == "0":
            return ""
        counters = self.counters.setdefault(nid, {})
        counters[ilvl] = counters.get(ilvl, spec[2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if spec[0] != "decimal":
            return ""

        def repl(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            return str(counters.get(level, self.levels.get((nid, level), ("", "", 1))[2]))

        return re.sub(r"%(\d)", repl, spec[1]) + " "


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        tag = el.tag
        if tag == f"{_W}t":
            parts.append(el.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return clean_text("".join(parts))


def _is_bold(p, bold_styles: set[str]) -> bool:
    runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    if not runs:
        return False
    style = p.find(f"{_W}pPr/{_W}pStyle")
    if style is not None and style.get(f"{_W}val") in bold_styles:
        return True
    for r in runs:
        b = r.find(f"{_W}rPr/{_W}b")
        if b is None or b.get(f"{_W}val") in ("0", "false"):
            return False
    return True


def _heading_styles(document) -> tuple[set[str], set[str]]:
    headings, bold = set(), set()
    for style in document.styles:
        try:
            name = (style.name or "").lower()
            sid = style.style_id
        except (AttributeError, KeyError):
            continue
        if name.startswith(("heading", "заголовок", "title")):
            headings.add(sid)
        try:
            if style.font is not None and style.font.bold:
                bold.add(sid)
        except (AttributeError, ValueError):
            pass
    return headings, bold


class _Reader:
    def __init__(self, document) -> None:
        self.numbering = _Numbering(document)
        self.heading_styles, self.bold_styles = _heading_styles(document)
        # Numbering can come with a paragraph style («List Number»), not on the paragraph itself.
        self.style_numpr: dict[str, object] = {}
        try:
            for style in document.styles.element.iter(f"{_W}style"):
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    self.style_numpr[style.get(f"{_W}styleId")] = numpr
        except AttributeError:
            pass

    def paragraph(self, p) -> Paragraph:
        text = (self.numbering.label(p, self.style_numpr) + _paragraph_text(p)).strip()
        style = p.find(f"{_W}pPr/{_W}pStyle")
        heading = style is not None and style.get(f"{_W}val") in self.heading_styles
        return Paragraph(text, bold=_is_bold(p, self.bold_styles), heading=heading)

    def table(self, tbl, depth: int = 0) -> Table:
        rows: list[list[Cell]] = []
        for tr in tbl.iter(f"{_W}tr"):
            if tr.getparent() is not tbl:
                continue  # rows of nested tables
            cells: list[Cell] = []
            col = 0
            for tc in tr.findall(f"{_W}tc"):
                tcpr = tc.find(f"{_W}tcPr")
                span = 1
                merge = None
                if tcpr is not None:
                    gs = tcpr.find(f"{_W}gridSpan")
                    span = int(gs.get(f"{_W}val", "1")) if gs is not None else 1
                    vm = tcpr.find(f"{_W}vMerge")
                    if vm is not None:
                        merge = vm.get(f"{_W}val") or "continue"
                if merge == "continue":
                    col += span
                    continue  # the cell above holds the text: a merged cell is read once
                lines: list[str] = []
                nested: list[Table] = []
                for child in tc:
                    if child.tag == f"{_W}p":
                        para = self.paragraph(child)
                        if para.text:
                            lines.append(para.text)
                    elif child.tag == f"{_W}tbl" and depth < 3:
                        nested.append(self.table(child, depth + 1))
                    elif child.tag == f"{_W}sdt":
                        for p in child.iter(f"{_W}p"):
                            para = self.paragraph(p)
                            if para.text:
                                lines.append(para.text)
                cells.append(Cell("\n".join(lines), col=col, span=span, tables=nested))
                col += span
            rows.append(cells)
        return Table(rows)

    def body(self, body) -> list[Paragraph | Table]:
        blocks: list[Paragraph | Table] = []
        for child in body:
            tag = child.tag
            if tag == f"{_W}p":
                para = self.paragraph(child)
                if para.text:
                    blocks.append(para)
            elif tag == f"{_W}tbl":
                blocks.append(self.table(child))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    blocks.extend(self.body(content))
        return blocks


def read_docx(data: bytes, file_name: str) -> DocText:
    """Paragraphs and tables of a .docx in body order."""
    check_zip(data, file_name)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ParseError(f"Файл «{file_name}»: документ Word не открывается — он повреждён или это не .docx.") from exc
    except Exception as exc:  # lxml raises its own XMLSyntaxError
        raise ParseError(f"Файл «{file_name}»: разметка документа Word повреждена ({type(exc).__name__}).") from exc
    reader = _Reader(document)
    blocks = reader.body(document.element.body)
    return DocText(file_name, "docx", blocks)
