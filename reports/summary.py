"""The summary workbook: the current filters' figures as a person would lay them out in Excel.

XlsxWriter writes it (fast, native tables and charts); every figure comes from the same analytics
functions the pages use. Safety: text is always written as text, so a name like
`=HYPERLINK("http://x","y")` stays a string. Personal data goes only into the staff version.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

import strings as S
from analytics import metrics, trends
from analytics.dataset import (
    Dataset,
    Filters,
    demo_in_scope,
    describe_filters,
    describe_years,
    filter_projects,
    filter_tos,
)
from analytics.documents import QUALIFIER_WORDS
from analytics.formatting import fmt_date, fmt_int, fmt_pct, fmt_rub, local_moments
from loaders.canonical import FUNDING_COLUMNS

MAX_COL_WIDTH = 60
# A summary, not a dump: longer lists go to the CSV exports (reports/csv_export.py). At ~5 µs
# per cell, 200 000 projects alone would take half a minute and gigabytes of memory.
MAX_DETAIL_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    """One column of a sheet: source field, header, kind of value, and the total function."""

    field: str
    header: str
    kind: str = "text"  # text, int, rub, share, num, date, year, bool
    total: str | None = None  # "sum" for an Excel total, "coverage" for residents ÷ population


class SummaryWriter:
    """Writes the workbook; one method per sheet."""

    def __init__(self, ds: Dataset, filters: Filters, personal: bool = False, personal_tos: pd.DataFrame | None = None):
        self.ds = ds
        self.filters = filters
        self.personal = personal
        self.personal_tos = personal_tos
        self.buffer = io.BytesIO()
        self.notes: list[str] = []  # what the title sheet must say about shortened sheets
        self.demo = demo_in_scope(ds, filters)
        # Text stays text: nothing a document says can turn into a formula, a link or a number.
        self.book = xlsxwriter.Workbook(
            self.buffer,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        self.book.set_properties({"title": "Сводка по ТОС", "subject": describe_filters(ds, filters), "comments": "ТОС: аналитическая панель"})
        b = self.book
        self.fmt = {
            "title": b.add_format({"bold": True, "font_size": 16}),
            "subtitle": b.add_format({"font_size": 11, "font_color": "#555555"}),
            "label": b.add_format({"bold": True}),
            "header": b.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#DCE6F1", "border": 1}),
            "text": b.add_format({"text_wrap": False}),
            # Excel's own codes: a Russian Excel shows «,» as a space and «.» as a comma.
            "int": b.add_format({"num_format": "#,##0"}),
            "num": b.add_format({"num_format": "#,##0.00"}),
            "rub": b.add_format({"num_format": '#,##0 "₽"'}),
            "share": b.add_format({"num_format": "0.0%"}),
            "date": b.add_format({"num_format": "dd.mm.yyyy"}),
            "year": b.add_format({"num_format": "0"}),
            "note": b.add_format({"italic": True, "font_color": "#555555", "text_wrap": True}),
            # What a headline figure leaves out, on the line under it.
            "caveat": b.add_format({"italic": True, "font_color": "#555555", "text_wrap": True, "indent": 1, "valign": "top", "font_size": 9}),
            "demo": b.add_format({"bold": True, "font_color": "#9C5700", "bg_color": "#FFEB9C"}),
        }

    # -- helpers -------------------------------------------------------------------------
    def _cell_value(self, value, kind: str):
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
            return None
        if kind in ("int", "rub", "share", "num", "year"):
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        if kind == "date":
            try:
                return dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                return str(value)
        if kind == "bool":
            return "да" if bool(value) else "нет"
        return str(value)

    def table(
        self, ws, first_row: int, frame: pd.DataFrame, columns: list[Column], name: str, total_row: bool = True, freeze: bool = True
    ) -> tuple[int, int]:
        """An Excel table with formatted columns, autofilter and, for numeric columns, formula totals."""
        n = len(frame)
        last_row = first_row + max(n, 1) + (1 if total_row else 0)
        spec = []
        widths = []
        for c in columns:
            # Money is formatted «₽» in the cell, but a header read by pandas or saved as CSV keeps no format.
            header = f"{c.header}, ₽" if c.kind == "rub" and "₽" not in c.header else c.header
            col_spec = {"header": header, "format": self.fmt.get(c.kind, self.fmt["text"]), "header_format": self.fmt["header"]}
            if total_row:
                if c.total == "sum":
                    known = self._numbers(frame, c.field)
                    # The total is stored with its value too: readers that do not recalculate (pandas,
                    # viewers) see it, not 0. A column with nothing known has no total: unknown is not 0.
                    if known.notna().any():
                        col_spec["total_function"] = "sum"
                        col_spec["total_value"] = float(known.sum())
                elif c is columns[0]:
                    col_spec["total_string"] = "Итого"
            spec.append(col_spec)
            widths.append(len(header))
        ws.add_table(first_row, 0, last_row, len(columns) - 1, {"name": name, "columns": spec, "total_row": total_row, "style": "Table Style Light 9"})
        for i, row in enumerate(frame.itertuples(index=False)):
            r = first_row + 1 + i
            record = row._asdict()
            for j, c in enumerate(columns):
                value = self._cell_value(record.get(c.field), c.kind)
                fmt = self.fmt.get(c.kind, self.fmt["text"])
                if value is None:
                    ws.write_blank(r, j, None, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, j, value, fmt)
                    widths[j] = max(widths[j], min(MAX_COL_WIDTH, len(value)))
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, j, dt.datetime.combine(value, dt.time()), fmt)
                    widths[j] = max(widths[j], 11)
                else:
                    ws.write_number(r, j, value, fmt)
                    widths[j] = max(widths[j], len(f"{value:,.0f}") + 2)
        if total_row:
            # Ratios in the total row are ratios of the totals, as Excel formulas too.
            for j, c in enumerate(columns):
                if c.total and c.total.startswith("ratio:"):
                    num, den = c.total[6:].split("/")
                    jn = next(k for k, cc in enumerate(columns) if cc.field == num)
                    jd = next(k for k, cc in enumerate(columns) if cc.field == den)
                    top, bottom = first_row + 1, last_row - 1
                    formula = (
                        f"=IFERROR(SUMPRODUCT(({xl_col_to_name(jd)}{top + 1}:{xl_col_to_name(jd)}{bottom + 1}>0)*"
                        f"{xl_col_to_name(jn)}{top + 1}:{xl_col_to_name(jn)}{bottom + 1})/"
                        f"SUM({xl_col_to_name(jd)}{top + 1}:{xl_col_to_name(jd)}{bottom + 1}),\"\")"
                    )
                    numbers, bases = self._numbers(frame, num), self._numbers(frame, den)
                    base = bases[bases > 0].sum()
                    value = float(numbers[bases > 0].sum() / base) if base > 0 else ""
                    ws.write_formula(last_row, j, formula, self.fmt[c.kind], value)
        for j, w in enumerate(widths):
            ws.set_column(j, j, min(MAX_COL_WIDTH, max(8, w + 2)))
        ws.set_row(first_row, 36)
        if freeze:
            ws.freeze_panes(first_row + 1, 1)
            ws.repeat_rows(first_row)  # the header on every printed page
        return first_row, last_row

    @staticmethod
    def _numbers(frame: pd.DataFrame, field: str) -> pd.Series:
        return pd.to_numeric(frame[field], errors="coerce") if field in frame else pd.Series(dtype=float)

    @staticmethod
    def print_setup(ws) -> None:
        """Ready to print: A4 landscape, one page wide, numbered pages."""
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&LТОС: аналитическая панель&RСтраница &P из &N")

    def sheet_title(self, ws, title: str, note: str | None = None) -> int:
        self.print_setup(ws)
        ws.write_string(0, 0, title, self.fmt["title"])
        ws.write_string(1, 0, f"{describe_filters(self.ds, self.filters)}; данные по состоянию на {fmt_date(self.ds.as_of)}", self.fmt["subtitle"])
        row = 2
        if self.demo:  # each sheet may be printed or copied on its own
            ws.write_string(row, 0, "Демонстрационные данные: в этих цифрах есть условные ТОС и проекты", self.fmt["demo"])
            row += 1
        if note:
            ws.write_string(row, 0, note, self.fmt["note"])
            row += 1
        return row + 1

    # -- sheets --------------------------------------------------------------------------
    def title_sheet(self, ws) -> None:
        self.print_setup(ws)
        ws.set_portrait()
        ws.set_column(0, 0, 42)
        ws.set_column(1, 1, 28)
        ws.set_column(2, 2, 30)
        ws.write_string(0, 0, "Сводка по ТОС", self.fmt["title"])
        ws.write_string(1, 0, "территориальное общественное самоуправление", self.fmt["subtitle"])
        k = metrics.kpis(self.ds, self.filters)
        used = self.ds.documents[self.ds.documents["status"] != "rejected"] if len(self.ds.documents) else self.ds.documents
        rows = [
            ("Территория", describe_filters(self.ds, self.filters.with_(year_from=None, year_to=None))),
            ("Годы", describe_years(self.filters)),
            ("Данные по состоянию на", fmt_date(self.ds.as_of)),
            ("Дата выгрузки", fmt_date(self.ds.today)),
            ("Источников (документов)", fmt_int(len(used))),
            ("Версия", "служебная — содержит персональные данные" if self.personal else "публичная — без персональных данных"),
        ]
        r = 2
        for label, value in rows:
            ws.write_string(r, 0, label, self.fmt["label"])
            ws.write_string(r, 1, value)
            r += 1
        if self.demo:
            ws.write_string(r, 0, "Внимание: в сводке есть демонстрационные данные", self.fmt["demo"])
            r += 1
        r += 1
        ws.write_string(r, 0, "Главные показатели", self.fmt["label"])
        r += 1
        caveats = metrics.kpi_notes(k)
        figures = [
            (f"{S.M_TOS_NOW} на {fmt_date(k.reference_date)}", k.tos_now, "int", "tos"),
            (S.M_RESIDENTS, k.residents, "int", "residents"),
            (S.M_COVERAGE, k.coverage, "share", "coverage"),
            (S.M_PROJECTS_DONE, k.projects_completed, "int", "projects"),
            (f"{S.M_COST}, ₽", k.cost_total, "rub", "cost"),
            (S.M_COFINANCING, k.cofinancing_share, "share", "cofinancing"),
        ]
        for label, value, kind, key in figures:
            ws.write_string(r, 0, label)
            if value is None:
                ws.write_string(r, 1, "нет данных")
            else:
                ws.write_number(r, 1, float(value), self.fmt[kind])
            r += 1
            if key in caveats:  # under its figure, as on «Обзор»
                ws.merge_range(r, 0, r, 2, caveats[key], self.fmt["caveat"])
                ws.set_row(r, 15 * (1 + len(caveats[key]) // 110))
                r += 1
        r += 1
        notes = [
            *self.notes,
            "Охват — жители в границах ТОС ÷ население, только по муниципалитетам с известной численностью населения.",
            "Стоимость — по реализованным проектам (статус «реализован»). Пустая ячейка — значение неизвестно (не ноль).",
            "У каждой цифры есть источник: документы и места в них — на листах «Реестр ТОС», «Проекты» и «Источники».",
        ]
        for note in notes:
            ws.merge_range(r, 0, r, 3, note, self.fmt["note"])
            ws.set_row(r, 30)
            r += 1
        ws.activate()

    def regions_sheet(self) -> None:
        ws = self.book.add_worksheet("По регионам")
        start = self.sheet_title(ws, "Показатели по регионам")
        frame = metrics.region_table(self.ds, self.filters)
        columns = [
            Column("region_name", S.M_REGION),
            Column("municipalities", "Муниципалитетов", "int", "sum"),
            Column("tos_count", S.M_TOS_NOW, "int", "sum"),
            Column("residents", S.M_RESIDENTS, "int", "sum"),
            Column("population", "Население (где известно)", "int", "sum"),
            Column("coverage", S.M_COVERAGE, "share"),
            Column("tos_per_10k", S.M_TOS_PER_10K, "num"),
            Column("projects_completed", S.M_PROJECTS_DONE, "int", "sum"),
            Column("cost_total", S.M_COST, "rub", "sum"),
            Column("cofinancing_share", S.M_COFINANCING, "share"),
        ]
        self.table(ws, start, frame, columns, "Регионы")

    def municipalities_sheet(self) -> None:
        ws = self.book.add_worksheet("По муниципалитетам")
        start = self.sheet_title(ws, "Показатели по муниципалитетам", "Поселения учтены в своих районах. Пустая ячейка — значение неизвестно.")
        frame = metrics.municipality_table(self.ds, self.filters)
        if "population_document_id" in frame:
            frame = frame.assign(population_document=frame["population_document_id"].map(self._doc_names()))
        columns = [
            Column("name", S.M_MUNICIPALITY),
            Column("region_name", S.M_REGION),
            Column("type", S.M_TYPE),
            Column("tos_count", S.M_TOS_NOW, "int", "sum"),
            Column("residents", S.M_RESIDENTS, "int", "sum"),
            Column("population", S.M_POPULATION, "int", "sum"),
            Column("population_year", S.M_POPULATION_YEAR, "year"),
            Column("coverage", S.M_COVERAGE, "share", "ratio:residents/population"),
            Column("tos_per_10k", S.M_TOS_PER_10K, "num"),
            Column("projects_completed", S.M_PROJECTS_DONE, "int", "sum"),
            Column("cost_total", S.M_COST, "rub", "sum"),
            Column("cost_per_resident", S.M_COST_PER_RESIDENT, "rub"),
            Column("cofinancing_share", S.M_COFINANCING, "share"),
            Column("population_document", "Источник численности"),
            Column("population_source_ref", "Место в документе"),
        ]
        first, last = self.table(ws, start, frame, columns, "Муниципалитеты")
        # A native chart of the 15 municipalities with most TOS (the table is sorted by TOS count).
        n = min(15, len(frame))
        if n:
            chart = self.book.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": S.M_TOS_NOW,
                    "categories": ["По муниципалитетам", first + 1, 0, first + n, 0],
                    "values": ["По муниципалитетам", first + 1, 3, first + n, 3],
                    "fill": {"color": "#0072B2"},
                    "data_labels": {"value": True},
                }
            )
            chart.set_title({"name": f"{S.M_TOS_NOW}: {n} муниципалитетов с наибольшим числом ТОС"})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": 760, "height": 40 + 26 * n})
            ws.insert_chart(xl_rowcol_to_cell(last + 3, 0), chart)

    def years_sheet(self) -> None:
        ws = self.book.add_worksheet("По годам")
        start = self.sheet_title(ws, "Динамика по годам", "Число ТОС — на конец года; текущий год не завершён.")
        frame = trends.trend_table(self.ds, self.filters)
        columns = [
            Column("year", S.M_YEAR, "year"),
            Column("tos_count", "ТОС на конец года", "int"),
            Column("new", S.M_NEW, "int", "sum"),
            Column("dissolved", S.M_DISSOLVED, "int", "sum"),
            Column("residents", S.M_RESIDENTS, "int"),
            Column("coverage", S.M_COVERAGE, "share"),
            Column("projects_completed", "Реализовано проектов за год", "int", "sum"),
            Column("cost", "Стоимость реализованных проектов за год", "rub", "sum"),
        ]
        first, last = self.table(ws, start, frame, columns, "Годы")
        if len(frame):
            chart = self.book.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": "ТОС на конец года",
                    "categories": ["По годам", first + 1, 0, first + len(frame), 0],
                    "values": ["По годам", first + 1, 1, first + len(frame), 1],
                    "fill": {"color": "#0072B2"},
                }
            )
            line = self.book.add_chart({"type": "line"})
            line.add_series(
                {
                    "name": "Реализовано проектов за год",
                    "categories": ["По годам", first + 1, 0, first + len(frame), 0],
                    "values": ["По годам", first + 1, 6, first + len(frame), 6],
                    "y2_axis": True,
                    "line": {"color": "#E69F00", "width": 2.5},
                    "marker": {"type": "circle"},
                }
            )
            chart.combine(line)
            chart.set_title({"name": "ТОС на конец года и реализованные проекты"})
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": 760, "height": 360})
            ws.insert_chart(xl_rowcol_to_cell(last + 3, 0), chart)

    def projects_sheet(self) -> None:
        ws = self.book.add_worksheet("Проекты")
        all_projects = filter_projects(self.ds, self.filters)
        if len(all_projects) > MAX_DETAIL_ROWS:
            self._projects_summary(ws, all_projects)
            return
        start = self.sheet_title(ws, "Проекты ТОС", "Все проекты выбранных лет; стоимость в рублях; пустая ячейка — не указано в документе.")
        frame = all_projects.sort_values(["year", "municipality_name", "title"], ascending=[False, True, True])
        frame = frame.assign(document=frame["document_id"].map(self._doc_names()))
        columns = [
            Column("year", S.M_YEAR, "year"),
            Column("municipality_name", S.M_MUNICIPALITY),
            Column("tos_name", "ТОС"),
            Column("title", "Проект"),
            Column("category", "Направление"),
            Column("status", "Статус"),
            Column("cost_total", S.M_COST_SHORT, "rub", "sum"),
            *[Column(f, S.FUNDING_LABELS[f], "rub", "sum") for f in FUNDING_COLUMNS],
            Column("document", "Документ"),
            Column("source_ref", "Место в документе"),
        ]
        self.table(ws, start, frame, columns, "Проекты")

    def _projects_summary(self, ws, projects: pd.DataFrame) -> None:
        note = (
            f"Проектов {fmt_int(len(projects))} — больше, чем умещается в сводку ({fmt_int(MAX_DETAIL_ROWS)}): здесь итоги по "
            "муниципалитетам; полный список — «Выгрузка» → «Проекты (CSV)» или python -m reports csv --table projects."
        )
        start = self.sheet_title(ws, "Проекты ТОС: итоги по муниципалитетам", note)
        keys = ["region_id", "municipality_name"]
        grouped = projects.assign(done=(projects["status"] == "реализован").astype(int)).groupby(keys, dropna=False)
        frame = grouped[["cost_total", *FUNDING_COLUMNS]].sum(min_count=1)
        frame.insert(0, "projects", grouped.size())
        frame.insert(1, "completed", grouped["done"].sum())
        frame = frame.reset_index().sort_values("projects", ascending=False)
        frame["region_name"] = frame["region_id"].map(self.ds.regions.set_index("region_id")["name"])
        columns = [
            Column("municipality_name", S.M_MUNICIPALITY),
            Column("region_name", S.M_REGION),
            Column("projects", "Проектов", "int", "sum"),
            Column("completed", S.M_PROJECTS_DONE, "int", "sum"),
            Column("cost_total", S.M_COST_SHORT, "rub", "sum"),
            *[Column(f, S.FUNDING_LABELS[f], "rub", "sum") for f in FUNDING_COLUMNS],
        ]
        self.table(ws, start, frame, columns, "ПроектыИтоги")
        self.notes.append(note)

    def registry_sheet(self) -> None:
        ws = self.book.add_worksheet("Реестр ТОС")
        note = "Служебная версия: содержит персональные данные председателей." if self.personal else "Публичная версия: без персональных данных."
        tos = filter_tos(self.ds, self.filters)
        if len(tos) > MAX_DETAIL_ROWS:
            text = (
                f"ТОС в реестре {fmt_int(len(tos))} — больше, чем умещается в сводку ({fmt_int(MAX_DETAIL_ROWS)}). Итоги по "
                "муниципалитетам — на листе «По муниципалитетам»; полный реестр с документами и местами — "
                "«Выгрузка» → «Реестр ТОС (CSV)» или python -m reports csv --table tos."
            )
            self.sheet_title(ws, "Реестр ТОС", text)
            self.notes.append(text)
            return
        start = self.sheet_title(ws, "Реестр ТОС", note)
        if self.personal and self.personal_tos is not None:
            extra = self.personal_tos.set_index("row_id")[["chair", "phone", "email"]]
            tos = tos.join(extra, on="row_id")
        frame = tos.sort_values(["municipality_name", "name"]).assign(
            document=lambda d: d["document_id"].map(self._doc_names()),
            # «2019 г.» is stored as 01.01.2019: say that only the year is known.
            registered_precision_ru=lambda d: d["registered_precision"].map(S.DATE_PRECISION_NAMES),
            residents_qualifier_ru=lambda d: d["residents_qualifier"].map(QUALIFIER_WORDS),
        )
        columns = [
            Column("municipality_name", S.M_MUNICIPALITY),
            Column("name", "Наименование ТОС"),
            Column("settlement", "Населённый пункт"),
            Column("area_type", "Тип территории"),
            Column("registered_on", "Дата регистрации", "date"),
            Column("registered_precision_ru", "Точность даты"),
            Column("dissolved_on", "Дата ликвидации", "date"),
            Column("status", "Статус"),
            Column("legal_entity", "Юрлицо", "bool"),
            Column("members", "Членов", "int", "sum"),
            Column("residents", S.M_RESIDENTS, "int", "sum"),
            Column("residents_qualifier_ru", S.M_RESIDENTS_QUALIFIER),
        ]
        if self.personal:
            columns += [Column("chair", "Председатель"), Column("phone", "Телефон"), Column("email", "E-mail")]
        columns += [Column("document", "Документ"), Column("source_ref", "Место в документе")]
        self.table(ws, start, frame, columns, "Реестр")

    def sources_sheet(self) -> None:
        ws = self.book.add_worksheet("Источники")
        start = self.sheet_title(ws, "Документы-источники и замечания к ним")
        docs = self.ds.documents.copy()
        if docs.empty:
            ws.write_string(start, 0, "Документов нет.")
            return
        docs["kind_ru"] = docs["kind"].map(S.KIND_NAMES)
        docs["status_ru"] = docs["status"].map(S.STATUS_NAMES)
        docs["warnings_n"] = docs["warnings"].map(len)
        # The day in the department's time zone: a file loaded at 01:30 МСК is not «yesterday».
        docs["ingested"] = local_moments(docs["ingested_at"]).dt.date.astype(str)
        docs["demo"] = docs["is_demo"].map(lambda v: "демо" if v else "")
        columns = [
            Column("file_name", "Документ"),
            Column("kind_ru", "Вид"),
            Column("status_ru", "Состояние"),
            Column("as_of", "По состоянию на", "date"),
            Column("ingested", "Загружен", "date"),
            Column("rows", "Строк", "int", "sum"),
            Column("superseded", "Из них заменено новыми", "int", "sum"),
            Column("warnings_n", "Замечаний", "int", "sum"),
            Column("demo", "Демо"),
        ]
        _, last = self.table(ws, start, docs, columns, "Документы")
        rows = [
            {"file_name": d["file_name"], "where": w.get("where"), "message": w.get("message")}
            for _, d in docs.iterrows()
            for w in (d["warnings"] or [])
        ] + [{"file_name": d["file_name"], "where": "весь файл", "message": d["error"]} for _, d in docs[docs["status"] == "rejected"].iterrows()]
        if rows:
            ws.write_string(last + 2, 0, "Замечания", self.fmt["label"])
            self.table(ws, last + 3, pd.DataFrame(rows), [Column("file_name", "Документ"), Column("where", "Где"), Column("message", "Что")], "Замечания", total_row=False, freeze=False)
            ws.set_column(2, 2, 100)

    def _doc_names(self) -> dict[str, str]:
        docs = self.ds.documents
        demo = self.ds.demo_ids
        return {d: (f"{n} (демо)" if d in demo else n) for d, n in zip(docs["document_id"], docs["file_name"], strict=True)}

    def build(self) -> bytes:
        title = self.book.add_worksheet("Сводка")
        self.regions_sheet()
        self.municipalities_sheet()
        self.years_sheet()
        self.projects_sheet()
        self.registry_sheet()
        self.sources_sheet()
        self.title_sheet(title)  # last: it lists what the other sheets had to shorten
        self.book.close()
        return self.buffer.getvalue()


def build_summary_workbook(ds: Dataset, filters: Filters, personal: bool = False, personal_tos: pd.DataFrame | None = None) -> bytes:
    """The summary workbook as .xlsx bytes. `personal=True` only for signed-in staff."""
    return SummaryWriter(ds, filters, personal, personal_tos).build()


def summary_file_name(ds: Dataset, filters: Filters, personal: bool = False) -> str:
    """«Сводка_ТОС_Кемеровская_область_Кузбасс_2026-11-22.xlsx»: the territory and the date."""
    territory = describe_filters(ds, filters.with_(year_from=None, year_to=None))
    if territory == S.NO_FILTERS:
        territory = "все_регионы"
    territory = re.sub(r"[^0-9A-Za-zА-Яа-яЁё]+", "_", territory).strip("_")[:80]
    suffix = "_служебная" if personal else ""
    return f"Сводка_ТОС_{territory}_{ds.today.isoformat()}{suffix}.xlsx"


def summary_text(ds: Dataset, filters: Filters) -> str:
    """One line for logs and the CLI: what the workbook holds."""
    k = metrics.kpis(ds, filters)
    return f"{fmt_int(k.tos_now)} ТОС, {fmt_int(k.residents)} жителей ({fmt_pct(k.coverage)}), {fmt_int(k.projects_completed)} проектов на {fmt_rub(k.cost_total)}"
