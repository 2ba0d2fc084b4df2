"""«Журнал и доступ» (staff): who loaded, rejected, deleted what and when; who signed in."""

import pandas as pd
import streamlit as st

import strings as S
from store import queries
from store.accounts import list_accounts
from ui import auth, data, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()
actor = auth.require_staff_page()

widgets.page_header(S.PAGE_ADMIN, data.dataset(), None)
ACTIONS = {
    "ingest": "загрузка", "reject": "отклонён файл", "duplicate": "повторная загрузка", "delete": "удаление",
    "sign_in": "вход", "sign_in_failed": "неудачный вход", "sign_in_locked": "вход заблокирован", "sign_out": "выход",
    "account_created": "создана учётная запись", "password_reset": "сброшен пароль",
    "account_disabled": "учётная запись отключена", "account_enabled": "учётная запись включена",
}  # fmt: skip
log = queries.audit_frame(data.engine(), limit=2000)
st.subheader("Журнал действий")
if log.empty:
    st.info("Записей пока нет.")
else:
    chosen = st.multiselect("Действия", list(ACTIONS), format_func=ACTIONS.get, key="audit_actions", placeholder="все действия")
    view = log[log["action"].isin(chosen)] if chosen else log
    st.dataframe(
        pd.DataFrame(
            {
                "Когда": pd.to_datetime(view["at"]).dt.strftime("%d.%m.%Y %H:%M:%S"),
                "Кто": view["user"],
                "Действие": view["action"].map(ACTIONS).fillna(view["action"]),
                "Файл": view["file_name"],
                "Подробности": view["details"],
            }
        ),
        hide_index=True,
        column_config={"Подробности": st.column_config.TextColumn("Подробности", width="large")},
        placeholder=S.UNKNOWN,
    )
if actor.role == "admin":
    st.subheader("Учётные записи")
    st.caption("Создать, сбросить пароль или отключить: `python -m store.accounts create|reset|disable ИМЯ` на сервере.")
    st.dataframe(
        pd.DataFrame(list_accounts(data.engine())).rename(columns={"name": "Имя", "role": "Роль", "disabled": "Отключена", "created_at": "Создана"}),
        hide_index=True,
        placeholder=S.UNKNOWN,
    )
