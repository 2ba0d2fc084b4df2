"""The Excel template of the registry municipalities fill in, so data arrives in one shape.

Built with openpyxl (the library for templates and validation); the loader reads it back without
any special case — a test fills it in and parses it.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from loaders.canonical import PROJECT_CATEGORIES

ROWS = 500
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOS_COLUMNS = [
    ("Муниципальное образование", 38, "list:municipalities"),
    ("Наименование ТОС (согласно уставу)", 34, None),
    ("Населённый пункт", 22, None),
    ("Тип территории (городской/сельский)", 18, "list:area"),
    ("Дата регистрации устава", 16, "date"),
    ("Дата прекращения деятельности", 16, "date"),
    ("Численность жителей в границах ТОС", 18, "whole"),
    ("Количество членов ТОС", 14, "whole"),
    ("Юридическое лицо (да/нет)", 14, "list:yesno"),
    ("ОГРН", 17, "text"),
    ("Председатель (ФИО)", 26, None),
    ("Телефон", 16, "text"),
    ("E-mail", 22, None),
]
PROJECT_COLUMNS = [
    ("Муниципальное образование", 38, "list:municipalities"),
    ("Наименование ТОС", 28, None),
    ("Наименование проекта", 40, None),
    ("Направление", 32, "list:categories"),
    ("Год реализации", 10, "year"),
    ("Статус", 16, "list:status"),
    ("Общая стоимость, руб.", 16, "money"),
    ("Местный бюджет, руб.", 14, "money"),
    ("Областной бюджет, руб.", 14, "money"),
    ("Федеральный бюджет, руб.", 14, "money"),
    ("Гранты, руб.", 14, "money"),
    ("Спонсоры, руб.", 14, "money"),
    ("Средства жителей, руб.", 14, "money"),
]
POPULATION_COLUMNS = [
    ("Муниципальное образование", 38, "list:municipalities"),
    ("Численность населения, чел.", 18, "whole"),
    ("Год", 10, "year"),
]
LISTS = {
    "area": ["городской", "сельский"],
    "yesno": ["да", "нет"],
    "status": ["реализован", "в работе", "запланирован", "не реализован"],
    "categories": list(PROJECT_CATEGORIES),
}
INSTRUCTIONS = [
    "Как заполнять шаблон реестра ТОС",
    "",
    "1. Лист «Реестр ТОС»: одна строка — один ТОС. Наименование — как в уставе, без кавычек и слова «ТОС».",
    "2. Муниципальное образование выбирайте из списка (лист «Справочник»): так данные разных документов сойдутся.",
    "3. Даты — в формате ДД.ММ.ГГГГ. Если известен только год, укажите 1 января этого года и напишите об этом в сопроводительном письме.",
    "4. Численность жителей в границах ТОС и число членов ТОС — разные показатели, не путайте их. Неизвестное оставляйте пустым, не ставьте 0.",
    "5. Лист «Проекты ТОС»: одна строка — один проект. Суммы в рублях; источники должны давать в сумме общую стоимость.",
    "6. Лист «Население»: численность постоянного населения муниципального образования (для расчёта охвата).",
    "7. Не добавляйте строку «Итого» и не объединяйте ячейки в таблице — панель сама посчитает итоги.",
]


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, int, str | None]], lists_ref: dict[str, str]) -> None:
    ws = wb.create_sheet(title)
    for i, (name, width, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = "A2"
    for i, (_, _, rule) in enumerate(columns, start=1):
        if rule is None:
            continue
        col = get_column_letter(i)
        rng = f"{col}2:{col}{ROWS + 1}"
        if rule.startswith("list:"):
            dv = DataValidation(type="list", formula1=lists_ref[rule[5:]], allow_blank=True)
            dv.error = "Выберите значение из списка"
        elif rule == "date":
            dv = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)", allow_blank=True)
            dv.error = "Введите дату в формате ДД.ММ.ГГГГ (не раньше 1990 года)"
            for row in range(2, ROWS + 2):
                ws[f"{col}{row}"].number_format = "DD.MM.YYYY"
        elif rule == "year":
            dv = DataValidation(type="whole", operator="between", formula1="1990", formula2="2100", allow_blank=True)
            dv.error = "Введите год четырьмя цифрами"
        elif rule == "whole":
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            dv.error = "Введите целое неотрицательное число (неизвестное оставьте пустым)"
        elif rule == "money":
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            dv.error = "Введите сумму в рублях (неотрицательное число)"
            for row in range(2, ROWS + 2):
                ws[f"{col}{row}"].number_format = "#,##0.00"
        else:  # text: codes keep their leading zeros
            dv = None
            for row in range(2, ROWS + 2):
                ws[f"{col}{row}"].number_format = "@"
        if dv is not None:
            dv.errorTitle = "Неверное значение"
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(rng)


def build_registry_template(municipality_names: list[str]) -> bytes:
    """The template as .xlsx bytes; `municipality_names` fill the drop-down list."""
    wb = Workbook()
    info = wb.active
    info.title = "Как заполнять"
    for i, line in enumerate(INSTRUCTIONS, start=1):
        info.cell(row=i, column=1, value=line).font = Font(bold=(i == 1), size=14 if i == 1 else 11)
    info.column_dimensions["A"].width = 120
    ref = wb.create_sheet("Справочник")
    lists = {"municipalities": sorted(municipality_names), **LISTS}
    lists_ref = {}
    for j, (name, values) in enumerate(lists.items(), start=1):
        col = get_column_letter(j)
        ref.cell(row=1, column=j, value={"municipalities": "Муниципальные образования", "area": "Тип территории", "yesno": "Да/нет", "status": "Статус проекта", "categories": "Направления проектов"}[name]).font = Font(bold=True)
        for i, v in enumerate(values, start=2):
            ref.cell(row=i, column=j, value=v)
        ref.column_dimensions[col].width = 40 if name in ("municipalities", "categories") else 18
        lists_ref[name] = f"'Справочник'!${col}$2:${col}${len(values) + 1}"
    _sheet(wb, "Реестр ТОС", TOS_COLUMNS, lists_ref)
    _sheet(wb, "Проекты ТОС", PROJECT_COLUMNS, lists_ref)
    _sheet(wb, "Население", POPULATION_COLUMNS, lists_ref)
    wb.move_sheet("Справочник", offset=3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
