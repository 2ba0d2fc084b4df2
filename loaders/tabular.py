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


@dataclass
class Sheet:
    """One sheet as a grid: rows[i][j] is the cell at Excel row i+1, column j+1."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # CSV files have no sheets; their places are «строка N».
    is_csv: bool = False

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
        rows = [[_clean_cell(v) for v in row] for row in grid]
        sheets.append(Sheet(name=name, rows=rows, merged=merged))
    return Workbook(sheets)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _detect_delimiter(lines: list[str]) -> str:
    best, best_score = ";", -1.0
    for delim in (";", "\t", ",", "|"):
        counts = []
        for row in csv.reader(lines, delimiter=delim):
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
    decoded = decode_bytes(data, file_name)
    text = decoded.text
    notes = [f"кодировка: {ENCODING_NAMES.get(decoded.encoding, decoded.encoding)}"]
    warnings = list(decoded.warnings)
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("в файле были нулевые байты (NUL); они удалены")
    lines = text.splitlines()
    delimiter = _detect_delimiter(lines[:60])
    notes.append(f"разделитель: {'табуляция' if delimiter == chr(9) else delimiter}")
    csv.field_size_limit(MAX_FIELD_CHARS * 4)
    rows: list[list[object]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise ParseError(
                    f"Файл «{file_name}», строка {reader.line_num}: {len(row)} столбцов — больше допустимых "
                    f"{MAX_COLUMNS}; это не похоже на реестр."
                )
            for cell in row:
                if len(cell) > MAX_FIELD_CHARS:
                    raise ParseError(
                        f"Файл «{file_name}», строка {reader.line_num}: ячейка длиной {len(cell):,} символов "
                        f"(допустимо до {MAX_FIELD_CHARS:,}); вероятно, в файле незакрытая кавычка.".replace(",", " ")
                    )
            rows.append([_clean_cell(c) for c in row])
            if len(rows) > MAX_ROWS:
                raise ParseError(f"Файл «{file_name}»: больше {MAX_ROWS:,} строк.".replace(",", " "))
    except csv.Error as exc:
        raise ParseError(f"Файл «{file_name}»: таблица CSV не читается ({exc}).") from exc
    if text.count('"') % 2 == 1:
        warnings.append("в файле нечётное число кавычек: возможно, одна кавычка не закрыта — проверьте строки")
    sheet = Sheet(name=re.sub(r"\.\w+$", "", file_name), rows=rows, is_csv=True)
    return Workbook([sheet], notes=notes, warnings=warnings)
