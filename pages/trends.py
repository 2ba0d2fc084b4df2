"""«Динамика»: how TOS develop over the years, overall and by region or municipality."""

import streamlit as st

import strings as S
from analytics import charts, trends
from analytics.dataset import filter_tos
from analytics.formatting import fmt_int, fmt_pct, fmt_rub, fmt_signed
from ui import data, state, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()

ds = data.dataset()
filters = state.current_filters()
widgets.page_header(S.PAGE_TRENDS, ds, filters)
if ds.tos.empty and ds.projects.empty:
    st.warning(S.EMPTY_NO_DATA)
    st.stop()

table = trends.trend_table(ds, filters)
if table.empty or table["tos_count"].sum() == 0 and table["projects_completed"].sum() == 0:
    st.warning(S.EMPTY_FILTERED)
    st.stop()

full = table[~table["incomplete"]]
last = full.iloc[-1] if len(full) else table.iloc[-1]
prev = full.iloc[-2] if len(full) > 1 else None
c1, c2, c3, c4 = st.columns(4)
c1.metric(
    f"ТОС на конец {int(last['year'])} г.",
    fmt_int(last["tos_count"]),
    delta=fmt_signed(last["tos_count"] - prev["tos_count"]) if prev is not None else None,
    delta_description="за год",
)
c2.metric(f"{S.M_NEW} ({int(last['year'])})", fmt_int(last["new"]), delta=f"ликвидировано {fmt_int(last['dissolved'])}", delta_color="off", delta_arrow="off")
c3.metric(f"{S.M_COVERAGE} ({int(last['year'])})", fmt_pct(last["coverage"]))
c4.metric(f"{S.M_PROJECTS_DONE} ({int(last['year'])})", fmt_int(last["projects_completed"]), delta=fmt_rub(last["cost"]), delta_color="off", delta_arrow="off")

for note in trends.trend_notes(ds, filters):
    st.caption(note)

figures = trends.trend_figures(ds, filters)
for left_key, right_key in (("count", "flow"), ("residents", "coverage"), ("projects", "cost")):
    left, right = st.columns(2)
    left.plotly_chart(figures[left_key], config={"displaylogo": False}, key=f"trend_{left_key}")
    right.plotly_chart(figures[right_key], config={"displaylogo": False}, key=f"trend_{right_key}")

st.subheader("По регионам и муниципалитетам")
c1, c2, c3 = st.columns([2, 3, 2])
by = c1.radio("Линии", ["region", "municipality"], format_func={"region": "по регионам", "municipality": "по муниципалитетам"}.get, horizontal=True, key="trend_by")
metric = c2.selectbox("Показатель", list(trends.GROUP_METRICS), format_func=lambda m: charts.METRIC_FORMATS[m][0], key="trend_metric")
top_n = c3.slider("Сколько линий показать", 3, 12, 7, key="trend_top")
figure = trends.group_figure(ds, filters, by, metric, top_n)
if figure is None:
    st.info("Для выбранных фильтров нет данных по этому показателю.")
else:
    st.plotly_chart(figure, config={"displaylogo": False}, key="trend_groups")

st.subheader("Таблица по годам")
st.dataframe(
    table.assign(coverage=table["coverage"] * 100, tos_change_pct=table["tos_change_pct"] * 100),
    column_order=["year", "tos_count", "tos_change", "tos_change_pct", "new", "dissolved", "residents", "coverage", "projects_completed", "cost"],
    column_config={
        "year": st.column_config.NumberColumn(S.M_YEAR, format="%d"),
        "tos_count": st.column_config.NumberColumn(S.M_TOS_COUNT, format="localized"),
        "tos_change": st.column_config.NumberColumn(S.M_YOY, format="localized"),
        "tos_change_pct": st.column_config.NumberColumn(f"{S.M_YOY}, %", format="localized"),
        "new": st.column_config.NumberColumn(S.M_NEW, format="localized"),
        "dissolved": st.column_config.NumberColumn(S.M_DISSOLVED, format="localized"),
        "residents": st.column_config.NumberColumn(S.M_RESIDENTS, format="localized"),
        "coverage": st.column_config.NumberColumn(f"{S.M_COVERAGE}, %", format="localized"),
        "projects_completed": st.column_config.NumberColumn(S.M_PROJECTS_DONE, format="localized"),
        "cost": st.column_config.NumberColumn(S.M_COST_SHORT, format="localized"),
    },
    hide_index=True,
    placeholder=S.UNKNOWN,
)
widgets.provenance(ds, filter_tos(ds, filters), columns=["name", "municipality_name", "registered_on", "dissolved_on", "residents", "status"])
