"""«Проекты и финансирование»: what TOS projects do, what they cost, and who pays."""

import streamlit as st

import strings as S
from analytics import projects
from analytics.dataset import filter_projects
from analytics.formatting import fmt_int, fmt_pct, fmt_rub
from analytics.metrics import kpis
from ui import data, state, tables, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()

ds = data.dataset()
filters = state.current_filters()
widgets.page_header(S.PAGE_PROJECTS, ds, filters)
if ds.projects.empty:
    st.warning("Проектов пока нет. Загрузите лист «Проекты ТОС» (с источниками финансирования) на странице «Данные».")
    st.stop()

k = kpis(ds, filters)
if not k.projects_completed:
    st.warning(S.EMPTY_FILTERED)
    st.stop()
c1, c2, c3, c4 = st.columns(4)
c1.metric(S.M_PROJECTS_DONE, fmt_int(k.projects_completed), help="Проекты со статусом «реализован» за выбранные годы")
c2.metric(S.M_COST_KPI, fmt_rub(k.cost_total), help=S.HELP_COST_KPI)
c3.metric(S.M_COST_AVERAGE, fmt_rub(k.cost_average), help="Реализованных проектов с указанной стоимостью")
c4.metric(S.M_COFINANCING, fmt_pct(k.cofinancing_share), help="Гранты, спонсоры и средства жителей ÷ все источники")
notes = []
if k.cost_unknown:
    notes.append(f"У {fmt_int(k.cost_unknown)} реализованных проектов стоимость не указана — в суммах они не учтены.")
missing = projects.without_breakdown(ds, filters)
if missing:
    notes.append(f"У {fmt_int(missing)} проектов нет разбивки по источникам — они не входят в диаграммы источников.")
for note in notes:
    st.caption(note)

value = st.radio("Показывать по направлениям", ["projects", "cost"], format_func={"projects": "число проектов", "cost": "стоимость"}.get, horizontal=True, key="proj_value")
figures = projects.project_figures(ds, filters, value)
st.plotly_chart(figures["categories"], config={"displaylogo": False}, key="proj_categories")

left, right = st.columns([3, 2])
with left:
    if figures["funding"] is None:
        st.info("Нет проектов с разбивкой по источникам финансирования.")
    else:
        st.plotly_chart(figures["funding"], config={"displaylogo": False}, key="proj_funding")
with right:
    totals = projects.funding_totals(ds, filters)
    st.markdown("**Кто платит**")
    st.dataframe(
        totals.assign(share=(totals["share"] * 100).round(1), amount=totals["amount"].round(0)),
        column_order=["label", "amount", "share"],
        column_config={
            "label": st.column_config.TextColumn("Источник"),
            "amount": st.column_config.NumberColumn("Сумма, ₽", format="localized"),
            "share": st.column_config.NumberColumn("Доля, %", format="localized"),
        },
        hide_index=True,
        placeholder=S.UNKNOWN,
    )

if figures["treemap"] is not None:
    st.plotly_chart(figures["treemap"], config={"displaylogo": False}, key="proj_treemap")

st.plotly_chart(figures["average"], config={"displaylogo": False}, key="proj_average")
st.markdown("**Крупнейшие реализованные проекты**")
tables.projects_table(ds, projects.largest(ds, filters), height=420)

widgets.provenance(ds, filter_projects(ds, filters), columns=["year", "title", "municipality_name", "tos_name", "category", "status", "cost_total"])
