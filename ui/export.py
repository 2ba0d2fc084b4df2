"""The sidebar «Выгрузка» block: the summary workbook for the filters in force, built on request."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.dataset import Dataset, Filters
from reports.summary import build_summary_workbook, summary_file_name
from store import queries
from ui import data
from ui.widgets import download_on_request

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
K_READY = "export_ready"


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _workbook(url: str, rev: int, filters: Filters, personal: bool) -> bytes:
    ds = data.dataset()
    personal_tos = queries.read_table(data.engine(), "tos", personal=True) if personal else None
    return build_summary_workbook(ds, filters, personal=personal, personal_tos=personal_tos)


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _csv(url: str, rev: int, filters: Filters, table: str, personal: bool) -> bytes:
    from reports.csv_export import projects_csv, tos_csv

    ds = data.dataset()
    if table == "tos":
        personal_tos = queries.read_table(data.engine(), "tos", personal=True) if personal else None
        return tos_csv(ds, filters, personal=personal, personal_tos=personal_tos)
    return projects_csv(ds, filters)


def render_export(ds: Dataset, filters: Filters, staff: bool = False) -> None:
    # Collapsed by default: the filters are what a reader needs first.
    side = st.sidebar.expander("Выгрузка в Excel и CSV", expanded=bool(st.session_state.get(K_READY)), icon=":material/download:")
    personal = False
    if staff:
        personal = side.checkbox("Служебная версия (с персональными данными)", key="export_personal")
    key = (data.db_url(), data.revision(), filters, personal)
    download_on_request(
        side, "export", key, "Подготовить сводку в Excel",
        lambda: (_workbook(*key), summary_file_name(ds, filters, personal)),
        XLSX_MIME, "Готовлю книгу Excel…",
        help="Листы по регионам, муниципалитетам, годам, проекты, реестр ТОС и источники — по текущим фильтрам",
        stale_note="Фильтры изменились — подготовьте сводку заново.", primary=True,
    )  # fmt: skip
    # Complete lists for national data, where the summary shows totals instead of every row.
    stamp = ds.today.isoformat()
    for table, label in (("tos", "Реестр ТОС (CSV)"), ("projects", "Проекты (CSV)")):
        personal_csv = personal and table == "tos"
        name = f"{'Реестр_ТОС' if table == 'tos' else 'Проекты_ТОС'}_{stamp}{'_служебная' if personal_csv else ''}.csv"
        download_on_request(
            side, f"export_{table}", key, f"Подготовить: {label}",
            lambda table=table, personal_csv=personal_csv, name=name: (_csv(key[0], key[1], filters, table, personal_csv), name),
            "text/csv", "Готовлю CSV…",
        )  # fmt: skip


def _slides_payload(url: str, rev: int, filters: Filters, what: str, slide_key: str | None = None):
    from analytics.dataset import describe_filters
    from reports import slides as export

    ds = data.dataset()
    slides = presentation_slides(filters)
    title = f"ТОС: {describe_filters(ds, filters)}"
    if what == "pptx":
        return export.deck(slides, title, f"Данные на {ds.as_of or '—'}" + (" (демонстрационные)" if ds.demo_ids else ""))
    if what == "html":
        return export.html(slides, title).encode("utf-8")
    return export.png(next(s for s in slides if s.key == slide_key))


def slides_file(filters: Filters, what: str, slide_key: str | None = None) -> bytes:
    return _slides_payload(data.db_url(), data.revision(), filters, what, slide_key)


@st.cache_resource(max_entries=8, ttl=3600, show_spinner="Рисую карту…")
def _map_slide(url: str, rev: int, today: dt.date, filters: Filters):
    from analytics.presentation import map_slide
    from ui import mapdata

    return map_slide(data.dataset(), mapdata.geography(), filters)


def presentation_slides(filters: Filters) -> list:
    """The congress slides for the filters, the map last (when boundaries are known)."""
    from analytics.presentation import build_slides
    from ui import mapdata

    mapdata.ensure_bundled_boundaries()
    slides = list(build_slides(data.dataset(), filters))
    last = _map_slide(data.db_url(), data.revision(), dt.date.today(), filters)
    return slides + ([last] if last is not None else [])
