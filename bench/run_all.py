"""Run every benchmark and print one table; write bench/RESULTS.md.

    .venv/bin/python -m bench.run_all [--runs 3] [--quick]

Every figure is measured in this same run next to its baseline and shown as a ratio (medians of
several runs: this machine is noisy). Never part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys

from bench.steps import NATIONAL, NATIONAL_DB, ROOT

# (title, step, baseline step or None, target text, target check on the figure or ratio)
ROWS = [
    ("Реестр 45 000 ТОС .xlsx: загрузка (разбор + запись)", "registry_xlsx_ingest", "registry_xlsx_calamine", "≤ 1,5 × чтения calamine", ("ratio", 1.5)),
    ("  то же против pandas.read_excel(openpyxl)", "registry_xlsx_ingest", "registry_xlsx_openpyxl", "быстрее openpyxl", ("ratio", 1.0)),
    ("Реестр 45 000 ТОС .xlsx, полная форма (12 столбцов): загрузка", "registry_full_xlsx_ingest", "registry_full_xlsx_calamine", "≤ 1,5 × чтения calamine", ("ratio", 1.5)),
    ("  нижняя граница: проверка архива, чтение и запись без разбора (узкая форма)", "registry_xlsx_without_parsing", "registry_xlsx_calamine", "—", None),
    ("  нижняя граница: то же, полная форма", "registry_full_xlsx_without_parsing", "registry_full_xlsx_calamine", "—", None),
    ("Реестр 45 000 ТОС .csv cp1251: загрузка", "registry_csv_ingest", "registry_csv_pandas", "—", None),
    ("Проекты 200 000 .xlsx: загрузка", "projects_xlsx_ingest", "projects_xlsx_calamine", "—", None),
    ("Границы: GeoPackage 18 000 МО + 45 000 ТОС, загрузка", "boundaries_gpkg_ingest", "boundaries_gpkg_pyogrio", "—", None),
    ("100 паспортов практик (.docx, .pdf, .txt): загрузка всех", "passports_ingest", None, "—", None),
    ("python -m loaders parse: холодный старт, CPU", "cli_parse_cold", "python_import_pandas_cold", "≤ 1,3 с CPU", ("seconds", 1.3)),
    ("  для сравнения: пустой python, CPU", "python_bare_cold", None, "—", None),
    ("Первая страница, национальные данные, холодный старт", "app_first_page_cold", "app_trivial_cold", "—", None),
    ("Загрузка национальных данных из базы в память (SQLite)", "load_national_store", None, "—", None),
    ("то же из PostgreSQL: по столбцам (ADBC) против построчного чтения", "load_national_postgres", "load_national_postgres_rows", "—", None),
    ("«Обзор»: повтор после смены фильтра (кэш)", "overview_rerun", "trivial_rerun", "≤ 150 мс", ("seconds", 0.15)),
    ("«Динамика»: повтор после смены фильтра (кэш)", "trends_rerun", "trivial_rerun", "≤ 150 мс", ("seconds", 0.15)),
    ("«Проекты»: повтор после смены фильтра (кэш)", "projects_rerun", "trivial_rerun", "≤ 150 мс", ("seconds", 0.15)),
    ("Сводная книга Excel, национальные данные", "workbook_national", "workbook_national_full_dump", "≤ 5 с", ("seconds", 5.0)),
    ("Полный реестр CSV, национальные данные", "csv_registry_national", None, "—", None),
]
SLOW = {"workbook_national_full_dump", "projects_xlsx_ingest", "projects_xlsx_calamine", "boundaries_gpkg_ingest", "passports_ingest"}


def run_step(name: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.steps", name], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{name}: {out.stderr[-800:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name: str, runs: int, cache: dict) -> dict:
    if name in cache:
        return cache[name]
    n = 1 if name in SLOW else runs
    results = [run_step(name) for _ in range(n)]
    merged = {k: statistics.median(r[k] for r in results) for k in results[0] if isinstance(results[0][k], (int, float))}
    merged["runs"] = n
    cache[name] = merged
    return merged


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} мс" if seconds < 1 else f"{seconds:.2f} с".replace(".", ",")


def ensure_data() -> None:
    if not (NATIONAL / "reestr_national_full.xlsx").exists():  # older sets lack the full layout, boundaries, passports
        subprocess.run([sys.executable, "-m", "bench.generate"], cwd=ROOT, check=True)
    if not NATIONAL_DB.exists():
        from store.accounts import Actor
        from store.db import get_engine, init_db
        from store.ingest import ingest_bytes

        engine = get_engine(f"sqlite:///{NATIONAL_DB}")
        init_db(engine)
        for name in ("naselenie_national.xlsx", "reestr_national.xlsx", "proekty_national.xlsx"):
            ingest_bytes(engine, (NATIONAL / name).read_bytes(), name, actor=Actor("bench", "admin"))
    else:
        from store.db import get_engine, init_db

        init_db(get_engine(f"sqlite:///{NATIONAL_DB}"))  # an older bench database gains new columns


def start_postgres():
    """A throwaway PostgreSQL server holding a copy of the bench store, or None without the binaries."""
    from tests.pg_server import PostgresServer

    server = PostgresServer()
    if server.available is not None:
        return None
    url = server.start()
    try:
        subprocess.run(
            [sys.executable, "-m", "store.transfer", "--from", f"sqlite:///{NATIONAL_DB}", "--to", url],
            cwd=ROOT, check=True, capture_output=True,
        )
        # A server in use has been vacuumed by autovacuum; a fresh copy has not (hint bits, statistics).
        from store.db import get_engine

        with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    except BaseException:
        server.stop()
        raise
    os.environ["TOS_BENCH_PG_URL"] = url  # inherited by the step processes
    # The first read after the copy takes ~2x longer (cold buffers); it would count against whichever
    # route is measured first.
    run_step("load_national_postgres_rows")
    return server


def extra_sections() -> list[str]:
    """Benchmarks that live in their own scripts (map, passports) when present."""
    lines = []
    for script in ("bench_passport", "bench_map"):
        if (ROOT / "bench" / f"{script}.py").exists():
            out = subprocess.run([sys.executable, "-m", f"bench.{script}"], cwd=ROOT, capture_output=True, text=True)
            lines += ["", f"### bench/{script}.py", "", "```", out.stdout.strip() or out.stderr.strip()[-1500:], "```"]
    return lines


def measure_rows(table: list[str], runs: int, cache: dict, with_postgres: bool) -> None:
    """Measure every row of ROWS and append it to the table (printed as it goes)."""
    for title, step, baseline, target, check in ROWS:
        if "postgres" in step and not with_postgres:
            table.append(f"| {title} | нет сервера PostgreSQL (пакет postgresql) | — | — | — | {target} |")
            continue
        m = measure(step, runs, cache)
        value = fmt_s(m["seconds"])
        if "uncached" in m:
            value += f" (без кэша {fmt_s(m['uncached'])})"
        base = measure(baseline, runs, cache) if baseline else None
        ratio = m["seconds"] / base["seconds"] if base else None
        verdict = ""
        if check:
            kind, limit = check
            figure = ratio if kind == "ratio" else m["seconds"]
            verdict = " ✓" if figure is not None and figure <= limit else " ✗"
        table.append(
            f"| {title} | {value} | {fmt_s(base['seconds']) + ' (' + baseline + ')' if base else '—'} | "
            f"{f'{ratio:.2f}×'.replace('.', ',') if ratio else '—'} | {m.get('rss_mb', m.get('rss_child_mb', 0)):.0f} МБ | {target}{verdict} |"
        )
        print(table[-1], flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run each, no map/passport scripts")
    args = parser.parse_args(argv)
    ensure_data()
    runs = 1 if args.quick else args.runs
    cache: dict = {}
    table = ["| что | значение | база | отношение | пик памяти | цель |", "|---|---|---|---|---|---|"]
    postgres = start_postgres()
    try:
        measure_rows(table, runs, cache, postgres is not None)
    finally:
        if postgres is not None:
            postgres.stop()
    machine = f"{platform.machine()}, {os.cpu_count()} ядра, Python {platform.python_version()}, {platform.platform()}"
    lines = [
        "# Замеры производительности",
        "",
        f"Дата: {dt.date.today():%d.%m.%Y}. Машина: {machine}.",
        f"Команда: `.venv/bin/python -m bench.run_all --runs {runs}` (медиана {runs} запусков; медленные шаги — 1 запуск).",
        "Данные: `bench/generate.py` — детерминированный национальный набор: 45 000 ТОС (.xlsx в узкой форме из 7",
        "столбцов и в полной из 12 — с председателем, телефоном и описанием границ, как в реальных реестрах; .csv в cp1251),",
        "200 000 проектов (.xlsx), около 18 000 муниципалитетов с численностью населения, их границы и границы ТОС",
        "(GeoPackage и GeoJSON), 100 паспортов практик. Для строк PostgreSQL — временный сервер (`initdb`, `pg_ctl`)",
        "с копией той же базы (`store.transfer`); база сравнения — чтение тех же таблиц построчно через psycopg.",
        "Каждый шаг — в отдельном процессе; «пик памяти» — максимальный RSS этого процесса.",
        "Где уходит время на медленных шагах и почему не достигнута цель загрузки реестра — `bench/NOTES.md`.",
        "",
        *table,
        *([] if args.quick else extra_sections()),
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\nзаписано: bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
