"""Tables shown on pages, with Russian headers and number formats."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import strings as S
from analytics.formatting import fmt_int

# "localized" follows the reader's browser locale: «9 827» and «4,2» in a Russian browser.
NUM = st.column_config.NumberColumn


TABLE_ROWS = 300


def municipality_table(table: pd.DataFrame, key: str | None = None, selectable: bool = False):
    """The municipality table; beyond TABLE_ROWS rows only the first are sent unless asked for."""
    if len(table) > TABLE_ROWS and not st.toggle(
        f"Показать все {fmt_int(len(table))} строк", key=f"{key or 'mun'}_all", value=False
    ):
        st.caption(f"Показаны {TABLE_ROWS} муниципалитетов с наибольшим числом ТОС; полная таблица — в «Выгрузке».")
        table = table.head(TABLE_ROWS)
    view = table.assign(coverage=table["coverage"] * 100, cofinancing_share=table["cofinancing_share"] * 100)
    columns = [
        "name", "region_name", "tos_count", "residents", "population", "coverage", "tos_per_10k",
        "projects_completed", "cost_total", "cost_per_resident", "cofinancing_share",
    ]  # fmt: skip
    config = {
        "name": st.column_config.TextColumn(S.M_MUNICIPALITY, width="large"),
        "region_name": st.column_config.TextColumn(S.M_REGION),
        "tos_count": NUM(S.M_TOS_COUNT, format="localized"),
        "residents": NUM(S.M_RESIDENTS, format="localized"),
        "population": NUM(S.M_POPULATION, format="localized"),
        "coverage": NUM(f"{S.M_COVERAGE}, %", format="localized"),
        "tos_per_10k": NUM(S.M_TOS_PER_10K, format="localized"),
        "projects_completed": NUM(S.M_PROJECTS_DONE, format="localized"),
        "cost_total": NUM(S.M_COST_SHORT, format="localized"),
        "cost_per_resident": NUM(S.M_COST_PER_RESIDENT, format="localized"),
        "cofinancing_share": NUM(f"{S.M_COFINANCING}, %", format="localized"),
    }
    return st.dataframe(
        view[columns].round({"coverage": 1, "tos_per_10k": 2, "cost_per_resident": 0, "cofinancing_share": 1}),
        column_config=config,
        hide_index=True,
        key=key,
        on_select="rerun" if selectable else "ignore",
        selection_mode="single-row",
        placeholder=S.UNKNOWN,
    )


def _with_sources(ds, rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    from analytics.provenance import provenance_table

    return provenance_table(ds, rows, columns)


def tos_table(ds, tos: pd.DataFrame, height: int | None = None):
    """TOS with their document and place: the provenance is part of the table, not hidden."""
    view = _with_sources(ds, tos, ["name", "settlement", "area_type", "registered_on", "dissolved_on", "status", "legal_entity", "members", "residents"])
    if view.empty:
        st.caption("ТОС нет.")
        return None
    return st.dataframe(
        view,
        hide_index=True,
        height=height or min(420, 38 + 35 * len(view)),
        column_config={
            S.COL["residents"]: NUM(S.COL["residents"], format="localized"),
            S.COL["members"]: NUM(S.COL["members"], format="localized"),
            S.COL["legal_entity"]: st.column_config.CheckboxColumn(S.COL["legal_entity"]),
        },
        placeholder=S.UNKNOWN,
    )


def projects_table(ds, projects: pd.DataFrame, height: int | None = None):
    view = _with_sources(ds, projects, ["year", "title", "tos_name", "category", "status", "cost_total", *S.FUNDING_LABELS])
    if view.empty:
        st.caption("Проектов нет.")
        return None
    config = {S.COL["year"]: NUM(S.COL["year"], format="%d"), S.COL["cost_total"]: NUM(S.COL["cost_total"], format="localized")}
    config.update({label: NUM(label, format="localized") for label in S.FUNDING_LABELS.values()})
    return st.dataframe(view, hide_index=True, height=height or min(420, 38 + 35 * len(view)), column_config=config, placeholder=S.UNKNOWN)


def practices_table(practices: pd.DataFrame):
    if practices.empty:
        st.caption("Паспортов практик нет.")
        return None
    return st.dataframe(
        practices[["title", "period", "tos_count", "file_name", "source_ref"]],
        hide_index=True,
        column_config={
            "title": st.column_config.TextColumn("Практика", width="large"),
            "period": st.column_config.TextColumn("Сроки"),
            "tos_count": NUM("ТОС в паспорте", format="localized"),
            "file_name": st.column_config.TextColumn(S.COL["file_name"]),
            "source_ref": st.column_config.TextColumn(S.COL["source_ref"]),
        },
        placeholder=S.UNKNOWN,
    )


def applications_table(applications: pd.DataFrame):
    if applications.empty:
        st.caption("Заявок на конкурсы нет.")
        return None
    return st.dataframe(
        applications,
        hide_index=True,
        column_config={
            "contest": st.column_config.TextColumn("Конкурс", width="large"),
            "year": NUM(S.M_YEAR, format="%d"),
            "category": st.column_config.TextColumn("Категория"),
            "place": NUM("Место", format="%d"),
            "recommended": st.column_config.CheckboxColumn("Рекомендован дальше"),
            "file_name": st.column_config.TextColumn(S.COL["file_name"]),
            "source_ref": st.column_config.TextColumn(S.COL["source_ref"]),
        },
        placeholder=S.UNKNOWN,
    )


def conflicts_table(conflicts: pd.DataFrame):
    view = conflicts.assign(date=conflicts["date"].map(lambda d: d.strftime("%d.%m.%Y") if d else "сейчас"))
    return st.dataframe(
        view[["municipality", "fact_name", "date", "chosen_source", "chosen_value", "other_source", "other_value", "document", "source_ref"]],
        hide_index=True,
        column_config={
            "municipality": st.column_config.TextColumn(S.M_MUNICIPALITY),
            "fact_name": st.column_config.TextColumn("Показатель"),
            "date": st.column_config.TextColumn("На дату"),
            "chosen_source": st.column_config.TextColumn("Используется"),
            "chosen_value": NUM("Значение", format="localized"),
            "other_source": st.column_config.TextColumn("Другой источник"),
            "other_value": NUM("Его значение", format="localized"),
            "document": st.column_config.TextColumn(S.COL["file_name"]),
            "source_ref": st.column_config.TextColumn(S.COL["source_ref"]),
        },
        placeholder=S.UNKNOWN,
    )
