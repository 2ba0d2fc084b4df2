"""Full lists as CSV that Excel opens directly: UTF-8 with BOM, semicolons, decimal commas.

For national data the summary workbook would need millions of cells; the complete registry and
project list travel as CSV instead (200 000 rows in about a second). Any cell that starts like a
formula (=, +, -, @, tab, CR) is prefixed with an apostrophe, as OWASP advises for CSV: Excel
then shows it as text and never runs it.
"""

from __future__ import annotations

import csv
import io
import math

import pandas as pd

import strings as S
from analytics.dataset import Dataset, Filters, filter_projects, filter_tos
from analytics.documents import QUALIFIER_WORDS
from loaders.canonical import FUNDING_COLUMNS, PERSONAL_COLUMNS

TOS_COLUMNS = [
    ("municipality_name", S.M_MUNICIPALITY), ("name", "Наименование ТОС"), ("settlement", "Населённый пункт"),
    ("area_type", "Тип территории"), ("registered_on", "Дата регистрации"), ("registered_precision_ru", "Точность даты"),
    ("dissolved_on", "Дата ликвидации"), ("status", "Статус"), ("legal_entity", "Юрлицо"), ("ogrn", "ОГРН"),
    ("members", "Членов"), ("residents", S.M_RESIDENTS), ("residents_qualifier_ru", S.M_RESIDENTS_QUALIFIER), ("chair", "Председатель"), ("phone", "Телефон"),
    ("email", "E-mail"), ("document", "Документ"), ("source_ref", "Место в документе"),
]  # fmt: skip
PROJECT_COLUMNS = [
    ("year", S.M_YEAR), ("municipality_name", S.M_MUNICIPALITY), ("tos_name", "ТОС"), ("title", "Проект"),
    ("category", "Направление"), ("status", "Статус"), ("cost_total", S.M_COST_SHORT),
    *[(f, f"{S.FUNDING_LABELS[f]}, ₽") for f in FUNDING_COLUMNS], ("document", "Документ"), ("source_ref", "Место в документе"),
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return (f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))).replace(".", ",")
    if isinstance(value, bool):
        return "да" if value else "нет"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(frame: pd.DataFrame, columns: list[tuple[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for _, header in columns])
    data = [frame[c].tolist() if c in frame else [None] * len(frame) for c, _ in columns]
    for row in zip(*data, strict=True):
        writer.writerow([_cell(v) for v in row])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def _with_documents(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    demo = ds.demo_ids
    names = {d: (f"{n} (демо)" if d in demo else n) for d, n in zip(ds.documents["document_id"], ds.documents["file_name"], strict=True)}
    return frame.assign(document=frame["document_id"].map(names))


def tos_csv(ds: Dataset, filters: Filters, personal: bool = False, personal_tos: pd.DataFrame | None = None) -> bytes:
    """The registry of the filters in force; personal columns only in the staff version."""
    tos = filter_tos(ds, filters)
    columns = [c for c in TOS_COLUMNS if personal or c[0] not in PERSONAL_COLUMNS]
    if personal and personal_tos is not None:
        tos = tos.join(personal_tos.set_index("row_id")[["chair", "phone", "email"]], on="row_id")
    tos = tos.assign(
        registered_precision_ru=tos["registered_precision"].map(S.DATE_PRECISION_NAMES),
        residents_qualifier_ru=tos["residents_qualifier"].map(QUALIFIER_WORDS),
    )
    return _csv(_with_documents(ds, tos.sort_values(["municipality_name", "name"])), columns)


def projects_csv(ds: Dataset, filters: Filters) -> bytes:
    projects = filter_projects(ds, filters).sort_values(["year", "municipality_name", "title"], ascending=[False, True, True])
    return _csv(_with_documents(ds, projects), PROJECT_COLUMNS)
