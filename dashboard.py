"""Entry point: page config, shared sidebar filters, and the explicit list of pages."""

from __future__ import annotations

import streamlit as st

import strings as S
from ui import data, state

st.set_page_config(page_title=S.APP_TITLE, page_icon="🏘️", layout="wide", initial_sidebar_state="expanded")

ds = data.dataset()
state.render_filters(ds)

pages = [
    st.Page("pages/overview.py", title=S.PAGE_OVERVIEW, icon="📊", default=True),
    st.Page("pages/map.py", title=S.PAGE_MAP, icon="🗺️", url_path="karta"),
]
st.navigation(pages).run()
