"""Copy everything from one database to another, e.g. the demo SQLite into PostgreSQL.

    python -m store.transfer --from sqlite:///data/tos.db --to postgresql://user:pass@host/tos

Rows are copied as they are (documents, originals, provenance, superseded marks, audit log,
accounts), table by table in dependency order, in one transaction on the target. The target must
be empty: mixing two stores would break the one-document-one-sha256 rule.
"""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa

from store.db import get_engine, init_db, is_sqlite
from store.schema import documents, metadata

CHUNK = 5000


def transfer(source: sa.Engine, target: sa.Engine) -> dict[str, int]:
    metadata.create_all(target)
    with target.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar():
            raise RuntimeError("В целевой базе уже есть документы — перенос возможен только в пустую базу.")
    copied: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in metadata.sorted_tables:
            # Reference rows the target's init_db may have created are replaced by the source's.
            dst.execute(table.delete())
            result = src.execution_options(stream_results=True).execute(sa.select(table))
            n = 0
            while rows := result.fetchmany(CHUNK):
                dst.execute(table.insert(), [dict(r._mapping) for r in rows])
                n += len(rows)
            copied[table.name] = n
        if target.dialect.name == "postgresql":
            # Explicit ids were inserted: move the sequences past them.
            for table in metadata.sorted_tables:
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (column.autoincrement == "auto" and isinstance(column.type, sa.Integer)):
                        dst.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                            )
                        )
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store.transfer", description="Перенос данных между базами.")
    parser.add_argument("--from", dest="source", required=True, help="откуда (например, sqlite:///data/tos.db)")
    parser.add_argument("--to", dest="target", required=True, help="куда (например, postgresql://user:pass@host/tos)")
    args = parser.parse_args(argv)
    source = get_engine(args.source)
    target = get_engine(args.target)
    if not is_sqlite(source):
        init_db(source)
    try:
        copied = transfer(source, target)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    init_db(target)
    total = sum(copied.values())
    print(f"Перенесено строк: {total} ({', '.join(f'{t}: {n}' for t, n in copied.items() if n)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
