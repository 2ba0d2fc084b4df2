"""Text PDFs into blocks: paragraphs from the text layer, tables from the ruling lines.

pypdf gives each piece of text with its position, and (through the operator visitor) the
rectangles and lines drawn on the page. Table borders become a grid of cells; text inside a
cell belongs to it; the rest is grouped into lines and paragraphs by their vertical gaps. A
table that runs on to the next page is joined again (a repeated header row is dropped).

A PDF with pages but no text layer is a scan: it is refused with a message that says so.
"""

from __future__ import annotations

import io
import math
import re
import time
from dataclasses import dataclass, field

from loaders.base import ParseError
from loaders.doc_model import Cell, DocText, Paragraph, Table, clean_text

MAX_PAGES = 400
MAX_SECONDS = 60.0
TOL = 2.0  # points: coordinates closer than this are the same line
_VALUE_LINE_RE = re.compile(r"^(более|около|свыше|порядка|до|от)?\s*[-−]?\d[\d\s]*(?:[.,]\d+)?\s*(\S{0,12})?$", re.IGNORECASE)


@dataclass
class _Frag:
    x: float
    y: float
    text: str
    size: float
    bold: bool


@dataclass
class _Box:
    x0: float
    y0: float  # bottom
    x1: float
    y1: float  # top
    frags: list[_Frag] = field(default_factory=list)


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _page_content(page) -> tuple[list[_Frag], list[tuple[str, float, float, float]]]:
    """Text pieces with positions, and ruling segments: ("h", y, x0, x1) / ("v", x, y0, y1)."""
    frags: list[_Frag] = []
    segs: list[tuple[str, float, float, float]] = []
    state: dict[str, tuple[float, float] | None] = {"cur": None, "start": None}

    def add_segment(a: tuple[float, float], b: tuple[float, float]) -> None:
        (ax, ay), (bx, by) = a, b
        if abs(ay - by) <= TOL and abs(ax - bx) > TOL:
            segs.append(("h", (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) <= TOL and abs(ay - by) > TOL:
            segs.append(("v", (ax + bx) / 2, min(ay, by), max(ay, by)))

    def before(op, args, cm, tm):
        try:
            if op == b"re" and len(args) >= 4:
                x, y, w, h = (float(a) for a in args[:4])
                corners = [_apply(cm, x, y), _apply(cm, x + w, y), _apply(cm, x + w, y + h), _apply(cm, x, y + h)]
                xs = [c[0] for c in corners]
                ys = [c[1] for c in corners]
                x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
                if x1 - x0 <= 3 * TOL and y1 - y0 > TOL:  # a thin bar drawn as a vertical rule
                    segs.append(("v", (x0 + x1) / 2, y0, y1))
                elif y1 - y0 <= 3 * TOL and x1 - x0 > TOL:
                    segs.append(("h", (y0 + y1) / 2, x0, x1))
                elif x1 - x0 > TOL and y1 - y0 > TOL:
                    segs.extend([("h", y0, x0, x1), ("h", y1, x0, x1), ("v", x0, y0, y1), ("v", x1, y0, y1)])
            elif op == b"m" and len(args) >= 2:
                state["cur"] = state["start"] = _apply(cm, float(args[0]), float(args[1]))
            elif op == b"l" and len(args) >= 2:
                point = _apply(cm, float(args[0]), float(args[1]))
                if state["cur"] is not None:
                    add_segment(state["cur"], point)
                state["cur"] = point
            elif op == b"h" and state["cur"] is not None and state["start"] is not None:
                add_segment(state["cur"], state["start"])
        except (TypeError, ValueError):
            pass

    def visit_text(text, cm, tm, font_dict, font_size):
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]) or 1.0
        size = float(font_size or 10) * scale
        base = ""
        try:
            base = str(font_dict.get("/BaseFont", "")) if font_dict else ""
        except AttributeError:
            pass
        bold = bool(re.search(r"bold|black|heavy|semibold", base, re.IGNORECASE))
        for i, part in enumerate(text.split("\n")):
            if part.strip():
                frags.append(_Frag(x, y - i * size * 1.2, clean_text(part), size, bold))

    page.extract_text(visitor_operand_before=before, visitor_text=visit_text)
    return frags, segs


# --------------------------------------------------------------------------- tables from rules


def _merge_segments(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear overlapping segments (pos, a, b)."""
    out: list[list[float]] = []
    for pos, a, b in sorted(segs):
        for s in out:
            if abs(s[0] - pos) <= TOL and a <= s[2] + TOL and b >= s[1] - TOL:
                s[1], s[2] = min(s[1], a), max(s[2], b)
                break
        else:
            out.append([pos, a, b])
    return [tuple(s) for s in out]  # type: ignore[misc]


def _covered(segs: list[tuple[float, float, float]], pos: float, a: float, b: float) -> bool:
    return any(abs(p - pos) <= TOL and s0 <= a + TOL and s1 >= b - TOL for p, s0, s1 in segs)


def _cells(segs: list[tuple[str, float, float, float]]) -> list[_Box]:
    hs = _merge_segments([(p, a, b) for k, p, a, b in segs if k == "h"])
    vs = _merge_segments([(p, a, b) for k, p, a, b in segs if k == "v"])
    if len(hs) < 2 or len(vs) < 2 or len(hs) * len(vs) > 40000:
        return []
    points = set()
    for y, hx0, hx1 in hs:
        for x, vy0, vy1 in vs:
            if hx0 - TOL <= x <= hx1 + TOL and vy0 - TOL <= y <= vy1 + TOL:
                points.add((round(x, 1), round(y, 1)))
    pts = sorted(points, key=lambda p: (-p[1], p[0]))
    by_y: dict[float, list[tuple[float, float]]] = {}
    by_x: dict[float, list[tuple[float, float]]] = {}
    for p in pts:
        by_y.setdefault(p[1], []).append(p)
        by_x.setdefault(p[0], []).append(p)
    boxes = []
    pointset = set(pts)
    for x, y in pts:
        rights = sorted((q for q in by_y[y] if q[0] > x + TOL), key=lambda q: q[0])
        downs = sorted((r for r in by_x[x] if r[1] < y - TOL), key=lambda r: -r[1])
        found = False
        for r in downs:
            if not _covered(vs, x, r[1], y):
                break
            for q in rights:
                if not _covered(hs, y, x, q[0]):
                    break
                corner = (q[0], r[1])
                if corner in pointset and _covered(vs, q[0], r[1], y) and _covered(hs, r[1], x, q[0]):
                    boxes.append(_Box(x, r[1], q[0], y))
                    found = True
                    break
            if found:
                break
    return boxes


def _group_tables(boxes: list[_Box]) -> list[list[_Box]]:
    """Cells that share corners belong to one table."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corner_owner: dict[tuple[int, int], int] = {}
    for i, b in enumerate(boxes):
        for cx, cy in ((b.x0, b.y0), (b.x1, b.y0), (b.x0, b.y1), (b.x1, b.y1)):
            key = (round(cx / TOL), round(cy / TOL))
            for dk in ((0, 0), (1, 0), (0, 1), (-1, 0), (0, -1)):
                k = (key[0] + dk[0], key[1] + dk[1])
                if k in corner_owner:
                    parent[find(i)] = find(corner_owner[k])
            corner_owner[key] = i
    groups: dict[int, list[_Box]] = {}
    for i, b in enumerate(boxes):
        groups.setdefault(find(i), []).append(b)
    return list(groups.values())


# --------------------------------------------------------------------------- text lines


def _lines(frags: list[_Frag]) -> list[list[_Frag]]:
    """Fragments grouped into visual lines, top to bottom, left to right."""
    lines: list[list[_Frag]] = []
    for f in sorted(frags, key=lambda f: (-f.y, f.x)):
        if lines and abs(lines[-1][0].y - f.y) <= max(TOL, f.size * 0.3):
            lines[-1].append(f)
        else:
            lines.append([f])
    for line in lines:
        line.sort(key=lambda f: f.x)
    return lines


def _line_text(line: list[_Frag]) -> str:
    text = ""
    for f in line:
        piece = f.text.strip()
        if text and not text.endswith((" ", "-", "/", "(", "«")) and not piece.startswith((",", ".", ")", "»", ";", ":")):
            text += " "
        text += piece
    return re.sub(r"\s{2,}", " ", text).strip()


def _join_visual(prev: str, nxt: str) -> str:
    if prev.endswith("-") and not prev.endswith(" -") and nxt[:1].islower():
        return prev + nxt
    last = prev.rsplit(" ", 1)[-1]
    if re.match(r"(?:https?://|www\.)\S+$", last) and not last.endswith((".", ",", ";")) and not nxt.startswith(("http", "www")):
        return prev + nxt  # a link wrapped at the cell border
    return prev + " " + nxt


def _pitch(lines: list[list[_Frag]]) -> float:
    """The usual distance between two lines of one paragraph on this page."""
    sizes = sorted(f.size for line in lines for f in line)
    size = sizes[len(sizes) // 2] if sizes else 10.0
    gaps = [lines[i][0].y - lines[i + 1][0].y for i in range(len(lines) - 1)]
    plausible = [g for g in gaps if 0.9 * size <= g <= 2.2 * size]
    return min(plausible) if plausible else 1.45 * size


def _paragraphs(lines: list[list[_Frag]], pitch: float | None = None) -> list[tuple[str, bool, float]]:
    """Visual lines into paragraphs: a gap larger than the usual line pitch starts a new one."""
    if not lines:
        return []
    pitch = pitch or _pitch(lines)
    out: list[list] = []
    for i, line in enumerate(lines):
        text = _line_text(line)
        bold = all(f.bold for f in line)
        if not text:
            continue
        gap = lines[i - 1][0].y - line[0].y if i > 0 else 0.0
        new = (
            not out
            or gap > pitch * 1.3
            or bold != out[-1][1]
            # Two figures on consecutive lines are two values («48» over «16»), not one «48 16».
            or bool(_VALUE_LINE_RE.match(text) and _VALUE_LINE_RE.match(out[-1][0]))
        )
        if new:
            out.append([text, bold, line[0].y])
        else:
            out[-1][0] = _join_visual(out[-1][0], text)
    return [(t, b, y) for t, b, y in out]


def _page_blocks(frags: list[_Frag], segs, page_no: int, page_height: float) -> list[tuple[float, Paragraph | Table]]:
    boxes = _cells(segs)
    tables = []
    bottoms: list[float] = []
    pitch = _pitch(_lines(frags))  # the page's line pitch: cells are too small to tell it alone
    free: list[_Frag] = []
    for f in frags:
        px, py = f.x + 0.5, f.y + f.size * 0.3
        owner = None
        for b in boxes:
            if b.x0 - TOL <= px <= b.x1 + TOL and b.y0 - TOL <= py <= b.y1 + TOL:
                if owner is None or (b.x1 - b.x0) * (b.y1 - b.y0) < (owner.x1 - owner.x0) * (owner.y1 - owner.y0):
                    owner = b
        if owner is None:
            free.append(f)
        else:
            owner.frags.append(f)
    for group in _group_tables(boxes):
        xs = sorted({round(v, 0) for b in group for v in (b.x0, b.x1)})
        cols: list[float] = []
        for v in xs:
            if not cols or v - cols[-1] > TOL:
                cols.append(v)

        def col_index(v: float, cols: list[float] = cols) -> int:
            return min(range(len(cols)), key=lambda i: abs(cols[i] - v))

        tops: list[float] = []
        for v in sorted({b.y1 for b in group}, reverse=True):
            if not tops or tops[-1] - v > TOL:
                tops.append(v)
        rows: list[list[Cell]] = [[] for _ in tops]
        for b in sorted(group, key=lambda b: (-b.y1, b.x0)):
            r = min(range(len(tops)), key=lambda i: abs(tops[i] - b.y1))
            c0, c1 = col_index(b.x0), col_index(b.x1)
            paras = _paragraphs(_lines(b.frags), pitch)
            rows[r].append(Cell("\n".join(p[0] for p in paras), col=c0, span=max(1, c1 - c0)))
        rows = [sorted(r, key=lambda c: c.col) for r in rows if r]
        if not rows:
            continue
        top = max(b.y1 for b in group)
        bottoms.append(min(b.y0 for b in group))
        table = Table(rows, page=page_no, columns_x=tuple(cols))
        tables.append((top, table))
    # Running heads and page numbers are not content.
    kept = []
    for f in free:
        if re.fullmatch(r"[-–—\s]*\d{1,3}[-–—\s]*|стр\.?\s*\d+( из \d+)?", f.text.strip(), re.IGNORECASE) and (
            f.y < page_height * 0.08 or f.y > page_height * 0.92
        ):
            continue
        kept.append(f)
    blocks: list[tuple[float, Paragraph | Table]] = []
    lines = _lines(kept)
    # Text above, between and below tables is read band by band: a table separates paragraphs.
    cuts = sorted({round(top, 1) for top, _ in tables} | {round(b, 1) for b in bottoms}, reverse=True)
    band: list[list[_Frag]] = []
    bands: list[list[list[_Frag]]] = []
    for line in lines:
        if band and any(line[0].y < c <= band[-1][0].y for c in cuts):
            bands.append(band)
            band = []
        band.append(line)
    if band:
        bands.append(band)
    for part in bands:
        for text, bold, y in _paragraphs(part, pitch):
            blocks.append((y, Paragraph(text, bold=bold, page=page_no)))
    blocks.extend(tables)
    blocks.sort(key=lambda item: -item[0])
    return blocks


def _same_columns(a: Table, b: Table) -> bool:
    xa, xb = a.columns_x, b.columns_x
    return bool(xa and xb and len(xa) == len(xb) and all(abs(p - q) <= 3 * TOL for p, q in zip(xa, xb, strict=True)))


def _check_stream_limits(page, file_name: str, number: int) -> None:
    """Ask for the page stream directly: pypdf's text extraction swallows its decompression limit."""
    from pypdf.errors import LimitReachedError

    try:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    except LimitReachedError as exc:
        raise ParseError(
            f"Файл «{file_name}», стр. {number}: содержимое страницы распаковывается в огромный объём — похоже на "
            "«бомбу» внутри PDF; файл отклонён."
        ) from exc
    except Exception:  # anything else about an empty page is the scan check's business
        return


def read_pdf(data: bytes, file_name: str) -> DocText:
    """Paragraphs and tables of a text PDF; a scan without a text layer is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(f"Файл «{file_name}» защищён паролем. Снимите защиту и загрузите PDF снова.")
        pages = list(reader.pages)
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ParseError(f"Файл «{file_name}»: PDF повреждён и не читается ({type(exc).__name__}).") from exc
    if not pages:
        raise ParseError(f"Файл «{file_name}»: в PDF нет страниц.")
    if len(pages) > MAX_PAGES:
        raise ParseError(f"Файл «{file_name}»: {len(pages)} страниц — больше допустимых {MAX_PAGES}; это не похоже на паспорт или протокол.")
    deadline = time.monotonic() + MAX_SECONDS
    blocks: list[Paragraph | Table] = []
    empty_pages: list[int] = []
    for number, page in enumerate(pages, start=1):
        try:
            frags, segs = _page_content(page)
            height = float(page.mediabox.height)
        except ParseError:
            raise
        except Exception as exc:  # pypdf raises many kinds of errors on broken content streams
            raise ParseError(f"Файл «{file_name}», стр. {number}: страница не читается ({type(exc).__name__}).") from exc
        if time.monotonic() > deadline:
            raise ParseError(f"Файл «{file_name}»: разбор PDF занял больше {int(MAX_SECONDS)} с и остановлен (стр. {number}).")
        if not frags:
            _check_stream_limits(page, file_name, number)  # no text: a scan, or a stream pypdf gave up on
            empty_pages.append(number)
            continue
        page_blocks = [b for _, b in _page_blocks(frags, segs, number, height)]
        if blocks and page_blocks:
            last, first = blocks[-1], page_blocks[0]
            if isinstance(last, Table) and isinstance(first, Table) and _same_columns(last, first):
                rows = first.rows
                if rows and last.rows and [c.text for c in rows[0]] == [c.text for c in last.rows[0]]:
                    rows = rows[1:]  # the header row repeated on the new page
                last.rows.extend(rows)
                page_blocks = page_blocks[1:]
            elif (
                isinstance(last, Paragraph)
                and isinstance(first, Paragraph)
                and first.text[:1].islower()
                and not last.bold
                and not re.search(r"[.!?:;»]$", last.text)
            ):
                last.text = _join_visual(last.text, first.text)
                page_blocks = page_blocks[1:]
        blocks.extend(page_blocks)
    if not blocks:
        raise ParseError(
            f"Файл «{file_name}»: это скан без текстового слоя — в PDF только изображения страниц, текст прочитать нельзя. "
            "Загрузите исходный документ (.docx) или PDF с распознанным текстом."
        )
    doc = DocText(file_name, "pdf", blocks, pages=len(pages))
    if empty_pages:
        shown = ", ".join(str(p) for p in empty_pages[:10]) + ("…" if len(empty_pages) > 10 else "")
        doc.warnings.append(f"стр. {shown}: нет текстового слоя (скан) — содержимое этих страниц не прочитано")
    return doc
