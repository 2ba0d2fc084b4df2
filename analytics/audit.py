"""The staff journal and the accounts list, as the «Журнал и доступ» page shows them."""

from __future__ import annotations

import pandas as pd

from analytics.formatting import fmt_moments, moment_column
from store.accounts import ROLE_NAMES

ACTIONS = {
    "ingest": "загрузка", "reject": "отклонён файл", "duplicate": "повторная загрузка", "delete": "удаление",
    "sign_in": "вход", "sign_in_failed": "неудачный вход", "sign_in_locked": "вход заблокирован", "sign_out": "выход",
    "account_created": "создана учётная запись", "password_reset": "сброшен пароль",
    "account_disabled": "учётная запись отключена", "account_enabled": "учётная запись включена",
}  # fmt: skip
# Entries written before roles were named in Russian.
_LEGACY_DETAILS = {f"роль {code}": f"роль: {name}" for code, name in ROLE_NAMES.items()}


def journal_view(log: pd.DataFrame, actions: list[str] | None = None) -> pd.DataFrame:
    """Journal rows (newest first, as stored) with Russian action names and local times; `actions` filters."""
    view = log[log["action"].isin(actions)] if actions else log
    return pd.DataFrame(
        {
            moment_column("Когда"): fmt_moments(view["at"], seconds=True),
            "Кто": view["user"],
            "Действие": view["action"].map(ACTIONS).fillna(view["action"]),
            "Файл": view["file_name"],
            "Подробности": view["details"].replace(_LEGACY_DETAILS),
        }
    )


def accounts_view(accounts: list[dict]) -> pd.DataFrame:
    """Staff accounts: name, role in Russian, disabled or not, when created (local time)."""
    frame = pd.DataFrame(accounts, columns=["name", "role", "disabled", "created_at"])
    return pd.DataFrame(
        {
            "Имя": frame["name"],
            "Роль": frame["role"].map(ROLE_NAMES).fillna(frame["role"]),
            "Отключена": frame["disabled"].fillna(False).astype(bool),
            moment_column("Создана"): fmt_moments(frame["created_at"]),
        }
    )
