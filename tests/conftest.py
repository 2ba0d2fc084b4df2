"""Shared fixtures: a fresh database per test, the seeds (skipped with the reason when absent),
and builders of the documents the tests read (made in code, never committed as binaries)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
from store.accounts import Actor  # noqa: E402

STAFF = Actor("тестовый сотрудник", "staff")
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SHARED_DATA = SHARED / "data"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"нет {path} (общие данные проекта доступны в CI; здесь тест пропущен)")
    return path


@pytest.fixture
def seeds() -> Path:
    return _need(SEEDS)


@pytest.fixture
def shared_data() -> Path:
    return _need(SHARED_DATA)


@pytest.fixture
def engine(tmp_path):
    from store.db import get_engine, init_db

    eng = get_engine(f"sqlite:///{tmp_path / 'test.db'}")
    init_db(eng)
    yield eng
    eng.dispose()


def xlsx_bytes(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx built with openpyxl: {sheet name: rows}, optional merged ranges per sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
            # openpyxl would store «=…» as a formula; a document holds it as typed text.
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list[object]], delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buf.getvalue()
    if encoding.replace("-", "").lower() in ("cp1251", "koi8r", "koi8_r", "cp866"):
        text = text.replace("\u202f", "\u00a0")  # no narrow no-break space in single-byte Cyrillic
    return text.encode(encoding)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo data set built and ingested into its own database (once per test session)."""
    import json

    from scripts import build_demo
    from store.db import get_engine, init_db
    from store.ingest import ingest_path

    folder = tmp_path_factory.mktemp("demo")
    files = build_demo.DemoBuilder().build(folder)
    for hook in build_demo.DEMO_HOOKS:
        hook(folder)
    url = f"sqlite:///{folder / 'demo.db'}"
    eng = get_engine(url)
    init_db(eng)
    for name in files + [str(p.relative_to(folder)) for p in sorted(folder.glob("docs/*")) if p.is_file()]:
        result = ingest_path(eng, folder / name, actor=STAFF)
        assert result.status == "stored", result.message
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return {"url": url, "engine": eng, "folder": folder, "expected": expected}


@pytest.fixture
def app(demo_db, monkeypatch):
    """The whole app (dashboard.py) on the demo database, for AppTest."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TOS_DB_URL", demo_db["url"])
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


def plain(markdown: str) -> str:
    """What a Markdown string shows: the escapes ui.widgets.md adds are not seen by the reader."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown)


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def ru_int(n: float) -> str:
    return f"{round(n):,}".replace(",", "\u00a0")


@pytest.fixture(scope="session")
def pg_url():
    """A real PostgreSQL server started for this test session (skipped, with the reason, without one)."""
    from tests.pg_server import PostgresServer

    server = PostgresServer()
    reason = server.available
    if reason:
        pytest.skip(reason)
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def any_engine(request, tmp_path):
    """The store on SQLite and on PostgreSQL: the same tests must pass on both."""
    from store.db import get_engine, init_db
    from store.schema import metadata

    if request.param == "sqlite":
        eng = get_engine(f"sqlite:///{tmp_path / 'any.db'}")
    else:
        eng = get_engine(request.getfixturevalue("pg_url"))
        metadata.drop_all(eng)
    init_db(eng)
    yield eng
    if request.param == "postgres":
        metadata.drop_all(eng)
    eng.dispose()


def copy_sqlite(src_url: str, dst: Path) -> str:
    """A consistent copy of an SQLite database (WAL content included), through SQLite's backup API."""
    import sqlite3

    src = sqlite3.connect(src_url.removeprefix("sqlite:///"))
    out = sqlite3.connect(dst)
    with out:
        src.backup(out)
    src.close()
    out.close()
    return f"sqlite:///{dst}"


@pytest.fixture
def demo_db_copy(demo_db, tmp_path):
    """A private copy of the demo database, for tests that write to it (demo_db is shared by the session)."""
    from store.db import get_engine

    url = copy_sqlite(demo_db["url"], tmp_path / "demo.db")
    return {**demo_db, "url": url, "engine": get_engine(url)}
