"""Shared sidebar filters, kept in st.session_state so they survive page switches.

`current_filters()` only reads session state, so a page run on its own (AppTest runs a page file
without dashboard.py) sees the same filters a user would; `render_filters()` draws the widgets
and is called once per run, by dashboard.py.
"""

from __future__ import annotations

import streamlit as st

import strings as S
from analytics.dataset import Dataset, Filters
from analytics.metrics import year_range

K_REGIONS = "f_regions"
K_MUNICIPALITIES = "f_municipalities"
K_YEARS = "f_years"
K_AREA = "f_area"
K_LEGAL = "f_legal"
MAX_MUNICIPALITY_OPTIONS = 3000
AREA_OPTIONS = {S.F_AREA_ALL: None, S.F_AREA_URBAN: "городской", S.F_AREA_RURAL: "сельский"}
LEGAL_OPTIONS = {S.F_LEGAL_ALL: None, S.F_LEGAL_YES: True, S.F_LEGAL_NO: False}


def current_filters() -> Filters:
    state = st.session_state
    years = state.get(K_YEARS)
    return Filters(
        region_ids=tuple(state.get(K_REGIONS) or ()),
        municipality_ids=tuple(state.get(K_MUNICIPALITIES) or ()),
        year_from=int(years[0]) if years else None,
        year_to=int(years[1]) if years else None,
        area_type=AREA_OPTIONS.get(state.get(K_AREA, S.F_AREA_ALL)),
        legal_entity=LEGAL_OPTIONS.get(state.get(K_LEGAL, S.F_LEGAL_ALL)),
    )


def municipality_choices(ds: Dataset, regions: tuple[str, ...]) -> dict[str, str]:
    """Municipality id → name for the selector (those of the chosen regions), memoised per dataset."""
    key = ("municipality_choices", regions)
    if key not in ds.memo:
        m = ds.municipalities
        if regions:
            m = m[m["region_id"].isin(regions)]
        m = m.sort_values("name")
        ds.memo[key] = dict(zip(m["municipality_id"], m["name"], strict=True))
    return ds.memo[key]


def _reset() -> None:
    for key in (K_REGIONS, K_MUNICIPALITIES, K_YEARS, K_AREA, K_LEGAL):
        st.session_state.pop(key, None)


def render_filters(ds: Dataset) -> Filters:
    """Draw the sidebar filters (once per run) and return them."""
    side = st.sidebar
    side.subheader(S.FILTERS)
    region_names = dict(zip(ds.regions["region_id"], ds.regions["name"], strict=True))
    # Only regions that have data, so the list is short and every choice shows something.
    with_data = set(ds.tos["region_id"].dropna()) | set(ds.projects["region_id"].dropna())
    region_options = sorted((r for r in region_names if r in with_data), key=lambda r: region_names[r])
    side.multiselect(
        S.F_REGION,
        region_options,
        format_func=lambda r: region_names.get(r, r),
        key=K_REGIONS,
        placeholder=S.ALL_REGIONS,
    )
    chosen_regions = st.session_state.get(K_REGIONS) or []
    m_names = municipality_choices(ds, tuple(chosen_regions))
    if len(m_names) > MAX_MUNICIPALITY_OPTIONS:
        # Thousands of options would travel to the browser on every rerun: ask for a region first.
        chosen = st.session_state.get(K_MUNICIPALITIES) or []
        m_names = {k: v for k, v in m_names.items() if k in chosen}
        side.caption(f"Муниципалитетов больше {MAX_MUNICIPALITY_OPTIONS}: сначала выберите регион.")
    # Drop choices that left with a region change, so the widget never holds an invalid value.
    if K_MUNICIPALITIES in st.session_state:
        st.session_state[K_MUNICIPALITIES] = [x for x in st.session_state[K_MUNICIPALITIES] if x in m_names]
    side.multiselect(
        S.F_MUNICIPALITY,
        list(m_names),
        format_func=lambda x: m_names.get(x, x),
        key=K_MUNICIPALITIES,
        placeholder=S.ALL_MUNICIPALITIES,
    )
    lo, hi = year_range(ds)
    if K_YEARS in st.session_state:
        a, b = st.session_state[K_YEARS]
        st.session_state[K_YEARS] = (max(lo, min(a, hi)), max(lo, min(b, hi)))
    else:
        st.session_state[K_YEARS] = (max(lo, hi - 10), hi)  # the last ten years by default
    side.slider(S.F_YEARS, min_value=lo, max_value=hi, key=K_YEARS)
    side.radio(S.F_AREA, list(AREA_OPTIONS), key=K_AREA, horizontal=False)
    side.radio(S.F_LEGAL, list(LEGAL_OPTIONS), key=K_LEGAL, horizontal=True)
    side.button(S.F_RESET, on_click=_reset)
    return current_filters()
