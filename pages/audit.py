"""«Журнал и доступ» (staff): who loaded, rejected, deleted what and when; who signed in."""

import streamlit as st

import strings as S
from analytics.audit import ACTIONS, accounts_view, journal_view
from store import queries
from store.accounts import list_accounts
from ui import auth, data, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()
actor = auth.require_staff_page()

widgets.page_header(S.PAGE_ADMIN, data.dataset(), None)
log = queries.audit_frame(data.engine(), limit=2000)
st.subheader("Журнал действий")
if log.empty:
    st.info("Записей пока нет.")
else:
    chosen = st.multiselect("Действия", list(ACTIONS), format_func=ACTIONS.get, key="audit_actions", placeholder="все действия")
    st.dataframe(
        journal_view(log, chosen),
        hide_index=True,
        column_config={"Подробности": st.column_config.TextColumn("Подробности", width="large")},
        placeholder=S.UNKNOWN,
    )
if actor.role == "admin":
    st.subheader("Учётные записи")
    st.caption("Создать, сбросить пароль или отключить: `python -m store.accounts create|reset|disable ИМЯ` на сервере.")
    st.dataframe(accounts_view(list_accounts(data.engine())), hide_index=True, placeholder=S.UNKNOWN)
