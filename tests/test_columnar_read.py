"""The columnar read of a SQLite store (ADBC) returns exactly the frames of the row-by-row read.

The pages and reports were written and tested against `_frame`; the columnar route is only a faster
way to the same frames, so every test here compares the two, column types included.
"""

from __future__ import annotations

import datetime as dt
import sys

import pandas as pd
import pytest
import sqlalchemy as sa

from store import queries
from store.schema import TABLES, documents

pytest.importorskip("adbc_driver_sqlite", reason="нет драйвера ADBC для SQLite (requirements.txt)")
pytest.importorskip("adbc_driver_postgresql", reason="нет драйвера ADBC для PostgreSQL (requirements.txt)")


def _document(conn, document_id: str) -> None:
    conn.execute(
        documents.insert().values(
            document_id=document_id,
            file_name=f"{document_id}.xlsx",
            kind="registry",
            size_bytes=1,
            ingested_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            status="ok",
            warnings=[],
            is_demo=False,
            meta={},
        )
    )


def _row_by_row(engine, name: str, **kwargs) -> pd.DataFrame:
    t = TABLES[name]
    query = sa.select(*[c for c in t.columns if c.name not in queries.PERSONAL_COLUMNS])
    if kwargs.get("active_only", True):
        query = query.where(t.c.superseded_by.is_(None))
    with engine.connect() as conn:
        return queries._frame(conn, query)


def _fill(engine):
    """Rows with every shape a column can take: missing values, none at all, Cyrillic, booleans."""
    tos, projects = TABLES["tos"], TABLES["projects"]
    with engine.begin() as conn:
        _document(conn, "d1")
        conn.execute(
            tos.insert(),
            [
                {"document_id": "d1", "source_ref": "лист «Реестр», строка 4", "tos_id": "t-1", "name": "ТОС «Ёлочка»",
                 "municipality_id": "m-1", "legal_entity": True, "members": 12, "residents": 340, "registered_on": "2019-05-01"},
                {"document_id": "d1", "source_ref": "лист «Реестр», строка 5", "tos_id": "t-2", "name": "ТОС «Заречье»",
                 "municipality_id": "m-1", "legal_entity": None, "members": None, "residents": 80, "registered_on": None},
                {"document_id": "d1", "source_ref": "лист «Реестр», строка 6", "tos_id": "t-3", "name": "",
                 "municipality_id": "m-2", "legal_entity": False, "members": 7, "residents": None, "registered_on": None},
            ],
        )
        conn.execute(
            projects.insert(),
            [
                {"document_id": "d1", "tos_id": "t-1", "municipality_id": "m-1", "year": 2024, "title": "Детская площадка",
                 "cost_total": 1500000.0, "funding_local": 1000000, "funding_residents": 12500.5, "beneficiaries": 300},
                {"document_id": "d1", "tos_id": "t-2", "municipality_id": "m-1", "year": 2025, "title": "Освещение улицы",
                 "cost_total": None, "funding_local": 250000, "funding_residents": None, "beneficiaries": None},
            ],
        )
    return engine


@pytest.fixture
def mixed_store(any_engine):
    """The same rows on SQLite and on PostgreSQL."""
    return _fill(any_engine)


@pytest.fixture
def mixed_sqlite(engine):
    return _fill(engine)


@pytest.mark.parametrize("name", ["tos", "projects", "regions"])
def test_columnar_frame_is_the_row_by_row_frame(mixed_store, name):
    t = TABLES[name]
    query = sa.select(*[c for c in t.columns if c.name not in queries.PERSONAL_COLUMNS])
    if name != "regions":
        query = query.where(t.c.superseded_by.is_(None))
    columnar = queries._columnar_frame(mixed_store, query)
    assert columnar is not None, "the columnar route must apply to a SQLite file"
    pd.testing.assert_frame_equal(columnar, _row_by_row(mixed_store, name, active_only=name != "regions"))


def test_columnar_values_and_types(mixed_store):
    tos = queries.read_table(mixed_store, "tos")
    assert tos["name"].tolist() == ["ТОС «Ёлочка»", "ТОС «Заречье»", ""]
    # Missing members make the column float with NaN, as pandas infers it from Python values.
    assert str(tos["members"].dtype) == "float64" and tos["members"].isna().tolist() == [False, True, False]
    assert tos["legal_entity"].tolist() == [True, None, False]
    assert tos["superseded_by"].tolist() == [None, None, None]
    assert tos["registered_on"].tolist() == ["2019-05-01", None, None]
    projects = queries.read_table(mixed_store, "projects")
    assert projects["year"].dtype == "int64" and projects["year"].tolist() == [2024, 2025]
    assert projects["funding_local"].dtype == "float64" and projects["funding_local"].tolist() == [1000000.0, 250000.0]
    assert projects["funding_residents"].iloc[0] == 12500.5 and pd.isna(projects["funding_residents"].iloc[1])


def test_surprising_type_falls_back_to_row_by_row(mixed_sqlite):
    """SQLite keeps text written into an integer column; that column comes back as text, not a number."""
    mixed_store = mixed_sqlite
    with mixed_store.begin() as conn:
        conn.exec_driver_sql("UPDATE tos SET members = 'около 10' WHERE tos_id = 't-3'")
    t = TABLES["tos"]
    query = sa.select(*[c for c in t.columns if c.name not in queries.PERSONAL_COLUMNS]).where(t.c.superseded_by.is_(None))
    assert queries._columnar_frame(mixed_store, query) is None
    tos = queries.read_table(mixed_store, "tos")
    assert tos["members"].tolist()[2] == "около 10"
    pd.testing.assert_frame_equal(tos, _row_by_row(mixed_store, "tos"))


def test_without_the_driver_the_store_reads_the_usual_way(mixed_store, monkeypatch):
    # Importing either driver now raises ImportError.
    monkeypatch.setitem(sys.modules, "adbc_driver_sqlite.dbapi", None)
    monkeypatch.setitem(sys.modules, "adbc_driver_postgresql.dbapi", None)
    t = TABLES["tos"]
    query = sa.select(*[c for c in t.columns if c.name not in queries.PERSONAL_COLUMNS]).where(t.c.superseded_by.is_(None))
    assert queries._columnar_frame(mixed_store, query) is None
    assert queries.read_table(mixed_store, "tos")["tos_id"].tolist() == ["t-1", "t-2", "t-3"]


def test_demo_dataset_frames_are_the_same_both_ways(demo_db, monkeypatch):
    demo_engine = demo_db["engine"]
    columnar = queries.dataset_frames(demo_engine)
    monkeypatch.setattr(queries, "_columnar_frame", lambda engine, query: None)
    row_by_row = queries.dataset_frames(demo_engine)
    for name, frame in columnar.items():
        if isinstance(frame, pd.DataFrame):
            pd.testing.assert_frame_equal(frame, row_by_row[name], obj=name)
    assert len(columnar["tos"]) > 700 and len(columnar["projects"]) > 1000
