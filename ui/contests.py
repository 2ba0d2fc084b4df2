"""The public parts of «Конкурсы»: contests and results, a region's history, applicants side by side.

Nothing here shows personal data: the store leaves leaders and contacts out unless asked, and the
comparison reads only registry metrics, protocol figures and passport facts.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import strings as S
from analytics import compare as C
from analytics import contest_charts as charts
from analytics import contests as CT
from analytics.dataset import Dataset, Filters
from analytics.documents import DocumentData
from analytics.formatting import fmt_int
from reports.commission import comparison_workbook
from ui import data
from ui.widgets import md

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = st.column_config.TextColumn
K_CONTEST = "ct_contest"
K_HISTORY_REGION = "ct_history_region"
K_HISTORY_FOR = "ct_history_for_contest"
K_SOURCE = "ct_cmp_source"
K_CMP_CONTEST = "ct_cmp_contest"
K_CMP_APPLICANTS = "ct_cmp_applicants"
K_CMP_MUNICIPALITIES = "ct_cmp_municipalities"
K_PERIOD = "ct_cmp_period"
K_SOURCES = "ct_cmp_sources"
K_CHART = "ct_cmp_chart"
MAX_COMPARED = 12


@st.cache_data(max_entries=16, ttl=3600, show_spinner="Собираю цифры заявителей…")
def _comparison(url: str, rev: int, applicants: tuple, year_from: int | None, year_to: int | None, contest_id: str | None) -> C.Comparison:
    return C.compare(data.dataset(), data.document_data(), list(applicants), year_from, year_to, contest_id)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _comparison_xlsx(url: str, rev: int, applicants: tuple, year_from: int | None, year_to: int | None, contest_id: str | None) -> bytes:
    return comparison_workbook(_comparison(url, rev, applicants, year_from, year_to, contest_id))


def comparison(applicants: list[C.Applicant], year_from: int | None, year_to: int | None, contest_id: str | None) -> C.Comparison:
    """The comparison, cached per store revision (a rerun that changes nothing costs a lookup)."""
    return _comparison(data.db_url(), data.revision(), tuple(applicants), year_from, year_to, contest_id)


_SBS_CSS = """<style>
.tos-sbs {width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 0.9rem; margin-bottom: 0.5rem;}
.tos-sbs th, .tos-sbs td {border-bottom: 1px solid #E5E8EE; padding: 6px 8px; vertical-align: top; text-align: left; overflow-wrap: anywhere;}
.tos-sbs thead th {background: #F4F7FB; font-weight: 600; border-bottom: 2px solid #C9D3E0;}
.tos-sbs thead th .p {font-weight: 400; color: #5A6472; font-size: 0.8rem;}
.tos-sbs tbody th {font-weight: 500;}
.tos-sbs tr.g td {background: #EEF2F7; font-weight: 600; padding-top: 9px;}
.tos-sbs .v {font-weight: 600; font-size: 1rem;}
.tos-sbs .blank .v {color: #9AA5B1; font-weight: 400;}
.tos-sbs .s {color: #5A6472; font-size: 0.76rem; margin-top: 2px; line-height: 1.3;}
.tos-sbs td.c {background: #FFF4E5;}
</style>"""


def side_by_side_html(cmp: C.Comparison, sources: bool = True) -> str:
    """The comparison as one table: a column per applicant, each figure with its source in small print under it.

    Every text comes from documents or users, so all of it is escaped; the app adds only the markup.
    """
    import html

    frame = C.side_by_side(cmp, sources=True)
    e = html.escape
    width = 78 / max(1, len(cmp.applicants))
    cols = '<col style="width: 22%">' + "".join(f'<col style="width: {width:.2f}%">' for _ in cmp.applicants)
    head = "<th>Показатель</th>" + "".join(
        f"<th>{e(a.name)}" + (f'<div class="p">{a.place} место' + (", рекомендована" if a.recommended else "") + "</div>" if a.place else "") + "</th>"
        for a in cmp.applicants
    )
    body = []
    for group in dict.fromkeys(frame["Раздел"]):
        body.append(f'<tr class="g"><td colspan="{len(cmp.applicants) + 1}">{e(group)}</td></tr>')
        for rec in frame[frame["Раздел"] == group].to_dict("records"):
            cells = []
            for a in cmp.applicants:
                value = rec.get(a.name, "—")
                source = rec.get(f"{a.name}: источник", "")
                css = " ".join(x for x in ("c" if "⚠" in value else "", "blank" if value == "—" else "") if x)
                small = f'<div class="s">{e(source)}</div>' if sources and source else ""
                cells.append(f'<td class="{css}"><div class="v">{e(value)}</div>{small}</td>')
            body.append(f"<tr><th>{e(rec['Показатель'])}</th>{''.join(cells)}</tr>")
    return f'{_SBS_CSS}<table class="tos-sbs"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def remembered_tabs(labels: list[str], key: str):
    """Tabs that keep the chosen one across reruns and page switches, and run only the open one.

    The key gives the widget a stable identity (a message above the tabs no longer resets them);
    the last choice is also kept under another key, since Streamlit forgets widget state when the
    page is left. Callers skip a tab whose `.open` is False, so a rerun computes one tab only.
    """
    last = f"{key}|last"
    if st.session_state.get(key) not in labels and st.session_state.get(last) in labels:
        st.session_state[key] = st.session_state[last]
    tabs = st.tabs(labels, key=key, on_change="rerun")
    if st.session_state.get(key) in labels:
        st.session_state[last] = st.session_state[key]
    return tabs


def is_open(tab) -> bool:
    """Whether a tab's content should run (True when Streamlit does not track the tab's state)."""
    return getattr(tab, "open", None) is not False


def _short(name: str) -> str:
    """«Беловский городской округ» → «Беловский ГО» for narrow column headers."""
    for long, short in (("городской округ", "ГО"), ("муниципальный округ", "МО"), ("муниципальный район", "МР"), ("городское поселение", "ГП"), ("сельское поселение", "СП")):
        name = name.replace(long, short)
    return name


def _table(frame: pd.DataFrame, columns: dict[str, str], key: str, config: dict | None = None) -> None:
    if frame is None or frame.empty:
        st.caption("Строк нет.")
        return
    cols = [c for c in columns if c in frame.columns]
    view = frame[cols].rename(columns=columns)
    st.dataframe(view, hide_index=True, key=key, column_config=config or {}, height=min(460, 38 + 35 * len(view)), placeholder=S.UNKNOWN)


# --------------------------------------------------------------------------- contests and results
def render_results(ds: Dataset, dd: DocumentData, filters: Filters) -> None:
    contests = CT.contests_table(ds, dd, filters)
    chosen = None
    if dd["contests"].empty:
        st.info(S.CT_EMPTY)
        return
    if contests.empty:
        st.info(S.DOCS_FILTERED_EMPTY)
    else:
        apps = dd["applications"]
        shown = apps[apps["contest_id"].isin(contests["contest_id"])]
        c1, c2, c3 = st.columns(3)
        c1.metric(S.CT_M_CONTESTS, fmt_int(len(contests)))
        c2.metric(S.CT_M_APPLICATIONS, fmt_int(len(shown)))
        c3.metric(S.CT_M_WINNERS, fmt_int(int(shown["recommended"].fillna(False).astype(bool).sum())))
        st.caption(S.CT_FILTERS_NOTE)
        C_ = S.DOCS_COL
        _table(
            contests,
            {"name": C_["contest"], "year": C_["year"], "level": C_["level"], "region": C_["region"], "decided_on": C_["decided_on"],
             "applications": C_["applications"], "nomination": C_["nomination"], "file_name": C_["file_name"]},
            "ct_contests_table",
            {C_["year"]: st.column_config.NumberColumn(C_["year"], format="%d"), C_["nomination"]: TEXT(C_["nomination"], width="large")},
        )  # fmt: skip
        labels = {
            cid: f"{n}, {int(y) if y == y else '—'} — {r or '—'}"
            for cid, n, y, r in zip(contests["contest_id"], contests["name"], contests["year"], contests["region"], strict=True)
        }
        if st.session_state.get(K_CONTEST) not in labels:
            st.session_state[K_CONTEST] = next(iter(labels))
        chosen = st.selectbox(S.CT_CHOOSE_CONTEST, list(labels), format_func=labels.get, key=K_CONTEST)
        info = CT.contest_info(ds, dd, chosen)
        st.subheader(md(f"{info['name']}, {info['year'] or '—'}"))
        facts = [f"{info['level']} этап" if info["level"] else None, info["region"], f"протокол утверждён {info['decided_on']}" if info["decided_on"] else None]
        st.caption(" · ".join(md(f) for f in facts if f) + (f" · {S.COL['file_name']}: {md(info['file_name'])}" if info["file_name"] else ""))
        if info["nomination"]:
            st.markdown(f"Номинация: «{md(info['nomination'])}»")
        st.markdown(f"**{S.CT_RESULTS}**")
        results = CT.results_table(ds, dd, chosen)
        _table(
            results,
            {"place_text": "Место", "municipality": C_["municipality"], "category_text": C_["category_text"], "recommended_text": C_["recommended_text"],
             "practice_title": C_["practice_title"], "file_name": C_["file_name"], "source_ref": C_["source_ref"]},
            "ct_results_table",
            {C_["practice_title"]: TEXT(C_["practice_title"], width="large")},
        )  # fmt: skip
        st.caption("Чтобы поставить этих заявителей рядом, откройте вкладку «Сравнение заявителей»: конкурс там уже выбран.")
    st.divider()
    st.markdown(f"**{S.CT_HISTORY}**")
    regions = dict(zip(ds.regions["region_id"], ds.regions["name"], strict=True)) if len(ds.regions) else {}
    with_contests = [r for r in dict.fromkeys(dd["contests"]["region_id"].dropna()) if r in regions]
    if not with_contests:
        st.caption("В протоколах не указан регион.")
        return
    preferred = [r for r in filters.region_ids if r in with_contests]
    # The history follows the contest chosen above (the user may still pick another region below).
    if chosen is not None and st.session_state.get(K_HISTORY_FOR) != chosen:
        st.session_state[K_HISTORY_FOR] = chosen
        contest_region = dd["contests"].set_index("contest_id")["region_id"].get(chosen)
        if contest_region in with_contests:
            st.session_state[K_HISTORY_REGION] = contest_region
    if st.session_state.get(K_HISTORY_REGION) not in with_contests:
        st.session_state[K_HISTORY_REGION] = preferred[0] if preferred else sorted(with_contests, key=regions.get)[0]
    region = st.selectbox(S.CT_HISTORY_REGION, sorted(with_contests, key=regions.get), format_func=regions.get, key=K_HISTORY_REGION)
    history = CT.region_history(ds, dd, region)
    pivot = CT.history_pivot(history)
    st.dataframe(pivot, hide_index=True, key="ct_history_pivot", height=min(400, 38 + 35 * len(pivot)), placeholder=S.UNKNOWN)
    st.caption(S.CT_HISTORY_NOTE)
    with st.expander("Все заявки региона с документами"):
        view = history.assign(place_text=[CT.place_text(p, r) for p, r in zip(history["place"], history["recommended"], strict=True)])
        _table(
            view,
            {"year": S.M_YEAR, "contest": S.DOCS_COL["contest"], "municipality": S.M_MUNICIPALITY, "category": "Категория", "place_text": "Место",
             "nomination": S.DOCS_COL["nomination"], "file_name": S.DOCS_COL["file_name"], "source_ref": S.DOCS_COL["source_ref"]},
            "ct_history_table",
            {S.M_YEAR: st.column_config.NumberColumn(S.M_YEAR, format="%d")},
        )  # fmt: skip


# --------------------------------------------------------------------------- side by side
def _pick_applicants(ds: Dataset, dd: DocumentData, filters: Filters) -> tuple[list[C.Applicant], str | None, int | None]:
    """The applicants to compare, the contest they come from (if any) and its year."""
    contests = CT.contests_table(ds, dd, Filters())
    sources = [S.CT_SOURCE_CONTEST, S.CT_SOURCE_ANY] if len(contests) else [S.CT_SOURCE_ANY]
    if st.session_state.get(K_SOURCE) not in sources:
        st.session_state[K_SOURCE] = sources[0]
    source = st.radio(S.CT_PICK_SOURCE, sources, key=K_SOURCE, horizontal=True)
    if source == S.CT_SOURCE_CONTEST:
        labels = {
            cid: f"{n}, {int(y) if y == y else '—'} — {r or '—'}"
            for cid, n, y, r in zip(contests["contest_id"], contests["name"], contests["year"], contests["region"], strict=True)
        }
        if st.session_state.get(K_CMP_CONTEST) not in labels:
            picked = st.session_state.get(K_CONTEST)
            st.session_state[K_CMP_CONTEST] = picked if picked in labels else next(iter(labels))
        contest_id = st.selectbox(S.CT_CHOOSE_CONTEST, list(labels), format_func=labels.get, key=K_CMP_CONTEST)
        apps = C.applicants_of(ds, dd, contest_id)
        by_id = {a.municipality_id: a for a in apps}
        state_key = f"{K_CMP_APPLICANTS}|{contest_id}"
        if state_key not in st.session_state:
            st.session_state[state_key] = list(by_id)
        chosen = st.multiselect(
            S.CT_PICK_APPLICANTS, list(by_id), key=state_key, max_selections=MAX_COMPARED,
            format_func=lambda m: by_id[m].name + (f" — {by_id[m].place} место" if by_id[m].place else ""),
        )  # fmt: skip
        year = CT.contest_info(ds, dd, contest_id)["year"]
        return [by_id[m] for m in chosen], contest_id, year
    options = CT.comparable_municipalities(ds, dd, filters)
    if K_CMP_MUNICIPALITIES not in st.session_state:
        st.session_state[K_CMP_MUNICIPALITIES] = [m for m in filters.municipality_ids if m in options][:MAX_COMPARED]
    st.session_state[K_CMP_MUNICIPALITIES] = [m for m in st.session_state[K_CMP_MUNICIPALITIES] if m in options]
    chosen = st.multiselect(
        S.CT_PICK_MUNICIPALITIES, list(options), format_func=options.get, key=K_CMP_MUNICIPALITIES, max_selections=MAX_COMPARED,
        placeholder="начните вводить название",
    )  # fmt: skip
    return [C.Applicant(m, options[m]) for m in chosen], None, None


def render_compare(ds: Dataset, dd: DocumentData, filters: Filters) -> None:
    applicants, contest_id, contest_year = _pick_applicants(ds, dd, filters)
    if len(applicants) < 2:
        st.info(S.CT_PICK_HINT)
        return
    periods = [S.CT_PERIOD_FILTERS] + ([S.CT_PERIOD_CONTEST] if contest_year else [])
    if st.session_state.get(K_PERIOD) not in periods:
        st.session_state[K_PERIOD] = periods[0]
    labels = {
        S.CT_PERIOD_FILTERS: f"как в фильтрах ({filters.year_from or '…'}–{filters.year_to or '…'})",
        S.CT_PERIOD_CONTEST: f"годы конкурса ({contest_year - 2}–{contest_year})" if contest_year else "",
    }
    period = st.radio(S.CT_PERIOD, periods, format_func=labels.get, key=K_PERIOD, horizontal=True)
    year_from, year_to = (filters.year_from, filters.year_to) if period == S.CT_PERIOD_FILTERS else (contest_year - 2, contest_year)
    cmp = comparison(applicants, year_from, year_to, contest_id)
    st.caption(md(C.describe_period(cmp)) + ". " + md(S.CT_BLANK_NOTE))
    with_sources = st.toggle(S.CT_SHOW_SOURCES, value=True, key=K_SOURCES)
    st.html(side_by_side_html(cmp, with_sources))
    lines = C.conflicts_text(cmp)
    if lines:
        st.warning(f"**{S.CT_CONFLICTS}** ({len(lines)}):\n" + "\n".join(f"- {md(line)}" for line in lines))
    else:
        st.success(S.CT_NO_CONFLICTS)
    for note in cmp.notes:
        st.caption(md(note))
    with st.expander(S.CT_ALL_SOURCES):
        _table(C.sources_table(cmp), S.CT_COLUMNS, "ct_sources_table", {S.CT_COLUMNS["place"]: TEXT(S.CT_COLUMNS["place"], width="large")})
    norm = C.normalised(cmp)
    kind = st.radio(S.CT_CHART, [S.CT_CHART_BARS, S.CT_CHART_RADAR], key=K_CHART, horizontal=True)
    title = "На жителя и на один ТОС"
    fig = charts.normalised_bars(norm, title) if kind == S.CT_CHART_BARS else charts.radar(norm, f"{title}: доля от лучшего заявителя")
    st.plotly_chart(fig, config={"displaylogo": False}, key="ct_chart")
    if kind == S.CT_CHART_RADAR:
        st.caption("100 % — лучший из выбранных заявителей по этому показателю; наведите на точку, чтобы увидеть само значение. Стоимость на жителя здесь не показана: больше — не значит лучше.")
    st.download_button(
        S.CT_DOWNLOAD_COMPARE,
        data=_comparison_xlsx(data.db_url(), data.revision(), tuple(applicants), year_from, year_to, contest_id),
        file_name="Сравнение_заявителей.xlsx", mime=XLSX_MIME, key="ct_cmp_download"
    )
