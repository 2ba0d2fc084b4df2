"""The sidebar «Выгрузка» block: the summary workbook for the filters in force, built on request."""

from __future__ import annotations

import streamlit as st

from analytics.dataset import Dataset, Filters
from reports.summary import build_summary_workbook, summary_file_name
from store import queries
from ui import data
from ui.widgets import md

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
    if side.button("Подготовить сводку в Excel", key="export_build", help="Листы по регионам, муниципалитетам, годам, проекты, реестр ТОС и источники — по текущим фильтрам"):
        with st.spinner("Готовлю книгу Excel…"):
            st.session_state[K_READY] = (key, _workbook(*key), summary_file_name(ds, filters, personal))
    ready = st.session_state.get(K_READY)
    if ready and ready[0] == key:
        side.download_button(f"Скачать {md(ready[2])}", data=ready[1], file_name=ready[2], mime=XLSX_MIME, key="export_download", type="primary")
    elif ready:
        side.caption("Фильтры изменились — подготовьте сводку заново.")
    # Complete lists for national data, where the summary shows totals instead of every row.
    stamp = ds.today.isoformat()
    for table, label in (("tos", "Реестр ТОС (CSV)"), ("projects", "Проекты (CSV)")):
        personal_csv = personal and table == "tos"
        if side.button(f"Подготовить: {label}", key=f"export_{table}_build"):
            with st.spinner("Готовлю CSV…"):
                st.session_state[f"export_{table}_ready"] = (key, _csv(key[0], key[1], filters, table, personal_csv))
        ready_csv = st.session_state.get(f"export_{table}_ready")
        if ready_csv and ready_csv[0] == key:
            name = f"{'Реестр_ТОС' if table == 'tos' else 'Проекты_ТОС'}_{stamp}{'_служебная' if personal_csv else ''}.csv"
            side.download_button(f"Скачать {md(name)}", data=ready_csv[1], file_name=name, mime="text/csv", key=f"export_{table}_download")


@st.cache_data(max_entries=4, ttl=3600, show_spinner=False)
def _slides_payload(url: str, rev: int, filters: Filters, what: str, slide_key: str | None = None):
    from analytics.dataset import describe_filters
    from analytics.presentation import build_slides
    from reports import slides as export

    ds = data.dataset()
    slides = build_slides(ds, filters)
    title = f"ТОС: {describe_filters(ds, filters)}"
    if what == "pptx":
        return export.deck(slides, title, f"Данные на {ds.as_of or '—'}" + (" (демонстрационные)" if ds.demo_ids else ""))
    if what == "html":
        return export.html(slides, title).encode("utf-8")
    return export.png(next(s for s in slides if s.key == slide_key))


def slides_file(filters: Filters, what: str, slide_key: str | None = None) -> bytes:
    return _slides_payload(data.db_url(), data.revision(), filters, what, slide_key)
