"""One measured step per call, in its own process: `python -m bench.steps NAME` prints JSON.

Each step times only its operation (cold-start steps time the whole process from outside) and
reports the process's peak resident memory. bench/run_all.py runs them and takes medians.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "bench" / "out" / "national"
NATIONAL_DB = ROOT / "bench" / "out" / "national.db"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fresh_store(with_population: bool = True):
    """A new SQLite store in a temp folder; the national municipalities known when asked."""
    from store.accounts import Actor
    from store.db import get_engine, init_db
    from store.ingest import ingest_bytes

    folder = Path(tempfile.mkdtemp(prefix="tos-bench-"))
    engine = get_engine(f"sqlite:///{folder / 'b.db'}")
    init_db(engine)
    if with_population:
        data = (NATIONAL / "naselenie_national.xlsx").read_bytes()
        ingest_bytes(engine, data, "naselenie_national.xlsx", actor=Actor("bench", "admin"))
    return engine, folder


def _ingest(name: str) -> dict:
    from store.accounts import Actor
    from store.ingest import ingest_bytes

    engine, folder = _fresh_store()
    data = (NATIONAL / name).read_bytes()
    start = time.perf_counter()
    result = ingest_bytes(engine, data, name, actor=Actor("bench", "admin"))
    seconds = time.perf_counter() - start
    shutil.rmtree(folder, ignore_errors=True)
    assert result.status == "stored", result.message
    return {"seconds": seconds, "rows": sum(result.counts.values())}


def _read(fn) -> dict:
    start = time.perf_counter()
    frame = fn()
    return {"seconds": time.perf_counter() - start, "rows": len(frame)}


def registry_xlsx_ingest() -> dict:
    return _ingest("reestr_national.xlsx")


def _ingest_without_parsing(name: str) -> dict:
    """The same ingest with the parse done beforehand, untimed: checks, read and store only.

    The lowest time any parser could reach with this reader and store, to set the target against.
    """
    from loaders.api import parse_bytes
    from loaders.safety import check_zip
    from loaders.tabular import read_excel
    from store.accounts import Actor
    from store.ingest import ingest_bytes
    from store.queries import municipality_matcher

    engine, folder = _fresh_store()
    data = (NATIONAL / name).read_bytes()
    parsed = parse_bytes(data, name, None, municipality_matcher(engine))

    def read_only(data, file_name, kind, matcher):
        check_zip(data, file_name)
        read_excel(data, file_name)
        return parsed

    start = time.perf_counter()
    result = ingest_bytes(engine, data, name, actor=Actor("bench", "admin"), parser=read_only)
    seconds = time.perf_counter() - start
    shutil.rmtree(folder, ignore_errors=True)
    assert result.status == "stored", result.message
    return {"seconds": seconds, "rows": sum(result.counts.values())}


def registry_xlsx_without_parsing() -> dict:
    return _ingest_without_parsing("reestr_national.xlsx")


def registry_full_xlsx_without_parsing() -> dict:
    return _ingest_without_parsing("reestr_national_full.xlsx")


def registry_xlsx_calamine() -> dict:
    import pandas as pd

    return _read(lambda: pd.read_excel(NATIONAL / "reestr_national.xlsx", engine="calamine", header=2))


def registry_xlsx_openpyxl() -> dict:
    import pandas as pd

    return _read(lambda: pd.read_excel(NATIONAL / "reestr_national.xlsx", engine="openpyxl", header=2))


def registry_full_xlsx_ingest() -> dict:
    return _ingest("reestr_national_full.xlsx")


def registry_full_xlsx_calamine() -> dict:
    import pandas as pd

    return _read(lambda: pd.read_excel(NATIONAL / "reestr_national_full.xlsx", engine="calamine", header=2))


def registry_csv_ingest() -> dict:
    return _ingest("reestr_national_cp1251.csv")


def registry_csv_pandas() -> dict:
    import pandas as pd

    return _read(lambda: pd.read_csv(NATIONAL / "reestr_national_cp1251.csv", encoding="cp1251", sep=";", skiprows=1, dtype=str))


def projects_xlsx_ingest() -> dict:
    return _ingest("proekty_national.xlsx")


def projects_xlsx_calamine() -> dict:
    import pandas as pd

    return _read(lambda: pd.read_excel(NATIONAL / "proekty_national.xlsx", engine="calamine", header=2))


def boundaries_gpkg_ingest() -> dict:
    """Municipal and TOS layers of the national GeoPackage: parse, checks, simplified copy, write."""
    from store.accounts import Actor
    from store.ingest import ingest_bytes

    engine, folder = _fresh_store(with_population=False)
    data = (NATIONAL / "synthetic_boundaries.gpkg").read_bytes()
    start = time.perf_counter()
    result = ingest_bytes(engine, data, "synthetic_boundaries.gpkg", actor=Actor("bench", "admin"))
    seconds = time.perf_counter() - start
    shutil.rmtree(folder, ignore_errors=True)
    assert result.status == "stored", result.message
    return {"seconds": seconds, "rows": sum(result.counts.values())}


def boundaries_gpkg_pyogrio() -> dict:
    """Baseline: reading both layers of the same GeoPackage with pyogrio, nothing else."""
    import pyogrio

    start = time.perf_counter()
    rows = sum(len(pyogrio.read_dataframe(NATIONAL / "synthetic_boundaries.gpkg", layer=layer)) for layer in ("municipalities", "tos"))
    return {"seconds": time.perf_counter() - start, "rows": rows}


def passports_ingest() -> dict:
    """A hundred passports (.docx, .pdf, .txt) into one store, one file after another as staff would."""
    from store.accounts import Actor
    from store.ingest import ingest_bytes

    engine, folder = _fresh_store(with_population=False)
    files = sorted((NATIONAL / "passports").iterdir())
    start = time.perf_counter()
    for path in files:
        result = ingest_bytes(engine, path.read_bytes(), path.name, actor=Actor("bench", "admin"))
        assert result.status == "stored", result.message
    seconds = time.perf_counter() - start
    shutil.rmtree(folder, ignore_errors=True)
    return {"seconds": seconds, "files": len(files)}


def _child_cpu(args: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": cpu, "wall": wall, "rss_child_mb": after.ru_maxrss / 1024}


def cli_parse_cold() -> dict:
    """CPU time of a whole `python -m loaders parse` on a small registry (lazy imports matter)."""
    from tests.conftest import xlsx_bytes

    path = Path(tempfile.mkdtemp()) / "small.xlsx"
    path.write_bytes(xlsx_bytes({"Р": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Рассвет", "Беловский городской округ", 120]]}))
    return _child_cpu([sys.executable, "-m", "loaders", "parse", str(path)])


def python_import_pandas_cold() -> dict:
    return _child_cpu([sys.executable, "-c", "import pandas"])


def python_bare_cold() -> dict:
    return _child_cpu([sys.executable, "-c", "pass"])


def _apptest(script: str | Path, db: Path | None):
    import os

    from streamlit.testing.v1 import AppTest

    if db is not None:
        os.environ["TOS_DB_URL"] = f"sqlite:///{db}"
    return AppTest.from_file(str(script), default_timeout=600)


def app_first_page_cold() -> dict:
    """The first page of the app on the national store, from nothing cached: data load included."""
    at = _apptest(ROOT / "dashboard.py", NATIONAL_DB)
    start = time.perf_counter()
    at.run()
    assert not at.exception
    return {"seconds": time.perf_counter() - start}


def app_trivial_cold() -> dict:
    script = Path(tempfile.mkdtemp()) / "trivial.py"
    script.write_text("import streamlit as st\nst.title('пусто')\n", encoding="utf-8")
    at = _apptest(script, None)
    start = time.perf_counter()
    at.run()
    return {"seconds": time.perf_counter() - start}


FILTER_STEPS = [(2018, 2025), (2019, 2025), (2020, 2024), (2015, 2022), (2021, 2026)]


def _reruns(page: str) -> dict:
    at = _apptest(ROOT / "dashboard.py", NATIONAL_DB)
    at.run()
    at.switch_page(page).run()
    uncached, cached = [], []
    for years in FILTER_STEPS:
        at.slider(key="f_years").set_value(years)
        start = time.perf_counter()
        at.run()
        uncached.append(time.perf_counter() - start)
    for years in FILTER_STEPS:
        at.slider(key="f_years").set_value(years)
        start = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - start)
    assert not at.exception
    cached.sort()
    uncached.sort()
    return {"seconds": cached[len(cached) // 2], "uncached": uncached[len(uncached) // 2]}


def overview_rerun() -> dict:
    return _reruns("pages/overview.py")


def trends_rerun() -> dict:
    return _reruns("pages/trends.py")


def projects_rerun() -> dict:
    return _reruns("pages/projects.py")


def trivial_rerun() -> dict:
    script = Path(tempfile.mkdtemp()) / "trivial.py"
    script.write_text("import streamlit as st\nst.title('пусто')\n", encoding="utf-8")
    at = _apptest(script, None)
    at.run()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    times.sort()
    return {"seconds": times[2]}


def _national_dataset():
    from analytics.dataset import build_dataset
    from store import queries
    from store.db import get_engine

    return build_dataset(**queries.dataset_frames(get_engine(f"sqlite:///{NATIONAL_DB}")))


def workbook_national() -> dict:
    from analytics.dataset import Filters
    from reports.summary import build_summary_workbook

    ds = _national_dataset()
    start = time.perf_counter()
    data = build_summary_workbook(ds, Filters())
    return {"seconds": time.perf_counter() - start, "kb": len(data) // 1024}


def workbook_national_full_dump() -> dict:
    """Baseline: the same workbook with every project and TOS row (what it was before the limits)."""
    import reports.summary as summary
    from analytics.dataset import Filters

    summary.MAX_DETAIL_ROWS = 10**9
    ds = _national_dataset()
    start = time.perf_counter()
    data = summary.build_summary_workbook(ds, Filters())
    return {"seconds": time.perf_counter() - start, "kb": len(data) // 1024}


def csv_registry_national() -> dict:
    from analytics.dataset import Filters
    from reports.csv_export import tos_csv

    ds = _national_dataset()
    start = time.perf_counter()
    data = tos_csv(ds, Filters())
    return {"seconds": time.perf_counter() - start, "kb": len(data) // 1024}


def _load(url: str, columnar: bool = True) -> dict:
    """The whole data set from the store into memory, as the app's first page loads it."""
    from analytics.dataset import build_dataset
    from store import queries
    from store.db import get_engine

    if not columnar:  # the baseline: every table row by row through psycopg (SQLite always reads so)
        queries._columnar_frame = lambda engine, query: None
    engine = get_engine(url)
    start = time.perf_counter()
    ds = build_dataset(**queries.dataset_frames(engine))
    return {"seconds": time.perf_counter() - start, "rows": len(ds.tos) + len(ds.projects)}


def load_national_store() -> dict:
    return _load(f"sqlite:///{NATIONAL_DB}")


def load_national_postgres() -> dict:
    """The same data set in PostgreSQL (run_all starts a server and copies the bench store into it)."""
    return _load(os.environ["TOS_BENCH_PG_URL"])


def load_national_postgres_rows() -> dict:
    return _load(os.environ["TOS_BENCH_PG_URL"], columnar=False)


STEPS = {name: fn for name, fn in globals().items() if callable(fn) and not name.startswith("_") and fn.__module__ == __name__ and name not in ("main",)}


def main() -> int:
    name = sys.argv[1]
    result = STEPS[name]()
    result.setdefault("rss_mb", _rss_mb())
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
