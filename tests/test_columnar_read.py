"""The columnar read of a PostgreSQL store (ADBC) returns exactly the frames of the row-by-row read.

The pages and reports were written and tested against `_frame`; the columnar route is only a faster
way to the same frames, so every test here compares the two, column types included. A SQLite store
never takes it: a second copy of the SQLite library in the process corrupts the database.
"""

from __future__ import annotations

import datetime as dt
import sys

import pandas as pd
import pytest
import sqlalchemy as sa

from store import queries
from store.schema import TABLES, documents

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


def _query(name: str) -> sa.Select:
    """What read_table asks for: the public columns, current rows only (reference tables have no history)."""
    t = TABLES[name]
    query = sa.select(*[c for c in t.columns if c.name not in queries.PERSONAL_COLUMNS])
    return query if name in queries.REFERENCE_TABLES else query.where(t.c.superseded_by.is_(None))


def _row_by_row(engine, name: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return queries._frame(conn, _query(name))


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
def mixed_store(pg_url):
    from store.db import get_engine, init_db
    from store.schema import metadata

    engine = get_engine(pg_url)
    metadata.drop_all(engine)
    init_db(engine)
    yield _fill(engine)
    metadata.drop_all(engine)


@pytest.mark.parametrize("name", ["tos", "projects", "regions"])
def test_columnar_frame_is_the_row_by_row_frame(mixed_store, name):
    columnar = queries._columnar_frame(mixed_store, _query(name))
    assert columnar is not None, "the columnar route must apply to PostgreSQL"
    pd.testing.assert_frame_equal(columnar, _row_by_row(mixed_store, name))


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


def test_driver_failure_falls_back_to_row_by_row_once_and_for_all(mixed_store, monkeypatch, caplog):
    """A failing driver is tried once per database, not on every page load."""
    import adbc_driver_postgresql.dbapi as driver

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("connection refused")

    monkeypatch.setattr(driver, "connect", refuse)
    monkeypatch.setattr(queries, "_ADBC_FAILED", set())
    assert queries._columnar_frame(mixed_store, _query("tos")) is None
    assert "connection refused" in caplog.text
    assert queries.read_table(mixed_store, "tos")["tos_id"].tolist() == ["t-1", "t-2", "t-3"]
    assert queries.read_table(mixed_store, "projects")["tos_id"].tolist() == ["t-1", "t-2"]
    assert len(attempts) == 1


def test_unexpected_arrow_type_is_refused():
    import pyarrow as pa

    assert queries._column_from_arrow(sa.Integer(), pa.chunked_array([["около 10", "12"]])) is None
    assert queries._column_from_arrow(sa.Boolean(), pa.chunked_array([[0, 1]])) is None
    kept = queries._column_from_arrow(sa.Boolean(), pa.chunked_array([[True, None, False]]))
    assert kept.dtype == object and kept.tolist() == [True, None, False]


def test_sqlite_is_always_read_row_by_row(engine):
    """Two SQLite libraries in one process (ours and the ADBC driver's) corrupt each other's locks."""
    assert queries._adbc_uri(engine) is None


def test_without_the_driver_the_store_reads_the_usual_way(mixed_store, monkeypatch):
    monkeypatch.setitem(sys.modules, "adbc_driver_postgresql.dbapi", None)  # import now raises ImportError
    assert queries._columnar_frame(mixed_store, _query("tos")) is None
    assert queries.read_table(mixed_store, "tos")["tos_id"].tolist() == ["t-1", "t-2", "t-3"]


def test_demo_dataset_frames_are_the_same_both_ways(demo_db, mixed_store, monkeypatch):
    """The demo store copied into PostgreSQL reads the same both ways."""
    import subprocess

    from tests.conftest import ROOT

    url = mixed_store.url.set(drivername="postgresql").render_as_string(hide_password=False)
    from store.schema import metadata

    metadata.drop_all(mixed_store)
    run = subprocess.run(
        [sys.executable, "-m", "store.transfer", "--from", demo_db["url"], "--to", url],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    columnar = queries.dataset_frames(mixed_store)
    monkeypatch.setattr(queries, "_columnar_frame", lambda engine, query: None)
    row_by_row = queries.dataset_frames(mixed_store)
    for name, frame in columnar.items():
        if isinstance(frame, pd.DataFrame):
            pd.testing.assert_frame_equal(frame, row_by_row[name], obj=name)
    assert len(columnar["tos"]) > 700 and len(columnar["projects"]) > 1000
