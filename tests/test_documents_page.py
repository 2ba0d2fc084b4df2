"""Demo documents (reproducible, labelled, stored) and the «Документы и практики» page."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from loaders.api import parse_path
from scripts.build_demo_docs import build_docs
from store import queries
from tests.conftest import ROOT

NB = "\u00a0"


def test_demo_documents_are_reproducible_and_say_they_are_demo(tmp_path):
    a = build_docs(tmp_path / "a")
    b = build_docs(tmp_path / "b")
    assert a == b and len(a) == 8
    assert {n.rsplit(".", 1)[1] for n in a} >= {"docx", "txt"}
    for name in a:
        assert (tmp_path / "a" / "docs" / name).read_bytes() == (tmp_path / "b" / "docs" / name).read_bytes(), name
        doc = parse_path(tmp_path / "a" / "docs" / name)
        assert doc.meta["is_demo"] is True, name


def test_demo_documents_are_stored_and_meet_the_registry(demo_db):
    eng = demo_db["engine"]
    expected = json.loads((demo_db["folder"] / "expected_docs.json").read_text(encoding="utf-8"))
    docs = queries.documents_frame(eng)
    demo_docs = docs[docs["file_name"].isin(expected["files"])]
    assert len(demo_docs) == 8 and set(demo_docs["status"]) <= {"ok", "warnings"} and demo_docs["is_demo"].all()
    practices = queries.read_table(eng, "practices").set_index("municipality_id")
    assert set(practices.index) == {"25703000", "66710000", *expected["passports"]}
    tos = queries.read_table(eng, "practice_tos")
    registry_ids = set(queries.read_table(eng, "tos")["tos_id"])
    angarsk = tos[tos["municipality_id"] == "25703000"]
    assert angarsk["residents"].sum() == 9827 and set(angarsk["tos_id"]) <= registry_ids  # passport and registry meet
    for mid, exp in expected["passports"].items():
        assert (tos["municipality_id"] == mid).sum() == exp["tos"], mid
        costs = queries.read_table(eng, "practice_costs")
        pid = practices.loc[mid, "practice_id"]
        assert sorted(costs.loc[costs["practice_id"] == pid, "amount_rub"]) == sorted(exp["costs"]), mid
    apps = queries.read_table(eng, "applications")
    kuzbass = apps[apps["contest_id"].str.startswith("RU-KEM-2020")].set_index("municipality_id")
    assert kuzbass.loc[["32701000", "32707000", "32616101"], "place"].tolist() == [1, 2, 3]
    assert kuzbass.loc[["32701000", "32707000", "32616101"], "recommended"].tolist() == [True, True, False]
    ind = queries.read_table(eng, "application_indicators")
    belovo = ind[(ind["municipality_id"] == "32707000") & (ind["indicator"] == "жителей в границах ТОС")]
    assert belovo["value"].tolist() == [4655]
    saratov = apps[apps["contest_id"].str.startswith("RU-SAR-2024")].set_index("municipality_id")
    for mid, exp in expected["saratov_protocol"].items():
        assert saratov.loc[mid, "place"] == exp["place"] and bool(saratov.loc[mid, "recommended"]) == (exp["place"] == 1)
        got = ind[(ind["municipality_id"] == mid) & ind["contest_id"].str.startswith("RU-SAR-2024")].set_index("indicator")["value"]
        assert (got["ТОС"], got["жителей в границах ТОС"]) == (exp["tos"], exp["residents"])


@pytest.fixture
def page(demo_db, monkeypatch):
    monkeypatch.setenv("TOS_DB_URL", demo_db["url"])
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/documents.py").run()
    assert not at.exception
    return at


def frames(at):
    return [df.value for df in at.dataframe]


def frame_with(at, *columns):
    return next(f for f in frames(at) if set(columns) <= set(f.columns))


def all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [m.value for m in at.metric] + [s.value for s in at.subheader]
    for f in frames(at):
        parts.append(f.to_csv())
    return "\n".join(str(p) for p in parts)


def test_page_lists_practices_and_contests_with_their_documents(page):
    metrics = {m.label: m.value for m in page.metric}
    assert (metrics["Практик"], metrics["Конкурсов"], metrics["Заявок"], metrics["Других документов"]) == ("5", "2", "6", "1")
    practices = frame_with(page, "Практика")
    row = practices[practices["Муниципалитет"] == "Ангарский городской округ"].iloc[0]
    assert (row["Сроки"], row["Документ"], row["Место в документе"]) == ("с 2015 по наст. время", "Паспорт_Ангарск_демо.txt (демо)", "разделы 1, 2, 4, 11, 20, 21")
    assert row["Благополучателей"] == "на всех жителей округа"
    others = frame_with(page, "Место проведения")
    assert others.iloc[0][["Дата", "Место проведения", "Участников"]].tolist() == ["08.09.2020", "город Смоленск", f"более 200{NB}чел."]


def test_each_figure_of_a_practice_shows_its_document_and_place(page, demo_db):
    practices = queries.read_table(demo_db["engine"], "practices")
    angarsk = practices.loc[practices["municipality_id"] == "25703000", "practice_id"].iloc[0]
    page.selectbox(key="docs_practice").set_value(angarsk).run()
    assert not page.exception
    ind = frame_with(page, "Показатель")
    residents = ind[ind["Показатель"] == "жителей в границах ТОС"].iloc[0]
    # «около 9 тыс.» in section 19, 9 827 by the TOS list: the precise figure, and where it comes from.
    assert residents["Значение"] == f"9{NB}827"
    assert residents["Место в документе"] == "раздел 19, абзац 1 (уточнено по списку ТОС, раздел 13, список ТОС)"
    assert residents["Документ"] == "Паспорт_Ангарск_демо.txt (демо)"
    trees = ind[ind["Показатель"] == "Высажено деревьев и кустарников"].iloc[0]
    assert (trees["Значение"], trees["Место в документе"]) == (f"более 2{NB}000", "раздел 9, строка 2")
    costs = frame_with(page, "Статья затрат")
    assert costs["Сумма, ₽"].tolist() == [f"9{NB}770{NB}500", f"450{NB}000"]
    assert costs["Место в документе"].tolist() == ["раздел 18, строка 1", "раздел 18, строка 2"]
    tos = frame_with(page, "Наименование ТОС")
    assert len(tos) == 8 and tos["Есть в реестре"].all()
    assert any("9 827".replace(" ", NB) in c.value for c in page.caption)
    assert any("Замечания к документу (1)" in e.label for e in page.expander)
    assert any("в паспорте: «на всех жителей округа»" in c.value for c in page.caption)


def test_a_practice_with_numeric_beneficiaries_shows_the_number_not_nan(page):
    # The first practice (Saratov's) gives its beneficiaries as a number and no statement: the
    # number is shown, not a dash with «в паспорте: «nan»» (a missing text is NaN, and NaN is truthy).
    assert not page.exception
    assert any(s.value == "Школа активного жителя" for s in page.subheader)
    assert "nan" not in all_text(page)
    assert not any(c.value.startswith("в паспорте:") for c in page.caption)
    assert {m.label: m.value for m in page.metric}["Благополучателей"] == f"8{NB}121"


def test_contest_applications_and_their_figures(page, demo_db):
    contests = queries.read_table(demo_db["engine"], "contests")
    kuzbass = contests.loc[contests["region_id"] == "RU-KEM", "contest_id"].iloc[0]
    page.selectbox(key="docs_contest").set_value(kuzbass).run()
    apps = frame_with(page, "Рекомендована на следующий этап")
    assert apps[["Муниципалитет", "Место", "Рекомендована на следующий этап"]].values.tolist() == [
        ["Кемеровский городской округ", "1 место", "да"],
        ["Беловский городской округ", "2 место", "да"],
        ["Мариинское городское поселение", "3 место", "нет"],
    ]
    ind = frame_with(page, "Как написано", "Муниципалитет")
    belovo = ind[(ind["Муниципалитет"] == "Беловский городской округ") & (ind["Показатель"] == "жителей в границах ТОС")].iloc[0]
    assert (belovo["Значение"], belovo["Место в документе"]) == (f"4{NB}655", "раздел 2 протокола, Беловский городской округ, абзац 3")
    committees = ind[ind["Показатель"] == "органов ТОС (домовые и уличные комитеты)"].iloc[0]
    assert committees["Значение"] == f"7{NB}779"


def test_personal_data_is_not_on_the_page(page):
    text = all_text(page)
    for personal in ("Смирнова Ольга Ивановна", "Орлова Наталья Сергеевна", "tos@example.ru", "8 (800) 000-00"):
        assert personal not in text


def test_region_filter_applies_to_documents(page):
    page.session_state["f_regions"] = ["RU-KEM"]
    page.run()
    metrics = {m.label: m.value for m in page.metric}
    assert (metrics["Практик"], metrics["Конкурсов"]) == ("1", "1")
    assert frame_with(page, "Практика")["Муниципалитет"].tolist() == ["Беловский городской округ"]


def test_page_without_documents_says_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("TOS_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = AppTest.from_file(str(ROOT / "pages" / "documents.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Паспортов практик и протоколов пока нет" in i.value for i in at.info)
