"""«Карта»: municipalities coloured by a chosen metric, TOS on top; a click opens the municipality below."""

import streamlit as st

import strings as S
from analytics.formatting import fmt_date, fmt_int, fmt_pct, fmt_rub
from analytics.mapview import METRICS, municipality_card, without_boundaries_table
from analytics.provenance import provenance_table
from ui import data, mapdata, state, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()

K_METRIC = "map_metric"
K_SELECTED = "map_selected"
K_CLICK = "map_click"


def _on_click() -> None:
    """A click on the map: a municipality opens its card; a region narrows the shared filters to it."""
    value = st.session_state.get(K_CLICK) or {}
    if value.get("kind") == "municipality":
        st.session_state[K_SELECTED] = value.get("id")
    elif value.get("kind") == "region" and value.get("id"):
        st.session_state[state.K_REGIONS] = [value["id"]]
        st.session_state.pop(K_SELECTED, None)


def _reset_selection() -> None:
    st.session_state.pop(K_SELECTED, None)


def _select_everywhere(municipality_id: str) -> None:
    st.session_state[state.K_MUNICIPALITIES] = [municipality_id]
    st.session_state.pop(K_SELECTED, None)


mapdata.ensure_bundled_boundaries()
ds = data.dataset()
filters = state.current_filters()
widgets.page_header(S.PAGE_MAP, ds, filters)
geo = mapdata.geography()
if geo.empty:
    st.warning(S.MAP_EMPTY)
    st.stop()

# A link like …/map?mo=25703000 opens the map on that municipality's card.
if "mo" in st.query_params and K_SELECTED not in st.session_state:
    st.session_state[K_SELECTED] = st.query_params["mo"]

metric = st.segmented_control(
    S.MAP_METRIC,
    list(METRICS),
    format_func=lambda k: METRICS[k].label,
    default="tos_count",
    key=K_METRIC,
    required=True,
)
view = mapdata.map_view(filters, metric or "tos_count")
selected = st.session_state.get(K_SELECTED)
mapdata.show_map(view, selected, key=K_CLICK, on_change=_on_click)
for note in view.notes:
    st.caption(note)

# The municipality picked on the map.
card = municipality_card(ds, geo, filters, selected) if selected else None
if card is None:
    st.caption(S.MAP_SELECT_PROMPT)
else:
    st.subheader(f"{card.name}" + (f" · {card.region_name}" if card.region_name else ""))
    k = card.kpis
    c1, c2, c3, c4 = st.columns(4)
    widgets.kpi(c1, S.M_TOS_NOW, fmt_int(k.tos_now), note=S.MAP_ON_DATE.format(date=fmt_date(k.reference_date)))
    widgets.kpi(
        c2,
        S.M_RESIDENTS,
        fmt_int(k.residents),
        note=f"{S.M_COVERAGE.lower()} {fmt_pct(k.coverage)}" if k.coverage is not None else S.MAP_COVERAGE_UNKNOWN,
    )
    years = f"{k.year_from}–{k.year_to}" if k.year_from is not None else S.MAP_ALL_YEARS
    widgets.kpi(c3, S.M_PROJECTS_DONE, fmt_int(k.projects_completed), note=years)
    widgets.kpi(c4, S.M_COST_KPI, fmt_rub(k.cost_total), help_text=S.HELP_COST_KPI, note=years)
    b1, b2 = st.columns([1, 3])
    b1.button(S.MAP_SELECTION_RESET, on_click=_reset_selection)
    b2.button(S.MAP_SELECTION_TO_FILTER, on_click=_select_everywhere, args=(card.municipality_id,))
    tos = card.tos.assign(
        has_boundary=card.tos["has_boundary"].map({True: S.MAP_HAS_BOUNDARY, False: S.MAP_NO_BOUNDARY}),
    )
    st.dataframe(
        tos.rename(columns={**S.COL, "projects": S.MAP_TT_PROJECTS, "cost": S.MAP_TT_COST, "has_boundary": S.MAP_BOUNDARY_STATUS}),
        hide_index=True,
        column_config={
            S.M_RESIDENTS: st.column_config.NumberColumn(format="localized"),
            S.MAP_TT_PROJECTS: st.column_config.NumberColumn(format="localized"),
            S.MAP_TT_COST: st.column_config.NumberColumn(format="localized"),
        },
        placeholder=S.UNKNOWN,
    )

# TOS without boundaries and boundaries that match nothing.
nob = without_boundaries_table(ds, geo, filters)
with st.expander(f"{S.MAP_WITHOUT_BOUNDARIES}: {fmt_int(len(nob))}"):
    if nob.empty:
        st.write(S.MAP_ALL_HAVE_BOUNDARIES)
    else:
        st.dataframe(provenance_table(ds, nob, ["name", "municipality_name", "settlement", "registered_on", "residents", "shown_at"]).rename(
            columns={"shown_at": S.MAP_SHOWN_AT}), hide_index=True, placeholder=S.UNKNOWN)
if len(geo.unlinked):
    with st.expander(f"{S.MAP_UNLINKED}: {fmt_int(len(geo.unlinked))}"):
        st.dataframe(
            geo.unlinked.assign(level=geo.unlinked["level"].map(S.MAP_LEVELS)).rename(
                columns={"level": S.MAP_UNLINKED_LEVEL, "name": S.COL["name"], "file_name": S.COL["file_name"],
                         "source_ref": S.COL["source_ref"], "reason": S.MAP_UNLINKED_REASON}
            ),
            hide_index=True,
            placeholder=S.UNKNOWN,
        )

st.download_button(
    S.MAP_DOWNLOAD,
    data=lambda: mapdata.standalone_html(view, f"{S.PAGE_MAP}: {METRICS[view.metric.key].label}"),
    file_name="karta_tos.html",
    mime="text/html",
    on_click="ignore",
)
