"""Command line: python -m reports xlsx --out FILE [--db URL] (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _dataset(args: argparse.Namespace):
    from analytics.dataset import Filters, build_dataset
    from store import queries
    from store.db import get_engine, init_db

    engine = get_engine(args.db)
    init_db(engine)
    ds = build_dataset(**queries.dataset_frames(engine))
    filters = Filters(
        region_ids=tuple(args.region or ()),
        municipality_ids=tuple(args.municipality or ()),
        year_from=args.year_from,
        year_to=args.year_to,
    )
    return engine, ds, filters


def _xlsx(args: argparse.Namespace) -> int:
    from reports.summary import build_summary_workbook, summary_text
    from store import queries

    engine, ds, filters = _dataset(args)
    personal_tos = queries.read_table(engine, "tos", personal=True) if args.staff else None
    data = build_summary_workbook(ds, filters, personal=args.staff, personal_tos=personal_tos)
    Path(args.out).write_bytes(data)
    print(f"{args.out}: {len(data) // 1024} КБ — {summary_text(ds, filters)}")
    return 0


def _csv(args: argparse.Namespace) -> int:
    from reports.csv_export import projects_csv, tos_csv
    from store import queries

    engine, ds, filters = _dataset(args)
    if args.table == "tos":
        personal_tos = queries.read_table(engine, "tos", personal=True) if args.staff else None
        data = tos_csv(ds, filters, personal=args.staff, personal_tos=personal_tos)
    else:
        data = projects_csv(ds, filters)
    Path(args.out).write_bytes(data)
    rows = data.count(b"\r\n") - 1
    print(f"{args.out}: {len(data) // 1024} КБ, строк: {rows}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports", description="Отчёты по данным о ТОС.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", required=True, help="куда записать файл")
        p.add_argument("--db", help="адрес базы (по умолчанию TOS_DB_URL или data/tos.db)")
        p.add_argument("--region", action="append", metavar="RU-XXX", help="код региона (можно несколько раз)")
        p.add_argument("--municipality", action="append", metavar="ID", help="код муниципалитета (ОКТМО; можно несколько раз)")
        p.add_argument("--from", dest="year_from", type=int, help="первый год")
        p.add_argument("--to", dest="year_to", type=int, help="последний год")

    x = sub.add_parser("xlsx", help="сводная книга Excel по текущим фильтрам")
    common(x)
    x.add_argument("--staff", action="store_true", help="служебная версия с персональными данными председателей")
    x.set_defaults(func=_xlsx)
    c = sub.add_parser("csv", help="полный реестр ТОС или список проектов в CSV (Excel открывает сразу)")
    common(c)
    c.add_argument("--table", choices=("tos", "projects"), required=True, help="что выгрузить")
    c.add_argument("--staff", action="store_true", help="с персональными данными председателей (только tos)")
    c.set_defaults(func=_csv)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
