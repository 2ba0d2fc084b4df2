"""Entry point: page config, shared sidebar filters, and the explicit list of pages."""

from __future__ import annotations

import streamlit as st

import strings as S
from ui import data, export, state
from ui.navigation import ensure_app_navigation

# Streamlit's legacy pages/ mode may start this script as a v1 page; run it as the entry point.
ensure_app_navigation()
st.set_page_config(page_title=S.APP_TITLE, page_icon=":material/holiday_village:", layout="wide", initial_sidebar_state="expanded")

ds = data.dataset()
filters = state.render_filters(ds)
export.render_export(ds, filters)

pages = {
    "Аналитика": [
        st.Page("pages/overview.py", title=S.PAGE_OVERVIEW, icon=":material/dashboard:", default=True),
        st.Page("pages/trends.py", title=S.PAGE_TRENDS, icon=":material/trending_up:"),
        st.Page("pages/municipalities.py", title=S.PAGE_MUNICIPALITIES, icon=":material/account_balance:"),
        st.Page("pages/projects.py", title=S.PAGE_PROJECTS, icon=":material/payments:"),
        st.Page("pages/presentation.py", title=S.PAGE_PRESENTATION, icon=":material/co_present:"),
    ],
    "Работа с данными": [
        st.Page("pages/data.py", title=S.PAGE_DATA, icon=":material/upload_file:"),
    ],
}
st.navigation(pages).run()
