"""«Документы и практики»: practices from passports, contests from protocols, other TOS documents.

Every figure is shown with its document and its place in it. Leaders and contacts are personal
data and are not on this page.
"""

import pandas as pd
import streamlit as st

import strings as S
from analytics import documents as docs
from analytics.formatting import fmt_int, fmt_rub
from ui import data, state, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()

C = S.DOCS_COL
NUM = st.column_config.NumberColumn
TEXT = st.column_config.TextColumn

ds = data.dataset()
dd = data.document_data()
filters = state.current_filters()
widgets.page_header(S.PAGE_DOCUMENTS, ds, filters)

others = docs.other_documents_view(ds, filters)
if dd.empty and others.empty:
    st.info(S.DOCS_EMPTY)
    st.stop()

practices = docs.practices_view(ds, dd, filters)
contests = docs.contests_view(ds, dd, filters)
totals = docs.summary(practices, contests, others)
c1, c2, c3, c4 = st.columns(4)
c1.metric(S.DOCS_M_PRACTICES, fmt_int(totals["practices"]))
c2.metric(S.DOCS_M_CONTESTS, fmt_int(totals["contests"]))
c3.metric(S.DOCS_M_APPLICATIONS, fmt_int(totals["applications"]))
c4.metric(S.DOCS_M_OTHER, fmt_int(totals["others"]))
st.caption(f"{S.DOCS_PROVENANCE_NOTE} {S.DOCS_FILTERS_NOTE}")


def table(frame, columns: dict, config: dict | None = None, key: str | None = None, tail: dict | None = None):
    """A table with Russian headers: the figures, then their document and place, then long text."""
    if frame is None or len(frame) == 0:
        st.caption(S.DOCS_NO_ROWS)
        return
    tail = tail or {}
    names = {**columns, "file_name": C["file_name"], "source_ref": C["source_ref"], **tail}
    cols = [c for c in [*columns, "file_name", "source_ref", *tail] if c in frame.columns]
    view = frame[cols]
    text_cols = [c for c in cols if not pd.api.types.is_numeric_dtype(view[c]) and not pd.api.types.is_bool_dtype(view[c])]
    view = view.assign(**{c: view[c].fillna("—") for c in text_cols}).rename(columns=names)
    config = {C["source_ref"]: TEXT(C["source_ref"], width="medium"), **(config or {})}
    st.dataframe(view, hide_index=True, column_config=config, key=key, height=min(440, 38 + 35 * len(view)), placeholder=S.UNKNOWN)


def warnings_box(items: list) -> None:
    if items:
        with st.expander(f"{S.DOCS_WARNINGS} ({len(items)})"):
            for w in items:
                st.markdown(f"- **{w.get('where', '')}**: {w.get('message', '')}")


tab_p, tab_c, tab_o = st.tabs([S.DOCS_TAB_PRACTICES, S.DOCS_TAB_CONTESTS, S.DOCS_TAB_OTHER])

with tab_p:
    if practices.empty:
        st.info(S.DOCS_FILTERED_EMPTY if not dd["practices"].empty else S.DOCS_EMPTY)
    else:
        table(
            practices,
            {"title": C["title"], "municipality": C["municipality"], "region": C["region"], "period": C["period"],
             "participants": C["participants"], "beneficiaries": C["beneficiaries"], "tos_count": C["tos_count"], "cost_text": C["cost"]},
            {C["tos_count"]: NUM(C["tos_count"], format="localized"), C["title"]: TEXT(C["title"], width="large")},
            key="docs_practices_table",
        )  # fmt: skip
        labels = {pid: f"{t} — {m}" for pid, t, m in zip(practices["practice_id"], practices["title"], practices["municipality"], strict=True)}
        chosen = st.selectbox(S.DOCS_CHOOSE_PRACTICE, list(labels), format_func=labels.get, key="docs_practice")
        row = practices[practices["practice_id"] == chosen].iloc[0]
        detail = docs.practice_detail(ds, dd, chosen)
        st.subheader(row["title"])
        st.caption(f"{row['municipality']} · {row['region'] or '—'} · {row['period']} · {S.COL['file_name']}: {row['file_name']}")
        k1, k2, k3, k4 = st.columns(4)
        k1.metric(C["participants"], row["participants"])
        statement = row["beneficiaries_statement"]
        if isinstance(statement, str) and statement:
            k2.metric(C["beneficiaries"], "—", help="В паспорте указано не число")
            k2.caption(f"в паспорте: «{statement}»")
        else:
            k2.metric(C["beneficiaries"], row["beneficiaries"])
        tos = detail["tos"]
        k3.metric(C["tos_count"], fmt_int(len(tos)) if len(tos) else "—", help="ТОС, перечисленные или названные в паспорте")
        k4.metric(S.DOCS_COSTS, fmt_rub(row["cost"]) if row["cost"] == row["cost"] and row["cost"] is not None else "—")
        st.markdown(f"**{S.DOCS_INDICATORS}**")
        table(
            detail["indicators"],
            {"indicator": C["indicator"], "value_text": C["value_text"], "unit": C["unit"], "period": C["period_label"]},
            {C["period_label"]: TEXT(C["period_label"], width="medium"), C["indicator"]: TEXT(C["indicator"], width="medium"), C["value_text"]: TEXT(C["value_text"], width="small")},
            key="docs_indicators",
            tail={"section_name": C["section_name"], "quote": C["quote"]},
        )
        st.markdown(f"**{S.DOCS_COSTS}**")
        table(detail["costs"], {"item": C["item"], "amount_text": C["amount_rub"], "funding_source": C["funding_source"]}, {C["item"]: TEXT(C["item"], width="large")}, key="docs_costs")
        st.markdown(f"**{S.DOCS_TOS}**")
        if len(tos):
            known = tos["residents"].dropna()
            st.caption(
                f"{fmt_int(len(tos))} ТОС; жителей по паспорту: {fmt_int(known.sum()) if len(known) else '—'}"
                + ("" if len(known) == len(tos) else f" (у {fmt_int(len(tos) - len(known))} не указано)")
                + ". «Есть в реестре» — ТОС с тем же названием в реестре того же муниципалитета."
            )
        table(tos, {"name": C["name"], "residents_text": C["residents"], "in_registry": C["in_registry"]}, {C["in_registry"]: st.column_config.CheckboxColumn(C["in_registry"])}, key="docs_tos")
        st.markdown(f"**{S.DOCS_ACTS}**")
        acts = detail["acts"]
        if len(acts):
            acts = acts.rename(columns={"title": "act_title"})
        table(acts, {"act_type": C["act_type"], "date_text": C["date_text"], "number": C["number"], "authority": C["authority"], "action": C["action"]}, key="docs_acts", tail={"act_title": C["act_title"]})
        warnings_box(detail["warnings"])

with tab_c:
    if contests.empty:
        st.info(S.DOCS_FILTERED_EMPTY if not dd["contests"].empty else S.DOCS_EMPTY)
    else:
        table(
            contests,
            {"name": C["contest"], "year": C["year"], "level": C["level"], "region": C["region"], "decided_on": C["decided_on"], "applications": C["applications"]},
            {C["year"]: NUM(C["year"], format="%d")},
            key="docs_contests_table",
            tail={"nomination": C["nomination"]},
        )
        labels = {cid: f"{n}, {int(y) if y == y else '—'} — {r or '—'}" for cid, n, y, r in zip(contests["contest_id"], contests["name"], contests["year"], contests["region"], strict=True)}
        chosen_c = st.selectbox(S.DOCS_CHOOSE_CONTEST, list(labels), format_func=labels.get, key="docs_contest")
        detail = docs.contest_detail(ds, dd, chosen_c)
        st.markdown(f"**{S.DOCS_APPLICATIONS}**")
        table(
            detail["applications"],
            {"municipality": C["municipality"], "place_text": C["place_text"], "recommended_text": C["recommended_text"], "category_text": C["category_text"]},
            key="docs_applications",
            tail={"practice_title": C["practice_title"]},
        )
        st.markdown(f"**{S.DOCS_APP_INDICATORS}**")
        table(
            detail["indicators"],
            {"municipality": C["municipality"], "indicator": C["indicator"], "value_text": C["value_text"], "unit": C["unit"], "period": C["period_label"]},
            {C["period_label"]: TEXT(C["period_label"], width="small")},
            key="docs_app_indicators",
            tail={"quote": C["quote"]},
        )
        warnings_box(detail["warnings"])

with tab_o:
    if others.empty:
        st.info(S.DOCS_FILTERED_EMPTY if not ds.documents.empty else S.DOCS_EMPTY)
    else:
        view = others.rename(columns={"file_name": C["file_name"], "kind": C["kind"], "title": C["doc_title"], "date": C["date"], "place": C["place"], "region": C["region"], "participants": C["doc_participants"]})
        st.dataframe(view, hide_index=True, key="docs_others", placeholder=S.UNKNOWN)
