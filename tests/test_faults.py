"""Issue 8, faults: a process killed mid-ingest, and two staff members uploading at once."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, csv_bytes

ROWS = 40_000


def big_registry(tag: str, rows: int = ROWS) -> bytes:
    body = [["Муниципальное образование", "Наименование ТОС", "Численность жителей", "Дата регистрации"]]
    body += [["Беловский городской округ", f"{tag} {i}", 100 + i % 900, "01.02.2019"] for i in range(rows)]
    return csv_bytes(body, ";", "utf-8")


def ingest_cmd(path, url):
    return [sys.executable, "-m", "loaders", "ingest", str(path), "--db", url]


def counts(db_path):
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = conn.execute("SELECT count(*) FROM documents WHERE status != 'rejected'").fetchone()[0]
        tos = conn.execute("SELECT count(*) FROM tos").fetchone()[0]
        return docs, tos
    finally:
        conn.close()


def write_lock_held(db) -> bool:
    """True while another connection holds the write lock (the ingest's BEGIN IMMEDIATE)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="нет SIGKILL на этой ОС")
def test_sigkill_mid_ingest_leaves_all_or_nothing(tmp_path):
    db = tmp_path / "kill.db"
    url = f"sqlite:///{db}"
    path = tmp_path / "big.csv"
    path.write_bytes(big_registry("ТОС"))
    subprocess.run([sys.executable, "-c", f"from store.db import get_engine, init_db; init_db(get_engine({url!r}))"], cwd=ROOT, check=True)
    caught_mid_write = 0
    for _ in range(2):
        proc = subprocess.Popen(ingest_cmd(path, url), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Kill the moment the ingest is inside its write transaction (it holds the write lock).
        deadline = time.monotonic() + 120
        while not write_lock_held(db):
            assert proc.poll() is None, "the ingest finished before its transaction could be caught"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        docs, tos = counts(db)  # opens cleanly, integrity ok
        assert (docs, tos) in ((0, 0), (1, ROWS)), (docs, tos)  # all or nothing
        if docs == 1:
            break  # killed just as it committed: the whole file is there
        caught_mid_write += 1
    assert caught_mid_write >= 1
    # The next run stores the whole file exactly once.
    run = subprocess.run(ingest_cmd(path, url), cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert counts(db) == (1, ROWS)


def test_two_uploads_at_the_same_time_are_both_stored(tmp_path):
    url = f"sqlite:///{tmp_path / 'two.db'}"
    subprocess.run([sys.executable, "-c", f"from store.db import get_engine, init_db; init_db(get_engine({url!r}))"], cwd=ROOT, check=True)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(big_registry("Альфа", 8000).replace("Беловский".encode(), "Кемеровский".encode()))
    b.write_bytes(big_registry("Бета", 6000))
    procs = [subprocess.Popen(ingest_cmd(p, url), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    conn = sqlite3.connect(tmp_path / "two.db")
    names = dict(conn.execute("SELECT file_name, count(*) FROM tos JOIN documents USING (document_id) GROUP BY file_name").fetchall())
    conn.close()
    assert names == {"a.csv": 8000, "b.csv": 6000}  # nothing lost, nothing mixed
