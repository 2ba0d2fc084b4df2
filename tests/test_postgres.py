"""Issue 9: TOS_DB_URL=postgresql://… works for everything — ingest, pages, reports — and the
demo SQLite data moves into PostgreSQL intact."""

import io
import subprocess
import sys

import openpyxl
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from analytics import metrics
from analytics.dataset import Filters, build_dataset
from reports.summary import build_summary_workbook
from store import queries
from store.db import get_engine
from store.schema import metadata
from tests.conftest import ROOT, metric_values, ru_int

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(pg_url):
    engine = get_engine(pg_url)
    metadata.drop_all(engine)
    yield engine
    metadata.drop_all(engine)


def test_transfer_demo_sqlite_into_postgres_and_use_it(demo_db, pg_engine, pg_url, monkeypatch):
    run = subprocess.run(
        [sys.executable, "-m", "store.transfer", "--from", demo_db["url"], "--to", pg_url], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    assert "Перенесено строк" in run.stdout
    src = build_dataset(**queries.dataset_frames(demo_db["engine"]))
    dst = build_dataset(**queries.dataset_frames(pg_engine))
    assert len(dst.tos) == len(src.tos) and len(dst.projects) == len(src.projects)
    f = Filters(year_from=2016, year_to=2025)
    assert metrics.kpis(dst, f) == metrics.kpis(src, f)
    # Originals come along, byte for byte.
    doc_id = src.documents["document_id"].iloc[0]
    assert queries.original_bytes(pg_engine, doc_id) == queries.original_bytes(demo_db["engine"], doc_id)
    # A second transfer into the same, now full, database is refused.
    again = subprocess.run([sys.executable, "-m", "store.transfer", "--from", demo_db["url"], "--to", pg_url], capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 1 and "уже есть документы" in again.stderr
    # Pages and the workbook run on PostgreSQL.
    monkeypatch.setenv("TOS_DB_URL", pg_url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    lo, hi = at.session_state["f_years"]
    assert metric_values(at)["ТОС действует"] == ru_int(metrics.kpis(src, Filters(year_from=lo, year_to=hi)).tos_now)
    wb = openpyxl.load_workbook(io.BytesIO(build_summary_workbook(dst, f)))
    assert wb["Сводка"]["A1"].value == "Сводка по ТОС"


def test_cli_ingest_and_report_on_postgres(pg_engine, pg_url, tmp_path):
    from tests.conftest import xlsx_bytes

    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes({"Р": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Рассвет", "Беловский городской округ", 120]]}))
    run = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(path), "--db", pg_url], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "сохранено — 1 ТОС" in run.stdout, run.stdout + run.stderr
    out = tmp_path / "s.xlsx"
    rep = subprocess.run([sys.executable, "-m", "reports", "xlsx", "--out", str(out), "--db", pg_url], capture_output=True, text=True, cwd=ROOT)
    assert rep.returncode == 0, rep.stderr
    assert "1 ТОС" in rep.stdout


def test_two_uploads_at_once_on_postgres(pg_engine, pg_url, tmp_path):
    from store.db import init_db
    from tests.test_faults import big_registry

    init_db(pg_engine)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(big_registry("Альфа", 3000).replace("Беловский".encode(), "Кемеровский".encode()))
    b.write_bytes(big_registry("Бета", 2000))
    procs = [subprocess.Popen([sys.executable, "-m", "loaders", "ingest", str(p), "--db", pg_url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    tos = queries.read_table(pg_engine, "tos")
    assert len(tos) == 5000


def test_writers_take_turns_on_postgres(pg_engine):
    """A write decides from what it reads (is this municipality new?): a second writer waits for the first.

    Without the turn, the upload below reads the store before the open transaction commits, inserts
    the same new municipality, and fails on its key when the first one commits.
    """
    import threading
    import time

    from store.db import init_db, write_transaction
    from store.ingest import ingest_bytes
    from store.schema import TABLES
    from tests.conftest import STAFF, csv_bytes

    init_db(pg_engine)
    new_id = "borisoglebskiy-gorodskoy-okrug"  # not in the bundled reference: the registry adds it
    data = csv_bytes([["Муниципальное образование", "Наименование ТОС", "Численность жителей"], ["Борисоглебский городской округ", "Восточный", "300"]], ";", "utf-8")
    results = []
    with write_transaction(pg_engine) as conn:
        conn.execute(TABLES["municipalities"].insert().values(municipality_id=new_id, name="Борисоглебский городской округ", source_ref="тест"))
        upload = threading.Thread(target=lambda: results.append(ingest_bytes(pg_engine, data, "borisoglebsk.csv", actor=STAFF)))
        upload.start()
        waiting = 0
        for _ in range(300):  # until the upload waits on a lock (at most 30 s)
            with pg_engine.connect() as probe:
                waiting = probe.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).scalar()
            if waiting:
                break
            time.sleep(0.1)
        assert waiting == 1
    upload.join(60)
    assert [r.status for r in results] == ["stored"], [r.message for r in results]
    assert len(queries.read_table(pg_engine, "tos")) == 1
    with pg_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM municipalities WHERE municipality_id = :m"), {"m": new_id}).scalar() == 1
