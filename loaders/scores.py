"""Members' scores from an uploaded Excel sheet: one sheet per member, or one long table.

Two layouts are read:

* **one sheet per member** (the form the page hands out): a line «Член комиссии: Иванова И. И.»
  above the table, or the member's name as the sheet name; a header row with «Заявитель» and one
  column per criterion («Обоснованность бюджета (1–10)»); one row per applicant;
* **a long table**: columns «Член комиссии», «Заявитель», «Критерий», «Балл», one score per row.

An empty cell is a score not given (not a zero). Every problem is reported with its sheet, row and
column, in Russian: a score that is not a number or lies outside the criterion's points, an
applicant who is not in the contest, a member who is not on the commission, a score given twice.
The file is checked like every upload (real type from the bytes, archive limits) and read in a
worker process with memory and time limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.base import ParseError
from loaders.names import norm_text
from loaders.tabular import Sheet, Workbook, cell_text

MAX_SCORE_FILE_BYTES = 10 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
_ABBREVIATIONS = {
    "го": "городской округ",
    "мо": "муниципальный округ",
    "мр": "муниципальный район",
    "гп": "городское поселение",
    "сп": "сельское поселение",
}
_APPLICANT_HEAD = re.compile(r"заявител|муниципал|участник|наименование\s+(?:мо|муниц|заявител)|территори", re.IGNORECASE)
_MEMBER_HEAD = re.compile(r"член\w*\s+комисси|эксперт|оценщик|^фио|ф\.и\.о", re.IGNORECASE)
_CRITERION_HEAD = re.compile(r"критери", re.IGNORECASE)
_POINTS_HEAD = re.compile(r"балл|оценк", re.IGNORECASE)
_MEMBER_LINE = re.compile(r"^\s*(?:член\w*\s+комисси\w*|эксперт|ф\.?\s*и\.?\s*о\.?(?:\s+члена\s+комиссии)?)\s*[:—–-]\s*(?P<name>.+?)\s*$", re.IGNORECASE)
_SKIP_ROW = re.compile(r"^\s*(итого|всего|подпись|сумма|среднее)\b", re.IGNORECASE)
_EXTRA_HEAD = re.compile(r"^\s*(№|n|номер|п/п|категори|итого|сумма|всего|примечани|комментари|место|подпись)", re.IGNORECASE)


@dataclass(frozen=True)
class ScoreSpec:
    """What the upload may contain: the contest's applicants, manual criteria and members."""

    applicants: dict[str, str]  # municipality_id → name
    criteria: list[tuple[str, str, float, float]]  # key, name, min, max (criteria the members score)
    members: list[str]
    figure_criteria: list[str] = field(default_factory=list)  # names of criteria computed from figures


@dataclass
class ScoreUpload:
    """Scores found in a file, and what could not be taken, with places."""

    file_name: str
    entries: list[dict] = field(default_factory=list)  # member, municipality_id, criterion, points, where
    errors: list[dict] = field(default_factory=list)  # where, message
    notes: list[str] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append({"where": where, "message": message})


def _key(text: object) -> str:
    """A name for matching: lower case, «ё» → «е», no numbering, no «(1–10)», abbreviations spelled out."""
    t = norm_text(str(text or ""))
    t = re.sub(r"\[[^\]]*\]", " ", t)
    t = re.sub(r"\s*\d+([.,]\d+)?\s*[-–—]\s*\d+([.,]\d+)?\s*(балл\w*)?\s*$", " ", t)  # «… 1-10 баллов» once brackets are gone
    t = re.sub(r"^\s*(\d+[.)]\s*|к\d+[.:]?\s+|критерий\s+\d+[.:]?\s*)", "", t)
    words = [_ABBREVIATIONS.get(w.strip("."), w) for w in t.split()]
    return re.sub(r"[^\w\s-]", " ", " ".join(words)).replace("  ", " ").strip()


class _Matcher:
    def __init__(self, names: dict[str, str]):
        self.exact: dict[str, list[str]] = {}
        for key, name in names.items():
            self.exact.setdefault(_key(name), []).append(key)
        self.names = names

    def match(self, text: str) -> tuple[str | None, str | None]:
        """(key, None) when found; (None, message) when unknown or ambiguous."""
        k = _key(text)
        if not k:
            return None, None
        hits = self.exact.get(k) or []
        if not hits:
            # «Беловский городской округ Кемеровской области», «Беловский»: one name that starts the other.
            hits = [key for kn, keys in self.exact.items() for key in keys if kn.startswith(k + " ") or k.startswith(kn + " ")]
        if len(hits) == 1:
            return hits[0], None
        if len(hits) > 1:
            return None, "подходит к нескольким: " + ", ".join(f"«{self.names[h]}»" for h in hits)
        return None, "не найден"


def _score(value: object) -> tuple[float | None, str | None]:
    """A cell as points: None for empty; a message for text that is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, f"«{value}» — не число"
    if isinstance(value, (int, float)):
        return (None, None) if value != value else (float(value), None)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text), None
    except ValueError:
        return None, f"«{str(value).strip()}» — не число"


class _Parser:
    def __init__(self, spec: ScoreSpec, file_name: str):
        self.spec = spec
        self.out = ScoreUpload(file_name)
        self.applicants = _Matcher(spec.applicants)
        self.criteria = _Matcher({k: n for k, n, _, _ in spec.criteria})
        self.limits = {k: (lo, hi, n) for k, n, lo, hi in spec.criteria}
        self.members = _Matcher({m: m for m in spec.members})
        self.figure = {_key(n) for n in spec.figure_criteria}
        self.seen: dict[tuple[str, str, str], str] = {}

    def add(self, sheet: Sheet, row: int, column: str, member: str, mid: str, key: str, value: object) -> None:
        where = sheet.where(row, column)
        points, problem = _score(value)
        if problem:
            self.out.error(where, problem)
            return
        if points is None:
            return  # not scored: missing, not zero
        lo, hi, name = self.limits[key]
        if not lo <= points <= hi:
            self.out.error(where, f"{_num(points)} вне допустимых баллов по критерию «{name}» ({_num(lo)}–{_num(hi)})")
            return
        k = (member, mid, key)
        if k in self.seen:
            self.out.error(where, f"оценка {member} заявителю «{self.spec.applicants[mid]}» по критерию «{name}» уже есть ({self.seen[k]})")
            return
        self.seen[k] = where
        self.out.entries.append({"member": member, "municipality_id": mid, "criterion": key, "points": points, "where": where})

    def header(self, sheet: Sheet) -> tuple[int, dict[int, str]] | None:
        """The header row and its cells: the first row that names the applicant column.

        A row that also names a criterion or a score wins over one that does not: a title such as
        «Оценка заявок … территориального общественного самоуправления» mentions «территори…» too.
        """
        first = None
        for i, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            cells = {j: cell_text(v) for j, v in enumerate(row) if cell_text(v)}
            if len(cells) < 2 or not any(_APPLICANT_HEAD.search(t) and len(t) <= 80 for t in cells.values()):
                continue
            # A header names its columns in a few words; «Оценка заявок …» in a title is no score column.
            heads = [t for t in cells.values() if len(t) <= 60 and not _APPLICANT_HEAD.search(t)]
            if any(self.criteria.match(t)[0] or _CRITERION_HEAD.search(t) or _POINTS_HEAD.search(t) for t in heads):
                return i, cells
            first = first if first is not None else (i, cells)
        return first

    def sheet(self, sheet: Sheet) -> None:
        found = self.header(sheet)
        if found is None:
            self.out.notes.append(f"Лист «{sheet.name}» пропущен: нет строки заголовков со столбцом «Заявитель».")
            return
        row, cells = found
        roles = {
            "member": next((j for j, t in cells.items() if _MEMBER_HEAD.search(t)), None),
            "applicant": next((j for j, t in cells.items() if _APPLICANT_HEAD.search(t)), None),
            "criterion": next((j for j, t in cells.items() if _CRITERION_HEAD.search(t) and not _MEMBER_HEAD.search(t)), None),
            "points": next((j for j, t in cells.items() if _POINTS_HEAD.search(t) and not _CRITERION_HEAD.search(t)), None),
        }
        if roles["member"] is not None and roles["criterion"] is not None and roles["points"] is not None:
            self.long(sheet, row, cells, roles)
        else:
            self.wide(sheet, row, cells, roles["applicant"])

    def _member_of(self, sheet: Sheet, header_row: int) -> tuple[str | None, str, str]:
        """Whose scores a sheet holds: (member, where, problem)."""
        for i, r in enumerate(sheet.rows[:header_row]):
            for v in r:
                m = _MEMBER_LINE.match(cell_text(v))
                if m:
                    member, problem = self.members.match(m.group("name"))
                    if member:
                        return member, "", ""
                    return None, sheet.where(i), f"член комиссии «{m.group('name')}» {problem or 'не найден'} в составе комиссии"
        member, _ = self.members.match(sheet.name)
        if member:
            return member, "", ""
        # Excel cuts sheet names at 31 characters: a member whose name begins with it.
        cut = [m for m in self.spec.members if len(sheet.name) >= 25 and _key(m).startswith(_key(sheet.name))]
        if len(cut) == 1:
            return cut[0], "", ""
        return None, f"лист «{sheet.name}»", (
            "не понятно, чьи это оценки — впишите над таблицей строку «Член комиссии: Фамилия И. О.» "
            "или назовите лист именем члена комиссии"
        )

    def wide(self, sheet: Sheet, header_row: int, cells: dict[int, str], applicant_col: int) -> None:
        columns: dict[int, str] = {}
        for j, text in cells.items():
            if j == applicant_col:
                continue
            key, _ = self.criteria.match(text)
            if key:
                if key in columns.values():
                    self.out.error(sheet.where(header_row, text), "этот критерий уже есть в другом столбце")
                    continue
                columns[j] = key
            elif _key(text) in self.figure or any(_key(text).startswith(f + " ") for f in self.figure):
                self.out.notes.append(f"Лист «{sheet.name}», столбец «{text}»: критерий считается по цифрам — столбец не читается.")
            elif not _EXTRA_HEAD.match(text):
                self.out.notes.append(f"Лист «{sheet.name}», столбец «{text}» не похож ни на один критерий — пропущен.")
        if not columns:
            self.out.notes.append(f"Лист «{sheet.name}» пропущен: в заголовке нет ни одного критерия набора.")
            return
        member, where, problem = self._member_of(sheet, header_row)
        if member is None:
            self.out.error(where, problem)
            return
        for i in range(header_row + 1, len(sheet.rows)):
            row = sheet.rows[i]
            name = cell_text(row[applicant_col]) if applicant_col < len(row) else ""
            if not name or _SKIP_ROW.match(name) or _MEMBER_LINE.match(name):
                continue
            mid, problem = self.applicants.match(name)
            values = {j: row[j] if j < len(row) else None for j in columns}
            if mid is None:
                if any(_score(v)[0] is not None or _score(v)[1] for v in values.values()):
                    self.out.error(sheet.where(i, cells[applicant_col]), f"заявитель «{name}» {problem} среди заявителей конкурса")
                continue
            for j, key in columns.items():
                self.add(sheet, i, cells[j], member, mid, key, values[j])

    def long(self, sheet: Sheet, header_row: int, cells: dict[int, str], roles: dict[str, int]) -> None:
        for i in range(header_row + 1, len(sheet.rows)):
            row = sheet.rows[i]
            values = {r: (row[j] if j < len(row) else None) for r, j in roles.items() if j is not None}

            def cell(role: str, values: dict = values) -> object:
                return values.get(role)

            texts = {r: cell_text(cell(r)) for r in ("member", "applicant", "criterion")}
            if not any(texts.values()) and cell("points") is None:
                continue
            if _SKIP_ROW.match(texts["member"] or texts["applicant"]):
                continue
            member, p1 = self.members.match(texts["member"])
            mid, p2 = self.applicants.match(texts["applicant"])
            key, p3 = self.criteria.match(texts["criterion"])
            problems = []
            if member is None:
                problems.append(f"член комиссии «{texts['member']}» {p1 or 'не указан'}" + (" в составе комиссии" if p1 == "не найден" else ""))
            if mid is None:
                problems.append(f"заявитель «{texts['applicant']}» {p2 or 'не указан'}" + (" среди заявителей конкурса" if p2 == "не найден" else ""))
            if key is None:
                figure = _key(texts["criterion"]) in self.figure
                problems.append(
                    f"критерий «{texts['criterion']}» считается по цифрам — оценку вводить не нужно" if figure
                    else f"критерий «{texts['criterion']}» {p3 or 'не указан'}" + (" в наборе критериев" if p3 == "не найден" else "")
                )  # fmt: skip
            if problems:
                self.out.error(sheet.where(i), "; ".join(problems))
                continue
            self.add(sheet, i, cells[roles["points"]], member, mid, key, cell("points"))


def _num(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def parse_score_workbook(book: Workbook, spec: ScoreSpec, file_name: str) -> ScoreUpload:
    """Scores from every sheet of an already read workbook."""
    p = _Parser(spec, file_name)
    for sheet in book.sheets:
        p.sheet(sheet)
    if not p.out.entries and not p.out.errors:
        p.out.error("файл", "оценок не найдено: нужен лист с заголовком «Заявитель» и столбцами критериев (или таблица «Член комиссии | Заявитель | Критерий | Балл»)")
    return p.out


def parse_scores(data: bytes, file_name: str, spec: ScoreSpec) -> ScoreUpload:
    """Check and read an uploaded score sheet (.xlsx, .xls or .csv) in this process."""
    from loaders.safety import check_file_name, check_zip
    from loaders.sniff import FORMAT_NAMES, safe_file_name, sniff
    from loaders.tabular import read_csv, read_excel

    check_file_name(file_name)
    name = safe_file_name(file_name)
    if len(data) > MAX_SCORE_FILE_BYTES:
        raise ParseError(f"Файл «{name}»: {len(data) // 1024 // 1024} МБ — для листа оценок это слишком много (предел {MAX_SCORE_FILE_BYTES // 1024 // 1024} МБ).")
    fmt = sniff(data)
    if fmt == "xlsx":
        check_zip(data, name)
        book = read_excel(data, name)
    elif fmt == "xls":
        book = read_excel(data, name)
    elif fmt == "text":
        book = read_csv(data, name)
    else:
        raise ParseError(f"Файл «{name}»: {FORMAT_NAMES.get(fmt, fmt)} — оценки принимаются в книге Excel (.xlsx, .xls) или CSV.")
    return parse_score_workbook(book, spec, name)


def parse_scores_isolated(data: bytes, file_name: str, spec: ScoreSpec, timeout: float = 60, memory_mb: int = 1024) -> ScoreUpload:
    """`parse_scores` in a worker process that is killed at the memory and time limits."""
    from loaders.sandbox import run_isolated
    from loaders.sniff import safe_file_name

    return run_isolated(parse_scores, (data, file_name, spec), safe_file_name(file_name), timeout, memory_mb)
