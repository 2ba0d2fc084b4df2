"""Command line: python -m loaders parse|ingest FILE... (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from loaders.canonical import KINDS


def _parse(args: argparse.Namespace) -> int:
    from loaders.api import parse_path
    from loaders.base import ParseError

    results = []
    failed = False
    for file in args.files:
        try:
            doc = parse_path(file, kind=args.kind, level=args.level)
            results.append(doc.to_json())
        except ParseError as exc:
            failed = True
            results.append({"file": Path(file).name, "kind": None, "tables": {}, "warnings": [], "error": exc.message})
        except Exception as exc:  # a parser bug must still give the user a message, not a traceback
            failed = True
            results.append(
                {
                    "file": Path(file).name,
                    "kind": None,
                    "tables": {},
                    "warnings": [],
                    "error": f"Файл «{Path(file).name}»: внутренняя ошибка при разборе ({type(exc).__name__}: {exc}).",
                }
            )
    json.dump(results, sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
    sys.stdout.write("\n")
    return 1 if failed else 0


def _ingest(args: argparse.Namespace) -> int:
    from store.accounts import Actor
    from store.db import get_engine, init_db
    from store.ingest import ingest_path

    engine = get_engine(args.db)
    init_db(engine)
    failed = False
    out = []
    for file in args.files:
        # The command line runs on the server under its administrator: it may write.
        if args.level:
            result = _ingest_with_level(engine, file, args)
        else:
            result = ingest_path(engine, file, kind=args.kind, actor=Actor(args.user, "admin"))
        failed |= result.status == "rejected"
        out.append(result.as_dict())
        if not args.json:
            print(result.message)
            for w in result.warnings[: args.max_warnings]:
                print(f"   ! {w['where']}: {w['message']}")
            if len(result.warnings) > args.max_warnings:
                print(f"   … и ещё {len(result.warnings) - args.max_warnings} замечаний (все видны на странице «Данные»)")
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 1 if failed else 0


def _ingest_with_level(engine, file: str, args: argparse.Namespace):
    from functools import partial

    from loaders.api import parse_bytes
    from store.accounts import Actor
    from store.ingest import IngestResult, ingest_bytes

    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return IngestResult(path.name, "rejected", f"«{path.name}»: файл не открывается ({exc.strerror or exc}).")
    return ingest_bytes(engine, data, path.name, args.kind, Actor(args.user, "admin"), parser=partial(parse_bytes, level=args.level))


LEVEL_CHOICES = ("region", "municipality", "tos")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Разбор и загрузка документов о ТОС.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="разобрать файлы и напечатать JSON; ничего не записывает")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", choices=KINDS, help="ожидаемый вид документа")
    p.add_argument("--compact", action="store_true", help="JSON в одну строку")
    p.add_argument("--level", choices=LEVEL_CHOICES, help="уровень границ в файле границ: регион, муниципалитет или ТОС")
    p.set_defaults(func=_parse)
    i = sub.add_parser("ingest", help="загрузить файлы в базу; отклонённый файл не сохраняет ничего")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--db", help="адрес базы (по умолчанию TOS_DB_URL или data/tos.db)")
    i.add_argument("--kind", choices=KINDS, help="ожидаемый вид документа")
    i.add_argument("--user", default="cli", help="кто загружает (для журнала)")
    i.add_argument("--level", choices=LEVEL_CHOICES, help="уровень границ в файле границ: регион, муниципалитет или ТОС")
    i.add_argument("--json", action="store_true", help="результат в JSON")
    i.add_argument("--max-warnings", type=int, default=20, help="сколько замечаний печатать на файл")
    i.set_defaults(func=_ingest)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
