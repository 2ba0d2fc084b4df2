"""The demo data set (reproducible, matching its hand counts) and the pages that show it."""

import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from scripts.build_demo import DemoBuilder
from tests.conftest import ROOT, metric_values, ru_int

NBSP = "\u00a0"


def test_demo_files_are_reproducible(tmp_path):
    a = DemoBuilder().build(tmp_path / "a")
    b = DemoBuilder().build(tmp_path / "b")
    assert a == b
    for name in a + ["expected.json"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_demo_keeps_the_real_facts_of_the_seeds(demo_db):
    from store import queries

    tos = queries.read_table(demo_db["engine"], "tos")
    angarsk = tos[tos["municipality_id"] == "25703000"]
    assert len(angarsk) == 8 and angarsk["residents"].sum() == 9827
    belovo = tos[tos["municipality_id"] == "32707000"]
    assert len(belovo) == 9 and belovo["residents"].sum() == 4655
    assert set(belovo["registered_on"].str[:4]) == {"2019"}
    mariinsk = tos[tos["municipality_id"] == "32616101"]
    assert len(mariinsk) == 7 and set(mariinsk["registered_on"].str[:4]) == {"2008"}
    five = tos[(tos["municipality_id"] == "66710000") & (tos["name"] == "5 квартал")].iloc[0]
    assert five["registered_on"] == "2019-05-30" and pd.isna(five["residents"])
    m = queries.municipalities(demo_db["engine"]).set_index("municipality_id")
    assert m.loc["25703000", "population"] == 237713 and m.loc["25703000", "population_year"] == 2019
    kemerovo = tos[tos["municipality_id"] == "32701000"]
    assert len(kemerovo) == 52 and not kemerovo["legal_entity"].any()


fmt = ru_int


def test_overview_shows_the_hand_counts_of_the_demo_files(app, demo_db):
    exp = demo_db["expected"]["by_region"]
    app.run()
    assert not app.exception
    values = metric_values(app)
    assert values["ТОС действует"] == fmt(sum(r["tos_active_at_as_of"] for r in exp.values()))
    assert values["Жителей в границах ТОС"] == fmt(sum(r["residents_active"] for r in exp.values()))
    years = app.session_state["f_years"]
    done = sum(r["completed_by_year"].get(str(y), 0) for r in exp.values() for y in range(years[0], years[1] + 1))
    assert values["Реализовано проектов"] == fmt(done)
    assert any("Демонстрационные данные" in i.value for i in app.info)
    assert app.title[0].value == "Обзор"


def test_overview_changes_with_the_region_filter(app, demo_db):
    exp = demo_db["expected"]["by_region"]["RU-IRK"]
    app.run()
    app.multiselect(key="f_regions").set_value(["RU-IRK"]).run()
    assert not app.exception
    values = metric_values(app)
    assert values["ТОС действует"] == fmt(exp["tos_active_at_as_of"])
    assert values["Жителей в границах ТОС"] == fmt(exp["residents_active"])
    assert "Иркутская область" in app.caption[0].value


def test_overview_full_year_range_matches_cost(app, demo_db):
    exp = demo_db["expected"]["by_region"]
    app.run()
    app.slider(key="f_years").set_value((2008, dt.date.today().year)).run()
    values = metric_values(app)
    assert values["Реализовано проектов"] == fmt(sum(r["projects_completed"] for r in exp.values()))
    cost = sum(r["cost_completed"] for r in exp.values())
    assert values["Стоимость проектов"] == f"{cost / 1e6:,.1f}".replace(",", NBSP).replace(".", ",") + f"{NBSP}млн{NBSP}₽"


def test_empty_database_says_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("TOS_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Загрузите реестр" in w.value for w in at.warning)


def test_overview_says_what_its_figures_leave_out(tmp_path, monkeypatch):
    from store.db import get_engine, init_db
    from store.ingest import ingest_bytes
    from tests.conftest import STAFF, plain, xlsx_bytes

    url = f"sqlite:///{tmp_path / 'caveats.db'}"
    engine = get_engine(url)
    init_db(engine)
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Численность жителей", "Дата регистрации"],
        ["Рассвет", "Беловский городской округ", "около 300", "05.03.2019"],
        ["Исток", "Беловский городской округ", None, None],
        ["Заря", "Беловский городской округ", 200, "01.02.2018"],
    ]
    assert ingest_bytes(engine, xlsx_bytes({"Реестр": rows}), "caveats.xlsx", actor=STAFF).status == "stored"
    monkeypatch.setenv("TOS_DB_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    captions = [plain(c.value) for c in at.caption]
    assert metric_values(at)["ТОС действует"] == "3"
    assert any("в т. ч. 1 без даты регистрации" in c for c in captions)
    assert any("численность жителей неизвестна у 1 ТОС — сумма неполная" in c for c in captions)
    assert any("у 1 ТОС численность приблизительная" in c for c in captions)
    # At the end of 2020 the undated TOS is not counted, and the page says so.
    at.slider(key="f_years").set_value((2018, 2020)).run()
    captions = [plain(c.value) for c in at.caption]
    assert metric_values(at)["ТОС действует"] == "2"
    assert any("1 ТОС без даты регистрации не учтены: неизвестно, действовали ли они на 31.12.2020" in c for c in captions)
