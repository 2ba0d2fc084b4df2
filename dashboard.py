"""Entry point: page config, sign-in, shared sidebar filters, and the explicit list of pages.

The list is built per role: a page a viewer may not use is simply absent from the navigation
(and each staff page checks the role again itself).
"""

from __future__ import annotations

import streamlit as st

import strings as S
from analytics.formatting import display_zone
from ui import auth, data, export, state
from ui.navigation import ensure_app_navigation

# Streamlit's legacy pages/ mode may start this script as a v1 page; run it as the entry point.
ensure_app_navigation()
# An emoji favicon: a :material/…: page icon makes every browser fetch it from fonts.gstatic.com,
# a request to an outside host on every page (the app must work, and stay quiet, without internet).
st.set_page_config(page_title=S.APP_TITLE, page_icon="🏘️", layout="wide", initial_sidebar_state="expanded")

try:
    display_zone()  # a mistyped TOS_TIMEZONE stops here with its Russian message, not in a page
except ValueError as exc:
    st.error(str(exc))
    st.stop()

actor = auth.current_actor()
ds = data.dataset()
filters = state.render_filters(ds)
export.render_export(ds, filters, staff=actor.is_staff)
auth.render_sign_in()

pages = {
    "Аналитика": [
        st.Page("pages/overview.py", title=S.PAGE_OVERVIEW, icon=":material/dashboard:", default=True),
        st.Page("pages/trends.py", title=S.PAGE_TRENDS, icon=":material/trending_up:"),
        st.Page("pages/municipalities.py", title=S.PAGE_MUNICIPALITIES, icon=":material/account_balance:"),
        st.Page("pages/projects.py", title=S.PAGE_PROJECTS, icon=":material/payments:"),
        st.Page("pages/map.py", title=S.PAGE_MAP, icon=":material/map:"),
        st.Page("pages/documents.py", title=S.PAGE_DOCUMENTS, icon=":material/description:"),
        st.Page("pages/contests.py", title=S.PAGE_CONTESTS, icon=":material/emoji_events:"),
        st.Page("pages/presentation.py", title=S.PAGE_PRESENTATION, icon=":material/co_present:"),
    ],
}
if actor.is_staff:
    pages["Работа с данными"] = [
        st.Page("pages/data.py", title=S.PAGE_DATA, icon=":material/upload_file:"),
        st.Page("pages/audit.py", title=S.PAGE_ADMIN, icon=":material/history:"),
    ]
st.navigation(pages).run()
