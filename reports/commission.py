"""The commission's workbooks: the final score sheet, the side-by-side table, the score form.

«Итоговая ведомость» holds the title block (contest, nomination, commission, date), the criteria,
the averages per criterion to two decimals, totals and places, the method in words and the
signature lines. Further sheets: each member's scores (with a signature line each), where members
disagree, the figure-based points with their sources, the applicants side by side with the source
of every figure, and who entered each score and when.

XlsxWriter writes them; text is always written as text (a name like «=HYPERLINK(…)» stays a
string), numbers as numbers with Russian-looking formats, blanks where a value is unknown.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re

import pandas as pd
import xlsxwriter

from analytics.compare import Comparison, conflicts_text, describe_period, side_by_side, sources_table
from analytics.contests import Workspace, category_label
from analytics.formatting import fmt_date, local_moments, moment_column, plural
from analytics.scoring import KIND_NAMES, Results, bands_text, fmt_points, missing_summary

SHEET_FINAL = "Итоговая ведомость"
SHEET_MEMBERS = "Оценки членов комиссии"
SHEET_SPREAD = "Расхождения"
SHEET_FIGURES = "Баллы по цифрам"
SHEET_COMPARE = "Сравнение заявителей"
SHEET_LOG = "Внесение оценок"
CHAIR_RE = re.compile(r"председател", re.IGNORECASE)
DEPUTY_RE = re.compile(r"заместител\w*\s+председател", re.IGNORECASE)
SECRETARY_RE = re.compile(r"секретар", re.IGNORECASE)


class _Book:
    """An XlsxWriter workbook with the formats every sheet here shares."""

    def __init__(self, title: str):
        self.buffer = io.BytesIO()
        # Text stays text: nothing typed by a user or read from a document becomes a formula or a link.
        self.book = xlsxwriter.Workbook(
            self.buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        self.book.set_properties({"title": title, "comments": "ТОС: аналитическая панель"})
        b = self.book
        border = {"border": 1, "border_color": "#808080"}
        self.f = {
            "title": b.add_format({"bold": True, "font_size": 15, "align": "center", "valign": "vcenter", "text_wrap": True}),
            "subtitle": b.add_format({"font_size": 11, "align": "center", "text_wrap": True}),
            "label": b.add_format({"bold": True, "valign": "top"}),
            "text": b.add_format({"valign": "top", "text_wrap": True}),
            "section": b.add_format({"bold": True, "font_size": 12}),
            "header": b.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "bg_color": "#DCE6F1", **border}),
            "cell": b.add_format({"valign": "top", "text_wrap": True, **border}),
            "cell_center": b.add_format({"valign": "top", "align": "center", "text_wrap": True, **border}),
            "general": b.add_format({"valign": "top", "align": "center", **border}),
            "points": b.add_format({"num_format": "0.00", "valign": "top", "align": "center", **border}),
            "points_bold": b.add_format({"num_format": "0.00", "bold": True, "valign": "top", "align": "center", "bg_color": "#F2F2F2", **border}),
            "int": b.add_format({"num_format": "0", "valign": "top", "align": "center", **border}),
            "place": b.add_format({"num_format": "0", "bold": True, "valign": "top", "align": "center", "bg_color": "#F2F2F2", **border}),
            "share": b.add_format({"num_format": "0%", "valign": "top", "align": "center", **border}),
            "blank": b.add_format({"valign": "top", "align": "center", **border}),
            "note": b.add_format({"italic": True, "font_color": "#444444", "text_wrap": True, "valign": "top"}),
            "warn": b.add_format({"bold": True, "font_color": "#9C5700", "bg_color": "#FFEB9C", "text_wrap": True, "valign": "top"}),
            "sign": b.add_format({"bottom": 1}),
            "sign_hint": b.add_format({"font_size": 8, "font_color": "#666666", "align": "center"}),
            "datetime": b.add_format({"num_format": "dd.mm.yyyy hh:mm", "valign": "top", **border}),
        }

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()

    @staticmethod
    def print_setup(ws, landscape: bool = True, header_row: int | None = None) -> None:
        """A4, one page wide, numbered pages; the table's header repeated on every printed page."""
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.6, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer("&LТОС: аналитическая панель&RСтраница &P из &N")
        if header_row is not None:
            ws.repeat_rows(header_row)

    def text(self, ws, row: int, col: int, value: object, fmt: str = "cell") -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            ws.write_blank(row, col, None, self.f[fmt])
        else:
            ws.write_string(row, col, str(value), self.f[fmt])

    def number(self, ws, row: int, col: int, value: object, fmt: str) -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            ws.write_blank(row, col, None, self.f["blank"])  # unknown stays blank, never 0
        else:
            ws.write_number(row, col, float(value), self.f[fmt])

    def merged_text(self, ws, row: int, first: int, last: int, value: str, fmt: str, height: float | None = None) -> None:
        if last > first:
            ws.merge_range(row, first, row, last, "", self.f[fmt])
        ws.write_string(row, first, value, self.f[fmt])
        if height:
            ws.set_row(row, height)


def _wrapped_lines(text: str, width: float) -> int:
    """How many lines a cell of `width` characters needs for `text`, wrapping at spaces as Excel does."""
    lines = 0
    for part in str(text).split("\n"):
        count, used = 1, 0
        for word in part.split():
            need = len(word) + (1 if used else 0)
            if used and used + need > width:
                count += 1 + (len(word) - 1) // max(1, int(width))
                used = len(word) % max(1, int(width)) or int(width)
            else:
                used += need
        lines += count
    return max(1, lines)


def _lines_height(text: str, width_chars: float) -> float:
    return 15 * _wrapped_lines(text, max(8, width_chars)) + 3


def _header_height(heads: list[str], widths: list[float]) -> float:
    return max(30, max(_lines_height(h, w - 1) for h, w in zip(heads, widths, strict=True)))


def _criterion_width(names: list[str]) -> float:
    """Wide enough for the longest word of any header, so no word breaks in the middle."""
    longest = max((len(w) for n in names for w in n.split()), default=10)
    return max(13, longest + 2)


def _signatures(book: _Book, ws, row: int, ws_info: Workspace, last_col: int) -> int:
    """Signature lines: the chair, the secretary, then every member (a line, then «подпись / И. О. Фамилия»)."""
    members = ws_info.members
    deputy = [m for m, r in members if r and DEPUTY_RE.search(r)]
    chair = [m for m, r in members if r and CHAIR_RE.search(r) and m not in deputy]
    secretary = [m for m, r in members if r and SECRETARY_RE.search(r) and m not in deputy + chair]
    others = [m for m, _ in members if m not in chair + deputy + secretary]
    groups = [
        ("Председатель комиссии", chair or [None]),
        ("Заместитель председателя комиссии", deputy),
        ("Секретарь комиссии", secretary),
        ("Члены комиссии", others),
    ]
    sign_col = 2 if last_col >= 4 else 1
    name_col = min(last_col, sign_col + 2)
    for title, names in groups:
        if not names:
            continue
        row += 1
        book.text(ws, row, 0, title + ":", "label")
        for name in names:
            row += 1
            ws.write_blank(row, sign_col, None, book.f["sign"])
            if name_col > sign_col + 1:
                ws.write_blank(row, sign_col + 1, None, book.f["sign"])
            book.text(ws, row, name_col, f"/ {name} /" if name else "/ ______________________ /", "text")
            row += 1
            ws.write_string(row, sign_col, "подпись", book.f["sign_hint"])
            row += 1
    return row


def _final_sheet(book: _Book, ws_info: Workspace, results: Results, on: dt.date) -> None:
    cs = results.criteria
    ws = book.book.add_worksheet(SHEET_FINAL)
    n_crit = len(cs.criteria)
    last_col = 2 + n_crit  # place | applicant | criteria… | total
    book.print_setup(ws, landscape=n_crit > 4)
    heads_crit = [c.name + (f" (× {fmt_points(c.weight)})" if c.weight != 1 else "") for c in cs.criteria]
    crit_width = _criterion_width(heads_crit)
    widths = [16, 38] + [crit_width] * n_crit + [11]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    if len(results.entrants) <= 20:
        ws.fit_to_pages(1, 1)  # a short sheet stays on one page: the signatures under the table they sign
    row = 0
    book.merged_text(ws, row, 0, last_col, "ИТОГОВАЯ ВЕДОМОСТЬ", "title", 24)
    row += 1
    book.merged_text(ws, row, 0, last_col, "оценки конкурсных заявок", "subtitle")
    row += 2
    info = [
        ("Конкурс", ws_info.name + (f", {ws_info.year} год" if ws_info.year else "")),
        ("Номинация", ws_info.nomination),
        ("Этап, регион", ", ".join(x for x in (f"{ws_info.level} этап" if ws_info.level else None, ws_info.region_name) if x) or None),
        ("Комиссия", ws_info.commission),
        ("Дата", fmt_date(on)),
        ("Набор критериев", f"{cs.name}; наибольший возможный итог — {fmt_points(cs.max_total)} {plural(int(cs.max_total), 'балл', 'балла', 'баллов') if float(cs.max_total).is_integer() else 'балла'}"),
    ]
    for label, value in info:
        if not value:
            continue
        book.text(ws, row, 0, label, "label")
        ws.merge_range(row, 1, row, last_col, "", book.f["text"])
        ws.write_string(row, 1, value, book.f["text"])
        ws.set_row(row, _lines_height(value, 110))
        row += 1
    row += 1
    book.text(ws, row, 0, "Критерии оценки", "section")
    row += 1
    for col, head in enumerate(["№", "Критерий", "Баллы", "Вес", "Как оценивается"]):
        if col == 4:
            ws.merge_range(row, 4, row, max(4, last_col), "", book.f["header"])
        book.text(ws, row, col, head, "header")
    row += 1
    for i, c in enumerate(cs.criteria, start=1):
        how = KIND_NAMES[c.kind] + (f": {bands_text(c.bands, c.figure in ('coverage', 'cofinancing_share', 'practice_nonbudget_share'))}" if c.is_figure else "")
        book.number(ws, row, 0, i, "int")
        book.text(ws, row, 1, c.name)
        book.text(ws, row, 2, c.range_text(), "cell_center")
        book.number(ws, row, 3, c.weight, "general")
        if last_col > 4:
            ws.merge_range(row, 4, row, last_col, "", book.f["cell"])
        book.text(ws, row, 4, how)
        ws.set_row(row, max(_lines_height(c.name, 36), _lines_height(how, 14 * max(1, last_col - 3))))
        row += 1
    row += 1
    book.text(ws, row, 0, "Результаты", "section")
    row += 1
    table = results.table
    categories = list(dict.fromkeys(table["category"].tolist())) if len(table) else []
    repeated = False
    for cat in categories:
        part = table[table["category"].fillna("") == (cat or "")]
        if len(categories) > 1 or cat:
            book.merged_text(ws, row, 0, last_col, category_label(cat), "label")
            row += 1
        heads = ["Место", "Заявитель", *heads_crit, "Итого"]
        for col, head in enumerate(heads):
            book.text(ws, row, col, head, "header")
        ws.set_row(row, _header_height(heads, widths))
        if not repeated and len(results.entrants) > 20:
            ws.repeat_rows(row)  # a long table: its header on every printed page
            repeated = True
        row += 1
        for r in part.to_dict("records"):
            book.number(ws, row, 0, r["place"], "place")
            book.text(ws, row, 1, r["name"])
            for j, c in enumerate(cs.criteria):
                book.number(ws, row, 2 + j, r[c.key], "points")
            book.number(ws, row, 2 + n_crit, r["total"], "points_bold")
            row += 1
        row += 1
    notes = [
        "Средний балл по критерию — среднее арифметическое оценок членов комиссии, выставивших оценку, "
        "округлённое до сотых по правилам арифметики (7,125 → 7,13). Невыставленная оценка не считается нулём: "
        "среднее берётся по тем, кто оценил.",
        ("Итог — сумма средних баллов по критериям, умноженных на вес, округлённая до сотых." if cs.weighted else "Итог — сумма средних баллов по критериям."),
        "Места присваиваются внутри категории; " + cs.tie_rule.describe(cs.criteria) + ".",
    ]
    if cs.figure:
        notes.append(f"Критерии «по цифрам» считаются по данным панели ({ws_info.period_from or '…'}–{ws_info.period_to or '…'} гг.); значения и источники — на листе «{SHEET_FIGURES}».")
    for r in table.itertuples():
        if r.tie_note:
            notes.append(f"{r.name}: {r.tie_note}.")
    for note in results.notes + missing_summary(results):
        notes.append(note)
    for note in notes:
        fmt = "warn" if ("место не присвоено" in note or "нет оценок" in note) else "note"
        book.merged_text(ws, row, 0, last_col, note, fmt, _lines_height(note, 16 * (last_col + 1)))
        row += 1
    row += 1
    _signatures(book, ws, row, ws_info, last_col)
    ws.activate()


def _members_sheet(book: _Book, ws_info: Workspace, results: Results, on: dt.date) -> None:
    cs = results.criteria
    manual = cs.manual
    ws = book.book.add_worksheet(SHEET_MEMBERS)
    last_col = 1 + len(manual) + 1
    book.print_setup(ws, landscape=len(manual) > 4)
    member_heads = ["Заявитель"] + [f"{c.name} ({c.range_text()})" for c in manual] + ["Сумма"]
    widths = [38] + [_criterion_width(member_heads[1:-1])] * len(manual) + [11]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    row = 0
    book.merged_text(ws, row, 0, last_col, "Оценки членов комиссии", "title", 22)
    row += 1
    book.merged_text(ws, row, 0, last_col, f"{ws_info.name}" + (f", {ws_info.year} год" if ws_info.year else "") + f"; {fmt_date(on)}", "subtitle")
    row += 2
    if not manual:
        book.text(ws, row, 0, "В наборе нет критериев, которые оценивают члены комиссии.", "note")
        return
    ms = results.member_scores
    for member, role in ws_info.members:
        book.merged_text(ws, row, 0, last_col, f"Член комиссии: {member}" + (f" ({role})" if role else ""), "section")
        row += 1
        for col, head in enumerate(member_heads):
            book.text(ws, row, col, head, "header")
        ws.set_row(row, _header_height(member_heads, widths))
        row += 1
        mine = ms[ms["member"] == member]
        for r in mine.to_dict("records"):
            book.text(ws, row, 0, r["name"])
            for j, c in enumerate(manual):
                book.number(ws, row, 1 + j, r[c.key], "general")  # as the member gave it: 8, 7.5
            book.number(ws, row, 1 + len(manual), r["total"] if r["complete"] else None, "points_bold")
            row += 1
        incomplete = mine[~mine["complete"]]
        if len(incomplete):
            book.merged_text(ws, row, 0, last_col, "Пустая клетка — оценка не выставлена (не ноль); сумма показана только там, где оценены все критерии.", "note", 30)
            row += 1
        row += 1
        ws.write_string(row, 0, "Подпись члена комиссии:", book.f["text"])
        ws.write_blank(row, 1, None, book.f["sign"])
        if last_col >= 3:
            ws.write_blank(row, 2, None, book.f["sign"])
        ws.merge_range(row, min(last_col, 3), row, last_col, "", book.f["text"])
        book.text(ws, row, min(last_col, 3), f"/ {member} /", "text")
        row += 3


def _spread_sheet(book: _Book, results: Results) -> None:
    ws = book.book.add_worksheet(SHEET_SPREAD)
    book.print_setup(ws, landscape=True)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 6, 12)
    book.merged_text(ws, 0, 0, 6, "Где оценки членов комиссии расходятся больше всего", "title", 22)
    book.merged_text(ws, 1, 0, 6, "Разброс — разница между наибольшей и наименьшей оценкой; доля шкалы — разброс ÷ (максимум − минимум баллов критерия).", "note", 30)
    heads = ["Заявитель", "Критерий", "Оценок", "Наименьшая", "Наибольшая", "Разброс", "Доля шкалы"]
    for col, head in enumerate(heads):
        book.text(ws, 3, col, head, "header")
    ws.repeat_rows(3)
    row = 4
    d = results.disagreements
    if d.empty:
        book.merged_text(ws, row, 0, 6, "Расхождений нет: все члены комиссии, оценившие заявителя по критерию, поставили одинаковые баллы (или оценил один).", "note", 30)
        return
    for r in d.itertuples():
        book.text(ws, row, 0, r.name)
        book.text(ws, row, 1, r.criterion_name)
        book.number(ws, row, 2, r.n, "int")
        book.number(ws, row, 3, r.min, "points")
        book.number(ws, row, 4, r.max, "points")
        book.number(ws, row, 5, r.spread, "points")
        book.number(ws, row, 6, r.relative, "share")
        row += 1


def _figures_sheet(book: _Book, ws_info: Workspace, results: Results) -> None:
    cs = results.criteria
    if not cs.figure:
        return
    ws = book.book.add_worksheet(SHEET_FIGURES)
    book.print_setup(ws, landscape=True)
    widths = [34, 30, 18, 9, 70, 30]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    book.merged_text(ws, 0, 0, 5, "Баллы по цифрам и их источники", "title", 22)
    book.merged_text(
        ws, 1, 0, 5,
        f"Цифры — за {ws_info.period_from or '…'}–{ws_info.period_to or '…'} гг. (ТОС и жители — на конец периода). "
        "При расхождении источников берётся реестр, затем протокол, затем паспорт практики.",
        "note", 30,
    )  # fmt: skip
    heads = ["Заявитель", "Критерий", "Значение", "Баллы", "Источник", "Примечание"]
    for col, head in enumerate(heads):
        book.text(ws, 3, col, head, "header")
    ws.repeat_rows(3)
    row = 4
    for e in results.entrants:
        for c in cs.figure:
            fs = results.figures.get((e.municipality_id, c.key))
            book.text(ws, row, 0, e.name)
            book.text(ws, row, 1, c.name)
            book.text(ws, row, 2, fs.value_text if fs else None)
            book.number(ws, row, 3, fs.points if fs else None, "points")
            book.text(ws, row, 4, fs.source if fs else None)
            book.text(ws, row, 5, fs.note if fs else "нет данных")
            ws.set_row(row, _lines_height(fs.source if fs else "", 70))
            row += 1


def _compare_sheet(book: _Book, cmp: Comparison, title: str) -> None:
    ws = book.book.add_worksheet(SHEET_COMPARE)
    frame = side_by_side(cmp, sources=True)
    n = len(cmp.applicants)
    last_col = 1 + 2 * n
    book.print_setup(ws, landscape=True)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 34)
    for i in range(n):
        ws.set_column(2 + 2 * i, 2 + 2 * i, 18)
        ws.set_column(3 + 2 * i, 3 + 2 * i, 40)
    book.merged_text(ws, 0, 0, last_col, title, "title", 22)
    book.merged_text(ws, 1, 0, last_col, describe_period(cmp) + ". «—» — источник об этом молчит (это не ноль). ⚠ — источники расходятся (см. ниже).", "note", 30)
    heads = ["Раздел", "Показатель"]
    for a in cmp.applicants:
        heads += [a.name, "Источник"]
    for col, head in enumerate(heads):
        book.text(ws, 3, col, head, "header")
    ws.set_row(3, 32)
    ws.repeat_rows(3)
    ws.freeze_panes(4, 2)
    row = 4
    for rec in frame.to_dict("records"):
        book.text(ws, row, 0, rec["Раздел"])
        book.text(ws, row, 1, rec["Показатель"])
        height = 15.0
        for i, a in enumerate(cmp.applicants):
            value = rec.get(a.name, "—")
            source = rec.get(f"{a.name}: источник", "")
            book.text(ws, row, 2 + 2 * i, value, "cell_center")
            book.text(ws, row, 3 + 2 * i, source)
            height = max(height, _lines_height(source, 40), _lines_height(rec["Показатель"], 34))
        ws.set_row(row, min(height, 120))
        row += 1
    lines = conflicts_text(cmp)
    row += 1
    book.text(ws, row, 0, "Расхождения источников", "section")
    row += 1
    if not lines:
        book.merged_text(ws, row, 0, last_col, "Расхождений между реестром, протоколами и паспортами не найдено.", "note")
        row += 1
    for line in lines:
        book.merged_text(ws, row, 0, last_col, line, "warn", _lines_height(line, 20 * (last_col + 1)))
        row += 1
    for note in cmp.notes:
        book.merged_text(ws, row, 0, last_col, note, "note", _lines_height(note, 20 * (last_col + 1)))
        row += 1
    # Every value any source gives (not only the shown one), for checking.
    row += 1
    book.text(ws, row, 0, "Все значения из всех источников", "section")
    row += 1
    table = sources_table(cmp)
    heads = ["Показатель", "Заявитель", "Значение", "Источник", "Когда", "Документ", "Место в документе", "Сверка"]
    for col, head in enumerate(heads):
        book.text(ws, row, col, head, "header")
    row += 1
    for r in table.itertuples():
        for col, v in enumerate((r.label, r.applicant, r.display, r.source_name, r.when, r.document, r.place, r.status)):
            book.text(ws, row, col, v)
        row += 1


def _log_sheet(book: _Book, ws_info: Workspace) -> None:
    ws = book.book.add_worksheet(SHEET_LOG)
    book.print_setup(ws, landscape=True)
    for i, w in enumerate([28, 36, 34, 9, 24, 17, 12]):
        ws.set_column(i, i, w)
    book.merged_text(ws, 0, 0, 6, "Кто и когда внёс действующие оценки", "title", 22)
    heads = ["Член комиссии", "Заявитель", "Критерий", "Балл", "Внёс", moment_column("Когда"), "Как"]
    for col, head in enumerate(heads):
        book.text(ws, 2, col, head, "header")
    ws.repeat_rows(2)
    names = {c.key: c.name for c in ws_info.criteria.criteria}
    row = 3
    s = ws_info.scores
    if s is None or s.empty:
        return
    s = s.sort_values(["member", "municipality_id", "criterion"])
    # Excel has no time zones: the moment is written as the local time the column header names.
    local = local_moments(s["entered_at"]).dt.tz_localize(None)
    for r, at in zip(s.itertuples(), local, strict=True):
        book.text(ws, row, 0, r.member)
        book.text(ws, row, 1, ws_info.entrant_name(r.municipality_id))
        book.text(ws, row, 2, names.get(r.criterion, r.criterion))
        book.number(ws, row, 3, r.points, "points")
        book.text(ws, row, 4, r.entered_by)
        if pd.isna(at):
            ws.write_blank(row, 5, None, book.f["blank"])
        else:
            ws.write_datetime(row, 5, at.to_pydatetime(), book.f["datetime"])
        book.text(ws, row, 6, {"form": "на странице", "upload": "из файла"}.get(r.source, r.source))
        row += 1


def commission_workbook(ws_info: Workspace, results: Results, cmp: Comparison | None, on: dt.date | None = None) -> bytes:
    """«Итоговая ведомость» and its companion sheets as .xlsx bytes (staff only: it names the members)."""
    on = on or dt.date.today()
    book = _Book(f"Итоговая ведомость: {ws_info.name}")
    _final_sheet(book, ws_info, results, on)
    _members_sheet(book, ws_info, results, on)
    _spread_sheet(book, results)
    _figures_sheet(book, ws_info, results)
    if cmp is not None and cmp.applicants:
        _compare_sheet(book, cmp, "Заявители рядом: цифры из всех источников")
    _log_sheet(book, ws_info)
    return book.close()


def comparison_workbook(cmp: Comparison, title: str = "Заявители рядом: цифры из всех источников") -> bytes:
    """The side-by-side table alone (public: no personal data in it)."""
    book = _Book(title)
    _compare_sheet(book, cmp, title)
    return book.close()


def score_form_workbook(ws_info: Workspace, member_scores: pd.DataFrame | None = None) -> bytes:
    """A blank (or pre-filled) score form: one sheet per member, applicants × the criteria members score.

    The page reads it back (loaders.scores): «Член комиссии: …» above the table, «Заявитель» and one
    column per criterion in the header. Cells accept only numbers within the criterion's points.
    """
    manual = ws_info.criteria.manual
    book = _Book(f"Оценочные листы: {ws_info.name}")
    used: set[str] = set()
    for member, _role in ws_info.members or [("Член комиссии", None)]:
        name = re.sub(r"[\[\]:*?/\\]", " ", member).strip()[:31] or "Лист"
        base, n = name, 2
        while name.lower() in used:
            suffix = f" {n}"
            name = base[: 31 - len(suffix)] + suffix
            n += 1
        used.add(name.lower())
        ws = book.book.add_worksheet(name)
        last_col = 2 + len(manual)
        book.print_setup(ws, landscape=len(manual) > 4, header_row=4)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 40)
        ws.set_column(2, last_col, 14)
        book.merged_text(ws, 0, 0, last_col, "Оценочный лист члена комиссии", "title", 22)
        book.merged_text(ws, 1, 0, last_col, ws_info.name + (f", {ws_info.year} год" if ws_info.year else ""), "subtitle")
        ws.write_string(2, 0, f"Член комиссии: {member}", book.f["label"])
        book.merged_text(ws, 3, 0, last_col, "Впишите баллы в пределах, указанных в заголовке; пустая клетка — оценка не выставлена.", "note")
        heads = ["№", "Заявитель"] + [f"{c.name} ({c.range_text()})" for c in manual]
        for col, head in enumerate(heads):
            book.text(ws, 4, col, head, "header")
        ws.set_row(4, max(30, max(_lines_height(h, 14) for h in heads)))
        entry = book.book.add_format({"num_format": "0.##", "align": "center", "bg_color": "#FFFDE7", "border": 1, "border_color": "#808080"})
        for i, e in enumerate(ws_info.entrants, start=1):
            row = 4 + i
            book.number(ws, row, 0, i, "int")
            book.text(ws, row, 1, e.name)
            for j, c in enumerate(manual):
                value = None
                if member_scores is not None and len(member_scores):
                    hit = member_scores[(member_scores["member"] == member) & (member_scores["municipality_id"] == e.municipality_id) & (member_scores["criterion"] == c.key)]
                    value = float(hit["points"].iloc[0]) if len(hit) else None
                if value is None:
                    ws.write_blank(row, 2 + j, None, entry)
                else:
                    ws.write_number(row, 2 + j, value, entry)
                ws.data_validation(
                    row, 2 + j, row, 2 + j,
                    {"validate": "decimal", "criteria": "between", "minimum": c.min_points, "maximum": c.max_points,
                     "error_title": "Балл вне пределов", "error_message": f"От {fmt_points(c.min_points)} до {fmt_points(c.max_points)}"},
                )  # fmt: skip
        ws.freeze_panes(5, 2)
    return book.close()


def file_name(ws_info: Workspace, what: str, on: dt.date | None = None) -> str:
    """«Итоговая_ведомость_Конкурс_проектов_ТОС_2025_2026-11-22.xlsx»."""
    on = on or dt.date.today()
    name = re.sub(r"[^0-9A-Za-zА-Яа-яЁё]+", "_", f"{ws_info.name}_{ws_info.year or ''}").strip("_")[:70]
    return f"{what}_{name}_{on.isoformat()}.xlsx"
