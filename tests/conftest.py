"""Shared fixtures: a fresh database per test, the seeds (skipped with the reason when absent),
and builders of the documents the tests read (made in code, never committed as binaries)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
def demo_build(tmp_path_factory):
    """The demo data set built and ingested once per session: its folder, database file and hand counts.

    Read-only: tests get their own copy of the database through `demo_db`.
    """
    import json

    from scripts import build_demo
    from store.db import get_engine, init_db
    from store.ingest import ingest_path

    folder = tmp_path_factory.mktemp("demo")
    files = build_demo.DemoBuilder().build(folder)
    for hook in build_demo.DEMO_HOOKS:
        hook(folder)
    path = folder / "demo.db"
    eng = get_engine(f"sqlite:///{path}")
    init_db(eng)
    for name in files + [str(p.relative_to(folder)) for p in sorted(folder.glob("docs/*")) if p.is_file()]:
        result = ingest_path(eng, folder / name, user="test")
        assert result.status == "stored", result.message
    with eng.connect() as conn:  # everything in the main file, so a plain copy is complete
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return {"folder": folder, "path": path, "expected": expected}


@pytest.fixture
def demo_db(demo_build, tmp_path):
    """A private copy of the demo database (built once per session by `demo_build`)."""
    import shutil

    from store.db import get_engine

    path = tmp_path / "demo.db"
    shutil.copyfile(demo_build["path"], path)
    url = f"sqlite:///{path}"
    return {"url": url, "engine": get_engine(url), "folder": demo_build["folder"], "expected": demo_build["expected"]}
