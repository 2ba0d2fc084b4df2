"""«Обзор»: the headline figures, TOS by year, and the table by municipality."""

import streamlit as st

import strings as S
from analytics import charts, metrics, trends
from analytics.dataset import filter_tos
from analytics.formatting import fmt_date, fmt_int, fmt_pct, fmt_rub
from ui import data, state, tables, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()

ds = data.dataset()
filters = state.current_filters()
widgets.page_header(S.PAGE_OVERVIEW, ds, filters)

if ds.tos.empty and ds.projects.empty:
    st.warning(S.EMPTY_NO_DATA)
    st.stop()

k = metrics.kpis(ds, filters)
notes = metrics.kpi_notes(k)
c1, c2, c3, c4 = st.columns(4)
widgets.kpi(c1, S.M_TOS_NOW, fmt_int(k.tos_now), note=f"на {fmt_date(k.reference_date)}" + (f"; {notes['tos']}" if "tos" in notes else ""))
widgets.kpi(
    c2,
    S.M_RESIDENTS,
    fmt_int(k.residents),
    note=(f"{S.M_COVERAGE.lower()} {fmt_pct(k.coverage)}" if k.coverage is not None else "охват: население неизвестно")
    + (f" · {notes['residents']}" if "residents" in notes else ""),
)
years = f"{k.year_from}–{k.year_to}" if k.year_from is not None else "все годы"
widgets.kpi(c3, S.M_PROJECTS_DONE, fmt_int(k.projects_completed), note=f"{years}; всего проектов {fmt_int(k.projects_total)}")
widgets.kpi(
    c4,
    S.M_COST_KPI,
    fmt_rub(k.cost_total),
    help_text=S.HELP_COST_KPI,
    note=f"{years}"
    + (f"; {S.M_COFINANCING.lower()} {fmt_pct(k.cofinancing_share)}" if k.cofinancing_share is not None else "")
    + (f"; {notes['cost']}" if "cost" in notes else ""),
)
if "coverage" in notes:
    st.caption(f"{S.M_COVERAGE}: {notes['coverage']}.")

by_year = trends.trend_table(ds, filters)
if len(by_year):
    title = f"{S.M_TOS_COUNT} на конец года, {by_year['year'].min()}–{by_year['year'].max()}"
    st.plotly_chart(charts.tos_count_by_year(by_year, title), config={"displaylogo": False})
    undated = metrics.undated_count(filter_tos(ds, filters))
    if undated:
        st.caption(f"В динамике не учтены {fmt_int(undated)} ТОС без даты регистрации.")

st.subheader("По муниципалитетам")
tables.municipality_table(metrics.municipality_table(ds, filters, only_with_tos=True))

active = filter_tos(ds, filters)
widgets.provenance(ds, active, columns=["name", "municipality_name", "settlement", "registered_on", "residents", "status"])
