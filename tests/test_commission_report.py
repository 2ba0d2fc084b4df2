"""Issue 6, export: the final score sheet and its companions, opened and checked cell by cell."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from analytics.contests import evaluate, workspace_from_store
from analytics.dataset import build_dataset
from analytics.documents import DOC_TABLES, DocumentData
from analytics.scoring import preset_thresholds, preset_volgograd
from reports.commission import (
    SHEET_COMPARE,
    SHEET_FINAL,
    SHEET_MEMBERS,
    SHEET_SPREAD,
    commission_workbook,
    comparison_workbook,
    file_name,
)
from store import queries
from store import scoring as SS
from store.db import get_engine, init_db
from tests.conftest import STAFF

KEMEROVO, BELOVO, MARIINSK = "32701000", "32707000", "32616101"
ON = dt.date(2026, 11, 20)
# Hand-set scores: Kemerovo 1st, Belovo 2nd, Mariinsk 3rd, as the 2020 protocol decided.
SCORES = {
    "Венгер К. Г.": {KEMEROVO: [9, 8, 8, 5, 5, 4], BELOVO: [8, 7, 7, 4, 5, 4], MARIINSK: [7, 6, 6, 4, 4, 3]},
    "Турбаба О. В.": {KEMEROVO: [8, 8, 7, 5, 4, 4], BELOVO: [8, 8, 7, 4, 4, 3], MARIINSK: [6, 3, 7, 4, 4, 3]},
    # The secretary scored Belovo's budget only half-way through: one score missing.
    "=cmd|' /C calc'!A0": {KEMEROVO: [9, 9, 8, 5, 5, 5], BELOVO: [7, 7, None, 4, 4, 4], MARIINSK: [7, 5, 6, 3, 4, 3]},
}


@pytest.fixture(scope="module")
def scored(demo_db, tmp_path_factory):
    import sqlite3

    # A copy of the demo database through SQLite's backup (the WAL is part of it).
    path = tmp_path_factory.mktemp("report") / "scored.db"
    with sqlite3.connect(demo_db["engine"].url.database) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    engine = get_engine(f"sqlite:///{path}")
    init_db(engine)
    ds = build_dataset(**queries.dataset_frames(engine))
    dd = DocumentData({n: queries.read_table(engine, n) for n in DOC_TABLES})
    contest = dd["contests"].loc[dd["contests"]["region_id"] == "RU-KEM", "contest_id"].iloc[0]
    cid = SS.create_contest(
        engine, STAFF, name="Лучшая муниципальная практика", year=2020, applicants=[(KEMEROVO, "I"), (BELOVO, "I"), (MARIINSK, "I")],
        region_id="RU-KEM", nomination="Развитие ТОС", level="региональный", commission="Региональная конкурсная комиссия Кузбасса",
        source_contest_id=contest, contest_id=contest,
    )  # fmt: skip
    cs = preset_volgograd()
    SS.save_criteria(engine, cid, [c.as_record() for c in cs.criteria] + [preset_thresholds().by_key("residents").as_record()], STAFF, name=cs.name, tie_rule=cs.tie_rule.as_record())
    SS.save_members(engine, cid, [("Венгер К. Г.", "председатель"), ("Турбаба О. В.", "заместитель председателя"), ("=cmd|' /C calc'!A0", "секретарь")], STAFF)
    keys = [c.key for c in cs.criteria]
    entries = [
        {"member": m, "municipality_id": mid, "criterion": k, "points": v}
        for m, by_mid in SCORES.items() for mid, values in by_mid.items() for k, v in zip(keys, values, strict=True) if v is not None
    ]  # fmt: skip
    SS.save_scores(engine, cid, entries, STAFF)
    ws = workspace_from_store(ds, SS.load_workspace(engine, cid))
    cmp, results = evaluate(ds, dd, ws)
    data = commission_workbook(ws, results, cmp, on=ON)
    return {"ws": ws, "results": results, "cmp": cmp, "book": openpyxl.load_workbook(io.BytesIO(data)), "bytes": data}


def rows(sheet):
    return [[c for c in row] for row in sheet.iter_rows()]


def find(sheet, text):
    for row in sheet.iter_rows():
        for c in row:
            if c.value == text:
                return c
    raise AssertionError(f"нет «{text}» на листе «{sheet.title}»")


def test_sheets_and_title_block(scored):
    book = scored["book"]
    assert book.sheetnames == [SHEET_FINAL, SHEET_MEMBERS, SHEET_SPREAD, "Баллы по цифрам", SHEET_COMPARE, "Внесение оценок"]
    ws = book[SHEET_FINAL]
    assert ws["A1"].value == "ИТОГОВАЯ ВЕДОМОСТЬ"
    label = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 12)}
    assert label["Конкурс"] == "Лучшая муниципальная практика, 2020 год"
    assert label["Комиссия"] == "Региональная конкурсная комиссия Кузбасса"
    assert label["Дата"] == "20.11.2026"
    assert label["Этап, регион"] == "региональный этап, Кемеровская область — Кузбасс"
    assert label["Набор критериев"] == "45 баллов (как в Волгоградской области); наибольший возможный итог — 48 баллов"
    # Ready to print: A4 landscape; three applicants fit one page, so the signatures sit under the table.
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)
    assert "Страница &P из &N" in ws.oddFooter.right.text


def test_averages_totals_and_places(scored):
    ws = scored["book"][SHEET_FINAL]
    head = find(ws, "Место")
    header = [c.value for c in ws[head.row]][:10]
    assert header == ["Место", "Заявитель", "Актуальность и социальная значимость", "Проработанность проекта", "Обоснованность бюджета",
                      "Реалистичность", "Участие жителей", "Партнёры проекта", "Жителей в границах ТОС", "Итого"]  # fmt: skip
    body = [[c.value for c in ws[head.row + i]][:10] for i in (1, 2, 3)]
    # Kemerovo: (9+8+9)/3 = 8,67; (8+8+9)/3 = 8,33; (8+7+8)/3 = 7,67; 5; (5+4+5)/3 = 4,67; (4+4+5)/3 = 4,33; residents > 4 000 → 3.
    assert body[0] == [1, "Кемеровский городской округ", 8.67, 8.33, 7.67, 5, 4.67, 4.33, 3, 41.67]
    # Belovo: budget over the two who scored it: (7+7)/2 = 7; relevance (8+8+7)/3 = 7,67.
    assert body[1] == [2, "Беловский городской округ", 7.67, 7.33, 7, 4, 4.33, 3.67, 3, 37]
    # Mariinsk: elaboration (6 + 3 + 5) / 3 = 4,67; total 6,67 + 4,67 + 6,33 + 3,67 + 4 + 3 + 3 = 31,34.
    assert body[2] == [3, "Мариинское городское поселение", 6.67, 4.67, 6.33, 3.67, 4, 3, 3, 31.34]
    assert ws.cell(head.row + 1, 3).number_format == "0.00"
    place = scored["results"].table.set_index("municipality_id")["place"]
    assert (place[KEMEROVO], place[BELOVO], place[MARIINSK]) == (1, 2, 3)


def test_method_notes_and_missing_scores_are_written_out(scored):
    ws = scored["book"][SHEET_FINAL]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "округлённое до сотых по правилам арифметики (7,125 → 7,13)" in text
    assert "Невыставленная оценка не считается нулём" in text
    assert "выше место у заявителя с более высоким средним баллом по критерию «Актуальность и социальная значимость»" in text
    assert "=cmd|' /C calc'!A0: выставлено 17 из 18; нет оценок: Беловский городской округ — «Обоснованность бюджета»." in text


def test_signature_lines_for_every_member(scored):
    ws = scored["book"][SHEET_FINAL]
    chair = find(ws, "Председатель комиссии:")
    assert ws.cell(chair.row + 1, 5).value == "/ Венгер К. Г. /"
    assert ws.cell(chair.row + 1, 3).border.bottom.style == "thin"
    assert ws.cell(chair.row + 2, 3).value == "подпись"
    deputy = find(ws, "Заместитель председателя комиссии:")
    assert ws.cell(deputy.row + 1, 5).value == "/ Турбаба О. В. /"
    secretary = find(ws, "Секретарь комиссии:")
    signed = ws.cell(secretary.row + 1, 5)
    assert signed.value == "/ =cmd|' /C calc'!A0 /" and signed.data_type == "s"


def test_text_that_looks_like_a_formula_stays_text(scored):
    book = scored["book"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{sheet.title}!{c.coordinate}: {c.value}"
    members = book[SHEET_MEMBERS]
    cell = find(members, "Член комиссии: =cmd|' /C calc'!A0 (секретарь)")
    assert cell.data_type == "s"


def test_each_members_scores_and_blank_for_a_missing_one(scored):
    ws = scored["book"][SHEET_MEMBERS]
    block = find(ws, "Член комиссии: =cmd|' /C calc'!A0 (секретарь)")
    header = [c.value for c in ws[block.row + 1]][:8]
    assert header[0] == "Заявитель" and header[-1] == "Сумма" and header[1] == "Актуальность и социальная значимость (1–10)"
    belovo = [c.value for c in ws[block.row + 3]][:8]
    assert belovo == ["Беловский городской округ", 7, 7, None, 4, 4, 4, None]  # blank, not 0; no sum for a partial sheet
    kemerovo = [c.value for c in ws[block.row + 2]][:8]
    assert kemerovo == ["Кемеровский городской округ", 9, 9, 8, 5, 5, 5, 41]
    assert find(ws, "Подпись члена комиссии:") is not None


def test_disagreements_and_figures_with_sources(scored):
    book = scored["book"]
    spread = book[SHEET_SPREAD]
    top = [c.value for c in spread[5]][:7]
    # Mariinsk's elaboration: 6, 3, 5 → a spread of 3 on a 9-point scale, the widest.
    assert top[:6] == ["Мариинское городское поселение", "Проработанность проекта", 3, 3, 6, 3]
    assert top[6] == pytest.approx(3 / 9) and spread.cell(5, 7).number_format == "0%"
    figures = book["Баллы по цифрам"]
    assert [c.value for c in figures[5]][:4] == ["Кемеровский городской округ", "Жителей в границах ТОС", "279\u00a0698", 3]
    assert "реестр" in figures.cell(5, 5).value and "Реестр_ТОС_Кузбасс_демо.xlsx" in figures.cell(5, 5).value


def test_side_by_side_sheet_carries_values_and_sources(scored):
    ws = scored["book"][SHEET_COMPARE]
    header = [c.value for c in ws[4]]
    assert header[:6] == ["Раздел", "Показатель", "Кемеровский городской округ", "Источник", "Беловский городской округ", "Источник"]
    number = find(ws, "Число ТОС")
    values = [c.value for c in ws[number.row]]
    assert values[2] == "52" and values[4] == "9" and values[6] == "7"
    assert values[5].startswith("реестр, на 31.12.2020 · Реестр_ТОС_Кузбасс_демо.xlsx (демо)")
    cost = find(ws, "Затраты на практику")
    assert [c.value for c in ws[cost.row]][2] == "—"
    assert find(ws, "Расхождений между реестром, протоколами и паспортами не найдено.")
    public = openpyxl.load_workbook(io.BytesIO(comparison_workbook(scored["cmp"])))
    assert public.sheetnames == [SHEET_COMPARE]
    text = " ".join(str(c.value) for row in public[SHEET_COMPARE].iter_rows() for c in row if c.value)
    assert "Венгер" not in text  # no commission, no personal data


def test_file_name(scored):
    assert file_name(scored["ws"], "Итоговая_ведомость", ON) == "Итоговая_ведомость_Лучшая_муниципальная_практика_2020_2026-11-20.xlsx"


def test_entry_times_are_local_and_the_header_names_the_zone(scored):
    """Excel has no zones: each moment is written as Moscow time, and the header says so."""
    sheet = scored["book"]["Внесение оценок"]
    header = find(sheet, "Когда (МСК)")
    stored = scored["ws"].scores.sort_values(["member", "municipality_id", "criterion"])["entered_at"]
    first_utc = pd.to_datetime(stored, utc=True).iloc[0]
    written = sheet.cell(row=header.row + 1, column=header.column).value
    assert written == (first_utc + pd.Timedelta(hours=3)).tz_localize(None).to_pydatetime().replace(microsecond=written.microsecond)
