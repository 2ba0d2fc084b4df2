"""«Муниципалитеты»: every municipality side by side, a bar chart, and a municipality card."""

import streamlit as st

import strings as S
from analytics import charts, metrics
from analytics.formatting import fmt_int, fmt_pct, fmt_rub
from analytics.municipality import card, documents_for, municipality_options
from ui import data, state, tables, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()

ds = data.dataset()
filters = state.current_filters()
widgets.page_header(S.PAGE_MUNICIPALITIES, ds, filters)
if ds.tos.empty and ds.projects.empty:
    st.warning(S.EMPTY_NO_DATA)
    st.stop()

only_with_tos = st.toggle("Только муниципалитеты с ТОС", value=True, key="mun_only_tos")
shown = metrics.municipality_table(ds, filters, only_with_tos=only_with_tos)
st.caption(f"Муниципалитетов: {fmt_int(len(shown))}. Нажмите на заголовок столбца, чтобы отсортировать; выберите строку, чтобы открыть карточку.")
selection = tables.municipality_table(shown, key="mun_table", selectable=True)

metric = st.selectbox(
    "Показатель для диаграммы",
    ["tos_count", "residents", "coverage", "tos_per_10k", "projects_completed", "cost_total", "cost_per_resident", "cofinancing_share"],
    format_func=lambda m: charts.METRIC_FORMATS[m][0],
    key="mun_metric",
)
if shown[metric].notna().any():
    title = f"{charts.METRIC_FORMATS[metric][0]}: 25 муниципалитетов с наибольшим значением"
    st.plotly_chart(charts.bar_by_municipality(shown, metric, title), config={"displaylogo": False})
else:
    st.info("Для этого показателя нет данных: возможно, неизвестна численность населения или стоимость проектов.")

st.divider()
options = municipality_options(ds, filters)
picked_rows = selection.selection.rows if selection is not None and hasattr(selection, "selection") else []
if picked_rows:
    st.session_state["mun_card"] = shown.iloc[picked_rows[0]]["municipality_id"]
if st.session_state.get("mun_card") not in options and options:
    # Open on what the reader is looking at: the chosen municipality, or the top of the table.
    preferred = [m for m in (*filters.municipality_ids, *shown["municipality_id"].head(1)) if m in options]
    st.session_state["mun_card"] = preferred[0] if preferred else next(iter(options))
if not options:
    st.info(S.EMPTY_FILTERED)
    st.stop()
chosen = st.selectbox("Карточка муниципалитета", list(options), format_func=options.get, key="mun_card")
c = card(ds, chosen, filters)
st.header(widgets.md(c.name))
facts = [c.type or "", c.region_name or ""]
if c.parent_name:
    facts.append(f"входит в {c.parent_name}")
if c.settlements:
    facts.append("поселения с ТОС: " + ", ".join(c.settlements))
st.caption(" · ".join(widgets.md(f) for f in facts if f))
k = c.kpis
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(S.M_TOS_NOW, fmt_int(k.tos_now))
c2.metric(S.M_RESIDENTS, fmt_int(k.residents))
c3.metric(S.M_POPULATION, fmt_int(c.population))
c4.metric(S.M_COVERAGE, fmt_pct(k.coverage))
c5.metric(S.M_PROJECTS_DONE, fmt_int(k.projects_completed), delta=fmt_rub(k.cost_total), delta_color="off", delta_arrow="off")
if c.population is not None:
    st.caption(f"Население — {fmt_int(c.population)} чел. ({c.population_year} г.), источник: {widgets.md(c.population_source)}.")
else:
    st.caption("Численность населения неизвестна — охват не рассчитывается. Загрузите лист «Население».")

left, right = st.columns([3, 2])
with left:
    st.markdown(f"**ТОС ({fmt_int(len(c.tos))})**")
    tables.tos_table(ds, c.tos)
with right:
    if len(c.trend):
        st.plotly_chart(charts.tos_count_by_year(c.trend, f"{S.M_TOS_COUNT} на конец года"), config={"displaylogo": False})
st.markdown(f"**Проекты ({fmt_int(len(c.projects))})**")
tables.projects_table(ds, c.projects)

docs = documents_for(ds, data.document_data(), chosen, filters)
left, right = st.columns(2)
with left:
    st.markdown(f"**Паспорта практик ({fmt_int(len(docs.practices))})**")
    tables.practices_table(docs.practices)
with right:
    st.markdown(f"**Участие в конкурсах ({fmt_int(len(docs.applications))})**")
    tables.applications_table(docs.applications)
if len(docs.conflicts):
    st.markdown("**Расхождения между источниками**")
    st.caption("В расчётах используется реестр; протокол — вместо паспорта (DESIGN.md §3). Расхождения показаны, а не скрыты.")
    tables.conflicts_table(docs.conflicts)
