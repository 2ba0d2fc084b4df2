"""The department's pages (issue 5), run through AppTest on the demo data: values, not just no errors."""

import datetime as dt

import pandas as pd

from tests.conftest import STAFF, metric_values, plain, ru_int, xlsx_bytes


def years_of(app):
    lo, hi = app.session_state["f_years"]
    return range(lo, hi + 1)


def test_trends_page_shows_the_year_end_counts(app, demo_db):
    exp = demo_db["expected"]["by_region"]
    app.run()
    app.switch_page("pages/trends.py").run()
    assert not app.exception
    assert app.title[0].value == "Динамика"
    last_full = dt.date.today().year - 1
    values = metric_values(app)
    assert values[f"ТОС на конец {last_full} г."] == ru_int(sum(r["tos_at_year_end"][str(last_full)] for r in exp.values()))
    change = sum(r["tos_at_year_end"][str(last_full)] - r["tos_at_year_end"][str(last_full - 1)] for r in exp.values())
    assert app.metric[0].delta == (f"+{ru_int(change)}" if change > 0 else f"-{ru_int(-change)}")
    # The year-by-year table agrees with the hand counts for every year shown.
    table = next(df.value for df in app.dataframe if "tos_count" in df.value.columns)
    for _, row in table.iterrows():
        year = str(int(row["year"]))
        assert row["tos_count"] == sum(r["tos_at_year_end"][year] for r in exp.values()), year
    captions = " ".join(c.value for c in app.caption)
    # The current year is incomplete, and the page says as of when it counts and from which documents.
    as_of = dt.date.fromisoformat(demo_db["expected"]["as_of"]).strftime("%d.%m.%Y")
    assert f"не завершён: его столбец — ТОС, действующие на {dt.date.today():%d.%m.%Y} по документам на {as_of}." in captions
    assert "только год регистрации" in captions  # the Irkutsk file gives years only


def test_trends_follow_the_region_filter(app, demo_db):
    exp = demo_db["expected"]["by_region"]["RU-SMO"]
    app.run()
    app.multiselect(key="f_regions").set_value(["RU-SMO"]).run()
    app.switch_page("pages/trends.py").run()
    last_full = dt.date.today().year - 1
    assert metric_values(app)[f"ТОС на конец {last_full} г."] == ru_int(exp["tos_at_year_end"][str(last_full)])
    assert "Смоленская область" in app.caption[0].value


def test_municipality_card_of_angarsk_shows_the_real_figures(app):
    app.run()
    app.switch_page("pages/municipalities.py").run()
    assert not app.exception
    app.selectbox(key="mun_card").set_value("25703000").run()
    assert not app.exception
    assert any(h.value == "Ангарский городской округ" for h in app.header)
    values = metric_values(app)
    assert values["ТОС действует"] == "8"
    assert values["Жителей в границах ТОС"] == ru_int(9827)
    assert values["Население"] == ru_int(237713)
    assert values["Охват населения"] == "4,1\u00a0%"  # 9 827 ÷ 237 713
    tos = next(df.value for df in app.dataframe if "Наименование" in df.value.columns and "Место в документе" in df.value.columns)
    assert sorted(tos["Наименование"]) == sorted(["Перекресток", "Старица", "Старый город", "12а микрорайон", "Центральный", "Уезд", "Старо-Байкальск", "Экспедиция"])
    assert tos["Документ"].str.contains("(демо)", regex=False).all()  # provenance, labelled demo


def test_municipalities_table_sorted_by_tos_and_filtered(app, demo_db):
    app.run()
    app.multiselect(key="f_regions").set_value(["RU-KEM"]).run()
    app.switch_page("pages/municipalities.py").run()
    table = app.dataframe[0].value
    assert table.iloc[0]["name"] == "Кемеровский городской округ"
    assert table.iloc[0]["tos_count"] == 52
    assert table["tos_count"].sum() == demo_db["expected"]["by_region"]["RU-KEM"]["tos_active_at_as_of"]


def test_projects_page_money_matches_the_files(app, demo_db):
    exp = demo_db["expected"]["by_region"]
    app.run()
    app.switch_page("pages/projects.py").run()
    assert not app.exception
    years = years_of(app)
    done = sum(r["completed_by_year"].get(str(y), 0) for r in exp.values() for y in years)
    cost = sum(r["cost_by_year"].get(str(y), 0) for r in exp.values() for y in years)
    values = metric_values(app)
    assert values["Реализовано проектов"] == ru_int(done)
    assert values["Стоимость проектов"] == f"{cost / 1e6:,.1f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0млн\u00a0₽"
    # The average is over the completed projects whose cost the registries state.
    costed = sum(r["costed_by_year"].get(str(y), 0) for r in exp.values() for y in years)
    assert costed < done  # the demo has completed projects without a cost
    assert values["Средняя стоимость проекта"] == f"{cost / costed / 1e3:,.1f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0тыс.\u00a0₽"
    payers = next(df.value for df in app.dataframe if "label" in df.value.columns)
    assert set(payers["label"]) == {"Местный бюджет", "Региональный бюджет", "Федеральный бюджет", "Гранты", "Спонсоры", "Средства жителей"}
    assert abs(payers["share"].sum() - 100) < 0.5


def test_upload_flow_previews_saves_and_rejects(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from store import queries
    from store.db import get_engine, init_db
    from store.ingest import ingest_bytes
    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'upload.db'}"
    engine = get_engine(url)
    init_db(engine)
    first = xlsx_bytes({"Р": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Старый", "Беловский городской округ", 10]]})
    ingest_bytes(engine, first, "earlier.xlsx", actor=STAFF)
    monkeypatch.setenv("TOS_DB_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["auth_actor"] = STAFF  # signed in (the sign-in itself is tested in test_security.py)
    at.run()
    at.switch_page("pages/data.py").run()
    good = xlsx_bytes({"Реестр": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Рассвет", "Кемеровский городской округ", "около 300"], ["Заря", "Кемеровский городской округ", 120]]})
    bad = xlsx_bytes({"Письмо": [["Направляем сведения о ТОС"]]})
    at.file_uploader[0].set_value([("new.xlsx", good, "application/octet-stream"), ("pismo.xlsx", bad, "application/octet-stream")]).run()
    at.button[0].click().run()  # «Разобрать файлы»
    assert not at.exception
    texts = " ".join(m.value for m in at.markdown)
    assert "Разобрано файлов: 2; можно сохранить: 1; отклонено: 1" in texts
    assert "реестр ТОС" in texts and "2 ТОС" in texts
    assert any("«pismo.xlsx»" in plain(e.value) and "не найдена таблица" in plain(e.value) for e in at.error)
    assert len(queries.read_table(engine, "tos")) == 1  # nothing stored before confirmation
    next(b for b in at.button if b.label == "Сохранить в базу").click().run()
    assert not at.exception
    assert any("«new.xlsx»: сохранено — 2 ТОС" in plain(s.value) for s in at.success)
    assert any("«pismo.xlsx»: отклонён" in plain(e.value) for e in at.error)
    tos = queries.read_table(engine, "tos")
    assert sorted(tos["name"]) == ["Заря", "Рассвет", "Старый"]  # earlier data stays
    docs = queries.documents_frame(engine).set_index("file_name")
    assert docs.loc["pismo.xlsx", "status"] == "rejected"
    assert tos.set_index("name").loc["Рассвет", "residents"] == 300  # «около 300», kept with its qualifier
    assert tos.set_index("name").loc["Рассвет", "residents_qualifier"] == "~"
    # The documents list gives load times in the department's zone (Moscow unless TOS_TIMEZONE says otherwise).
    listed = next(df.value for df in at.dataframe if "Документ" in df.value.columns).set_index("Документ")
    loaded = pd.to_datetime(docs.loc["new.xlsx", "ingested_at"], utc=True).tz_convert("Europe/Moscow")
    assert listed.loc["new.xlsx", "Загружен (МСК)"] == loaded.strftime("%d.%m.%Y %H:%M")


def test_registry_template_reads_back(tmp_path):
    import io

    import openpyxl

    from loaders.api import parse_bytes
    from reports.registry_template import build_registry_template

    data = build_registry_template(["Беловский городской округ", "Кемеровский городской округ"])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Как заполнять", "Реестр ТОС", "Проекты ТОС", "Население", "Справочник"]
    ws = wb["Реестр ТОС"]
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "date", "whole"} <= kinds
    for col, value in enumerate(["Беловский городской округ", "Рассвет", "г. Белово", "городской", dt.date(2019, 5, 1), None, 120, 10, "нет"], start=1):
        ws.cell(row=2, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    doc = parse_bytes(buf.getvalue(), "filled.xlsx")
    row = doc.tables["tos"].iloc[0]
    assert (row["name"], row["municipality_id"], row["registered_on"], row["residents"], row["members"], row["legal_entity"]) == (
        "Рассвет", "32707000", "2019-05-01", 120, 10, False,
    )  # fmt: skip
