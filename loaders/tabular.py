"""Spreadsheets and CSV read into plain grids, with row numbers as a person sees them.

Excel goes through calamine (several times faster than openpyxl on large registries, see
../shared/PERFORMANCE.md); CSV through the csv module after encoding and delimiter detection.
Every cell stays as written: codes such as ОГРН or ОКТМО are never turned into floats here.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from loaders.base import ParseError
from loaders.textio import ENCODING_NAMES, decode_bytes

# Limits that keep a hostile CSV from taking the server down.
MAX_FIELD_CHARS = 100_000
MAX_COLUMNS = 500
MAX_ROWS = 1_000_000
# Rows cleaned cell by cell (title, header, the first data rows); the body is cleaned column-wise.
HEAD_ROWS = 50


@dataclass
class Sheet:
    """One sheet as a grid: rows[i][j] is the cell at Excel row i+1, column j+1."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # CSV files have no sheets; their places are «строка N».
    is_csv: bool = False
    _frames: dict = field(default_factory=dict, repr=False)

    def frame(self, start: int):
        """Rows from `start` on as an object DataFrame indexed by row number (built once, for vector work)."""
        if start not in self._frames:
            import numpy as np
            import pandas as pd

            rows = self.rows[start:]
            width = max((len(r) for r in rows), default=0)
            # One object grid filled from the lists, then cleaned in two whole-grid comparisons:
            # 2–3× faster than building the frame and cleaning it column by column.
            cells = np.empty((len(rows), width), dtype=object)
            if all(len(r) == width for r in rows):  # calamine's grids are rectangular
                cells[:] = rows
            else:
                for i, r in enumerate(rows):
                    cells[i, : len(r)] = r
            # Below HEAD_ROWS the cells are raw: empty text (and NaN, which is not equal to itself)
            # becomes None here.
            cells[(cells == "") | (cells != cells)] = None
            self._frames[start] = pd.DataFrame(cells, index=range(start, len(self.rows)), columns=range(width), dtype=object, copy=False)
        return self._frames[start]

    def places(self, row_indexes) -> list[str]:
        """`where` of many rows at once: the place of every stored row of a 45 000-row sheet."""
        prefix = "строка " if self.is_csv else f"лист «{self.name}», строка "
        return [f"{prefix}{r + 1}" for r in map(int, row_indexes)]

    def where(self, row_index: int, column: str | None = None) -> str:
        place = f"строка {row_index + 1}" if self.is_csv else f"лист «{self.name}», строка {row_index + 1}"
        if column:
            place += f", столбец «{column}»"
        return place


@dataclass
class Workbook:
    """All sheets of a file, plus notes on how it was read."""

    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)  # how it was read (encoding, delimiter)
    warnings: list[str] = field(default_factory=list)  # doubts about the whole file


def cell_text(value: object) -> str:
    """A cell as text, "" when empty.

    A whole number is written without «.0»: Excel keeps a typed 89031234567 or a score of 5 as a float.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _clean_cell(value: object) -> object:
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        return value if value else None
    if value == "":
        return None
    return value


def read_excel(data: bytes, file_name: str) -> Workbook:
    """Read every sheet of an .xlsx/.xls file."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types
        raise ParseError(
            f"Файл «{file_name}»: не удалось открыть книгу Excel — файл повреждён или обрезан ({_short(exc)})."
        ) from exc
    sheets = []
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except Exception as exc:
            raise ParseError(
                f"Файл «{file_name}», лист «{name}»: лист не читается — файл повреждён ({_short(exc)})."
            ) from exc
        rows = _clean_head(grid)
        sheets.append(Sheet(name=name, rows=rows, merged=merged))
    return Workbook(sheets)


def _clean_head(grid: list[list[object]]) -> list[list[object]]:
    """Strip text and turn empty cells into None in the first HEAD_ROWS rows; keep the rest raw.

    Cleaning every cell in Python costs seconds on a 200 000-row sheet; the body is cleaned
    column-wise by Sheet.frame instead, and the parsers normalise whitespace where it matters.
    """
    head = [[(v.strip() or None) if type(v) is str else v for v in row] for row in grid[:HEAD_ROWS]]
    return head + grid[HEAD_ROWS:]


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _detect_delimiter(lines: list[str]) -> str:
    best, best_score = ";", -1.0
    for delim in (";", "\t", ",", "|"):
        counts = []
        try:
            rows = list(csv.reader(lines, delimiter=delim))
        except csv.Error:
            continue
        for row in rows:
            if any(c.strip() for c in row):
                counts.append(len(row))
        if not counts:
            continue
        many = [c for c in counts if c > 1]
        if not many:
            continue
        # Title rows have one field; the table's rows agree on their width.
        mode = max(set(many), key=many.count)
        score = many.count(mode) * (mode**0.5)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv(data: bytes, file_name: str) -> Workbook:
    """Read a delimited text file (any of the encodings and delimiters registries arrive in)."""
    if b"\x00" in data and not decode_bytes(data[:4000]).encoding.startswith("utf-16"):
        position = data.index(b"\x00")
        line = data[:position].count(b"\n") + 1
        raise ParseError(
            f"Файл «{file_name}», строка {line}: нулевые байты (NUL) — это не текстовая таблица "
            "(возможно, двоичный файл с расширением .csv). Сохраните таблицу заново как CSV или .xlsx."
        )
    decoded = decode_bytes(data, file_name)
    text = decoded.text
    notes = [f"кодировка: {ENCODING_NAMES.get(decoded.encoding, decoded.encoding)}"]
    warnings = list(decoded.warnings)
    if decoded.mixed_lines:
        shown = ", ".join(str(n) for n in decoded.mixed_lines[:10]) + ("…" if len(decoded.mixed_lines) > 10 else "")
        raise ParseError(
            f"Файл «{file_name}»: в файле смешаны кодировки — строки {shown} в UTF-8, остальные в "
            f"{ENCODING_NAMES.get(decoded.encoding, decoded.encoding)}. Сохраните файл целиком в одной кодировке "
            "(лучше UTF-8) и загрузите снова."
        )
    if "\x00" in text:
        raise ParseError(f"Файл «{file_name}»: нулевые символы (NUL) в тексте — файл повреждён или двоичный.")
    # The csv module's own limit is set high; our limit (MAX_FIELD_CHARS) gives a Russian message.
    csv.field_size_limit(64 * 1024 * 1024)
    lines = text.splitlines()
    delimiter = _detect_delimiter([line[: MAX_FIELD_CHARS * 2] for line in lines[:60]])
    notes.append(f"разделитель: {'табуляция' if delimiter == chr(9) else delimiter}")
    rows: list[list[object]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise ParseError(
                    f"Файл «{file_name}», строка {reader.line_num}: {len(row)} столбцов — больше допустимых "
                    f"{MAX_COLUMNS}; это не похоже на реестр."
                )
            if row and max(map(len, row)) > MAX_FIELD_CHARS:
                cell = max(row, key=len)
                raise ParseError(
                    f"Файл «{file_name}», строка {reader.line_num}: ячейка длиной {_n(len(cell))} символов "
                    f"(допустимо до {_n(MAX_FIELD_CHARS)}); вероятно, в файле незакрытая кавычка."
                )
            rows.append(row if len(rows) >= HEAD_ROWS else [c.strip() or None for c in row])
            if len(rows) > MAX_ROWS:
                raise ParseError(f"Файл «{file_name}»: больше {_n(MAX_ROWS)} строк.")
    except csv.Error as exc:
        raise ParseError(f"Файл «{file_name}»: таблица CSV не читается ({exc}).") from exc
    # An unclosed quote leaves an odd number of quote characters: only then is the slow scan run.
    unclosed = _unclosed_quote_line(text, delimiter) if text.count('"') % 2 else None
    if unclosed is not None:
        raise ParseError(
            f"Файл «{file_name}», строка {unclosed}: кавычка открыта и не закрыта до конца файла — всё, что ниже, "
            "слилось бы в одну ячейку. Исправьте кавычки в этой строке и загрузите снова."
        )
    sheet = Sheet(name=re.sub(r"\.\w+$", "", file_name), rows=rows, is_csv=True)
    return Workbook([sheet], notes=notes, warnings=warnings)


def _unclosed_quote_line(text: str, delimiter: str) -> int | None:
    """The line where a quoted field opens and never closes, or None."""
    in_quotes = False
    opened_at = 0
    line = 1
    prev = delimiter
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        if in_quotes:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1  # an escaped quote inside a quoted field
                else:
                    in_quotes = False
        elif ch == '"' and prev in (delimiter, "\n", "\r"):
            in_quotes = True
            opened_at = line
        prev = ch
        i += 1
    return opened_at if in_quotes else None
