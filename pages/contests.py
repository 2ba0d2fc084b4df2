"""«Конкурсы»: contests and results, applicants side by side (public); scoring and the final sheet (staff).

The public tabs show no personal data. The scoring tab is there only for signed-in staff, and it
refuses anyone else by itself as well.
"""

import streamlit as st

import strings as S
from ui import auth, data, state, widgets
from ui import contests as contests_ui
from ui import scoring as scoring_ui
from ui.navigation import ensure_app_navigation

ensure_app_navigation()

ds = data.dataset()
dd = data.document_data()
filters = state.current_filters()
actor = auth.current_actor()
widgets.page_header(S.PAGE_CONTESTS, ds, filters)

names = [S.CT_TAB_RESULTS, S.CT_TAB_COMPARE] + ([S.CT_TAB_SCORING] if actor.is_staff else [])
tabs = contests_ui.remembered_tabs(names, "ct_tabs")
# Only the open tab runs: a rerun (every edit in a table is one) computes what is on screen.
if contests_ui.is_open(tabs[0]):
    with tabs[0]:
        contests_ui.render_results(ds, dd, filters)
if contests_ui.is_open(tabs[1]):
    with tabs[1]:
        contests_ui.render_compare(ds, dd, filters)
if actor.is_staff:
    if contests_ui.is_open(tabs[2]):
        with tabs[2]:
            scoring_ui.render(ds, dd, actor)
else:
    st.caption(S.CT_STAFF_ONLY)
