"""Issue 6, the «Конкурсы» page: results and side by side for everyone, scoring and the sheet for staff.

The applicants are those of the demo's 2020 Kuzbass protocol (the real results of that year):
Кемеровский городской округ, Беловский городской округ, Мариинское городское поселение.
"""

import io
import re
import sqlite3

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

import strings as S
from store import queries
from store import scoring as SS
from store.accounts import Actor
from tests.conftest import ROOT, STAFF, plain

KEMEROVO, BELOVO, MARIINSK = "32701000", "32707000", "32616101"
NB = "\u00a0"
MEMBERS = [("Венгер К. Г.", "председатель"), ("Турбаба О. В.", "заместитель председателя"), ("Левкович О. А.", "секретарь")]
CRITERIA = ["relevance", "elaboration", "budget", "realism", "participation", "partners"]
# Rows are the applicants in the protocol's order: Kemerovo, Belovo, Mariinsk.
VENGER = [[9, 8, 8, 5, 5, 4], [8, 7, 7, 4, 5, 4], [7, 6, 6, 4, 4, 3]]
OTHERS = {
    "Турбаба О. В.": [[8, 8, 7, 5, 4, 4], [8, 8, 7, 4, 4, 3], [6, 5, 7, 4, 4, 3]],
    "Левкович О. А.": [[9, 9, 8, 5, 5, 5], [7, 7, None, 4, 4, 4], [7, 5, 6, 3, 4, 3]],
}


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    """A copy of the demo database (the scoring writes must not reach the shared one)."""
    path = tmp_path / "contests.db"
    with sqlite3.connect(demo_db["engine"].url.database) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("TOS_DB_URL", url)
    from store.db import get_engine

    engine = get_engine(url)
    contests = queries.read_table(engine, "contests")
    first = contests.groupby("region_id")["contest_id"].first()
    return {"engine": engine, "url": url, "kuzbass": first["RU-KEM"], "saratov": first["RU-SAR"]}


def page(actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if actor is not None:
        at.session_state["auth_actor"] = actor
    at.run()
    at.switch_page("pages/contests.py").run()
    assert not at.exception, at.exception
    return at


def open_tab(at, label: str, key: str = "ct_tabs") -> AppTest:
    """Choose a tab as a click would: only the open tab's content runs."""
    at.session_state[key] = label
    return at.run()


def frame_with(at, *columns):
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def side_by_side(at) -> dict[str, list[str]]:
    """The side-by-side table as {row label: [the applicants' values]} (sources left aside)."""
    body = next(h.value for h in at.get("html") if "tos-sbs" in h.value)
    rows = {}
    for label, cells in re.findall(r"<tr><th>(.*?)</th>(.*?)</tr>", body):
        rows.setdefault(label, re.findall(r'<div class="v">(.*?)</div>', cells))
    return rows


def sources_of(at, label: str) -> list[str]:
    body = next(h.value for h in at.get("html") if "tos-sbs" in h.value)
    row = re.search(rf"<tr><th>{re.escape(label)}</th>(.*?)</tr>", body).group(1)
    return re.findall(r'<div class="s">(.*?)</div>', row)


def test_everyone_sees_contests_results_and_the_applicants_side_by_side(db):
    at = page()
    assert [t.label for t in at.tabs] == [S.CT_TAB_RESULTS, S.CT_TAB_COMPARE]  # no scoring without signing in
    assert any(S.CT_STAFF_ONLY in c.value for c in at.caption)
    at.selectbox(key="ct_contest").set_value(db["kuzbass"]).run()
    results = frame_with(at, "Место", "Рекомендована на следующий этап")
    assert results[["Место", "Муниципалитет", "Рекомендована на следующий этап"]].values.tolist() == [
        ["1 место", "Кемеровский городской округ", "да"],
        ["2 место", "Беловский городской округ", "да"],
        ["3 место", "Мариинское городское поселение", "нет"],
    ]
    assert set(results["Документ"]) == {"Протокол_Кузбасс_2020_демо.docx (демо)"}
    history = frame_with(at, "Муниципалитет", "2020")
    assert history.set_index("Муниципалитет").loc["Кемеровский городской округ", "2020"] == "1 место → след. этап"
    # The history follows the contest chosen above; a region picked below stays until the contest changes.
    assert at.selectbox(key="ct_history_region").value == "RU-KEM"
    at.selectbox(key="ct_contest").set_value(db["saratov"]).run()
    assert at.selectbox(key="ct_history_region").value == "RU-SAR"
    assert "2024" in frame_with(at, "Муниципалитет", "2024").columns
    at.selectbox(key="ct_history_region").set_value("RU-KEM").run()
    at.selectbox(key="ct_contest").set_value(db["saratov"]).run()  # the same contest again: the pick stays
    assert at.selectbox(key="ct_history_region").value == "RU-KEM"
    at.selectbox(key="ct_contest").set_value(db["kuzbass"]).run()
    # Side by side: the contest chosen above, all three applicants, figures from every source.
    open_tab(at, S.CT_TAB_COMPARE)
    at.selectbox(key="ct_cmp_contest").set_value(db["kuzbass"]).run()
    assert not at.exception
    table = side_by_side(at)
    assert table["Число ТОС"] == ["52", "9", "7"]
    assert table["Жителей в границах ТОС"][1] == f"4{NB}655"
    assert table["Население"] == [f"556{NB}400", f"71{NB}200", f"37{NB}900"]
    assert table["Затраты на практику"] == ["—", f"753{NB}300{NB}₽", "—"]  # only Belovo has a passport; blank, not 0
    assert table["Итог конкурса"][0] == "1 место, I категория, рекомендована на следующий этап"
    belovo_source = sources_of(at, "Число ТОС")[1]
    assert "Реестр_ТОС_Кузбасс_демо.xlsx (демо) · лист «Реестр ТОС», строки" in belovo_source
    assert "сходится с реестром на свои даты: протокол (2020 г.)" in belovo_source
    assert any(S.CT_NO_CONFLICTS in s.value for s in at.success)
    # The contest's years: stocks at the end of 2020, projects 2018–2020.
    at.radio(key="ct_cmp_period").set_value(S.CT_PERIOD_CONTEST).run()
    assert any("ТОС и жители — на 31.12.2020; проекты и их стоимость — за 2018–2020" in plain(c.value) for c in at.caption)
    assert side_by_side(at)["Число ТОС"] == ["52", "9", "7"]
    at.radio(key="ct_cmp_chart").set_value(S.CT_CHART_RADAR).run()
    assert not at.exception
    assert any(b.label == S.CT_DOWNLOAD_COMPARE for b in at.get("download_button"))


def test_any_municipalities_can_be_compared(db):
    at = open_tab(page(), S.CT_TAB_COMPARE)
    at.radio(key="ct_cmp_source").set_value(S.CT_SOURCE_ANY).run()
    assert any(S.CT_PICK_HINT in i.value for i in at.info)
    at.multiselect(key="ct_cmp_municipalities").set_value(["25703000", BELOVO]).run()
    table = side_by_side(at)
    assert table["Жителей в границах ТОС"] == [f"9{NB}827", f"4{NB}655"]
    assert table["Благополучателей практики"][0] == "«на всех жителей округа»"  # a statement stays words


def test_the_scoring_part_refuses_anyone_who_is_not_staff(db):
    script = "from ui import data, scoring\nscoring.render(data.dataset(), data.document_data())\n"
    for actor in (None, Actor("гость", "viewer")):
        at = AppTest.from_string(script, default_timeout=60)
        if actor is not None:
            at.session_state["auth_actor"] = actor
        at.run()
        assert not at.exception
        assert [e.value for e in at.error] == [S.CT_SCORING_REFUSED]
        assert not at.get("data_editor") and not at.button


def test_staff_score_the_kuzbass_applicants_and_export_the_sheet(db):
    engine, kuzbass = db["engine"], db["kuzbass"]
    at = page(STAFF)
    assert [t.label for t in at.tabs][:3] == [S.CT_TAB_RESULTS, S.CT_TAB_COMPARE, S.CT_TAB_SCORING]
    open_tab(at, S.CT_TAB_SCORING)
    # Open the protocol's contest for scoring.
    at.selectbox(key="ct_open_protocol").set_value(kuzbass).run()
    at.text_input(key="ct_open_commission_p").input("Региональная комиссия Кузбасса").run()
    at.button(key="ct_open_protocol_btn").click().run()
    assert not at.exception
    ws = SS.load_workspace(engine, kuzbass)
    assert ws["applicants"]["municipality_id"].tolist() == [KEMEROVO, BELOVO, MARIINSK]
    assert ws["contest"]["commission"] == "Региональная комиссия Кузбасса" and ws["contest"]["created_by"] == STAFF.name
    # The 45-point preset, saved.
    at.button(key=f"ct_preset_btn|{kuzbass}").click().run()
    at.button(key=f"ct_criteria_save|{kuzbass}").click().run()
    assert [c["key"] for c in SS.load_workspace(engine, kuzbass)["criteria"]] == CRITERIA
    # The members, typed into the table.
    at.session_state[f"ct_members|{kuzbass}|0"] = {
        "edited_rows": {}, "deleted_rows": [], "added_rows": [{"member": m, "role": r} for m, r in MEMBERS],
    }  # fmt: skip
    at.run()
    at.button(key=f"ct_members_save|{kuzbass}").click().run()
    assert not at.exception
    assert SS.load_workspace(engine, kuzbass)["members"] == MEMBERS
    # Venger's scores typed in the table: nothing is stored until «Сохранить».
    open_tab(at, "Ввод оценок", "ct_scoring_tabs")
    editor = f"ct_scores|{kuzbass}|Венгер К. Г.|0"
    at.session_state[editor] = {
        "edited_rows": {i: dict(zip(CRITERIA, row, strict=True)) for i, row in enumerate(VENGER)}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    at.run()
    assert any("Не сохранено изменений: 18" in w.value for w in at.warning)
    assert SS.load_workspace(engine, kuzbass)["scores"].empty
    # A page switch and back: the typed scores are still there.
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/contests.py").run()
    assert not at.exception
    assert at.session_state["ct_tabs"] == S.CT_TAB_SCORING and at.session_state["ct_scoring_tabs"] == "Ввод оценок"  # where the user left
    assert any("Не сохранено изменений: 18" in w.value for w in at.warning)
    shown = next(df.value for df in at.get("data_editor") if "relevance" in df.value.columns)
    assert shown[CRITERIA].values.tolist() == VENGER
    at.button(key=f"ct_scores_save|{kuzbass}").click().run()
    assert any("Оценки «Венгер К. Г.» сохранены: новых 18" in s.value for s in at.success)
    stored = SS.load_workspace(engine, kuzbass)["scores"]
    assert len(stored) == 18 and set(stored["entered_by"]) == {STAFF.name}
    assert not any("Не сохранено" in w.value for w in at.warning)
    # The other two members' sheets came in another way (the store, as the upload does).
    entries = [
        {"member": m, "municipality_id": mid, "criterion": k, "points": v}
        for m, rows in OTHERS.items() for mid, row in zip([KEMEROVO, BELOVO, MARIINSK], rows, strict=True)
        for k, v in zip(CRITERIA, row, strict=True) if v is not None
    ]  # fmt: skip
    SS.save_scores(engine, kuzbass, entries, Actor("петрова", "staff"), source="upload")
    open_tab(at, "Итоги", "ct_scoring_tabs")
    results = next(t.value for t in at.table if "Итого" in t.value.columns)
    # Kemerovo 8,67+8,33+7,67+5+4,67+4,33 = 38,67; Belovo 7,67+7,33+7+4+4,33+3,67 = 34; Mariinsk 6,67+5,33+6,33+3,67+4+3 = 29.
    assert results["Заявитель"].tolist() == ["Кемеровский городской округ", "Беловский городской округ", "Мариинское городское поселение"]
    assert list(results.index) == ["1", "2", "3"]
    assert results["Итого"].tolist() == ["38,67", "34", "29"]
    assert results["Обоснованность бюджета"].tolist() == ["7,67", "7", "6,33"]  # Belovo: over the two who scored
    assert any("Левкович О. А.: выставлено 17 из 18; нет оценок: Беловский городской округ — «Обоснованность бюджета»" in plain(w.value) for w in at.warning)
    # The final sheet: built on the page, the bytes offered for download opened here.
    open_tab(at, "Ведомость и журнал", "ct_scoring_tabs")
    at.button(key=f"ct_sheet|{kuzbass}_build").click().run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert any(label.startswith("Скачать Итоговая\\_ведомость") or label.startswith("Скачать Итоговая_ведомость") for label in labels)
    data = at.session_state[f"ct_sheet|{kuzbass}_ready"][1]
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Итоговая ведомость"]
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    head = next(r for (r, col), v in cells.items() if v == "Место" and col == 1)
    assert [cells.get((head + i, 2)) for i in (1, 2, 3)] == ["Кемеровский городской округ", "Беловский городской округ", "Мариинское городское поселение"]
    assert [cells.get((head + i, 1)) for i in (1, 2, 3)] == [1, 2, 3]
    assert [cells.get((head + i, 9)) for i in (1, 2, 3)] == [38.67, 34, 29]
    assert "/ Венгер К. Г. /" in cells.values() and "Региональная комиссия Кузбасса" in cells.values()
    journal = book["Внесение оценок"]
    entered_by = {r[4].value for r in journal.iter_rows(min_row=4) if r[4].value}
    assert entered_by == {STAFF.name, "петрова"}


def test_a_refused_batch_keeps_what_was_typed(db):
    engine = db["engine"]
    SS.create_contest(engine, STAFF, name="Конкурс", year=2020, applicants=[(KEMEROVO, "I"), (BELOVO, "I")], contest_id="ws-test")
    from analytics.scoring import preset_volgograd

    SS.save_criteria(engine, "ws-test", [c.as_record() for c in preset_volgograd().criteria], STAFF)
    SS.save_members(engine, "ws-test", MEMBERS, STAFF)
    at = open_tab(page(STAFF), S.CT_TAB_SCORING)
    at.selectbox(key="ct_ws").set_value("ws-test").run()
    open_tab(at, "Ввод оценок", "ct_scoring_tabs")
    editor = "ct_scores|ws-test|Венгер К. Г.|0"
    at.session_state[editor] = {"edited_rows": {0: {"relevance": 9}}, "added_rows": [], "deleted_rows": []}
    at.run()
    # Meanwhile the commission narrowed the criterion; the store refuses 9 and the page says why.
    narrower = [({**c.as_record(), "max_points": 5.0} if c.key == "relevance" else c.as_record()) for c in preset_volgograd().criteria]
    SS.save_criteria(engine, "ws-test", narrower, STAFF)
    at.button(key="ct_scores_save|ws-test").click().run()
    assert any("9 вне допустимых баллов по критерию «Актуальность и социальная значимость» (1–5)" in plain(e.value) for e in at.error)
    assert any("Не сохранено изменений: 1" in w.value for w in at.warning)
    assert SS.load_workspace(engine, "ws-test")["scores"].empty


def test_a_filled_score_form_is_uploaded_previewed_and_saved(db):
    from analytics.scoring import preset_volgograd

    engine, kuzbass = db["engine"], db["kuzbass"]
    SS.create_contest(engine, STAFF, name="Конкурс", year=2020, applicants=[(KEMEROVO, "I"), (BELOVO, "I"), (MARIINSK, "I")], contest_id=kuzbass)
    SS.save_criteria(engine, kuzbass, [c.as_record() for c in preset_volgograd().criteria], STAFF)
    SS.save_members(engine, kuzbass, MEMBERS, STAFF)
    SS.save_scores(engine, kuzbass, [{"member": "Венгер К. Г.", "municipality_id": KEMEROVO, "criterion": "relevance", "points": 9}], STAFF)
    at = open_tab(open_tab(page(STAFF), S.CT_TAB_SCORING), "Загрузка из Excel", "ct_scoring_tabs")
    form = next(b for b in at.get("download_button") if b.label == "Скачать оценочные листы (.xlsx)")
    assert form is not None
    # The form as a member returns it: Venger changes one score, Turbaba writes a word and a 12.
    from analytics.contests import workspace_from_store
    from analytics.dataset import build_dataset
    from reports.commission import score_form_workbook

    ws = workspace_from_store(build_dataset(**queries.dataset_frames(engine)), SS.load_workspace(engine, kuzbass))
    book = openpyxl.load_workbook(io.BytesIO(score_form_workbook(ws, ws.scores)))
    book["Венгер К. Г."]["C6"] = 8  # Kemerovo, relevance: 9 → 8
    book["Венгер К. Г."]["D7"] = 7  # Belovo, elaboration: new
    book["Турбаба О. В."]["C6"] = "восемь"
    book["Турбаба О. В."]["E8"] = 12
    buffer = io.BytesIO()
    book.save(buffer)
    at.file_uploader(key=f"ct_upload_file|{kuzbass}|0").upload("оценки.xlsx", buffer.getvalue()).run()
    at.button(key=f"ct_upload_parse|{kuzbass}").click().run()
    assert not at.exception
    summary = next(t.value for t in at.table if "Найдено оценок" in t.value.columns)
    assert summary.loc["Венгер К. Г."].tolist() == [2, 1, 1, 0]
    errors = frame_with(at, "Где", "Что не так")
    assert errors["Что не так"].tolist() == ["«восемь» — не число", "12 вне допустимых баллов по критерию «Обоснованность бюджета» (1–10)"]
    assert errors["Где"].iloc[0] == "лист «Турбаба О. В.», строка 6, столбец «Актуальность и социальная значимость (1–10)»"
    assert SS.load_workspace(engine, kuzbass)["scores"]["points"].tolist() == [9]  # nothing stored before «Сохранить»
    at.button(key=f"ct_upload_save|{kuzbass}").click().run()
    assert any("Из файла сохранено: новых 1, изменено 1" in s.value for s in at.success)
    stored = SS.load_workspace(engine, kuzbass)["scores"].set_index(["municipality_id", "criterion"])
    assert stored.loc[(KEMEROVO, "relevance"), "points"] == 8 and stored.loc[(BELOVO, "elaboration"), "points"] == 7
    assert set(stored["source"]) == {"upload"}
