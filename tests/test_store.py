"""The store: one transaction per file, idempotent re-ingest, supersede by newer registries."""

from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from store import queries
from store.accounts import Actor
from store.ingest import delete_document, ingest_bytes, sha256
from store.schema import TABLES, documents
from tests.conftest import STAFF, xlsx_bytes


def registry(as_of: str, rows: list[tuple[str, str, int]]) -> bytes:
    sheet = [[f"Реестр ТОС по состоянию на {as_of}"], ["Наименование ТОС", "Муниципальное образование", "Численность жителей"]]
    sheet += [[name, mo, residents] for name, mo, residents in rows]
    return xlsx_bytes({"Реестр": sheet})


def active_tos(engine):
    return queries.read_table(engine, "tos").sort_values("name")


def test_ingest_stores_rows_with_provenance_and_keeps_the_original(any_engine):
    data = registry("01.01.2024", [("Рассвет", "Беловский городской округ", 100), ("Заря", "Кемеровский городской округ", 50)])
    result = ingest_bytes(any_engine, data, "r2024.xlsx", actor=Actor("tester", "staff"))
    assert result.status == "stored"
    assert result.counts == {"tos": 2}
    tos = active_tos(any_engine)
    assert tos["document_id"].unique().tolist() == [sha256(data)]
    assert tos["source_ref"].tolist() == ["лист «Реестр», строка 4", "лист «Реестр», строка 3"]
    assert queries.original_bytes(any_engine, sha256(data)) == data
    docs = queries.documents_frame(any_engine)
    assert docs.iloc[0]["as_of"] == "2024-01-01" and docs.iloc[0]["uploaded_by"] == "tester"


def test_same_bytes_again_change_nothing_and_say_so(any_engine):
    data = registry("01.01.2024", [("Рассвет", "Беловский городской округ", 100)])
    ingest_bytes(any_engine, data, "a.xlsx", actor=STAFF)
    rev = queries.revision(any_engine)
    again = ingest_bytes(any_engine, data, "a_copy.xlsx", actor=STAFF)
    assert again.status == "duplicate"
    assert "уже загружен" in again.message and "ничего не изменилось" in again.message
    assert queries.revision(any_engine) == rev
    assert len(active_tos(any_engine)) == 1
    assert len(queries.documents_frame(any_engine)) == 1


def test_ingest_is_all_or_nothing(any_engine, monkeypatch):
    ingest_bytes(any_engine, registry("01.01.2023", [("Старый", "Беловский городской округ", 10)]), "old.xlsx", actor=STAFF)
    data = xlsx_bytes(
        {
            "Реестр": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Рассвет", "Беловский городской округ", 100]],
            "Проекты": [["Муниципальное образование", "Наименование проекта", "Год", "Стоимость, руб."], ["Беловский городской округ", "Сквер", 2024, 1000]],
        }
    )
    import store.ingest as ingest_module

    real_insert = ingest_module._bulk_insert

    def failing(conn, table, df, document_id):
        if table == "projects":
            raise RuntimeError("disk full")
        return real_insert(conn, table, df, document_id)

    monkeypatch.setattr(ingest_module, "_bulk_insert", failing)
    with pytest.raises(RuntimeError):
        ingest_bytes(any_engine, data, "half.xlsx", actor=STAFF)
    # Nothing of the failed file, the earlier data intact.
    assert active_tos(any_engine)["name"].tolist() == ["Старый"]
    with any_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(TABLES["projects"])).scalar() == 0


def test_a_database_error_while_storing_is_a_message_and_stores_nothing(any_engine, monkeypatch):
    import store.ingest as ingest_module

    ingest_bytes(any_engine, registry("01.01.2023", [("Старый", "Беловский городской округ", 10)]), "old.xlsx", actor=STAFF)

    def disk_full(conn, table, df, document_id):
        raise sa.exc.OperationalError("INSERT INTO tos", {}, OSError("database or disk is full"))

    monkeypatch.setattr(ingest_module, "_bulk_insert", disk_full)
    result = ingest_bytes(any_engine, registry("01.01.2024", [("Рассвет", "Беловский городской округ", 100)]), "new.xlsx", actor=STAFF)
    assert result.status == "rejected"
    assert result.message.startswith("«new.xlsx»: не сохранено — ошибка базы данных (OSError). Из файла ничего не записано")
    assert active_tos(any_engine)["name"].tolist() == ["Старый"]
    assert queries.documents_frame(any_engine)["file_name"].tolist() == ["old.xlsx"]


def test_a_database_error_while_building_the_matcher_is_a_message(tmp_path, monkeypatch):
    """The matcher is built in a helper thread; its database error reaches the user as one, not as a parser bug."""
    from store import queries as queries_module
    from store.db import get_engine, init_db

    engine = get_engine(f"sqlite:///{tmp_path / 'm.db'}")
    init_db(engine)

    def server_gone(_engine):
        raise sa.exc.OperationalError("SELECT municipalities", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(queries_module, "municipality_matcher", server_gone)
    result = ingest_bytes(engine, registry("01.01.2024", [("Рассвет", "Беловский городской округ", 100)]), "new.xlsx", actor=STAFF)
    assert result.status == "rejected"
    assert result.message.startswith("«new.xlsx»: не сохранено — ошибка базы данных (ConnectionError).")
    assert queries.documents_frame(engine).empty


def test_newer_registry_supersedes_per_municipality_and_older_stays_listed(any_engine):
    old = registry("01.01.2023", [("Рассвет", "Беловский городской округ", 100), ("Заря", "Кемеровский городской округ", 50)])
    new = registry("01.01.2024", [("Рассвет", "Беловский городской округ", 120), ("Исток", "Беловский городской округ", 30)])
    ingest_bytes(any_engine, old, "r2023.xlsx", actor=STAFF)
    ingest_bytes(any_engine, new, "r2024.xlsx", actor=STAFF)
    tos = active_tos(any_engine)
    assert tos[["name", "residents"]].values.tolist() == [["Заря", 50], ["Исток", 30], ["Рассвет", 120]]
    docs = queries.documents_frame(any_engine).set_index("file_name")
    assert docs.loc["r2023.xlsx", "rows"] == 2 and docs.loc["r2023.xlsx", "superseded"] == 1
    assert docs.loc["r2024.xlsx", "superseded"] == 0
    # All rows are still in the database, the replaced one marked.
    all_rows = queries.read_table(any_engine, "tos", active_only=False)
    assert len(all_rows) == 4


def test_older_registry_loaded_later_does_not_win(any_engine):
    ingest_bytes(any_engine, registry("01.01.2024", [("Рассвет", "Беловский городской округ", 120)]), "r2024.xlsx", actor=STAFF)
    result = ingest_bytes(any_engine, registry("01.01.2022", [("Рассвет", "Беловский городской округ", 80)]), "r2022.xlsx", actor=STAFF)
    assert result.status == "stored"
    assert any("более новый" in w["message"] for w in result.warnings)
    assert active_tos(any_engine)["residents"].tolist() == [120]


def test_deleting_the_newer_registry_brings_the_older_rows_back(any_engine):
    ingest_bytes(any_engine, registry("01.01.2023", [("Рассвет", "Беловский городской округ", 100)]), "r2023.xlsx", actor=STAFF)
    new = registry("01.01.2024", [("Рассвет", "Беловский городской округ", 120)])
    ingest_bytes(any_engine, new, "r2024.xlsx", actor=STAFF)
    assert delete_document(any_engine, sha256(new), actor=STAFF)
    assert active_tos(any_engine)["residents"].tolist() == [100]
    audit = queries.audit_frame(any_engine)
    assert audit["action"].tolist()[:1] == ["delete"]


def test_rejected_file_stores_no_facts_and_keeps_earlier_data(any_engine):
    ingest_bytes(any_engine, registry("01.01.2024", [("Рассвет", "Беловский городской округ", 100)]), "good.xlsx", actor=STAFF)
    bad = xlsx_bytes({"Письмо": [["Просим рассмотреть"]]})
    result = ingest_bytes(any_engine, bad, "bad.xlsx", actor=STAFF)
    assert result.status == "rejected"
    assert "«bad.xlsx»" in result.message
    assert active_tos(any_engine)["name"].tolist() == ["Рассвет"]
    docs = queries.documents_frame(any_engine).set_index("file_name")
    assert docs.loc["bad.xlsx", "status"] == "rejected" and docs.loc["bad.xlsx", "rows"] == 0
    assert "не найдена таблица" in docs.loc["bad.xlsx", "error"]


def test_unknown_municipality_is_added_with_its_region(any_engine):
    data = xlsx_bytes({"Р": [["Реестр ТОС Борисоглебского городского округа Воронежской области"], ["Наименование ТОС", "Численность жителей"], ["Богана", 1000]]})
    ingest_bytes(any_engine, data, "b.xlsx", actor=STAFF)
    m = queries.municipalities(any_engine).set_index("municipality_id")
    assert m.loc["borisoglebskiy-gorodskoy-okrug", "name"] == "Борисоглебский городской округ"
    assert m.loc["borisoglebskiy-gorodskoy-okrug", "region_name"] == "Воронежская область"


def test_an_in_memory_database_is_read_in_the_thread_that_parses():
    """In-memory SQLite is one database per thread: the matcher is not built in a helper thread there."""
    from store.db import init_db
    from store.ingest import _matcher_while_reading

    engine = sa.create_engine("sqlite://")
    init_db(engine)
    first = xlsx_bytes({"Р": [["Реестр ТОС Борисоглебского городского округа Воронежской области"], ["Наименование ТОС", "Численность жителей"], ["Богана", 1000]]})
    assert ingest_bytes(engine, first, "b1.xlsx", actor=STAFF).status == "stored"
    with ThreadPoolExecutor(1) as pool:
        matcher = _matcher_while_reading(engine, pool)
    assert not isinstance(matcher, Future)
    # The municipality learned from the first file is known to the matcher of the second.
    assert matcher.match("Борисоглебский городской округ").municipality_id == "borisoglebskiy-gorodskoy-okrug"


def test_the_matcher_built_while_reading_knows_municipalities_of_earlier_files(any_engine):
    from store.ingest import _matcher_while_reading

    first = xlsx_bytes({"Р": [["Реестр ТОС Борисоглебского городского округа Воронежской области"], ["Наименование ТОС", "Численность жителей"], ["Богана", 1000]]})
    ingest_bytes(any_engine, first, "b1.xlsx", actor=STAFF)
    with ThreadPoolExecutor(1) as pool:
        pending = _matcher_while_reading(any_engine, pool)
        assert isinstance(pending, Future)
        assert pending.result().match("Борисоглебский городской округ").known
    second = xlsx_bytes({"Р": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Восточный", "Борисоглебский городской округ", 90]]})
    result = ingest_bytes(any_engine, second, "b2.xlsx", actor=STAFF)
    assert result.status == "stored" and not result.warnings
    assert set(active_tos(any_engine)["municipality_id"]) == {"borisoglebskiy-gorodskoy-okrug"}


def test_population_latest_year_wins(any_engine):
    ingest_bytes(any_engine, xlsx_bytes({"Н": [["Муниципальное образование", "Население", "Год"], ["Ангарский городской округ", 237713, 2019]]}), "p2019.xlsx", actor=STAFF)
    ingest_bytes(any_engine, xlsx_bytes({"Н": [["Муниципальное образование", "Население", "Год"], ["Ангарский городской округ", 236000, 2018]]}), "p2018.xlsx", actor=STAFF)
    m = queries.municipalities(any_engine).set_index("municipality_id")
    # A 2018 figure loaded later does not replace the 2019 one: the latest year is in force.
    assert m.loc["25703000", "population"] == 237713
    assert m.loc["25703000", "population_year"] == 2019
    assert m.loc["25703000", "population_source_ref"].startswith("лист «Н»")


def test_cli_ingest_with_db_option(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    path = tmp_path / "r.xlsx"
    path.write_bytes(registry("01.01.2024", [("Рассвет", "Беловский городской округ", 100)]))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    first = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(path), "--db", url], capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    assert "сохранено — 1 ТОС" in first.stdout
    second = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(path), "--db", url], capture_output=True, text=True, cwd=ROOT)
    assert "ничего не изменилось" in second.stdout
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    third = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(empty), "--db", url], capture_output=True, text=True, cwd=ROOT)
    assert third.returncode == 1 and "пустой" in third.stdout


def test_a_retired_index_is_dropped_on_upgrade(any_engine):
    from store.migrate import upgrade

    with any_engine.begin() as conn:
        conn.exec_driver_sql("CREATE INDEX ix_projects_municipality_id ON projects (municipality_id)")
    assert upgrade(any_engine) == ["из таблицы projects удалён лишний индекс ix_projects_municipality_id"]
    assert "ix_projects_municipality_id" not in {i["name"] for i in sa.inspect(any_engine).get_indexes("projects")}
    assert upgrade(any_engine) == []


def test_an_older_database_is_upgraded_in_place(tmp_path):
    """A database made by an earlier version gains the new tables and columns; its data stays."""
    import sqlite3

    from store.db import get_engine, init_db

    path = tmp_path / "old.db"
    engine = get_engine(f"sqlite:///{path}")
    init_db(engine)
    ingest_bytes(engine, registry("01.01.2024", [("Рассвет", "Беловский городской округ", 100)]), "old.xlsx", actor=STAFF)
    engine.dispose()
    # Make it look older: drop a column and a table that later versions added.
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE practice_indicators DROP COLUMN quote")
    conn.execute("DROP TABLE sign_in_attempts")
    conn.execute("CREATE INDEX ix_projects_municipality_id ON projects (municipality_id)")  # retired since
    conn.commit()
    conn.close()
    get_engine.cache_clear()
    engine = get_engine(f"sqlite:///{path}")
    changes = init_db(engine)
    assert "в таблицу practice_indicators добавлен столбец quote" in changes
    assert "создана таблица sign_in_attempts" in changes
    assert "из таблицы projects удалён лишний индекс ix_projects_municipality_id" in changes
    assert {i["name"] for i in sa.inspect(engine).get_indexes("projects")} == {"ix_projects_document_id", "ix_projects_municipality_year"}
    assert queries.read_table(engine, "practice_indicators").columns.tolist()[-1] == "quote"
    assert queries.read_table(engine, "tos")["name"].tolist() == ["Рассвет"]
    assert init_db(engine) == []  # nothing more to do


def test_unknown_namesakes_of_two_regions_stay_two_municipalities(any_engine):
    """«Октябрьский район» of Kursk and of Lipetsk, both missing from the reference, shared one id."""

    def sheet(region: str, tos: str) -> bytes:
        rows = [["Регион", "Муниципальное образование", "Наименование ТОС", "Численность жителей"], [region, "Октябрьский район", tos, 100]]
        return xlsx_bytes({"Реестр": rows})

    assert ingest_bytes(any_engine, sheet("Курская обл.", "Рассвет"), "kursk.xlsx", actor=STAFF).status == "stored"
    assert ingest_bytes(any_engine, sheet("Липецкая область", "Заря"), "lipetsk.xlsx", actor=STAFF).status == "stored"
    tos = active_tos(any_engine)
    assert len(tos) == 2 and tos["municipality_id"].nunique() == 2  # and the second did not supersede the first
    munis = queries.read_table(any_engine, "municipalities").set_index("municipality_id")
    regions = {munis.at[mid, "region_id"] for mid in tos["municipality_id"]}
    assert regions == {"RU-KRS", "RU-LIP"}
    # A newer Kursk registry finds its own district, stored earlier, and replaces its rows only.
    kursk = tos.loc[tos["name"] == "Рассвет", "municipality_id"].iat[0]
    assert ingest_bytes(any_engine, sheet("Курская область", "Луч"), "kursk2.xlsx", actor=STAFF).status == "stored"
    tos = active_tos(any_engine)
    assert tos["name"].tolist() == ["Заря", "Луч"]
    assert tos.loc[tos["name"] == "Луч", "municipality_id"].iat[0] == kursk


def test_deleting_a_middle_registry_leaves_only_the_newest_current(any_engine):
    """r2023 → r2024 → r2025, then r2024 deleted: r2023 stays replaced (by r2025), not counted again."""
    files = {year: registry(f"01.01.{year}", [("Рассвет", "Беловский городской округ", residents)]) for year, residents in ((2023, 100), (2024, 120), (2025, 150))}
    for year, data in files.items():
        ingest_bytes(any_engine, data, f"r{year}.xlsx", actor=STAFF)
    assert delete_document(any_engine, sha256(files[2024]), STAFF)
    tos = active_tos(any_engine)
    assert tos["residents"].tolist() == [150] and tos["document_id"].tolist() == [sha256(files[2025])]
    # Deleting the newest one brings back the one before it, and only that one.
    assert delete_document(any_engine, sha256(files[2025]), STAFF)
    assert active_tos(any_engine)["residents"].tolist() == [100]


def test_a_projects_list_of_a_later_year_keeps_the_earlier_years(any_engine):
    head = ["Муниципальное образование", "Наименование проекта", "Год", "Статус", "Общая стоимость, руб."]
    first = xlsx_bytes({"Проекты": [head, ["Беловский городской округ", "Сквер", 2023, "реализован", 100_000]]})
    second = xlsx_bytes({"Проекты": [head, ["Беловский городской округ", "Фонтан", 2024, "реализован", 200_000]]})
    third = xlsx_bytes({"Проекты": [head, ["Беловский городской округ", "Сквер (уточнено)", 2023, "реализован", 110_000]]})
    for name, data in (("p2023.xlsx", first), ("p2024.xlsx", second)):
        assert ingest_bytes(any_engine, data, name, actor=STAFF).status == "stored"
    projects = queries.read_table(any_engine, "projects")
    assert sorted(projects["title"]) == ["Сквер", "Фонтан"]  # 2024 did not replace 2023
    # A newer list of the same year replaces that year only.
    ingest_bytes(any_engine, third, "p2023b.xlsx", actor=STAFF)
    assert sorted(queries.read_table(any_engine, "projects")["title"]) == ["Сквер (уточнено)", "Фонтан"]
