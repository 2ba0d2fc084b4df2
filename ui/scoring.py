"""The staff part of «Конкурсы»: the commission, its criteria, the members' scores, results, the sheet.

It refuses anyone who is not signed-in staff by itself (and every write in store.scoring checks the
role again). What a member's scores look like before «Сохранить» lives in st.session_state, not
in the widgets: a rerun, another tab or another page loses nothing; the store keeps every saved
score with who entered it and when.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import strings as S
from analytics import contest_charts as charts
from analytics import contests as CT
from analytics import scoring as SC
from analytics.compare import Applicant
from analytics.dataset import Dataset, Filters
from analytics.documents import DocumentData
from analytics.formatting import fmt_int, fmt_moment, fmt_moments, moment_column, plural
from loaders.base import ParseError
from reports import commission as report
from store import scoring as store
from store.accounts import Actor
from ui import auth, data
from ui.contests import XLSX_MIME, comparison, is_open, remembered_tabs
from ui.widgets import download_on_request, md, russian_file_uploader

K_WS = "ct_ws"
DRAFTS = "ct_drafts"  # editor name → unsaved edits (a frame, or {(applicant, criterion): points} for scores)
FROZEN = "ct_frozen"  # editor name → (version, the frame the editor was opened with, the draft it showed)
VERSIONS = "ct_versions"  # editor name → a counter; a new one opens the editor afresh
FLASH = "ct_flash"
UPLOADS = "ct_uploads"
NUM = st.column_config.NumberColumn
TEXT = st.column_config.TextColumn
ROLES = ["председатель", "заместитель председателя", "секретарь", "член комиссии"]
KIND_LABELS = {SC.MANUAL: "оценивают члены комиссии", SC.FIGURE: "по цифрам"}
NO_FIGURE = "—"


# --------------------------------------------------------------------------- session helpers
def _state(name: str) -> dict:
    return st.session_state.setdefault(name, {})


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, text))


def _show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        {"success": st.success, "info": st.info, "error": st.error, "warning": st.warning}[kind](text)


def _reset(name: str) -> None:
    _state(DRAFTS).pop(name, None)
    _state(FROZEN).pop(name, None)
    versions = _state(VERSIONS)
    versions[name] = versions.get(name, 0) + 1


def _rows(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), None).values.tolist()


def _editor(name: str, stored: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """A data editor whose unsaved edits survive reruns and page switches.

    The frame it opens with stays fixed while the widget lives (so Streamlit keeps the edits); the
    edited frame is copied into session state after every run, and the editor reopens from that
    copy when the page is visited again.
    """
    version = _state(VERSIONS).get(name, 0)
    key = f"{name}|{version}"
    frozen = _state(FROZEN)
    if key not in st.session_state or name not in frozen or frozen[name][0] != version:
        frozen[name] = (version, _state(DRAFTS).get(name, stored), None)
    edited = st.data_editor(frozen[name][1], key=key, **kwargs)
    if len(edited) == len(stored) and _rows(edited) == _rows(stored):
        _state(DRAFTS).pop(name, None)
    else:
        _state(DRAFTS)[name] = edited.copy()
    return edited


def _has_draft(name: str) -> bool:
    return name in _state(DRAFTS)


# --------------------------------------------------------------------------- the whole part
def render(ds: Dataset, dd: DocumentData, actor: Actor | None = None) -> None:
    """The scoring part; it checks the role itself."""
    actor = actor or auth.current_actor()
    if not actor.is_staff:
        st.error(S.CT_SCORING_REFUSED)
        return
    engine = data.engine()
    _show_flash()
    workspaces = store.list_contests(engine)
    _open_contest(ds, dd, engine, actor, workspaces)
    if workspaces.empty:
        st.info("Откройте конкурс для оценки: из загруженного протокола или новый — с заявителями, которых выберете.")
        return
    labels = {r.contest_id: f"{r.name}" + (f", {int(r.year)}" if pd.notna(r.year) else "") for r in workspaces.itertuples()}
    if st.session_state.get(K_WS) not in labels:
        st.session_state[K_WS] = next(iter(labels))
    cid = st.selectbox("Конкурс, который оценивает комиссия", list(labels), format_func=labels.get, key=K_WS)
    record = store.load_workspace(engine, cid)
    if record is None:
        st.warning("Конкурс удалён другим сотрудником.")
        return
    ws = CT.workspace_from_store(ds, record)
    _summary(ws, workspaces[workspaces["contest_id"] == cid].iloc[0])
    tabs = remembered_tabs(["Комиссия и критерии", "Ввод оценок", "Загрузка из Excel", "Итоги", "Ведомость и журнал"], "ct_scoring_tabs")
    def entry() -> None:
        _entry(engine, actor, ws, _evaluate(ds, dd, ws)[1])

    def results() -> None:
        _results(ws, _evaluate(ds, dd, ws)[1])

    def export() -> None:
        cmp, res = _evaluate(ds, dd, ws)
        _export(engine, actor, ws, res, cmp)

    steps = [lambda: _setup(ds, dd, engine, actor, ws), entry, lambda: _upload(engine, actor, ws), results, export]
    for tab, step in zip(tabs, steps, strict=True):
        if is_open(tab):  # only the open tab runs
            with tab:
                step()


def _evaluate(ds: Dataset, dd: DocumentData, ws: CT.Workspace) -> tuple:
    """The applicants' facts (cached per store revision) and the results of the scores as stored now."""
    applicants = [Applicant(e.municipality_id, e.name, e.category) for e in ws.entrants]
    cmp = comparison(applicants, ws.period_from, ws.period_to, ws.source_contest_id)
    return CT.evaluate(ds, dd, ws, cmp)


def _summary(ws: CT.Workspace, row) -> None:
    n_app, n_mem, n_sc = len(ws.entrants), len(ws.members), int(row["scores"])
    expected = n_app * n_mem * len(ws.criteria.manual)
    parts = [
        f"{fmt_int(n_app)} {plural(n_app, 'заявитель', 'заявителя', 'заявителей')}",
        f"{fmt_int(n_mem)} {plural(n_mem, 'член', 'члена', 'членов')} комиссии",
        f"{fmt_int(len(ws.criteria.criteria))} {plural(len(ws.criteria.criteria), 'критерий', 'критерия', 'критериев')}",
        f"оценок {fmt_int(n_sc)} из {fmt_int(expected)}" if expected else "оценок пока нет",
    ]
    changed = f"; изменено {fmt_moment(ws.updated_at)} ({md(ws.updated_by)})" if ws.updated_at is not None else ""
    st.caption(" · ".join(parts) + changed)
    if ws.commission:
        st.caption(f"Комиссия: {md(ws.commission)}")


# --------------------------------------------------------------------------- opening a contest
def _open_contest(ds: Dataset, dd: DocumentData, engine, actor: Actor, workspaces: pd.DataFrame) -> None:
    with st.expander("Открыть конкурс для оценки", expanded=workspaces.empty):
        contests = CT.contests_table(ds, dd, Filters())
        opened = set(workspaces["contest_id"]) if len(workspaces) else set()
        from_protocol = contests[~contests["contest_id"].isin(opened)] if len(contests) else contests
        kinds = (["по протоколу"] if len(from_protocol) else []) + ["новый конкурс"]
        kind = st.radio("Откуда заявители", kinds, horizontal=True, key="ct_open_kind")
        if kind == "по протоколу":
            labels = {
                c: f"{n}, {int(y) if y == y else '—'} — {r or '—'}"
                for c, n, y, r in zip(from_protocol["contest_id"], from_protocol["name"], from_protocol["year"], from_protocol["region"], strict=True)
            }
            chosen = st.selectbox("Конкурс из протокола", list(labels), format_func=labels.get, key="ct_open_protocol")
            commission = st.text_input("Комиссия (как её назвать в ведомости)", key="ct_open_commission_p")
            st.caption("Заявители, категории и номинация берутся из протокола; места протокола не переносятся — комиссия оценивает заново.")
            if st.button("Открыть для оценки", key="ct_open_protocol_btn", type="primary"):
                info = CT.contest_info(ds, dd, chosen)
                apps = [(a.municipality_id, a.category) for a in _applicants_of(ds, dd, chosen)]
                _try(lambda: store.create_contest(
                    engine, actor, name=info["name"], year=info["year"], applicants=apps, region_id=info["region_id"],
                    nomination=info["nomination"], level=info["level"], commission=commission, source_contest_id=chosen, contest_id=chosen,
                ), success="Конкурс открыт для оценки. Задайте состав комиссии и критерии.", select=True)  # fmt: skip
            return
        with st.form("ct_open_new", border=False):
            name = st.text_input("Название конкурса", placeholder="Конкурс проектов ТОС")
            c1, c2 = st.columns(2)
            year = c1.number_input("Год", min_value=2000, max_value=2100, value=ds.today.year, step=1)
            level = c2.selectbox("Этап", ["региональный", "муниципальный", "федеральный"])
            region_names = dict(zip(ds.regions["region_id"], ds.regions["name"], strict=True)) if len(ds.regions) else {}
            region = st.selectbox("Регион", [None, *sorted(region_names, key=region_names.get)], format_func=lambda r: region_names.get(r, "—") if r else "—")
            nomination = st.text_input("Номинация (если есть)")
            commission = st.text_input("Комиссия (как её назвать в ведомости)")
            options = CT.comparable_municipalities(ds, dd, Filters(region_ids=(region,) if region else ()))
            chosen = st.multiselect("Заявители", list(options), format_func=options.get, placeholder="начните вводить название")
            category = st.radio("Категория заявителей", ["I", "II", "без категории"], horizontal=True, help=S.DOCS_COL["category_text"])
            submitted = st.form_submit_button("Открыть для оценки", type="primary")
        if submitted:
            cat = None if category == "без категории" else category
            _try(lambda: store.create_contest(
                engine, actor, name=name, year=int(year), applicants=[(m, cat) for m in chosen], region_id=region,
                nomination=nomination or None, level=level, commission=commission,
            ), success="Конкурс открыт для оценки. Задайте состав комиссии и критерии.", select=True)  # fmt: skip


def _applicants_of(ds: Dataset, dd: DocumentData, contest_id: str):
    from analytics.compare import applicants_of

    return applicants_of(ds, dd, contest_id)


def _try(action, success: str, select: bool = False, on_success=None) -> bool:
    """Run a store write; Russian messages for the user, then a rerun that shows the outcome.

    On refusal nothing is reset: what the user typed stays in the editors for them to fix.
    """
    try:
        result = action()
    except store.ScoreInputError as exc:
        for message in exc.messages:
            st.error(md(message))
        return False
    if select and isinstance(result, str):
        st.session_state[K_WS] = result
    if on_success is not None:
        on_success()
    _flash("success", success)
    st.rerun()
    return True


# --------------------------------------------------------------------------- commission and criteria
def _setup(ds: Dataset, dd: DocumentData, engine, actor: Actor, ws: CT.Workspace) -> None:
    cid = ws.contest_id
    with st.expander("Конкурс: название, комиссия, годы для цифр", expanded=False):
        with st.form(f"ct_title|{cid}", border=False):
            name = st.text_input("Название конкурса", value=ws.name)
            c1, c2, c3 = st.columns(3)
            year = c1.number_input("Год конкурса", min_value=2000, max_value=2100, value=int(ws.year or ds.today.year), step=1)
            pf = c2.number_input("Цифры с года", min_value=1990, max_value=2100, value=int(ws.period_from or (ws.year or ds.today.year) - 2), step=1)
            pt = c3.number_input("по год", min_value=1990, max_value=2100, value=int(ws.period_to or ws.year or ds.today.year), step=1)
            commission = st.text_input("Комиссия", value=ws.commission or "")
            nomination = st.text_area("Номинация", value=ws.nomination or "", height=80)
            st.caption("«Цифры с … по …» — годы, за которые берутся проекты и их стоимость для критериев «по цифрам»; ТОС и жители — на конец последнего года.")
            if st.form_submit_button("Сохранить"):
                _try(lambda: store.update_contest(
                    engine, cid, actor, name=name, year=int(year), period_from=int(pf), period_to=int(pt), commission=commission or None,
                    nomination=nomination or None,
                ), success="Сохранено.")  # fmt: skip
    st.markdown("**Состав комиссии**")
    stored_members = pd.DataFrame(
        {"member": pd.Series([m for m, _ in ws.members], dtype=object), "role": pd.Series([r for _, r in ws.members], dtype=object)}
    )
    members = _editor(
        f"ct_members|{cid}", stored_members, num_rows="dynamic", hide_index=True,
        column_config={"member": TEXT("Член комиссии (Фамилия И. О.)", width="large", required=True), "role": st.column_config.SelectboxColumn("Роль", options=ROLES, width="medium")},
    )  # fmt: skip
    if _has_draft(f"ct_members|{cid}"):
        st.caption("Состав изменён, но не сохранён.")
    if st.button("Сохранить состав комиссии", key=f"ct_members_save|{cid}"):
        rows = [(m, r) for m, r in zip(members["member"], members["role"], strict=True) if isinstance(m, str) and m.strip()]
        gone = sorted(set(ws.member_names) - {" ".join(m.split()) for m, _ in rows})
        scored = set(ws.scores["member"]) if len(ws.scores) else set()
        if gone and scored & set(gone):
            _flash("warning", f"Оценки {', '.join(sorted(scored & set(gone)))} сохранены в журнале, но в итоги больше не входят.")
        _try(lambda: store.save_members(engine, cid, rows, actor), success="Состав комиссии сохранён.", on_success=lambda: _reset(f"ct_members|{cid}"))
    _criteria(engine, actor, ws)
    _applicants(ds, dd, engine, actor, ws)


def _criteria(engine, actor: Actor, ws: CT.Workspace) -> None:
    cid = ws.contest_id
    name = f"ct_criteria|{cid}"
    st.markdown("**Критерии оценки**")
    facts = CT.figure_fact_options()
    percent = CT.percent_facts()
    c1, c2 = st.columns([3, 1])
    preset = c1.selectbox("Начать с готового набора", list(SC.PRESETS), format_func=SC.PRESET_NAMES.get, key=f"ct_preset|{cid}")
    if c2.button("Взять набор", key=f"ct_preset_btn|{cid}", help="Заменяет таблицу ниже (до сохранения в базе ничего не меняется)"):
        cs = SC.PRESETS[preset]()
        _reset(name)
        _state(DRAFTS)[name] = _typed_criteria(_criteria_view(SC.criteria_frame(cs, percent), facts))
        _state(DRAFTS)[f"{name}|tie"] = cs.tie_rule
        _state(DRAFTS)[f"{name}|name"] = cs.name
        st.rerun()
    stored = _typed_criteria(_criteria_view(SC.criteria_frame(ws.criteria, percent), facts))
    edited = _editor(
        name, stored, num_rows="dynamic", hide_index=True, column_order=["name", "min_points", "max_points", "weight", "kind", "figure", "bands"],
        column_config={
            "name": TEXT("Критерий", width="medium", required=True),
            "min_points": NUM("Мин. балл", min_value=0, step=1, format="localized", required=True),
            "max_points": NUM("Макс. балл", min_value=0, step=1, format="localized", required=True),
            "weight": NUM("Вес", min_value=0, step=0.05, format="localized", default=1.0),
            "kind": st.column_config.SelectboxColumn("Как оценивается", options=list(KIND_LABELS.values()), default=KIND_LABELS[SC.MANUAL], width="medium"),
            "figure": st.column_config.SelectboxColumn("Показатель (для «по цифрам»)", options=[NO_FIGURE, *facts.values()], width="medium"),
            "bands": TEXT("Диапазоны → баллы", width="large", help="Например: < 1000: 1; 1000–4000: 2; > 4000: 3. Доли — в процентах: < 10 %: 1"),
        },
    )  # fmt: skip
    set_name = _state(DRAFTS).get(f"{name}|name") or ws.criteria.name
    tie = _state(DRAFTS).get(f"{name}|tie") or ws.criteria.tie_rule
    frame = _criteria_back(edited, facts)
    version = _state(VERSIONS).get(name, 0)
    tie_kind = st.radio(
        "При равенстве итоговых баллов", [SC.TIE_CRITERIA, SC.TIE_SHARED], horizontal=True, key=f"ct_tie|{cid}|{version}",
        index=0 if tie.kind == SC.TIE_CRITERIA else 1,
        format_func={SC.TIE_CRITERIA: "выше место — у того, кто выше по критерию", SC.TIE_SHARED: "заявители делят место"}.get,
    )  # fmt: skip
    try:
        keyed = SC.criteria_from_frame(frame, set_name, SC.TieRule())
        names = {c.key: c.name for c in keyed.criteria if c.name}
    except SC.ScoringError:
        names = {c.key: c.name for c in ws.criteria.criteria}
    chain: list[str] = []
    if tie_kind == SC.TIE_CRITERIA:
        chain = st.multiselect(
            "Критерии, которые решают равенство (по порядку)", list(names), default=[k for k in tie.criteria if k in names],
            format_func=names.get, key=f"ct_tie_chain|{cid}|{version}",
        )  # fmt: skip
    try:
        cs = SC.criteria_from_frame(frame, set_name, SC.TieRule(tie_kind, tuple(chain)))
        errors = SC.validate(cs, tuple(facts))
    except SC.ScoringError as exc:
        cs, errors = None, [str(exc)]
    if cs is not None and not errors:
        st.caption(
            f"Наибольший возможный итог — {SC.fmt_points(cs.max_total)}; {cs.total_rule_text()}. "
            f"Критериев по цифрам: {len(cs.figure)}; их считают по данным панели за {ws.period_from or '…'}–{ws.period_to or '…'} гг."
        )
    if errors == ["В наборе нет ни одного критерия."]:
        st.info("Критериев пока нет: возьмите готовый набор выше или впишите свои строки в таблицу.")
    else:
        for e in errors:
            st.error(md(e))
    changed = _has_draft(name) or cs is not None and (cs.tie_rule != ws.criteria.tie_rule)
    if changed:
        st.caption("Критерии изменены, но не сохранены.")
    if st.button("Сохранить критерии", key=f"ct_criteria_save|{cid}", disabled=bool(errors) or cs is None, type="primary" if changed else "secondary"):

        def saved() -> None:
            _reset(name)
            _state(DRAFTS).pop(f"{name}|tie", None)
            _state(DRAFTS).pop(f"{name}|name", None)

        _try(
            lambda: store.save_criteria(engine, cid, [c.as_record() for c in cs.criteria], actor, name=cs.name, tie_rule=cs.tie_rule.as_record()),
            success="Критерии сохранены.",
            on_success=saved,
        )


def _criteria_view(frame: pd.DataFrame, facts: dict[str, str]) -> pd.DataFrame:
    """Kinds and figures in Russian for the editor."""
    return frame.assign(kind=frame["kind"].map(KIND_LABELS), figure=frame["figure"].map(lambda f: facts.get(f, NO_FIGURE) if isinstance(f, str) else NO_FIGURE))


def _typed_criteria(frame: pd.DataFrame) -> pd.DataFrame:
    """Column types the editor accepts even when the set is empty (an empty column would be float)."""
    out = frame.copy()
    for col in ("key", "name", "kind", "figure", "bands"):
        out[col] = out[col].astype(object)
    for col in ("min_points", "max_points", "weight"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    return out


def _criteria_back(frame: pd.DataFrame, facts: dict[str, str]) -> pd.DataFrame:
    kinds = {v: k for k, v in KIND_LABELS.items()}
    by_label = {v: k for k, v in facts.items()}
    out = frame.copy()
    out["kind"] = out["kind"].map(lambda k: kinds.get(k, SC.MANUAL) if isinstance(k, str) else SC.MANUAL)
    out["figure"] = out["figure"].map(lambda f: by_label.get(f) if isinstance(f, str) else None)
    if "key" not in out:
        out["key"] = None
    return out


def _applicants(ds: Dataset, dd: DocumentData, engine, actor: Actor, ws: CT.Workspace) -> None:
    cid = ws.contest_id
    with st.expander("Заявители и категории"):
        options = CT.comparable_municipalities(ds, dd, Filters(region_ids=(ws.region_id,) if ws.region_id else ()))
        for e in ws.entrants:
            options.setdefault(e.municipality_id, e.name)
        chosen = st.multiselect(
            "Заявители", list(options), default=[e.municipality_id for e in ws.entrants], format_func=options.get, key=f"ct_app_pick|{cid}"
        )
        current = {e.municipality_id: e.category for e in ws.entrants}
        stored = pd.DataFrame(
            {
                "municipality_id": pd.Series(chosen, dtype=object),
                "name": pd.Series([options[m] for m in chosen], dtype=object),
                "category": pd.Series([current.get(m) or "" for m in chosen], dtype=object),
            }
        )
        edited = _editor(
            f"ct_apps|{cid}|{'|'.join(chosen)}", stored, num_rows="fixed", hide_index=True, column_order=["name", "category"], disabled=["name"],
            column_config={"name": TEXT("Заявитель", width="large"), "category": st.column_config.SelectboxColumn("Категория", options=["I", "II", ""], width="small")},
        )  # fmt: skip
        st.caption("Категория I — городские округа, муниципальные округа и городские поселения; II — сельские поселения. Места присваиваются внутри категории.")
        if st.button("Сохранить заявителей", key=f"ct_apps_save|{cid}"):
            pairs = [(m, c or None) for m, c in zip(edited["municipality_id"], edited["category"], strict=True)]
            _try(lambda: store.save_applicants(engine, cid, pairs, actor), success="Заявители сохранены.")


# --------------------------------------------------------------------------- scores
def _score_frame(ws: CT.Workspace, member: str) -> pd.DataFrame:
    """Applicants × the criteria members score, the member's stored points (NaN: not scored)."""
    manual = ws.criteria.manual
    frame = pd.DataFrame({"municipality_id": [e.municipality_id for e in ws.entrants], "name": [e.name for e in ws.entrants]})
    mine = ws.scores[ws.scores["member"] == member] if len(ws.scores) else ws.scores
    lookup = {(r.municipality_id, r.criterion): float(r.points) for r in mine.itertuples()} if len(mine) else {}
    for c in manual:
        frame[c.key] = pd.Series([lookup.get((e.municipality_id, c.key)) for e in ws.entrants], dtype="float64")
    return frame


def _score_editor(ws: CT.Workspace, member: str) -> tuple[str, dict]:
    """The member's table; returns the editor name and the unsaved edits {(applicant, criterion): points}."""
    name = f"ct_scores|{ws.contest_id}|{member}"
    stored = _score_frame(ws, member)
    version = _state(VERSIONS).get(name, 0)
    key = f"{name}|{version}"
    frozen = _state(FROZEN)
    if key not in st.session_state or name not in frozen or frozen[name][0] != version:
        draft = dict(_state(DRAFTS).get(name) or {})
        base = stored.copy()
        rows = {m: i for i, m in enumerate(base["municipality_id"])}
        for (mid, crit), v in draft.items():
            if mid in rows and crit in base.columns:
                base.loc[rows[mid], crit] = float("nan") if v is None else v
        frozen[name] = (version, base, draft)
    _, base, base_draft = frozen[name]
    config = {"name": TEXT("Заявитель", width=230, disabled=True)}
    numbered = any(len(c.name) > 16 for c in ws.criteria.manual)
    for i, c in enumerate(ws.criteria.manual, start=1):
        # Long names do not fit a column: «К1 (1–10)» with the name in the tooltip and a legend below.
        label = f"К{i} ({c.range_text()})" if numbered else f"{c.name} ({c.range_text()})"
        config[c.key] = NUM(label, help=f"{c.name}: от {c.range_text()} баллов", min_value=c.min_points, max_value=c.max_points, format="localized")
    st.data_editor(
        base, key=key, num_rows="fixed", hide_index=True, column_order=["name", *[c.key for c in ws.criteria.manual]], column_config=config, disabled=["name"]
    )
    if numbered:
        st.caption(" · ".join(f"К{i} — {md(c.name)}" for i, c in enumerate(ws.criteria.manual, start=1)))
    # Only the cells this person touched are edits: a score someone else saved meanwhile is not overwritten.
    touched = dict(base_draft)
    for row, cells in (st.session_state.get(key) or {}).get("edited_rows", {}).items():
        mid = base["municipality_id"].iloc[int(row)]
        for crit, value in cells.items():
            if crit in base.columns and crit not in ("name", "municipality_id"):
                touched[(mid, crit)] = None if value is None or (isinstance(value, float) and pd.isna(value)) else float(value)
    stored_at = {(m, c): stored.loc[i, c] for i, m in enumerate(stored["municipality_id"]) for c in stored.columns[2:]}
    draft = {k: v for k, v in touched.items() if not _same(v, stored_at.get(k))}
    if draft:
        _state(DRAFTS)[name] = draft
    else:
        _state(DRAFTS).pop(name, None)
    return name, draft


def _same(a, b) -> bool:
    a_missing = a is None or (isinstance(a, float) and pd.isna(a))
    b_missing = b is None or (isinstance(b, float) and pd.isna(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    return abs(float(a) - float(b)) < 1e-9


def _entry(engine, actor: Actor, ws: CT.Workspace, results: SC.Results) -> None:
    cid = ws.contest_id
    if not ws.members or not ws.criteria.criteria:
        st.info("Сначала задайте состав комиссии и критерии (вкладка «Комиссия и критерии»).")
        return
    if not ws.criteria.manual:
        st.info("Все критерии набора считаются по цифрам — вводить оценки не нужно; итоги на вкладке «Итоги».")
    else:
        pending = [m for m in ws.member_names if _state(DRAFTS).get(f"ct_scores|{cid}|{m}")]
        member = st.selectbox(
            "Чьи оценки вносите", ws.member_names, key=f"ct_member|{cid}",
            format_func=lambda m: m + ("  • не сохранено" if m in pending else ""),
        )  # fmt: skip
        st.caption(
            f"Оценки сохранятся от имени члена комиссии «{md(member)}»; в журнале будет видно, что их внёс(ла) {md(actor.name)}. "
            "Пустая клетка — оценка не выставлена (это не ноль)."
        )
        name, draft = _score_editor(ws, member)
        c1, c2, c3 = st.columns([1.2, 1.2, 3])
        if draft:
            c3.warning(f"Не сохранено изменений: {len(draft)}. Они не пропадут при переходе на другую вкладку или страницу, но в итоги попадут только после сохранения.")
        if c1.button("Сохранить оценки", key=f"ct_scores_save|{cid}", type="primary", disabled=not draft):
            names = {c.key: c.name for c in ws.criteria.criteria}
            entries = [
                {"member": member, "municipality_id": mid, "criterion": crit, "points": v, "where": f"{ws.entrant_name(mid)}, «{names.get(crit, crit)}»"}
                for (mid, crit), v in draft.items()
            ]
            try:
                counts = store.save_scores(engine, cid, entries, actor)
            except store.ScoreInputError as exc:
                for message in exc.messages:
                    st.error(md(message))
            else:
                _reset(name)
                _flash("success", _counts_text(member, counts))
                st.rerun()
        if c2.button("Отменить изменения", key=f"ct_scores_discard|{cid}", disabled=not draft):
            _reset(name)
            st.rerun()
        mine = results.member_scores[results.member_scores["member"] == member]
        done = int(mine["scored"].sum()) if len(mine) else 0
        st.caption(f"Сохранено оценок этого члена комиссии: {done} из {len(ws.entrants) * len(ws.criteria.manual)}.")
        if pending and [m for m in pending if m != member]:
            st.caption("Не сохранены оценки: " + ", ".join(md(m) for m in pending if m != member) + ".")
    if ws.criteria.figure:
        st.markdown("**Критерии по цифрам** — одинаковы для всех членов комиссии, считаются сами")
        st.dataframe(_figures_view(ws, results), hide_index=True, key=f"ct_figures|{cid}", column_config={"Источник": TEXT("Источник", width="large")}, placeholder=S.UNKNOWN)


def _counts_text(member: str, counts: dict) -> str:
    parts = [f"новых {counts['entered']}", f"изменено {counts['changed']}", f"очищено {counts['cleared']}"]
    return f"Оценки «{member}» сохранены: " + ", ".join(parts) + "."


def _figures_view(ws: CT.Workspace, results: SC.Results) -> pd.DataFrame:
    rows = []
    for e in ws.entrants:
        for c in ws.criteria.figure:
            fs = results.figures.get((e.municipality_id, c.key))
            rows.append(
                {
                    "Заявитель": e.name,
                    "Критерий": c.name,
                    "Значение": fs.value_text if fs else "—",
                    "Баллы": SC.fmt_points(fs.points) if fs else "—",
                    "Диапазоны": SC.bands_text(c.bands, c.figure in CT.percent_facts()),
                    "Источник": (fs.source if fs else "") + (f" ({fs.note})" if fs and fs.note else ""),
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- uploads
def _upload(engine, actor: Actor, ws: CT.Workspace) -> None:
    cid = ws.contest_id
    if not ws.members or not ws.criteria.manual:
        st.info("Сначала задайте состав комиссии и критерии, которые оценивают члены комиссии.")
        return
    st.markdown(
        "Раздайте членам комиссии оценочные листы (по листу на каждого, с уже сохранёнными оценками) "
        "и загрузите заполненную книгу. Подходит и одна таблица со столбцами «Член комиссии», «Заявитель», «Критерий», «Балл»."
    )
    st.download_button(
        "Скачать оценочные листы (.xlsx)", data=report.score_form_workbook(ws, ws.scores), mime=XLSX_MIME,
        file_name=report.file_name(ws, "Оценочные_листы", dt.date.today()), key=f"ct_form|{cid}",
    )  # fmt: skip
    version = _state(VERSIONS).get(f"ct_upload|{cid}", 0)
    russian_file_uploader(many=False)
    file = st.file_uploader("Заполненные оценочные листы (.xlsx, .xls, .csv)", type=["xlsx", "xls", "csv"], key=f"ct_upload_file|{cid}|{version}")
    if file is not None and st.button("Разобрать файл", key=f"ct_upload_parse|{cid}"):
        from loaders.scores import ScoreSpec, parse_scores_isolated

        spec = ScoreSpec(
            applicants={e.municipality_id: e.name for e in ws.entrants},
            criteria=[(c.key, c.name, c.min_points, c.max_points) for c in ws.criteria.manual],
            members=ws.member_names,
            figure_criteria=[c.name for c in ws.criteria.figure],
        )
        try:
            _state(UPLOADS)[cid] = parse_scores_isolated(file.getvalue(), file.name, spec)
        except ParseError as exc:
            _state(UPLOADS).pop(cid, None)
            st.error(md(exc.message))
    parsed = _state(UPLOADS).get(cid)
    if parsed is None:
        return
    st.markdown(f"**{md(parsed.file_name)}**: найдено оценок {len(parsed.entries)}, ошибок {len(parsed.errors)}. Ничего ещё не сохранено.")
    if parsed.entries:
        summary = SC.upload_summary(parsed.entries, ws.scores, ws.member_names)
        st.table(
            summary.rename(columns={"member": "Член комиссии", "found": "Найдено оценок", "new": "Новых", "changed": "Изменятся", "same": "Как в базе"}).set_index(
                "Член комиссии"
            )
        )
        names = {c.key: c.name for c in ws.criteria.criteria}
        found = pd.DataFrame(parsed.entries)
        view = pd.DataFrame(
            {
                "Член комиссии": found["member"],
                "Заявитель": found["municipality_id"].map(ws.entrant_name),
                "Критерий": found["criterion"].map(names),
                "Балл": found["points"],
                "Где в файле": found["where"],
            }
        )
        with st.expander("Все найденные оценки"):
            st.dataframe(view, hide_index=True, key=f"ct_upload_view|{cid}", height=min(360, 38 + 35 * len(view)), placeholder=S.UNKNOWN)
    if parsed.errors:
        st.error("Строки с ошибками не будут сохранены — исправьте их в файле и загрузите снова, или сохраните остальное:")
        st.dataframe(
            pd.DataFrame(parsed.errors).rename(columns={"where": "Где", "message": "Что не так"}), hide_index=True, key=f"ct_upload_errors|{cid}",
            column_config={"Что не так": TEXT("Что не так", width="large")},
            placeholder=S.UNKNOWN,
        )  # fmt: skip
    for note in parsed.notes:
        st.caption(md(note))
    c1, c2 = st.columns([1, 4])
    if c1.button(f"Сохранить оценки ({len(parsed.entries)})", key=f"ct_upload_save|{cid}", type="primary", disabled=not parsed.entries):
        entries = list(parsed.entries)
        try:
            counts = store.save_scores(engine, cid, entries, actor, source="upload")
        except store.ScoreInputError as exc:
            for message in exc.messages:
                st.error(md(message))
            return
        _state(UPLOADS).pop(cid, None)
        _reset(f"ct_upload|{cid}")
        for m in ws.member_names:  # the editors reopen with what the file brought
            _reset(f"ct_scores|{cid}|{m}")
        _flash("success", f"Из файла сохранено: новых {counts['entered']}, изменено {counts['changed']}, без изменений {counts['unchanged']}.")
        st.rerun()
    if c2.button("Отменить", key=f"ct_upload_cancel|{cid}"):
        _state(UPLOADS).pop(cid, None)
        _reset(f"ct_upload|{cid}")
        st.rerun()


# --------------------------------------------------------------------------- results
def results_view(ws: CT.Workspace, results: SC.Results) -> pd.DataFrame:
    """The final table as the page shows it: place, applicant, averages, total, notes."""
    t = results.table
    out = pd.DataFrame(
        {
            "Место": t["place"].map(lambda p: "—" if p is None or pd.isna(p) else str(int(p))),
            "Заявитель": t["name"],
            "Категория": t["category"].fillna("—"),
        }
    )
    for c in ws.criteria.criteria:
        out[c.name] = t[c.key].map(SC.fmt_points)
    out["Итого"] = [SC.fmt_points(v) if v is not None and not pd.isna(v) else "неполный" for v in t["total"]]
    out["Примечание"] = [
        note if note else ("не все критерии оценены: " + ", ".join(u) if u else "")
        for note, u in zip(t["tie_note"], t["unscored"], strict=True)
    ]
    return out


def _results(ws: CT.Workspace, results: SC.Results) -> None:
    cid = ws.contest_id
    if not ws.criteria.criteria:
        st.info("Задайте критерии — здесь появятся средние баллы, итоги и места.")
        return
    view = results_view(ws, results)
    if not view["Примечание"].astype(bool).any():
        view = view.drop(columns="Примечание")
    # Static: long headers wrap instead of being cut; the total in bold.
    table = view.set_index("Место")
    st.table(table.style.set_properties(subset=["Итого"], **{"font-weight": "bold"}) if table.index.is_unique else table)
    cs = ws.criteria
    st.caption(
        "Средний балл — среднее оценок выставивших её членов комиссии, округлённое до сотых (7,125 → 7,13); "
        f"невыставленная оценка не считается нулём. {cs.total_rule_text().capitalize()}. Места — внутри категории; "
        f"{cs.tie_rule.describe(cs.criteria)}."
    )
    for note in results.notes + SC.missing_summary(results):
        st.warning(md(note))
    if results.table["total"].notna().any() or "partial_total" in results.table and results.table["partial_total"].notna().any():
        st.plotly_chart(charts.totals_chart(results, "Итоговые баллы по критериям"), config={"displaylogo": False}, key=f"ct_totals|{cid}")
    st.markdown("**Где оценки членов комиссии расходятся больше всего**")
    d = results.disagreements
    if d.empty:
        st.caption("Расхождений нет (или оценил только один член комиссии).")
    else:
        top = d.head(10)
        st.dataframe(
            pd.DataFrame(
                {
                    "Заявитель": top["name"],
                    "Критерий": top["criterion_name"],
                    "Оценок": top["n"].astype(int),
                    "От": top["min"].map(SC.fmt_points),
                    "До": top["max"].map(SC.fmt_points),
                    "Разброс, доля шкалы": (top["relative"] * 100).round(0),
                }
            ),
            hide_index=True,
            key=f"ct_spread|{cid}",
            column_config={"Разброс, доля шкалы": NUM("Разброс, % шкалы", format="%d %%")},
            placeholder=S.UNKNOWN,
        )
        st.plotly_chart(charts.disagreement_heatmap(results, "Разброс оценок: заявитель × критерий"), config={"displaylogo": False}, key=f"ct_heat|{cid}")


# --------------------------------------------------------------------------- export and journal
def _export(engine, actor: Actor, ws: CT.Workspace, results: SC.Results, cmp) -> None:
    """The final sheet on request, the score journal, and removing the contest."""
    cid = ws.contest_id
    st.markdown("**Итоговая ведомость** — книга Excel для печати и подписи: шапка, критерии, средние баллы, итоги, места, оценки каждого члена комиссии, расхождения, цифры заявителей с источниками и строки для подписей.")
    on = st.date_input("Дата ведомости", value=dt.date.today(), format="DD.MM.YYYY", key=f"ct_sheet_date|{cid}")
    key = (cid, on, ws.updated_at, len(ws.scores))
    download_on_request(
        st, f"ct_sheet|{cid}", key, "Подготовить итоговую ведомость",
        lambda: (report.commission_workbook(ws, results, cmp, on=on), report.file_name(ws, "Итоговая_ведомость", on)),
        XLSX_MIME, "Готовлю ведомость…", stale_note="Оценки или дата изменились — подготовьте ведомость заново.", primary=True,
    )  # fmt: skip
    with st.expander("Журнал оценок: кто, когда, что внёс"):
        history = store.score_history(engine, cid)
        if history.empty:
            st.caption("Оценок ещё не вносили.")
        else:
            names = {c.key: c.name for c in ws.criteria.criteria}
            st.dataframe(
                pd.DataFrame(
                    {
                        "Член комиссии": history["member"],
                        "Заявитель": history["municipality_id"].map(ws.entrant_name),
                        "Критерий": history["criterion"].map(lambda k: names.get(k, k)),
                        "Балл": history["points"].map(lambda v: "очищена" if v is None or pd.isna(v) else SC.fmt_points(v)),
                        "Внёс": history["entered_by"],
                        moment_column("Когда"): fmt_moments(history["entered_at"]),
                        "Как": history["source"].map({"form": "на странице", "upload": "из файла"}),
                        "Заменена": fmt_moments(history["replaced_at"]).fillna(""),
                    }
                ),
                hide_index=True,
                key=f"ct_history|{cid}",
                placeholder=S.UNKNOWN,
            )
    with st.expander("Удалить конкурс из оценки"):
        st.write("Удаляются состав комиссии, критерии и все оценки этого конкурса (в журнале действий останется запись). Протокол и данные панели не затрагиваются.")
        sure = st.checkbox(f"Да, удалить «{ws.name}» со всеми оценками", key=f"ct_delete_sure|{cid}")
        if st.button("Удалить", key=f"ct_delete|{cid}", disabled=not sure):
            store.delete_contest(engine, cid, actor)
            st.session_state.pop(K_WS, None)
            _flash("info", f"Конкурс «{ws.name}» удалён из оценки.")
            st.rerun()

